import Foundation
import KnowledgeGraph

/// `kg lsp`: a language server for the vault's Markdown notes over stdio (`Content-Length`
/// framing). The protocol lives here; every answer comes from the library: the open buffer
/// is analysed as typed (`KnowledgeBase.analyzeBuffer`), the rest of the vault is the index.
/// Positions are UTF-16 code units, as LSP counts by default.
final class LSPServer {
    /// Longest message read; a longer one is skipped with an error.
    static let messageLimit = 16 << 20

    let kb: KnowledgeBase
    private let log: @Sendable (String) -> Void
    private var output: OutputWriter
    private var initialized = false
    private var shuttingDown = false

    /// An open document: its text and, once asked for, what kg found in it.
    private struct Document {
        var text: String
        var path: String?
        var analysis: BufferAnalysis?
        var lines: [Substring] { text.split(separator: "\n", omittingEmptySubsequences: false) }
    }
    private var documents: [String: Document] = [:]

    init(kb: KnowledgeBase, output: Int32 = 1, log: @escaping @Sendable (String) -> Void) {
        self.kb = kb
        self.output = OutputWriter(fd: output)
        self.log = log
    }

    /// Serves until `exit` or the end of input; true when the client shut the server down first.
    func run(input: Int32 = 0) -> Bool {
        let watcher = BackgroundWatcher(kb: kb, log: log)
        defer { watcher.stop() }
        var reader = InputReader(fd: input)
        while !output.broken {
            // Headers up to an empty line; only Content-Length matters.
            var length: Int?
            var sawHeader = false
            while true {
                guard let line = reader.line(limit: 8192) else { return shuttingDown }
                guard case .text(let data) = line else { continue }
                let header = String(decoding: data, as: UTF8.self)
                if header.isEmpty {
                    if sawHeader { break }
                    continue
                }
                sawHeader = true
                let parts = header.split(separator: ":", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).lowercased() == "content-length" {
                    length = Int(parts[1].trimmingCharacters(in: .whitespaces))
                }
            }
            guard let n = length, n >= 0 else {
                log("kg lsp: a message without a valid Content-Length; skipped\n")
                continue
            }
            if n > LSPServer.messageLimit {
                var left = n
                while left > 0 {
                    let step = min(left, 1 << 20)
                    guard reader.bytes(step) != nil else { return shuttingDown }
                    left -= step
                }
                send(RPC.error(id: .null, code: RPC.invalidRequest, "message larger than \(LSPServer.messageLimit) bytes; skipped"))
                continue
            }
            guard let body = reader.bytes(n) else { return shuttingDown }
            switch RPC.parse(body) {
            case .invalid(let reply): send(reply)
            case .message(let m):
                if m.method == "exit" { return shuttingDown }
                if let reply = handle(m) { send(reply) }
            }
        }
        return shuttingDown
    }

    private func send(_ message: JSON) {
        let body = Array(message.rendered(pretty: false).utf8)
        output.write(Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body)
    }

    // MARK: messages

