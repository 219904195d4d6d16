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
