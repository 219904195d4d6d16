#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A message for the person using kg, given beside an answer: a note or a warning.
public struct Notice: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case note, warning
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
}

/// kg's one library façade: every question a face (the command line, the MCP server, the
/// language server) asks of a vault, answered as domain values.
///
/// It owns how the index is reached: brought up to date before answering unless told not to,
/// trusted as it stands while a `kg watch` keeps it fresh, answered from the last committed
/// index while another writer holds the lock, and rebuilt from the notes (then asked again)
/// when damage is found while answering. It never prints and never exits; notices go to the
/// `notices` handler, failures are thrown as `KGError`.
public final class KnowledgeBase: @unchecked Sendable {
    /// How queries reach the index.
    public struct Options: Sendable {
        /// Bring the index up to date before answering; else answer from it as it stands.
        public var refresh = true
        /// Accept an update that drops more than half of the indexed notes.
        public var allowMassDelete = false
        /// Wait for another writer when there is no committed index to answer from.
        public var wait = true
        /// Called with (done, total) while a first build analyses notes.
        public var progress: (@Sendable (Int, Int) -> Void)?
        /// The folder a note reference given as a path is relative to (a shell's current
        /// folder), besides the vault.
        public var currentDirectory: String?

        public init(refresh: Bool = true, allowMassDelete: Bool = false, wait: Bool = true,
            progress: (@Sendable (Int, Int) -> Void)? = nil, currentDirectory: String? = nil)
        {
            self.refresh = refresh
            self.allowMassDelete = allowMassDelete
            self.wait = wait
            self.progress = progress
            self.currentDirectory = currentDirectory
        }
    }

    public let vault: Vault
    public let indexer: Indexer
    public let options: Options
    private let notify: @Sendable (Notice) -> Void
    /// The view answered from last, kept while the index it reads is the current one (shared
    /// by knowledge bases made with `init(sharing:)`).
    private let lastView: Locked<IndexView?>
    /// Whether the empty graph was pointed out already.
    private let toldEmpty = Locked(false)

    public init(vault: Vault, options: Options = Options(), notices: @escaping @Sendable (Notice) -> Void = { _ in }) {
        self.vault = vault
        self.indexer = Indexer(vault: vault)
        self.options = options
        self.notify = notices
        self.lastView = Locked(nil)
    }

    /// A knowledge base of `base`'s vault with its own options and notices that answers from
    /// the views `base` has open, with what they decoded and read (a watcher serving queries
    /// makes one per query).
    public init(sharing base: KnowledgeBase, options: Options, notices: @escaping @Sendable (Notice) -> Void = { _ in }) {
        self.vault = base.vault
        self.indexer = base.indexer
        self.options = options
        self.notify = notices
        self.lastView = base.lastView
    }

    func notice(_ kind: Notice.Kind, _ message: String) { notify(Notice(kind, message)) }

    /// Brings the index up to date (`kg index`): only new and changed notes are read.
    ///
    /// - Parameters:
    ///   - rebuild: read every note again and rewrite the index.
    ///   - wait: wait for another writer; else throw `.locked`.
    ///   - progress: called with (done, total) while notes are analysed.
    public func index(rebuild: Bool = false, wait: Bool = true, progress: (@Sendable (Int, Int) -> Void)? = nil) throws(KGError)
        -> IndexReport
    {
        let options = Indexer.Options(rebuild: rebuild, wait: wait, allowMassDelete: self.options.allowMassDelete)
        return try indexer.update(options, notice: { notice(.note, $0) }, progress: progress ?? self.options.progress).1
    }

    /// What `checkIndex` found.
    public struct IndexCheck: Sendable, Equatable {
        /// Bytes read and checked (the index, and its base when it is a delta).
        public var bytes: Int
        /// The damage found, if any; the index was then rebuilt from the notes.
        public var damage: String?
    }

    /// Brings the index up to date, then reads every block of it and verifies every
    /// checksum, including blocks no query has read; a damaged index is rebuilt.
    public func checkIndex() throws(KGError) -> IndexCheck {
        let (reader, _) = try indexer.update(.init(wait: true, allowMassDelete: options.allowMassDelete), notice: { notice(.note, $0) })
        var check = IndexCheck(bytes: indexBytes(), damage: nil)
        do {
            try reader.checkAll()
        } catch {
            check.damage = error.reason
            notice(.warning, "the index is damaged (\(error.reason)); rebuilding it from the notes")
            let (again, _) = try indexer.update(.init(rebuild: true, allowMassDelete: options.allowMassDelete), notice: { notice(.note, $0) })
            do { try again.checkAll() } catch { throw .failure("the index is damaged (\(error.reason)) even after a rebuild") }
            check.bytes = indexBytes()
        }
        return check
    }

    /// Bytes of the index file and its base.
    func indexBytes() -> Int {
        var total = 0
        for path in [indexer.indexPath, indexer.basePath] {
            var st = stat()
            if stat(path, &st) == 0 { total += Int(st.st_size) }
        }
        return total
    }

    /// Keeps the index fresh until `stopFD` becomes readable (see `Watcher`), telling
    /// `events` of each applied update and of notices.
    public func watch(polling: Bool = false, stopFD: Int32, events: (Watcher.Event) -> Void) throws(KGError) {
        var watcher = Watcher(indexer: indexer)
        watcher.forcePolling = polling
        try watcher.run(stopFD: stopFD, events: events)
    }

