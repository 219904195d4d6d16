import Testing

@testable import KnowledgeGraph

/// The lists a build collects note by note read back as the index's on-disk encoding, however
/// their bytes were spread over blocks: short lists, lists of thousands of notes, and single
/// entries larger than a block.
@Suite struct PostingListsTests {
    @Test func listsReadBackAsTheirOnDiskEncoding() {
        var generator = SplitMix(seed: 7)
        var lists = PostingLists()
        var expected: [String: Postings] = [:]
        let words = (0..<300).map { "w\($0)" } + ["카카오", "common", "huge"]
        for note in Int32(0)..<Int32(3000) {
            lists.beginNote(note)
            var tokens: [String] = []
            for _ in 0..<Int(generator.next() % 40) { tokens.append(words[Int(generator.next() % 300)]) }
            tokens.append("common")
            if note % 7 == 0 { tokens.append("카카오") }
            // One note whose single entry spans many 4 KB blocks.
            if note == 1234 { tokens += Array(repeating: "huge", count: 20_000) }
            var positions: [String: [Int32]] = [:]
            for (p, word) in tokens.enumerated() {
                let bytes = Array(word.utf8)
                bytes.withUnsafeBufferPointer { lists.add($0, position: Int32(p)) }
                positions[word, default: []].append(Int32(p))
            }
            lists.endNote()
            for (word, ps) in positions { expected[word, default: Postings()].append(note: note, positions: ps) }
        }
        #expect(lists.termCount == expected.count)
        for (word, postings) in expected {
            let bytes = Array(word.utf8)
            guard let t = bytes.withUnsafeBytes({ lists.table.find($0) }) else {
                Issue.record("\(word) was not interned")
                continue
            }
            var encoded: [UInt8] = []
            postings.encode(into: &encoded)
            var k = 0
            let count = encoded.withUnsafeBytes { VarInt.read($0, &k, end: $0.count) }
            #expect(count == UInt64(postings.notes.count))
            // A run holds the entries; the file's list adds the samples of a long list.
            let samples = ListSkips.byteCount(entries: postings.notes.count)
            #expect(lists.bytes(Int(t)) == Array(encoded[k..<(encoded.count - samples)]), "\(word)")
            #expect(lists.count(Int(t)) == Int32(postings.notes.count))
            #expect(lists.firstNote(Int(t)) == postings.notes.first)
            #expect(lists.lastNote(Int(t)) == postings.notes.last)
        }
        let total = expected.values.reduce(0) { sum, p in
            var e: [UInt8] = []
            p.encode(into: &e)
            var k = 0
            _ = e.withUnsafeBytes { VarInt.read($0, &k, end: $0.count) }
            return sum + e.count - k - ListSkips.byteCount(entries: p.notes.count)
        }
        #expect(lists.byteCount == total)
    }
}

/// A small deterministic generator for test data.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<n`.
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    /// A string of `count` (at least one) pieces drawn from `pieces`.
    mutating func string(of pieces: [String], count: ClosedRange<Int>) -> String {
        var s = ""
        for _ in 0..<(count.lowerBound + below(count.count)) { s += pieces[below(pieces.count)] }
        return s
    }
}
