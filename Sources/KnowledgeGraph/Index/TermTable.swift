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
    /// The bytes of terms of up to 8 bytes packed into a number (0 for longer terms). Token
    /// bytes are never 0, so equal numbers mean equal bytes, lengths included.
    private var packed: [UInt64] = []
    /// Each slot holds the top 32 bits of its term's hash and the term's id (`empty` if
    /// free), so that a probe reads one array until the hash matches.
    private var slots: [UInt64]
    private var mask: Int
    private static let empty = UInt64.max

    init(capacity: Int = 1024) {
        var n = 16
        while n < capacity * 2 { n <<= 1 }
        slots = Array(repeating: TermTable.empty, count: n)
        mask = n - 1
    }

    @inline(__always) private static func slotValue(_ h: UInt64, _ id: Int32) -> UInt64 {
        (h >> 32) << 32 | UInt64(UInt32(bitPattern: id))
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
        if packedKey != 0 { return packed[k] == packedKey }
        let a = starts[k]
        let n = starts[k + 1] - a
        guard n == key.count, packed[k] == 0 else { return false }
        if n == 0 { return true }
        return arena.withUnsafeBytes { memcmp($0.baseAddress! + a, key.baseAddress!, n) == 0 }
    }

    /// The id of `key`, if interned.
    func find(_ key: UnsafeRawBufferPointer) -> Int32? {
        let (h, p) = TermTable.hashAndPack(key)
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let v = slots[s]
            if v == TermTable.empty { return nil }
            let k = Int32(truncatingIfNeeded: v)
            if v >> 32 == h >> 32 && equal(Int(k), key, p) { return k }
            s = (s + 1) & mask
        }
    }

    /// The id of `key`, added if new.
    mutating func intern(_ key: UnsafeRawBufferPointer) -> Int32 {
        let (h, p) = TermTable.hashAndPack(key)
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let v = slots[s]
            if v == TermTable.empty { break }
            let k = Int32(truncatingIfNeeded: v)
            if v >> 32 == h >> 32 && equal(Int(k), key, p) { return k }
            s = (s + 1) & mask
        }
        let id = Int32(hashes.count)
        hashes.append(h)
        packed.append(p)
        arena.appendBytes(key)
        starts.append(arena.count)
        slots[s] = TermTable.slotValue(h, id)
        if hashes.count * 2 > slots.count { grow() }
        return id
    }

    private mutating func grow() {
        let n = slots.count * 2
        slots = Array(repeating: TermTable.empty, count: n)
        mask = n - 1
        for (k, h) in hashes.enumerated() {
            var s = Int(truncatingIfNeeded: h) & mask
            while slots[s] != TermTable.empty { s = (s + 1) & mask }
            slots[s] = TermTable.slotValue(h, Int32(k))
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
