import KnowledgeGraph

enum MentionsCommand {
    static let command = Command(
        name: "mentions",
        help: """
            Usage: kg mentions [ENTITY] [--type T] [--limit N] [--json]

            Every mention of ENTITY (all entities when none is given) as file:line: text,
            in path and line order.
            """,
        options: queryOptions.union(["--limit", "--type"])
    ) { inv throws(KGError) in
        let name = inv.positional.isEmpty ? nil : inv.positional.joined(separator: " ")
        let list = try inv.kb.mentions(of: name, type: inv.value("--type"), limit: try inv.limit(default: 10))
        if inv.json { return inv.emit(list.json) }
        var text = ""
        for m in list.mentions {
            let label = list.entity == nil ? "[\(m.entity)] " : ""
            text += "\(m.note):\(m.line): \(label)\(m.text.displayLine())\n"
        }
        if list.mentions.isEmpty, let only = list.entity { inv.console.err("kg: \(only.name) is not mentioned in any note\n") }
        if list.total > list.mentions.count { text += "(\(list.total - list.mentions.count) more; --limit 0 shows all)\n" }
        inv.out(text)
    }
}
