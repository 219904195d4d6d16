/// Finds the candidate names of one note: Latin technical terms (acronyms, mixed case,
/// letters with digits, capitalized words and phrases, hyphenated terms), Hangul nouns seen
/// before particles or alone, compounds, company cues, and structure (wikilink targets,
/// tags, headings, `X(Y)` definitions). Everyday Korean and English words are left out.
struct CandidateExtractor {
    /// Bumped whenever the candidate rules or the rules that decide from them (`Discoverer`,
    /// `Vocabulary`, `KnownNames`) change: statistics of another version are summed again
    /// from the notes, and every name is decided again.
    static let version: UInt8 = 7

    /// What the note shows of one key. Keys and spellings are scalars in two arenas, found
    /// through a hash of their own: no `String` is hashed, and a key costs no allocation of
    /// its own (a second spelling of it, rare, an array).
    struct Found {
        var key: Range<Int>
        /// The first spelling (in `texts`) and how often it was written.
        var first: Range<Int>
        var firstCount: Int32 = 1
        var others: [(text: [UInt32], count: Int32)] = []
        var count: Int32 = 0
        var signals: UInt32 = 0
    }
    private(set) var found: [Found] = []
    private(set) var keys: [UInt32] = []
    private(set) var texts: [UInt32] = []
    /// A table of `found` by the hash of their keys (`hashes`; `HashSlots`).
    private var slots = [Int32](repeating: -1, count: 256)
    private var hashes: [UInt64] = []
    private var scratch: [UInt32] = []
    /// The line being scanned, and its ASCII lowercased copy (reused from line to line).
    var line: [UInt32] = []
    var lowered: [UInt32] = []
    /// The Hangul words scanned so far, analysed once each.
    private var hangulRuns = HangulRuns()
    /// Capitalized words in a row in the line being scanned (`flushPhrase`).
    private var phrase: [PhraseWord] = []
    /// The words of the line's short inline code spans, at their places, the rest blank
    /// (`codeSpans`); empty when it has none.
    var codeWords: [UInt32] = []
    /// A word of a phrase, in the line; `ampersand`: ` & ` joins it to the next.
    private struct PhraseWord {
        var start: Int
        var end: Int
        var signals: UInt32
        var ampersand = false
        /// The word as the phrase writes it: with ` &` when the next is joined so.
        var text: Range<Int> { start..<(ampersand ? end + 2 : end) }
    }

    /// Forgets the last note's candidates, keeping the room they took (a table grown large
    /// for one long note is made small again).
    mutating func reset() {
        found.removeAll(keepingCapacity: true)
        keys.removeAll(keepingCapacity: true)
        texts.removeAll(keepingCapacity: true)
        hashes.removeAll(keepingCapacity: true)
        if slots.count > 1024 {
            slots = [Int32](repeating: -1, count: 256)
        } else {
            for k in slots.indices { slots[k] = -1 }
        }
    }

    static func candidates(of note: MarkdownNote) -> [NoteCandidate] {
        var x = CandidateExtractor()
        x.scan(note)
        return x.keyOrder().map { k in
            let v = x.found[k]
            let key = Scalars.string(x.keys[v.key])
            if v.others.isEmpty {
                return NoteCandidate(key: key, surfaces: [Scalars.string(x.texts[v.first])], surfaceCounts: [v.firstCount], count: v.count,
                    signals: v.signals)
            }
            let ranked = x.rankedSpellings(v)
            return NoteCandidate(key: key, surfaces: ranked.map { Scalars.string($0.text[...]) }, surfaceCounts: ranked.map(\.count),
                count: v.count, signals: v.signals)
        }
    }

    /// The indices of `found` in the order of their keys. Scalar order is UTF-8 byte order:
    /// keys are sorted as scalars, before any String is made.
    func keyOrder() -> [Int] {
        // The keys' places, read where they lie: a closure that reads `found` would copy the
        // extractor at every comparison.
        let places = found.map(\.key)
        return keys.withUnsafeBufferPointer { k in
            places.withUnsafeBufferPointer { p in
                p.indices.sorted { a, b in
                    UnsafeBufferPointer(rebasing: k[p[a]]).lexicographicallyPrecedes(UnsafeBufferPointer(rebasing: k[p[b]]))
                }
            }
        }
    }

