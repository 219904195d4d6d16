#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A written index file, mapped into memory and read lazily: each section is checked and
/// decoded only when asked for, and a term's postings are found by binary search.
///
/// A file written by an update may be a delta: its note records and postings (NOTE, POST) are
/// then extents, each either in this file or in the base file `<index>.base`, a whole index
/// the delta names by its header checksum and size. Offsets in the note table and the
/// dictionary are in the section as a whole file would hold it (logical); the extents map them
/// to the two files.
public final class IndexReader: @unchecked Sendable {
    private let base: UnsafeRawBufferPointer
    private let mapped: UnsafeMutableRawPointer?
    private let mappedLength: Int
    private var table: [Section: Range<Int>] = [:]
    private var checksums: [Section: UInt64] = [:]
    private var verified: [Section: Set<Int>] = [:]
    private var checks: [Section: [UInt64]] = [:]
    private var entityListTotal: Int?
    private var entityNoteTable = 0
    private var entityNoteEnd = 0
    private var noteTable: Range<Int>?
    private var noteCountValue = 0
    private var termCount = 0
    private var termTable: Range<Int> = 0..<0
    /// Size of this file (for a delta, without its base).
    public let byteCount: Int
    /// The header's checksum: with `byteCount`, what a delta names its base by.
    private(set) var headerChecksum: UInt64 = 0
    /// For a delta: the base file, and the extents of its NOTE and POST sections.
    private(set) var baseFile: IndexReader?
    private var extents: [Section: [Extent]] = [:]
    private var logicalCounts: [Section: Int] = [:]
    /// Lists of a delta that lie in several extents, gathered into one buffer each.
    private var gathered: [Int: UnsafeMutableRawBufferPointer] = [:]
    private let gatherLock = PthreadMutex()

    /// Part of a delta's NOTE or POST section: `length` bytes at `logical` in the section,
    /// stored at `physical` in the same section of the base file or of this one.
    struct Extent {
        var logical: Int
        var inBase: Bool
        var physical: Int
        var length: Int
    }

    /// Size on disk, with the base file of a delta.
    public var totalByteCount: Int { byteCount + (baseFile?.byteCount ?? 0) }
    /// Whether this file is a delta over a base file.
    public var isDelta: Bool { baseFile != nil }
    /// Number of extents of a delta's notes and postings.
    var extentCount: Int { extents.values.reduce(0) { $0 + $1.count } }

    /// Opens the index at `path`, with its base file if it is a delta. A writer may replace
    /// both between the two opens: then the pair is opened again.
    public static func load(path: String) throws(CorruptIndex) -> IndexReader? {
        var attempt = 0
        while true {
            do {
                return try IndexReader(path: path)
            } catch {
                attempt += 1
                guard error.reason == baseMismatch, attempt < 4 else { throw error }
            }
        }
    }

    static let baseMismatch = "its base file (index.base) is missing or is not the one it was written over"

