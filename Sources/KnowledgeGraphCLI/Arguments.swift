import KnowledgeGraph

/// Parsed command line: the command, its positional arguments and options.
struct Arguments: Equatable {
    var command: String?
    var positional: [String] = []
    var flags: Set<String> = []
    /// The last value of each option that takes one.
    var values: [String: String] = [:]
    /// Every value of a repeatable option, in order (`--accept A --accept B`).
    var all: [String: [String]] = [:]
    /// Options no command takes, as written.
    var unknown: [String] = []

    /// Options that take a value, with the name of the value.
    static let valued: [String: String] = [
        "--vault": "PATH", "--limit": "N", "--type": "T", "--min-notes": "N", "--around": "E", "--depth": "D", "--by": "MEASURE",
        "--top": "N", "--size": "S", "--accept": "NAME", "--alias-of": "E", "--exclude": "E", "--edges-per-node": "K",
        "--min-weight": "W", "--reject": "NAME", "--since": "DATE", "--until": "DATE", "--sort": "S",
    ]
    /// Options that are switches.
    static let switches: Set<String> = [
        "--json", "--help", "--version", "--no-refresh", "--rebuild", "--dot", "--no-wait", "--allow-mass-delete", "--explain",
        "--poll", "--graphml", "--mermaid", "--html", "--communities", "--all-lines", "--all-edges", "--no-legend", "--unlinked",
        "--links", "--check",
    ]

    /// Every value of a repeatable option, with values split at commas (`--exclude A,B`).
    func list(_ name: String) -> [String] {
        (all[name] ?? []).flatMap { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
            .filter { !$0.isEmpty }
    }

    /// Options may come before or after the arguments; `--` ends them; `--opt=value` works.
    static func parse(_ args: [String]) throws(KGError) -> Arguments {
        var out = Arguments()
        var i = 0
        var optionsEnded = false
        while i < args.count {
            let a = args[i]
            i += 1
            // Options are long (`--name`) but for `-h`; a word with one dash is an argument
            // (a query's exclusion: `-카카오`).
            if optionsEnded || !a.hasPrefix("--") && a != "-h" {
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
            if valued[name] != nil {
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
                out.all[name, default: []].append(value)
            } else if switches.contains(name), inline == nil {
                out.flags.insert(name)
            } else {
                out.unknown.append(name)
            }
        }
        return out
    }

    func int(_ name: String, default value: Int, minimum: Int = 0) throws(KGError) -> Int {
        guard let s = values[name] else { return value }
        guard let v = Int(s), v >= minimum else {
            throw .usage("\(name) needs a whole number of at least \(minimum), not '\(shortened(s))'")
        }
        return v
    }

    func double(_ name: String, default value: Double) throws(KGError) -> Double {
        guard let s = values[name] else { return value }
        guard let v = Double(s), v.isFinite, v >= 0 else { throw .usage("\(name) needs a number of at least 0, not '\(shortened(s))'") }
        return v
    }
}

/// A name as echoed in a message: at most 60 characters.
func shortened(_ s: String, _ limit: Int = 60) -> String {
    s.count <= limit ? s : String(s.prefix(limit - 1)) + "…"
}

/// The candidates closest to `name` by edit distance (at most 2 edits, or a third of its
/// length), closest first; none for a long or empty name.
func closest(_ name: String, in candidates: [String]) -> [String] {
    let key = Array(name.lowercased().unicodeScalars)
    guard !key.isEmpty, key.count <= 40 else { return [] }
    let allowed = max(2, key.count / 3)
    var scored: [(Int, String)] = []
    for c in candidates {
        let d = Related.editDistance(key, Array(c.lowercased().unicodeScalars))
        if d <= allowed { scored.append((d, c)) }
    }
    return scored.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }.map(\.1)
}
