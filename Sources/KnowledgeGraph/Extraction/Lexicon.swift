/// An entity kg knows about: a concept, company or any other type named in the lexicon.
public struct Entity: Sendable, Hashable {
    /// The canonical name, used as the entity's id.
    public var name: String
    /// The type word from the lexicon (`concept`, `company`, `tool`, ...).
    public var type: String
    /// Other names and spellings, in the order they were written.
    public var aliases: [String]

    public init(name: String, type: String, aliases: [String] = []) {
        self.name = name
        self.type = type
        self.aliases = aliases
    }
}

/// A problem found in the lexicon or in an entity note: reported, never fatal.
public struct LexiconIssue: Sendable, Hashable {
    public enum Kind: UInt8, Sendable {
        /// A line kg cannot read.
        case syntax = 0
        /// A name defined with two types, or an alias that names two entities.
        case collision = 1
        /// A line that changes nothing (`reject:` of a name kg never found).
        case unused = 2
    }

    public var kind: Kind
    public var source: String
    /// 1-based line of the definition (entity notes: 1).
    public var line: Int
    public var message: String

    public init(kind: Kind, source: String, line: Int, message: String) {
        self.kind = kind
        self.source = source
        self.line = line
        self.message = message
    }
}

/// Where an entity definition came from: the lexicon file or an entity note.
public struct EntityDefinition: Sendable, Hashable {
    public var entity: Entity
    public var source: String
    public var line: Int
    public var origin: EntityOrigin

    public init(entity: Entity, source: String, line: Int, origin: EntityOrigin? = nil) {
        self.entity = entity
        self.source = source
        self.line = line
        self.origin = origin ?? EntityOrigin(source: source == LexiconFile.path ? .lexicon : .note)
    }
}

/// Where an entity comes from, and for a discovered one how sure kg is and why.
public struct EntityOrigin: Sendable, Hashable {
    public enum Source: UInt8, Sendable {
        case lexicon = 0, note = 1, discovered = 2

        public var label: String { self == .lexicon ? "lexicon" : self == .note ? "note" : "discovered" }
    }

    public var source: Source
    /// 1 for the lexicon and entity notes; 0–1 for discovered entities.
    public var confidence: Double
    public var signals: [String]
    /// Names of a discovered entity that match only inside a link (`[[K]]`): short or
    /// everyday titles and aliases of linked notes, which would match too much prose.
    public var linkOnly: [String]

    public init(source: Source, confidence: Double = 1, signals: [String] = [], linkOnly: [String] = []) {
        self.source = source
        self.confidence = confidence
        self.signals = signals
        self.linkOnly = linkOnly
    }
}

/// `.kg/lexicon.txt` read: entity lines, and the lines that correct discovery.
///
/// - `type: Name | alias | alias` defines an entity;
/// - `discover: on` (or `off`) switches discovery: it is on in a vault without a lexicon
///   file, and off in one whose lexicon does not say `discover: on`;
/// - `reject: Name` keeps a name from being proposed or matched by discovery.
public struct LexiconFile: Sendable {
    public static let path = ".kg/lexicon.txt"
    public var definitions: [EntityDefinition] = []
    public var issues: [LexiconIssue] = []
    /// The `discover:` line's setting, if there is one.
    public var discover: Bool?
    /// Rejected names, with their lines.
    public var rejects: [(name: String, line: Int)] = []

    public init(text: String, source: String = LexiconFile.path) {
        (definitions, issues) = Lexicon.parseFile(text, source: source, settings: &self)
    }
}

/// The merged set of entities: the lexicon file plus entity notes.
public struct Lexicon: Sendable, Equatable {
    /// Entities sorted by name; an entity's index here is its id in the index.
    public private(set) var entities: [Entity]
    /// Collisions and malformed lines, in source order.
    public private(set) var issues: [LexiconIssue]
    /// Every name and alias as a match key, with the entity it names.
    public private(set) var keys: [(key: [UInt32], entity: Int32)]
    /// The keys that match only inside a link (`EntityOrigin.linkOnly`).
    public private(set) var linkOnlyKeys: Set<[UInt32]>
    /// Where each entity comes from, by id.
    public private(set) var origins: [EntityOrigin]

    public static func == (a: Lexicon, b: Lexicon) -> Bool {
        a.entities == b.entities && a.issues == b.issues && a.origins == b.origins
    }

    /// Parses a lexicon file's text: `type: Canonical | alias | alias`, `#` comments.
    public static func parseFile(_ text: String, source: String = ".kg/lexicon.txt") -> (
        [EntityDefinition], [LexiconIssue]
    ) {
        var ignored = LexiconFile(text: "")
        return parseFile(text, source: source, settings: &ignored)
    }

