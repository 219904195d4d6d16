#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What changed in the vault since the previous index: the new file table, the notes to
/// analyse (with their texts when they were read), and what is gone.
///
/// Files whose stat is unchanged (and not racy) are settled by stat alone; the rest are read
/// and hashed on all cores, and only those whose content hash changed are new or changed.
/// A file that cannot be read keeps its previous entry: a read error is never a deletion.
struct ChangeSet {
    /// The new file table, sorted by path: notes and skipped files.
    var files: [FileEntry] = []
    /// New or changed notes whose normalized text is at hand.
    var fresh: [PathKey: String] = [:]
    /// New or changed notes to be read again when analysed (past the text budget).
    var reread = Set<PathKey>()
    /// Notes of the previous index that are gone.
    var removed: [String] = []
    /// Files not indexed, with reasons, sorted by path.
    var skipped: [SkippedFile] = []
    /// The positions in `files` of the entries checked again, when every other entry is the
    /// previous table's entry at the same position (nil otherwise): what a new file table
    /// may copy unseen.
    var recheckedSlots: [Int]?

    /// Paths of the notes, in id order.
    var notePaths: [String] { files.notePaths }

    /// Whether there is nothing to apply to the previous index.
    func isEmpty(comparedTo previous: [FileEntry]) -> Bool {
        fresh.isEmpty && reread.isEmpty && removed.isEmpty && files == previous
    }

    /// Every new or changed note, whether its text is at hand or not.
    var changed: Set<PathKey> { reread.union(fresh.keys) }

    /// Pairs the listing with the previous file table (both in byte order of their paths) by
    /// a merge, and reads what may have changed.
    ///
    /// - Parameters:
    ///   - racyFrom: entries whose times are at or after this (two seconds before the index
    ///     was written, as in git) may have changed again without their times moving on a
    ///     coarse clock: they are hashed.
    ///   - textBudget: bytes of note text kept for the analysis; past it, notes are read again.
    ///   - speculate: a first build that reads each note only when it analyses it: nothing is
    ///     read here.
    ///   - alreadyRead: content hashes, by position in the listing, of notes a stopped
    ///     speculative pass read; they are not read again.
    init(listing: Vault.Listing, previous: [FileEntry], vault: Vault, racyFrom: Int64, textBudget: Int, speculate: Bool,
        alreadyRead: [UInt64?])
    {
        var matched = [Bool](repeating: false, count: previous.count)
        // The new table in listing order: unchanged entries as they were, and a place held
        // for each file to check (most updates check few; the table is not copied twice).
        files.reserveCapacity(listing.notes.count + listing.skipped.count)
        var toRead: [(slot: Int, listed: Int, path: String, stat: FileStat, old: FileEntry?)] = []
        let previousNotes = previous.noteCount
        var stillListed = 0
        var aligned = true
        // Both tables are read in place: an entry is copied only into the new table.
        previous.withUnsafeBufferPointer { previous in
            listing.notes.withUnsafeBufferPointer { listed in
                var j = 0
                for i in listed.indices {
                    // Mostly the very same path (the listing was made from the previous file
                    // table): equal bytes are one length test and a memcmp, before any byte order.
                    let same = j < previous.count && previous[j].path.utf8.bytesEqual(listed[i].path.utf8)
                    while !same && j < previous.count && previous[j].path.utf8.bytesPrecede(listed[i].path.utf8) { j += 1 }
                    var oldIndex: Int?
                    if same || (j < previous.count && !listed[i].path.utf8.bytesPrecede(previous[j].path.utf8)) {
                        matched[j] = true
                        oldIndex = j
                        if previous[j].isNote { stillListed += 1 }
                    }
                    // Unchanged files are settled by stat here, on a rebuild too: a rebuild
                    // analyses every note again, and reads it once, when it is analysed.
                    if let k = oldIndex, previous[k].stat == listed[i].stat, previous[k].stat.mtimeNs < racyFrom, previous[k].stat.ctimeNs < racyFrom {
                        if k != files.count { aligned = false }
                        files.append(previous[k])
                        if !previous[k].isPlain, let reason = previous[k].skipReason {
                            skipped.append(SkippedFile(path: listed[i].path, reason: reason))
                        }
                    } else {
                        toRead.append((files.count, i, listed[i].path, listed[i].stat, oldIndex.map { previous[$0] }))
                        files.append(FileEntry(path: listed[i].path, stat: listed[i].stat, hash: 0))
                    }
                }
            }
        }
        let budget = TextBudget(bytes: textBudget)
        let checked: [FileState] = speculate
            ? toRead.map { .fresh(FileEntry(path: $0.path, stat: $0.stat, hash: 0, skipReason: nil, entity: nil), nil) }
            : parallelMap(toRead) { item in
                if item.listed < alreadyRead.count, let hash = alreadyRead[item.listed] {
                    return .fresh(FileEntry(path: item.path, stat: item.stat, hash: hash, skipReason: nil, entity: nil), nil)
                }
                return ChangeSet.check(path: item.path, stat: item.stat, previous: item.old, vault: vault, racyFrom: racyFrom, budget: budget)
            }
        for (k, item) in toRead.enumerated() {
            switch checked[k] {
            case .same(let f): files[item.slot] = f
            case .fresh(let f, let text):
                files[item.slot] = f
                if let text { fresh[PathKey(f.path)] = text } else { reread.insert(PathKey(f.path)) }
            case .skipped(let f):
                files[item.slot] = f
                skipped.append(SkippedFile(path: f.path, reason: f.skipReason ?? ""))
            case .keptAfterError(let f, let reason):
                files[item.slot] = f
                skipped.append(SkippedFile(path: f.path, reason: reason + "; its previous entry is kept"))
            }
        }

        // Notes under folders that could not be listed are kept as they were.
        var keptUnlisted = false
        if !listing.unreadableFolders.isEmpty {
            for (k, old) in previous.enumerated() where !matched[k] && old.skipReason == nil
                && listing.unreadableFolders.contains(where: { $0.isEmpty || old.path.hasPrefix($0 + "/") })
            {
                files.append(old)
                matched[k] = true
                stillListed += 1
                keptUnlisted = true
            }
        }
        skipped.append(contentsOf: listing.skipped)
        skipped.sort { $0.path.utf8.bytesPrecede($1.path.utf8) }
        // What the listing skipped (symbolic links, names that are not UTF-8, folders that
        // cannot be read) is kept in the file table too, so that the index knows every file
        // it did not take.
        for s in listing.skipped {
            files.append(FileEntry(path: s.path, stat: FileStat(size: 0, mtimeNs: 0, ctimeNs: 0, inode: 0), hash: 0, skipReason: s.reason))
        }
        if keptUnlisted || !listing.skipped.isEmpty { files.sort { $0.path.utf8.bytesPrecede($1.path.utf8) } }
        if aligned && !keptUnlisted && listing.skipped.isEmpty && files.count == previous.count { recheckedSlots = toRead.map(\.slot) }
        // A previous note is gone if no listed file or kept entry took its path, or if its
        // file is now skipped.
        if previousNotes > 0 && (stillListed < previousNotes || !skipped.isEmpty) {
            // Both tables are sorted by path: paired by a merge, in place.
            previous.withUnsafeBufferPointer { previous in
                files.withUnsafeBufferPointer { files in
                    var j = 0
                    for k in previous.indices where previous[k].isNote {
                        let path = previous[k].path.utf8
                        while j < files.count && files[j].path.utf8.bytesPrecede(path) { j += 1 }
                        let kept = j < files.count && files[j].path.utf8.bytesEqual(path) && files[j].isNote
                        if !kept { removed.append(previous[k].path) }
                    }
                }
            }
        }
    }

