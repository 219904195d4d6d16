#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Dispatch

/// What an index run did.
public struct IndexReport: Sendable {
    public var added: [String] = []
    public var changed: [String] = []
    public var removed: [String] = []
    public var unchanged = 0
    /// Files not indexed, with reasons (binary, unreadable, too large, ...).
    public var skipped: [SkippedFile] = []
    /// Why the whole index was rebuilt (`--rebuild`, no index yet, damaged, lexicon changed).
    public var rebuildReason: String?
    /// Notes read and analyzed in this run.
    public var analyzed = 0
    public var lexiconIssues: [LexiconIssue] = []
    public var seconds: Double = 0
    public var wroteIndex = false

    public var hasChanges: Bool { !added.isEmpty || !changed.isEmpty || !removed.isEmpty }
}

/// Keeps `<vault>/.kg/index` reading exactly as a full rebuild of the vault would: written
/// whole, or as a delta over `<vault>/.kg/index.base` (see `IndexReader`).
public struct Indexer: Sendable {
    public let vault: Vault
    public var indexFolder: String { vault.root + "/.kg" }
    public var indexPath: String { indexFolder + "/index" }
    /// The base file of an index written as a delta.
    public var basePath: String { indexPath + ".base" }
    public var lexiconPath: String { indexFolder + "/lexicon.txt" }
    /// Refuse an update that would remove more than this share of a vault's notes.
    public static let massDeleteShare = 0.5
    public static let massDeleteMinimum = 20
    /// A delta has at most about this many extents; past it, the whole file is written.
    static let deltaExtentLimit = 50_000

    public init(vault: Vault) {
        self.vault = vault
    }

    public struct Options: Sendable {
        public var rebuild = false
        public var wait = true
        public var allowMassDelete = false
        /// Bytes of note text kept between the change check and the analysis; past it, notes
        /// are read again when analyzed, so a first build of a large vault holds few of them.
        var textBudget = 48_000_000
        /// Whether a first build analyses notes as it checks them (see `update`).
        var speculate = true
        /// An update writes a delta over the base file while the bytes the delta holds stay
        /// below this share of the base's notes and postings; past it, the whole file.
        var deltaShare = 0.1
        public init(rebuild: Bool = false, wait: Bool = true, allowMassDelete: Bool = false) {
            self.rebuild = rebuild
            self.wait = wait
            self.allowMassDelete = allowMassDelete
        }
    }

    /// Creates `.kg/` (with a `.gitignore` keeping the index out of git) if needed.
    func prepareFolder() throws(KGError) {
        var st = stat()
        if stat(indexFolder, &st) != 0 {
            if mkdir(indexFolder, 0o755) != 0 && errno != EEXIST {
                throw KGError.cannotCreateIndexFolder(indexFolder, reason: String(cString: strerror(errno)))
            }
        } else if (st.st_mode & S_IFMT) != S_IFDIR {
            throw KGError.cannotCreateIndexFolder(indexFolder, reason: "a file of that name is in the way")
        }
        let ignore = indexFolder + "/.gitignore"
        if access(ignore, F_OK) != 0 {
            let text = "# Written by kg: the index is rebuilt from the notes, so it is never committed.\n*\n!.gitignore\n!lexicon.txt\n"
            try DurableFile.write(Array(text.utf8), to: ignore)
        }
    }

    /// Opens the current index for reading, without looking at the notes.
    public func openIndex() throws(KGError) -> IndexReader? {
        do {
            return try IndexReader.load(path: indexPath)
        } catch {
            return nil
        }
    }

