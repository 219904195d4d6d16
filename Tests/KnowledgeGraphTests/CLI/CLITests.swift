import Foundation
import Testing

@testable import KnowledgeGraph
@testable import KnowledgeGraphCLI

@Suite struct CLITests {
    static let lexicon = "concept: FM\nconcept: FFM\ntool: MLflow\ncompany: 카카오 | Kakao\n"
    static let files = ["a.md": "FM과 FFM\n카카오에서 MLflow\n", "sub/b.md": "FFM은 FM에서\n"]

    func run(_ args: [String], env: [String: String] = [:], cwd: String) -> (Int32, String, String) {
        runCLI(args, env: env, cwd: cwd)
    }

    @Test func missingVaultExits66() throws {
        let r = run(["stats", "--vault", "/nonexistent/kg-vault"], cwd: "/")
        #expect(r.0 == 66)
        #expect(r.2.hasPrefix("kg: error: vault not found: /nonexistent/kg-vault (given with --vault); "))
        #expect(r.2.contains("--vault ."))
    }

    @Test func vaultThatIsAFileExits66() throws {
        let v = try TempVault(files: ["note.md": "x"])
        let r = run(["stats", "--vault", v.path("note.md")], cwd: "/")
        #expect(r.0 == 66)
        #expect(r.2.contains("not a folder"))
    }

    @Test(arguments: [["frobnicate"], ["search", "--bogus", "x"], ["search"], ["related"], ["search", "x", "--limit", "many"],
        ["index", "--type", "concept"], ["search", "--limit"]])
    func usageErrorsExit64(_ args: [String]) throws {
        let v = try TempVault(files: Self.files, lexicon: Self.lexicon)
        let r = v.kg(args)
        #expect(r.status == 64, "\(args)")
        #expect(r.err.hasPrefix("kg: error: "))
        #expect(r.out.isEmpty)
    }

    @Test(arguments: ["index", "search", "related", "mentions", "entities", "export", "stats", "watch", "path", "communities", "suggest", "doctor"])
    func everyCommandHasHelp(_ command: String) throws {
        let r = run([command, "--help"], cwd: "/")
        #expect(r.0 == 0)
        #expect(r.1.hasPrefix("Usage: kg \(command)"))
    }

    @Test func versionAndMainHelp() {
        #expect(run(["--version"], cwd: "/").1.hasPrefix("kg "))
        #expect(run(["--help"], cwd: "/").1.contains("Commands (and the options each takes"))
        #expect(run([], cwd: "/").0 == 64)
    }

    @Test func vaultComesFromEnvironmentOrNearestDotKgOrDotSlashVault() throws {
        let v = try TempVault(files: Self.files, lexicon: Self.lexicon)
        #expect(run(["stats"], env: ["KG_VAULT": v.root], cwd: "/").0 == 0)
        #expect(run(["stats"], cwd: v.path("sub")).0 == 0)
        let parent = try TempVault()
        try FileManager.default.createSymbolicLink(atPath: parent.path("vault"), withDestinationPath: v.root)
        #expect(run(["stats"], cwd: parent.root).0 == 0)
    }

    @Test func optionsMayFollowArgumentsAndDoubleDashEndsThem() throws {
        let v = try TempVault(files: ["a.md": "-x 옵션 FM\n"], lexicon: Self.lexicon)
        let r1 = run(["search", "FM", "--vault", v.root, "--json"], cwd: "/")
        #expect(r1.0 == 0 && r1.1.contains("\"note\": \"a.md\""))
        let r2 = run(["--vault", v.root, "search", "--", "-없는말", "FM"], cwd: "/")
        #expect(r2.0 == 0 && r2.1.contains("a.md"))
    }

    @Test func indexReportsWhatChanged() throws {
        let v = try TempVault(files: Self.files, lexicon: Self.lexicon)
        let first = v.kg("index")
        #expect(first.status == 0)
        #expect(first.out.contains("added: 2"))
        try v.write("a.md", "FM only\n")
        try v.write("c.md", "새 노트\n")
        try v.remove("sub/b.md")
        try v.write("bin.md", bytes: [0x41, 0x00])
        let r = v.kg("index", "--json")
        #expect(r.out.contains("\"added\": [\n    \"c.md\"\n  ]"))
        #expect(r.out.contains("\"changed\": [\n    \"a.md\"\n  ]"))
        #expect(r.out.contains("\"removed\": [\n    \"sub/b.md\"\n  ]"))
        #expect(r.out.contains("\"reason\": \"binary file (NUL byte at offset 1)\""))
        #expect(r.out.contains("\"analyzed\": 2"))
    }

