import KnowledgeGraph

enum CommunitiesCommand {
    static let command = Command(
        name: "communities", synopsis: "", summary: "groups of entities that are mentioned together",
        details: """
            Groups of entities mentioned together (Louvain modularity on the co-mention graph,
            deterministic), largest first, each with its most connected members; and the
            entities that bridge groups (betweenness centrality).
            """,
        arguments: 0...0, options: ["--limit"] + queryOptions, servable: true
    ) { inv throws(KGError) in
        let list = try inv.kb.communities(limit: try inv.limit(default: 10))
        if inv.json { return inv.emit(list.json) }
        var text = ""
        for (k, members) in list.communities.enumerated() {
            let top = members.prefix(8).map(\.name).joined(separator: ", ")
            text += "\(k + 1). \(counted(members.count, "entity", "entities")): \(top)\(members.count > 8 ? ", …" : "")\n"
        }
        if !list.bridges.isEmpty {
            text += "\nbridges (betweenness): \(list.bridges.map { "\($0.name) \(number($0.betweenness))" }.joined(separator: ", "))\n"
        }
        inv.out(text)
        inv.more(list.total - list.communities.count, "community", "communities")
    }
}
