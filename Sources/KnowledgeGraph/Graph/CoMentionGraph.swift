/// How often an entity is mentioned, and in how many notes.
public struct EntityStats: Sendable, Equatable {
    public var mentions: Int32 = 0
    public var notes: Int32 = 0
}

/// Two entities mentioned in the same notes, with how close they stood.
public struct CoMention: Sendable, Equatable {
    /// Entity ids, `a < b`.
    public var a: Int32
    public var b: Int32
    /// Notes that mention both.
    public var notes: Int32
    /// (note, section) pairs that mention both.
    public var sections: Int32
    /// (note, block) pairs that mention both.
    public var blocks: Int32
    /// (note, line) pairs that mention both.
    public var lines: Int32
    /// Sum over shared notes of the closeness in that note, in hundredths: 100 when they share
    /// a line, 60 a block; sharing only a section gives 35, and only the note 15, each
    /// decaying with the distance d in lines between their nearest mentions
    /// (35 × 20 / (20 + d) and 15 × 50 / (50 + d)), so a long note counts less than a
    /// paragraph.
    public var closeness: Int32

    /// Closeness as a number: one point per note where they share a line.
    public var weight: Double { Double(closeness) / 100 }
}

/// Entities linked by co-mention: a pure function of the notes' mentions.
public struct CoMentionGraph: Sendable, Equatable {
    public var stats: [EntityStats]
    /// Sorted by `(a, b)`.
    public var edges: [CoMention]

    static let lineCloseness: Int32 = 100
    static let blockCloseness: Int32 = 60
    static let sectionCloseness: Int32 = 35
    static let noteCloseness: Int32 = 15

    /// `base × scale / (scale + distance)`, rounded half up, in integers.
    static func decayed(_ base: Int32, distance: Int32, scale: Int32) -> Int32 {
        let d = max(0, distance)
        return (base * scale * 2 + scale + d) / (2 * (scale + d))
    }

    public init(stats: [EntityStats], edges: [CoMention]) {
        self.stats = stats
        self.edges = edges
    }

    /// Builds the graph from every note's mentions.
    public init(entityCount: Int, notes: [NoteRecord]) {
        var builder = GraphBuilder(entityCount: entityCount)
        for note in notes { builder.add(note, sign: 1) }
        self = builder.graph()
    }

    /// The edges touching entity `e`.
    public func neighbours(of e: Int32) -> [(other: Int32, edge: CoMention)] {
        edges.compactMap { edge in
            if edge.a == e { return (edge.b, edge) }
            if edge.b == e { return (edge.a, edge) }
            return nil
        }
    }
}

/// Accumulates the graph as a sum of per-note contributions, so an update can subtract a
/// changed note's old contribution and add its new one: the same integers a rebuild sums.
struct GraphBuilder {
    var stats: [EntityStats]
    var pairs: [UInt64: CoMention] = [:]

    init(entityCount: Int) {
        stats = Array(repeating: EntityStats(), count: entityCount)
    }

    init(_ graph: CoMentionGraph) {
        stats = graph.stats
        pairs.reserveCapacity(graph.edges.count)
        for e in graph.edges { pairs[GraphBuilder.key(e.a, e.b)] = e }
    }

    static func key(_ a: Int32, _ b: Int32) -> UInt64 { UInt64(UInt32(a)) << 32 | UInt64(UInt32(b)) }

    /// Where one entity stands in a note: sorted unique lines, blocks and sections.
    private struct Places {
        var entity: Int32
        var mentions: Int32 = 0
        var lines: [Int32] = []
        var blocks: [Int32] = []
        var sections: [Int32] = []
    }

    private static func uniqueSorted(_ a: [Int32]) -> [Int32] {
        var out: [Int32] = []
        for x in a.sorted() where out.last != x { out.append(x) }
        return out
    }

