/// A note file as last seen: how to tell whether it changed, and its content hash.
public struct FileEntry: Sendable, Equatable {
    public var path: String
    public var stat: FileStat
    /// Checksum of the file's bytes.
    public var hash: UInt64
    /// What few entries have (a skip reason, an entity), in one shared box: the file table
    /// is copied whole on every update, and a note's entry then copies one reference less.
    private var extra: Extra?

    private final class Extra: Sendable {
        let skipReason: String?
        let entity: Entity?
        init(skipReason: String?, entity: Entity?) {
            self.skipReason = skipReason
            self.entity = entity
        }
    }

    /// Why it is not a note (binary, too large, ...), or nil for an indexed note.
    public var skipReason: String? {
        get { extra?.skipReason }
        set { extra = FileEntry.box(newValue, entity) }
    }

    /// The entity the note defines in its front matter, kept here so that the lexicon can be
    /// checked without decoding the notes.
    public var entity: Entity? {
        get { extra?.entity }
        set { extra = FileEntry.box(skipReason, newValue) }
    }

    private static func box(_ skipReason: String?, _ entity: Entity?) -> Extra? {
        skipReason == nil && entity == nil ? nil : Extra(skipReason: skipReason, entity: entity)
    }

    public init(path: String, stat: FileStat, hash: UInt64, skipReason: String? = nil, entity: Entity? = nil) {
        self.path = path
        self.stat = stat
        self.hash = hash
        self.extra = FileEntry.box(skipReason, entity)
    }

    public static func == (a: FileEntry, b: FileEntry) -> Bool {
        a.path == b.path && a.stat == b.stat && a.hash == b.hash && a.skipReason == b.skipReason && a.entity == b.entity
    }
}
