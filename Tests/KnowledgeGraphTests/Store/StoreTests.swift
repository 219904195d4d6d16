import Foundation
import Testing

@testable import KnowledgeGraph

@Suite struct StoreTests {
    static let files = ["a.md": "FM과 카카오\n", "b/c.md": "# FFM\nLightGCN은 그래프\n"]
    static let lexicon = "concept: FM\nconcept: FFM\nconcept: LightGCN\ncompany: 카카오\n"

    @Test func snapshotRoundTripsThroughItsBytes() throws {
        let v = try TempVault(files: Self.files, lexicon: Self.lexicon)
        let (reader, _) = try v.update()
        let snapshot = try reader.snapshot()
        let again = try IndexReader(bytes: snapshot.encoded()).snapshot()
        #expect(again == snapshot)
        #expect(snapshot.encoded() == again.encoded())
    }

    /// The file table stores each path as the bytes it shares with the one before plus the
    /// rest, which may split a character ("가" and "각" share two of their three bytes), and
    /// the status-change time as its distance from the mtime, which may be negative.
    @Test func fileTableRoundTripsFrontCodedPaths() throws {
        let paths = ["a.md", "a/b.md", "가.md", "각.md", "각/깊은 폴더/노트.md", "각/깊은 폴더/노트2.md", "z.md"]
        let files = paths.enumerated().map { k, p in
            FileEntry(path: p, stat: FileStat(size: Int64(k), mtimeNs: 1_700_000_000_000_000_000 + Int64(k), ctimeNs: 1_600_000_000_000_000_000,
                inode: UInt64(k)), hash: UInt64(k) &* 0x9E37_79B9_7F4A_7C15, skipReason: k == 6 ? "binary" : nil)
        }
        var snapshot = IndexSnapshot.empty(lexicon: Lexicon(definitions: [], issues: []), fingerprint: 1)
        snapshot.files = files
        #expect(try IndexReader(bytes: snapshot.encoded()).files() == files)
    }

    /// A note's path is read alone from the nearest whole path before it (every 32nd note's),
    /// walking over skipped files whose paths are prefixes of the next: the same path as
    /// reading all of them, for every note, before and after the reader switches to that.
    @Test func aNotesPathReadAloneIsTheSameAsReadWithAll() throws {
        var files: [FileEntry] = []
        for k in 0..<150 {
            let path = "폴더 \(k / 40)/노트 \(String(k, radix: 7)).md"
            // Every fifth file skipped, and runs of them around the restart points.
            let skipped = k % 5 == 3 || (31...34).contains(k) || k == 64
            files.append(FileEntry(path: path, stat: FileStat(size: Int64(k), mtimeNs: Int64(k), ctimeNs: Int64(k), inode: UInt64(k)),
                hash: UInt64(k), skipReason: skipped ? "binary" : nil))
        }
        files.sort { $0.path.utf8.bytesPrecede($1.path.utf8) }
        var snapshot = IndexSnapshot.empty(lexicon: Lexicon(definitions: [], issues: []), fingerprint: 1)
        snapshot.files = files
        let notes = files.filter { $0.skipReason == nil }.map(\.path)
        snapshot.notes = notes.map { NoteRecord(path: $0, title: "", tags: [], links: [], lineCount: 0, tokenCount: 0, lineTokenStarts: [], mentions: []) }
        let bytes = snapshot.encoded()
        for id in notes.indices {
            // A new reader each time: its first reads are the paths read alone.
            #expect(try IndexReader(bytes: bytes).notePath(id) == notes[id], "note \(id)")
        }
        let reader = try IndexReader(bytes: bytes)
        #expect(try notes.indices.map { try reader.notePath($0) } == notes)
        #expect(try reader.notePaths() == notes)
        #expect(throws: CorruptIndex.self) { try IndexReader(bytes: bytes).notePath(notes.count) }
    }

