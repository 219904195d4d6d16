import Foundation
import Testing

@testable import KnowledgeGraph

/// What one note contributes: candidate names by their shape and place.
@Suite struct CandidateTests {
    func candidates(_ text: String) -> [String: UInt32] {
        Dictionary(uniqueKeysWithValues: CandidateExtractor.candidates(of: MarkdownNote(text: text)).map { ($0.key, $0.signals) })
    }

    func has(_ c: [String: UInt32], _ key: String, _ s: Signal) -> Bool { (c[key] ?? 0) & s.bit != 0 }

    @Test func latinTermsByShape() {
        let c = candidates("오늘 FFM 과 LightGCN, Word2Vec 을 봤다. 그리고 Airflow 로 돌렸다.\nKafka 는 문장 처음.\n")
        #expect(has(c, "ffm", .acronym))
        #expect(has(c, "lightgcn", .mixedCase))
        #expect(has(c, "word2vec", .alphanumeric))
        #expect(has(c, "airflow", .capitalized))
        #expect(has(c, "kafka", .sentenceStart) && !has(c, "kafka", .capitalized))
    }

    @Test func capitalizedPhrasesAreOneCandidateNotTheirWords() {
        let c = candidates("모델은 Factorization Machine 과 Weights & Biases 로 기록\n")
        #expect(has(c, "factorization machine", .capitalizedPhrase))
        #expect(has(c, "weights & biases", .capitalizedPhrase))
        #expect(c["machine"] == nil && c["weights"] == nil)
    }

