import Foundation
import Testing

@testable import KnowledgeGraph
@testable import KnowledgeGraphCLI

#if canImport(Glibc)
    import Glibc
#endif

/// Query commands answered by a running watcher through `.kg/query.sock`: the same bytes and
/// exit status as when the command opens the index itself, fresh after a save, and a command
/// that runs by itself whenever no watcher answers.
@Suite(.serialized) struct QueryServiceTests {
    func run(_ args: [String], env: [String: String] = [:], cwd: String) -> (Int32, String, String) {
        runCLI(args, env: env, cwd: cwd)
    }

    /// A watcher of `v` holding its lock, and the query service a `kg watch` starts.
    func serving(_ v: TempVault) throws -> (RunningWatcher, QueryService) {
        let w = RunningWatcher(v)
        #expect(eventually { w.events.text.contains("update") || w.events.text.contains("unchanged") })
        let kb = KnowledgeBase(vault: Vault(root: v.root))
        let started = QueryService.start(kb: kb, log: { _ in })
        let service = try #require(started)
        return (w, service)
    }

    static let queries: [[String]] = [
        ["related", "FFM"], ["related", "FFM", "--json", "--explain"], ["search", "카카오"], ["search", "FFM", "--json", "--limit", "2"],
        ["search", "FM", "NOT", "FFM"], ["mentions", "LightGCN"], ["entities", "--limit", "5"], ["stats"], ["path", "FFM", "카카오"],
        ["communities", "--limit", "2"], ["backlinks", "멘토링-회고.md", "--unlinked", "--limit", "3"], ["orphans"], ["unresolved"],
        ["related", "NoSuchEntity"], ["search", "--no-refresh", "lightgcn을"],
    ]

    @Test func aWatcherAnswersQueriesWithTheBytesTheCommandWritesItself() throws {
        let v = try TempVault.sample()
        let (w, service) = try serving(v)
        defer {
            service.stop()
            w.stop()
        }
        for q in Self.queries {
            let local = run(["--vault", v.root] + q, env: ["KG_LOCAL": "1"], cwd: "/")
            let before = service.answered
            let served = run(["--vault", v.root] + q, cwd: "/")
            #expect(service.answered == before + 1, "\(q) was not answered by the watcher")
            #expect(served.0 == local.0, "\(q)")
            #expect(served.1 == local.1, "\(q)")
            #expect(served.2 == local.2, "\(q)")
        }
        // From the vault's folder, a note named by a path relative to it.
        let local = run(["related", "bootcamp/멘토링-회고.md"], env: ["KG_LOCAL": "1"], cwd: v.root)
        #expect(local.0 == 0)
        #expect(run(["related", "bootcamp/멘토링-회고.md"], cwd: v.root) == local)
        // Commands that write are never handed over.
        let answered = service.answered
        #expect(run(["index", "--vault", v.root], cwd: "/").0 == 0)
        #expect(run(["suggest", "--vault", v.root], cwd: "/").0 == 0)
        #expect(service.answered == answered)
    }

    @Test func theServersWatcherAnswersQueriesToo() throws {
        let v = try TempVault.sample()
        #expect(run(["index", "--vault", v.root], cwd: "/").0 == 0)
        let background = BackgroundWatcher(kb: KnowledgeBase(vault: Vault(root: v.root)), log: { _ in })
        #expect(eventually { background.service != nil })
        let local = run(["--vault", v.root, "related", "FFM"], env: ["KG_LOCAL": "1"], cwd: "/")
        #expect(run(["--vault", v.root, "related", "FFM"], cwd: "/") == local)
        #expect(background.service?.answered == 1)
        background.stop()
        #expect(!FileManager.default.fileExists(atPath: v.path(".kg/query.sock")))
    }

    @Test func aSavedNoteIsFoundThroughTheWatcher() throws {
        let v = try TempVault(files: ["a.md": "처음 노트\n"], lexicon: "concept: FFM\n")
        let (w, service) = try serving(v)
        defer {
            service.stop()
            w.stop()
        }
        #expect(run(["search", "--vault", v.root, "--no-refresh", "쿼카"], cwd: "/").1.isEmpty)
        try v.write("b.md", "쿼카를 봤다\n")
        #expect(eventually { run(["search", "--vault", v.root, "--no-refresh", "쿼카"], cwd: "/").1.contains("b.md") })
        #expect(service.answered >= 2)
    }

