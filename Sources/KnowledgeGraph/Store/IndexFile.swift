#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An index file mapped into memory, at the level of bytes: the header and its section table,
/// checksums (whole sections, or blocks of NOTE and POST checked once each as they are read),
/// and, for a delta, the extents that map NOTE and POST onto this file and its base.
///
/// A file written by an update may be a delta: its note records and postings are then
/// extents, each either in this file or in the base file `<index>.base`, a whole index the
/// delta names by its header checksum and size. Offsets into NOTE and POST are logical (as a
/// whole file would hold the section); the extents map them to the two files. What the
/// sections mean is `IndexReader`'s concern.
final class IndexFile: @unchecked Sendable {
    private let bytes: UnsafeRawBufferPointer
    private let mapped: UnsafeMutableRawPointer?
    private let mappedLength: Int
    /// Where each section lies, and its checksum (0 for block-checked sections); set at open.
    private var table = SectionMap<Range<Int>>()
    private var checksums = SectionMap<UInt64>()
    /// Size of this file (for a delta, without its base).
    let byteCount: Int
    /// The file's inode (0 in memory).
    let inode: UInt64
    /// The header's checksum: with `byteCount`, what a delta names its base by.
    private(set) var headerChecksum: UInt64 = 0
    /// For a delta: the base file, and the extents of its NOTE and POST sections.
    private(set) var base: IndexFile?
    private var extents = SectionMap<[Extent]>()
    private var logicalCounts = SectionMap<Int>()
    /// What is learned while reading: block checksums loaded, blocks verified, and lists of a
    /// delta gathered from several extents into one buffer each. Shared by threads.
    private let state = Locked(State())

    private struct State {
        var checks = SectionMap<[UInt64]>()
        var verified = SectionMap<[Bool]>()
        /// The sections other than NOTE and POST whose checksum held (each checked once).
        var sectionsChecked = SectionMap<Bool>()
        /// Keyed by section and range: a list's head and the whole list are two buffers.
        var gathered: [GatherKey: UnsafeMutableRawBufferPointer] = [:]
    }

    struct GatherKey: Hashable {
        var notes: Bool
        var start: Int
        var count: Int
    }

    /// Part of a delta's NOTE or POST section: `length` bytes at `logical` in the section,
    /// stored at `physical` in the same section of the base file or of this one.
    struct Extent {
        var logical: Int
        var inBase: Bool
        var physical: Int
        var length: Int
    }

    /// Size on disk, with the base file of a delta.
    var totalByteCount: Int { byteCount + (base?.byteCount ?? 0) }
    var isDelta: Bool { base != nil }
    /// Number of extents of a delta's notes and postings.
    var extentCount: Int { extents.present.reduce(0) { $0 + $1.count } }

    static let baseMismatch = "its base file (index.base) is missing or is not the one it was written over"

