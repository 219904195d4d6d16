import Foundation
import Testing

@testable import KnowledgeGraph

@Suite struct SearchTests {
    static let files = [
        "fm.md": "FM은 feature interaction 모델이다.\n둘째 줄\n",
        "ffm.md": "FFM only, and cnn_fm too.\n",
        "interview.md": "# 면접 후기\n면접관이 물어봤다.\n면접에서 떨렸다.\n",
        "kakao.md": "카카오에서 일하고 싶다.\nnode.js 와 C++ 그리고 A/B 테스트\n",
        "bank.md": "카카오뱅크 앱\n\"quoted\" words here\n",
        "phrase.md": "a quoted phrase lives here\nphrase quoted a\n",
    ]

    func notes(_ query: String) throws -> [String] {
        let v = try TempVault(files: Self.files, lexicon: "concept: FM\n")
        let r = v.kg(["search", "--json", "--limit", "0", "--"] + [query])
        #expect(r.status == 0, "\(r.err)")
        return r.out.split(separator: "\n").filter { $0.contains("\"note\"") }.map {
            String($0.split(separator: "\"")[3])
        }.sorted()
    }

    @Test func latinTermsMatchWholeWordsInAnyCase() throws {
        #expect(try notes("fm") == ["fm.md"])
        #expect(try notes("FFM") == ["ffm.md"])
        #expect(try notes("CNN_FM") == ["ffm.md"])
    }

    @Test func hangulTermsMatchInsideWords() throws {
        #expect(try notes("면접") == ["interview.md"])
        #expect(try notes("카카오") == ["bank.md", "kakao.md"])
        #expect(try notes("카카오에서") == ["kakao.md"])
        #expect(try notes("관") == ["interview.md"])
    }

    @Test func aSpacedTermMatchesAcrossTheEndOfAWord() throws {
        // `카카오` spaced as `카 카오`: the `카` may end a longer word (`모카 카오`), or stand alone.
        let v = try TempVault(files: ["a.md": "오늘 모카 카오 이야기\n", "b.md": "카 카오 라고 썼다\n", "c.md": "모카 커피와 카오스\n"])
        let r = v.kg("search", "--json", "--limit", "0", "카카오")
        let found = r.out.split(separator: "\n").filter { $0.contains("\"note\"") }.map { String($0.split(separator: "\"")[3]) }.sorted()
        #expect(found == ["a.md", "b.md"], "\(r.out)")
    }

    @Test func everySpellingCountsWhereTheOthersAlreadyMatched() throws {
        // `카카오` spaced `카카 오…` on line 1 and as written on line 2 of one note: the spaced
        // search skips the places the written one holds, and still finds line 1.
        // Many words that start with 오, so that `카카` is read first and `오…` after it.
        let many = (0..<40).map { "오리\($0) 오후 오전 오류 오타 오픈" }.joined(separator: "\n")
        let v = try TempVault(files: ["d.md": "카카 오늘\n카카오 본사\n", "e.md": "모카 카오 카카오\n", "f.md": many + "\n"])
        let r = try #require(try JSONSerialization.jsonObject(with: Data(v.kg("search", "--json", "카카오").out.utf8)) as? [[String: Any]])
        let lines = r.first { $0["note"] as? String == "d.md" }.flatMap { $0["matches"] as? [[String: Any]] }?.compactMap { $0["line"] as? Int }
        #expect(lines == [1, 2])
        #expect(r.count == 2)
    }

    @Test func everyTermMustMatch() throws {
        #expect(try notes("카카오 일하고") == ["kakao.md"])
        #expect(try notes("카카오 없는말") == [])
    }

    @Test func quotedPhrasesAreOneTerm() throws {
        #expect(try notes("\"a quoted phrase\"") == ["phrase.md"])
        #expect(try notes("\"phrase a\"") == [])
    }

    /// A phrase is found from its rarest word, then checked word by word around it; where it
    /// matched is still where it starts, whichever word is rarer, across a line break too.
    @Test(arguments: [("\"common rare\"", 1), ("\"rare common\"", 3), ("\"common common rare\"", 5), ("\"이름난 드문말\"", 7)])
    func aPhraseMatchesWhereItStarts(_ query: String, _ line: Int) throws {
        let v = try TempVault(files: [
            "a.md": "ends with common\nrare starts here\nrare\ncommon\ncommon common\nrare\n한 줄 이름난\n드문말 둘째\n",
            "b.md": "common common common 이름난 이름난\n", "c.md": "common again 이름난\n",
        ])
        let r = v.kg("search", "--json", "--", query)
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("\"note\": \"a.md\""))
        #expect(r.out.contains("\"line\": \(line),"), "\(r.out)")
        #expect(!r.out.contains("\"note\": \"b.md\""))
    }

    @Test(arguments: [("node.js", ["kakao.md"]), ("C++", ["kakao.md"]), ("A/B", ["kakao.md"]), ("a/b 테스트", ["kakao.md"])])
    func punctuationIsMatchedLiterally(_ query: String, _ expected: [String]) throws {
        #expect(try notes(query) == expected)
    }

    @Test(arguments: ["\"", "*", "(", "-", "\"\"", "***", ""])
    func queriesWithNothingToSearchForAreUsageErrors(_ query: String) throws {
        let v = try TempVault(files: Self.files)
        let r = v.kg("search", "--", query)
        #expect(r.status == 64)
        #expect(r.out.isEmpty)
        #expect(r.err.hasPrefix("kg: error: "))
    }

    @Test func resultsShowLinesAndRankByBM25() throws {
        let v = try TempVault(files: ["a.md": "면접 면접 면접\n", "b.md": "면접 하나\n그리고 긴 문장이 여기 있습니다 아주 길게\n"])
        let r = v.kg("search", "면접", "--json")
        #expect(r.out.contains("\"line\": 1"))
        let a = r.out.range(of: "a.md")
        let b = r.out.range(of: "b.md")
        #expect(a != nil && b != nil && a!.lowerBound < b!.lowerBound)
        let text = v.kg("search", "면접").out
        #expect(text.contains("a.md  score "))
        #expect(text.contains("\na.md:1: 면접 면접 면접\n"))
    }
}
