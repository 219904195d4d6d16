import Foundation
import KnowledgeGraph

/// `kg mcp`: a Model Context Protocol server over stdio. One JSON-RPC message a line on
/// stdin, answers on stdout, logs on stderr; it ends when stdin closes. Every tool is
/// read-only and asks the library what the CLI asks it: a tool's `structuredContent` is the
/// CLI's `--json` answer to the same question (a list wrapped as `{"results": [...]}`).
final class MCPServer {
    /// Protocol versions kg speaks, oldest first; a client asking for another gets the latest.
    static let versions = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"]
    /// Longest message read (a longer line is answered with an error and skipped).
    static let messageLimit = 4 << 20
    /// Longest query or name accepted in arguments.
    static let textLimit = 10_000
    /// Most results a tool returns, whatever `limit` asks.
    static let resultLimit = 1000

    let kb: KnowledgeBase
    private let log: @Sendable (String) -> Void
    private var initialized = false
    private var output: OutputWriter

    init(kb: KnowledgeBase, output: Int32 = 1, log: @escaping @Sendable (String) -> Void) {
        self.kb = kb
        self.output = OutputWriter(fd: output)
        self.log = log
    }

    /// Serves until the input ends or the output is closed.
    func run(input: Int32 = 0) {
        let watcher = BackgroundWatcher(kb: kb, log: log)
        defer { watcher.stop() }
        var reader = InputReader(fd: input)
        while !output.broken, let line = reader.line(limit: MCPServer.messageLimit) {
            switch line {
            case .tooLong:
                send(RPC.error(id: .null, code: RPC.invalidRequest, "message larger than \(MCPServer.messageLimit) bytes; skipped"))
            case .text(let data):
                if data.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                if let reply = handle(data) { send(reply) }
            }
        }
    }

    private func send(_ message: JSON) {
        output.write(Array((message.rendered(pretty: false) + "\n").utf8))
    }

    /// The answer to one message (nil for a notification or a client's response).
    func handle(_ data: Data) -> JSON? {
        let message: RPC.Message
        switch RPC.parse(data) {
        case .invalid(let reply): return reply
        case .message(let m): message = m
        }
        guard let method = message.method else { return nil }  // a response to us: none expected
        guard let id = message.id else {
            if method == "notifications/initialized" { initialized = true }
            return nil  // notifications (cancelled, progress, ...) need no answer
        }
        switch method {
        case "initialize":
            initialized = true
            let asked = message.params["protocolVersion"] as? String
            let version = asked.flatMap { MCPServer.versions.contains($0) ? $0 : nil } ?? MCPServer.versions.last!
            return RPC.result(id: id, .object([
                ("protocolVersion", .string(version)),
                ("capabilities", .object([("tools", .object([("listChanged", .bool(false))]))])),
                ("serverInfo", .object([("name", .string("kg")), ("version", .string(Help.versionNumber))])),
                ("instructions", .string("Tools over the user's Markdown notes vault at \(kb.vault.root): full-text search (Korean-aware), the concepts and companies the notes mention, how they relate, and the notes themselves. All read-only.")),
            ]))
        case "ping":
            return RPC.result(id: id, .object([]))
        default:
            break
        }
        guard initialized else { return RPC.error(id: id, code: RPC.serverNotInitialized, "the server is not initialized yet: send 'initialize' first") }
        switch method {
        case "tools/list":
            return RPC.result(id: id, .object([("tools", .array(MCPServer.tools.map(\.json)))]))
        case "tools/call":
            guard let name = message.params["name"] as? String else {
                return RPC.error(id: id, code: RPC.invalidParams, "tools/call needs the tool's 'name'")
            }
            guard let tool = MCPServer.tools.first(where: { $0.name == name }) else {
                let near = closest(name, in: MCPServer.tools.map(\.name))
                return RPC.error(id: id, code: RPC.invalidParams,
                    "unknown tool '\(shortened(name))'\(near.isEmpty ? "" : "; did you mean \(near[0])?") (tools: \(MCPServer.tools.map(\.name).joined(separator: ", ")))")
            }
            let arguments = message.params["arguments"] as? [String: Any] ?? [:]
            do throws(KGError) {
                let (text, structured) = try call(tool.name, Arguments(values: arguments, tool: tool))
                return RPC.result(id: id, .object([
                    ("content", .array([.object([("type", .string("text")), ("text", .string(text))])])),
                    ("structuredContent", structured), ("isError", .bool(false)),
                ]))
            } catch {
                return RPC.result(id: id, .object([
                    ("content", .array([.object([("type", .string("text")), ("text", .string(error.message))])])), ("isError", .bool(true)),
                ]))
            }
        default:
            return RPC.error(id: id, code: RPC.methodNotFound, "unknown method '\(shortened(method))' (kg's MCP server offers tools)")
        }
    }

