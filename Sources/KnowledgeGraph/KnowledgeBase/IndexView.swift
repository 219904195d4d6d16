/// One committed index as queries see it: the reader, what has been decoded of it (lexicon,
/// graph, note records) and the note lines read to show answers. Shared by the queries of a
/// long-running face while the index stays the same.
final class IndexView: @unchecked Sendable {
    let reader: IndexReader
    let vault: Vault
    private let cache = Locked(Cache())

    private struct Cache {
        var paths: [String]?
        var lexicon: Lexicon?
        var graph: CoMentionGraph?
        var notes: [NoteRecord]?
        var texts: [PathKey: NoteText] = [:]
        /// Bytes of `texts`: past `textBudget` they are let go of, so that a face answering
        /// for weeks (a watcher serving queries, the servers) keeps no more.
        var textBytes = 0
        var names: [String: [Int32]]?
    }

    /// A note's text as kg reads it, with where each line starts: a line is made a string
    /// only when it is shown.
    struct NoteText {
        var text: String
        /// UTF-8 offsets of the lines' starts, then the text's end plus one.
        var starts: [Int]

        init(_ text: String) {
            self.text = text
            var starts = [0]
            for (i, b) in text.utf8.enumerated() where b == 0x0A { starts.append(i + 1) }
            starts.append(text.utf8.count + 1)
            self.starts = starts
        }

        var count: Int { starts.count - 1 }

        /// Line `n` (1-based), or nil past the end.
        func line(_ n: Int) -> String? { n >= 1 && n <= count ? line(at: n - 1) : nil }

        /// Line `k` (0-based).
        func line(at k: Int) -> String {
            let u = text.utf8
            let a = u.index(u.startIndex, offsetBy: starts[k])
            let b = u.index(u.startIndex, offsetBy: starts[k + 1] - 1)
            return String(text[a..<b])
        }
    }

    init(reader: IndexReader, vault: Vault) {
        self.reader = reader
        self.vault = vault
    }

    /// Whether `other` reads the same index file (same header checksum and sizes).
    func reads(sameFileAs other: IndexReader) -> Bool {
        reader.file.headerChecksum == other.file.headerChecksum && reader.totalByteCount == other.totalByteCount
    }

    func lexicon() throws(CorruptIndex) -> Lexicon {
        if let l = cache.withLock({ $0.lexicon }) { return l }
        let l = try reader.lexicon()
        cache.withLock { $0.lexicon = l }
        return l
    }

    /// The co-mention graph, checked against the lexicon (one entry per entity).
    func graph() throws(CorruptIndex) -> CoMentionGraph {
        if let g = cache.withLock({ $0.graph }) { return g }
        let g = try reader.graph()
        guard g.stats.count == (try lexicon()).entities.count else { throw CorruptIndex(reason: "the graph does not match the lexicon") }
        cache.withLock { $0.graph = g }
        return g
    }

    /// Every note's path, by id.
    func notePaths() throws(CorruptIndex) -> [String] {
        if let p = cache.withLock({ $0.paths }) { return p }
        let p = try reader.notePaths()
        cache.withLock { $0.paths = p }
        return p
    }

    /// Every note's record, in id (path) order.
    func notes() throws(CorruptIndex) -> [NoteRecord] {
        if let n = cache.withLock({ $0.notes }) { return n }
        let n = try reader.notes()
        cache.withLock { $0.notes = n }
        return n
    }

    /// Notes by file name (normalized, without extension): what a `[[wikilink]]` names.
    func noteNames() throws(CorruptIndex) -> [String: [Int32]] {
        if let n = cache.withLock({ $0.names }) { return n }
        var names: [String: [Int32]] = [:]
        for (id, path) in try notePaths().enumerated() { names[NoteKeys.stem(of: path), default: []].append(Int32(id)) }
        cache.withLock { $0.names = names }
        return names
    }

    /// A note's lines as kg reads them (decoded, normalized), read from the vault when first
    /// asked for; nil if the note cannot be read now.
    func lines(_ path: String) -> [String]? {
        guard let t = text(path) else { return nil }
        return (0..<t.count).map(t.line(at:))
    }

    /// A note's text, read from the vault when first asked for; `keep: false` for answers
    /// that go through many notes, which would otherwise keep them all.
    func text(_ path: String, keep: Bool = true) -> NoteText? {
        if let cached = cache.withLock({ $0.texts[PathKey(path)] }) { return cached }
        guard case .success(let text) = vault.text(path) else { return nil }
        let t = NoteText(text)
        if keep {
            cache.withLock { c in
                let key = PathKey(path)
                guard c.texts[key] == nil else { return }
                if c.textBytes + text.utf8.count > IndexView.textBudget {
                    c.texts = [:]
                    c.textBytes = 0
                }
                c.texts[key] = t
                c.textBytes += text.utf8.count
            }
        }
        return t
    }

    /// The most note text a view keeps for answers to come.
    static let textBudget = 32 << 20

