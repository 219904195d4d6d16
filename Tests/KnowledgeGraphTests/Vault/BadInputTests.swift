import Foundation
import Testing

@testable import KnowledgeGraph

#if canImport(Glibc)
    import Glibc
#endif

/// Each kind of strange input from the safety issue: a clear message, nothing lost, no crash.
@Suite struct BadInputTests {
    static let lexicon = "concept: FFM\ncompany: 카카오\n"

    func indexJSON(_ v: TempVault) throws -> [String: Any] {
        let r = v.kg("index", "--json")
        #expect(r.status == 0, "\(r.err)")
        return try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
    }

    func skipped(_ json: [String: Any]) -> [String: String] {
        var out: [String: String] = [:]
        for s in json["skipped"] as? [[String: String]] ?? [] { out[s["path"] ?? ""] = s["reason"] }
        return out
    }

    @Test func legacyAndUnicodeEncodingsAreSearchable() throws {
        let v = try TempVault(lexicon: Self.lexicon)
        // "카카오에서 FFM" in CP949 and EUC-KR (the same bytes for these syllables).
        try v.write("cp949.md", bytes: [0xC4, 0xAB, 0xC4, 0xAB, 0xBF, 0xC0, 0xBF, 0xA1, 0xBC, 0xAD, 0x20, 0x46, 0x46, 0x4D])
        // "똠방각하" uses CP949's extended Hangul (똠 is not in EUC-KR).
        try v.write("cp949-ext.md", bytes: [0x8C, 0x63, 0xB9, 0xE6, 0xB0, 0xA2, 0xC7, 0xCF])
        try v.write("latin1.md", bytes: Array("caf".utf8) + [0xE9] + Array(" au lait FFM".utf8))
        try v.write("bom.md", bytes: [0xEF, 0xBB, 0xBF] + Array("BOM 노트 카카오".utf8))
        var utf16: [UInt8] = [0xFF, 0xFE]
        for u in "UTF16 노트 카카오".utf16 { utf16 += [UInt8(u & 0xFF), UInt8(u >> 8)] }
        try v.write("utf16.md", bytes: utf16)
        let json = try indexJSON(v)
        #expect(skipped(json).isEmpty)
        let kakao = v.kg("search", "카카오", "--json").out
        for note in ["cp949.md", "bom.md", "utf16.md"] { #expect(kakao.contains("\"\(note)\""), "\(note)") }
        #expect(v.kg("search", "똠방").out.contains("cp949-ext.md"))
        #expect(v.kg("search", "café").out.contains("latin1.md"))
        #expect(v.kg("mentions", "카카오", "--json").out.contains("\"cp949.md\""))
        #expect(v.kg("search", "카카오에서").out.contains("cp949.md:1: 카카오에서 FFM"))
    }

    @Test func binaryFileIsSkippedWithTheOffsetOfItsNulByte() throws {
        let v = try TempVault(files: ["ok.md": "FFM\n"], lexicon: Self.lexicon)
        try v.write("image.md", bytes: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00])
        let json = try indexJSON(v)
        #expect(skipped(json)["image.md"] == "binary file (NUL byte at offset 8)")
        #expect((json["added"] as? [String]) == ["ok.md"])
    }

    @Test func emptyNoteIsANote() throws {
        let v = try TempVault(files: ["empty.md": ""], lexicon: Self.lexicon)
        let json = try indexJSON(v)
        #expect((json["added"] as? [String]) == ["empty.md"])
        #expect(v.kg("search", "anything").status == 0)
    }

    @Test func hugeNoteIsSkippedAboveTheSizeLimit() throws {
        let v = try TempVault(files: ["ok.md": "FFM\n"], lexicon: Self.lexicon)
        let fd = open(v.path("huge.md"), O_WRONLY | O_CREAT, 0o644)
        ftruncate(fd, 100_000_000)  // sparse: 100 MB without writing them
        close(fd)
        let json = try indexJSON(v)
        #expect(skipped(json)["huge.md"]?.contains("size limit") == true)
    }

    /// A 20 MB note on one line is indexed (in linear time: 10× the text takes 10× as long,
    /// measured in the README, not asserted here).
    @Test func twentyMegabyteSingleLineIsIndexed() throws {
        let v = try TempVault(lexicon: Self.lexicon)
        let chunk = "FFM 카카오에서 word "
        let line = String(repeating: chunk, count: 20_000_000 / chunk.utf8.count)
        try v.write("long.md", line)
        let json = try indexJSON(v)
        #expect((json["added"] as? [String]) == ["long.md"])
        let r = v.kg("search", "카카오", "--json")
        #expect(r.out.contains("\"line\": 1"))
    }

