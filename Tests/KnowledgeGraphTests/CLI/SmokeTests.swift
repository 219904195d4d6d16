import Foundation
import Testing

/// Runs the built `kg` binary on a copy of the sample vault, as a user would.
@Suite struct SmokeTests {
    static func binary() -> String? {
        var candidates: [URL] = []
        if let exe = Bundle.main.executableURL { candidates.append(exe.deletingLastPathComponent()) }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
        candidates.append(TempVault.repositoryRoot.appendingPathComponent(".build/debug"))
        for c in candidates {
            var dir = c
            for _ in 0..<4 {
                let kg = dir.appendingPathComponent("kg").path
                if FileManager.default.isExecutableFile(atPath: kg) { return kg }
                dir = dir.deletingLastPathComponent()
            }
        }
        return nil
    }

    @Test func kgOnTheSampleVault() throws {
        let kg = try #require(Self.binary(), "the kg executable was not built")
        let v = try TempVault.sample()
        let index = try runProgram(kg, ["index", "--vault", v.root])
        #expect(index.0 == 0, "\(index.2)")
        #expect(index.1.contains("added: 5"))
        let related = try runProgram(kg, ["related", "FFM", "--limit", "0"], cwd: v.root)
        #expect(related.0 == 0, "\(related.2)")
        #expect(related.1.hasPrefix("FFM (concept)"))
        let lines = related.1.split(separator: "\n")
        let fm = try #require(lines.firstIndex { $0.contains(". FM (concept)") }, "FM is not among FFM's neighbours")
        // The models FFM was discussed with rank above the MLOps tools that only share a
        // long note with it.
        let airflow = try #require(lines.firstIndex { $0.contains(". Airflow (tool)") }, "Airflow is not among FFM's neighbours")
        #expect(fm < airflow)
        let search = try runProgram(kg, ["search", "카카오", "--vault", v.root])
        #expect(search.0 == 0)
        #expect(search.1.contains("career/기업설명회-스캐터랩-카카오엔터-백패커.md"))
        let mentions = try runProgram(kg, ["mentions", "LightGCN", "--vault", v.root])
        #expect(mentions.1 == "bootcamp/멘토링-회고.md:216:1: lightgcn을 적용하려면\n")
        let missing = try runProgram(kg, ["stats", "--vault", v.root + "/nope"])
        #expect(missing.0 == 66)
        #expect(missing.2.hasPrefix("kg: error: vault not found"))
    }
}

@Suite struct WatchCommandTests {
    @Test func watchPrintsUpdatesAndStopsCleanlyOnCtrlC() throws {
        let kg = try #require(SmokeTests.binary(), "the kg executable was not built")
        let v = try TempVault(files: ["a.md": "하나\n"])
        let p = Process()
        p.executableURL = URL(fileURLWithPath: kg)
        p.arguments = ["watch", "--vault", v.root]
        let out = Pipe()
        p.standardOutput = out
        let errors = Pipe()
        p.standardError = errors
        try p.run()
        let collected = Collector()
        out.fileHandleForReading.readabilityHandler = { h in collected.append(String(decoding: h.availableData, as: UTF8.self)) }
        #expect(eventually { collected.text.contains("5 added") || collected.text.contains("1 added") })
        try v.write("b.md", "둘째\n")
        #expect(eventually { collected.text.contains("b.md") })
        // While it runs, it answers the vault's queries, and removes its socket when it stops.
        #expect(FileManager.default.fileExists(atPath: v.path(".kg/query.sock")))
        let search = try runProgram(kg, ["search", "둘째", "--no-refresh", "--vault", v.root])
        #expect(search.0 == 0 && search.1.hasPrefix("b.md"), "\(search)")
        p.interrupt()
        p.waitUntilExit()
        // The last lines may not have reached the handler yet: read what is left directly.
        out.fileHandleForReading.readabilityHandler = nil
        collected.append(String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
        #expect(p.terminationStatus == 0)
        // Its own messages go to stderr; stdout holds only the update lines.
        #expect(String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).contains("kg: note: stopped watching"))
        #expect(!collected.text.contains("watching"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: v.path(".kg")).filter { $0.contains("tmp") || $0.contains("sock") }
        #expect(leftovers.isEmpty)
    }
}
