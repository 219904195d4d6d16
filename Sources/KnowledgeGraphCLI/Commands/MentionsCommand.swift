import KnowledgeGraph

enum MentionsCommand {
    static let command = Command(
        name: "mentions", synopsis: "[ENTITY]", summary: "where an entity (or every entity) is mentioned",
        details: """
            Every mention of ENTITY (all entities when none is given) as path:line:column: text,
            in path and line order; the column (in characters, from 1) tells two mentions on
            one line apart.
            """,
        arguments: 0...Int.max, options: ["--limit", "--type"] + queryOptions
    ) { inv throws(KGError) in
        let name = inv.positional.isEmpty ? nil : inv.positional.joined(separator: " ")
        let list = try inv.kb.mentions(of: name, type: inv.value("--type"), limit: try inv.limit(default: 10))
        if inv.json { return inv.emit(list.json) }
        var text = ""
        for m in list.mentions {
            let label = list.entity == nil ? "[\(m.entity)] " : ""
            text += "\(m.note):\(m.line):\(m.column + 1): \(label)\(m.shown)\n"
        }
        if list.mentions.isEmpty, let only = list.entity { inv.note("\(only.name) is not mentioned in any note") }
        inv.out(text)
        inv.more(list.total - list.mentions.count, "mention")
    }
}
