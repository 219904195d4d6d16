import Foundation
import KnowledgeGraph

enum ExportCommand {
    /// Pictures keep each entity's strongest edges by default, so that they stay readable.
    static let defaultEdgesPerNode = 5
    static let defaultMinWeight = 0.2

    static let command = Command(
        name: "export", synopsis: "", summary: "the entity graph for Graphviz, D3, Gephi, Obsidian, a browser",
        details: """
            The co-mention graph. Nodes are mentioned entities; edges join entities
            mentioned in the same notes. Output is byte-identical for the same vault.
              --dot           undirected Graphviz graph (default): shape and colour by type,
                              a legend, Hangul labels in Noto Sans CJK KR
              --json          {"nodes": [...], "edges": [...]} for D3, Cytoscape, scripts
              --graphml       GraphML with typed attributes, for Gephi and yEd
              --mermaid       a ```mermaid graph block for Obsidian or GitHub notes
              --html          one self-contained page: force-directed graph, search box,
                              type filter, click a node for its evidence lines and notes
              --links         the note link graph instead: notes as nodes (typed by their
                              top folder), resolved links as edges; the same filters apply
            Filters:
              --type T        only entities of type T
              --min-notes N   only entities and edges found in at least N notes
              --top N         only the N most mentioned entities
              --exclude E     leave out entity E (repeat, or E1,E2)
              --around E      only entities within --depth steps (default 1) of E
            Edges (pictures keep each entity's 5 strongest edges of weight 0.2 or more):
              --edges-per-node K   keep each entity's K strongest edges (0 = all)
              --min-weight W       keep edges of closeness W or more
              --all-edges          keep every edge
            DOT only:
              --communities   draw communities as cluster_ subgraphs (fdp layout)
              --size S        node size by mentions (default), degree or betweenness
              --no-legend     leave out the legend of types
            Example: kg export --dot --top 40 | dot -Tsvg > graph.svg
            """,
        arguments: 0...0,
        options: [
            "--dot", "--graphml", "--mermaid", "--html", "--links", "--type", "--min-notes", "--top", "--exclude", "--around", "--depth",
            "--edges-per-node", "--min-weight", "--all-edges", "--communities", "--size", "--no-legend",
        ] + queryOptions
    ) { inv throws(KGError) in
        let formats = ["--dot", "--graphml", "--mermaid", "--html"].filter { inv.flag($0) } + (inv.json ? ["--json"] : [])
        if formats.count > 1 { throw .usage("choose one format: \(formats.joined(separator: ", "))") }
        let format = formats.first ?? "--dot"
        try inv.refuse(["--communities", "--size", "--no-legend"], unless: format == "--dot", "applies to --dot only")
        try inv.refuse(["--depth"], unless: inv.value("--around") != nil, "goes with --around ENTITY")
        try inv.refuse(["--edges-per-node", "--min-weight"], unless: !inv.flag("--all-edges"), "and --all-edges contradict each other")
        var size = GraphExport.NodeSize.mentions
        if let s = inv.value("--size") {
            guard let v = GraphExport.NodeSize(rawValue: s) else {
                throw .usage("--size takes \(GraphExport.NodeSize.allCases.map(\.rawValue).joined(separator: ", ")), not '\(shortened(s))'")
            }
            size = v
        }
        let picture = format == "--dot" || format == "--mermaid"
        var filter = GraphFilter(type: inv.value("--type"), minNotes: try inv.args.int("--min-notes", default: 1),
            around: inv.value("--around"), depth: try inv.args.int("--depth", default: 1), exclude: inv.args.list("--exclude"))
        if inv.value("--top") != nil { filter.top = try inv.args.int("--top", default: 0) }
        if !inv.flag("--all-edges") {
            let k = try inv.args.int("--edges-per-node", default: picture ? defaultEdgesPerNode : 0)
            filter.edgesPerNode = k == 0 ? nil : k
            filter.minWeight = try inv.args.double("--min-weight", default: picture ? defaultMinWeight : 0)
        }
        let clusters = inv.flag("--communities")
        // Communities and centrality are computed only for the formats that show them.
        let analysis = !picture || format == "--html" || (format == "--dot" && (clusters || size != .mentions))
        let model = inv.flag("--links") ? try inv.kb.linkGraph(filter, analysis: analysis)
            : try inv.kb.graph(filter, analysis: analysis, details: format == "--html")
        let (sel, graph, lexicon) = (model.selection, model.graph, model.lexicon)
        let full = { model.analysis ?? GraphAnalysis(graph: graph, lexicon: lexicon) }
        switch format {
        case "--json": inv.emit(GraphExport.json(sel, graph: graph, lexicon: lexicon, analysis: full()))
        case "--graphml": inv.out(GraphExport.graphML(sel, graph: graph, lexicon: lexicon, analysis: full()))
        case "--mermaid": inv.out(GraphExport.mermaid(sel, graph: graph, lexicon: lexicon))
        case "--html":
            let name = URL(fileURLWithPath: inv.kb.vault.root).lastPathComponent
            inv.out(GraphExport.html(sel, graph: graph, lexicon: lexicon, analysis: full(), details: model.details, title: "kg — \(name)"))
        default:
            inv.out(GraphExport.dot(sel, graph: graph, lexicon: lexicon, size: size, analysis: model.analysis, clusters: clusters,
                legend: !inv.flag("--no-legend")))
        }
        let nodeWord = inv.flag("--links") ? ("note", "notes") : ("entity", "entities")
        var kept = "\(counted(sel.nodes.count, nodeWord.0, nodeWord.1)) and \(sel.edges.count) of \(counted(sel.candidateEdges, "edge"))"
        if sel.edges.count < sel.candidateEdges {
            var why: [String] = []
            if let k = filter.edgesPerNode { why.append("each \(nodeWord.0)'s \(k) strongest") }
            if filter.minWeight > 0 { why.append("weight \(number(filter.minWeight)) or more") }
            kept += " (\(why.joined(separator: ", ")); --all-edges keeps every edge)"
        }
        inv.note("exported \(kept)")
    }
}
