import KnowledgeGraph

/// Parsed command line: the command, its positional arguments and options.
struct Arguments: Equatable {
    var command: String?
    var positional: [String] = []
    var flags: Set<String> = []
    var values: [String: String] = [:]
    /// Every value of a repeatable option (`--exclude A --exclude B`, or `--exclude A,B`).
    var lists: [String: [String]] = [:]

    /// Options that take a value.
    static let valued: Set<String> = [
        "--vault", "--limit", "--type", "--min-notes", "--around", "--depth", "--by", "--top", "--size", "--accept",
        "--alias-of", "--exclude",
    ]
    /// Options that are switches.
    static let switches: Set<String> = [
        "--json", "--help", "--version", "--no-refresh", "--rebuild", "--dot", "--no-wait", "--allow-mass-delete",
        "--explain", "--poll", "--graphml", "--mermaid", "--html", "--communities",
    ]

    /// Options may come before or after the arguments; `--` ends them; `--opt=value` works.
    static func parse(_ args: [String]) throws(KGError) -> Arguments {
        var out = Arguments()
        var i = 0
        var optionsEnded = false
        while i < args.count {
            let a = args[i]
            i += 1
            if optionsEnded || !a.hasPrefix("-") || a == "-" {
                if out.command == nil && !optionsEnded { out.command = a } else { out.positional.append(a) }
                continue
            }
            if a == "--" {
                optionsEnded = true
                continue
            }
            if a == "-h" {
                out.flags.insert("--help")
                continue
            }
            var name = a
            var inline: String?
            if let eq = a.firstIndex(of: "="), a.hasPrefix("--") {
                name = String(a[..<eq])
                inline = String(a[a.index(after: eq)...])
            }
            if valued.contains(name) {
                let value: String
                if let v = inline {
                    value = v
                } else if i < args.count {
                    value = args[i]
                    i += 1
                } else {
                    throw .usage("option \(name) needs a value")
                }
                out.values[name] = value
                out.lists[name, default: []].append(contentsOf: value.split(separator: ",").map(String.init))
            } else if switches.contains(name), inline == nil {
                out.flags.insert(name)
            } else {
                throw .usage("unknown option '\(a)' (see kg --help)")
            }
        }
        return out
    }

    func int(_ name: String, default value: Int, minimum: Int = 0) throws(KGError) -> Int {
        guard let s = values[name] else { return value }
        guard let v = Int(s), v >= minimum else { throw .usage("\(name) needs a whole number of at least \(minimum), not '\(s)'") }
        return v
    }
}
