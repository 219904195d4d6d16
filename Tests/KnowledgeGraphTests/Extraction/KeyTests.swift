import Testing

@testable import KnowledgeGraph

/// A name's match key from its UTF-8 bytes (ASCII and Hangul names) is the one the general
/// path gives after normalizing it.
@Suite struct KeyTests {
    @Test func theByteKeyOfASCIIAndHangulNamesIsTheNormalizedKey() {
        let pieces = ["A", "z", "MLflow", " ", "  ", "\t", "\n", "추천", "시스템", "카카오", "FFM", "9", "-", "&", "é", "\r\n", "\u{00A0}",
            "\u{1100}\u{1161}", "가\u{0301}", "LG", "전자", "\u{200B}", "ＡＢ"]
        var state: UInt64 = 7
        var checked = 0
        for _ in 0..<3000 {
            var name = ""
            for _ in 0..<(1 + Int(state % 6)) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                name += pieces[Int((state >> 33) % UInt64(pieces.count))]
            }
            // Scalar by scalar (`==` on String would take NFD for NFC).
            #expect(Array(Lexicon.keyString(name).unicodeScalars) == Array(Lexicon.keyStringByScalars(name).unicodeScalars), "\(Array(name.unicodeScalars))")
            if Lexicon.asciiOrHangulKeyString(name) != nil { checked += 1 }
        }
        // Both paths were taken.
        #expect(checked > 300 && checked < 2900)
        #expect(Lexicon.keyString(" 추천  시스템 ") == "추천시스템" && Lexicon.keyString("Deep  Learning\t모델") == "deep learning모델")
    }
}
