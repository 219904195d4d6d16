/// The structure of one note as kg reads it: lines with their block and section, the
/// scalars that mentions may be found in (the rest masked to 0), front matter, links, tags.
struct MarkdownNote {
    /// The note's scalars, lines separated by `\n`.
    var scalars: [UInt32]
    /// Like `scalars`, with what mentions are not scanned in set to 0: fenced code, URLs,
    /// e-mail addresses, link destinations, front-matter keys other than title/aliases/tags.
    var scan: [UInt32]
    /// Start and end (exclusive) of each line in `scalars`.
    var lines: [Range<Int>]
    var lineBlock: [Int32]
    var lineSection: [Int32]
    var frontMatter: [String: [String]] = [:]
    var firstHeading: String?
    /// Every heading: 1-based line and text.
    var headings: [(line: Int, text: String)] = []
    var links: [NoteLink] = []
    var tags: [String] = []
    /// Bare addresses (`last.fm`), masked in `scan`: the 0-based line and the host's scalars.
    var addresses: [(line: Int, host: Range<Int>)] = []

    init(text: String) {
        self.init(scalars: Scalars.values(of: text))
    }

    /// The note whose (normalized) text has these scalars.
    init(scalars: [UInt32]) {
        self.scalars = scalars
        scan = scalars
        lines = []
        var start = 0
        for (i, v) in scalars.enumerated() where v == 0x0A {
            lines.append(start..<i)
            start = i + 1
        }
        lines.append(start..<scalars.count)
        lineBlock = Array(repeating: 0, count: lines.count)
        lineSection = Array(repeating: 0, count: lines.count)
        parse()
    }

    private mutating func mask(_ r: Range<Int>) {
        for i in r { scan[i] = 0 }
    }

    private func indent(_ r: Range<Int>) -> Int {
        var n = 0
        for i in r {
            if scalars[i] == 0x20 { n += 1 } else if scalars[i] == 0x09 { n += 4 } else { break }
        }
        return n
    }

    private func isBlank(_ r: Range<Int>) -> Bool {
        r.allSatisfy { Scalars.isSpace(scalars[$0]) }
    }

    private mutating func parse() {
        var n = 0
        if let end = frontMatterEnd() {
            parseFrontMatter(1..<end)
            mask(lines[0])
            mask(lines[end])
            n = end + 1
        }
        var block: Int32 = 0
        var section: Int32 = 0
        var inBlock = false
        var listIndent = -1  // indent of the list item that opened the current block
        var fence: (char: UInt32, count: Int)?
        while n < lines.count {
            let r = lines[n]
            defer { n += 1 }
            if let f = fence {
                lineBlock[n] = block
                lineSection[n] = section
                mask(r)
                if let (c, count) = fenceMarker(r), c == f.char, count >= f.count, onlyFence(r) {
                    fence = nil
                    inBlock = false
                }
                continue
            }
            if let (c, count) = fenceMarker(r) {
                block += 1
                lineBlock[n] = block
                lineSection[n] = section
                mask(r)
                fence = (c, count)
                inBlock = true
                listIndent = -1
                continue
            }
            if isBlank(r) {
                lineBlock[n] = block
                lineSection[n] = section
                inBlock = false
                continue
            }
            if let level = headingLevel(r) {
                _ = level
                section += 1
                block += 1
                lineBlock[n] = block
                lineSection[n] = section
                inBlock = false
                listIndent = -1
                let text = headingText(n)
                if firstHeading == nil { firstHeading = text }
                headings.append((n + 1, text))
                scanInline(n, heading: true)
                continue
            }
            let ind = indent(r)
            if isListItem(r) {
                if !inBlock || listIndent < 0 || ind <= listIndent {
                    block += 1
                    listIndent = ind
                }
                inBlock = true
            } else if !inBlock {
                block += 1
                inBlock = true
                listIndent = -1
            }
            lineBlock[n] = block
            lineSection[n] = section
            scanInline(n, heading: false)
        }
    }

    // MARK: front matter

    private func frontMatterEnd() -> Int? {
        guard lines.count > 1, lineIs(0, 0x2D) else { return nil }
        for n in 1..<lines.count where lineIs(n, 0x2D) || lineIs(n, 0x2E) { return n }
        return nil
    }