    /// The spellings of a candidate written more than one way, most frequent first (ties in
    /// scalar order), at most three.
    func rankedSpellings(_ f: Found) -> ArraySlice<(text: [UInt32], count: Int32)> {
        let all = [(text: Array(texts[f.first]), count: f.firstCount)] + f.others
        return all.sorted { $0.count != $1.count ? $0.count > $1.count : $0.text.lexicographicallyPrecedes($1.text) }.prefix(3)
    }

    /// A name from the note's structure (a link target, a tag, a heading).
    private mutating func add(_ surface: String, _ signals: UInt32, shortest: Int = 2) {
        add(Normalizer.normalize(surface).unicodeScalars.map(\.value)[...], signals, shortest: shortest)
    }

    /// A name as written in the note's (normalized) text, of at least `shortest` scalars.
    private mutating func add(_ surface: ArraySlice<UInt32>, _ signals: UInt32, shortest: Int = 2) {
        var lo = surface.startIndex
        var hi = surface.endIndex
        while lo < hi && Scalars.isSpace(surface[lo]) { lo += 1 }
        while hi > lo && Scalars.isSpace(surface[hi - 1]) { hi -= 1 }
        let trimmed = surface[lo..<hi]
        Lexicon.appendKey(normalized: trimmed, to: &scratch)
        defer { scratch.removeAll(keepingCapacity: true) }
        guard scratch.count >= shortest, scratch.count <= 60 else { return }
        let hash = HashSlots.hash(scratch)
        var p = HashSlots.home(hash, slots)
        var i = -1
        while slots[p] >= 0 {
            let k = Int(slots[p])
            if hashes[k] == hash && keys[found[k].key].elementsEqual(scratch) {
                i = k
                break
            }
            p = (p + 1) & (slots.count - 1)
        }
        if i < 0 {
            i = found.count
            keys += scratch
            texts += trimmed
            found.append(Found(key: (keys.count - scratch.count)..<keys.count, first: (texts.count - trimmed.count)..<texts.count))
            hashes.append(hash)
            slots[p] = Int32(i)
            HashSlots.grow(&slots, hashes: hashes)
        }
        if found[i].count == 0 {
            // Just added, with this spelling first.
        } else if texts[found[i].first].elementsEqual(trimmed) {
            found[i].firstCount += 1
        } else if let s = found[i].others.firstIndex(where: { $0.text.elementsEqual(trimmed) }) {
            found[i].others[s].count += 1
        } else {
            found[i].others.append((Array(trimmed), 1))
        }
        found[i].count += 1
        found[i].signals |= signals
    }

