#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Files and folders known to have changed (vault-relative paths), as a watcher learns them
/// from the file system's events: an update looks at these alone instead of listing the
/// vault.
public struct ChangeHints: Sendable, Equatable {
    /// Files created, written, deleted or moved in or out.
    public var files: Set<String> = []
    /// Folders created, deleted or moved in or out: everything below them is looked at.
    public var folders: Set<String> = []

    public init(files: Set<String> = [], folders: Set<String> = []) {
        self.files = files
        self.folders = folders
    }

    public var isEmpty: Bool { files.isEmpty && folders.isEmpty }

    public mutating func formUnion(_ other: ChangeHints) {
        files.formUnion(other.files)
        folders.formUnion(other.folders)
    }
}

extension Vault.Listing {
    /// The listing an index's file table records: its notes and the files it skipped when
    /// reading them with their stat, and what the listing itself skipped (stored with a zero
    /// stat: symbolic links, names that are not UTF-8, folders that cannot be read).
    init(fileTable files: [FileEntry]) {
        let zero = FileStat(size: 0, mtimeNs: 0, ctimeNs: 0, inode: 0)
        notes.reserveCapacity(files.count + 8)
        // Read in place: only each path is copied.
        files.withUnsafeBufferPointer { files in
            for k in files.indices {
                if !files[k].isPlain, let reason = files[k].skipReason, files[k].stat == zero {
                    let path = files[k].path
                    skipped.append(SkippedFile(path: path, reason: reason))
                    if path.hasSuffix("/") { unreadableFolders.append(String(path.dropLast())) }
                    if path == "." { unreadableFolders.append("") }
                } else {
                    notes.append((files[k].path, files[k].stat))
                }
            }
        }
    }
}

extension Vault {
    /// The listing `previous` brought up to date for the files and folders in `hints`, with a
    /// stat of each hinted file and a walk of each hinted folder, and nothing else: what a
    /// full `list()` would give if nothing changed but what the hints name.
    public func relist(_ previous: consuming Listing, hints: ChangeHints) throws(KGError) -> Listing {
        try checkRoot()
        // Folders inside another hinted folder are walked with it.
        let sorted = hints.folders.filter { !$0.isEmpty }.sorted { $0.utf8.bytesPrecede($1.utf8) }
        var folders: [String] = []
        for f in sorted where !folders.contains(where: { Vault.isInside(f, $0) }) { folders.append(f) }
        if hints.folders.contains("") { return try list() }
        // Byte keys: a `String` hash normalizes, once per path of the vault.
        let files = Set(hints.files.map(PathKey.init))
        func gone(_ path: String) -> Bool {
            (!files.isEmpty && files.contains(PathKey(path))) || (!folders.isEmpty && folders.contains { path == $0 || Vault.isInside(path, $0) })
        }
        // Taken over, not copied: the notes of a large vault are edited in place.
        var listing = consume previous
        if files.count + folders.count <= Vault.fewHints {
            // A few paths: each found by binary search (a folder's files are one run of the
            // sorted paths), so that a save costs no pass over the vault's paths.
            for f in hints.files { listing.notes.removeSorted(path: f) }
            for f in folders {
                listing.notes.removeSorted(path: f)
                listing.notes.removeSorted(under: f)
            }
        } else {
            listing.notes.removeAll { gone($0.path) }
        }
        listing.skipped.removeAll { s in
            let path = s.path.hasSuffix("/") ? String(s.path.dropLast()) : s.path
            return gone(path)
        }
        listing.unreadableFolders.removeAll { gone($0) }
        for folder in folders {
            guard let rules = rules(above: folder) else { continue }
            var st = stat()
            guard lstat(root + "/" + folder, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else { continue }
            walk(relative: Array(folder.utf8), into: &listing, depth: 2, rules: rules)
        }
        var added: [(path: String, stat: FileStat)] = []
        for path in hints.files where !folders.contains(where: { Vault.isInside(path, $0) }) {
            let name = Array(Vault.lastComponent(path).utf8)
            guard Vault.isNoteName(name), !name.isEmpty, name[0] != 0x2E else { continue }
            let parent = Vault.parent(path)
            guard let rules = rules(above: parent) else { continue }
            var rulesHere = rules
            if let own = ownRules(parent) { rulesHere += own }
            var st = stat()
            guard lstat(root + "/" + path, &st) == 0 else { continue }
            let kind = st.st_mode & S_IFMT
            if !rulesHere.isEmpty && ignored(Array(path.utf8), isFolder: kind == S_IFDIR, rules: rulesHere) { continue }
            if kind == S_IFREG {
                added.append((path, Vault.fileStat(st)))
            } else if kind == S_IFLNK {
                listing.skipped.append(SkippedFile(path: path, reason: "symbolic link (not followed)"))
            }
        }
        if folders.isEmpty && added.count <= Vault.fewHints {
            for a in added { listing.notes.insertSorted(a) }
        } else {
            listing.notes += added
            listing.notes.sort { $0.path.utf8.bytesPrecede($1.path.utf8) }
        }
        listing.skipped.sort { $0.path.utf8.bytesPrecede($1.path.utf8) }
        return listing
    }

    /// Up to this many hinted paths are found by binary search; more, by a pass over all.
    static let fewHints = 64

    /// Throws unless the vault's root is a folder.
    func checkRoot() throws(KGError) {
        var st = stat()
        guard lstat(root, &st) == 0 || stat(root, &st) == 0 else { throw .vaultNotFound(root) }
        if stat(root, &st) != 0 || (st.st_mode & S_IFMT) != S_IFDIR { throw .vaultNotAFolder(root) }
    }

    /// Whether `path` lies inside `folder`.
    static func isInside(_ path: String, _ folder: String) -> Bool {
        folder.isEmpty || (path.utf8.count > folder.utf8.count && path.utf8.starts(with: folder.utf8)
            && path.utf8.dropFirst(folder.utf8.count).first == 0x2F)
    }

    static func parent(_ path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: 0x2F) else { return "" }
        return String(path[..<slash])
    }

