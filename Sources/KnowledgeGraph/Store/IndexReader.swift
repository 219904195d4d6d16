#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A written index, read lazily: each section is checked and decoded only when asked for, a
/// term's postings are found by binary search in the mapped dictionary, and a note's record
/// is decoded alone. Safe to share between threads.
///
/// Everything read is checked for consistency as well as checksums: an offset outside its
/// section, a note or entity id out of range, or counts that disagree make a `CorruptIndex`
/// (and so a rebuild), never a trap.
public final class IndexReader: TermIndex, @unchecked Sendable {
    /// The mapped file (and its base, for a delta).
    let file: IndexFile
    /// The fixed-width tables, located once.
    let tables = Locked(Tables())

    struct Tables {
        var meta: Meta?
        var notes: NoteTable?
        var terms: TermDictionary?
        var entities: EntityTable?
        var paths: [String]?
        var files: [FileEntry]?
        /// Every entity's notes, when an update that wrote this file handed them over.
        var entityLists: [[Int32]]?
        /// Discovery's statistics, likewise.
        var discovery: DiscoveryStats?
        var pathTable: (bytes: [UInt8], ends: [Int32])?
        /// How many paths were asked for one by one.
        var pathReads = 0
    }

    /// Counts stored in META.
    public struct Meta: Sendable, Equatable {
        /// Identifies the lexicon file, entity notes and extraction version the index was built with.
        public var fingerprint: UInt64
        public var notes: Int
        public var tokens: Int
        public var entities: Int
        public var terms: Int
        /// What decides mentions apart from the discovered entities (the lexicon file's and
        /// entity notes' definitions, whether discovery is on, kg's rules): when only the
        /// discovered entities differ, an update matches again only the notes their names are in.
        public var matchFingerprint: UInt64 = 0
    }

    /// Size of the index file (for a delta, without its base).
    public var byteCount: Int { file.byteCount }
    /// Size on disk, with the base file of a delta.
    public var totalByteCount: Int { file.totalByteCount }
    /// The size of the whole file a delta is written over (of this file when it is whole).
    var baseByteCount: Int { (file.base ?? file).byteCount }
    /// Whether this file is a delta over a base file.
    public var isDelta: Bool { file.isDelta }

    /// Opens the index at `path`, with its base file if it is a delta; nil if there is none.
    /// A writer may replace both between the two opens: then the pair is opened again.
    public static func load(path: String) throws(CorruptIndex) -> IndexReader? {
        try load(path: path, written: nil, previous: nil)
    }

    /// Opens the index this process has just committed at `path` from the file of inode
    /// `written`: if that is still the file there, its bytes count as checked (they were
    /// checked or computed as they were written), and a base shared with `previous` keeps the
    /// blocks it checked. A watcher then does not check the same bytes again on every save.
    static func load(path: String, written: UInt64?, previous: IndexReader?) throws(CorruptIndex) -> IndexReader? {
        var bases: [IndexFile] = []
        if let previous {
            bases.append(previous.file)
            if let b = previous.file.base { bases.append(b) }
        }
        var attempt = 0
        while true {
            do {
                guard let f = try IndexFile(path: path, bases: bases) else { return nil }
                if let written, f.inode == written { f.trustOwnBytes() }
                return IndexReader(file: f)
            } catch {
                attempt += 1
                guard error.reason == IndexFile.baseMismatch, attempt < 4 else { throw error }
            }
        }
    }

    /// Maps and checks the header of the index at `path`; nil if there is no file.
    public init?(path: String) throws(CorruptIndex) {
        guard let f = try IndexFile(path: path) else { return nil }
        file = f
    }

    /// Whether this reader's file is still the one at `path` (same inode and size).
    func isFile(at path: String) -> Bool {
        var st = stat()
        return file.inode != 0 && stat(path, &st) == 0 && UInt64(st.st_ino) == file.inode && Int(st.st_size) == file.byteCount
    }

    private init(file: IndexFile) {
        self.file = file
    }

    /// Reads an index from bytes in memory (tests).
    public init(bytes: [UInt8]) throws(CorruptIndex) {
        file = try IndexFile(bytes: bytes)
    }

    /// Reads every block of the index and verifies every checksum.
    public func checkAll() throws(CorruptIndex) {
        try file.checkAll()
    }

    // MARK: META

