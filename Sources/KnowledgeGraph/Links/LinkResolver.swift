/// Resolves links as Obsidian does, from what the index holds (no note is read):
///
/// - a wikilink names a note by its file name without extension, in any case (NFC, so NFD
///   file names match); a target with folders (`projects/FFM`) names the note whose path
///   ends with them;
/// - a Markdown link names a path from the linking note's folder;
/// - when several notes share the name, the one in the linking note's folder wins, else the
///   one with the shortest path (then the first in byte order);
/// - a target that names no file but a note's front-matter alias goes to that note.
final class LinkResolver {
    let view: IndexView
    /// Note paths by id.
    let paths: [String]
    private var candidateCache: [String: (notes: [Int32], viaAlias: Bool)] = [:]
    /// Notes by file name (normalized, without extension), from the note paths: the name a
    /// `[[wikilink]]` gives.
    private lazy var byName: [String: [Int32]] = (try? view.noteNames()) ?? [:]

    init(_ view: IndexView) throws {
        self.view = view
        self.paths = try view.notePaths()
    }

    /// Where a link goes.
    struct Resolution {
        var note: Int32?
        var viaAlias = false
        /// Every note the target could name, when there are several.
        var candidates: [Int32] = []
    }

    /// The notes filed under an alias term.
    func notes(_ term: String) throws -> [Int32] {
        guard let k = try view.reader.find(term) else { return [] }
        return try view.reader.postings(at: k, noteCount: paths.count).notes
    }

    /// The notes a link key could name, whoever links, and whether through an alias.
    func candidates(_ key: String) throws -> (notes: [Int32], viaAlias: Bool) {
        if let c = candidateCache[key] { return c }
        let markdown = key.hasPrefix("/")
        let path = markdown ? String(key.dropFirst()) : key
        let stem = String(path.split(separator: "/").last ?? Substring(path))
        var found = byName[stem] ?? []
        if markdown || path.contains("/") {
            found = found.filter { id in
                let p = NoteKeys.normalized(NoteKeys.withoutNoteExtension(paths[Int(id)]))
                return p == path || (!markdown && p.hasSuffix("/" + path))
            }
        }
        var result = (notes: found, viaAlias: false)
        if found.isEmpty && !markdown {
            let owners = try notes(NoteKeys.alias + key)
            if !owners.isEmpty { result = (owners, true) }
        }
        candidateCache[key] = result
        return result
    }

    /// Where the link filed under `key`, written in note `source`, goes.
    func resolve(_ key: String, from source: Int32) throws -> Resolution {
        try resolve(key, fromPath: paths[Int(source)])
    }

    /// Where the link filed under `key`, written in the note at `path` (indexed or not: an
    /// editor's buffer), goes.
    func resolve(_ key: String, fromPath path: String) throws -> Resolution {
        let (found, viaAlias) = try candidates(key)
        guard let first = found.first else { return Resolution() }
        if found.count == 1 { return Resolution(note: first, viaAlias: viaAlias) }
        let folder = LinkResolver.folder(path)
        let near = found.filter { LinkResolver.folder(paths[Int($0)]) == folder }
        let pool = near.isEmpty ? found : near
        let best = pool.min { a, b in
            let (pa, pb) = (paths[Int(a)], paths[Int(b)])
            return pa.count != pb.count ? pa.count < pb.count : pa.utf8.bytesPrecede(pb.utf8)
        }
        return Resolution(note: best, viaAlias: viaAlias, candidates: found)
    }

    static func folder(_ path: String) -> Substring {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return path[..<slash]
    }

    /// The keys a link to note `id` may be filed under: its file name and the path ends
    /// that finish with it (wikilinks), its path from the vault (Markdown links), and its
    /// aliases.
    func keys(of id: Int32, aliases: [String]) -> [String] {
        let path = NoteKeys.normalized(NoteKeys.withoutNoteExtension(paths[Int(id)]))
        let parts = path.split(separator: "/")
        var keys: [String] = []
        for k in parts.indices { keys.append(parts[k...].joined(separator: "/")) }
        keys.append("/" + path)
        for a in aliases { keys.append(NoteKeys.normalized(a)) }
        var seen = Set<String>()
        return keys.filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    /// Every link term of the index: its key, and the notes and lines it is written on.
    func allLinks(_ body: (String, Postings) throws -> Void) throws {
        let range = try view.reader.range(prefix: NoteKeys.link)
        for k in range {
            let term = try view.reader.term(at: k)
            try body(String(term.dropFirst(NoteKeys.link.count)), try view.reader.postings(at: k, noteCount: paths.count))
        }
    }
}
