import Foundation

/// What the index files about a note besides its words: its aliases, tags, date and the
/// notes it links to (its name is its path's, which the file table holds), each as a term of the dictionary that begins with byte 0x01 (no
/// search token does), so that they are merged, kept and looked up like any posting list.
///
/// A link term's positions are the lines the links are on; the other terms have position 0.
public enum NoteKeys {
    static let tag = "\u{1}t"
    static let link = "\u{1}l"
    static let alias = "\u{1}a"
    static let date = "\u{1}d"

    /// A name as links compare it: NFC, lowercased, without surrounding spaces.
    public static func normalized(_ s: String) -> String {
        normalized(s, quick: true)
    }

    /// `normalized`; `quick`: plain names take the short way (tests compare both ways).
    static func normalized(_ s: String, quick: Bool) -> String {
        var s = s
        if quick, let plain = s.withUTF8(plainLowered) { return plain }
        return lowered(Normalizer.normalize(s).trimmingSpaces())
    }

    /// `normalized` of the UTF-8 bytes `u` when they are plain, as most names are: ASCII
    /// letters, digits, `-`, `_` and inner spaces, and Hangul syllables. Then normalizing
    /// changes nothing but ASCII case, so the bytes are only lowercased. Nil otherwise.
    static func plainLowered(_ u: UnsafeBufferPointer<UInt8>) -> String? {
        let n = u.count
        guard n > 0, u[0] != 0x20, u[n - 1] != 0x20 else { return nil }
        var i = 0
        while i < n {
            let b = u[i]
            if b < 0x80 {
                let c = b | 0x20
                guard (c >= 0x61 && c <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x20 || b == 0x2D || b == 0x5F else { return nil }
                i += 1
            } else {
                // A Hangul syllable, U+AC00...U+D7A3: EA B0 80 to ED 9E A3.
                guard b >= 0xEA, b <= 0xED, i + 2 < n, u[i + 1] & 0xC0 == 0x80, u[i + 2] & 0xC0 == 0x80 else { return nil }
                let v = UInt32(b & 0x0F) << 12 | UInt32(u[i + 1] & 0x3F) << 6 | UInt32(u[i + 2] & 0x3F)
                guard v >= 0xAC00, v <= 0xD7A3 else { return nil }
                i += 3
            }
        }
        return String(unsafeUninitializedCapacity: n) { out in
            for k in 0..<n { out[k] = UInt8(truncatingIfNeeded: Scalars.lowerASCII(UInt32(u[k]))) }
            return n
        }
    }

    /// `s` lowercased as `lowercased()` does, without its cost for the scalars that have no
    /// lowercase (Hangul, digits, punctuation): every link of every note goes through here.
    static func lowered(_ s: String) -> String {
        func changes(_ u: Unicode.Scalar) -> Bool {
            let v = u.value
            if v < 0x80 { return v >= 0x41 && v <= 0x5A }
            return !Scalars.isHangulSyllable(v) && u.properties.changesWhenLowercased
        }
        guard s.unicodeScalars.contains(where: changes) else { return s }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            let v = u.value
            if v < 0x80 {
                out.append(Unicode.Scalar(UInt8(truncatingIfNeeded: Scalars.lowerASCII(v))))
            } else if Scalars.isHangulSyllable(v) || !u.properties.changesWhenLowercased {
                out.append(u)
            } else {
                out.append(contentsOf: u.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return String(out)
    }

    /// Whether the UTF-8 bytes of `s` end in `suffix` (lowercase ASCII), in any case.
    static func hasSuffixIgnoringCase(_ s: String, _ suffix: StaticString) -> Bool {
        let n = suffix.utf8CodeUnitCount
        let u = s.utf8
        guard u.count >= n else { return false }
        var k = 0
        for b in u.suffix(n) {
            let c = suffix.utf8Start[k]
            if b != c && !(b >= 0x41 && b <= 0x5A && b + 0x20 == c) { return false }
            k += 1
        }
        return true
    }

    /// `path` without a `.md` or `.markdown` extension (any case).
    static func withoutNoteExtension(_ path: String) -> String {
        if hasSuffixIgnoringCase(path, ".md") { return String(path.dropLast(3)) }
        if hasSuffixIgnoringCase(path, ".markdown") { return String(path.dropLast(9)) }
        return path
    }

    /// The last component of a `/`-separated path.
    static func lastComponent(_ path: String) -> Substring {
        guard let slash = path.utf8.lastIndex(of: 0x2F) else { return path[...] }
        return path[path.utf8.index(after: slash)...]
    }

    /// A note's file name without its extension, normalized: what a `[[wikilink]]` names.
    public static func stem(of path: String) -> String {
        normalized(withoutNoteExtension(String(lastComponent(path))))
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
        let last = lastComponent(path)
        guard let dot = last.utf8.lastIndex(of: 0x2E), dot != last.startIndex else { return nil }
        let ext = last.utf8[last.utf8.index(after: dot)...]
        guard !ext.isEmpty, ext.count <= 12, ext.allSatisfy({ Scalars.isASCIIAlphanumeric(UInt32($0)) }) else { return nil }
        return String(decoding: ext.map { UInt8(truncatingIfNeeded: Scalars.lowerASCII(UInt32($0))) }, as: UTF8.self)
    }

    /// What `link`, written in the note at `notePath`, points at.
    public static func target(of link: NoteLink, from notePath: String) -> Target {
        target(of: link, from: notePath, quick: true)
    }

    /// `target`; `quick`: plain pages take the short way (tests compare both ways).
    static func target(of link: NoteLink, from notePath: String, quick: Bool) -> Target {
        if quick && link.isWiki {
            // A plain page (see `plainLowered`), with or without a heading: no folder, no
            // extension, nothing to trim; its key is the page lowercased.
            var written = link.target
            let key: String? = written.withUTF8 { u in
                let end = u.firstIndex(of: 0x23) ?? u.count
                return plainLowered(UnsafeBufferPointer(rebasing: u[..<end]))
            }
            if let key { return .note(key) }
        }
        var page = link.target
        if let hash = page.utf8.firstIndex(of: 0x23) { page = String(page[..<hash]) }
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
        if fileExtension(path) != nil && !hasSuffixIgnoringCase(path, ".md") && !hasSuffixIgnoringCase(path, ".markdown") { return .attachment }
        let key = normalized(withoutNoteExtension(path))
        return key.isEmpty ? .none : .note("/" + key)
    }

    /// A front-matter date as `YYYY-MM-DD` (also written with `.` or `/`, or followed by a
    /// time), if it reads as one. `quick`: the usual value, ten ASCII characters first and
    /// no space before them, is read from its bytes, which are its first scalars (tests
    /// compare both ways).
    static func date(_ value: String, quick: Bool = true) -> String? {
        var bytes = value
        let short: String?? = bytes.withUTF8 { u in
            guard quick, u.count >= 10, u[0] > 0x20, !u[..<10].contains(where: { $0 >= 0x80 }) else { return .none }
            guard [4, 7].allSatisfy({ u[$0] == 0x2D || u[$0] == 0x2E || u[$0] == 0x2F }),
                [0, 1, 2, 3, 5, 6, 8, 9].allSatisfy({ u[$0] >= 0x30 && u[$0] <= 0x39 })
            else { return .some(nil) }
            let (month, day) = (Int(u[5] - 0x30) * 10 + Int(u[6] - 0x30), Int(u[8] - 0x30) * 10 + Int(u[9] - 0x30))
            guard (1...12).contains(month), (1...31).contains(day) else { return .some(nil) }
            return String(unsafeUninitializedCapacity: 10) { out in
                for k in 0..<10 { out[k] = k == 4 || k == 7 ? 0x2D : u[k] }
                return 10
            }
        }
        if let short { return short }
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
        // A note has few of each: a linear search beats hashing (a `String` hash normalizes).
        var seen: [String] = []
        func once(_ term: String) {
            if seen.contains(where: { $0.utf8.bytesEqual(term.utf8) }) { return }
            seen.append(term)
            emit(term, 0)
        }
        for a in record.aliases { once(alias + normalized(a)) }
        for t in record.tags { once(tag + normalized(t)) }
        if let d = record.date { once(date + d) }
        // Each written target once (a note links to the same note again and again), and each
        // term at its lines in ascending order.
        var targets: [(written: String, wiki: Bool, term: String?)] = []
        var last: [(term: String, line: Int32)] = []
        for l in record.links {
            let term: String
            if let known = targets.first(where: { $0.wiki == l.isWiki && $0.written.utf8.bytesEqual(l.target.utf8) }) {
                guard let t = known.term else { continue }
                term = t
            } else {
                var t: String?
                if case .note(let key) = target(of: l, from: record.path) { t = link + key }
                targets.append((l.target, l.isWiki, t))
                guard let t else { continue }
                term = t
            }
            if let k = last.firstIndex(where: { $0.term.utf8.bytesEqual(term.utf8) }) {
                if last[k].line >= l.line { continue }
                last[k].line = l.line
            } else {
                last.append((term, l.line))
            }
            emit(term, l.line)
        }
    }
}
