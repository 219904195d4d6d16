#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Lines of a note, as `read_note` serves them.
public struct NoteText: Sendable, Equatable {
    public var note: String
    public var title: String
    /// 1-based line of `lines[0]`.
    public var startLine: Int
    public var lines: [String]
    public var totalLines: Int
}

/// What the index says about a buffer an editor has open (its unsaved text): the entities
/// it mentions, its links and where they go, and the mentions of entity notes it does not
/// link. Lines are 0-based; columns and lengths count Unicode scalars of the normalized text.
public struct BufferAnalysis: Sendable, Equatable {
    public struct Mention: Sendable, Equatable {
        public var entity: String
        public var type: String
        public var line: Int
        public var column: Int
        public var length: Int
    }

    public struct Link: Sendable, Equatable {
        public var target: String
        public var line: Int
        public var column: Int
        public var length: Int
        public var isWiki: Bool
        /// The note it goes to; nil when unresolved or not a note.
        public var note: String?
        /// A file that is not a note.
        public var attachment: Bool
        /// A heading of the same note (`[[#Heading]]`): nothing to resolve.
        public var sameNote: Bool
    }

    /// A mention of an entity defined by a note (`entity:` front matter) that the buffer
    /// does not link.
    public struct Unlinked: Sendable, Equatable {
        public var entity: String
        public var entityNote: String
        public var line: Int
        public var column: Int
        public var length: Int
    }

    public var mentions: [Mention] = []
    public var links: [Link] = []
    public var unlinked: [Unlinked] = []
}

/// A name an editor may complete.
public struct CompletionItem: Sendable, Equatable {
    public enum Kind: String, Sendable { case note, entity }
    public var label: String
    public var kind: Kind
    /// The note's path, or the entity's type (and what an alias stands for).
    public var detail: String
    /// For a note: the text to put inside `[[...]]`.
    public var insert: String
}

/// Where something is defined: a note, or a line of the lexicon file.
public struct SourcePlace: Sendable, Equatable {
    /// Vault-relative path (`.kg/lexicon.txt` for the lexicon).
    public var path: String
    /// 1-based.
    public var line: Int
}

