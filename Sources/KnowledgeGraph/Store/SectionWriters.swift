/// The dictionary and postings sections, written term by term in byte order.
struct TermsWriter {
    var termBytes: [UInt8] = []
    var termOffsets: [UInt32] = [0]
    /// The postings: new lists in `post.bytes`, and lists of the previous index kept as they are.
    var post = SectionPieces()
    var postOffsets: [UInt64] = [0]
    /// The first (lowest) and last (highest) note id of each term's list: the range of notes a
    /// list can hold, which an update checks before reading it.
    var firstNotes: [UInt32] = []
    var lastNotes: [UInt32] = []

    var count: Int { termOffsets.count - 1 }

    /// Appends a term whose encoded list (count, then entries) is `list`.
    mutating func add(term: UnsafeRawBufferPointer, list: [UInt8], firstNote: Int32, lastNote: Int32) {
        begin(term: term)
        post.bytes.append(contentsOf: list)
        end(firstNote: firstNote, lastNote: lastNote)
    }

    mutating func begin(term: UnsafeRawBufferPointer) {
        termBytes.appendBytes(term)
        termOffsets.append(UInt32(termBytes.count))
    }

    mutating func end(firstNote: Int32, lastNote: Int32) {
        postOffsets.append(UInt64(post.count))
        firstNotes.append(UInt32(bitPattern: firstNote))
        lastNotes.append(UInt32(bitPattern: lastNote))
    }

    /// Appends the previous dictionary's terms `terms` with their lists as they are: lists
    /// that lie one after another in the previous postings (`postingsEnd` bytes), so they are
    /// kept as one range.
    mutating func keep(_ terms: Range<Int>, of dictionary: IndexReader.TermDictionary, postingsEnd: Int) throws(CorruptIndex) {
        guard !terms.isEmpty else { return }
        guard terms.lowerBound >= 0, terms.upperBound <= dictionary.count else { throw CorruptIndex(reason: "bad term id") }
        let (byteStart, byteEnd) = (dictionary.termStart(terms.lowerBound), dictionary.termStart(terms.upperBound))
        let (listStart, listEnd) = (dictionary.listStart(terms.lowerBound), dictionary.listStart(terms.upperBound))
        guard byteStart <= byteEnd, byteEnd <= dictionary.termByteCount, listStart <= listEnd, listEnd <= postingsEnd else {
            throw CorruptIndex(reason: "bad term table")
        }
        let termShift = Int(termBytes.count) - byteStart
        let postShift = post.count - listStart
        termOffsets.reserveCapacity(termOffsets.count + terms.count)
        postOffsets.reserveCapacity(postOffsets.count + terms.count)
        var (term, list) = (byteStart, listStart)
        for k in terms {
            let (nextTerm, nextList) = (dictionary.termStart(k + 1), dictionary.listStart(k + 1))
            guard nextTerm >= term, nextList >= list else { throw CorruptIndex(reason: "bad term table") }
            (term, list) = (nextTerm, nextList)
            termOffsets.append(UInt32(term + termShift))
            postOffsets.append(UInt64(list + postShift))
            firstNotes.append(UInt32(dictionary.firstNote(k)))
            lastNotes.append(UInt32(dictionary.lastNote(k)))
        }
        dictionary.withTermBytes(byteStart..<byteEnd) { termBytes.appendBytes($0) }
        post.keep(listStart..<listEnd)
    }

    /// Appends the terms of `other`, which all sort after this one's.
    mutating func append(_ other: TermsWriter) {
        let termBase = UInt32(termBytes.count)
        let postBase = UInt64(post.count)
        termBytes.append(contentsOf: other.termBytes)
        post.append(other.post)
        for o in other.termOffsets.dropFirst() { termOffsets.append(termBase + o) }
        for o in other.postOffsets.dropFirst() { postOffsets.append(postBase + o) }
        firstNotes += other.firstNotes
        lastNotes += other.lastNotes
    }

    /// Size of `dictionary()`.
    var dictionaryByteCount: Int { 8 + termOffsets.count * 4 + postOffsets.count * postOffsetWidth + lastNotes.count * 4 + firstNotes.count * 4 + termBytes.count }

    /// Bytes of each posting offset: 4 while the postings fit in 4 GB, else 8.
    var postOffsetWidth: Int { (postOffsets.last ?? 0) <= UInt64(UInt32.max) ? 4 : 8 }

