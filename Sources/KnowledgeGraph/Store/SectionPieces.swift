/// The NOTE or POST section of an index file being written, as it will read: new bytes, and
/// ranges of the previous index's section that stay as they were. Written whole, the kept
/// ranges are copied from the previous file; written as a delta, they are referred to.
struct SectionPieces {
    /// The new bytes, one piece after another. Append to it to add a new piece.
    var bytes: [UInt8] = []
    /// Closed pieces, in section order.
    private var closed: [Piece] = []
    /// Start in `bytes` of the new piece still open.
    private var openStart = 0
    private(set) var keptCount = 0

    init(bytes: [UInt8] = []) { self.bytes = bytes }

    /// `length` bytes at `start`: of the previous section if `kept`, else of `bytes`.
    struct Piece: Equatable {
        var kept: Bool
        var start: Int
        var length: Int
    }

    /// The section's size so far.
    var count: Int { keptCount + bytes.count }

    /// Whether every byte is new (nothing refers to a previous file).
    var isNew: Bool { keptCount == 0 }

    /// Adds bytes `range` of the previous section, as they are.
    mutating func keep(_ range: Range<Int>) {
        guard !range.isEmpty else { return }
        closeNew()
        if let last = closed.last, last.kept, last.start + last.length == range.lowerBound {
            closed[closed.count - 1].length += range.count
        } else {
            closed.append(Piece(kept: true, start: range.lowerBound, length: range.count))
        }
        keptCount += range.count
    }

    private mutating func closeNew() {
        if bytes.count > openStart {
            closed.append(Piece(kept: false, start: openStart, length: bytes.count - openStart))
            openStart = bytes.count
        }
    }

    /// Every piece, in section order.
    var pieces: [Piece] {
        var all = closed
        if bytes.count > openStart { all.append(Piece(kept: false, start: openStart, length: bytes.count - openStart)) }
        return all
    }

    /// Appends the pieces of `other` after these.
    mutating func append(_ other: SectionPieces) {
        closeNew()
        let shift = bytes.count
        bytes.append(contentsOf: other.bytes)
        openStart = bytes.count
        for p in other.pieces {
            if p.kept {
                keep(p.start..<(p.start + p.length))
            } else {
                closed.append(Piece(kept: false, start: shift + p.start, length: p.length))
            }
        }
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
                    guard let previous else { throw CorruptIndex(reason: "no previous index to keep bytes of") }
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
