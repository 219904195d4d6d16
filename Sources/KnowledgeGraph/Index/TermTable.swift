#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Interns terms given as UTF-8 bytes: each distinct term gets a dense id, its bytes kept once
/// in one arena. Open addressing with linear probing; no String is made per lookup.
struct TermTable {
    private(set) var arena: [UInt8] = []
    /// Term `k`'s bytes are `arena[starts[k]..<starts[k + 1]]`.
    private(set) var starts: [Int] = [0]
    private var hashes: [UInt64] = []
    /// The bytes of terms of up to 8 bytes packed into a number (0 for longer terms).
    private var packed: [UInt64] = []
    private var slots: [Int32]
    private var mask: Int

    init(capacity: Int = 1024) {
        var n = 16
        while n < capacity * 2 { n <<= 1 }
        slots = Array(repeating: -1, count: n)
        mask = n - 1
    }

    var count: Int { hashes.count }

    /// The hash of `key`, and its bytes packed into a number when it has at most 8 (else 0):
    /// one pass over the bytes for both.
    @inline(__always) static func hashAndPack(_ key: UnsafeRawBufferPointer) -> (hash: UInt64, packed: UInt64) {
        if key.count <= 8 {
            var p: UInt64 = 0
            for b in key { p = p << 8 | UInt64(b) }
            var h = (p ^ UInt64(key.count) << 60) &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 29
            return (h, p)
        }
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(key.count)
        var i = 0
        while i + 8 <= key.count {
            h = (h ^ key.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < key.count {
            tail |= UInt64(key[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 29
        return (h, 0)
    }

    @inline(__always) private func equal(_ k: Int, _ key: UnsafeRawBufferPointer, _ packedKey: UInt64) -> Bool {
        let a = starts[k]
        let n = starts[k + 1] - a
        guard n == key.count else { return false }
        if n <= 8 { return packed[k] == packedKey }
        return arena.withUnsafeBytes { memcmp($0.baseAddress! + a, key.baseAddress!, n) == 0 }
    }

    /// The id of `key`, if interned.
    func find(_ key: UnsafeRawBufferPointer) -> Int32? {
        let (h, p) = TermTable.hashAndPack(key)
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let k = slots[s]
            if k < 0 { return nil }
            if hashes[Int(k)] == h && equal(Int(k), key, p) { return k }
            s = (s + 1) & mask
        }
    }

    /// The id of `key`, added if new.
    mutating func intern(_ key: UnsafeRawBufferPointer) -> Int32 {
        let (h, p) = TermTable.hashAndPack(key)
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let k = slots[s]
            if k < 0 { break }
            if hashes[Int(k)] == h && equal(Int(k), key, p) { return k }
            s = (s + 1) & mask
        }
        let id = Int32(hashes.count)
        hashes.append(h)
        packed.append(p)
        arena.appendBytes(key)
        starts.append(arena.count)
        slots[s] = id
        if hashes.count * 2 > slots.count { grow() }
        return id
    }

    private mutating func grow() {
        let n = slots.count * 2
        slots = Array(repeating: -1, count: n)
        mask = n - 1
        for (k, h) in hashes.enumerated() {
            var s = Int(truncatingIfNeeded: h) & mask
            while slots[s] >= 0 { s = (s + 1) & mask }
            slots[s] = Int32(k)
        }
    }

    func withBytes<R>(_ k: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        arena.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[starts[k]..<starts[k + 1]])) }
    }

    /// Ids in byte order of their terms (the order of the index's dictionary).
    func sortedIDs() -> [Int32] {
        arena.withUnsafeBytes { raw in
            let starts = self.starts
            return (0..<Int32(count)).sorted { x, y in
                let a0 = starts[Int(x)]
                let an = starts[Int(x) + 1] - a0
                let b0 = starts[Int(y)]
                let bn = starts[Int(y) + 1] - b0
                let c = memcmp(raw.baseAddress! + a0, raw.baseAddress! + b0, min(an, bn))
                return c != 0 ? c < 0 : an < bn
            }
        }
    }
}

