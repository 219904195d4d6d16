import KnowledgeGraph

enum SuggestCommand {
    static let command = Command(
        name: "suggest", synopsis: "[NAME...]", summary: "names to review; --accept adds them, --reject refuses them",
        details: """
            With discovery on (a vault without a lexicon, or one with `discover: on`): the
            names discovery found below its threshold, with their signals, type and
            confidence, and example lines. Otherwise: candidate names the lexicon lacks —
            [[wikilinks]] and #tags that name no entity, short headings, acronyms and
            CamelCase words, X(Y) definitions, Korean words seen before several particles,
            and likely variants of known names (Mflow → MLflow) as alias suggestions.

            kg suggest NAME [NAME...]
              what kg makes of each name: an entity (and from where), a suggestion, or why
              it is neither (seen too little, part of a longer name, rejected, never seen).
            kg suggest --accept NAME [NAME...] [--type T] [--alias-of ENTITY]
              adds each NAME to .kg/lexicon.txt as an entity of type T (a discovered name keeps
              its type; else concept) or as an alias of ENTITY, keeping the file's comments
              and order (--accept may be repeated). A discovered entity with other names
              (Docker and 도커) enters with them, so that it is not split.
            kg suggest --reject NAME [NAME...]
              adds `reject: NAME`: discovery never proposes or matches it again.
            A lexicon created this way starts with `discover: on`, so that discovery stays on.
            This is the one file a person wrote that kg edits.
            """,
        arguments: 0...Int.max, options: ["--limit", "--accept", "--reject", "--type", "--alias-of"] + queryOptions
    ) { inv throws(KGError) in
        let accepting = inv.value("--accept") != nil
        let rejecting = inv.value("--reject") != nil
        guard accepting || rejecting else {
            try inv.refuse(["--type", "--alias-of"], unless: false, "goes with --accept NAME")
            if !inv.positional.isEmpty {
                try inv.refuse(["--limit"], unless: false, "does not apply to names")
                return try explain(inv)
            }
            return try list(inv)
        }
        if accepting && rejecting { throw .usage("--accept and --reject go in separate commands") }
        try inv.refuse(["--limit"], unless: false, "does not apply to --accept or --reject")
        try inv.refuse(["--type", "--alias-of"], unless: accepting, "goes with --accept NAME")
        let names = (inv.args.all[accepting ? "--accept" : "--reject"] ?? []) + inv.positional
        var changes: [LexiconChange] = []
        for name in names {
            changes.append(accepting ? try inv.kb.accept(name, type: inv.value("--type"), aliasOf: inv.value("--alias-of")) : try inv.kb.reject(name))
        }
        if inv.json {
            return inv.emit(.object([(accepting ? "added" : "rejected", .array(changes.map { c in
                accepting
                    ? .object([("name", .string(c.name)), ("type", .string(c.type)), ("alias_of", c.aliasOf.map(JSON.string) ?? .null),
                        ("aliases", .array(c.aliases.map(JSON.string)))])
                    : .object([("name", .string(c.name))])
            }))]))
        }
        for change in changes {
            if change.rejected {
                inv.out("rejected '\(change.name)' in .kg/lexicon.txt\n")
            } else if let target = change.aliasOf {
                let with = change.aliases.isEmpty ? "" : " (with " + change.aliases.joined(separator: ", ") + ")"
                inv.out("added '\(change.name)' as an alias of \(target)\(with) in .kg/lexicon.txt\n")
            } else {
                inv.out("added \(change.type): \(([change.name] + change.aliases).joined(separator: " | ")) to .kg/lexicon.txt\n")
            }
        }
    }

    /// What kg makes of each name: an entity, a suggestion, or why it is neither.
    static func explain(_ inv: Invocation) throws(KGError) {
        var reports: [NameReport] = []
        for name in inv.positional { reports.append(try inv.kb.report(name)) }
        if inv.json { return inv.emit(.array(reports.map(\.json))) }
        var text = ""
        for r in reports {
            if r.asked != r.name { text += "\(r.asked) → " }
            let seen = "seen \(r.count)× in \(counted(r.notes, "note"))"
            let why = r.confidence.map { c in "confidence \(number(c))" + (r.signals.isEmpty ? "" : ": " + r.signals.joined(separator: ", ")) } ?? ""
            let accept = "kg suggest --accept \(quoted(shortened(r.name)))" + (r.type.map { " --type \($0)" } ?? "")
            let entity = r.alias ? ", an alias of \(r.entity ?? "")" : r.entity.map { $0 == r.name ? "" : ", written \($0)" } ?? ""
            switch r.status {
            case .lexicon: text += "\(r.name): an entity of the lexicon (\(r.type ?? "concept"))\(entity)\n"
            case .note: text += "\(r.name): an entity defined by a note (\(r.type ?? "concept"))\(entity)\n"
            case .discovered: text += "\(r.name): a discovered entity (\(r.type ?? "term"), \(why))\(entity)\n"
            case .suggestion: text += "\(r.name): a suggestion (\(r.type ?? "term"), \(why)), \(seen); accept it with: \(accept)\n"
            case .weak:
                let floor = number(NameReport.suggestionFloor)
                text += "\(r.name): \(seen), too little to suggest (\(why); kg suggest shows \(floor) and up); accept it with: \(accept)\n"
            case .inside: text += "\(r.name): \(seen), but as part of a longer name or a form of another (\(why))\n"
            case .rejected: text += "\(r.name): refused by a reject: line of .kg/lexicon.txt\n"
            case .unseen: text += "\(r.name): not seen as a candidate name in the notes; accept it with: \(accept)\n"
            case .off: text += "\(r.name): not in the lexicon, and discovery is off (`discover: on` in .kg/lexicon.txt turns it on)\n"
            }
        }
        inv.out(text)
    }

    /// A name as a shell word: in single quotes when it has a space or a character the shell
    /// reads.
    static func quoted(_ name: String) -> String {
        guard name.unicodeScalars.contains(where: { " \t'\"\\$`!*?&|;<>()[]{}#~".unicodeScalars.contains($0) }) else { return name }
        return "'" + name.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    static func list(_ inv: Invocation) throws(KGError) {
        let list = try inv.kb.suggestions(limit: try inv.limit(default: 10))
        if inv.json { return inv.emit(list.json) }
        var text = ""
        for s in list.suggestions {
            text += "\(s.name)  [\(s.kinds.joined(separator: ", "))]  \(s.count)× in \(counted(s.notes, "note"))"
            if let t = s.type, let c = s.confidence { text += "  \(t) \(number(c))" }
            if let a = s.aliasOf { text += "  → alias of \(a)?" }
            text += "\n"
            for e in s.examples { text += placeLine(e, indent: "   ") }
        }
        inv.out(text)
        inv.more(list.total - list.suggestions.count, "suggestion")
        if list.total > 0 { inv.note("accept names with: kg suggest --accept NAME [--type T] [--alias-of ENTITY]; refuse them with --reject NAME") }
    }
}
