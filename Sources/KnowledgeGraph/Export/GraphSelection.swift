/// The part of the co-mention graph to export: filtered nodes and the edges between them.
public struct GraphSelection: Sendable {
    public struct Filter: Sendable {
        public var type: String?
        public var minNotes = 1
        public var around: Int32?
        public var depth = 1
        /// Keep only the N most mentioned entities (the `around` entity always stays).
        public var top: Int?
        public var exclude: Set<Int32> = []
        /// Keep only each node's strongest edges: an edge stays when it is among the K of
        /// highest weight of either of its nodes (nil: every edge).
        public var edgesPerNode: Int?
        /// Keep only edges of at least this weight (closeness).
        public var minWeight = 0.0
        public init(type: String? = nil, minNotes: Int = 1, around: Int32? = nil, depth: Int = 1, top: Int? = nil,
            exclude: Set<Int32> = [], edgesPerNode: Int? = nil, minWeight: Double = 0) {
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

    /// Entity ids, sorted by name.
    public var nodes: [Int32]
    public var edges: [CoMention]
    /// Edges between the nodes before the strongest were picked (`edgesPerNode`, `minWeight`).
    public var candidateEdges: Int

    /// Nodes are mentioned entities (of `type`, in at least `minNotes` notes, within `depth`
    /// steps of `around`); edges join two kept nodes and are shared by at least `minNotes` notes.
    public init(graph: CoMentionGraph, lexicon: Lexicon, filter: Filter) {
        var keep = Set<Int32>()
        for (i, s) in graph.stats.enumerated() where s.mentions > 0 && Int(s.notes) >= filter.minNotes {
            if let t = filter.type, lexicon.entities[i].type != t, Int32(i) != filter.around { continue }
            if filter.exclude.contains(Int32(i)) { continue }
            keep.insert(Int32(i))
        }
        var edges = graph.edges.filter { keep.contains($0.a) && keep.contains($0.b) && Int($0.notes) >= filter.minNotes }
        if let center = filter.around {
            var reached: Set<Int32> = [center]
            var frontier: Set<Int32> = [center]
            for _ in 0..<max(0, filter.depth) {
                var next = Set<Int32>()
                for e in edges {
                    if frontier.contains(e.a) && !reached.contains(e.b) { next.insert(e.b) }
                    if frontier.contains(e.b) && !reached.contains(e.a) { next.insert(e.a) }
                }
                reached.formUnion(next)
                frontier = next
            }
            keep = keep.intersection(reached).union([center])
            edges = edges.filter { keep.contains($0.a) && keep.contains($0.b) }
        }
        if let top = filter.top, keep.count > top {
            let ranked = keep.sorted { a, b in
                let ma = graph.stats[Int(a)].mentions
                let mb = graph.stats[Int(b)].mentions
                return ma != mb ? ma > mb : lexicon.entities[Int(a)].name.utf8.bytesPrecede(lexicon.entities[Int(b)].name.utf8)
            }
            var chosen = Set(ranked.prefix(max(0, top)))
            if let center = filter.around { chosen.insert(center) }
            keep = chosen
            edges = edges.filter { keep.contains($0.a) && keep.contains($0.b) }
        }
        nodes = keep.sorted { lexicon.entities[Int($0)].name.utf8.bytesPrecede(lexicon.entities[Int($1)].name.utf8) }
        candidateEdges = edges.count
        if filter.minWeight > 0 { edges = edges.filter { $0.weight >= filter.minWeight } }
        if let k = filter.edgesPerNode {
            edges = GraphSelection.strongest(edges, perNode: k, lexicon: lexicon)
        }
        self.edges = edges
    }

    /// The edges among the `k` of highest weight of either of their nodes (ties by the other
    /// node's name), in their order.
    static func strongest(_ edges: [CoMention], perNode k: Int, lexicon: Lexicon) -> [CoMention] {
        var byNode: [Int32: [Int]] = [:]
        for (i, e) in edges.enumerated() {
            byNode[e.a, default: []].append(i)
            byNode[e.b, default: []].append(i)
        }
        var kept = [Bool](repeating: false, count: edges.count)
        for (node, list) in byNode {
            let ranked = list.sorted { x, y in
                let (ex, ey) = (edges[x], edges[y])
                if ex.closeness != ey.closeness { return ex.closeness > ey.closeness }
                let ox = ex.a == node ? ex.b : ex.a
                let oy = ey.a == node ? ey.b : ey.a
                return lexicon.entities[Int(ox)].name.utf8.bytesPrecede(lexicon.entities[Int(oy)].name.utf8)
            }
            for i in ranked.prefix(max(0, k)) { kept[i] = true }
        }
        return edges.indices.filter { kept[$0] }.map { edges[$0] }
    }
}

/// Graph exports: Graphviz DOT and JSON.
public enum GraphExport {
    static let palette: [(shape: String, fill: String)] = [
        ("ellipse", "#a8dadc"), ("box", "#f4a261"), ("hexagon", "#b7e4c7"), ("diamond", "#e9c46a"),
        ("octagon", "#cdb4db"), ("note", "#ffafcc"), ("component", "#bde0fe"),
    ]

