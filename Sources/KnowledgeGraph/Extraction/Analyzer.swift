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
    /// Candidates discovery already extracted, encoded, by note path: each taken once.
    let extracted: ExtractedCandidates?

    public init(lexicon: Lexicon, discover: Bool = false) {
        self.init(lexicon: lexicon, discover: discover, extracted: nil)
    }

    init(lexicon: Lexicon, discover: Bool, extracted: ExtractedCandidates?) {
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
        // Only front matter says either: skip notes without it.
        text.utf8.starts(with: "---".utf8) ? head(path: path, scalars: Scalars.values(of: text)) : nil
    }

    /// `head` of the note whose normalized text has these scalars, read from them: the same
    /// front matter, keys and parse, without making a String of the note.
    static func head(path: String, scalars s: [UInt32]) -> NoteHead? {
        guard s.count >= 3, s[0] == 0x2D, s[1] == 0x2D, s[2] == 0x2D else { return nil }
        // As `String.hasPrefix` compares characters: a mark after the third `-` joins it.
        if s.count > 3, s[3] >= 0x80, !Scalars.string(s[..<min(s.count, 8)]).hasPrefix("---") { return nil }
        // The front matter ends at the first later line that is `---` or `...`.
        var lineStart = 0
        var n = 0
        var end = s.count
        while lineStart < s.count && n <= 500 {
            var lineEnd = lineStart
            while lineEnd < s.count && s[lineEnd] != 0x0A { lineEnd += 1 }
            var (a, b) = (lineStart, lineEnd)
            while a < b && (s[a] == 0x20 || s[a] == 0x09) { a += 1 }
            while b > a && (s[b - 1] == 0x20 || s[b - 1] == 0x09) { b -= 1 }
            if n > 0 && b - a == 3 && s[a] == s[a + 1] && s[a] == s[a + 2] && (s[a] == 0x2D || s[a] == 0x2E) {
                end = min(s.count, lineEnd + 1)
                break
            }
            lineStart = lineEnd + 1
            n += 1
            end = min(s.count, lineStart)
        }
        // "entity" or "alias" must occur in it for it to say either.
        let header = s[..<end]
        let hit = Analyzer.headKeys.contains { key in
            header.count >= key.count && (0...(header.count - key.count)).contains { i in
                header[i] == UInt32(key[0]) && (1..<key.count).allSatisfy { header[i + $0] == UInt32(key[$0]) }
            }
        }
        guard hit else { return nil }
        // A prefix of normalized text cut after a line end is normalized: parsed as it is.
        var scalars = Array(header)
        if scalars.last != 0x0A { scalars.append(0x0A) }
        let note = MarkdownNote(scalars: scalars)
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
            if let bytes = extracted?.take(path) {
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