    static func parseFile(_ text: String, source: String, settings: inout LexiconFile) -> ([EntityDefinition], [LexiconIssue]) {
        var defs: [EntityDefinition] = []
        var issues: [LexiconIssue] = []
        for (n, raw) in Normalizer.normalize(text).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingSpaces()
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":") else {
                issues.append(.init(kind: .syntax, source: source, line: n + 1, message: "expected 'type: Name | alias ...'"))
                continue
            }
            let type = String(line[..<colon]).trimmingSpaces()
            let names = line[line.index(after: colon)...].split(separator: "|").map { String($0).trimmingSpaces() }
                .filter { !$0.isEmpty }
            guard !type.isEmpty, !type.contains(" "), let first = names.first else {
                issues.append(.init(kind: .syntax, source: source, line: n + 1, message: "expected 'type: Name | alias ...'"))
                continue
            }
            let word = type.lowercased()
            if word == "discover" || word == "discovery" {
                switch first.lowercased() {
                case "on", "yes", "true": settings.discover = true
                case "off", "no", "false": settings.discover = false
                default: issues.append(.init(kind: .syntax, source: source, line: n + 1, message: "'discover:' takes on or off, not '\(first)'"))
                }
                continue
            }
            if word == "reject" {
                for name in names { settings.rejects.append((name, n + 1)) }
                continue
            }
            // A near miss of a setting (`discovr: on`, `rejct: X`) is more likely a typo than
            // an entity type.
            let setting = ["on", "off", "yes", "no", "true", "false"].contains(first.lowercased())
            if Related.editDistance(Array(word.unicodeScalars), Array("discover".unicodeScalars)) <= 2 && setting {
                issues.append(.init(kind: .syntax, source: source, line: n + 1, message: "'\(type):' is not a setting; did you mean 'discover: \(first)'?"))
                continue
            }
            if Related.editDistance(Array(word.unicodeScalars), Array("reject".unicodeScalars)) == 1 {
                issues.append(.init(kind: .syntax, source: source, line: n + 1, message: "'\(type):' is not a setting; did you mean 'reject: \(first)'?"))
                continue
            }
            defs.append(.init(entity: Entity(name: first, type: type, aliases: Array(names.dropFirst())), source: source, line: n + 1))
        }
        return (defs, issues)
    }

    /// Merges definitions in order: the same name twice merges aliases; an alias that names two
    /// entities, or a name defined with two types, is reported and kept for the first.
    public init(definitions: [EntityDefinition], issues initialIssues: [LexiconIssue] = []) {
        var issues = initialIssues
        var byKey: [[UInt32]: Int] = [:]  // canonical key -> index in merged
        var merged: [Entity] = []
        var mergedOrigins: [EntityOrigin] = []
        var origin: [String] = []
        // Where each merged alias was defined: source and line.
        var aliasOrigin: [[(String, Int)]] = []
        for def in definitions {
            let key = Lexicon.key(def.entity.name)
            if key.isEmpty { continue }
            if let i = byKey[key] {
                if merged[i].type != def.entity.type {
                    issues.append(.init(kind: .collision, source: def.source, line: def.line,
                        message: "'\(def.entity.name)' is defined as \(def.entity.type) here and as \(merged[i].type) in \(origin[i]); keeping \(merged[i].type)"))
                }
                for a in def.entity.aliases where !merged[i].aliases.contains(a) && a != merged[i].name {
                    merged[i].aliases.append(a)
                    aliasOrigin[i].append((def.source, def.line))
                }
            } else {
                byKey[key] = merged.count
                merged.append(def.entity)
                mergedOrigins.append(def.origin)
                origin.append(def.source)
                aliasOrigin.append(def.entity.aliases.map { _ in (def.source, def.line) })
            }
        }
        // Names claim their keys first, then aliases in the order they were defined; an alias
        // already taken is reported and dropped, so every stored alias names one entity.
        var owner: [[UInt32]: Int] = [:]
        for (i, e) in merged.enumerated() { owner[Lexicon.key(e.name)] = i }
        for i in merged.indices {
            var kept: [String] = []
            for (a, alias) in merged[i].aliases.enumerated() {
                let k = Lexicon.key(alias)
                if k.isEmpty { continue }
                if let other = owner[k], other != i {
                    let (source, line) = a < aliasOrigin[i].count ? aliasOrigin[i][a] : (origin[i], 0)
                    issues.append(.init(kind: .collision, source: source, line: line,
                        message: "alias '\(alias)' of \(merged[i].name) also names \(merged[other].name); it stays with \(merged[other].name)"))
                    continue
                }
                if owner[k] == i && kept.contains(where: { Lexicon.key($0) == k }) { continue }
                owner[k] = i
                kept.append(alias)
            }
            merged[i].aliases = kept
        }
        let order = merged.indices.sorted { merged[$0].name.utf8.bytesPrecede(merged[$1].name.utf8) }
        entities = order.map { merged[$0] }
        origins = order.map { mergedOrigins[$0] }
        self.keys = Lexicon.buildKeys(entities)
        self.linkOnlyKeys = Lexicon.linkOnlyKeys(origins)
        self.issues = issues
    }

    /// A lexicon as stored in the index: entities already merged and sorted.
    init(stored entities: [Entity], issues: [LexiconIssue], origins: [EntityOrigin]? = nil) {
        self.entities = entities
        self.issues = issues
        self.origins = origins ?? entities.map { _ in EntityOrigin(source: .lexicon) }
        self.keys = Lexicon.buildKeys(entities)
        self.linkOnlyKeys = Lexicon.linkOnlyKeys(self.origins)
    }

    private static func linkOnlyKeys(_ origins: [EntityOrigin]) -> Set<[UInt32]> {
        var keys = Set<[UInt32]>()
        for o in origins where !o.linkOnly.isEmpty { for n in o.linkOnly { keys.insert(Lexicon.key(n)) } }
        return keys
    }

    /// Match keys of merged entities: every name and alias, each naming one entity.
    private static func buildKeys(_ entities: [Entity]) -> [(key: [UInt32], entity: Int32)] {
        var keys: [(key: [UInt32], entity: Int32)] = []
        var seen = Set<[UInt32]>()
        for (id, e) in entities.enumerated() {
            for name in [e.name] + e.aliases {
                let k = Lexicon.key(name)
                if k.isEmpty || !seen.insert(k).inserted { continue }
                keys.append((k, Int32(id)))
            }
        }
        return keys
    }

    /// Index of the entity whose name or alias is `name` (any case or spacing).
    public func lookup(_ name: String) -> Int? {
        let k = Lexicon.key(name)
        for entry in keys where entry.key == k { return Int(entry.entity) }
        return nil
    }

    /// The match key of a name as a string (see `key`).
    public static func keyString(_ name: String) -> String {
        asciiOrHangulKeyString(name) ?? keyStringByScalars(name)
    }

    /// `keyString` of any name: normalized, then keyed scalar by scalar.
    static func keyStringByScalars(_ name: String) -> String {
        String(String.UnicodeScalarView(key(name).compactMap(Unicode.Scalar.init)))
    }

    /// `keyString` of a name of ASCII letters, digits, spaces and Hangul syllables only (most
    /// names, note titles and aliases), straight from its UTF-8 bytes, which need no
    /// normalization; nil for any other name.
    static func asciiOrHangulKeyString(_ name: String) -> String? {
        var name = name
        return name.withUTF8 { u -> String? in
            var out: [UInt8] = []
            out.reserveCapacity(u.count)
            var lastHangul = true
            var i = 0
            let n = u.count
            func hangul(at k: Int) -> Bool? {
                let b = u[k]
                guard b >= 0xEA && b <= 0xED, k + 2 < n, u[k + 1] & 0xC0 == 0x80, u[k + 2] & 0xC0 == 0x80 else { return nil }
                let v = UInt32(b & 0x0F) << 12 | UInt32(u[k + 1] & 0x3F) << 6 | UInt32(u[k + 2] & 0x3F)
                return v >= 0xAC00 && v <= 0xD7A3 ? true : nil
            }
            while i < n {
                let b = u[i]
                if b == 0x20 || b == 0x09 || b == 0x0A {
                    var j = i
                    while j < n && (u[j] == 0x20 || u[j] == 0x09 || u[j] == 0x0A) { j += 1 }
                    var nextHangul = true
                    if j < n {
                        if u[j] < 0x80 {
                            nextHangul = false
                        } else {
                            guard hangul(at: j) != nil else { return nil }
                        }
                    }
                    if !lastHangul && !nextHangul { out.append(0x20) }
                    i = j
                    continue
                }
                if b < 0x80 {
                    guard b != 0x0D else { return nil }
                    out.append(b >= 0x41 && b <= 0x5A ? b + 32 : b)
                    lastHangul = false
                    i += 1
                    continue
                }
                guard hangul(at: i) != nil else { return nil }
                out.append(contentsOf: u[i..<(i + 3)])
                lastHangul = true
                i += 3
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// The match key of a name: NFC, ASCII lowercased, spaces next to Hangul removed, other
    /// whitespace runs collapsed to one space.
    public static func key(_ name: String) -> [UInt32] {
        key(normalized: Normalizer.normalize(name).unicodeScalars.map { $0.value }[...])
    }

    /// The match key of text that is already normalized (a note's text is).
    static func key(normalized scalars: ArraySlice<UInt32>) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(scalars.count)
        appendKey(normalized: scalars, to: &out)
        return out
    }

    /// Appends the match key of normalized text to `out` (which it expects empty).
    static func appendKey(normalized scalars: ArraySlice<UInt32>, to out: inout [UInt32]) {
        var i = scalars.startIndex
        while i < scalars.endIndex {
            let v = scalars[i]
            if Scalars.isSpace(v) || v == 0x0A {
                var j = i
                while j < scalars.endIndex && (Scalars.isSpace(scalars[j]) || scalars[j] == 0x0A) { j += 1 }
                let prevHangul = out.last.map(Scalars.isHangulSyllable) ?? true
                let nextHangul = j < scalars.endIndex ? Scalars.isHangulSyllable(scalars[j]) : true
                if !prevHangul && !nextHangul { out.append(0x20) }
                i = j
                continue
            }
            out.append(Scalars.lowerASCII(v))
            i += 1
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        let s = self.unicodeScalars
        guard let first = s.firstIndex(where: { !Scalars.isSpace($0.value) }) else { return "" }
        let last = s.lastIndex(where: { !Scalars.isSpace($0.value) }) ?? first
        if first == s.startIndex && s.index(after: last) == s.endIndex { return String(self) }
        return String(self[first...last])
    }
}
