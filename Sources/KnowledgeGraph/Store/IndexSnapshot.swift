import Dispatch

/// Everything kg knows about a vault: a pure function of the notes and the lexicon (plus the
/// file table used to detect changes).
public struct IndexSnapshot: Sendable, Equatable {
    /// Identifies the lexicon file and entity notes the mentions were found with.
    public var lexiconFingerprint: UInt64
    public var lexicon: Lexicon
    /// Notes sorted by path; a note's id is its index here.
    public var notes: [NoteRecord]
    /// Every file looked at (notes and skipped files), sorted by path.
    public var files: [FileEntry]
    public var postings: [String: Postings]
    public var graph: CoMentionGraph

    public init(lexiconFingerprint: UInt64, lexicon: Lexicon, notes: [NoteRecord], files: [FileEntry],
        postings: [String: Postings], graph: CoMentionGraph) {
        self.lexiconFingerprint = lexiconFingerprint
        self.lexicon = lexicon
        self.notes = notes
        self.files = files
        self.postings = postings
        self.graph = graph
    }

    /// An index of no notes.
    public static func empty(lexicon: Lexicon, fingerprint: UInt64) -> IndexSnapshot {
        IndexSnapshot(lexiconFingerprint: fingerprint, lexicon: lexicon, notes: [], files: [], postings: [:],
            graph: CoMentionGraph(stats: Array(repeating: EntityStats(), count: lexicon.entities.count), edges: []))
    }
}

extension IndexSnapshot {
    /// The snapshot as the bytes of one index file: header, section table, sections.
    public func encoded() -> [UInt8] {
        var noteBytes = BinaryWriter()
        noteBytes.int(notes.count)
        var offsets: [UInt64] = []
        for n in notes {
            offsets.append(UInt64(noteBytes.bytes.count))
            n.encode(into: &noteBytes)
        }
        offsets.append(UInt64(noteBytes.bytes.count))
        var byEntity = [[Int32]](repeating: [], count: lexicon.entities.count)
        for (id, n) in notes.enumerated() {
            for e in n.mentionedEntities(below: byEntity.count) { byEntity[Int(e)].append(Int32(id)) }
        }
        var terms = TermsWriter()
        var list: [UInt8] = []
        for t in postings.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            list.removeAll(keepingCapacity: true)
            postings[t]?.encode(into: &list)
            var t = t
            let (first, last) = (postings[t]?.notes.first ?? -1, postings[t]?.notes.last ?? -1)
            t.withUTF8 { terms.add(term: UnsafeRawBufferPointer($0), list: list, firstNote: first, lastNote: last) }
        }
        let parts = IndexParts(fingerprint: lexiconFingerprint,
            notes: NoteParts(lexicon: lexicon, files: files, notes: SectionPieces(bytes: noteBytes.bytes), noteOffsets: offsets,
                tokenCounts: notes.map(\.tokenCount), entityNotes: byEntity, graph: graph),
            terms: terms)
        return parts.encoded().reduce(into: []) { $0 += $1 }
    }
}
