import Foundation
import Testing

@testable import KnowledgeGraph

/// Vaults large enough for the paths small vaults never take: several analysis runs, a
/// dictionary merged in two halves, notes read again past the text budget.
@Suite struct LargeVaultTests {
    /// 160 notes of words from a pool of 3,000 Latin words and 400 Korean words, with the
    /// notes each word was written into.
    static func vault(seed: UInt64, notes: Int = 160) throws -> (TempVault, [String: Set<String>]) {
        var rng = IncrementalTests.Rng(state: seed)
        let syllables = Array("가나다라마바사아자차카타파하고노도로모보소오조초코토포호구누두루무부수우주추쿠투푸후")
        let fixed = IncrementalTests.words.joined(separator: " ") + " 노트"
        let korean = (0..<400).map { _ in String([syllables[rng.next(syllables.count)], syllables[rng.next(syllables.count)], syllables[rng.next(syllables.count)]]) }
            .filter { !fixed.contains($0) }
        let latin = (0..<3000).map { "w\($0)x" }
        let v = try TempVault(lexicon: IncrementalTests.lexicon)
        var truth: [String: Set<String>] = [:]
        for i in 0..<notes {
            let path = "f\(i % 7)/note\(i).md"
            var text = "# 노트 \(i)\n"
            for k in 0..<40 {
                let word = rng.next(3) == 0 ? korean[rng.next(korean.count)] : latin[rng.next(latin.count)]
                truth[word, default: []].insert(path)
                text += word + (k % 8 == 7 ? "\n" : " ")
            }
            text += IncrementalTests.words[rng.next(IncrementalTests.words.count)] + "\n"
            try v.write(path, text)
        }
        return (v, truth)
    }

    @Test(arguments: [0, Double.infinity])
    func updatesOfALargeVaultEqualARebuild(deltaShare: Double) throws {
        let (v, _) = try Self.vault(seed: 7)
        let (first, _) = try v.update()
        #expect(try first.termTotal() > 2048)
        var rng = IncrementalTests.Rng(state: 99)
        var options = Indexer.Options()
        options.deltaShare = deltaShare
        // Deltas over deltas: lists changed at their head in one round and read again in the
        // next, whose first bytes then lie in two extents.
        for round in 0..<10 {
            for k in 0..<(round < 3 ? 4 : 1) { try v.write("f\(rng.next(7))/note\(rng.next(160)).md", "w\(rng.next(3000))x 카카오에서 FFM은 w\(k)x\n") }
            if round < 3 { try? v.remove("f\(rng.next(7))/note\(rng.next(160)).md") }
            try v.write("added/r\(round).md", "w\(rng.next(3000))x LightGCN\n")
            let (reader, report) = try v.update(options)
            // A healed index would read right too: it must not have been needed.
            #expect(report.rebuildReason == nil, "round \(round): \(report.rebuildReason ?? "")")
            #expect(reader.isDelta == (deltaShare > 0), "round \(round)")
            #expect(try IncrementalTests.dump(reader) == IncrementalTests.rebuilt(v), "round \(round)")
        }
    }

    /// A list whose first gap one delta rewrote (its head new bytes, the rest kept) is read
    /// by the next update first by its head, then whole: two reads of one start, which must
    /// not share a buffer.
    @Test func aListRewrittenAtItsHeadReadsWholeInTheNextDelta() throws {
        let v = try TempVault(lexicon: IncrementalTests.lexicon)
        for i in 0..<300 { try v.write("m/n\(1000 + i).md", "공통단어 w\(i)x 공통단어\n") }
        _ = try v.update()
        var options = Indexer.Options()
        options.deltaShare = .infinity
        // A note before every other: every id moves by one, the long list's head is rewritten.
        try v.write("a/first.md", "맨 앞 노트\n")
        let (one, r1) = try v.update(options)
        #expect(one.isDelta && r1.rebuildReason == nil)
        // A note in the middle: the list's notes no longer move together; it is read whole.
        try v.write("m/n1150a.md", "가운데 노트\n")
        let (two, r2) = try v.update(options)
        #expect(two.isDelta)
        #expect(r2.rebuildReason == nil, "\(r2.rebuildReason ?? "")")
        #expect(try IncrementalTests.dump(two) == IncrementalTests.rebuilt(v))
    }

