/// Ignore rules read from `.gitignore` and `.kgignore` files, with git's semantics for the
/// common cases: `#` comments, `!` negation, a trailing `/` for folders only, a `/` at the
/// start or in the middle anchors the pattern to the file's folder, `*`, `?`, `[...]` and
/// `**`. The last matching rule wins; a file in an ignored folder stays ignored.
struct IgnoreRules: Sendable {
    struct Rule: Sendable {
        var pattern: [UInt8]
        var negated: Bool
        var folderOnly: Bool
        var anchored: Bool
    }

    /// Folder (vault-relative, "" for the root) whose ignore files the rules came from.
    var base: [UInt8]
    var rules: [Rule] = []

    init(base: [UInt8], text: [UInt8]) {
        self.base = base
        for raw in text.split(separator: 0x0A, omittingEmptySubsequences: true) {
            var line = Array(raw)
            if line.last == 0x0D { line.removeLast() }
            while let last = line.last, last == 0x20, !(line.count >= 2 && line[line.count - 2] == 0x5C) { line.removeLast() }
            if line.isEmpty || line[0] == 0x23 { continue }
            var negated = false
            if line[0] == 0x21 {
                negated = true
                line.removeFirst()
            } else if line.count >= 2 && line[0] == 0x5C && (line[1] == 0x21 || line[1] == 0x23) {
                line.removeFirst()
            }
            var folderOnly = false
            if line.last == 0x2F {
                folderOnly = true
                line.removeLast()
            }
            var anchored = line.dropLast().contains(0x2F)
            if line.first == 0x2F {
                anchored = true
                line.removeFirst()
            }
            if line.isEmpty { continue }
            rules.append(Rule(pattern: line, negated: negated, folderOnly: folderOnly, anchored: anchored))
        }
    }

    /// nil when no rule matches, else whether the last matching rule ignores the path.
    func decision(for path: [UInt8], isFolder: Bool) -> Bool? {
        guard path.starts(with: base) else { return nil }
        var relative = Array(path.dropFirst(base.count))
        if !base.isEmpty {
            guard relative.first == 0x2F else { return nil }
            relative.removeFirst()
        }
        let name = Array(relative.split(separator: 0x2F).last ?? [])
        var result: Bool?
        for rule in rules {
            if rule.folderOnly && !isFolder { continue }
            let target = rule.anchored ? relative : name
            if IgnoreRules.glob(rule.pattern[...], target[...]) { result = !rule.negated }
        }
        return result
    }

    /// Glob match of a whole string: `*` and `?` stop at `/`, `**` crosses folders.
    static func glob(_ p: ArraySlice<UInt8>, _ s: ArraySlice<UInt8>) -> Bool {
        var pi = p.startIndex
        var si = s.startIndex
        while pi < p.endIndex {
            let c = p[pi]
            if c == 0x2A {  // *
                if pi + 1 < p.endIndex && p[pi + 1] == 0x2A {  // **
                    var rest = pi + 2
                    if rest < p.endIndex && p[rest] == 0x2F { rest += 1 }
                    var k = si
                    while true {
                        if glob(p[rest...], s[k...]) { return true }
                        if k >= s.endIndex { return false }
                        k += 1
                    }
                }
                var k = si
                while true {
                    if glob(p[(pi + 1)...], s[k...]) { return true }
                    if k >= s.endIndex || s[k] == 0x2F { return false }
                    k += 1
                }
            }
            guard si < s.endIndex else { return false }
            if c == 0x3F {  // ?
                if s[si] == 0x2F { return false }
            } else if c == 0x5B, let close = p[(pi + 1)...].firstIndex(of: 0x5D) {  // [...]
                var set = p[(pi + 1)..<close]
                var negate = false
                if let f = set.first, f == 0x21 || f == 0x5E {
                    negate = true
                    set = set.dropFirst()
                }
                var matched = false
                var k = set.startIndex
                while k < set.endIndex {
                    if k + 2 < set.endIndex && set[k + 1] == 0x2D {
                        if s[si] >= set[k] && s[si] <= set[k + 2] { matched = true }
                        k += 3
                    } else {
                        if s[si] == set[k] { matched = true }
                        k += 1
                    }
                }
                if matched == negate { return false }
                pi = close
            } else {
                if c == 0x5C && pi + 1 < p.endIndex {  // escaped character
                    pi += 1
                }
                if p[pi] != s[si] { return false }
            }
            pi += 1
            si += 1
        }
        return si == s.endIndex
    }
}