    // MARK: reaching the index

    /// The index to answer from, following the access rules.
    func view(rebuild: Bool = false) throws(KGError) -> IndexView {
        if !options.refresh {
            if let view = currentView() { return view }
            do {
                if let r = try IndexReader.load(path: indexer.indexPath) { return adopt(r) }
            } catch {
                throw .failure("the index is unreadable (\(error.reason)); run 'kg index' to rebuild it")
            }
            throw .failure("no index yet in \(indexer.indexFolder); run 'kg index' first")
        }
        if !rebuild, Watcher.isRunning(indexFolder: indexer.indexFolder) {
            // A live watcher keeps the index fresh: answer without walking the vault.
            if let view = currentView() { return view }
            if let r = indexer.openIndex() { return adopt(r) }
        }
        // Readers never wait for a writer: with one at work, the last committed index answers.
        var update = Indexer.Options(rebuild: rebuild, wait: false, allowMassDelete: options.allowMassDelete)
        do {
            return adopt(try indexer.update(update, notice: { notice(.note, $0) }, progress: options.progress).0)
        } catch .locked {
            if !rebuild, let r = indexer.openIndex() {
                notice(.note, "another kg is updating the index; answering from the index as it stands")
                return adopt(r)
            }
            guard options.wait else { throw .locked(indexer.indexFolder + "/lock") }
            update.wait = true
            return adopt(try indexer.update(update, notice: { notice(.note, $0) }, progress: options.progress).0)
        } catch .massDelete(let removed, let total) {
            // Only `kg index` refuses; a query answers from the last index and says why.
            guard !rebuild, let r = indexer.openIndex() else { throw .massDelete(removed: removed, of: total) }
            notice(.warning, "\(counted(removed, "note")) of \(total) are gone from the vault (unmounted or half-synced?); "
                + "answering from the last index. Run 'kg index --allow-mass-delete' if they were deleted on purpose")
            return adopt(r)
        }
    }

    /// Lets go of the last view once the index file it reads is no longer the one on disk (a
    /// watcher's commit replaced it), so that the old file's mapping and what was decoded of
    /// it are freed now, on another core, rather than at the next query.
    public func dropStaleView() {
        let stale: IndexView? = lastView.withLock { last in
            guard let view = last, !view.reader.isFile(at: indexer.indexPath) else { return nil }
            last = nil
            return view
        }
        if let stale { releaseElsewhere([stale]) }
    }

    /// Opens the current index and reads what every question reads first (its dictionary and
    /// lexicon), so that the next question does not wait for it: a watcher answering queries
    /// does this after each commit. Damage found is healed as a query would heal it.
    public func warmUp() {
        _ = try? query { view in
            _ = try view.lexicon()
            _ = try view.reader.dictionary()
        }
    }

    /// The last view, while the index file it reads is still the one on disk (the file is
    /// replaced, never rewritten in place, and the view's mapping keeps its inode taken).
    private func currentView() -> IndexView? {
        guard let view = lastView.withLock({ $0 }), view.reader.isFile(at: indexer.indexPath) else { return nil }
        return view
    }

    /// A view of `reader`: the last one when it reads the same index file (with what it has
    /// decoded and the note lines it has read), else a new one.
    private func adopt(_ reader: IndexReader) -> IndexView {
        lastView.withLock { last in
            if let view = last, view.reads(sameFileAs: reader) { return view }
            let view = IndexView(reader: reader, vault: vault)
            last = view
            return view
        }
    }

    /// Runs `body` on the current index. Damage found while answering (a `CorruptIndex`) is
    /// healed by a rebuild from the notes (with a notice), then `body` runs once more; a
    /// `KGError` (an unknown name, say) is the answer.
    func query<T>(_ body: (IndexView) throws -> T) throws(KGError) -> T {
        let first = try view()
        do {
            return try body(first)
        } catch let error as KGError {
            throw error
        } catch {
            forget(first)
            let reason = (error as? CorruptIndex)?.reason ?? "\(error)"
            if !options.refresh { throw .failure("the index is damaged (\(reason)); run 'kg index --rebuild'") }
            notice(.note, "the index was damaged (\(reason)); rebuilding it from the notes")
        }
        let second = try view(rebuild: true)
        do {
            return try body(second)
        } catch let error as KGError {
            throw error
        } catch {
            forget(second)
            throw .failure("the index is damaged (\((error as? CorruptIndex)?.reason ?? "\(error)")) even after a rebuild")
        }
    }

    /// Says once, when no entity is defined, why the graph is empty and what to do.
    func noteIfEmpty(_ view: IndexView) throws {
        guard try view.lexicon().entities.isEmpty, toldEmpty.withLock({ told in defer { told = true }; return !told }) else { return }
        let discovering = LexiconBuild.discovers(LexiconBuild.read(indexFolder: indexer.indexFolder))
        notice(.note, "the graph is empty: no entity is defined (no .kg/lexicon.txt entries, no entity notes)"
            + (discovering ? " and discovery found none" : " and discovery is off (add 'discover: on' to .kg/lexicon.txt)")
            + "; 'kg suggest' lists names found in the notes and 'kg suggest --accept NAME' adds one")
    }

    private func forget(_ view: IndexView) {
        lastView.withLock { if $0 === view { $0 = nil } }
    }
}
