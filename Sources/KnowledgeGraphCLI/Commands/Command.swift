import KnowledgeGraph

/// One command of kg's command line: its name, its help, the options it takes and what it
/// does. Each command parses its arguments, asks the library, and renders the answer.
struct Command: Sendable {
    var name: String
    var help: String
    /// Options beyond those every command takes (`--vault`, `--json`, `--help`).
    var options: Set<String>
    var run: @Sendable (Invocation) throws(KGError) -> Void
}

/// Options every query command takes: how it reaches the index.
let queryOptions: Set<String> = ["--no-refresh", "--no-wait", "--allow-mass-delete"]

/// A command being run: its arguments, the vault's knowledge base, and where output goes.
struct Invocation {
    let args: Arguments
    let kb: KnowledgeBase
    let console: Console

    var json: Bool { args.flags.contains("--json") }
    var positional: [String] { args.positional }
    func flag(_ name: String) -> Bool { args.flags.contains(name) }
    func value(_ name: String) -> String? { args.values[name] }

    /// `--limit` (0 = all).
    func limit(default value: Int) throws(KGError) -> Int {
        let n = try args.int("--limit", default: value)
        return n == 0 ? Int.max : n
    }

    func out(_ text: String) { console.out(text) }
    func emit(_ value: JSON) { console.out(value.rendered() + "\n") }
    func note(_ message: String) { console.err("kg: note: \(message)\n") }
    func warning(_ message: String) { console.err("kg: warning: \(message)\n") }
}

/// Every command, by name.
enum Commands {
    static let all: [String: Command] = Dictionary(uniqueKeysWithValues: [
        IndexCommand.command, SearchCommand.command, RelatedCommand.command, PathCommand.command, CommunitiesCommand.command,
        SuggestCommand.command, DoctorCommand.command, MentionsCommand.command, EntitiesCommand.command, ExportCommand.command,
        StatsCommand.command, WatchCommand.command,
    ].map { ($0.name, $0) })
}

/// A place in a note as a line of output: `path:line: text`.
func placeLine(_ p: LinePlace, indent: String = "") -> String {
    "\(indent)\(p.note):\(p.line): \(p.text.displayLine())\n"
}

/// A number as every output writes it: at most 4 decimals, no trailing zeros.
func number(_ d: Double) -> String { JSON.number(d) }
