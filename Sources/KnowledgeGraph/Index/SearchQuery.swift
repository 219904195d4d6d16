/// A parsed search query: text terms (words, "phrases", prefixes) and field filters joined
/// by AND (implicit), OR and NOT. See `QueryParser` for the grammar.
public struct SearchQuery: Sendable, Equatable {
    enum Token: Sendable, Hashable {
        /// A whole token: a Latin word, a Hangul bigram or unigram, another letter.
        case exact(String)
        /// Any Latin word that starts so (`light*`).
        case prefix(String)
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

    /// A filter of the query language: notes by tag, path, entity or links.
    public enum Field: Sendable, Equatable {
        /// `tag:ml`: notes tagged `ml` or under it (`#ml/recsys`).
        case tag(String)
        /// `path:folder/`: notes whose vault path starts so.
        case path(String)
        /// `entity:Name`: notes that mention the entity (by any of its names).
        case entity(String)
        /// `links:NOTE`: notes with a link to NOTE.
        case links(String)
        /// `linked-by:NOTE`: notes NOTE links to.
        case linkedBy(String)
    }

    /// The query's structure over its terms and fields.
    indirect enum Node: Sendable, Equatable {
        case term(Int)
        case field(Int)
        case and([Node])
        case or([Node])
        case not(Node)
    }

    /// Every text term, once.
    var terms: [Term] = []
    /// Whether each term is sought (not only excluded): it ranks notes and shows lines.
    var positive: [Bool] = []
    /// Every field filter, in the order written.
    public internal(set) var fields: [Field] = []
    var root: Node?
    /// Query parts that hold nothing to search for (`*`), reported to the user.
    public var ignored: [String] = []

    /// Whether nothing is left to search for.
    public var isEmpty: Bool { root == nil }

    /// Whether the query is only text terms that must all occur: the fast path.
    var isPlain: Bool {
        func plain(_ n: Node) -> Bool {
            switch n {
            case .term: return true
            case .and(let items): return items.allSatisfy { if case .term = $0 { return true } else { return false } }
            default: return false
            }
        }
        return root.map(plain) ?? true
    }

    /// Words and `"quoted phrases"` that must all occur (an unbalanced quote runs to the
    /// end): the plain form, without operators or fields.
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
        var nodes: [Node] = []
        for part in parts {
            let trimmed = part.trimmingSpaces()
            if trimmed.isEmpty { continue }
            if let term = SearchQuery.term(trimmed) {
                nodes.append(.term(add(term, positive: true)))
            } else {
                ignored.append(trimmed)
            }
        }
        root = nodes.isEmpty ? nil : nodes.count == 1 ? nodes[0] : .and(nodes)
    }

    init() {}

    /// The index of `term` among the terms, added if new.
    mutating func add(_ term: Term, positive: Bool) -> Int {
        if let k = terms.firstIndex(of: term) {
            if positive { self.positive[k] = true }
            return k
        }
        terms.append(term)
        self.positive.append(positive)
        return terms.count - 1
    }

    static func term(_ text: String) -> Term? {
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
