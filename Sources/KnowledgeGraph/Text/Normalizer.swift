/// Normalizes text once, at read: CRLF and CR to LF, NFC, full-width ASCII folded to ASCII,
/// the ideographic space to a space, zero-width characters and BOMs dropped.
///
/// Not NFKC: compatibility jamo (ㅋㅋ) and symbols are kept as written.
public enum Normalizer {
    /// The normalized form of `text`.
    public static func normalize(_ text: String) -> String {
        var needsNFC = false
        var changed = false
        for v in text.utf8 where v >= 0x80 || v == 0x0D {
            changed = true
            needsNFC = needsNFC || v >= 0x80
            if needsNFC { break }
        }
        if !changed { return text }
        let composed = needsNFC ? text.precomposedStringWithCanonicalMapping : text
        var out = String.UnicodeScalarView()
        let scalars = composed.unicodeScalars
        var i = scalars.startIndex
        while i < scalars.endIndex {
            let s = scalars[i]
            let v = s.value
            i = scalars.index(after: i)
            switch v {
            case 0x0D:
                out.append("\n")
                if i < scalars.endIndex && scalars[i].value == 0x0A { i = scalars.index(after: i) }
            case 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF:
                continue
            case 0x3000:
                out.append(" ")
            case 0xFF01...0xFF5E:
                out.append(Unicode.Scalar(v - 0xFEE0) ?? s)
            default:
                out.append(s)
            }
        }
        return String(out)
    }
}