    /// Shape and colour per type: concept, company and tool fixed, other types in name order.
    static func styles(_ lexicon: Lexicon) -> [String: (shape: String, fill: String)] {
        var out: [String: (shape: String, fill: String)] = ["concept": palette[0], "company": palette[1], "tool": palette[2]]
        let others = Set(lexicon.entities.map(\.type)).subtracting(out.keys).sorted { $0.utf8.bytesPrecede($1.utf8) }
        for (i, t) in others.enumerated() { out[t] = palette[3 + i % (palette.count - 3)] }
        return out
    }

    /// A DOT string literal: quoted, with `"` and `\` escaped and line breaks as `\n`.
    public static func dotQuote(_ s: String) -> String {
        let body = escaped(s) { u in
            switch u {
            case "\"": return "\\\""
            case "\\": return "\\\\"
            case "\n": return "\\n"
            case "\r": return ""
            default: return nil
            }
        }
        return "\"" + body + "\""
    }

    /// What sizes nodes in a picture.
    public enum NodeSize: String, Sendable, CaseIterable {
        case mentions, degree, betweenness
    }

    static func sizeValue(_ id: Int32, _ size: NodeSize, graph: CoMentionGraph, analysis: GraphAnalysis?) -> Double {
        switch size {
        case .mentions: return Double(graph.stats[Int(id)].mentions)
        case .degree: return analysis?.degree[Int(id)] ?? 0
        case .betweenness: return analysis?.betweenness[Int(id)] ?? 0
        }
    }

    /// An undirected Graphviz graph: node shape and colour by type, size by mentions (or
    /// centrality), edge width by closeness; with `analysis`, communities become `cluster_`
    /// subgraphs.
    /// The font family DOT output asks for: one with Hangul.
    public static let fontFamily = "Noto Sans CJK KR"

    /// A legend for a DOT graph: an HTML-like table of the types shown, each in its colour,
    /// with its shape's name.
    static func legendLabel(_ sel: GraphSelection, lexicon: Lexicon, styles: [String: (shape: String, fill: String)]) -> String {
        let types = Set(sel.nodes.map { lexicon.entities[Int($0)].type }).sorted { $0.utf8.bytesPrecede($1.utf8) }
        var cells = ""
        for t in types {
            let style = styles[t] ?? palette[0]
            cells += "<td bgcolor=\"\(style.fill)\">\(xmlEscape(t)) (\(style.shape))</td>"
        }
        return "<<table border=\"0\" cellspacing=\"4\" cellpadding=\"4\"><tr>\(cells)</tr></table>>"
    }