    /// Term count, the width of a posting offset, fixed-width tables of term offsets, posting
    /// offsets, last and first note ids (so a query binary-searches the mapped file without
    /// decoding the dictionary), then the terms' bytes.
    func dictionary() -> [UInt8] {
        let width = postOffsetWidth
        return [UInt8](unsafeUninitializedCapacity: dictionaryByteCount) { buffer, initialized in
            var sink = RawSink(base: buffer.baseAddress!)
            sink.u32(UInt32(count))
            sink.u32(UInt32(width))
            for o in termOffsets { sink.u32(o) }
            for o in postOffsets {
                if width == 4 { sink.u32(UInt32(o)) } else { sink.u64(o) }
            }
            for n in lastNotes { sink.u32(n) }
            for n in firstNotes { sink.u32(n) }
            termBytes.withUnsafeBytes { sink.append($0) }
            initialized = sink.count
        }
    }
}

/// The sections of an index file that do not depend on the dictionary, so that they can be
/// written while the postings are still being merged.
struct NoteParts {
    var lexicon: Lexicon
    var files: [FileEntry]
    /// The NOTE section: note count, then the encoded records.
    var notes: SectionPieces
    /// Start of each record in `noteBytes`, and the end of the last.
    var noteOffsets: [UInt64]
    var tokenCounts: [Int32]
    /// For each entity, the notes mentioning it, ascending.
    var entityNotes: [[Int32]]
    var graph: CoMentionGraph
    /// The DISC section: discovery's statistics (empty when discovery is off).
    var discovery: [UInt8] = []
    /// The previous index's file table, whose unchanged blocks are copied (an update).
    var previousFileTable: FileTableBlocks?

    /// The LEXI section: the entities with their origins, then the lexicon's issues.
    static func lexiconSection(_ lexicon: Lexicon) -> [UInt8] {
        var w = BinaryWriter()
        w.int(lexicon.entities.count)
        for (e, o) in zip(lexicon.entities, lexicon.origins) {
            w.string(e.name)
            w.string(e.type)
            w.strings(e.aliases)
            w.u8(o.source.rawValue)
            w.int(Int((o.confidence * 1000).rounded()))
            w.strings(o.signals)
            w.strings(o.linkOnly)
        }
        w.int(lexicon.issues.count)
        for i in lexicon.issues {
            w.u8(i.kind.rawValue)
            w.string(i.source)
            w.int(i.line)
            w.string(i.message)
        }
        return w.bytes
    }

    /// The checksum of each `IndexFormat.block` bytes of `bytes`.
    static func blockChecks(_ bytes: [UInt8]) -> [UInt8] {
        var w = BinaryWriter()
        bytes.withUnsafeBytes { raw in
            var start = 0
            while start < raw.count {
                let end = min(raw.count, start + IndexFormat.block)
                w.u64(Checksum.of(UnsafeRawBufferPointer(rebasing: raw[start..<end])))
                start = end
            }
        }
        return w.bytes
    }

    /// LEXI, FILE, FCHK, NIDX, ENOT, GRPH and DISC, in file order (NEXT, NCHK and NOTE follow).
    func sections() -> [(Section, [UInt8])] {
        var sections: [(Section, [UInt8])] = []
        sections.append((.lexicon, NoteParts.lexiconSection(lexicon)))

        let fileTable = NoteParts.fileTable(files, reusing: previousFileTable)
        sections.append((.files, fileTable))
        sections.append((.fileChecks, NoteParts.blockChecks(fileTable)))
        var w = BinaryWriter()

        // Note records, with a fixed-width table of their offsets and token counts so a query
        // decodes only the notes it shows.
        var index = BinaryWriter()
        index.bytes.reserveCapacity(4 + noteOffsets.count * 8 + tokenCounts.count * 4)
        index.u32(UInt32(tokenCounts.count))
        for o in noteOffsets { index.u64(o) }
        for t in tokenCounts { index.u32(UInt32(bitPattern: t)) }
        sections.append((.noteIndex, index.bytes))

        // Entity -> notes: a fixed-width table of where each list starts, so that a query
        // decodes only the lists of the entities it looks at.
        w = BinaryWriter()
        var starts: [UInt64] = []
        for list in entityNotes {
            starts.append(UInt64(w.bytes.count))
            w.int(list.count)
            var last: Int32 = -1
            for id in list {
                w.int32(id - last - 1)
                last = id
            }
        }
        starts.append(UInt64(w.bytes.count))
        var table = BinaryWriter()
        table.u32(UInt32(entityNotes.count))
        for o in starts { table.u64(o) }
        sections.append((.entityNotes, table.bytes + w.bytes))
        w = BinaryWriter()
        w.int(graph.stats.count)
        for s in graph.stats {
            w.int32(s.mentions)
            w.int32(s.notes)
        }
        w.int(graph.edges.count)
        for e in graph.edges {
            w.int32(e.a)
            w.int32(e.b)
            w.int32(e.notes)
            w.int32(e.sections)
            w.int32(e.blocks)
            w.int32(e.lines)
            w.int32(e.closeness)
        }
        sections.append((.graph, w.bytes))
        sections.append((.discovery, discovery))
        return sections
    }
}

