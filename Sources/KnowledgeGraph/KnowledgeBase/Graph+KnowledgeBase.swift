/// How two entities connect: the shortest chain of co-mentions, each hop with its evidence.
public struct ConnectionPath: Sendable, Equatable {
    public struct Hop: Sendable, Equatable {
        public var from: String
        public var to: String
        /// Notes that mention both.
        public var notes: Int
        public var evidence: [LinePlace]
    }

    public var from: String
    public var to: String
    /// Entity names from `from` to `to`; empty when they are not connected.
    public var chain: [String]
    public var hops: [Hop]
    public var connected: Bool { !chain.isEmpty }
}

/// Groups of entities mentioned together, largest first, and the entities that bridge them.
public struct CommunityList: Sendable, Equatable {
    public struct Member: Sendable, Equatable {
        public var name: String
        public var type: String
        public var degree: Double
        public var betweenness: Double
    }

    /// The largest communities (the first `limit`), members most connected first.
    public var communities: [[Member]]
    /// How many communities there are in all.
    public var total: Int
    /// The mentioned entities of highest betweenness, highest first (at most five).
    public var bridges: [Member]
}

/// Which part of the graph to export.
public struct GraphFilter: Sendable, Equatable {
    public var type: String?
    public var minNotes = 1
    /// An entity name: only entities within `depth` steps of it.
    public var around: String?
    public var depth = 1
    public var top: Int?
    /// Entity names to leave out.
    public var exclude: [String] = []
    /// Keep only each node's K strongest edges (nil: all).
    public var edgesPerNode: Int?
    /// Keep only edges of at least this weight.
    public var minWeight = 0.0

    public init(type: String? = nil, minNotes: Int = 1, around: String? = nil, depth: Int = 1, top: Int? = nil, exclude: [String] = [],
        edgesPerNode: Int? = nil, minWeight: Double = 0) {
        self.type = type
        self.minNotes = minNotes
        self.around = around
        self.depth = depth
        self.top = top
        self.exclude = exclude
        self.edgesPerNode = edgesPerNode
        self.minWeight = minWeight
    }
}

/// The part of the graph an export writes, with what its format shows.
public struct GraphModel: Sendable {
    public var selection: GraphSelection
    public var graph: CoMentionGraph
    public var lexicon: Lexicon
    /// Communities and centrality, when asked for.
    public var analysis: GraphAnalysis?
    /// Each node's notes and evidence lines, when asked for (the HTML page).
    public var details: [Int32: NodeDetails]
}

extension KnowledgeBase {
    /// The shortest chain of co-mentions from `from` to `to` (fewest hops, through the
    /// strongest edges), each hop with up to two evidence lines.
    public func path(from: String, to: String) throws(KGError) -> ConnectionPath {
        try query { view in
            let lexicon = try view.lexicon()
            let graph = try view.graph()
            try noteIfEmpty(view)
            let a = try view.entity(named: from)
            let b = try view.entity(named: to)
            let names = (lexicon.entities[Int(a)].name, lexicon.entities[Int(b)].name)
            guard let chain = GraphAnalysis.path(from: a, to: b, in: graph) else {
                return ConnectionPath(from: names.0, to: names.1, chain: [], hops: [])
            }
            let notes = try view.notes()
            var hops: [ConnectionPath.Hop] = []
            for k in 0..<(chain.count - 1) {
                let x = chain[k]
                let y = chain[k + 1]
                let edge = graph.edges.first { ($0.a, $0.b) == (min(x, y), max(x, y)) }
                hops.append(ConnectionPath.Hop(from: lexicon.entities[Int(x)].name, to: lexicon.entities[Int(y)].name,
                    notes: Int(edge?.notes ?? 0), evidence: Related.evidence(x, y, notes: notes, limit: 2).map { view.place($0.note, $0.line) }))
            }
            return ConnectionPath(from: names.0, to: names.1, chain: chain.map { lexicon.entities[Int($0)].name }, hops: hops)
        }
    }

    /// The largest `limit` communities of the co-mention graph (Louvain, deterministic) and
    /// its bridges.
    public func communities(limit: Int = 10) throws(KGError) -> CommunityList {
        try query { view in
            let lexicon = try view.lexicon()
            let graph = try view.graph()
            try noteIfEmpty(view)
            let analysis = GraphAnalysis(graph: graph, lexicon: lexicon)
            func member(_ id: Int) -> CommunityList.Member {
                CommunityList.Member(name: lexicon.entities[id].name, type: lexicon.entities[id].type, degree: analysis.degree[id],
                    betweenness: analysis.betweenness[id])
            }
            let bridges = analysis.betweenness.indices.filter { graph.stats[$0].mentions > 0 }
                .sorted { analysis.betweenness[$0] != analysis.betweenness[$1] ? analysis.betweenness[$0] > analysis.betweenness[$1] : $0 < $1 }
                .prefix(5).map(member)
            return CommunityList(communities: analysis.communities.prefix(limit).map { $0.map { member(Int($0)) } },
                total: analysis.communities.count, bridges: Array(bridges))
        }
    }

    /// The part of the co-mention graph `filter` selects; with `analysis`, its communities and
    /// centrality; with `details`, each node's notes and evidence lines.
    public func graph(_ filter: GraphFilter, analysis: Bool, details: Bool) throws(KGError) -> GraphModel {
        try query { view in
            let lexicon = try view.lexicon()
            let graph = try view.graph()
            try noteIfEmpty(view)
            try view.check(type: filter.type)
            var selectionFilter = GraphSelection.Filter(type: filter.type, minNotes: filter.minNotes, depth: filter.depth, top: filter.top,
                edgesPerNode: filter.edgesPerNode, minWeight: filter.minWeight)
            if let around = filter.around { selectionFilter.around = try view.entity(named: around) }
            for name in filter.exclude { selectionFilter.exclude.insert(try view.entity(named: name)) }
            let selection = GraphSelection(graph: graph, lexicon: lexicon, filter: selectionFilter)
            var model = GraphModel(selection: selection, graph: graph, lexicon: lexicon,
                analysis: analysis ? GraphAnalysis(graph: graph, lexicon: lexicon) : nil, details: [:])
            if details { model.details = try nodeDetails(selection.nodes, view: view) }
            return model
        }
    }

    /// Up to 30 notes and 8 evidence lines of each entity in `nodes`.
    private func nodeDetails(_ nodes: [Int32], view: IndexView) throws -> [Int32: NodeDetails] {
        var byEntity: [Int32: [(String, Int32)]] = [:]
        for n in try view.notes() { for m in n.mentions { byEntity[m.entity, default: []].append((n.path, m.line)) } }
        var details: [Int32: NodeDetails] = [:]
        for id in nodes {
            var seen = Set<String>()
            var lines: [Evidence] = []
            var noteList: [String] = []
            for (note, line) in byEntity[id] ?? [] {
                if seen.insert(note).inserted { noteList.append(note) }
                if lines.count < 8 && !lines.contains(Evidence(note: note, line: Int(line))) { lines.append(Evidence(note: note, line: Int(line))) }
            }
            details[id] = NodeDetails(notes: Array(noteList.prefix(30)), lines: lines, texts: lines.map { view.place($0.note, $0.line).text.displayLine() })
        }
        return details
    }
}
