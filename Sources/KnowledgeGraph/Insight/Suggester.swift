/// A name the lexicon does not know yet, with its evidence.
public struct Suggestion: Sendable, Equatable {
    /// The name as most often written.
    public var name: String
    /// How it was found: wikilink, tag, heading, acronym, camelcase, definition, korean-word, variant.
    public var kinds: [String]
    /// For a likely variant or misspelling of a known entity, or the other side of an
    /// `X(Y)` definition whose other side is known: that entity.
    public var aliasOf: String?
    public var count: Int
    public var notes: Int
    public var examples: [Evidence]
}

/// Finds candidate concepts and companies in the notes that the lexicon misses.
public enum Suggester {
    struct Candidate {
        var surfaces: [String: Int] = [:]
        var kinds = Set<String>()
        var aliasOf: String?
        var count = 0
        var notes = Set<String>()
        var examples: [Evidence] = []
    }

    static let kindStrength: [String: Int] = [
        "variant": 4, "camelcase": 4, "definition": 4, "wikilink": 4, "tag": 3, "acronym": 3, "heading": 2, "korean-word": 1,
    ]

    static func key(_ s: String) -> String {
        Lexicon.keyString(s)
    }

    /// Candidates from every note's text, ranked by notes, then count, then name.
    public static func suggest(notes: [(path: String, text: String)], lexicon: Lexicon) -> [Suggestion] {
        var candidates: [String: Candidate] = [:]
        var knownKeys: [String: String] = [:]  // key of every name and alias -> canonical name
        for e in lexicon.entities {
            for n in [e.name] + e.aliases { knownKeys[key(n)] = e.name }
        }
        func add(_ surface: String, kind: String, note: String, line: Int, aliasOf: String? = nil) {
            let trimmed = surface.trimmingSpaces()
            let k = key(trimmed)
            if k.unicodeScalars.count < 2 || knownKeys[k] != nil { return }
            if k.unicodeScalars.allSatisfy({ ($0.value >= 0x30 && $0.value <= 0x39) || !Scalars.isWordScalar($0.value) && !Scalars.isHangulSyllable($0.value) }) {
                return
            }
            var c = candidates[k] ?? Candidate()
            c.surfaces[trimmed, default: 0] += 1
            c.kinds.insert(kind)
            if let a = aliasOf { c.aliasOf = c.aliasOf ?? a }
            c.count += 1
            c.notes.insert(note)
            if c.examples.count < 2 && !c.examples.contains(Evidence(note: note, line: line)) {
                c.examples.append(Evidence(note: note, line: line))
            }
            candidates[k] = c
        }
        // Korean stems seen before particles: stem -> particles and notes.
        var stems: [String: (particles: Set<String>, notes: Set<String>, count: Int, first: Evidence)] = [:]
        let latinKeys = knownKeys.filter { $0.key.unicodeScalars.allSatisfy { $0.value < 0x80 } }

        for (path, text) in notes {
            let note = MarkdownNote(text: text)
            for link in note.links where link.isWiki && !link.target.isEmpty {
                add(link.target, kind: "wikilink", note: path, line: Int(link.line))
            }
            for (n, r) in note.lines.enumerated() {
                for tagLine in tagsOn(note, r) { add(tagLine, kind: "tag", note: path, line: n + 1) }
            }
            for h in note.headings where h.text.unicodeScalars.count <= 30 && h.text.split(separator: " ").count <= 3 {
                add(h.text, kind: "heading", note: path, line: h.line)
            }
            for (n, r) in note.lines.enumerated() {
                let line = note.scan[r]
                var i = line.startIndex
                while i < line.endIndex {
                    let v = line[i]
                    if Scalars.isWordScalar(v) && v < 0x80 {
                        var j = i
                        while j < line.endIndex && Scalars.isWordScalar(line[j]) && line[j] < 0x80 { j += 1 }
                        let word = Scalars.string(line[i..<j])
                        classifyLatin(word, line: line, end: j, path: path, n: n, add: add, latinKeys: latinKeys, knownKeys: knownKeys)
                        i = j
                    } else if Scalars.isHangulSyllable(v) {
                        var j = i
                        while j < line.endIndex && Scalars.isHangulSyllable(line[j]) { j += 1 }
                        let run = Array(line[i..<j])
                        if j < line.endIndex && line[j] == 0x28, let close = line[j...].firstIndex(of: 0x29), close - j <= 40 {
                            definition(Scalars.string(line[i..<j]), Scalars.string(line[(j + 1)..<close]), path: path, n: n, knownKeys: knownKeys, add: add)
                        }
                        if run.count >= 3 {
                            for k in 2..<run.count where k <= 6 {
                                let rest = run[k...]
                                if Particles.fits(rest, after: run[k - 1]) && rest.count <= Particles.maxLength {
                                    let stem = Scalars.string(run[0..<k][...])
                                    var entry = stems[stem] ?? ([], [], 0, Evidence(note: path, line: n + 1))
                                    entry.particles.insert(Scalars.string(rest))
                                    entry.notes.insert(path)
                                    entry.count += 1
                                    stems[stem] = entry
                                    break
                                }
                            }
                        }
                        i = j
                    } else {
                        i += 1
                    }
                }
            }
        }
        for (stem, e) in stems where e.particles.count >= 2 && e.notes.count >= 2 {
            let k = key(stem)
            if knownKeys[k] != nil { continue }
            var c = candidates[k] ?? Candidate()
            c.surfaces[stem, default: 0] += e.count
            c.kinds.insert("korean-word")
            c.count += e.count
            c.notes.formUnion(e.notes)
            if c.examples.count < 2 && !c.examples.contains(e.first) { c.examples.append(e.first) }
            candidates[k] = c
        }
        var out: [Suggestion] = candidates.map { (_, c) in
            let name = c.surfaces.max { a, b in a.value != b.value ? a.value < b.value : b.key.utf8.bytesPrecede(a.key.utf8) }?.key ?? ""
            return Suggestion(name: name, kinds: c.kinds.sorted(), aliasOf: c.aliasOf, count: c.count, notes: c.notes.count,
                examples: c.examples)
        }
        // Strong signals first: a variant of a known name, a CamelCase word, a definition or a
        // wikilink name a concept more surely than a tag or acronym, and those more surely
        // than a heading or a word seen before particles.
        func strength(_ s: Suggestion) -> Int { s.kinds.map { Suggester.kindStrength[$0] ?? 0 }.max() ?? 0 }
        out.sort { a, b in
            let sa = strength(a)
            let sb = strength(b)
            if sa != sb { return sa > sb }
            if a.notes != b.notes { return a.notes > b.notes }
            if a.count != b.count { return a.count > b.count }
            return a.name.utf8.bytesPrecede(b.name.utf8)
        }
        return out
    }

