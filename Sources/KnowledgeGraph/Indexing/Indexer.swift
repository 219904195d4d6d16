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

/// Keeps `<vault>/.kg/index` equal to what a full rebuild of the vault would write.
public struct Indexer: Sendable {
    public let vault: Vault
    public var indexFolder: String { vault.root + "/.kg" }
    public var indexPath: String { indexFolder + "/index" }
    public var lexiconPath: String { indexFolder + "/lexicon.txt" }
    /// Refuse an update that would remove more than this share of a vault's notes.
    public static let massDeleteShare = 0.5
    public static let massDeleteMinimum = 20

    public init(vault: Vault) {
        self.vault = vault
    }

    public struct Options: Sendable {
        public var rebuild = false
        public var wait = true
        public var allowMassDelete = false
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
            return try IndexReader(path: indexPath)
        } catch {
            return nil
        }
    }

    /// Brings the index up to date with the vault and writes it if anything changed.
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
        try prepareFolder()
        guard let lock = try WriterLock(path: indexFolder + "/lock", wait: options.wait, waiting: {
            notice("waiting for another kg writing this index ...")
        }) else { throw KGError.locked(indexFolder + "/lock") }
        defer { withExtendedLifetime(lock) {} }

        // The previous index, unless it is damaged or of another format.
        var previous: IndexSnapshot?
        do {
            previous = try IndexReader(path: indexPath)?.snapshot()
            if previous == nil { report.rebuildReason = "no index yet" }
        } catch {
            notice("the index was unreadable (\(error.reason)); rebuilding it from the notes")
            report.rebuildReason = "index was damaged (\(error.reason))"
        }
        if options.rebuild { report.rebuildReason = "rebuild requested" }

        let now = wallClockNs()
        let prevFiles = Dictionary((previous?.files ?? []).map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        let prevNotes = Dictionary((previous?.notes ?? []).enumerated().map { ($1.path, $0) }, uniquingKeysWith: { a, _ in a })

        // 1. Which files changed: stat first, then content hash.
        enum State { case same(FileEntry), fresh(FileEntry, String), skipped(FileEntry), keptAfterError(FileEntry) }
        let vault = self.vault
        let states: [State] = parallelMap(listing.notes.map { ($0.path, $0.stat) }) { item in
            let (path, st) = item
            let racy = st.mtimeNs >= now - 2_000_000_000
            if let old = prevFiles[path], old.stat == st, !old.racy {
                return old.skipReason == nil ? .same(old) : .skipped(old)
            }
            switch vault.read(path, limit: Vault.noteSizeLimit) {
            case .failure(let f):
                if let old = prevFiles[path], old.skipReason == nil { return .keptAfterError(FileEntry(path: path, stat: old.stat, hash: old.hash, racy: true, skipReason: f.reason)) }
                return .skipped(FileEntry(path: path, stat: st, hash: 0, racy: racy, skipReason: f.reason))
            case .success(let bytes):
                let hash = Checksum.of(bytes)
                if let old = prevFiles[path], old.hash == hash, old.skipReason == nil {
                    return .same(FileEntry(path: path, stat: st, hash: hash, racy: racy, skipReason: nil))
                }
                switch TextDecoder.decode(bytes) {
                case .failure(let f):
                    return .skipped(FileEntry(path: path, stat: st, hash: hash, racy: racy, skipReason: f.reason))
                case .success(let (text, _)):
                    return .fresh(FileEntry(path: path, stat: st, hash: hash, racy: racy, skipReason: nil), Normalizer.normalize(text))
                }
            }
        }

        // Notes under folders that could not be listed are kept as they were.
        var files: [FileEntry] = []
        var keptPaths = Set<String>()
        for old in previous?.files ?? [] where old.skipReason == nil
            && listing.unreadableFolders.contains(where: { $0.isEmpty || old.path.hasPrefix($0 + "/") })
        {
            files.append(old)
            keptPaths.insert(old.path)
        }
        var fresh: [String: String] = [:]
        for s in states {
            switch s {
            case .same(let f): files.append(f)
            case .fresh(let f, let text):
                files.append(f)
                fresh[f.path] = text
            case .skipped(let f):
                files.append(f)
                report.skipped.append(SkippedFile(path: f.path, reason: f.skipReason ?? ""))
            case .keptAfterError(let f):
                var kept = f
                kept.skipReason = nil
                files.append(kept)
                report.skipped.append(SkippedFile(path: f.path, reason: (f.skipReason ?? "") + "; its previous entry is kept"))
            }
        }
        report.skipped.append(contentsOf: listing.skipped)
        report.skipped.sort { $0.path.utf8.lexiconLess($1.path.utf8) }
        files.sort { $0.path.utf8.lexiconLess($1.path.utf8) }
        let notePaths = files.filter { $0.skipReason == nil }.map(\.path)

        // Mass-delete guard: a vault that suddenly lost most of its notes is more likely
        // unmounted or half-synced than emptied on purpose.
        let previousCount = previous?.notes.count ?? 0
        let notePathSet = Set(notePaths)
        let lost = (previous?.notes ?? []).filter { !notePathSet.contains($0.path) }.count
        if !options.allowMassDelete && previousCount >= Indexer.massDeleteMinimum
            && Double(lost) > Double(previousCount) * Indexer.massDeleteShare
        {
            throw KGError.massDelete(removed: lost, of: previousCount)
        }

        // 2. The lexicon: the file plus entity notes.
        var definitions: [EntityDefinition] = []
        var issues: [LexiconIssue] = []
        var lexiconBytes: [UInt8] = []
        if case .success(let bytes) = Vault(root: indexFolder).read("lexicon.txt", limit: Vault.noteSizeLimit),
            case .success(let (text, _)) = TextDecoder.decode(bytes)
        {
            lexiconBytes = bytes
            (definitions, issues) = Lexicon.parseFile(text)
        }
        var fingerprintInput = BinaryWriter()
        fingerprintInput.int(Analyzer.version)
        fingerprintInput.bytes += lexiconBytes
        for path in notePaths {
            let entity: Entity?
            if let text = fresh[path] {
                entity = Analyzer.entityDefinition(path: path, text: text)
            } else if let i = prevNotes[path], let old = previous?.notes[i] {
                entity = old.definesEntity
            } else {
                entity = nil
            }
            if let e = entity {
                definitions.append(EntityDefinition(entity: e, source: path, line: 1))
                fingerprintInput.string(path)
                fingerprintInput.string(e.name)
                fingerprintInput.string(e.type)
                fingerprintInput.strings(e.aliases)
            }
        }
        let lexicon = Lexicon(definitions: definitions, issues: issues)
        report.lexiconIssues = lexicon.issues
        let fingerprint = Checksum.of(fingerprintInput.bytes)
        if report.rebuildReason == nil, let p = previous, p.lexiconFingerprint != fingerprint {
            report.rebuildReason = "the lexicon changed"
        }
        let full = report.rebuildReason != nil

        // 3. Read what must be analyzed: changed notes, or every note on a full rebuild.
        var toAnalyze: [(String, String)] = []
        for path in notePaths {
            if let text = fresh[path] {
                toAnalyze.append((path, text))
            } else if full {
                switch vault.text(path) {
                case .success(let text): toAnalyze.append((path, text))
                case .failure(let f): report.skipped.append(f)
                }
            }
        }
        let analyzer = Analyzer(lexicon: lexicon)
        let total = toAnalyze.count
        let counter = ProgressCounter()
        let analyzed: [(NoteRecord, NoteTerms)] = parallelMap(toAnalyze) { item in
            let result = analyzer.analyze(path: item.0, normalizedText: item.1)
            if let progress { progress(counter.next(), total) }
            return result
        }
        report.analyzed = analyzed.count
        let analyzedByPath = Dictionary(analyzed.map { ($0.0.path, $0) }, uniquingKeysWith: { a, _ in a })

        // 4. Assemble: records by path, postings remapped and merged.
        var notes: [NoteRecord] = []
        var newTerms: [(Int32, NoteTerms)] = []
        var oldToNew: [Int32: Int32] = [:]
        for path in notePaths {
            let id = Int32(notes.count)
            if let (record, terms) = analyzedByPath[path] {
                notes.append(record)
                newTerms.append((id, terms))
                if prevNotes[path] == nil { report.added.append(path) } else if !full { report.changed.append(path) }
            } else if !full, let i = prevNotes[path], let old = previous?.notes[i] {
                notes.append(old)
                oldToNew[Int32(i)] = id
                report.unchanged += 1
            }
        }
        if full { report.unchanged = notes.count - report.added.count - report.changed.count }
        for old in previous?.notes ?? [] where !notePathSet.contains(old.path) && !keptPaths.contains(old.path) {
            report.removed.append(old.path)
        }
        if full, let p = previous {
            // On a rebuild, a note whose content differs from the previous index counts as changed.
            let oldHash = Dictionary(p.files.map { ($0.path, $0.hash) }, uniquingKeysWith: { a, _ in a })
            for f in files where f.skipReason == nil && prevNotes[f.path] != nil && oldHash[f.path] != f.hash {
                report.changed.append(f.path)
            }
            report.unchanged = notes.count - report.added.count - report.changed.count
        }
        report.removed.sort { $0.utf8.lexiconLess($1.utf8) }

        var postings: [String: Postings] = [:]
        if !full, let p = previous {
            for (term, old) in p.postings {
                var kept = Postings()
                for k in old.notes.indices {
                    if let id = oldToNew[old.notes[k]] { kept.append(note: id, positions: Array(old.positions(at: k))) }
                }
                if !kept.notes.isEmpty { postings[term] = kept }
            }
        }
        var additions: [String: [(Int32, [Int32])]] = [:]
        for (id, terms) in newTerms {
            for (term, positions) in terms { additions[term, default: []].append((id, positions)) }
        }
        for (term, list) in additions {
            var merged = Postings()
            let old = postings[term] ?? Postings()
            var k = 0
            for (id, positions) in list {
                while k < old.notes.count && old.notes[k] < id {
                    merged.append(note: old.notes[k], positions: Array(old.positions(at: k)))
                    k += 1
                }
                merged.append(note: id, positions: positions)
            }
            while k < old.notes.count {
                merged.append(note: old.notes[k], positions: Array(old.positions(at: k)))
                k += 1
            }
            postings[term] = merged
        }

        let graph = CoMentionGraph(entityCount: lexicon.entities.count, notes: notes)
        let snapshot = IndexSnapshot(lexiconFingerprint: fingerprint, lexicon: lexicon, notes: notes, files: files,
            postings: postings, graph: graph)

        // 5. Write only when something changed.
        let bytes = snapshot.encoded()
        var reader: IndexReader?
        if !full, !report.hasChanges, files == previous?.files {
            reader = try? IndexReader(path: indexPath)
        }
        if reader == nil {
            try DurableFile.write(bytes, to: indexPath)
            report.wroteIndex = true
            do {
                reader = try IndexReader(bytes: bytes)
            } catch {
                throw KGError.failure("the index just written does not read back: \(error.reason)")
            }
        }
        report.seconds = monotonicSeconds() - started
        guard let reader else { throw KGError.failure("the index could not be opened") }
        return (reader, report)
    }
}

/// Counts finished items across threads, for progress reports.
final class ProgressCounter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLockish()
    func next() -> Int {
        lock.withLock {
            value += 1
            return value
        }
    }
}

/// A tiny mutex over pthread, so the library needs no Foundation locks.
final class NSLockish: @unchecked Sendable {
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

func wallClockNs() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
}

extension String.UTF8View {
    /// Byte order: the order of paths and terms everywhere in kg.
    func lexiconLess(_ other: String.UTF8View) -> Bool { lexicographicallyPrecedes(other) }
}