    func handle(_ m: RPC.Message) -> JSON? {
        guard let method = m.method else { return nil }
        if m.id == nil {
            notification(method, m.params)
            return nil
        }
        let id = m.id!
        if method == "initialize" {
            initialized = true
            return RPC.result(id: id, .object([
                ("capabilities", .object([
                    ("positionEncoding", .string("utf-16")),
                    ("textDocumentSync", .object([("openClose", .bool(true)), ("change", .int(2)), ("save", .object([("includeText", .bool(false))]))])),
                    ("hoverProvider", .bool(true)),
                    ("completionProvider", .object([("triggerCharacters", .array([.string("[")])), ("resolveProvider", .bool(false))])),
                    ("definitionProvider", .bool(true)),
                    ("referencesProvider", .bool(true)),
                    ("codeActionProvider", .object([("codeActionKinds", .array([.string("quickfix")]))])),
                ])),
                ("serverInfo", .object([("name", .string("kg")), ("version", .string(Help.versionNumber))])),
            ]))
        }
        guard initialized else { return RPC.error(id: id, code: RPC.serverNotInitialized, "the server is not initialized yet: send 'initialize' first") }
        if method == "shutdown" {
            shuttingDown = true
            return RPC.result(id: id, .null)
        }
        do {
            switch method {
            case "textDocument/hover": return RPC.result(id: id, try hover(m.params))
            case "textDocument/completion": return RPC.result(id: id, try completion(m.params))
            case "textDocument/definition": return RPC.result(id: id, try definition(m.params))
            case "textDocument/references": return RPC.result(id: id, try references(m.params))
            case "textDocument/codeAction": return RPC.result(id: id, try codeActions(m.params))
            default: return RPC.error(id: id, code: RPC.methodNotFound, "kg's language server does not offer '\(shortened(method))'")
            }
        } catch let e as KGError {
            // An unknown name under the cursor, say: nothing to show rather than an error.
            if case .unknownEntity = e { return RPC.result(id: id, .null) }
            return RPC.error(id: id, code: RPC.internalError, e.message)
        } catch let e as ParamsError {
            return RPC.error(id: id, code: RPC.invalidParams, e.message)
        } catch {
            return RPC.error(id: id, code: RPC.internalError, "\(error)")
        }
    }

    struct ParamsError: Error { var message: String }

    private func notification(_ method: String, _ params: [String: Any]) {
        guard initialized else { return }
        let doc = params["textDocument"] as? [String: Any]
        guard let uri = doc?["uri"] as? String else { return }
        switch method {
        case "textDocument/didOpen":
            guard let text = doc?["text"] as? String else { return }
            documents[uri] = Document(text: text, path: path(of: uri))
            publishDiagnostics(uri)
        case "textDocument/didChange":
            guard var d = documents[uri], let changes = params["contentChanges"] as? [[String: Any]] else { return }
            for c in changes {
                guard let text = c["text"] as? String else { continue }
                if let range = c["range"] as? [String: Any], let r = LSPServer.range(range) {
                    d.text = LSPServer.replace(in: d.text, r, with: text)
                } else {
                    d.text = text
                }
            }
            d.analysis = nil
            documents[uri] = d
            publishDiagnostics(uri)
        case "textDocument/didSave":
            publishDiagnostics(uri)
        case "textDocument/didClose":
            documents[uri] = nil
            send(RPC.notification("textDocument/publishDiagnostics", .object([("uri", .string(uri)), ("diagnostics", .array([]))])))
        default:
            break
        }
    }

    // MARK: documents and positions

    /// The vault path of a `file:` URI inside the vault (the lexicon file included).
    func path(of uri: String) -> String? {
        guard let url = URL(string: uri), url.isFileURL else { return nil }
        let full = url.standardizedFileURL.path
        let root = kb.vault.root
        guard full.hasPrefix(root + "/") else { return nil }
        return String(full.dropFirst(root.count + 1))
    }

    func uri(of path: String) -> String {
        URL(fileURLWithPath: kb.vault.root + "/" + path).absoluteString
    }

    private func document(_ params: [String: Any]) throws -> (String, Document) {
        guard let uri = (params["textDocument"] as? [String: Any])?["uri"] as? String else { throw ParamsError(message: "textDocument.uri is missing") }
        if let d = documents[uri] { return (uri, d) }
        // Not open: the file as saved.
        guard let path = path(of: uri), let text = try? String(contentsOfFile: kb.vault.root + "/" + path, encoding: .utf8) else {
            throw ParamsError(message: "'\(shortened(uri))' is neither open nor a note of the vault")
        }
        return (uri, Document(text: text, path: path))
    }

    private func analysis(_ uri: String, _ d: Document) throws(KGError) -> BufferAnalysis {
        if let a = d.analysis { return a }
        let a = try kb.analyzeBuffer(d.text, path: d.path)
        if documents[uri] != nil { documents[uri]?.analysis = a }
        return a
    }

