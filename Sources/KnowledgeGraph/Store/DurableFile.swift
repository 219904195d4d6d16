#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Durable, atomic file replacement: temp file in the same folder, fsync, rename, fsync of the
/// folder. On any failure the old file is untouched and the temp file removed.
enum DurableFile {
    static func errorText() -> String { String(cString: strerror(errno)) }

    /// Linux's `sync_file_range`, which Swift's Glibc module does not export.
    static let syncFileRange: (@convention(c) (Int32, Int64, Int64, UInt32) -> Int32)? = {
        #if os(Linux)
            guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "sync_file_range") else { return nil }
            return unsafeBitCast(symbol, to: (@convention(c) (Int32, Int64, Int64, UInt32) -> Int32).self)
        #else
            return nil
        #endif
    }()

    static func write(_ bytes: [UInt8], to path: String) throws(KGError) {
        try write(pieces: [bytes], to: path)
    }

    /// Writes `pieces` one after another as the new content of `path`.
    static func write(pieces: [[UInt8]], to path: String) throws(KGError) {
        let file = try Writer(path: path)
        var offset = 0
        for bytes in pieces {
            bytes.withUnsafeBytes { file.write($0, at: offset) }
            offset += bytes.count
        }
        try file.commit()
    }

    /// The new content of a file, written in pieces at any offsets into a temp file, then put
    /// in place by `commit`. Dropped without a commit, the temp file is removed and the old
    /// file stays. Several threads may `write` at once; the rest is for one thread.
    final class Writer: @unchecked Sendable {
        private let path: String
        private let temp: String
        private var fd: Int32
        /// The temp file's inode: the file `path` names after the commit, unless another
        /// writer replaced it since.
        private(set) var inode: UInt64 = 0
        /// The first error; later writes are skipped and `commit` throws it.
        private var failure: String?
        private let failureLock = PthreadMutex()

        init(path: String) throws(KGError) {
            self.path = path
            temp = path + ".tmp-\(getpid())"
            fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            if fd < 0 { throw KGError.ioError(path, reason: errorText()) }
            var st = stat()
            if fstat(fd, &st) == 0 { inode = UInt64(st.st_ino) }
        }

        deinit { abandon() }

        /// Removes the temp file, leaving `path` as it was. Called before another writer of
        /// this process takes the same temp name.
        func abandon() {
            if fd >= 0 {
                close(fd)
                unlink(temp)
                fd = -1
            }
        }

        func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) {
            if failureLock.withLock({ failure != nil }) { return }
            var done = 0
            while done < bytes.count {
                let n = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
                if n < 0 {
                    if errno == EINTR { continue }
                    let reason = errorText()
                    failureLock.withLock { if failure == nil { failure = reason } }
                    return
                }
                done += n
            }
        }

        /// Asks the kernel to start writing what was written so far to disk, without waiting,
        /// so that the `fsync` of `commit` has less left to do (Linux; elsewhere nothing).
        func startWriteback() {
            guard fd >= 0, failure == nil, let start = DurableFile.syncFileRange else { return }
            _ = start(fd, 0, 0, 2)  // SYNC_FILE_RANGE_WRITE
        }

        /// Syncs the temp file, renames it over `path` and syncs the folder.
        func commit() throws(KGError) {
            let folder = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
            if failure == nil && fsync(fd) != 0 { failure = errorText() }
            if close(fd) != 0 && failure == nil { failure = errorText() }
            fd = -1
            if let reason = failure {
                unlink(temp)
                throw KGError.ioError(path, reason: reason)
            }
            if rename(temp, path) != 0 {
                let reason = errorText()
                unlink(temp)
                throw KGError.ioError(path, reason: reason)
            }
            let dfd = open(folder.isEmpty ? "." : folder, O_RDONLY)
            if dfd >= 0 {
                let ok = fsync(dfd) == 0
                close(dfd)
                if !ok { throw KGError.ioError(path, reason: "the folder could not be synced to disk") }
            }
        }
    }
}

/// An exclusive lock on `<vault>/.kg/lock` held by a writer; the kernel releases it if kg dies.
public final class WriterLock: @unchecked Sendable {
    private let fd: Int32

    /// Takes the lock; if another writer holds it, calls `waiting` once and then blocks, or,
    /// with `wait: false`, returns nil.
    public init?(path: String, wait: Bool, waiting: () -> Void) throws(KGError) {
        fd = open(path, O_RDWR | O_CREAT, 0o644)
        if fd < 0 { throw KGError.ioError(path, reason: DurableFile.errorText()) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            if !wait {
                close(fd)
                return nil
            }
            waiting()
            while flock(fd, LOCK_EX) != 0 {
                if errno != EINTR {
                    close(fd)
                    throw KGError.ioError(path, reason: DurableFile.errorText())
                }
            }
        }
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
