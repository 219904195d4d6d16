import Foundation

/// How a note's bytes were turned into text.
public enum TextEncoding: String, Sendable, Equatable {
    case utf8 = "UTF-8"
    case utf8BOM = "UTF-8 with BOM"
    case utf16LE = "UTF-16LE"
    case utf16BE = "UTF-16BE"
    case cp949 = "CP949"
    case latin1 = "Latin-1"
}

/// Why a file was not read as a note.
public enum DecodeFailure: Error, Sendable, Equatable {
    /// A NUL byte at this offset, in a file that is not UTF-16: a binary file.
    case binary(offset: Int)
    /// UTF-16 with a BOM whose content does not decode.
    case invalidUTF16

    public var reason: String {
        switch self {
        case .binary(let offset): return "binary file (NUL byte at offset \(offset))"
        case .invalidUTF16: return "invalid UTF-16 text"
        }
    }
}

/// Turns a file's bytes into text: UTF-8 (BOM dropped), UTF-16 with a BOM, CP949/EUC-KR
/// Korean legacy text, and Latin-1 as the last resort; binary files are refused.
public enum TextDecoder {
    static let cp949 = String.Encoding(rawValue: 0x8000_0422)

    /// Decodes `bytes`, or says why they are not text.
    public static func decode(_ bytes: [UInt8]) -> Result<(text: String, encoding: TextEncoding), DecodeFailure> {
        if isUTF16(bytes) {
            let little = bytes[0] == 0xFF
            let data = Data(bytes[2...])
            guard data.count % 2 == 0,
                let s = String(data: data, encoding: little ? .utf16LittleEndian : .utf16BigEndian)
            else { return .failure(.invalidUTF16) }
            return .success((s, little ? .utf16LE : .utf16BE))
        }
        if let nul = firstNUL(bytes) {
            return .failure(.binary(offset: nul))
        }
        var start = 0
        var encoding = TextEncoding.utf8
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
            start = 3
            encoding = .utf8BOM
        }
        let body = bytes[start...]
        if let s = String(validating: body, as: UTF8.self) {
            return .success((s, encoding))
        }
        if let s = String(data: Data(body), encoding: cp949), mostlyHangul(s) {
            return .success((s, .cp949))
        }
        // Latin-1 maps every byte to the scalar of the same value.
        var out = String.UnicodeScalarView()
        for b in body { out.append(Unicode.Scalar(b)) }
        return .success((String(out), .latin1))
    }

    /// Where the first NUL byte is (`memchr`: every note is searched whole).
    private static func firstNUL(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress, let hit = memchr(base, 0, raw.count) else { return nil }
            return UnsafeRawPointer(hit) - base
        }
    }

    /// Why `bytes` would not decode, without decoding them (but for UTF-16): what `decode`
    /// refuses is a NUL byte outside UTF-16 and UTF-16 that does not decode; anything else
    /// is read as UTF-8, CP949 or Latin-1.
    static func refusal(_ bytes: [UInt8]) -> DecodeFailure? {
        if isUTF16(bytes) {
            if case .failure(let f) = decode(bytes) { return f }
            return nil
        }
        return firstNUL(bytes).map { .binary(offset: $0) }
    }

    /// A UTF-16 byte-order mark.
    private static func isUTF16(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && (bytes[0] == 0xFF && bytes[1] == 0xFE || bytes[0] == 0xFE && bytes[1] == 0xFF)
    }

    /// Whether most non-ASCII characters of `s` are Hangul syllables: the test that tells a
    /// CP949 note from Latin-1 bytes that happen to decode as CP949.
    static func mostlyHangul(_ s: String) -> Bool {
        var hangul = 0
        var other = 0
        for v in s.unicodeScalars where v.value >= 0x80 {
            if Scalars.isHangulSyllable(v.value) { hangul += 1 } else { other += 1 }
        }
        return hangul > 0 && hangul >= other * 2
    }
}
