#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Keeps `<vault>/.kg/index` reading exactly as a full rebuild of the vault would: written
/// whole, or as a delta over `<vault>/.kg/index.base` (see `IndexFile`).
///
/// An update runs in phases that return values: the change set (`ChangeSet`), the lexicon
/// and its fingerprint (`LexiconBuild`), then the analysis pass and the commit, whole or delta
/// (`write`, in Commit.swift).
public struct Indexer: Sendable {
    public let vault: Vault
    public var indexFolder: String { vault.root + "/.kg" }
    public var indexPath: String { indexFolder + "/index" }
    /// The base file of an index written as a delta.
    public var basePath: String { indexPath + ".base" }
    public var lexiconPath: String { indexFolder + "/lexicon.txt" }
    /// Refuse an update that would remove more than this share of a vault's notes...
    public static let massDeleteShare = 0.5
    /// ... when the index held at least this many notes.
    public static let massDeleteMinimum = 20
    /// A delta has at most about this many extents; past it, the whole file is written.
    static let deltaExtentLimit = 50_000

    /// The room an index may take on disk, base and delta together: the notes' size (times
    /// `slack` while a watcher's edits come). An index larger than the notes when whole (with
    /// discovery on, each note's record keeps its candidates) may take a quarter of the
    /// notes' size more than its whole file: else every update would write it whole again.
    static func room(notes: Int, base: Int, slack: Double) -> Int {
        let byNotes = Double(notes) * slack
        let byBase = base > notes ? Double(base) + Double(notes) * (slack - 0.75) : 0
        return Int(min(max(byNotes, byBase), Double(Int.max / 2)))
    }

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
        /// A first build of more notes than this says what it indexes.
        var largeFirstBuild = 10_000
        /// How much room base and delta may take together, as a multiple of the notes' size,
        /// when not `compact`; past it, the whole file is written.
        var footprintSlack = 1.0
        /// Base and delta may take no more room than the notes: an index past that (left by a
        /// watcher) is written whole, even if nothing changed. A watcher's saves set it off and
        /// allow `footprintSlack` while edits come.
        var compact = true
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

    /// Opens the current index for reading, without looking at the notes; nil if there is
    /// none or it is damaged.
    public func openIndex() -> IndexReader? {
        try? IndexReader.load(path: indexPath)
    }

