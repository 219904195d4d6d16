import Foundation
import Testing

@testable import KnowledgeGraph
@testable import KnowledgeGraphCLI

/// A newcomer's first ten minutes: safe defaults, clear messages, consistent output.
@Suite struct NewcomerTests {
    static let lexicon = "concept: FM\nconcept: FFM\ntool: MLflow\ncompany: 카카오 | Kakao\ncompany: 카카오엔터테인먼트 | 카카오 엔터\n"
    static let files = ["a.md": "FM과 FFM\n카카오에서 MLflow\n", "sub/b.md": "FFM은 FM에서\n## 카카오 엔터\n"]

    func run(_ args: [String], env: [String: String] = [:], cwd: String) -> (Int32, String, String) {
        runCLI(args, env: env, cwd: cwd)
    }

    @Test func anEmptyVaultIsAUsageErrorNotTheCurrentFolder() throws {
        let v = try TempVault(files: Self.files)
        let r = run(["stats", "--vault", ""], cwd: v.root)
        #expect(r.0 == 64)
        #expect(r.2.contains("--vault ."))
        #expect(!FileManager.default.fileExists(atPath: v.path(".kg")))
    }

    @Test func aLongLineIsShownAroundItsMatchAndWholeInJSON() throws {
        let line = String(repeating: "앞부분 ", count: 120) + "찾는말 여기" + String(repeating: " 뒷부분", count: 120)
        let v = try TempVault(files: ["long.md": "# 제목\n" + line + "\n"])
        let text = v.kg("search", "찾는말").out
        let shown = try #require(text.split(separator: "\n").first { $0.hasPrefix("long.md:2: ") })
        #expect(shown.contains("찾는말"))
        #expect(shown.hasPrefix("long.md:2: …") && shown.hasSuffix("…"))
        #expect(shown.count < 200)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(v.kg("search", "찾는말", "--json").out.utf8)) as? [[String: Any]])
        let match = try #require((json.first?["matches"] as? [[String: Any]])?.first)
        #expect(match["text"] as? String == line)
        #expect(match["column"] as? Int == 120 * 4 + 1)
    }

    @Test func allLinesShowsEveryMatchingLine() throws {
        let v = try TempVault(files: ["n.md": (1...8).map { "면접 \($0)" }.joined(separator: "\n") + "\n"])
        #expect(v.kg("search", "면접").out.split(separator: "\n").filter { $0.hasPrefix("n.md:") }.count == 5)
        #expect(v.kg("search", "면접").out.contains("(3 more lines; --all-lines shows them)"))
        #expect(v.kg("search", "면접", "--all-lines").out.split(separator: "\n").filter { $0.hasPrefix("n.md:") }.count == 8)
    }

    @Test(arguments: [("카카오엔터", "sub/b.md"), ("\"카카오 엔터\"", "sub/b.md"), ("카카오에서MLflow", "a.md"), ("FFM은FM에서", "sub/b.md")])
    func aSpaceNextToHangulIsOptionalInSearch(_ query: String, _ note: String) throws {
        let v = try TempVault(files: Self.files.merging(["c.md": "카카오엔 다른 말\n"]) { a, _ in a }, lexicon: Self.lexicon)
        let r = v.kg("search", query, "--json")
        #expect(r.out.contains("\"note\": \"\(note)\""), "\(query): \(r.out) \(r.err)")
    }

    @Test func spacedQueriesFindUnspacedText() throws {
        let v = try TempVault(files: ["x.md": "추천시스템 설계\n", "y.md": "추천 시스템 설계\n", "z.md": "추천 그리고 시스템\n"])
        for q in ["\"추천 시스템\"", "추천시스템", "\"추천시스템 설계\""] {
            let notes = v.kg("search", q, "--json").out
            #expect(notes.contains("x.md") && notes.contains("y.md") && !notes.contains("z.md"), "\(q)")
        }
    }

    @Test func typesThatSelectNothingSaySo() throws {
        let v = try TempVault(files: Self.files, lexicon: Self.lexicon)
        let wrong = v.kg("mentions", "FFM", "--type", "company")
        #expect(wrong.status == 64)
        #expect(wrong.err.contains("FFM is a concept"))
        for args in [["entities", "--type", "entities"], ["related", "FM", "--type", "related"], ["export", "--type", "export"],
            ["mentions", "--type", "x"]]
        {
            let r = v.kg(args)
            #expect(r.status == 64, "\(args)")
            #expect(r.err.contains("types here: company, concept, tool"), "\(args): \(r.err)")
        }
    }

