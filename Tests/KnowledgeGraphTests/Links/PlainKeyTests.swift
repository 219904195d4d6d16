import Testing

@testable import KnowledgeGraph

/// Plain names and link pages (ASCII letters, digits, `-`, `_`, inner spaces, Hangul
/// syllables) are only lowercased; the short way gives what the general way gives.
@Suite struct PlainKeyTests {
    private let pieces = [
        "FFM", "ffm", "카카오", " ", "-", "_", "2024", "#결과", "#", ".md", ".png", "/", "./", "é", "e\u{0301}", "\t", "\u{00A0}",
        "\u{3000}", "ＦＦＭ", "\u{200B}", "Ä", "ß", "İ", "ㄱ", "\u{1100}\u{1161}", "😀", "|", ".",
    ]

    @Test func plainNamesAreNormalizedAsAnyName() {
        var generator = SplitMix(seed: 3)
        var plain = 0
        for _ in 0..<20_000 {
            let s = generator.string(of: pieces, count: 1...8)
            let quick = NoteKeys.normalized(s, quick: true)
            if s.utf8.withContiguousStorageIfAvailable(NoteKeys.plainLowered) != nil { plain += 1 }
            #expect(Array(quick.utf8) == Array(NoteKeys.normalized(s, quick: false).utf8), "\(Array(s.unicodeScalars))")
        }
        #expect(plain > 1000, "the short way is taken")
        #expect(NoteKeys.normalized("LightGCN 실험 로그 8347") == "lightgcn 실험 로그 8347")
    }

    /// A target with its key as bytes (`==` on String would take NFD for NFC).
    private func bytes(_ t: NoteKeys.Target) -> String {
        if case .note(let key) = t { return "note \(Array(key.utf8))" }
        return "\(t)"
    }

    @Test func plainLinkPagesResolveAsAnyPage() {
        var generator = SplitMix(seed: 9)
        for _ in 0..<20_000 {
            let link = NoteLink(target: generator.string(of: pieces, count: 1...8), line: 1, isWiki: generator.below(5) != 0)
            let quick = NoteKeys.target(of: link, from: "a/b.md", quick: true)
            #expect(bytes(quick) == bytes(NoteKeys.target(of: link, from: "a/b.md", quick: false)), "\(Array(link.target.unicodeScalars))")
        }
        #expect(NoteKeys.target(of: NoteLink(target: "Triton 논문 리뷰 8897#결과", line: 1, isWiki: true), from: "x.md") == .note("triton 논문 리뷰 8897"))
    }
}

/// Front-matter dates read from their bytes give what reading their scalars gives.
@Suite struct DateKeyTests {
    @Test func quickDatesAreTheGeneralWays() {
        let pieces = ["2024", "-", ".", "/", "0", "1", "2", "9", "12", "31", "13", "00", " ", "\t", "T10:00", "년", "é", "x"]
        var generator = SplitMix(seed: 21)
        for _ in 0..<30_000 {
            let s = generator.string(of: pieces, count: 2...17)
            #expect(NoteKeys.date(s, quick: true) == NoteKeys.date(s, quick: false), "\(s)")
        }
        #expect(NoteKeys.date("2024/02/09T10:00") == "2024-02-09" && NoteKeys.date("2024-13-01") == nil && NoteKeys.date(" 2024.02.09") == "2024-02-09")
    }
}