    /// The (line, UTF-16 character) of a request.
    private static func position(_ params: [String: Any]) throws -> (line: Int, character: Int) {
        guard let p = params["position"] as? [String: Any], let line = (p["line"] as? NSNumber)?.intValue,
            let character = (p["character"] as? NSNumber)?.intValue, line >= 0, character >= 0
        else { throw ParamsError(message: "position is missing or invalid") }
        return (line, character)
    }

    private static func range(_ r: [String: Any]) -> (Int, Int, Int, Int)? {
        guard let s = r["start"] as? [String: Any], let e = r["end"] as? [String: Any],
            let sl = (s["line"] as? NSNumber)?.intValue, let sc = (s["character"] as? NSNumber)?.intValue,
            let el = (e["line"] as? NSNumber)?.intValue, let ec = (e["character"] as? NSNumber)?.intValue
        else { return nil }
        return (sl, sc, el, ec)
    }

    /// `text` with the UTF-16 range replaced (positions past a line's end clamp to it).
    static func replace(in text: String, _ r: (Int, Int, Int, Int), with new: String) -> String {
        var u = Array(text.utf16)
        func offset(_ line: Int, _ character: Int) -> Int {
            var i = 0
            var l = 0
            while l < line && i < u.count {
                if u[i] == 0x0A { l += 1 }
                i += 1
            }
            var end = i
            while end < u.count && u[end] != 0x0A { end += 1 }
            return min(i + character, end)
        }
        let a = offset(r.0, r.1)
        let b = max(a, offset(r.2, r.3))
        u.replaceSubrange(a..<b, with: Array(new.utf16))
        return String(decoding: u, as: UTF16.self)
    }

    /// UTF-16 units before the `scalars`-th scalar of `line`.
    static func utf16(_ line: Substring, scalars: Int) -> Int {
        var n = 0
        for (k, s) in line.unicodeScalars.enumerated() {
            if k >= scalars { break }
            n += s.value > 0xFFFF ? 2 : 1
        }
        return n
    }

    /// Scalars before UTF-16 unit `units` of `line`.
    static func scalars(_ line: Substring, utf16 units: Int) -> Int {
        var n = 0
        var k = 0
        for s in line.unicodeScalars {
            if n >= units { break }
            n += s.value > 0xFFFF ? 2 : 1
            k += 1
        }
        return k
    }

    private func lspRange(_ lines: [Substring], line: Int, column: Int, length: Int) -> JSON {
        let text = line < lines.count ? lines[line] : ""
        let a = LSPServer.utf16(text, scalars: column)
        let b = LSPServer.utf16(text, scalars: column + length)
        return .object([("start", .object([("line", .int(line)), ("character", .int(a))])), ("end", .object([("line", .int(line)), ("character", .int(b))]))])
    }

    private func location(_ path: String, line: Int, start: Int = 0, end: Int = 0) -> JSON {
        .object([("uri", .string(uri(of: path))), ("range", .object([
            ("start", .object([("line", .int(line)), ("character", .int(start))])), ("end", .object([("line", .int(line)), ("character", .int(end))])),
        ]))])
    }

    /// What is at the cursor: a mention or a link of the buffer.
    private func item(at params: [String: Any]) throws -> (uri: String, doc: Document, analysis: BufferAnalysis,
        mention: BufferAnalysis.Mention?, link: BufferAnalysis.Link?)
    {
        let (uri, d) = try document(params)
        let (line, character) = try LSPServer.position(params)
        let a = try analysis(uri, d)
        let lines = d.lines
        let column = LSPServer.scalars(line < lines.count ? lines[line] : "", utf16: character)
        let link = a.links.first { $0.line == line && column >= $0.column && column <= $0.column + $0.length }
        let mention = a.mentions.first { $0.line == line && column >= $0.column && column <= $0.column + $0.length }
        return (uri, d, a, mention, link)
    }

