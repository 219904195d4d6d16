import KnowledgeGraph

/// The linked-notes commands: backlinks, links, unresolved, orphans.
enum LinkCommands {
    static let noteArgument = """
        NOTE is a path from the vault or from the current folder, or a name resolved like a
        wikilink (a file name without extension, in any case, or a front-matter alias).
        """

    static let backlinks = Command(
        name: "backlinks", synopsis: "NOTE", summary: "the lines of other notes that link to NOTE (or mention it, --unlinked)",
        details: """
            Each line of another note with a link to NOTE ([[wikilink]], ![[embed]] or a
            Markdown link), grouped by note, as path:line: text.
              --unlinked     instead, the lines that mention NOTE's title, file name or
                             aliases by kg's mention rules (particles, spacing, case) without
                             linking it: Obsidian's unlinked mentions
            \(noteArgument)
            """,
        arguments: 1...Int.max, options: ["--unlinked", "--limit"] + queryOptions, servable: true
    ) { inv throws(KGError) in
        let list = try inv.kb.backlinks(inv.positional.joined(separator: " "), unlinked: inv.flag("--unlinked"),
            limit: try inv.limit(default: 50))
        if inv.json { return inv.emit(list.json) }
        var text = ""
        var last: String?
        for p in list.backlinks {
            if p.note != last {
                if last != nil { text += "\n" }
                text += "\(p.note)\n"
                last = p.note
            }
            text += placeLine(p)
        }
        inv.out(text)
        if list.total == 0 {
            inv.note(list.unlinked ? "no other note mentions \(list.note) without linking it" : "no note links to \(list.note)")
        }
        inv.more(list.total - list.backlinks.count, list.unlinked ? "mention" : "link")
    }

    static let links = Command(
        name: "links", synopsis: "NOTE", summary: "the links written in NOTE and where each goes",
        details: """
            Each link in NOTE, in line order: line: target → the note it goes to, marked
            (via alias) when it goes there through a front-matter alias, (attachment) for a
            file that is not a note, (unresolved) when it goes nowhere.
            \(noteArgument)
            """,
        arguments: 1...Int.max, options: queryOptions, servable: true
    ) { inv throws(KGError) in
        let list = try inv.kb.links(inv.positional.joined(separator: " "))
        if inv.json { return inv.emit(list.json) }
        var text = ""
        for l in list.links {
            let to = l.attachment ? "(attachment)" : l.note.map { $0 + (l.viaAlias ? " (via alias)" : "") } ?? "(unresolved)"
            text += "\(list.note):\(l.line): \(l.target) → \(to)\n"
        }
        inv.out(text)
        if list.links.isEmpty { inv.note("\(list.note) has no links") }
    }

    static let unresolved = Command(
        name: "unresolved", synopsis: "", summary: "links that go to no note, most-linked targets first",
        details: """
            Links to a note that does not exist, grouped by target, most-linked first, each
            as path:line: target. Links to attachments (pictures, PDFs) are not counted.
            """,
        arguments: 0...0, options: ["--limit"] + queryOptions, servable: true
    ) { inv throws(KGError) in
        let list = try inv.kb.unresolved(limit: try inv.limit(default: 50))
        if inv.json { return inv.emit(list.json) }
        var text = ""
        var last: String?
        for l in list.links {
            if NoteKeys.normalized(l.target) != last.map(NoteKeys.normalized) {
                if last != nil { text += "\n" }
                text += "\(l.target)\n"
                last = l.target
            }
            text += "\(l.note):\(l.line): \(l.target)\n"
        }
        inv.out(text)
        inv.more(list.total - list.links.count, "link")
    }

    static let orphans = Command(
        name: "orphans", synopsis: "", summary: "notes with no link in or out",
        details: "Notes that no link goes to or comes from, one path a line (links to nowhere do not count).\n",
        arguments: 0...0, options: ["--limit"] + queryOptions, servable: true
    ) { inv throws(KGError) in
        let list = try inv.kb.orphans(limit: try inv.limit(default: 50))
        if inv.json { return inv.emit(list.json) }
        inv.out(list.notes.map { $0 + "\n" }.joined())
        inv.more(list.total - list.notes.count, "note")
    }
}
