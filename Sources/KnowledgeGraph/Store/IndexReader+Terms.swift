/// The dictionary and posting lists as an `IndexReader` reads them: terms binary-searched in
/// the mapped TDIC section, each list read (and its blocks checked) only when asked for.
extension IndexReader {
    /// TDIC: term count, the width of a posting offset (4 or 8), each term's start in the term
    /// bytes (u32, count + 1), each list's start in POST (count + 1), each list's last note
    /// and first note (u32, count each), then the terms' bytes in byte order.
    struct TermDictionary {
        let bytes: UnsafeRawBufferPointer
        let count: Int
        /// Bytes of a posting offset: 4 or 8.
        let width: Int

        /// Where the terms' bytes start.
        private var termsStart: Int { (count + 1) * (4 + width) + count * 8 }
        /// Size of the terms' bytes.
        var termByteCount: Int { bytes.count - termsStart }

        /// The bytes of the term at position `k`.
        func term(_ k: Int) throws(CorruptIndex) -> UnsafeRawBufferPointer {
            guard k >= 0, k < count else { throw CorruptIndex(reason: "bad term id") }
            let a = bytes.u32(at: k * 4)
            let b = bytes.u32(at: (k + 1) * 4)
            guard a <= b, termsStart + b <= bytes.count else { throw CorruptIndex(reason: "bad term table") }
            return UnsafeRawBufferPointer(rebasing: bytes[(termsStart + a)..<(termsStart + b)])
        }

        /// Where the list of the term at position `k` lies in POST (not checked against it).
        func listOffsets(_ k: Int) throws(CorruptIndex) -> (Int, Int) {
            guard k >= 0, k < count else { throw CorruptIndex(reason: "bad term id") }
            return (listStart(k), listStart(k + 1))
        }

        /// Where the list of the term at position `k` (0...count) starts in POST.
        func listStart(_ k: Int) -> Int {
            let offsets = (count + 1) * 4
            return width == 4 ? bytes.u32(at: offsets + k * 4) : bytes.u64(at: offsets + k * 8)
        }

        /// Where the term at position `k` (0...count) starts in the terms' bytes.
        func termStart(_ k: Int) -> Int { bytes.u32(at: k * 4) }

        /// Calls `body` with terms' bytes `range` (offsets as `termStart` gives them).
        func withTermBytes(_ range: Range<Int>, _ body: (UnsafeRawBufferPointer) -> Void) {
            body(UnsafeRawBufferPointer(rebasing: bytes[(termsStart + range.lowerBound)..<(termsStart + range.upperBound)]))
        }

        /// The highest note id in the list of the term at position `k`.
        func lastNote(_ k: Int) -> Int {
            bytes.u32(at: (count + 1) * (4 + width) + k * 4)
        }

        /// The lowest note id in the list of the term at position `k`.
        func firstNote(_ k: Int) -> Int {
            bytes.u32(at: (count + 1) * (4 + width) + (count + k) * 4)
        }

        /// The first position whose term does not sort before `key`.
        func lowerBound(_ key: [UInt8]) throws(CorruptIndex) -> Int {
            var lo = 0
            var hi = count
            while lo < hi {
                let mid = (lo + hi) / 2
                if try term(mid).lexicographicallyPrecedes(key) { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
    }

    func dictionary() throws(CorruptIndex) -> TermDictionary {
        if let d = tables.withLock({ $0.terms }) { return d }
        let raw = try file.sectionBytes(.terms)
        guard raw.count >= 8 else { throw CorruptIndex(reason: "bad term table") }
        let n = raw.u32(at: 0)
        let width = raw.u32(at: 4)
        guard width == 4 || width == 8, (n + 1) * (4 + width) + n * 8 <= raw.count - 8, n == (try meta().terms) else {
            throw CorruptIndex(reason: "bad term table")
        }
        let d = TermDictionary(bytes: UnsafeRawBufferPointer(rebasing: raw[8...]), count: n, width: width)
        tables.withLock { $0.terms = d }
        return d
    }

    /// The bytes of the term at dictionary position `k`.
    public func termBytes(_ k: Int) throws(CorruptIndex) -> UnsafeRawBufferPointer { try dictionary().term(k) }

    /// Number of distinct terms.
    public func termTotal() throws(CorruptIndex) -> Int { try dictionary().count }

    /// The term at dictionary position `k` (sorted by UTF-8 bytes).
    public func term(at k: Int) throws(CorruptIndex) -> String {
        String(decoding: try dictionary().term(k), as: UTF8.self)
    }

    /// Dictionary position of `term`, if present.
    public func find(_ term: String) throws(CorruptIndex) -> Int? {
        let d = try dictionary()
        let key = Array(term.utf8)
        let k = try d.lowerBound(key)
        if k < d.count, try d.term(k).elementsEqual(key) { return k }
        return nil
    }

    /// Positions of the terms that start with `prefix`.
    public func range(prefix: String) throws(CorruptIndex) -> Range<Int> {
        let d = try dictionary()
        let key = Array(prefix.utf8)
        let lo = try d.lowerBound(key)
        var end = lo
        while end < d.count, try d.term(end).starts(with: key) { end += 1 }
        return lo..<end
    }

    /// The postings of the term at dictionary position `k`, checked against its blocks' checksums.
    public func postings(at k: Int, noteCount: Int) throws(CorruptIndex) -> Postings {
        let bytes = try postingBytes(at: k)
        var r = BinaryReader(bytes, range: 0..<bytes.count)
        return try Postings.decode(&r, noteCount: noteCount)
    }

    /// The entries of the list at `k` for `notes` (ascending) only.
    public func postings(at k: Int, noteCount: Int, within notes: [Int32]) throws(CorruptIndex) -> Postings {
        let bytes = try postingBytes(at: k)
        var r = BinaryReader(bytes, range: 0..<bytes.count)
        return try Postings.decode(&r, noteCount: noteCount, within: notes)
    }

    /// The size in bytes of the list at `k`, from the dictionary alone.
    public func postingByteCount(at k: Int) throws(CorruptIndex) -> Int { try postingRange(at: k).count }

    /// The encoded list of the term at dictionary position `k` (count, then entries), checked.
    func postingBytes(at k: Int) throws(CorruptIndex) -> UnsafeRawBufferPointer {
        try file.logical(.postings, try postingRange(at: k))
    }

    /// Where the list of the term at dictionary position `k` lies in the POST section.
    func postingRange(at k: Int) throws(CorruptIndex) -> Range<Int> {
        let (a, b) = try dictionary().listOffsets(k)
        guard a <= b, b <= (try file.logicalCount(.postings)) else { throw CorruptIndex(reason: "bad posting offsets") }
        return a..<b
    }

    /// Size of the postings section.
    func postingsByteCount() throws(CorruptIndex) -> Int { try file.logicalCount(.postings) }

    /// The first term whose list starts at or after byte `offset` of the postings.
    func termIndex(atPostingOffset offset: Int) throws(CorruptIndex) -> Int {
        let d = try dictionary()
        var lo = 0
        var hi = d.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if try d.listOffsets(mid).0 < offset { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Every term's postings (tests).
    public func allPostings(noteCount: Int) throws(CorruptIndex) -> [String: Postings] {
        let n = try termTotal()
        var out: [String: Postings] = [:]
        out.reserveCapacity(n)
        for k in 0..<n { out[try term(at: k)] = try postings(at: k, noteCount: noteCount) }
        return out
    }
}
