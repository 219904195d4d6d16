import KnowledgeGraph

/// One command of kg's command line: its name, its help, the arguments and options it takes
/// and what it does. Each command parses its arguments, asks the library, and renders the
/// answer.
struct Command: Sendable {
    var name: String
    /// The arguments after the command, as the usage line shows them (`QUERY...`).
    var synopsis: String
    /// One line for `kg --help`.
    var summary: String
    /// The rest of `kg <command> --help`, after the usage line.
    var details: String
    /// How many positional arguments it takes.
    var arguments: ClosedRange<Int>
    /// Options beyond those every command takes (`--vault`, `--json`, `--help`), in the
    /// order help lists them.
    var options: [String]
    /// Whether a running `kg watch` may answer it (`QueryService`): it only reads the index.
    var servable = false
    var run: @Sendable (Invocation) throws(KGError) -> Void

    /// The usage line: the command, its arguments and its options.
    var usage: String {
        let opts = (options + ["--json"]).map { o in Arguments.valued[o].map { "[\(o) \($0)]" } ?? "[\(o)]" }.joined(separator: " ")
        return "kg \(name)\(synopsis.isEmpty ? "" : " " + synopsis) \(opts)"
    }

    /// `kg <command> --help`.
    var help: String { "Usage: \(usage)\n\n\(details)" }
}

/// Options every query command takes: how it reaches the index.
let queryOptions = ["--no-refresh", "--no-wait", "--allow-mass-delete"]

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

    /// Says on stderr how many results were left out, so that stdout holds only results.
    func more(_ left: Int, _ word: String, _ plural: String? = nil) {
        if left > 0 { note("\(left) more \(left == 1 ? word : plural ?? word + "s"); --limit 0 shows all") }
    }

    /// Refuses an option that does nothing with the rest of the command line.
    func refuse(_ options: [String], unless condition: Bool, _ reason: String) throws(KGError) {
        guard !condition else { return }
        let given = options.filter { args.flags.contains($0) || args.values[$0] != nil }
        if let first = given.first { throw .usage("\(first) \(reason)") }
    }
}

/// Every command, in the order help lists them.
enum Commands {
    static let ordered: [Command] = [
        IndexCommand.command, SearchCommand.command, RelatedCommand.command, PathCommand.command, CommunitiesCommand.command,
        SuggestCommand.command, DoctorCommand.command, MentionsCommand.command, EntitiesCommand.command, ExportCommand.command,
        StatsCommand.command, WatchCommand.command, LinkCommands.backlinks, LinkCommands.links, LinkCommands.unresolved,
        LinkCommands.orphans, ServerCommands.mcp, ServerCommands.lsp,
    ]
    static let all: [String: Command] = Dictionary(uniqueKeysWithValues: ordered.map { ($0.name, $0) })
}

/// A place in a note as a line of output: `path:line: text`.
func placeLine(_ p: LinePlace, indent: String = "") -> String {
    "\(indent)\(p.note):\(p.line): \(p.shown)\n"
}

/// A number as every output writes it: at most 3 decimals, no trailing zeros.
func number(_ d: Double) -> String { JSON.number(d) }
