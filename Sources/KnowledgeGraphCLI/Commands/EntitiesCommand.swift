import KnowledgeGraph

enum EntitiesCommand {
    static let command = Command(
        name: "entities", synopsis: "", summary: "entities with their mention and note counts",
        details: """
            Entities from .kg/lexicon.txt, entity notes and discovery, with type, aliases,
            mentions and notes, most mentioned first; discovered ones are marked with their
            confidence, and one never mentioned on its own (only inside a longer name) is
            left out. A name marked "(in links only)" matches only inside a link: a short
            or everyday title or alias of a linked note. JSON adds "source" (lexicon, note,
            discovered), "confidence", "signals" and "link_only" (those names).
            """,
        arguments: 0...0, options: ["--limit", "--type"] + queryOptions, servable: true
    ) { inv throws(KGError) in
        let list = try inv.kb.entities(type: inv.value("--type"), limit: try inv.limit(default: 10))
        if inv.json { return inv.emit(list.json) }
        var text = ""
        for e in list.entities {
            let found = e.origin.source == .discovered ? ", discovered \(number(e.origin.confidence))" : ""
            text += "\(e.name) (\(e.type)\(found))  \(counted(e.mentions, "mention")) in \(counted(e.notes, "note"))"
            if e.origin.linkOnly.contains(e.name) { text += "  (in links only)" }
            let aliases = e.aliases.map { e.origin.linkOnly.contains($0) ? "\($0) (in links only)" : $0 }
            if !aliases.isEmpty { text += "  aka \(aliases.joined(separator: ", "))" }
            text += "\n"
        }
        inv.out(text)
        inv.more(list.total - list.entities.count, "entity", "entities")
    }
}