    /// Line `line` (1-based) of a note, or "" when it cannot be read.
    func place(_ note: String, _ line: Int, column: Int? = nil) -> LinePlace {
        let text = self.text(note).flatMap { $0.line(line) } ?? ""
        return LinePlace(note: note, line: line, column: column, text: text)
    }

    /// Line `line` of a note, with the column where its `token`-th search token starts.
    func place(_ note: String, _ line: Int, token: Int) -> LinePlace {
        var p = place(note, line)
        let spans = Tokenizer.spans(Scalars.values(of: p.text)[...])
        p.column = token >= 0 && token < spans.count ? spans[token].lowerBound : nil
        return p
    }

    /// Checks that `type`, if given, is the type of some entity.
    func check(type: String?) throws {
        guard let type else { return }
        let types = Set(try lexicon().entities.map(\.type)).sorted { $0.utf8.bytesPrecede($1.utf8) }
        if types.contains(type) { return }
        let shown = type.count <= 40 ? type : String(type.prefix(39)) + "…"
        if types.isEmpty { throw KGError.usage("unknown type '\(shown)': no entity is defined yet") }
        throw KGError.usage("unknown type '\(shown)' (types here: \(types.joined(separator: ", ")))")
    }

    /// The note `reference` names: a vault-relative path, a path relative to
    /// `currentDirectory` (what a shell's tab completion gives), or a file name with or
    /// without its extension, in any case. Several notes of that name are an error that
    /// lists them.
    func note(_ reference: String, currentDirectory: String?) throws -> Int {
        let paths = try notePaths()
        var ref = reference
        while ref.hasPrefix("./") { ref.removeFirst(2) }
        func id(_ path: String) -> Int? {
            var lo = 0
            var hi = paths.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if paths[mid].utf8.bytesPrecede(path.utf8) { lo = mid + 1 } else { hi = mid }
            }
            return lo < paths.count && paths[lo].utf8.bytesEqual(path.utf8) ? lo : nil
        }
        if let n = id(ref) { return n }
        // A path from the current folder, or an absolute one, inside the vault.
        if let cwd = currentDirectory, !ref.isEmpty {
            let absolute = ref.hasPrefix("/") ? ref : cwd + "/" + ref
            var parts: [Substring] = []
            for part in absolute.split(separator: "/") {
                if part == "." { continue }
                if part == ".." { _ = parts.popLast() } else { parts.append(part) }
            }
            let full = "/" + parts.joined(separator: "/")
            if full.hasPrefix(vault.root + "/"), let n = id(String(full.dropFirst(vault.root.count + 1))) { return n }
        }
        // A name, like a wikilink: the path's end, or the file name without its extension.
        let wanted = Normalizer.normalize(ref).lowercased()
        // Only notes of that file name can match: looked up, not scanned.
        let named = try noteNames()[NoteKeys.stem(of: wanted)] ?? []
        let candidates = named.map { Int($0) }.filter { i in
            let path = paths[i].lowercased()
            let file = path.split(separator: "/").last.map(String.init) ?? path
            let stem = file.hasSuffix(".md") ? String(file.dropLast(3)) : file.hasSuffix(".markdown") ? String(file.dropLast(9)) : file
            return path.hasSuffix("/" + wanted) || file == wanted || stem == wanted
        }
        if candidates.count == 1 { return candidates[0] }
        let shown = reference.count <= 60 ? reference : String(reference.prefix(59)) + "…"
        if candidates.count > 1 {
            throw KGError.usage("'\(shown)' names \(candidates.count) notes; give one of their paths: "
                + candidates.prefix(10).map { paths[$0] }.joined(separator: ", ") + (candidates.count > 10 ? ", …" : ""))
        }
        // A front-matter alias of one note.
        if !wanted.isEmpty {
            let owners = try LinkResolver(self).notes(NoteKeys.alias + NoteKeys.normalized(ref))
            if owners.count == 1 { return Int(owners[0]) }
        }
        throw KGError.failure("no note '\(shown)' in the index")
    }

    /// The entity named `name` (any case or spacing, or an alias), or an error with the
    /// closest known names.
    func entity(named name: String) throws -> Int32 {
        if name.trimmingSpaces().isEmpty { throw KGError.usage("an entity name cannot be empty") }
        let lexicon = try self.lexicon()
        if let id = lexicon.lookup(name) { return Int32(id) }
        throw KGError.unknownEntity(name, suggestions: Related.suggestions(for: name, in: lexicon))
    }
}

/// A line of a note: where it is and what it says (the line as kg reads it, normalized).
public struct LinePlace: Sendable, Equatable {
    public var note: String
    /// 1-based.
    public var line: Int
    /// Where what the answer is about starts on the line (0-based, in characters), if it
    /// points at one place.
    public var column: Int?
    public var text: String

    public init(note: String, line: Int, column: Int? = nil, text: String) {
        self.note = note
        self.line = line
        self.column = column
        self.text = text
    }

    /// The line as text output shows it: trimmed, and cut to a window around the column.
    public var shown: String { text.displayLine(around: column) }
}
