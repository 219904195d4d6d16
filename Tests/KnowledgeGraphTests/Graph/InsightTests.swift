import Foundation
import Testing

@testable import KnowledgeGraph

func jsonArray(_ text: String) throws -> [[String: Any]] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
}

func jsonObject(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
}

@Suite struct RelatednessTests {
    @Test func onTheSampleVaultFFMsModelsRankAboveMLOpsTools() throws {
        let v = try TempVault.sample()
        let r = v.kg("related", "FFM", "--json", "--limit", "0")
        #expect(r.status == 0, "\(r.err)")
        let names = try jsonArray(r.out).compactMap { $0["entity"] as? String }
        func rank(_ n: String) -> Int { names.firstIndex(of: n) ?? Int.max }
        for model in ["FM", "DeepCoNN", "CatBoost", "DCN"] {
            for tool in ["MLflow", "Airflow", "BentoML", "MLOps"] {
                #expect(rank(model) < rank(tool), "\(model) should rank above \(tool)")
            }
        }
    }

    static let files = [
        "a.md": "FFM과 FM 비교\n\nMLflow\n",
        "b.md": "FFM\n\n# 다른 절\nFM\n",
        "c.md": "FM 혼자\n", "d.md": "ML 기본\n", "e.md": "ML과 FFM\n", "f.md": "ML\n", "g.md": "ML\n",
    ]
    static let lexicon = "concept: FM\nconcept: FFM\ntool: MLflow\nconcept: ML\n"

