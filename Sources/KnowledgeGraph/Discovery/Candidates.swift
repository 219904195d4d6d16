/// What discovery notices about a name in notes: how it is written and where it stands.
public enum Signal: Int, CaseIterable, Sendable {
    case acronym = 0, mixedCase, alphanumeric, capitalized, capitalizedPhrase, hyphenated, lowercase
    case particle, alone, companyContext, companyList, wikilink, tag, heading, definition, sentenceStart, compound, mixedScript
    /// A Hangul word seen as the second part of a compound (`포레스트` of `랜덤 포레스트`).
    case compoundTail
    /// A lowercase Latin word in a line of Korean: in Korean notes mostly a technical term.
    case latinInKorean
    /// Particle classes a Hangul stem was seen before (bits 24–31).
    case subjectParticle = 24, objectParticle, topicParticle, genitiveParticle, locativeParticle, instrumentalParticle,
        comitativeParticle, otherParticle

    var bit: UInt32 { 1 << UInt32(rawValue) }

    /// The name shown in `signals`.
    public var label: String {
        switch self {
        case .acronym: return "acronym"
        case .mixedCase: return "mixed-case"
        case .alphanumeric: return "letters-and-digits"
        case .capitalized: return "capitalized"
        case .capitalizedPhrase: return "capitalized-phrase"
        case .hyphenated: return "hyphenated"
        case .lowercase: return "lowercase"
        case .particle: return "before-particles"
        case .alone: return "alone"
        case .companyContext: return "company-context"
        case .companyList: return "company-list"
        case .wikilink: return "wikilink"
        case .tag: return "tag"
        case .heading: return "heading"
        case .definition: return "definition"
        case .sentenceStart: return "sentence-start"
        case .compound: return "compound"
        case .mixedScript: return "mixed-script"
        case .compoundTail: return "compound-tail"
        case .latinInKorean: return "latin-in-korean"
        default: return "particle-class"
        }
    }
}

/// One name a note may be about, as the note writes it: a contribution to the vault's
/// discovery statistics, which are sums of these.
public struct NoteCandidate: Sendable, Hashable {
    /// The match key (`Lexicon.keyString`).
    public var key: String
    /// Spellings as written, with how often, most frequent first (at most three).
    public var surfaces: [String]
    public var surfaceCounts: [Int32]
    public var count: Int32
    /// The signals seen in this note (`Signal.bit`s).
    public var signals: UInt32
}

/// Finds the candidate names of one note: Latin technical terms (acronyms, mixed case,
/// letters with digits, capitalized words and phrases, hyphenated terms), Hangul nouns seen
/// before particles or alone, compounds, company cues, and structure (wikilink targets,
/// tags, headings, `X(Y)` definitions). Everyday Korean and English words are left out.
struct CandidateExtractor {
    /// Bumped whenever the candidate rules change: statistics of another version are summed
    /// again from the notes.
    static let version: UInt8 = 1

    private var found: [String: (surfaces: [String: Int32], count: Int32, signals: UInt32)] = [:]

