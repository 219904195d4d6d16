/// What the file table keeps of a note's front matter (see `Analyzer.head`).
struct NoteHead {
    var entity: Entity?
    var aliases: [String]
}

/// Turns a note's text into its record and search terms, for a given lexicon.
public struct Analyzer: Sendable {
    /// Bumped whenever extraction changes, so existing indexes are rebuilt with the new rules.
    public static let version = 6

    public let lexicon: Lexicon
    let matcher: MentionMatcher
    /// Whether records carry the note's discovery candidates.
    public let discover: Bool
    /// Candidates discovery already extracted, encoded, by note path.
    let extracted: [PathKey: [UInt8]]

    public init(lexicon: Lexicon, discover: Bool = false) {
        self.init(lexicon: lexicon, discover: discover, extracted: [:])
    }

    init(lexicon: Lexicon, discover: Bool, extracted: [PathKey: [UInt8]]) {
        self.lexicon = lexicon
        self.matcher = MentionMatcher(lexicon: lexicon)
        self.discover = discover
        self.extracted = extracted
    }

    private static let headKeys = [Array("entity".utf8), Array("alias".utf8)]

    /// What a note's front matter says that the file table keeps: the entity it defines
    /// (`entity: <type>`), else its `aliases`, which discovery gives a linked note's entity.
    /// Read without a lexicon; nil when it says neither.
    static func head(path: String, text: String) -> NoteHead? {
        var copy = text
        return copy.withUTF8 { head(path: path, utf8: $0) }
    }

    /// `head` of the note whose normalized text has these scalars: a String is made of its
    /// front matter only (to its closing line, or of as many lines as `head` reads).
    static func head(path: String, scalars s: [UInt32]) -> NoteHead? {
        guard s.count >= 3, s[0] == 0x2D, s[1] == 0x2D, s[2] == 0x2D else { return nil }
        var lineStart = 0
        var n = 0
        var end = -1
        while lineStart < s.count && n <= 501 && end < 0 {
            var lineEnd = lineStart
            while lineEnd < s.count && s[lineEnd] != 0x0A { lineEnd += 1 }
            var (a, b) = (lineStart, lineEnd)
            while a < b && (s[a] == 0x20 || s[a] == 0x09) { a += 1 }
            while b > a && (s[b - 1] == 0x20 || s[b - 1] == 0x09) { b -= 1 }
            if n > 0 && b - a == 3 && s[a] == s[a + 1] && s[a] == s[a + 2] && (s[a] == 0x2D || s[a] == 0x2E) { end = lineEnd + 1 }
            lineStart = lineEnd + 1
            n += 1
        }
        return head(path: path, text: Scalars.string(s[..<min(s.count, end < 0 ? lineStart : end)]))
    }

    /// `head` of the note whose normalized text has the UTF-8 bytes `u`.
    static func head(path: String, utf8 u: UnsafeBufferPointer<UInt8>) -> NoteHead? {
        // Only front matter says either: skip notes without it, and parse only it.
        guard u.count >= 3, u[0] == 0x2D, u[1] == 0x2D, u[2] == 0x2D else { return nil }
        // As `String.hasPrefix` compares characters: a mark after the third `-` joins it.
        if u.count > 3, u[3] >= 0x80, !String(decoding: u.prefix(16), as: UTF8.self).hasPrefix("---") { return nil }
        var header = ""
        let found: Bool = {
            // The front matter ends at the first later line that is `---` or `...`.
            var lineStart = 0
            var n = 0
            var end = u.count
            while lineStart < u.count && n <= 500 {
                var lineEnd = lineStart
                while lineEnd < u.count && u[lineEnd] != 0x0A { lineEnd += 1 }
                if n > 0 {
                    var a = lineStart
                    var b = lineEnd
                    while a < b && (u[a] == 0x20 || u[a] == 0x09) { a += 1 }
                    while b > a && (u[b - 1] == 0x20 || u[b - 1] == 0x09) { b -= 1 }
                    if b - a == 3 && ((u[a] == 0x2D && u[a + 1] == 0x2D && u[a + 2] == 0x2D) || (u[a] == 0x2E && u[a + 1] == 0x2E && u[a + 2] == 0x2E)) {
                        end = min(u.count, lineEnd + 1)
                        break
                    }
                }
                lineStart = lineEnd + 1
                n += 1
                end = min(u.count, lineStart)
            }
            let head = UnsafeBufferPointer(rebasing: u[0..<end])
            // "entity" or "alias" must occur in the header for it to say either.
            var hit = false
            for key in Analyzer.headKeys where !hit && head.count >= key.count {
                for i in 0...(head.count - key.count) where head[i] == key[0] {
                    if (1..<key.count).allSatisfy({ head[i + $0] == key[$0] }) {
                        hit = true
                        break
                    }
                }
            }
            if hit {
                header = String(decoding: head, as: UTF8.self)
                if !header.hasSuffix("\n") { header += "\n" }
            }
            return hit
        }()
        guard found else { return nil }
        let note = MarkdownNote(text: Normalizer.normalize(header))
        if let entity = entityDefinition(path: path, note: note) { return NoteHead(entity: entity, aliases: []) }
        let aliases = Analyzer.aliases(note)
        return aliases.isEmpty ? nil : NoteHead(entity: nil, aliases: aliases)
    }

