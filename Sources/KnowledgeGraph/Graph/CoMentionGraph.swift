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
    /// a line, 60 a block, 35 a section, 15 only the note.
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

    public init(stats: [EntityStats], edges: [CoMention]) {
        self.stats = stats
        self.edges = edges
    }

    /// Builds the graph from every note's mentions.
    public init(entityCount: Int, notes: [NoteRecord]) {
        var stats = [EntityStats](repeating: EntityStats(), count: entityCount)
        var pairs: [UInt64: CoMention] = [:]
        for note in notes where !note.mentions.isEmpty {
            var places: [Int32: (lines: Set<Int32>, blocks: Set<Int32>, sections: Set<Int32>)] = [:]
            for m in note.mentions where Int(m.entity) < entityCount {
                stats[Int(m.entity)].mentions += 1
                places[m.entity, default: ([], [], [])].lines.insert(m.line)
                places[m.entity]?.blocks.insert(m.block)
                places[m.entity]?.sections.insert(m.section)
            }
            let ids = places.keys.sorted()
            for e in ids { stats[Int(e)].notes += 1 }
            for i in ids.indices {
                guard let pa = places[ids[i]] else { continue }
                for j in (i + 1)..<ids.count {
                    guard let pb = places[ids[j]] else { continue }
                    let key = UInt64(UInt32(ids[i])) << 32 | UInt64(UInt32(ids[j]))
                    var e = pairs[key] ?? CoMention(a: ids[i], b: ids[j], notes: 0, sections: 0, blocks: 0, lines: 0, closeness: 0)
                    let lines = Int32(pa.lines.intersection(pb.lines).count)
                    let blocks = Int32(pa.blocks.intersection(pb.blocks).count)
                    let sections = Int32(pa.sections.intersection(pb.sections).count)
                    e.notes += 1
                    e.lines += lines
                    e.blocks += blocks
                    e.sections += sections
                    e.closeness += lines > 0 ? Self.lineCloseness : blocks > 0 ? Self.blockCloseness
                        : sections > 0 ? Self.sectionCloseness : Self.noteCloseness
                    pairs[key] = e
                }
            }
        }
        self.stats = stats
        self.edges = pairs.values.sorted { ($0.a, $0.b) < ($1.a, $1.b) }
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
