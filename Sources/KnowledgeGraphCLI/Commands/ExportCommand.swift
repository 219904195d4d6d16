import Foundation
import KnowledgeGraph

enum ExportCommand {
    static let command = Command(
        name: "export",
        help: """
            Usage: kg export [--dot | --json | --graphml | --mermaid | --html] [filters]

            The co-mention graph. Nodes are mentioned entities; edges join entities
            mentioned in the same notes. Output is byte-identical for the same vault.
              --dot           undirected Graphviz graph (default): shape and colour by type
              --json          {"nodes": [...], "edges": [...]} for D3, Cytoscape, scripts
              --graphml       GraphML with typed attributes, for Gephi and yEd
              --mermaid       a ```mermaid graph block for Obsidian or GitHub notes
              --html          one self-contained page: force-directed graph, search box,
                              type filter, click a node for its evidence lines and notes
            Filters:
              --type T        only entities of type T
              --min-notes N   only entities and edges found in at least N notes
              --top N         only the N most mentioned entities
              --exclude E     leave out entity E (repeat, or E1,E2)
              --around E      only entities within --depth steps (default 1) of E
            DOT only:
              --communities   draw communities as cluster_ subgraphs (fdp layout)
              --size S        node size by mentions (default), degree or betweenness
            Example: kg export --dot --top 40 | dot -Tsvg > graph.svg
            """,
        options: queryOptions.union([
            "--dot", "--graphml", "--mermaid", "--html", "--type", "--min-notes", "--around", "--depth", "--top", "--exclude", "--size",
            "--communities",
        ])
    ) { inv throws(KGError) in
        let formats = ["--dot", "--graphml", "--mermaid", "--html"].filter { inv.flag($0) } + (inv.json ? ["--json"] : [])
        if formats.count > 1 { throw .usage("choose one format: \(formats.joined(separator: ", "))") }
        let format = formats.first ?? "--dot"
        var size = GraphExport.NodeSize.mentions
        if let s = inv.value("--size") {
            guard let v = GraphExport.NodeSize(rawValue: s) else {
                throw .usage("--size takes \(GraphExport.NodeSize.allCases.map(\.rawValue).joined(separator: ", ")), not '\(s)'")
            }
            size = v
        }
        var filter = GraphFilter(type: inv.value("--type"), minNotes: try inv.args.int("--min-notes", default: 1),
            around: inv.value("--around"), depth: try inv.args.int("--depth", default: 1), exclude: inv.args.lists["--exclude"] ?? [])
        if inv.value("--top") != nil { filter.top = try inv.args.int("--top", default: 0) }
        let clusters = inv.flag("--communities")
        // Communities and centrality are computed only for the formats that show them.
        let analysis = format == "--json" || format == "--graphml" || format == "--html" || (format == "--dot" && (clusters || size != .mentions))
        let model = try inv.kb.graph(filter, analysis: analysis, details: format == "--html")
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
            inv.out(GraphExport.dot(sel, graph: graph, lexicon: lexicon, size: size, analysis: model.analysis, clusters: clusters))
        }
    }
}