    /// The smallest |x − y| for x in `a`, y in `b` (both sorted).
    private static func nearest(_ a: [Int32], _ b: [Int32]) -> Int32 {
        var i = 0
        var j = 0
        var best = Int32.max
        while i < a.count && j < b.count {
            best = min(best, abs(a[i] - b[j]))
            if a[i] < b[j] { i += 1 } else { j += 1 }
        }
        return best
    }

    private static func common(_ a: [Int32], _ b: [Int32]) -> Int32 {
        var i = 0
        var j = 0
        var n: Int32 = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] {
                n += 1
                i += 1
                j += 1
            } else if a[i] < b[j] {
                i += 1
            } else {
                j += 1
            }
        }
        return n
    }

    /// Adds (`sign` 1) or removes (`sign` -1) one note's mentions and co-mentions.
    mutating func add(_ note: NoteRecord, sign: Int32) {
        if note.mentions.isEmpty { return }
        let sorted = note.mentions.filter { Int($0.entity) < stats.count && $0.entity >= 0 }.sorted { $0.entity < $1.entity }
        var places: [Places] = []
        var i = 0
        while i < sorted.count {
            let e = sorted[i].entity
            var p = Places(entity: e)
            var lines: [Int32] = []
            var blocks: [Int32] = []
            var sections: [Int32] = []
            while i < sorted.count && sorted[i].entity == e {
                p.mentions += 1
                lines.append(sorted[i].line)
                blocks.append(sorted[i].block)
                sections.append(sorted[i].section)
                i += 1
            }
            p.lines = GraphBuilder.uniqueSorted(lines)
            p.blocks = GraphBuilder.uniqueSorted(blocks)
            p.sections = GraphBuilder.uniqueSorted(sections)
            places.append(p)
        }
        for p in places {
            stats[Int(p.entity)].mentions += sign * p.mentions
            stats[Int(p.entity)].notes += sign
        }
        for x in 0..<places.count {
            for y in (x + 1)..<places.count {
                let a = places[x]
                let b = places[y]
                let lines = GraphBuilder.common(a.lines, b.lines)
                let blocks = GraphBuilder.common(a.blocks, b.blocks)
                let sections = GraphBuilder.common(a.sections, b.sections)
                let closeness: Int32
                if lines > 0 {
                    closeness = CoMentionGraph.lineCloseness
                } else if blocks > 0 {
                    closeness = CoMentionGraph.blockCloseness
                } else {
                    let d = GraphBuilder.nearest(a.lines, b.lines)
                    closeness = sections > 0
                        ? CoMentionGraph.decayed(CoMentionGraph.sectionCloseness, distance: d, scale: 20)
                        : CoMentionGraph.decayed(CoMentionGraph.noteCloseness, distance: d, scale: 50)
                }
                let k = GraphBuilder.key(a.entity, b.entity)
                var e = pairs[k] ?? CoMention(a: a.entity, b: b.entity, notes: 0, sections: 0, blocks: 0, lines: 0, closeness: 0)
                e.notes += sign
                e.lines += sign * lines
                e.blocks += sign * blocks
                e.sections += sign * sections
                e.closeness += sign * closeness
                if e.notes == 0 { pairs[k] = nil } else { pairs[k] = e }
            }
        }
    }

    /// Adds another builder's sums (notes analysed elsewhere).
    mutating func merge(_ other: GraphBuilder) {
        for (i, s) in other.stats.enumerated() where i < stats.count {
            stats[i].mentions += s.mentions
            stats[i].notes += s.notes
        }
        for (k, o) in other.pairs {
            guard var e = pairs[k] else {
                pairs[k] = o
                continue
            }
            e.notes += o.notes
            e.lines += o.lines
            e.blocks += o.blocks
            e.sections += o.sections
            e.closeness += o.closeness
            pairs[k] = e
        }
    }

    func graph() -> CoMentionGraph {
        CoMentionGraph(stats: stats, edges: pairs.values.filter { $0.notes != 0 }.sorted { ($0.a, $0.b) < ($1.a, $1.b) })
    }
}
