import Foundation
import Testing

@testable import KnowledgeGraph

/// An index whose checksums are valid but whose content is not (a crafted or buggy file):
/// every query gives an answer or a clear error, never a trap, and a refreshing query
/// rebuilds it.
@Suite struct ConsistencyTests {
    static let files = [
        "a.md": "# FM\nFM과 FFM은 카카오에서\n- LightGCN [[b]]\n", "b.md": "FFM, 네이버의 LightGCN #추천\n", "c/d.md": "카카오 FM\n\n네이버\n",
    ]
    static let lexicon = "concept: FM | Factorization Machine\nconcept: FFM\nconcept: LightGCN\ncompany: 카카오\ncompany: 네이버\n"

    /// Signs `bytes` again after a change: the block checksums of NOTE and POST, each
    /// section's checksum in the header, then the header's own.
    static func resign(_ bytes: inout [UInt8]) {
        func load(_ at: Int, _ width: Int) -> Int { (0..<width).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) } }
        func store(_ at: Int, _ v: UInt64) { for k in 0..<8 { bytes[at + k] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(k))) } }
        let count = load(12, 4)
        var ranges: [Section: (entry: Int, range: Range<Int>)] = [:]
        for k in 0..<count {
            let entry = 16 + k * 28
            guard let s = Section(rawValue: UInt32(load(entry, 4))) else { continue }
            ranges[s] = (entry, load(entry + 4, 8)..<(load(entry + 4, 8) + load(entry + 12, 8)))
        }
        for s in [Section.notes, .postings] {
            guard let data = ranges[s]?.range, let checks = ranges[s.checks]?.range else { continue }
            let block = IndexFormat.block
            var b = 0
            while data.lowerBound + b * block < data.upperBound, checks.lowerBound + b * 8 + 8 <= checks.upperBound {
                let start = data.lowerBound + b * block
                store(checks.lowerBound + b * 8, Checksum.of(Array(bytes[start..<min(data.upperBound, start + block)])))
                b += 1
            }
        }
        for (s, place) in ranges where !s.isBlockChecked {
            store(place.entry + 20, Checksum.of(Array(bytes[place.range])))
        }
        let headerEnd = 16 + count * 28
        store(headerEnd, Checksum.of(Array(bytes[0..<headerEnd])))
    }

    static let queries: [[String]] = [
        ["search", "카카오"], ["search", "FM", "LightGCN"], ["search", "\"FFM은 카카오\""], ["related", "FFM", "--explain"],
        ["related", "카카오", "--by", "npmi"], ["related", "a.md"], ["mentions", "--limit", "0"], ["mentions", "FM"],
        ["entities", "--limit", "0"], ["path", "LightGCN", "네이버"], ["communities"], ["doctor"], ["export", "--json"],
        ["export", "--html"], ["stats"], ["suggest"],
    ]

    @Test(arguments: 0..<48)
    func craftedContentGivesAnAnswerOrAClearErrorAndIsRebuilt(seed: Int) throws {
        let v = try TempVault(files: Self.files, lexicon: Self.lexicon)
        #expect(v.kg("index").status == 0)
        let path = v.path(".kg/index")
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        var rng = IncrementalTests.Rng(state: UInt64(seed + 1) &* 0x9E37_79B9_7F4A_7C15)
        let headerEnd = IndexFormat.headerSize
        for _ in 0..<(1 + rng.next(3)) {
            let at = headerEnd + rng.next(bytes.count - headerEnd)
            switch rng.next(4) {
            case 0: bytes[at] ^= UInt8(1 << rng.next(8))
            case 1: for k in at..<min(bytes.count, at + 8) { bytes[k] = 0xFF }  // huge numbers and offsets
            case 2: bytes[at] = UInt8(rng.next(256))
            default: for k in at..<min(bytes.count, at + 4) { bytes[k] = 0x7F }
            }
        }
        Self.resign(&bytes)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        for q in Self.queries {
            let r = v.kg(q + ["--no-refresh"])
            #expect(r.status == 0 || (r.status == 1 && r.err.hasPrefix("kg: error: ")), "seed \(seed), \(q): \(r.status) \(r.err)")
        }
        // A refreshing query heals what it finds damaged and answers.
        for q in Self.queries {
            let r = v.kg(q)
            #expect(r.status == 0, "seed \(seed), \(q): \(r.err)")
        }
    }

    @Test func checkFindsDamageNoQueryReadsAndHeals() throws {
        let v = try TempVault(files: Self.files, lexicon: Self.lexicon)
        #expect(v.kg("index", "--check").out.contains("holds"))
        // One flipped bit in the last block of the postings: a query that does not read it
        // answers as if nothing were wrong.
        let path = v.path(".kg/index")
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count - 3] ^= 0x10
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(v.kg("stats", "--no-refresh").status == 0)
        let check = v.kg("index", "--check", "--json")
        #expect(check.status == 0)
        #expect(check.out.contains("\"damage\": \"postings checksum mismatch\""), "\(check.out)")
        #expect(check.err.contains("rebuilding"))
        #expect(v.kg("index", "--check").out.hasPrefix("every checksum"))
        // The doctor reads every block too, and heals what it finds.
        bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count - 3] ^= 0x10
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let doctor = v.kg("doctor")
        #expect(doctor.status == 0 && doctor.err.contains("damaged"), "\(doctor.err)")
        #expect(v.kg("index", "--check").out.hasPrefix("every checksum"))
    }
}