extension KnowledgeBase {
    /// Lines `startLine...endLine` (1-based, inclusive; at most `maxLines`) of an indexed note.
    /// Only notes of the index are served: a path that leaves the vault (`..`, absolute), a
    /// hidden folder, or a file that is now a symbolic link is refused.
    public func readNote(_ reference: String, startLine: Int? = nil, endLine: Int? = nil, maxLines: Int = 2000)
        throws(KGError) -> NoteText
    {
        let parts = reference.split(separator: "/", omittingEmptySubsequences: false)
        if reference.hasPrefix("/") || parts.contains("..") || parts.contains(where: { $0.hasPrefix(".") && $0 != "." }) {
            let shown = reference.count <= 60 ? reference : String(reference.prefix(59)) + "…"
            throw .usage("'\(shown)' is not a note of the vault: only notes inside it are served (no '..', absolute paths or hidden folders)")
        }
        return try query { view in
            let id = try view.note(reference, currentDirectory: nil)
            let path = try view.notePaths()[id]
            // The indexed file must still be a file inside the vault, not a link out of it.
            var st = stat()
            guard lstat(vault.root + "/" + path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG,
                let real = realpath(vault.root + "/" + path, nil), let root = realpath(vault.root, nil)
            else { throw KGError.failure("'\(path)' cannot be read now") }
            let inside = String(cString: real).hasPrefix(String(cString: root) + "/")
            free(real)
            free(root)
            guard inside else { throw KGError.usage("'\(path)' leads outside the vault; it is not served") }
            guard let lines = view.lines(path) else { throw KGError.failure("'\(path)' cannot be read now") }
            let first = max(1, startLine ?? 1)
            let last = min(lines.count, endLine ?? lines.count, first + max(1, maxLines) - 1)
            let shown = first <= last ? Array(lines[(first - 1)..<last]) : []
            return NoteText(note: path, title: try view.reader.note(at: id).title, startLine: first, lines: shown, totalLines: lines.count)
        }
    }

    /// Mentions, links and unlinked mentions of entity notes in `text`, an editor's buffer
    /// for the note at `path` (vault-relative; nil for a buffer outside the vault), with the
    /// index's lexicon and links.
    public func analyzeBuffer(_ text: String, path: String?) throws(KGError) -> BufferAnalysis {
        try query { view in
            let lexicon = try view.lexicon()
            let analyzer = Analyzer(lexicon: lexicon)
            let notePath = path ?? "untitled.md"
            let (record, _) = analyzer.analyze(path: notePath, normalizedText: Normalizer.normalize(text))
            var out = BufferAnalysis()
            for m in record.mentions where Int(m.entity) < lexicon.entities.count {
                let e = lexicon.entities[Int(m.entity)]
                out.mentions.append(.init(entity: e.name, type: e.type, line: Int(m.line) - 1, column: Int(m.column),
                    length: m.surface.unicodeScalars.count))
            }
            let resolver = try LinkResolver(view)
            let paths = resolver.paths
            var linkedNotes = Set<String>()
            for l in record.links {
                var link = BufferAnalysis.Link(target: l.target, line: Int(l.line) - 1, column: Int(l.column), length: Int(l.length),
                    isWiki: l.isWiki, note: nil, attachment: false, sameNote: false)
                switch NoteKeys.target(of: l, from: notePath) {
                case .note(let key):
                    if let to = try resolver.resolve(key, fromPath: notePath).note {
                        link.note = paths[Int(to)]
                        linkedNotes.insert(paths[Int(to)])
                    }
                case .attachment: link.attachment = true
                case .none: link.sameNote = true
                }
                out.links.append(link)
            }
            // Entity notes: the notes that define an entity, by the entity's name.
            var entityNotes: [String: String] = [:]
            for n in try view.notes() {
                if let e = n.definesEntity { entityNotes[e.name] = n.path }
            }
            for m in out.mentions {
                guard let note = entityNotes[m.entity], note != path, !linkedNotes.contains(note) else { continue }
                out.unlinked.append(.init(entity: m.entity, entityNote: note, line: m.line, column: m.column, length: m.length))
            }
            return out
        }
    }

    /// Names to complete `prefix` with: note names and aliases (for `[[`), or entity names
    /// and aliases. Latin letters match in any case; Hangul matches as written, syllable by
    /// syllable (`카카` completes 카카오). Most mentioned (entities) or shortest (notes) first.
    public func completions(prefix: String, notes: Bool, limit: Int = 50) throws(KGError) -> [CompletionItem] {
        let wanted = NoteKeys.normalized(prefix)
        return try query { view in
            var items: [(CompletionItem, Int)] = []
            if notes {
                let records = try view.notes()
                for r in records {
                    let name = NoteKeys.withoutNoteExtension(String(NoteKeys.lastComponent(r.path)))
                    if NoteKeys.normalized(name).hasPrefix(wanted) {
                        items.append((CompletionItem(label: name, kind: .note, detail: r.path, insert: name), -r.path.count))
                    }
                    for a in r.aliases where NoteKeys.normalized(a).hasPrefix(wanted) {
                        items.append((CompletionItem(label: a, kind: .note, detail: "alias of \(r.path)", insert: "\(name)|\(a)"), -r.path.count))
                    }
                }
            } else {
                let lexicon = try view.lexicon()
                let graph = try view.graph()
                for (i, e) in lexicon.entities.enumerated() {
                    let weight = i < graph.stats.count ? Int(graph.stats[i].mentions) : 0
                    if NoteKeys.normalized(e.name).hasPrefix(wanted) {
                        items.append((CompletionItem(label: e.name, kind: .entity, detail: e.type, insert: e.name), weight))
                    }
                    for a in e.aliases where NoteKeys.normalized(a).hasPrefix(wanted) {
                        items.append((CompletionItem(label: a, kind: .entity, detail: "\(e.type), alias of \(e.name)", insert: a), weight))
                    }
                }
            }
            items.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.label.utf8.bytesPrecede($1.0.label.utf8) }
            return items.prefix(max(0, limit)).map(\.0)
        }
    }

    /// Where an entity is defined: its entity note, else its line in `.kg/lexicon.txt`;
    /// nil for a discovered entity.
    public func definition(ofEntity name: String) throws(KGError) -> SourcePlace? {
        try query { view in
            let id = try view.entity(named: name)
            let entity = try view.lexicon().entities[Int(id)]
            for n in try view.notes() where n.definesEntity?.name == entity.name { return SourcePlace(path: n.path, line: 1) }
            if let file = LexiconBuild.read(indexFolder: indexer.indexFolder) {
                for d in file.file.definitions where d.entity.name == entity.name || d.entity.aliases.contains(entity.name) {
                    return SourcePlace(path: ".kg/lexicon.txt", line: d.line)
                }
            }
            return nil
        }
    }

    /// The note a link written in the note at `from` goes to, if any.
    public func resolveLink(_ target: String, isWiki: Bool, from: String) throws(KGError) -> String? {
        try query { view in
            guard case .note(let key) = NoteKeys.target(of: NoteLink(target: target, line: 1, isWiki: isWiki), from: from) else { return nil }
            let resolver = try LinkResolver(view)
            return try resolver.resolve(key, fromPath: from).note.map { resolver.paths[Int($0)] }
        }
    }

    /// Issues of `.kg/lexicon.txt` with their lines: lines kg cannot read and names that
    /// collide.
    public func lexiconIssues() throws(KGError) -> [LexiconIssue] {
        try query { view in try view.lexicon().issues.filter { $0.source == LexiconFile.path && $0.line > 0 } }
    }
}
