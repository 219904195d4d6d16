import Foundation

/// What the index files about a note besides its words: its name, aliases, tags, date and
/// the notes it links to, each as a term of the dictionary that begins with byte 0x01 (no
/// search token does), so that they are merged, kept and looked up like any posting list.
///
/// A link term's positions are the lines the links are on; the other terms have position 0.
public enum NoteKeys {
    static let tag = "\u{1}t"
    static let link = "\u{1}l"
    static let name = "\u{1}n"
    static let alias = "\u{1}a"
    static let date = "\u{1}d"

    /// A name as links compare it: NFC, lowercased, without surrounding spaces.
    public static func normalized(_ s: String) -> String {
        Normalizer.normalize(s).trimmingSpaces().lowercased()
    }

    /// `path` without a `.md` or `.markdown` extension (any case).
    static func withoutNoteExtension(_ path: String) -> String {
        let lower = path.lowercased()
        if lower.hasSuffix(".md") { return String(path.dropLast(3)) }
        if lower.hasSuffix(".markdown") { return String(path.dropLast(9)) }
        return path
    }

    /// A note's file name without its extension, normalized: what a `[[wikilink]]` names.
    public static func stem(of path: String) -> String {
        normalized(withoutNoteExtension(String(path.split(separator: "/").last ?? Substring(path))))
    }

    /// Files a link may point at that are not notes: pictures, sound, video, documents,
    /// archives, Obsidian's canvases and drawings.
    static let attachmentExtensions: Set<String> = [
        "png", "jpg", "jpeg", "gif", "bmp", "svg", "webp", "avif", "heic", "tif", "tiff", "ico", "mp3", "wav", "m4a", "ogg", "flac",
        "webm", "mp4", "mov", "mkv", "avi", "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "hwp", "hwpx", "odt", "csv", "tsv",
        "zip", "gz", "tar", "7z", "canvas", "excalidraw", "drawio", "ipynb", "txt", "json", "html",
    ]

    /// What a link points at.
    public enum Target: Equatable, Sendable {
        /// A note, by the key the index files the link under: a wikilink's page without its
        /// extension (`projects/ffm`), or, for a Markdown link, `/` and the vault path it
        /// names from the linking note's folder (`/projects/ffm`).
        case note(String)
        /// A file that is not a note (`image.png`).
        case attachment
        /// Nothing to follow: a link to a heading of the same note.
        case none
    }

    /// The extension of the last component of `path`, lowercased, if it has one.
    static func fileExtension(_ path: String) -> String? {
        let last = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = last.lastIndex(of: "."), dot != last.startIndex else { return nil }
        let ext = last[last.index(after: dot)...]
        guard !ext.isEmpty, ext.count <= 12, ext.unicodeScalars.allSatisfy({ Scalars.isASCIIAlphanumeric($0.value) }) else { return nil }
        return ext.lowercased()
    }

    /// What `link`, written in the note at `notePath`, points at.
    public static func target(of link: NoteLink, from notePath: String) -> Target {
        var page = link.target
        if let hash = page.firstIndex(of: "#") { page = String(page[..<hash]) }
        page = page.trimmingSpaces()
        if page.isEmpty { return .none }
        if link.isWiki {
            while page.hasPrefix("./") { page.removeFirst(2) }
            while page.hasPrefix("/") { page.removeFirst() }
            if let ext = fileExtension(page), attachmentExtensions.contains(ext) { return .attachment }
            let key = normalized(withoutNoteExtension(page))
            return key.isEmpty ? .none : .note(key)
        }
        // A Markdown link: relative to the note's folder, or to the vault with a leading `/`.
        var parts: [Substring] = page.hasPrefix("/") ? [] : notePath.split(separator: "/").dropLast()
        for part in page.split(separator: "/") {
            if part == "." { continue }
            if part == ".." {
                if parts.popLast() == nil { return .note("/../" + normalized(page)) }  // outside the vault: unresolved
                continue
            }
            parts.append(part)
        }
        let path = parts.joined(separator: "/")
        let lower = path.lowercased()
        if fileExtension(path) != nil && !lower.hasSuffix(".md") && !lower.hasSuffix(".markdown") { return .attachment }
        let key = normalized(withoutNoteExtension(path))
        return key.isEmpty ? .none : .note("/" + key)
    }

    /// A front-matter date as `YYYY-MM-DD` (also written with `.` or `/`, or followed by a
    /// time), if it reads as one.
    static func date(_ value: String) -> String? {
        let u = Array(value.trimmingSpaces().unicodeScalars.prefix(10))
        guard u.count == 10, [4, 7].allSatisfy({ u[$0] == "-" || u[$0] == "." || u[$0] == "/" }) else { return nil }
        let digits = [0, 1, 2, 3, 5, 6, 8, 9]
        guard digits.allSatisfy({ u[$0].value >= 0x30 && u[$0].value <= 0x39 }) else { return nil }
        func n(_ a: Int, _ b: Int) -> Int { (a..<b).reduce(0) { $0 * 10 + Int(u[$1].value - 0x30) } }
        let (month, day) = (n(5, 7), n(8, 10))
        guard (1...12).contains(month), (1...31).contains(day) else { return nil }
        return String(String.UnicodeScalarView(u[0..<4])) + "-" + String(String.UnicodeScalarView(u[5..<7])) + "-"
            + String(String.UnicodeScalarView(u[8..<10]))
    }

    /// Calls `emit` with each term a note is filed under, and its position, in an order that
    /// keeps each term's positions ascending.
    static func terms(of record: NoteRecord, _ emit: (String, Int32) -> Void) {
        var seen = Set<String>()
        func once(_ term: String) { if seen.insert(term).inserted { emit(term, 0) } }
        once(name + stem(of: record.path))
        for a in record.aliases { once(alias + normalized(a)) }
        for t in record.tags { once(tag + normalized(t)) }
        if let d = record.date { once(date + d) }
        var last: [String: Int32] = [:]
        for l in record.links {
            guard case .note(let key) = target(of: l, from: record.path) else { continue }
            let term = link + key
            if let line = last[term], line >= l.line { continue }
            last[term] = l.line
            emit(term, l.line)
        }
    }
}
