/// The lines of other notes that link to a note (or, unlinked, that mention it without a link).
public struct BacklinkList: Sendable, Equatable {
    public var note: String
    public var unlinked: Bool
    /// How many there are in all (the backlinks are the first `limit`, in path and line order).
    public var total: Int
    public var backlinks: [LinePlace]
}

/// A note's outgoing links, in line order.
public struct LinkList: Sendable, Equatable {
    public struct Link: Sendable, Equatable {
        /// As written (`FFM#History`, `../a.md`).
        public var target: String
        /// The note it goes to, or nil (unresolved, or an attachment).
        public var note: String?
        public var line: Int
        public var viaAlias: Bool
        public var attachment: Bool
    }

    public var note: String
    public var links: [Link]
}

/// Links that go to no note, most-linked targets first.
public struct UnresolvedList: Sendable, Equatable {
    public struct Link: Sendable, Equatable {
        public var target: String
        public var note: String
        public var line: Int
    }

    public var total: Int
    public var links: [Link]
}

/// Notes with no link in or out.
public struct OrphanList: Sendable, Equatable {
    public var total: Int
    public var notes: [String]
}

extension KnowledgeBase {
    /// Each line of another note with a link to `note` (a path or a name resolved like a
    /// wikilink); with `unlinked`, each line that mentions its title or aliases by the
    /// mention rules without linking it (Obsidian's unlinked mentions).
    public func backlinks(_ note: String, unlinked: Bool = false, limit: Int = Int.max) throws(KGError) -> BacklinkList {
        try query { view in
            let id = Int32(try view.note(note, currentDirectory: options.currentDirectory))
            let resolver = try LinkResolver(view)
            let record = try view.reader.note(at: Int(id))
            var places: [(Int32, Int32)] = unlinked ? try unlinkedMentions(of: record, id: id, view: view, resolver: resolver)
                : try linksTo(id, aliases: record.aliases, resolver: resolver)
            places.sort { $0 < $1 }
            return BacklinkList(note: record.path, unlinked: unlinked, total: places.count,
                backlinks: places.prefix(limit).map { view.place(resolver.paths[Int($0.0)], Int($0.1)) })
        }
    }

    /// (note, line) of each link to note `id` from another note.
    func linksTo(_ id: Int32, aliases: [String], resolver: LinkResolver) throws -> [(Int32, Int32)] {
        var places = Set<[Int32]>()
        for key in resolver.keys(of: id, aliases: aliases) {
            guard let k = try resolver.view.reader.find(NoteKeys.link + key) else { continue }
            let p = try resolver.view.reader.postings(at: k, noteCount: resolver.paths.count)
            for (i, source) in p.notes.enumerated() where source != id {
                guard try resolver.resolve(key, from: source).note == id else { continue }
                for line in p.positions(at: i) { places.insert([source, line]) }
            }
        }
        return places.map { ($0[0], $0[1]) }
    }

    /// (note, line) of each mention of the note's title, file name or aliases in another note
    /// that is not inside a link on its line. Names of two characters or fewer (one Hangul
    /// syllable) are left out: they would match unrelated text.
    private func unlinkedMentions(of record: NoteRecord, id: Int32, view: IndexView, resolver: LinkResolver) throws -> [(Int32, Int32)] {
        let stem = NoteKeys.withoutNoteExtension(String(record.path.split(separator: "/").last ?? ""))
        let names = ([record.title, stem] + record.aliases).filter { name in
            let k = Lexicon.key(name)
            let hangul = k.filter(Scalars.isHangulSyllable).count
            return !(hangul == 0 && k.count <= 2) && !(hangul == 1 && k.count == 1)
        }
        guard let first = names.first else { return [] }
        let lexicon = Lexicon(definitions: [EntityDefinition(entity: Entity(name: first, type: "note", aliases: Array(names.dropFirst())),
            source: record.path, line: 1)])
        let analyzer = Analyzer(lexicon: lexicon)
        // Candidate notes: those the search index finds any of the names in.
        var candidates = Set<Int32>()
        var ids: [PathKey: Int32] = [:]
        for (i, p) in resolver.paths.enumerated() { ids[PathKey(p)] = Int32(i) }
        let searcher = try Searcher(index: view.reader) { view.lines($0) }
        for name in names {
            let query = SearchQuery("\"" + name.replacingOccurrences(of: "\"", with: " ") + "\"")
            if query.isEmpty { continue }
            for hit in try searcher.search(query).hits { if let n = ids[PathKey(hit.note)] { candidates.insert(n) } }
        }
        var places: [(Int32, Int32)] = []
        for source in candidates.sorted() where source != id {
            let path = resolver.paths[Int(source)]
            guard case .success(let text) = vault.text(path) else { continue }
            let (found, _) = analyzer.analyze(path: path, normalizedText: text)
            var lines = Set<Int32>()
            for m in found.mentions {
                let inLink = found.links.contains { l in
                    l.line == m.line && m.column >= l.column && m.column < l.column + l.length
                }
                if !inLink { lines.insert(m.line) }
            }
            for line in lines.sorted() { places.append((source, line)) }
        }
        return places
    }

