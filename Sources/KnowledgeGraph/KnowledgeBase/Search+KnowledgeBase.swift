#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The notes that answer a search, best first.
public struct SearchResults: Sendable, Equatable {
    /// One note found, with its matching lines.
    public struct Hit: Sendable, Equatable {
        public var note: String
        public var score: Double
        /// Every line where a sought term matched, in line order (none when only filters
        /// selected the note).
        public var lines: [LinePlace]
    }

    public var hits: [Hit]
    /// How many notes matched in all (the hits are the best `limit` of them).
    public var total: Int
    /// Words of the query with nothing to search for (`*`), left out.
    public var ignored: [String]
}

/// How search results are ordered.
public enum SearchSort: String, Sendable, CaseIterable {
    /// BM25, best first.
    case score
    /// The most recently modified file first.
    case modified
    /// By path.
    case path
}

extension KnowledgeBase {
    /// The notes that answer `query` (words, "phrases", prefix*, OR, NOT or -, parentheses,
    /// and the fields tag:, path:, entity:, links:, linked-by:), the best `limit` with their
    /// matching lines.
    ///
    /// - Parameters:
    ///   - since, until: only notes dated in that range (`YYYY-MM-DD`, both ends included):
    ///     their front-matter `date` (else `created`), else their file's modification day.
    public func search(_ query: String, limit: Int = 10, since: String? = nil, until: String? = nil, sort: SearchSort = .score)
        throws(KGError) -> SearchResults
    {
        let parsed = try SearchQuery.parse(query)
        let from = try since.map { (d: String) throws(KGError) -> String in try Self.day(d, "--since") }
        let to = try until.map { (d: String) throws(KGError) -> String in try Self.day(d, "--until") }
        return try self.query { view in
            let fields = try parsed.fields.map { try notes(of: $0, view: view) }
            var keep: ((Int32) -> Bool)?
            if from != nil || to != nil {
                let days = try noteDays(view)
                keep = { id in
                    let day = Int(id) < days.count ? days[Int(id)] : ""
                    return (from.map { day >= $0 } ?? true) && (to.map { day <= $0 } ?? true)
                }
            }
            var order = Searcher.Order.score
            switch sort {
            case .score: break
            case .path: order = .path
            case .modified: order = .descending(try view.reader.files().filter { $0.skipReason == nil }.map(\.stat.mtimeNs))
            }
            let (hits, total) = try Searcher(index: view.reader) { path in view.lines(path) }
                .search(parsed, fields: fields, keep: keep, order: order, limit: limit)
            return SearchResults(hits: hits.map { h in
                SearchResults.Hit(note: h.note, score: h.score, lines: zip(h.lines, h.firstTokens).map { view.place(h.note, $0, token: $1) })
            }, total: total, ignored: parsed.ignored)
        }
    }

    /// `YYYY-MM-DD`, or a usage error naming the option.
    static func day(_ text: String, _ option: String) throws(KGError) -> String {
        guard let d = NoteKeys.date(text), text.trimmingSpaces().count == 10 else {
            throw .usage("\(option) takes a date as YYYY-MM-DD, not '\(text.count <= 40 ? text : String(text.prefix(39)) + "…")'")
        }
        return d
    }

    /// Each note's day: its front-matter date, else its file's modification day (local time).
    func noteDays(_ view: IndexView) throws -> [String] {
        let files = try view.reader.files().filter { $0.skipReason == nil }
        var days = files.map { f -> String in
            var t = time_t(f.stat.mtimeNs / 1_000_000_000)
            var parts = tm()
            localtime_r(&t, &parts)
            func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
            return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))"
        }
        for k in try view.reader.range(prefix: NoteKeys.date) {
            let day = String(try view.reader.term(at: k).dropFirst(NoteKeys.date.count))
            for id in try view.reader.postings(at: k, noteCount: days.count).notes where Int(id) < days.count { days[Int(id)] = day }
        }
        return days
    }

    /// The notes a field selects, ascending.
    func notes(of field: SearchQuery.Field, view: IndexView) throws -> [Int32] {
        let reader = view.reader
        let count = try reader.noteCount()
        func filed(_ term: String) throws -> [Int32] {
            guard let k = try reader.find(term) else { return [] }
            return try reader.postings(at: k, noteCount: count).notes
        }
        switch field {
        case .tag(let tag):
            let key = NoteKeys.tag + NoteKeys.normalized(tag)
            var notes = Set(try filed(key))
            for k in try reader.range(prefix: key + "/") { notes.formUnion(try reader.postings(at: k, noteCount: count).notes) }
            return notes.sorted()
        case .path(let prefix):
            var p = prefix
            while p.hasPrefix("./") { p.removeFirst(2) }
            return try view.notePaths().indices.filter { try view.notePaths()[$0].hasPrefix(p) }.map { Int32($0) }
        case .entity(let name):
            return try reader.notesMentioning(try view.entity(named: name))
        case .links(let note):
            let id = Int32(try view.note(note, currentDirectory: options.currentDirectory))
            let resolver = try LinkResolver(view)
            return Set(try linksTo(id, aliases: try reader.note(at: Int(id)).aliases, resolver: resolver).map(\.0)).sorted()
        case .linkedBy(let note):
            let id = Int32(try view.note(note, currentDirectory: options.currentDirectory))
            let resolver = try LinkResolver(view)
            let record = try reader.note(at: Int(id))
            var targets = Set<Int32>()
            for l in record.links {
                if case .note(let key) = NoteKeys.target(of: l, from: record.path), let to = try resolver.resolve(key, from: id).note, to != id {
                    targets.insert(to)
                }
            }
            return targets.sorted()
        }
    }
}
