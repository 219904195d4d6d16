import KnowledgeGraph

enum DoctorCommand {
    static let command = Command(
        name: "doctor",
        help: """
            Usage: kg doctor [--json]

            Names that collide (one alias, two entities), short names that may match
            unrelated text, entities never mentioned, and notes that mention an entity note
            without linking to it.
            """,
        options: queryOptions
    ) { inv throws(KGError) in
        let report = try inv.kb.doctor()
        if inv.json { return inv.emit(report.json) }
        var text = ""
        text += "Names that collide (\(report.collisions.count)):\n"
        for i in report.collisions { text += "  \(i.line > 0 ? "\(i.source):\(i.line)" : i.source): \(i.message)\n" }
        text += "\nShort names that may match unrelated text (\(report.shortNames.count)):\n"
        if !report.shortNames.isEmpty {
            text += "  " + report.shortNames.map { $0.name == $0.entity ? $0.name : "\($0.name) (\($0.entity))" }.joined(separator: ", ") + "\n"
        }
        text += "\nEntities never mentioned (\(report.unmentioned.count)):\n"
        if !report.unmentioned.isEmpty { text += "  " + report.unmentioned.joined(separator: ", ") + "\n" }
        text += "\nNotes that mention an entity note without linking it (\(report.unlinked.count)):\n"
        for u in report.unlinked { text += "  \(u.note):\(u.line): \(u.entity) → [[\(u.entityNote)]]\n" }
        if report.isHealthy { text += "\nNo problems found.\n" }
        inv.out(text)
    }
}
