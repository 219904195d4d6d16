import Foundation
import Testing

@testable import KnowledgeGraph

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a watcher on a background thread until `stop()`.
final class RunningWatcher: @unchecked Sendable {
    let events = Collector()
    private var fds: [Int32] = [0, 0]
    private let done = DispatchSemaphore(value: 0)
    private(set) var error: KGError?
    private var joined = false

    init(_ v: TempVault, polling: Bool = false, configure: (inout Watcher) -> Void = { _ in }) {
        pipe(&fds)
        var watcher = Watcher(indexer: Indexer(vault: Vault(root: v.root)))
        watcher.forcePolling = polling
        watcher.pollSeconds = 0.2
        configure(&watcher)
        let configured = watcher
        let stopFD = fds[0]
        Thread.detachNewThread { [self] in
            do {
                try configured.run(stopFD: stopFD) { event in
                    switch event {
                    case .updated(let r): self.events.append("update \(r.added) \(r.changed) \(r.removed)\n")
                    case .unchanged: self.events.append("unchanged\n")
                    case .notice(let n): self.events.append("notice \(n)\n")
                    }
                }
            } catch {
                self.error = error as? KGError
            }
            self.done.signal()
        }
    }

    func stop() {
        var b: UInt8 = 1
        _ = write(fds[1], &b, 1)
        if !joined { _ = done.wait(timeout: .now() + 10) }
        joined = true
        close(fds[0])
        close(fds[1])
    }

    func finished(within seconds: Double) -> Bool {
        if joined { return true }
        joined = done.wait(timeout: .now() + seconds) == .success
        return joined
    }
}

/// Polls `condition` for up to `seconds`.
func eventually(_ seconds: Double = 10, _ condition: () -> Bool) -> Bool {
    let end = Date().addingTimeInterval(seconds)
    while Date() < end {
        if condition() { return true }
        usleep(20_000)
    }
    return condition()
}

@Suite(.serialized) struct WatcherTests {
    func found(_ v: TempVault, _ query: String) -> Bool {
        v.kg("search", query, "--no-refresh").out.contains(".md")
    }

    @Test func followsAtomicSavesNewFoldersMovesAndDeletes() throws {
        let v = try TempVault(files: ["a.md": "처음 노트\n"], lexicon: "concept: FFM\n")
        let w = RunningWatcher(v)
        defer { w.stop() }
        #expect(eventually { w.events.text.contains("update") })
        #expect(eventually { Watcher.isRunning(indexFolder: v.path(".kg")) })

        // An editor's atomic save: write a temp file, rename it over the note.
        try v.write(".a.md.tmp", "저장된 내용 FFM\n")
        try? FileManager.default.removeItem(atPath: v.path("a.md"))
        try v.move(".a.md.tmp", "a.md")
        #expect(eventually { found(v, "저장된") })
        #expect(!found(v, "처음"))

        // A new folder whose file lands at once.
        try v.write("new/deep/b.md", "새폴더 노트\n")
        #expect(eventually { found(v, "새폴더") })

        // A folder renamed, then a note deleted.
        try v.move("new", "renamed")
        #expect(eventually { v.kg("search", "새폴더", "--no-refresh").out.contains("renamed/deep/b.md") })
        try v.remove("a.md")
        #expect(eventually { !found(v, "저장된") })

        // Unpaired moves: a note moved in from outside the vault, another moved out.
        let outside = try TempVault(files: ["incoming.md": "들어온 노트\n"])
        try FileManager.default.moveItem(atPath: outside.path("incoming.md"), toPath: v.path("incoming.md"))
        #expect(eventually { found(v, "들어온") })
        try FileManager.default.moveItem(atPath: v.path("incoming.md"), toPath: outside.path("gone.md"))
        #expect(eventually { !found(v, "들어온") })

        // Editor temp files are not notes: they start no update at all. A note written
        // after them does, and its update is the only one.
        #expect(eventually { w.events.text.hasSuffix("\n") })
        usleep(300_000)
        let before = w.events.text.components(separatedBy: "\n").count
        try v.write("4913", "x")
        try v.write(".b.md.swp", "x")
        try v.write("b.md~", "x")
        try v.write(".c.md.tmp", "x")
        usleep(400_000)
        try v.write("marker.md", "표지 노트\n")
        #expect(eventually { found(v, "표지") })
        usleep(300_000)
        let after = w.events.text.components(separatedBy: "\n").dropFirst(before - 1).filter { !$0.isEmpty }
        #expect(after == ["update [\"marker.md\"] [] []"], "\(after)")
    }

