#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The file table as an `IndexReader` reads it: every entry (path, stat, hash, why skipped,
/// the entity a note defines or its aliases), and the notes' paths, made into strings only
/// when asked for.
extension IndexReader {
    /// The notes' paths by id: the file table's entries that are not skipped.
    public func notePaths() throws(CorruptIndex) -> [String] {
        if let p = tables.withLock({ $0.paths }) { return p }
        var p: [String] = []
        if let f = tables.withLock({ $0.files }) {
            p = f.notePaths
            guard p.count == (try noteCount()) else { throw CorruptIndex(reason: "the file table does not match the notes") }
        } else {
            let table = try pathTable()
            p.reserveCapacity(table.ends.count - 1)
            for id in 0..<(table.ends.count - 1) { p.append(try IndexReader.path(id, in: table)) }
        }
        tables.withLock { $0.paths = p }
        return p
    }

    /// Note `id`'s path. Until every path is decoded (`notePaths`), the first few are read
    /// alone from the file table's nearest restart point; past that many, all are read at once.
    public func notePath(_ id: Int) throws(CorruptIndex) -> String {
        let (paths, table, reads) = tables.withLock { t in
            t.pathReads += 1
            return (t.paths, t.pathTable, t.pathReads)
        }
        if let paths {
            guard id >= 0, id < paths.count else { throw CorruptIndex(reason: "bad note id") }
            return paths[id]
        }
        if table == nil && reads <= FileTable.pathsReadAlone { return try pathAlone(id) }
        let t: (bytes: [UInt8], ends: [Int32])
        if let table { t = table } else { t = try pathTable() }
        guard id >= 0, id + 1 < t.ends.count else { throw CorruptIndex(reason: "bad note id") }
        return try IndexReader.path(id, in: t)
    }

    /// Note `id`'s path, read from the restart point before it: at most
    /// `FileTable.restartInterval` entries are walked, and only the blocks of FILE that hold
    /// what is read are checked.
    fileprivate func pathAlone(_ id: Int) throws(CorruptIndex) -> String {
        let size = file.size(.files)
        // The entry count, then the restart table that ends the section: an offset per
        // restart point, then their count.
        guard size >= 5 else { throw CorruptIndex(reason: "bad file table") }
        var r = BinaryReader(try file.part(.files, 0..<min(size, 10)), range: 0..<min(size, 10))
        _ = try r.varint()
        let firstEntry = r.offset
        var t = BinaryReader(try file.part(.files, (size - 4)..<size), range: 0..<4)
        let count = Int(try t.u32())
        let tableStart = size - 4 - 4 * count
        let k = id / FileTable.restartInterval
        guard tableStart >= firstEntry else { throw CorruptIndex(reason: "bad file table") }
        guard id >= 0, k < count else { throw CorruptIndex(reason: "bad note id") }
        t = BinaryReader(try file.part(.files, (tableStart + 4 * k)..<(tableStart + 4 * k + 4)), range: 0..<4)
        let at = Int(try t.u32())
        guard at >= firstEntry, at < tableStart else { throw CorruptIndex(reason: "bad file table") }
        // The entries from the restart point up to the next one (or the table).
        var next = tableStart
        if k + 1 < count {
            t = BinaryReader(try file.part(.files, (tableStart + 4 * k + 4)..<(tableStart + 4 * k + 8)), range: 0..<4)
            next = Int(try t.u32())
        }
        guard next > at, next <= tableStart else { throw CorruptIndex(reason: "bad file table") }
        r = BinaryReader(try file.part(.files, at..<next), range: 0..<(next - at))
        var previous: [UInt8] = []
        var note = k * FileTable.restartInterval
        while !r.atEnd {
            try r.frontCodedPath(after: &previous)
            if try r.skipFileEntryRest() { continue }
            if note == id {
                guard let path = String(validating: previous, as: UTF8.self) else { throw CorruptIndex(reason: "bad text") }
                return path
            }
            note += 1
        }
        throw CorruptIndex(reason: "bad note id")
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
        // One walk of the file table: the rest of each entry is skipped, not decoded. Each
        // path is front-coded against the one before: it is built at the end of the buffer
        // from the previous path's bytes, which stay there when that entry is a note.
        var r = try file.section(.files)
        let n = try r.count(max: r.end - r.offset)
        var out = GrowingBytes(capacity: max(64, (r.end - r.offset) * 2))
        defer { out.free() }
        var ends: [Int32] = [0]
        ends.reserveCapacity(n + 1)
        var previousStart = 0
        var previousCount = 0
        for _ in 0..<n {
            let shared = try r.int()
            let rest = try r.int()
            guard shared <= previousCount, rest <= r.end - r.offset else { throw CorruptIndex(reason: "bad file table") }
            // The notes' paths so far fill `0..<kept`; the previous path (a note's, or a
            // skipped file's kept after them) starts at `previousStart`.
            let kept = Int(ends[ends.count - 1])
            let start = out.count
            out.appendOwn(previousStart..<(previousStart + shared))
            out.append(UnsafeRawBufferPointer(rebasing: r.base[r.offset..<(r.offset + rest)]))
            r.offset += rest
            let skipped = try r.skipFileEntryRest()
            previousCount = out.count - start
            out.moveDown(start, count: previousCount, to: kept)
            previousStart = kept
            // A skipped file's path only serves as the next one's prefix.
            if !skipped { ends.append(Int32(truncatingIfNeeded: out.count)) }
        }
        let bytes = out.array(upTo: Int(ends[ends.count - 1]))
        guard ends.count == (try noteCount()) + 1, bytes.count < Int(Int32.max) else {
            throw CorruptIndex(reason: "the file table does not match the notes")
        }
        let t = (bytes, ends)
        tables.withLock { $0.pathTable = t }
        return t
    }

