/// An entity as answers show it: its name and type, and how much the notes mention it.
public struct EntitySummary: Sendable, Equatable {
    public var name: String
    public var type: String
    public var aliases: [String]
    public var mentions: Int
    public var notes: Int
    /// Where it comes from: the lexicon, an entity note, or discovery (with how surely and why).
    public var origin: EntityOrigin
}

/// The entities mentioned with one entity, closest first.
public struct RelatedEntities: Sendable, Equatable {
    /// A neighbour with its score, the parts of it, and the lines that show the two together.
    public struct Neighbour: Sendable, Equatable {
        public var name: String
        public var type: String
        public var score: Double
        public var notes: Int
        public var sections: Int
        public var closeness: Double
        public var damping: Double
        public var npmi: Double
        public var jaccard: Double
        public var evidence: [LinePlace]
    }

    public var entity: EntitySummary
    public var measure: RelatednessMeasure
    /// How many neighbours there are in all (the neighbours are the best `limit`).
    public var total: Int
    public var neighbours: [Neighbour]
}

/// What one note is about, and the notes it could link to.
public struct NoteNeighbourhood: Sendable, Equatable {
    public struct EntityScore: Sendable, Equatable {
        public var name: String
        public var type: String
        public var mentions: Int
        public var score: Double
    }

    public struct NoteScore: Sendable, Equatable {
        public var note: String
        public var score: Double
        /// Shared entities, rarest first.
        public var shared: [String]
    }

    public var note: String
    public var entities: [EntityScore]
    public var notes: [NoteScore]
}

extension KnowledgeBase {
    /// The entities mentioned in the same notes as `name`, ranked by `measure` (only those of
    /// `type`, if given), the best `limit` with up to three evidence lines each.
    public func related(_ name: String, by measure: RelatednessMeasure = .proximity, type: String? = nil, limit: Int = 10)
        throws(KGError) -> RelatedEntities
    {
        try query { view in
            let lexicon = try view.lexicon()
            let graph = try view.graph()
            try noteIfEmpty(view)
            try view.check(type: type)
            let id = try view.entity(named: name)
            // Rank from the graph alone; decode only the notes that hold evidence for the
            // neighbours shown.
            let all = Related.neighbours(of: id, graph: graph, noteCount: try view.reader.noteCount(), type: type, lexicon: lexicon, by: measure)
            let mine = try view.reader.notesMentioning(id)
            var cache: [Int32: [Mention]] = [:]
            var neighbours: [RelatedEntities.Neighbour] = []
            for r in all.prefix(limit) {
                let shared = sortedIntersection(mine, try view.reader.notesMentioning(r.entity))
                let evidence = try Related.evidence(id, r.entity, count: shared.count, limit: 3,
                    mentions: { (i) throws(CorruptIndex) -> [Mention] in
                        let n = shared[i]
                        if let m = cache[n] { return m }
                        let m = try view.reader.mentionPlaces(at: Int(n))
                        cache[n] = m
                        return m
                    }, path: { (i) throws(CorruptIndex) -> String in try view.reader.notePath(Int(shared[i])) })
                let e = lexicon.entities[Int(r.entity)]
                neighbours.append(RelatedEntities.Neighbour(name: e.name, type: e.type, score: r.score, notes: r.notes, sections: r.sections,
                    closeness: r.closeness, damping: r.damping, npmi: r.npmi, jaccard: r.jaccard,
                    evidence: evidence.map { view.place($0.note, $0.line) }))
            }
            return RelatedEntities(entity: summary(id, lexicon, graph), measure: measure, total: all.count, neighbours: neighbours)
        }
    }

    /// The entities the note at `path` is about (mentions × rarity) and the notes that share
    /// its most distinctive entities but are not linked to or from it yet.
    public func relatedNote(_ path: String, limit: Int = 10) throws(KGError) -> NoteNeighbourhood {
        try query { view in
            let lexicon = try view.lexicon()
            let graph = try view.graph()
            let notes = try view.notes()
            let index = try view.note(path, currentDirectory: options.currentDirectory)
            try noteIfEmpty(view)
            let resolver = try LinkResolver(view)
            var linked = Set(try linksTo(Int32(index), aliases: notes[index].aliases, resolver: resolver).map { Int($0.0) })
            for l in notes[index].links {
                if case .note(let key) = NoteKeys.target(of: l, from: notes[index].path), let to = try resolver.resolve(key, from: Int32(index)).note {
                    linked.insert(Int(to))
                }
            }
            let (entities, related) = Related.aboutNote(index, notes: notes, graph: graph, linked: linked, limit: limit)
            return NoteNeighbourhood(
                note: notes[index].path,
                entities: entities.map { e in
                    let x = lexicon.entities[Int(e.entity)]
                    return NoteNeighbourhood.EntityScore(name: x.name, type: x.type, mentions: e.mentions, score: e.score)
                },
                notes: related.map { r in
                    NoteNeighbourhood.NoteScore(note: r.note, score: r.score, shared: r.shared.map { lexicon.entities[Int($0)].name })
                })
        }
    }
}

/// An entity's summary from the lexicon and the graph's counts.
func summary(_ id: Int32, _ lexicon: Lexicon, _ graph: CoMentionGraph) -> EntitySummary {
    let e = lexicon.entities[Int(id)]
    let s = graph.stats[Int(id)]
    return EntitySummary(name: e.name, type: e.type, aliases: e.aliases, mentions: Int(s.mentions), notes: Int(s.notes),
        origin: Int(id) < lexicon.origins.count ? lexicon.origins[Int(id)] : EntityOrigin(source: .lexicon))
}

/// The ids in both ascending lists.
func sortedIntersection(_ a: [Int32], _ b: [Int32]) -> [Int32] {
    var out: [Int32] = []
    var i = 0
    var j = 0
    while i < a.count && j < b.count {
        if a[i] == b[j] {
            out.append(a[i])
            i += 1
            j += 1
        } else if a[i] < b[j] {
            i += 1
        } else {
            j += 1
        }
    }
    return out
}
