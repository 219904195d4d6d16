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
        var pos = start
        var i = scalars.startIndex
        let end = scalars.endIndex
        while i < end {
            let v = scalars[i]
            if Scalars.isWordScalar(v) {
                var j = i
                var view = String.UnicodeScalarView()
                while j < end && Scalars.isWordScalar(scalars[j]) {
                    if let u = Unicode.Scalar(Scalars.lowerASCII(scalars[j])) { view.append(u) }
                    j += 1
                }
                emit(String(view), pos)
                pos += 1
                i = j
            } else if Scalars.isHangulSyllable(v) {
                var j = i
                while j < end && Scalars.isHangulSyllable(scalars[j]) { j += 1 }
                if j - i == 1 {
                    emit(String(Character(Unicode.Scalar(v) ?? " ")), pos)
                    pos += 1
                } else {
                    for k in i..<(j - 1) {
                        var view = String.UnicodeScalarView()
                        if let a = Unicode.Scalar(scalars[k]), let b = Unicode.Scalar(scalars[k + 1]) {
                            view.append(a)
                            view.append(b)
                        }
                        emit(String(view), pos)
                        pos += 1
                    }
                }
                i = j
            } else if Scalars.isOtherLetter(v) {
                if let u = Unicode.Scalar(v) { emit(String(Character(u)), pos) }
                pos += 1
                i += 1
            } else {
                i += 1
            }
        }
        return pos
    }
}
