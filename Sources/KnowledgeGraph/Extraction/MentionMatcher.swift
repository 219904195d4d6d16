/// One match of an entity name in a line of scalars.
struct NameMatch: Equatable {
    var entity: Int32
    var start: Int
    var end: Int
}

/// Finds entity names in text by the mention rules: case-insensitive Latin, optional spaces
/// next to Hangul, word boundaries for Latin, particles after Hangul, leftmost-longest.
///
/// A trie over the lexicon's keys; the root is an array lookup so most positions are rejected
/// without hashing.
public struct MentionMatcher: Sendable {
    private var asciiRoot = [Int32](repeating: -1, count: 128)
    private var hangulRoot = [Int32](repeating: -1, count: 11172)
    private var otherRoot: [UInt32: Int32] = [:]
    private var children = NodeTable()
    private var terminal: [Int32] = [-1]  // node -> entity, -1 none
    /// Nodes whose name matches only inside a link (`Lexicon.linkOnlyKeys`); empty when none.
    private var linkOnly = Set<Int32>()

    public init(lexicon: Lexicon) {
        for (key, entity) in lexicon.keys {
            var node: Int32 = 0
            for v in key { node = child(node, v, create: true) }
            if terminal[Int(node)] < 0 {
                terminal[Int(node)] = entity
                if !lexicon.linkOnlyKeys.isEmpty && lexicon.linkOnlyKeys.contains(key) { linkOnly.insert(node) }
            }
        }
    }

    private mutating func child(_ node: Int32, _ v: UInt32, create: Bool) -> Int32 {
        let existing = lookup(node, v)
        if existing >= 0 || !create { return existing }
        let new = Int32(terminal.count)
        terminal.append(-1)
        if node == 0 {
            if v < 128 {
                asciiRoot[Int(v)] = new
            } else if Scalars.isHangulSyllable(v) {
                hangulRoot[Int(v - 0xAC00)] = new
            } else {
                otherRoot[v] = new
            }
        } else {
            children.insert(UInt64(UInt32(bitPattern: node)) << 32 | UInt64(v), new)
        }
        return new
    }

    @inline(__always) private func lookup(_ node: Int32, _ v: UInt32) -> Int32 {
        if node == 0 {
            if v < 128 { return asciiRoot[Int(v)] }
            if Scalars.isHangulSyllable(v) { return hangulRoot[Int(v - 0xAC00)] }
            return otherRoot[v] ?? -1
        }
        return children.find(UInt64(UInt32(bitPattern: node)) << 32 | UInt64(v))
    }

    /// Whether some name matches only inside a link.
    var hasLinkOnlyNames: Bool { !linkOnly.isEmpty }

    /// All mentions in `line` (scalars; masked positions hold 0, which never matches). A name
    /// that matches only inside a link matches only within one of `links` (ranges of `line`'s
    /// indices).
    func matches(in line: ArraySlice<UInt32>, links: [Range<Int>] = []) -> [NameMatch] {
        var result: [NameMatch] = []
        let lo = line.startIndex
        let hi = line.endIndex
        var i = lo
        while i < hi {
            let c = line[i]
            let first = lookup(0, Scalars.lowerASCII(c))
            if first < 0 {
                i += 1
                continue
            }
            if i > lo {
                let p = line[i - 1]
                if Scalars.isWordScalar(c) && Scalars.isWordScalar(p) || Scalars.isHangulSyllable(c) && Scalars.isHangulSyllable(p) {
                    i += 1
                    continue
                }
            }
            if let m = longest(in: line, from: i, firstNode: first, links: links) {
                result.append(m)
                i = m.end
            } else {
                i += 1
            }
        }
        return result
    }

    private func longest(in line: ArraySlice<UInt32>, from start: Int, firstNode: Int32, links: [Range<Int>]) -> NameMatch? {
        let hi = line.endIndex
        var best: NameMatch?
        var node = firstNode
        var j = start + 1
        var last = line[start]
        /// Whether the name ending at node `n` may match `start..<end` here.
        func allowed(_ n: Int32, _ end: Int) -> Bool {
            linkOnly.isEmpty || !linkOnly.contains(n) || links.contains { $0.lowerBound <= start && end <= $0.upperBound }
        }
        if terminal[Int(node)] >= 0 && endOK(line, at: j, last: last) && allowed(node, j) {
            best = NameMatch(entity: terminal[Int(node)], start: start, end: j)
        }
        while j < hi {
            let c = line[j]
            if Scalars.isSpace(c) {
                var k = j
                while k < hi && Scalars.isSpace(line[k]) { k += 1 }
                if k >= hi { break }
                if Scalars.isHangulSyllable(last) || Scalars.isHangulSyllable(line[k]) {
                    j = k  // a space next to Hangul is optional
                    continue
                }
                node = lookup(node, 0x20)
                if node < 0 { break }
                j = k
                last = 0x20
                continue
            }
            node = lookup(node, Scalars.lowerASCII(c))
            if node < 0 { break }
            last = c
            j += 1
            let e = terminal[Int(node)]
            if e >= 0 && endOK(line, at: j, last: last) && allowed(node, j) {
                best = NameMatch(entity: e, start: start, end: j)
            }
        }
        return best
    }

    @inline(__always) private func endOK(_ line: ArraySlice<UInt32>, at j: Int, last: UInt32) -> Bool {
        let hi = line.endIndex
        if j >= hi { return true }
        let next = line[j]
        if Scalars.isWordScalar(last) { return !Scalars.isWordScalar(next) }
        if Scalars.isHangulSyllable(last) {
            if !Scalars.isHangulSyllable(next) { return true }
            var k = j
            while k < hi && Scalars.isHangulSyllable(line[k]) { k += 1 }
            return Particles.fits(line[j..<k], after: last)
        }
        return true
    }
}

/// Trie edges, (node, scalar) -> child, in an open-addressing table: the matcher's inner loop
/// looks one up per scalar of a candidate name, and a Swift dictionary hashes with SipHash.
struct NodeTable: Sendable {
    private var keys = [UInt64](repeating: 0, count: 64)
    private var values = [Int32](repeating: -1, count: 64)
    private var count = 0

    @inline(__always) private static func home(_ key: UInt64, _ size: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - size.trailingZeroBitCount))
    }

    /// The child for `key`, or -1. Keys are never 0 (the child of node 0 is kept elsewhere).
    @inline(__always) func find(_ key: UInt64) -> Int32 {
        let mask = keys.count - 1
        var s = NodeTable.home(key, keys.count)
        while true {
            let k = keys[s]
            if k == key { return values[s] }
            if k == 0 { return -1 }
            s = (s + 1) & mask
        }
    }

    mutating func insert(_ key: UInt64, _ value: Int32) {
        if (count + 1) * 2 > keys.count {
            let oldKeys = keys
            let oldValues = values
            keys = [UInt64](repeating: 0, count: keys.count * 2)
            values = [Int32](repeating: -1, count: keys.count)
            count = 0
            for (k, v) in zip(oldKeys, oldValues) where k != 0 { insert(k, v) }
        }
        let mask = keys.count - 1
        var s = NodeTable.home(key, keys.count)
        while keys[s] != 0 && keys[s] != key { s = (s + 1) & mask }
        if keys[s] == 0 { count += 1 }
        keys[s] = key
        values[s] = value
    }
}
