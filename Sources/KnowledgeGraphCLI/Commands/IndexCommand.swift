import Foundation
import KnowledgeGraph

enum IndexCommand {
    static let command = Command(
        name: "index", synopsis: "", summary: "bring the index up to date and say what changed",
        details: """
            Brings <vault>/.kg/index up to date: only new and changed notes are read again
            (size, times and inode decide; a file touched without a content change is not
            re-analysed). Prints what was added, changed, removed, unchanged and skipped.

              --rebuild            read every note again and rewrite the index
              --no-wait            exit 75 instead of waiting when another kg is writing
              --allow-mass-delete  accept that more than half the notes are gone (kg refuses
                                   an update that drops more than half of 20 or more notes)
              --check              then read every block of the index and verify every
                                   checksum (queries check only what they read); a damaged
                                   index is rebuilt from the notes. JSON: {"bytes", "damage"}
            """,
        arguments: 0...0, options: ["--rebuild", "--no-wait", "--allow-mass-delete", "--check"]
    ) { inv throws(KGError) in
        if inv.flag("--check") {
            if inv.flag("--rebuild") { _ = try inv.kb.index(rebuild: true, wait: !inv.flag("--no-wait")) }
            let check = try inv.kb.checkIndex()
            if inv.json {
                return inv.emit(.object([("bytes", .int(check.bytes)), ("damage", check.damage.map { .string($0) } ?? .null)]))
            }
            if let damage = check.damage {
                inv.out("damaged: \(damage); rebuilt from the notes, and every checksum of its \(check.bytes) bytes now holds\n")
            } else {
                inv.out("every checksum of the index's \(check.bytes) bytes holds\n")
            }
            return
        }
        let report = try inv.kb.index(rebuild: inv.flag("--rebuild"), wait: !inv.flag("--no-wait"))
        for issue in report.lexiconIssues {
            inv.warning("\(issue.line > 0 ? "\(issue.source):\(issue.line)" : issue.source): \(issue.message)")
        }
        if inv.json { return inv.emit(report.json) }
        inv.out(text(report))
    }

    static func text(_ report: IndexReport) -> String {
        var text = ""
        if let why = report.rebuildReason { text += "rebuilt: \(why)\n" }
        text += "added: \(report.added.count)  changed: \(report.changed.count)  removed: \(report.removed.count)  "
        text += "unchanged: \(report.unchanged)  skipped: \(report.skipped.count)\n"
        // Up to 20 paths of each kind; --json lists them all.
        func list(_ items: [String], _ mark: String, _ word: String) {
            for p in items.prefix(20) { text += "  \(mark) \(p)\n" }
            if items.count > 20 { text += "  \(mark) … and \(items.count - 20) more \(word) (--json lists all)\n" }
        }
        list(report.added, "+", "added")
        list(report.changed, "~", "changed")
        list(report.removed, "-", "removed")
        list(report.skipped.map { "\($0.path): \($0.reason)" }, "!", "skipped")
        text += "read \(counted(report.analyzed, "note")) in \(String(format: "%.3f", report.seconds)) s"
        text += report.wroteIndex ? "\n" : " (index already up to date)\n"
        return text
    }
}
