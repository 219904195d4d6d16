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

    /// The same tokens as UTF-8 bytes, valid only during the call: no String is made per
    /// token, which is what indexing spends most of its time on otherwise. Tokens are built in
    /// a small buffer on the stack; `scratch` holds the rare word too long for it.
    @inline(__always)
    static func tokenize(
        _ scalars: ArraySlice<UInt32>, startPosition start: Int32, scratch: inout [UInt8],
        emit: (UnsafeBufferPointer<UInt8>, Int32) -> Void
    ) -> Int32 {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 256) { buf in
            var pos = start
            var n = 0
            @inline(__always) func put(_ v: UInt32) { n += Scalars.putUTF8(v, buf, n) }
            @inline(__always) func token() -> UnsafeBufferPointer<UInt8> {
                UnsafeBufferPointer(start: buf.baseAddress, count: n)
            }
            var i = scalars.startIndex
            let end = scalars.endIndex
            while i < end {
                let v = scalars[i]
                if Scalars.isWordScalar(v) {
                    var j = i
                    while j < end && Scalars.isWordScalar(scalars[j]) { j += 1 }
                    if (j - i) * 4 <= buf.count {
                        n = 0
                        for k in i..<j { put(Scalars.lowerASCII(scalars[k])) }
                        emit(token(), pos)
                    } else {
                        let word = Scalars.string(scalars[i..<j].lazy.map { Scalars.lowerASCII($0) })
                        scratch = Array(word.utf8)
                        scratch.withUnsafeBufferPointer { emit($0, pos) }
                    }
                    pos += 1
                    i = j
                } else if Scalars.isHangulSyllable(v) {
                    var j = i
                    while j < end && Scalars.isHangulSyllable(scalars[j]) { j += 1 }
                    if j - i == 1 {
                        n = 0
                        put(v)
                        emit(token(), pos)
                        pos += 1
                    } else {
                        for k in i..<(j - 1) {
                            n = 0
                            put(scalars[k])
                            put(scalars[k + 1])
                            emit(token(), pos)
                            pos += 1
                        }
                    }
                    i = j
                } else if Scalars.isOtherLetter(v) {
                    n = 0
                    put(v)
                    emit(token(), pos)
                    pos += 1
                    i += 1
                } else {
                    i += 1
                }
            }
            return pos
        }
    }

    /// Where each token of `scalars` lies, as offsets into them, in token order: what maps
    /// a token ordinal back to a column of its line.
    public static func spans(_ scalars: ArraySlice<UInt32>) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var i = scalars.startIndex
        let end = scalars.endIndex
        let base = scalars.startIndex
        while i < end {
            let v = scalars[i]
            if Scalars.isWordScalar(v) {
                var j = i
                while j < end && Scalars.isWordScalar(scalars[j]) { j += 1 }
                out.append((i - base)..<(j - base))
                i = j
            } else if Scalars.isHangulSyllable(v) {
                var j = i
                while j < end && Scalars.isHangulSyllable(scalars[j]) { j += 1 }
                if j - i == 1 {
                    out.append((i - base)..<(j - base))
                } else {
                    for k in i..<(j - 1) { out.append((k - base)..<(k + 2 - base)) }
                }
                i = j
            } else {
                if Scalars.isOtherLetter(v) { out.append((i - base)..<(i + 1 - base)) }
                i += 1
            }
        }
        return out
    }
}