    /// Whether line `n` is three `c` between optional spaces (`---`, `...`).
    private func lineIs(_ n: Int, _ c: UInt32) -> Bool {
        var a = lines[n].lowerBound
        var b = lines[n].upperBound
        while a < b && Scalars.isSpace(scalars[a]) { a += 1 }
        while b > a && Scalars.isSpace(scalars[b - 1]) { b -= 1 }
        return b - a == 3 && scalars[a] == c && scalars[a + 1] == c && scalars[a + 2] == c
    }

    private static let scannedKeys: Set<String> = ["title", "aliases", "alias", "tags"]

    /// `r` without the spaces and tabs around it.
    private func trimmed(_ r: Range<Int>) -> Range<Int> {
        var a = r.lowerBound
        var b = r.upperBound
        while a < b && Scalars.isSpace(scalars[a]) { a += 1 }
        while b > a && Scalars.isSpace(scalars[b - 1]) { b -= 1 }
        return a..<b
    }

    private mutating func parseFrontMatter(_ range: Range<Int>) {
        var currentKey: String?
        for n in range {
            let r = lines[n]
            let t = trimmed(r)
            if t.isEmpty || scalars[t.lowerBound] == 0x23 {  // blank, or a # comment
                mask(r)
                continue
            }
            if indent(r) == 0, let colon = scalars[r].firstIndex(of: 0x3A) {
                let key = Scalars.string(scalars[trimmed(r.lowerBound..<colon)]).lowercased()
                let value = Scalars.string(scalars[trimmed((colon + 1)..<r.upperBound)])
                currentKey = key
                if MarkdownNote.scannedKeys.contains(key) {
                    mask(r.lowerBound..<(colon + 1))
                } else {
                    mask(r)
                }
                for v in MarkdownNote.yamlValues(value, key: key) { frontMatter[key, default: []].append(v) }
                continue
            }
            if let key = currentKey, scalars[t.lowerBound] == 0x2D {  // - item
                if !MarkdownNote.scannedKeys.contains(key) { mask(r) }
                let item = MarkdownNote.unquote(Scalars.string(scalars[trimmed((t.lowerBound + 1)..<t.upperBound)]))
                if !item.isEmpty { frontMatter[key, default: []].append(item) }
                continue
            }
            if let key = currentKey, !MarkdownNote.scannedKeys.contains(key) { mask(r) }
        }
    }

    /// `s` without one pair of matching quotes around it.
    static func unquote(_ s: String) -> String {
        let u = s.utf8
        if u.count >= 2, let f = u.first, let l = u.last, f == l, f == 0x22 || f == 0x27 {
            return String(Substring(u.dropFirst().dropLast()))
        }
        return s
    }

    /// The values of a front-matter `key: value` line: a `[a, b]` list, tags split at commas
    /// and spaces, aliases at commas, else the value itself; unquoted, empty ones left out.
    static func yamlValues(_ value: String, key: String) -> [String] {
        let u = value.utf8
        if u.isEmpty { return [] }
        func items(_ part: Substring.UTF8View, _ separator: (UInt8) -> Bool) -> [String] {
            part.split(whereSeparator: separator).map { unquote(String(Substring($0)).trimmingSpaces()) }.filter { !$0.isEmpty }
        }
        if u.first == 0x5B && u.last == 0x5D {  // [ ]
            return items(u.dropFirst().dropLast(), { $0 == 0x2C })
        }
        if key == "tags" {
            return items(Substring(value).utf8, { $0 == 0x2C || $0 == 0x20 }).map { $0.hasPrefix("#") ? String($0.dropFirst()) : $0 }
                .filter { !$0.isEmpty }
        }
        if (key == "aliases" || key == "alias") && u.contains(0x2C) {
            return items(Substring(value).utf8, { $0 == 0x2C })
        }
        return [unquote(value)]
    }

    // MARK: blocks

    private func fenceMarker(_ r: Range<Int>) -> (UInt32, Int)? {
        var i = r.lowerBound
        while i < r.upperBound && Scalars.isSpace(scalars[i]) { i += 1 }
        guard i < r.upperBound, scalars[i] == 0x60 || scalars[i] == 0x7E else { return nil }
        let c = scalars[i]
        var count = 0
        while i < r.upperBound && scalars[i] == c {
            count += 1
            i += 1
        }
        if count < 3 { return nil }
        if c == 0x60 && scalars[i..<r.upperBound].contains(0x60) { return nil }  // inline code, not a fence
        return (c, count)
    }