    // MARK: features

    private func hover(_ params: [String: Any]) throws -> JSON {
        let found = try item(at: params)
        var text: String
        let lines = found.doc.lines
        var range: JSON
        if let link = found.link, !link.sameNote {
            range = lspRange(lines, line: link.line, column: link.column, length: link.length)
            if let note = link.note {
                let n = try kb.readNote(note, startLine: 1, endLine: 8)
                let body = n.lines.drop { $0.trimmingCharacters(in: .whitespaces).isEmpty }.prefix(6).map { "> " + $0 }.joined(separator: "\n")
                text = "**\(n.title)** — `\(n.note)`\n\n\(body)"
            } else if link.attachment {
                text = "`\(link.target)` (a file that is not a note)"
            } else {
                text = "No note named `\(link.target)`"
            }
        } else if let m = found.mention {
            range = lspRange(lines, line: m.line, column: m.column, length: m.length)
            let r = try kb.related(m.entity, limit: 5)
            text = "**\(r.entity.name)** · \(r.entity.type) · \(counted(r.entity.mentions, "mention")) in \(counted(r.entity.notes, "note"))"
            if !r.entity.aliases.isEmpty { text += "\n\nAlso: \(r.entity.aliases.joined(separator: ", "))" }
            if !r.neighbours.isEmpty {
                text += "\n\nClosest: " + r.neighbours.map { "\($0.name) (\(number($0.score)))" }.joined(separator: ", ")
            }
        } else {
            return .null
        }
        return .object([("contents", .object([("kind", .string("markdown")), ("value", .string(text))])), ("range", range)])
    }

    private func completion(_ params: [String: Any]) throws -> JSON {
        let (_, d) = try document(params)
        let (line, character) = try LSPServer.position(params)
        let lines = d.lines
        let text = line < lines.count ? lines[line] : ""
        let before = String(text.unicodeScalars.prefix(LSPServer.scalars(text, utf16: character)))
        var notes = false
        var prefix = ""
        if let open = before.range(of: "[[", options: .backwards), !before[open.upperBound...].contains("]]") {
            notes = true
            prefix = String(before[open.upperBound...])
            if prefix.contains("|") || prefix.contains("#") { return .object([("isIncomplete", .bool(false)), ("items", .array([]))]) }
        } else {
            let word = before.unicodeScalars.reversed().prefix { s in
                s.properties.isAlphabetic || (s.value >= 0x30 && s.value <= 0x39) || s == "_" || s == "-"
            }
            prefix = String(String.UnicodeScalarView(word.reversed()))
            if prefix.isEmpty { return .object([("isIncomplete", .bool(true)), ("items", .array([]))]) }
        }
        let start = character - prefix.utf16.count
        let items = try kb.completions(prefix: prefix, notes: notes, limit: 50)
        let range: JSON = .object([("start", .object([("line", .int(line)), ("character", .int(start))])),
            ("end", .object([("line", .int(line)), ("character", .int(character))]))])
        return .object([("isIncomplete", .bool(true)), ("items", .array(items.map { c in
            .object([("label", .string(c.label)), ("kind", .int(c.kind == .note ? 17 : 12)), ("detail", .string(c.detail)),
                ("filterText", .string(c.label)), ("textEdit", .object([("range", range), ("newText", .string(c.insert))]))])
        }))])
    }

    private func definition(_ params: [String: Any]) throws -> JSON {
        let found = try item(at: params)
        if let link = found.link {
            guard let note = link.note else { return .null }
            return location(note, line: 0)
        }
        if let m = found.mention, let place = try kb.definition(ofEntity: m.entity) {
            return location(place.path, line: place.line - 1)
        }
        return .null
    }

