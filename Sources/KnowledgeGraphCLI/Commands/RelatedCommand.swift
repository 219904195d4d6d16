import KnowledgeGraph

enum RelatedCommand {
    static let command = Command(
        name: "related",
        help: """
            Usage: kg related ENTITY [--type T] [--by MEASURE] [--limit N] [--explain] [--json]
                   kg related NOTE.md [--limit N] [--json]

            Entities mentioned in the same notes as ENTITY, ranked by closeness (same line
            over same block over same section over same note, decaying with distance) damped
            for entities that are everywhere, each with the lines where the two stand closest.
              --type T       only neighbours of type T
              --by MEASURE   proximity (default), count (shared notes), npmi, jaccard
              --explain      show the parts of each score

            With a note's path: the entities the note is about (mentions × rarity) and the
            notes that share its most distinctive entities but are not linked to or from it.
            """,
        options: queryOptions.union(["--limit", "--type", "--by", "--explain"])
    ) { inv throws(KGError) in
        guard !inv.positional.isEmpty else { throw .usage("related needs an entity or a note (see kg related --help)") }
        let measure = try measureOption(inv)
        let name = inv.positional.joined(separator: " ")
        let lowered = name.lowercased()
        let limit = try inv.limit(default: 10)
        if lowered.hasSuffix(".md") || lowered.hasSuffix(".markdown") {
            let about = try inv.kb.relatedNote(name, limit: limit)
            if inv.json { return inv.emit(about.json) }
            return inv.out(text(about))
        }
        let related = try inv.kb.related(name, by: measure, type: inv.value("--type"), limit: limit)
        let explain = inv.flag("--explain")
        if inv.json { return inv.emit(related.json(explain: explain)) }
        inv.out(text(related, explain: explain))
    }

    static func measureOption(_ inv: Invocation) throws(KGError) -> RelatednessMeasure {
        guard let by = inv.value("--by") else { return .proximity }
        guard let m = RelatednessMeasure(rawValue: by) else {
            throw .usage("--by takes \(RelatednessMeasure.allCases.map(\.rawValue).joined(separator: ", ")), not '\(by)'")
        }
        return m
    }

    static func text(_ r: RelatedEntities, explain: Bool) -> String {
        let me = r.entity
        var text = "\(me.name) (\(me.type)): \(me.mentions) mentions in \(me.notes) notes; \(r.total) related, by \(r.measure.rawValue)\n"
        for (i, n) in r.neighbours.enumerated() {
            text += "\n\(i + 1). \(n.name) (\(n.type))  score \(number(n.score))  notes \(n.notes)  sections \(n.sections)\n"
            if explain {
                text += "   closeness \(number(n.closeness)) × damping \(number(n.damping)) = \(number(Related.round3(n.closeness * n.damping)))"
                text += "   npmi \(number(n.npmi))   jaccard \(number(n.jaccard))\n"
            }
            for x in n.evidence { text += placeLine(x, indent: "   ") }
        }
        if r.total > r.neighbours.count { text += "\n(\(r.total - r.neighbours.count) more; --limit 0 shows all)\n" }
        return text
    }

    static func text(_ about: NoteNeighbourhood) -> String {
        var text = "\(about.note) is about:\n"
        for e in about.entities { text += "  \(e.name) (\(e.type))  \(e.mentions) mentions  score \(number(e.score))\n" }
        if about.entities.isEmpty { text += "  (no entity is mentioned)\n" }
        text += "\nRelated notes not linked yet:\n"
        for r in about.notes {
            text += "  \(r.note)  score \(number(r.score))  shares \(r.shared.prefix(6).joined(separator: ", "))\(r.shared.count > 6 ? ", …" : "")\n"
        }
        if about.notes.isEmpty { text += "  (none)\n" }
        return text
    }
}
