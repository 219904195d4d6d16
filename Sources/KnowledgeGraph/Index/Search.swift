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

/// What a search reads of an index: the dictionary in byte order, posting lists, each
/// note's length and record. The store's `IndexReader` is one.
public protocol TermIndex {
    func noteCount() throws(CorruptIndex) -> Int
    /// Tokens over all notes (for BM25's average note length).
    func tokenTotal() throws(CorruptIndex) -> Int
    func termTotal() throws(CorruptIndex) -> Int
    func term(at k: Int) throws(CorruptIndex) -> String
    /// The term at `k` as UTF-8 bytes, valid while the index is open.
    func termBytes(_ k: Int) throws(CorruptIndex) -> UnsafeRawBufferPointer
    func find(_ term: String) throws(CorruptIndex) -> Int?
    func range(prefix: String) throws(CorruptIndex) -> Range<Int>
    func postings(at k: Int, noteCount: Int) throws(CorruptIndex) -> Postings
    /// The entries of the list at `k` for `notes` (ascending) only.
    func postings(at k: Int, noteCount: Int, within notes: [Int32]) throws(CorruptIndex) -> Postings
    /// The size of the list at `k`, without reading it.
    func postingByteCount(at k: Int) throws(CorruptIndex) -> Int
    /// Every note's token count at once (a search scores tens of thousands of notes).
    func noteLengths() throws(CorruptIndex) -> IndexReader.NoteLengths
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
    private func postings(_ token: SearchQuery.Token, _ cache: inout [SearchQuery.Token: Postings], indices: [Int]? = nil) throws(CorruptIndex) -> Postings {
        if let p = cache[token] { return p }
        let ks: [Int]
        if let indices { ks = indices } else { ks = try termIndices(token) }
        let p = try postings(ks)
        cache[token] = p
        return p
    }

    /// Positions of the terms at dictionary positions `indices` per note, notes ascending.
    private func postings(_ indices: [Int]) throws(CorruptIndex) -> Postings {
        if indices.isEmpty { return Postings() }
        if indices.count == 1 { return try reader.postings(at: indices[0], noteCount: noteCount) }
        // Several terms (a syllable inside longer words): their lists merged note by note.
        return Postings.union(try indices.map { (k: Int) throws(CorruptIndex) in try reader.postings(at: k, noteCount: noteCount) })
    }

    /// The dictionary positions of the terms `token` stands for.
    private func termIndices(_ token: SearchQuery.Token) throws(CorruptIndex) -> [Int] {
        var indices: [Int] = []
        switch token {
        case .exact(let t):
            if let k = try reader.find(t) { indices = [k] }
        case .prefix(let p):
            indices = Array(try reader.range(prefix: p))
        case .syllable(let s, let edge):
            if let k = try reader.find(s) { indices.append(k) }
            if edge != .endsRun { indices.append(contentsOf: try reader.range(prefix: s).filter { $0 != indices.first }) }
            if edge != .startsRun {
                // Bigrams ending with the syllable: scan the Hangul part of the dictionary.
                // Compared as bytes: a bigram is two 3-byte syllables, and Hangul ends below
                // the first 3-byte sequence past U+D7A3 (ED 9E A4).
                let total = try reader.termTotal()
                let hangul = try reader.range(prefix: "\u{AC00}").lowerBound
                let tail = Array(s.utf8)
                let earlier = Set(indices)
                var k = max(0, hangul - 1)
                while k < total {
                    let t = try reader.termBytes(k)
                    if t.count >= 3 && (t[0] > 0xED || t[0] == 0xED && (t[1] > 0x9E || t[1] == 0x9E && t[2] >= 0xA4)) { break }
                    if tail.count == 3 && t.count == 6 && t[3] == tail[0] && t[4] == tail[1] && t[5] == tail[2]
                        && Scalars.isHangulSyllable(UInt32(t[0] & 0x0F) << 12 | UInt32(t[1] & 0x3F) << 6 | UInt32(t[2] & 0x3F))
                        && !earlier.contains(k)
                    {
                        indices.append(k)
                    }
                    k += 1
                }
            }
        }
        return indices
    }

    /// Occurrences of a term per note, in any of its spellings: the start positions where
    /// all the tokens of one spelling follow one another; notes ascending.
    private func occurrences(_ term: SearchQuery.Term, _ cache: inout [SearchQuery.Token: Postings]) throws(CorruptIndex) -> Postings {
        var found: [(tokens: [SearchQuery.Token], at: Postings)] = []
        for variant in term.variants { found.append((variant, try occurrences(variant, &cache, earlier: found))) }
        return Postings.union(found.map(\.at))
    }

