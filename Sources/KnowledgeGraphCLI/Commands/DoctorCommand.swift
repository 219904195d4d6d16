import KnowledgeGraph

enum DoctorCommand {
    static let command = Command(
        name: "doctor", synopsis: "", summary: "lexicon errors, colliding or short names, unused entities, missing links",
        details: """
            Lexicon lines kg cannot read and names that collide (one alias, two entities;
            one name, two types), each with its line; short names that may match unrelated
            text; entities never mentioned; notes that mention an entity note without linking
            to it; and links whose target several notes share (kg picks the note in the
            linking note's folder, else the shortest path). First it reads every block of
            the index and verifies every checksum (as 'kg index --check'); a damaged index is
            rebuilt from the notes.
            """,
        arguments: 0...0, options: queryOptions
    ) { inv throws(KGError) in
        let report = try inv.kb.doctor()
        if inv.json { return inv.emit(report.json) }
        func place(_ i: LexiconIssue) -> String { i.line > 0 ? "\(i.source):\(i.line)" : i.source }
        var text = "Index: every checksum of its \(report.indexBytes) bytes holds\n\n"
        text += "Lexicon lines kg cannot read (\(report.syntaxErrors.count)):\n"
        for i in report.syntaxErrors { text += "  \(place(i)): \(i.message)\n" }
        text += "\nNames that collide (\(report.collisions.count)):\n"
        for i in report.collisions { text += "  \(place(i)): \(i.message)\n" }
        if !report.unused.isEmpty {
            text += "\nLexicon lines that change nothing (\(report.unused.count)):\n"
            for i in report.unused { text += "  \(place(i)): \(i.message)\n" }
        }
        text += "\nShort names that may match unrelated text (\(report.shortNames.count)):\n"
        if !report.shortNames.isEmpty {
            text += "  " + report.shortNames.map { $0.name == $0.entity ? $0.name : "\($0.name) (\($0.entity))" }.joined(separator: ", ") + "\n"
        }
        text += "\nEntities never mentioned (\(report.unmentioned.count)):\n"
        if !report.unmentioned.isEmpty { text += "  " + report.unmentioned.joined(separator: ", ") + "\n" }
        text += "\nNotes that mention an entity note without linking it (\(report.unlinked.count)):\n"
        for u in report.unlinked { text += "  \(u.note):\(u.line): \(u.entity) → [[\(u.entityNote)]]\n" }
        text += "\nLinks whose target several notes share (\(report.ambiguousLinks.count)):\n"
        for a in report.ambiguousLinks {
            text += "  \(a.note):\(a.line): [[\(a.target)]] goes to \(a.chosen); also \(a.candidates.filter { $0 != a.chosen }.joined(separator: ", "))\n"
        }
        if report.isHealthy { text += "\nNo problems found.\n" }
        inv.out(text)
    }
}
