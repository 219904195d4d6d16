import Testing

@testable import KnowledgeGraph

@Suite struct MarkdownTests {
    func record(_ text: String) -> NoteRecord {
        Analyzer(lexicon: Lexicon(definitions: [])).analyze(path: "dir/My Note.md", normalizedText: text).0
    }

    @Test func tagsAreUnicodeNestedAndNotInCodeURLsOrHeadings() {
        let r = record("# Heading\n#추천 #ml/ops text #123 `#code` https://x.com/#frag (#태그)\n```\n#fenced\n```\n")
        #expect(r.tags == ["추천", "ml/ops", "태그"])
    }

    @Test func frontMatterTagsAndTitle() {
        let r = record("---\ntitle: \"FM 정리\"\ntags: [recsys, 추천]\n---\n# Other\n")
        #expect(r.title == "FM 정리")
        #expect(r.tags == ["recsys", "추천"])
    }

    @Test func titleFallsBackToHeadingThenFileName() {
        #expect(record("# 면접 후기\n본문").title == "면접 후기")
        #expect(record("본문").title == "My Note")
    }

    @Test func wikilinksAndMarkdownLinks() {
        let r = record("[[FFM]] [[LightGCN|LG]] [[노트#섹션]] [글](notes/a.md)")
        #expect(r.links.map(\.target) == ["FFM", "LightGCN", "노트#섹션", "notes/a.md"])
        #expect(r.links.map(\.isWiki) == [true, true, true, false])
    }
}
