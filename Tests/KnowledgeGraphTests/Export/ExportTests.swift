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

func findDot() -> String? {
    ["/usr/bin/dot", "/usr/local/bin/dot", "/opt/homebrew/bin/dot"].first { FileManager.default.isExecutableFile(atPath: $0) }
}

@Suite struct ExportTests {
    @Test func dotQuotesAndEscapesLabels() {
        #expect(GraphExport.dotQuote("say \"hi\" \\ 카카오\n") == "\"say \\\"hi\\\" \\\\ 카카오\\n\"")
    }

    @Test func dotRendersWithGraphviz() throws {
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

    @Test func awkwardNamesStillRender() throws {
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
