import KnowledgeGraph

enum SuggestCommand {
    static let command = Command(
        name: "suggest", synopsis: "[NAME...]", summary: "names the lexicon misses; --accept adds them",
        details: """
            Candidate concepts and companies the lexicon lacks, ranked by notes and count,
            with example lines: [[wikilinks]] and #tags that name no entity, short headings,
            acronyms (CUAI) and CamelCase words (LightGCN), X(Y) definitions, Korean words
            seen before several particles across notes, and likely variants or misspellings
            of known names (Mflow → MLflow, lgbm → LightGBM) as alias suggestions.

            kg suggest --accept NAME [NAME...] [--type T] [--alias-of ENTITY]
            adds each NAME to .kg/lexicon.txt as a new entity of type T (default concept) or
            as an alias of ENTITY, keeping the file's comments and order (--accept may be
            repeated). This is the one file a person wrote that kg edits.
            """,
        arguments: 0...Int.max, options: ["--limit", "--accept", "--type", "--alias-of"] + queryOptions
    ) { inv throws(KGError) in
        let names = (inv.args.all["--accept"] ?? []) + inv.positional
        guard inv.value("--accept") != nil else {
            try inv.refuse(["--type", "--alias-of"], unless: false, "goes with --accept NAME")
            if let first = inv.positional.first { throw .usage("names to add go with --accept: kg suggest --accept \(shortened(first))") }
            return try list(inv)
        }
        try inv.refuse(["--limit"], unless: false, "does not apply to --accept")
        var changes: [LexiconChange] = []
        for name in names {
            changes.append(try inv.kb.accept(name, type: inv.value("--type") ?? "concept", aliasOf: inv.value("--alias-of")))
        }
        if inv.json {
            return inv.emit(.object([("added", .array(changes.map { c in
                .object([("name", .string(c.name)), ("type", .string(c.type)), ("alias_of", c.aliasOf.map(JSON.string) ?? .null)])
            }))]))
        }
        for change in changes {
            if let target = change.aliasOf {
                inv.out("added '\(change.name)' as an alias of \(target) in .kg/lexicon.txt\n")
            } else {
                inv.out("added \(change.type): \(change.name) to .kg/lexicon.txt\n")
            }
        }
    }

    static func list(_ inv: Invocation) throws(KGError) {
        let list = try inv.kb.suggestions(limit: try inv.limit(default: 10))
        if inv.json { return inv.emit(list.json) }
        var text = ""
        for s in list.suggestions {
            text += "\(s.name)  [\(s.kinds.joined(separator: ", "))]  \(s.count)× in \(counted(s.notes, "note"))"
            if let a = s.aliasOf { text += "  → alias of \(a)?" }
            text += "\n"
            for e in s.examples { text += placeLine(e, indent: "   ") }
        }
        inv.out(text)
        inv.more(list.total - list.suggestions.count, "suggestion")
        if list.total > 0 { inv.note("accept names with: kg suggest --accept NAME [--type T] [--alias-of ENTITY]") }
    }
}
