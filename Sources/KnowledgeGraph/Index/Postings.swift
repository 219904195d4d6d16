/// The notes a term occurs in, with its positions in each: note ids ascending.
public struct Postings: Sendable, Equatable {
    public var notes: [Int32] = []
    /// `positions[offsets[k]..<offsets[k+1]]` are the positions in `notes[k]`.
    public var offsets: [Int32] = [0]
    public var positions: [Int32] = []

    public init() {}

    mutating func append(note: Int32, positions p: [Int32]) {
        notes.append(note)
        positions.append(contentsOf: p)
        offsets.append(Int32(positions.count))
    }

    func positions(at k: Int) -> ArraySlice<Int32> {
        positions[Int(offsets[k])..<Int(offsets[k + 1])]
    }

    /// The on-disk list: note count, then per note the gap from the previous note id, the
    /// byte length of its positions and the positions as gaps (see `PostingLists`).
    func encode(into out: inout [UInt8]) {
        VarInt.append(UInt64(notes.count), to: &out)
        var lastNote: Int32 = -1
        var scratch: [UInt8] = []
        for k in notes.indices {
            VarInt.append(UInt64(UInt32(bitPattern: notes[k] - lastNote - 1)), to: &out)
            lastNote = notes[k]
            scratch.removeAll(keepingCapacity: true)
            var last: Int32 = -1
            for x in positions(at: k) {
                VarInt.append(UInt64(UInt32(bitPattern: x - last - 1)), to: &scratch)
                last = x
            }
            VarInt.append(UInt64(scratch.count), to: &out)
            out.append(contentsOf: scratch)
        }
    }

    static func decode(_ r: inout BinaryReader, noteCount: Int) throws(CorruptIndex) -> Postings {
        var out = Postings()
        let n = try r.count(max: noteCount)
        out.notes.reserveCapacity(n)
        out.offsets.reserveCapacity(n + 1)
        var lastNote: Int32 = -1
        for _ in 0..<n {
            let note = lastNote &+ 1 &+ (try r.int32())
            guard note > lastNote, Int(note) < noteCount else { throw CorruptIndex(reason: "bad posting") }
            lastNote = note
            let length = try r.count(max: r.end - r.offset)
            let end = r.offset + length
            var last: Int32 = -1
            var inner = BinaryReader(r.base, range: r.offset..<end)
            while !inner.atEnd {
                let p = last &+ 1 &+ (try inner.int32())
                guard p > last else { throw CorruptIndex(reason: "bad position") }
                out.positions.append(p)
                last = p
            }
            r.offset = end
            out.notes.append(note)
            out.offsets.append(Int32(out.positions.count))
        }
        return out
    }
}