    @Test func queriesTrustTheIndexWhileAWatcherRuns() throws {
        let v = try TempVault(files: ["a.md": "하나\n"])
        let w = RunningWatcher(v)
        #expect(eventually { Watcher.isRunning(indexFolder: v.path(".kg")) })
        try v.write("b.md", "둘째 노트\n")
        #expect(eventually { v.kg("search", "둘째").out.contains("b.md") })
        w.stop()
        #expect(!Watcher.isRunning(indexFolder: v.path(".kg")))
        try v.write("c.md", "셋째 노트\n")
        #expect(v.kg("search", "셋째").out.contains("c.md"))  // no watcher: the query refreshes
    }

    @Test func pollingFallbackKeepsTheIndexFresh() throws {
        let v = try TempVault(files: ["a.md": "하나\n"])
        let w = RunningWatcher(v, polling: true)
        defer { w.stop() }
        #expect(eventually { w.events.text.contains("update") })
        try v.write("b.md", "폴링 노트\n")
        #expect(eventually { found(v, "폴링") })
    }

    /// The updates reported since `mark` (a count of event lines).
    func updates(_ w: RunningWatcher, since mark: Int) -> [String] {
        w.events.text.components(separatedBy: "\n").dropFirst(mark).filter { $0.hasPrefix("update") }
    }
    func mark(_ w: RunningWatcher) -> Int { w.events.text.components(separatedBy: "\n").count - 1 }

    @Test func followsEditorsSafeWrites() throws {
        let v = try TempVault(files: ["a.md": "처음\n", "b.md": "둘째\n", "c.md": "셋째\n", "d.md": "넷째\n"])
        let w = RunningWatcher(v)
        defer { w.stop() }
        #expect(eventually { w.events.text.contains("update") })

        // vim: probe the folder with `4913`, rename the note to its backup, write it anew,
        // delete the backup.
        try v.write("4913", "")
        try v.remove("4913")
        try v.move("a.md", "a.md~")
        try v.write("a.md", "빔으로 저장\n")
        try v.remove("a.md~")
        #expect(eventually { found(v, "빔으로") })

        // JetBrains: a temp file, the note renamed away, the temp renamed over it, the old deleted.
        try v.write("b.md___jb_tmp___", "젯브레인 저장\n")
        try v.move("b.md", "b.md___jb_old___")
        #expect(rename(v.path("b.md___jb_tmp___"), v.path("b.md")) == 0)
        try v.remove("b.md___jb_old___")
        #expect(eventually { found(v, "젯브레인") })

        // VS Code's atomic save: a hidden temp file renamed over the note.
        try v.write(".c.md.vscode-tmp", "코드 저장\n")
        #expect(rename(v.path(".c.md.vscode-tmp"), v.path("c.md")) == 0)
        #expect(eventually { found(v, "코드") })

        // Obsidian: the note truncated and written in place.
        let h = try #require(FileHandle(forWritingAtPath: v.path("d.md")))
        h.truncateFile(atOffset: 0)
        h.write(Data("옵시디언 저장\n".utf8))
        h.closeFile()
        #expect(eventually { found(v, "옵시디언") })
        #expect(!found(v, "처음") && !found(v, "둘째") && !found(v, "셋째") && !found(v, "넷째"))
    }

    /// A writer slower than the quiet time: the note is applied once, when it is closed, not
    /// once half-written and again when done.
    @Test func aNoteStillOpenForWritingIsAppliedOnceClosed() throws {
        let v = try TempVault(files: ["a.md": "하나\n"])
        let w = RunningWatcher(v)
        defer { w.stop() }
        #expect(eventually { w.events.text.contains("update") })
        usleep(200_000)
        let m = mark(w)
        #expect(FileManager.default.createFile(atPath: v.path("slow.md"), contents: nil))
        let h = try #require(FileHandle(forWritingAtPath: v.path("slow.md")))
        h.write(Data("앞부분 ".utf8))
        usleep(300_000)
        h.write(Data("뒷부분\n".utf8))
        h.closeFile()
        #expect(eventually { found(v, "뒷부분") })
        usleep(300_000)
        let after = w.events.text.components(separatedBy: "\n").dropFirst(m).filter { !$0.isEmpty }
        #expect(after == ["update [\"slow.md\"] [] []"], "\(after)")
    }

