#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Names the lexicon misses, strongest signals first: with discovery on, the names it found
/// below its threshold (the review queue), else candidates found in the notes' text.
public struct SuggestionList: Sendable, Equatable {
    public struct Name: Sendable, Equatable {
        public var name: String
        /// Signals (discovery) or kinds of evidence.
        public var kinds: [String]
        public var aliasOf: String?
        public var count: Int
        public var notes: Int
        public var examples: [LinePlace]
        /// With discovery: the type it would have, and how sure it is (below the threshold).
        public var type: String?
        public var confidence: Double?
    }

    public var total: Int
    public var suggestions: [Name]
}

/// What kg makes of one name (`kg suggest NAME`): an entity and from where, a suggestion, or
/// why it is neither.
public struct NameReport: Sendable, Equatable {
    public enum Status: String, Sendable {
        /// An entity of the lexicon file, of an entity note, or discovered (`entity` names it).
        case lexicon, note, discovered
        /// Discovered below the threshold: in `kg suggest`'s queue.
        case suggestion
        /// Seen as a candidate, but its evidence is below what `kg suggest` shows.
        case weak
        /// Evidence enough, but it is part of a longer name (`텐서플` of `텐서플로`) or taken
        /// into another form of a name.
        case inside
        /// A `reject:` line of the lexicon file refuses it.
        case rejected
        /// Never seen as a candidate name in the notes.
        case unseen
        /// Discovery is off (a lexicon without `discover: on`) and the lexicon lacks it.
        case off
    }

    /// The least confidence `kg suggest` lists.
    public static let suggestionFloor = Discoverer.suggestionFloor

    /// The name reported on: as asked, or without the particle it was asked with (`카카오에서`
    /// is reported as `카카오` when that is an entity).
    public var name: String
    /// The name as asked.
    public var asked: String
    public var status: Status
    /// The entity the name is, or an alias of.
    public var entity: String?
    /// The name is one of the entity's aliases (not its name in another case or width).
    public var alias = false
    public var type: String?
    public var confidence: Double?
    public var signals: [String] = []
    public var notes = 0
    public var count = 0
}

/// A change made to `.kg/lexicon.txt`.
public struct LexiconChange: Sendable, Equatable {
    public var name: String
    public var type: String
    /// The canonical name of the entity it became an alias of.
    public var aliasOf: String?
    /// A `reject:` line rather than an entity.
    public var rejected = false
    /// The entity's other names written with it (a discovered entity accepted whole), besides
    /// `name` and `aliasOf`.
    public var aliases: [String] = []
}

extension KnowledgeBase {
    /// Candidate names to review, with their evidence, the first `limit`.
    public func suggestions(limit: Int = 10) throws(KGError) -> SuggestionList {
        try query { view in
            let lexicon = try view.lexicon()
            if let stats = try view.reader.discoveryStats() {
                var taken = Set<String>()
                for e in lexicon.entities { for n in [e.name] + e.aliases { taken.insert(Lexicon.keyString(n)) } }
                let rejected = Set((LexiconBuild.read(indexFolder: indexer.indexFolder)?.file.rejects ?? []).map { Lexicon.keyString($0.name) })
                let notes = DiscoveryBuild.linkedNotes(try view.reader.files(), stats: stats)
                let queue = Discoverer.discover(stats, taken: taken, rejected: rejected, notes: notes).suggestions
                let searcher = try Searcher(index: view.reader) { view.lines($0) }
                return SuggestionList(total: queue.count, suggestions: try queue.prefix(limit).map { d in
                    let hits = try searcher.search(SearchQuery("\"" + d.name.replacingOccurrences(of: "\"", with: " ") + "\""), limit: 2).hits
                    return SuggestionList.Name(name: d.name, kinds: d.signals, aliasOf: nil, count: d.count, notes: d.notes,
                        examples: hits.compactMap { h in h.lines.first.map { view.place(h.note, $0, token: h.firstTokens.first ?? 0) } },
                        type: d.type, confidence: d.confidence)
                })
            }
            var texts: [(path: String, text: String)] = []
            for n in try view.notes() { if case .success(let t) = vault.text(n.path) { texts.append((n.path, t)) } }
            let all = Suggester.suggest(notes: texts, lexicon: lexicon)
            return SuggestionList(total: all.count, suggestions: all.prefix(limit).map { s in
                SuggestionList.Name(name: s.name, kinds: s.kinds, aliasOf: s.aliasOf, count: s.count, notes: s.notes,
                    examples: s.examples.map { view.place($0.note, $0.line) })
            })
        }
    }

