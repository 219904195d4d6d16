/// A note file as last seen: how to tell whether it changed, and its content hash.
public struct FileEntry: Sendable, Equatable {
    public var path: String
    public var stat: FileStat
    /// Checksum of the file's bytes.
    public var hash: UInt64
    /// Why it is not a note (binary, too large, ...), or nil for an indexed note.
    public var skipReason: String?
    /// The entity the note defines in its front matter, kept here so that the lexicon can be
    /// checked without decoding the notes.
    public var entity: Entity?

    public init(path: String, stat: FileStat, hash: UInt64, skipReason: String? = nil, entity: Entity? = nil) {
        self.path = path
        self.stat = stat
        self.hash = hash
        self.skipReason = skipReason
        self.entity = entity
    }
}
