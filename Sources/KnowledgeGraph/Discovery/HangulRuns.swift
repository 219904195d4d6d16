/// What the candidate scanner decides about a Hangul word by itself, remembered per word.
///
/// A vault writes the same Korean words over and over (`있는`, `모델을`, `데이터는`); the tests
/// that split a word before its particles and look its stems up in the word lists depend on
/// the word alone, so each distinct word is analysed once per scanner and looked up by a hash
/// of its syllables afterwards. What depends on the words around it (a Latin word glued to
/// it, the word before a compound) the scanner still decides in place (`scanLine`). The
/// table forgets everything between notes once it holds `limit` words (never within a note:
/// a `Word`'s `kept` splits stay valid while its note is scanned); it only saves time, and
/// the candidates are the same with or without it.
struct HangulRuns {
    /// One way to split the word before a particle: the stem is the first `offset` syllables.
    struct Split {
        var offset: Int32
        /// The particle's class (`Signal.bit`).
        var particleClass: UInt32
        var stemMayBeNoun: Bool
        var stemEveryday: Bool
        /// A general noun (and not an everyday one).
        var stemGeneral: Bool
        var stemTechnicalHead: Bool
    }

    struct Word {
        /// Syllables of the full name that starts the word when a title follows it in the word
        /// (`김학수교수`, `한기용님이`); 0 when none (`CandidateExtractor.nameBeforeTitle`).
        var nameBeforeTitle: Int32 = 0
        var fullName = false
        var title = false
        var verbForm = false
        /// The whole word is a particle (`를`, `에서는`).
        var particleForm = false
        var mayBeNoun = false
        var common = false
        var startsCompound = false
        /// Whether the word splits before some particle, and the splits whose stems have two to
        /// eight syllables (`splits`), in the order `CandidateExtractor.splitPoints` gives them.
        var splits = false
        var kept: Range<Int32> = 0..<0
    }

    /// The words analysed so far: their syllables one after another (`pool`), and a table of
    /// their ids by hash (`HashSlots`, allocated at the first word).
    private var pool: [UInt32] = []
    private var starts: [Int32] = [0]
    private var hashes: [UInt64] = []
    private var words: [Word] = []
    private(set) var splits: [Split] = []
    private var slots: [Int32] = []
    private var scratch: [Int] = []
    static let limit = 1 << 15

    /// Forgets every word once the table holds `limit` of them (between notes).
    mutating func forgetIfFull() {
        guard words.count >= HangulRuns.limit else { return }
        pool.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        starts.append(0)
        hashes.removeAll(keepingCapacity: true)
        words.removeAll(keepingCapacity: true)
        splits.removeAll(keepingCapacity: true)
        for k in slots.indices { slots[k] = -1 }
    }

    /// The analysis of `run` (Hangul syllables only).
    mutating func word(_ run: ArraySlice<UInt32>) -> Word {
        let hash = HashSlots.hash(run)
        if slots.isEmpty { slots = [Int32](repeating: -1, count: 256) }
        var p = HashSlots.home(hash, slots)
        while slots[p] >= 0 {
            let k = Int(slots[p])
            if hashes[k] == hash && pool[Int(starts[k])..<Int(starts[k + 1])].elementsEqual(run) { return words[k] }
            p = (p + 1) & (slots.count - 1)
        }
        let w = analyse(run)
        slots[p] = Int32(words.count)
        words.append(w)
        hashes.append(hash)
        pool += run
        starts.append(Int32(pool.count))
        HashSlots.grow(&slots, hashes: hashes)
        return w
    }

    private mutating func analyse(_ run: ArraySlice<UInt32>) -> Word {
        var w = Word()
        w.nameBeforeTitle = Int32(CandidateExtractor.nameBeforeTitle(run)?.count ?? 0)
        w.fullName = CandidateExtractor.isFullName(run)
        w.title = CandidateExtractor.isTitle(run)
        w.verbForm = CandidateExtractor.isVerbForm(run)
        w.particleForm = Particles.isForm(run)
        w.mayBeNoun = CandidateExtractor.mayBeNoun(run)
        w.common = CandidateExtractor.common(run)
        w.startsCompound = CandidateExtractor.mayStartCompound(nounStem: run)
        scratch.removeAll(keepingCapacity: true)
        CandidateExtractor.splitPoints(run, into: &scratch)
        w.splits = !scratch.isEmpty
        let first = Int32(splits.count)
        for k in scratch where k - run.startIndex >= 2 && k - run.startIndex <= 8 {
            let stem = run[..<k]
            let everyday = Vocabulary.koreanEverydayScalars.contains(stem)
            splits.append(Split(offset: Int32(k - run.startIndex), particleClass: CandidateExtractor.particleClass(run[k...]).bit,
                stemMayBeNoun: CandidateExtractor.mayBeNoun(stem), stemEveryday: everyday,
                stemGeneral: !everyday && Vocabulary.koreanGeneralScalars.contains(stem),
                stemTechnicalHead: Vocabulary.technicalHeadScalars.contains(stem)))
        }
        w.kept = first..<Int32(splits.count)
        return w
    }
}
