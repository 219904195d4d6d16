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
