/// Turns a note's text into its record and search terms, for a given lexicon.
public struct Analyzer: Sendable {
    /// Bumped whenever extraction changes, so existing indexes are rebuilt with the new rules.
    public static let version = 3

    public let lexicon: Lexicon
    let matcher: MentionMatcher

    public init(lexicon: Lexicon) {
        self.lexicon = lexicon
        self.matcher = MentionMatcher(lexicon: lexicon)
    }

    /// The entity a note defines through front matter `entity: <type>`, read without a lexicon.
    public static func entityDefinition(path: String, text: String) -> Entity? {
        // Only front matter can define an entity: skip notes without it, and parse only it.
        guard text.hasPrefix("---") else { return nil }
        var header = ""
        var lines = 0
        for line in text.split(separator: "\n", maxSplits: 500, omittingEmptySubsequences: false) {
            header += line + "\n"
            lines += 1
            let t = line.trimmingSpaces()
            if lines > 1 && (t == "---" || t == "...") { break }
        }
        guard header.contains("entity") else { return nil }
        let note = MarkdownNote(text: Normalizer.normalize(header))
        return entityDefinition(path: path, note: note)
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
        let note = MarkdownNote(text: text)
        var mentions: [Mention] = []
        var lineStarts: [Int32] = []
        lineStarts.reserveCapacity(note.lines.count)
        var pos: Int32 = 0
        for (n, r) in note.lines.enumerated() {
            lineStarts.append(pos)
            pos = Tokenizer.tokenize(note.scalars[r], startPosition: pos, scratch: &scratch, emit: token)
            for m in matcher.matches(in: note.scan[r]) {
                mentions.append(Mention(entity: m.entity, line: Int32(n + 1), block: note.lineBlock[n],
                    section: note.lineSection[n], surface: Scalars.string(note.scalars[m.start..<m.end])))
            }
        }
        var tags: [String] = []
        for t in (note.frontMatter["tags"] ?? []) + note.tags where !tags.contains(t) { tags.append(t) }
        let record = NoteRecord(
            path: path, title: Analyzer.title(path: path, note: note, useHeading: true), tags: tags,
            links: note.links, definesEntity: Analyzer.entityDefinition(path: path, note: note),
            lineCount: Int32(note.lines.count), tokenCount: pos, lineTokenStarts: lineStarts, mentions: mentions)
        return record
    }
}
