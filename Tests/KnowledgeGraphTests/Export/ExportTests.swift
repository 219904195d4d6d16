import Foundation
import Testing

@testable import KnowledgeGraph

/// Runs a program and returns its exit status and output.
func runProgram(_ path: String, _ args: [String], input: String? = nil, cwd: String? = nil) throws -> (Int32, String, String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = args
    if let cwd { p.currentDirectoryURL = URL(fileURLWithPath: cwd) }
    let out = Pipe()
    let err = Pipe()
    let inp = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = inp
    try p.run()
    if let input { inp.fileHandleForWriting.write(Data(input.utf8)) }
    inp.fileHandleForWriting.closeFile()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

func findDot() -> String? { ExternalTool.dot.path }

@Suite struct ExportTests {
    @Test func dotQuotesAndEscapesLabels() {
        #expect(GraphExport.dotQuote("say \"hi\" \\ 카카오\n") == "\"say \\\"hi\\\" \\\\ 카카오\\n\"")
    }

    @Test(ExternalTool.dot.trait) func dotRendersWithGraphviz() throws {
        let dot = try #require(findDot(), "Graphviz's dot is needed (apt-get install graphviz)")
        let v = try TempVault.sample()
        let r = v.kg("export", "--dot")
        #expect(r.status == 0)
        #expect(r.out.hasPrefix("graph kg {"))
        #expect(r.out.contains("\"FFM\" -- ") || r.out.contains(" -- \"FFM\""))
        for format in ["svg", "png"] {
            let out = try runProgram(dot, ["-T\(format)"], input: r.out)
            #expect(out.0 == 0, "dot -T\(format): \(out.2)")
            #expect(out.2.isEmpty, "dot warnings: \(out.2)")
        }
        let svg = try runProgram(dot, ["-Tsvg"], input: r.out).1
        #expect(svg.contains("<svg") && svg.contains("카카오"))
    }

    @Test(ExternalTool.dot.trait) func awkwardNamesStillRender() throws {
        let dot = try #require(findDot(), "Graphviz's dot is needed (apt-get install graphviz)")
        let v = try TempVault(files: ["a.md": "Foo \"Bar\" 와 back\\slash 그리고 graph\n"],
            lexicon: "concept: Foo \"Bar\"\nconcept: back\\slash\nconcept: graph\n")
        let r = v.kg("export", "--dot")
        #expect(r.out.contains("\"Foo \\\"Bar\\\"\""))
        let out = try runProgram(dot, ["-Tsvg"], input: r.out)
        #expect(out.0 == 0, "\(out.2)")
    }

    @Test func filtersSelectNodes() throws {
        let v = try TempVault.sample()
        let company = v.kg("export", "--json", "--type", "company").out
        #expect(company.contains("\"type\": \"company\""))
        #expect(!company.contains("\"type\": \"concept\""))
        let around = v.kg("export", "--json", "--around", "LightGCN", "--depth", "1").out
        let data = try JSONSerialization.jsonObject(with: Data(around.utf8)) as? [String: Any]
        let nodes = (data?["nodes"] as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? []
        #expect(nodes.contains("LightGCN"))
        #expect(!nodes.contains("스캐터랩"))
        let many = v.kg("export", "--json", "--min-notes", "3").out
        #expect(!many.contains("\"LightGCN\""))
    }
}

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Collects GraphML keys and the keys its data elements use.
final class GraphMLChecker: NSObject, XMLParserDelegate {
    var declared = Set<String>()
    var used = Set<String>()
    var nodes = 0
    var edges = 0
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch name {
        case "key": if let id = attributes["id"], attributes["attr.type"] != nil { declared.insert(id) }
        case "data": if let k = attributes["key"] { used.insert(k) }
        case "node": nodes += 1
        case "edge": edges += 1
        default: break
        }
    }
}

@Suite struct ExportFormatTests {
    @Test func graphMLIsWellFormedWithDeclaredTypedKeys() throws {
        let v = try TempVault.sample()
        let r = v.kg("export", "--graphml")
        #expect(r.status == 0)
        let parser = XMLParser(data: Data(r.out.utf8))
        let checker = GraphMLChecker()
        parser.delegate = checker
        #expect(parser.parse(), "GraphML is not well-formed: \(String(describing: parser.parserError))")
        #expect(checker.nodes > 50 && checker.edges > 100)
        #expect(checker.used.isSubset(of: checker.declared))
        #expect(checker.declared.contains("n_mentions") && checker.declared.contains("e_weight"))
    }

    @Test func graphMLEscapesAwkwardNames() throws {
        let v = try TempVault(files: ["a.md": "R&D 와 <b> 그리고 \"q\"\n"], lexicon: "concept: R&D\nconcept: <b>\nconcept: \"q\"\n")
        let out = v.kg("export", "--graphml").out
        #expect(XMLParser(data: Data(out.utf8)).parse())
        #expect(out.contains("R&amp;D") && out.contains("&lt;b&gt;"))
    }

    @Test func mermaidIsAGraphBlock() throws {
        let v = try TempVault(files: ["a.md": "FM과 \"FFM\"\n"], lexicon: "concept: FM\nconcept: \"FFM\"\n")
        let out = v.kg("export", "--mermaid").out
        #expect(out.hasPrefix("```mermaid\ngraph LR\n"))
        #expect(out.hasSuffix("```\n"))
        #expect(out.contains("[\"#quot;FFM#quot;\"]"))
        #expect(out.contains(" ---|1| "))
        #expect(out.contains("classDef t_concept"))
    }

    @Test func htmlPageIsSelfContained() throws {
        let v = try TempVault.sample()
        let out = v.kg("export", "--html").out
        #expect(out.hasPrefix("<!DOCTYPE html>"))
        #expect(!out.contains("<script src") && !out.contains("<link") && !out.contains("@import"))
        #expect(out.contains("id=\"search\"") && out.contains("id=\"type\"") && out.contains("id=\"drawn\""))
        #expect(out.contains("\"evidence\":[{\"note\":"))
        #expect(!out.contains("</script>\",") )  // data cannot close its script element
    }

    @Test(ExternalTool.dot.trait) func communitiesRenderAsClustersWithGraphviz() throws {
        let dot = try #require(findDot(), "Graphviz's dot is needed (apt-get install graphviz)")
        let v = try TempVault.sample()
        let r = v.kg("export", "--dot", "--communities", "--size", "betweenness", "--top", "40")
        #expect(r.out.contains("subgraph cluster_0 {"))
        for format in ["svg", "png"] {
            let out = try runProgram(dot, ["-T\(format)"], input: r.out)
            #expect(out.0 == 0, "\(out.2)")
        }
    }

    @Test func everyFormatIsByteIdenticalAcrossRebuilds() throws {
        let v = try TempVault.sample()
        let formats = [["--dot"], ["--json"], ["--graphml"], ["--mermaid"], ["--html"], ["--dot", "--communities"]]
        let first = formats.map { v.kg(["export"] + $0).out }
        try FileManager.default.removeItem(atPath: v.path(".kg/index"))
        let second = formats.map { v.kg(["export"] + $0).out }
        #expect(first == second)
    }

    @Test func topAndExcludeFilter() throws {
        let v = try TempVault.sample()
        let top = try jsonObject(v.kg("export", "--json", "--top", "5").out)
        #expect((top["nodes"] as? [[String: Any]])?.count == 5)
        let ex = v.kg("export", "--json", "--exclude", "머신러닝,AI", "--exclude", "FFM").out
        #expect(!ex.contains("\"id\": \"머신러닝\"") && !ex.contains("\"id\": \"AI\"") && !ex.contains("\"id\": \"FFM\""))
        #expect(v.kg("export", "--dot", "--json").status == 64)
        #expect(v.kg("export", "--size", "huge").status == 64)
    }
}
