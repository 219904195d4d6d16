import Foundation
import Testing

@testable import KnowledgeGraph

/// Discovery in a vault, as a user meets it.
@Suite struct DiscoveryVaultTests {
    static let notes = [
        "a.md": "# 추천 모델\nFFM 은 FM 에서 왔다. LightGCN 과 FFM 을 비교했다.\n카카오에서 FFM 을 쓴다고 한다.\n",
        "b.md": "FFM 과 FM 의 차이. LightGCN 은 그래프.\n카카오의 추천팀, 카카오를 보니\n",
        "c.md": "Airflow 로 돌리고 MLflow 로 관리. 카카오와 네이버\n",
        "d.md": "MLflow 와 Airflow 를 비교. 네이버의 검색, 네이버에서\n",
    ]

    @Test func aVaultWithoutALexiconHasAGraph() throws {
        let v = try TempVault(files: Self.notes)
        let related = v.kg("related", "FFM")
        #expect(related.status == 0, "\(related.err)")
        #expect(related.out.contains(". FM (concept)") && related.out.contains(". LightGCN (concept)"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(v.kg("entities", "--json", "--limit", "0").out.utf8)) as? [[String: Any]])
        let kakao = try #require(json.first { $0["name"] as? String == "카카오" })
        #expect(kakao["source"] as? String == "discovered")
        #expect(kakao["type"] as? String == "company")
        #expect((kakao["confidence"] as? Double ?? 0) >= 0.5)
        #expect((kakao["signals"] as? [String])?.contains("before-particles") == true)
        #expect(v.kg("entities").out.contains("FFM (concept, discovered "))
        #expect(v.kg("stats").out.contains("discovered entities: "))
        #expect(v.kg("export", "--dot").out.contains("\"FFM\" -- ") || v.kg("export", "--dot").out.contains(" -- \"FFM\""))
    }

    @Test func aDiscoveredNameNeverMentionedOnItsOwnIsNotListed() throws {
        // `포레스트` is found (before particles, alone, in seven notes) but every occurrence is
        // inside `랜덤 포레스트`.
        var files: [String: String] = [:]
        for i in 1...2 { files["n\(i).md"] = "랜덤 포레스트로 학습했다. 랜덤 포레스트를 보고 랜덤 포레스트의 트리와 랜덤 포레스트가 좋다\n" }
        for i in 3...7 { files["n\(i).md"] = "- 랜덤 포레스트 재현하기\n" }
        let v = try TempVault(files: files)
        let listed = v.kg("entities", "--json", "--limit", "0").out
        let json = try #require(try JSONSerialization.jsonObject(with: Data(listed.utf8)) as? [[String: Any]])
        #expect(json.map { $0["name"] as? String } == ["랜덤 포레스트"])
        #expect(v.kg("stats").out.contains("discovered entities: 2"))
    }

    @Test func aLexiconKeepsDiscoveryOffUnlessItSaysOn() throws {
        let off = try TempVault(files: Self.notes, lexicon: "concept: FFM\n")
        #expect(off.kg("entities", "--limit", "0").out == "FFM (concept)  4 mentions in 2 notes\n")
        let on = try TempVault(files: Self.notes, lexicon: "discover: on\nconcept: FFM\n")
        let entities = on.kg("entities", "--limit", "0").out
        #expect(entities.hasPrefix("FFM (concept)  4 mentions"))  // the lexicon's, not discovered
        #expect(entities.contains("LightGCN (concept, discovered"))
    }