    /// An update copies the blocks of the previous file table whose entries it repeats: the
    /// bytes are those of writing the table afresh, after edits, new and removed notes,
    /// skipped files, entities and aliases, and for a previous table of other entries.
    @Test func fileTableCopiedByBlocksIsTheTableWrittenAfresh() throws {
        var rng = SplitMix(seed: 7)
        func entry(_ k: Int, _ salt: Int) -> FileEntry {
            let kind = Int(rng.next() % 20)
            return FileEntry(path: "폴더 \(k / 50)/노트 \(k).md", stat: FileStat(size: Int64(k + salt), mtimeNs: Int64(k * 7 + salt), ctimeNs: Int64(k),
                inode: UInt64(k)), hash: UInt64(k + salt) &* 0x9E37_79B9_7F4A_7C15, skipReason: kind == 0 ? "binary" : nil,
                entity: kind == 1 ? Entity(name: "E\(k)", type: "concept", aliases: ["e\(k)"]) : nil, aliases: kind == 2 ? ["별칭 \(k)"] : [])
        }
        var files = (0..<700).map { entry($0, 0) }.sorted { $0.path.utf8.bytesPrecede($1.path.utf8) }
        var copied = 0
        for round in 0..<40 {
            let before = files
            let bytes = NoteParts.fileTable(before)
            switch round % 4 {
            case 0: files[Int(rng.next() % UInt64(files.count))] = entry(Int(rng.next() % 700), round + 1)
            case 1: files.remove(at: Int(rng.next() % UInt64(files.count)))
            case 2: files.append(entry(700 + round, round))
            default: files = files.map { rng.next() % 30 == 0 ? entry(Int(rng.next() % 700), round + 1) : $0 }
            }
            files.sort { $0.path.utf8.bytesPrecede($1.path.utf8) }
            try bytes.withUnsafeBytes { raw in
                let blocks = try #require(FileTableBlocks(files: before, bytes: raw))
                let same = NoteParts.fileTable(files, reusing: blocks) == NoteParts.fileTable(files)
                #expect(same, "round \(round)")
                // Told which entries differ (as a save's change set does), nothing is compared.
                if files.count == before.count {
                    let told = try #require(FileTableBlocks(files: before, bytes: raw, rechecked: files.indices.filter { files[$0] != before[$0] }))
                    let trusted = NoteParts.fileTable(files, reusing: told) == NoteParts.fileTable(files)
                    #expect(trusted, "round \(round)")
                }
                // Blocks start at every 32nd note.
                let starts = files.indices.filter { k in
                    files[k].skipReason == nil && files[..<k].filter { $0.skipReason == nil }.count % 32 == 0
                }
                copied += files.withUnsafeBufferPointer { new in zip(starts, starts.dropFirst()).filter { blocks.block(new, $0..<$1) != nil }.count }
            }
        }
        // Blocks were copied, not only written again.
        #expect(copied > 100)
        // A table of other entries copies nothing.
        let other = (0..<100).map { entry($0 + 5000, 9) }.sorted { $0.path.utf8.bytesPrecede($1.path.utf8) }
        try NoteParts.fileTable(other).withUnsafeBytes { raw in
            let blocks = try #require(FileTableBlocks(files: other, bytes: raw))
            let same = NoteParts.fileTable(files, reusing: blocks) == NoteParts.fileTable(files)
            #expect(same)
        }
    }

    /// A watcher's save copies the blocks of the file table it leaves as they were, unseen
    /// when the change set says every other entry is where it was. A note removed near the
    /// top and another added at the end keep the count but move every entry between: the
    /// table read back from disk is the vault's, not the old blocks.
    @Test func aSaveThatMovesEntriesWritesTheirBlocksAgain() throws {
        var files: [String: String] = [:]
        for k in 0..<70 { files["n\(String(format: "%02d", k)).md"] = "노트 \(k) FFM\n" }
        let v = try TempVault(files: files, lexicon: Self.lexicon)
        // Files written within two seconds of the index are checked again on every update
        // (their times may not have moved yet): past that, an update copies their entries.
        Thread.sleep(forTimeInterval: 2.1)
        var (reader, _) = try v.update()
        for (removed, added) in [("n05.md", "n99.md"), ("n40.md", "m00.md"), ("n99.md", "n41a.md")] {
            try v.remove(removed)
            try v.write(added, "새 노트 FFM\n")
            files[removed] = nil
            files[added] = "새 노트 FFM\n"
            (reader, _) = try v.update(current: reader)
            let onDisk = try #require(try IndexReader.load(path: v.root + "/.kg/index"))
            #expect(try onDisk.notePaths() == files.keys.sorted { $0.utf8.bytesPrecede($1.utf8) }, "\(removed) -> \(added)")
        }
    }

    @Test func mentionPlacesReadAloneAreTheRecordsMentions() throws {
        // Discovery on (records carry candidates), links, aliases, tags, an entity note.
        let v = try TempVault(files: [
            "a.md": "---\naliases: [에이]\ntags: [ml]\n---\n# FFM\nFFM 과 LightGCN 을 [[b]] 에서 비교. MLflow 도.\n\nFFM 은 FM 에서 왔다 #tag\n",
            "b.md": "LightGCN 과 FFM. [링크](a.md)\n카카오에서 FFM 을 쓴다.\n",
            "e/Graph Net.md": "---\nentity: concept\naliases: [GNN]\n---\nGNN 과 FFM\n",
        ])
        let (reader, _) = try v.update()
        #expect(try reader.noteCount() == 3)
        for id in 0..<(try reader.noteCount()) {
            let whole = try reader.note(at: id).mentions.map { Mention(entity: $0.entity, line: $0.line, block: $0.block, section: $0.section, surface: "", column: $0.column) }
            #expect(!whole.isEmpty)
            #expect(try reader.mentionPlaces(at: id) == whole, "note \(id)")
        }
    }