    public func meta() throws(CorruptIndex) -> Meta {
        if let m = tables.withLock({ $0.meta }) { return m }
        var r = try file.section(.meta)
        let m = Meta(fingerprint: try r.u64(), notes: try r.int(), tokens: try r.int(), entities: try r.int(), terms: try r.int(),
            matchFingerprint: try r.u64())
        tables.withLock { $0.meta = m }
        return m
    }

    /// Tokens over all notes.
    public func tokenTotal() throws(CorruptIndex) -> Int { try meta().tokens }

    // MARK: notes

    /// NIDX: each note record's offset (u64, count + 1 of them) and token count (u32).
    struct NoteTable {
        let bytes: UnsafeRawBufferPointer
        let count: Int
        func offset(_ id: Int) -> Int { bytes.u64(at: id * 8) }
        func tokenCount(_ id: Int) -> Int32 { Int32(bitPattern: UInt32(truncatingIfNeeded: bytes.u32(at: (count + 1) * 8 + id * 4))) }
    }

    /// The token count of each note, by id.
    public struct NoteLengths {
        let table: NoteTable
        public var count: Int { table.count }
        public subscript(id: Int) -> Int32 { table.tokenCount(id) }
    }

    private func noteTable() throws(CorruptIndex) -> NoteTable {
        if let t = tables.withLock({ $0.notes }) { return t }
        let raw = try file.sectionBytes(.noteIndex)
        guard raw.count >= 4 else { throw CorruptIndex(reason: "bad note table") }
        let n = raw.u32(at: 0)
        guard (n + 1) * 8 + n * 4 <= raw.count - 4, n == (try meta().notes) else { throw CorruptIndex(reason: "bad note table") }
        let t = NoteTable(bytes: UnsafeRawBufferPointer(rebasing: raw[4...]), count: n)
        tables.withLock { $0.notes = t }
        return t
    }

    /// Number of notes.
    public func noteCount() throws(CorruptIndex) -> Int { try noteTable().count }

    /// Every note's BM25 length, read without a lock per note (valid while the reader is).
    public func noteLengths() throws(CorruptIndex) -> NoteLengths { NoteLengths(table: try noteTable()) }

    /// Note `id`'s record without its path (an empty one), for what needs only its
    /// contents: no file table is decoded.
    func record(at id: Int) throws(CorruptIndex) -> NoteRecord {
        let bytes = try noteRecordBytes(at: id)
        var r = BinaryReader(bytes, range: 0..<bytes.count)
        return try NoteRecord.decode(&r, path: "", entityCount: try meta().entities)
    }

    /// Note `id`'s record; with `withPath` false, its path is left empty (for a caller that
    /// asks `notePath` only for the notes it shows).
    public func note(at id: Int) throws(CorruptIndex) -> NoteRecord { try note(at: id, withPath: true) }

    public func note(at id: Int, withPath: Bool) throws(CorruptIndex) -> NoteRecord {
        let bytes = try noteRecordBytes(at: id)
        var r = BinaryReader(bytes, range: 0..<bytes.count)
        return try NoteRecord.decode(&r, path: withPath ? try notePath(id) : "", entityCount: try meta().entities)
    }

    /// Where note `id`'s mentions are (entity, line, block, section, column), without their
    /// spellings: the rest of the record is stepped over, not decoded.
    func mentionPlaces(at id: Int) throws(CorruptIndex) -> [Mention] {
        let bytes = try noteRecordBytes(at: id)
        var r = BinaryReader(bytes, range: 0..<bytes.count)
        return try NoteRecord.mentionPlaces(&r, entityCount: try meta().entities)
    }

    /// Note `id`'s encoded record, checked.
    func noteRecordBytes(at id: Int) throws(CorruptIndex) -> UnsafeRawBufferPointer {
        try file.logical(.notes, try noteRecordRange(from: id, to: id + 1).range)
    }