    static func lastComponent(_ path: String) -> Substring {
        guard let slash = path.utf8.lastIndex(of: 0x2F) else { return path[...] }
        return path[path.utf8.index(after: slash)...]
    }

    /// The ignore rules of `folder`'s own ignore files, if it has any.
    private func ownRules(_ folder: String) -> [IgnoreRules]? {
        var out: [IgnoreRules] = []
        let full = folder.isEmpty ? root : root + "/" + folder
        for file in Vault.ignoreFiles {
            if case .success(let bytes) = Vault(root: full).read(file, limit: 1 << 20) {
                out.append(IgnoreRules(base: Array(folder.utf8), text: bytes))
            }
        }
        return out.isEmpty ? nil : out
    }

    /// The ignore rules that apply inside `folder` from the folders above it (the root's
    /// included, `folder`'s own not), or nil when `folder` or a folder above it is hidden or
    /// ignored: what `list()` would have gathered on its way down.
    private func rules(above folder: String) -> [IgnoreRules]? {
        if folder.isEmpty { return [] }
        var rules = ownRules("") ?? []
        let parts = folder.split(separator: "/", omittingEmptySubsequences: false)
        var here = ""
        for (k, part) in parts.enumerated() {
            if part.isEmpty || part.hasPrefix(".") { return nil }
            here = here.isEmpty ? String(part) : here + "/" + part
            if !rules.isEmpty && ignored(Array(here.utf8), isFolder: true, rules: rules) { return nil }
            if k < parts.count - 1, let own = ownRules(here) { rules += own }
        }
        return rules
    }
}

extension Array where Element == (path: String, stat: FileStat) {
    /// The first index whose path does not precede `path` (the array sorted by path bytes).
    func sortedIndex(of path: String) -> Int {
        var lo = 0
        var hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if self[mid].path.utf8.bytesPrecede(path.utf8) { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Removes the entry of `path`, if any.
    mutating func removeSorted(path: String) {
        let k = sortedIndex(of: path)
        if k < count && self[k].path.utf8.bytesEqual(path.utf8) { remove(at: k) }
    }

    /// Removes every entry inside `folder` (the paths that start with `folder/`: one run).
    mutating func removeSorted(under folder: String) {
        let prefix = folder + "/"
        let start = sortedIndex(of: prefix)
        var end = start
        while end < count && self[end].path.utf8.starts(with: prefix.utf8) { end += 1 }
        removeSubrange(start..<end)
    }

    /// Inserts `entry` where its path sorts, replacing an entry of the same path.
    mutating func insertSorted(_ entry: (path: String, stat: FileStat)) {
        let k = sortedIndex(of: entry.path)
        if k < count && self[k].path.utf8.bytesEqual(entry.path.utf8) { self[k] = entry } else { insert(entry, at: k) }
    }
}