    /// The front matter's `aliases` and `alias` values, each once, in order.
    static func aliases(_ note: MarkdownNote) -> [String] {
        var aliases: [String] = []
        for a in (note.frontMatter["aliases"] ?? []) + (note.frontMatter["alias"] ?? []) where !aliases.contains(a) { aliases.append(a) }
        return aliases
    }

    static func entityDefinition(path: String, note: MarkdownNote) -> Entity? {
        guard let type = note.frontMatter["entity"]?.first?.trimmingSpaces(), !type.isEmpty else { return nil }
        return Entity(name: title(path: path, note: note, useHeading: false), type: type, aliases: note.frontMatter["aliases"] ?? [])
    }

    static func title(path: String, note: MarkdownNote, useHeading: Bool) -> String {
        if let t = note.frontMatter["title"]?.first?.trimmingSpaces(), !t.isEmpty { return t }
        if useHeading, let h = note.firstHeading, !h.isEmpty { return h }
        let name = path.split(separator: "/").last.map(String.init) ?? path
        if let dot = name.lastIndex(of: "."), dot > name.startIndex { return String(name[..<dot]) }
        return name
    }

    /// Where the note's links are, by 0-based line, as ranges of its scalars.
    static func linkSpans(_ note: MarkdownNote) -> [Int: [Range<Int>]] {
        var spans: [Int: [Range<Int>]] = [:]
        for l in note.links {
            let n = Int(l.line) - 1
            guard n >= 0, n < note.lines.count else { continue }
            let start = note.lines[n].lowerBound
            spans[n, default: []].append((start + Int(l.column))..<(start + Int(l.column + l.length)))
        }
        return spans
    }

    /// Analyzes normalized note text (see `Normalizer`).
    public func analyze(path: String, normalizedText text: String) -> (NoteRecord, NoteTerms) {
        var terms: NoteTerms = [:]
        var scratch: [UInt8] = []
        let record = analyze(path: path, normalizedText: text, scratch: &scratch) { bytes, p in
            terms[String(decoding: bytes, as: UTF8.self), default: []].append(p)
        }
        return (record, terms)
    }

    /// Analyzes normalized note text, handing each search token to `token` as UTF-8 bytes
    /// (valid only during the call) with its position.
    func analyze(
        path: String, normalizedText text: String, scratch: inout [UInt8],
        token: (UnsafeBufferPointer<UInt8>, Int32) -> Void
    ) -> NoteRecord {
        analyze(path: path, scalars: Scalars.values(of: text), scratch: &scratch, token: token)
    }

    /// `analyze` of the note whose normalized text has these scalars.
    func analyze(
        path: String, scalars: [UInt32], scratch: inout [UInt8],
        token: (UnsafeBufferPointer<UInt8>, Int32) -> Void
    ) -> NoteRecord {
        let note = MarkdownNote(scalars: scalars)
        var mentions: [Mention] = []
        var lineStarts: [Int32] = []
        lineStarts.reserveCapacity(note.lines.count)
        var pos: Int32 = 0
        var address = 0
        // Names that match only inside links look at where the links are.
        let linkSpans = matcher.hasLinkOnlyNames ? Analyzer.linkSpans(note) : [:]
        for (n, r) in note.lines.enumerated() {
            lineStarts.append(pos)
            pos = Tokenizer.tokenize(note.scalars[r], startPosition: pos, scratch: &scratch, emit: token)
            var found = matcher.matches(in: note.scan[r], links: linkSpans[n] ?? [])
            // An address is a mention only when the lexicon names that very address (`last.fm`).
            var named = false
            while address < note.addresses.count && note.addresses[address].line == n {
                let host = note.addresses[address].host
                if let m = matcher.matches(in: note.scalars[host]).first, m.start == host.lowerBound, m.end == host.upperBound {
                    found.append(m)
                    named = true
                }
                address += 1
            }
            if named { found.sort { $0.start < $1.start } }
            for m in found {
                mentions.append(Mention(entity: m.entity, line: Int32(n + 1), block: note.lineBlock[n],
                    section: note.lineSection[n], surface: Scalars.string(note.scalars[m.start..<m.end]), column: Int32(m.start - r.lowerBound)))
            }
        }
        var tags: [String] = []
        for t in (note.frontMatter["tags"] ?? []) + note.tags where !tags.contains(t) { tags.append(t) }
        let aliases = Analyzer.aliases(note)
        let date = (note.frontMatter["date"]?.first).flatMap { NoteKeys.date($0) } ?? (note.frontMatter["created"]?.first).flatMap { NoteKeys.date($0) }
        var record = NoteRecord(
            path: path, title: Analyzer.title(path: path, note: note, useHeading: true), tags: tags,
            links: note.links, aliases: aliases, date: date, definesEntity: Analyzer.entityDefinition(path: path, note: note),
            lineCount: Int32(note.lines.count), tokenCount: pos, lineTokenStarts: lineStarts, mentions: mentions)
        if discover {
            if let bytes = extracted.isEmpty ? nil : extracted[PathKey(path)] {
                record.encodedCandidates = bytes
            } else {
                record.candidates = CandidateExtractor.candidates(of: note)
            }
        }
        // The note's name, aliases, tags, date and links, filed as terms too.
        NoteKeys.terms(of: record) { term, position in
            var term = term
            term.withUTF8 { token($0, position) }
        }
        return record
    }
}
