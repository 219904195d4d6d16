/// A line that shows two entities near each other.
public struct Evidence: Sendable, Equatable {
    public var note: String
    public var line: Int

    public init(note: String, line: Int) {
        self.note = note
        self.line = line
    }
}

/// A neighbour of an entity in the co-mention graph, with its score and the parts of it.
public struct RelatedEntity: Sendable, Equatable {
    public var entity: Int32
    public var score: Double
    public var notes: Int
    public var sections: Int
    /// Closeness summed over shared notes (1 per note where they share a line, 0.6 a block,
    /// 0.35 a section, 0.15 only the note).
    public var closeness: Double
    /// The hub damping factor of the neighbour, in (0, 1].
    public var damping: Double
    /// Normalized pointwise mutual information over notes.
    public var npmi: Double
    /// Notes mentioning both over notes mentioning either.
    public var jaccard: Double
    public var evidence: [Evidence]
}

/// An entity a note is about.
public struct NoteEntity: Sendable, Equatable {
    public var entity: Int32
    public var mentions: Int
    /// Mentions in the note weighted by how rare the entity is across notes (tf-idf).
    public var score: Double
}

/// A note related to another through the entities they share.
public struct RelatedNote: Sendable, Equatable {
    public var note: String
    public var score: Double
    /// Shared entities, rarest first.
    public var shared: [Int32]
}

/// Ranks an entity's neighbours.
///
/// `score = closeness × damping`, where damping = ln(1 + N / df) / ln(1 + N), N the number of
/// notes and df the number of notes mentioning the neighbour: an entity found in every note is
/// weighted down, one found in few keeps its weight.
public enum Related {
    public static func round3(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }

    /// X's neighbours ranked by `measure` (ties by name), without evidence: see
    /// `evidence(_:_:notes:limit:)` for the ones shown.
    public static func neighbours(
        of entity: Int32, graph: CoMentionGraph, noteCount: Int, type: String? = nil, lexicon: Lexicon,
        by measure: RelatednessMeasure = .proximity, exclude: Set<Int32> = []
    ) -> [RelatedEntity] {
        let n = Double(max(noteCount, 1))
        var out: [RelatedEntity] = []
        for (other, edge) in graph.neighbours(of: entity) {
            if let type, lexicon.entities[Int(other)].type != type { continue }
            if exclude.contains(other) { continue }
            let dfOther = graph.stats[Int(other)].notes
            let df = Double(max(dfOther, 1))
            let damping = n <= 1 ? 1 : log(1 + n / df) / log(1 + n)
            let dfSelf = graph.stats[Int(entity)].notes
            let parts = { (m: RelatednessMeasure) in
                GraphAnalysis.score(m, edge: edge, df: dfSelf, df: dfOther, notes: noteCount, damping: damping)
            }
            out.append(RelatedEntity(entity: other, score: round3(parts(measure)), notes: Int(edge.notes),
                sections: Int(edge.sections), closeness: edge.weight, damping: round3(damping), npmi: round3(parts(.npmi)),
                jaccard: round3(parts(.jaccard)), evidence: []))
        }
        out.sort {
            $0.score != $1.score ? $0.score > $1.score
                : lexicon.entities[Int($0.entity)].name.utf8.bytesPrecede(lexicon.entities[Int($1.entity)].name.utf8)
        }
        return out
    }

    /// The lines where `a` and `b` stand closest: a shared line, else the nearest lines in a
    /// shared block, section or note; best notes first.
    public static func evidence(_ a: Int32, _ b: Int32, notes: [NoteRecord], limit: Int) -> [Evidence] {
        evidence(a, b, count: notes.count, limit: limit, mentions: { (k) throws(Never) -> [Mention] in notes[k].mentions },
            path: { (k) throws(Never) -> String in notes[k].path })
    }

