#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Keeps the index fresh while it runs: inotify on Linux, polling elsewhere or when inotify
/// cannot watch the whole vault.
///
/// Events are hints: after a burst of events settles (debounce) the vault is re-checked the
/// usual way (stat, then hash), so editors' atomic saves, unpaired moves, new folders and
/// queue overflows all come down to one update. While it runs it holds a shared lock on
/// `.kg/watch.lock`; query commands that see the lock held trust the index without walking
/// the vault, and the kernel drops the lock if the watcher dies.
public struct Watcher: Sendable {
    public let indexer: Indexer
    /// Quiet time after the last event before an update runs.
    public var debounceSeconds = 0.15
    /// Longest an update waits under a continuous stream of events.
    public var maxDelaySeconds = 2.0
    /// Interval of the polling fallback.
    public var pollSeconds = 1.0
    /// Use polling even where inotify exists (tests, network file systems).
    public var forcePolling = false

    public init(indexer: Indexer) {
        self.indexer = indexer
    }

    /// What the watcher tells its caller.
    public enum Event: Sendable {
        /// An update was applied (only sent when something changed).
        case updated(IndexReport)
        /// An update ran and found nothing to apply.
        case unchanged
        /// A notice: falling back to polling, a refused update, ...
        case notice(String)
    }

    static func lockPath(_ indexFolder: String) -> String { indexFolder + "/watch.lock" }

    /// Whether a watcher is running on the vault whose index folder is `indexFolder`.
    public static func isRunning(indexFolder: String) -> Bool {
        let fd = open(lockPath(indexFolder), O_RDONLY)
        if fd < 0 { return false }
        defer { close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return false
        }
        return errno == EWOULDBLOCK
    }

    /// Runs until `stopFD` becomes readable (or the vault disappears, which throws).
    public func run(stopFD: Int32, events: (Event) -> Void) throws(KGError) {
        try indexer.prepareFolder()
        let lockFD = open(Watcher.lockPath(indexer.indexFolder), O_RDWR | O_CREAT, 0o644)
        if lockFD < 0 { throw KGError.ioError(Watcher.lockPath(indexer.indexFolder), reason: String(cString: strerror(errno))) }
        defer { close(lockFD) }
        // Held exclusively for the watcher's life; a reader's brief shared probe may hold it
        // for an instant, so try a few times before concluding another watcher runs.
        var attempts = 0
        while flock(lockFD, LOCK_EX | LOCK_NB) != 0 {
            attempts += 1
            if attempts > 50 { throw KGError.failure("another kg watch is already running on this vault") }
            usleep(10_000)
        }
        try apply(events, initial: true)
        #if os(Linux)
            if !forcePolling {
                var notice: String?
                if try runInotify(stopFD: stopFD, events: events, fallback: &notice) { return }
                if let notice { events(.notice(notice)) }
            }
        #endif
        try runPolling(stopFD: stopFD, events: events)
    }

    /// One update; reports it when something changed. A refused mass deletion is reported and
    /// the watcher goes on.
    private func apply(_ events: (Event) -> Void, initial: Bool = false) throws(KGError) {
        do {
            let (_, report) = try indexer.update(.init(), notice: { events(.notice($0)) })
            if report.hasChanges || report.rebuildReason != nil || (initial && report.wroteIndex) {
                events(.updated(report))
            } else {
                events(.unchanged)
            }
        } catch .massDelete(let removed, let total) {
            events(.notice(KGError.massDelete(removed: removed, of: total).message))
        } catch .vaultNotFound(let p) {
            throw KGError.failure("the vault disappeared (\(p)); stopped watching, the index is kept")
        } catch .vaultNotAFolder(let p) {
            throw KGError.failure("the vault is no longer a folder (\(p)); stopped watching, the index is kept")
        }
    }

    /// Waits up to `seconds` for `fd` to become readable.
    private static func wait(_ fds: [Int32], seconds: Double) -> [Bool] {
        var pfds = fds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        let ms = Int32(max(0, min(seconds, 3600)) * 1000)
        var n: Int32
        repeat { n = poll(&pfds, nfds_t(pfds.count), ms) } while n < 0 && errno == EINTR
        return pfds.map { $0.revents != 0 }
    }

