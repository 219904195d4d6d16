/// Appends little-endian integers, LEB128 varints and length-prefixed strings to a byte buffer.
struct BinaryWriter {
    var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }

    mutating func u32(_ v: UInt32) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func u64(_ v: UInt64) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func varint(_ v: UInt64) {
        var x = v
        while x >= 0x80 {
            bytes.append(UInt8(x & 0x7F) | 0x80)
            x >>= 7
        }
        bytes.append(UInt8(x))
    }

    mutating func int(_ v: Int) { varint(UInt64(bitPattern: Int64(v))) }
    mutating func int32(_ v: Int32) { varint(UInt64(UInt32(bitPattern: v))) }
    /// Zig-zag encoded signed value.
    mutating func sint(_ v: Int64) { varint(UInt64(bitPattern: (v << 1) ^ (v >> 63))) }

    mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { buf in
            varint(UInt64(buf.count))
            bytes.append(contentsOf: buf)
        }
    }

    mutating func strings(_ a: [String]) {
        int(a.count)
        for s in a { string(s) }
    }

    /// An optional entity: a presence byte, then name, type and aliases.
    mutating func entity(_ e: Entity?) {
        guard let e else {
            u8(0)
            return
        }
        u8(1)
        string(e.name)
        string(e.type)
        strings(e.aliases)
    }
}

/// Reads what `BinaryWriter` wrote, with every read bounds-checked.
struct BinaryReader {
    let base: UnsafeRawBufferPointer
    var offset: Int
    let end: Int

    init(_ base: UnsafeRawBufferPointer, range: Range<Int>) {
        self.base = base
        self.offset = range.lowerBound
        self.end = range.upperBound
    }

    var atEnd: Bool { offset >= end }

    mutating func u8() throws(CorruptIndex) -> UInt8 {
        guard offset < end else { throw CorruptIndex(reason: "truncated") }
        defer { offset += 1 }
        return base[offset]
    }

    mutating func u32() throws(CorruptIndex) -> UInt32 {
        guard offset + 4 <= end else { throw CorruptIndex(reason: "truncated") }
        defer { offset += 4 }
        return UInt32(base[offset]) | UInt32(base[offset + 1]) << 8 | UInt32(base[offset + 2]) << 16
            | UInt32(base[offset + 3]) << 24
    }

    mutating func u64() throws(CorruptIndex) -> UInt64 {
        let lo = try u32()
        let hi = try u32()
        return UInt64(lo) | UInt64(hi) << 32
    }

    @inline(__always) mutating func varint() throws(CorruptIndex) -> UInt64 {
        // Most numbers are one byte.
        if offset < end, case let b = base[offset], b < 0x80 {
            offset += 1
            return UInt64(b)
        }
        return try longVarint()
    }

    private mutating func longVarint() throws(CorruptIndex) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < end, shift < 64 else { throw CorruptIndex(reason: "bad number") }
            let b = base[offset]
            offset += 1
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
        }
    }

    mutating func int() throws(CorruptIndex) -> Int {
        let v = Int64(bitPattern: try varint())
        guard v >= 0 && v < Int64(Int32.max) * 64 else { throw CorruptIndex(reason: "bad count") }
        return Int(v)
    }

    mutating func int32() throws(CorruptIndex) -> Int32 {
        let v = try varint()
        guard v <= UInt64(UInt32.max) else { throw CorruptIndex(reason: "bad number") }
        return Int32(bitPattern: UInt32(v))
    }

    mutating func sint() throws(CorruptIndex) -> Int64 {
        let v = try varint()
        return Int64(bitPattern: v >> 1) ^ -Int64(bitPattern: v & 1)
    }

    mutating func count(max: Int) throws(CorruptIndex) -> Int {
        let n = try int()
        guard n <= max else { throw CorruptIndex(reason: "bad count") }
        return n
    }

    mutating func string() throws(CorruptIndex) -> String {
        let n = try int()
        guard offset + n <= end else { throw CorruptIndex(reason: "truncated string") }
        let slice = UnsafeRawBufferPointer(rebasing: base[offset..<(offset + n)])
        offset += n
        guard let s = String(validating: slice, as: UTF8.self) else { throw CorruptIndex(reason: "bad text") }
        return s
    }

    mutating func entity() throws(CorruptIndex) -> Entity? {
        guard try u8() == 1 else { return nil }
        return Entity(name: try string(), type: try string(), aliases: try strings())
    }

    /// Steps over a string without making it (its bytes are checked where it is read).
    mutating func skipString() throws(CorruptIndex) {
        let n = try int()
        guard n >= 0, offset + n <= end else { throw CorruptIndex(reason: "truncated string") }
        offset += n
    }

    mutating func skipStrings() throws(CorruptIndex) {
        for _ in 0..<(try count(max: end - offset)) { try skipString() }
    }

    mutating func strings() throws(CorruptIndex) -> [String] {
        let n = try count(max: end - offset)
        var a: [String] = []
        a.reserveCapacity(n)
        for _ in 0..<n { a.append(try string()) }
        return a
    }
}

/// A fast 64-bit checksum over bytes (8 bytes a step), to detect damaged index files.
enum Checksum {
    /// A 64-bit hash of `bytes`, taken 32 bytes at a time in four independent lanes (so that
    /// the multiplications overlap), then 8 and 1 at a time, the lanes mixed at the end.
    static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        @inline(__always) func mix(_ h: UInt64, _ w: UInt64) -> UInt64 {
            let m = (h ^ w) &* 0x100_0000_01B3
            return m ^ (m >> 29)
        }
        let n = bytes.count
        var h0: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(n)
        var h1: UInt64 = 0xC2B2_AE3D_27D4_EB4F
        var h2: UInt64 = 0x1656_67B1_9E37_79F9
        var h3: UInt64 = 0x85EB_CA77_C2B2_AE63
        var i = 0
        while i + 32 <= n {
            h0 = mix(h0, bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            h1 = mix(h1, bytes.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self))
            h2 = mix(h2, bytes.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self))
            h3 = mix(h3, bytes.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self))
            i += 32
        }
        var h = mix(mix(mix(h0, h1), h2), h3)
        while i + 8 <= n {
            h = mix(h, bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i += 8
        }
        while i < n {
            h = (h ^ UInt64(bytes[i])) &* 0x100_0000_01B3
            i += 1
        }
        h ^= h >> 32
        h = h &* 0xD6E8_FEB8_6659_FD93
        h ^= h >> 32
        return h
    }

    static func of(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { of($0) }
    }
}
