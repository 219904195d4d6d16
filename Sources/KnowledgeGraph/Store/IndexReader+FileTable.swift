/// The file table as an `IndexReader` reads it: every entry (path, stat, hash, why skipped,
/// the entity a note defines), and the notes' paths, made into strings only when asked for.
extension IndexReader {
    /// The notes' paths by id: the file table's entries that are not skipped.
    public func notePaths() throws(CorruptIndex) -> [String] {
        if let p = tables.withLock({ $0.paths }) { return p }
        var p: [String] = []
        if let f = tables.withLock({ $0.files }) {
            p = f.filter { $0.skipReason == nil }.map(\.path)
        } else {
            try walkNotePaths { _, bytes throws(CorruptIndex) in
                guard let path = String(validating: bytes, as: UTF8.self) else { throw CorruptIndex(reason: "bad text") }
                p.append(path)
                return true
            }
        }
        guard p.count == (try noteCount()) else { throw CorruptIndex(reason: "the file table does not match the notes") }
        tables.withLock { $0.paths = p }
        return p
    }

    /// Note `id`'s path; until every path is decoded (`notePaths`), made from the path table.
    public func notePath(_ id: Int) throws(CorruptIndex) -> String {
        if let p = tables.withLock({ $0.paths }) {
            guard id >= 0, id < p.count else { throw CorruptIndex(reason: "bad note id") }
            return p[id]
        }
        let table = try pathTable()
        guard id >= 0, id + 1 < table.ends.count else { throw CorruptIndex(reason: "bad note id") }
        let bytes = table.bytes[Int(table.ends[id])..<Int(table.ends[id + 1])]
        guard let path = String(validating: bytes, as: UTF8.self) else { throw CorruptIndex(reason: "bad text") }
        return path
    }

    /// Every note's path as bytes in one buffer (`ends[id]..<ends[id + 1]`), read in one walk
    /// of the file table: an answer that shows a few notes makes a string for those only.
    fileprivate func pathTable() throws(CorruptIndex) -> (bytes: [UInt8], ends: [Int32]) {
        if let t = tables.withLock({ $0.pathTable }) { return t }
        var bytes: [UInt8] = []
        var ends: [Int32] = [0]
        try walkNotePaths { _, path throws(CorruptIndex) in
            bytes.append(contentsOf: path)
            ends.append(Int32(truncatingIfNeeded: bytes.count))
            return true
        }
        guard ends.count == (try noteCount()) + 1, bytes.count < Int(Int32.max) else {
            throw CorruptIndex(reason: "the file table does not match the notes")
        }
        let t = (bytes, ends)
        tables.withLock { $0.pathTable = t }
        return t
    }

    /// Walks the file table, handing each note's id and path bytes to `body` (valid during
    /// the call) until it returns false; no string is made and no entry is decoded whole.
    fileprivate func walkNotePaths(_ body: (Int, UnsafeRawBufferPointer) throws(CorruptIndex) -> Bool) throws(CorruptIndex) {
        var r = try file.section(.files)
        let n = try r.count(max: r.end - r.offset)
        var previous: [UInt8] = []
        previous.reserveCapacity(256)
        var note = 0
        for _ in 0..<n {
            let shared = try r.int()
            let rest = try r.int()
            guard shared <= previous.count, rest <= r.end - r.offset else { throw CorruptIndex(reason: "bad file table") }
            previous.removeSubrange(shared...)
            previous.append(contentsOf: UnsafeRawBufferPointer(rebasing: r.base[r.offset..<(r.offset + rest)]))
            r.offset += rest
            _ = try r.sint()
            _ = try r.sint()
            _ = try r.sint()
            _ = try r.varint()
            _ = try r.u64()
            let skipped = try r.u8() == 1
            if skipped { _ = try r.string() }
            _ = try r.entity()
            if skipped { continue }
            var failure: CorruptIndex?
            let go = previous.withUnsafeBytes { bytes -> Bool in
                do throws(CorruptIndex) { return try body(note, bytes) } catch {
                    failure = error
                    return false
                }
            }
            if let failure { throw failure }
            if !go { return }
            note += 1
        }
    }

    /// Gives this reader the file table its writer wrote, when it reads that very file.
    func knowFiles(_ f: [FileEntry], written: UInt64) {
        guard file.inode == written else { return }
        tables.withLock { $0.files = f }
    }

    /// The file table, decoded once.
    public func files() throws(CorruptIndex) -> [FileEntry] {
        if let f = tables.withLock({ $0.files }) { return f }
        let f = try decodeFiles()
        tables.withLock { $0.files = f }
        return f
    }

    fileprivate func decodeFiles() throws(CorruptIndex) -> [FileEntry] {
        var r = try file.section(.files)
        var out: [FileEntry] = []
        let n = try r.count(max: r.end - r.offset)
        out.reserveCapacity(n)
        var previous: [UInt8] = []
        for _ in 0..<n {
            // Front-coded: the bytes shared with the path before, then the rest.
            let shared = try r.int()
            let rest = try r.int()
            guard shared <= previous.count, rest <= r.end - r.offset else { throw CorruptIndex(reason: "bad file table") }
            previous.removeSubrange(shared...)
            previous.append(contentsOf: UnsafeRawBufferPointer(rebasing: r.base[r.offset..<(r.offset + rest)]))
            r.offset += rest
            guard let path = String(validating: previous, as: UTF8.self) else { throw CorruptIndex(reason: "bad text") }
            let size = try r.sint()
            let mtime = try r.sint()
            let stat = FileStat(size: size, mtimeNs: mtime, ctimeNs: mtime &+ (try r.sint()), inode: try r.varint())
            let hash = try r.u64()
            let reason: String? = try r.u8() == 1 ? try r.string() : nil
            out.append(FileEntry(path: path, stat: stat, hash: hash, skipReason: reason, entity: try r.entity()))
        }
        return out
    }
}
