import Foundation

/// The help kg prints for itself.
enum Help {
    static let versionNumber = "0.3.0"
    static let version = "kg \(versionNumber)"

    /// What each option means, for `kg --help`.
    static let optionMeanings: [(String, String)] = [
        ("--vault PATH", "the notes folder (else $KG_VAULT, else the nearest folder upward holding .kg/, else ./vault)"),
        ("--json", "results as JSON on stdout"),
        ("--limit N", "at most N results (default 10; 0 = all)"),
        ("--no-refresh", "answer from the index as it stands, without looking at the files"),
        ("--no-wait", "exit 75 instead of waiting when another kg is writing the index"),
        ("--allow-mass-delete", "accept an update that drops more than half of the indexed notes"),
        ("--help, -h", "help for a command (kg help COMMAND too)"),
        ("--version", "kg's version"),
        ("--", "end of options (a query may then start with -)"),
    ]

    static var main: String {
        var text = """
            kg — a knowledge graph of your Markdown notes (Korean and English)

            Usage: kg <command> [arguments] [options]

            Commands (and the options each takes besides --vault, --json and --help):

            """
        for c in Commands.ordered {
            let head = "  \(c.name)\(c.synopsis.isEmpty ? "" : " " + c.synopsis)"
            text += head.padding(toLength: max(head.count + 2, 30), withPad: " ", startingAt: 0) + c.summary + "\n"
            if !c.options.isEmpty {
                let opts = c.options.map { o in Arguments.valued[o].map { "\(o) \($0)" } ?? o }.joined(separator: " ")
                text += String(repeating: " ", count: 30) + opts + "\n"
            }
        }
        text += "\nOptions:\n"
        for (o, meaning) in optionMeanings { text += "  " + o.padding(toLength: 22, withPad: " ", startingAt: 0) + meaning + "\n" }
        text += """

            Exit status: 0 success (also when nothing is found), 1 failure, 64 usage error,
            65 refused mass deletion (kg index), 66 vault not found, 73 cannot create .kg/,
            74 I/O error writing the index, 75 index locked (--no-wait).
            """
        return text
    }
}