    mutating func scan(_ note: MarkdownNote) {
        hangulRuns.forgetIfFull()
        var companySection = false
        var headingLines = [Bool](repeating: false, count: note.lines.count)
        for h in note.headings where h.line >= 1 && h.line <= headingLines.count { headingLines[h.line - 1] = true }
        var displayMath = false
        for (n, r) in note.lines.enumerated() {
            line.removeAll(keepingCapacity: true)
            line.append(contentsOf: note.scan[r])
            // The lowercased copy is written in place (appending checked its room and
            // ownership at every scalar).
            lowered.removeAll(keepingCapacity: true)
            lowered.append(contentsOf: line)
            var hangul = false
            var dollar = false
            var backtick = false
            var marks = false
            lowered.withUnsafeMutableBufferPointer { b in
                for k in b.indices {
                    let v = b[k]
                    b[k] = v == 0 ? 0x20 : Scalars.lowerASCII(v)
                    if Scalars.isHangulSyllable(v) {
                        hangul = true
                    } else if v == 0x24 {
                        dollar = true
                    } else if v == 0x60 {
                        backtick = true
                        marks = true
                    } else if v == 0x2A || v == 0x7E {
                        marks = true
                    }
                }
            }
            if dollar || displayMath { blankMath(&displayMath) }
            let heading = headingLines[n]
            if heading {
                companySection = Vocabulary.companyHeadingScalars.occurs(in: lowered)
            }
            var cues: UInt32 = Vocabulary.companyContextScalars.occurs(in: lowered) ? Signal.companyContext.bit : 0
            let trimmed = lowered.drop(while: { $0 == 0x20 || $0 == 0x09 })
            let second = trimmed.dropFirst().first
            let listItem = (trimmed.first.map { $0 == 0x2D || $0 == 0x2A || $0 == 0x2B } ?? false) && second == 0x20
                || (trimmed.first.map(CandidateExtractor.isDigit) ?? false && zip(trimmed, trimmed.dropFirst()).contains { $0 == 0x2E && $1 == 0x20 })
            if companySection && (listItem || heading) { cues |= Signal.companyList.bit }
            if backtick { codeSpans() } else if !codeWords.isEmpty { codeWords.removeAll(keepingCapacity: true) }
            if marks && hangul { unwrapEmphasis() }
            scanLine(line, cues: cues | Signal.prose.bit, heading: heading, korean: hangul)
            if !codeWords.isEmpty {
                // The words of the short code spans, on their own.
                line = codeWords
                lowered = line.map { $0 == 0 ? 0x20 : Scalars.lowerASCII($0) }
                scanLine(line, cues: cues | Signal.code.bit, heading: false, korean: false)
            }
        }
        for l in note.links where l.isWiki {
            // The page without its heading, as links resolve it (`NoteKeys.target`).
            let page = l.target.utf8.firstIndex(of: 0x23).map { l.target[..<$0] } ?? l.target[...]
            let last = String(page.utf8.split(separator: 0x2F).last.map(Substring.init) ?? page)
            let name = NoteKeys.withoutNoteExtension(last)
            // Everyday and one-letter targets too: such a title can be an entity that matches
            // only inside links (`Discoverer`).
            if NoteKeys.fileExtension(name) == nil { add(name, Signal.wikilink.bit | Signal.prose.bit, shortest: 1) }
        }
        for t in note.tags + (note.frontMatter["tags"] ?? []) {
            let last = String(t.split(separator: "/").last ?? Substring(t))
            if last.unicodeScalars.contains(where: { Scalars.isHangulSyllable($0.value) || CandidateExtractor.isUpper($0.value) || CandidateExtractor.isLower($0.value) }),
                !CandidateExtractor.everyday(last)
            {
                add(last, Signal.tag.bit | Signal.prose.bit)
            }
        }
        // Short headings of one to three words, without digits, `:` or `?`, and not everyday
        // words (the cheaper tests first).
        for h in note.headings where h.text.utf8.count <= 120 && h.text.unicodeScalars.count <= 30 {
            if !h.text.unicodeScalars.contains(where: { CandidateExtractor.isDigit($0.value) || $0 == ":" || $0 == "?" }),
                case let words = h.text.split(separator: " "), words.count >= 1 && words.count <= 3, !CandidateExtractor.everyday(h.text)
            {
                add(h.text, Signal.heading.bit | Signal.prose.bit)
            }
        }
    }