    @Test(arguments: ["garbage", "truncate", "flip", "version", "empty"])
    func damagedIndexIsRebuiltWithANotice(_ damage: String) throws {
        let v = try TempVault(files: Self.files, lexicon: Self.lexicon)
        #expect(v.kg("index").status == 0)
        let path = v.path(".kg/index")
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        switch damage {
        case "garbage": bytes = Array("not an index at all".utf8)
        case "truncate": bytes = Array(bytes.prefix(bytes.count / 2))
        case "flip": bytes[bytes.count - 3] ^= 0x40
        case "version": bytes[8] = 99
        default: bytes = []
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let r = v.kg("search", "카카오", "--json")
        #expect(r.status == 0)
        #expect(r.err.contains("rebuilding"))
        #expect(r.out.contains("\"note\": \"a.md\""))
        let again = v.kg("search", "카카오")
        #expect(again.err.isEmpty)
    }

    /// Damage found while an update merges the postings: the pass starts over as a rebuild,
    /// with a new temp file, and the new index is committed.
    @Test func aFlippedByteInTheFileTableIsCaughtWhenAPathIsReadAlone() throws {
        var snapshot = IndexSnapshot.empty(lexicon: Lexicon(definitions: [], issues: []), fingerprint: 1)
        let paths = (0..<40).map { "folder/a note named \(String($0, radix: 7)).md" }.sorted { $0.utf8.bytesPrecede($1.utf8) }
        snapshot.files = paths.enumerated().map { k, p in
            FileEntry(path: p, stat: FileStat(size: Int64(k), mtimeNs: Int64(k), ctimeNs: Int64(k), inode: UInt64(k)), hash: UInt64(k))
        }
        snapshot.notes = paths.map { NoteRecord(path: $0, title: "", tags: [], links: [], lineCount: 0, tokenCount: 0, lineTokenStarts: [], mentions: []) }
        var bytes = snapshot.encoded()
        #expect(try IndexReader(bytes: bytes).notePath(0) == paths[0])
        // The first path is stored whole: change one of its letters.
        let whole = Array(paths[0].utf8)
        let at = try #require((0...(bytes.count - whole.count)).first { Array(bytes[$0..<($0 + whole.count)]) == whole })
        bytes[at + 2] ^= 0x01
        #expect(throws: CorruptIndex.self) { try IndexReader(bytes: bytes).notePath(0) }
        #expect(throws: CorruptIndex.self) { try IndexReader(bytes: bytes).notePaths() }
    }

    @Test func damageFoundDuringAnUpdateRebuildsTheIndex() throws {
        let v = try TempVault(files: Self.files, lexicon: Self.lexicon)
        #expect(v.kg("index").status == 0)
        let path = v.path(".kg/index")
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count - 3] ^= 0x40  // in the postings, checked block by block
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        try v.write("d.md", "카카오 again\n")
        let r = v.kg("index")
        #expect(r.status == 0, "\(r.err)")
        #expect(r.err.contains("rebuilding"))
        let search = v.kg("search", "카카오", "--json")
        #expect(search.err.isEmpty)
        #expect(search.out.contains("\"note\": \"a.md\""))
        #expect(search.out.contains("\"note\": \"d.md\""))
        let kgFiles = try FileManager.default.contentsOfDirectory(atPath: v.path(".kg")).sorted()
        #expect(kgFiles == [".gitignore", "index", "lexicon.txt", "lock"])
    }

    @Test func noRefreshOnADamagedIndexSaysHowToFixIt() throws {
        let v = try TempVault(files: Self.files, lexicon: Self.lexicon)
        #expect(v.kg("index").status == 0)
        try v.write(".kg/index", "junk")
        let r = v.kg("search", "FM", "--no-refresh")
        #expect(r.status == 1)
        #expect(r.err.contains("kg index"))
    }

    @Test func theIndexStaysInsideDotKgWithAGitignore() throws {
        let v = try TempVault(files: Self.files, lexicon: Self.lexicon)
        let before = try FileManager.default.subpathsOfDirectory(atPath: v.root).filter { !$0.hasPrefix(".kg") }.sorted()
        #expect(v.kg("index").status == 0)
        #expect(v.kg("related", "FM").status == 0)
        let after = try FileManager.default.subpathsOfDirectory(atPath: v.root).filter { !$0.hasPrefix(".kg") }.sorted()
        #expect(before == after)
        let ignore = try String(contentsOfFile: v.path(".kg/.gitignore"), encoding: .utf8)
        #expect(ignore.contains("*\n!.gitignore\n!lexicon.txt"))
        let kgFiles = try FileManager.default.contentsOfDirectory(atPath: v.path(".kg")).sorted()
        #expect(kgFiles == [".gitignore", "index", "lexicon.txt", "lock"])
    }
}