    static func candidates(of note: MarkdownNote) -> [NoteCandidate] {
        var x = CandidateExtractor()
        x.scan(note)
        return x.found.map { key, v in
            let ranked = v.surfaces.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.utf8.bytesPrecede($1.key.utf8) }.prefix(3)
            return NoteCandidate(key: key, surfaces: ranked.map(\.key), surfaceCounts: ranked.map(\.value), count: v.count, signals: v.signals)
        }.sorted { $0.key.utf8.bytesPrecede($1.key.utf8) }
    }

    private mutating func add(_ surface: String, _ signals: UInt32) {
        let trimmed = surface.trimmingSpaces()
        let key = Lexicon.keyString(trimmed)
        guard key.unicodeScalars.count >= 2, key.unicodeScalars.count <= 60 else { return }
        var v = found[key] ?? ([:], 0, 0)
        v.surfaces[trimmed, default: 0] += 1
        v.count += 1
        v.signals |= signals
        found[key] = v
    }

    private static func isUpper(_ v: UInt32) -> Bool { v >= 0x41 && v <= 0x5A }
    private static func isLower(_ v: UInt32) -> Bool { v >= 0x61 && v <= 0x7A }
    private static func isDigit(_ v: UInt32) -> Bool { v >= 0x30 && v <= 0x39 }
    private static func isLatinWord(_ v: UInt32) -> Bool { Scalars.isASCIIAlphanumeric(v) || v == 0x5F }

    /// The signals of a Latin word by its shape, or nil when it is not a candidate.
    static func shape(_ w: [UInt32]) -> UInt32? {
        let uppers = w.filter(isUpper).count
        let lowers = w.filter(isLower).count
        let digits = w.filter(isDigit).count
        let letters = uppers + lowers
        guard letters >= 1, w.count >= 2 else { return nil }
        var bits: UInt32 = 0
        if w.contains(0x2D) { bits |= Signal.hyphenated.bit }
        let inner = w.dropFirst().enumerated().contains { k, v in isUpper(v) && w[k] != 0x2D }
        if uppers >= 2 && lowers == 0 {
            bits |= Signal.acronym.bit
        } else if uppers >= 1 && lowers >= 1 && inner {
            bits |= Signal.mixedCase.bit
        }
        if digits >= 1 && uppers >= 1 { bits |= Signal.alphanumeric.bit }
        if bits == 0 {
            guard letters >= 3 else { return nil }
            if isUpper(w[0]) && uppers == 1 { bits |= Signal.capitalized.bit } else if uppers == 0 { bits |= Signal.lowercase.bit }
        }
        let lower = String(String.UnicodeScalarView(w.compactMap { Unicode.Scalar(Scalars.lowerASCII($0)) }))
        // Everyday words, also in capitals (`TODO`, `OK`); mixed case and digits say more.
        if bits & (Signal.mixedCase.bit | Signal.alphanumeric.bit) == 0 && Vocabulary.englishCommon.contains(lower) { return nil }
        if bits & (Signal.acronym.bit | Signal.mixedCase.bit | Signal.alphanumeric.bit) == 0 && digits > 0 && uppers == 0 {
            return nil  // v1, top10
        }
        return bits
    }

    private mutating func scan(_ note: MarkdownNote) {
        var companySection = false
        var headingLines = Set<Int>()
        for h in note.headings { headingLines.insert(h.line - 1) }
        for (n, r) in note.lines.enumerated() {
            let line = note.scan[r]
            let text = Scalars.string(line.map { $0 == 0 ? 0x20 : $0 }[...]).lowercased()
            if headingLines.contains(n) {
                companySection = Vocabulary.companyHeadingWords.contains { text.contains($0) }
            }
            var cues: UInt32 = Vocabulary.companyContext.contains(where: { text.contains($0) }) ? Signal.companyContext.bit : 0
            let trimmed = text.drop(while: { $0 == " " || $0 == "\t" })
            let listItem = trimmed.hasPrefix("- ") || trimmed.hasPrefix("* ") || trimmed.hasPrefix("+ ")
                || (trimmed.first?.isNumber == true && trimmed.contains(". "))
            if companySection && (listItem || headingLines.contains(n)) { cues |= Signal.companyList.bit }
            scanLine(Array(line), cues: cues, heading: headingLines.contains(n))
        }
        for l in note.links where l.isWiki {
            var page = l.target
            if let hash = page.firstIndex(of: "#") { page = String(page[..<hash]) }
            let last = String(page.split(separator: "/").last ?? Substring(page))
            let name = NoteKeys.withoutNoteExtension(last)
            if NoteKeys.fileExtension(name) == nil && !CandidateExtractor.everyday(name) { add(name, Signal.wikilink.bit) }
        }
        for t in note.tags + (note.frontMatter["tags"] ?? []) {
            let last = String(t.split(separator: "/").last ?? Substring(t))
            if !CandidateExtractor.everyday(last), last.unicodeScalars.contains(where: { Scalars.isHangulSyllable($0.value) || CandidateExtractor.isUpper($0.value) || CandidateExtractor.isLower($0.value) }) {
                add(last, Signal.tag.bit)
            }
        }
        for h in note.headings {
            let words = h.text.split(separator: " ")
            if words.count >= 1 && words.count <= 3 && h.text.unicodeScalars.count <= 30 && !CandidateExtractor.everyday(h.text)
                && !h.text.unicodeScalars.contains(where: { CandidateExtractor.isDigit($0.value) || $0 == ":" || $0 == "?" })
            {
                add(h.text, Signal.heading.bit)
            }
        }
    }

    /// The particle class of a particle form, as a signal.
    static func particleClass(_ form: String) -> Signal {
        switch form.unicodeScalars.first.map(Character.init) {
        case "이", "가", "께": return form.hasPrefix("이랑") || form.hasPrefix("이나") || form.hasPrefix("이며") ? .comitativeParticle : .subjectParticle
        case "을", "를": return .objectParticle
        case "은", "는": return .topicParticle
        case "의": return .genitiveParticle
        case "에", "한": return .locativeParticle
        case "으", "로": return .instrumentalParticle
        case "과", "와", "랑", "하": return .comitativeParticle
        default: return .otherParticle
        }
    }

    private mutating func scanLine(_ line: [UInt32], cues: UInt32, heading: Bool) {
        let korean = line.contains(where: Scalars.isHangulSyllable) ? Signal.latinInKorean.bit : 0
        var i = 0
        let end = line.count
        var previousBareHangul: (text: String, end: Int)?
        // Capitalized words in a row: one phrase (`Factorization Machine`, `LG CNS`), or, when
        // alone, a word; a word of a phrase is not a candidate of its own.
        var phrase: [(text: String, start: Int, end: Int, signals: UInt32)] = []
        func flushPhrase() {
            if phrase.count >= 2 {
                let text = phrase.prefix(4).map(\.text).joined(separator: " ")
                add(text, Signal.capitalizedPhrase.bit | cues)
                for w in phrase where w.signals & (Signal.mixedCase.bit | Signal.alphanumeric.bit) != 0 { add(w.text, w.signals) }
            } else if let w = phrase.first {
                add(w.text, w.signals)
            }
            phrase.removeAll()
        }
        while i < end {
            let v = line[i]
            if CandidateExtractor.isLatinWord(v) {
                var j = i
                while j < end && (CandidateExtractor.isLatinWord(line[j])
                    || (line[j] == 0x2D && j + 1 < end && CandidateExtractor.isLatinWord(line[j + 1]) && j > i))
                {
                    j += 1
                }
                // CI/CD, W&B: two short words joined by / or &.
                if j + 1 < end && (line[j] == 0x2F || line[j] == 0x26) && CandidateExtractor.isUpper(line[j + 1]) && j - i <= 4 {
                    var k = j + 1
                    while k < end && CandidateExtractor.isLatinWord(line[k]) { k += 1 }
                    if k - j - 1 <= 4 && line[i..<j].allSatisfy({ !CandidateExtractor.isLower($0) }) && line[(j + 1)..<k].allSatisfy({ !CandidateExtractor.isLower($0) }) {
                        add(Scalars.string(line[i..<k]), Signal.acronym.bit | cues)
                        i = k
                        flushPhrase()
                        continue
                    }
                }
                let word = Array(line[i..<j])
                let atStart = CandidateExtractor.sentenceStart(line, i)
                // Glued to Hangul (`SK텔레콤`, `삼성SDS`): part of a mixed name, not a word of its own.
                let glued = (j < end && Scalars.isHangulSyllable(line[j])) || (i > 0 && Scalars.isHangulSyllable(line[i - 1]))
                if let bits = CandidateExtractor.shape(word) {
                    var signals = bits | cues
                    if atStart && bits & Signal.capitalized.bit != 0 { signals = (signals & ~Signal.capitalized.bit) | Signal.sentenceStart.bit }
                    let text = Scalars.string(line[i..<j])
                    let capital = bits & (Signal.capitalized.bit | Signal.acronym.bit | Signal.mixedCase.bit) != 0
                    if !capital || (glued && bits & Signal.acronym.bit != 0) {
                        flushPhrase()
                        if bits & Signal.lowercase.bit != 0 { signals |= korean }
                        if !glued || bits & Signal.acronym.bit == 0 { add(text, signals) }
                    } else if phrase.isEmpty || (phrase.last.map { CandidateExtractor.joins(line, $0.end, i) } ?? false) {
                        if let last = phrase.last, last.end + 1 != i { phrase[phrase.count - 1].text += " &" }
                        phrase.append((text, i, j, signals))
                    } else {
                        flushPhrase()
                        phrase.append((text, i, j, signals))
                    }
                    // LG전자, SK텔레콤: Latin capitals glued to a company ending.
                    if bits & Signal.acronym.bit != 0, j < end, Scalars.isHangulSyllable(line[j]) {
                        var k = j
                        while k < end && Scalars.isHangulSyllable(line[k]) { k += 1 }
                        let stem = CandidateExtractor.stem(Array(line[j..<k])).stem
                        let hangul = Scalars.string(stem[...])
                        if Vocabulary.companyEndings.contains(where: { hangul.hasSuffix($0) }) {
                            add(text + hangul, Signal.mixedScript.bit | cues)
                        }
                    }
                    // CJ 올리브네트웍스: capitals, a space, a Hangul company name.
                    if bits & Signal.acronym.bit != 0, j + 1 < end, line[j] == 0x20, Scalars.isHangulSyllable(line[j + 1]) {
                        var k = j + 1
                        while k < end && Scalars.isHangulSyllable(line[k]) { k += 1 }
                        let hangul = Scalars.string(CandidateExtractor.stem(Array(line[(j + 1)..<k])).stem[...])
                        if Vocabulary.companyEndings.contains(where: { hangul.hasSuffix($0) }) {
                            add(text + " " + hangul, Signal.mixedScript.bit | cues)
                            add(hangul, Signal.compoundTail.bit)
                            if phrase.last?.text == text { phrase.removeLast() }  // not a word of its own
                        }
                    }
                    // X(Y): a name and its long form.
                    if j < end && line[j] == 0x28, let close = line[j...].firstIndex(of: 0x29), close - j <= 40, close > j + 1 {
                        let inner = Scalars.string(line[(j + 1)..<close]).trimmingSpaces()
                        if inner.split(separator: " ").count <= 5 && !inner.isEmpty {
                            add(text, Signal.definition.bit | cues)
                            add(inner, Signal.definition.bit | cues)
                        }
                    }
                } else {
                    flushPhrase()
                }
                previousBareHangul = nil
                i = j
                continue
            }
            if Scalars.isHangulSyllable(v) {
                flushPhrase()
                var j = i
                while j < end && Scalars.isHangulSyllable(line[j]) { j += 1 }
                let run = Array(line[i..<j])
                let gluedToLatin = (i > 0 && CandidateExtractor.isLatinWord(line[i - 1])) || (j < end && CandidateExtractor.isUpper(line[j]))
                let verb = gluedToLatin || CandidateExtractor.isVerbForm(Scalars.string(run[...]))
                // Every split before a particle is evidence for its stem: the true noun gathers
                // the most kinds of particles across the vault (`텐서플로는` is 텐서플로 + 는
                // and 텐서플 + 로는; only the first is also seen before 를, 가, 의).
                let splits = verb ? [] : CandidateExtractor.splits(run)
                let (stem, particle) = splits.last.map { ($0.stem, Optional($0.particle)) } ?? (run, nil)
                let stemText = Scalars.string(stem[...])
                if verb || !CandidateExtractor.mayBeNoun(stemText) && splits.isEmpty {
                    previousBareHangul = nil
                } else if particle != nil {
                    for split in splits where split.stem.count >= 2 && split.stem.count <= 8 {
                        let text = Scalars.string(split.stem[...])
                        guard CandidateExtractor.mayBeNoun(text) else { continue }
                        let cls = CandidateExtractor.particleClass(split.particle).bit
                        if !Vocabulary.koreanEveryday.contains(text) { add(text, Signal.particle.bit | cls | cues) }
                        if let prev = previousBareHangul, prev.end + 1 == i, line[prev.end] == 0x20,
                            !Vocabulary.koreanEveryday.contains(text) || Vocabulary.technicalHeads.contains(text)
                        {
                            add(prev.text + " " + text, Signal.compound.bit | Signal.particle.bit | cls | cues)
                            add(text, Signal.compoundTail.bit)
                        }
                    }
                    previousBareHangul = nil
                } else if run.count >= 2 && run.count <= 8 && !CandidateExtractor.isVerbForm(stemText) {
                    let everyday = Vocabulary.koreanEveryday.contains(stemText)
                    if !everyday && CandidateExtractor.mayBeNoun(stemText) {
                        add(stemText, Signal.alone.bit | cues)
                    }

                    previousBareHangul = !CandidateExtractor.mayStartCompound(stemText) ? nil : (stemText, j)
                } else {
                    previousBareHangul = nil
                }
                // 삼성SDS: Hangul glued to Latin capitals.
                if j < end && CandidateExtractor.isUpper(line[j]) && particle == nil && run.count >= 2 {
                    var k = j
                    while k < end && CandidateExtractor.isLatinWord(line[k]) { k += 1 }
                    if line[j..<k].allSatisfy({ !CandidateExtractor.isLower($0) }) && k - j >= 2 {
                        add(Scalars.string(line[i..<k]), Signal.mixedScript.bit | cues)
                    }
                }
                i = j
                continue
            }
            if v != 0x20 { previousBareHangul = nil }
            if !(v == 0x20 || v == 0x26) { flushPhrase() }
            i += 1
        }
        flushPhrase()
    }

    /// Whether a name is an everyday Korean or English word (said in any case).
    static func everyday(_ name: String) -> Bool {
        let t = name.trimmingSpaces()
        return Vocabulary.koreanEveryday.contains(t) || Vocabulary.englishCommon.contains(t.lowercased())
    }

    /// Whether the gap `line[a..<b]` between two capitalized words joins them into one
    /// phrase: a space, or ` & ` (`Weights & Biases`).
    static func joins(_ line: [UInt32], _ a: Int, _ b: Int) -> Bool {
        (b == a + 1 && line[a] == 0x20) || (b == a + 3 && line[a] == 0x20 && line[a + 1] == 0x26 && line[a + 2] == 0x20)
    }

    /// A Hangul run split into a stem and the particle form after it, when a particle fits.
    /// The longest particle that fits is split off; nil particle when none does.
    static func stem(_ run: [UInt32]) -> (stem: [UInt32], particle: String?) {
        splits(run).first.map { ($0.stem, $0.particle) } ?? (run, nil)
    }

    /// Every way to split a Hangul run into a stem of two or more syllables and a particle
    /// that fits after it, the longest particle first.
    static func splits(_ run: [UInt32]) -> [(stem: [UInt32], particle: String)] {
        var out: [(stem: [UInt32], particle: String)] = []
        if run.count >= 3 {
            for k in 2..<run.count {
                let rest = run[k...]
                if rest.count <= Particles.maxLength && Particles.fitsNounParticle(rest, after: run[k - 1]) {
                    out.append((Array(run[..<k]), Scalars.string(rest)))
                }
            }
        }
        return out
    }

    /// Whether a Hangul word ends like a verb or an adjective (`사용하는`, `좋았다`, `있다`).
    static func isVerbForm(_ word: String) -> Bool {
        Vocabulary.verbEndings.contains { word.hasSuffix($0) }
    }

    /// Whether a bare Hangul word may be the first noun of a compound (`추천 시스템`): not an
    /// adnominal verb form (`나온`, `받은`, `할`).
    static func mayStartCompound(_ word: String) -> Bool {
        guard mayBeNoun(word), let last = word.unicodeScalars.last.map(Character.init) else { return false }
        return !Vocabulary.adnominalFinals.contains(last)
    }

    /// Whether a Hangul stem may be a noun: not ending like a verb stem (`말하`), an
    /// adjectival `-적` (`일반적`), an honorific `-님`, a plural `-들`, or a bound ending.
    static func mayBeNoun(_ stem: String) -> Bool {
        guard let last = stem.unicodeScalars.last.map(Character.init) else { return false }
        return !Vocabulary.nonNounFinals.contains(last)
    }

    /// Whether position `i` starts a sentence: the line's start (after a list marker or a
    /// heading's `#`), or after `. `, `! `, `? `.
    static func sentenceStart(_ line: [UInt32], _ i: Int) -> Bool {
        var k = i - 1
        while k >= 0 && (line[k] == 0x20 || line[k] == 0x09) { k -= 1 }
        if k < 0 { return true }
        let c = line[k]
        if c == 0x2E || c == 0x21 || c == 0x3F || c == 0x23 || c == 0x3A { return true }
        if c == 0x2D || c == 0x2A || c == 0x2B {  // a list marker at the line's start
            var m = k - 1
            while m >= 0 && (line[m] == 0x20 || line[m] == 0x09) { m -= 1 }
            return m < 0
        }
        return false
    }
}
