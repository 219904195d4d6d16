/// A JSON value written deterministically: keys in the order given, numbers as written.
public indirect enum JSON: Sendable, Equatable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case null
    case array([JSON])
    case object([(String, JSON)])

    public static func == (a: JSON, b: JSON) -> Bool { a.rendered() == b.rendered() }

    /// A pretty array written an item at a time, the same text `rendered()` gives the whole
    /// array: `item` gives what to write before and with each item, `end` what closes it.
    public struct ArrayWriter: Sendable {
        private var empty = true

        public init() {}

        public mutating func item(_ value: JSON) -> String {
            var out = empty ? "[\n  " : ",\n  "
            empty = false
            value.write(into: &out, indent: 1)
            return out
        }

        public func end() -> String { empty ? "[]" : "\n]" }
    }

    /// The value as JSON text; `pretty` indents by two spaces.
    public func rendered(pretty: Bool = true) -> String {
        var out = ""
        write(into: &out, indent: pretty ? 0 : -1)
        return out
    }

    private func write(into out: inout String, indent: Int) {
        let pretty = indent >= 0
        let pad = pretty ? String(repeating: "  ", count: indent + 1) : ""
        let closePad = pretty ? String(repeating: "  ", count: indent) : ""
        switch self {
        case .string(let s): JSON.quote(s, into: &out)
        case .int(let i): out += String(i)
        case .double(let d): out += JSON.number(d)
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        case .array(let items):
            if items.isEmpty {
                out += "[]"
                return
            }
            out += pretty ? "[\n" : "["
            for (i, item) in items.enumerated() {
                out += pad
                item.write(into: &out, indent: pretty ? indent + 1 : -1)
                if i < items.count - 1 { out += "," }
                if pretty { out += "\n" }
            }
            out += closePad + "]"
        case .object(let fields):
            if fields.isEmpty {
                out += "{}"
                return
            }
            out += pretty ? "{\n" : "{"
            for (i, (k, v)) in fields.enumerated() {
                out += pad
                JSON.quote(k, into: &out)
                out += pretty ? ": " : ":"
                v.write(into: &out, indent: pretty ? indent + 1 : -1)
                if i < fields.count - 1 { out += "," }
                if pretty { out += "\n" }
            }
            out += closePad + "}"
        }
    }

    /// A number with at most 3 decimals and no trailing zeros: every score and weight kg
    /// shows, in text and JSON alike.
    public static func number(_ d: Double) -> String {
        if !d.isFinite { return "0" }
        if abs(d) >= 1e15 { return String(d) }
        let scaled = (d * 1000).rounded()
        if scaled == 0 { return "0" }
        let negative = scaled < 0
        let v = Int64(abs(scaled))
        var s = String(v / 1000)
        var frac = String(v % 1000)
        while frac.count < 3 { frac = "0" + frac }
        while frac.hasSuffix("0") { frac.removeLast() }
        if !frac.isEmpty { s += "." + frac }
        return negative ? "-" + s : s
    }

    static func quote(_ s: String, into out: inout String) {
        out += "\""
        out += escaped(s) { u in
            switch u {
            case "\"": return "\\\""
            case "\\": return "\\\\"
            case "\n": return "\\n"
            case "\r": return "\\r"
            case "\t": return "\\t"
            default:
                guard u.value < 0x20 else { return nil }
                let hex = String(u.value, radix: 16)
                return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        out += "\""
    }
}

/// `s` with each scalar replaced by `replacement(scalar)`, or kept when that is nil (an
/// empty replacement drops it): the one loop behind every format's escaping.
func escaped(_ s: String, _ replacement: (Unicode.Scalar) -> String?) -> String {
    var out = ""
    for u in s.unicodeScalars {
        if let r = replacement(u) { out += r } else { out.unicodeScalars.append(u) }
    }
    return out
}