    private static func drain(_ fd: Int32) -> Bool {
        var buf = [UInt8](repeating: 0, count: 64)
        return buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) } > 0
    }

    private func runPolling(stopFD: Int32, events: (Event) -> Void) throws(KGError) {
        while true {
            if Watcher.wait([stopFD], seconds: pollSeconds)[0] { return }
            try apply(events)
        }
    }

    #if os(Linux)
        /// Returns true when stopped; false (with a notice) when inotify cannot be used.
        private func runInotify(stopFD: Int32, events: (Event) -> Void, fallback: inout String?) throws(KGError) -> Bool {
            let fd = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
            if fd < 0 {
                fallback = "inotify is not available (\(String(cString: strerror(errno)))); watching by polling every \(pollSeconds) s"
                return false
            }
            defer { close(fd) }
            var watches = InotifyWatches(fd: fd, root: indexer.vault.root)
            if let problem = watches.addTree("") {
                fallback = problem + "; watching by polling every \(pollSeconds) s"
                return false
            }
            _ = watches.add(".kg", mask: UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE))
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            var dirtySince: Double?
            var lastEvent = 0.0
            while true {
                let timeout: Double
                if let since = dirtySince {
                    timeout = max(0, min(lastEvent + debounceSeconds, since + maxDelaySeconds) - monotonicSeconds())
                } else {
                    timeout = 3600
                }
                let ready = Watcher.wait([stopFD, fd], seconds: timeout)
                if ready[0] { return true }
                if ready[1] {
                    var relevant = false
                    var overflow = false
                    while true {
                        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                        if n <= 0 { break }
                        watches.parse(buffer, count: n) { event in
                            switch event {
                            case .overflow: overflow = true
                            case .relevant: relevant = true
                            case .rootGone: relevant = true
                            }
                        }
                    }
                    if let problem = watches.limitProblem {
                        fallback = problem + "; watching by polling every \(pollSeconds) s"
                        try apply(events)
                        return false
                    }
                    if overflow {
                        events(.notice("too many changes at once (inotify queue overflow); rescanning the vault"))
                        watches.rescan()
                    }
                    if relevant || overflow {
                        let now = monotonicSeconds()
                        if dirtySince == nil { dirtySince = now }
                        lastEvent = now
                    }
                }
                if let since = dirtySince {
                    let now = monotonicSeconds()
                    if now >= lastEvent + debounceSeconds || now >= since + maxDelaySeconds {
                        dirtySince = nil
                        try apply(events)
                    }
                }
            }
        }
    #endif
}

#if os(Linux)
    /// The inotify watches on a vault's folders, keyed by watch descriptor.
    struct InotifyWatches {
        let fd: Int32
        let root: String
        var paths: [Int32: String] = [:]
        var limitProblem: String?

        static let folderMask = UInt32(
            IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB
                | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)

        init(fd: Int32, root: String) {
            self.fd = fd
            self.root = root
        }

        enum Change { case relevant, overflow, rootGone }

        /// Watches `relative` (a folder) and every non-hidden folder below it; returns a
        /// problem when the watch limit is reached.
        mutating func addTree(_ relative: String) -> String? {
            if !add(relative, mask: InotifyWatches.folderMask) { return limitProblem }
            let full = relative.isEmpty ? root : root + "/" + relative
            guard let dir = opendir(full) else { return nil }
            var children: [String] = []
            while let ent = readdir(dir) {
                let name = withUnsafeBytes(of: ent.pointee.d_name) { raw in
                    String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
                }
                if name.hasPrefix(".") { continue }
                let child = relative.isEmpty ? name : relative + "/" + name
                var st = stat()
                if lstat(root + "/" + child, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR { children.append(child) }
            }
            closedir(dir)
            for c in children {
                if let problem = addTree(c) { return problem }
            }
            return nil
        }

        mutating func add(_ relative: String, mask: UInt32) -> Bool {
            let full = relative.isEmpty ? root : root + "/" + relative
            let wd = inotify_add_watch(fd, full, mask)
            if wd < 0 {
                if errno == ENOSPC {
                    limitProblem = "the inotify watch limit is reached (fs.inotify.max_user_watches)"
                    return false
                }
                return true  // the folder went away meanwhile: nothing to watch
            }
            paths[wd] = relative
            return true
        }

        /// Re-adds watches for every folder (after an overflow, events may have been lost).
        mutating func rescan() {
            _ = addTree("")
        }

        /// Reads the events in `buffer[0..<count]`.
        mutating func parse(_ buffer: [UInt8], count: Int, _ report: (Change) -> Void) {
            var offset = 0
            let header = MemoryLayout<inotify_event>.size
            while offset + header <= count {
                let (wd, mask, length) = buffer.withUnsafeBytes { raw in
                    (raw.loadUnaligned(fromByteOffset: offset, as: Int32.self),
                     raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self),
                     Int(raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self)))
                }
                let nameBytes = buffer[(offset + header)..<min(count, offset + header + length)].prefix { $0 != 0 }
                let name = String(decoding: nameBytes, as: UTF8.self)
                offset += header + length
                if mask & UInt32(IN_Q_OVERFLOW) != 0 {
                    report(.overflow)
                    continue
                }
                guard let folder = paths[wd] else { continue }
                if mask & UInt32(IN_IGNORED) != 0 {
                    paths[wd] = nil
                    continue
                }
                if mask & UInt32(IN_DELETE_SELF | IN_MOVE_SELF) != 0 {
                    report(folder.isEmpty ? .rootGone : .relevant)
                    continue
                }
                if folder == ".kg" {
                    if name == "lexicon.txt" { report(.relevant) }
                    continue
                }
                if Vault.ignoreFiles.contains(name) {
                    report(.relevant)
                    continue
                }
                if name.hasPrefix(".") { continue }
                let isFolder = mask & UInt32(IN_ISDIR) != 0
                if isFolder {
                    // A new or moved-in folder: watch it, then the update's scan finds files
                    // that landed before the watch.
                    if mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 {
                        _ = addTree(folder.isEmpty ? name : folder + "/" + name)
                    }
                    report(.relevant)
                } else if Vault.isNoteName(Array(name.utf8)) {
                    report(.relevant)
                }
            }
        }
    }
#endif
