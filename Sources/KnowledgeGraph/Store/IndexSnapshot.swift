#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Dispatch

/// A note file as last seen: how to tell whether it changed, and its content hash.
public struct FileEntry: Sendable, Equatable {
    public var path: String
    public var stat: FileStat
    /// Checksum of the file's bytes.
    public var hash: UInt64
    /// Why it is not a note (binary, too large, ...), or nil for an indexed note.
    public var skipReason: String?
    /// The entity the note defines in its front matter, kept here so that the lexicon can be
    /// checked without decoding the notes.
    public var entity: Entity?

    public init(path: String, stat: FileStat, hash: UInt64, skipReason: String? = nil, entity: Entity? = nil) {
        self.path = path
        self.stat = stat
        self.hash = hash
        self.skipReason = skipReason
        self.entity = entity
    }
}

/// Everything kg knows about a vault: a pure function of the notes and the lexicon (plus the
/// file table used to detect changes).
public struct IndexSnapshot: Sendable, Equatable {
    /// The on-disk format version; any other version is rebuilt.
    public static let formatVersion: UInt32 = 9

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

/// Section tags of the index file. In the file the note sections come first (LEXI, FILE,
/// NIDX, ENOT, GRPH, NEXT, NCHK, NOTE), then META, BASE, TDIC, PEXT, PCHK and the postings
/// last; the reader finds them by tag. BASE, NEXT and PEXT are empty but in a delta.
enum Section: UInt32, CaseIterable {
    case meta = 0x4154_454D  // "META"
    case lexicon = 0x4958_454C  // "LEXI"
    case files = 0x454C_4946  // "FILE"
    case noteIndex = 0x5844_494E  // "NIDX": offset and token count of each note record
    case entityNotes = 0x544F_4E45  // "ENOT": entity -> notes mentioning it
    case graph = 0x4850_5247  // "GRPH"
    case terms = 0x4349_4454  // "TDIC"
    case noteChecks = 0x4B48_434E  // "NCHK"
    case notes = 0x4554_4F4E  // "NOTE"
    case postingChecks = 0x4B48_4350  // "PCHK"
    case postings = 0x5453_4F50  // "POST"
    case base = 0x4553_4142  // "BASE": the base file a delta was written over
    case noteExtents = 0x5458_454E  // "NEXT": where a delta's note records are stored
    case postingExtents = 0x5458_4550  // "PEXT": where a delta's posting lists are stored
}

extension IndexSnapshot {
    static let magic: [UInt8] = [0x89, 0x4B, 0x47, 0x49, 0x44, 0x58, 0x0D, 0x0A]  // \x89KGIDX\r\n
    static let postingBlock = 1 << 16
    /// Sections checked block by block as they are read, rather than whole.
    static let blockChecked: Set<Section> = [.notes, .postings]

    /// One checksum per 64 KiB block of `bytes`.
    static func blockChecks(_ bytes: [UInt8]) -> [UInt8] {
        let blocks = (bytes.count + postingBlock - 1) / postingBlock
        let sums: [UInt64] = bytes.withUnsafeBytes { raw in
            let shared = UncheckedSendable(raw)
            return parallelMap(Array(0..<blocks), minimum: 64) { b in
                let start = b * postingBlock
                return Checksum.of(UnsafeRawBufferPointer(rebasing: shared.value[start..<min(shared.value.count, start + postingBlock)]))
            }
        }
        var checks = BinaryWriter()
        checks.bytes.reserveCapacity(blocks * 8)
        for s in sums { checks.u64(s) }
        return checks.bytes
    }

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
            t.withUTF8 { terms.add(term: UnsafeRawBufferPointer($0), list: list) }
        }
        let parts = IndexParts(fingerprint: lexiconFingerprint,
            notes: NoteParts(lexicon: lexicon, files: files, notes: SectionPieces(bytes: noteBytes.bytes), noteOffsets: offsets,
                tokenCounts: notes.map(\.tokenCount), entityNotes: byEntity, graph: graph),
            terms: terms)
        return parts.encoded().reduce(into: []) { $0 += $1 }
    }
}

/// The dictionary and postings sections, written term by term in byte order.
struct TermsWriter {
    var termBytes: [UInt8] = []
    var termOffsets: [UInt32] = [0]
    /// The postings: new lists in `post.bytes`, and lists of the previous index kept as they are.
    var post = SectionPieces()
    var postOffsets: [UInt64] = [0]

    var count: Int { termOffsets.count - 1 }

    /// Appends a term whose encoded list (count, then entries) is `list`.
    mutating func add(term: UnsafeRawBufferPointer, list: [UInt8]) {
        begin(term: term)
        post.bytes.append(contentsOf: list)
        end()
    }