    private func onlyFence(_ r: Range<Int>) -> Bool {
        r.allSatisfy { scalars[$0] == 0x60 || scalars[$0] == 0x7E || Scalars.isSpace(scalars[$0]) }
    }

    private func headingLevel(_ r: Range<Int>) -> Int? {
        var i = r.lowerBound
        var spaces = 0
        while i < r.upperBound && scalars[i] == 0x20 && spaces < 4 {
            i += 1
            spaces += 1
        }
        if spaces > 3 { return nil }
        var level = 0
        while i < r.upperBound && scalars[i] == 0x23 {
            level += 1
            i += 1
        }
        guard level >= 1 && level <= 6 else { return nil }
        if i == r.upperBound || Scalars.isSpace(scalars[i]) { return level }
        return nil
    }

    private func headingText(_ n: Int) -> String {
        var a = lines[n].lowerBound
        var b = lines[n].upperBound
        while a < b && Scalars.isSpace(scalars[a]) { a += 1 }
        while b > a && Scalars.isSpace(scalars[b - 1]) { b -= 1 }
        while a < b && scalars[a] == 0x23 { a += 1 }
        while b > a && scalars[b - 1] == 0x23 { b -= 1 }
        while a < b && Scalars.isSpace(scalars[a]) { a += 1 }
        while b > a && Scalars.isSpace(scalars[b - 1]) { b -= 1 }
        return Scalars.string(scalars[a..<b])
    }

    private func isListItem(_ r: Range<Int>) -> Bool {
        var i = r.lowerBound
        while i < r.upperBound && Scalars.isSpace(scalars[i]) { i += 1 }
        guard i < r.upperBound else { return false }
        let c = scalars[i]
        if c == 0x2D || c == 0x2A || c == 0x2B {
            return i + 1 == r.upperBound || Scalars.isSpace(scalars[i + 1])
        }
        var j = i
        while j < r.upperBound && scalars[j] >= 0x30 && scalars[j] <= 0x39 { j += 1 }
        guard j > i, j - i <= 9, j < r.upperBound, scalars[j] == 0x2E || scalars[j] == 0x29 else { return false }
        return j + 1 == r.upperBound || Scalars.isSpace(scalars[j + 1])
    }

    // MARK: inline

    private static let urlPrefixes: [[UInt32]] = ["https://", "http://", "ftp://", "mailto:", "www.", "file://"]
        .map { $0.unicodeScalars.map { $0.value } }

    private func hasPrefix(_ p: [UInt32], at i: Int, end: Int) -> Bool {
        guard i + p.count <= end else { return false }
        for k in 0..<p.count where Scalars.lowerASCII(scalars[i + k]) != p[k] { return false }
        return true
    }

    private static func urlStops(_ v: UInt32) -> Bool {
        Scalars.isSpace(v) || v == 0x3C || v == 0x3E || v == 0x22 || v == 0x60 || v == 0x29 || v == 0x5D
            || Scalars.isHangulSyllable(v)
    }

    /// The note or file a Markdown link's destination names: `<a path with spaces.md>` or the
    /// part before a title, `%20`-style escapes decoded; nil for a URL (any `scheme:`), a
    /// protocol-relative `//host` or an anchor in the same note (`#heading`).
    static func destination(_ raw: ArraySlice<UInt32>) -> String? {
        var d = Scalars.string(raw).trimmingSpaces()
        if d.hasPrefix("<"), let close = d.firstIndex(of: ">") {
            d = String(d[d.index(after: d.startIndex)..<close])
        } else if let space = d.firstIndex(of: " ") {
            d = String(d[..<space])
        }
        if d.isEmpty || d.hasPrefix("#") || d.hasPrefix("//") { return nil }
        // A scheme: letters, then letters, digits, + . -, then a colon.
        let u = Array(d.utf8)
        if let first = u.first, (first | 0x20) >= 0x61 && (first | 0x20) <= 0x7A {
            var k = 1
            while k < u.count, Scalars.isASCIIAlphanumeric(UInt32(u[k])) || u[k] == 0x2B || u[k] == 0x2E || u[k] == 0x2D { k += 1 }
            if k < u.count && u[k] == 0x3A { return nil }
        }
        return d.removingPercentEncoding ?? d
    }

