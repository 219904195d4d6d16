#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How `kg related` ranks neighbours.
public enum RelatednessMeasure: String, Sendable, CaseIterable {
    /// Closeness (same line over block over section over note) damped for hubs: the default.
    case proximity
    /// Number of notes that mention both.
    case count
    /// Normalized pointwise mutual information over notes, in [-1, 1].
    case npmi
    /// Notes mentioning both over notes mentioning either.
    case jaccard
}

/// Structure of the co-mention graph: communities, centrality, shortest paths.
public struct GraphAnalysis: Sendable {
    /// Community of each entity (-1 for entities never mentioned), numbered by size, largest
    /// first, ties by the smallest member name.
    public var community: [Int]
    /// Members of each community, most connected first.
    public var communities: [[Int32]]
    /// Weighted degree: the sum of closeness over an entity's edges.
    public var degree: [Double]
    /// Betweenness centrality (Brandes, unweighted), normalized to [0, 1].
    public var betweenness: [Double]

    /// Each entity's neighbours with the closeness of their edge.
    static func adjacencyLists(_ graph: CoMentionGraph) -> [[(other: Int32, weight: Double)]] {
        var adjacency = [[(other: Int32, weight: Double)]](repeating: [], count: graph.stats.count)
        for e in graph.edges {
            adjacency[Int(e.a)].append((e.b, e.weight))
            adjacency[Int(e.b)].append((e.a, e.weight))
        }
        return adjacency
    }

    public init(graph: CoMentionGraph, lexicon: Lexicon) {
        let n = graph.stats.count
        let adjacency = GraphAnalysis.adjacencyLists(graph)
        degree = adjacency.map { $0.reduce(0) { $0 + $1.weight } }
        let present = (0..<n).filter { graph.stats[$0].mentions > 0 }
        let labels = GraphAnalysis.louvain(adjacency: adjacency, nodes: present)
        // Number communities by size, then by their first member's name.
        var groups: [Int: [Int32]] = [:]
        for v in present { groups[labels[v], default: []].append(Int32(v)) }
        let degreeCopy = degree
        let ordered = groups.values.map { members in
            members.sorted {
                degreeCopy[Int($0)] != degreeCopy[Int($1)] ? degreeCopy[Int($0)] > degreeCopy[Int($1)]
                    : lexicon.entities[Int($0)].name.utf8.bytesPrecede(lexicon.entities[Int($1)].name.utf8)
            }
        }.sorted { a, b in
            if a.count != b.count { return a.count > b.count }
            let na = a.map { lexicon.entities[Int($0)].name }.min { $0.utf8.bytesPrecede($1.utf8) } ?? ""
            let nb = b.map { lexicon.entities[Int($0)].name }.min { $0.utf8.bytesPrecede($1.utf8) } ?? ""
            return na.utf8.bytesPrecede(nb.utf8)
        }
        communities = ordered
        var community = [Int](repeating: -1, count: n)
        for (c, members) in ordered.enumerated() { for m in members { community[Int(m)] = c } }
        self.community = community
        betweenness = GraphAnalysis.brandes(adjacency: adjacency, nodes: present)
    }

    // MARK: Louvain

    /// Louvain modularity optimisation, deterministic: nodes visited in id order, ties to the
    /// smallest community id; levels aggregated until nothing moves.
    static func louvain(adjacency: [[(other: Int32, weight: Double)]], nodes: [Int]) -> [Int] {
        let n = adjacency.count
        var membership = [Int](repeating: -1, count: n)  // original node -> current node (-1 absent)
        for v in nodes { membership[v] = v }
        // Current level graph: node weights via adjacency lists (dictionary per node).
        var adj: [[Int: Double]] = adjacency.map { list in
            var d: [Int: Double] = [:]
            for (o, w) in list { d[Int(o), default: 0] += w }
            return d
        }
        var active = nodes
        for _ in 0..<10 {
            let m2 = adj.reduce(0) { $0 + $1.values.reduce(0, +) }  // 2m
            if m2 == 0 { break }
            let k = adj.map { $0.values.reduce(0, +) }
            var comm = Array(0..<adj.count)
            var tot = k
            var moved = true
            var anyMove = false
            var rounds = 0
            while moved && rounds < 50 {
                moved = false
                rounds += 1
                for v in active {
                    let cv = comm[v]
                    var links: [Int: Double] = [:]
                    for (u, w) in adj[v] where u != v { links[comm[u], default: 0] += w }
                    tot[cv] -= k[v]
                    var best = cv
                    var bestGain = (links[cv] ?? 0) - tot[cv] * k[v] / m2
                    for c in links.keys.sorted() {
                        let gain = (links[c] ?? 0) - tot[c] * k[v] / m2
                        if gain > bestGain + 1e-12 || (abs(gain - bestGain) <= 1e-12 && c < best) {
                            bestGain = gain
                            best = c
                        }
                    }
                    tot[best] += k[v]
                    if best != cv {
                        comm[v] = best
                        moved = true
                        anyMove = true
                    }
                }
            }
            if !anyMove { break }
            // Renumber communities densely, in order of their smallest node.
            var renumber: [Int: Int] = [:]
            for v in active.sorted() where renumber[comm[v]] == nil { renumber[comm[v]] = renumber.count }
            for i in 0..<n where membership[i] >= 0 { membership[i] = renumber[comm[membership[i]]] ?? -1 }
            var next = [[Int: Double]](repeating: [:], count: renumber.count)
            for v in active {
                guard let cv = renumber[comm[v]] else { continue }
                for (u, w) in adj[v] {
                    guard let cu = renumber[comm[u]] else { continue }
                    next[cv][cu, default: 0] += w
                }
            }
            adj = next
            active = Array(0..<renumber.count)
        }
        return membership
    }

