import Foundation
import KnowledgeGraph

enum WatchCommand {
    static let command = Command(
        name: "watch", synopsis: "", summary: "keep the index fresh while notes change (Ctrl-C stops)",
        details: """
            Keeps the index fresh while it runs, printing one line per applied update on
            stdout (what changed, how long it took; with --json one JSON object a line) and
            its own messages on stderr. Uses inotify on Linux: the files and folders the
            events name are checked 10 ms after a save (100 ms once a burst settles, as a
            git checkout), so atomic saves (temp file + rename), moves and new folders end in
            one correct update; the whole vault is checked at start, after a queue
            overflow, and every 10 minutes.
            Falls back to polling every second when inotify is unavailable or its watch
            limit is reached, or with --poll. While a watcher runs, query commands (search,
            related, path, communities, mentions, entities, stats, backlinks, links,
            unresolved, orphans) are answered by it, from the index it keeps open, through
            .kg/query.sock; with KG_LOCAL=1 set, a command opens the index itself. Ctrl-C
            stops it cleanly.
            """,
        arguments: 0...0, options: ["--poll"]
    ) { inv throws(KGError) in
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw .failure("cannot create a pipe: \(String(cString: strerror(errno)))") }
        defer {
            close(fds[0])
            close(fds[1])
        }
        // Ctrl-C and SIGTERM stop the watcher between updates, never in the middle of one.
        let stopWriter = fds[1]
        let queue = DispatchQueue(label: "kg.watch.signals")
        var sources: [DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            source.setEventHandler {
                var byte: UInt8 = 1
                _ = Glibc.write(stopWriter, &byte, 1)
            }
            source.resume()
            sources.append(source)
        }
        defer {
            for s in sources { s.cancel() }
            signal(SIGINT, SIG_DFL)
            signal(SIGTERM, SIG_DFL)
        }
        inv.note("watching \(inv.kb.vault.root) (Ctrl-C to stop)")
        let console = inv.console
        let json = inv.json
        // Queries are answered here once the watcher holds the vault's lock.
        var serving = QueryServing(kb: inv.kb, log: console.err)
        defer { serving.stop() }
        try inv.kb.watch(polling: inv.flag("--poll"), stopFD: fds[0]) { event in
            switch event {
            case .notice(let text): console.err("kg: note: \(text)\n")
            case .updated(let r): console.out(updateLine(r, json: json) + "\n")
            case .unchanged: break
            }
            serving.follow(event)
        }
        inv.note("stopped watching")
    }

    /// One line per applied update: time, counts, the paths when few, duration.
    static func updateLine(_ r: IndexReport, json: Bool) -> String {
        let ms = Int((r.seconds * 1000).rounded())
        if json {
            return JSON.object([("added", .array(r.added.map { JSON.string($0) })), ("changed", .array(r.changed.map { JSON.string($0) })),
                ("removed", .array(r.removed.map { JSON.string($0) })), ("rebuilt", r.rebuildReason.map { JSON.string($0) } ?? .null),
                ("milliseconds", .int(ms))]).rendered(pretty: false)
        }
        var t = time(nil)
        var tm = tm()
        localtime_r(&t, &tm)
        let clock = String(format: "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec)
        var parts: [String] = []
        if let why = r.rebuildReason { parts.append("rebuilt (\(why))") }
        if !r.added.isEmpty { parts.append("\(r.added.count) added") }
        if !r.changed.isEmpty { parts.append("\(r.changed.count) changed") }
        if !r.removed.isEmpty { parts.append("\(r.removed.count) removed") }
        // A start that only wrote what it learnt of the files (new inodes after a copy).
        if parts.isEmpty { parts.append("up to date, \(r.unchanged) unchanged") }
        let paths = r.added + r.changed + r.removed
        var line = "\(clock)  \(parts.joined(separator: ", ")) in \(ms) ms"
        if !paths.isEmpty && paths.count <= 3 { line += ": " + paths.joined(separator: ", ") }
        return line
    }
}
