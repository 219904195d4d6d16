extension NoteParts {
    /// The FILE section. Paths are front-coded (sorted paths share long prefixes: the bytes
    /// shared with the path before, then the rest), the status-change time is stored as its
    /// distance from the mtime. Every `FileTable.restartInterval`-th note's path is whole, and
    /// where its entry starts is listed after the entries, so that one note's path is read
    /// without the others. Written straight into a buffer sized for the worst case: this runs
    /// on every save, and a block (the entries from one restart to the next) whose entries are
    /// those of a block of `previous` is copied from it, not encoded again.
    static func fileTable(_ files: [FileEntry], reusing previous: FileTableBlocks? = nil) -> [UInt8] {
        // Entries are read where they lie: none is copied.
        files.withUnsafeBufferPointer { fileTable($0, reusing: previous) }
    }

    private static func fileTable(_ files: UnsafeBufferPointer<FileEntry>, reusing previous: FileTableBlocks?) -> [UInt8] {
        // Where each block starts, then what each block copies.
        let starts = blockStarts(files)
        let copied: [UnsafeRawBufferPointer?] = starts.indices.map { b in
            previous?.block(files, starts[b]..<(b + 1 < starts.count ? starts[b + 1] : files.count))
        }
        var bound = 64
        var longest = 0
        var b = -1
        for k in files.indices {
            if b + 1 < starts.count && starts[b + 1] == k {
                b += 1
                if let c = copied[b] { bound += c.count }
            }
            if b >= 0 && copied[b] != nil { continue }
            let n = files[k].path.utf8.count
            bound += n + 80
            longest = max(longest, n)
            if !files[k].isPlain {
                var w = BinaryWriter()
                NoteParts.extra(of: files[k], into: &w)
                bound += w.bytes.count
            }
        }
        // The path before, for front coding.
        let before = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, longest))
        defer { before.deallocate() }
        var beforeCount = 0
        var restarts: [UInt32] = []
        restarts.reserveCapacity(starts.count)
        return [UInt8](unsafeUninitializedCapacity: bound + 4 * (starts.count + 2)) { buffer, initialized in
            var sink = RawSink(base: buffer.baseAddress!)
            sink.varint(UInt64(files.count))
            func path(_ p: UnsafeBufferPointer<UInt8>) {
                var shared = 0
                let n = min(p.count, beforeCount)
                while shared < n && p[shared] == before[shared] { shared += 1 }
                sink.varint(UInt64(shared))
                sink.varint(UInt64(p.count - shared))
                sink.append(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(p)[shared...]))
                if let b = p.baseAddress, p.count > shared { (before + shared).update(from: b + shared, count: p.count - shared) }
                beforeCount = p.count
            }
            do {
                var k = 0
                var b = -1
                while k < files.count {
                    if b + 1 < starts.count && starts[b + 1] == k {
                        b += 1
                        restarts.append(UInt32(truncatingIfNeeded: sink.count))
                        beforeCount = 0
                        if let c = copied[b] {
                            sink.append(c)
                            k = b + 1 < starts.count ? starts[b + 1] : files.count
                            continue
                        }
                    }
                    // Native strings are read in place; others are made contiguous first.
                    if files[k].path.utf8.withContiguousStorageIfAvailable(path) == nil {
                        var s = files[k].path
                        s.withUTF8(path)
                    }
                    let stat = files[k].stat
                    sink.zigzag(stat.size)
                    sink.zigzag(stat.mtimeNs)
                    sink.zigzag(stat.ctimeNs &- stat.mtimeNs)
                    sink.varint(stat.inode)
                    sink.u64(files[k].hash)
                    if files[k].isPlain {
                        sink.u8(0)  // flags
                        sink.u8(0)  // no entity
                    } else {
                        var w = BinaryWriter()
                        NoteParts.extra(of: files[k], into: &w)
                        w.bytes.withUnsafeBytes { sink.append($0) }
                    }
                    k += 1
                }
            }
            for r in restarts { sink.u32(r) }
            sink.u32(UInt32(restarts.count))
            initialized = sink.count
        }
    }

    /// Where each block of a file table starts: the entry of every `FileTable.restartInterval`-th
    /// note, whose path is written whole.
    static func blockStarts(_ files: UnsafeBufferPointer<FileEntry>) -> [Int] {
        var starts: [Int] = []
        starts.reserveCapacity(files.count / FileTable.restartInterval + 2)
        var notes = 0
        for k in files.indices where files[k].isNote {
            if notes % FileTable.restartInterval == 0 { starts.append(k) }
            notes += 1
        }
        return starts
    }

    /// A file-table entry's bytes after its hash: flags (1, a skip reason follows; 2, aliases
    /// follow the entity), the skip reason, the entity, the aliases.
    private static func extra(of f: FileEntry, into w: inout BinaryWriter) {
        let aliases = f.aliases
        w.u8((f.skipReason == nil ? 0 : 1) | (aliases.isEmpty ? 0 : 2))
        if let r = f.skipReason { w.string(r) }
        w.entity(f.entity)
        if !aliases.isEmpty { w.strings(aliases) }
    }
}

