#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One note found by a search, with the lines where its terms matched.
public struct SearchHit: Sendable, Equatable {
    public var note: String
    public var score: Double
    /// 1-based line numbers, ascending.
    public var lines: [Int]
    /// Where a term starts on each of `lines`: the ordinal of its first search token among
    /// the line's tokens (the first match of the line).
    public var firstTokens: [Int]
}

/// A parsed search query: terms that must all occur in a note.
public struct SearchQuery: Sendable, Equatable {
    enum Token: Sendable, Hashable {
        /// A whole token: a Latin word, a Hangul bigram or unigram, another letter.
        case exact(String)
        /// A one-syllable Hangul run inside or at the edge of a word.
        case syllable(String, edge: Edge)
    }

    enum Edge: Sendable, Hashable {
        /// The whole term: any token containing the syllable.
        case anywhere
        /// Followed by more of the term: the syllable ends a Hangul run.
        case endsRun
        /// Preceded by more of the term: the syllable starts a Hangul run.
        case startsRun
    }

    struct Term: Sendable, Equatable {
        var text: String
        /// The term's tokens as written, then as it may be spaced otherwise: a space next to
        /// a Hangul syllable is optional, in the query and in the text (`카카오엔터` finds
        /// `카카오 엔터`, and `"추천 시스템"` finds `추천시스템`).
        var variants: [[Token]]
        /// Lowercased text to find on the matching line, for terms with punctuation (`C++`).
        var literal: String?
        var tokens: [Token] { variants[0] }
    }

    /// Most spellings a term is searched in.
    static let variantLimit = 64

    var terms: [Term]
    /// Query parts that hold nothing to search for (`*`, `(`), reported to the user.
    public var ignored: [String]

    /// Whether no term is left to search for.
    public var isEmpty: Bool { terms.isEmpty }

    /// Parses words and `"quoted phrases"`; an unbalanced quote runs to the end.
    public init(_ text: String) {
        var parts: [String] = []
        var current = String.UnicodeScalarView()
        var quoted = false
        for s in Normalizer.normalize(text).unicodeScalars {
            if s == "\"" {
                if !current.isEmpty || quoted { parts.append(String(current)) }
                current = String.UnicodeScalarView()
                quoted.toggle()
            } else if !quoted && (Scalars.isSpace(s.value) || s == "\n") {
                if !current.isEmpty { parts.append(String(current)) }
                current = String.UnicodeScalarView()
            } else {
                current.append(s)
            }
        }
        if !current.isEmpty { parts.append(String(current)) }
        terms = []
        ignored = []
        for part in parts {
            let trimmed = part.trimmingSpaces()
            if trimmed.isEmpty { continue }
            if let term = SearchQuery.term(trimmed) {
                if !terms.contains(term) { terms.append(term) }
            } else {
                ignored.append(trimmed)
            }
        }
    }

    private static func term(_ text: String) -> Term? {
        let scalars = text.unicodeScalars.map { $0.value }
        guard let written = tokens(scalars) else { return nil }
        let needsLiteral = scalars.contains { v in
            !(Scalars.isWordScalar(v) || Scalars.isHangulSyllable(v) || Scalars.isOtherLetter(v) || Scalars.isSpace(v))
        }
        var literal: String?
        var variants = [written]
        if needsLiteral {
            literal = String(String.UnicodeScalarView(scalars.compactMap { Unicode.Scalar(Scalars.lowerASCII($0)) }))
        } else {
            for spelling in spacings(scalars) where variants.count < variantLimit {
                if let t = tokens(spelling), !variants.contains(t) { variants.append(t) }
            }
        }
        return Term(text: text, variants: variants, literal: literal)
    }

    /// The tokens of a term's scalars; nil when there is nothing to search for.
    private static func tokens(_ scalars: [UInt32]) -> [Token]? {
        var raw: [(String, Bool)] = []  // token, is one-syllable Hangul run
        Tokenizer.tokenize(scalars[...], startPosition: 0) { t, _ in
            let single = t.unicodeScalars.count == 1 && t.unicodeScalars.first.map { Scalars.isHangulSyllable($0.value) } == true
            raw.append((t, single))
        }
        if raw.isEmpty { return nil }
        var tokens: [Token] = []
        for (i, (t, single)) in raw.enumerated() {
            if !single {
                tokens.append(.exact(t))
            } else if raw.count == 1 {
                tokens.append(.syllable(t, edge: .anywhere))
            } else if i == 0 {
                tokens.append(.syllable(t, edge: .endsRun))
            } else if i == raw.count - 1 {
                tokens.append(.syllable(t, edge: .startsRun))
            } else {
                tokens.append(.exact(t))
            }
        }
        return tokens
    }

