import Foundation
import KnowledgeGraph

/// One command run against one vault: brings the index up to date, answers, renders.
final class Session {
    let args: Arguments
    let vault: Vault
    let console: Console
    let indexer: Indexer
    var json: Bool { args.flags.contains("--json") }
    private var lineCache: [PathKey: [String]] = [:]

    init(args: Arguments, vault: Vault, console: Console) {
        self.args = args
        self.vault = vault
        self.console = console
        self.indexer = Indexer(vault: vault)
    }

    static let accepted: [String: Set<String>] = [
        "index": ["--rebuild", "--no-wait", "--allow-mass-delete"],
        "search": ["--limit", "--no-refresh", "--no-wait", "--allow-mass-delete"],
        "related": ["--limit", "--type", "--by", "--no-refresh", "--explain", "--no-wait", "--allow-mass-delete"],
        "path": ["--no-refresh", "--no-wait", "--allow-mass-delete"],
        "communities": ["--limit", "--no-refresh", "--no-wait", "--allow-mass-delete"],
        "suggest": ["--limit", "--accept", "--type", "--alias-of", "--no-refresh", "--no-wait", "--allow-mass-delete"],
        "doctor": ["--no-refresh", "--no-wait", "--allow-mass-delete"],
        "mentions": ["--limit", "--type", "--no-refresh", "--no-wait", "--allow-mass-delete"],
        "entities": ["--limit", "--type", "--no-refresh", "--no-wait", "--allow-mass-delete"],
        "export": [
            "--dot", "--graphml", "--mermaid", "--html", "--type", "--min-notes", "--around", "--depth", "--top", "--exclude",
            "--size", "--communities", "--no-refresh", "--no-wait", "--allow-mass-delete",
        ],
        "stats": ["--no-refresh", "--no-wait", "--allow-mass-delete"],
        "watch": ["--poll"],
    ]

    func run(_ command: String) throws(KGError) {
        let allowed = Session.accepted[command, default: []].union(["--vault", "--json", "--help", "--version"])
        for option in args.flags.union(args.values.keys) where !allowed.contains(option) {
            throw .usage("\(command) does not take \(option) (see kg \(command) --help)")
        }
        switch command {
        case "index": try index()
        case "search": try search()
        case "related": try related()
        case "mentions": try mentions()
        case "entities": try entities()
        case "export": try export()
        case "stats": try stats()
        case "watch": try watch()
        case "path": try path()
        case "communities": try communities()
        case "suggest": try suggest()
        case "doctor": try doctor()
        default: throw .usage("unknown command '\(command)'")
        }
    }

    // MARK: index access

    private var options: Indexer.Options {
        Indexer.Options(rebuild: args.flags.contains("--rebuild"), wait: !args.flags.contains("--no-wait"),
            allowMassDelete: args.flags.contains("--allow-mass-delete"))
    }

    /// The index, refreshed first unless `--no-refresh`.
    private func reader(rebuild: Bool = false) throws(KGError) -> IndexReader {
        if args.flags.contains("--no-refresh") {
            do {
                if let r = try IndexReader.load(path: indexer.indexPath) { return r }
            } catch {
                throw .failure("the index is unreadable (\(error.reason)); run 'kg index' to rebuild it")
            }
            throw .failure("no index yet in \(indexer.indexFolder); run 'kg index' first")
        }
        let console = self.console
        var options = self.options
        options.rebuild = options.rebuild || rebuild
        if Watcher.isRunning(indexFolder: indexer.indexFolder), !rebuild {
            // A live watcher keeps the index fresh: answer without walking the vault.
            if let r = try? IndexReader.load(path: indexer.indexPath) { return r }
        }
        // Readers never wait for a writer: with one at work, the last committed index answers.
        options.wait = false
        do {
            return try indexer.update(options, notice: { console.err("kg: \($0)\n") }).0
        } catch .locked {
            if !rebuild, let r = try? IndexReader.load(path: indexer.indexPath) {
                console.err("kg: note: another kg is updating the index; answering from the index as it stands\n")
                return r
            }
            options.wait = true
            return try indexer.update(options, notice: { console.err("kg: \($0)\n") }).0
        }
    }