    public static func dot(
        _ sel: GraphSelection, graph: CoMentionGraph, lexicon: Lexicon, size: NodeSize = .mentions,
        analysis: GraphAnalysis? = nil, clusters: Bool = false, legend: Bool = true
    ) -> String {
        let styles = styles(lexicon)
        let maxSize = sel.nodes.map { sizeValue($0, size, graph: graph, analysis: analysis) }.max() ?? 0
        let maxWeight = sel.edges.map(\.weight).max() ?? 1
        var out = "graph kg {\n"
        let layout = clusters ? "layout=fdp" : "layout=neato"
        // A font family with Hangul, so that 카카오 is not drawn as boxes (Debian:
        // fonts-noto-cjk); fontconfig falls back to another font where it is missing.
        let font = dotQuote(GraphExport.fontFamily)
        out += "  graph [\(layout), overlap=false, splines=false, outputorder=edgesfirst, fontname=\(font)"
        if legend { out += ", labelloc=b, label=\(legendLabel(sel, lexicon: lexicon, styles: styles))" }
        out += "];\n"
        out += "  node [style=filled, fontname=\(font), color=\"#555555\"];\n"
        out += "  edge [color=\"#88888899\", fontname=\(font)];\n"
        func node(_ id: Int32, indent: String) -> String {
            let e = lexicon.entities[Int(id)]
            let s = graph.stats[Int(id)]
            let style = styles[e.type] ?? palette[0]
            let v = sizeValue(id, size, graph: graph, analysis: analysis)
            let scale = maxSize > 0 ? (v / maxSize).squareRoot() : 0
            var line = "\(indent)\(dotQuote(e.name)) [label=\(dotQuote(e.name)), shape=\(style.shape), fillcolor=\"\(style.fill)\", "
            line += "fontsize=\(JSON.number(10 + 14 * scale)), width=\(JSON.number(0.6 + 1.2 * scale)), "
            line += "tooltip=\(dotQuote("\(e.type): \(counted(Int(s.mentions), "mention")) in \(counted(Int(s.notes), "note"))"))];\n"
            return line
        }
        if clusters, let analysis {
            var byCommunity: [Int: [Int32]] = [:]
            for id in sel.nodes { byCommunity[analysis.community[Int(id)], default: []].append(id) }
            for c in byCommunity.keys.sorted() {
                guard let members = byCommunity[c] else { continue }
                if c < 0 || members.count < 2 {
                    for id in members { out += node(id, indent: "  ") }
                    continue
                }
                out += "  subgraph cluster_\(c) {\n    label=\(dotQuote("community \(c + 1)")); style=rounded; color=\"#bbbbbb\";\n"
                for id in members { out += node(id, indent: "    ") }
                out += "  }\n"
            }
        } else {
            for id in sel.nodes { out += node(id, indent: "  ") }
        }
        for edge in sel.edges {
            let a = lexicon.entities[Int(edge.a)].name
            let b = lexicon.entities[Int(edge.b)].name
            let w = maxWeight > 0 ? edge.weight / maxWeight : 0
            out += "  \(dotQuote(a)) -- \(dotQuote(b)) [penwidth=\(JSON.number(0.5 + 4.5 * w)), weight=\(max(1, Int(edge.closeness / 10))), "
            out += "tooltip=\(dotQuote("\(counted(Int(edge.notes), "note")), \(counted(Int(edge.sections), "section"))"))];\n"
        }
        out += "}\n"
        return out
    }

    /// `{"nodes": [...], "edges": [...]}` for D3, Cytoscape and scripts.
    public static func json(_ sel: GraphSelection, graph: CoMentionGraph, lexicon: Lexicon, analysis: GraphAnalysis? = nil) -> JSON {
        .object([
            ("nodes", .array(sel.nodes.map { id in
                let e = lexicon.entities[Int(id)]
                let s = graph.stats[Int(id)]
                var fields: [(String, JSON)] = [("id", .string(e.name)), ("label", .string(e.name)), ("type", .string(e.type)),
                    ("mentions", .int(Int(s.mentions))), ("notes", .int(Int(s.notes)))]
                if let a = analysis {
                    fields.append(("community", .int(a.community[Int(id)] + 1)))
                    fields.append(("degree", .double(a.degree[Int(id)])))
                    fields.append(("betweenness", .double(a.betweenness[Int(id)])))
                }
                return .object(fields)
            })),
            ("edges", .array(sel.edges.map { edge in
                .object([("source", .string(lexicon.entities[Int(edge.a)].name)),
                    ("target", .string(lexicon.entities[Int(edge.b)].name)), ("notes", .int(Int(edge.notes))),
                    ("sections", .int(Int(edge.sections))), ("weight", .double(edge.weight))])
            })),
        ])
    }
}