    /// What kg makes of `name`: the entity it is (or an alias of), or what discovery saw of it
    /// and why that is not enough.
    public func report(_ name: String) throws(KGError) -> NameReport {
        try query { view in
            let asked = name.trimmingSpaces()
            guard !asked.isEmpty, !asked.contains("\n") else { throw KGError.usage("a name to ask about is one line, not empty") }
            let lexicon = try view.lexicon()
            var clean = asked
            // A Korean name asked with its particle (`카카오에서`): the entity it is written with.
            if lexicon.lookup(asked) == nil, case let scalars = asked.unicodeScalars.map(\.value),
                scalars.allSatisfy(Scalars.isHangulSyllable), case let stem = CandidateExtractor.stem(scalars[...]),
                stem.count < scalars.count, lexicon.lookup(Scalars.string(stem)) != nil
            {
                clean = Scalars.string(stem)
            }
            var report = NameReport(name: clean, asked: asked, status: .unseen)
            if let id = lexicon.lookup(clean) {
                let (e, origin) = (lexicon.entities[id], lexicon.origins[id])
                report.status = origin.source == .lexicon ? .lexicon : origin.source == .note ? .note : .discovered
                report.entity = e.name
                report.alias = Lexicon.keyString(e.name) != Lexicon.keyString(clean)
                report.type = e.type
                if origin.source == .discovered {
                    report.confidence = origin.confidence
                    report.signals = origin.signals
                }
                return report
            }
            let key = Lexicon.keyString(clean)
            let rejects = LexiconBuild.read(indexFolder: indexer.indexFolder)?.file.rejects ?? []
            if rejects.contains(where: { Lexicon.keyString($0.name) == key }) {
                report.status = .rejected
                return report
            }
            guard let stats = try view.reader.discoveryStats() else {
                report.status = .off
                return report
            }
            guard let entry = stats[key] else { return report }
            report.notes = Int(entry.notes)
            report.count = Int(entry.count)
            var taken = Set<String>()
            for e in lexicon.entities { for n in [e.name] + e.aliases { taken.insert(Lexicon.keyString(n)) } }
            let notes = DiscoveryBuild.linkedNotes(try view.reader.files(), stats: stats)
            let rejected = Set(rejects.map { Lexicon.keyString($0.name) })
            if let d = Discoverer.decided(stats, taken: taken, rejected: rejected, notes: notes).first(where: { $0.key == key }) {
                // Mostly a suggestion (an entity of the index matched above; a name that
                // matches only inside links does not).
                report.status = d.entity ? .discovered : .suggestion
                report.type = d.found.type
                report.confidence = d.found.confidence
                report.signals = d.found.signals
                return report
            }
            let (score, reasons) = Discoverer.score(NameKey(key), entry, useKnownNames: true) ?? (0, [])
            report.status = score >= Discoverer.suggestionFloor ? .inside : .weak
            report.type = Discoverer.type(NameKey(key), entry, useKnownNames: true)
            report.confidence = (max(0, score) * 1000).rounded() / 1000
            // What the notes show of it, where the score gave no reason.
            report.signals = reasons.isEmpty
                ? Signal.allCases.filter { $0.rawValue < Signal.subjectParticle.rawValue && entry.has($0) && $0 != .prose }.map(\.label)
                : reasons
            return report
        }
    }

    /// The lexicon file's text ("" when there is none) and whether it exists.
    private func lexiconText() throws(KGError) -> (text: String, exists: Bool) {
        let path = indexer.lexiconPath
        switch Vault(root: indexer.indexFolder).read("lexicon.txt", limit: Vault.noteSizeLimit) {
        case .success(let bytes):
            guard let text = String(validating: bytes, as: UTF8.self) else { throw .failure("cannot read \(path): it is not UTF-8 text") }
            return (text, true)
        case .failure(let f):
            if access(path, F_OK) == 0 { throw .failure("cannot read \(path): \(f.reason)") }
            return ("", false)
        }
    }

    /// The text of a lexicon file being created in a vault where discovery is on: it starts
    /// with `discover: on`, so that correcting discovery does not turn it off.
    private static let newLexicon = "# kg lexicon: one entity a line (type: Name | alias), and corrections to what kg discovers.\ndiscover: on\n"

