extension GraphExport {
    /// Text escaped for XML, with characters XML 1.0 cannot hold dropped.
    public static func xmlEscape(_ s: String) -> String {
        escaped(s) { u in
            switch u {
            case "&": return "&amp;"
            case "<": return "&lt;"
            case ">": return "&gt;"
            case "\"": return "&quot;"
            case "'": return "&apos;"
            default:
                let v = u.value
                if v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D || v == 0xFFFE || v == 0xFFFF { return "" }
                return nil
            }
        }
    }

    /// GraphML for Gephi and yEd: typed node and edge attributes declared as keys.
    public static func graphML(_ sel: GraphSelection, graph: CoMentionGraph, lexicon: Lexicon, analysis: GraphAnalysis) -> String {
        let nodeKeys: [(String, String)] = [("label", "string"), ("type", "string"), ("mentions", "int"), ("notes", "int"),
            ("community", "int"), ("degree", "double"), ("betweenness", "double")]
        let edgeKeys: [(String, String)] = [("notes", "int"), ("sections", "int"), ("weight", "double")]
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" "
        out += "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
        out += "xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n"
        for (name, type) in nodeKeys {
            out += "  <key id=\"n_\(name)\" for=\"node\" attr.name=\"\(name)\" attr.type=\"\(type)\"/>\n"
        }
        for (name, type) in edgeKeys {
            out += "  <key id=\"e_\(name)\" for=\"edge\" attr.name=\"\(name)\" attr.type=\"\(type)\"/>\n"
        }
        out += "  <graph id=\"kg\" edgedefault=\"undirected\">\n"
        for id in sel.nodes {
            let e = lexicon.entities[Int(id)]
            let s = graph.stats[Int(id)]
            out += "    <node id=\"\(xmlEscape(e.name))\">\n"
            out += "      <data key=\"n_label\">\(xmlEscape(e.name))</data>\n"
            out += "      <data key=\"n_type\">\(xmlEscape(e.type))</data>\n"
            out += "      <data key=\"n_mentions\">\(s.mentions)</data>\n"
            out += "      <data key=\"n_notes\">\(s.notes)</data>\n"
            out += "      <data key=\"n_community\">\(analysis.community[Int(id)] + 1)</data>\n"
            out += "      <data key=\"n_degree\">\(JSON.number(analysis.degree[Int(id)]))</data>\n"
            out += "      <data key=\"n_betweenness\">\(JSON.number(analysis.betweenness[Int(id)]))</data>\n"
            out += "    </node>\n"
        }
        for (k, edge) in sel.edges.enumerated() {
            let a = xmlEscape(lexicon.entities[Int(edge.a)].name)
            let b = xmlEscape(lexicon.entities[Int(edge.b)].name)
            out += "    <edge id=\"e\(k)\" source=\"\(a)\" target=\"\(b)\">\n"
            out += "      <data key=\"e_notes\">\(edge.notes)</data>\n"
            out += "      <data key=\"e_sections\">\(edge.sections)</data>\n"
            out += "      <data key=\"e_weight\">\(JSON.number(edge.weight))</data>\n"
            out += "    </edge>\n"
        }
        out += "  </graph>\n</graphml>\n"
        return out
    }

    /// A Mermaid `graph` block that renders inside an Obsidian or GitHub Markdown note.
    public static func mermaid(_ sel: GraphSelection, graph: CoMentionGraph, lexicon: Lexicon) -> String {
        var ids: [Int32: String] = [:]
        for (k, id) in sel.nodes.enumerated() { ids[id] = "n\(k)" }
        func label(_ s: String) -> String {
            escaped(s) { u in
                switch u {
                case "\"": return "#quot;"
                case "#": return "#35;"
                case "<": return "#lt;"
                case ">": return "#gt;"
                case "\n", "\r": return " "
                default: return nil
                }
            }
        }
        var out = "```mermaid\ngraph LR\n"
        var byType: [String: [String]] = [:]
        for id in sel.nodes {
            let e = lexicon.entities[Int(id)]
            guard let nid = ids[id] else { continue }
            out += "  \(nid)[\"\(label(e.name))\"]\n"
            byType[e.type, default: []].append(nid)
        }
        for edge in sel.edges {
            guard let a = ids[edge.a], let b = ids[edge.b] else { continue }
            out += "  \(a) ---|\(edge.notes)| \(b)\n"
        }
        let styles = styles(lexicon)
        for type in byType.keys.sorted(by: { $0.utf8.bytesPrecede($1.utf8) }) {
            let cls = "t_" + String(type.unicodeScalars.map { Scalars.isWordScalar($0.value) && $0.value < 0x80 ? Character($0) : "_" })
            out += "  classDef \(cls) fill:\(styles[type]?.fill ?? "#dddddd"),stroke:#555555\n"
            out += "  class \(byType[type, default: []].joined(separator: ",")) \(cls)\n"
        }
        out += "```\n"
        return out
    }
}