    /// Other spellings of a term that differ only in spaces between Hangul syllables (only
    /// those change its tokens): without them, and with up to two spaces put between
    /// syllables, in order.
    static func spacings(_ scalars: [UInt32]) -> [[UInt32]] {
        var joined: [UInt32] = []
        var i = 0
        while i < scalars.count {
            if Scalars.isSpace(scalars[i]), let before = joined.last, Scalars.isHangulSyllable(before) {
                var j = i
                while j < scalars.count && Scalars.isSpace(scalars[j]) { j += 1 }
                if j < scalars.count && Scalars.isHangulSyllable(scalars[j]) {
                    i = j
                    continue
                }
            }
            joined.append(scalars[i])
            i += 1
        }
        let gaps = joined.indices.dropLast().filter { Scalars.isHangulSyllable(joined[$0]) && Scalars.isHangulSyllable(joined[$0 + 1]) }
        func spaced(_ at: [Int]) -> [UInt32] {
            var out: [UInt32] = []
            for (k, v) in joined.enumerated() {
                out.append(v)
                if at.contains(k) { out.append(0x20) }
            }
            return out
        }
        var out = [joined]
        for a in gaps.indices {
            out.append(spaced([gaps[a]]))
            for b in (a + 1)..<gaps.count where out.count < variantLimit { out.append(spaced([gaps[a], gaps[b]])) }
        }
        return out
    }
}

/// What a search reads of an index: the dictionary in byte order, posting lists, each
/// note's length and record. The store's `IndexReader` is one.
public protocol TermIndex {
    func noteCount() throws(CorruptIndex) -> Int
    /// Tokens over all notes (for BM25's average note length).
    func tokenTotal() throws(CorruptIndex) -> Int
    func termTotal() throws(CorruptIndex) -> Int
    func term(at k: Int) throws(CorruptIndex) -> String
    func find(_ term: String) throws(CorruptIndex) -> Int?
    func range(prefix: String) throws(CorruptIndex) -> Range<Int>
    func postings(at k: Int, noteCount: Int) throws(CorruptIndex) -> Postings
    func tokenCount(_ id: Int) throws(CorruptIndex) -> Int32
    func note(at id: Int) throws(CorruptIndex) -> NoteRecord
}

/// Answers searches from the index: candidates from postings, phrases checked by position,
/// BM25 from the stored token counts; only the notes shown are decoded.
public struct Searcher {
    let reader: any TermIndex
    let noteCount: Int
    /// Reads a note's lines for display and for checking literal punctuation.
    let lines: (String) -> [String]?

    public init(index: any TermIndex, lines: @escaping (String) -> [String]?) throws(CorruptIndex) {
        self.reader = index
        self.noteCount = try index.noteCount()
        self.lines = lines
    }

    /// Positions of `token` per note, notes ascending; each token's list is read once per
    /// search.
    private func postings(_ token: SearchQuery.Token, _ cache: inout [SearchQuery.Token: Postings]) throws(CorruptIndex) -> Postings {
        if let p = cache[token] { return p }
        let p = try postings(token)
        cache[token] = p
        return p
    }