    /// Occurrences of one spelling of a term: the token whose lists are smallest is read
    /// whole, the others (in size order) only in the notes that still hold the phrase, so a
    /// common syllable's many lists cost little next to a rare word.
    ///
    /// `earlier`: the spellings already searched, with where they hold (positions of their
    /// first token). A text position holds one token: where an earlier spelling holds a
    /// token that a token of this one cannot be, this one does not hold, so those positions
    /// are dropped before that token's many lists are read (`카카오` already holds where
    /// `카카` is followed by `카오`; `카카 오…` need not look there).
    private func occurrences(
        _ tokens: [SearchQuery.Token], _ cache: inout [SearchQuery.Token: Postings], earlier: [(tokens: [SearchQuery.Token], at: Postings)] = []
    ) throws(CorruptIndex) -> Postings {
        guard tokens.count > 1 else { return tokens.isEmpty ? Postings() : try postings(tokens[0], &cache) }
        let indices = try tokens.map { (t) throws(CorruptIndex) in try termIndices(t) }
        var sizes: [Int] = []
        for ks in indices {
            var size = 0
            for k in ks { size += try reader.postingByteCount(at: k) }
            sizes.append(size)
        }
        let order = tokens.indices.sorted { sizes[$0] != sizes[$1] ? sizes[$0] < sizes[$1] : $0 < $1 }
        let anchor = order[0]
        // Positions of the anchor token where the phrase holds so far.
        var out = try postings(tokens[anchor], &cache, indices: indices[anchor])
        for i in order.dropFirst() {
            if out.notes.isEmpty { break }
            let gap = Int32(i - anchor)
            if let whole = cache[tokens[i]] {
                out = Postings.followed(out, by: whole, gap: gap)
            } else {
                if indices[i].count > 1 {
                    let group = Set(indices[i])
                    for (other, at) in earlier where !at.notes.isEmpty && !out.notes.isEmpty {
                        for (j, t) in other.enumerated() {
                            guard case .exact = t, let x = try termIndices(t).first, !group.contains(x) else { continue }
                            out = Postings.notFollowed(out, by: at, gap: Int32(i - anchor - j))
                        }
                    }
                    if out.notes.isEmpty { break }
                }
                // Each of the token's lists in the notes left, the phrase checked against it
                // alone: what is left of each is small, and only that is merged.
                let notes = out.notes
                let phrase = out
                out = Postings.union(try indices[i].map { (k) throws(CorruptIndex) in
                    Postings.followed(phrase, by: try reader.postings(at: k, noteCount: noteCount, within: notes), gap: gap)
                })
            }
        }
        return anchor == 0 ? out : out.shifted(by: -Int32(anchor))
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

    /// How hits are ordered.
    public enum Order: Sendable {
        /// BM25, best first (ties by path).
        case score
        /// By path.
        case path
        /// By a value per note id, highest first (ties by path): the newest first, for dates.
        case descending([Int64])
    }

    /// The notes that answer `query`, ranked by BM25 over its sought terms (k1 = 1.2,
    /// b = 0.75; ties by path) or by `order`, the best `limit` with their matching lines,
    /// and how many notes matched in all.
    ///
    /// - Parameters:
    ///   - fields: the notes of each of the query's fields (ascending ids), in its order.
    ///   - keep: only notes it accepts (a date range, say).
    public func search(
        _ query: SearchQuery, fields: [[Int32]] = [], keep: ((Int32) -> Bool)? = nil, order: Order = .score, limit: Int = Int.max
    ) throws(CorruptIndex) -> (hits: [SearchHit], total: Int) {
        guard let root = query.root, noteCount > 0 else { return ([], 0) }
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
        // Matching notes, with where they stand in each sought term's list: entry `m` of
        // term `t` at `at[m * terms + t]` (-1: not in it). Flat, so that tens of thousands of
        // matches cost no allocation each.
        let terms = perTerm.count
        var matchedNotes: [Int32] = []
        var at: [Int32] = []
        if query.isPlain && keep == nil {
            var cursors = [Int](repeating: 0, count: terms)
            notes: for k in perTerm[0].notes.indices {
                let note = perTerm[0].notes[k]
                for t in perTerm.indices.dropFirst() {
                    let l = perTerm[t]
                    while cursors[t] < l.notes.count && l.notes[cursors[t]] < note { cursors[t] += 1 }
                    if cursors[t] == l.notes.count { break notes }
                    if l.notes[cursors[t]] != note { continue notes }
                }
                matchedNotes.append(note)
                at.append(Int32(k))
                for t in perTerm.indices.dropFirst() { at.append(Int32(cursors[t])) }
            }
        } else {
            for note in evaluate(root, perTerm, fields) where keep?(note) ?? true {
                matchedNotes.append(note)
                for t in perTerm.indices {
                    guard query.positive[t] else {
                        at.append(-1)
                        continue
                    }
                    let l = perTerm[t].notes
                    var lo = 0
                    var hi = l.count
                    while lo < hi {
                        let mid = (lo + hi) / 2
                        if l[mid] < note { lo = mid + 1 } else { hi = mid }
                    }
                    at.append(lo < l.count && l[lo] == note ? Int32(lo) : -1)
                }
            }
        }
        let n = Double(noteCount)
        let avgdl = max(1, Double(try reader.tokenTotal()) / n)
        let lengths = try reader.noteLengths()
        let idf = perTerm.map { t in
            let df = Double(t.notes.count)
            return log(1 + (n - df + 0.5) / (df + 0.5))
        }
        // The best `limit`, kept sorted as they come: most notes fall below the last kept.
        func better(_ a: (score: Double, m: Int), _ b: (score: Double, m: Int)) -> Bool {
            let (x, y) = (matchedNotes[a.m], matchedNotes[b.m])
            switch order {
            case .score: return a.score != b.score ? a.score > b.score : x < y
            case .path: return x < y
            case .descending(let values):
                let (vx, vy) = (Int(x) < values.count ? values[Int(x)] : 0, Int(y) < values.count ? values[Int(y)] : 0)
                return vx != vy ? vx > vy : x < y
            }
        }
        var best: [(score: Double, m: Int)] = []
        let keepCount = max(0, min(limit, matchedNotes.count))
        for m in matchedNotes.indices {
            var score = 0.0
            let note = Int(matchedNotes[m])
            if (0..<terms).contains(where: { at[m * terms + $0] >= 0 }) {
                guard note < lengths.count else { throw CorruptIndex(reason: "bad note id") }
                let dl = Double(lengths[note])
                for t in 0..<terms {
                    let k = Int(at[m * terms + t])
                    guard k >= 0 else { continue }
                    let tf = Double(perTerm[t].offsets[k + 1] - perTerm[t].offsets[k])
                    score += idf[t] * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * dl / avgdl))
                }
            }
            let item = (score: (score * 1000).rounded() / 1000, m: m)
            if best.count == keepCount {
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
            let r = try record(matchedNotes[b.m])
            // Each matching line, with the first term start on it.
            var first: [Int: Int] = [:]
            for t in 0..<terms {
                let k = Int(at[b.m * terms + t])
                guard k >= 0 else { continue }
                for p in perTerm[t].positions(at: k) {
                    let line = Searcher.line(of: p, in: r)
                    let token = line - 1 < r.lineTokenStarts.count ? Int(p &- r.lineTokenStarts[line - 1]) : 0
                    first[line] = min(first[line] ?? token, token)
                }
            }
            let lines = first.keys.sorted()
            hits.append(SearchHit(note: r.path, score: b.score, lines: lines, firstTokens: lines.map { first[$0] ?? 0 }))
        }
        return (hits, matchedNotes.count)
    }