    @Test func withoutAnAnswerTheCommandRunsItself() throws {
        let v = try TempVault.sample()
        #expect(run(["index", "--vault", v.root], cwd: "/").0 == 0)
        let expected = run(["--vault", v.root, "related", "FFM"], env: ["KG_LOCAL": "1"], cwd: "/")
        let path = try #require(QueryProtocol.socketPath(indexFolder: v.path(".kg")))
        // A socket left by a watcher that died: nobody listens.
        let stale = QueryProtocol.newSocket()
        var addr = QueryProtocol.address(path)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(stale, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
        close(stale)
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(run(["--vault", v.root, "related", "FFM"], cwd: "/") == expected)
        // A listener that hangs up without answering, or answers with garbage.
        unlink(path)
        let listener = QueryProtocol.newSocket()
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
        #expect(listen(listener, 4) == 0)
        defer {
            close(listener)
            unlink(path)
        }
        for reply in [[], Array("KGA1".utf8) + [0, 0, 0, 0, 0, 1, 9, 9, 9, 9], Array("nonsense".utf8)] as [[UInt8]] {
            let hangUp = Thread {
                let c = accept(listener, nil, nil)
                guard c >= 0 else { return }
                _ = QueryProtocol.receive(c, limit: 1 << 20, timeoutMS: 2_000) { $0.count >= 8 }
                _ = QueryProtocol.send(c, reply)
                close(c)
            }
            hangUp.start()
            #expect(run(["--vault", v.root, "related", "FFM"], cwd: "/") == expected, "reply \(reply)")
        }
    }

    /// Whether this process maps the index file at `path` that has been replaced (deleted).
    func mapsReplacedIndex(_ path: String) -> Bool {
        // Read to its end: a file of /proc says it is empty.
        let maps = (try? FileHandle(forReadingFrom: URL(fileURLWithPath: "/proc/self/maps")).readToEnd()) ?? nil
        return String(decoding: maps ?? Data(), as: UTF8.self).contains(path + " (deleted)")
    }

    @Test func aCommitLetsGoOfTheViewOfTheReplacedIndex() throws {
        let v = try TempVault(files: ["a.md": "FFM과 FM\n"], lexicon: "concept: FFM\nconcept: FM\n")
        _ = try v.update()
        let kb = KnowledgeBase(vault: Vault(root: v.root), options: .init(refresh: false))
        _ = try kb.related("FFM")
        try v.write("b.md", "FFM 노트\n")
        // Written whole: the file answered from is deleted (a delta would keep it as its base).
        _ = try v.update(Indexer.Options(rebuild: true))
        // The view answered from holds the replaced file until it is let go of.
        #expect(mapsReplacedIndex(v.path(".kg/index")))
        kb.dropStaleView()
        #expect(eventually { !mapsReplacedIndex(v.path(".kg/index")) })
        #expect(try kb.related("FFM").neighbours.count == 1)
    }

    @Test func aWatcherDeclinesAnotherVaultAndRemovesItsSocketWhenItStops() throws {
        let v = try TempVault.sample()
        let other = try TempVault(files: ["x.md": "FFM\n"], lexicon: "concept: FFM\n")
        let (w, service) = try serving(v)
        let kb = KnowledgeBase(vault: Vault(root: v.root))
        let console = Console(out: { _ in }, err: { _ in }, errIsTerminal: false)
        #expect(CLI.run(["related", "FFM", "--vault", other.root], environment: [:], currentDirectory: "/", console: console, served: kb) == nil)
        #expect(CLI.run(["index", "--vault", v.root], environment: [:], currentDirectory: "/", console: console, served: kb) == nil)
        #expect(FileManager.default.fileExists(atPath: v.path(".kg/query.sock")))
        service.stop()
        w.stop()
        #expect(!FileManager.default.fileExists(atPath: v.path(".kg/query.sock")))
        #expect(run(["--vault", v.root, "related", "FFM"], cwd: "/").0 == 0)
    }
}
