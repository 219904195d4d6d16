/// One committed index as queries see it: the reader, what has been decoded of it (lexicon,
/// graph, note records) and the note lines read to show answers. Shared by the queries of a
/// long-running face while the index stays the same.
final class IndexView: @unchecked Sendable {
    let reader: IndexReader
    let vault: Vault
    private let cache = Locked(Cache())

    private struct Cache {
        var lexicon: Lexicon?
        var graph: CoMentionGraph?
        var notes: [NoteRecord]?
        var lines: [PathKey: [String]] = [:]
    }

    init(reader: IndexReader, vault: Vault) {
        self.reader = reader
        self.vault = vault
    }

    /// Whether `other` reads the same index file (same header checksum and sizes).
    func reads(sameFileAs other: IndexReader) -> Bool {
        reader.file.headerChecksum == other.file.headerChecksum && reader.totalByteCount == other.totalByteCount
    }

    func lexicon() throws(CorruptIndex) -> Lexicon {
        if let l = cache.withLock({ $0.lexicon }) { return l }
        let l = try reader.lexicon()
        cache.withLock { $0.lexicon = l }
        return l
    }

    /// The co-mention graph, checked against the lexicon (one entry per entity).
    func graph() throws(CorruptIndex) -> CoMentionGraph {
        if let g = cache.withLock({ $0.graph }) { return g }
        let g = try reader.graph()
        guard g.stats.count == (try lexicon()).entities.count else { throw CorruptIndex(reason: "the graph does not match the lexicon") }
        cache.withLock { $0.graph = g }
        return g
    }

    /// Every note's record, in id (path) order.
    func notes() throws(CorruptIndex) -> [NoteRecord] {
        if let n = cache.withLock({ $0.notes }) { return n }
        let n = try reader.notes()
        cache.withLock { $0.notes = n }
        return n
    }

    /// A note's lines as kg reads them (decoded, normalized), read from the vault when first
    /// asked for; nil if the note cannot be read now.
    func lines(_ path: String) -> [String]? {
        if let cached = cache.withLock({ $0.lines[PathKey(path)] }) { return cached }
        guard case .success(let text) = vault.text(path) else { return nil }
        let lines = text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        cache.withLock { $0.lines[PathKey(path)] = lines }
        return lines
    }

    /// Line `line` (1-based) of a note, or "" when it cannot be read.
    func place(_ note: String, _ line: Int) -> LinePlace {
        let all = lines(note)
        let text = all.flatMap { line >= 1 && line <= $0.count ? $0[line - 1] : nil } ?? ""
        return LinePlace(note: note, line: line, text: text)
    }

    /// The entity named `name` (any case or spacing, or an alias), or an error with the
    /// closest known names.
    func entity(named name: String) throws -> Int32 {
        let lexicon = try self.lexicon()
        if let id = lexicon.lookup(name) { return Int32(id) }
        throw KGError.unknownEntity(name, suggestions: Related.suggestions(for: name, in: lexicon))
    }
}

/// A line of a note: where it is and what it says (the line as kg reads it, normalized).
public struct LinePlace: Sendable, Equatable {
    public var note: String
    /// 1-based.
    public var line: Int
    public var text: String

    public init(note: String, line: Int, text: String) {
        self.note = note
        self.line = line
        self.text = text
    }
}