/// The blocks of a previous index's FILE section, by the entries each was written from: a
/// block starts with a whole path, so the same entries always make the same bytes.
struct FileTableBlocks {
    private let files: [FileEntry]
    private let bytes: UnsafeRawBufferPointer
    /// Each block's first entry and first byte; one more of each ends the last block.
    private var entryStarts: [Int] = []
    private var byteStarts: [Int] = []
    /// Where a new table differs from `files` when every other entry is the same at the same
    /// position (ascending): its blocks are matched without comparing entries.
    private let rechecked: [Int]?

    /// The blocks of `bytes`, a FILE section written from `files` (nil if they do not agree):
    /// valid while `bytes` is. `rechecked`: see `ChangeSet.recheckedSlots`.
    init?(files: [FileEntry], bytes: UnsafeRawBufferPointer, rechecked: [Int]? = nil) {
        self.rechecked = rechecked?.sorted()
        guard bytes.count >= 4 else { return nil }
        let count = bytes.u32(at: bytes.count - 4)
        let table = bytes.count - 4 - 4 * count
        guard table >= 0 else { return nil }
        entryStarts = files.withUnsafeBufferPointer(NoteParts.blockStarts)
        guard entryStarts.count == count else { return nil }
        entryStarts.append(files.count)
        byteStarts = (0..<count).map { bytes.u32(at: table + 4 * $0) }
        byteStarts.append(table)
        for b in 0..<count where byteStarts[b] > byteStarts[b + 1] { return nil }
        self.files = files
        self.bytes = bytes
    }

    /// The bytes of the previous block written from the same entries as `new[range]`, if any.
    /// The entries are compared where they lie: a save compares all of them.
    func block(_ new: UnsafeBufferPointer<FileEntry>, _ range: Range<Int>) -> UnsafeRawBufferPointer? {
        guard let first = range.first else { return nil }
        if let rechecked, new.count == files.count {
            // A block of the same entries at the same place, none of them checked again.
            var lo = 0
            var hi = rechecked.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if rechecked[mid] < first { lo = mid + 1 } else { hi = mid }
            }
            guard lo == rechecked.count || rechecked[lo] >= range.upperBound else { return nil }
            return bytes(ofBlockAt: first, count: range.count)
        }
        return files.withUnsafeBufferPointer { files in
            // The previous entry of the same path: at the same place unless notes came or went.
            var at = first
            if !(at < files.count && files[at].path.utf8.bytesEqual(new[first].path.utf8)) {
                var lo = 0
                var hi = files.count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if files[mid].path.utf8.bytesPrecede(new[first].path.utf8) { lo = mid + 1 } else { hi = mid }
                }
                at = lo
            }
            for k in range where at + k - first >= files.count || !new[k].isSameEntry(as: files[at + k - first]) { return nil }
            return bytes(ofBlockAt: at, count: range.count)
        }
    }

    /// The bytes of the block that starts at entry `at` and holds `count` entries, if any.
    private func bytes(ofBlockAt at: Int, count: Int) -> UnsafeRawBufferPointer? {
        var lo = 0
        var hi = entryStarts.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if entryStarts[mid] < at { lo = mid + 1 } else { hi = mid }
        }
        guard lo < entryStarts.count - 1, entryStarts[lo] == at, entryStarts[lo + 1] - at == count else { return nil }
        return UnsafeRawBufferPointer(rebasing: bytes[byteStarts[lo]..<byteStarts[lo + 1]])
    }
}

/// Writes little-endian integers and varints to memory the caller sized for them.
struct RawSink {
    let base: UnsafeMutablePointer<UInt8>
    var count = 0

    @inline(__always) mutating func u8(_ v: UInt8) {
        base[count] = v
        count += 1
    }

    @inline(__always) mutating func varint(_ v: UInt64) {
        var x = v
        while x >= 0x80 {
            base[count] = UInt8(x & 0x7F) | 0x80
            count += 1
            x >>= 7
        }
        base[count] = UInt8(x)
        count += 1
    }

    /// Zig-zag encoded, as `BinaryWriter.sint`.
    @inline(__always) mutating func zigzag(_ v: Int64) { varint(UInt64(bitPattern: (v << 1) ^ (v >> 63))) }

    @inline(__always) mutating func u32(_ v: UInt32) {
        UnsafeMutableRawPointer(base + count).storeBytes(of: v.littleEndian, as: UInt32.self)
        count += 4
    }

    @inline(__always) mutating func u64(_ v: UInt64) {
        UnsafeMutableRawPointer(base + count).storeBytes(of: v.littleEndian, as: UInt64.self)
        count += 8
    }

    @inline(__always) mutating func append(_ bytes: UnsafeRawBufferPointer) {
        if let b = bytes.baseAddress, bytes.count > 0 { UnsafeMutableRawPointer(base + count).copyMemory(from: b, byteCount: bytes.count) }
        count += bytes.count
    }
}