    /// Runs `body` on the fresh index. A damaged part found while answering is healed by a
    /// rebuild from the notes (with a notice), then `body` runs once more.
    private func query<T>(_ body: (IndexReader) throws(CorruptIndex) -> T) throws(KGError) -> T {
        let first = try reader()
        do {
            return try body(first)
        } catch {
            if args.flags.contains("--no-refresh") {
                throw .failure("the index is damaged (\(error.reason)); run 'kg index --rebuild'")
            }
            console.err("kg: the index was damaged (\(error.reason)); rebuilding it from the notes\n")
        }
        let second = try reader(rebuild: true)
        do {
            return try body(second)
        } catch {
            throw .failure("the index is damaged (\(error.reason)) even after a rebuild")
        }
    }

    private func limit(default value: Int) throws(KGError) -> Int {
        let n = try args.int("--limit", default: value)
        return n == 0 ? Int.max : n
    }

    private func emit(_ value: JSON) {
        console.out(value.rendered() + "\n")
    }

    /// A note's lines as kg reads them (decoded, normalized), for showing matches.
    private func lines(_ path: String) -> [String]? {
        if let cached = lineCache[PathKey(path)] { return cached }
        guard case .success(let text) = vault.text(path) else { return nil }
        let lines = text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        lineCache[PathKey(path)] = lines
        return lines
    }

    private func lineText(_ path: String, _ line: Int) -> String {
        guard let all = lines(path), line >= 1, line <= all.count else { return "" }
        return Session.display(all[line - 1])
    }

    /// A line trimmed for display: no surrounding spaces, at most 240 characters.
    static func display(_ s: String) -> String {
        let t = s.trimmingCharacters(in: .whitespaces)
        if t.count <= 240 { return t }
        return String(t.prefix(239)) + "…"
    }

    private func entity(named name: String, in lexicon: Lexicon) throws(KGError) -> Int32 {
        if let id = lexicon.lookup(name) { return Int32(id) }
        throw .unknownEntity(name, suggestions: Related.suggestions(for: name, in: lexicon))
    }

    // MARK: commands

    private func index() throws(KGError) {
        let console = self.console
        let bar = ProgressBar(console: console)
        let progress: (@Sendable (Int, Int) -> Void)? = console.errIsTerminal ? { @Sendable done, total in bar.update(done, total) } : nil
        let notice: (String) -> Void = { console.err("kg: \($0)\n") }
        let (_, report) = try indexer.update(options, notice: notice, progress: progress)
        bar.finish()
        for issue in report.lexiconIssues {
            let place = issue.line > 0 ? "\(issue.source):\(issue.line)" : issue.source
            console.err("kg: warning: \(place): \(issue.message)\n")
        }
        if json {
            let skipped: [JSON] = report.skipped.map { s in JSON.object([("path", .string(s.path)), ("reason", .string(s.reason))]) }
            let rebuilt: JSON = report.rebuildReason.map { JSON.string($0) } ?? .null
            var fields: [(String, JSON)] = []
            fields.append(("added", .array(report.added.map { JSON.string($0) })))
            fields.append(("changed", .array(report.changed.map { JSON.string($0) })))
            fields.append(("removed", .array(report.removed.map { JSON.string($0) })))
            fields.append(("unchanged", .int(report.unchanged)))
            fields.append(("skipped", .array(skipped)))
            fields.append(("rebuilt", rebuilt))
            fields.append(("analyzed", .int(report.analyzed)))
            fields.append(("seconds", .double(report.seconds)))
            emit(.object(fields))
            return
        }
        var text = ""
        if let why = report.rebuildReason { text += "rebuilt: \(why)\n" }
        text += "added: \(report.added.count)  changed: \(report.changed.count)  removed: \(report.removed.count)  "
        text += "unchanged: \(report.unchanged)  skipped: \(report.skipped.count)\n"
        // Up to 20 paths of each kind; --json lists them all.
        func list(_ items: [String], _ mark: String, _ word: String) {
            for p in items.prefix(20) { text += "  \(mark) \(p)\n" }
            if items.count > 20 { text += "  \(mark) … and \(items.count - 20) more \(word) (--json lists all)\n" }
        }
        list(report.added, "+", "added")
        list(report.changed, "~", "changed")
        list(report.removed, "-", "removed")
        list(report.skipped.map { "\($0.path): \($0.reason)" }, "!", "skipped")
        text += "read \(report.analyzed) notes in \(String(format: "%.3f", report.seconds)) s"
        text += report.wroteIndex ? "\n" : " (index already up to date)\n"
        console.out(text)
    }