    /// The links written in `note`, where each goes.
    public func links(_ note: String) throws(KGError) -> LinkList {
        try query { view in
            let id = Int32(try view.note(note, currentDirectory: options.currentDirectory))
            let resolver = try LinkResolver(view)
            let record = try view.reader.note(at: Int(id))
            var out: [LinkList.Link] = []
            for l in record.links {
                var link = LinkList.Link(target: l.target, note: nil, line: Int(l.line), viaAlias: false, attachment: false)
                switch NoteKeys.target(of: l, from: record.path) {
                case .note(let key):
                    let r = try resolver.resolve(key, from: id)
                    link.note = r.note.map { resolver.paths[Int($0)] }
                    link.viaAlias = r.viaAlias
                case .attachment: link.attachment = true
                case .none: link.note = record.path
                }
                out.append(link)
            }
            return LinkList(note: record.path, links: out)
        }
    }

    /// Links to no note (attachments are not counted), most-linked targets first.
    public func unresolved(limit: Int = Int.max) throws(KGError) -> UnresolvedList {
        try query { view in
            let resolver = try LinkResolver(view)
            var groups: [(key: String, places: [(Int32, Int32)])] = []
            try resolver.allLinks { key, postings in
                guard try resolver.candidates(key).notes.isEmpty else { return }
                var places: [(Int32, Int32)] = []
                for (i, n) in postings.notes.enumerated() { for line in postings.positions(at: i) { places.append((n, line)) } }
                groups.append((key, places))
            }
            groups.sort { $0.places.count != $1.places.count ? $0.places.count > $1.places.count : $0.key.utf8.bytesPrecede($1.key.utf8) }
            var out: [UnresolvedList.Link] = []
            var records: [Int32: NoteRecord] = [:]
            let total = groups.reduce(0) { $0 + $1.places.count }
            outer: for g in groups {
                for (n, line) in g.places {
                    if out.count >= limit { break outer }
                    let r = try records[n] ?? view.reader.note(at: Int(n))
                    records[n] = r
                    // The target as written on that line.
                    let written = r.links.first { l in
                        l.line == line && NoteKeys.target(of: l, from: r.path) == .note(g.key)
                    }?.target ?? g.key
                    out.append(UnresolvedList.Link(target: written, note: r.path, line: Int(line)))
                }
            }
            return UnresolvedList(total: total, links: out)
        }
    }

    /// Notes that no link goes to or from (links to nowhere or to attachments do not count).
    public func orphans(limit: Int = Int.max) throws(KGError) -> OrphanList {
        try query { view in
            let resolver = try LinkResolver(view)
            var linked = [Bool](repeating: false, count: resolver.paths.count)
            try resolver.allLinks { key, postings in
                for source in postings.notes {
                    guard let target = try resolver.resolve(key, from: source).note, target != source else { continue }
                    linked[Int(source)] = true
                    linked[Int(target)] = true
                }
            }
            let orphans = linked.indices.filter { !linked[$0] }.map { resolver.paths[$0] }
            return OrphanList(total: orphans.count, notes: Array(orphans.prefix(limit)))
        }
    }