    // MARK: tools

    struct Tool {
        struct Parameter {
            var name: String
            var type: String  // string, integer, boolean
            var description: String
            var required = false
            var choices: [String] = []
        }
        var name: String
        var title: String
        var description: String
        var parameters: [Parameter]

        var json: JSON {
            var properties: [(String, JSON)] = []
            for p in parameters {
                var fields: [(String, JSON)] = [("type", .string(p.type)), ("description", .string(p.description))]
                if !p.choices.isEmpty { fields.append(("enum", .array(p.choices.map(JSON.string)))) }
                if p.type == "integer" { fields.append(("minimum", .int(p.name.hasSuffix("line") ? 1 : 0))) }
                properties.append((p.name, .object(fields)))
            }
            return .object([
                ("name", .string(name)), ("title", .string(title)), ("description", .string(description)),
                ("inputSchema", .object([("type", .string("object")), ("properties", .object(properties)),
                    ("required", .array(parameters.filter(\.required).map { .string($0.name) })), ("additionalProperties", .bool(false))])),
                ("annotations", .object([("title", .string(title)), ("readOnlyHint", .bool(true)), ("destructiveHint", .bool(false)),
                    ("idempotentHint", .bool(true)), ("openWorldHint", .bool(false))])),
            ])
        }
    }

    static let limit = Tool.Parameter(name: "limit", type: "integer", description: "most results to return (default 10; at most 1000)")

    static let tools: [Tool] = [
        Tool(name: "search_notes", title: "Search notes",
            description: """
                Full-text search of the user's notes (Korean and English), ranked by BM25, with each note's matching lines. \
                Query language: words (all must occur), "a phrase", A OR B, -word or NOT word, (grouping), prefix*, \
                tag:x, path:folder/, entity:Name, links:NOTE, linked-by:NOTE. Korean matches inside words (카카오 finds 카카오에서).
                """,
            parameters: [Tool.Parameter(name: "query", type: "string", description: "what to look for", required: true), limit]),
        Tool(name: "related_entities", title: "Related entities",
            description: """
                The concepts, tools and companies mentioned close to an entity in the notes, closest first, each with a score \
                and the lines that show them together. Use list_entities to find entity names.
                """,
            parameters: [Tool.Parameter(name: "entity", type: "string", description: "an entity's name or alias", required: true),
                Tool.Parameter(name: "by", type: "string", description: "how to rank: proximity (default: same line over same section over same note), count (shared notes), npmi or jaccard",
                    choices: RelatednessMeasure.allCases.map(\.rawValue)), limit]),
        Tool(name: "entity_mentions", title: "Entity mentions",
            description: "Every place the notes mention an entity (note, line, column, the line's text), in path and line order.",
            parameters: [Tool.Parameter(name: "entity", type: "string", description: "an entity's name or alias", required: true), limit]),
        Tool(name: "connection_path", title: "Connection path",
            description: "How two entities connect through co-mentions: the shortest chain, hop by hop, with the lines that show each hop.",
            parameters: [Tool.Parameter(name: "from", type: "string", description: "the first entity", required: true),
                Tool.Parameter(name: "to", type: "string", description: "the second entity", required: true)]),
        Tool(name: "list_entities", title: "List entities",
            description: "The entities kg knows (from the lexicon, entity notes and discovery) with type, aliases, mention and note counts, most mentioned first.",
            parameters: [Tool.Parameter(name: "type", type: "string", description: "only entities of this type (company, concept, tool, ...)"), limit]),
        Tool(name: "read_note", title: "Read a note",
            description: "The lines of one note of the vault (a vault path, a file name, or a front-matter alias), optionally a range of them. Only notes inside the vault are served.",
            parameters: [Tool.Parameter(name: "note", type: "string", description: "the note: its path in the vault or its name", required: true),
                Tool.Parameter(name: "start_line", type: "integer", description: "first line to return (1-based; default 1)"),
                Tool.Parameter(name: "end_line", type: "integer", description: "last line to return (default: the end; at most 2000 lines a call)")]),
        Tool(name: "suggest_entities", title: "Suggest entities",
            description: "Names in the notes that look like concepts or companies but are not entities yet, with why and where: the review queue of discovery. With name: what kg makes of that name (an entity, a suggestion, or why neither).",
            parameters: [Tool.Parameter(name: "name", type: "string", description: "a name to ask about instead of listing the queue"), limit]),
        Tool(name: "backlinks", title: "Backlinks",
            description: "The lines of other notes that link to a note; with unlinked, the lines that mention its title or aliases without linking it.",
            parameters: [Tool.Parameter(name: "note", type: "string", description: "the note: its path in the vault or its name", required: true),
                Tool.Parameter(name: "unlinked", type: "boolean", description: "unlinked mentions instead of links"), limit]),
    ]

