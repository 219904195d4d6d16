import Foundation
import Testing

@testable import KnowledgeGraph

@Suite struct DecodingTests {
    @Test func utf8WithBOMDropsTheBOM() throws {
        let r = try TextDecoder.decode([0xEF, 0xBB, 0xBF] + Array("카카오".utf8)).get()
        #expect(r.text == "카카오")
        #expect(r.encoding == .utf8BOM)
    }

    @Test func utf16WithBOMIsText() throws {
        var le: [UInt8] = [0xFF, 0xFE]
        for u in "FM은 카카오".utf16 { le += [UInt8(u & 0xFF), UInt8(u >> 8)] }
        #expect(try TextDecoder.decode(le).get().text == "FM은 카카오")
        var be: [UInt8] = [0xFE, 0xFF]
        for u in "FM은".utf16 { be += [UInt8(u >> 8), UInt8(u & 0xFF)] }
        #expect(try TextDecoder.decode(be).get().text == "FM은")
    }

    @Test func cp949IsDecodedAsKorean() throws {
        // "카카오에서 FFM" in CP949
        let bytes: [UInt8] = [0xC4, 0xAB, 0xC4, 0xAB, 0xBF, 0xC0, 0xBF, 0xA1, 0xBC, 0xAD, 0x20, 0x46, 0x46, 0x4D]
        let r = try TextDecoder.decode(bytes).get()
        #expect(r.text == "카카오에서 FFM")
        #expect(r.encoding == .cp949)
    }

    @Test func latin1IsNotMistakenForKorean() throws {
        let bytes = Array("caf".utf8) + [0xE9] + Array(" r".utf8) + [0xE9] + Array("sum".utf8) + [0xE9]
        let r = try TextDecoder.decode(bytes).get()
        #expect(r.text == "café résumé")
        #expect(r.encoding == .latin1)
    }

    @Test func nulByteMeansBinaryWithItsOffset() {
        #expect(throws: DecodeFailure.binary(offset: 3)) { try TextDecoder.decode([0x41, 0x42, 0x43, 0x00, 0x44]).get() }
    }

    @Test func emptyFileIsEmptyText() throws {
        #expect(try TextDecoder.decode([]).get().text == "")
    }
}

/// The scalars of `s`: what byte-level code sees (String `==` would merge NFC and NFD).
func scalars(_ s: String) -> [Unicode.Scalar] { Array(s.unicodeScalars) }

@Suite struct NormalizerTests {
    @Test func lineEndingsBecomeLF() {
        #expect(scalars(Normalizer.normalize("a\r\nb\rc\n")) == scalars("a\nb\nc\n"))
    }

    @Test func nfdBecomesNFC() {
        let nfd = "카카오".decomposedStringWithCanonicalMapping
        #expect(nfd.unicodeScalars.count == 6)
        #expect(Normalizer.normalize(nfd).unicodeScalars.count == 3)
    }

    @Test func fullWidthASCIIFoldsAndZeroWidthGoes() {
        #expect(scalars(Normalizer.normalize("ＦＦＭ\u{3000}카\u{200B}카오")) == scalars("FFM 카카오"))
    }

    @Test func invisibleFormatCharactersGo() {
        // Soft hyphen, word joiner, a BOM inside the text, the Mongolian vowel separator, a
        // left-to-right mark: none is seen, so none splits a word.
        #expect(scalars(Normalizer.normalize("Air\u{AD}flow 카\u{2060}카오 ML\u{FEFF}flow F\u{180E}FM a\u{200E}b")) == scalars("Airflow 카카오 MLflow FFM ab"))
        // Variation selectors stay with what they follow.
        #expect(scalars(Normalizer.normalize("❤\u{FE0F}")) == scalars("❤\u{FE0F}"))
    }

    @Test func aSoftHyphenInsideANameStillMentionsIt() throws {
        let v = try TempVault(files: ["a.md": "Air\u{AD}flow 로 돌린다\n"], lexicon: "tool: Airflow\n")
        #expect(v.kg("mentions", "Airflow").out.contains("a.md"))
    }

    @Test func compatibilityJamoAreKept() {
        #expect(scalars(Normalizer.normalize("ㅋㅋ")) == scalars("ㅋㅋ"))
    }
}

@Suite struct TokenizerTests {
    func tokens(_ s: String) -> [String] {
        var out: [String] = []
        Tokenizer.tokenize(Array(s.unicodeScalars.map(\.value))[...], startPosition: 0) { t, _ in out.append(t) }
        return out
    }

    @Test func latinSplitsAtScriptChangeAndLowercases() {
        #expect(tokens("LightGCN을 MLflow로") == ["lightgcn", "을", "mlflow", "로"])
    }

    @Test func hangulRunsBecomeBigrams() {
        #expect(tokens("카카오에서") == ["카카", "카오", "오에", "에서"])
        #expect(tokens("책 cnn_fm") == ["책", "cnn_fm"])
    }
}

@Suite struct NFCFastPathTests {
    /// Text that skips Foundation's NFC pass must come out exactly as NFC would make it.
    @Test(arguments: [
        "카카오에서 FFM을 썼다 — “따옴표” ㅋㅋ 漢字 カタカナ ①", "café résumé", "\u{2000}en quad", "e\u{301}", "\u{1100}\u{1161}",
        "Å \u{212B}", "が \u{304B}\u{3099}", "😀 ←→ ■",
    ])
    func fastPathAgreesWithFoundation(_ text: String) {
        // Scalar by scalar: `==` on String compares canonical equivalence, which NFD text
        // would pass too.
        #expect(scalars(Normalizer.normalize(text)) == scalars(text.precomposedStringWithCanonicalMapping))
    }
}