    private func references(_ params: [String: Any]) throws -> JSON {
        let found = try item(at: params)
        if let m = found.mention {
            let list = try kb.mentions(of: m.entity, limit: 10_000)
            return .array(list.mentions.map { p in
                let text = Substring(p.text)
                return location(p.note, line: p.line - 1, start: LSPServer.utf16(text, scalars: p.column),
                    end: LSPServer.utf16(text, scalars: p.column + p.surface.unicodeScalars.count))
            })
        }
        // Elsewhere in a note (or on a link to it): the note's backlinks.
        let target = found.link?.note ?? found.doc.path
        guard let note = target else { return .array([]) }
        let list = try kb.backlinks(note, limit: 10_000)
        return .array(list.backlinks.map { p in location(p.note, line: p.line - 1, start: 0, end: p.text.utf16.count) })
    }

    private func codeActions(_ params: [String: Any]) throws -> JSON {
        let (uri, d) = try document(params)
        guard let r = (params["range"] as? [String: Any]).flatMap(LSPServer.range) else { throw ParamsError(message: "range is missing") }
        let a = try analysis(uri, d)
        let lines = d.lines
        var actions: [JSON] = []
        for u in a.unlinked where u.line >= r.0 && u.line <= r.2 {
            let text = u.line < lines.count ? lines[u.line] : ""
            let surface = String(text.unicodeScalars.dropFirst(u.column).prefix(u.length))
            let stem = NoteKeysName.stem(u.entityNote)
            let link = stem.lowercased() == surface.lowercased() ? "[[\(surface)]]" : "[[\(stem)|\(surface)]]"
            let range = lspRange(lines, line: u.line, column: u.column, length: u.length)
            actions.append(.object([
                ("title", .string("Link \(link)")), ("kind", .string("quickfix")),
                ("diagnostics", .array([diagnostic(range, 4, "unlinked-mention", "mentions \(u.entity) without linking its note \(u.entityNote)")])),
                ("edit", .object([("changes", .object([(uri, .array([.object([("range", range), ("newText", .string(link))])]))]))])),
            ]))
        }
        return .array(actions)
    }

    private func diagnostic(_ range: JSON, _ severity: Int, _ code: String, _ message: String) -> JSON {
        .object([("range", range), ("severity", .int(severity)), ("code", .string(code)), ("source", .string("kg")), ("message", .string(message))])
    }

    private func publishDiagnostics(_ uri: String) {
        guard let d = documents[uri] else { return }
        var out: [JSON] = []
        let lines = d.lines
        do {
            if d.path == LexiconFile.path {
                for issue in try kb.lexiconIssues() {
                    let line = issue.line - 1
                    out.append(diagnostic(lspRange(lines, line: line, column: 0, length: line < lines.count ? lines[line].unicodeScalars.count : 0),
                        2, issue.kind == .syntax ? "lexicon-syntax" : "lexicon-collision", issue.message))
                }
            } else {
                let a = try analysis(uri, d)
                for l in a.links where l.isWiki && l.note == nil && !l.attachment && !l.sameNote {
                    out.append(diagnostic(lspRange(lines, line: l.line, column: l.column, length: l.length), 2, "unresolved-link",
                        "no note named '\(l.target)'"))
                }
                for u in a.unlinked {
                    out.append(diagnostic(lspRange(lines, line: u.line, column: u.column, length: u.length), 4, "unlinked-mention",
                        "mentions \(u.entity) without linking its note \(u.entityNote)"))
                }
            }
        } catch {
            log("kg lsp: no diagnostics for \(uri): \(error.message)\n")
        }
        send(RPC.notification("textDocument/publishDiagnostics", .object([("uri", .string(uri)), ("diagnostics", .array(out))])))
    }
}

/// A note's file name without its folder and extension: what a wikilink to it writes.
enum NoteKeysName {
    static func stem(_ path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        for ext in [".md", ".markdown"] where file.lowercased().hasSuffix(ext) { return String(file.dropLast(ext.count)) }
        return file
    }
}
