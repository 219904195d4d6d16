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
    /// Pair sums by key `a << 32 | b`, in an open-addressing table (pairs whose note count
    /// falls to 0 stay in it and are left out of the graph).
    private var keys: [UInt64] = []
    private var sums: [CoMention] = []
    private var slots = [Int32](repeating: -1, count: 256)

    init(entityCount: Int) {
        stats = Array(repeating: EntityStats(), count: entityCount)
    }

    init(_ graph: CoMentionGraph) {
        stats = graph.stats
        for e in graph.edges { add(pair: e, sign: 1) }
    }

    static func key(_ a: Int32, _ b: Int32) -> UInt64 { UInt64(UInt32(a)) << 32 | UInt64(UInt32(b)) }

    /// Adds `o` (times `sign`) to the sums of its pair.
    private mutating func add(pair o: CoMention, sign: Int32) {
        let k = Int(slot(GraphBuilder.key(o.a, o.b), o.a, o.b))
        sums[k].add(o, sign: sign)
    }

    /// Fibonacci hashing: the top bits of the product pick the slot.
    @inline(__always) private static func home(_ key: UInt64, _ count: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - count.trailingZeroBitCount))
    }

    private mutating func slot(_ key: UInt64, _ a: Int32, _ b: Int32) -> Int32 {
        let mask = slots.count - 1
        var s = GraphBuilder.home(key, slots.count)
        while true {
            let k = slots[s]
            if k < 0 { break }
            if keys[Int(k)] == key { return k }
            s = (s + 1) & mask
        }
        let id = Int32(keys.count)
        keys.append(key)
        sums.append(CoMention(a: a, b: b, notes: 0, sections: 0, blocks: 0, lines: 0, closeness: 0))
        slots[s] = id
        if keys.count * 2 > slots.count {
            slots = [Int32](repeating: -1, count: slots.count * 2)
            let mask = slots.count - 1
            for (i, k) in keys.enumerated() {
                var s = GraphBuilder.home(k, slots.count)
                while slots[s] >= 0 { s = (s + 1) & mask }
                slots[s] = Int32(i)
            }
        }
        return id
    }

    /// The number of values in both sorted runs.
    private static func common(_ v: [Int32], _ a: Range<Int>, _ b: Range<Int>) -> Int32 {
        var i = a.lowerBound
        var j = b.lowerBound
        var n: Int32 = 0
        while i < a.upperBound && j < b.upperBound {
            if v[i] == v[j] {
                n += 1
                i += 1
                j += 1
            } else if v[i] < v[j] {
                i += 1
            } else {
                j += 1
            }
        }
        return n
    }

    /// The smallest |x − y| for x, y in the two sorted runs.
    private static func nearest(_ v: [Int32], _ a: Range<Int>, _ b: Range<Int>) -> Int32 {
        var i = a.lowerBound
        var j = b.lowerBound
        var best = Int32.max
        while i < a.upperBound && j < b.upperBound {
            best = min(best, abs(v[i] - v[j]))
            if v[i] < v[j] { i += 1 } else { j += 1 }
        }
        return best
    }

    /// Adds (`sign` 1) or removes (`sign` -1) one note's mentions and co-mentions.
    mutating func add(_ note: NoteRecord, sign: Int32) {
        if note.mentions.isEmpty { return }
        // Mentions by entity then line; within a note, blocks and sections never decrease as
        // lines grow, so each entity's distinct lines, blocks and sections come out sorted.
        var sorted: [(entity: Int32, line: Int32, block: Int32, section: Int32)] = []
        sorted.reserveCapacity(note.mentions.count)
        for m in note.mentions where m.entity >= 0 && Int(m.entity) < stats.count {
            sorted.append((m.entity, m.line, m.block, m.section))
        }
        sorted.sort { $0.entity != $1.entity ? $0.entity < $1.entity : $0.line < $1.line }
        // Each entity's distinct lines, blocks and sections, as runs of three flat arrays.
        var entities: [Int32] = []
        var lines: [Int32] = []
        var blocks: [Int32] = []
        var sections: [Int32] = []
        var lineRuns: [Range<Int>] = []
        var blockRuns: [Range<Int>] = []
        var sectionRuns: [Range<Int>] = []
        var i = 0
        while i < sorted.count {
            let e = sorted[i].entity
            let l0 = lines.count
            let b0 = blocks.count
            let s0 = sections.count
            var mentions: Int32 = 0
            while i < sorted.count && sorted[i].entity == e {
                let m = sorted[i]
                mentions += 1
                if lines.count == l0 || lines[lines.count - 1] != m.line { lines.append(m.line) }
                if blocks.count == b0 || blocks[blocks.count - 1] != m.block { blocks.append(m.block) }
                if sections.count == s0 || sections[sections.count - 1] != m.section { sections.append(m.section) }
                i += 1
            }
            entities.append(e)
            lineRuns.append(l0..<lines.count)
            blockRuns.append(b0..<blocks.count)
            sectionRuns.append(s0..<sections.count)
            stats[Int(e)].mentions += sign * mentions
            stats[Int(e)].notes += sign
        }
        for x in 0..<entities.count {
            for y in (x + 1)..<entities.count {
                let sharedLines = GraphBuilder.common(lines, lineRuns[x], lineRuns[y])
                let sharedBlocks = GraphBuilder.common(blocks, blockRuns[x], blockRuns[y])
                let sharedSections = GraphBuilder.common(sections, sectionRuns[x], sectionRuns[y])
                let closeness: Int32
                if sharedLines > 0 {
                    closeness = CoMentionGraph.lineCloseness
                } else if sharedBlocks > 0 {
                    closeness = CoMentionGraph.blockCloseness
                } else {
                    let d = GraphBuilder.nearest(lines, lineRuns[x], lineRuns[y])
                    closeness = sharedSections > 0
                        ? CoMentionGraph.decayed(CoMentionGraph.sectionCloseness, distance: d, scale: 20)
                        : CoMentionGraph.decayed(CoMentionGraph.noteCloseness, distance: d, scale: 50)
                }
                let a = entities[x]
                let b = entities[y]
                let k = Int(slot(GraphBuilder.key(a, b), a, b))
                sums[k].notes += sign
                sums[k].lines += sign * sharedLines
                sums[k].blocks += sign * sharedBlocks
                sums[k].sections += sign * sharedSections
                sums[k].closeness += sign * closeness
            }
        }
    }

    /// Adds another builder's sums (notes analysed elsewhere).
    mutating func merge(_ other: GraphBuilder) {
        for (i, s) in other.stats.enumerated() where i < stats.count {
            stats[i].mentions += s.mentions
            stats[i].notes += s.notes
        }
        for o in other.sums { add(pair: o, sign: 1) }
    }

    func graph() -> CoMentionGraph {
        CoMentionGraph(stats: stats, edges: sums.filter { $0.notes != 0 }.sorted { ($0.a, $0.b) < ($1.a, $1.b) })
    }
}

extension CoMention {
    mutating func add(_ o: CoMention, sign: Int32) {
        notes += sign * o.notes
        lines += sign * o.lines
        blocks += sign * o.blocks
        sections += sign * o.sections
        closeness += sign * o.closeness
    }
}
