/// The open-addressing tables of the discovery scanners (`CandidateExtractor`'s candidates,
/// `HangulRuns`'s words): ids by a 64-bit FNV-1a hash of their scalars, in a power-of-two
/// array of slots (-1 empty) kept at most half full, probed linearly.
enum HashSlots {
    /// The FNV-1a hash of `scalars`.
    @inline(__always) static func hash(_ scalars: some Collection<UInt32>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for v in scalars { hash = (hash ^ UInt64(v)) &* 0x100_0000_01b3 }
        return hash
    }

    /// The slot a hash is looked up from.
    @inline(__always) static func home(_ hash: UInt64, _ slots: [Int32]) -> Int { Int(truncatingIfNeeded: hash >> 7) & (slots.count - 1) }

    /// After an id was added: twice the slots when the ids (`hashes`, by id) fill more than
    /// half of them, each id placed again.
    static func grow(_ slots: inout [Int32], hashes: [UInt64]) {
        guard hashes.count * 2 > slots.count else { return }
        slots = [Int32](repeating: -1, count: slots.count * 2)
        for (k, h) in hashes.enumerated() {
            var q = home(h, slots)
            while slots[q] >= 0 { q = (q + 1) & (slots.count - 1) }
            slots[q] = Int32(k)
        }
    }
}