    /// The notes a query node selects, ascending.
    private func evaluate(_ node: SearchQuery.Node, _ perTerm: [Postings], _ fields: [[Int32]]) -> [Int32] {
        func all() -> [Int32] { (0..<Int32(noteCount)).map { $0 } }
        switch node {
        case .term(let t): return perTerm[t].notes
        case .field(let f): return f < fields.count ? fields[f] : []
        case .not(let inner): return Searcher.subtract(all(), evaluate(inner, perTerm, fields))
        case .or(let items):
            return Array(Set(items.flatMap { evaluate($0, perTerm, fields) })).sorted()
        case .and(let items):
            var result: [Int32]?
            var excluded: [Node] = []
            for item in items {
                if case .not(let inner) = item {
                    excluded.append(inner)
                    continue
                }
                let notes = evaluate(item, perTerm, fields)
                result = result.map { Searcher.intersect($0, notes) } ?? notes
            }
            var out = result ?? all()
            for inner in excluded { out = Searcher.subtract(out, evaluate(inner, perTerm, fields)) }
            return out
        }
    }

    typealias Node = SearchQuery.Node

    static func intersect(_ a: [Int32], _ b: [Int32]) -> [Int32] {
        var out: [Int32] = []
        var i = 0
        var j = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] {
                out.append(a[i])
                i += 1
                j += 1
            } else if a[i] < b[j] {
                i += 1
            } else {
                j += 1
            }
        }
        return out
    }

    static func subtract(_ a: [Int32], _ b: [Int32]) -> [Int32] {
        var out: [Int32] = []
        var j = 0
        for x in a {
            while j < b.count && b[j] < x { j += 1 }
            if j < b.count && b[j] == x { continue }
            out.append(x)
        }
        return out
    }

    static func lower(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { Unicode.Scalar(Scalars.lowerASCII($0.value)) ?? $0 }))
    }
}