/// Posting lists built note by note, already in their on-disk encoding: per note, the gap
/// from the previous note id, the byte length of its positions, and the positions as gaps.
/// A list is only ever appended to, with note ids ascending.
struct PostingLists {
    var table = TermTable()
    /// Encoded entries of each term's list (without the leading count).
    var lists: [[UInt8]] = []
    var counts: [Int32] = []
    /// Last note id appended to each list (-1 when empty).
    var lastNote: [Int32] = []
    var firstNote: [Int32] = []

    // Per-note grouping of tokens by term, reused across notes.
    private var touched: [Int32] = []
    private var head: [Int32] = []
    private var tail: [Int32] = []
    private var stamp: [Int32] = []
    private var tokenPos: [Int32] = []
    private var tokenNext: [Int32] = []
    private var noteID: Int32 = -1

    init() {}

    private mutating func term(_ key: UnsafeRawBufferPointer) -> Int32 {
        let t = table.intern(key)
        if Int(t) == lists.count {
            lists.append([])
            counts.append(0)
            lastNote.append(-1)
            firstNote.append(-1)
            head.append(-1)
            tail.append(-1)
            stamp.append(-1)
        }
        return t
    }

    /// Starts collecting the tokens of note `id` (ids ascending across calls).
    mutating func beginNote(_ id: Int32) {
        noteID = id
        touched.removeAll(keepingCapacity: true)
        tokenPos.removeAll(keepingCapacity: true)
        tokenNext.removeAll(keepingCapacity: true)
    }

    mutating func add(_ key: UnsafeBufferPointer<UInt8>, position: Int32) {
        let t = Int(term(UnsafeRawBufferPointer(key)))
        let i = Int32(tokenPos.count)
        tokenPos.append(position)
        tokenNext.append(-1)
        if stamp[t] != noteID {
            stamp[t] = noteID
            head[t] = i
            touched.append(Int32(t))
        } else {
            tokenNext[Int(tail[t])] = i
        }
        tail[t] = i
    }

    /// Appends the collected tokens of the current note to their lists.
    mutating func endNote() {
        for t in touched {
            let t = Int(t)
            // The positions' byte length first, then the gaps straight into the list.
            var length = 0
            var last: Int32 = -1
            var i = head[t]
            while i >= 0 {
                let p = tokenPos[Int(i)]
                length += VarInt.size(UInt64(UInt32(bitPattern: p &- last &- 1)))
                last = p
                i = tokenNext[Int(i)]
            }
            var list: [UInt8] = []
            swap(&list, &lists[t])
            VarInt.append(UInt64(UInt32(bitPattern: noteID &- lastNote[t] &- 1)), to: &list)
            VarInt.append(UInt64(length), to: &list)
            last = -1
            i = head[t]
            while i >= 0 {
                let p = tokenPos[Int(i)]
                VarInt.append(UInt64(UInt32(bitPattern: p &- last &- 1)), to: &list)
                last = p
                i = tokenNext[Int(i)]
            }
            swap(&list, &lists[t])
            if lastNote[t] < 0 { firstNote[t] = noteID }
            lastNote[t] = noteID
            counts[t] += 1
        }
    }
}

/// LEB128 varints on raw bytes, for the loops that copy posting lists without decoding them.
enum VarInt {
    /// Bytes `append` writes for `v`.
    @inline(__always) static func size(_ v: UInt64) -> Int {
        v < 0x80 ? 1 : (v < 0x4000 ? 2 : (v < 0x20_0000 ? 3 : (v < 0x1000_0000 ? 4 : (64 - v.leadingZeroBitCount + 6) / 7)))
    }

    @inline(__always) static func append(_ v: UInt64, to out: inout [UInt8]) {
        var x = v
        while x >= 0x80 {
            out.append(UInt8(x & 0x7F) | 0x80)
            x >>= 7
        }
        out.append(UInt8(x))
    }

    /// Reads a varint at `i`, advancing it; nil when it runs past `end` or is too long.
    @inline(__always) static func read(_ p: UnsafeRawBufferPointer, _ i: inout Int, end: Int) -> UInt64? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while i < end && shift < 64 {
            let b = p[i]
            i += 1
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
        }
        return nil
    }
}
