/// The notes that answer a search, best first.
public struct SearchResults: Sendable, Equatable {
    /// One note found, with its matching lines.
    public struct Hit: Sendable, Equatable {
        public var note: String
        public var score: Double
        /// Every line where a term matched, in line order.
        public var lines: [LinePlace]
    }

    public var hits: [Hit]
    /// How many notes matched in all (the hits are the best `limit` of them).
    public var total: Int
    /// Parts of the query with nothing to search for (`*`, `(`), left out.
    public var ignored: [String]
    /// Whether anything was left to search for.
    public var searched: Bool
}

extension KnowledgeBase {
    /// Notes that contain every term of `query`, ranked by BM25, the best `limit` with their
    /// matching lines.
    public func search(_ query: String, limit: Int = 10) throws(KGError) -> SearchResults {
        let parsed = SearchQuery(query)
        var results = SearchResults(hits: [], total: 0, ignored: parsed.ignored, searched: !parsed.isEmpty)
        if parsed.isEmpty { return results }
        (results.hits, results.total) = try self.query { view in
            let (hits, total) = try Searcher(index: view.reader) { path in view.lines(path) }.search(parsed, limit: limit)
            return (hits.map { h in
                SearchResults.Hit(note: h.note, score: h.score, lines: zip(h.lines, h.firstTokens).map { view.place(h.note, $0, token: $1) })
            }, total)
        }
        return results
    }
}
