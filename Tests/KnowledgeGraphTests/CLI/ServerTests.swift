import Foundation
import Testing

/// `kg mcp` and `kg lsp`, driven by the clients people use (the official MCP Python SDK,
/// pygls) and by hostile input.
@Suite(.serialized) struct ServerTests {
    static let clients = TempVault.repositoryRoot.appendingPathComponent("Tests/KnowledgeGraphTests/Clients").path

    /// Every file of the vault outside `.kg/`, with its bytes.
    func snapshot(_ v: TempVault) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let e = FileManager.default.enumerator(atPath: v.root)
        while let f = e?.nextObject() as? String {
            if f.hasPrefix(".kg") { continue }
            var dir: ObjCBool = false
            if FileManager.default.fileExists(atPath: v.path(f), isDirectory: &dir), !dir.boolValue {
                out[f] = try Data(contentsOf: URL(fileURLWithPath: v.path(f)))
            }
        }
        return out
    }

    @Test(ExternalTool.mcpClient.trait) func mcpServerAnswersTheOfficialClientAsTheCLIDoes() throws {
        let python = try #require(ExternalTool.mcpClient.path, "needs \(ExternalTool.mcpClient.install)")
        let kg = try #require(SmokeTests.binary(), "the kg executable was not built")
        let v = try TempVault.sample()
        #expect(try runProgram(kg, ["index", "--vault", v.root]).0 == 0)
        let before = try snapshot(v)
        let r = try runProgram(python, [Self.clients + "/mcp_client.py", kg, v.root])
        #expect(r.0 == 0, "\(r.1)\n\(r.2)")
        #expect(r.1.hasSuffix("ok\n"))
        #expect(try snapshot(v) == before)
    }

    @Test(ExternalTool.lspClient.trait) func lspServerAnswersPyglsClient() throws {
        let python = try #require(ExternalTool.lspClient.path, "needs \(ExternalTool.lspClient.install)")
        let kg = try #require(SmokeTests.binary(), "the kg executable was not built")
        let r = try runProgram(python, [Self.clients + "/lsp_client.py", kg])
        #expect(r.0 == 0, "\(r.1)\n\(r.2)")
        #expect(r.1.hasSuffix("ok\n"))
    }

    /// The JSON objects of a server's output, one a line.
    func messages(_ out: String) -> [[String: Any]] {
        out.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    func code(_ m: [String: Any]) -> Int? { (m["error"] as? [String: Any])?["code"] as? Int }

    @Test func mcpAnswersBadInputWithProtocolErrorsAndEndsWithItsInput() throws {
        let kg = try #require(SmokeTests.binary(), "the kg executable was not built")
        let v = try TempVault(files: ["a.md": "FFM 과 카카오\n"], lexicon: "concept: FFM\ncompany: 카카오\n")
        let before = try snapshot(v)
        let huge = "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"ping\",\"params\":{\"x\":\"" + String(repeating: "가", count: 2_000_000) + "\"}}"
        let input = [
            "{not json",
            #"{"jsonrpc":"2.0","id":1,"method":"tools/list"}"#,
            #"{"jsonrpc":"2.0","id":2,"method":"initialize","params":{"protocolVersion":"1999-01-01","capabilities":{}}}"#,
            #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
            #"{"jsonrpc":"2.0","id":3,"method":"resources/list"}"#,
            #"{"jsonrpc":"2.0","id":4,"method":"tools/call","params":["x"]}"#,
            huge,
            #"{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"search_notes","arguments":{"query":"카카오","limit":-3}}}"#,
            #"{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"list_entities","arguments":{"colour":"red"}}}"#,
            #"{"jsonrpc":"2.0","id":7,"method":"ping"}"#,
        ].joined(separator: "\n") + "\n"
        let r = try runProgram(kg, ["mcp", "--vault", v.root], input: input)
        #expect(r.0 == 0, "\(r.2)")
        let m = messages(r.1)
        #expect(r.1.split(separator: "\n").count == m.count, "stdout holds only protocol messages")
        func reply(_ id: Int) -> [String: Any]? { m.first { ($0["id"] as? Int) == id } }
        #expect(code(m[0]) == -32700)
        #expect(code(reply(1) ?? [:]) == -32002)
        #expect((reply(2)?["result"] as? [String: Any])?["protocolVersion"] as? String == "2025-11-25")
        #expect(code(reply(3) ?? [:]) == -32601)
        #expect(code(reply(4) ?? [:]) == -32602)
        #expect(m.contains { code($0) == -32600 && ($0["error"] as? [String: Any])?["message"].map { "\($0)" }?.contains("larger") == true })
        #expect((reply(5)?["result"] as? [String: Any])?["isError"] as? Bool == true)
        #expect((reply(6)?["result"] as? [String: Any])?["isError"] as? Bool == true)
        #expect(reply(7)?["result"] != nil)
        #expect(try snapshot(v) == before)
    }

    func framed(_ body: String) -> String { "Content-Length: \(body.utf8.count)\r\n\r\n" + body }

    @Test func lspAnswersBadInputWithProtocolErrorsAndExitsWhenItsInputEnds() throws {
        let kg = try #require(SmokeTests.binary(), "the kg executable was not built")
        let v = try TempVault(files: ["a.md": "FFM 과 카카오\n"], lexicon: "concept: FFM\ncompany: 카카오\n")
        let before = try snapshot(v)
        var input = framed(#"{"jsonrpc":"2.0","id":1,"method":"textDocument/hover","params":{}}"#)
        input += framed("{broken")
        input += "X-Nothing: 1\r\n\r\n"  // no Content-Length: skipped
        input += framed(#"{"jsonrpc":"2.0","id":2,"method":"initialize","params":{"capabilities":{}}}"#)
        input += framed(#"{"jsonrpc":"2.0","id":3,"method":"workspace/symbol","params":{"query":"x"}}"#)
        input += framed(#"{"jsonrpc":"2.0","id":4,"method":"textDocument/hover","params":{"textDocument":{"uri":"file:///etc/passwd"},"position":{"line":0,"character":0}}}"#)
        input += "Content-Length: \(17 << 20)\r\n\r\n" + String(repeating: " ", count: 17 << 20)
        input += framed(#"{"jsonrpc":"2.0","id":5,"method":"textDocument/hover","params":{"textDocument":{"uri":"file:///x.md"}}}"#)
        let r = try runProgram(kg, ["lsp", "--vault", v.root], input: input)
        // The input ended without shutdown and exit: status 1, as the protocol says, no hang.
        #expect(r.0 == 1, "\(r.2)")
        var bodies: [[String: Any]] = []
        var rest = Substring(r.1)
        while let header = rest.range(of: "\r\n\r\n") {
            let length = Int(rest[..<header.lowerBound].split(separator: " ").last ?? "") ?? 0
            let body = rest.utf8.dropFirst(rest.utf8.distance(from: rest.startIndex, to: header.upperBound)).prefix(length)
            if let m = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] { bodies.append(m) }
            rest = Substring(String(decoding: rest.utf8.dropFirst(rest.utf8.distance(from: rest.startIndex, to: header.upperBound) + length), as: UTF8.self))
        }
        func reply(_ id: Int) -> [String: Any]? { bodies.first { ($0["id"] as? Int) == id } }
        #expect(code(reply(1) ?? [:]) == -32002)
        #expect(bodies.contains { code($0) == -32700 })
        #expect(reply(2)?["result"] != nil)
        #expect(code(reply(3) ?? [:]) == -32601)
        #expect(code(reply(4) ?? [:]) == -32602)
        #expect(bodies.contains { code($0) == -32600 })
        #expect(code(reply(5) ?? [:]) == -32602)
        #expect(try snapshot(v) == before)
    }
}