    /// Edits of a few notes are written as a delta over the whole file (`index.base`); the
    /// delta is small, reads like a rebuild, and a missing or foreign base is healed by a
    /// rebuild. A whole file written later removes the base. By default a delta is written
    /// only while base and delta take no more room than the notes.
    @Test func smallUpdatesAreWrittenAsADeltaOverTheBase() throws {
        // Enough notes for long lists (every note has "노트"), which an edit changes in the
        // middle: the delta refers to their unchanged runs.
        let (v, _) = try Self.vault(seed: 5, notes: 1500)
        _ = try v.update()
        let whole = try #require(try IndexReader(path: v.path(".kg/index")))
        #expect(!whole.isDelta)
        // Whatever its size (this vault's index is larger than its short notes).
        var always = Indexer.Options()
        always.deltaShare = .infinity
        var rng = IncrementalTests.Rng(state: 3)
        for round in 0..<4 {
            let i = rng.next(1500)
            try v.write("f\(i % 7)/note\(i).md", "# 노트\nw\(rng.next(3000))x 카카오에서 FFM은 w\(round)x\n")
            let (reader, report) = try v.update(always)
            #expect(report.rebuildReason == nil)
            #expect(reader.isDelta, "round \(round)")
            #expect(reader.byteCount * 2 < whole.byteCount, "round \(round): the delta holds \(reader.byteCount) bytes")
            #expect(try IncrementalTests.dump(reader) == IncrementalTests.rebuilt(v), "round \(round)")
        }
        // The base replaced by another index file: the delta no longer matches it.
        try v.remove(".kg/index.base")
        try FileManager.default.copyItem(atPath: v.path(".kg/index"), toPath: v.path(".kg/index.base"))
        try v.write("f1/note1.md", "w1x 네이버의 모델\n")
        let (healed, report) = try v.update(always)
        #expect(report.rebuildReason?.contains("base") == true)
        #expect(!healed.isDelta)
        #expect(!FileManager.default.fileExists(atPath: v.path(".kg/index.base")))
        #expect(try IncrementalTests.dump(healed) == IncrementalTests.rebuilt(v))
        // A query of a delta whose base is gone rebuilds too.
        try v.write("f2/note2.md", "w2x 카카오\n")
        #expect(try v.update(always).0.isDelta)
        try v.remove(".kg/index.base")
        let (again, second) = try v.update(always)
        #expect(second.rebuildReason?.contains("base") == true)
        #expect(try IncrementalTests.dump(again) == IncrementalTests.rebuilt(v))
        // By default: base and delta would take more room than these notes, so the whole file.
        try v.write("f3/note3.md", "w3x 카카오\n")
        let notes = try again.files().reduce(0) { $0 + Int($1.stat.size) }
        #expect(again.byteCount > notes / 2)
        let (plain, _) = try v.update()
        #expect(!plain.isDelta)
        #expect(!FileManager.default.fileExists(atPath: v.path(".kg/index.base")))
    }