    @Test func nfcAndNfdFileNamesAreTwoNotes() throws {
        let nfc = "카카오.md"
        let nfd = nfc.decomposedStringWithCanonicalMapping
        #expect(Array(nfc.utf8) != Array(nfd.utf8))
        let v = try TempVault(lexicon: Self.lexicon)
        try v.write(nfc, "NFC 이름\n")
        try v.write(nfd, "NFD 이름\n")
        let json = try indexJSON(v)
        #expect((json["added"] as? [String])?.count == 2)
        #expect(v.kg("stats", "--json").out.contains("\"notes\": 2"))
        try v.remove(nfd)
        let after = try indexJSON(v)
        #expect((after["removed"] as? [String])?.count == 1)
        #expect(v.kg("search", "NFC").out.contains("카카오.md"))
    }

    @Test func nonUTF8FileNameIsReportedNotFatal() throws {
        let v = try TempVault(files: ["ok.md": "FFM\n"], lexicon: Self.lexicon)
        let name: [UInt8] = Array(v.root.utf8) + [0x2F, 0xC7, 0xD1, 0x2E, 0x6D, 0x64, 0x00]  // EUC-KR "한.md"
        let fd = name.withUnsafeBufferPointer { p in p.baseAddress!.withMemoryRebound(to: CChar.self, capacity: name.count) { open($0, O_WRONLY | O_CREAT, 0o644) } }
        #expect(fd >= 0)
        close(fd)
        let json = try indexJSON(v)
        #expect(skipped(json).values.contains { $0.contains("not valid UTF-8") })
        #expect((json["added"] as? [String]) == ["ok.md"])
    }

    @Test func symlinksAreNotFollowedAndNeverHang() throws {
        let outside = try TempVault(files: ["secret.md": "바깥 노트\n"])
        let v = try TempVault(files: ["real.md": "진짜 노트\n", "sub/x.md": "하위\n"], lexicon: Self.lexicon)
        let fm = FileManager.default
        try fm.createSymbolicLink(atPath: v.path("link.md"), withDestinationPath: v.path("real.md"))
        try fm.createSymbolicLink(atPath: v.path("outside"), withDestinationPath: outside.root)
        try fm.createSymbolicLink(atPath: v.path("dangling.md"), withDestinationPath: v.path("nowhere.md"))
        try fm.createSymbolicLink(atPath: v.path("sub/loop"), withDestinationPath: v.path("sub"))
        let json = try indexJSON(v)
        #expect(Set(json["added"] as? [String] ?? []) == ["real.md", "sub/x.md"])
        let s = skipped(json)
        #expect(s["link.md"] == "symbolic link (not followed)")
        #expect(s["dangling.md"] == "symbolic link (not followed)")
        #expect(!v.kg("search", "바깥").out.contains("secret"))
    }

    @Test func ignoreFilesWithNegationAndFolderRules() throws {
        let v = try TempVault(files: [
            ".gitignore": "# build output\ndrafts/\n*.tmp.md\n!keep.tmp.md\n/top.md\n",
            ".kgignore": "private/**\n!private/public.md\n",
            "a.md": "보임\n", "top.md": "루트 전용\n", "sub/top.md": "하위 top\n",
            "drafts/d.md": "초안\n", "x.tmp.md": "임시\n", "keep.tmp.md": "유지\n",
            "private/p.md": "비밀\n", "private/public.md": "공개\n",
            "sub/.kgignore": "*.md\n!wanted.md\n", "sub/wanted.md": "원함\n", "sub/unwanted.md": "원치않음\n",
        ], lexicon: Self.lexicon)
        let json = try indexJSON(v)
        #expect(Set(json["added"] as? [String] ?? []) == ["a.md", "keep.tmp.md", "private/public.md", "sub/wanted.md"])
    }

    @Test func editorAndSyncFilesAreHandled() throws {
        let v = try TempVault(files: [
            "note.md": "원본\n", "4913": "vim probe", "note.md.swp": "swap", ".note.md.swp": "swap", "note.md~": "backup",
            ".note.md.icloud": "stub", "note (conflicted copy).md": "충돌 사본\n", "note.sync-conflict-20240101-120000.md": "동기화 충돌\n",
        ], lexicon: Self.lexicon)
        let json = try indexJSON(v)
        #expect(Set(json["added"] as? [String] ?? []) == ["note (conflicted copy).md", "note.md", "note.sync-conflict-20240101-120000.md"])
        #expect(skipped(json).isEmpty)
    }

    @Test func fiveHundredNestedFolders() throws {
        let v = try TempVault(lexicon: Self.lexicon)
        let deep = (0..<500).map { _ in "d" }.joined(separator: "/")
        try v.write(deep + "/bottom.md", "맨 아래 FFM\n")
        let json = try indexJSON(v)
        #expect((json["added"] as? [String]) == [deep + "/bottom.md"])
        #expect(v.kg("related", "FFM").status == 0)
    }

    @Test func missingVaultAndVaultThatIsAFile() throws {
        let v = try TempVault(files: ["f.md": "x"])
        #expect(v.kg(["index", "--vault", v.path("nope")]).status == 66)
        #expect(v.kg(["index", "--vault", v.path("f.md")]).status == 66)
    }
}