    private func search() throws(KGError) {
        guard !args.positional.isEmpty else { throw .usage("search needs a query (see kg search --help)") }
        let parsed = SearchQuery(args.positional.joined(separator: " "))
        for part in parsed.ignored {
            console.err("kg: note: '\(part)' has no letters or digits to search for; ignored\n")
        }
        let limit = try limit(default: 10)
        var hits: [SearchHit] = []
        var total = 0
        if !parsed.isEmpty {
            (hits, total) = try query { (reader) throws(CorruptIndex) in
                try Searcher(reader: reader) { path in self.lines(path) }.search(parsed, limit: limit)
            }
        }
        if json {
            var items: [JSON] = []
            for h in hits {
                var matches: [JSON] = []
                for l in h.lines { matches.append(.object([("line", .int(l)), ("text", .string(lineText(h.note, l)))])) }
                items.append(.object([("note", .string(h.note)), ("score", .double(h.score)), ("matches", .array(matches))]))
            }
            emit(.array(items))
            return
        }
        if hits.isEmpty {
            if !parsed.isEmpty { console.err("kg: no note contains \(parsed.ignored.isEmpty ? "" : "the rest of ")that query\n") }
            return
        }
        var text = ""
        for h in hits {
            text += "\(h.note)  (score \(JSON.number(h.score)))\n"
            for l in h.lines.prefix(5) { text += "  \(l): \(lineText(h.note, l))\n" }
            if h.lines.count > 5 { text += "  … \(h.lines.count - 5) more lines\n" }
        }
        if total > hits.count { text += "(\(total - hits.count) more notes; --limit 0 shows all)\n" }
        console.out(text)
    }

    private func measure() throws(KGError) -> RelatednessMeasure {
        guard let by = args.values["--by"] else { return .proximity }
        guard let m = RelatednessMeasure(rawValue: by) else {
            throw .usage("--by takes \(RelatednessMeasure.allCases.map(\.rawValue).joined(separator: ", ")), not '\(by)'")
        }
        return m
    }

    private func related() throws(KGError) {
        guard !args.positional.isEmpty else { throw .usage("related needs an entity or a note (see kg related --help)") }
        let measure = try measure()
        let name = args.positional.joined(separator: " ")
        let lowered = name.lowercased()
        if lowered.hasSuffix(".md") || lowered.hasSuffix(".markdown") {
            let (lexicon, graph, notes) = try query { (r) throws(CorruptIndex) in (try r.lexicon(), try r.graph(), try r.notes()) }
            let notePath = name.hasPrefix("./") ? String(name.dropFirst(2)) : name
            guard let index = notes.firstIndex(where: { $0.path == notePath }) ?? notes.firstIndex(where: { $0.path.hasSuffix("/" + notePath) })
            else { throw .failure("no note '\(name)' in the index") }
            return try relatedNote(index, lexicon: lexicon, graph: graph, notes: notes)
        }
        let limit = try limit(default: 10)
        let type = args.values["--type"]
        // Rank from the graph alone; decode only the notes that hold evidence for the
        // neighbours shown.
        let (lexicon, graph, id, all, shown) = try query {
            (r) throws(CorruptIndex) -> (Lexicon, CoMentionGraph, Int32, [RelatedEntity], [RelatedEntity]) in
            let lexicon = try r.lexicon()
            let graph = try r.graph()
            guard let found = lexicon.lookup(name) else { return (lexicon, graph, -1, [], []) }
            let id = Int32(found)
            let all = Related.neighbours(of: id, graph: graph, noteCount: try r.noteCount(), type: type, lexicon: lexicon, by: measure)
            var shown = Array(all.prefix(limit))
            let mine = try r.notesMentioning(id)
            var cache: [Int32: NoteRecord] = [:]
            for k in shown.indices {
                let shared = Session.intersection(mine, try r.notesMentioning(shown[k].entity))
                shown[k].evidence = try Related.evidence(id, shown[k].entity, count: shared.count, limit: 3) {
                    (i) throws(CorruptIndex) -> NoteRecord in
                    let n = shared[i]
                    if let rec = cache[n] { return rec }
                    let rec = try r.note(at: Int(n))
                    cache[n] = rec
                    return rec
                }
            }
            return (lexicon, graph, id, all, shown)
        }
        if id < 0 { throw .unknownEntity(name, suggestions: Related.suggestions(for: name, in: lexicon)) }
        let me = lexicon.entities[Int(id)]
        let explain = args.flags.contains("--explain")
        if json {
            var items: [JSON] = []
            for r in shown {
                let e = lexicon.entities[Int(r.entity)]
                var fields: [(String, JSON)] = [("entity", .string(e.name)), ("type", .string(e.type)), ("score", .double(r.score)),
                    ("notes", .int(r.notes)), ("sections", .int(r.sections))]
                if explain {
                    fields.append(("closeness", .double(r.closeness)))
                    fields.append(("damping", .double(r.damping)))
                    fields.append(("npmi", .double(r.npmi)))
                    fields.append(("jaccard", .double(r.jaccard)))
                }
                var ev: [JSON] = []
                for x in r.evidence {
                    ev.append(.object([("note", .string(x.note)), ("line", .int(x.line)), ("text", .string(lineText(x.note, x.line)))]))
                }
                fields.append(("evidence", .array(ev)))
                items.append(.object(fields))
            }
            emit(.array(items))
            return
        }
        let s = graph.stats[Int(id)]
        var text = "\(me.name) (\(me.type)): \(s.mentions) mentions in \(s.notes) notes; \(all.count) related, by \(measure.rawValue)\n"
        for (i, r) in shown.enumerated() {
            let e = lexicon.entities[Int(r.entity)]
            text += "\n\(i + 1). \(e.name) (\(e.type))  score \(JSON.number(r.score))  notes \(r.notes)  sections \(r.sections)\n"
            if explain {
                text += "   closeness \(JSON.number(r.closeness)) × damping \(JSON.number(r.damping)) = \(JSON.number(Related.round3(r.closeness * r.damping)))"
                text += "   npmi \(JSON.number(r.npmi))   jaccard \(JSON.number(r.jaccard))\n"
            }
            for x in r.evidence { text += "   \(x.note):\(x.line): \(lineText(x.note, x.line))\n" }
        }
        if all.count > shown.count { text += "\n(\(all.count - shown.count) more; --limit 0 shows all)\n" }
        console.out(text)
    }

