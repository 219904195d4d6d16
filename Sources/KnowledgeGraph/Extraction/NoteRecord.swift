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

/// A link from a note: a `[[wikilink]]` (`![[embed]]`) or a Markdown `[text](path)`
/// (`![image](path)`) to something that is not a URL.
public struct NoteLink: Sendable, Hashable {
    /// As written: a wikilink's page with its `#heading` or `#^block`, a Markdown link's
    /// destination with its escapes decoded.
    public var target: String
    public var line: Int32
    /// Where the link starts on its line (0-based, in characters), and how many it covers.
    public var column: Int32
    public var length: Int32
    public var isWiki: Bool
    public var isEmbed: Bool

    public init(target: String, line: Int32, column: Int32 = 0, length: Int32 = 0, isWiki: Bool, isEmbed: Bool = false) {
        self.target = target
        self.line = line
        self.column = column
        self.length = length
        self.isWiki = isWiki
        self.isEmbed = isEmbed
    }
}

/// What one note says, derived from its bytes and the lexicon only.
public struct NoteRecord: Sendable, Hashable {
    /// Vault-relative path with `/` separators.
    public var path: String
    /// Front-matter `title`, else the first heading, else the file name without extension.
    public var title: String
    public var tags: [String]
    public var links: [NoteLink]
    /// Front-matter `aliases` (or `alias`): other names of this note.
    public var aliases: [String] = []
    /// Front-matter `date` (else `created`) as `YYYY-MM-DD`, if it reads as one.
    public var date: String?
    /// The entity this note defines (front matter `entity: <type>`), if any.
    public var definesEntity: Entity?
    /// What the note contributes to discovery (empty when discovery is off).
    public var candidates: [NoteCandidate] = []
    /// The candidates already encoded (`NoteCandidate.encode`), when discovery extracted
    /// them before the note was analysed: written as they are.
    var encodedCandidates: [UInt8]?
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