    /// Brings the index up to date with the vault and writes it if anything changed.
    ///
    /// Only the file table of the previous index is read to find what changed; notes and
    /// postings are decoded only when there is something to apply.
    ///
    /// - Parameters:
    ///   - notice: one-line notices (a damaged index being rebuilt, waiting for a lock).
    ///   - progress: called with (done, total) while notes are analyzed.
    public func update(
        _ options: Options = Options(), notice: (String) -> Void = { _ in },
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) throws(KGError) -> (IndexReader, IndexReport) {
        let started = monotonicSeconds()
        var report = IndexReport()
        let listing = try vault.list()
        trace("listed", started)
        try prepareFolder()
        guard let lock = try WriterLock(path: indexFolder + "/lock", wait: options.wait, waiting: {
            notice("waiting for another kg writing this index ...")
        }) else { throw KGError.locked(indexFolder + "/lock") }
        defer { withExtendedLifetime(lock) {} }

        // The previous index's file table, unless the index is damaged or of another format.
        var previousReader: IndexReader?
        var previousFiles: [FileEntry] = []
        var previousFingerprint: UInt64?
        do {
            previousReader = try IndexReader.load(path: indexPath)
            if let r = previousReader {
                previousFiles = try r.files()
                previousFingerprint = try r.meta().fingerprint
            } else {
                report.rebuildReason = "no index yet"
            }
        } catch {
            notice("the index was unreadable (\(error.reason)); rebuilding it from the notes")
            report.rebuildReason = "index was damaged (\(error.reason))"
            previousReader = nil
            previousFiles = []
        }
        if options.rebuild { report.rebuildReason = "rebuild requested" }

        // A first build (no file table to compare with) reads each note once: it is analysed
        // as it is checked, with the lexicon file's entities. Should a note turn out to define
        // an entity or not to be text, the build starts over with the change check below.
        var speculate = previousReader == nil && options.speculate
        // Hashes of the notes a failed guess read (by position in the listing).
        var alreadyRead: [UInt64?] = []
        let initialReport = report
        attempt: while true {
            report = initialReport
            // 1. Which files changed: stat first, then the content hash. An entry whose times are
            // within two seconds of the index's own write time is "racy" (as in git): the file may
            // have changed again without its times moving on a coarse clock, so it is hashed.
            var indexStat = stat()
            let racyFrom: Int64 = stat(indexPath, &indexStat) == 0 ? Vault.fileStat(indexStat).mtimeNs - 2_000_000_000 : Int64.min
            let vault = self.vault
            // Both the listing and the file table are in byte order of their paths: pair them by a
            // merge rather than a dictionary. Files whose stat is unchanged (and not racy) are
            // settled here; only the rest are read, on all cores.
            if previousFiles.indices.dropFirst().contains(where: { !previousFiles[$0 - 1].path.utf8.lexiconLess(previousFiles[$0].path.utf8) }) {
                previousFiles.sort { $0.path.utf8.lexiconLess($1.path.utf8) }
            }
            var matched = [Bool](repeating: false, count: previousFiles.count)
            var states = [FileState?](repeating: nil, count: listing.notes.count)
            var toRead: [(Int, String, FileStat, FileEntry?)] = []
            var j = 0
            for (i, item) in listing.notes.enumerated() {
                while j < previousFiles.count && previousFiles[j].path.utf8.lexiconLess(item.path.utf8) { j += 1 }
                var old: FileEntry?
                if j < previousFiles.count && !item.path.utf8.lexiconLess(previousFiles[j].path.utf8) {
                    matched[j] = true
                    old = previousFiles[j]
                }
                // Unchanged files are settled by stat here, on a rebuild too: a rebuild analyses
                // every note again, and reads it once, when it is analysed.
                if let old, old.stat == item.stat, old.stat.mtimeNs < racyFrom, old.stat.ctimeNs < racyFrom {
                    states[i] = old.skipReason == nil ? .same(old) : .skipped(old)
                } else {
                    toRead.append((i, item.path, item.stat, old))
                }
            }
            // Texts read now are kept for the analysis up to a budget; past it they are read again
            // when analyzed, so that a first build of a large vault does not hold every note.
            let budget = TextBudget(bytes: options.textBudget)
            let checked: [FileState] = speculate
                ? toRead.map { .fresh(FileEntry(path: $0.1, stat: $0.2, hash: 0, skipReason: nil, entity: nil), nil) }
                : parallelMap(toRead) { [alreadyRead] item in
                    if item.0 < alreadyRead.count, let hash = alreadyRead[item.0] {
                        return .fresh(FileEntry(path: item.1, stat: item.2, hash: hash, skipReason: nil, entity: nil), nil)
                    }
                    return Indexer.check(path: item.1, stat: item.2, previous: item.3, vault: vault, racyFrom: racyFrom, budget: budget)
                }
            for (k, item) in toRead.enumerated() { states[item.0] = checked[k] }

            var files: [FileEntry] = []
            files.reserveCapacity(listing.notes.count)
            var fresh: [PathKey: String] = [:]
            var reread = Set<PathKey>()
            // Notes under folders that could not be listed are kept as they were.
            var keptUnlisted = false
            for (k, old) in previousFiles.enumerated() where !matched[k] && old.skipReason == nil
                && listing.unreadableFolders.contains(where: { $0.isEmpty || old.path.hasPrefix($0 + "/") })
            {
                files.append(old)
                matched[k] = true
                keptUnlisted = true
            }
            for state in states {
                switch state {
                case .same(let f): files.append(f)
                case .fresh(let f, let text):
                    files.append(f)
                    if let text { fresh[PathKey(f.path)] = text } else { reread.insert(PathKey(f.path)) }
                case .skipped(let f):
                    files.append(f)
                    report.skipped.append(SkippedFile(path: f.path, reason: f.skipReason ?? ""))
                case .keptAfterError(let f, let reason):
                    files.append(f)
                    report.skipped.append(SkippedFile(path: f.path, reason: reason + "; its previous entry is kept"))
                case nil: break
                }
            }
            report.skipped.append(contentsOf: listing.skipped)
            report.skipped.sort { $0.path.utf8.lexiconLess($1.path.utf8) }
            if keptUnlisted { files.sort { $0.path.utf8.lexiconLess($1.path.utf8) } }
            let notePaths = files.filter { $0.skipReason == nil }.map(\.path)
            let previousNotes = previousFiles.filter { $0.skipReason == nil }.map(\.path)
            // A previous note is gone if no listed file or kept entry took its path, or if its
            // file is now skipped.
            var removed: [String] = []
            if !previousNotes.isEmpty {
                var stillListed = 0
                for (k, old) in previousFiles.enumerated() where old.skipReason == nil && matched[k] { stillListed += 1 }
                if stillListed < previousNotes.count || files.contains(where: { $0.skipReason != nil }) {
                    let now = Set(notePaths.map(PathKey.init))
                    removed = previousNotes.filter { !now.contains(PathKey($0)) }
                }
            }
            report.removed = removed

            // A vault that suddenly lost most of its notes is more likely unmounted or half-synced
            // than emptied on purpose.
            if !options.allowMassDelete && previousNotes.count >= Indexer.massDeleteMinimum
                && Double(removed.count) > Double(previousNotes.count) * Indexer.massDeleteShare
            {
                throw KGError.massDelete(removed: removed.count, of: previousNotes.count)
            }

            trace("checked", started)

            // 2. The lexicon: the file plus entity notes.
            var definitions: [EntityDefinition] = []
            var issues: [LexiconIssue] = []
            var fingerprintInput = BinaryWriter()
            fingerprintInput.int(Analyzer.version)
            if case .success(let bytes) = Vault(root: indexFolder).read("lexicon.txt", limit: Vault.noteSizeLimit),
                case .success(let (text, _)) = TextDecoder.decode(bytes)
            {
                fingerprintInput.bytes += bytes
                (definitions, issues) = Lexicon.parseFile(text)
            }
            for f in files where f.skipReason == nil {
                guard let e = f.entity else { continue }
                definitions.append(EntityDefinition(entity: e, source: f.path, line: 1))
                fingerprintInput.string(f.path)
                fingerprintInput.entity(e)
            }
            let lexicon = Lexicon(definitions: definitions, issues: issues)
            report.lexiconIssues = lexicon.issues
            let fingerprint = Checksum.of(fingerprintInput.bytes)
            if report.rebuildReason == nil, previousFingerprint != fingerprint {
                report.rebuildReason = "the lexicon changed"
            }

            // Nothing to apply: answer from the index as it is.
            if report.rebuildReason == nil, fresh.isEmpty, reread.isEmpty, removed.isEmpty, files == previousFiles, let reader = previousReader {
                report.unchanged = notePaths.count
                // Racy files were hashed and found unchanged. Once their times are more than two
                // seconds old, any later change moves their times: advance the index's mtime
                // (its bytes stay the same) so they are trusted by stat again, as git does.
                var newest = Int64.min
                for f in files where f.stat.mtimeNs >= racyFrom || f.stat.ctimeNs >= racyFrom {
                    newest = max(newest, f.stat.mtimeNs, f.stat.ctimeNs)
                }
                var now = timespec()
                clock_gettime(CLOCK_REALTIME, &now)
                let nowNs = Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
                if newest != Int64.min && newest < nowNs - 2_000_000_000 {
                    var times = [now, now]
                    utimensat(AT_FDCWD, indexPath, &times, 0)
                }
                report.seconds = monotonicSeconds() - started
                return (reader, report)
            }

            trace("lexicon read", started)
            var previous: IndexReader?
            if report.rebuildReason == nil, let reader = previousReader {
                do {
                    _ = try reader.noteCount()
                    _ = try reader.termTotal()
                    previous = reader
                } catch {
                    notice("the index was unreadable (\(error.reason)); rebuilding it from the notes")
                    report.rebuildReason = "index was damaged (\(error.reason))"
                }
            }

            // 3. The notes of the new index, in path order (a note's id is its position): kept
            // from the previous index, or analyzed (what changed, or everything on a rebuild).
            // A note that cannot be read any more is marked skipped and the pass starts over.
            let analyzer = Analyzer(lexicon: lexicon)
            var pass: Pass
            let previousNotePaths = previousFiles.filter { $0.skipReason == nil }.map(\.path)
            // Every new or changed note, whether its text is at hand or not: a second pass (after
            // a failed read) reads them again rather than keeping their old records.
            let changed = reread.union(fresh.keys)
            // The new file is written as its parts become ready: on a build, the note sections
            // while the postings are merged, the rest after. An update writes a delta over the
            // base file when what changed is small (see `deltaBase`), else the whole file. Temp
            // files of a writer that was killed mid-commit are removed first: only the lock holder
            // writes, so any that exist are stale.
            removeStaleTempFiles()
            var file: IndexFileWriter
            var delta = false
            while true {
                file = try IndexFileWriter(path: indexPath)
                delta = false
                // On a build the note sections are written as soon as they are ready; on an
                // update, once it is known whether the file will be whole or a delta.
                let held = SharedSlots<Pass.Assembled>(count: 1)
                let noteParts = UncheckedSendable((file, lexicon, files, previous == nil))
                do throws(PassFailure) {
                    pass = try Pass.run(notePaths: files.filter { $0.skipReason == nil }.map(\.path),
                        previousNotePaths: previousNotePaths, fresh: &fresh, changed: changed, previous: previous, analyzer: analyzer,
                        vault: vault, speculative: speculate, progress: progress
                    ) { a in
                        let (file, lexicon, _, build) = noteParts.value
                        guard build else { return held.put(0, a) }
                        var files = noteParts.value.2
                        if !a.hashes.isEmpty {
                            // Read by the pass: every file is a note, a note's id its position.
                            for (id, hash) in a.hashes.enumerated() { files[id].hash = hash }
                        }
                        file.add(NoteParts(lexicon: lexicon, files: files, a).sections())
                        file.add(.notes, new: a.notes.bytes)
                    }
                    do throws(CorruptIndex) {
                        var base: (UInt64, Int)?
                        if let previous, let a = held.take(0) {
                            let sections = NoteParts(lexicon: lexicon, files: files, a).sections()
                            // What a delta repeats whole, and what the index may take on disk:
                            // no more than the notes themselves.
                            let repeated = sections.reduce(pass.terms.dictionaryByteCount) { $0 + $1.1.count }
                            let notesSize = files.reduce(0) { $0 + Int($1.stat.size) }
                            base = try deltaBase(previous, notes: a.notes, postings: pass.terms.post, share: options.deltaShare,
                                repeated: repeated, footprintLimit: notesSize)
                            if base != nil && !previous.isDelta && !makeBase() { base = nil }
                            delta = base != nil
                            file.add(sections)
                            try IndexFileWriter.layout(.notes, a.notes, previous: previous, delta: delta) { file.add(.notes, $0, delta: delta) }
                        }
                        trace(delta ? "analyzed and merged, writing a delta" : "analyzed and merged", started)
                        // The dictionary and postings, then the header.
                        file.add(IndexParts.sections(fingerprint: fingerprint, noteCount: pass.noteCount, tokenTotal: pass.tokenTotal,
                            entityCount: lexicon.entities.count, terms: pass.terms, base: base))
                        try IndexFileWriter.layout(.postings, pass.terms.post, previous: previous, delta: delta) {
                            file.add(.postings, $0, delta: delta)
                        }
                    } catch {
                        throw .damaged(error.reason)
                    }
                    break
                } catch {
                    // The next attempt writes a new temp file under the same name.
                    file.abandon()
                    switch error {
                    case .speculationFailed(let read):
                        // Every note is a note of the listing here, a note's id its position.
                        trace("a note defines an entity or is not text: checking the notes first", started)
                        alreadyRead = read
                        speculate = false
                        continue attempt
                    case .damaged(let reason):
                        guard previous != nil else { throw KGError.failure("the index could not be built: \(reason)") }
                        notice("the index was unreadable (\(reason)); rebuilding it from the notes")
                        report.rebuildReason = "index was damaged (\(reason))"
                        previous = nil
                    case .unreadable(let failed):
                        for f in failed {
                            if let i = files.firstIndex(where: { $0.path.utf8.lexiconEqual(f.path.utf8) }) {
                                files[i] = FileEntry(path: f.path, stat: files[i].stat, hash: files[i].hash, skipReason: f.reason)
                            }
                            report.skipped.append(f)
                        }
                    }
                }
            }
            report.skipped.sort { $0.path.utf8.lexiconLess($1.path.utf8) }
            report.analyzed = pass.analyzed.count
            for id in pass.analyzed {
                let path = pass.paths[Int(id)]
                let old = entry(previousFiles, path)
                if old == nil || old?.skipReason != nil {
                    report.added.append(path)
                } else if old?.hash != entry(files, path)?.hash {
                    report.changed.append(path)
                } else {
                    report.unchanged += 1
                }
            }
            report.unchanged += pass.keptCount

            // 4. Commit. A whole file needs no base any more.
            pass = Pass()
            try file.commit()
            if !delta { unlink(basePath) }
            trace("written", started)
            report.wroteIndex = true
            let reader: IndexReader
            do throws(CorruptIndex) {
                guard let r = try IndexReader.load(path: indexPath) else { throw CorruptIndex(reason: "it is missing") }
                reader = r
            } catch {
                throw KGError.failure("the index just written does not read back: \(error.reason)")
            }
            report.seconds = monotonicSeconds() - started
            return (reader, report)
        }
    }