    mutating func begin(term: UnsafeRawBufferPointer) {
        termBytes.appendBytes(term)
        termOffsets.append(UInt32(termBytes.count))
    }

    mutating func end() {
        postOffsets.append(UInt64(post.count))
    }

    /// Appends the terms of `other`, which all sort after this one's.
    mutating func append(_ other: TermsWriter) {
        let termBase = UInt32(termBytes.count)
        let postBase = UInt64(post.count)
        termBytes.append(contentsOf: other.termBytes)
        post.append(other.post)
        for o in other.termOffsets.dropFirst() { termOffsets.append(termBase + o) }
        for o in other.postOffsets.dropFirst() { postOffsets.append(postBase + o) }
    }

    /// Size of `dictionary()`.
    var dictionaryByteCount: Int { 4 + termOffsets.count * 4 + postOffsets.count * 8 + termBytes.count }

    /// Term count, a fixed-width table (so a query binary-searches the mapped file without
    /// decoding the dictionary), then the terms' bytes.
    func dictionary() -> [UInt8] {
        var dict = BinaryWriter()
        dict.bytes.reserveCapacity(4 + termOffsets.count * 12 + termBytes.count)
        dict.u32(UInt32(count))
        for o in termOffsets { dict.u32(o) }
        for o in postOffsets { dict.u64(o) }
        dict.bytes.append(contentsOf: termBytes)
        return dict.bytes
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

    /// LEXI, FILE, NIDX, ENOT and GRPH, in file order (NEXT, NCHK and NOTE follow).
    func sections() -> [(Section, [UInt8])] {
        var sections: [(Section, [UInt8])] = []
        var w = BinaryWriter()
        w.int(lexicon.entities.count)
        for e in lexicon.entities {
            w.string(e.name)
            w.string(e.type)
            w.strings(e.aliases)
        }
        w.int(lexicon.issues.count)
        for i in lexicon.issues {
            w.string(i.source)
            w.int(i.line)
            w.string(i.message)
        }
        sections.append((.lexicon, w.bytes))

        w = BinaryWriter()
        w.int(files.count)
        // Paths front-coded (sorted paths share long prefixes: the bytes shared with the path
        // before, then the rest), the status-change time as its distance from the mtime.
        var previous: [UInt8] = []
        for f in files {
            var path = f.path
            path.withUTF8 { p in
                var shared = 0
                while shared < min(p.count, previous.count) && p[shared] == previous[shared] { shared += 1 }
                w.int(shared)
                w.int(p.count - shared)
                w.bytes.append(contentsOf: p[shared...])
                previous.removeAll(keepingCapacity: true)
                previous.append(contentsOf: p)
            }
            w.sint(f.stat.size)
            w.sint(f.stat.mtimeNs)
            w.sint(f.stat.ctimeNs &- f.stat.mtimeNs)
            w.varint(f.stat.inode)
            w.u64(f.hash)
            if let r = f.skipReason {
                w.u8(1)
                w.string(r)
            } else {
                w.u8(0)
            }
            w.entity(f.entity)
        }
        sections.append((.files, w.bytes))

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
            for v in [e.a, e.b, e.notes, e.sections, e.blocks, e.lines, e.closeness] { w.int32(v) }
        }
        sections.append((.graph, w.bytes))
        return sections
    }
}

/// The pieces of an index file, however they were produced: from a snapshot in memory, or by
/// an update that copies most of them from the previous file.
struct IndexParts {
    var fingerprint: UInt64
    var notes: NoteParts
    var terms: TermsWriter

    /// META, BASE and TDIC, which follow the note sections in the file (PEXT, PCHK and the
    /// postings follow). `base` names the base file of a delta: its header checksum and size.
    static func sections(fingerprint: UInt64, noteCount: Int, tokenTotal: Int, entityCount: Int, terms: TermsWriter,
        base: (UInt64, Int)?) -> [(Section, [UInt8])]
    {
        var w = BinaryWriter()
        w.u64(fingerprint)
        w.int(noteCount)
        w.varint(UInt64(tokenTotal))
        w.int(entityCount)
        w.int(terms.count)
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
            + [(.noteExtents, []), (.noteChecks, IndexSnapshot.blockChecks(noteBytes)), (.notes, noteBytes)]
            + IndexParts.sections(fingerprint: fingerprint, noteCount: notes.tokenCounts.count,
                tokenTotal: notes.tokenCounts.reduce(0) { $0 + Int($1) }, entityCount: notes.lexicon.entities.count,
                terms: terms, base: nil)
            + [(.postingExtents, []), (.postingChecks, IndexSnapshot.blockChecks(post)), (.postings, post)]
        var table: [(Section, UInt64, UInt64)] = []
        for (tag, bytes) in sections { table.append((tag, UInt64(bytes.count), IndexParts.checksum(tag, bytes))) }
        return [IndexParts.header(table)] + sections.map(\.1)
    }

