extension Scalars {
    /// The scalars of a note's bytes, decoded in one pass, when the bytes are UTF-8 (with or
    /// without a BOM), hold no NUL and are already as `Normalizer` makes them: then they
    /// equal what `TextDecoder.decode` and `Normalizer.normalize` give, and no `String` is
    /// made. Nil for anything else, which takes that longer way. Most notes are plain.
    ///
    /// Well-formed UTF-8 as the Unicode Standard's table 3-7 defines it (as `String`
    /// validates): no overlong forms, surrogates or values past U+10FFFF.
    static func plainUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt32]? {
        let n = bytes.count
        var i = n >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
        var plain = false
        let out = [UInt32](unsafeUninitializedCapacity: n) { out, count in
            var k = 0
            while i < n {
                let b = bytes[i]
                if b < 0x80 {
                    // NUL means binary, CR a line end to rewrite.
                    if b == 0 || b == 0x0D {
                        count = 0
                        return
                    }
                    out[k] = UInt32(b)
                    k += 1
                    i += 1
                    continue
                }
                @inline(__always) func continuation(_ j: Int) -> UInt32? {
                    j < n && bytes[j] & 0xC0 == 0x80 ? UInt32(bytes[j] & 0x3F) : nil
                }
                let v: UInt32
                switch b {
                case 0xC2...0xDF:
                    guard let c1 = continuation(i + 1) else {
                        count = 0
                        return
                    }
                    v = UInt32(b & 0x1F) << 6 | c1
                    i += 2
                case 0xE0...0xEF:
                    // Not overlong (E0 A0...), not a surrogate (ED ...9F).
                    guard i + 1 < n, bytes[i + 1] >= (b == 0xE0 ? 0xA0 : 0x80), bytes[i + 1] <= (b == 0xED ? 0x9F : 0xBF),
                        let c2 = continuation(i + 2)
                    else {
                        count = 0
                        return
                    }
                    v = UInt32(b & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | c2
                    i += 3
                case 0xF0...0xF4:
                    // Not overlong (F0 90...), not past U+10FFFF (F4 ...8F).
                    guard i + 1 < n, bytes[i + 1] >= (b == 0xF0 ? 0x90 : 0x80), bytes[i + 1] <= (b == 0xF4 ? 0x8F : 0xBF),
                        let c2 = continuation(i + 2), let c3 = continuation(i + 3)
                    else {
                        count = 0
                        return
                    }
                    v = UInt32(b & 0x07) << 18 | UInt32(bytes[i + 1] & 0x3F) << 12 | c2 << 6 | c3
                    i += 4
                default:
                    count = 0
                    return
                }
                // What `Normalizer.normalize` would change (Hangul syllables, most of a
                // Korean note, first: nothing).
                guard (v >= 0xAC00 && v <= 0xD7A3)
                    || (Normalizer.nfcStable(v) && !Normalizer.isInvisible(v) && v != 0x3000 && !(v >= 0xFF01 && v <= 0xFF5E))
                else {
                    count = 0
                    return
                }
                out[k] = v
                k += 1
            }
            plain = true
            count = k
        }
        return plain ? out : nil
    }
}
