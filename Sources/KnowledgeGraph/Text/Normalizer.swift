/// Normalizes text once, at read: CRLF and CR to LF, NFC, full-width ASCII folded to ASCII,
/// the ideographic space to a space, zero-width characters, BOMs and the other invisible
/// format characters that are default-ignorable (soft hyphen, word joiner, bidirectional
/// marks, U+180E; see `isInvisible`) dropped, so that `Air\u{AD}flow` reads `Airflow`.
///
/// Not NFKC: compatibility jamo (ㅋㅋ) and symbols are kept as written.
public enum Normalizer {
    /// The normalized form of `text`.
    public static func normalize(_ text: String) -> String {
        // Most notes need nothing: look for what would change, on the UTF-8 bytes.
        var text = text
        let (needsNFC, changed) = text.withUTF8 { u -> (Bool, Bool) in
            var changed = false
            var i = 0
            let n = u.count
            while i < n {
                let b = u[i]
                if b < 0x80 {
                    if b == 0x0D { changed = true }
                    i += 1
                    continue
                }
                var v: UInt32
                if b < 0xE0 {
                    v = UInt32(b & 0x1F) << 6 | UInt32(u[min(i + 1, n - 1)] & 0x3F)
                    i += 2
                } else if b < 0xF0 {
                    v = UInt32(b & 0x0F) << 12 | UInt32(u[min(i + 1, n - 1)] & 0x3F) << 6 | UInt32(u[min(i + 2, n - 1)] & 0x3F)
                    i += 3
                } else {
                    v = UInt32(b & 0x07) << 18 | UInt32(u[min(i + 1, n - 1)] & 0x3F) << 12
                        | UInt32(u[min(i + 2, n - 1)] & 0x3F) << 6 | UInt32(u[min(i + 3, n - 1)] & 0x3F)
                    i += 4
                }
                if !nfcStable(v) { return (true, true) }
                if isInvisible(v) || v == 0x3000 || (v >= 0xFF01 && v <= 0xFF5E) { changed = true }
            }
            return (false, changed)
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
            case _ where isInvisible(v):
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

    /// Default-ignorable format characters that change nothing a reader sees: the soft
    /// hyphen, the combining grapheme joiner, the Arabic letter mark, the Mongolian vowel
    /// separator, zero-width spaces and joiners, bidirectional marks, embeddings and
    /// isolates, the word joiner and invisible operators, and the BOM / zero-width no-break
    /// space. (Variation selectors and the Hangul fillers are kept: they belong to what they
    /// follow.)
    @inline(__always) static func isInvisible(_ v: UInt32) -> Bool {
        switch v {
        case 0x00AD, 0x034F, 0x061C, 0x180E, 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2064, 0x2066...0x206F, 0xFEFF:
            return true
        default:
            return false
        }
    }

    /// Scalars that NFC leaves as they are whatever surrounds them: precomposed Hangul
    /// syllables, compatibility jamo, Latin-1, general punctuation, CJK symbols and
    /// ideographs, kana (without the voicing marks), full- and half-width forms, common
    /// symbols and emoji. Text made only of these (and ASCII) skips the NFC pass, the
    /// costliest step of reading a Korean note. Anything else goes through full NFC.
    @inline(__always) static func nfcStable(_ v: UInt32) -> Bool {
        switch v {
        case 0x0D, 0x80...0x02FF: return true
        case 0x2002...0x206F, 0x2190...0x21FF, 0x2500...0x27BF: return true
        case 0x3000...0x303F, 0x3041...0x3096, 0x30A1...0x30FA, 0x3130...0x318F: return true
        case 0x4E00...0x9FFF, 0xAC00...0xD7A3: return true
        case 0xFEFF, 0xFF00...0xFFEF, 0x1F300...0x1FAFF: return true
        default: return false
        }
    }
}
