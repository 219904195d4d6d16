/// Splits text into search tokens with positions.
///
/// - Latin words (letters, digits, `_`) are one token each, ASCII lowercased; a change of
///   script ends a word (`lightgcn을` → `lightgcn`, `을`).
/// - A run of Hangul syllables becomes its syllable bigrams at consecutive positions (a run of
///   one syllable is one token), so any substring of two or more syllables is a phrase of
///   bigrams, and a Korean word is found inside longer words and before particles.
/// - Other letters (kana, ideographs, jamo) are one token per character.
/// - Everything else separates tokens and is checked literally when a query contains it.
public enum Tokenizer {
    /// Calls `emit(token, position)` for every token of `scalars[range]`, starting at
    /// position `start`; returns the next free position.
    @discardableResult
    public static func tokenize(
        _ scalars: ArraySlice<UInt32>, startPosition start: Int32, emit: (String, Int32) -> Void
    ) -> Int32 {
        var scratch: [UInt8] = []
        return tokenize(scalars, startPosition: start, scratch: &scratch) { bytes, p in
            emit(String(decoding: bytes, as: UTF8.self), p)
        }
    }

    /// The same tokens as UTF-8 bytes in `scratch`, valid only during the call: no String is
    /// made per token, which is what indexing spends most of its time on otherwise.
    @inline(__always)
    static func tokenize(
        _ scalars: ArraySlice<UInt32>, startPosition start: Int32, scratch: inout [UInt8],
        emit: (UnsafeBufferPointer<UInt8>, Int32) -> Void
    ) -> Int32 {
        var pos = start
        var i = scalars.startIndex
        let end = scalars.endIndex
        @inline(__always) func put(_ v: UInt32) {
            if v < 0x80 {
                scratch.append(UInt8(v))
            } else if v < 0x800 {
                scratch.append(UInt8(0xC0 | (v >> 6)))
                scratch.append(UInt8(0x80 | (v & 0x3F)))
            } else if v < 0x10000 {
                scratch.append(UInt8(0xE0 | (v >> 12)))
                scratch.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
                scratch.append(UInt8(0x80 | (v & 0x3F)))
            } else {
                scratch.append(UInt8(0xF0 | (v >> 18)))
                scratch.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
                scratch.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
                scratch.append(UInt8(0x80 | (v & 0x3F)))
            }
        }
        while i < end {
            let v = scalars[i]
            if Scalars.isWordScalar(v) {
                scratch.removeAll(keepingCapacity: true)
                var j = i
                while j < end && Scalars.isWordScalar(scalars[j]) {
                    put(Scalars.lowerASCII(scalars[j]))
                    j += 1
                }
                scratch.withUnsafeBufferPointer { emit($0, pos) }
                pos += 1
                i = j
            } else if Scalars.isHangulSyllable(v) {
                var j = i
                while j < end && Scalars.isHangulSyllable(scalars[j]) { j += 1 }
                if j - i == 1 {
                    scratch.removeAll(keepingCapacity: true)
                    put(v)
                    scratch.withUnsafeBufferPointer { emit($0, pos) }
                    pos += 1
                } else {
                    for k in i..<(j - 1) {
                        scratch.removeAll(keepingCapacity: true)
                        put(scalars[k])
                        put(scalars[k + 1])
                        scratch.withUnsafeBufferPointer { emit($0, pos) }
                        pos += 1
                    }
                }
                i = j
            } else if Scalars.isOtherLetter(v) {
                scratch.removeAll(keepingCapacity: true)
                put(v)
                scratch.withUnsafeBufferPointer { emit($0, pos) }
                pos += 1
                i += 1
            } else {
                i += 1
            }
        }
        return pos
    }
}