    /// Top-level domains that end a bare address (`last.fm`, `kakao.com`, `naver.co.kr`):
    /// common generic ones and country codes, leaving out those that are English words or
    /// file extensions (`.py`, `.md`, `.pt`, `.sh`, `.cc`, `.pl`).
    static let topLevelDomains: Set<[UInt32]> = Set(
        """
        com net org io ai fm co kr dev app me tv gg ly so xyz edu gov info biz asia tech cloud \
        jp us uk de cn fr ru es nl se ch ca au br eu tw hk sg vn nz za cz fi dk ua gr
        """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map { $0.unicodeScalars.map(\.value) })

    /// What may stand right before a bare address: not a letter, digit, `_`, `.`, `-`, `@` or `/`
    /// (those make it part of a longer word, address or path).
    private static func mayPrecedeDomain(_ v: UInt32) -> Bool {
        !Scalars.isWordScalar(v) && v != 0x2E && v != 0x2D && v != 0x40 && v != 0x2F
    }

    /// The end of a bare address starting at `i`: two or more labels of ASCII letters, digits
    /// and inner hyphens joined by dots, the last a top-level domain (any case), not followed by
    /// a word character, with an optional `/path`. Nil if there is none: `Node.js`, `torch.nn`,
    /// `FM.`, `A.I.` are not addresses.
    private func bareDomainEnd(from i: Int, end: Int) -> Int? {
        var j = i
        var labels = 0
        var lastLabel = i..<i
        while true {
            let start = j
            while j < end && (Scalars.isASCIIAlphanumeric(scalars[j]) || scalars[j] == 0x2D) { j += 1 }
            if j == start || scalars[start] == 0x2D || scalars[j - 1] == 0x2D { return nil }
            labels += 1
            lastLabel = start..<j
            guard j + 1 < end, scalars[j] == 0x2E, Scalars.isASCIIAlphanumeric(scalars[j + 1]) else { break }
            j += 1
        }
        guard labels >= 2, j >= end || !Scalars.isWordScalar(scalars[j]) else { return nil }
        let tld = scalars[lastLabel].map(Scalars.lowerASCII)
        guard MarkdownNote.topLevelDomains.contains(tld) else { return nil }
        if j < end && scalars[j] == 0x2F {
            while j < end && !MarkdownNote.urlStops(scalars[j]) { j += 1 }
        }
        return j
    }

    private static func isEmailLocal(_ v: UInt32) -> Bool {
        Scalars.isWordScalar(v) && v < 0x80 || v == 0x2E || v == 0x25 || v == 0x2B || v == 0x2D
    }

    private static func isTagScalar(_ v: UInt32) -> Bool {
        if Scalars.isWordScalar(v) || v == 0x2D || v == 0x2F || Scalars.isHangulSyllable(v) || Scalars.isOtherLetter(v) {
            return true
        }
        if v < 0x80 { return false }
        return Unicode.Scalar(v)?.properties.isAlphabetic ?? false
    }