    /// Brings the index up to date with the vault and writes it if anything changed.
    ///
    /// Only the file table of the previous index is read to find what changed; notes and
    /// postings are decoded only when there is something to apply.
    ///
    /// - Parameters:
    ///   - notice: one-line notices (a damaged index being rebuilt, waiting for a lock).
    ///   - progress: called with (done, total) while notes are analyzed.
    ///   - hints: what a watcher saw change since the index was last brought up to date:
    ///     only those files and folders are looked at, the vault is not listed (nil: list it).
    ///   - current: the reader an earlier update of this process returned: used as the
    ///     previous index if it is still the file on disk (a watcher's next save).
    public func update(
        _ options: Options = Options(), hints: ChangeHints? = nil, current: IndexReader? = nil, notice: (String) -> Void = { _ in },
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) throws(KGError) -> (IndexReader, IndexReport) {
        let started = monotonicSeconds()
        var listing = Vault.Listing()
        if hints == nil { listing = try vault.list() } else { try vault.checkRoot() }
        trace("listed", started)
        try prepareFolder()
        var waited = false
        guard let lock = try WriterLock(path: indexFolder + "/lock", wait: options.wait, waiting: {
            notice("waiting for another kg writing this index ...")
            waited = true
        }) else { throw KGError.locked(indexFolder + "/lock") }
        defer { withExtendedLifetime(lock) {} }
        // The other writer may have changed what this run would do: look again.
        if waited && hints == nil { listing = try vault.list() }

        var previous = PreviousIndex(path: indexPath, current: current, notice: notice)
        // The previous reader and file table are freed on another core once this returns.
        defer {
            releaseElsewhere([previous.reader as Any, previous.files])
            previous.reader = nil
            previous.files = []
        }
        if options.rebuild { previous.rebuildReason = "rebuild requested" }
        if let hints {
            // The previous file table, brought up to date for what the hints name; without a
            // usable previous index, the vault is listed.
            listing = previous.reader != nil ? try vault.relist(Vault.Listing(fileTable: previous.files), hints: hints) : try vault.list()
            trace("relisted \(hints.files.count) files and \(hints.folders.count) folders", started)
        }
        if previous.reader == nil && listing.notes.count > options.largeFirstBuild {
            notice("indexing \(listing.notes.count) notes in \(vault.root) for the first time; later runs read only what changed")
        }
        // A first build (no file table to compare with) reads each note once: it is analysed
        // as it is checked, with the lexicon file's entities. Should a note turn out to define
        // an entity or not to be text, the build starts over with the change check.
        let lexiconFile = LexiconBuild.read(indexFolder: indexFolder)
        let discover = LexiconBuild.discovers(lexiconFile)
        // Discovery needs every note's statistics before any note is analysed: no guessing.
        var speculate = previous.reader == nil && options.speculate && !discover
        var alreadyRead: [UInt64?] = []
        while true {
            Allocator.wholeBuild(previous.reader == nil || previous.rebuildReason != nil)
            var changes = ChangeSet(listing: listing, previous: previous.files, vault: vault, racyFrom: racyFrom(),
                textBudget: options.textBudget, speculate: speculate, alreadyRead: alreadyRead)
            if !options.allowMassDelete { try changes.refuseMassDeletion(previous: previous.files) }
            trace("checked", started)
            // A delta index past its room (`room`) is written whole again even when nothing
            // changed.
            let compacting = previous.reader.map { r in
                options.compact && r.isDelta
                    && r.totalByteCount > Indexer.room(notes: changes.files.totalSize, base: r.baseByteCount, slack: 1)
            } ?? false
            var discovery: DiscoveryBuild?
            if discover {
                // Nothing changed: what the previous index discovered stands (its statistics
                // are not read), unless the lexicon file changed what may be discovered.
                // The reused statistics are empty: they stand only if nothing is written (no
                // compaction, and a lexicon that is the stored one to the byte).
                if previous.rebuildReason == nil, !compacting, changes.isEmpty(comparedTo: previous.files), let reused = DiscoveryBuild(reusing: previous),
                    case let build = LexiconBuild(file: lexiconFile, files: changes.files, discovered: reused.entities, issues: reused.issues),
                    build.fingerprint == previous.fingerprint,
                    let stored = try? previous.reader?.lexiconBytes(), stored == NoteParts.lexiconSection(build.lexicon)
                {
                    discovery = reused
                } else {
                    discovery = DiscoveryBuild(changes: changes, previous: previous, rebuild: previous.rebuildReason != nil, vault: vault,
                        file: lexiconFile)
                }
            }
            let lexicon = LexiconBuild(file: lexiconFile, files: changes.files, discovered: discovery?.entities ?? [],
                issues: discovery?.issues ?? [])
            var report = IndexReport()
            report.rebuildReason = previous.rebuildReason
            report.skipped = changes.skipped
            report.removed = changes.removed
            report.lexiconIssues = lexicon.lexicon.issues
            report.discoveryDecidedAgain = discovery?.decidedAgain
            var entityChange: EntityChange?
            // Only discovered entities differ: the notes their names may be in are matched
            // again, the others keep their records.
            func discoveredOnly(_ reader: IndexReader, names: Bool) -> EntityChange? {
                guard discover, (try? reader.meta().matchFingerprint) == lexicon.matchFingerprint, let old = try? reader.lexicon(),
                    !names || old.entities.map({ [$0.name] + $0.aliases }) == lexicon.lexicon.entities.map({ [$0.name] + $0.aliases })
                else { return nil }
                guard let plan = try? EntityChange.plan(previous: reader, old: old, new: lexicon.lexicon, notePaths: previous.notePaths) else { return nil }
                trace("discovered entities changed (\(plan.changedKeys) names): \(plan.notes.count) notes to match again", started)
                return plan
            }
            if report.rebuildReason == nil, let reader = previous.reader, previous.fingerprint != lexicon.fingerprint {
                entityChange = discoveredOnly(reader, names: false)
                if entityChange == nil { report.rebuildReason = "the lexicon changed" }
            } else if report.rebuildReason == nil, let reader = previous.reader,
                (try? reader.lexiconBytes()) != NoteParts.lexiconSection(lexicon.lexicon)
            {
                // The same names, but what discovery says of them (confidence, signals, type)
                // moved with its statistics: the lexicon is written again. Otherwise the file's
                // checksums hold but its lexicon is not the one it was built with.
                entityChange = discoveredOnly(reader, names: true)
                if entityChange == nil {
                    notice("the index's lexicon does not match the notes' and lexicon file's; rebuilding it")
                    report.rebuildReason = "index was damaged (its lexicon differs)"
                }
            }
            // Nothing to apply: answer from the index as it is.
            if report.rebuildReason == nil, entityChange == nil, changes.isEmpty(comparedTo: previous.files), let reader = previous.reader,
                !compacting
            {
                report.unchanged = changes.notePaths.count
                trustRacyFiles(changes.files)
                report.seconds = monotonicSeconds() - started
                return (reader, report)
            }
            trace("lexicon read", started)
            // Only an update hands the vault's statistics on (to the reader it writes, for a
            // watcher's next save); a build frees them before it analyses the notes.
            if report.rebuildReason != nil || previous.reader == nil { discovery?.stats = nil }
            switch try write(&changes, lexicon: lexicon, discovery: discovery, entityChange: entityChange,
                previous: previous, report: &report,
                speculate: speculate, options: options, notice: notice, progress: progress, started: started)
            {
            case .committed(let reader):
                report.seconds = monotonicSeconds() - started
                // The vault's statistics and every note's candidates are freed on another core.
                releaseElsewhere([discovery as Any])
                discovery = nil
                return (reader, report)
            case .guessFailed(let read):
                alreadyRead = read
                speculate = false
            case .again:
                previous = PreviousIndex(path: indexPath, notice: notice)
                if options.rebuild { previous.rebuildReason = "rebuild requested" }
            }
        }
    }

    /// Entries whose times are at or after this moment are "racy" (as in git): two seconds
    /// before the index's own write time, within which a file may change again without its
    /// times moving on a coarse clock.
    private func racyFrom() -> Int64 {
        var st = stat()
        return stat(indexPath, &st) == 0 ? Vault.fileStat(st).mtimeNs - 2_000_000_000 : Int64.min
    }

    /// Racy files were hashed and found unchanged. Once their times are more than two seconds
    /// old, any later change moves their times: advance the index's mtime (its bytes stay the
    /// same) so that they are trusted by stat again, as git does.
    private func trustRacyFiles(_ files: [FileEntry]) {
        let from = racyFrom()
        var newest = Int64.min
        for f in files where f.stat.mtimeNs >= from || f.stat.ctimeNs >= from {
            newest = max(newest, f.stat.mtimeNs, f.stat.ctimeNs)
        }
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let nowNs = Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
        if newest != Int64.min && newest < nowNs - 2_000_000_000 {
            var times = [now, now]
            utimensat(AT_FDCWD, indexPath, &times, 0)
        }
    }
}
