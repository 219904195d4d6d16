import Foundation
import KnowledgeGraph

/// Progress of a long analysis on stderr: a bar redrawn in place on a terminal, else a note
/// every few seconds. Nothing is shown for work that ends within half a second.
final class ProgressReporter: @unchecked Sendable {
    private let console: Console
    private let lock = NSLock()
    private let start = Date()
    private var drawn = false
    private var last: Date

    init(console: Console) {
        self.console = console
        last = start
    }

    func update(_ done: Int, _ total: Int) {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(start) > 0.5 else { return }
        if console.errIsTerminal {
            guard now.timeIntervalSince(last) > 0.1 || done == total else { return }
            last = now
            drawn = true
            let width = 30
            let filled = total > 0 ? width * done / total : width
            console.err("\r[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] \(done)/\(total) notes")
        } else {
            guard now.timeIntervalSince(last) > 5, done < total else { return }
            last = now
            console.err("kg: note: analysed \(done) of \(counted(total, "note"))\n")
        }
    }

    /// Removes the bar, if one is drawn, before other output.
    func clear() {
        lock.lock()
        defer { lock.unlock() }
        if drawn { console.err("\r" + String(repeating: " ", count: 60) + "\r") }
        drawn = false
    }
}