    /// The ids in both ascending lists.
    static func intersection(_ a: [Int32], _ b: [Int32]) -> [Int32] {
        var out: [Int32] = []
        var i = 0
        var j = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] {
                out.append(a[i])
                i += 1
                j += 1
            } else if a[i] < b[j] {
                i += 1
            } else {
                j += 1
            }
        }
        return out
    }

    private func relatedNote(_ index: Int, lexicon: Lexicon, graph: CoMentionGraph, notes: [NoteRecord]) throws(KGError) {
        let limit = try limit(default: 10)
        let (entities, related) = Related.aboutNote(index, notes: notes, graph: graph, limit: limit)
        let note = notes[index]
        if json {
            emit(.object([
                ("note", .string(note.path)),
                ("entities", .array(entities.map { e in
                    let x = lexicon.entities[Int(e.entity)]
                    return .object([("entity", .string(x.name)), ("type", .string(x.type)), ("mentions", .int(e.mentions)), ("score", .double(e.score))])
                })),
                ("notes", .array(related.map { r in
                    .object([("note", .string(r.note)), ("score", .double(r.score)),
                        ("shared", .array(r.shared.map { JSON.string(lexicon.entities[Int($0)].name) }))])
                })),
            ]))
            return
        }
        var text = "\(note.path) is about:\n"
        for e in entities {
            let x = lexicon.entities[Int(e.entity)]
            text += "  \(x.name) (\(x.type))  \(e.mentions) mentions  score \(JSON.number(e.score))\n"
        }
        if entities.isEmpty { text += "  (no entity is mentioned)\n" }
        text += "\nRelated notes not linked yet:\n"
        for r in related {
            let shared = r.shared.prefix(6).map { lexicon.entities[Int($0)].name }.joined(separator: ", ")
            text += "  \(r.note)  score \(JSON.number(r.score))  shares \(shared)\(r.shared.count > 6 ? ", …" : "")\n"
        }
        if related.isEmpty { text += "  (none)\n" }
        console.out(text)
    }

    private func path() throws(KGError) {
        guard args.positional.count == 2 else { throw .usage("path needs two entities: kg path A B (quote names with spaces)") }
        let (lexicon, graph, notes) = try query { (r) throws(CorruptIndex) in (try r.lexicon(), try r.graph(), try r.notes()) }
        let a = try entity(named: args.positional[0], in: lexicon)
        let b = try entity(named: args.positional[1], in: lexicon)
        guard let chain = GraphAnalysis.path(from: a, to: b, in: graph) else {
            if json { emit(.object([("path", .array([])), ("hops", .array([]))])) }
            console.err("kg: \(lexicon.entities[Int(a)].name) and \(lexicon.entities[Int(b)].name) are not connected by co-mentions\n")
            return
        }
        var hops: [(from: Int32, to: Int32, edge: CoMention?, evidence: [Evidence])] = []
        for k in 0..<(chain.count - 1) {
            let x = chain[k]
            let y = chain[k + 1]
            let edge = graph.edges.first { ($0.a, $0.b) == (min(x, y), max(x, y)) }
            hops.append((x, y, edge, Related.evidence(x, y, notes: notes, limit: 2)))
        }
        if json {
            emit(.object([
                ("path", .array(chain.map { JSON.string(lexicon.entities[Int($0)].name) })),
                ("hops", .array(hops.map { h in
                    .object([("from", .string(lexicon.entities[Int(h.from)].name)), ("to", .string(lexicon.entities[Int(h.to)].name)),
                        ("notes", .int(Int(h.edge?.notes ?? 0))),
                        ("evidence", .array(h.evidence.map { e in
                            .object([("note", .string(e.note)), ("line", .int(e.line)), ("text", .string(lineText(e.note, e.line)))])
                        }))])
                })),
            ]))
            return
        }
        var text = chain.map { lexicon.entities[Int($0)].name }.joined(separator: " — ") + "\n"
        for h in hops {
            text += "\n\(lexicon.entities[Int(h.from)].name) — \(lexicon.entities[Int(h.to)].name)  (\(h.edge?.notes ?? 0) notes)\n"
            for e in h.evidence { text += "   \(e.note):\(e.line): \(lineText(e.note, e.line))\n" }
        }
        console.out(text)
    }

    private func communities() throws(KGError) {
        let (lexicon, graph) = try query { (r) throws(CorruptIndex) in (try r.lexicon(), try r.graph()) }
        let analysis = GraphAnalysis(graph: graph, lexicon: lexicon)
        let limit = try limit(default: 10)
        let shown = analysis.communities.prefix(limit)
        if json {
            emit(.array(shown.enumerated().map { (k, members) in
                .object([("community", .int(k + 1)), ("size", .int(members.count)),
                    ("members", .array(members.map { id in
                        .object([("entity", .string(lexicon.entities[Int(id)].name)), ("type", .string(lexicon.entities[Int(id)].type)),
                            ("degree", .double(analysis.degree[Int(id)])), ("betweenness", .double(analysis.betweenness[Int(id)]))])
                    }))])
            }))
            return
        }
        var text = ""
        for (k, members) in shown.enumerated() {
            let top = members.prefix(8).map { lexicon.entities[Int($0)].name }.joined(separator: ", ")
            text += "\(k + 1). \(members.count) entities: \(top)\(members.count > 8 ? ", …" : "")\n"
        }
        if analysis.communities.count > shown.count { text += "(\(analysis.communities.count - shown.count) more; --limit 0 shows all)\n" }
        let central = analysis.betweenness.indices.filter { graph.stats[$0].mentions > 0 }
            .sorted { analysis.betweenness[$0] != analysis.betweenness[$1] ? analysis.betweenness[$0] > analysis.betweenness[$1] : $0 < $1 }
            .prefix(5).map { "\(lexicon.entities[$0].name) \(JSON.number(analysis.betweenness[$0]))" }
        if !central.isEmpty { text += "\nbridges (betweenness): \(central.joined(separator: ", "))\n" }
        console.out(text)
    }

    private func mentions() throws(KGError) {
        let (lexicon, notes) = try query { (r) throws(CorruptIndex) in (try r.lexicon(), try r.notes()) }
        var only: Int32?
        if !args.positional.isEmpty { only = try entity(named: args.positional.joined(separator: " "), in: lexicon) }
        let type = args.values["--type"]
        let limit = try limit(default: 10)
        var all: [(note: String, m: Mention)] = []
        for n in notes {
            for m in n.mentions where (only == nil || m.entity == only) && (type == nil || lexicon.entities[Int(m.entity)].type == type) {
                all.append((n.path, m))
            }
        }
        let rows = all.prefix(limit)
        if json {
            emit(.array(rows.map { r in
                let e = lexicon.entities[Int(r.m.entity)]
                return .object([("note", .string(r.note)), ("line", .int(Int(r.m.line))), ("entity", .string(e.name)),
                    ("type", .string(e.type)), ("text", .string(r.m.surface))])
            }))
            return
        }
        var text = ""
        for r in rows {
            let label = only == nil ? "[\(lexicon.entities[Int(r.m.entity)].name)] " : ""
            text += "\(r.note):\(r.m.line): \(label)\(lineText(r.note, Int(r.m.line)))\n"
        }
        if rows.isEmpty, let only { console.err("kg: \(lexicon.entities[Int(only)].name) is not mentioned in any note\n") }
        if all.count > rows.count { text += "(\(all.count - rows.count) more; --limit 0 shows all)\n" }
        console.out(text)
    }

    private func entities() throws(KGError) {
        let (lexicon, graph) = try query { (r) throws(CorruptIndex) in (try r.lexicon(), try r.graph()) }
        let type = args.values["--type"]
        let limit = try limit(default: 10)
        var ids = lexicon.entities.indices.filter { type == nil || lexicon.entities[$0].type == type }
        ids.sort { a, b in
            let sa = graph.stats[a]
            let sb = graph.stats[b]
            if sa.mentions != sb.mentions { return sa.mentions > sb.mentions }
            return lexicon.entities[a].name.utf8.lexicographicallyPrecedes(lexicon.entities[b].name.utf8)
        }
        let shown = ids.prefix(limit)
        if json {
            emit(.array(shown.map { i in
                let e = lexicon.entities[i]
                return .object([("name", .string(e.name)), ("type", .string(e.type)), ("aliases", .array(e.aliases.map(JSON.string))),
                    ("mentions", .int(Int(graph.stats[i].mentions))), ("notes", .int(Int(graph.stats[i].notes)))])
            }))
            return
        }
        var text = ""
        for i in shown {
            let e = lexicon.entities[i]
            let s = graph.stats[i]
            text += "\(e.name) (\(e.type))  \(s.mentions) mentions in \(s.notes) notes"
            if !e.aliases.isEmpty { text += "  aka \(e.aliases.joined(separator: ", "))" }
            text += "\n"
        }
        if ids.count > shown.count { text += "(\(ids.count - shown.count) more; --limit 0 shows all)\n" }
        console.out(text)
    }

    private func suggest() throws(KGError) {
        let (lexicon, notes) = try query { (r) throws(CorruptIndex) in (try r.lexicon(), try r.notes()) }
        if let name = args.values["--accept"] {
            let path = indexer.lexiconPath
            var current = ""
            if FileManager.default.fileExists(atPath: path) {
                guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                    throw .failure("cannot read \(path)")
                }
                current = text
            }
            let updated = try LexiconEditor.accept(name: name, type: args.values["--type"] ?? "concept", aliasOf: args.values["--alias-of"],
                in: current, lexicon: lexicon)
            try DurableWrite.write(updated, to: path)
            if let target = args.values["--alias-of"] {
                let canonical = lexicon.lookup(target).map { lexicon.entities[$0].name } ?? target
                console.out("added '\(name)' as an alias of \(canonical) in .kg/lexicon.txt\n")
            } else {
                console.out("added \(args.values["--type"] ?? "concept"): \(name) to .kg/lexicon.txt\n")
            }
            return
        }
        if args.values["--alias-of"] != nil { throw .usage("--alias-of goes with --accept NAME") }
        var texts: [(path: String, text: String)] = []
        for n in notes { if case .success(let t) = vault.text(n.path) { texts.append((n.path, t)) } }
        let all = Suggester.suggest(notes: texts, lexicon: lexicon)
        let shown = all.prefix(try limit(default: 10))
        if json {
            emit(.array(shown.map { s in
                .object([("name", .string(s.name)), ("kinds", .array(s.kinds.map { JSON.string($0) })),
                    ("alias_of", s.aliasOf.map { JSON.string($0) } ?? .null), ("count", .int(s.count)), ("notes", .int(s.notes)),
                    ("examples", .array(s.examples.map { e in
                        .object([("note", .string(e.note)), ("line", .int(e.line)), ("text", .string(lineText(e.note, e.line)))])
                    }))])
            }))
            return
        }
        var text = ""
        for s in shown {
            text += "\(s.name)  [\(s.kinds.joined(separator: ", "))]  \(s.count)× in \(s.notes) notes"
            if let a = s.aliasOf { text += "  → alias of \(a)?" }
            text += "\n"
            for e in s.examples { text += "   \(e.note):\(e.line): \(lineText(e.note, e.line))\n" }
        }
        if all.count > shown.count { text += "(\(all.count - shown.count) more; --limit 0 shows all)\n" }
        if !all.isEmpty { text += "accept one with: kg suggest --accept NAME [--type T] [--alias-of ENTITY]\n" }
        console.out(text)
    }

    private func doctor() throws(KGError) {
        let (lexicon, graph, notes) = try query { (r) throws(CorruptIndex) in (try r.lexicon(), try r.graph(), try r.notes()) }
        let report = Doctor.examine(lexicon: lexicon, graph: graph, notes: notes)
        if json {
            emit(.object([
                ("collisions", .array(report.collisions.map { i in
                    .object([("source", .string(i.source)), ("line", .int(i.line)), ("message", .string(i.message))])
                })),
                ("short_names", .array(report.shortNames.map { .object([("name", .string($0.name)), ("entity", .string($0.entity))]) })),
                ("unmentioned", .array(report.unmentioned.map { JSON.string($0) })),
                ("unlinked_mentions", .array(report.unlinked.map { u in
                    .object([("note", .string(u.note)), ("line", .int(u.line)), ("entity", .string(u.entity)), ("entity_note", .string(u.entityNote))])
                })),
            ]))
            return
        }
        var text = ""
        text += "Names that collide (\(report.collisions.count)):\n"
        for i in report.collisions { text += "  \(i.line > 0 ? "\(i.source):\(i.line)" : i.source): \(i.message)\n" }
        text += "\nShort names that may match unrelated text (\(report.shortNames.count)):\n"
        if !report.shortNames.isEmpty {
            text += "  " + report.shortNames.map { $0.name == $0.entity ? $0.name : "\($0.name) (\($0.entity))" }.joined(separator: ", ") + "\n"
        }
        text += "\nEntities never mentioned (\(report.unmentioned.count)):\n"
        if !report.unmentioned.isEmpty { text += "  " + report.unmentioned.joined(separator: ", ") + "\n" }
        text += "\nNotes that mention an entity note without linking it (\(report.unlinked.count)):\n"
        for u in report.unlinked { text += "  \(u.note):\(u.line): \(u.entity) → [[\(u.entityNote)]]\n" }
        if report.isHealthy { text += "\nNo problems found.\n" }
        console.out(text)
    }

    private func export() throws(KGError) {
        let formats = ["--dot", "--graphml", "--mermaid", "--html"].filter { args.flags.contains($0) } + (json ? ["--json"] : [])
        if formats.count > 1 { throw .usage("choose one format: \(formats.joined(separator: ", "))") }
        var size = GraphExport.NodeSize.mentions
        if let s = args.values["--size"] {
            guard let v = GraphExport.NodeSize(rawValue: s) else {
                throw .usage("--size takes \(GraphExport.NodeSize.allCases.map(\.rawValue).joined(separator: ", ")), not '\(s)'")
            }
            size = v
        }
        let (lexicon, graph, notes) = try query { (r) throws(CorruptIndex) in (try r.lexicon(), try r.graph(), try r.notes()) }
        var filter = GraphSelection.Filter(type: args.values["--type"], minNotes: try args.int("--min-notes", default: 1),
            depth: try args.int("--depth", default: 1))
        if let around = args.values["--around"] { filter.around = try entity(named: around, in: lexicon) }
        if args.values["--top"] != nil { filter.top = try args.int("--top", default: 0) }
        for name in args.lists["--exclude"] ?? [] { filter.exclude.insert(try entity(named: name, in: lexicon)) }
        let selection = GraphSelection(graph: graph, lexicon: lexicon, filter: filter)
        // Communities and centrality are computed only for the formats that show them.
        let analysis = { GraphAnalysis(graph: graph, lexicon: lexicon) }
        switch formats.first ?? "--dot" {
        case "--json": emit(GraphExport.json(selection, graph: graph, lexicon: lexicon, analysis: analysis()))
        case "--graphml": console.out(GraphExport.graphML(selection, graph: graph, lexicon: lexicon, analysis: analysis()))
        case "--mermaid": console.out(GraphExport.mermaid(selection, graph: graph, lexicon: lexicon))
        case "--html":
            var details: [Int32: NodeDetails] = [:]
            var byEntity: [Int32: [(String, Int32)]] = [:]
            for n in notes { for m in n.mentions { byEntity[m.entity, default: []].append((n.path, m.line)) } }
            for id in selection.nodes {
                let places = byEntity[id] ?? []
                var seen = Set<String>()
                var lines: [Evidence] = []
                var noteList: [String] = []
                for (note, line) in places {
                    if seen.insert(note).inserted { noteList.append(note) }
                    if lines.count < 8 && !lines.contains(Evidence(note: note, line: Int(line))) { lines.append(Evidence(note: note, line: Int(line))) }
                }
                details[id] = NodeDetails(notes: Array(noteList.prefix(30)), lines: lines, texts: lines.map { lineText($0.note, $0.line) })
            }
            let name = URL(fileURLWithPath: vault.root).lastPathComponent
            console.out(GraphExport.html(selection, graph: graph, lexicon: lexicon, analysis: analysis(), details: details,
                title: "kg — \(name)"))
        default:
            let clusters = args.flags.contains("--communities")
            console.out(GraphExport.dot(selection, graph: graph, lexicon: lexicon, size: size,
                analysis: clusters || size != .mentions ? analysis() : nil, clusters: clusters))
        }
    }

    private func watch() throws(KGError) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw .failure("cannot create a pipe: \(String(cString: strerror(errno)))") }
        defer {
            close(fds[0])
            close(fds[1])
        }
        // Ctrl-C and SIGTERM stop the watcher between updates, never in the middle of one.
        let stopWriter = fds[1]
        let queue = DispatchQueue(label: "kg.watch.signals")
        var sources: [DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            source.setEventHandler {
                var byte: UInt8 = 1
                _ = Glibc.write(stopWriter, &byte, 1)
            }
            source.resume()
            sources.append(source)
        }
        defer {
            for s in sources { s.cancel() }
            signal(SIGINT, SIG_DFL)
            signal(SIGTERM, SIG_DFL)
        }
        var watcher = Watcher(indexer: indexer)
        watcher.forcePolling = args.flags.contains("--poll")
        console.out("watching \(vault.root) (Ctrl-C to stop)\n")
        let console = self.console
        let json = self.json
        try watcher.run(stopFD: fds[0]) { event in
            switch event {
            case .notice(let text): console.err("kg: \(text)\n")
            case .updated(let r): console.out(Session.updateLine(r, json: json) + "\n")
            }
        }
        console.out("stopped watching\n")
    }

    /// One line per applied update: time, counts, the paths when few, duration.
    static func updateLine(_ r: IndexReport, json: Bool) -> String {
        let ms = Int((r.seconds * 1000).rounded())
        if json {
            return JSON.object([("added", .array(r.added.map { JSON.string($0) })), ("changed", .array(r.changed.map { JSON.string($0) })),
                ("removed", .array(r.removed.map { JSON.string($0) })), ("rebuilt", r.rebuildReason.map { JSON.string($0) } ?? .null),
                ("milliseconds", .int(ms))]).rendered(pretty: false)
        }
        var t = time(nil)
        var tm = tm()
        localtime_r(&t, &tm)
        let clock = String(format: "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec)
        var parts: [String] = []
        if let why = r.rebuildReason { parts.append("rebuilt (\(why))") }
        if !r.added.isEmpty { parts.append("\(r.added.count) added") }
        if !r.changed.isEmpty { parts.append("\(r.changed.count) changed") }
        if !r.removed.isEmpty { parts.append("\(r.removed.count) removed") }
        let paths = r.added + r.changed + r.removed
        var line = "\(clock)  \(parts.joined(separator: ", ")) in \(ms) ms"
        if !paths.isEmpty && paths.count <= 3 { line += ": " + paths.joined(separator: ", ") }
        return line
    }

    private func stats() throws(KGError) {
        let (meta, notes, graph, files, terms, bytes) = try query { (r) throws(CorruptIndex) in
            (try r.meta(), try r.notes(), try r.graph(), try r.files(), try r.termTotal(), r.totalByteCount)
        }
        let mentions = notes.reduce(0) { $0 + $1.mentions.count }
        let mentioned = graph.stats.filter { $0.mentions > 0 }.count
        let skipped = files.filter { $0.skipReason != nil }.count
        let fields: [(String, Int)] = [
            ("notes", notes.count), ("skipped", skipped), ("entities", meta.entities), ("mentioned_entities", mentioned),
            ("mentions", mentions), ("edges", graph.edges.count), ("terms", terms), ("index_bytes", bytes),
        ]
        if json {
            emit(.object(fields.map { ($0.0, .int($0.1)) }))
            return
        }
        console.out(fields.map { "\($0.0.replacingOccurrences(of: "_", with: " ")): \($0.1)" }.joined(separator: "\n") + "\n")
    }
}

/// A one-line progress bar on stderr, drawn only after half a second.
final class ProgressBar: @unchecked Sendable {
    private let console: Console
    private let lock = NSLock()
    private let start = Date()
    private var drawn = false
    private var lastDraw = Date.distantPast

    init(console: Console) { self.console = console }

    func update(_ done: Int, _ total: Int) {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(start) > 0.5, now.timeIntervalSince(lastDraw) > 0.1 || done == total else { return }
        lastDraw = now
        drawn = true
        let width = 30
        let filled = total > 0 ? width * done / total : width
        console.err("\r[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] \(done)/\(total) notes")
    }

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if drawn { console.err("\r" + String(repeating: " ", count: 60) + "\r") }
    }
}