    /// Finds inline code, links, wikilinks, URLs, e-mail addresses and tags on line `n`, and
    /// masks what mentions must not be found in.
    private mutating func scanInline(_ n: Int, heading: Bool) {
        let r = lines[n]
        let end = r.upperBound
        var i = r.lowerBound
        if heading {  // skip the heading marker
            while i < end && (scalars[i] == 0x20) { i += 1 }
            while i < end && scalars[i] == 0x23 { i += 1 }
        }
        var inCode = false
        var textStart: Int?
        while i < end {
            let c = scalars[i]
            // Every mark below is ASCII: a run of other scalars (Hangul, most of a Korean
            // note) is stepped over at once.
            if c >= 0x80 {
                i += 1
                while i < end && scalars[i] >= 0x80 { i += 1 }
                continue
            }
            if c == 0x60 {  // inline code: scanned for mentions, but no tags or links inside
                inCode.toggle()
                i += 1
                continue
            }
            if !inCode && c == 0x5B && i + 1 < end && scalars[i + 1] == 0x5B {  // [[wikilink]]
                var j = i + 2
                while j + 1 < end && !(scalars[j] == 0x5D && scalars[j + 1] == 0x5D) { j += 1 }
                if j + 1 < end {
                    // [[page#heading|label]]: the page with its fragment, spaces trimmed (a
                    // label alone is the page).
                    var a = i + 2
                    var b = a
                    while b < j && scalars[b] != 0x7C { b += 1 }
                    if b == a && b < j {
                        a = b + 1
                        b = a
                        while b < j && scalars[b] != 0x7C { b += 1 }
                    }
                    while a < b && Scalars.isSpace(scalars[a]) { a += 1 }
                    while b > a && Scalars.isSpace(scalars[b - 1]) { b -= 1 }
                    let embed = i > r.lowerBound && scalars[i - 1] == 0x21  // ![[embed]]
                    let start = embed ? i - 1 : i
                    links.append(NoteLink(target: Scalars.string(scalars[a..<b]), line: Int32(n + 1), column: Int32(start - r.lowerBound),
                        length: Int32(j + 2 - start), isWiki: true, isEmbed: embed))
                    i = j + 2
                    continue
                }
            }
            if !inCode && c == 0x5B { textStart = i }  // a [text] that may be a link's
            if !inCode && c == 0x5D && i + 1 < end && scalars[i + 1] == 0x28 {  // ](destination)
                var j = i + 2
                var depth = 1
                while j < end {
                    if scalars[j] == 0x28 { depth += 1 }
                    if scalars[j] == 0x29 {
                        depth -= 1
                        if depth == 0 { break }
                    }
                    j += 1
                }
                if j < end {
                    let start = textStart.map { $0 > r.lowerBound && scalars[$0 - 1] == 0x21 ? $0 - 1 : $0 } ?? i
                    let embed = start < i && scalars[start] == 0x21
                    if let target = MarkdownNote.destination(scalars[(i + 2)..<j]) {
                        links.append(NoteLink(target: target, line: Int32(n + 1), column: Int32(start - r.lowerBound),
                            length: Int32(j + 1 - start), isWiki: false, isEmbed: embed))
                    }
                    mask((i + 1)..<(j + 1))
                    textStart = nil
                    i = j + 1
                    continue
                }
            }
            let lower = Scalars.lowerASCII(c)
            let mayStartURL = lower == 0x68 || lower == 0x66 || lower == 0x6D || lower == 0x77  // h f m w
            if mayStartURL, i == r.lowerBound || !Scalars.isWordScalar(scalars[i - 1]), MarkdownNote.urlPrefixes.contains(where: { hasPrefix($0, at: i, end: end) }) {
                var j = i
                while j < end && !MarkdownNote.urlStops(scalars[j]) { j += 1 }
                mask(i..<j)
                i = j
                continue
            }
            if Scalars.isASCIIAlphanumeric(c), i == r.lowerBound || MarkdownNote.mayPrecedeDomain(scalars[i - 1]),
                let j = bareDomainEnd(from: i, end: end)
            {
                mask(i..<j)  // an address without a scheme: last.fm, kakao.com/careers
                var host = i
                while host < j && scalars[host] != 0x2F { host += 1 }
                addresses.append((n, i..<host))
                i = j
                continue
            }
            if c == 0x40 && i > r.lowerBound && MarkdownNote.isEmailLocal(scalars[i - 1]) {  // e-mail
                var a = i
                while a > r.lowerBound && MarkdownNote.isEmailLocal(scalars[a - 1]) { a -= 1 }
                var b = i + 1
                var dot = false
                while b < end && (Scalars.isWordScalar(scalars[b]) && scalars[b] < 0x80 || scalars[b] == 0x2E || scalars[b] == 0x2D) {
                    if scalars[b] == 0x2E { dot = true }
                    b += 1
                }
                if dot && b > i + 1 {
                    mask(a..<b)
                    i = b
                    continue
                }
            }
            if !inCode && c == 0x23 && (i == r.lowerBound || Scalars.isSpace(scalars[i - 1]) || scalars[i - 1] == 0x28) {
                var j = i + 1
                while j < end && MarkdownNote.isTagScalar(scalars[j]) { j += 1 }
                while j > i + 1 && (scalars[j - 1] == 0x2F || scalars[j - 1] == 0x2D) { j -= 1 }
                let body = scalars[(i + 1)..<j]
                if !body.isEmpty && body.contains(where: { !($0 >= 0x30 && $0 <= 0x39) && $0 != 0x2F && $0 != 0x2D }) {
                    tags.append(Scalars.string(body))
                    i = j
                    continue
                }
            }
            i += 1
        }
    }
}