    /// The header's checksum of a section: 0 for those checked block by block.
    static func checksum(_ tag: Section, _ bytes: [UInt8]) -> UInt64 {
        IndexSnapshot.blockChecked.contains(tag) ? 0 : Checksum.of(bytes)
    }

    static var headerSize: Int { IndexSnapshot.magic.count + 8 + Section.allCases.count * 28 + 8 }

    /// The header for sections (tag, length, checksum) that follow it in this order.
    static func header(_ table: [(Section, UInt64, UInt64)]) -> [UInt8] {
        var header = BinaryWriter()
        header.bytes = IndexSnapshot.magic
        header.u32(IndexSnapshot.formatVersion)
        header.u32(UInt32(table.count))
        var offset = UInt64(headerSize)
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

/// Writes an index file section by section as the parts become ready, and its header last.
/// The sections must be added in file order.
final class IndexFileWriter: @unchecked Sendable {
    private let file: DurableFile.Writer
    private var table: [(Section, UInt64, UInt64)] = []
    private var offset = IndexParts.headerSize

    init(path: String) throws(KGError) {
        file = try DurableFile.Writer(path: path)
    }

    /// Writes `sections` after those added before.
    func add(_ sections: [(Section, [UInt8])]) {
        for (tag, bytes) in sections {
            bytes.withUnsafeBytes { file.write($0, at: offset) }
            table.append((tag, UInt64(bytes.count), IndexParts.checksum(tag, bytes)))
            offset += bytes.count
        }
        file.startWriteback()
    }

    /// Writes a NOTE or POST section laid out by `layout`: its extents (empty unless
    /// `delta`), its block checks and the bytes this file stores, in that order. The bytes are
    /// written and checked on all cores, straight from where they lie.
    func add(_ data: Section, _ layout: Layout, delta: Bool) {
        let (extentTag, checkTag): (Section, Section) = data == .notes ? (.noteExtents, .noteChecks) : (.postingExtents, .postingChecks)
        let extents = delta ? layout.encoded() : []
        let block = IndexSnapshot.postingBlock
        let total = layout.ownCount
        let blocks = (total + block - 1) / block
        let checksAt = offset + extents.count
        let dataAt = checksAt + blocks * 8
        let starts = layout.own.reduce(into: [0]) { $0.append($0[$0.count - 1] + $1.count) }
        // The part holding byte `x`.
        @Sendable func part(_ x: Int) -> Int {
            var lo = 0
            var hi = starts.count - 2
            while lo < hi {
                let mid = (lo + hi + 1) / 2
                if starts[mid] <= x { lo = mid } else { hi = mid - 1 }
            }
            return lo
        }
        let sums = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: max(blocks, 1))
        defer { sums.deallocate() }
        let halves = blocks >= 64 && sysconf(Int32(_SC_NPROCESSORS_ONLN)) > 1 ? 2 : 1
        let shared = UncheckedSendable((layout.own, sums, file))
        // A window of blocks lying in one part is written and checked where it lies; one across
        // parts is gathered first.
        let window = 16
        DispatchQueue.concurrentPerform(iterations: blocks == 0 ? 0 : halves) { h in
            let (own, sums, file) = shared.value
            var staging: [UInt8] = []
            var b = blocks * h / halves
            let bEnd = blocks * (h + 1) / halves
            while b < bEnd {
                let wEnd = min(bEnd, b + window)
                let (s, e) = (b * block, min(total, wEnd * block))
                var k = part(s)
                let write = { (bytes: UnsafeRawBufferPointer) in
                    file.write(bytes, at: dataAt + s)
                    for c in b..<wEnd {
                        let from = (c - b) * block
                        sums[c] = Checksum.of(UnsafeRawBufferPointer(rebasing: bytes[from..<min(bytes.count, from + block)]))
                    }
                }
                if e <= starts[k + 1] {
                    write(UnsafeRawBufferPointer(rebasing: own[k][(s - starts[k])..<(e - starts[k])]))
                } else {
                    if staging.isEmpty { staging = [UInt8](repeating: 0, count: window * block) }
                    staging.withUnsafeMutableBytes { out in
                        var at = s
                        while at < e {
                            let end = min(e, starts[k + 1])
                            let from = UnsafeRawBufferPointer(rebasing: own[k][(at - starts[k])..<(end - starts[k])])
                            UnsafeMutableRawBufferPointer(rebasing: out[(at - s)..<(end - s)]).copyMemory(from: from)
                            at = end
                            k += 1
                        }
                        write(UnsafeRawBufferPointer(rebasing: out[0..<(e - s)]))
                    }
                }
                b = wEnd
            }
        }
        var checks = BinaryWriter()
        checks.bytes.reserveCapacity(blocks * 8)
        for b in 0..<blocks { checks.u64(sums[b]) }
        extents.withUnsafeBytes { file.write($0, at: offset) }
        checks.bytes.withUnsafeBytes { file.write($0, at: checksAt) }
        table.append((extentTag, UInt64(extents.count), IndexParts.checksum(extentTag, extents)))
        table.append((checkTag, UInt64(checks.bytes.count), IndexParts.checksum(checkTag, checks.bytes)))
        table.append((data, UInt64(total), 0))
        offset = dataAt + total
        file.startWriteback()
    }

    /// Writes a NOTE or POST section of new bytes only.
    func add(_ data: Section, new bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            var layout = Layout()
            layout.add(own: raw)
            add(data, layout, delta: false)
        }
    }

