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
    public var source: String
    public var line: Int
    public var message: String
}

/// Where an entity definition came from: the lexicon file or an entity note.
public struct EntityDefinition: Sendable, Hashable {
    public var entity: Entity
    public var source: String
    public var line: Int

    public init(entity: Entity, source: String, line: Int) {
        self.entity = entity
        self.source = source
        self.line = line
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

    public static func == (a: Lexicon, b: Lexicon) -> Bool {
        a.entities == b.entities && a.issues == b.issues
    }

    /// Parses a lexicon file's text: `type: Canonical | alias | alias`, `#` comments.
    public static func parseFile(_ text: String, source: String = ".kg/lexicon.txt") -> (
        [EntityDefinition], [LexiconIssue]
    ) {
        var defs: [EntityDefinition] = []
        var issues: [LexiconIssue] = []
        for (n, raw) in Normalizer.normalize(text).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingSpaces()
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":") else {
                issues.append(.init(source: source, line: n + 1, message: "expected 'type: Name | alias ...'"))
                continue
            }
            let type = String(line[..<colon]).trimmingSpaces()
            let names = line[line.index(after: colon)...].split(separator: "|").map { String($0).trimmingSpaces() }
                .filter { !$0.isEmpty }
            guard !type.isEmpty, !type.contains(" "), let first = names.first else {
                issues.append(.init(source: source, line: n + 1, message: "expected 'type: Name | alias ...'"))
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
        var origin: [String] = []
        for def in definitions {
            let key = Lexicon.key(def.entity.name)
            if key.isEmpty { continue }
            if let i = byKey[key] {
                if merged[i].type != def.entity.type {
                    issues.append(.init(source: def.source, line: def.line,
                        message: "'\(def.entity.name)' is defined as \(def.entity.type) here and as \(merged[i].type) in \(origin[i]); keeping \(merged[i].type)"))
                }
                for a in def.entity.aliases where !merged[i].aliases.contains(a) && a != merged[i].name {
                    merged[i].aliases.append(a)
                }
            } else {
                byKey[key] = merged.count
                merged.append(def.entity)
                origin.append(def.source)
            }
        }
        let order = merged.indices.sorted { merged[$0].name.utf8.lexicographicallyPrecedes(merged[$1].name.utf8) }
        entities = order.map { merged[$0] }
        let (keys, conflicts) = Lexicon.buildKeys(entities)
        for (id, alias, other) in conflicts {
            issues.append(.init(source: origin[order[id]], line: 0,
                message: "alias '\(alias)' of \(entities[id].name) also names \(entities[other].name); it stays with \(entities[other].name)"))
        }
        self.keys = keys
        self.issues = issues
    }

    /// A lexicon as stored in the index: entities already merged and sorted.
    init(stored entities: [Entity], issues: [LexiconIssue]) {
        self.entities = entities
        self.issues = issues
        self.keys = Lexicon.buildKeys(entities).keys
    }

    /// Match keys for sorted entities: canonical names claim their keys first, then aliases in
    /// entity order; an alias already claimed is a conflict.
    private static func buildKeys(_ entities: [Entity]) -> (
        keys: [(key: [UInt32], entity: Int32)], conflicts: [(Int, String, Int)]
    ) {
        var owner: [[UInt32]: Int32] = [:]
        var keys: [(key: [UInt32], entity: Int32)] = []
        var conflicts: [(Int, String, Int)] = []
        for (id, e) in entities.enumerated() {
            let k = Lexicon.key(e.name)
            if let other = owner[k] {
                conflicts.append((id, e.name, Int(other)))
                continue
            }
            owner[k] = Int32(id)
            keys.append((k, Int32(id)))
        }
        for (id, e) in entities.enumerated() {
            for alias in e.aliases {
                let k = Lexicon.key(alias)
                if k.isEmpty { continue }
                if let other = owner[k] {
                    if other != Int32(id) { conflicts.append((id, alias, Int(other))) }
                    continue
                }
                owner[k] = Int32(id)
                keys.append((k, Int32(id)))
            }
        }
        return (keys, conflicts)
    }

    /// Index of the entity whose name or alias is `name` (any case or spacing).
    public func lookup(_ name: String) -> Int? {
        let k = Lexicon.key(name)
        for entry in keys where entry.key == k { return Int(entry.entity) }
        return nil
    }

    /// The match key of a name: NFC, ASCII lowercased, spaces next to Hangul removed, other
    /// whitespace runs collapsed to one space.
    public static func key(_ name: String) -> [UInt32] {
        let scalars = Normalizer.normalize(name).unicodeScalars.map { $0.value }
        var out: [UInt32] = []
        var i = 0
        while i < scalars.count {
            let v = scalars[i]
            if Scalars.isSpace(v) || v == 0x0A {
                var j = i
                while j < scalars.count && (Scalars.isSpace(scalars[j]) || scalars[j] == 0x0A) { j += 1 }
                let prevHangul = out.last.map(Scalars.isHangulSyllable) ?? true
                let nextHangul = j < scalars.count ? Scalars.isHangulSyllable(scalars[j]) : true
                if !prevHangul && !nextHangul { out.append(0x20) }
                i = j
                continue
            }
            out.append(Scalars.lowerASCII(v))
            i += 1
        }
        return out
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        let s = self.unicodeScalars
        guard let first = s.firstIndex(where: { !Scalars.isSpace($0.value) }) else { return "" }
        let last = s.lastIndex(where: { !Scalars.isSpace($0.value) }) ?? first
        return String(String.UnicodeScalarView(s[first...last]))
    }
}