    @Test func everyMentionIsWrittenAsItIsReadAndMatchesTheList() throws {
        let v = try TempVault.sample()
        let list = try KnowledgeBase(vault: Vault(root: v.root)).mentions(limit: Int.max)
        #expect(list.total > 200 && list.mentions.count == list.total)
        // The streamed JSON is the list's JSON to the byte, and the text has a line each.
        let json = v.kg("mentions", "--json", "--limit", "0")
        #expect(json.status == 0 && json.out == list.json.rendered() + "\n")
        let text = v.kg("mentions", "--limit", "0")
        #expect(text.out.split(separator: "\n").count == list.total && !text.err.contains("more"))
        // Cut at a limit: the total is still told.
        let few = v.kg("mentions", "FFM", "--limit", "3")
        #expect(few.out.split(separator: "\n").count == 3 && few.err.contains("more mentions"))
        let empty = JSON.ArrayWriter()
        #expect(empty.end() == JSON.array([]).rendered())
        let items: [JSON] = [.int(1), .object([("a", .array([.string("b")]))])]
        var writer = JSON.ArrayWriter()
        #expect(items.map { writer.item($0) }.joined() + writer.end() == JSON.array(items).rendered())
    }

    @Test func jsonShapes() throws {
        let v = try TempVault(files: Self.files, lexicon: Self.lexicon)
        func parse(_ args: String...) throws -> Any {
            let r = v.kg(args)
            #expect(r.status == 0, "\(args): \(r.err)")
            return try JSONSerialization.jsonObject(with: Data(r.out.utf8))
        }
        let search = try #require(try parse("search", "FFM", "--json") as? [[String: Any]])
        #expect(Set(search[0].keys) == ["note", "score", "matches"])
        #expect(Set(try #require((search[0]["matches"] as? [[String: Any]])?.first).keys) == ["line", "column", "text"])
        let related = try #require(try parse("related", "FFM", "--json") as? [[String: Any]])
        #expect(Set(related[0].keys) == ["entity", "type", "score", "notes", "sections", "evidence"])
        #expect(Set(try #require((related[0]["evidence"] as? [[String: Any]])?.first).keys) == ["note", "line", "text"])
        let mentions = try #require(try parse("mentions", "kakao", "--json") as? [[String: Any]])
        #expect(mentions.count == 1)
        #expect(mentions[0]["entity"] as? String == "카카오")
        #expect(mentions[0]["text"] as? String == "카카오")
        #expect(mentions[0]["line"] as? Int == 2)
        #expect(Set(mentions[0].keys) == ["note", "line", "column", "entity", "type", "text"])
        let entities = try #require(try parse("entities", "--json") as? [[String: Any]])
        #expect(Set(entities[0].keys) == ["name", "type", "aliases", "mentions", "notes", "source", "confidence", "signals", "link_only"])
        let export = try #require(try parse("export", "--json") as? [String: Any])
        let nodes = try #require(export["nodes"] as? [[String: Any]])
        let edges = try #require(export["edges"] as? [[String: Any]])
        #expect(Set(nodes[0].keys).isSuperset(of: ["id", "label", "type", "mentions", "notes"]))
        #expect(Set(edges[0].keys) == ["source", "target", "notes", "sections", "weight"])
        let stats = try #require(try parse("stats", "--json") as? [String: Any])
        #expect(stats["notes"] as? Int == 2)
        #expect(stats["edges"] as? Int == 6)
    }

    @Test func limitCapsResultsAndZeroMeansAll() throws {
        var files: [String: String] = [:]
        for i in 0..<15 { files["n\(i).md"] = "FM \(i)\n" }
        let v = try TempVault(files: files, lexicon: Self.lexicon)
        func count(_ args: String...) -> Int { v.kg(args).out.components(separatedBy: "\"note\"").count - 1 }
        #expect(count("search", "FM", "--json") == 10)
        #expect(count("search", "FM", "--json", "--limit", "3") == 3)
        #expect(count("search", "FM", "--json", "--limit", "0") == 15)
    }

    @Test func outputIsByteIdenticalAcrossRuns() throws {
        let v = try TempVault(files: Self.files, lexicon: Self.lexicon)
        let a = v.kg("export", "--dot").out + v.kg("related", "FM").out + v.kg("mentions").out
        try FileManager.default.removeItem(atPath: v.path(".kg/index"))
        let b = v.kg("export", "--dot").out + v.kg("related", "FM").out + v.kg("mentions").out
        #expect(a == b)
    }

    @Test func noRefreshDoesNotSeeNewFiles() throws {
        let v = try TempVault(files: Self.files, lexicon: Self.lexicon)
        #expect(v.kg("index").status == 0)
        try v.write("new.md", "MLflow 새로\n")
        #expect(!v.kg("search", "새로", "--no-refresh").out.contains("new.md"))
        #expect(v.kg("search", "새로").out.contains("new.md"))
    }
}
