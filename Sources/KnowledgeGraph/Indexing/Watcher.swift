#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

#if canImport(Glibc)
    /// glibc's `mallopt` and `malloc_trim` (malloc.h is not part of the Glibc module).
    @_silgen_name("mallopt") private func glibcMallopt(_ option: Int32, _ value: Int32) -> Int32
    @_silgen_name("malloc_trim") private func glibcMallocTrim(_ pad: Int) -> Int32
#endif

/// Keeps the index fresh while it runs: inotify on Linux, polling elsewhere or when inotify
/// cannot watch the whole vault.
///
/// The events say which files and folders changed; after a short quiet time the update looks
/// at those alone (`ChangeHints`: a stat of each file, a walk of each folder), never listing
/// the vault. A single save is applied within tens of milliseconds; a burst (a `git checkout`)
/// is coalesced into one update. The whole vault is checked at start, after an overflow of
/// the event queue (the kernel's, or more events at once than `eventLimit`), when a watch is
/// lost, when an ignore file changes, and every `fullCheckSeconds` as a safety net. While it
/// runs it holds a lock on `.kg/watch.lock`; query commands that see the lock held trust the
/// index without walking the vault, and the kernel drops the lock if the watcher dies.
public struct Watcher: Sendable {
    public let indexer: Indexer
    /// The index the last update left: the next update starts from it while it is still the
    /// file on disk, with the bytes it has checked.
    private let current = Locked<IndexReader?>(nil)
    /// Quiet time after a change before it is applied.
    public var quietSeconds = 0.01
    /// Quiet time once several changes came in a row: a burst is applied as one update.
    public var burstQuietSeconds = 0.1
    /// Longest an update waits under a continuous stream of events.
    public var maxDelaySeconds = 2.0
    /// Interval of the full check that catches what events could not say.
    public var fullCheckSeconds = 600.0
    /// Wait before trying again an update that could not be written (a full disk).
    public var retrySeconds = 5.0
    /// Interval of the polling fallback.
    public var pollSeconds = 1.0
    /// Use polling even where inotify exists (tests, network file systems).
    public var forcePolling = false
    /// More events than this read at once count as an overflow: the vault is checked whole.
    public var eventLimit = 16_384
    /// While edits come, base and delta may take this much more room than the notes (a save
    /// then writes a delta, not the whole file); once no edit came for `compactSeconds`, a
    /// delta past the notes' size is written whole again (as any later update of kg does).
    public var footprintSlack = 1.25
    public var compactSeconds = 5.0
    /// An update that analyses more notes than this gives back the memory it freed.
    static let largeUpdate = 1_000
    /// Folders whose watches are dropped once the watcher has started (tests of a lost watch).
    var dropWatches: [String] = []

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
        #if canImport(Glibc)
            // Each save builds buffers of the same few sizes (the file table, the dictionary):
            // freed memory is kept for the next save rather than given back and faulted in
            // again, so resident memory stays at one update's peak.
            _ = glibcMallopt(-3, 256 << 20)  // M_MMAP_THRESHOLD
            _ = glibcMallopt(-1, 512 << 20)  // M_TRIM_THRESHOLD
        #endif
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
        #if os(Linux)
            if !forcePolling {
                var notice: String?
                if try runInotify(stopFD: stopFD, events: events, fallback: &notice) { return }
                if let notice { events(.notice(notice)) }
            }
        #endif
        try runPolling(stopFD: stopFD, events: events)
    }

    /// One update of what `hints` name (nil: the whole vault); reports it when something
    /// changed. A refused mass deletion is reported and the watcher goes on; an index that
    /// cannot be written (a full disk) is reported, the last good index stays, and false says
    /// to try again later.
    private func apply(_ events: (Event) -> Void, hints: ChangeHints? = nil, initial: Bool = false, compact: Bool = false) throws(KGError) -> Bool {
        do {
            var options = Indexer.Options()
            options.footprintSlack = footprintSlack
            options.compact = compact || hints == nil
            // A full check opens the index afresh, its blocks checked again as they are read.
            let (reader, report) = try indexer.update(options, hints: hints, current: hints == nil ? nil : current.withLock { $0 },
                notice: { events(.notice($0)) })
            // The replaced reader (its file table, tables and mapping) is freed on another core.
            let replaced = current.withLock { held in
                defer { held = reader }
                return held
            }
            if let replaced { releaseElsewhere([replaced]) }
            #if canImport(Glibc)
                // Saves keep the memory they free for the next one; a full check (at start,
                // or the compaction once edits stop) or a large update gives it back.
                if hints == nil || report.analyzed > Watcher.largeUpdate { _ = glibcMallocTrim(0) }
            #endif
            if report.hasChanges || report.rebuildReason != nil || (initial && report.wroteIndex) {
                events(.updated(report))
            } else if !(compact && hints != nil) {
                events(.unchanged)  // a compaction alone has nothing to say
            }
        } catch .massDelete(let removed, let total) {
            events(.notice(KGError.massDelete(removed: removed, of: total).message))
        } catch .vaultNotFound(let p) {
            throw KGError.failure("the vault disappeared (\(p)); stopped watching, the index is kept")
        } catch .vaultNotAFolder(let p) {
            throw KGError.failure("the vault is no longer a folder (\(p)); stopped watching, the index is kept")
        } catch .ioError(let p, let reason) {
            events(.notice("cannot write the index \(p) (\(reason)); the last good index is kept, trying again in \(Int(retrySeconds)) s"))
            return false
        } catch .cannotCreateIndexFolder(let p, let reason) {
            events(.notice("cannot write in \(p) (\(reason)); the last good index is kept, trying again in \(Int(retrySeconds)) s"))
            return false
        }
        return true
    }

    /// Waits up to `seconds` for `fd` to become readable.
    private static func wait(_ fds: [Int32], seconds: Double) -> [Bool] {
        var pfds = fds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        let ms = Int32(max(0, min(seconds, 3600)) * 1000)
        var n: Int32
        repeat { n = poll(&pfds, nfds_t(pfds.count), ms) } while n < 0 && errno == EINTR
        return pfds.map { $0.revents != 0 }
    }

    private func runPolling(stopFD: Int32, events: (Event) -> Void) throws(KGError) {
        _ = try apply(events, initial: true)
        while true {
            if Watcher.wait([stopFD], seconds: pollSeconds)[0] { return }
            _ = try apply(events)
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
            // Watches first, then the full check: nothing written in between is missed.
            var watches = InotifyWatches(fd: fd, root: indexer.vault.root)
            if let problem = watches.addTree("") {
                fallback = problem + "; watching by polling every \(pollSeconds) s"
                return false
            }
            _ = watches.add(".kg", mask: UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE))
            var pending = ChangeHints()
            // Notes a writer still has open: a save is applied once they are closed (or after
            // `maxDelaySeconds`), not once between its first write and its close.
            var writing = Set<String>()
            var whole = !(try apply(events, initial: true))
            var dirty = whole
            var dirtySince = monotonicSeconds()
            var lastEvent = dirtySince
            var changesInBatch = 0
            var eventsInBatch = 0
            var retryAt: Double? = whole ? monotonicSeconds() + retrySeconds : nil
            var nextFullCheck = monotonicSeconds() + fullCheckSeconds
            var compactAt: Double?
            for folder in dropWatches { watches.drop(folder) }
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let now = monotonicSeconds()
                var due = nextFullCheck
                if let retryAt {
                    due = min(due, retryAt)
                } else if dirty {
                    let quiet = changesInBatch > 1 ? burstQuietSeconds : quietSeconds
                    due = min(due, writing.isEmpty ? min(lastEvent + quiet, dirtySince + maxDelaySeconds) : dirtySince + maxDelaySeconds)
                } else if let compactAt {
                    due = min(due, compactAt)
                }
                let ready = Watcher.wait([stopFD, fd], seconds: max(0, due - now))
                if ready[0] { return true }
                if ready[1] {
                    var count = 0
                    var overflow = false
                    var changed = false
                    while true {
                        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                        if n <= 0 { break }
                        watches.parse(buffer, count: n) { change in
                            count += 1
                            changed = true
                            switch change {
                            case .file(let path, let opened):
                                pending.files.insert(path)
                                if opened { writing.insert(path) } else { writing.remove(path) }
                            case .folder(let path): pending.folders.insert(path)
                            case .overflow: overflow = true
                            case .everything: whole = true
                            case .lexicon: break
                            }
                        }
                    }
                    if let problem = watches.limitProblem {
                        fallback = problem + "; watching by polling every \(pollSeconds) s"
                        _ = try apply(events)
                        return false
                    }
                    eventsInBatch += count
                    if (overflow || eventsInBatch > eventLimit) && !whole {
                        events(.notice("too many changes at once (the event queue overflowed); checking the whole vault"))
                        watches.rescan()
                        whole = true
                        pending = ChangeHints()
                    }
                    if changed {
                        let now = monotonicSeconds()
                        if !dirty {
                            dirty = true
                            dirtySince = now
                        }
                        // A save is several events on one file: the burst is counted in paths.
                        changesInBatch = whole ? 2 : max(1, pending.files.count + pending.folders.count)
                        lastEvent = now
                    }
                }
                let at = monotonicSeconds()
                let quiet = changesInBatch > 1 ? burstQuietSeconds : quietSeconds
                let settled = dirty && ((writing.isEmpty && at >= lastEvent + quiet) || at >= dirtySince + maxDelaySeconds)
                if (settled && retryAt == nil) || (retryAt.map { at >= $0 } ?? false) {
                    if try apply(events, hints: whole ? nil : pending) {
                        writing = []  // a writer that closes later sends its close again
                        if whole { nextFullCheck = at + fullCheckSeconds }
                        compactAt = whole ? nil : monotonicSeconds() + compactSeconds
                        eventsInBatch = 0
                        pending = ChangeHints()
                        whole = false
                        dirty = false
                        retryAt = nil
                    } else {
                        retryAt = monotonicSeconds() + retrySeconds
                    }
                } else if !dirty, let c = compactAt, at >= c {
                    // Quiet again: a delta past the notes' size is written whole (nothing is
                    // read but the file table; nothing to say).
                    compactAt = nil
                    _ = try apply(events, hints: ChangeHints(), compact: true)
                } else if !dirty && at >= nextFullCheck {
                    // The safety net: what no event said (a change while events were lost).
                    if !(try apply(events)) {
                        dirty = true
                        whole = true
                        retryAt = monotonicSeconds() + retrySeconds
                    }
                    nextFullCheck = monotonicSeconds() + fullCheckSeconds
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

        /// What an event says changed.
        enum Change: Equatable {
            /// A file that may be a note (or an editor's temp file that became one); `writing`
            /// when the event says a writer has it open (created or modified, not yet closed).
            case file(String, writing: Bool)
            /// A folder created, deleted, moved, or whose watch was lost.
            case folder(String)
            /// The kernel's queue overflowed.
            case overflow
            /// Something only a full check settles: an ignore file, the vault itself.
            case everything
            /// `.kg/lexicon.txt`.
            case lexicon
        }

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

        /// Stops watching `folder` and the folders in it (moved away: if it moved within the
        /// vault, its new path is watched anew).
        mutating func unwatch(_ folder: String) {
            for (wd, path) in paths where path == folder || Vault.isInside(path, folder) {
                inotify_rm_watch(fd, wd)
                paths[wd] = nil
            }
        }

        /// Removes the watch of `folder` (tests of a lost watch).
        mutating func drop(_ folder: String) {
            for (wd, path) in paths where path == folder { inotify_rm_watch(fd, wd) }
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
                    // The watch is gone: its folder was deleted or moved away (a deletion event
                    // said so), or the watch was lost (an unmount, a removal of the watch).
                    paths[wd] = nil
                    if folder == ".kg" { continue }
                    var st = stat()
                    let full = folder.isEmpty ? root : root + "/" + folder
                    if lstat(full, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR {
                        _ = addTree(folder)
                        report(folder.isEmpty ? .everything : .folder(folder))
                    }
                    continue
                }
                if mask & UInt32(IN_DELETE_SELF | IN_MOVE_SELF | IN_UNMOUNT) != 0 {
                    report(folder.isEmpty ? .everything : .folder(folder))
                    continue
                }
                if folder == ".kg" {
                    if name == "lexicon.txt" { report(.lexicon) }
                    continue
                }
                if Vault.ignoreFiles.contains(name) {
                    report(.everything)
                    continue
                }
                if name.isEmpty || name.hasPrefix(".") { continue }
                let path = folder.isEmpty ? name : folder + "/" + name
                if mask & UInt32(IN_ISDIR) != 0 {
                    // A new or moved-in folder: watch it (a moved folder keeps its watches,
                    // which now name it by its new path); the update walks it, finding files
                    // that landed before the watch.
                    if mask & UInt32(IN_MOVED_FROM) != 0 { unwatch(path) }
                    if mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 { _ = addTree(path) }
                    report(.folder(path))
                } else if Vault.isNoteName(Array(name.utf8)) {
                    let opened = mask & UInt32(IN_CREATE | IN_MODIFY) != 0 && mask & UInt32(IN_CLOSE_WRITE) == 0
                    report(.file(path, writing: opened))
                }
            }
        }
    }
#endif
