/// Problems in the lexicon and the notes that make the graph less useful.
public struct DoctorReport: Sendable, Equatable {
    /// Lexicon lines kg cannot read, with their line numbers.
    public var syntaxErrors: [LexiconIssue]
    /// One alias naming two entities, a name with two types (from the lexicon merge), with
    /// the line of the definition that lost.
    public var collisions: [LexiconIssue]
    /// Lexicon lines that change nothing (a `reject:` of a name kg never found).
    public var unused: [LexiconIssue] = []
    /// Names of two characters or fewer (or one Hangul syllable) that may match unrelated text.
    public var shortNames: [(name: String, entity: String)]
    /// Entities no note mentions.
    public var unmentioned: [String]
    /// Notes that mention an entity defined by a note without linking to that note.
    public var unlinked: [(note: String, entity: String, entityNote: String, line: Int)]
    /// Links whose target several notes share: which one kg chose, and the others.
    public var ambiguousLinks: [(note: String, line: Int, target: String, chosen: String, candidates: [String])] = []
    /// Bytes of the index, every checksum of which was verified.
    public var indexBytes = 0

    public static func == (a: DoctorReport, b: DoctorReport) -> Bool {
        a.syntaxErrors == b.syntaxErrors && a.collisions == b.collisions && a.shortNames.map(\.name) == b.shortNames.map(\.name) && a.unmentioned == b.unmentioned
            && a.unlinked.map(\.note) == b.unlinked.map(\.note)
    }

    public var isHealthy: Bool {
        syntaxErrors.isEmpty && collisions.isEmpty && unused.isEmpty && shortNames.isEmpty && unmentioned.isEmpty && unlinked.isEmpty && ambiguousLinks.isEmpty
    }
}

public enum Doctor {
    /// - Parameter outgoing: for each note (by index), the indexes of the notes its links go to.
    public static func examine(lexicon: Lexicon, graph: CoMentionGraph, notes: [NoteRecord], outgoing: [Set<Int>]) -> DoctorReport {
        var short: [(String, String)] = []
        for e in lexicon.entities {
            for name in [e.name] + e.aliases {
                let k = Lexicon.key(name)
                let hangul = k.filter(Scalars.isHangulSyllable).count
                if (hangul == 0 && k.count <= 2) || (hangul == 1 && k.count == 1) { short.append((name, e.name)) }
            }
        }
        let unmentioned = lexicon.entities.indices.filter { graph.stats[$0].mentions == 0 }.map { lexicon.entities[$0].name }
        // Entity notes, by entity.
        var entityNotes: [Int32: (path: String, index: Int)] = [:]
        for (i, r) in notes.enumerated() {
            guard let e = r.definesEntity, let id = lexicon.lookup(e.name) else { continue }
            entityNotes[Int32(id)] = (r.path, i)
        }
        var unlinked: [(String, String, String, Int)] = []
        for (i, r) in notes.enumerated() {
            var reported = Set<Int32>()
            for m in r.mentions where !reported.contains(m.entity) {
                guard let target = entityNotes[m.entity], target.path != r.path else { continue }
                if i < outgoing.count && outgoing[i].contains(target.index) { continue }
                reported.insert(m.entity)
                unlinked.append((r.path, lexicon.entities[Int(m.entity)].name, target.path, Int(m.line)))
            }
        }
        return DoctorReport(syntaxErrors: lexicon.issues.filter { $0.kind == .syntax }, collisions: lexicon.issues.filter { $0.kind == .collision },
            unused: lexicon.issues.filter { $0.kind == .unused }, shortNames: short, unmentioned: unmentioned, unlinked: unlinked)
    }
}

/// The one place kg edits a file a person wrote: `kg suggest --accept` adds a line or an
/// alias to `.kg/lexicon.txt`, keeping every other byte (comments, order, spacing).
public enum LexiconEditor {
    /// The lexicon text with `name` added: as an alias on `aliasOf`'s line, or as a new
    /// `type: name` line at the end.
    public static func accept(name: String, type: String, aliasOf: String?, in text: String, lexicon: Lexicon) throws(KGError) -> String {
        let clean = name.trimmingSpaces()
        guard !clean.isEmpty, !clean.contains("|"), !clean.contains("\n") else { throw .usage("'\(name)' cannot be a name in the lexicon") }
        if let existing = lexicon.lookup(clean) {
            throw .usage("'\(clean)' already names \(lexicon.entities[existing].name)")
        }
        guard let target = aliasOf else {
            guard !type.isEmpty, !type.contains(" "), !type.contains(":") else { throw .usage("a type is one word, like concept or company") }
            var out = text
            if !out.isEmpty && !out.hasSuffix("\n") { out += "\n" }
            return out + "\(type): \(clean)\n"
        }
        guard let id = lexicon.lookup(target) else {
            throw .unknownEntity(target, suggestions: Related.suggestions(for: target, in: lexicon))
        }
        let entity = lexicon.entities[id]
        let targetKeys = Set(([entity.name] + entity.aliases).map(Lexicon.key))
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (i, line) in lines.enumerated() {
            let body = line.trimmingSpaces()
            if body.isEmpty || body.hasPrefix("#") { continue }
            guard let colon = body.firstIndex(of: ":") else { continue }
            let names = body[body.index(after: colon)...].split(separator: "|").map { Lexicon.key(String($0)) }
            if let first = names.first, targetKeys.contains(first) {
                var trimmedEnd = line
                while trimmedEnd.hasSuffix(" ") || trimmedEnd.hasSuffix("\t") || trimmedEnd.hasSuffix("\r") { trimmedEnd.removeLast() }
                lines[i] = trimmedEnd + " | " + clean
                return lines.joined(separator: "\n")
            }
        }
        throw .failure("\(entity.name) is defined by an entity note, not in .kg/lexicon.txt; add '\(clean)' to that note's aliases")
    }
}