    /// Positions of `token` per note, notes ascending.
    private func postings(_ token: SearchQuery.Token) throws(CorruptIndex) -> Postings {
        var indices: [Int] = []
        switch token {
        case .exact(let t):
            if let k = try reader.find(t) { indices = [k] }
        case .syllable(let s, let edge):
            if let k = try reader.find(s) { indices.append(k) }
            if edge != .endsRun { indices.append(contentsOf: try reader.range(prefix: s).filter { $0 != indices.first }) }
            if edge != .startsRun {
                // Bigrams ending with the syllable: scan the Hangul part of the dictionary.
                let total = try reader.termTotal()
                let hangul = try reader.range(prefix: "\u{AC00}").lowerBound
                var k = max(0, hangul - 1)
                while k < total {
                    let t = try reader.term(at: k)
                    let u = t.unicodeScalars
                    if let f = u.first, f.value > 0xD7A3 { break }
                    if u.count == 2, String(u.last.map { Character($0) } ?? " ") == s, !indices.contains(k) { indices.append(k) }
                    k += 1
                }
            }
        }
        if indices.count == 1 { return try reader.postings(at: indices[0], noteCount: noteCount) }
        // Several terms (a syllable inside longer words): their lists merged note by note.
        let lists = try indices.map { (k: Int) throws(CorruptIndex) in try reader.postings(at: k, noteCount: noteCount) }
        var entries: [(note: Int32, list: Int32, k: Int32)] = []
        for (l, p) in lists.enumerated() {
            for k in p.notes.indices { entries.append((p.notes[k], Int32(l), Int32(k))) }
        }
        entries.sort { ($0.note, $0.list) < ($1.note, $1.list) }
        var out = Postings()
        var e = 0
        var positions: [Int32] = []
        while e < entries.count {
            let note = entries[e].note
            positions.removeAll(keepingCapacity: true)
            while e < entries.count && entries[e].note == note {
                positions.append(contentsOf: lists[Int(entries[e].list)].positions(at: Int(entries[e].k)))
                e += 1
            }
            positions.sort()
            out.append(note: note, positions: positions)
        }
        return out
    }

    /// Occurrences of a term per note, in any of its spellings: the start positions where
    /// all the tokens of one spelling follow one another; notes ascending.
    private func occurrences(_ term: SearchQuery.Term, _ cache: inout [SearchQuery.Token: Postings]) throws(CorruptIndex) -> Postings {
        var found = try occurrences(term.variants[0], &cache)
        for variant in term.variants.dropFirst() { found = Searcher.union(found, try occurrences(variant, &cache)) }
        return found
    }

    /// Positions in either list, per note; notes ascending.
    static func union(_ a: Postings, _ b: Postings) -> Postings {
        if b.notes.isEmpty { return a }
        if a.notes.isEmpty { return b }
        var out = Postings()
        var i = 0
        var j = 0
        while i < a.notes.count || j < b.notes.count {
            if j == b.notes.count || (i < a.notes.count && a.notes[i] < b.notes[j]) {
                out.append(note: a.notes[i], positions: Array(a.positions(at: i)))
                i += 1
            } else if i == a.notes.count || b.notes[j] < a.notes[i] {
                out.append(note: b.notes[j], positions: Array(b.positions(at: j)))
                j += 1
            } else {
                out.append(note: a.notes[i], positions: Array(Set(a.positions(at: i)).union(b.positions(at: j))).sorted())
                i += 1
                j += 1
            }
        }
        return out
    }

    /// Occurrences of one spelling of a term.
    private func occurrences(_ tokens: [SearchQuery.Token], _ cache: inout [SearchQuery.Token: Postings]) throws(CorruptIndex) -> Postings {
        var lists: [Postings] = []
        for t in tokens { lists.append(try postings(t, &cache)) }
        guard let first = lists.first else { return Postings() }
        if lists.count == 1 { return first }
        var out = Postings()
        var cursors = [Int](repeating: 0, count: lists.count)
        var starts: [Int32] = []
        notes: for k in first.notes.indices {
            let note = first.notes[k]
            for i in 1..<lists.count {
                let l = lists[i]
                while cursors[i] < l.notes.count && l.notes[cursors[i]] < note { cursors[i] += 1 }
                if cursors[i] == l.notes.count { break notes }
                if l.notes[cursors[i]] != note { continue notes }
            }
            starts.removeAll(keepingCapacity: true)
            var inner = [Int](repeating: 0, count: lists.count)
            for p in first.positions(at: k) {
                var all = true
                for i in 1..<lists.count {
                    let ps = lists[i].positions(at: cursors[i])
                    let want = p + Int32(i)
                    var c = max(inner[i], ps.startIndex)
                    while c < ps.endIndex && ps[c] < want { c += 1 }
                    inner[i] = c
                    if c == ps.endIndex || ps[c] != want {
                        all = false
                        break
                    }
                }
                if all { starts.append(p) }
            }
            if !starts.isEmpty { out.append(note: note, positions: starts) }
        }
        return out
    }

