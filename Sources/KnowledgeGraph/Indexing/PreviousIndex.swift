/// The index an update starts from: its reader and file table, or why there is none to use.
struct PreviousIndex {
    var reader: IndexReader?
    /// The file table, sorted by path bytes.
    var files: [FileEntry] = []
    /// Whether `files` are in the order the file table stores them (they were not sorted here).
    var filesAsStored = true
    var fingerprint: UInt64?
    /// Why the update must rebuild rather than keep what this index holds.
    var rebuildReason: String?

    /// Opens the index at `path`; a damaged one is reported through `notice` and not used.
    /// `current`, a reader of this process, is taken as it is if it is still that file.
    init(path: String, current: IndexReader? = nil, notice: (String) -> Void) {
        do {
            if let current, current.isFile(at: path) {
                reader = current
            } else {
                reader = try IndexReader.load(path: path)
            }
            if let r = reader {
                files = try r.files()
                fingerprint = try r.meta().fingerprint
            } else {
                rebuildReason = "no index yet"
            }
        } catch {
            notice("the index was unreadable (\(error.reason)); rebuilding it from the notes")
            rebuildReason = "index was damaged (\(error.reason))"
            reader = nil
            files = []
        }
        if files.indices.dropFirst().contains(where: { !files[$0 - 1].path.utf8.bytesPrecede(files[$0].path.utf8) }) {
            files.sort { $0.path.utf8.bytesPrecede($1.path.utf8) }
            filesAsStored = false
        }
    }

    /// Paths of the indexed notes, in id order (decoded once by the reader).
    var notePaths: [String] {
        if let reader, let paths = try? reader.notePaths(), paths.count == files.noteCount {
            return paths
        }
        return files.notePaths
    }

    /// The blocks of the previous file table, for a new one to copy those it repeats;
    /// `rechecked`, see `ChangeSet.recheckedSlots`.
    func fileTableBlocks(rechecked: [Int]?) -> FileTableBlocks? {
        guard filesAsStored, let reader, let bytes = try? reader.file.sectionBytes(.files) else { return nil }
        return FileTableBlocks(files: files, bytes: bytes, rechecked: rechecked)
    }

    /// The entry for `path`, if the file table has one.
    func entry(_ path: String) -> FileEntry? { FileEntry.find(path, in: files) }
}

extension FileEntry {
    /// The entry for `path` in a file table sorted by path bytes.
    static func find(_ path: String, in files: [FileEntry]) -> FileEntry? {
        var lo = 0
        var hi = files.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if files[mid].path.utf8.bytesPrecede(path.utf8) { lo = mid + 1 } else { hi = mid }
        }
        return lo < files.count && !path.utf8.bytesPrecede(files[lo].path.utf8) ? files[lo] : nil
    }
}
