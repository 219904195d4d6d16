import KnowledgeGraph

enum MentionsCommand {
    static let command = Command(
        name: "mentions", synopsis: "[ENTITY]", summary: "where an entity (or every entity) is mentioned",
        details: """
            Every mention of ENTITY (all entities when none is given) as path:line:column: text,
            in path and line order; the column (in characters, from 1) tells two mentions on
            one line apart.
            """,
        arguments: 0...Int.max, options: ["--limit", "--type"] + queryOptions, servable: true
    ) { inv throws(KGError) in
        let name = inv.positional.isEmpty ? nil : inv.positional.joined(separator: " ")
        // Written as the mentions are read, in chunks: every mention of a large vault
        // (`--limit 0`) is never held at once.
        var chunk = ""
        func write(_ s: String) {
            chunk += s
            if chunk.utf8.count >= 1 << 16 {
                inv.out(chunk)
                chunk = ""
            }
        }
        var array = JSON.ArrayWriter()
        var shown = 0
        let (entity, total) = try inv.kb.eachMention(of: name, type: inv.value("--type"), limit: try inv.limit(default: 10), withLines: !inv.json) { m in
            shown += 1
            if inv.json { return write(array.item(m.json)) }
            write("\(m.note):\(m.line):\(m.column + 1): \(name == nil ? "[\(m.entity)] " : "")\(m.shown)\n")
        }
        if inv.json {
            write(array.end() + "\n")
        } else if shown == 0, let only = entity {
            inv.note("\(only.name) is not mentioned in any note")
        }
        inv.out(chunk)
        inv.more(total - shown, "mention")
    }
}