    private static func tagsOn(_ note: MarkdownNote, _ r: Range<Int>) -> [String] {
        // Tags are collected per note; attribute them to the lines they occur on.
        note.tags.filter { tag in
            let needle = Array(("#" + tag).unicodeScalars.map(\.value))
            return note.scalars[r].firstRange(of: needle) != nil
        }
    }

    private static func classifyLatin(
        _ word: String, line: ArraySlice<UInt32>, end: Int, path: String, n: Int,
        add: (String, String, String, Int, String?) -> Void, latinKeys: [String: String], knownKeys: [String: String]
    ) {
        let scalars = Array(word.unicodeScalars.map(\.value))
        let uppers = scalars.filter { $0 >= 0x41 && $0 <= 0x5A }.count
        let lowers = scalars.filter { $0 >= 0x61 && $0 <= 0x7A }.count
        if end < line.endIndex && line[end] == 0x28, let close = line[end...].firstIndex(of: 0x29), close - end <= 40 {
            definition(word, Scalars.string(line[(end + 1)..<close]), path: path, n: n, knownKeys: knownKeys, add: add)
        }
        if uppers >= 2 && lowers == 0 && scalars.count <= 10 {
            add(word, "acronym", path, n + 1, nil)
        } else if uppers >= 1 && lowers >= 1 && scalars.dropFirst().contains(where: { $0 >= 0x41 && $0 <= 0x5A }) {
            add(word, "camelcase", path, n + 1, nil)  // an inner capital: LightGCN, MLflow, QnA
        }
        // A variant or misspelling of a known Latin name: one edit away, or an abbreviation
        // keeping the letters in order (lgbm → LightGBM).
        let lower = word.lowercased()
        if lower.count >= 4 {
            var best: String?
            for (k, canonical) in latinKeys.sorted(by: { $0.key < $1.key }) where k != lower {
                let a = Array(lower.unicodeScalars)
                let b = Array(k.unicodeScalars)
                if abs(a.count - b.count) <= 1 && Related.editDistance(a, b) == 1 && a.count >= 5 {
                    best = canonical
                    break
                }
                // An abbreviation of a one-word name, not just its beginning (deep ≠ DeepFM).
                let oneWord = b.allSatisfy { ($0.value >= 0x61 && $0.value <= 0x7A) || ($0.value >= 0x30 && $0.value <= 0x39) }
                if oneWord && b.count >= a.count + 2 && a.first == b.first && !b.starts(with: a) && !b.reversed().starts(with: a.reversed()) && isSubsequence(a, of: b) {
                    best = best ?? canonical
                }
            }
            if let best { add(word, "variant", path, n + 1, best) }
        }
    }

    private static func isSubsequence(_ a: [Unicode.Scalar], of b: [Unicode.Scalar]) -> Bool {
        var i = 0
        for c in b where i < a.count && c == a[i] { i += 1 }
        return i == a.count
    }

    /// `X(Y)`: a name and its long form. When one side is known, the other is suggested as
    /// its alias; otherwise X is suggested.
    private static func definition(
        _ x: String, _ y: String, path: String, n: Int, knownKeys: [String: String],
        add: (String, String, String, Int, String?) -> Void
    ) {
        guard y.unicodeScalars.contains(where: { Scalars.isWordScalar($0.value) || Scalars.isHangulSyllable($0.value) }) else { return }
        if let known = knownKeys[key(x)] {
            add(y, "definition", path, n + 1, known)
        } else if let known = knownKeys[key(y)] {
            add(x, "definition", path, n + 1, known)
        } else {
            add(x, "definition", path, n + 1, nil)
        }
    }
}