    /// Maps and checks the header of the index at `path`, and its base if it is a delta; nil
    /// if there is no file. A base among `bases` that is still the file on disk (its inode
    /// and size) is shared, with the blocks it has checked, instead of mapped again.
    init?(path: String, bases: [IndexFile] = []) throws(CorruptIndex) {
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
        inode = UInt64(st.st_ino)
        if size <= 0 { throw CorruptIndex(reason: "empty file") }
        guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
            throw CorruptIndex(reason: "cannot be mapped")
        }
        mapped = p
        mappedLength = size
        bytes = UnsafeRawBufferPointer(start: p, count: size)
        try readHeader()
        if let (sum, baseSize) = try baseIdentity() {
            var onDisk = stat()
            let known = !bases.isEmpty && stat(path + ".base", &onDisk) == 0
                ? bases.first { $0.inode == UInt64(onDisk.st_ino) && $0.byteCount == Int(onDisk.st_size) && $0.inode != 0 } : nil
            guard let b = known ?? (try? IndexFile(path: path + ".base")), b.base == nil, b.headerChecksum == sum, b.byteCount == baseSize
            else { throw CorruptIndex(reason: IndexFile.baseMismatch) }
            base = b
            try readExtents()
        }
    }

    /// An index file held in memory (tests).
    init(bytes source: [UInt8]) throws(CorruptIndex) {
        let p = UnsafeMutableRawPointer.allocate(byteCount: max(source.count, 1), alignment: 8)
        source.withUnsafeBytes { if let b = $0.baseAddress { p.copyMemory(from: b, byteCount: source.count) } }
        mapped = nil
        mappedLength = 0
        inode = 0
        bytes = UnsafeRawBufferPointer(start: p, count: source.count)
        byteCount = source.count
        try readHeader()
    }

    deinit {
        state.withLock { for (_, buffer) in $0.gathered { buffer.deallocate() } }
        if let m = mapped {
            munmap(m, mappedLength)
        } else {
            bytes.baseAddress.map { UnsafeMutableRawPointer(mutating: $0).deallocate() }
        }
    }

    private func readHeader() throws(CorruptIndex) {
        let magic = IndexFormat.magic
        guard bytes.count >= magic.count + 8, zip(bytes.prefix(magic.count), magic).allSatisfy({ $0 == $1 }) else {
            throw CorruptIndex(reason: "not a kg index")
        }
        var r = BinaryReader(bytes, range: magic.count..<bytes.count)
        let version = try r.u32()
        guard version == IndexFormat.version else {
            throw CorruptIndex(reason: "index format \(version), this kg reads format \(IndexFormat.version)")
        }
        let count = Int(try r.u32())
        guard count == Section.allCases.count else { throw CorruptIndex(reason: "bad section table") }
        for _ in 0..<count {
            let tag = try r.u32()
            let offset = try r.u64()
            let length = try r.u64()
            let sum = try r.u64()
            guard let section = Section(rawValue: tag), offset <= UInt64(bytes.count), length <= UInt64(bytes.count) - offset
            else { throw CorruptIndex(reason: "bad section table") }
            table[section] = Int(offset)..<Int(offset + length)
            checksums[section] = sum
        }
        let headerEnd = r.offset
        let stored = try r.u64()
        guard Checksum.of(UnsafeRawBufferPointer(rebasing: bytes[0..<headerEnd])) == stored else {
            throw CorruptIndex(reason: "header checksum mismatch")
        }
        headerChecksum = stored
        guard table.count == Section.allCases.count, let last = table[.postings], last.upperBound == bytes.count else {
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
    private func readExtents() throws(CorruptIndex) {
        guard let base else { return }
        for s in [Section.notes, .postings] {
            var r = try section(s.extents)
            var list: [Extent] = []
            var logical = 0
            let n = try r.count(max: r.end - r.offset)
            list.reserveCapacity(n)
            for _ in 0..<n {
                let inBase = try r.u8() == 1
                let physical = try r.int()
                let length = try r.int()
                let limit = inBase ? try base.logicalCount(s) : (table[s]?.count ?? 0)
                guard length > 0, physical <= limit, length <= limit - physical else { throw CorruptIndex(reason: "bad extents") }
                list.append(Extent(logical: logical, inBase: inBase, physical: physical, length: length))
                logical += length
            }
            extents[s] = list
            logicalCounts[s] = logical
        }
    }

    /// A section other than NOTE and POST, checked whole, to be read with a `BinaryReader`.
    func section(_ s: Section) throws(CorruptIndex) -> BinaryReader {
        guard let range = table[s] else { throw CorruptIndex(reason: "missing section") }
        if !s.isBlockChecked && state.withLock({ $0.sectionsChecked[s] }) == nil {
            guard Checksum.of(UnsafeRawBufferPointer(rebasing: bytes[range])) == checksums[s] else {
                throw CorruptIndex(reason: "checksum mismatch")
            }
            state.withLock { $0.sectionsChecked[s] = true }
        }
        return BinaryReader(bytes, range: range)
    }

    /// Bytes `range` (relative to the section) of FILE, the one section besides NOTE and POST
    /// with block checks (FCHK), checked by the blocks that cover them rather than whole: a
    /// query that shows a few paths reads them alone.
    func part(_ s: Section, _ range: Range<Int>) throws(CorruptIndex) -> UnsafeRawBufferPointer {
        guard let whole = table[s], range.lowerBound >= 0, range.upperBound <= whole.count else { throw CorruptIndex(reason: "bad offsets") }
        if state.withLock({ $0.sectionsChecked[s] }) == nil { try verify(s, range) }
        return UnsafeRawBufferPointer(rebasing: bytes[(whole.lowerBound + range.lowerBound)..<(whole.lowerBound + range.upperBound)])
    }

    /// Size of a section in this file.
    func size(_ s: Section) -> Int { table[s]?.count ?? 0 }

    /// The checked bytes of a section other than NOTE and POST.
    func sectionBytes(_ s: Section) throws(CorruptIndex) -> UnsafeRawBufferPointer {
        let r = try section(s)
        return UnsafeRawBufferPointer(rebasing: bytes[r.offset..<r.end])
    }

    /// Size of the NOTE or POST section as a whole file holds it.
    func logicalCount(_ s: Section) throws(CorruptIndex) -> Int {
        if let n = logicalCounts[s] { return n }
        guard let whole = table[s] else { throw CorruptIndex(reason: "missing section") }
        return whole.count
    }

    /// Bytes `range` of the NOTE or POST section (logical offsets), checked. A record lies in
    /// one extent; a posting list may lie in several, and is then gathered once.
    func logical(_ s: Section, _ range: Range<Int>, checked: Bool = false) throws(CorruptIndex) -> UnsafeRawBufferPointer {
        guard range.lowerBound >= 0 else { throw CorruptIndex(reason: "bad offsets") }
        guard let list = extents[s] else { return try own(s, range, checked: checked) }
        if range.isEmpty { return UnsafeRawBufferPointer(rebasing: bytes[0..<0]) }
        let k = extentIndex(list, range.lowerBound)
        guard k < list.count else { throw CorruptIndex(reason: "bad extents") }
        if range.upperBound <= list[k].logical + list[k].length {
            let start = list[k].physical + range.lowerBound - list[k].logical
            return try physicalBytes(s, inBase: list[k].inBase, start..<(start + range.count), checked: checked)
        }
        // A list an update changed in the middle: its parts, gathered once.
        let key = GatherKey(notes: s == .notes, start: range.lowerBound, count: range.count)
        if let done = state.withLock({ $0.gathered[key] }) { return UnsafeRawBufferPointer(done) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: range.count, alignment: 8)
        var at = 0
        do throws(CorruptIndex) {
            for part in try stored(s, range) {
                let piece = try physicalBytes(s, inBase: part.inBase, part.physical)
                guard at + piece.count <= range.count else { throw CorruptIndex(reason: "bad extents") }
                UnsafeMutableRawBufferPointer(rebasing: buffer[at..<(at + piece.count)]).copyMemory(from: piece)
                at += piece.count
            }
        } catch {
            buffer.deallocate()
            throw error
        }
        return UnsafeRawBufferPointer(state.withLock { state in
            if let done = state.gathered[key] {
                buffer.deallocate()
                return done
            }
            state.gathered[key] = buffer
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
    func physicalBytes(_ s: Section, inBase: Bool, _ range: Range<Int>, checked: Bool = false) throws(CorruptIndex) -> UnsafeRawBufferPointer {
        if inBase {
            guard let base else { throw CorruptIndex(reason: "bad extents") }
            return try base.logical(s, range, checked: checked)
        }
        return try own(s, range, checked: checked)
    }

    /// Bytes `range` of this file's own NOTE or POST section, their blocks checked (unless
    /// the caller knows every block is: `isChecked`).
    private func own(_ s: Section, _ range: Range<Int>, checked: Bool = false) throws(CorruptIndex) -> UnsafeRawBufferPointer {
        guard let whole = table[s], range.lowerBound >= 0, range.upperBound <= whole.count else {
            throw CorruptIndex(reason: "bad offsets")
        }
        if !checked { try verify(s, range) }
        return UnsafeRawBufferPointer(rebasing: bytes[(whole.lowerBound + range.lowerBound)..<(whole.lowerBound + range.upperBound)])
    }

    /// The block checksums of NOTE or POST, loaded once.
    private func blockChecks(_ s: Section) throws(CorruptIndex) -> [UInt64] {
        if let list = state.withLock({ $0.checks[s] }) { return list }
        var c = try section(s.checks)
        var list: [UInt64] = []
        list.reserveCapacity((c.end - c.offset) / 8)
        while !c.atEnd { list.append(try c.u64()) }
        let loaded = list
        state.withLock { $0.checks[s] = loaded }
        return loaded
    }

    /// Checks the blocks of this file's NOTE or POST that cover `range` (relative to the
    /// section), once each.
    private func verify(_ s: Section, _ range: Range<Int>) throws(CorruptIndex) {
        guard let whole = table[s] else { throw CorruptIndex(reason: "missing section") }
        if range.isEmpty { return }
        let block = IndexFormat.block
        let first = range.lowerBound / block
        let last = (range.upperBound - 1) / block
        let done = state.withLock { state -> Bool in
            guard let v = state.verified[s] else { return false }
            for b in first...last where b >= v.count || !v[b] { return false }
            return true
        }
        if done { return }
        let list = try blockChecks(s)
        for blk in first...last {
            let start = whole.lowerBound + blk * block
            let end = min(whole.upperBound, start + block)
            guard blk < list.count, Checksum.of(UnsafeRawBufferPointer(rebasing: bytes[start..<end])) == list[blk] else {
                throw CorruptIndex(reason: "\(s == .notes ? "notes" : s == .files ? "file table" : "postings") checksum mismatch")
            }
        }
        let blocks = (whole.count + block - 1) / block
        state.withLock { state in
            if state.verified[s] == nil { state.verified[s] = [Bool](repeating: false, count: blocks) }
            for b in first...last where b < blocks { state.verified[s]?[b] = true }
        }
    }

    /// Whether every block of NOTE or POST, in this file and its base, has been checked: a
    /// caller that reads many lists asks once and then reads them without taking the lock
    /// for each (`logical(_:_:checked:)`).
    func isChecked(_ s: Section) -> Bool {
        let blocks = ((table[s]?.count ?? 0) + IndexFormat.block - 1) / IndexFormat.block
        let mine = state.withLock { state -> Bool in
            guard let v = state.verified[s] else { return blocks == 0 }
            return v.count >= blocks && !v.contains(false)
        }
        return mine && (base?.isChecked(s) ?? true)
    }

    /// Takes this file's own sections and blocks as checked: for a file this process has just
    /// written from checked bytes, whose checksums it computed from what it wrote.
    func trustOwnBytes() {
        let blocks = { (s: Section) in ((self.table[s]?.count ?? 0) + IndexFormat.block - 1) / IndexFormat.block }
        let notes = blocks(.notes)
        let postings = blocks(.postings)
        state.withLock { state in
            for s in Section.allCases where !s.isBlockChecked { state.sectionsChecked[s] = true }
            state.verified[.notes] = [Bool](repeating: true, count: notes)
            state.verified[.postings] = [Bool](repeating: true, count: postings)
        }
    }

    /// Checks every block of this file's (and the base's) NOTE or POST, on all cores, so
    /// that later reads only read.
    func verifyAll(_ s: Section) throws(CorruptIndex) {
        try base?.verifyAll(s)
        guard let whole = table[s] else { throw CorruptIndex(reason: "missing section") }
        if whole.isEmpty { return }
        let block = IndexFormat.block
        let list = try blockChecks(s)
        let blocks = (whole.count + block - 1) / block
        guard list.count >= blocks else { throw CorruptIndex(reason: "\(s == .notes ? "notes" : "postings") checksum mismatch") }
        let shared = UncheckedSendable(bytes)
        let sums: [UInt64] = parallelMap(Array(0..<blocks), minimum: 64) { b in
            let start = whole.lowerBound + b * block
            return Checksum.of(UnsafeRawBufferPointer(rebasing: shared.value[start..<min(whole.upperBound, start + block)]))
        }
        guard sums == Array(list.prefix(blocks)) else {
            throw CorruptIndex(reason: "\(s == .notes ? "notes" : "postings") checksum mismatch")
        }
        state.withLock { $0.verified[s] = [Bool](repeating: true, count: blocks) }
    }

    /// Reads every section and checks every checksum: the header's, each small section's,
    /// and every block of NOTE and POST, in this file and in the base of a delta.
    func checkAll() throws(CorruptIndex) {
        state.withLock { $0.sectionsChecked = SectionMap() }
        for s in Section.allCases where !s.isBlockChecked { _ = try section(s) }
        // FILE's block checks agree with it (a few paths are read by them alone).
        if size(.files) > 0 { try verify(.files, 0..<size(.files)) }
        try verifyAll(.notes)
        try verifyAll(.postings)
        try base?.checkAll()
    }
}
