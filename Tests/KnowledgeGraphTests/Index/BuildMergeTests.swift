import Dispatch
import Testing

@testable import KnowledgeGraph

/// A build's merge shared out in chunks (`BuildMerge`) writes the dictionary and postings the
/// one-core merge writes, byte for byte, skip samples included, however the chunks fall and
/// whichever core takes them.
@Suite struct BuildMergeTests {
    /// Runs of consecutive notes, as a build's cores collect them: words shared by all runs,
    /// words of one run, and one word in every note (a list long enough for skip samples).
    private func runs(_ generator: inout SplitMix, count: Int) -> [PostingLists] {
        let words = (0..<400).map { "w\($0)" } + ["카카오", "데이터"]
        var note: Int32 = 0
        return (0..<count).map { r in
            var lists = PostingLists()
            for _ in 0..<(200 + Int(generator.next() % 300)) {
                lists.beginNote(note)
                var tokens = ["common"]
                for _ in 0..<Int(generator.next() % 30) { tokens.append(words[Int(generator.next() % UInt64(words.count))]) }
                if generator.next() % 5 == 0 { tokens.append("only\(r)-\(generator.next() % 20)") }
                for (p, word) in tokens.enumerated() { Array(word.utf8).withUnsafeBufferPointer { lists.add($0, position: Int32(p)) } }
                lists.endNote()
                note += 1
            }
            return lists
        }
    }

    @Test func chunksJoinedEqualOneMerge() throws {
        var generator = SplitMix(seed: 11)
        for round in 0..<6 {
            let made = runs(&generator, count: 1 + round % 5)
            var one = made
            let whole = try Pass.mergeTerms(&one, previous: nil, remap: [])
            let merge = BuildMerge()
            merge.prepare(made, helpers: 1 + round % 3)
            // One core takes every chunk, or two take turns.
            if round % 2 == 0 {
                merge.help()
            } else {
                DispatchQueue.concurrentPerform(iterations: 2) { _ in merge.help() }
            }
            let chunked = try merge.joined()
            #expect(chunked.termBytes == whole.termBytes && chunked.termOffsets == whole.termOffsets, "round \(round)")
            #expect(chunked.post.bytes == whole.post.bytes && chunked.postOffsets == whole.postOffsets, "round \(round)")
            #expect(chunked.firstNotes == whole.firstNotes && chunked.lastNotes == whole.lastNotes, "round \(round)")
            #expect(whole.count > 400 && whole.post.bytes.count > 10_000)
        }
    }
}
