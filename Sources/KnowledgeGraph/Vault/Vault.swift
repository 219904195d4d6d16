#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What kg remembers of a file to tell whether it changed: size, times with nanoseconds, inode.
public struct FileStat: Sendable, Hashable {
    public var size: Int64
    public var mtimeNs: Int64
    public var ctimeNs: Int64
    public var inode: UInt64

    public init(size: Int64, mtimeNs: Int64, ctimeNs: Int64, inode: UInt64) {
        self.size = size
        self.mtimeNs = mtimeNs
        self.ctimeNs = ctimeNs
        self.inode = inode
    }
}

/// A file kg looked at and did not index, with the reason.
public struct SkippedFile: Error, Sendable, Hashable {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
}

/// A notes folder: which files are notes, and reading them.
public struct Vault: Sendable {
    /// Absolute path of the vault folder.
    public let root: String

    public init(root: String) {
        self.root = root
    }

    /// The result of walking the vault.
    public struct Listing: Sendable {
        /// Notes by vault-relative path, sorted by path.
        public var notes: [(path: String, stat: FileStat)] = []
        /// Files that look like notes but were not taken, and folders that could not be read.
        public var skipped: [SkippedFile] = []
        /// Folders that could not be listed: notes indexed under them before are kept.
        public var unreadableFolders: [String] = []
    }

    static func isNoteName(_ name: [UInt8]) -> Bool {
        func hasSuffix(_ s: String) -> Bool {
            let suffix = Array(s.utf8)
            guard name.count > suffix.count else { return false }
            return zip(name[(name.count - suffix.count)...], suffix).allSatisfy { a, b in
                (a >= 0x41 && a <= 0x5A ? a + 0x20 : a) == b
            }
        }
        return hasSuffix(".md") || hasSuffix(".markdown")
    }

    /// Lists the notes: `*.md` and `*.markdown` files, skipping hidden files and folders.
    /// Symbolic links are not followed.
    public func list() throws(KGError) -> Listing {
        var st = stat()
        guard lstat(root, &st) == 0 || stat(root, &st) == 0 else { throw .vaultNotFound(root) }
        if stat(root, &st) != 0 || (st.st_mode & S_IFMT) != S_IFDIR { throw .vaultNotAFolder(root) }
        var listing = Listing()
        walk(relative: [], into: &listing, depth: 0, rules: [])
        listing.notes.sort { $0.path.utf8.bytesPrecede($1.path.utf8) }
        listing.skipped.sort { $0.path.utf8.bytesPrecede($1.path.utf8) }
        return listing
    }

    /// The ignore files read in each folder.
    static let ignoreFiles = [".gitignore", ".kgignore"]
    private static let ignoreFileNames = ignoreFiles.map { Array($0.utf8) }

    func ignored(_ path: [UInt8], isFolder: Bool, rules: [IgnoreRules]) -> Bool {
        var result = false
        for r in rules {
            if let d = r.decision(for: path, isFolder: isFolder) { result = d }
        }
        return result
    }

    func walk(relative: [UInt8], into listing: inout Listing, depth: Int, rules parentRules: [IgnoreRules]) {
        let rel = String(decoding: relative, as: UTF8.self)
        let dirPath = relative.isEmpty ? root : root + "/" + rel
        guard let dir = opendir(dirPath) else {
            listing.unreadableFolders.append(rel)
            listing.skipped.append(SkippedFile(path: rel.isEmpty ? "." : rel + "/", reason: "folder cannot be read (\(String(cString: strerror(errno))))"))
            return
        }
        defer { closedir(dir) }
        var entries: [[UInt8]] = []
        var ignoreFiles: [String] = []
        while let ent = readdir(dir) {
            let name: [UInt8] = withUnsafeBytes(of: ent.pointee.d_name) { raw in
                Array(raw.prefix(while: { $0 != 0 }))
            }
            if name.isEmpty || name[0] == 0x2E {  // hidden, `.` and `..`; ignore files noted
                if let file = Vault.ignoreFileNames.first(where: { $0.elementsEqual(name) }) {
                    ignoreFiles.append(String(decoding: file, as: UTF8.self))
                }
                continue
            }
            entries.append(name)
        }
        entries.sort { $0.lexicographicallyPrecedes($1) }
        var rules = parentRules
        // Folders near the top are walked on all cores, each into its own listing.
        var folders: [[UInt8]] = []
        for file in Vault.ignoreFiles where ignoreFiles.contains(file) {
            if case .success(let bytes) = Vault(root: dirPath).read(file, limit: 1 << 20) {
                rules.append(IgnoreRules(base: relative, text: bytes))
            }
        }
        for name in entries {
            let childRel = relative.isEmpty ? name : relative + [0x2F] + name
            guard let childPath = String(validating: childRel, as: UTF8.self) else {
                if Vault.isNoteName(name) {
                    listing.skipped.append(SkippedFile(path: String(decoding: childRel, as: UTF8.self), reason: "file name is not valid UTF-8"))
                }
                continue
            }
            var st = stat()
            let found = name.withUnsafeBufferPointer { p in
                p.withMemoryRebound(to: CChar.self) { c in
                    var z = Array(c)
                    z.append(0)
                    return fstatat(dirfd(dir), z, &st, AT_SYMLINK_NOFOLLOW) == 0
                }
            }
            guard found else { continue }
            let kind = st.st_mode & S_IFMT
            if !rules.isEmpty && ignored(childRel, isFolder: kind == S_IFDIR, rules: rules) { continue }
            if kind == S_IFDIR {
                if depth <= 1 {
                    folders.append(childRel)
                } else if depth < 4096 {
                    walk(relative: childRel, into: &listing, depth: depth + 1, rules: rules)
                }
            } else if kind == S_IFREG {
                if Vault.isNoteName(name) { listing.notes.append((childPath, Vault.fileStat(st))) }
            } else if kind == S_IFLNK {
                if Vault.isNoteName(name) {
                    listing.skipped.append(SkippedFile(path: childPath, reason: "symbolic link (not followed)"))
                }
            }
        }
        let folderRules = rules
        let parts: [Listing] = parallelMap(folders, minimum: 2) { rel in
            var part = Listing()
            self.walk(relative: rel, into: &part, depth: depth + 1, rules: folderRules)
            return part
        }
        for part in parts {
            listing.notes += part.notes
            listing.skipped += part.skipped
            listing.unreadableFolders += part.unreadableFolders
        }
    }