    @Test func everydayWordsAndVerbsAreNotCandidates() {
        let c = candidates("the model and data are good. 데이터를 모델에 넣었다. 사용하는 사람이 많다. TODO 정리하기\n")
        for key in ["the", "model", "data", "good", "데이터", "모델", "사용하", "사람", "todo"] { #expect(c[key] == nil, "\(key)") }
        let d = candidates("이렇게 하는 것이 좋다. 할 수가 없고 나는 본다\n")
        for key in ["것이", "수가", "나는"] { #expect(d[key] == nil, "\(key)") }
        let e = candidates("자유로운 분위기, 자연스러운 흐름. 이건 없을 것 같다. 지속적인 성과\n")
        for key in ["자유로운", "자연스러운", "이건", "없을", "지속적인"] { #expect(e[key] == nil, "\(key)") }
        // Conjunctions, a bound noun with its particle, a question ending, a negated verb.
        let f = candidates("혹은 여러개를 쓴 후에 실행 시에 확인. 무엇이 있는가, 그것인가. 되지 않는 경우\n")
        for key in ["혹은", "여러개", "후에", "시에", "있는가", "그것인가", "않는"] { #expect(f[key] == nil, "\(key)") }
    }

    @Test func aFullNameBeforeATitleIsAPerson() {
        let c = candidates("김찬란 멘토님이 말했고 김학수교수는 웃었다. 남궁민수 씨와 한기용님. 사람이 감독하고 이번 멘토는 없다\n")
        for key in ["김찬란", "김학수", "남궁민수", "한기용"] { #expect(has(c, key, .person), "\(key)") }
        #expect(!has(c, "사람이", .person) && !has(c, "이번", .person))
        #expect(c["김찬란멘토"] == nil && c["김학수교수"] == nil)
    }

    @Test func emphasisDoesNotHideAParticle() {
        // `**정점**을` is 정점 + 을, as `정점을` is; without the marks taken out, 정점 looked bare
        // and 을 like a word of its own.
        let c = candidates("**정점**을 잇는 `간선`이 있고 ~~힙~~은 아니다\n")
        #expect(has(c, "정점", .objectParticle) && !has(c, "정점", .alone))
        #expect(has(c, "간선", .subjectParticle) && !has(c, "간선", .code))
        #expect(c["을"] == nil && c["이"] == nil)
    }

    @Test func generalNounsAreNotNamesButHeadCompoundsOfSpecificWords() {
        let c = candidates("핵심은 기반이다. 선형 변환을 보고 현재 위치를 보고 동시성 제어가 필요\n")
        for key in ["핵심", "기반", "위치", "현재위치"] { #expect(c[key] == nil, "\(key)") }
        // Heads of compounds are noted as such (a fragment), never as nouns of their own.
        for key in ["변환", "제어"] { #expect(!has(c, key, .particle) && has(c, key, .compoundTail), "\(key)") }
        #expect(has(c, "선형변환", .compound) && has(c, "동시성제어", .compound))
    }

    @Test func texMathIsNotScannedForNames() {
        let c = candidates("노이즈 $x_T$를 보고 $W_Q$와 $$\\text{Softmax}(QK)$$, 가격 $5 and $10 KDT\n$$\nW_K V\n$$\nGELU\n")
        for key in ["x_t", "w_q", "softmax", "qk", "w_k"] { #expect(c[key] == nil, "\(key)") }
        #expect(has(c, "kdt", .acronym) && has(c, "gelu", .acronym))
    }

    @Test func indirectQuestionsAndParticlesWrittenApartAreNotNouns() {
        // `있는지를`, `동작하는지도`: verb forms; `독립적으로`: an adverb; `**Airflow** 으로는`: a
        // particle after markup.
        let c = candidates("잘 있는지를 보고 동작하는지도 독립적으로 본다. **Airflow** 으로는 배치를, **Kafka** 에서도 카프카를\n")
        for key in ["있는지", "동작하는지", "독립적으", "으로", "에서"] { #expect(c[key] == nil, "\(key)") }
        #expect(has(c, "카프카", .objectParticle))
    }

    @Test func hangulStemsBeforeParticles() {
        let c = candidates("카카오에서 면접, 카카오의 팀, 카카오를 보고 텐서플로는 빠르다\n")
        #expect(has(c, "카카오", .locativeParticle) && has(c, "카카오", .genitiveParticle) && has(c, "카카오", .objectParticle))
        // Both splits of 텐서플로는 are evidence; the statistics tell them apart.
        #expect(has(c, "텐서플로", .topicParticle) && has(c, "텐서플", .instrumentalParticle))
    }

    @Test func compoundsAndGluedNames() {
        let c = candidates("협업 필터링은 좋다. LG전자 와 삼성SDS, CJ 올리브네트웍스, CI/CD 구축\n")
        #expect(has(c, "협업필터링", .compound))
        #expect(has(c, "lg전자", .mixedScript) && c["lg"] == nil)
        #expect(has(c, "삼성sds", .mixedScript) && c["sds"] == nil)
        #expect(has(c, "cj올리브네트웍스", .mixedScript))
        #expect(has(c, "ci/cd", .acronym))
        let d = candidates("Wide&Deep 과 R&D, Airflow/Kubeflow\n")
        #expect(has(d, "wide&deep", .mixedCase) && d["wide"] == nil && has(d, "r&d", .acronym))
        #expect(has(d, "airflow", .capitalized) && d["airflow/kubeflow"] == nil)
    }

    @Test func aCallIsNoDefinition() {
        let c = candidates("x.reshape(b, n) 로 바꾸고 FFM(Field-aware FM)과 Chain-of-Thought(CoT)를 본다\n")
        #expect(c["reshape"].map { $0 & Signal.definition.bit == 0 } ?? true)
        #expect(has(c, "ffm", .definition) && has(c, "field-aware fm", .definition))
        #expect(has(c, "cot", .definition))
    }

    @Test func codeIsReadAsCode() {
        // A span that reads as code is not read for names; a short one is, as code, unless it
        // is Hangul set off (`정점`을); a lowerCamelCase word is an identifier, `iPhone` and
        // `macOS` are names.
        let c = candidates("`SUBSTRING(str, start, n)` 와 `.doubleClick(el)`, `torch.nn` 대신 `CharField` 와 `OLTP`, `정점`을 본다. userId 와 popAfter, iPhone 과 macOS\n")
        #expect(c["substring"] == nil && c["doubleclick"] == nil && c["torch"] == nil && c["nn"] == nil)
        #expect(has(c, "charfield", .code) && !has(c, "charfield", .prose))
        #expect(has(c, "oltp", .code) && has(c, "정점", .objectParticle) && !has(c, "정점", .code))
        #expect(c["userid"] == nil && c["popafter"] == nil)
        #expect(has(c, "iphone", .mixedCase) && has(c, "macos", .mixedCase) && has(c, "iphone", .prose))
    }

    @Test func anAcronymBeforeAParticleIsAWordOfItsOwn() {
        // `EDA를`, `LG CNS에서는` as `FFM은`: a name and its particle; `SK텔레콤` is one name.
        let c = candidates("EDA를 하고 LG CNS에서는 KT와 SK텔레콤, CNN_FM에서 임베딩\n")
        #expect(has(c, "eda", .acronym) && has(c, "kt", .acronym) && has(c, "cnn_fm", .acronym))
        #expect(has(c, "lg cns", .capitalizedPhrase))
        #expect(c["sk"] == nil && c["cns"] == nil)
    }

    @Test func companyCuesAndStructure() {
        let c = candidates("# 기업 목록\n- 스캐터랩\n- 백패커\n\n[[DeepCoNN]] #추천모델\n")
        #expect(has(c, "스캐터랩", .companyList) && has(c, "백패커", .companyList))
        #expect(has(c, "deepconn", .wikilink))
        #expect(has(c, "추천모델", .tag))
    }
}

/// What the statistics of many notes propose.
@Suite struct DiscovererTests {
    static func stats(_ texts: [String]) -> DiscoveryStats {
        var s = DiscoveryStats()
        for t in texts { s.add(CandidateExtractor.candidates(of: MarkdownNote(text: t)), sign: 1) }
        return s
    }

    @Test func aNounBeforeSeveralParticlesInSeveralNotesIsFound() {
        let s = Self.stats(["뤼튼테크가 발표했다", "뤼튼테크의 모델", "뤼튼테크를 봤다", "뤼튼테크와 협업"])
        let (found, _) = Discoverer.discover(s, taken: [], rejected: [], useKnownNames: false)
        let name = found.first { $0.name == "뤼튼테크" }
        #expect(name != nil)
        #expect(name?.type == "company")  // a company ending (테크)
    }

    @Test func oneParticleInEveryNoteIsNotEnough() {
        let s = Self.stats((0..<20).map { _ in "파란하늘을 보니 좋다" })
        let (found, _) = Discoverer.discover(s, taken: [], rejected: [], useKnownNames: false)
        #expect(!found.contains { $0.name == "파란하늘" })
    }

    @Test func lowercaseEnglishAloneIsNoEvidence() {
        let s = Self.stats(["we tuned the warmup and the scheduler", "warmup scheduler again"])
        let (found, suggested) = Discoverer.discover(s, taken: [], rejected: [], useKnownNames: false)
        #expect(found.isEmpty && suggested.isEmpty)
    }

    @Test func takenAndRejectedNamesAreNotProposed() {
        let s = Self.stats(["FFM 과 NCF", "FFM 과 NCF 다시"])
        let (found, _) = Discoverer.discover(s, taken: ["ffm"], rejected: ["ncf"])
        #expect(found.isEmpty)
    }

    /// `GitHub` written only inside `GitHub Actions` would have no mention of its own (the
    /// longer name matches there): it is not proposed until it stands alone somewhere.
    @Test func aWordOnlyEverInsideALongerNameIsNotProposed() throws {
        let texts = (1...3).map { "GitHub Actions 로 배포했다. GitHub Actions 의 캐시를 썼다. Docker 도 쓴다. \($0)" }
        let inside = Discoverer.discover(Self.stats(texts), taken: [], rejected: [])
        #expect(inside.entities.contains { $0.name == "GitHub Actions" })
        #expect(!inside.entities.contains { $0.name == "GitHub" } && !inside.suggestions.contains { $0.name == "GitHub" })
        let alone = Discoverer.discover(Self.stats(texts + ["코드는 GitHub 에 올렸다", "GitHub 저장소"]), taken: [], rejected: [])
        #expect(alone.entities.contains { $0.name == "GitHub" } && alone.entities.contains { $0.name == "GitHub Actions" })
        // Through the whole index: every entity shown has mentions.
        let v = try TempVault(files: Dictionary(uniqueKeysWithValues: texts.enumerated().map { ("n\($0.offset).md", $0.element + "\n") }))
        let out = v.kg("entities", "--limit", "0").out
        #expect(out.contains("GitHub Actions") && !out.contains("0 mentions"), "\(out)")
    }

    @Test func aLinkedNotesAliasesJoinItsEntityAndShortOrEverydayNamesMatchOnlyInLinks() throws {
        let v = try TempVault(files: [
            "topics/Kubernetes.md": "---\naliases: [k8s, 쿠버네티스, K]\n---\n컨테이너 오케스트레이션.\n",
            "topics/Yes.md": "# Yes\nA band.\n",
            "a.md": "오늘 [[Kubernetes]] 클러스터를 만들었다. k8s 설정.\nYes, I heard [[Yes]] today. K is a letter.\n",
            "b.md": "[[K]] 로 줄여 쓴다. Kubernetes 는 어렵다.\nyes yes. 쿠버네티스에서 파드를 띄웠다. [[Yes|the band]]\n",
        ])
        let kb = KnowledgeBase(vault: Vault(root: v.root))
        let entities = try kb.entities(limit: 100).entities
        let k8s = try #require(entities.first { $0.name == "Kubernetes" })
        #expect(Set(k8s.aliases) == ["k8s", "쿠버네티스", "K"] && k8s.origin.linkOnly == ["K"] && k8s.origin.signals.contains("linked-note"))
        // `K` counts inside `[[K]]`, never in prose; the others match prose as usual.
        let mentions = try kb.mentions(of: "Kubernetes", limit: 100).mentions.filter { !$0.note.hasPrefix("topics/") }
        #expect(mentions.map { "\($0.note):\($0.line):\($0.surface)" }.sorted()
            == ["a.md:1:Kubernetes", "a.md:1:k8s", "b.md:1:K", "b.md:1:Kubernetes", "b.md:2:쿠버네티스"])
        // An everyday title that notes link to is an entity matched only in its links.
        let yes = try #require(entities.first { $0.name == "Yes" })
        #expect(yes.type == "note" && yes.origin.linkOnly == ["Yes"])
        #expect(try kb.mentions(of: "Yes", limit: 100).mentions.map { "\($0.note):\($0.line):\($0.column)" } == ["a.md:2:15", "b.md:2:28"])
        // An alias two notes share names neither; an everyday word no note is titled stays out.
        try v.write("topics/Docker.md", "---\naliases: [컨테이너, K]\n---\n")
        try v.write("c.md", "[[Docker]] 와 Docker 를 비교. [[Today]]\n")
        let after = try kb.entities(limit: 100).entities
        #expect(try #require(after.first { $0.name == "Kubernetes" }).aliases.sorted() == ["k8s", "쿠버네티스"])
        #expect(try #require(after.first { $0.name == "Docker" }).aliases == ["컨테이너"])
        #expect(!after.contains { Lexicon.keyString($0.name) == "today" })
    }

    @Test func theBuiltInListTypesButDoesNotInvent() {
        let s = Self.stats(["Google 에서 일함", "Google 과 비교"])
        #expect(Discoverer.discover(s, taken: [], rejected: []).entities.first { $0.name == "Google" }?.type == "company")
        #expect(Discoverer.discover(s, taken: [], rejected: [], useKnownNames: false).entities.first { $0.name == "Google" }?.type != "company")
        // On the list but never in the notes: nothing.
        #expect(!Discoverer.discover(s, taken: [], rejected: []).entities.contains { $0.name == "NVIDIA" })
    }

    @Test func aSuggestionIsShownBelowTheThreshold() throws {
        // Two kinds of particles, alone, in two notes, three times: a sum that falls a hair
        // short of 0.5 in floating point. It is a suggestion, so it must not read 0.5.
        let s = Self.stats(["퀼로바가 좋다", "퀼로바를 본다. 퀼로바"])
        let (found, suggested) = Discoverer.discover(s, taken: [], rejected: [], useKnownNames: false)
        let name = try #require(suggested.first { $0.name == "퀼로바" })
        #expect(!found.contains { $0.name == "퀼로바" })
        #expect(name.confidence < Discoverer.threshold && name.confidence > 0.45)
    }

    @Test func aWellKnownNameInOneNoteIsAnEntity() {
        // One note each: a company before a particle, a tool at the start of a list item.
        let s = Self.stats(["- 넷플릭스의 추천", "- Kafka, 그리고 배치"])
        let (found, _) = Discoverer.discover(s, taken: [], rejected: [])
        #expect(found.contains { $0.name == "넷플릭스" } && found.contains { $0.name == "Kafka" })
        // Without the list the same evidence is a suggestion at most.
        #expect(Discoverer.discover(s, taken: [], rejected: [], useKnownNames: false).entities.isEmpty)
        // A name on the list that is also an everyday word (`라인` 'line', 지그재그 'zigzag')
        // needs more than one note's plain use.
        let t = Self.stats(["1000만 개가 넘는 라인이 입력되는 경우", "학습이 지그재그로 진행"])
        #expect(Discoverer.discover(t, taken: [], rejected: []).entities.isEmpty)
        // Every such word is a name on the list (a misspelled one would lift nothing less).
        #expect(KnownNames.everyday.allSatisfy { KnownNames.types[$0] != nil })
    }

    @Test func aWordCapitalizedNowAndThenIsNotAName() {
        // `Update` capitalized inside two sentences (a button's label); `update` five times.
        let s = Self.stats(["then press Update twice", "and Update the config", "an update", "the update, the update", "update again"])
        let (found, _) = Discoverer.discover(s, taken: [], rejected: [], useKnownNames: false)
        #expect(!found.contains { Lexicon.keyString($0.name) == "update" })
        // A name the notes always capitalize is found from the same evidence.
        let t = Self.stats(["we run Dagster daily", "then Dagster again", "and Dagster"])
        #expect(Discoverer.discover(t, taken: [], rejected: [], useKnownNames: false).entities.contains { $0.name == "Dagster" })
    }

    @Test func aCapitalizedCommonEnglishWordIsNoName() {
        // `Running` and `Completed` capitalized in two notes, as a label is; `Logstash` too.
        let s = Self.stats(["서버가 Running 상태이고 Completed 작업은 Logstash 로 보낸다", "다시 Running 상태, Completed 목록과 Logstash 설정"])
        let (found, suggested) = Discoverer.discover(s, taken: [], rejected: [], useKnownNames: false)
        #expect(found.map(\.name) == ["Logstash"])
        #expect(suggested.first { $0.name == "Running" }?.signals.contains("capitalized-common-word") == true)
        #expect(EnglishWords.contains("running") && EnglishWords.contains("completed") && EnglishWords.contains("libraries"))
        #expect(!EnglishWords.contains("logstash") && !EnglishWords.contains("kubernetes") && !EnglishWords.contains("redis"))
        // In capitals: a keyword, a log level, a constant of English words; `CNN_FM` is a name.
        let t = Self.stats(["SELECT 문과 ERROR 로그, INSTALLED_APPS 설정과 CNN_FM 모델", "SELECT 결과, ERROR 처리, INSTALLED_APPS 에 CNN_FM 을"])
        #expect(Discoverer.discover(t, taken: [], rejected: [], useKnownNames: false).entities.map(\.name) == ["CNN_FM"])
    }

    @Test func aWordInCapitalsNowAndThenIsNoAcronym() {
        // `DEV` once as a constant, `dev` in every note; `CNN_FM` once in four spellings.
        let s = Self.stats(["dev 서버에 배포", "dev 환경과 prod 환경", "dev 로그를 봄", "DEV 설정과 dev 설정", "cnn_fm 학습 cnn_fm 결과",
            "CNN_FM에서 cnn_fm 을 봄"])
        let (found, suggested) = Discoverer.discover(s, taken: [], rejected: [], useKnownNames: false)
        let dev = (found + suggested).first { $0.name == "dev" }
        #expect(dev != nil && !(dev?.signals.contains("acronym") ?? true))
        #expect(found.first { Lexicon.keyString($0.name) == "cnn_fm" }?.signals.contains("acronym") == true)
    }

    @Test func aNameWrittenOnlyAsCodeIsNoEntity() {
        // `CharField` only ever in backticks; `DataLoader` in backticks and in prose; `OLTP`
        // and `정점` set off in backticks, as terms are: they weigh as much as without them.
        let texts = ["`CharField` 로 필드를 만든다, `DataLoader` 와 `OLTP` 를, `정점` 을 쓴다", "`CharField` 의 길이와 DataLoader 로 읽기, `OLTP` 와 `정점` 이",
            "`CharField` 에 기본값, DataLoader 를 쓰고 `OLTP` 를 본다, `정점` 에서"]
        let (found, suggested) = Discoverer.discover(Self.stats(texts), taken: [], rejected: [], useKnownNames: false)
        let names = Set(found.map(\.name))
        #expect(!names.contains("CharField") && suggested.contains { $0.name == "CharField" })
        #expect(names.contains("DataLoader") && names.contains("OLTP"))
        let plain = Discoverer.discover(Self.stats(texts.map { $0.replacingOccurrences(of: "`", with: "") }), taken: [], rejected: [], useKnownNames: false)
        func confidence(_ name: String, _ d: (entities: [DiscoveredName], suggestions: [DiscoveredName])) -> Double? {
            (d.entities + d.suggestions).first { $0.name == name }?.confidence
        }
        #expect(confidence("정점", (found, suggested)) != nil && confidence("정점", (found, suggested)) == confidence("정점", plain))
        #expect(confidence("OLTP", (found, suggested)) == confidence("OLTP", plain))
        // Words with a space are no identifier: a long form defined in backticks keeps its
        // weight.
        let defined = Discoverer.discover(Self.stats(["초기 비용 `CAPEX(Capital Expenditure)`은 줄어든다"]), taken: [], rejected: [],
            useKnownNames: false)
        #expect(defined.entities.contains { $0.name == "Capital Expenditure" })
    }

    @Test func aNameWrittenWithATitleIsTypedPerson() {
        let s = Self.stats(["한기용 멘토님과 이야기했다", "한기용 멘토의 조언: Airflow 를 써라", "오늘은 김찬란님"])
        let (found, suggested) = Discoverer.discover(s, taken: [], rejected: [], useKnownNames: false)
        #expect(found.first { $0.name == "한기용" }?.type == "person")
        #expect(suggested.first { $0.name == "김찬란" }?.type == "person")
    }

    @Test func anAcronymAndItsLongFormAreOneEntity() {
        func decided(_ texts: [String]) -> [DiscoveredName] {
            Discoverer.discover(Self.stats(texts), taken: [], rejected: [], useKnownNames: false).entities
        }
        // Defined once, written apart elsewhere: one entity, the phrase its alias.
        let joined = decided(["NCF(Neural Collaborative Filtering)을 보자", "NCF 과 Neural Collaborative Filtering 은 같다",
            "Neural Collaborative Filtering 를 쓰고 NCF 을 본다", "xDeepFM(NCF) 조합"])
        #expect(joined.first { $0.name == "NCF" }?.aliases.contains("Neural Collaborative Filtering") == true)
        #expect(!joined.contains { $0.name == "Neural Collaborative Filtering" })
        #expect(joined.first { $0.name == "xDeepFM" }?.aliases.isEmpty == true)
        // Never defined: two entities.
        let apart = decided(["GNN 를 보자", "Graph Neural Network 은 GNN 와", "GNN 와 Graph Neural Network 를"])
        #expect(apart.contains { $0.name == "GNN" } && apart.contains { $0.name == "Graph Neural Network" })
        // Two phrases with its initials: neither is joined.
        let twice = decided(["NCF(Neural Collaborative Filtering)을", "Network Compute Fabric 과 NCF(Neural Collaborative Filtering)",
            "Network Compute Fabric 을 Network Compute Fabric 로"])
        #expect(twice.first { $0.name == "NCF" }?.aliases.isEmpty == true)
        #expect(twice.contains { $0.name == "Neural Collaborative Filtering" } && twice.contains { $0.name == "Network Compute Fabric" })
    }

    @Test func pluralsMergeButAnAcronymEndingInSIsNoPlural() {
        let s = Self.stats(["HTTP 와 HTTPS 를 비교", "HTTPS 로 바꿨다. HTTP 는 느리다", "HTTPS 인증서와 HTTP 헤더",
            "API 를 부른다. APIs 와 API", "여러 APIs 를 묶은 API 서버"])
        let found = Discoverer.discover(s, taken: [], rejected: [], useKnownNames: false).entities
        #expect(found.contains { $0.name == "HTTPS" })
        #expect(found.first { $0.name == "HTTP" }.map { !$0.aliases.contains("HTTPS") } == true)
        #expect(!found.contains { $0.name == "APIs" } && found.contains { $0.name == "API" })
    }

    @Test func namesTheListKnowsAsOneAreOneEntity() {
        let texts = ["Docker 를 쓴다. Docker 로 배포", "도커는 좋다. 도커를 설치했다", "Docker 와 도커 는 같다", "Docker 이미지를 Docker 로",
            "GitHub 에 올렸다", "깃허브는 깃허브에서"]
        let found = Discoverer.discover(Self.stats(texts), taken: [], rejected: [], useKnownNames: true).entities
        // One node, named by the spelling the notes write most, the other its alias.
        #expect(found.first { $0.name == "Docker" }?.aliases == ["도커"])
        #expect(!found.contains { $0.name == "도커" })
        #expect(found.first { $0.name == "깃허브" }?.aliases == ["GitHub"] || found.first { $0.name == "GitHub" }?.aliases == ["깃허브"])
        // A partner the notes never write is no alias.
        #expect(!found.contains { $0.aliases.contains("깃헙") })
        // Without the list, or with a lexicon that takes one of them, not one name.
        let apart = Discoverer.discover(Self.stats(texts), taken: [], rejected: [], useKnownNames: false).entities
        #expect(apart.first { $0.name == "Docker" }?.aliases == [])
        let taken = Discoverer.discover(Self.stats(texts), taken: ["docker"], rejected: [], useKnownNames: true).entities
        #expect(taken.first { $0.name == "도커" }?.aliases == [])
    }

    @Test func namesSpacedAroundAnAmpersandAreOne() {
        let s = Self.stats(["Wide&Deep 모델을 본다", "Wide & Deep 구조와 Wide&Deep 학습", "Wide&Deep 과 Wide&Deep",
            "W&B(Weights & Biases)로 기록", "Weights & Biases 와 W&B 를", "W&B 를 쓴다"])
        let found = Discoverer.discover(s, taken: [], rejected: [], useKnownNames: false).entities
        #expect(found.first { $0.name == "Wide&Deep" }?.aliases == ["Wide & Deep"])
        #expect(found.first { $0.name == "W&B" }?.aliases == ["Weights & Biases"])
        #expect(!found.contains { $0.name == "Wide & Deep" || $0.name == "Weights & Biases" })
        // A lexicon that takes one of the two spellings keeps them apart.
        let apart = Discoverer.discover(s, taken: ["wide & deep"], rejected: [], useKnownNames: false).entities
        #expect(apart.first { $0.name == "Wide&Deep" }?.aliases == [])
    }

    @Test func candidatesSurviveTheirCompactEncoding() {
        let note = MarkdownNote(text: "MLflow 와 mlflow, MLFlow 를 보자. 추천 시스템은 추천시스템 이다. LightGCN LightGCN lightgcn\n[[카카오 뱅크]] #Tag/sub\n")
        let candidates = CandidateExtractor.candidates(of: note)
        #expect(candidates.contains { $0.surfaces.count >= 2 })
        var w = BinaryWriter()
        NoteCandidate.encode(candidates, into: &w)
        let bytes = w.bytes
        let decoded: ([NoteCandidate], Int)? = bytes.withUnsafeBytes { raw in
            var r = BinaryReader(raw, range: 0..<raw.count)
            guard let d = try? NoteCandidate.decode(&r) else { return nil }
            return (d, r.offset)
        }
        #expect(decoded?.0 == candidates)
        #expect(decoded?.1 == bytes.count)
    }

    @Test func statisticsAreSumsOfNotes() {
        let a = CandidateExtractor.candidates(of: MarkdownNote(text: "FFM 과 카카오에서 LightGCN"))
        let b = CandidateExtractor.candidates(of: MarkdownNote(text: "카카오의 FFM"))
        var s = DiscoveryStats()
        s.add(a, sign: 1)
        s.add(b, sign: 1)
        s.add(a, sign: -1)
        var only = DiscoveryStats()
        only.add(b, sign: 1)
        #expect(s == only)
    }
}
