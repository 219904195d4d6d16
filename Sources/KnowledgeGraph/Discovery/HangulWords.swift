/// What a Hangul word is made of, for discovery: a stem and the particle after it, verb and
/// adjective endings, whether a stem may be a noun.
extension CandidateExtractor {
    /// The stem of a Hangul run: the run without the longest particle that fits after two or
    /// more syllables, or the whole run when none fits.
    static func stem(_ run: ArraySlice<UInt32>) -> ArraySlice<UInt32> {
        guard run.count >= 3 else { return run }
        for k in (run.startIndex + 2)..<run.endIndex where Particles.initials.contains(run[k]) && fits(run, k) { return run[..<k] }
        return run
    }

    /// Every way to split a Hangul run into a stem of two or more syllables and a particle
    /// that fits after it, as the index where the particle starts, the longest particle first
    /// (appended to `out`: a scanner reuses one array from word to word).
    static func splitPoints(_ run: ArraySlice<UInt32>, into out: inout [Int]) {
        guard run.count >= 3 else { return }
        for k in (run.startIndex + 2)..<run.endIndex where Particles.initials.contains(run[k]) && fits(run, k) { out.append(k) }
    }

    /// Whether a particle fits after `run[..<k]`: `run[k...]`.
    @inline(__always) private static func fits(_ run: ArraySlice<UInt32>, _ k: Int) -> Bool {
        run.endIndex - k <= Particles.maxLength && Particles.fitsNounParticle(run[k...], after: run[k - 1])
    }

    /// Whether a Hangul word is shaped like a Korean full name: a surname and a given name
    /// of two syllables (`김찬란`, `남궁민수`), and no everyday or general word, alone or with
    /// a particle.
    static func isFullName(_ word: ArraySlice<UInt32>) -> Bool {
        guard word.count == 3 || word.count == 4 else { return false }
        let surname = word.prefix(word.count - 2)
        guard Vocabulary.koreanSurnameScalars.contains(surname) else { return false }
        // A common word with its particle (`사람이 감독`) is no name.
        if word.indices.dropFirst().contains(where: { Particles.isForm(word[$0...]) && CandidateExtractor.common(word[..<$0]) }) { return false }
        return !CandidateExtractor.common(word) && !Vocabulary.personTitleScalars.ends(word)
    }

    /// Whether a Hangul run is a title that follows a name, alone or with a particle (`멘토`,
    /// `교수님께서`, `님이`).
    static func isTitle(_ run: ArraySlice<UInt32>) -> Bool {
        if Vocabulary.personTitleScalars.contains(run) { return true }
        return run.indices.dropFirst().contains { Vocabulary.personTitleScalars.contains(run[..<$0]) && Particles.isForm(run[$0...]) }
    }

    /// The full name in a run written as a name glued to a title, with or without a particle
    /// after it (`김학수교수`, `한기용님이`, `김찬란멘토님께서`); nil when it is none.
    static func nameBeforeTitle(_ run: ArraySlice<UInt32>) -> ArraySlice<UInt32>? {
        guard run.count >= 4 else { return nil }
        for length in [3, 4] where run.count > length {
            let name = run.prefix(length)
            if isFullName(name) && isTitle(run[(run.startIndex + length)...]) { return name }
        }
        return nil
    }

    /// Whether a Hangul word ends like a verb or an adjective (`사용하는`, `좋았다`, `있다`).
    static func isVerbForm(_ word: ArraySlice<UInt32>) -> Bool {
        Vocabulary.verbEndingScalars.ends(word)
    }

    /// Whether a bare Hangul word that may be a noun (`mayBeNoun`) may be the first noun of a
    /// compound (`추천 시스템`): not an adnominal verb form (`나온`, `받은`, `할`).
    static func mayStartCompound(nounStem word: ArraySlice<UInt32>) -> Bool {
        guard let last = word.last else { return false }
        return !Vocabulary.adnominalFinalScalars.contains(last)
    }

    /// Whether a Hangul stem may be a noun: not ending like a verb stem (`말하`), an
    /// adjectival `-적` (`일반적`), an honorific `-님`, a plural `-들` or a bound ending; not
    /// a verb form (`있는지`, `하는데`); not a bound noun or a pronoun with its particle
    /// (`것이`, `수가`, `내가`); not a particle written apart from its noun (`**모델** 으로`).
    static func mayBeNoun(_ stem: ArraySlice<UInt32>) -> Bool {
        guard let first = stem.first, let last = stem.last, !Vocabulary.nonNounFinalScalars.contains(last) else { return false }
        if isVerbForm(stem) { return false }
        if stem.count == 2 && Particles.initials.contains(last) && Vocabulary.boundNounScalars.contains(first)
            && Particles.isForm(stem.suffix(1))
        {
            return false
        }
        return !(Particles.initials.contains(first) && Particles.isForm(stem))
    }
}