    static func fileStat(_ st: stat) -> FileStat {
        #if canImport(Darwin)
            let m = Int64(st.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(st.st_mtimespec.tv_nsec)
            let c = Int64(st.st_ctimespec.tv_sec) * 1_000_000_000 + Int64(st.st_ctimespec.tv_nsec)
        #else
            let m = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
            let c = Int64(st.st_ctim.tv_sec) * 1_000_000_000 + Int64(st.st_ctim.tv_nsec)
        #endif
        return FileStat(size: Int64(st.st_size), mtimeNs: m, ctimeNs: c, inode: UInt64(st.st_ino))
    }

    /// Reads a note's bytes; the error is the system's reason.
    public func read(_ path: String, limit: Int) -> Result<[UInt8], SkippedFile> {
        let full = root + "/" + path
        let fd = open(full, O_RDONLY)
        if fd < 0 { return .failure(SkippedFile(path: path, reason: "cannot be read (\(String(cString: strerror(errno))))")) }
        defer { close(fd) }
        var st = stat()
        let size = fstat(fd, &st) == 0 ? Int(st.st_size) : 0
        if size > limit {
            return .failure(SkippedFile(path: path, reason: "larger than the \(limit / 1_000_000) MB note size limit"))
        }
        // Read into a buffer of the file's size (plus one byte to notice growth), then on in
        // chunks if the file grew meanwhile.
        var failure: Int32 = 0
        var bytes = [UInt8](unsafeUninitializedCapacity: size + 1) { buffer, count in
            var done = 0
            while done < buffer.count {
                let want = buffer.count - done
                let n = Glibc.read(fd, buffer.baseAddress.map { $0 + done }, want)
                if n < 0 && errno == EINTR { continue }
                if n < 0 { failure = errno }
                if n <= 0 { break }
                done += n
                if n < want { break }  // a short read of a regular file is its end: no second call
            }
            count = done
        }
        if failure != 0 {
            return .failure(SkippedFile(path: path, reason: "cannot be read (\(String(cString: strerror(failure))))"))
        }
        if bytes.count <= size { return .success(bytes) }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(SkippedFile(path: path, reason: "cannot be read (\(String(cString: strerror(errno))))"))
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
            if bytes.count > limit {
                return .failure(SkippedFile(path: path, reason: "larger than the \(limit / 1_000_000) MB note size limit"))
            }
        }
        return .success(bytes)
    }

    /// Reads, decodes and normalizes a note: the text kg analyzes and shows.
    public func text(_ path: String, limit: Int = Vault.noteSizeLimit) -> Result<String, SkippedFile> {
        switch read(path, limit: limit) {
        case .failure(let f): return .failure(f)
        case .success(let bytes):
            switch TextDecoder.decode(bytes) {
            case .success(let (text, _)): return .success(Normalizer.normalize(text))
            case .failure(let f): return .failure(SkippedFile(path: path, reason: f.reason))
            }
        }
    }

    /// The scalars of the normalized text of note `path`: `text` without making a String for
    /// most notes.
    func scalars(_ path: String, limit: Int = Vault.noteSizeLimit) -> Result<[UInt32], SkippedFile> {
        switch read(path, limit: limit) {
        case .failure(let f): return .failure(f)
        case .success(let bytes):
            switch Vault.scalars(of: bytes) {
            case .success(let scalars): return .success(scalars)
            case .failure(let f): return .failure(SkippedFile(path: path, reason: f.reason))
            }
        }
    }

    /// The scalars of the normalized text that `bytes` decode to: in one pass when they are
    /// plain UTF-8 (`Scalars.plainUTF8`), else through `TextDecoder` and `Normalizer`.
    static func scalars(of bytes: [UInt8]) -> Result<[UInt32], DecodeFailure> {
        if let plain = bytes.withUnsafeBufferPointer(Scalars.plainUTF8) { return .success(plain) }
        return TextDecoder.decode(bytes).map { Scalars.values(of: Normalizer.normalize($0.text)) }
    }

    /// Notes larger than this are skipped: 32 MB.
    public static let noteSizeLimit = 32_000_000
}

/// A path as a dictionary key, compared by its UTF-8 bytes.
///
/// Swift `String` equality treats NFC and NFD spellings as equal, but they are two different
/// files on Linux; keys built from bytes keep them apart.
public struct PathKey: Hashable, Sendable {
    public let bytes: [UInt8]
    public init(_ path: String) { bytes = Array(path.utf8) }

    public func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