    /// Refuses an update that would drop more than `Indexer.massDeleteShare` of at least
    /// `Indexer.massDeleteMinimum` notes: a vault that suddenly lost most of its notes is more
    /// likely unmounted or half-synced than emptied on purpose.
    /// A note whose file is still in the vault under another path (same inode: a renamed
    /// folder, a moved note) is not lost.
    func refuseMassDeletion(previous: [FileEntry]) throws(KGError) {
        guard !removed.isEmpty else { return }
        let previousNoteCount = previous.noteCount
        guard previousNoteCount >= Indexer.massDeleteMinimum,
            Double(removed.count) > Double(previousNoteCount) * Indexer.massDeleteShare
        else { return }
        let inodes = Set(files.lazy.filter { $0.skipReason == nil }.map(\.stat.inode))
        let gone = Set(removed.map(PathKey.init))
        let moved = previous.filter { $0.skipReason == nil && gone.contains(PathKey($0.path)) && inodes.contains($0.stat.inode) }.count
        let lost = removed.count - moved
        if Double(lost) > Double(previousNoteCount) * Indexer.massDeleteShare {
            throw KGError.massDelete(removed: lost, of: previousNoteCount)
        }
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
        budget: TextBudget? = nil) -> FileState
    {
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
                return .same(FileEntry(path: path, stat: st, hash: hash, entity: old.entity, aliases: old.aliases))
            }
            let keep = budget?.take(bytes.count) ?? true
            if !keep {
                // Not kept: it is decoded when analysed. Only what the change check needs is
                // looked at now: whether it is text at all, and whether it can have front
                // matter that defines an entity or aliases (the text must start with `---`,
                // or with a character that normalizing could drop or turn into `-`).
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
                return .fresh(FileEntry(path: path, stat: st, hash: hash, head: Analyzer.head(path: path, text: normalized)),
                    keep ? normalized : nil)
            }
        }
    }
}

/// Bytes of note text that may still be held, shared by the threads reading notes.
final class TextBudget: @unchecked Sendable {
    private let left: Locked<Int>
    init(bytes: Int) { left = Locked(bytes) }

    /// Whether `n` more bytes fit (and if so, they are counted).
    func take(_ n: Int) -> Bool {
        left.withLock { left in
            guard n <= left else { return false }
            left -= n
            return true
        }
    }
}

/// Counts across threads: the items finished, for progress reports, or the pieces of work
/// taken, for workers that take the next piece until none are left.
final class ProgressCounter: @unchecked Sendable {
    private let value = Locked(0)
    func next() -> Int {
        value.withLock { value in
            value += 1
            return value
        }
    }
}