    /// `korean`: the line has Hangul.
    private mutating func scanLine(_ line: [UInt32], cues: UInt32, heading: Bool, korean hangul: Bool) {
        let korean = hangul ? Signal.latinInKorean.bit : 0
        var i = 0
        let end = line.count
        // A bare Hangul word (its start, the end of its run, and whether it is an everyday or
        // general word) that may begin a compound.
        var previousBareHangul: (start: Int, end: Int, common: Bool)?
        phrase.removeAll(keepingCapacity: true)
        func flushPhrase() { self.flushPhrase(line, cues) }
        /// The Hangul run at `k` (empty when none).
        func hangulRun(at k: Int) -> ArraySlice<UInt32> {
            var e = k
            while e < end && Scalars.isHangulSyllable(line[e]) { e += 1 }
            return line[k..<e]
        }
        /// Whether the Hangul run at `k` is a title (`멘토`, `교수님께서`).
        func titleAt(_ k: Int) -> Bool {
            let run = hangulRun(at: k)
            return !run.isEmpty && hangulRuns.word(run).title
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
                // CI/CD, W&B: two short words joined by / or &; Wide&Deep: two capitalized words
                // joined by &.
                if j + 1 < end && (line[j] == 0x2F || line[j] == 0x26) && CandidateExtractor.isUpper(line[j + 1]) && j - i <= 12 {
                    var k = j + 1
                    while k < end && CandidateExtractor.isLatinWord(line[k]) { k += 1 }
                    var joined: UInt32 = 0
                    if j - i <= 4 && k - j - 1 <= 4 && line[i..<j].allSatisfy({ !CandidateExtractor.isLower($0) })
                        && line[(j + 1)..<k].allSatisfy({ !CandidateExtractor.isLower($0) })
                    {
                        joined = Signal.acronym.bit
                    } else if line[j] == 0x26 && CandidateExtractor.isUpper(line[i]) && k - j - 1 <= 12 {
                        joined = Signal.mixedCase.bit
                    }
                    if joined != 0 {
                        add(line[i..<k], joined | cues)
                        definition(line, i..<k, cues)
                        i = k
                        flushPhrase()
                        continue
                    }
                }
                let word = line[i..<j]
                let atStart = CandidateExtractor.sentenceStart(line, i)
                // Glued to Hangul (`SK텔레콤`, `삼성SDS`): part of a mixed name, not a word of its own;
                // but a word followed by a particle alone (`EDA를`, `CNS에서는`) is.
                var glued = i > 0 && Scalars.isHangulSyllable(line[i - 1])
                if !glued && j < end && Scalars.isHangulSyllable(line[j]) {
                    glued = !hangulRuns.word(hangulRun(at: j)).particleForm
                }
                if let bits = CandidateExtractor.shape(word, lowered: lowered[i..<j]) {
                    var signals = bits | cues
                    if atStart && bits & Signal.capitalized.bit != 0 { signals = (signals & ~Signal.capitalized.bit) | Signal.sentenceStart.bit }
                    let capital = bits & (Signal.capitalized.bit | Signal.acronym.bit | Signal.mixedCase.bit) != 0
                    if !capital || (glued && bits & Signal.acronym.bit != 0) {
                        flushPhrase()
                        if bits & Signal.lowercase.bit != 0 { signals |= korean }
                        if !glued || bits & Signal.acronym.bit == 0 { add(word, signals) }
                    } else if phrase.isEmpty || (phrase.last.map { CandidateExtractor.joins(line, $0.end, i) } ?? false) {
                        if let last = phrase.last, last.end + 1 != i { phrase[phrase.count - 1].ampersand = true }
                        phrase.append(PhraseWord(start: i, end: j, signals: signals))
                    } else {
                        flushPhrase()
                        phrase.append(PhraseWord(start: i, end: j, signals: signals))
                    }
                    // LG전자, SK텔레콤: Latin capitals glued to a company ending.
                    if bits & Signal.acronym.bit != 0, j < end, Scalars.isHangulSyllable(line[j]) {
                        var k = j
                        while k < end && Scalars.isHangulSyllable(line[k]) { k += 1 }
                        let stem = CandidateExtractor.stem(line[j..<k])
                        if Vocabulary.companyEndingScalars.ends(stem) {
                            add(line[i..<stem.endIndex], Signal.mixedScript.bit | cues)
                        }
                    }
                    // CJ 올리브네트웍스: capitals, a space, a Hangul company name.
                    if bits & Signal.acronym.bit != 0, j + 1 < end, line[j] == 0x20, Scalars.isHangulSyllable(line[j + 1]) {
                        var k = j + 1
                        while k < end && Scalars.isHangulSyllable(line[k]) { k += 1 }
                        let stem = CandidateExtractor.stem(line[(j + 1)..<k])
                        if Vocabulary.companyEndingScalars.ends(stem) {
                            add(line[i..<stem.endIndex], Signal.mixedScript.bit | cues)
                            add(stem, Signal.compoundTail.bit)
                            if phrase.last?.start == i { phrase.removeLast() }  // not a word of its own
                        }
                    }
                    definition(line, i..<j, cues)
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
                let run = line[i..<j]
                let word = hangulRuns.word(run)
                // A person: a full name glued to a title (`김학수교수`, `한기용님이`), or before
                // one (`김찬란 멘토`).
                if word.nameBeforeTitle > 0 || j + 1 < end && line[j] == 0x20 && word.fullName && titleAt(j + 1) {
                    add(word.nameBeforeTitle > 0 ? run.prefix(Int(word.nameBeforeTitle)) : run, Signal.person.bit | cues)
                    previousBareHangul = nil
                    i = j
                    continue
                }
                let gluedToLatin = (i > 0 && CandidateExtractor.isLatinWord(line[i - 1])) || (j < end && CandidateExtractor.isUpper(line[j]))
                let verb = gluedToLatin || word.verbForm
                // Every split before a particle is evidence for its stem: the true noun gathers
                // the most kinds of particles across the vault (`텐서플로는` is 텐서플로 + 는
                // and 텐서플 + 로는; only the first is also seen before 를, 가, 의).
                let particle = !verb && word.splits
                if verb || !word.mayBeNoun && !particle {
                    previousBareHangul = nil
                } else if particle {
                    for s in word.kept {
                        let split = hangulRuns.splits[Int(s)]
                        guard split.stemMayBeNoun else { continue }
                        let k = i + Int(split.offset)
                        let splitStem = run[..<k]
                        let (everyday, general) = (split.stemEveryday, split.stemGeneral)
                        if !everyday && !general { add(splitStem, Signal.particle.bit | split.particleClass | cues) }
                        // A compound's head: not an everyday word unless a technical one
                        // (`추천 시스템`), and a general one only after a word that is neither
                        // (`선형 변환`, not `현재 위치`).
                        if let prev = previousBareHangul, prev.end + 1 == i, line[prev.end] == 0x20,
                            everyday ? split.stemTechnicalHead : !general || split.stemTechnicalHead || !prev.common
                        {
                            add(line[prev.start..<k], Signal.compound.bit | Signal.particle.bit | split.particleClass | cues)
                            add(splitStem, Signal.compoundTail.bit)
                        }
                    }
                    previousBareHangul = nil
                } else if run.count >= 2 && run.count <= 8 {
                    // A bare word that may be a noun (tested above: no particle, no verb form).
                    if !word.common { add(run, Signal.alone.bit | cues) }
                    previousBareHangul = word.startsCompound ? (i, j, word.common) : nil
                } else {
                    previousBareHangul = nil
                }
                // 삼성SDS: Hangul glued to Latin capitals.
                if j < end && CandidateExtractor.isUpper(line[j]) && !particle && run.count >= 2 {
                    var k = j
                    while k < end && CandidateExtractor.isLatinWord(line[k]) { k += 1 }
                    if line[j..<k].allSatisfy({ !CandidateExtractor.isLower($0) }) && k - j >= 2 {
                        add(line[i..<k], Signal.mixedScript.bit | cues)
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

    /// X(Y) right after the name at `word`: the name and its long form, both noted as defined;
    /// not a call (`reshape(x)`, `sum(...)`: no capital in X).
    private mutating func definition(_ line: [UInt32], _ word: Range<Int>, _ cues: UInt32) {
        let (j, end) = (word.upperBound, line.count)
        guard j < end && line[j] == 0x28, line[word].contains(where: CandidateExtractor.isUpper), let close = line[j...].firstIndex(of: 0x29),
            close - j <= 40, close > j + 1
        else { return }
        let inner = line[(j + 1)..<close]
        var words = 0
        var inWord = false
        for c in inner {
            if c == 0x20 { inWord = false } else if !inWord { inWord = true; words += 1 }
        }
        if words >= 1 && words <= 5 {
            add(line[word], Signal.definition.bit | cues)
            add(inner, Signal.definition.bit | cues)
        }
    }

    /// Capitalized words in a row: one phrase (`Factorization Machine`, `LG CNS`) of at most
    /// four words, or, when alone, a word; a word of a phrase is not a candidate of its own
    /// unless its shape says more (mixed case, digits). The words of a phrase follow each
    /// other in the line, joined by a space or ` & `: the phrase is the line from its first
    /// word to its fourth.
    private mutating func flushPhrase(_ line: [UInt32], _ cues: UInt32) {
        if phrase.isEmpty { return }  // most places: nothing to flush, nothing to empty
        if phrase.count >= 2 {
            add(line[phrase[0].start..<phrase[min(phrase.count, 4) - 1].text.upperBound], Signal.capitalizedPhrase.bit | cues)
            for w in phrase where w.signals & (Signal.mixedCase.bit | Signal.alphanumeric.bit) != 0 { add(line[w.text], w.signals) }
        } else if let w = phrase.first {
            add(line[w.text], w.signals)
        }
        phrase.removeAll(keepingCapacity: true)
    }
}