    /// A tool's arguments, checked against its parameters.
    struct Arguments {
        let values: [String: Any]
        let tool: Tool

        func string(_ name: String) throws(KGError) -> String? {
            guard let v = values[name], !(v is NSNull) else {
                if tool.parameters.first(where: { $0.name == name })?.required == true { throw .usage("\(tool.name) needs '\(name)'") }
                return nil
            }
            guard let s = v as? String else { throw .usage("'\(name)' is a string") }
            guard s.count <= MCPServer.textLimit else { throw .usage("'\(name)' is longer than \(MCPServer.textLimit) characters") }
            return s
        }

        func required(_ name: String) throws(KGError) -> String {
            guard let s = try string(name), !s.trimmingCharacters(in: .whitespaces).isEmpty else { throw .usage("\(tool.name) needs a non-empty '\(name)'") }
            return s
        }

        func int(_ name: String) throws(KGError) -> Int? {
            guard let v = values[name], !(v is NSNull) else { return nil }
            guard let n = v as? NSNumber, !RPC.isBool(n), n.doubleValue == n.doubleValue.rounded() else { throw .usage("'\(name)' is a whole number") }
            let d = n.doubleValue
            guard d >= 0 else { throw .usage("'\(name)' is not negative") }
            return d > 1e12 ? Int(1e12) : Int(d)
        }

        func bool(_ name: String) throws(KGError) -> Bool {
            guard let v = values[name], !(v is NSNull) else { return false }
            guard let n = v as? NSNumber, RPC.isBool(n) else { throw .usage("'\(name)' is true or false") }
            return n.boolValue
        }

        /// `limit`, bounded: 0 or absent is the default.
        var limit: Int {
            get throws(KGError) {
                let n = try int("limit") ?? 10
                return min(MCPServer.resultLimit, n == 0 ? 10 : n)
            }
        }

        func checkKnown() throws(KGError) {
            for key in values.keys.sorted() where !tool.parameters.contains(where: { $0.name == key }) {
                throw .usage("\(tool.name) takes \(tool.parameters.map(\.name).joined(separator: ", ")), not '\(shortened(key))'")
            }
        }
    }

