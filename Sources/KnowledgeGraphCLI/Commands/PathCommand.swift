import KnowledgeGraph

enum PathCommand {
    static let command = Command(
        name: "path", synopsis: "A B", summary: "how two entities connect, hop by hop, with evidence",
        details: """
            The shortest chain of co-mentions from entity A to entity B (fewest hops, through
            the strongest edges), with the lines that show each hop. Quote names with spaces.
            """,
        arguments: 2...2, options: queryOptions, servable: true
    ) { inv throws(KGError) in
        let path = try inv.kb.path(from: inv.positional[0], to: inv.positional[1])
        if inv.json { inv.emit(path.json) }
        if !path.connected { return inv.note("\(path.from) and \(path.to) are not connected by co-mentions") }
        if inv.json { return }
        var text = path.chain.joined(separator: " — ") + "\n"
        for h in path.hops {
            text += "\n\(h.from) — \(h.to)  (\(counted(h.notes, "note")))\n"
            for e in h.evidence { text += placeLine(e, indent: "   ") }
        }
        inv.out(text)
    }
}
