/// How a line of a note is shown beside an answer in text output.
extension String {
    /// Without surrounding whitespace and, when longer than `width` characters, cut to a
    /// window of `width` characters around `column` (0-based, in characters of the line as
    /// given; the start when nil), with `…` where it was cut.
    public func displayLine(around column: Int? = nil, width: Int = 160) -> String {
        // Most lines: ASCII at both ends once ASCII whitespace is trimmed, and short enough to
        // be shown whole. (Any other whitespace at an end takes the general way below.)
        let u = utf8
        var lo = u.startIndex
        var hi = u.endIndex
        func blank(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }
        while lo < hi && blank(u[lo]) { lo = u.index(after: lo) }
        while hi > lo && blank(u[u.index(before: hi)]) { hi = u.index(before: hi) }
        if lo == hi { return "" }
        if u[lo] < 0x80 && u[u.index(before: hi)] < 0x80, case let trimmed = self[lo..<hi], trimmed.unicodeScalars.count <= width {
            return String(trimmed)
        }
        return displayLineByScalars(around: column, width: width)
    }

    /// `displayLine` for any line: its scalars trimmed of any whitespace and cut.
    func displayLineByScalars(around column: Int?, width: Int) -> String {
        var scalars = Array(unicodeScalars)
        var column = column ?? 0
        var lead = 0
        while lead < scalars.count && scalars[lead].properties.isWhitespace { lead += 1 }
        var end = scalars.count
        while end > lead && scalars[end - 1].properties.isWhitespace { end -= 1 }
        scalars = Array(scalars[lead..<end])
        column = max(0, min(scalars.count, column - lead))
        guard scalars.count > width, width > 2 else { return String(String.UnicodeScalarView(scalars)) }
        // Centred on the column, moved inward at the ends; one place for each `…` shown.
        var start = max(0, column - width / 3)
        var stop = min(scalars.count, start + width)
        start = max(0, stop - width)
        if start > 0 { start += 1 }
        if stop < scalars.count { stop -= 1 }
        var out = String.UnicodeScalarView()
        if start > 0 { out.append("…") }
        out.append(contentsOf: scalars[start..<stop])
        if stop < scalars.count { out.append("…") }
        return String(out)
    }
}

/// `n` and the word for it, singular or plural: `1 note`, `2 notes`, `1 entity`.
public func counted(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
    "\(n) \(n == 1 ? singular : plural ?? singular + "s")"
}
