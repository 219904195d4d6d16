#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The candidates of many notes summed by key, as `DiscoveryStats.add` sums them, but kept in
/// arenas: keys and spellings as UTF-8 in one byte array, the notes per signal in another, a
/// key's spellings as a chain. Summing a note makes no string and no dictionary entry; the
/// `DiscoveryStats` are made once, from the sums (`stats`).
struct CandidateSums {
    private struct Sum {
        var key: Range<Int>
        var hash: UInt64
        var notes: Int32 = 0
        var count: Int32 = 0
        /// The last spelling added (in `spellings`), -1 for none.
        var spellings: Int32 = -1
    }
    private struct Spelling {
        var text: Range<Int>
        var count: Int32
        /// The spelling added before it, -1 for none.
        var next: Int32
    }
    private var sums: [Sum] = []
    /// 32 per sum: the notes that showed each signal bit.
    private var signalNotes: [Int32] = []
    private var spellings: [Spelling] = []
    private var bytes: [UInt8] = []
    /// Open addressing over `sums` by hash, at most half full.
    private var slots = [Int32](repeating: -1, count: 1024)

    var count: Int { sums.count }

    private static func hash(_ b: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for v in b { h = (h ^ UInt64(v)) &* 0x100_0000_01b3 }
        return h
    }

    private func holds(_ range: Range<Int>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard range.count == b.count else { return false }
        if b.isEmpty { return true }
        return bytes.withUnsafeBufferPointer { memcmp($0.baseAddress! + range.lowerBound, b.baseAddress!, b.count) == 0 }
    }

    /// The index of the sum of `key`, added (empty) if it is new.
    mutating func sum(of key: UnsafeBufferPointer<UInt8>) -> Int {
        let h = CandidateSums.hash(key)
        var p = Int(truncatingIfNeeded: h >> 7) & (slots.count - 1)
        while slots[p] >= 0 {
            let k = Int(slots[p])
            if sums[k].hash == h && holds(sums[k].key, key) { return k }
            p = (p + 1) & (slots.count - 1)
        }
        let i = sums.count
        let start = bytes.count
        bytes.append(contentsOf: key)
        sums.append(Sum(key: start..<bytes.count, hash: h))
        signalNotes.append(contentsOf: repeatElement(0, count: 32))
        slots[p] = Int32(i)
        if sums.count * 2 > slots.count {
            slots = [Int32](repeating: -1, count: slots.count * 2)
            for (k, s) in sums.enumerated() {
                var q = Int(truncatingIfNeeded: s.hash >> 7) & (slots.count - 1)
                while slots[q] >= 0 { q = (q + 1) & (slots.count - 1) }
                slots[q] = Int32(k)
            }
        }
        return i
    }

    /// Adds `notes` notes with `count` occurrences and, for each of those notes, `signals`.
    mutating func add(_ i: Int, notes: Int32, count: Int32, signals: UInt32) {
        sums[i].notes += notes
        sums[i].count += count
        var bits = signals
        while bits != 0 {
            signalNotes[32 * i + bits.trailingZeroBitCount] += notes
            bits &= bits - 1
        }
    }

    /// Adds `count` occurrences of a spelling of sum `i`.
    mutating func addSpelling(_ i: Int, _ text: UnsafeBufferPointer<UInt8>, count: Int32) {
        var s = sums[i].spellings
        while s >= 0 {
            if holds(spellings[Int(s)].text, text) {
                spellings[Int(s)].count += count
                return
            }
            s = spellings[Int(s)].next
        }
        let start = bytes.count
        bytes.append(contentsOf: text)
        spellings.append(Spelling(text: start..<bytes.count, count: count, next: sums[i].spellings))
        sums[i].spellings = Int32(spellings.count - 1)
    }

    /// Adds the sums of other notes.
    mutating func merge(_ other: CandidateSums) {
        other.bytes.withUnsafeBufferPointer { b in
            for (k, o) in other.sums.enumerated() {
                let i = sum(of: UnsafeBufferPointer(rebasing: b[o.key]))
                sums[i].notes += o.notes
                sums[i].count += o.count
                for bit in 0..<32 { signalNotes[32 * i + bit] += other.signalNotes[32 * k + bit] }
                var s = o.spellings
                while s >= 0 {
                    let sp = other.spellings[Int(s)]
                    addSpelling(i, UnsafeBufferPointer(rebasing: b[sp.text]), count: sp.count)
                    s = sp.next
                }
            }
        }
    }

    /// The statistics these sums make.
    func stats() -> DiscoveryStats {
        var out = DiscoveryStats()
        out.entries.reserveCapacity(sums.count)
        func string(_ r: Range<Int>) -> String { String(decoding: bytes[r], as: UTF8.self) }
        for (i, s) in sums.enumerated() {
            var e = DiscoveryStats.Entry()
            e.notes = s.notes
            e.count = s.count
            e.signalNotes = Array(signalNotes[(32 * i)..<(32 * i + 32)])
            var k = s.spellings
            while k >= 0 {
                let sp = spellings[Int(k)]
                e.surfaces[NameKey(string(sp.text))] = sp.count
                k = sp.next
            }
            out.entries[NameKey(string(s.key))] = e
        }
        return out
    }
}

extension CandidateExtractor {
    /// The candidates of `note`, written to `w` as `NoteCandidate.encode` writes them and
    /// added to `sums` as `DiscoveryStats.add` adds them: what `candidates(of:)` and those two
    /// give, without making a string. The extractor is reused from note to note.
    mutating func extract(_ note: MarkdownNote, into w: inout BinaryWriter, sums: inout CandidateSums) {
        reset()
        scan(note)
        let order = keyOrder()
        w.int(order.count)
        var previous: [UInt8] = []
        var key: [UInt8] = []
        var text: [UInt8] = []
        for k in order {
            let f = found[k]
            key.removeAll(keepingCapacity: true)
            Scalars.appendUTF8(keys[f.key], to: &key)
            let ranked = f.others.isEmpty ? nil : rankedSpellings(f)
            NoteCandidate.writeKey(key, after: previous, count: f.count, signals: f.signals, spellings: ranked?.count ?? 1, into: &w)
            let i = key.withUnsafeBufferPointer { sums.sum(of: $0) }
            sums.add(i, notes: 1, count: f.count, signals: f.signals)
            func spelling(_ s: ArraySlice<UInt32>, _ n: Int32) {
                text.removeAll(keepingCapacity: true)
                Scalars.appendUTF8(s, to: &text)
                NoteCandidate.writeSpelling(text, of: key, count: n, into: &w)
                text.withUnsafeBufferPointer { sums.addSpelling(i, $0, count: n) }
            }
            if let ranked {
                for r in ranked { spelling(r.text[...], r.count) }
            } else {
                spelling(texts[f.first], f.firstCount)
            }
            swap(&previous, &key)
        }
    }
}