    /// Where the records of notes `from..<to` lie in the NOTE section, with each one's start
    /// relative to the first; nothing is read from the section.
    func noteRecordRange(from: Int, to: Int) throws(CorruptIndex) -> (range: Range<Int>, offsets: [Int]) {
        let t = try noteTable()
        guard from >= 0, from < to, to <= t.count else { throw CorruptIndex(reason: "bad note id") }
        let a = t.offset(from)
        let b = t.offset(to)
        guard a <= b, b <= (try file.logicalCount(.notes)) else { throw CorruptIndex(reason: "bad note offsets") }
        var offsets: [Int] = []
        offsets.reserveCapacity(to - from)
        var previous = a
        for id in from..<to {
            let o = t.offset(id)
            guard o >= previous, o <= b else { throw CorruptIndex(reason: "bad note offsets") }
            offsets.append(o - a)
            previous = o
        }
        return (a..<b, offsets)
    }

    /// Every note's record, in id order.
    public func notes() throws(CorruptIndex) -> [NoteRecord] {
        let n = try noteCount()
        var out: [NoteRecord] = []
        out.reserveCapacity(n)
        if file.isDelta {
            // A delta's records lie in two files: one at a time.
            for id in 0..<n { out.append(try note(at: id)) }
            return out
        }
        let entityCount = try meta().entities
        let bytes = try file.logical(.notes, 0..<(try file.logicalCount(.notes)))
        var r = BinaryReader(bytes, range: 0..<bytes.count)
        guard try r.int() == n else { throw CorruptIndex(reason: "note count mismatch") }
        let paths = try notePaths()
        guard paths.count == n else { throw CorruptIndex(reason: "the file table does not match the notes") }
        for id in 0..<n { out.append(try NoteRecord.decode(&r, path: paths[id], entityCount: entityCount)) }
        return out
    }

    // MARK: entities

    /// ENOT: for each entity, where its list of notes starts (u64), then the lists.
    struct EntityTable {
        let bytes: UnsafeRawBufferPointer
        let count: Int
    }

    private func entityTable() throws(CorruptIndex) -> EntityTable {
        if let t = tables.withLock({ $0.entities }) { return t }
        let raw = try file.sectionBytes(.entityNotes)
        guard raw.count >= 4 else { throw CorruptIndex(reason: "bad entity table") }
        let n = raw.u32(at: 0)
        guard (n + 1) * 8 + 4 <= raw.count, n == (try meta().entities) else { throw CorruptIndex(reason: "bad entity table") }
        let t = EntityTable(bytes: UnsafeRawBufferPointer(rebasing: raw[4...]), count: n)
        tables.withLock { $0.entities = t }
        return t
    }

    /// Every entity's list of notes mentioning it.
    func entityNotes() throws(CorruptIndex) -> [[Int32]] {
        if let lists = tables.withLock({ $0.entityLists }) { return lists }
        let n = try entityTable().count
        var lists: [[Int32]] = []
        lists.reserveCapacity(n)
        for e in 0..<n { lists.append(try notesMentioning(Int32(e))) }
        return lists
    }

    /// Ids of the notes that mention entity `e`, ascending; only that entity's list is decoded.
    public func notesMentioning(_ e: Int32) throws(CorruptIndex) -> [Int32] {
        let t = try entityTable()
        guard e >= 0, Int(e) < t.count else { return [] }
        let listsStart = (t.count + 1) * 8
        let room = t.bytes.count - listsStart
        let a = t.bytes.u64(at: Int(e) * 8)
        let b = t.bytes.u64(at: (Int(e) + 1) * 8)
        guard a <= b, b <= room else { throw CorruptIndex(reason: "bad entity table") }
        var r = BinaryReader(t.bytes, range: (listsStart + a)..<(listsStart + b))
        let noteCount = try noteCount()
        var list: [Int32] = []
        let count = try r.count(max: b - a)
        list.reserveCapacity(count)
        var last: Int32 = -1
        for _ in 0..<count {
            last = last &+ 1 &+ (try r.int32())
            guard last >= 0, Int(last) < noteCount, list.last.map({ $0 < last }) ?? true else {
                throw CorruptIndex(reason: "bad entity table")
            }
            list.append(last)
        }
        return list
    }

    /// The LEXI section's bytes, to compare with what a lexicon encodes to.
    func lexiconBytes() throws(CorruptIndex) -> [UInt8] { Array(try file.sectionBytes(.lexicon)) }

