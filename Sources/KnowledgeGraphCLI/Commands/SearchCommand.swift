import KnowledgeGraph

enum SearchCommand {
    static let command = Command(
        name: "search", synopsis: "QUERY...", summary: "notes containing every word or \"quoted phrase\", ranked",
        details: """
            Notes containing every term, ranked by BM25, each with its matching lines as
            path:line: text (a long line is cut to a window around the match).
            A term is a word or a "quoted phrase". Latin words match whole words in any case
            (fm finds FM은 but not FFM); Korean matches inside words (면접 finds 면접관,
            카카오 finds 카카오에서), and a space next to a Hangul syllable is optional
            (카카오엔터 finds 카카오 엔터). Punctuation is matched literally (C++, node.js).
              --all-lines    every matching line of each note (else the first 5)
            JSON gives every matching line whole, with the column of its first match.
            """,
        arguments: 1...Int.max, options: ["--limit", "--all-lines"] + queryOptions
    ) { inv throws(KGError) in
        let query = inv.positional.joined(separator: " ")
        let results = try inv.kb.search(query, limit: try inv.limit(default: 10))
        for part in results.ignored { inv.note("'\(shortened(part))' has no letters or digits to search for; ignored") }
        if !results.searched { throw .usage("the query has nothing to search for (see kg search --help)") }
        if inv.json { return inv.emit(results.json) }
        if results.hits.isEmpty {
            inv.note("no note contains \(results.ignored.isEmpty ? "" : "the rest of ")that query")
            return
        }
        let shown = inv.flag("--all-lines") ? Int.max : 5
        var text = ""
        for (k, h) in results.hits.enumerated() {
            if k > 0 { text += "\n" }
            text += "\(h.note)  score \(number(h.score))  \(counted(h.lines.count, "matching line"))\n"
            for l in h.lines.prefix(shown) { text += placeLine(l) }
            if h.lines.count > shown { text += "  (\(counted(h.lines.count - shown, "more line")); --all-lines shows them)\n" }
        }
        inv.out(text)
        inv.more(results.total - results.hits.count, "note")
    }
}
