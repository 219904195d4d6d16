/// The shape of a word, for discovery: which Latin words may name something, the class of a
/// Korean particle, everyday words, and where phrases join and sentences start.
extension CandidateExtractor {
    static func isUpper(_ v: UInt32) -> Bool { v >= 0x41 && v <= 0x5A }
    static func isLower(_ v: UInt32) -> Bool { v >= 0x61 && v <= 0x7A }
    static func isDigit(_ v: UInt32) -> Bool { v >= 0x30 && v <= 0x39 }
    static func isLatinWord(_ v: UInt32) -> Bool { Scalars.isASCIIAlphanumeric(v) || v == 0x5F }
    /// What code has and names do not: quotes, operators, brackets other than `(` `)`,
    /// separators of paths and arguments. Left out: `&` (`W&B`) and parentheses, which set off
    /// a long form (`CAPEX(Capital Expenditure)`) as often as they call.
    static func isCodePunctuation(_ v: UInt32) -> Bool {
        switch v {
        case 0x21, 0x22, 0x23, 0x24, 0x25, 0x27, 0x2A, 0x2B, 0x2C, 0x2F, 0x3A, 0x3B, 0x3C, 0x3D, 0x3E, 0x3F, 0x40, 0x5B, 0x5C, 0x5D, 0x5E,
            0x7B, 0x7C, 0x7D, 0x7E:
            return true
        default: return false
        }
    }

    /// The signals of a Latin word by its shape, or nil when it is not a candidate.
    /// `lowered`: the word in ASCII lowercase, when the caller has it.
    static func shape(_ w: ArraySlice<UInt32>, lowered: ArraySlice<UInt32>? = nil) -> UInt32? {
        var uppers = 0
        var lowers = 0
        var digits = 0
        var hyphen = false
        var inner = false
        var previous: UInt32 = 0
        for (k, v) in zip(w.indices, w) {
            if isUpper(v) {
                uppers += 1
                if k > w.startIndex && previous != 0x2D { inner = true }
            } else if isLower(v) {
                lowers += 1
            } else if isDigit(v) {
                digits += 1
            } else if v == 0x2D {
                hyphen = true
            }
            previous = v
        }
        let letters = uppers + lowers
        guard letters >= 1, w.count >= 2 else { return nil }
        // lowerCamelCase (`userId`, `popAfter`): an identifier from code. One small letter
        // before the capital (`iPhone`, `eBay`) or capitals after it (`macOS`, `gRPC`) is a name.
        if inner, isLower(w[w.startIndex]), let k = w.firstIndex(where: isUpper), k - w.startIndex >= 2, k + 1 < w.endIndex, isLower(w[k + 1]) {
            return nil
        }
        var bits: UInt32 = 0
        if hyphen { bits |= Signal.hyphenated.bit }
        if uppers >= 2 && lowers == 0 {
            bits |= Signal.acronym.bit
        } else if uppers >= 1 && lowers >= 1 && inner {
            bits |= Signal.mixedCase.bit
        }
        if digits >= 1 && uppers >= 1 { bits |= Signal.alphanumeric.bit }
        if bits == 0 {
            guard letters >= 3 else { return nil }
            if isUpper(w[w.startIndex]) && uppers == 1 { bits |= Signal.capitalized.bit } else if uppers == 0 { bits |= Signal.lowercase.bit }
        }
        // Everyday words, also in capitals (`TODO`, `OK`); mixed case and digits say more.
        if bits & (Signal.mixedCase.bit | Signal.alphanumeric.bit) == 0 && Vocabulary.englishCommonScalars.contains(lowered ?? w.map(Scalars.lowerASCII)[...]) {
            return nil
        }
        if bits & (Signal.acronym.bit | Signal.mixedCase.bit | Signal.alphanumeric.bit) == 0 && digits > 0 && uppers == 0 {
            return nil  // v1, top10
        }
        return bits
    }

    /// The particle class of a particle form, as a signal.
    static func particleClass(_ form: ArraySlice<UInt32>) -> Signal {
        guard let first = form.first.flatMap(Unicode.Scalar.init) else { return .otherParticle }
        switch first {
        case "이", "가", "께":
            let second = form.dropFirst().first.flatMap(Unicode.Scalar.init)
            return first == "이" && (second == "랑" || second == "나" || second == "며") ? .comitativeParticle : .subjectParticle
        case "을", "를": return .objectParticle
        case "은", "는": return .topicParticle
        case "의": return .genitiveParticle
        case "에", "한": return .locativeParticle
        case "으", "로": return .instrumentalParticle
        case "과", "와", "랑", "하": return .comitativeParticle
        default: return .otherParticle
        }
    }

    private static let longestEveryday = max(Vocabulary.koreanEverydayScalars.longest, Vocabulary.koreanGeneralScalars.longest,
        Vocabulary.englishCommonScalars.longest)

    /// Whether a Hangul word is an everyday or a general noun (`Vocabulary`).
    static func common(_ word: ArraySlice<UInt32>) -> Bool {
        Vocabulary.koreanEverydayScalars.contains(word) || Vocabulary.koreanGeneralScalars.contains(word)
    }

    /// Whether a name is an everyday or general Korean noun or a common English word (said in
    /// any case).
    static func everyday(_ name: String) -> Bool {
        // Most names are longer than any everyday word (spaces around them aside).
        if name.utf8.count > 4 * longestEveryday + 8 || name.unicodeScalars.count > longestEveryday + 4 { return false }
        // Nor has one a digit.
        if name.utf8.contains(where: { $0 >= 0x30 && $0 <= 0x39 }) { return false }
        let t = name.trimmingSpaces().unicodeScalars.map(\.value)
        return common(t[...]) || Vocabulary.englishCommonScalars.contains(t.map(Scalars.lowerASCII))
    }

    /// Whether the gap `line[a..<b]` between two capitalized words joins them into one
    /// phrase: a space, or ` & ` (`Weights & Biases`).
    static func joins(_ line: [UInt32], _ a: Int, _ b: Int) -> Bool {
        (b == a + 1 && line[a] == 0x20) || (b == a + 3 && line[a] == 0x20 && line[a + 1] == 0x26 && line[a + 2] == 0x20)
    }

    /// Whether position `i` starts a sentence: the line's start (after a list marker or a
    /// heading's `#`), or after `. `, `! `, `? `.
    static func sentenceStart(_ line: [UInt32], _ i: Int) -> Bool {
        var k = i - 1
        while k >= 0 && (line[k] == 0x20 || line[k] == 0x09) { k -= 1 }
        if k < 0 { return true }
        let c = line[k]
        if c == 0x2E || c == 0x21 || c == 0x3F || c == 0x23 || c == 0x3A { return true }
        if c == 0x2D || c == 0x2A || c == 0x2B {  // a list marker at the line's start
            var m = k - 1
            while m >= 0 && (line[m] == 0x20 || line[m] == 0x09) { m -= 1 }
            return m < 0
        }
        return false
    }
}