    @Test func rejectAndAcceptCorrectDiscoveryAndKeepItOn() throws {
        let v = try TempVault(files: Self.notes)
        #expect(v.kg("entities", "--limit", "0").out.contains("Airflow"))
        let r = v.kg("suggest", "--reject", "Airflow")
        #expect(r.status == 0, "\(r.err)")
        #expect(!v.kg("entities", "--limit", "0").out.contains("Airflow"))
        #expect(v.kg("mentions", "Airflow").status == 1)
        let accepted = v.kg("suggest", "--accept", "LightGCN", "--type", "model")
        #expect(accepted.status == 0, "\(accepted.err)")
        let lexicon = try String(contentsOfFile: v.path(".kg/lexicon.txt"), encoding: .utf8)
        #expect(lexicon.contains("discover: on\n") && lexicon.contains("reject: Airflow\n") && lexicon.hasSuffix("model: LightGCN\n"))
        let entities = v.kg("entities", "--limit", "0").out
        #expect(entities.contains("LightGCN (model)  "))  // now the lexicon's
        #expect(entities.contains("(concept, discovered"))  // discovery still on
        let unknown = v.kg("suggest", "--reject", "Nonexistent")
        #expect(unknown.status == 0 && unknown.err.contains("kg: warning: "))
    }

    @Test func acceptingANameOfAJoinedEntityKeepsItWhole() throws {
        let files = ["a.md": "Docker 를 쓴다. Docker 로 배포\n", "b.md": "도커는 좋다. 도커를 설치했다\nDocker 이미지\n", "c.md": "Docker 와 도커\n"]
        for asked in ["도커", "docker"] {
            let v = try TempVault(files: files)
            #expect(v.kg("entities", "--limit", "0").out.contains("Docker (tool, discovered"))
            let r = v.kg("suggest", "--accept", asked)
            #expect(r.status == 0, "\(r.err)")
            #expect(r.out == (asked == "도커" ? "added '도커' as an alias of Docker in .kg/lexicon.txt\n" : "added tool: Docker | 도커 to .kg/lexicon.txt\n"))
            let lexicon = try String(contentsOfFile: v.path(".kg/lexicon.txt"), encoding: .utf8)
            #expect(lexicon.hasSuffix("discover: on\ntool: Docker | 도커\n"), "\(lexicon)")
            let entities = v.kg("entities", "--limit", "0").out
            #expect(entities.contains("Docker (tool)  7 mentions in 3 notes  aka 도커"), "\(entities)")
            #expect(!entities.contains("\n도커 ("))
        }
    }

    @Test func aRefreshThatChangesNothingKeepsTheStatisticsWithAnUnusedReject() throws {
        // The warning about the unused `reject:` is part of the lexicon: a refresh that finds
        // no change must give the same lexicon, and so write nothing.
        let v = try TempVault(files: Self.notes, lexicon: "discover: on\nreject: 없는이름\n")
        let (first, _) = try v.update()
        let stats = try #require(try first.discoveryStats())
        #expect(!stats.entries.isEmpty)
        let (again, report) = try v.update()
        #expect(report.unchanged == Self.notes.count && report.rebuildReason == nil)
        #expect(try again.discoveryStats() == stats)
    }

    @Test func aTypoInTheSwitchIsReportedWithItsLine() throws {
        let v = try TempVault(files: Self.notes, lexicon: "concept: FFM\ndiscovr: on\n")
        let r = v.kg("index")
        #expect(r.err.contains(".kg/lexicon.txt:2: 'discovr:' is not a setting; did you mean 'discover: on'?"))
        #expect(v.kg("doctor").out.contains(".kg/lexicon.txt:2:"))
    }

    @Test(arguments: [
        ["a.md": "```\ncode only FFM LightGCN\n```\n", "b.md": "```python\nimport torch\n```\n"],
        ["a.md": "only English words here, nothing special.\n", "b.md": "More English. Kafka and Spark maybe.\n"],
        ["a.md": "한글만 있는 노트입니다\n", "b.md": "카카오의 카카오를 카카오와\n"],
        ["a.md": "", "b.md": "\n\n\n"],
    ])
    func oddVaultsStillIndex(_ files: [String: String]) throws {
        let v = try TempVault(files: files)
        let r = v.kg("index")
        #expect(r.status == 0, "\(r.err)")
        #expect(v.kg("entities", "--limit", "0").status == 0)
    }
}