    /// Drops what was written; the old index stays.
    func abandon() { file.abandon() }

    /// Writes the header and puts the file in place.
    func commit() throws(KGError) {
        precondition(table.count == Section.allCases.count, "an index file needs every section")
        IndexParts.header(table).withUnsafeBytes { file.write($0, at: 0) }
        try file.commit()
    }
}

extension NoteRecord {
    func encode(into w: inout BinaryWriter) {
        w.string(path)
        w.string(title)
        w.strings(tags)
        w.int(links.count)
        for l in links {
            w.string(l.target)
            w.int32(l.line)
            w.u8(l.isWiki ? 1 : 0)
        }
        w.entity(definesEntity)
        w.int32(lineCount)
        w.int32(tokenCount)
        var last: Int32 = 0
        for s in lineTokenStarts {
            w.int32(s - last)
            last = s
        }
        // Mentions come in line order: lines, blocks and sections as deltas, and each surface
        // once in a small table of the note's distinct spellings.
        // A note has few distinct spellings: a linear search beats hashing them.
        var surfaces: [String] = []
        var surfaceOf: [Int] = []
        surfaceOf.reserveCapacity(mentions.count)
        for m in mentions {
            if let k = surfaces.firstIndex(where: { $0.utf8.lexiconEqual(m.surface.utf8) }) {
                surfaceOf.append(k)
            } else {
                surfaceOf.append(surfaces.count)
                surfaces.append(m.surface)
            }
        }
        w.strings(surfaces)
        w.int(mentions.count)
        var line: Int32 = 0
        var block: Int32 = 0
        var section: Int32 = 0
        for (m, k) in zip(mentions, surfaceOf) {
            w.int32(m.entity)
            w.sint(Int64(m.line - line))
            w.sint(Int64(m.block - block))
            w.sint(Int64(m.section - section))
            w.int(k)
            line = m.line
            block = m.block
            section = m.section
        }
    }

    static func decode(_ r: inout BinaryReader) throws(CorruptIndex) -> NoteRecord {
        let path = try r.string()
        let title = try r.string()
        let tags = try r.strings()
        var links: [NoteLink] = []
        for _ in 0..<(try r.count(max: r.end - r.offset)) {
            links.append(NoteLink(target: try r.string(), line: try r.int32(), isWiki: try r.u8() == 1))
        }
        let entity = try r.entity()
        let lineCount = try r.int32()
        let tokenCount = try r.int32()
        guard lineCount >= 0, Int(lineCount) <= r.end - r.offset else { throw CorruptIndex(reason: "bad line count") }
        var starts: [Int32] = []
        starts.reserveCapacity(Int(lineCount))
        var last: Int32 = 0
        for _ in 0..<Int(lineCount) {
            last &+= try r.int32()
            starts.append(last)
        }
        let surfaces = try r.strings()
        var mentions: [Mention] = []
        let mc = try r.count(max: r.end - r.offset)
        mentions.reserveCapacity(mc)
        var line: Int32 = 0
        var block: Int32 = 0
        var section: Int32 = 0
        for _ in 0..<mc {
            let entity = try r.int32()
            line = line &+ Int32(truncatingIfNeeded: try r.sint())
            block = block &+ Int32(truncatingIfNeeded: try r.sint())
            section = section &+ Int32(truncatingIfNeeded: try r.sint())
            let k = try r.int()
            guard k < surfaces.count else { throw CorruptIndex(reason: "bad surface") }
            mentions.append(Mention(entity: entity, line: line, block: block, section: section, surface: surfaces[k]))
        }
        return NoteRecord(path: path, title: title, tags: tags, links: links, definesEntity: entity, lineCount: lineCount,
            tokenCount: tokenCount, lineTokenStarts: starts, mentions: mentions)
    }
}