/// The pieces of an index file, however they were produced: from a snapshot in memory, or by
/// an update that copies most of them from the previous file.
struct IndexParts {
    var fingerprint: UInt64
    var notes: NoteParts
    var terms: TermsWriter
    var matchFingerprint: UInt64 = 0

    /// META, BASE and TDIC, which follow the note sections in the file (PEXT, PCHK and the
    /// postings follow). `base` names the base file of a delta: its header checksum and size.
    /// `matchFingerprint` identifies what decides mentions apart from discovered entities (see
    /// `LexiconBuild.matchFingerprint`).
    static func sections(fingerprint: UInt64, matchFingerprint: UInt64 = 0, noteCount: Int, tokenTotal: Int, entityCount: Int,
        terms: TermsWriter, base: (UInt64, Int)?) -> [(Section, [UInt8])]
    {
        var w = BinaryWriter()
        w.u64(fingerprint)
        w.int(noteCount)
        w.varint(UInt64(tokenTotal))
        w.int(entityCount)
        w.int(terms.count)
        w.u64(matchFingerprint)
        var b = BinaryWriter()
        if let (sum, size) = base {
            b.u64(sum)
            b.int(size)
        }
        return [(.meta, w.bytes), (.base, b.bytes), (.terms, terms.dictionary())]
    }

    /// Header and sections of a whole file made of new bytes only, in file order, to be
    /// written one after another.
    func encoded() -> [[UInt8]] {
        precondition(notes.notes.isNew && terms.post.isNew, "an index in memory has nothing to keep")
        let noteBytes = notes.notes.bytes
        let post = terms.post.bytes
        let sections = notes.sections()
            + [(.noteExtents, []), (.noteChecks, IndexParts.blockChecks(noteBytes)), (.notes, noteBytes)]
            + IndexParts.sections(fingerprint: fingerprint, matchFingerprint: matchFingerprint, noteCount: notes.tokenCounts.count,
                tokenTotal: notes.tokenCounts.reduce(0) { $0 + Int($1) }, entityCount: notes.lexicon.entities.count,
                terms: terms, base: nil)
            + [(.postingExtents, []), (.postingChecks, IndexParts.blockChecks(post)), (.postings, post)]
        var table: [(Section, UInt64, UInt64)] = []
        for (tag, bytes) in sections { table.append((tag, UInt64(bytes.count), IndexParts.checksum(tag, bytes))) }
        return [IndexParts.header(table)] + sections.map(\.1)
    }

    /// One checksum per 64 KiB block of `bytes`.
    static func blockChecks(_ bytes: [UInt8]) -> [UInt8] {
        let blocks = (bytes.count + IndexFormat.block - 1) / IndexFormat.block
        let sums: [UInt64] = bytes.withUnsafeBytes { raw in
            let shared = UncheckedSendable(raw)
            return parallelMap(Array(0..<blocks), minimum: 64) { b in
                let start = b * IndexFormat.block
                return Checksum.of(UnsafeRawBufferPointer(rebasing: shared.value[start..<min(shared.value.count, start + IndexFormat.block)]))
            }
        }
        var checks = BinaryWriter()
        checks.bytes.reserveCapacity(blocks * 8)
        for s in sums { checks.u64(s) }
        return checks.bytes
    }

    /// The header's checksum of a section: 0 for those checked block by block.
    static func checksum(_ tag: Section, _ bytes: [UInt8]) -> UInt64 {
        tag.isBlockChecked ? 0 : Checksum.of(bytes)
    }

    /// The header for sections (tag, length, checksum) that follow it in this order.
    static func header(_ table: [(Section, UInt64, UInt64)]) -> [UInt8] {
        var header = BinaryWriter()
        header.bytes = IndexFormat.magic
        header.u32(IndexFormat.version)
        header.u32(UInt32(table.count))
        var offset = UInt64(IndexFormat.headerSize)
        for (tag, length, sum) in table {
            header.u32(tag.rawValue)
            header.u64(offset)
            header.u64(length)
            header.u64(sum)
            offset += length
        }
        header.u64(Checksum.of(header.bytes))
        return header.bytes
    }
}
