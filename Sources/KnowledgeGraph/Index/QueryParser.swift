/// The search query language:
///
///     query   := or
///     or      := and ("OR" and)*
///     and     := unary unary*                 (terms side by side must all match)
///     unary   := ("NOT" | "-") unary | primary
///     primary := "(" or ")" | field | word | "quoted phrase" | prefix*
///     field   := tag:NAME | path:FOLDER/ | entity:NAME | links:NOTE | linked-by:NOTE
///
/// `OR` and `NOT` are operators only in capitals. A field's value may be quoted
/// (`entity:"Deep Learning"`). A bad query is a usage error that says where (the column, in
/// characters from 1).
extension SearchQuery {
    public static let fieldNames = ["tag", "path", "entity", "links", "linked-by"]

    private enum Lexeme: Equatable {
        case word(String)
        case phrase(String)
        case open, close, or, not, minus
        case field(String, String)
    }

    /// Parses `text` in the query language.
    public static func parse(_ text: String) throws(KGError) -> SearchQuery {
        let scalars = Array(Normalizer.normalize(text).unicodeScalars)
        func fail(_ message: String, _ column: Int) -> KGError {
            let shown = String(String.UnicodeScalarView(scalars.prefix(80))) + (scalars.count > 80 ? "…" : "")
            return .usage("\(message) at column \(column + 1) of the query '\(shown)' (kg search --help gives the grammar)")
        }
        // Lexemes with the column each starts at.
        var lexemes: [(Lexeme, Int)] = []
        var i = 0
        func isSpace(_ s: Unicode.Scalar) -> Bool { Scalars.isSpace(s.value) || s == "\n" || s == "\t" }
        func readQuoted() throws(KGError) -> String {
            let start = i
            i += 1
            var body = String.UnicodeScalarView()
            while i < scalars.count && scalars[i] != "\"" {
                body.append(scalars[i])
                i += 1
            }
            guard i < scalars.count else { throw fail("unbalanced quote: the \" here is not closed", start) }
            i += 1
            return String(body)
        }
        while i < scalars.count {
            let c = scalars[i]
            if isSpace(c) {
                i += 1
                continue
            }
            let start = i
            switch c {
            case "\"": lexemes.append((.phrase(try readQuoted()), start))
            case "(":
                lexemes.append((.open, start))
                i += 1
            case ")":
                lexemes.append((.close, start))
                i += 1
            case "-" where i + 1 >= scalars.count || isSpace(scalars[i + 1]) || scalars[i + 1] == ")":
                throw fail("a bare '-' excludes nothing", start)
            case "-":
                lexemes.append((.minus, start))
                i += 1
            default:
                var word = String.UnicodeScalarView()
                while i < scalars.count && !isSpace(scalars[i]) && scalars[i] != "(" && scalars[i] != ")" && scalars[i] != "\"" {
                    word.append(scalars[i])
                    i += 1
                }
                let w = String(word)
                if w == "OR" {
                    lexemes.append((.or, start))
                } else if w == "NOT" {
                    lexemes.append((.not, start))
                } else if let colon = w.firstIndex(of: ":"), colon != w.startIndex,
                    w[..<colon].unicodeScalars.allSatisfy({ ($0.value | 0x20) >= 0x61 && ($0.value | 0x20) <= 0x7A || $0 == "-" })
                {
                    let name = w[..<colon].lowercased()
                    var value = String(w[w.index(after: colon)...])
                    if value.isEmpty && i < scalars.count && scalars[i] == "\"" { value = try readQuoted() }
                    guard fieldNames.contains(name) else {
                        throw fail("unknown field '\(name)' (fields: \(fieldNames.joined(separator: ", ")); quote text with a colon to search for it)", start)
                    }
                    guard !value.trimmingSpaces().isEmpty else { throw fail("the field \(name): needs a value", start) }
                    lexemes.append((.field(name, value.trimmingSpaces()), start))
                } else {
                    lexemes.append((.word(w), start))
                }
            }
        }
        guard !lexemes.isEmpty else { throw .usage("the query has nothing to search for (see kg search --help)") }

        var query = SearchQuery()
        var k = 0
        var sought = true
        func atEnd() -> Bool { k >= lexemes.count }
        func parseOr() throws(KGError) -> Node? {
            var items: [Node] = []
            if let first = try parseAnd() { items.append(first) }
            while !atEnd(), lexemes[k].0 == .or {
                let column = lexemes[k].1
                if items.isEmpty { throw fail("OR has nothing before it", column) }
                k += 1
                guard !atEnd(), lexemes[k].0 != .close, lexemes[k].0 != .or else { throw fail("OR has nothing after it", column) }
                if let next = try parseAnd() { items.append(next) }
            }
            return items.isEmpty ? nil : items.count == 1 ? items[0] : .or(items)
        }
        func parseAnd() throws(KGError) -> Node? {
            var items: [Node] = []
            while !atEnd(), lexemes[k].0 != .close, lexemes[k].0 != .or {
                if let n = try parseUnary() { items.append(n) }
            }
            return items.isEmpty ? nil : items.count == 1 ? items[0] : .and(items)
        }
        func parseUnary() throws(KGError) -> Node? {
            let (lexeme, column) = lexemes[k]
            if lexeme == .not || lexeme == .minus {
                k += 1
                let what = lexeme == .not ? "NOT" : "'-'"
                guard !atEnd(), lexemes[k].0 != .close, lexemes[k].0 != .or else { throw fail("\(what) has nothing after it", column) }
                // What is excluded is not sought: it neither ranks notes nor shows lines.
                let outer = sought
                sought = false
                defer { sought = outer }
                guard let operand = try parseUnary() else { throw fail("\(what) is followed by nothing to search for", column) }
                return .not(operand)
            }
            return try parsePrimary()
        }
        func parsePrimary() throws(KGError) -> Node? {
            let positive = sought
            let (lexeme, column) = lexemes[k]
            k += 1
            switch lexeme {
            case .open:
                let inner = try parseOr()
                guard !atEnd(), lexemes[k].0 == .close else { throw fail("unbalanced parenthesis: the ( here is not closed", column) }
                k += 1
                guard let inner else { throw fail("the parentheses here hold nothing to search for", column) }
                return inner
            case .close: throw fail("unbalanced parenthesis: the ) here closes nothing", column)
            case .word(let w):
                if w.hasSuffix("*"), let prefix = SearchQuery.prefixTerm(w) { return .term(query.add(prefix, positive: positive)) }
                let bare = w.hasSuffix("*") ? String(w.reversed().drop(while: { $0 == "*" }).reversed()) : w
                guard let term = SearchQuery.term(bare.isEmpty ? w : bare) else {
                    query.ignored.append(w)
                    return nil
                }
                return .term(query.add(term, positive: positive))
            case .phrase(let p):
                guard let term = SearchQuery.term(p.trimmingSpaces()) else {
                    if !p.trimmingSpaces().isEmpty { query.ignored.append(p) }
                    return nil
                }
                return .term(query.add(term, positive: positive))
            case .field(let name, let value):
                let field: Field
                switch name {
                case "tag": field = .tag(value.hasPrefix("#") ? String(value.dropFirst()) : value)
                case "path": field = .path(value)
                case "entity": field = .entity(value)
                case "links": field = .links(value)
                default: field = .linkedBy(value)
                }
                query.fields.append(field)
                return .field(query.fields.count - 1)
            case .or, .not, .minus: return nil  // handled by the callers
            }
        }
        let root = try parseOr()
        if !atEnd() { throw fail("unbalanced parenthesis: the ) here closes nothing", lexemes[k].1) }
        guard let root else { throw .usage("the query has nothing to search for (see kg search --help)") }
        query.root = root
        return query
    }

    /// `light*`: every Latin word that starts with `light`; nil unless the text before the
    /// stars is one Latin word.
    static func prefixTerm(_ word: String) -> Term? {
        let stem = String(word.reversed().drop(while: { $0 == "*" }).reversed())
        var tokens: [String] = []
        Tokenizer.tokenize(Array(stem.unicodeScalars.map(\.value))[...], startPosition: 0) { t, _ in tokens.append(t) }
        guard tokens.count == 1, let t = tokens.first, t.unicodeScalars.allSatisfy({ Scalars.isWordScalar($0.value) }),
            stem.unicodeScalars.allSatisfy({ Scalars.isWordScalar($0.value) })
        else { return nil }
        return Term(text: word, variants: [[.prefix(t)]], literal: nil)
    }
}
