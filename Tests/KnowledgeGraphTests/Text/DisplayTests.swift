import Testing

@testable import KnowledgeGraph

/// A shown line: trimmed, and cut around a column when long. The quick way (ASCII ends, a
/// short line) gives what the general way gives.
@Suite struct DisplayTests {
    /// The general way: scalars trimmed of any whitespace, cut to `width` around `column`.
    static func reference(_ line: String, around column: Int?, width: Int) -> String {
        var scalars = Array(line.unicodeScalars)
        var column = column ?? 0
        var lead = 0
        while lead < scalars.count && scalars[lead].properties.isWhitespace { lead += 1 }
        var end = scalars.count
        while end > lead && scalars[end - 1].properties.isWhitespace { end -= 1 }
        scalars = Array(scalars[lead..<end])
        column = max(0, min(scalars.count, column - lead))
        guard scalars.count > width, width > 2 else { return String(String.UnicodeScalarView(scalars)) }
        var start = max(0, column - width / 3)
        var stop = min(scalars.count, start + width)
        start = max(0, stop - width)
        if start > 0 { start += 1 }
        if stop < scalars.count { stop -= 1 }
        var out = String.UnicodeScalarView()
        if start > 0 { out.append("…") }
        out.append(contentsOf: scalars[start..<stop])
        if stop < scalars.count { out.append("…") }
        return String(out)
    }

    @Test func shownLinesAreTheGeneralWays() {
        let pieces = [" ", "\t", "\r", "\u{3000}", "\u{00A0}", "a", "FFM은", "카카오에서", "- ", "é", "e\u{0301}", "😀", "12345678"]
        var state: UInt64 = 5
        for _ in 0..<3000 {
            var line = ""
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            for _ in 0..<(Int(state >> 60) + 1) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                line += pieces[Int((state >> 33) % UInt64(pieces.count))]
            }
            let width = [8, 20, 160][Int(state % 3)]
            let column = state % 4 == 0 ? nil : Int((state >> 20) % 30)
            // Scalar by scalar (`==` on String would take NFD for NFC).
            let shown = Array(line.displayLine(around: column, width: width).unicodeScalars)
            #expect(shown == Array(Self.reference(line, around: column, width: width).unicodeScalars), "\(Array(line.unicodeScalars))")
        }
        #expect("  FFM은 좋다  ".displayLine() == "FFM은 좋다" && "\u{3000}카카오\u{3000}".displayLine() == "카카오")
    }
}
