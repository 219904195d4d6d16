/// The vault's discovery statistics: for each candidate key, sums over the notes of what
/// each contributes (`NoteCandidate`), so that an update subtracts a changed note's old
/// contribution and adds its new one, and gets what a rebuild sums.
struct DiscoveryStats: Equatable, Sendable {
    struct Entry: Equatable, Sendable {
        /// Notes that have the candidate, and its occurrences in them.
        var notes: Int32 = 0
        var count: Int32 = 0
        /// For each signal bit, the notes that showed it.
        var signalNotes = [Int32](repeating: 0, count: 32)
        /// Spellings with their occurrences.
        var surfaces: [String: Int32] = [:]

        func notes(_ s: Signal) -> Int32 { signalNotes[s.rawValue] }
        func has(_ s: Signal) -> Bool { signalNotes[s.rawValue] > 0 }
        /// The signals seen anywhere, as bits.
        var signals: UInt32 { signalNotes.indices.reduce(0) { signalNotes[$1] > 0 ? $0 | (1 << UInt32($1)) : $0 } }
    }

    var entries: [String: Entry] = [:]

    /// Adds (`sign` 1) or takes away (-1) one note's candidates.
    mutating func add(_ candidates: [NoteCandidate], sign: Int32) {
        for c in candidates {
            // In place: a copy of the entry would copy its arrays on every change.
            let gone = Self.update(&entries[c.key, default: Entry()]) { e in
                e.notes += sign
                e.count += sign * c.count
                var bits = c.signals
                while bits != 0 {
                    let b = bits.trailingZeroBitCount
                    e.signalNotes[b] += sign
                    bits &= bits - 1
                }
                for (s, n) in zip(c.surfaces, c.surfaceCounts) {
                    let v = (e.surfaces[s] ?? 0) + sign * n
                    e.surfaces[s] = v == 0 ? nil : v
                }
            }
            if gone { entries[c.key] = nil }
        }
    }

    /// Adds another part of the vault's statistics (summed from other notes).
    mutating func merge(_ other: DiscoveryStats) {
        if entries.isEmpty {
            entries = other.entries
            return
        }
        for (key, o) in other.entries {
            let gone = Self.update(&entries[key, default: Entry()]) { e in
                e.notes += o.notes
                e.count += o.count
                for b in 0..<32 { e.signalNotes[b] += o.signalNotes[b] }
                for (s, n) in o.surfaces {
                    let v = (e.surfaces[s] ?? 0) + n
                    e.surfaces[s] = v == 0 ? nil : v
                }
            }
            if gone { entries[key] = nil }
        }
    }

    /// Changes an entry; whether it no longer has any note.
    private static func update(_ e: inout Entry, _ change: (inout Entry) -> Void) -> Bool {
        change(&e)
        return e.notes <= 0
    }

    /// Sorted by key: key, notes, count, signal counts (a mask, then the nonzero counts),
    /// spellings with counts (sorted).
    /// The DISC section: the candidate rules' version, then the entries.
    func section() -> [UInt8] {
        var w = BinaryWriter()
        w.u8(CandidateExtractor.version)
        encode(into: &w)
        return w.bytes
    }

    func encode(into w: inout BinaryWriter) {
        let keys = entries.keys.sorted { $0.utf8.bytesPrecede($1.utf8) }
        w.int(keys.count)
        for k in keys {
            guard let e = entries[k] else { continue }
            w.string(k)
            w.int32(e.notes)
            w.int32(e.count)
            w.u32(e.signals)
            for n in e.signalNotes where n != 0 { w.int32(n) }
            let surfaces = e.surfaces.keys.sorted { $0.utf8.bytesPrecede($1.utf8) }
            w.int(surfaces.count)
            for s in surfaces {
                w.string(s)
                w.int32(e.surfaces[s] ?? 0)
            }
        }
    }

    static func decode(_ r: inout BinaryReader) throws(CorruptIndex) -> DiscoveryStats {
        var out = DiscoveryStats()
        let n = try r.count(max: r.end - r.offset)
        out.entries.reserveCapacity(n)
        for _ in 0..<n {
            let key = try r.string()
            var e = Entry()
            e.notes = try r.int32()
            e.count = try r.int32()
            let mask = try r.u32()
            for b in 0..<32 where mask & (1 << UInt32(b)) != 0 { e.signalNotes[b] = try r.int32() }
            for _ in 0..<(try r.count(max: r.end - r.offset)) {
                let s = try r.string()
                e.surfaces[s] = try r.int32()
            }
            out.entries[key] = e
        }
        return out
    }
}
