/// Mentions of an entity (or of every entity), in path and line order.
public struct MentionList: Sendable, Equatable {
    /// One mention: where, of what, and the text as written in the note.
    public struct Place: Sendable, Equatable {
        public var note: String
        public var line: Int
        /// Where the mention starts on its line (0-based, in characters).
        public var column: Int
        public var entity: String
        public var type: String
        /// The mention as written (`FFM은` gives `FFM`).
        public var surface: String
        /// The whole line.
        public var text: String

        /// The line as text output shows it: trimmed, and cut to a window around the mention.
        public var shown: String { text.displayLine(around: column) }
    }

    /// The entity asked about, or nil for every entity.
    public var entity: EntitySummary?
    public var total: Int
    public var mentions: [Place]
}

/// Entities, most mentioned first.
public struct EntityList: Sendable, Equatable {
    public var total: Int
    public var entities: [EntitySummary]
}

/// What the index holds.
public struct IndexStats: Sendable, Equatable {
    public var notes: Int
    public var skipped: Int
    public var entities: Int
    public var mentionedEntities: Int
    /// Entities discovery found (part of `entities`).
    public var discovered: Int
    public var mentions: Int
    public var edges: Int
    public var terms: Int
    /// Size on disk, with the base file of a delta.
    public var indexBytes: Int
}

extension KnowledgeBase {
    /// Every mention of `entity` (of every entity when nil), of entities of `type` if given,
    /// the first `limit` in path and line order.
    public func mentions(of entity: String? = nil, type: String? = nil, limit: Int = 10) throws(KGError) -> MentionList {
        var shown: [MentionList.Place] = []
        let (summary, total) = try eachMention(of: entity, type: type, limit: limit, withLines: true) { shown.append($0) }
        return MentionList(entity: summary, total: total, mentions: shown)
    }

    /// The mentions `mentions(of:type:limit:)` lists, handed to `each` as they are read: no
    /// list is made, one note's record (and, `withLines`, its text) is held at a time, so
    /// every mention of a large vault takes little memory. Gives the entity asked about and
    /// how many mentions there are in all (from the graph's counts: notes past the first
    /// `limit` mentions are not read).
    public func eachMention(
        of entity: String? = nil, type: String? = nil, limit: Int = 10, withLines: Bool, _ each: (MentionList.Place) -> Void
    ) throws(KGError) -> (entity: EntitySummary?, total: Int) {
        try query { view in
            let lexicon = try view.lexicon()
            try noteIfEmpty(view)
            try view.check(type: type)
            let only = try entity.map { name throws in try view.entity(named: name) }
            if let only, let type, lexicon.entities[Int(only)].type != type {
                let e = lexicon.entities[Int(only)]
                throw KGError.usage("\(e.name) is a \(e.type), so --type \(type) leaves none of its mentions")
            }
            let graph = try view.graph()
            var total = 0
            for (e, s) in graph.stats.enumerated()
            where (only == nil || Int32(e) == only) && (type == nil || lexicon.entities[e].type == type) {
                total += Int(s.mentions)
            }
            // Only the notes that mention the entity are read, and only until `limit`.
            let ids: [Int32] = try only.map { id throws in try view.reader.notesMentioning(id) } ?? Array(0..<Int32(try view.reader.noteCount()))
            var count = 0
            for id in ids where count < limit {
                let n = try view.reader.note(at: Int(id))
                // The note's text, read at its first mention shown.
                var lines: IndexView.NoteText??
                for m in n.mentions where (only == nil || m.entity == only) && (type == nil || lexicon.entities[Int(m.entity)].type == type) {
                    if count == limit { break }
                    if withLines && lines == nil { lines = .some(view.text(n.path, keep: false)) }
                    let e = lexicon.entities[Int(m.entity)]
                    each(MentionList.Place(note: n.path, line: Int(m.line), column: Int(m.column), entity: e.name, type: e.type,
                        surface: m.surface, text: lines??.line(Int(m.line)) ?? ""))
                    count += 1
                }
            }
            return (only.map { summary($0, lexicon, graph) }, total)
        }
    }

    /// Entities (of `type` if given) with their aliases and counts, most mentioned first. A
    /// discovered name never mentioned on its own (every occurrence lies inside a longer name:
    /// `포레스트` of `랜덤 포레스트`) is left out: it is no node of the graph.
    public func entities(type: String? = nil, limit: Int = 10) throws(KGError) -> EntityList {
        try query { view in
            let lexicon = try view.lexicon()
            let graph = try view.graph()
            try noteIfEmpty(view)
            try view.check(type: type)
            var ids = lexicon.entities.indices.filter {
                (type == nil || lexicon.entities[$0].type == type)
                    && !($0 < lexicon.origins.count && lexicon.origins[$0].source == .discovered && graph.stats[$0].mentions == 0)
            }
            ids.sort { a, b in
                let sa = graph.stats[a]
                let sb = graph.stats[b]
                if sa.mentions != sb.mentions { return sa.mentions > sb.mentions }
                return lexicon.entities[a].name.utf8.bytesPrecede(lexicon.entities[b].name.utf8)
            }
            return EntityList(total: ids.count, entities: ids.prefix(limit).map { summary(Int32($0), lexicon, graph) })
        }
    }

    /// Counts of what the index holds.
    public func stats() throws(KGError) -> IndexStats {
        try query { view in
            let graph = try view.graph()
            let meta = try view.reader.meta()
            return IndexStats(notes: meta.notes, skipped: try view.reader.files().filter { $0.skipReason != nil }.count,
                entities: meta.entities, mentionedEntities: graph.stats.filter { $0.mentions > 0 }.count,
                discovered: try view.lexicon().origins.filter { $0.source == .discovered }.count,
                mentions: graph.stats.reduce(0) { $0 + Int($1.mentions) }, edges: graph.edges.count, terms: meta.terms,
                indexBytes: view.reader.totalByteCount)
        }
    }
}