    /// A damaged base file (a flipped byte in its note records or its postings) is found by a
    /// query, or by the next update, and the index is rebuilt from the notes.
    @Test(arguments: ["NOTE", "POST"])
    func aDamagedBaseIsRebuiltFromTheNotes(section: String) throws {
        let (v, _) = try Self.vault(seed: 21, notes: 400)
        _ = try v.update()
        var always = Indexer.Options()
        always.deltaShare = .infinity
        try v.write("f1/note1.md", "# 노트\nw1x 카카오에서\n")
        #expect(try v.update(always).0.isDelta)
        // The section's place in the base file, from its header.
        let url = URL(fileURLWithPath: v.path(".kg/index.base"))
        var bytes = Array(try Data(contentsOf: url))
        let load = { (at: Int, width: Int) in (0..<width).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) } }
        var range = 0..<0
        for k in 0..<load(12, 4) {
            let entry = 16 + k * 28
            if String(decoding: bytes[entry..<(entry + 4)], as: UTF8.self) == section {
                range = load(entry + 4, 8)..<(load(entry + 4, 8) + load(entry + 12, 8))
            }
        }
        #expect(range.count > 1000)
        bytes[range.lowerBound + range.count / 2] ^= 0x10
        try Data(bytes).write(to: url)
        if section == "POST" { try v.write("f2/note2.md", "# 노트\nw2x 네이버의\n") }
        // A query that reads every note record (an update only reads the postings).
        let r = v.kg("mentions", "--limit", "0")
        #expect(r.status == 0)
        #expect(r.err.contains("rebuilding"), "\(r.err)")
        let (reader, _) = try v.update()
        #expect(try IncrementalTests.dump(reader) == IncrementalTests.rebuilt(v))
    }

    /// A first build analyses each note as it reads it, with the lexicon file's entities; a
    /// note that defines an entity (first or last in path order) or is not text sends it back
    /// to the change check. Either way it gives what the checked build gives.
    @Test(arguments: ["", "0/entity.md", "zz/entity.md", "bin.md", "utf16.md", "bad16.md", "legacy.md", "aliases", "aliases+entity"])
    func aFirstBuildReadingEachNoteOnceGivesTheCheckedBuild(extra: String) throws {
        let (v, _) = try Self.vault(seed: 13)
        switch extra {
        case "": break
        case "bin.md": try v.write(extra, bytes: Array("FFM".utf8) + [0, 1, 2])
        case "utf16.md": try v.write(extra, bytes: [0xFF, 0xFE] + Array("FFM 노트\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        case "bad16.md": try v.write(extra, bytes: [0xFF, 0xFE, 0x41])
        case "legacy.md": try v.write(extra, bytes: Array("카카오 FFM 노트\n".data(using: String.Encoding(rawValue: 0x8000_0422)) ?? Data()))
        case "aliases", "aliases+entity":
            // Aliases are kept in the file table whether the pass goes on or stops later.
            try v.write("0/alias.md", "---\naliases: [별칭, K]\n---\nFFM\n")
            if extra == "aliases+entity" { try v.write("zz/entity.md", "---\nentity: concept\naliases: [w12x]\n---\n") }
        default: try v.write(extra, "---\nentity: concept\naliases: [w12x]\n---\n")
        }
        var checked = Indexer.Options()
        checked.speculate = false
        let (a, first) = try v.update(checked)
        let expected = try IncrementalTests.dump(a)
        try v.remove(".kg/index")
        let (b, second) = try v.update()
        #expect(try IncrementalTests.dump(b) == expected)
        #expect(second.skipped.map(\.path) == first.skipped.map(\.path))
        #expect(second.added == first.added)
        #expect(try b.files().map(\.hash) == (try a.files().map(\.hash)))
        if extra.hasPrefix("aliases") { #expect(try b.files().first { $0.path == "0/alias.md" }?.aliases == ["별칭", "K"]) }
    }

    @Test func searchFindsEveryNoteEachWordWasWrittenInto() throws {
        let (v, truth) = try Self.vault(seed: 11)
        let (reader, _) = try v.update()
        let searcher = try Searcher(index: reader) { _ in nil }
        for word in truth.keys.sorted().prefix(300) {
            let (hits, total) = try searcher.search(SearchQuery(word), limit: 1000)
            #expect(total == truth[word]?.count, "\(word)")
            #expect(Set(hits.map(\.note)) == truth[word], "\(word)")
        }
    }

    /// Past the text budget the change check does not decode a note unless its front matter
    /// could define an entity; entity notes (also behind a dropped zero-width space or written
    /// with full-width hyphens), binary, UTF-16 and CP949 files come out as with every text kept.
    @Test func theChangeCheckPastTheBudgetFindsEntityNotesAndRefusedFiles() throws {
        let v = try TempVault(files: [:], lexicon: "concept: FM\ncompany: 카카오\n")
        for k in 0..<40 { try v.write("notes/n\(k).md", "GNN과 FM, 카카오에서 \(k)\n" + String(repeating: "본문 ", count: 40)) }
        try v.write("entity/Graph Neural Net.md", "---\nentity: concept\naliases: [GNN]\n---\nGNN 설명\n")
        try v.write("entity/zw.md", "\u{200B}---\nentity: company\n---\nzw 회사\n")
        try v.write("entity/wide.md", "\u{FF0D}\u{FF0D}\u{FF0D}\nentity: tool\n---\nwide 도구\n")
        try v.write("entity/dash.md", "- entity: not front matter\n")
        try v.write("bin.md", bytes: Array("GNN".utf8) + [0, 1, 2])
        try v.write("utf16.md", bytes: [0xFF, 0xFE] + Array("GNN 노트\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        try v.write("bad16.md", bytes: [0xFF, 0xFE, 0x41])
        let cp949 = "카카오 GNN 노트\n".data(using: String.Encoding(rawValue: 0x8000_0422)) ?? Data()
        try v.write("legacy.md", bytes: Array(cp949))
        let (all, _) = try v.update()
        let kept = try IncrementalTests.dump(all)
        try v.remove(".kg/index")
        var options = Indexer.Options()
        options.textBudget = 100
        let (reader, _) = try v.update(options)
        #expect(try IncrementalTests.dump(reader) == kept)
        let names = Set(try reader.lexicon().entities.map(\.name))
        #expect(names.isSuperset(of: ["Graph Neural Net", "zw", "wide"]))
        #expect(!names.contains("dash"))
        let skipped = try reader.files().filter { $0.skipReason != nil }.map(\.path).sorted()
        #expect(skipped == ["bad16.md", "bin.md"])
        let gnn = v.kg("mentions", "Graph Neural Net", "--limit", "0")
        #expect(gnn.out.contains("utf16.md") && gnn.out.contains("legacy.md") && gnn.out.contains("notes/n7.md"))
    }

    @Test func notesReadAgainPastTheTextBudgetGiveTheSameIndex() throws {
        let (v, _) = try Self.vault(seed: 3)
        let kept = try IncrementalTests.dump(v.update().0)
        try v.remove(".kg/index")  // a first build reads every note in the change check
        var options = Indexer.Options()
        options.textBudget = 10_000
        let (reader, report) = try v.update(options)
        #expect(report.rebuildReason == "no index yet")
        #expect(try IncrementalTests.dump(reader) == kept)
    }

    /// A build shares its notes out among the runs by bytes: one note holding most of the
    /// vault's leaves some runs empty. Every note is still indexed once, and the build (the
    /// runs' records written as they lie) reads as an update that added the long note to the
    /// rest does (its records copied into one buffer).
    @Test(arguments: [false, true])
    func aNoteHoldingMostOfTheVaultLeavesRunsEmptyAndEveryNoteIndexed(discovery: Bool) throws {
        let v = try TempVault(lexicon: discovery ? nil : IncrementalTests.lexicon)
        for i in 0..<120 { try v.write("n\(1000 + i).md", "# 노트 \(i)\nFFM은 FM에서 나왔다. 카카오에서 LightGCN을 쓴다. w\(i)x\n") }
        let (before, _) = try v.update()
        #expect(try before.noteCount() == 120)
        let long = (0..<10_000).map { "LightGCN 카카오에서 long\($0 % 500)y" }.joined(separator: " ")
        try v.write("a long.md", "# Long\n\(long)\n")
        // Added by an update, which reads as a build of the same notes.
        _ = try IncrementalTests.editEqualsRebuild(v) {}
        let (reader, _) = try v.update(.init(rebuild: true))
        #expect(try reader.noteCount() == 121)
        for word in ["long499y", "w0x", "w119x"] {
            let out = v.kg("search", word, "--json").out
            #expect(out.contains(word == "long499y" ? "a long.md" : "n\(word == "w0x" ? 1000 : 1119).md"), "\(word): \(out)")
        }
    }
}
