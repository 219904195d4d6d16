/// Character classes used by every hot loop, on raw scalar values.
///
/// Kept as plain functions over `UInt32` so tokenizers and matchers never touch `Character`.
enum Scalars {
    /// A precomposed Hangul syllable (U+AC00–U+D7A3).
    @inline(__always) static func isHangulSyllable(_ v: UInt32) -> Bool {
        v >= 0xAC00 && v <= 0xD7A3
    }

    /// The final-consonant index of a Hangul syllable: 0 means it ends in a vowel, 8 is ㄹ.
    @inline(__always) static func finalConsonant(_ v: UInt32) -> UInt32 {
        (v - 0xAC00) % 28
    }

    /// ASCII letters, digits and `_`, plus Latin letters with diacritics: the characters a
    /// Latin word is made of (rule 4 of the mention rules).
    @inline(__always) static func isWordScalar(_ v: UInt32) -> Bool {
        if v < 0x80 {
            return (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) || (v >= 0x30 && v <= 0x39) || v == 0x5F
        }
        return (v >= 0xC0 && v <= 0x24F && v != 0xD7 && v != 0xF7) || (v >= 0x370 && v <= 0x3FF)
            || (v >= 0x400 && v <= 0x4FF)
    }

    /// An ASCII letter or digit.
    @inline(__always) static func isASCIIAlphanumeric(_ v: UInt32) -> Bool {
        (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) || (v >= 0x30 && v <= 0x39)
    }

    /// Horizontal whitespace inside a line.
    @inline(__always) static func isSpace(_ v: UInt32) -> Bool {
        v == 0x20 || v == 0x09 || v == 0xA0
    }

    /// Lowercases ASCII only (keys are case-insensitive for Latin letters).
    @inline(__always) static func lowerASCII(_ v: UInt32) -> UInt32 {
        (v >= 0x41 && v <= 0x5A) ? v + 0x20 : v
    }

    /// A letter of any script other than Latin word characters and Hangul: CJK ideographs,
    /// kana, Hangul jamo and others, indexed one character at a time.
    @inline(__always) static func isOtherLetter(_ v: UInt32) -> Bool {
        (v >= 0x3040 && v <= 0x30FF) || (v >= 0x3130 && v <= 0x318F) || (v >= 0x1100 && v <= 0x11FF)
            || (v >= 0x4E00 && v <= 0x9FFF) || (v >= 0x3400 && v <= 0x4DBF) || (v >= 0xF900 && v <= 0xFAFF)
            || (v >= 0x0E00 && v <= 0x0E7F) || (v >= 0x0600 && v <= 0x06FF) || (v >= 0x0590 && v <= 0x05FF)
            || (v >= 0x0900 && v <= 0x097F)
    }

    /// The scalar values of `text`, decoded straight from its UTF-8.
    static func values(of text: String) -> [UInt32] {
        var text = text
        return text.withUTF8 { u in
            // No more scalars than bytes: written in place, without a capacity check each.
            [UInt32](unsafeUninitializedCapacity: u.count) { out, count in
                var i = 0
                var k = 0
                let n = u.count
                while i < n {
                    let b = u[i]
                    if b < 0x80 {
                        out[k] = UInt32(b)
                        i += 1
                    } else if b < 0xE0 && i + 1 < n {
                        out[k] = UInt32(b & 0x1F) << 6 | UInt32(u[i + 1] & 0x3F)
                        i += 2
                    } else if b < 0xF0 && i + 2 < n {
                        out[k] = UInt32(b & 0x0F) << 12 | UInt32(u[i + 1] & 0x3F) << 6 | UInt32(u[i + 2] & 0x3F)
                        i += 3
                    } else if i + 3 < n {
                        out[k] = UInt32(b & 0x07) << 18 | UInt32(u[i + 1] & 0x3F) << 12 | UInt32(u[i + 2] & 0x3F) << 6
                            | UInt32(u[i + 3] & 0x3F)
                        i += 4
                    } else {
                        i += 1  // cannot happen: a String's UTF-8 is valid
                        continue
                    }
                    k += 1
                }
                count = k
            }
        }
    }

    /// Writes `v` as UTF-8 at `out[k...]` (room for 4 bytes) and returns the bytes written:
    /// 0 for a surrogate or a value past U+10FFFF.
    @inline(__always) static func putUTF8(_ v: UInt32, _ out: UnsafeMutableBufferPointer<UInt8>, _ k: Int) -> Int {
        if v < 0x80 {
            out[k] = UInt8(v)
            return 1
        } else if v < 0x800 {
            out[k] = UInt8(0xC0 | (v >> 6))
            out[k + 1] = UInt8(0x80 | (v & 0x3F))
            return 2
        } else if v < 0x10000 {
            if v >= 0xD800 && v < 0xE000 { return 0 }
            out[k] = UInt8(0xE0 | (v >> 12))
            out[k + 1] = UInt8(0x80 | ((v >> 6) & 0x3F))
            out[k + 2] = UInt8(0x80 | (v & 0x3F))
            return 3
        } else if v < 0x110000 {
            out[k] = UInt8(0xF0 | (v >> 18))
            out[k + 1] = UInt8(0x80 | ((v >> 12) & 0x3F))
            out[k + 2] = UInt8(0x80 | ((v >> 6) & 0x3F))
            out[k + 3] = UInt8(0x80 | (v & 0x3F))
            return 4
        }
        return 0
    }

    /// Appends scalar values as UTF-8 (invalid values are dropped, as `string` drops them).
    /// The room for the longest encoding is made first and written in place: appending byte by
    /// byte checked the array's room and ownership at every byte.
    static func appendUTF8(_ s: ArraySlice<UInt32>, to out: inout [UInt8]) {
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: 4 * s.count))
        let end = out.withUnsafeMutableBufferPointer { b in
            s.withUnsafeBufferPointer { s in
                var k = start
                for v in s { k += putUTF8(v, b, k) }
                return k
            }
        }
        out.removeLast(out.count - end)
    }

    /// A String of scalar values (invalid values are dropped), encoded into the string's own
    /// storage: no buffer in between, and none at all for a short string.
    static func string(_ s: ArraySlice<UInt32>) -> String {
        if s.isEmpty { return "" }
        return String(unsafeUninitializedCapacity: s.count * 4) { out in
            var k = 0
            for v in s { k += putUTF8(v, out, k) }
            return k
        }
    }

    /// A String of scalar values (invalid values are dropped).
    static func string(_ s: some Sequence<UInt32>) -> String {
        string(ArraySlice(Array(s)))
    }
}
