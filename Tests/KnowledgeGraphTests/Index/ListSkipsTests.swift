import Foundation
import Testing

@testable import KnowledgeGraph

/// The samples at the end of a long posting list, with which a save finds whether a list
/// holds the saved note without stepping over every entry before it.
@Suite struct ListSkipsTests {
    /// A list of `count` notes below `range` with one to three positions each.
    static func list(_ rng: inout IncrementalTests.Rng, count: Int, range: Int) -> Postings {
        var notes = Set<Int32>()
        while notes.count < count { notes.insert(Int32(rng.next(range))) }
        var p = Postings()
        for n in notes.sorted() { p.append(note: n, positions: (0..<(1 + rng.next(3))).map { Int32($0 * 7 + rng.next(5)) }) }
        return p
    }

    @Test func aLongListAnswersWhetherItHoldsANoteLikeItsEntries() throws {
        var rng = IncrementalTests.Rng(state: 42)
        for count in [1, 255, 256, 257, 700, 3000] {
            let p = Self.list(&rng, count: count, range: count * 3)
            var bytes: [UInt8] = []
            p.encode(into: &bytes)
            #expect(bytes.count > ListSkips.byteCount(entries: count))
            let held = Set(p.notes)
            for _ in 0..<200 {
                let asked = Array(Set((0..<(1 + rng.next(3))).map { _ in Int32(rng.next(count * 3)) })).sorted()
                let answer = bytes.withUnsafeBytes {
                    Pass.holds($0, anyOf: asked, between: Int(p.notes.first!), and: Int(p.notes.last!))
                }
                #expect(answer == asked.contains(where: held.contains), "\(count) notes, asked \(asked)")
            }
        }
    }

    /// A list whose notes all move by one offset is written again only at its first gap: its
    /// samples, kept as they were, still answer right and equal a fresh encoding's.
    @Test func samplesStayTrueWhenEveryNoteMovesByOneOffset() throws {
        var rng = IncrementalTests.Rng(state: 7)
        let p = Self.list(&rng, count: 1000, range: 5000)
        var moved = Postings()
        for k in p.notes.indices { moved.append(note: p.notes[k] + 300, positions: Array(p.positions(at: k))) }
        var before: [UInt8] = []
        var after: [UInt8] = []
        p.encode(into: &before)
        moved.encode(into: &after)
        let samples = ListSkips.byteCount(entries: 1000)
        #expect(samples > 0 && Array(before.suffix(samples)) == Array(after.suffix(samples)))
        for n in moved.notes.prefix(50) + [moved.notes[500], moved.notes.last!] {
            #expect(after.withUnsafeBytes { Pass.holds($0, anyOf: [n], between: Int(moved.notes.first!), and: Int(moved.notes.last!)) } == true)
        }
    }

    /// Saves in the middle of a vault whose common words have long lists: a word the saved
    /// note drops or gains changes its list; the lists that only span the note stay. Each
    /// save equals a rebuild byte for byte, samples included.
    @Test func savesInTheMiddleOfLongListsEqualARebuild() throws {
        let v = try TempVault(lexicon: IncrementalTests.lexicon)
        for i in 0..<700 {
            var text = "# 노트 \(i)\n공통어 w\(i)x"
            if i % 2 == 0 { text += " 짝수어" }
            if i % 3 == 0 { text += " 셋째어" }
            try v.write(String(format: "n%03d.md", i), text + "\n")
        }
        _ = try v.update()
        var rng = IncrementalTests.Rng(state: 11)
        for round in 0..<12 {
            let i = 200 + rng.next(300)
            var text = "# 노트 \(i)\n"
            if rng.next(2) == 0 { text += "공통어 " }
            if rng.next(2) == 0 { text += "짝수어 " }
            if rng.next(2) == 0 { text += "셋째어 " }
            try v.write(String(format: "n%03d.md", i), text + "w\(i)x 저장\(round)\n")
            let (reader, report) = try v.update()
            #expect(report.rebuildReason == nil)
            let dump = try IncrementalTests.dump(reader)
            let rebuilt = try IncrementalTests.rebuilt(v)
            #expect(dump == rebuilt, "round \(round): \(dump.differences(rebuilt))")
        }
    }
}
