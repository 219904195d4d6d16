import Testing

@testable import KnowledgeGraph

/// Every mention rule of the end-to-end issue, with Korean and English cases.
@Suite struct MentionRuleTests {
    static let lexicon = """
        # test lexicon
        concept: FM | Factorization Machine
        concept: FFM | Field-aware Factorization Machine
        concept: CNN_FM | cnn-fm
        concept: LightGCN
        tool: MLflow
        company: 카카오 | Kakao
        company: 카카오엔터테인먼트 | 카카오 엔터
        company: 네이버
        company: 스캐터랩 | Scatter Lab
        company: 당근마켓
        company: 라인
        company: LG화학
        company: 구글
        concept: Deep & Cross Network
        """

    func found(_ text: String) -> [String] { mentions(text, lexicon: Self.lexicon) }

    // Rule 2: Latin letters match in any case.
    @Test(arguments: ["MLflow", "Mlflow", "MLFLOW", "mlflow"])
    func latinIsCaseInsensitive(_ text: String) {
        #expect(found("we used \(text) here") == ["MLflow=\(text)"])
    }

    // Rule 3: a space next to Hangul is optional, in the name and in the text.
    @Test func spaceNextToHangulIsOptional() {
        #expect(found("카카오엔터 면접") == ["카카오엔터테인먼트=카카오엔터"])
        #expect(found("LG 화학 채용") == ["LG화학=LG 화학"])
        #expect(found("Deep  &\tCross   Network") == ["Deep & Cross Network=Deep  &\tCross   Network"])
        #expect(found("Factorization\nMachine").isEmpty)
    }

    // Rule 4: Latin names are whole words.
    @Test(arguments: ["FFM", "FMCG", "cnn_fm", "DeepFM", "FM2", "xFM"])
    func latinNameIsNotInsideAWord(_ word: String) {
        #expect(!found("모델 \(word) 사용").contains { $0.hasPrefix("FM=") })
    }

    @Test(arguments: ["FM은", "(FM)", "FM/FFM", "FM,", "FM", "FM기준으로"])
    func latinNameAtBoundaries(_ word: String) {
        #expect(found("모델 \(word) 사용").contains("FM=FM"))
    }

    // Rule 5: Hangul names take particles that fit their final consonant, and nothing else.
    @Test(arguments: [
        ("카카오에서 일함", "카카오=카카오"), ("네이버의 모델", "네이버=네이버"), ("스캐터랩이 만든", "스캐터랩=스캐터랩"),
        ("당근마켓에서는 추천", "당근마켓=당근마켓"), ("카카오가 좋다", "카카오=카카오"), ("카카오는", "카카오=카카오"),
        ("스캐터랩은", "스캐터랩=스캐터랩"), ("스캐터랩으로", "스캐터랩=스캐터랩"), ("카카오로", "카카오=카카오"),
        ("구글로 이직", "구글=구글"), ("카카오와 네이버", "카카오=카카오"), ("스캐터랩과", "스캐터랩=스캐터랩"),
        ("카카오입니다", "카카오=카카오"), ("카카오 뱅크", "카카오=카카오"),
    ])
    func hangulNameWithParticle(_ text: String, _ expected: String) {
        #expect(found(text).contains(expected))
    }

    @Test(arguments: ["카카오뱅크", "네이버웹툰", "데이터 파이프라인", "카카오이", "스캐터랩가", "스캐터랩를", "구글으로", "모카카오"])
    func hangulNameInsideAWordIsNotAMention(_ text: String) {
        #expect(found(text).isEmpty, "\(text)")
    }

    @Test(arguments: ["lightgcn을", "LightGCN은", "LightGCN기반"])
    func latinNameMayBeFollowedByAnyHangul(_ text: String) {
        #expect(found(text) == ["LightGCN=\(text.prefix(8))"])
    }

    // Rule 6: leftmost-longest.
    @Test func longestNameWins() {
        #expect(found("cnn-fm 모델") == ["CNN_FM=cnn-fm"])
        #expect(found("카카오 엔터에서") == ["카카오엔터테인먼트=카카오 엔터"])
        #expect(found("FFM과 FM") == ["FFM=FFM", "FM=FM"])
    }

    // NFD text (macOS) is normalized before matching.
    @Test func nfdTextMatches() {
        #expect(found("카카오에서".decomposedStringWithCanonicalMapping) == ["카카오=카카오"])
    }

    // Rule 1: what is scanned and what is not.
    @Test func fencedCodeURLsEmailAndLinkDestinationsAreNotScanned() {
        let text = """
            ```
            FM in code
            ```
            see https://kakao.com/FM and mailto:fm@kakao.com or fm@kakao.com
            [the FM paper](https://example.com/FM)
            """
        #expect(found(text) == ["FM=FM"])
    }

    @Test func inlineCodeAndWikilinksAreScanned() {
        #expect(found("use `MLflow` and [[LightGCN|the paper]]") == ["MLflow=MLflow", "LightGCN=LightGCN"])
    }

    @Test func frontMatterTitleAliasesAndTagsAreScannedOtherKeysAreNot() {
        let text = """
            ---
            title: FM 정리
            aliases: [카카오 노트]
            tags:
              - LightGCN
            category: FFM
            ---
            본문
            """
        #expect(found(text) == ["FM=FM", "카카오=카카오", "LightGCN=LightGCN"])
    }

