#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A name as a dictionary key, hashed and compared by its UTF-8 bytes: discovery's keys and
/// spellings are normalized already (NFC), and hashing a `String` normalizes it again.
struct NameKey: Hashable, Sendable {
    let string: String

    init(_ string: String) { self.string = string }

    // The bytes are read where they lie (a native string's are contiguous): no copy of the
    // string is made and retained for each hash and comparison.
    func hash(into hasher: inout Hasher) {
        let done: Void? = string.utf8.withContiguousStorageIfAvailable { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        if done == nil {
            var s = string
            s.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        }
    }

    static func == (a: NameKey, b: NameKey) -> Bool {
        if let equal = a.string.utf8.withContiguousStorageIfAvailable({ p in
            b.string.utf8.withContiguousStorageIfAvailable { q in
                p.count == q.count && (p.isEmpty || memcmp(p.baseAddress!, q.baseAddress!, p.count) == 0)
            }
        }), let equal {
            return equal
        }
        return a.string.utf8.elementsEqual(b.string.utf8)
    }

    /// Byte order (also scalar order).
    func precedes(_ other: NameKey) -> Bool { string.utf8.bytesPrecede(other.string.utf8) }

    /// The first 16 bytes as two big-endian numbers (zeros past the end): keys whose prefixes
    /// differ sort as these numbers do, without comparing strings.
    var prefix: (UInt64, UInt64) {
        var s = string
        return s.withUTF8 { p in
            var (hi, lo): (UInt64, UInt64) = (0, 0)
            for k in 0..<16 {
                let b = k < p.count ? UInt64(p[k]) : 0
                if k < 8 { hi = hi << 8 | b } else { lo = lo << 8 | b }
            }
            return (hi, lo)
        }
    }

    /// The positions of `keys` in byte order of the keys, most told apart by their prefixes
    /// alone (a vault has a hundred thousand candidates: comparing strings would take most of
    /// the time).
    static func order(_ keys: [NameKey]) -> [Int] {
        let prefixes = keys.map(\.prefix)
        var order = Array(keys.indices)
        keys.withUnsafeBufferPointer { k in
            prefixes.withUnsafeBufferPointer { p in
                order.sort { a, b in p[a] != p[b] ? p[a] < p[b] : k[a].precedes(k[b]) }
            }
        }
        return order
    }
}

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
        var surfaces: [NameKey: Int32] = [:]

        func notes(_ s: Signal) -> Int32 { signalNotes[s.rawValue] }
        func has(_ s: Signal) -> Bool { signalNotes[s.rawValue] > 0 }
        /// The signals seen anywhere, as bits.
        var signals: UInt32 { signalNotes.indices.reduce(0) { signalNotes[$1] > 0 ? $0 | (1 << UInt32($1)) : $0 } }
    }

    var entries: [NameKey: Entry] = [:]

    /// The entry of a match key.
    subscript(_ key: String) -> Entry? { entries[NameKey(key)] }

    /// Adds (`sign` 1) or takes away (-1) one note's candidates.
    mutating func add(_ candidates: [NoteCandidate], sign: Int32) {
        for c in candidates {
            // In place: a copy of the entry would copy its arrays on every change.
            let key = NameKey(c.key)
            let gone = Self.update(&entries[key, default: Entry()]) { e in
                e.notes += sign
                e.count += sign * c.count
                var bits = c.signals
                while bits != 0 {
                    let b = bits.trailingZeroBitCount
                    e.signalNotes[b] += sign
                    bits &= bits - 1
                }
                for (s, n) in zip(c.surfaces, c.surfaceCounts) {
                    let k = NameKey(s)
                    let v = (e.surfaces[k] ?? 0) + sign * n
                    e.surfaces[k] = v == 0 ? nil : v
                }
            }
            if gone { entries[key] = nil }
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

    /// The DISC section: the header (`DiscoveryTable`), then the entries sorted by key.
    /// `entries`: what `encode` writes (encoded while the decision is made).
    static func section(inputs: UInt64, decided: [(key: String, found: DiscoveredName)], entries: [UInt8]) -> [UInt8] {
        var w = BinaryWriter()
        DiscoveryTable.writeHeader(&w, inputs: inputs, decided: decided)
        w.bytes += entries
        return w.bytes
    }

    /// Sorted by key: key, notes, count, signal counts (a mask, then the nonzero counts),
    /// spellings with counts (sorted).
    func encode(into w: inout BinaryWriter) {
        let items = Array(entries)
        w.int(items.count)
        for i in NameKey.order(items.map(\.key)) { Self.encodeEntry(items[i].key, items[i].value, into: &w) }
    }

    static func encodeEntry(_ k: NameKey, _ e: Entry, into w: inout BinaryWriter) {
        w.string(k.string)
        w.int32(e.notes)
        w.int32(e.count)
        w.u32(e.signals)
        for n in e.signalNotes where n != 0 { w.int32(n) }
        w.int(e.surfaces.count)
        if e.surfaces.count == 1, let (s, n) = e.surfaces.first {
            w.string(s.string)
            w.int32(n)
        } else {
            for (s, n) in e.surfaces.sorted(by: { $0.key.precedes($1.key) }) {
                w.string(s.string)
                w.int32(n)
            }
        }
    }

    /// The entries (after the section's header).
    static func decode(_ r: inout BinaryReader) throws(CorruptIndex) -> DiscoveryStats {
        var out = DiscoveryStats()
        let n = try r.count(max: r.end - r.offset)
        out.entries.reserveCapacity(n)
        for _ in 0..<n {
            let (key, e) = try decodeEntry(&r)
            out.entries[key] = e
        }
        return out
    }

    static func decodeEntry(_ r: inout BinaryReader) throws(CorruptIndex) -> (NameKey, Entry) {
        let key = NameKey(try r.string())
        var e = Entry()
        e.notes = try r.int32()
        e.count = try r.int32()
        let mask = try r.u32()
        for b in 0..<32 where mask & (1 << UInt32(b)) != 0 { e.signalNotes[b] = try r.int32() }
        for _ in 0..<(try r.count(max: r.end - r.offset)) {
            let s = NameKey(try r.string())
            e.surfaces[s] = try r.int32()
        }
        return (key, e)
    }
}