    // MARK: Betweenness

    static func brandes(adjacency: [[(other: Int32, weight: Double)]], nodes: [Int]) -> [Double] {
        let n = adjacency.count
        var cb = [Double](repeating: 0, count: n)
        var sigma = [Double](repeating: 0, count: n)
        var dist = [Int](repeating: -1, count: n)
        var delta = [Double](repeating: 0, count: n)
        var preds = [[Int]](repeating: [], count: n)
        for s in nodes {
            var stack: [Int] = []
            for v in nodes {
                sigma[v] = 0
                dist[v] = -1
                delta[v] = 0
                preds[v].removeAll(keepingCapacity: true)
            }
            sigma[s] = 1
            dist[s] = 0
            var queue = [s]
            var head = 0
            while head < queue.count {
                let v = queue[head]
                head += 1
                stack.append(v)
                for (o, _) in adjacency[v] {
                    let w = Int(o)
                    if dist[w] < 0 {
                        dist[w] = dist[v] + 1
                        queue.append(w)
                    }
                    if dist[w] == dist[v] + 1 {
                        sigma[w] += sigma[v]
                        preds[w].append(v)
                    }
                }
            }
            while let w = stack.popLast() {
                for v in preds[w] { delta[v] += sigma[v] / sigma[w] * (1 + delta[w]) }
                if w != s { cb[w] += delta[w] }
            }
        }
        let count = Double(nodes.count)
        let scale = count > 2 ? 1 / ((count - 1) * (count - 2)) : 0
        return cb.map { $0 * scale }
    }

    // MARK: Paths

    /// The shortest chain of co-mentions from `a` to `b` (fewest hops; among equals, the one
    /// through the strongest edges first), or nil when they are not connected.
    /// Needs only the graph, not communities or centrality.
    public static func path(from a: Int32, to b: Int32, in graph: CoMentionGraph) -> [Int32]? {
        if a == b { return [a] }
        let adjacency = adjacencyLists(graph)
        let n = adjacency.count
        var previous = [Int32](repeating: -1, count: n)
        var seen = [Bool](repeating: false, count: n)
        seen[Int(a)] = true
        var frontier = [a]
        while !frontier.isEmpty {
            var next: [Int32] = []
            for v in frontier {
                let ordered = adjacency[Int(v)].sorted { $0.weight != $1.weight ? $0.weight > $1.weight : $0.other < $1.other }
                for (o, _) in ordered where !seen[Int(o)] {
                    seen[Int(o)] = true
                    previous[Int(o)] = v
                    if o == b {
                        var path = [b]
                        var cur = b
                        while previous[Int(cur)] >= 0 {
                            cur = previous[Int(cur)]
                            path.append(cur)
                        }
                        return path.reversed()
                    }
                    next.append(o)
                }
            }
            frontier = next
        }
        return nil
    }

    /// A neighbour's score under `measure`, given N notes.
    public static func score(_ measure: RelatednessMeasure, edge: CoMention, df a: Int32, df b: Int32, notes n: Int, damping: Double) -> Double {
        let N = Double(max(n, 1))
        let both = Double(edge.notes)
        switch measure {
        case .proximity: return edge.weight * damping
        case .count: return both
        case .jaccard:
            let union = Double(a) + Double(b) - both
            return union > 0 ? both / union : 0
        case .npmi:
            let pxy = both / N
            let px = Double(a) / N
            let py = Double(b) / N
            if pxy >= 1 { return 1 }
            if pxy <= 0 || px <= 0 || py <= 0 { return -1 }
            return log(pxy / (px * py)) / -log(pxy)
        }
    }
}