    @Test func mentionsRecordLineBlockAndSection() throws {
        let (defs, _) = Lexicon.parseFile(Self.lexicon)
        let lex = Lexicon(definitions: defs)
        let text = "FM 소개\n\n# 카카오\n- FFM 설명\n  - FM 기반\n- 네이버\n"
        let (record, _) = Analyzer(lexicon: lex).analyze(path: "n.md", normalizedText: text)
        let rows = record.mentions.map { ($0.surface, $0.line, $0.block, $0.section) }
        #expect(rows.map(\.0) == ["FM", "카카오", "FFM", "FM", "네이버"])
        #expect(rows.map(\.1) == [1, 3, 4, 5, 6])
        #expect(rows[0].3 == 0 && rows[1].3 == 1 && rows[4].3 == 1)
        #expect(rows[2].2 == rows[3].2)  // a list item includes its nested items
        #expect(rows[3].2 != rows[4].2)
        #expect(rows[0].2 != rows[1].2)
    }
}

@Suite struct LexiconTests {
    @Test func parsesTypesNamesAndAliases() {
        let (defs, issues) = Lexicon.parseFile("# c\nconcept: FFM | Field-aware FM\n\ncompany: 스캐터랩 | Scatter Lab | scatterlab\nnonsense\n")
        #expect(defs.map(\.entity) == [Entity(name: "FFM", type: "concept", aliases: ["Field-aware FM"]),
            Entity(name: "스캐터랩", type: "company", aliases: ["Scatter Lab", "scatterlab"])])
        #expect(issues.count == 1 && issues[0].line == 5)
    }

    @Test func anAliasNamingTwoEntitiesIsReported() {
        let (defs, _) = Lexicon.parseFile("concept: FM | fm model\nconcept: FFM | fm model\n")
        let lex = Lexicon(definitions: defs)
        #expect(lex.issues.count == 1)
        #expect(lex.issues[0].message.contains("fm model"))
        #expect(lex.lookup("fm model") == lex.lookup("FM"))
    }

    @Test func entityNotesMergeWithTheLexicon() throws {
        let v = try TempVault(files: [
            "concepts/LightGCN.md": "---\nentity: concept\naliases: [light gcn, 라이트GCN]\n---\n그래프 추천 모델\n",
            "a.md": "light gcn을 써봤다. 카카오에서\n",
        ], lexicon: "company: 카카오\n")
        let r = v.kg("mentions", "--json")
        #expect(r.status == 0)
        #expect(r.out.contains("\"entity\": \"LightGCN\""))
        #expect(r.out.contains("\"text\": \"light gcn\""))
        #expect(r.out.contains("\"entity\": \"카카오\""))
    }

    @Test func aConflictBetweenLexiconAndEntityNoteIsReported() throws {
        let v = try TempVault(files: ["FM.md": "---\nentity: method\n---\n"], lexicon: "concept: FM\n")
        let r = v.kg("index")
        #expect(r.status == 0)
        #expect(r.err.contains("warning") && r.err.contains("FM"))
    }
}

/// A bare domain is an address, not a mention (`last.fm` is not FM, `kakao.com` not 카카오).
@Suite struct BareDomainTests {
    func found(_ text: String) -> [String] { mentions(text, lexicon: MentionRuleTests.lexicon) }

    @Test(arguments: [
        "last.fm 에서 크롤링했고", "last.fm에서 크롤링", "(last.fm)", "Last.FM", "음악은 last.fm", "- last.fm 데이터",
        "`last.fm` API", "[last.fm](https://www.last.fm)", "see last.fm/music/Foo now", "kakao.com/careers 채용",
        "KAKAO.COM", "naver.co.kr 에서", "lightgcn.ai/docs",
    ])
    func addressesAreNotMentions(_ text: String) {
        #expect(found(text).isEmpty, "\(text): \(found(text))")
    }

    @Test(arguments: [
        ("Node.js 와 FM", "FM=FM"), ("airflow.cfg 의 FM", "FM=FM"), ("torch.nn 으로 FM", "FM=FM"),
        ("sklearn.decomposition FM", "FM=FM"), ("FM.", "FM=FM"), ("FM. 다음", "FM=FM"), ("A.I. 와 FM", "FM=FM"),
        ("FM/FFM", "FM=FM"), ("lightgcn.py 에서 LightGCN", "LightGCN=LightGCN"), ("Kakao.", "카카오=Kakao"),
        ("카카오.com 이 아니라 카카오", "카카오=카카오"),
    ])
    func notAddresses(_ text: String, _ expected: String) {
        #expect(found(text).contains(expected), "\(text): \(found(text))")
    }

    @Test func anAddressTheLexiconNamesIsAMention() {
        let lexicon = MentionRuleTests.lexicon + "\ncompany: last.fm | Last.fm\n"
        #expect(mentions("last.fm 에서 크롤링, LAST.FM/music 과 FM", lexicon: lexicon) == ["last.fm=last.fm", "last.fm=LAST.FM", "FM=FM"])
        #expect(mentions("blog.last.fm 은 다른 주소", lexicon: lexicon).isEmpty)
    }

    @Test func searchStillFindsTheAddress() throws {
        let v = try TempVault(files: ["a.md": "last.fm 에서 크롤링했고\n"], lexicon: "concept: FM\n")
        #expect(v.kg("search", "last.fm").out.contains("a.md"))
        #expect(v.kg("mentions", "FM").out.isEmpty)
    }
}