    /// The base a delta of these sections would be written over (its header checksum and
    /// size), if the delta would hold less than `share` of the base's notes and postings, and
    /// base and delta together (the delta repeating `repeated` bytes whole) would take no more
    /// than `footprintLimit` bytes.
    private func deltaBase(_ previous: IndexReader, notes: SectionPieces, postings: SectionPieces, share: Double,
        repeated: Int, footprintLimit: Int) throws(CorruptIndex) -> (UInt64, Int)?
    {
        let base = previous.baseFile ?? previous
        var held = notes.bytes.count + postings.bytes.count
        if previous.isDelta {
            // What the previous delta holds itself of the kept pieces is copied into the new one.
            for (s, pieces) in [(Section.notes, notes), (.postings, postings)] {
                for p in pieces.pieces where p.kept {
                    for part in try previous.stored(s, p.start..<(p.start + p.length)) where !part.inBase { held += part.physical.count }
                }
            }
        }
        let whole = try base.logicalCount(.notes) + base.logicalCount(.postings)
        // Every query reads the extents: past a bound, a whole file reads faster.
        let extents = notes.pieces.count + postings.pieces.count + previous.extentCount
        guard share > 0, Double(held) <= Double(whole) * share, extents <= Indexer.deltaExtentLimit,
            share.isInfinite || base.byteCount + repeated + held + 20 * extents <= footprintLimit
        else { return nil }
        return (base.headerChecksum, base.byteCount)
    }

