import KnowledgeGraph

enum PathCommand {
    static let command = Command(
        name: "path",
        help: """
            Usage: kg path A B [--json]

            The shortest chain of co-mentions from entity A to entity B (fewest hops, through
            the strongest edges), with the lines that show each hop.
            """,
        options: queryOptions
    ) { inv throws(KGError) in
        guard inv.positional.count == 2 else { throw .usage("path needs two entities: kg path A B (quote names with spaces)") }
        let path = try inv.kb.path(from: inv.positional[0], to: inv.positional[1])
        if !path.connected {
            if inv.json { inv.emit(path.json) }
            inv.console.err("kg: \(path.from) and \(path.to) are not connected by co-mentions\n")
            return
        }
        if inv.json { return inv.emit(path.json) }
        var text = path.chain.joined(separator: " — ") + "\n"
        for h in path.hops {
            text += "\n\(h.from) — \(h.to)  (\(h.notes) notes)\n"
            for e in h.evidence { text += placeLine(e, indent: "   ") }
        }
        inv.out(text)
    }
}
