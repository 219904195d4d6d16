import KnowledgeGraph

enum SearchCommand {
    static let command = Command(
        name: "search",
        help: """
            Usage: kg search QUERY... [--limit N] [--json] [--no-refresh]

            Notes containing every term, ranked by BM25, with the matching lines.
            A term is a word or a "quoted phrase". Latin words match whole words in any case
            (fm finds FM은 but not FFM); Korean matches inside words (면접 finds 면접관,
            카카오 finds 카카오에서). Punctuation is matched literally (C++, node.js, A/B).
            """,
        options: queryOptions.union(["--limit"])
    ) { inv throws(KGError) in
        guard !inv.positional.isEmpty else { throw .usage("search needs a query (see kg search --help)") }
        let limit = try inv.limit(default: 10)
        let results = try inv.kb.search(inv.positional.joined(separator: " "), limit: limit)
        for part in results.ignored { inv.note("'\(part)' has no letters or digits to search for; ignored") }
        if inv.json { return inv.emit(results.json) }
        if results.hits.isEmpty {
            if results.searched { inv.console.err("kg: no note contains \(results.ignored.isEmpty ? "" : "the rest of ")that query\n") }
            return
        }
        var text = ""
        for h in results.hits {
            text += "\(h.note)  (score \(number(h.score)))\n"
            for l in h.lines.prefix(5) { text += "  \(l.line): \(l.text.displayLine())\n" }
            if h.lines.count > 5 { text += "  … \(h.lines.count - 5) more lines\n" }
        }
        if results.total > results.hits.count { text += "(\(results.total - results.hits.count) more notes; --limit 0 shows all)\n" }
        inv.out(text)
    }
}
