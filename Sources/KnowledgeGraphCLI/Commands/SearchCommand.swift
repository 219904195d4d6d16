import KnowledgeGraph

enum SearchCommand {
    static let command = Command(
        name: "search", synopsis: "QUERY...", summary: "notes matching words, \"phrases\", OR, NOT and fields, ranked",
        details: """
            Notes matching the query, ranked by BM25, each with its matching lines as
            path:line: text (a long line is cut to a window around the match).

            Query language:
              word "a phrase"    every term must occur (AND)
              A OR B             either
              -word, NOT word    not this (also -"phrase", -(A OR B), -tag:x)
              ( ... )            grouping
              light*             a Latin word starting so (lightgcn, lightgbm)
              tag:ml             notes tagged ml or under it (#ml/recsys)
              path:journal/      notes whose path starts so
              entity:Name        notes that mention the entity (any of its names)
              links:NOTE         notes with a link to NOTE
              linked-by:NOTE     notes NOTE links to
            OR and NOT are operators in capitals only; quote a value with spaces
            (entity:"Deep Learning"). A query of filters only lists the matching notes.
            Latin words match whole words in any case (fm finds FM은, not FFM); Korean
            matches inside words (카카오 finds 카카오에서), and a space next to a Hangul
            syllable is optional (카카오엔터 finds 카카오 엔터). Punctuation is matched
            literally (C++, node.js). A bad query is a usage error that says where.

              --since DATE   only notes dated on or after DATE (YYYY-MM-DD): their
                             front-matter date (or created), else the file's day
              --until DATE   only notes dated on or before DATE
              --sort S       score (default), modified (newest file first) or path
              --all-lines    every matching line of each note (else the first 5)
            JSON gives every matching line whole, with the column of its first match.
            """,
        arguments: 1...Int.max, options: ["--limit", "--all-lines", "--since", "--until", "--sort"] + queryOptions, servable: true
    ) { inv throws(KGError) in
        let query = inv.positional.joined(separator: " ")
        var sort = SearchSort.score
        if let s = inv.value("--sort") {
            guard let v = SearchSort(rawValue: s) else {
                throw .usage("--sort takes \(SearchSort.allCases.map(\.rawValue).joined(separator: ", ")), not '\(shortened(s))'")
            }
            sort = v
        }
        let results = try inv.kb.search(query, limit: try inv.limit(default: 10), since: inv.value("--since"), until: inv.value("--until"),
            sort: sort)
        for part in results.ignored { inv.note("'\(shortened(part))' has no letters or digits to search for; ignored") }
        if inv.json { return inv.emit(results.json) }
        if results.hits.isEmpty {
            inv.note("no note matches \(results.ignored.isEmpty ? "" : "the rest of ")that query")
            return
        }
        let shown = inv.flag("--all-lines") ? Int.max : 5
        var text = ""
        var grouped = false
        for h in results.hits {
            if h.lines.isEmpty {
                text += (grouped ? "\n" : "") + h.note + "\n"
                grouped = false
                continue
            }
            if !text.isEmpty { text += "\n" }
            grouped = true
            text += "\(h.note)  score \(number(h.score))  \(counted(h.lines.count, "matching line"))\n"
            for l in h.lines.prefix(shown) { text += placeLine(l) }
            if h.lines.count > shown { text += "  (\(counted(h.lines.count - shown, "more line")); --all-lines shows them)\n" }
        }
        inv.out(text)
        inv.more(results.total - results.hits.count, "note")
    }
}