    /// Makes the current (whole) index file the base of a delta, under a second name; false if
    /// the file system cannot link it.
    private func makeBase() -> Bool {
        let temp = indexFolder + "/index.tmp-base"
        unlink(temp)
        if link(indexPath, temp) == 0 && rename(temp, basePath) == 0 { return true }
        unlink(temp)
        return false
    }

    private func removeStaleTempFiles() {
        guard let dir = opendir(indexFolder) else { return }
        var stale: [String] = []
        while let ent = readdir(dir) {
            let name = withUnsafeBytes(of: ent.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
            if name.hasPrefix("index.tmp-") { stale.append(name) }
        }
        closedir(dir)
        for name in stale { unlink(indexFolder + "/" + name) }
    }

    /// The entry for `path` in a file table sorted by path.
    private func entry(_ files: [FileEntry], _ path: String) -> FileEntry? {
        var lo = 0
        var hi = files.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if files[mid].path.utf8.lexiconLess(path.utf8) { lo = mid + 1 } else { hi = mid }
        }
        return lo < files.count && !path.utf8.lexiconLess(files[lo].path.utf8) ? files[lo] : nil
    }

    /// What became of one file since the previous index.
    enum FileState: Sendable {
        /// Same content as indexed (its stat may be new).
        case same(FileEntry)
        /// New or changed content, decoded and normalized (nil: read it again to analyze it).
        case fresh(FileEntry, String?)
        /// Not a note: binary, too large, unreadable without a previous entry.
        case skipped(FileEntry)
        /// Unreadable now: the previous entry stays.
        case keptAfterError(FileEntry, String)
    }