    /// Runs a tool: its readable text and its structured answer.
    func call(_ name: String, _ args: Arguments) throws(KGError) -> (String, JSON) {
        try args.checkKnown()
        func wrap(_ list: JSON) -> JSON { .object([("results", list)]) }
        switch name {
        case "search_notes":
            let r = try kb.search(try args.required("query"), limit: try args.limit)
            var text = r.hits.isEmpty ? "No note matches." : ""
            for h in r.hits {
                text += "\(h.note) (score \(number(h.score)))\n"
                for l in h.lines.prefix(5) { text += "  \(l.line): \(l.shown)\n" }
            }
            return (text, wrap(r.json))
        case "related_entities":
            var measure = RelatednessMeasure.proximity
            if let by = try args.string("by") {
                guard let m = RelatednessMeasure(rawValue: by) else {
                    throw .usage("'by' is one of \(RelatednessMeasure.allCases.map(\.rawValue).joined(separator: ", ")), not '\(shortened(by))'")
                }
                measure = m
            }
            let r = try kb.related(try args.required("entity"), by: measure, limit: try args.limit)
            var text = "\(r.entity.name) (\(r.entity.type)): \(counted(r.entity.mentions, "mention")) in \(counted(r.entity.notes, "note"))\n"
            for (i, n) in r.neighbours.enumerated() {
                text += "\(i + 1). \(n.name) (\(n.type)) score \(number(n.score)), \(counted(n.notes, "shared note"))\n"
                for e in n.evidence.prefix(2) { text += "   \(e.note):\(e.line): \(e.text.trimmingCharacters(in: .whitespaces))\n" }
            }
            return (text, wrap(r.json()))
        case "entity_mentions":
            let r = try kb.mentions(of: try args.required("entity"), limit: try args.limit)
            var text = r.mentions.isEmpty ? "Not mentioned in any note." : "\(r.total) mentions\n"
            for m in r.mentions { text += "\(m.note):\(m.line):\(m.column + 1): \(m.shown)\n" }
            return (text, wrap(r.json))
        case "connection_path":
            let p = try kb.path(from: try args.required("from"), to: try args.required("to"))
            var text = p.connected ? p.chain.joined(separator: " — ") + "\n" : "\(p.from) and \(p.to) are not connected by co-mentions."
            for h in p.hops {
                text += "\(h.from) — \(h.to) (\(counted(h.notes, "note")))\n"
                for e in h.evidence.prefix(2) { text += "  \(e.note):\(e.line): \(e.text.trimmingCharacters(in: .whitespaces))\n" }
            }
            return (text, p.json)
        case "list_entities":
            let r = try kb.entities(type: try args.string("type"), limit: try args.limit)
            var text = "\(r.total) entities\n"
            for e in r.entities {
                text += "\(e.name) (\(e.type)) \(counted(e.mentions, "mention")) in \(counted(e.notes, "note"))"
                text += e.aliases.isEmpty ? "\n" : "; also \(e.aliases.joined(separator: ", "))\n"
            }
            return (text, wrap(r.json))
        case "read_note":
            let start = try args.int("start_line")
            let end = try args.int("end_line")
            let n = try kb.readNote(try args.required("note"), startLine: start, endLine: end)
            var text = "\(n.note) — lines \(n.startLine)–\(n.startLine + n.lines.count - 1) of \(n.totalLines)\n"
            for (k, l) in n.lines.enumerated() { text += "\(n.startLine + k): \(l)\n" }
            return (text, .object([("note", .string(n.note)), ("title", .string(n.title)), ("start_line", .int(n.startLine)),
                ("end_line", .int(n.startLine + n.lines.count - 1)), ("total_lines", .int(n.totalLines)),
                ("lines", .array(n.lines.map(JSON.string)))]))
        case "suggest_entities":
            if let name = try args.string("name") {
                let r = try kb.report(name)
                var text = "\(r.asked): \(r.status.rawValue)" + (r.entity.map { " (\($0))" } ?? "")
                if let c = r.confidence { text += ", confidence \(number(c))" }
                if !r.signals.isEmpty { text += ": " + r.signals.joined(separator: ", ") }
                return (text, wrap(.array([r.json])))
            }
            let r = try kb.suggestions(limit: try args.limit)
            var text = r.suggestions.isEmpty ? "No suggestions." : ""
            for s in r.suggestions { text += "\(s.name) [\(s.kinds.joined(separator: ", "))] \(s.count)× in \(counted(s.notes, "note"))\n" }
            return (text, wrap(r.json))
        case "backlinks":
            let r = try kb.backlinks(try args.required("note"), unlinked: try args.bool("unlinked"), limit: try args.limit)
            var text = r.total == 0 ? (r.unlinked ? "No note mentions \(r.note) without linking it." : "No note links to \(r.note).") : ""
            for p in r.backlinks { text += "\(p.note):\(p.line): \(p.text.trimmingCharacters(in: .whitespaces))\n" }
            return (text, wrap(r.json))
        default:
            throw .usage("unknown tool '\(name)'")
        }
    }
}