    public func lexicon() throws(CorruptIndex) -> Lexicon {
        var r = try file.section(.lexicon)
        var entities: [Entity] = []
        var origins: [EntityOrigin] = []
        for _ in 0..<(try r.count(max: r.end - r.offset)) {
            entities.append(Entity(name: try r.string(), type: try r.string(), aliases: try r.strings()))
            let source = EntityOrigin.Source(rawValue: try r.u8()) ?? .lexicon
            origins.append(EntityOrigin(source: source, confidence: Double(try r.int()) / 1000, signals: try r.strings(), linkOnly: try r.strings()))
        }
        var issues: [LexiconIssue] = []
        for _ in 0..<(try r.count(max: r.end - r.offset)) {
            let kind = LexiconIssue.Kind(rawValue: try r.u8()) ?? .syntax
            issues.append(LexiconIssue(kind: kind, source: try r.string(), line: try r.int(), message: try r.string()))
        }
        guard entities.count == (try meta().entities) else { throw CorruptIndex(reason: "the lexicon does not match its counts") }
        return Lexicon(stored: entities, issues: issues, origins: origins)
    }

    /// Discovery's statistics, if the index was built with discovery on (and by this kg's
    /// candidate rules).
    func discoveryStats() throws(CorruptIndex) -> DiscoveryStats? {
        if let stats = tables.withLock({ $0.discovery }) { return stats }
        var r = try file.section(.discovery)
        if r.atEnd { return nil }
        guard try r.u8() == CandidateExtractor.version else { return nil }
        _ = try DiscoveryTable.header(&r)
        return try DiscoveryStats.decode(&r)
    }

    /// Discovery's section as a table of its entries (`DiscoveryTable`), if the index was
    /// built with discovery on by this kg's candidate rules.
    func discoveryTable() throws(CorruptIndex) -> DiscoveryTable? {
        let r = try file.section(.discovery)
        return try DiscoveryTable(section: Array(UnsafeRawBufferPointer(rebasing: r.base[r.offset..<r.end])))
    }

    public func graph() throws(CorruptIndex) -> CoMentionGraph {
        var r = try file.section(.graph)
        var stats: [EntityStats] = []
        for _ in 0..<(try r.count(max: r.end - r.offset)) {
            stats.append(EntityStats(mentions: try r.int32(), notes: try r.int32()))
        }
        var edges: [CoMention] = []
        let n = Int32(stats.count)
        for _ in 0..<(try r.count(max: r.end - r.offset)) {
            let e = CoMention(a: try r.int32(), b: try r.int32(), notes: try r.int32(), sections: try r.int32(),
                blocks: try r.int32(), lines: try r.int32(), closeness: try r.int32())
            guard e.a >= 0, e.a < e.b, e.b < n else { throw CorruptIndex(reason: "bad graph") }
            edges.append(e)
        }
        guard stats.count == (try meta().entities) else { throw CorruptIndex(reason: "the graph does not match the lexicon") }
        return CoMentionGraph(stats: stats, edges: edges)
    }

    /// The whole index in memory (tests).
    public func snapshot() throws(CorruptIndex) -> IndexSnapshot {
        let m = try meta()
        let notes = try notes()
        return IndexSnapshot(lexiconFingerprint: m.fingerprint, lexicon: try lexicon(), notes: notes, files: try files(),
            postings: try allPostings(noteCount: notes.count), graph: try graph())
    }

    /// Each section's content as a whole file would hold it (a delta's NOTE and POST read
    /// through their extents); what tells two indexes apart, whatever their layout.
    func logicalSections() throws(CorruptIndex) -> [Section: [UInt8]] {
        var out: [Section: [UInt8]] = [:]
        for s in Section.allCases {
            switch s {
            case .notes, .postings: out[s] = Array(try file.logical(s, 0..<(try file.logicalCount(s))))
            case .noteChecks, .postingChecks, .fileChecks, .noteExtents, .postingExtents, .base: continue
            default: out[s] = Array(try file.sectionBytes(s))
            }
        }
        return out
    }
}

extension UnsafeRawBufferPointer {
    /// A little-endian u32 at `o` (the caller has checked that it lies inside).
    @inline(__always) func u32(at o: Int) -> Int { Int(loadUnaligned(fromByteOffset: o, as: UInt32.self).littleEndian) }
    /// A little-endian u64 at `o`, clamped to `Int.max` (the caller has checked that it lies
    /// inside; a crafted value larger than any offset fails the caller's range checks).
    @inline(__always) func u64(at o: Int) -> Int { Int(clamping: loadUnaligned(fromByteOffset: o, as: UInt64.self).littleEndian) }
}
