/// What a node of the HTML page shows when clicked.
public struct NodeDetails: Sendable {
    public var notes: [String]
    public var lines: [Evidence]
    public var texts: [String]

    public init(notes: [String], lines: [Evidence], texts: [String]) {
        self.notes = notes
        self.lines = lines
        self.texts = texts
    }
}

extension GraphExport {
    /// One self-contained HTML page (no network): an interactive force-directed graph with a
    /// search box, a type filter, and each node's evidence lines and notes on click. The
    /// layout is deterministic; the page writes the number of nodes it drew into its title
    /// and into `#drawn`.
    public static func html(
        _ sel: GraphSelection, graph: CoMentionGraph, lexicon: Lexicon, analysis: GraphAnalysis,
        details: [Int32: NodeDetails], title: String
    ) -> String {
        let styles = styles(lexicon)
        var nodes: [JSON] = []
        for id in sel.nodes {
            let e = lexicon.entities[Int(id)]
            let s = graph.stats[Int(id)]
            let d = details[id]
            var evidence: [JSON] = []
            if let d {
                for (k, l) in d.lines.enumerated() {
                    evidence.append(.object([("note", .string(l.note)), ("line", .int(l.line)),
                        ("text", .string(k < d.texts.count ? d.texts[k] : ""))]))
                }
            }
            nodes.append(.object([
                ("id", .string(e.name)), ("type", .string(e.type)), ("aliases", .array(e.aliases.map { JSON.string($0) })),
                ("mentions", .int(Int(s.mentions))), ("notes", .int(Int(s.notes))),
                ("community", .int(analysis.community[Int(id)] + 1)),
                ("color", .string(styles[e.type]?.fill ?? "#dddddd")),
                ("noteList", .array((d?.notes ?? []).map { JSON.string($0) })), ("evidence", .array(evidence)),
            ]))
        }
        let edges: [JSON] = sel.edges.map { e in
            .array([.int(sel.nodes.firstIndex(of: e.a) ?? 0), .int(sel.nodes.firstIndex(of: e.b) ?? 0),
                .int(Int(e.notes)), .double(e.weight)])
        }
        var data = JSON.object([("title", .string(title)), ("nodes", .array(nodes)), ("edges", .array(edges))]).rendered(pretty: false)
        // Keep the data inert inside <script>: no "</" can close the element early.
        data = data.replacingOccurrences(of: "</", with: "<\\/")
        return htmlTemplate.replacingOccurrences(of: "@@TITLE@@", with: xmlEscape(title))
            .replacingOccurrences(of: "@@DATA@@", with: data)
    }

