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

    /// The graph with entity `e` renamed `map[e]`, in a set of `entityCount` entities (the new
    /// ones with nothing); nil if an entity that `map` drops (-1) still has mentions. `map`
    /// must keep the order of the entities it keeps, so the edges stay sorted.
    func renumbered(_ map: [Int32], entityCount: Int) -> CoMentionGraph? {
        guard map.count == stats.count else { return nil }
        var newStats = [EntityStats](repeating: EntityStats(), count: entityCount)
        for (e, s) in stats.enumerated() {
            if map[e] < 0 {
                if s.mentions != 0 || s.notes != 0 { return nil }
                continue
            }
            guard Int(map[e]) < entityCount else { return nil }
            newStats[Int(map[e])] = s
        }
        var newEdges: [CoMention] = []
        newEdges.reserveCapacity(edges.count)
        for var edge in edges {
            guard map[Int(edge.a)] >= 0, map[Int(edge.b)] >= 0 else { return nil }
            edge.a = map[Int(edge.a)]
            edge.b = map[Int(edge.b)]
            newEdges.append(edge)
        }
        return CoMentionGraph(stats: newStats, edges: newEdges)
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
    /// With few entities (at most `denseLimit`), a pair's sum is found by its place in an
    /// `n × n` table instead of by hashing (made when the first pair comes).
    private var dense: [Int32] = []
    private var denseSide = 0
    static let denseLimit = 400

    init(entityCount: Int) {
        stats = Array(repeating: EntityStats(), count: entityCount)
        denseSide = entityCount <= GraphBuilder.denseLimit ? entityCount : 0
    }

    init(_ graph: CoMentionGraph) {
        stats = graph.stats
        denseSide = stats.count <= GraphBuilder.denseLimit ? stats.count : 0
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
        if a >= 0 && b >= 0 && Int(a) < denseSide && Int(b) < denseSide {
            if dense.isEmpty { dense = [Int32](repeating: -1, count: denseSide * denseSide) }
            let d = Int(a) * denseSide + Int(b)
            if dense[d] >= 0 { return dense[d] }
            let id = Int32(keys.count)
            keys.append(key)
            sums.append(CoMention(a: a, b: b, notes: 0, sections: 0, blocks: 0, lines: 0, closeness: 0))
            dense[d] = id
            return id
        }
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

    /// The number of values in both sorted runs of `v`.
    @inline(__always) private static func common(_ v: UnsafeBufferPointer<Int32>, _ a: Range<Int>, _ b: Range<Int>) -> Int32 {
        var i = a.lowerBound
        var j = b.lowerBound
        var n: Int32 = 0
        while i < a.upperBound && j < b.upperBound {
            let x = v[i]
            let y = v[j]
            if x == y {
                n += 1
                i += 1
                j += 1
            } else if x < y {
                i += 1
            } else {
                j += 1
            }
        }
        return n
    }

    /// The smallest |x − y| for x, y in the two sorted runs of `v`.
    @inline(__always) private static func nearest(_ v: UnsafeBufferPointer<Int32>, _ a: Range<Int>, _ b: Range<Int>) -> Int32 {
        var i = a.lowerBound
        var j = b.lowerBound
        var best = Int32.max
        while i < a.upperBound && j < b.upperBound {
            let x = v[i]
            let y = v[j]
            best = min(best, abs(x - y))
            if x < y { i += 1 } else { j += 1 }
        }
        return best
    }

    /// One note's entities, each with its distinct lines, blocks and sections as runs of
    /// three flat arrays; kept between notes so that adding one allocates nothing.
    private struct Scratch {
        var order: [UInt64] = []
        var entities: [Int32] = []
        var lines: [Int32] = []
        var blocks: [Int32] = []
        var sections: [Int32] = []
        /// Per entity: where its runs start in `lines`, `blocks` and `sections` (and a last
        /// entry for the ends).
        var lineStarts: [Int] = []
        var blockStarts: [Int] = []
        var sectionStarts: [Int] = []
    }
    private var scratch = Scratch()

    /// Adds (`sign` 1) or removes (`sign` -1) one note's mentions and co-mentions.
    mutating func add(_ note: NoteRecord, sign: Int32) {
        if note.mentions.isEmpty { return }
        var w = Scratch()
        swap(&w, &scratch)
        defer { swap(&w, &scratch) }
        // Mentions come in line order; within a note, blocks and sections never decrease as
        // lines grow. Ordering them by entity (stably) makes each entity's distinct lines,
        // blocks and sections come out sorted.
        let mentions = note.mentions
        w.order.removeAll(keepingCapacity: true)
        for (i, m) in mentions.enumerated() where m.entity >= 0 && Int(m.entity) < stats.count {
            w.order.append(UInt64(m.entity) << 32 | UInt64(i))
        }
        w.order.sort()
        w.entities.removeAll(keepingCapacity: true)
        w.lines.removeAll(keepingCapacity: true)
        w.blocks.removeAll(keepingCapacity: true)
        w.sections.removeAll(keepingCapacity: true)
        w.lineStarts.removeAll(keepingCapacity: true)
        w.blockStarts.removeAll(keepingCapacity: true)
        w.sectionStarts.removeAll(keepingCapacity: true)
        var i = 0
        while i < w.order.count {
            let e = Int32(w.order[i] >> 32)
            w.lineStarts.append(w.lines.count)
            w.blockStarts.append(w.blocks.count)
            w.sectionStarts.append(w.sections.count)
            var count: Int32 = 0
            var lastLine: Int32 = -1
            var lastBlock: Int32 = -1
            var lastSection: Int32 = -1
            while i < w.order.count {
                if Int32(w.order[i] >> 32) != e { break }
                let m = mentions[Int(w.order[i] & 0xFFFF_FFFF)]
                count += 1
                if m.line != lastLine { w.lines.append(m.line) }
                if m.block != lastBlock { w.blocks.append(m.block) }
                if m.section != lastSection { w.sections.append(m.section) }
                lastLine = m.line
                lastBlock = m.block
                lastSection = m.section
                i += 1
            }
            w.entities.append(e)
            stats[Int(e)].mentions += sign * count
            stats[Int(e)].notes += sign
        }
        w.lineStarts.append(w.lines.count)
        w.blockStarts.append(w.blocks.count)
        w.sectionStarts.append(w.sections.count)
        let n = w.entities.count
        if n < 2 { return }
        w.lines.withUnsafeBufferPointer { lines in
            w.blocks.withUnsafeBufferPointer { blocks in
                w.sections.withUnsafeBufferPointer { sections in
                    for x in 0..<n {
                        let lx = w.lineStarts[x]..<w.lineStarts[x + 1]
                        let bx = w.blockStarts[x]..<w.blockStarts[x + 1]
                        let sx = w.sectionStarts[x]..<w.sectionStarts[x + 1]
                        let a = w.entities[x]
                        for y in (x + 1)..<n {
                            let ly = w.lineStarts[y]..<w.lineStarts[y + 1]
                            let sharedLines = GraphBuilder.common(lines, lx, ly)
                            let sharedBlocks = GraphBuilder.common(blocks, bx, w.blockStarts[y]..<w.blockStarts[y + 1])
                            let sharedSections = GraphBuilder.common(sections, sx, w.sectionStarts[y]..<w.sectionStarts[y + 1])
                            let closeness: Int32
                            if sharedLines > 0 {
                                closeness = CoMentionGraph.lineCloseness
                            } else if sharedBlocks > 0 {
                                closeness = CoMentionGraph.blockCloseness
                            } else {
                                let d = GraphBuilder.nearest(lines, lx, ly)
                                closeness = sharedSections > 0
                                    ? CoMentionGraph.decayed(CoMentionGraph.sectionCloseness, distance: d, scale: 20)
                                    : CoMentionGraph.decayed(CoMentionGraph.noteCloseness, distance: d, scale: 50)
                            }
                            let b = w.entities[y]
                            let k = Int(slot(GraphBuilder.key(a, b), a, b))
                            sums.withUnsafeMutableBufferPointer { sums in
                                sums[k].notes += sign
                                sums[k].lines += sign * sharedLines
                                sums[k].blocks += sign * sharedBlocks
                                sums[k].sections += sign * sharedSections
                                sums[k].closeness += sign * closeness
                            }
                        }
                    }
                }
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
