/// The DISC section, read without decoding it: its header and where each entry lies, so that
/// an update that changes a few notes looks up only the entries those notes touch and writes
/// the section again by copying the others as they are (`spliced`).
///
/// Layout: the candidate rules' version (u8); a checksum of what the decision took besides
/// the statistics (`inputs`); the entities decided, in key order, each as its entry's key and
/// the name as discovered; then the statistics' entries in key order
/// (`DiscoveryStats.encode`).
struct DiscoveryTable {
    /// The section's bytes.
    let bytes: [UInt8]
    let inputs: UInt64
    let decided: [(key: String, found: DiscoveredName)]
    /// Where each entry starts, with the section's end last.
    private let starts: [Int]

    var count: Int { starts.count - 1 }

    /// Nil for statistics of other candidate rules or an empty section (discovery was off).
    init?(section bytes: [UInt8]) throws(CorruptIndex) {
        let parsed: Result<(UInt64, [(key: String, found: DiscoveredName)], [Int])?, CorruptIndex> = bytes.withUnsafeBytes { raw in
            var r = BinaryReader(raw, range: 0..<raw.count)
            do throws(CorruptIndex) {
                guard !r.atEnd, try r.u8() == CandidateExtractor.version else { return .success(nil) }
                let (inputs, decided) = try Self.header(&r)
                let n = try r.count(max: r.end - r.offset)
                var starts: [Int] = []
                starts.reserveCapacity(n + 1)
                for _ in 0..<n {
                    starts.append(r.offset)
                    try Self.skipEntry(&r)
                }
                starts.append(r.offset)
                guard r.atEnd else { throw CorruptIndex(reason: "discovery statistics run past their count") }
                return .success((inputs, decided, starts))
            } catch {
                return .failure(error)
            }
        }
        guard let (inputs, decided, starts) = try parsed.get() else { return nil }
        self.bytes = bytes
        self.inputs = inputs
        self.decided = decided
        self.starts = starts
        // Keys must ascend: lookups search them.
        for i in 1..<max(1, count) where !keyBytes(i - 1).lexicographicallyPrecedes(keyBytes(i)) {
            throw CorruptIndex(reason: "discovery statistics out of order")
        }
    }

    /// The header after the version: the inputs' checksum and the decided entities.
    static func header(_ r: inout BinaryReader) throws(CorruptIndex) -> (UInt64, [(key: String, found: DiscoveredName)]) {
        let inputs = try r.u64()
        var decided: [(key: String, found: DiscoveredName)] = []
        for _ in 0..<(try r.count(max: r.end - r.offset)) {
            let key = try r.string()
            var d = DiscoveredName(name: try r.string(), type: try r.string(), aliases: try r.strings(),
                confidence: Double(bitPattern: try r.u64()), signals: try r.strings(), notes: try r.int(), count: try r.int())
            d.linkOnly = try r.strings()
            decided.append((key, d))
        }
        return (inputs, decided)
    }

    static func writeHeader(_ w: inout BinaryWriter, inputs: UInt64, decided: [(key: String, found: DiscoveredName)]) {
        w.u8(CandidateExtractor.version)
        w.u64(inputs)
        w.int(decided.count)
        for (key, d) in decided {
            w.string(key)
            w.string(d.name)
            w.string(d.type)
            w.strings(d.aliases)
            w.u64(d.confidence.bitPattern)
            w.strings(d.signals)
            w.int(d.notes)
            w.int(d.count)
            w.strings(d.linkOnly)
        }
    }

    private static func skipEntry(_ r: inout BinaryReader) throws(CorruptIndex) {
        try r.skipString()
        _ = try r.varint()
        _ = try r.varint()
        for _ in 0..<(try r.u32()).nonzeroBitCount { _ = try r.varint() }
        for _ in 0..<(try r.count(max: r.end - r.offset)) {
            try r.skipString()
            _ = try r.varint()
        }
    }

    /// The key of entry `i`, as its UTF-8 bytes.
    private func keyBytes(_ i: Int) -> ArraySlice<UInt8> {
        var at = starts[i]
        var n = 0
        var shift = 0
        while true {
            let b = bytes[at]
            at += 1
            n |= Int(b & 0x7F) << shift
            if b < 0x80 { break }
            shift += 7
        }
        return bytes[at..<(at + n)]
    }

    /// The first entry whose key is not before `key`.
    private func lowerBound(_ key: [UInt8]) -> Int {
        var lo = 0
        var hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if keyBytes(mid).lexicographicallyPrecedes(key) { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    func index(of key: NameKey) -> Int? {
        let k = Array(key.string.utf8)
        let i = lowerBound(k)
        return i < count && keyBytes(i).elementsEqual(k) ? i : nil
    }

    /// The entry of a key, if the statistics have it.
    func entry(_ key: NameKey) throws(CorruptIndex) -> DiscoveryStats.Entry? {
        guard let i = index(of: key) else { return nil }
        return try entry(at: i).1
    }

    func entry(at i: Int) throws(CorruptIndex) -> (NameKey, DiscoveryStats.Entry) {
        let range = starts[i]..<starts[i + 1]
        let result: Result<(NameKey, DiscoveryStats.Entry), CorruptIndex> = bytes.withUnsafeBytes { raw in
            var r = BinaryReader(raw, range: range)
            do throws(CorruptIndex) { return .success(try DiscoveryStats.decodeEntry(&r)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// The keys that start with `prefix`, in order.
    func keys(startingWith prefix: NameKey) -> [NameKey] {
        let p = Array(prefix.string.utf8)
        var out: [NameKey] = []
        var i = lowerBound(p)
        while i < count, case let k = keyBytes(i), k.starts(with: p) {
            out.append(NameKey(String(decoding: k, as: UTF8.self)))
            i += 1
        }
        return out
    }

    /// The section again with a new header and the entries of `changed` (sorted by key; nil
    /// for a key the statistics no longer have) put in place of or among the others, which
    /// are copied as they are.
    func spliced(inputs: UInt64, decided: [(key: String, found: DiscoveredName)], changed: [(key: NameKey, entry: DiscoveryStats.Entry?)])
        -> [UInt8]
    {
        let positions = changed.map { c -> (at: Int, found: Bool) in
            let k = Array(c.key.string.utf8)
            let i = lowerBound(k)
            return (i, i < count && keyBytes(i).elementsEqual(k))
        }
        var n = count
        for (c, p) in zip(changed, positions) { n += (c.entry == nil ? 0 : 1) - (p.found ? 1 : 0) }
        var w = BinaryWriter()
        w.bytes.reserveCapacity(bytes.count + changed.count * 64)
        DiscoveryTable.writeHeader(&w, inputs: inputs, decided: decided)
        w.int(n)
        var next = 0
        for (c, p) in zip(changed, positions) {
            w.bytes += bytes[starts[next]..<starts[p.at]]
            next = p.found ? p.at + 1 : p.at
            if let e = c.entry { DiscoveryStats.encodeEntry(c.key, e, into: &w) }
        }
        w.bytes += bytes[starts[next]..<starts[count]]
        return w.bytes
    }
}
