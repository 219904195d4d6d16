import KnowledgeGraph

enum StatsCommand {
    static let command = Command(
        name: "stats", synopsis: "", summary: "notes, entities, edges, terms, index size",
        details: "Notes, skipped files, entities, mentions, edges, distinct terms and index size.\n",
        arguments: 0...0, options: queryOptions, servable: true
    ) { inv throws(KGError) in
        let stats = try inv.kb.stats()
        if inv.json { return inv.emit(stats.json) }
        inv.out(stats.fields.map { "\($0.0.replacingOccurrences(of: "_", with: " ")): \($0.1)" }.joined(separator: "\n") + "\n")
    }
}
