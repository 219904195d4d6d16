import Foundation
import Testing

@testable import KnowledgeGraph

#if canImport(Glibc)
    import Glibc
#endif

/// Runs the kg binary as an unprivileged user when the tests run as root (so that file
/// permissions apply), handing the vault to that user first.
func runUnprivileged(_ v: TempVault, _ args: [String]) throws -> (Int32, String, String) {
    let kg = try #require(SmokeTests.binary(), "the kg executable was not built")
    if geteuid() != 0 { return try runProgram(kg, args + ["--vault", v.root]) }
    _ = try runProgram("/bin/chown", ["-R", "65534:65534", v.root])
    _ = try runProgram("/bin/chmod", ["755", v.root])
    return try runProgram("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "--", kg] + args + ["--vault", v.root])
}

@Suite(.serialized) struct SafetyTests {
    static let lexicon = "concept: FFM\ncompany: 카카오\n"

    @Test func unreadableFileAndFolderKeepTheirPreviousEntries() throws {
        let v = try TempVault(files: ["a.md": "카카오 하나\n", "locked.md": "잠긴 노트\n", "dir/b.md": "폴더 안 노트\n"], lexicon: Self.lexicon)
        let first = try runUnprivileged(v, ["index"])
        #expect(first.0 == 0, "\(first.2)")
        chmod(v.path("locked.md"), 0)
        chmod(v.path("dir"), 0)
        let second = try runUnprivileged(v, ["index"])
        #expect(second.0 == 0, "\(second.2)")
        #expect(second.1.contains("locked.md: cannot be read"))
        #expect(second.1.contains("dir/: folder cannot be read"))
        #expect(second.1.contains("removed: 0"))
        let search = try runUnprivileged(v, ["search", "노트"])
        #expect(search.1.contains("locked.md") && search.1.contains("dir/b.md"))
        chmod(v.path("dir"), 0o755)
        chmod(v.path("locked.md"), 0o644)
    }

    @Test func indexFolderThatCannotBeCreatedExits73() throws {
        let v = try TempVault(files: ["a.md": "x\n"])
        try v.write(".kg", "a file where the folder should be")
        let r = v.kg("index")
        #expect(r.status == 73)
        #expect(r.err.contains("cannot create the index folder"))
    }

    @Test func failedWriteExits74AndKeepsThePreviousIndex() throws {
        let v = try TempVault(files: ["a.md": "카카오\n"], lexicon: Self.lexicon)
        #expect(v.kg("index").status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: v.path(".kg/index")))
        try v.write("b.md", "새 노트\n")
        // The temp file's name is taken by a folder: the write fails.
        try FileManager.default.createDirectory(atPath: v.path(".kg/index.tmp-\(getpid())"), withIntermediateDirectories: false)
        let r = v.kg("index")
        #expect(r.status == 74)
        #expect(r.err.contains("the previous index is unchanged"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: v.path(".kg/index"))) == before)
    }

    @Test func diskFullStyleFailureExits74WithNoTempFileLeft() throws {
        let kg = try #require(SmokeTests.binary())
        var files: [String: String] = [:]
        for i in 0..<200 { files["n\(i).md"] = String(repeating: "카카오에서 FFM 노트 \(i) ", count: 50) }
        let v = try TempVault(files: files, lexicon: Self.lexicon)
        #expect(v.kg("index").status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: v.path(".kg/index")))
        try v.write("new.md", "추가\n")
        // ulimit -f caps the size of files the process may write (in 512-byte blocks).
        let r = try runProgram("/bin/sh", ["-c", "ulimit -f 8; exec \"$0\" index --vault \"$1\"", kg, v.root])
        #expect(r.0 == 74, "\(r.2)")
        #expect(r.2.hasPrefix("kg: error: cannot write the index"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: v.path(".kg/index"))) == before)
        let names = try FileManager.default.contentsOfDirectory(atPath: v.path(".kg"))
        #expect(!names.contains { $0.contains(".tmp-") })
    }

    @Test func secondWriterWaitsOrExits75() throws {
        let kg = try #require(SmokeTests.binary())
        let v = try TempVault(files: ["a.md": "x\n"])
        #expect(v.kg("index").status == 0)
        let fd = open(v.path(".kg/lock"), O_RDWR)
        #expect(flock(fd, LOCK_EX) == 0)
        let noWait = try runProgram(kg, ["index", "--no-wait", "--vault", v.root])
        #expect(noWait.0 == 75)
        #expect(noWait.2.contains("--no-wait"))
        // A reader is not blocked: it answers from the committed index.
        let read = try runProgram(kg, ["search", "x", "--vault", v.root])
        #expect(read.0 == 0)
        // A writer that may wait says so, then goes on when the lock is released: released
        // only once it has said it waits.
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: kg)
        writer.arguments = ["index", "--vault", v.root]
        let err = Pipe()
        writer.standardError = err
        writer.standardOutput = FileHandle.nullDevice
        let said = Collector()
        err.fileHandleForReading.readabilityHandler = { said.append(String(decoding: $0.availableData, as: UTF8.self)) }
        try writer.run()
        #expect(eventually(30) { said.text.contains("waiting for another kg") })
        #expect(writer.isRunning, "the writer went on while the lock was held")
        flock(fd, LOCK_UN)
        close(fd)
        writer.waitUntilExit()
        err.fileHandleForReading.readabilityHandler = nil
        #expect(writer.terminationStatus == 0)
    }

    @Test func massDeletionIsRefusedUnlessAllowed() throws {
        var files: [String: String] = [:]
        for i in 0..<30 { files["sync/n\(i).md"] = "노트 \(i)\n" }
        files["keep.md"] = "남는 노트\n"
        let v = try TempVault(files: files)
        #expect(v.kg("index").status == 0)
        try FileManager.default.removeItem(atPath: v.path("sync"))
        // A query answers from the last index and says why; only kg index refuses.
        let answered = v.kg("search", "노트")
        #expect(answered.status == 0)
        #expect(answered.err.hasPrefix("kg: warning: 30 notes of 31 are gone"))
        #expect(answered.err.contains("--allow-mass-delete"))
        #expect(answered.out.contains("sync/n1.md"))
        let refused = v.kg("index")
        #expect(refused.status == 65)
        #expect(refused.err.contains("--allow-mass-delete"))
        #expect(v.kg("stats", "--json", "--no-refresh").out.contains("\"notes\": 31"))
        let allowed = v.kg("index", "--allow-mass-delete")
        #expect(allowed.status == 0)
        #expect(allowed.out.contains("removed: 30"))
    }

    @Test func writerKilledMidCommitLeavesTheOldOrTheNewIndex() throws {
        let kg = try #require(SmokeTests.binary())
        var files: [String: String] = [:]
        for i in 0..<400 { files["d\(i % 7)/n\(i).md"] = String(repeating: "카카오에서 FFM을 썼다 \(i) 면접 ", count: 40) }
        let v = try TempVault(files: files, lexicon: Self.lexicon)
        #expect(v.kg("index").status == 0)
        var dumps: [IncrementalTests.Dump] = [try IncrementalTests.dump(try #require(try IndexReader(path: v.path(".kg/index"))))]
        for round in 0..<6 {
            for i in 0..<40 { try v.write("d\(i % 7)/n\(i).md", "round \(round) 카카오 \(i)\n") }
            let p = Process()
            p.executableURL = URL(fileURLWithPath: kg)
            p.arguments = ["index", "--rebuild", "--vault", v.root]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            usleep(UInt32(20_000 + round * 25_000))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            let reader = try #require(try IndexReader(path: v.path(".kg/index")), "round \(round): no index")
            let now = try IncrementalTests.dump(reader)
            // Either the last committed index or one reflecting this round.
            let fresh = try IncrementalTests.rebuilt(v)
            #expect(dumps.last == now || fresh == now, "round \(round): index is neither the old nor the new one")
            #expect(v.kg("index").status == 0)
            dumps.append(try IncrementalTests.dump(try #require(try IndexReader(path: v.path(".kg/index")))))
            let names = try FileManager.default.contentsOfDirectory(atPath: v.path(".kg"))
            #expect(!names.contains { $0.contains(".tmp-") }, "a later writer removes a killed writer's temp file")
        }
    }
}
