/// A note file as last seen: how to tell whether it changed, and its content hash.
public struct FileEntry: Sendable, Equatable {
    public var path: String
    public var stat: FileStat
    /// Checksum of the file's bytes.
    public var hash: UInt64
    /// What few entries have (a skip reason, an entity, aliases), in one shared box: the file table
    /// is copied whole on every update, and a note's entry then copies one reference less.
    private var extra: Extra?

    private final class Extra: Sendable {
        let skipReason: String?
        let entity: Entity?
        let aliases: [String]
        init(skipReason: String?, entity: Entity?, aliases: [String]) {
            self.skipReason = skipReason
            self.entity = entity
            self.aliases = aliases
        }
    }

    /// Why it is not a note (binary, too large, ...), or nil for an indexed note.
    public var skipReason: String? {
        get { extra?.skipReason }
        set { extra = FileEntry.box(newValue, entity, aliases) }
    }

    /// The entity the note defines in its front matter, kept here so that the lexicon can be
    /// checked without decoding the notes.
    public var entity: Entity? {
        get { extra?.entity }
        set { extra = FileEntry.box(skipReason, newValue, aliases) }
    }

    /// The front-matter aliases of a note that defines no entity (discovery gives them to the
    /// note's entity when other notes link to it).
    public var aliases: [String] {
        get { extra?.aliases ?? [] }
        set { extra = FileEntry.box(skipReason, entity, newValue) }
    }

    /// Whether the entry has no skip reason, entity or aliases.
    var isPlain: Bool { extra == nil }

    /// Whether the entry is a note (not skipped), read without copying the entry's strings.
    var isNote: Bool { extra?.skipReason == nil }

    private static func box(_ skipReason: String?, _ entity: Entity?, _ aliases: [String]) -> Extra? {
        skipReason == nil && entity == nil && aliases.isEmpty ? nil : Extra(skipReason: skipReason, entity: entity, aliases: aliases)
    }

    public init(path: String, stat: FileStat, hash: UInt64, skipReason: String? = nil, entity: Entity? = nil, aliases: [String] = []) {
        self.path = path
        self.stat = stat
        self.hash = hash
        self.extra = FileEntry.box(skipReason, entity, aliases)
    }

    /// An entry with what a note's front matter says (`Analyzer.head`).
    init(path: String, stat: FileStat, hash: UInt64, head: NoteHead?) {
        self.init(path: path, stat: stat, hash: hash, entity: head?.entity, aliases: head?.aliases ?? [])
    }

    /// Whether `other` is the same entry, checked cheaply where it was copied from this one
    /// (the same path storage and box).
    func isSameEntry(as other: FileEntry) -> Bool {
        guard stat == other.stat, hash == other.hash, path.utf8.bytesEqual(other.path.utf8) else { return false }
        return extra === other.extra || (skipReason == other.skipReason && entity == other.entity && aliases == other.aliases)
    }

    public static func == (a: FileEntry, b: FileEntry) -> Bool {
        a.path == b.path && a.stat == b.stat && a.hash == b.hash && a.skipReason == b.skipReason && a.entity == b.entity
            && a.aliases == b.aliases
    }
}

extension [FileEntry] {
    /// The notes that define an entity, with it, in table order (most entries are looked at
    /// in place and passed over).
    var entityNotes: [(path: String, entity: Entity)] {
        withUnsafeBufferPointer { files in
            var out: [(path: String, entity: Entity)] = []
            for k in files.indices where !files[k].isPlain && files[k].skipReason == nil {
                if let e = files[k].entity { out.append((files[k].path, e)) }
            }
            return out
        }
    }

    /// How many entries are notes (not skipped), read in place.
    var noteCount: Int {
        withUnsafeBufferPointer { files in files.indices.count { files[$0].isNote } }
    }

    /// The files' sizes added up (read in place: no entry is copied).
    var totalSize: Int {
        withUnsafeBufferPointer { files in
            var total = 0
            for k in files.indices { total += Int(files[k].stat.size) }
            return total
        }
    }

    /// The sizes in bytes of the entries that are notes, by note id (as `notePaths`).
    var noteSizes: [Int] {
        var sizes: [Int] = []
        sizes.reserveCapacity(count)
        withUnsafeBufferPointer { files in
            for k in files.indices where files[k].isNote { sizes.append(Int(files[k].stat.size)) }
        }
        return sizes
    }

    /// The paths of the entries that are notes (not skipped), in table order: a note's id is
    /// its position here.
    var notePaths: [String] {
        var paths: [String] = []
        paths.reserveCapacity(count)
        withUnsafeBufferPointer { files in
            for k in files.indices where files[k].isNote { paths.append(files[k].path) }
        }
        return paths
    }
}
