import Testing

@testable import KnowledgeGraph

/// A shown line: trimmed, and cut around a column when long. The quick way (ASCII ends, a
/// short line) gives what the general way gives.
@Suite struct DisplayTests {
    @Test func shownLinesAreTheGeneralWays() {
        let pieces = [" ", "\t", "\r", "\u{3000}", "\u{00A0}", "a", "FFM은", "카카오에서", "- ", "é", "e\u{0301}", "😀", "12345678"]
        var generator = SplitMix(seed: 5)
        for _ in 0..<3000 {
            let line = generator.string(of: pieces, count: 1...16)
            let width = [8, 20, 160][generator.below(3)]
            let column = generator.below(4) == 0 ? nil : generator.below(30)
            // Scalar by scalar (`==` on String would take NFD for NFC).
            let shown = Array(line.displayLine(around: column, width: width).unicodeScalars)
            #expect(shown == Array(line.displayLineByScalars(around: column, width: width).unicodeScalars), "\(Array(line.unicodeScalars))")
        }
        #expect("  FFM은 좋다  ".displayLine() == "FFM은 좋다" && "\u{3000}카카오\u{3000}".displayLine() == "카카오")
    }
}