    /// Adds `name` to `.kg/lexicon.txt`: as a new entity of `type` (a discovered entity keeps
    /// its type unless one is given; else concept), or as an alias of the entity `aliasOf`
    /// names. A discovered entity with other names enters whole, with them. Every other byte
    /// of the file stays as it was.
    public func accept(_ name: String, type: String? = nil, aliasOf: String? = nil) throws(KGError) -> LexiconChange {
        let lexicon = try query { view in try view.lexicon() }
        var (text, exists) = try lexiconText()
        if !exists { text = Self.newLexicon }
        // What the lexicon file and entity notes define: a discovered name may be accepted.
        let defined = zip(lexicon.entities, lexicon.origins).filter { $0.1.source != .discovered }.map(\.0)
        let base = Lexicon(stored: defined, issues: [])
        let discoveredID = lexicon.lookup(name).flatMap { lexicon.origins[$0].source == .discovered ? $0 : nil }
        let discovered = discoveredID.map { lexicon.entities[$0] }
        let chosenType = type ?? discovered?.type ?? "concept"
        let updated: String
        var canonical: String?
        var aliases: [String] = []
        var accepted = name
        let asked = name.trimmingSpaces()
        if aliasOf == nil, let id = discoveredID, case let e = lexicon.entities[id],
            case let others = ([e.name] + e.aliases).filter({ n in
                Lexicon.key(n) != Lexicon.key(asked) && !lexicon.origins[id].linkOnly.contains(n) && base.lookup(n) == nil
            }),
            !others.isEmpty
        {
            // A discovered entity with other names (`Docker` and `도커`, an acronym and its long
            // form): it enters the lexicon whole, named as discovery named it, so that accepting
            // one of its names does not split it. Names that match only inside links stay out.
            guard !asked.isEmpty, !asked.contains("|"), !asked.contains("\n") else { throw .usage("'\(name)' cannot be a name in the lexicon") }
            let isName = Lexicon.key(asked) == Lexicon.key(e.name)
            let names = [e.name] + (isName ? [] : [asked]) + others.filter { Lexicon.key($0) != Lexicon.key(e.name) }
            guard !chosenType.isEmpty, !chosenType.contains(" "), !chosenType.contains(":") else { throw .usage("a type is one word, like concept or company") }
            updated = text + (text.isEmpty || text.hasSuffix("\n") ? "" : "\n") + "\(chosenType): " + names.joined(separator: " | ") + "\n"
            canonical = isName ? nil : e.name
            if isName { accepted = e.name }
            aliases = names.dropFirst().filter { $0 != asked }
        } else if let target = aliasOf, let id = lexicon.lookup(target), lexicon.origins[id].source == .discovered {
            // An alias of a discovered entity: the entity enters the lexicon with it.
            let e = lexicon.entities[id]
            guard !name.trimmingSpaces().isEmpty, !name.contains("|"), !name.contains("\n") else { throw .usage("'\(name)' cannot be a name in the lexicon") }
            updated = text + (text.isEmpty || text.hasSuffix("\n") ? "" : "\n") + "\(e.type): \(e.name) | \(name.trimmingSpaces())\n"
            canonical = e.name
        } else {
            updated = try LexiconEditor.accept(name: name, type: chosenType, aliasOf: aliasOf, in: text, lexicon: base)
            canonical = aliasOf.map { target in lexicon.lookup(target).map { lexicon.entities[$0].name } ?? target }
        }
        try DurableFile.write(Array(updated.utf8), to: indexer.lexiconPath)
        return LexiconChange(name: accepted, type: chosenType, aliasOf: canonical, aliases: aliases)
    }

    /// Adds `reject: NAME` to `.kg/lexicon.txt`: discovery never proposes or matches the name
    /// again. A name kg has not discovered or found as a candidate is written all the same,
    /// with a warning.
    public func reject(_ name: String) throws(KGError) -> LexiconChange {
        let clean = name.trimmingSpaces()
        guard !clean.isEmpty, !clean.contains("\n") else { throw .usage("'\(name)' cannot be a name in the lexicon") }
        let known: Bool = try query { view in
            let key = Lexicon.keyString(clean)
            if let stats = try view.reader.discoveryStats(), stats[key] != nil { return true }
            return try view.lexicon().lookup(clean) != nil
        }
        if !known { notice(.warning, "kg has not found '\(clean)' in the notes; rejecting it all the same") }
        var (text, exists) = try lexiconText()
        if !exists { text = Self.newLexicon }
        if !text.isEmpty && !text.hasSuffix("\n") { text += "\n" }
        try DurableFile.write(Array((text + "reject: \(clean)\n").utf8), to: indexer.lexiconPath)
        return LexiconChange(name: clean, type: "reject", aliasOf: nil, rejected: true)
    }

    /// Colliding and short names, entities never mentioned, notes that mention an entity note
    /// without linking it.
    public func doctor() throws(KGError) -> DoctorReport {
        try query { view in
            // Every block, also those no query reads: damage found here heals the index.
            try view.reader.checkAll()
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
            report.indexBytes = indexBytes()
            return report
        }
    }
}