    /// Maps and checks the header of the index at `path`; nil if there is no file.
    public init?(path: String) throws(CorruptIndex) {
        let fd = open(path, O_RDONLY)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw CorruptIndex(reason: "cannot be opened (\(String(cString: strerror(errno))))")
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw CorruptIndex(reason: "cannot be read") }
        let size = Int(st.st_size)
        byteCount = size
        if size == 0 { throw CorruptIndex(reason: "empty file") }
        guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
            throw CorruptIndex(reason: "cannot be mapped")
        }
        mapped = p
        mappedLength = size
        base = UnsafeRawBufferPointer(start: p, count: size)
        try readHeader()
        if let (sum, baseSize) = try baseIdentity() {
            guard let b = try? IndexReader(path: path + ".base"), b.baseFile == nil, b.headerChecksum == sum, b.byteCount == baseSize
            else { throw CorruptIndex(reason: IndexReader.baseMismatch) }
            baseFile = b
            try checkExtents()
        }
    }

    /// Reads an index from bytes in memory (tests).
    public init(bytes: [UInt8]) throws(CorruptIndex) {
        let p = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 8)
        bytes.withUnsafeBytes { if let b = $0.baseAddress { p.copyMemory(from: b, byteCount: bytes.count) } }
        mapped = nil
        mappedLength = 0
        base = UnsafeRawBufferPointer(start: p, count: bytes.count)
        byteCount = bytes.count
        try readHeader()
    }

    deinit {
        for (_, buffer) in gathered { buffer.deallocate() }
        if let m = mapped {
            munmap(m, mappedLength)
        } else {
            base.baseAddress.map { UnsafeMutableRawPointer(mutating: $0).deallocate() }
        }
    }

    private func readHeader() throws(CorruptIndex) {
        let magic = IndexSnapshot.magic
        guard base.count >= magic.count + 8, zip(base.prefix(magic.count), magic).allSatisfy({ $0 == $1 }) else {
            throw CorruptIndex(reason: "not a kg index")
        }
        var r = BinaryReader(base, range: magic.count..<base.count)
        let version = try r.u32()
        guard version == IndexSnapshot.formatVersion else {
            throw CorruptIndex(reason: "index format \(version), this kg reads format \(IndexSnapshot.formatVersion)")
        }
        let count = Int(try r.u32())
        guard count == Section.allCases.count else { throw CorruptIndex(reason: "bad section table") }
        for _ in 0..<count {
            let tag = try r.u32()
            let offset = try r.u64()
            let length = try r.u64()
            let sum = try r.u64()
            guard let section = Section(rawValue: tag), offset <= UInt64(base.count),
                length <= UInt64(base.count) - offset
            else { throw CorruptIndex(reason: "bad section table") }
            table[section] = Int(offset)..<Int(offset + length)
            checksums[section] = sum
        }
        let headerEnd = r.offset
        let stored = try r.u64()
        guard Checksum.of(UnsafeRawBufferPointer(rebasing: base[0..<headerEnd])) == stored else {
            throw CorruptIndex(reason: "header checksum mismatch")
        }
        headerChecksum = stored
        guard table.count == Section.allCases.count, let last = table[.postings], last.upperBound == base.count else {
            throw CorruptIndex(reason: "truncated")
        }
    }

    /// The base file a delta was written over (its header checksum and size), or nil.
    private func baseIdentity() throws(CorruptIndex) -> (UInt64, Int)? {
        var r = try section(.base)
        if r.atEnd { return nil }
        return (try r.u64(), try r.int())
    }

    /// Reads a delta's extents and checks that they tile its sections and stay inside the
    /// stored ones.
    private func checkExtents() throws(CorruptIndex) {
        guard let baseFile else { return }
        for (s, tag) in [(Section.notes, Section.noteExtents), (.postings, .postingExtents)] {
            var r = try section(tag)
            var list: [Extent] = []
            var logical = 0
            let n = try r.count(max: r.end - r.offset)
            list.reserveCapacity(n)
            for _ in 0..<n {
                let inBase = try r.u8() == 1
                let physical = try r.int()
                let length = try r.int()
                let limit = inBase ? try baseFile.logicalCount(s) : (table[s]?.count ?? 0)
                guard length > 0, physical <= limit, length <= limit - physical else { throw CorruptIndex(reason: "bad extents") }
                list.append(Extent(logical: logical, inBase: inBase, physical: physical, length: length))
                logical += length
            }
            extents[s] = list
            logicalCounts[s] = logical
        }
    }

    /// Size of the NOTE or POST section as a whole file holds it.
    func logicalCount(_ s: Section) throws(CorruptIndex) -> Int {
        if let n = logicalCounts[s] { return n }
        guard let whole = table[s] else { throw CorruptIndex(reason: "missing section") }
        return whole.count
    }

    /// Bytes `range` of the NOTE or POST section (logical offsets), checked. A record lies in
    /// one extent; a posting list may lie in several, and is then gathered.
    private func logical(_ s: Section, _ range: Range<Int>) throws(CorruptIndex) -> UnsafeRawBufferPointer {
        guard let list = extents[s] else {
            guard let whole = table[s] else { throw CorruptIndex(reason: "missing section") }
            try verify(s, range)
            return UnsafeRawBufferPointer(rebasing: base[(whole.lowerBound + range.lowerBound)..<(whole.lowerBound + range.upperBound)])
        }
        if range.isEmpty { return UnsafeRawBufferPointer(rebasing: base[0..<0]) }
        let k = extentIndex(list, range.lowerBound)
        guard k < list.count else { throw CorruptIndex(reason: "bad extents") }
        if range.upperBound <= list[k].logical + list[k].length {
            let start = list[k].physical + range.lowerBound - list[k].logical
            return try physicalBytes(s, inBase: list[k].inBase, start..<(start + range.count))
        }
        // A list an update changed in the middle: its parts, gathered once.
        let key = range.lowerBound * 2 + (s == .notes ? 0 : 1)
        if let done = gatherLock.withLock({ gathered[key] }) { return UnsafeRawBufferPointer(done) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: range.count, alignment: 8)
        var at = 0
        do {
            for part in try stored(s, range) {
                let bytes = try physicalBytes(s, inBase: part.inBase, part.physical)
                UnsafeMutableRawBufferPointer(rebasing: buffer[at..<(at + bytes.count)]).copyMemory(from: bytes)
                at += bytes.count
            }
        } catch {
            buffer.deallocate()
            throw error
        }
        return UnsafeRawBufferPointer(gatherLock.withLock {
            if let done = gathered[key] {
                buffer.deallocate()
                return done
            }
            gathered[key] = buffer
            return buffer
        })
    }

    /// The extent holding logical byte `offset`.
    private func extentIndex(_ list: [Extent], _ offset: Int) -> Int {
        var lo = 0
        var hi = list.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if list[mid].logical + list[mid].length <= offset { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Where bytes `range` of the NOTE or POST section are stored: pieces of the base file's
    /// section or of this file's own, in order. For a whole file, the range itself.
    func stored(_ s: Section, _ range: Range<Int>) throws(CorruptIndex) -> [(inBase: Bool, physical: Range<Int>)] {
        guard let list = extents[s] else { return [(false, range)] }
        var out: [(inBase: Bool, physical: Range<Int>)] = []
        var at = range.lowerBound
        var k = extentIndex(list, at)
        while at < range.upperBound {
            guard k < list.count else { throw CorruptIndex(reason: "bad extents") }
            let e = list[k]
            let end = min(range.upperBound, e.logical + e.length)
            let start = e.physical + at - e.logical
            out.append((e.inBase, start..<(start + end - at)))
            at = end
            k += 1
        }
        return out
    }

    /// Stored bytes of the NOTE or POST section, checked: of the base file or of this one.
    func physicalBytes(_ s: Section, inBase: Bool, _ range: Range<Int>) throws(CorruptIndex) -> UnsafeRawBufferPointer {
        if inBase {
            guard let baseFile else { throw CorruptIndex(reason: "bad extents") }
            return try baseFile.logical(s, range)
        }
        guard let whole = table[s] else { throw CorruptIndex(reason: "missing section") }
        try verify(s, range)
        return UnsafeRawBufferPointer(rebasing: base[(whole.lowerBound + range.lowerBound)..<(whole.lowerBound + range.upperBound)])
    }

    private func section(_ s: Section) throws(CorruptIndex) -> BinaryReader {
        guard let range = table[s] else { throw CorruptIndex(reason: "missing section") }
        if !IndexSnapshot.blockChecked.contains(s) {
            guard Checksum.of(UnsafeRawBufferPointer(rebasing: base[range])) == checksums[s] else {
                throw CorruptIndex(reason: "checksum mismatch")
            }
        }
        return BinaryReader(base, range: range)
    }

    /// Checks the blocks of a block-checked section that cover `range` (relative to the
    /// section), once each.
    private func verify(_ s: Section, _ range: Range<Int>) throws(CorruptIndex) {
        guard let whole = table[s], range.lowerBound >= 0, range.upperBound <= whole.count else {
            throw CorruptIndex(reason: "bad offsets")
        }
        if range.isEmpty { return }
        if checks[s] == nil {
            var c = try section(s == .notes ? .noteChecks : .postingChecks)
            var list: [UInt64] = []
            while !c.atEnd { list.append(try c.u64()) }
            checks[s] = list
        }
        let list = checks[s] ?? []
        let block = IndexSnapshot.postingBlock
        for blk in (range.lowerBound / block)...((range.upperBound - 1) / block) where !(verified[s]?.contains(blk) ?? false) {
            let start = whole.lowerBound + blk * block
            let end = min(whole.upperBound, start + block)
            guard blk < list.count, Checksum.of(UnsafeRawBufferPointer(rebasing: base[start..<end])) == list[blk] else {
                throw CorruptIndex(reason: "\(s == .notes ? "notes" : "postings") checksum mismatch")
            }
            verified[s, default: []].insert(blk)
        }
    }

    /// Fingerprint of the lexicon and counts.
    public func meta() throws(CorruptIndex) -> (fingerprint: UInt64, notes: Int, tokens: Int, entities: Int, terms: Int) {
        var r = try section(.meta)
        return (try r.u64(), try r.int(), try r.int(), try r.int(), try r.int())
    }

    // MARK: notes, lazily

    private func loadNoteTable() throws(CorruptIndex) -> Range<Int> {
        if let t = noteTable { return t }
        var r = try section(.noteIndex)
        let n = Int(try r.u32())
        guard n >= 0, (n + 1) * 8 + n * 4 <= r.end - r.offset else { throw CorruptIndex(reason: "bad note table") }
        noteCountValue = n
        let t = r.offset..<r.end
        noteTable = t
        return t
    }

    /// Number of notes.
    public func noteCount() throws(CorruptIndex) -> Int {
        _ = try loadNoteTable()
        return noteCountValue
    }

    /// The BM25 length (token count) of note `id`.
    public func tokenCount(_ id: Int) throws(CorruptIndex) -> Int32 {
        let t = try loadNoteTable()
        guard id >= 0, id < noteCountValue else { throw CorruptIndex(reason: "bad note id") }
        return Int32(bitPattern: UInt32(u32(at: t.lowerBound + (noteCountValue + 1) * 8 + id * 4)))
    }

    /// Note `id`'s record, decoded alone.
    public func note(at id: Int) throws(CorruptIndex) -> NoteRecord {
        let bytes = try noteRecordBytes(at: id)
        var r = BinaryReader(bytes, range: 0..<bytes.count)
        return try NoteRecord.decode(&r)
    }

    /// Note `id`'s encoded record, checked.
    func noteRecordBytes(at id: Int) throws(CorruptIndex) -> UnsafeRawBufferPointer {
        try logical(.notes, try noteRecordRange(from: id, to: id + 1).range)
    }

    /// Where the records of notes `from..<to` lie in the NOTE section, with each one's start
    /// relative to the first; nothing is read from the section.
    func noteRecordRange(from: Int, to: Int) throws(CorruptIndex) -> (range: Range<Int>, offsets: [Int]) {
        let t = try loadNoteTable()
        guard from >= 0, from < to, to <= noteCountValue else { throw CorruptIndex(reason: "bad note id") }
        let a = u64(at: t.lowerBound + from * 8)
        let b = u64(at: t.lowerBound + to * 8)
        guard a <= b, b <= (try logicalCount(.notes)) else { throw CorruptIndex(reason: "bad note offsets") }
        var offsets: [Int] = []
        offsets.reserveCapacity(to - from)
        var previous = a
        for id in from..<to {
            let o = u64(at: t.lowerBound + id * 8)
            guard o >= previous, o <= b else { throw CorruptIndex(reason: "bad note offsets") }
            offsets.append(o - a)
            previous = o
        }
        return (a..<b, offsets)
    }

    /// Every entity's list of notes mentioning it.
    func entityNotes() throws(CorruptIndex) -> [[Int32]] {
        let n = try entityListCount()
        var lists: [[Int32]] = []
        lists.reserveCapacity(n)
        for e in 0..<n { lists.append(try notesMentioning(Int32(e))) }
        return lists
    }

    private func entityListCount() throws(CorruptIndex) -> Int {
        if let n = entityListTotal { return n }
        let r = try section(.entityNotes)
        guard r.end - r.offset >= 4 else { throw CorruptIndex(reason: "bad entity table") }
        let n = u32(at: r.offset)
        guard (n + 1) * 8 + 4 <= r.end - r.offset else { throw CorruptIndex(reason: "bad entity table") }
        entityListTotal = n
        entityNoteTable = r.offset + 4
        entityNoteEnd = r.end
        return n
    }

    /// Ids of the notes that mention entity `e`, ascending; only that entity's list is decoded.
    public func notesMentioning(_ e: Int32) throws(CorruptIndex) -> [Int32] {
        let n = try entityListCount()
        guard e >= 0, Int(e) < n else { return [] }
        let listsStart = entityNoteTable + (n + 1) * 8
        let a = listsStart + u64(at: entityNoteTable + Int(e) * 8)
        let b = listsStart + u64(at: entityNoteTable + (Int(e) + 1) * 8)
        guard a <= b, b <= entityNoteEnd else { throw CorruptIndex(reason: "bad entity table") }
        var r = BinaryReader(base, range: a..<b)
        var list: [Int32] = []
        let count = try r.count(max: b - a)
        list.reserveCapacity(count)
        var last: Int32 = -1
        for _ in 0..<count {
            last = last &+ 1 &+ (try r.int32())
            list.append(last)
        }
        return list
    }

    public func lexicon() throws(CorruptIndex) -> Lexicon {
        var r = try section(.lexicon)
        var entities: [Entity] = []
        for _ in 0..<(try r.count(max: r.end - r.offset)) {
            entities.append(Entity(name: try r.string(), type: try r.string(), aliases: try r.strings()))
        }
        var issues: [LexiconIssue] = []
        for _ in 0..<(try r.count(max: r.end - r.offset)) {
            issues.append(LexiconIssue(source: try r.string(), line: try r.int(), message: try r.string()))
        }
        return Lexicon(stored: entities, issues: issues)
    }

    public func files() throws(CorruptIndex) -> [FileEntry] {
        var r = try section(.files)
        var out: [FileEntry] = []
        let n = try r.count(max: r.end - r.offset)
        out.reserveCapacity(n)
        var previous: [UInt8] = []
        for _ in 0..<n {
            // Front-coded: the bytes shared with the path before, then the rest.
            let shared = try r.int()
            let rest = try r.int()
            guard shared >= 0, shared <= previous.count, rest >= 0, rest <= r.end - r.offset else { throw CorruptIndex(reason: "bad file table") }
            previous.removeSubrange(shared...)
            previous.append(contentsOf: UnsafeRawBufferPointer(rebasing: base[r.offset..<(r.offset + rest)]))
            r.offset += rest
            guard let path = String(validating: previous, as: UTF8.self) else { throw CorruptIndex(reason: "bad text") }
            let size = try r.sint()
            let mtime = try r.sint()
            let stat = FileStat(size: size, mtimeNs: mtime, ctimeNs: mtime &+ (try r.sint()), inode: try r.varint())
            let hash = try r.u64()
            let reason: String? = try r.u8() == 1 ? try r.string() : nil
            out.append(FileEntry(path: path, stat: stat, hash: hash, skipReason: reason, entity: try r.entity()))
        }
        return out
    }

    public func notes() throws(CorruptIndex) -> [NoteRecord] {
        if extents[.notes] != nil {
            // A delta's records lie in two files: one at a time.
            let n = try noteCount()
            var out: [NoteRecord] = []
            out.reserveCapacity(n)
            for id in 0..<n { out.append(try note(at: id)) }
            return out
        }
        guard let whole = table[.notes] else { throw CorruptIndex(reason: "missing notes") }
        try verify(.notes, 0..<whole.count)
        var r = try section(.notes)
        let n = try r.count(max: r.end - r.offset)
        var out: [NoteRecord] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try NoteRecord.decode(&r)) }
        return out
    }

    public func graph() throws(CorruptIndex) -> CoMentionGraph {
        var r = try section(.graph)
        var stats: [EntityStats] = []
        for _ in 0..<(try r.count(max: r.end - r.offset)) {
            stats.append(EntityStats(mentions: try r.int32(), notes: try r.int32()))
        }
        var edges: [CoMention] = []
        for _ in 0..<(try r.count(max: r.end - r.offset)) {
            edges.append(CoMention(a: try r.int32(), b: try r.int32(), notes: try r.int32(), sections: try r.int32(),
                blocks: try r.int32(), lines: try r.int32(), closeness: try r.int32()))
        }
        return CoMentionGraph(stats: stats, edges: edges)
    }

    // MARK: terms

    private func loadTermTable() throws(CorruptIndex) {
        if !termTable.isEmpty { return }
        var r = try section(.terms)
        termCount = Int(try r.u32())
        let start = r.offset
        guard termCount >= 0, (termCount + 1) * 12 <= r.end - start else { throw CorruptIndex(reason: "bad term table") }
        termTable = start..<r.end
    }

    private func u32(at o: Int) -> Int { Int(base.loadUnaligned(fromByteOffset: o, as: UInt32.self).littleEndian) }
    private func u64(at o: Int) -> Int { Int(base.loadUnaligned(fromByteOffset: o, as: UInt64.self).littleEndian) }

    func termBytes(_ k: Int) throws(CorruptIndex) -> UnsafeRawBufferPointer {
        let bytesStart = termTable.lowerBound + (termCount + 1) * 12
        let a = u32(at: termTable.lowerBound + k * 4)
        let b = u32(at: termTable.lowerBound + (k + 1) * 4)
        guard a <= b, bytesStart + b <= termTable.upperBound else { throw CorruptIndex(reason: "bad term table") }
        return UnsafeRawBufferPointer(rebasing: base[(bytesStart + a)..<(bytesStart + b)])
    }

    /// Number of distinct terms.
    public func termTotal() throws(CorruptIndex) -> Int {
        try loadTermTable()
        return termCount
    }

    /// The term at dictionary position `k` (sorted by UTF-8 bytes).
    public func term(at k: Int) throws(CorruptIndex) -> String {
        try loadTermTable()
        return String(decoding: try termBytes(k), as: UTF8.self)
    }

    /// Dictionary position of `term`, if present.
    public func find(_ term: String) throws(CorruptIndex) -> Int? {
        try loadTermTable()
        let key = Array(term.utf8)
        var lo = 0
        var hi = termCount
        while lo < hi {
            let mid = (lo + hi) / 2
            let t = try termBytes(mid)
            if t.lexicographicallyPrecedes(key) { lo = mid + 1 } else { hi = mid }
        }
        if lo < termCount, try termBytes(lo).elementsEqual(key) { return lo }
        return nil
    }

    /// Positions `lo..<hi` of the terms that start with `prefix`.
    public func range(prefix: String) throws(CorruptIndex) -> Range<Int> {
        try loadTermTable()
        let key = Array(prefix.utf8)
        var lo = 0
        var hi = termCount
        while lo < hi {
            let mid = (lo + hi) / 2
            if try termBytes(mid).lexicographicallyPrecedes(key) { lo = mid + 1 } else { hi = mid }
        }
        var end = lo
        while end < termCount, try termBytes(end).starts(with: key) { end += 1 }
        return lo..<end
    }

    /// The postings of the term at dictionary position `k`, checked against its blocks' checksums.
    public func postings(at k: Int, noteCount: Int) throws(CorruptIndex) -> Postings {
        let bytes = try postingBytes(at: k)
        var r = BinaryReader(bytes, range: 0..<bytes.count)
        return try Postings.decode(&r, noteCount: noteCount)
    }

    /// The encoded list of the term at dictionary position `k` (count, then entries), checked.
    func postingBytes(at k: Int) throws(CorruptIndex) -> UnsafeRawBufferPointer {
        try logical(.postings, try postingRange(at: k))
    }

    /// Where the list of the term at dictionary position `k` lies in the POST section.
    func postingRange(at k: Int) throws(CorruptIndex) -> Range<Int> {
        try loadTermTable()
        guard k >= 0, k < termCount else { throw CorruptIndex(reason: "missing postings") }
        let offsets = termTable.lowerBound + (termCount + 1) * 4
        let a = u64(at: offsets + k * 8)
        let b = u64(at: offsets + (k + 1) * 8)
        guard a <= b, b <= (try logicalCount(.postings)) else { throw CorruptIndex(reason: "bad posting offsets") }
        return a..<b
    }

    /// Size of the postings section.
    func postingsByteCount() throws(CorruptIndex) -> Int { try logicalCount(.postings) }

    /// The first term whose list starts at or after byte `offset` of the postings.
    func termIndex(atPostingOffset offset: Int) throws(CorruptIndex) -> Int {
        try loadTermTable()
        let offsets = termTable.lowerBound + (termCount + 1) * 4
        var lo = 0
        var hi = termCount
        while lo < hi {
            let mid = (lo + hi) / 2
            if u64(at: offsets + mid * 8) < offset { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Checks every block of the postings, so that later reads from several threads only read.
    func verifyAllPostings() throws(CorruptIndex) {
        try loadTermTable()
        guard let post = table[.postings] else { throw CorruptIndex(reason: "missing postings") }
        if let baseFile {
            try baseFile.verifyAllPostings()
        }
        if post.isEmpty { return }
        try verify(.postings, 0..<1)  // loads the block checksums
        let block = IndexSnapshot.postingBlock
        let list = checks[.postings] ?? []
        let blocks = (post.count + block - 1) / block
        guard list.count >= blocks else { throw CorruptIndex(reason: "postings checksum mismatch") }
        // All blocks at once, on all cores.
        let shared = UncheckedSendable(base)
        let sums: [UInt64] = parallelMap(Array(0..<blocks), minimum: 64) { b in
            let start = post.lowerBound + b * block
            return Checksum.of(UnsafeRawBufferPointer(rebasing: shared.value[start..<min(post.upperBound, start + block)]))
        }
        guard sums == Array(list.prefix(blocks)) else { throw CorruptIndex(reason: "postings checksum mismatch") }
        verified[.postings] = Set(0..<blocks)
    }

    /// Every term's postings (for an update that rewrites the index).
    public func allPostings(noteCount: Int) throws(CorruptIndex) -> [String: Postings] {
        try loadTermTable()
        var out: [String: Postings] = [:]
        out.reserveCapacity(termCount)
        for k in 0..<termCount { out[try term(at: k)] = try postings(at: k, noteCount: noteCount) }
        return out
    }

    /// The whole snapshot.
    public func snapshot() throws(CorruptIndex) -> IndexSnapshot {
        let m = try meta()
        let notes = try notes()
        guard notes.count == m.notes else { throw CorruptIndex(reason: "note count mismatch") }
        return IndexSnapshot(lexiconFingerprint: m.fingerprint, lexicon: try lexicon(), notes: notes, files: try files(),
            postings: try allPostings(noteCount: notes.count), graph: try graph())
    }
}
