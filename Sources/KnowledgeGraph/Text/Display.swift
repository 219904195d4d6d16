import Foundation

extension String {
    /// A line as shown beside an answer: without surrounding spaces, at most `limit`
    /// characters (cut with `…`).
    public func displayLine(limit: Int = 240) -> String {
        let t = trimmingCharacters(in: .whitespaces)
        if t.count <= limit { return t }
        return String(t.prefix(limit - 1)) + "…"
    }
}
