#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Names the lexicon misses, strongest signals first.
public struct SuggestionList: Sendable, Equatable {
    public struct Name: Sendable, Equatable {
        public var name: String
        public var kinds: [String]
        public var aliasOf: String?
        public var count: Int
        public var notes: Int
        public var examples: [LinePlace]
    }

    public var total: Int
    public var suggestions: [Name]
}

/// A name added to `.kg/lexicon.txt`.
public struct LexiconChange: Sendable, Equatable {
    public var name: String
    public var type: String
    /// The canonical name of the entity it became an alias of.
    public var aliasOf: String?
}

extension KnowledgeBase {
    /// Candidate names the lexicon lacks, with their evidence, the first `limit`.
    public func suggestions(limit: Int = 10) throws(KGError) -> SuggestionList {
        try query { view in
            let lexicon = try view.lexicon()
            var texts: [(path: String, text: String)] = []
            for n in try view.notes() { if case .success(let t) = vault.text(n.path) { texts.append((n.path, t)) } }
            let all = Suggester.suggest(notes: texts, lexicon: lexicon)
            return SuggestionList(total: all.count, suggestions: all.prefix(limit).map { s in
                SuggestionList.Name(name: s.name, kinds: s.kinds, aliasOf: s.aliasOf, count: s.count, notes: s.notes,
                    examples: s.examples.map { view.place($0.note, $0.line) })
            })
        }
    }

    /// Adds `name` to `.kg/lexicon.txt`: as a new entity of `type`, or as an alias of the
    /// entity `aliasOf` names. Every other byte of the file stays as it was.
    public func accept(_ name: String, type: String = "concept", aliasOf: String? = nil) throws(KGError) -> LexiconChange {
        let lexicon = try query { view in try view.lexicon() }
        let path = indexer.lexiconPath
        var current = ""
        switch Vault(root: indexer.indexFolder).read("lexicon.txt", limit: Vault.noteSizeLimit) {
        case .success(let bytes):
            guard let text = String(validating: bytes, as: UTF8.self) else { throw .failure("cannot read \(path): it is not UTF-8 text") }
            current = text
        case .failure(let f):
            if access(path, F_OK) == 0 { throw .failure("cannot read \(path): \(f.reason)") }
        }
        let updated = try LexiconEditor.accept(name: name, type: type, aliasOf: aliasOf, in: current, lexicon: lexicon)
        try DurableFile.write(Array(updated.utf8), to: path)
        let canonical = aliasOf.map { target in lexicon.lookup(target).map { lexicon.entities[$0].name } ?? target }
        return LexiconChange(name: name, type: type, aliasOf: canonical)
    }

    /// Colliding and short names, entities never mentioned, notes that mention an entity note
    /// without linking it.
    public func doctor() throws(KGError) -> DoctorReport {
        try query { view in
            try noteIfEmpty(view)
            let notes = try view.notes()
            let resolver = try LinkResolver(view)
            var outgoing = [Set<Int>](repeating: [], count: notes.count)
            var ambiguous: [(note: String, line: Int, target: String, chosen: String, candidates: [String])] = []
            try resolver.allLinks { key, postings in
                for (i, source) in postings.notes.enumerated() {
                    let r = try resolver.resolve(key, from: source)
                    guard let to = r.note else { continue }
                    outgoing[Int(source)].insert(Int(to))
                    if r.candidates.count > 1 {
                        for line in postings.positions(at: i) {
                            ambiguous.append((resolver.paths[Int(source)], Int(line), key, resolver.paths[Int(to)],
                                r.candidates.map { resolver.paths[Int($0)] }))
                        }
                    }
                }
            }
            var report = Doctor.examine(lexicon: try view.lexicon(), graph: try view.graph(), notes: notes, outgoing: outgoing)
            report.ambiguousLinks = ambiguous.sorted { ($0.note, $0.line) < ($1.note, $1.line) }
            return report
        }
    }
}