    static let htmlTemplate = """
        <!DOCTYPE html>
        <html lang="ko">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>@@TITLE@@</title>
        <style>
          html, body { margin: 0; height: 100%; font-family: system-ui, "Noto Sans CJK KR", "Apple SD Gothic Neo", sans-serif; }
          body { display: flex; }
          #main { flex: 1; position: relative; }
          #bar { position: absolute; top: 8px; left: 8px; display: flex; gap: 6px; background: #ffffffdd; padding: 6px; border-radius: 6px; }
          #bar input, #bar select { font-size: 14px; padding: 3px 6px; }
          #status { font-size: 13px; color: #555; align-self: center; }
          svg { width: 100%; height: 100%; display: block; background: #fcfcfc; }
          line { stroke: #999; stroke-opacity: 0.35; }
          circle { stroke: #444; stroke-width: 0.8; cursor: pointer; }
          text { pointer-events: none; fill: #222; paint-order: stroke; stroke: #fcfcfc; stroke-width: 3px; }
          .dim { opacity: 0.12; }
          .hit circle { stroke: #d00; stroke-width: 2.5; }
          #panel { width: 340px; overflow: auto; border-left: 1px solid #ddd; padding: 10px 14px; font-size: 13px; }
          #panel h2 { font-size: 17px; margin: 4px 0; }
          #panel .ev { margin: 6px 0; }
          #panel .path { color: #555; font-size: 12px; }
        </style>
        </head>
        <body>
        <div id="main">
          <div id="bar">
            <input id="search" type="search" placeholder="search entities">
            <select id="type"><option value="">all types</option></select>
            <span id="status"><span id="drawn">0</span> entities</span>
          </div>
          <svg id="graph"></svg>
        </div>
        <div id="panel"><p>Click an entity to see where it is mentioned.</p></div>
        <script id="data" type="application/json">@@DATA@@</script>
        <script>
        (function () {
          "use strict";
          var data = JSON.parse(document.getElementById("data").textContent);
          var nodes = data.nodes, edges = data.edges, n = nodes.length;
          var W = 1000, H = 800;
          function hash(s) { var h = 2166136261; for (var i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 16777619); } return (h >>> 0) / 4294967296; }
          nodes.forEach(function (d, i) {
            var a = hash(d.id) * 2 * Math.PI, r = 150 + 250 * hash(d.id + "#");
            d.x = W / 2 + r * Math.cos(a); d.y = H / 2 + r * Math.sin(a); d.vx = 0; d.vy = 0;
            d.r = 4 + 10 * Math.sqrt(d.mentions / Math.max.apply(null, nodes.map(function (m) { return m.mentions; }).concat([1])));
          });
          var maxW = Math.max.apply(null, edges.map(function (e) { return e[3]; }).concat([1]));
          var iterations = n > 600 ? 120 : 300;
          for (var it = 0; it < iterations; it++) {
            var alpha = 1 - it / iterations;
            for (var i = 0; i < n; i++) {
              for (var j = i + 1; j < n; j++) {
                var a = nodes[i], b = nodes[j], dx = a.x - b.x, dy = a.y - b.y, d2 = dx * dx + dy * dy + 0.01;
                var f = 900 / d2 * alpha;
                a.vx += dx * f; a.vy += dy * f; b.vx -= dx * f; b.vy -= dy * f;
              }
            }
            edges.forEach(function (e) {
              var a = nodes[e[0]], b = nodes[e[1]], dx = b.x - a.x, dy = b.y - a.y, d = Math.sqrt(dx * dx + dy * dy) + 0.01;
              var f = (d - 60) / d * 0.02 * (0.3 + e[3] / maxW) * alpha;
              a.vx += dx * f; a.vy += dy * f; b.vx -= dx * f; b.vy -= dy * f;
            });
            nodes.forEach(function (d) {
              d.vx += (W / 2 - d.x) * 0.002; d.vy += (H / 2 - d.y) * 0.002;
              d.x += Math.max(-20, Math.min(20, d.vx)); d.y += Math.max(-20, Math.min(20, d.vy));
              d.vx *= 0.6; d.vy *= 0.6;
            });
          }
          var xs = nodes.map(function (d) { return d.x; }), ys = nodes.map(function (d) { return d.y; });
          var minX = Math.min.apply(null, xs.concat([0])) - 40, maxX = Math.max.apply(null, xs.concat([W])) + 40;
          var minY = Math.min.apply(null, ys.concat([0])) - 40, maxY = Math.max.apply(null, ys.concat([H])) + 40;
          var NS = "http://www.w3.org/2000/svg", svg = document.getElementById("graph");
          svg.setAttribute("viewBox", [minX, minY, maxX - minX, maxY - minY].join(" "));
          var scale = Math.max(1, Math.max(maxX - minX, maxY - minY) / 900);
          var lineEls = edges.map(function (e) {
            var l = document.createElementNS(NS, "line"), a = nodes[e[0]], b = nodes[e[1]];
            l.setAttribute("x1", a.x); l.setAttribute("y1", a.y); l.setAttribute("x2", b.x); l.setAttribute("y2", b.y);
            l.setAttribute("stroke-width", (0.5 + 3 * e[3] / maxW) * scale); svg.appendChild(l); return l;
          });
          var groups = nodes.map(function (d, i) {
            var g = document.createElementNS(NS, "g"), c = document.createElementNS(NS, "circle"), t = document.createElementNS(NS, "text");
            c.setAttribute("cx", d.x); c.setAttribute("cy", d.y); c.setAttribute("r", d.r * scale); c.setAttribute("fill", d.color);
            t.setAttribute("x", d.x + (d.r + 2) * scale); t.setAttribute("y", d.y + 4 * scale); t.textContent = d.id;
            t.setAttribute("font-size", Math.round(12 * scale));
            g.appendChild(c); g.appendChild(t); g.setAttribute("class", "node"); g.dataset.index = i;
            g.addEventListener("click", function () { show(i); });
            svg.appendChild(g); return g;
          });
          var types = {};
          nodes.forEach(function (d) { types[d.type] = true; });
          var select = document.getElementById("type");
          Object.keys(types).sort().forEach(function (t) { var o = document.createElement("option"); o.value = t; o.textContent = t; select.appendChild(o); });
          function counted(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }
          function esc(s) { return String(s).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; }); }
          function show(i) {
            var d = nodes[i], html = "<h2>" + esc(d.id) + "</h2><div>" + esc(d.type) + " · " + counted(d.mentions, "mention") + " in " + counted(d.notes, "note") + " · community " + d.community + "</div>";
            if (d.aliases.length) html += "<div>aka " + esc(d.aliases.join(", ")) + "</div>";
            var near = edges.filter(function (e) { return e[0] === i || e[1] === i; }).sort(function (a, b) { return b[3] - a[3]; }).slice(0, 8)
              .map(function (e) { return esc(nodes[e[0] === i ? e[1] : e[0]].id); });
            if (near.length) html += "<h3>Closest</h3><div>" + near.join(", ") + "</div>";
            html += "<h3>Evidence</h3>";
            d.evidence.forEach(function (e) { html += '<div class="ev"><div class="path">' + esc(e.note) + ":" + e.line + "</div>" + esc(e.text) + "</div>"; });
            html += "<h3>Notes</h3>" + d.noteList.map(function (p) { return '<div class="path">' + esc(p) + "</div>"; }).join("");
            document.getElementById("panel").innerHTML = html;
          }
          function apply() {
            var q = document.getElementById("search").value.trim().toLowerCase(), t = select.value, visible = {};
            groups.forEach(function (g, i) {
              var d = nodes[i], typeOK = !t || d.type === t;
              var hit = q && (d.id.toLowerCase().indexOf(q) >= 0 || d.aliases.some(function (a) { return a.toLowerCase().indexOf(q) >= 0; }));
              g.style.display = typeOK ? "" : "none"; visible[i] = typeOK;
              g.classList.toggle("dim", !!q && !hit); g.classList.toggle("hit", !!hit);
            });
            lineEls.forEach(function (l, k) { var e = edges[k]; l.style.display = visible[e[0]] && visible[e[1]] ? "" : "none"; l.classList.toggle("dim", !!q); });
          }
          document.getElementById("search").addEventListener("input", apply);
          select.addEventListener("change", apply);
          var drawn = svg.querySelectorAll("g.node").length;
          document.getElementById("drawn").textContent = drawn;
          document.title = data.title + " (" + drawn + " entities drawn)";
          document.body.setAttribute("data-drawn", drawn);
        })();
        </script>
        </body>
        </html>

        """
}