    @Test(arguments: RelatednessMeasure.allCases)
    func everyMeasureRanksAndExplains(_ measure: RelatednessMeasure) throws {
        let v = try TempVault(files: Self.files, lexicon: Self.lexicon)
        let r = v.kg("related", "FFM", "--by", measure.rawValue, "--explain", "--json")
        #expect(r.status == 0, "\(r.err)")
        let rows = try jsonArray(r.out)
        #expect(rows.count == 3)
        for row in rows {
            for key in ["closeness", "damping", "npmi", "jaccard", "evidence"] { #expect(row[key] != nil) }
            let j = row["jaccard"] as? Double ?? -1
            #expect(j > 0 && j <= 1)
        }
        let scores = rows.compactMap { $0["score"] as? Double }
        #expect(scores == scores.sorted(by: >))
        if measure == .count { #expect(rows.first?["entity"] as? String == "FM") }  // 2 shared notes
        if measure == .proximity { #expect(rows.first?["entity"] as? String == "FM") }
    }

    @Test func badMeasureIsAUsageError() throws {
        let v = try TempVault(files: Self.files, lexicon: Self.lexicon)
        #expect(v.kg("related", "FFM", "--by", "vibes").status == 64)
    }

    @Test func relatedNoteListsItsEntitiesAndUnlinkedNotes() throws {
        let v = try TempVault(files: [
            "x.md": "LightGCN과 FFM, 그리고 LightGCN\n",
            "linked.md": "[[x]] LightGCN 이야기\n",
            "other.md": "LightGCN 실험\n",
            "far.md": "FFM 정리\n",
            "none.md": "관계 없음\n",
        ], lexicon: "concept: LightGCN\nconcept: FFM\n")
        let r = v.kg("related", "x.md", "--json")
        #expect(r.status == 0, "\(r.err)")
        let json = try jsonObject(r.out)
        let entities = (json["entities"] as? [[String: Any]])?.compactMap { $0["entity"] as? String }
        #expect(entities == ["LightGCN", "FFM"])
        let notes = (json["notes"] as? [[String: Any]])?.compactMap { $0["note"] as? String } ?? []
        #expect(notes.contains("other.md") && notes.contains("far.md"))
        #expect(!notes.contains("linked.md"))  // it already links to x
        #expect(!notes.contains("none.md"))
        #expect(v.kg("related", "missing.md").status == 1)
    }

    @Test func pathFollowsCoMentionsWithEvidence() throws {
        let v = try TempVault(files: ["a.md": "FM과 FFM\n", "b.md": "FFM과 MLflow\n", "c.md": "ML 혼자\n"], lexicon: Self.lexicon)
        let r = v.kg("path", "FM", "MLflow", "--json")
        #expect(r.status == 0, "\(r.err)")
        let json = try jsonObject(r.out)
        #expect(json["path"] as? [String] == ["FM", "FFM", "MLflow"])
        let hops = try #require(json["hops"] as? [[String: Any]])
        #expect(hops.count == 2)
        #expect(((hops[1]["evidence"] as? [[String: Any]])?.first?["text"] as? String) == "FFM과 MLflow")
        let none = v.kg("path", "FM", "ML")
        #expect(none.status == 0)
        #expect(none.err.contains("not connected"))
        #expect(v.kg("path", "FM").status == 64)
    }

    @Test func communitiesSeparateClustersDeterministically() throws {
        var files: [String: String] = [:]
        for i in 0..<4 { files["rec\(i).md"] = "FM과 FFM과 DCN \(i)\n" }
        for i in 0..<4 { files["ops\(i).md"] = "MLflow와 Airflow와 Docker \(i)\n" }
        files["bridge.md"] = "FM\n\n\n\n\n\n\n\n\n\nDocker\n"
        let lexicon = "concept: FM\nconcept: FFM\nconcept: DCN\ntool: MLflow\ntool: Airflow\ntool: Docker\n"
        let v = try TempVault(files: files, lexicon: lexicon)
        let r = v.kg("communities", "--json")
        #expect(r.status == 0, "\(r.err)")
        let groups = try jsonArray(r.out).map { g in Set((g["members"] as? [[String: Any]] ?? []).compactMap { $0["entity"] as? String }) }
        #expect(groups.count == 2)
        #expect(groups.contains(["FM", "FFM", "DCN"]))
        #expect(groups.contains(["MLflow", "Airflow", "Docker"]))
        #expect(v.kg("communities").out == v.kg("communities").out)
        let graph = try v.update().0.graph()
        let lex = try v.update().0.lexicon()
        let analysis = GraphAnalysis(graph: graph, lexicon: lex)
        let fm = lex.lookup("FM")!
        let dcn = lex.lookup("DCN")!
        #expect(analysis.betweenness[fm] > analysis.betweenness[dcn])  // FM bridges to Docker
    }
}

@Suite struct SuggestAndDoctorTests {
    @Test func suggestFindsWhatATrimmedLexiconLacks() throws {
        let v = try TempVault.sample()
        let full = try String(contentsOfFile: v.path(".kg/lexicon.txt"), encoding: .utf8)
        let trimmed = full.split(separator: "\n").filter { line in
            !["concept: DeepCoNN", "concept: CatBoost", "tool: MLflow", "concept: LightGBM"].contains { line.hasPrefix($0) }
        }.joined(separator: "\n")
        try v.write(".kg/lexicon.txt", trimmed + "\n")
        let r = v.kg("suggest", "--json", "--limit", "0")
        #expect(r.status == 0, "\(r.err)")
        let rows = try jsonArray(r.out)
        let names = rows.compactMap { ($0["name"] as? String)?.lowercased() }
        for expected in ["deepconn", "catboost", "mlflow"] { #expect(names.contains(expected), "\(expected)") }
        let first = try #require(rows.first)
        #expect((first["examples"] as? [[String: Any]])?.first?["text"] != nil)
    }

    @Test func suggestKinds() throws {
        let v = try TempVault(files: [
            "a.md": "Mflow 으로 실험, lgbm 튜닝. [[RecBole]] #추천시스템\nEDA(탐색적 데이터 분석) 먼저\n버트는 좋다\n",
            "b.md": "버트를 써봤다\n버트와 함께 FM(Factorization Machine)도\n",
        ], lexicon: "concept: LightGBM\ntool: MLflow\nconcept: FM\n")
        let rows = try jsonArray(v.kg("suggest", "--json", "--limit", "0").out)
        func row(_ name: String) -> [String: Any]? { rows.first { $0["name"] as? String == name } }
        #expect(row("Mflow")?["alias_of"] as? String == "MLflow")
        #expect(row("lgbm")?["alias_of"] as? String == "LightGBM")
        #expect((row("RecBole")?["kinds"] as? [String])?.contains("wikilink") == true)
        #expect((row("추천시스템")?["kinds"] as? [String]) == ["tag"])
        #expect((row("EDA")?["kinds"] as? [String])?.contains("definition") == true)
        #expect(row("Factorization Machine")?["alias_of"] as? String == "FM")
        #expect((row("버트")?["kinds"] as? [String]) == ["korean-word"])
    }

    @Test func acceptEditsTheLexiconKeepingCommentsAndOrder() throws {
        let lexicon = "# my lexicon\nconcept: LightGBM   \n\n# tools\ntool: MLflow\n"
        let v = try TempVault(files: ["a.md": "Mflow, lgbm, RecBole\n"], lexicon: lexicon)
        #expect(v.kg("suggest", "--accept", "Mflow", "--alias-of", "mlflow").status == 0)
        #expect(v.kg("suggest", "--accept", "RecBole", "--type", "tool").status == 0)
        let text = try String(contentsOfFile: v.path(".kg/lexicon.txt"), encoding: .utf8)
        #expect(text == "# my lexicon\nconcept: LightGBM   \n\n# tools\ntool: MLflow | Mflow\ntool: RecBole\n")
        #expect(v.kg("mentions", "MLflow").out.contains("a.md:1"))
        #expect(v.kg("suggest", "--accept", "mlflow").status == 64)  // already an entity
        #expect(v.kg("suggest", "--accept", "x", "--alias-of", "Nope").status == 1)
    }

    @Test func doctorFindsCollisionsShortNamesUnusedEntitiesAndMissingLinks() throws {
        let v = try TempVault(files: [
            "LightGCN.md": "---\nentity: concept\n---\n그래프 모델\n",
            "uses.md": "LightGCN을 썼다\n",
            "links.md": "[[LightGCN]]을 썼다\n",
        ], lexicon: "concept: FM | fm model\nconcept: FFM | fm model\ntool: tf\nconcept: Unused\n")
        let r = v.kg("doctor", "--json")
        #expect(r.status == 0)
        let json = try jsonObject(r.out)
        #expect((json["collisions"] as? [[String: Any]])?.count == 1)
        let short = (json["short_names"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
        #expect(short.contains("FM") && short.contains("tf"))
        #expect((json["unmentioned"] as? [String])?.contains("Unused") == true)
        let unlinked = (json["unlinked_mentions"] as? [[String: Any]])?.compactMap { $0["note"] as? String }
        #expect(unlinked == ["uses.md"])
    }
}
