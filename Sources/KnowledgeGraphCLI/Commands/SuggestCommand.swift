import KnowledgeGraph

enum SuggestCommand {
    static let command = Command(
        name: "suggest",
        help: """
            Usage: kg suggest [--limit N] [--json]
                   kg suggest --accept NAME [--type T] [--alias-of ENTITY]

            Candidate concepts and companies the lexicon lacks, ranked by notes and count,
            with example lines: [[wikilinks]] and #tags that name no entity, short headings,
            acronyms (CUAI) and CamelCase words (LightGCN), X(Y) definitions, Korean words
            seen before several particles across notes, and likely variants or misspellings
            of known names (Mflow → MLflow, lgbm → LightGBM) as alias suggestions.
            --accept adds NAME to .kg/lexicon.txt as a new entity of type T (default concept)
            or as an alias of ENTITY, keeping the file's comments and order.
            """,
        options: queryOptions.union(["--limit", "--accept", "--type", "--alias-of"])
    ) { inv throws(KGError) in
        if let name = inv.value("--accept") {
            let change = try inv.kb.accept(name, type: inv.value("--type") ?? "concept", aliasOf: inv.value("--alias-of"))
            if let target = change.aliasOf {
                inv.out("added '\(change.name)' as an alias of \(target) in .kg/lexicon.txt\n")
            } else {
                inv.out("added \(change.type): \(change.name) to .kg/lexicon.txt\n")
            }
            return
        }
        if inv.value("--alias-of") != nil { throw .usage("--alias-of goes with --accept NAME") }
        let list = try inv.kb.suggestions(limit: try inv.limit(default: 10))
        if inv.json { return inv.emit(list.json) }
        var text = ""
        for s in list.suggestions {
            text += "\(s.name)  [\(s.kinds.joined(separator: ", "))]  \(s.count)× in \(s.notes) notes"
            if let a = s.aliasOf { text += "  → alias of \(a)?" }
            text += "\n"
            for e in s.examples { text += placeLine(e, indent: "   ") }
        }
        if list.total > list.suggestions.count { text += "(\(list.total - list.suggestions.count) more; --limit 0 shows all)\n" }
        if list.total > 0 { text += "accept one with: kg suggest --accept NAME [--type T] [--alias-of ENTITY]\n" }
        inv.out(text)
    }
}
