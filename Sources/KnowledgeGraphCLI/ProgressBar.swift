import Foundation

/// A one-line progress bar on stderr, drawn only after half a second.
final class ProgressBar: @unchecked Sendable {
    private let console: Console
    private let lock = NSLock()
    private let start = Date()
    private var drawn = false
    private var lastDraw = Date.distantPast

    init(console: Console) { self.console = console }

    func update(_ done: Int, _ total: Int) {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(start) > 0.5, now.timeIntervalSince(lastDraw) > 0.1 || done == total else { return }
        lastDraw = now
        drawn = true
        let width = 30
        let filled = total > 0 ? width * done / total : width
        console.err("\r[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] \(done)/\(total) notes")
    }

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if drawn { console.err("\r" + String(repeating: " ", count: 60) + "\r") }
    }
}
