/// One occurrence of an entity in a note.
public struct Mention: Sendable, Hashable {
    /// Index of the entity in the lexicon's sorted entity list.
    public var entity: Int32
    /// 1-based line number.
    public var line: Int32
    /// Block number within the note (paragraph, list item with its nested items, heading,
    /// front matter); 0 is the front matter.
    public var block: Int32
    /// Section number: 0 before the first heading, then one per heading.
    public var section: Int32
    /// The text as written in the note.
    public var surface: String
    /// Where the mention starts in its line, in characters (Unicode scalars) from the
    /// line's start: 0 for the first.
    public var column: Int32 = 0
}

/// A link from a note: a `[[wikilink]]` or a Markdown `[text](url)` destination.
public struct NoteLink: Sendable, Hashable {
    public var target: String
    public var line: Int32
    public var isWiki: Bool
}

/// What one note says, derived from its bytes and the lexicon only.
public struct NoteRecord: Sendable, Hashable {
    /// Vault-relative path with `/` separators.
    public var path: String
    /// Front-matter `title`, else the first heading, else the file name without extension.
    public var title: String
    public var tags: [String]
    public var links: [NoteLink]
    /// The entity this note defines (front matter `entity: <type>`), if any.
    public var definesEntity: Entity?
    public var lineCount: Int32
    /// Number of search tokens in the note (BM25 document length).
    public var tokenCount: Int32
    /// For each line, the ordinal of its first search token.
    public var lineTokenStarts: [Int32]
    public var mentions: [Mention]
}

/// The search terms of one note: term → token positions (ascending).
public typealias NoteTerms = [String: [Int32]]

extension NoteRecord {
    /// The distinct entities the note mentions, ascending (ids in `0..<bound` only).
    func mentionedEntities(below bound: Int) -> [Int32] {
        var out: [Int32] = []
        for m in mentions where m.entity >= 0 && Int(m.entity) < bound { out.append(m.entity) }
        out.sort()
        var unique: [Int32] = []
        for e in out where unique.last != e { unique.append(e) }
        return unique
    }
}
