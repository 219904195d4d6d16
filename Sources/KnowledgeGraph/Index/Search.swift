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
}

/// A parsed search query: terms that must all occur in a note.
public struct SearchQuery: Sendable, Equatable {
    enum Token: Sendable, Equatable {
        /// A whole token: a Latin word, a Hangul bigram or unigram, another letter.
        case exact(String)
        /// A one-syllable Hangul run inside or at the edge of a word.
        case syllable(String, edge: Edge)
    }

    enum Edge: Sendable, Equatable {
        /// The whole term: any token containing the syllable.
        case anywhere
        /// Followed by more of the term: the syllable ends a Hangul run.
        case endsRun
        /// Preceded by more of the term: the syllable starts a Hangul run.
        case startsRun
    }

    struct Term: Sendable, Equatable {
        var text: String
        var tokens: [Token]
        /// Lowercased text to find on the matching line, for terms with punctuation (`C++`).
        var literal: String?
    }

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
        let needsLiteral = scalars.contains { v in
            !(Scalars.isWordScalar(v) || Scalars.isHangulSyllable(v) || Scalars.isOtherLetter(v) || Scalars.isSpace(v))
        }
        var literal: String?
        if needsLiteral {
            literal = String(String.UnicodeScalarView(scalars.compactMap { Unicode.Scalar(Scalars.lowerASCII($0)) }))
        }
        return Term(text: text, tokens: tokens, literal: literal)
    }
}

/// Answers searches from the index: candidates from postings, phrases checked by position,
/// BM25 from the stored token counts; only the notes shown are decoded.
public struct Searcher {
    let reader: IndexReader
    let noteCount: Int
    /// Reads a note's lines for display and for checking literal punctuation.
    let lines: (String) -> [String]?

    public init(reader: IndexReader, lines: @escaping (String) -> [String]?) throws(CorruptIndex) {
        self.reader = reader
        self.noteCount = try reader.noteCount()
        self.lines = lines
    }

    /// Positions of `token` per note.
    private func postings(_ token: SearchQuery.Token) throws(CorruptIndex) -> [Int32: [Int32]] {
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
        var out: [Int32: [Int32]] = [:]
        for k in indices {
            let p = try reader.postings(at: k, noteCount: noteCount)
            for i in p.notes.indices { out[p.notes[i], default: []].append(contentsOf: p.positions(at: i)) }
        }
        if indices.count > 1 { for key in out.keys { out[key]?.sort() } }
        return out
    }

    /// Occurrences of a term per note: the start positions where all its tokens follow one
    /// another.
    private func occurrences(_ term: SearchQuery.Term) throws(CorruptIndex) -> [Int32: [Int32]] {
        let lists = try term.tokens.map { (t: SearchQuery.Token) throws(CorruptIndex) in try postings(t) }
        guard var candidates = lists.first.map({ Set($0.keys) }) else { return [:] }
        for l in lists.dropFirst() { candidates.formIntersection(l.keys) }
        var out: [Int32: [Int32]] = [:]
        for note in candidates {
            guard let first = lists[0][note] else { continue }
            if lists.count == 1 {
                out[note] = first
                continue
            }
            let rest = lists.dropFirst().map { Set($0[note] ?? []) }
            let starts = first.filter { p in rest.enumerated().allSatisfy { $1.contains(p + Int32($0 + 1)) } }
            if !starts.isEmpty { out[note] = starts }
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
        var perTerm: [[Int32: (count: Int, starts: [Int32])]] = []
        for term in query.terms {
            var found: [Int32: (count: Int, starts: [Int32])] = [:]
            for (note, starts) in try occurrences(term) {
                if let literal = term.literal {
                    let r = try record(note)
                    guard let text = lines(r.path) else { continue }
                    let kept = starts.filter { p in
                        let n = Searcher.line(of: p, in: r)
                        return n <= text.count && Searcher.lower(text[n - 1]).contains(literal)
                    }
                    if kept.isEmpty { continue }
                    found[note] = (kept.count, kept)
                } else {
                    found[note] = (starts.count, starts)
                }
            }
            perTerm.append(found)
        }
        var matched = Set(perTerm[0].keys)
        for t in perTerm.dropFirst() { matched.formIntersection(t.keys) }
        let n = Double(noteCount)
        let avgdl = max(1, Double(try reader.meta().tokens) / n)
        var scored: [(note: Int32, score: Double)] = []
        for note in matched {
            let dl = Double(try reader.tokenCount(Int(note)))
            var score = 0.0
            for t in perTerm {
                guard let f = t[note] else { continue }
                let df = Double(t.count)
                let idf = log(1 + (n - df + 0.5) / (df + 0.5))
                let tf = Double(f.count)
                score += idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * dl / avgdl))
            }
            scored.append((note, (score * 10000).rounded() / 10000))
        }
        // Ties are broken by path, which is note id order.
        scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.note < $1.note }
        var hits: [SearchHit] = []
        for s in scored.prefix(limit) {
            let r = try record(s.note)
            var lineSet = Set<Int>()
            for t in perTerm { for p in t[s.note]?.starts ?? [] { lineSet.insert(Searcher.line(of: p, in: r)) } }
            hits.append(SearchHit(note: r.path, score: s.score, lines: lineSet.sorted()))
        }
        return (hits, scored.count)
    }

    static func lower(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { Unicode.Scalar(Scalars.lowerASCII($0.value)) ?? $0 }))
    }
}