    @Test(arguments: [
        ["stats", "extra"], ["index", "--rebuild", "now"], ["related", "a.md", "--by", "count"], ["related", "a.md", "--explain"],
        ["related", "a.md", "--type", "concept"], ["suggest", "--type", "company"], ["suggest", "FFM", "--limit", "3"],
        ["export", "--mermaid", "--communities"], ["export", "--depth", "2"], ["export", "--json", "--size", "degree"],
        ["stats", "--limit", "3"], ["path", "FM"], ["doctor", "now"],
    ])
    func ignoredArgumentsAreUsageErrors(_ args: [String]) throws {
        let v = try TempVault(files: Self.files, lexicon: Self.lexicon)
        let r = v.kg(args)
        #expect(r.status == 64, "\(args): \(r.err)")
        #expect(r.err.hasPrefix("kg: error: "))
        #expect(r.out.isEmpty)
    }

    @Test func acceptTakesSeveralNamesAndAnswersInJSON() throws {
        let v = try TempVault(files: Self.files, lexicon: Self.lexicon)
        let r = v.kg("suggest", "--accept", "LightGCN", "--accept", "DeepFM", "NCF", "--json")
        #expect(r.status == 0, "\(r.err)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        #expect((json["added"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["LightGCN", "DeepFM", "NCF"])
        let lexicon = try String(contentsOfFile: v.path(".kg/lexicon.txt"), encoding: .utf8)
        #expect(lexicon.hasSuffix("concept: LightGCN\nconcept: DeepFM\nconcept: NCF\n"))
    }

    @Test func indexAndStatsCountTheSameSkippedFiles() throws {
        let v = try TempVault(files: Self.files, lexicon: Self.lexicon)
        try v.write("bin.md", bytes: [0x46, 0x00])
        try FileManager.default.createSymbolicLink(atPath: v.path("link.md"), withDestinationPath: v.path("a.md"))
        #expect(v.kg("index").out.contains("skipped: 2"))
        #expect(v.kg("stats").out.contains("skipped: 2"))
        // And nothing is rewritten when nothing changed.
        #expect(v.kg("index").out.contains("(index already up to date)"))
    }

    @Test func aNoteMayBeNamedFromTheCurrentFolderOrByNameUnlessTwoShareIt() throws {
        let v = try TempVault(files: Self.files.merging(["other/b.md": "FM\n"]) { a, _ in a }, lexicon: Self.lexicon)
        let parent = URL(fileURLWithPath: v.root).deletingLastPathComponent().path
        let folder = URL(fileURLWithPath: v.root).lastPathComponent
        let fromHere = run(["related", folder + "/sub/b.md", "--vault", v.root], cwd: parent)
        #expect(fromHere.0 == 0, "\(fromHere.2)")
        #expect(fromHere.1.hasPrefix("sub/b.md is about:"))
        #expect(v.kg("related", "a.md").out.hasPrefix("a.md is about:"))
        let twice = v.kg("related", "b.md")
        #expect(twice.status == 64)
        #expect(twice.err.contains("other/b.md") && twice.err.contains("sub/b.md"))
    }

    @Test func anEmptyGraphSaysWhyAndWhatToDo() throws {
        // A lexicon without entities or `discover: on`: discovery is off.
        let off = try TempVault(files: Self.files, lexicon: "# nothing yet\n")
        for args in [["entities"], ["export"], ["communities"], ["doctor"]] {
            let r = off.kg(args)
            #expect(r.status == 0, "\(args)")
            #expect(r.err.contains("kg: note: the graph is empty") && r.err.contains("kg suggest"), "\(args): \(r.err)")
            #expect(r.err.contains("discovery is off (add 'discover: on'"), "\(args): \(r.err)")
        }
        // No lexicon, and nothing to discover.
        let plain = try TempVault(files: ["a.md": "오늘은 날씨가 좋다\n"])
        #expect(plain.kg("entities").err.contains("discovery found none"))
    }

    @Test func everyMessageOnStderrCarriesItsKind() throws {
        let v = try TempVault(files: Self.files, lexicon: Self.lexicon + "bad line without a colon\n")
        var all = ""
        for args in [["index"], ["search", "없는말"], ["search", "*", "FM"], ["mentions", "--limit", "1"], ["path", "FM", "MLflow"],
            ["related", "FMM"], ["export"], ["entities", "--limit", "1"], ["suggest", "--limit", "1"], ["frobnicate"]]
        {
            all += v.kg(args).err
        }
        try v.write(".kg/index", "junk")
        all += v.kg("stats").err
        let lines = all.split(separator: "\n")
        #expect(lines.count >= 8)
        for line in lines {
            #expect(line.hasPrefix("kg: error: ") || line.hasPrefix("kg: warning: ") || line.hasPrefix("kg: note: "), "\(line)")
        }
    }

