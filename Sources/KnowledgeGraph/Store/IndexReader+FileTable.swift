/// The file table as an `IndexReader` reads it: every entry (path, stat, hash, why skipped,
/// the entity a note defines), and the notes' paths, made into strings only when asked for.
extension IndexReader {
    /// The notes' paths by id: the file table's entries that are not skipped.
    public func notePaths() throws(CorruptIndex) -> [String] {
        if let p = tables.withLock({ $0.paths }) { return p }
        var p: [String] = []
        if let f = tables.withLock({ $0.files }) {
            p = f.filter { $0.skipReason == nil }.map(\.path)
            guard p.count == (try noteCount()) else { throw CorruptIndex(reason: "the file table does not match the notes") }
        } else {
            let table = try pathTable()
            p.reserveCapacity(table.ends.count - 1)
            for id in 0..<(table.ends.count - 1) { p.append(try IndexReader.path(id, in: table)) }
        }
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
        return try IndexReader.path(id, in: table)
    }

    fileprivate static func path(_ id: Int, in table: (bytes: [UInt8], ends: [Int32])) throws(CorruptIndex) -> String {
        guard let path = String(validating: table.bytes[Int(table.ends[id])..<Int(table.ends[id + 1])], as: UTF8.self) else {
            throw CorruptIndex(reason: "bad text")
        }
        return path
    }

    /// Every note's path as bytes in one buffer (`ends[id]..<ends[id + 1]`), read in one walk
    /// of the file table: an answer that shows a few notes makes a string for those only.
    fileprivate func pathTable() throws(CorruptIndex) -> (bytes: [UInt8], ends: [Int32]) {
        if let t = tables.withLock({ $0.pathTable }) { return t }
        // One walk of the file table: the rest of each entry is skipped, not decoded.
        var r = try file.section(.files)
        let n = try r.count(max: r.end - r.offset)
        var previous: [UInt8] = []
        var bytes: [UInt8] = []
        var ends: [Int32] = [0]
        for _ in 0..<n {
            try r.frontCodedPath(after: &previous)
            _ = try r.sint()
            _ = try r.sint()
            _ = try r.sint()
            _ = try r.varint()
            _ = try r.u64()
            let skipped = try r.u8() == 1
            if skipped { _ = try r.string() }
            _ = try r.entity()
            if skipped { continue }
            bytes.append(contentsOf: previous)
            ends.append(Int32(truncatingIfNeeded: bytes.count))
        }
        guard ends.count == (try noteCount()) + 1, bytes.count < Int(Int32.max) else {
            throw CorruptIndex(reason: "the file table does not match the notes")
        }
        let t = (bytes, ends)
        tables.withLock { $0.pathTable = t }
        return t
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
            try r.frontCodedPath(after: &previous)
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

extension BinaryReader {
    /// Reads a front-coded path into `previous`: the count of bytes it shares with the path
    /// before, then the rest.
    fileprivate mutating func frontCodedPath(after previous: inout [UInt8]) throws(CorruptIndex) {
        let shared = try int()
        let rest = try int()
        guard shared <= previous.count, rest <= end - offset else { throw CorruptIndex(reason: "bad file table") }
        previous.removeSubrange(shared...)
        previous.append(contentsOf: UnsafeRawBufferPointer(rebasing: base[offset..<(offset + rest)]))
        offset += rest
    }
}