    static func check(path: String, stat st: FileStat, previous old: FileEntry?, vault: Vault, racyFrom: Int64,
        budget: TextBudget? = nil) -> FileState {
        if let old, old.stat == st, old.stat.mtimeNs < racyFrom, old.stat.ctimeNs < racyFrom {
            return old.skipReason == nil ? .same(old) : .skipped(old)
        }
        switch vault.read(path, limit: Vault.noteSizeLimit) {
        case .failure(let f):
            if let old, old.skipReason == nil { return .keptAfterError(old, f.reason) }
            return .skipped(FileEntry(path: path, stat: st, hash: 0, skipReason: f.reason))
        case .success(let bytes):
            let hash = Checksum.of(bytes)
            if let old, old.hash == hash, old.skipReason == nil {
                return .same(FileEntry(path: path, stat: st, hash: hash, skipReason: nil, entity: old.entity))
            }
            let keep = budget?.take(bytes.count) ?? true
            if !keep {
                // Not kept: it is decoded when analysed. Only what the change check needs is
                // looked at now: whether it is text at all, and whether its front matter can
                // define an entity (the text must start with `---`, or with a character that
                // normalizing could drop or turn into `-`).
                if let f = TextDecoder.refusal(bytes) {
                    return .skipped(FileEntry(path: path, stat: st, hash: hash, skipReason: f.reason))
                }
                if let first = bytes.first, first != 0x2D && first < 0x80 {
                    return .fresh(FileEntry(path: path, stat: st, hash: hash, skipReason: nil, entity: nil), nil)
                }
            }
            switch TextDecoder.decode(bytes) {
            case .failure(let f):
                return .skipped(FileEntry(path: path, stat: st, hash: hash, skipReason: f.reason))
            case .success(let (text, _)):
                let normalized = Normalizer.normalize(text)
                return .fresh(FileEntry(path: path, stat: st, hash: hash, skipReason: nil,
                    entity: Analyzer.entityDefinition(path: path, text: normalized)), keep ? normalized : nil)
            }
        }
    }
}