    /// Every resolved link between two notes: (source, target, count of lines), sorted.
    func noteLinks(_ view: IndexView, _ resolver: LinkResolver) throws -> [(Int32, Int32, Int)] {
        var counts: [[Int32]: Int] = [:]
        try resolver.allLinks { key, postings in
            for (i, source) in postings.notes.enumerated() {
                guard let target = try resolver.resolve(key, from: source).note, target != source else { continue }
                counts[[source, target], default: 0] += postings.positions(at: i).count
            }
        }
        return counts.map { ($0.key[0], $0.key[1], $0.value) }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
    }
}

extension KnowledgeBase {
    /// The note link graph as a graph model: notes with a link in or out as nodes (typed by
    /// their top folder, named by their path, with their file name as an alias so that
    /// `--around` takes it), resolved links as undirected edges weighted by how many lines
    /// link the two.
    public func linkGraph(_ filter: GraphFilter, analysis: Bool) throws(KGError) -> GraphModel {
        try query { view in
            let resolver = try LinkResolver(view)
            let links = try noteLinks(view, resolver)
            var degree: [Int32: Int] = [:]
            for (a, b, n) in links {
                degree[a, default: 0] += n
                degree[b, default: 0] += n
            }
            let nodes = degree.keys.sorted()
            var entityOf: [Int32: Int32] = [:]
            var entities: [Entity] = []
            for (k, id) in nodes.enumerated() {
                let path = resolver.paths[Int(id)]
                let folder = path.split(separator: "/").count > 1 ? String(path.split(separator: "/")[0]) : "note"
                entities.append(Entity(name: path, type: folder, aliases: [NoteKeys.withoutNoteExtension(String(path.split(separator: "/").last ?? ""))]))
                entityOf[id] = Int32(k)
            }
            var pairs: [[Int32]: Int32] = [:]
            for (a, b, n) in links {
                guard let x = entityOf[a], let y = entityOf[b] else { continue }
                pairs[[min(x, y), max(x, y)], default: 0] += Int32(n)
            }
            var neighbours = [Int32](repeating: 0, count: entities.count)
            let edges = pairs.map { key, n -> CoMention in
                neighbours[Int(key[0])] += 1
                neighbours[Int(key[1])] += 1
                return CoMention(a: key[0], b: key[1], notes: n, sections: 0, blocks: 0, lines: n, closeness: n * 100)
            }.sorted { ($0.a, $0.b) < ($1.a, $1.b) }
            let stats = nodes.enumerated().map { k, id in EntityStats(mentions: Int32(degree[id] ?? 0), notes: neighbours[k]) }
            let lexicon = Lexicon(stored: entities, issues: [])
            let graph = CoMentionGraph(stats: stats, edges: edges)
            var selectionFilter = GraphSelection.Filter(type: filter.type, minNotes: filter.minNotes, depth: filter.depth, top: filter.top,
                edgesPerNode: filter.edgesPerNode, minWeight: filter.minWeight)
            func find(_ name: String) throws -> Int32 {
                if let id = lexicon.lookup(name) { return Int32(id) }
                let n = Int32(try view.note(name, currentDirectory: options.currentDirectory))
                guard let e = entityOf[n] else { throw KGError.failure("\(resolver.paths[Int(n)]) has no link in or out") }
                return e
            }
            if let t = filter.type, !entities.contains(where: { $0.type == t }) {
                let types = Set(entities.map(\.type)).sorted { $0.utf8.bytesPrecede($1.utf8) }
                throw KGError.usage("unknown folder '\(t)' (the link graph's types are top folders: \(types.joined(separator: ", ")))")
            }
            if let around = filter.around { selectionFilter.around = try find(around) }
            for name in filter.exclude { selectionFilter.exclude.insert(try find(name)) }
            let selection = GraphSelection(graph: graph, lexicon: lexicon, filter: selectionFilter)
            return GraphModel(selection: selection, graph: graph, lexicon: lexicon,
                analysis: analysis ? GraphAnalysis(graph: graph, lexicon: lexicon) : nil, details: [:])
        }
    }
}