    /// Gives this reader what the update that wrote this file (`written`, its inode) knows of
    /// it, so that the next update of the same process does not decode it again: the file
    /// table, the notes' paths, the entity lists and discovery's statistics.
    func knowFiles(_ f: [FileEntry], notePaths: [String], entityNotes: [[Int32]]?, discovery: DiscoveryStats?, written: UInt64) {
        guard file.inode == written else { return }
        tables.withLock {
            $0.files = f
            $0.paths = notePaths
            if let entityNotes { $0.entityLists = entityNotes }
            if let discovery { $0.discovery = discovery }
        }
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
            let flags = try r.u8()
            let reason: String? = flags & 1 != 0 ? try r.string() : nil
            let entity = try r.entity()
            out.append(FileEntry(path: path, stat: stat, hash: hash, skipReason: reason, entity: entity, aliases: flags & 2 != 0 ? try r.strings() : []))
        }
        return out
    }
}

/// A byte buffer that grows by doubling, for `pathTable`'s walk: appending part of itself
/// copies no array.
private struct GrowingBytes {
    var base: UnsafeMutablePointer<UInt8>
    var capacity: Int
    var count = 0

    init(capacity: Int) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    mutating func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        var c = capacity * 2
        while c < count + extra { c *= 2 }
        let b = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
        b.update(from: base, count: count)
        base.deallocate()
        base = b
        capacity = c
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        reserve(bytes.count)
        if let src = bytes.baseAddress { (base + count).update(from: src.assumingMemoryBound(to: UInt8.self), count: bytes.count) }
        count += bytes.count
    }

    /// Appends `range` of what the buffer already holds.
    mutating func appendOwn(_ range: Range<Int>) {
        reserve(range.count)
        (base + count).update(from: base + range.lowerBound, count: range.count)
        count += range.count
    }

    /// Moves the last `n` bytes, at `start`, down to `to`, dropping what lay between.
    mutating func moveDown(_ start: Int, count n: Int, to: Int) {
        if to != start { memmove(base + to, base + start, n) }
        count = to + n
    }

    func array(upTo n: Int) -> [UInt8] { Array(UnsafeBufferPointer(start: base, count: n)) }

    func free() { base.deallocate() }
}

/// The file table's layout constants.
enum FileTable {
    /// Every this many notes, a path is written whole and its entry's offset listed.
    static let restartInterval = 32
    /// Paths a reader reads alone before it decodes them all.
    static let pathsReadAlone = 64
}

extension BinaryReader {
    /// Skips a file table entry after its path; whether the file is skipped (not a note).
    fileprivate mutating func skipFileEntryRest() throws(CorruptIndex) -> Bool {
        _ = try sint()
        _ = try sint()
        _ = try sint()
        _ = try varint()
        _ = try u64()
        let flags = try u8()
        if flags & 1 != 0 { _ = try string() }
        _ = try entity()
        if flags & 2 != 0 { _ = try strings() }
        return flags & 1 != 0
    }

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