    @Test func oneIsSingular() throws {
        let v = try TempVault(files: ["a.md": "MLflow 하나\n"], lexicon: Self.lexicon)
        #expect(v.kg("index").out.contains("read 1 note in"))
        #expect(v.kg("entities", "--limit", "1").out.contains("MLflow (tool)  1 mention in 1 note"))
        #expect(v.kg("export", "--dot").out.contains("tool: 1 mention in 1 note"))
    }

    @Test func misspelledCommandsAndOptionsGetHelp() throws {
        let v = try TempVault(files: Self.files, lexicon: Self.lexicon)
        #expect(v.kg("serach", "FM").err.contains("did you mean search?"))
        let option = v.kg("search", "FM", "--limt", "3")
        #expect(option.err.contains("did you mean --limit?") && option.err.contains("--all-lines"))
        let empty = v.kg("related", "")
        #expect(empty.status == 64 && empty.err.contains("empty"))
        let huge = v.kg("related", String(repeating: "가", count: 100_000))
        #expect(huge.status == 1 && huge.err.count < 200)
        let hugeCommand = v.kg(String(repeating: "x", count: 100_000))
        #expect(hugeCommand.status == 64 && hugeCommand.err.count < 200)
    }

    @Test func doctorGivesLexiconErrorsAndCollisionsWithTheirLines() throws {
        let lexicon = "concept: FM | Factorization Machine\nthis line has no type\ntool: MLflow | FM\nconcept: FFM\n"
        let v = try TempVault(files: Self.files, lexicon: lexicon)
        let text = v.kg("doctor").out
        #expect(text.contains("Lexicon lines kg cannot read (1):\n  .kg/lexicon.txt:2: expected"))
        #expect(text.contains("Names that collide (1):\n  .kg/lexicon.txt:3: alias 'FM' of MLflow also names FM"))
    }

    @Test func footersGoToStderrAndColumnsTellMentionsApart() throws {
        let v = try TempVault(files: ["a.md": "FM 과 FM 그리고 FM\n"], lexicon: Self.lexicon)
        let r = v.kg("mentions", "FM", "--limit", "2")
        #expect(r.out == "a.md:1:1: FM 과 FM 그리고 FM\na.md:1:6: FM 과 FM 그리고 FM\n")
        #expect(r.err == "kg: note: 1 more mention; --limit 0 shows all\n")
    }

    @Test func defaultPicturesKeepTheStrongestEdgesWithALegend() throws {
        let v = try TempVault.sample()
        let dot = v.kg("export")
        let edges = dot.out.components(separatedBy: " -- ").count - 1
        #expect(edges > 0 && edges < 500)
        #expect(dot.err.contains("exported 110 entities and \(edges) of 2191 edges"))
        #expect(dot.out.contains("fontname=\"Noto Sans CJK KR\""))
        #expect(dot.out.contains("<td bgcolor=\"#f4a261\">company (box)</td>"))
        let all = v.kg("export", "--all-edges")
        #expect(all.out.components(separatedBy: " -- ").count - 1 == 2191)
        let mermaid = v.kg("export", "--mermaid", "--top", "40")
        #expect(mermaid.out.components(separatedBy: "---|").count - 1 < 410)
    }

    @Test func aLargeFirstBuildSaysWhatItIndexes() throws {
        let v = try TempVault(files: Self.files)
        var options = Indexer.Options()
        options.largeFirstBuild = 1
        let notes = Collector()
        _ = try Indexer(vault: Vault(root: v.root)).update(options, notice: { notes.append($0) })
        #expect(notes.text.contains("indexing 2 notes in \(v.root) for the first time"))
    }

    /// A watcher's line for an update that changed no note still says what happened.
    @Test func aWatcherLineAlwaysSaysWhatHappened() {
        var report = IndexReport()
        report.unchanged = 5
        #expect(WatchCommand.updateLine(report, json: false).hasSuffix("  up to date, 5 unchanged in 0 ms"))
        report.changed = ["a.md"]
        #expect(WatchCommand.updateLine(report, json: false).hasSuffix("  1 changed in 0 ms: a.md"))
    }
}
