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
    /// byte length of its positions and the positions as gaps (see `PostingLists`), then the
    /// samples of a long list (`ListSkips`).
    func encode(into out: inout [UInt8]) {
        VarInt.append(UInt64(notes.count), to: &out)
        let entriesStart = out.count
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
        var skips = ListSkips.Builder(count: notes.count)
        if out.withUnsafeBytes({ skips.add(UnsafeRawBufferPointer(rebasing: $0[entriesStart...])) }), let trailer = skips.trailer() {
            out += trailer
        }
    }
}
