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

    func encode(into w: inout BinaryWriter) {
        w.int(notes.count)
        var lastNote: Int32 = -1
        for k in notes.indices {
            w.int32(notes[k] - lastNote - 1)
            lastNote = notes[k]
            let p = positions(at: k)
            w.int(p.count)
            var last: Int32 = -1
            for x in p {
                w.int32(x - last - 1)
                last = x
            }
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
            let c = try r.count(max: r.end - r.offset)
            var last: Int32 = -1
            for _ in 0..<c {
                let p = last &+ 1 &+ (try r.int32())
                guard p > last else { throw CorruptIndex(reason: "bad position") }
                out.positions.append(p)
                last = p
            }
            out.notes.append(note)
            out.offsets.append(Int32(out.positions.count))
        }
        return out
    }
}
