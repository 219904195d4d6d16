#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Dispatch

/// Writes an index file section by section as the parts become ready, and its header last.
/// The sections must be added in file order.
final class IndexFileWriter: @unchecked Sendable {
    private let file: DurableFile.Writer
    private var table: [(Section, UInt64, UInt64)] = []
    private var offset = IndexFormat.headerSize

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
        let block = IndexFormat.block
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
        add(data, new: [bytes])
    }

    /// Writes a NOTE or POST section of new bytes only, made of `parts` one after another.
    func add(_ data: Section, new parts: [[UInt8]]) {
        // The parts' bytes stay where they lie while the section is written.
        func lay(_ k: Int, _ layout: inout Layout) {
            guard k < parts.count else { return add(data, layout, delta: false) }
            parts[k].withUnsafeBytes { raw in
                layout.add(own: raw)
                lay(k + 1, &layout)
            }
        }
        var layout = Layout()
        lay(0, &layout)
    }

    /// Drops what was written; the old index stays.
    func abandon() { file.abandon() }

    /// The inode of the file being written (the index, once committed).
    var inode: UInt64 { file.inode }

    /// Writes the header and puts the file in place.
    func commit() throws(KGError) {
        precondition(table.count == Section.allCases.count, "an index file needs every section")
        IndexParts.header(table).withUnsafeBytes { file.write($0, at: 0) }
        try file.commit()
    }
}

extension IndexFileWriter {
    /// Where the bytes of a NOTE or POST section being written are stored: the parts this file
    /// holds itself, and the extents (as `IndexReader.Extent` without logical offsets) that
    /// map the whole section onto this file and the base.
    struct Layout {
        var own: [UnsafeRawBufferPointer] = []
        var ownCount = 0
        var extents: [(inBase: Bool, physical: Int, length: Int)] = []

        mutating func add(own bytes: UnsafeRawBufferPointer) {
            guard !bytes.isEmpty else { return }
            own.append(bytes)
            extend(inBase: false, physical: ownCount, length: bytes.count)
            ownCount += bytes.count
        }

        mutating func extend(inBase: Bool, physical: Int, length: Int) {
            if let last = extents.last, last.inBase == inBase, last.physical + last.length == physical {
                extents[extents.count - 1].length += length
            } else {
                extents.append((inBase, physical, length))
            }
        }

        /// The extents section of a delta.
        func encoded() -> [UInt8] {
            var w = BinaryWriter()
            w.int(extents.count)
            for e in extents {
                w.u8(e.inBase ? 1 : 0)
                w.int(e.physical)
                w.int(e.length)
            }
            return w.bytes
        }
    }

    /// Lays out `pieces` of section `s`: whole, every kept piece is copied from `previous`; as
    /// a delta, kept pieces stored in the base (or in a whole `previous`, which becomes the
    /// base) are referred to, and only those a delta `previous` stores itself are copied.
    /// Calls `body` with the layout while the bytes it points to are valid.
    static func layout<T>(_ s: Section, _ pieces: SectionPieces, previous: IndexReader?, delta: Bool,
        _ body: (Layout) throws(CorruptIndex) -> T) throws(CorruptIndex) -> T
    {
        let result: Result<T, CorruptIndex> = pieces.bytes.withUnsafeBytes { new in
            do throws(CorruptIndex) {
                var layout = Layout()
                for p in pieces.pieces {
                    let range = p.start..<(p.start + p.length)
                    guard p.kept else {
                        layout.add(own: UnsafeRawBufferPointer(rebasing: new[range]))
                        continue
                    }
                    guard let previous = previous?.file else { throw CorruptIndex(reason: "no previous index to keep bytes of") }
                    for part in try previous.stored(s, range) {
                        if delta && (part.inBase || !previous.isDelta) {
                            layout.extend(inBase: true, physical: part.physical.lowerBound, length: part.physical.count)
                        } else {
                            layout.add(own: try previous.physicalBytes(s, inBase: part.inBase, part.physical))
                        }
                    }
                }
                return .success(try body(layout))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}
