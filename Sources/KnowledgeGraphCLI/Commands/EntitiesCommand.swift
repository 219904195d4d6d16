import KnowledgeGraph

enum EntitiesCommand {
    static let command = Command(
        name: "entities",
        help: """
            Usage: kg entities [--type T] [--limit N] [--json]

            Entities from .kg/lexicon.txt and entity notes, with type, aliases, mentions and
            notes, most mentioned first.
            """,
        options: queryOptions.union(["--limit", "--type"])
    ) { inv throws(KGError) in
        let list = try inv.kb.entities(type: inv.value("--type"), limit: try inv.limit(default: 10))
        if inv.json { return inv.emit(list.json) }
        var text = ""
        for e in list.entities {
            text += "\(e.name) (\(e.type))  \(e.mentions) mentions in \(e.notes) notes"
            if !e.aliases.isEmpty { text += "  aka \(e.aliases.joined(separator: ", "))" }
            text += "\n"
        }
        if list.total > list.entities.count { text += "(\(list.total - list.entities.count) more; --limit 0 shows all)\n" }
        inv.out(text)
    }
}
