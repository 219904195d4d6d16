import KnowledgeGraph

enum RelatedCommand {
    static let command = Command(
        name: "related", synopsis: "ENTITY | NOTE.md", summary: "entities mentioned with ENTITY, closest first; or a note's",
        details: """
            Entities mentioned in the same notes as ENTITY, ranked by closeness (same line
            over same block over same section over same note, decaying with distance) damped
            for entities that are everywhere, each with the lines where the two stand closest.
              --type T       only neighbours of type T
              --by MEASURE   proximity (default), count (shared notes), npmi, jaccard
              --explain      show the parts of each score

            With a note (a path from the vault or from here, or a file name): the entities
            the note is about (mentions × rarity) and the notes that share its most
            distinctive entities but are not linked to or from it.
            """,
        arguments: 1...Int.max, options: ["--limit", "--type", "--by", "--explain"] + queryOptions, servable: true
    ) { inv throws(KGError) in
        let name = inv.positional.joined(separator: " ")
        let lowered = name.lowercased()
        let limit = try inv.limit(default: 10)
        if lowered.hasSuffix(".md") || lowered.hasSuffix(".markdown") {
            try inv.refuse(["--by", "--explain", "--type"], unless: false, "applies to an entity, not to a note")
            let about = try inv.kb.relatedNote(name, limit: limit)
            if inv.json { return inv.emit(about.json) }
            return inv.out(text(about))
        }
        let related = try inv.kb.related(name, by: try measureOption(inv), type: inv.value("--type"), limit: limit)
        let explain = inv.flag("--explain")
        if inv.json { return inv.emit(related.json(explain: explain)) }
        inv.out(text(related, explain: explain))
        inv.more(related.total - related.neighbours.count, "entity", "entities")
    }

    static func measureOption(_ inv: Invocation) throws(KGError) -> RelatednessMeasure {
        guard let by = inv.value("--by") else { return .proximity }
        guard let m = RelatednessMeasure(rawValue: by) else {
            throw .usage("--by takes \(RelatednessMeasure.allCases.map(\.rawValue).joined(separator: ", ")), not '\(shortened(by))'")
        }
        return m
    }

    static func text(_ r: RelatedEntities, explain: Bool) -> String {
        let me = r.entity
        var text = "\(me.name) (\(me.type)): \(counted(me.mentions, "mention")) in \(counted(me.notes, "note")); "
        text += "\(r.total) related, by \(r.measure.rawValue)\n"
        for (i, n) in r.neighbours.enumerated() {
            text += "\n\(i + 1). \(n.name) (\(n.type))  score \(number(n.score))  \(counted(n.notes, "note"))  \(counted(n.sections, "section"))\n"
            if explain {
                text += "   closeness \(number(n.closeness)) × damping \(number(n.damping)) = \(number(Related.round3(n.closeness * n.damping)))"
                text += "   npmi \(number(n.npmi))   jaccard \(number(n.jaccard))\n"
            }
            for x in n.evidence { text += placeLine(x, indent: "   ") }
        }
        return text
    }

    static func text(_ about: NoteNeighbourhood) -> String {
        var text = "\(about.note) is about:\n"
        for e in about.entities { text += "  \(e.name) (\(e.type))  \(counted(e.mentions, "mention"))  score \(number(e.score))\n" }
        if about.entities.isEmpty { text += "  (no entity is mentioned)\n" }
        text += "\nRelated notes not linked yet:\n"
        for r in about.notes {
            text += "  \(r.note)  score \(number(r.score))  shares \(r.shared.prefix(6).joined(separator: ", "))\(r.shared.count > 6 ? ", …" : "")\n"
        }
        if about.notes.isEmpty { text += "  (none)\n" }
        return text
    }
}