    /// Evidence from notes loaded one by one in path order (`mentions(k)` gives the mentions
    /// of the k-th of `count`, whose path `path(k)` gives only for the notes shown); stops
    /// early once `limit` notes with a shared line are found, as nothing can rank above those.
    public static func evidence<E: Error>(
        _ a: Int32, _ b: Int32, count: Int, limit: Int, mentions: (Int) throws(E) -> [Mention], path: (Int) throws(E) -> String
    ) throws(E) -> [Evidence] {
        var candidates: [(rank: Int, distance: Int32, note: Int, lines: [Int])] = []
        var sameLine = 0
        for k in 0..<count {
            if sameLine >= limit { break }
            let all = try mentions(k)
            let ma = all.filter { $0.entity == a }
            if ma.isEmpty { continue }
            let mb = all.filter { $0.entity == b }
            if mb.isEmpty { continue }
            var best: (rank: Int, distance: Int32, lines: [Int])?
            for x in ma {
                for y in mb {
                    let rank = x.line == y.line ? 0 : x.block == y.block ? 1 : x.section == y.section ? 2 : 3
                    let d = abs(x.line - y.line)
                    if let b = best, (b.rank, b.distance) <= (rank, d) { continue }
                    best = (rank, d, x.line == y.line ? [Int(x.line)] : [Int(min(x.line, y.line)), Int(max(x.line, y.line))])
                }
            }
            if let best {
                candidates.append((best.rank, best.distance, k, best.lines))
                if best.rank == 0 { sameLine += 1 }
            }
        }
        // Ties in path order, which is the order the notes were loaded in.
        candidates.sort { ($0.rank, $0.distance, $0.note) < ($1.rank, $1.distance, $1.note) }
        var out: [Evidence] = []
        for c in candidates {
            if out.count + c.lines.count > limit { break }  // never show half of a pair
            let p = try path(c.note)
            for l in c.lines { out.append(Evidence(note: p, line: l)) }
        }
        return out
    }

    /// The entities `note` is about (mentions × rarity) and the notes that share the most
    /// distinctive entities with it and are not linked to or from it yet (`linked`: the
    /// indexes of the notes its links go to or come from).
    public static func aboutNote(
        _ index: Int, notes: [NoteRecord], graph: CoMentionGraph, linked: Set<Int>, limit: Int
    ) -> (entities: [NoteEntity], notes: [RelatedNote]) {
        let note = notes[index]
        let n = Double(max(notes.count, 1))
        func idf(_ e: Int32) -> Double { log(1 + n / Double(max(graph.stats[Int(e)].notes, 1))) }
        var counts: [Int32: Int] = [:]
        for m in note.mentions { counts[m.entity, default: 0] += 1 }
        var entities = counts.map { NoteEntity(entity: $0.key, mentions: $0.value, score: round3(Double($0.value) * idf($0.key))) }
        entities.sort { $0.score != $1.score ? $0.score > $1.score : $0.entity < $1.entity }
        var scored: [RelatedNote] = []
        for (i, other) in notes.enumerated() where i != index && !linked.contains(i) {
            let shared = Set(other.mentions.map(\.entity)).intersection(counts.keys)
            if shared.isEmpty { continue }
            let score = shared.reduce(0.0) { $0 + idf($1) }
            scored.append(RelatedNote(note: other.path, score: round3(score),
                shared: shared.sorted { idf($0) != idf($1) ? idf($0) > idf($1) : $0 < $1 }))
        }
        scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.note.utf8.bytesPrecede($1.note.utf8) }
        return (Array(entities.prefix(limit)), Array(scored.prefix(limit)))
    }

    /// Known names closest to `name`, for an unknown-entity message.
    public static func suggestions(for name: String, in lexicon: Lexicon, limit: Int = 5) -> [String] {
        // An empty name is close to everything, a very long one to nothing: no search.
        guard !name.isEmpty, name.unicodeScalars.count <= 64 else { return [] }
        let key = Lexicon.keyString(name)
        guard !key.isEmpty else { return [] }
        var scored: [(Int, String)] = []
        for e in lexicon.entities {
            var best = Int.max
            for n in [e.name] + e.aliases {
                let k = Lexicon.keyString(n)
                var d = editDistance(Array(key.unicodeScalars), Array(k.unicodeScalars))
                if k.contains(key) || key.contains(k) { d = min(d, 1) }
                best = min(best, d)
            }
            let limitDistance = max(2, key.unicodeScalars.count / 3)
            if best <= limitDistance { scored.append((best, e.name)) }
        }
        scored.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1.utf8.bytesPrecede($1.1.utf8) }
        return scored.prefix(limit).map(\.1)
    }

    /// Levenshtein distance.
    public static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        var cur = prev
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