    static func line(of position: Int32, in note: NoteRecord) -> Int {
        let starts = note.lineTokenStarts
        var lo = 0
        var hi = starts.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if starts[mid] <= position { lo = mid + 1 } else { hi = mid }
        }
        return max(1, lo)
    }

    /// Notes containing every term, ranked by BM25 (k1 = 1.2, b = 0.75), ties by path; the
    /// best `limit` with their matching lines, and how many notes matched in all.
    public func search(_ query: SearchQuery, limit: Int = Int.max) throws(CorruptIndex) -> (hits: [SearchHit], total: Int) {
        guard !query.terms.isEmpty, noteCount > 0 else { return ([], 0) }
        var records: [Int32: NoteRecord] = [:]
        func record(_ id: Int32) throws(CorruptIndex) -> NoteRecord {
            if let r = records[id] { return r }
            let r = try reader.note(at: Int(id))
            records[id] = r
            return r
        }
        var perTerm: [Postings] = []
        var cache: [SearchQuery.Token: Postings] = [:]
        for term in query.terms {
            let found = try occurrences(term, &cache)
            guard let literal = term.literal else {
                perTerm.append(found)
                continue
            }
            var kept = Postings()
            for k in found.notes.indices {
                let r = try record(found.notes[k])
                guard let text = lines(r.path) else { continue }
                let starts = found.positions(at: k).filter { p in
                    let n = Searcher.line(of: p, in: r)
                    return n <= text.count && Searcher.lower(text[n - 1]).contains(literal)
                }
                if !starts.isEmpty { kept.append(note: found.notes[k], positions: starts) }
            }
            perTerm.append(kept)
        }
        // Notes in every term's list, with where they stand in each.
        var matched: [(note: Int32, at: [Int])] = []
        var cursors = [Int](repeating: 0, count: perTerm.count)
        notes: for k in perTerm[0].notes.indices {
            let note = perTerm[0].notes[k]
            var at = [k]
            for t in perTerm.indices.dropFirst() {
                let l = perTerm[t]
                while cursors[t] < l.notes.count && l.notes[cursors[t]] < note { cursors[t] += 1 }
                if cursors[t] == l.notes.count { break notes }
                if l.notes[cursors[t]] != note { continue notes }
                at.append(cursors[t])
            }
            matched.append((note, at))
        }
        let n = Double(noteCount)
        let avgdl = max(1, Double(try reader.tokenTotal()) / n)
        let idf = perTerm.map { t in
            let df = Double(t.notes.count)
            return log(1 + (n - df + 0.5) / (df + 0.5))
        }
        // The best `limit`, kept sorted as they come: most notes fall below the last kept.
        func better(_ a: (score: Double, m: Int), _ b: (score: Double, m: Int)) -> Bool {
            a.score != b.score ? a.score > b.score : matched[a.m].note < matched[b.m].note
        }
        var best: [(score: Double, m: Int)] = []
        let keep = max(0, min(limit, matched.count))
        for (m, entry) in matched.enumerated() {
            let dl = Double(try reader.tokenCount(Int(entry.note)))
            var score = 0.0
            for (t, k) in entry.at.enumerated() {
                let tf = Double(perTerm[t].offsets[k + 1] - perTerm[t].offsets[k])
                score += idf[t] * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * dl / avgdl))
            }
            let item = (score: (score * 1000).rounded() / 1000, m: m)
            if best.count == keep {
                guard let last = best.last, better(item, last) else { continue }
                best.removeLast()
            }
            var lo = 0
            var hi = best.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if better(best[mid], item) { lo = mid + 1 } else { hi = mid }
            }
            best.insert(item, at: lo)
        }
        var hits: [SearchHit] = []
        for b in best {
            let entry = matched[b.m]
            let r = try record(entry.note)
            // Each matching line, with the first term start on it.
            var first: [Int: Int] = [:]
            for (t, k) in entry.at.enumerated() {
                for p in perTerm[t].positions(at: k) {
                    let line = Searcher.line(of: p, in: r)
                    let token = line - 1 < r.lineTokenStarts.count ? Int(p &- r.lineTokenStarts[line - 1]) : 0
                    first[line] = min(first[line] ?? token, token)
                }
            }
            let lines = first.keys.sorted()
            hits.append(SearchHit(note: r.path, score: b.score, lines: lines, firstTokens: lines.map { first[$0] ?? 0 }))
        }
        return (hits, matched.count)
    }

    static func lower(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { Unicode.Scalar(Scalars.lowerASCII($0.value)) ?? $0 }))
    }
}