    @Test func aCheckoutOfManyNotesIsOneUpdateAndARenamedFolderMovesThemAll() throws {
        let v = try TempVault(files: ["a.md": "하나\n"])
        let w = RunningWatcher(v)
        defer { w.stop() }
        #expect(eventually { w.events.text.contains("update") })
        usleep(200_000)
        var m = mark(w)
        // What `git checkout` does: many files written in a burst.
        for i in 0..<300 { try v.write("notes/n\(i).md", "체크아웃 \(i)\n") }
        #expect(eventually { v.kg("search", "체크아웃", "--no-refresh", "--limit", "0").out.contains("notes/n299.md") })
        usleep(300_000)
        #expect(updates(w, since: m).count <= 2, "\(updates(w, since: m))")
        // The folder renamed: every note follows, none is left under the old name.
        m = mark(w)
        try v.move("notes", "archive")
        #expect(eventually {
            let out = v.kg("search", "체크아웃", "--no-refresh", "--limit", "0", "--json").out
            return out.contains("archive/n299.md") && !out.contains("\"notes/")
        })
        #expect(updates(w, since: m).count == 1)
    }

    @Test func anOverflowChecksTheWholeVault() throws {
        let v = try TempVault(files: ["a.md": "하나\n"])
        let w = RunningWatcher(v) { $0.eventLimit = 5 }
        defer { w.stop() }
        #expect(eventually { w.events.text.contains("update") })
        for i in 0..<40 { try v.write("f\(i).md", "넘침 \(i)\n") }
        #expect(eventually { w.events.text.contains("overflowed") })
        #expect(eventually { v.kg("search", "넘침", "--no-refresh", "--limit", "0").out.components(separatedBy: "matching line").count - 1 == 40 })
    }

    @Test func aLostWatchIsWatchedAgainAndItsFolderChecked() throws {
        let v = try TempVault(files: ["a.md": "하나\n", "sub/b.md": "둘\n"])
        let w = RunningWatcher(v) { $0.dropWatches = ["sub"] }
        defer { w.stop() }
        #expect(eventually { w.events.text.contains("update") })
        usleep(200_000)
        try v.write("sub/c.md", "잃어버린 감시\n")
        #expect(eventually { found(v, "잃어버린") })
    }

    @Test func anIndexThatCannotBeWrittenIsRetriedAndTheLastGoodOneKept() throws {
        let v = try TempVault(files: ["a.md": "하나\n"])
        let w = RunningWatcher(v) { $0.retrySeconds = 0.3 }
        defer { w.stop() }
        #expect(eventually { w.events.text.contains("update") })
        // The index folder replaced by a file: nothing can be written there.
        let kg = v.path(".kg")
        try FileManager.default.moveItem(atPath: kg, toPath: v.path(".kg-saved"))
        try Data("x".utf8).write(to: URL(fileURLWithPath: kg))
        try v.write("b.md", "다시 시도\n")
        #expect(eventually { w.events.text.contains("trying again") })
        try FileManager.default.removeItem(atPath: kg)
        try FileManager.default.moveItem(atPath: v.path(".kg-saved"), toPath: kg)
        #expect(eventually { found(v, "다시") })
        #expect(found(v, "하나"))
    }

    /// A save writes a delta even past the footprint rule, and once the edits stop the delta
    /// is written whole again.
    @Test func savesWriteDeltasAndAQuietWatcherCompactsThem() throws {
        var files: [String: String] = [:]
        // Words of their own in every note: an index about as large as the notes.
        for i in 0..<300 { files["n\(i).md"] = "# 노트 \(i)\n" + (0..<20).map { "word\(i)x\($0) 항목\(i)번 모델\n" }.joined() }
        let v = try TempVault(files: files)
        let w = RunningWatcher(v) {
            $0.footprintSlack = .infinity
            $0.compactSeconds = 2
        }
        defer { w.stop() }
        #expect(eventually { w.events.text.contains("update") })
        let base = v.path(".kg/index.base")
        #expect(!FileManager.default.fileExists(atPath: base))
        try v.write("n3.md", "# 노트 3\n압축되기 전의 저장\n")
        #expect(eventually { found(v, "압축되기") })
        #expect(FileManager.default.fileExists(atPath: base))
        #expect(eventually { !FileManager.default.fileExists(atPath: base) })
        let notes = try (0..<300).reduce(0) { $0 + (try FileManager.default.attributesOfItem(atPath: v.path("n\($1).md"))[.size] as? Int ?? 0) }
        let index = try FileManager.default.attributesOfItem(atPath: v.path(".kg/index"))[.size] as? Int ?? 0
        #expect(index > notes * 8 / 10, "the test needs an index about as large as the notes: \(index) bytes for \(notes)")
        #expect(found(v, "압축되기"))
        #expect(v.kg("index", "--check").status == 0)
    }

    @Test func vaultDisappearingStopsTheWatcherWithAMessage() throws {
        let v = try TempVault(files: ["a.md": "하나\n"])
        let w = RunningWatcher(v)
        #expect(eventually { w.events.text.contains("update") })
        try FileManager.default.removeItem(atPath: v.root)
        #expect(w.finished(within: 10))
        #expect(w.error?.message.contains("disappeared") == true)
        w.stop()
    }
}