/// Bytes that may still be held, shared by the threads reading notes.
final class TextBudget: @unchecked Sendable {
    private var left: Int
    private let lock = PthreadMutex()
    init(bytes: Int) { left = bytes }

    /// Whether `n` more bytes fit (and if so, they are counted).
    func take(_ n: Int) -> Bool {
        lock.withLock {
            guard n <= left else { return false }
            left -= n
            return true
        }
    }
}

/// Counts finished items across threads, for progress reports.
final class ProgressCounter: @unchecked Sendable {
    private var value = 0
    private let lock = PthreadMutex()
    func next() -> Int {
        lock.withLock {
            value += 1
            return value
        }
    }
}

/// A tiny mutex over pthread, so the library needs no Foundation locks.
final class PthreadMutex: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }
    func withLock<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return body()
    }
}

func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}


extension String.UTF8View {
    /// Byte order: the order of paths and terms everywhere in kg (memcmp of the UTF-8).
    func lexiconLess(_ other: String.UTF8View) -> Bool {
        let fast: Bool?? = withContiguousStorageIfAvailable { x in
            other.withContiguousStorageIfAvailable { y in
                let n = Swift.min(x.count, y.count)
                guard n > 0, let xa = x.baseAddress, let ya = y.baseAddress else { return x.count < y.count }
                let c = memcmp(xa, ya, n)
                return c != 0 ? c < 0 : x.count < y.count
            }
        }
        if let f = fast, let r = f { return r }
        return lexicographicallyPrecedes(other)
    }

    /// Same bytes (unlike `==` on String, which compares canonical equivalence).
    func lexiconEqual(_ other: String.UTF8View) -> Bool {
        guard count == other.count else { return false }
        let fast: Bool?? = withContiguousStorageIfAvailable { x in
            other.withContiguousStorageIfAvailable { y in
                guard let xa = x.baseAddress, let ya = y.baseAddress else { return true }
                return memcmp(xa, ya, x.count) == 0
            }
        }
        if let f = fast, let r = f { return r }
        return elementsEqual(other)
    }
}

/// With `KG_TRACE` set, writes how long an index run has taken so far and its resident memory
/// to stderr: `kg: trace <phase> <ms> ms, <MB> MB resident`.
func trace(_ phase: String, _ started: Double) {
    guard getenv("KG_TRACE") != nil else { return }
    var resident = 0
    if let f = fopen("/proc/self/statm", "r") {
        var buf = [CChar](repeating: 0, count: 128)
        if fgets(&buf, 128, f) != nil {
            let fields = String(cString: buf).split(separator: " ")
            if fields.count >= 2, let pages = Int(fields[1]) { resident = pages * Int(sysconf(Int32(_SC_PAGESIZE))) / 1_000_000 }
        }
        fclose(f)
    }
    let line = "kg: trace \(phase) \(Int((monotonicSeconds() - started) * 1000)) ms, \(resident) MB resident\n"
    _ = line.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
}
