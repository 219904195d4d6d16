/// A name discovery proposes, with its type, how sure it is and why.
public struct DiscoveredName: Sendable, Equatable {
    public var name: String
    /// `company`, `concept`, `tool`, `person`, `note` or `term` (when unsure).
    public var type: String
    public var aliases: [String]
    /// 0–1.
    public var confidence: Double
    public var signals: [String]
    public var notes: Int
    public var count: Int
    /// Names that match only inside links (`EntityOrigin.linkOnly`).
    public var linkOnly: [String] = []
}

/// A note that other notes may link to, as discovery sees it: the title links name it by
/// (its file name without the extension) and its front-matter aliases.
struct LinkedNote: Sendable, Equatable {
    var title: String
    var aliases: [String]
}

/// Decides, from the vault's discovery statistics, which candidate names are entities, of
/// what type, and how surely; the rest above a floor are suggestions to review. A
/// deterministic function of the statistics.
///
/// Evidence, summed into a confidence:
/// - Latin: a technical shape (acronym `FFM`, mixed case `LightGCN`, letters with digits
///   `Word2Vec`), a capitalized word inside a sentence (`Kafka`), a capitalized phrase
///   (`Factorization Machine`); lowercase alone is no evidence, and an ordinary English word
///   capitalized or in capitals (`Running`, `ERROR`) little.
/// - Hangul: the kinds of particles the stem was seen before (a noun takes several: 이/가,
///   을/를, 은/는, 의, 에, 로, 와/과), being seen alone, a compound.
/// - Both: how many notes, company cues (context words on the line, a list under a heading
///   about companies, a company ending such as 전자, 뱅크), `X(Y)` definitions, wikilinks,
///   tags, headings, and the built-in list of well-known names.
/// - Linked notes: a note that other notes link to names a topic. When its title is an
///   entity by the evidence above, the entity takes the note's front-matter aliases (being
///   linked and having aliases is not made evidence on its own: on a vault of plugin notes
///   it made every plugin's file name an entity). A title or alias that is short (one or two
///   letters) or an everyday word (`K`, `Yes`) matches only inside links, so it never
///   matches prose; such a title is an entity only as a linked note's.
enum Discoverer {
    static let threshold = 0.5
    static let suggestionFloor = 0.25

    /// `notes`: notes by the match key of their title, those with aliases or with a short or
    /// everyday title (the others add nothing to what their links say).
    static func discover(_ stats: DiscoveryStats, taken: Set<String>, rejected: Set<String>, notes: [String: LinkedNote] = [:],
        useKnownNames: Bool = true) -> (entities: [DiscoveredName], suggestions: [DiscoveredName])
    {
        let kept = decided(stats, taken: taken, rejected: rejected, notes: notes, useKnownNames: useKnownNames)
        let entities = kept.filter(\.entity).map(\.found)
        var suggestions = kept.filter { !$0.entity }.map(\.found)
        suggestions.sort { $0.confidence != $1.confidence ? $0.confidence > $1.confidence : $0.name.utf8.bytesPrecede($1.name.utf8) }
        return (entities, suggestions)
    }

    /// What `discover` decides, name by name, with the key of each name's entry, in key order.
    static func decided(_ stats: DiscoveryStats, taken: Set<String>, rejected: Set<String>, notes: [String: LinkedNote] = [:],
        useKnownNames: Bool = true) -> [Decision]
    {
        var entries = stats.entries
        // Keys compared by their bytes (`NameKey`): every key here is normalized.
        let taken = Set(taken.map(NameKey.init))
        let rejected = Set(rejected.map(NameKey.init))
        var titled: [NameKey: LinkedNote] = [:]
        for (k, n) in notes { titled[NameKey(k)] = n }
        // Plurals merge into their singular (`Transformers` into `Transformer`).
        let plurals = entries.keys.filter { isPlural($0.string) && !(entries[$0].map(endsInCapitalS) ?? false) }
        for key in plurals.sorted(by: { $0.precedes($1) }) {
            let singular = NameKey(String(key.string.dropLast()))
            guard var base = entries[singular], let plural = entries[key] else { continue }
            merge(plural, into: &base)
            entries[singular] = base
            entries[key] = nil
        }
        // A name written with spaces around `&` merges into the one written without
        // (`Wide & Deep` into `Wide&Deep`), unless the lexicon takes or rejects either.
        for key in entries.keys.filter({ hasSpacedAmpersand($0.string) }).sorted(by: { $0.precedes($1) }) {
            let compact = NameKey(compactAmpersands(key.string))
            guard spacedAmpersands(compact.string) == key.string, var base = entries[compact], let spaced = entries[key],
                !taken.contains(key), !taken.contains(compact), !rejected.contains(key), !rejected.contains(compact)
            else { continue }
            merge(spaced, into: &base)
            entries[compact] = base
            entries[key] = nil
        }
        // Each key under the key one scalar shorter, for `shadowed` (which asks only about
        // Hangul keys: the longer keys start with a syllable too).
        var longer: [NameKey: [NameKey]] = [:]
        for k in entries.keys {
            if let shorter = shorterKey(k) { longer[shorter, default: []].append(k) }
        }
        // Scored in any order; only the names kept are put in key order.
        var kept: [Decision] = []
        for (k, e) in entries {
            guard taken.isEmpty || !taken.contains(k), rejected.isEmpty || !rejected.contains(k) else { continue }
            let shadows = longer[k].map { $0.compactMap { entries[$0] } } ?? []
            if let d = decide(k, e, longer: shadows, titled: titled, useKnownNames: useKnownNames) {
                kept.append(d)
            }
        }
        dropInside(&kept) { entries[NameKey($0)]?.count ?? 0 }
        joinLongForms(&kept)
        if useKnownNames { joinSameNames(&kept) }
        if !notes.isEmpty { giveAliases(&kept, notes: titled, entry: { stats.entries[$0] }, taken: taken, rejected: rejected) }
        kept.sort { $0.key.utf8.bytesPrecede($1.key.utf8) }
        return kept
    }

    /// Whether a key is written mostly in capitals, its final S too (`HTTPS`, `JWKS`): an
    /// acronym that ends in S, not a plural, whose acronyms keep a small s (`APIs`, `GPUs`).
    static func endsInCapitalS(_ e: DiscoveryStats.Entry) -> Bool {
        var capitals: Int32 = 0
        var all: Int32 = 0
        for (s, n) in e.surfaces {
            all += n
            let u = s.string.utf8
            if u.last == 0x53 && !u.contains(where: { $0 >= 0x61 && $0 <= 0x7A }) { capitals += n }
        }
        return all > 0 && capitals * 2 >= all
    }

    /// A name as decided: the key of its entry, what is found, and whether it is an entity
    /// (else a suggestion).
    typealias Decision = (key: String, found: DiscoveredName, entity: Bool)

    /// Whether a key is the plural of another (`transformers`): Latin, longer than three
    /// bytes, ending in one `s`.
    static func isPlural(_ key: String) -> Bool {
        let u = key.utf8
        return u.last == 0x73 && u.dropLast().last != 0x73 && u.count > 3 && isLatin(key)
    }

    /// Whether a key has ` & ` in it (by its bytes: Foundation's search, over every key, took
    /// about a third of the decision).
    static func hasSpacedAmpersand(_ key: String) -> Bool {
        var u = key.utf8.makeIterator()
        var (a, b) = (UInt8(0), UInt8(0))
        while let c = u.next() {
            if a == 0x20 && b == 0x26 && c == 0x20 { return true }
            (a, b) = (b, c)
        }
        return false
    }

    /// A key without the spaces around its `&`s (`wide & deep` → `wide&deep`), and a key with
    /// one space either side of each: `decided` merges a key written the second way into the
    /// first.
    static func compactAmpersands(_ key: String) -> String { key.replacingOccurrences(of: " & ", with: "&") }
    static func spacedAmpersands(_ key: String) -> String { key.replacingOccurrences(of: "&", with: " & ") }

    /// A plural's entry added to its singular's.
    static func merge(_ plural: DiscoveryStats.Entry, into base: inout DiscoveryStats.Entry) {
        base.notes = max(base.notes, plural.notes)
        base.count += plural.count
        for b in 0..<32 { base.signalNotes[b] = max(base.signalNotes[b], plural.signalNotes[b]) }
        for (s, n) in plural.surfaces { base.surfaces[s, default: 0] += n }
    }

    /// The key one scalar shorter under which `shadowed` looks a key up: for keys of more than
    /// two scalars that start with a Hangul syllable.
    static func shorterKey(_ k: NameKey) -> NameKey? {
        let scalars = k.string.unicodeScalars
        guard let first = scalars.first, Scalars.isHangulSyllable(first.value), scalars.count > 2 else { return nil }
        return NameKey(String(k.string[..<scalars.index(before: scalars.endIndex)]))
    }

    /// One name's decision from its entry (plurals merged in) and the entries one scalar
    /// longer; nil when it is neither an entity nor a suggestion. The caller has left out
    /// taken and rejected names.
    static func decide(_ k: NameKey, _ e: DiscoveryStats.Entry, longer: [DiscoveryStats.Entry], titled: [NameKey: LinkedNote],
        useKnownNames: Bool) -> Decision?
    {
        let key = k.string
        if isHangul(key), shadowed(e, by: longer) { return nil }
        // Such names come only from links (the candidates leave them out elsewhere).
        if e.has(.wikilink) && linkOnlyShape(key) {
            // Only a linked note's short or everyday title is an entity, matched in links:
            // a note that exists, named by a link in some note.
            guard let linked = titled[k] else { return nil }
            var found = DiscoveredName(name: linked.title, type: "note", aliases: [], confidence: e.notes >= 2 ? 0.6 : 0.5,
                signals: ["wikilink", "linked-note"] + (e.notes >= 2 ? ["in \(e.notes) notes"] : []), notes: Int(e.notes), count: Int(e.count))
            found.linkOnly = [linked.title]
            return (key, found, true)
        }
        guard let (score, reasons) = score(k, e, useKnownNames: useKnownNames), score >= suggestionFloor else { return nil }
        let surfaces = e.surfaces.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.precedes($1.key) }
        guard var name = surfaces.first?.key.string else { return nil }
        // A well-known name is written as it is known (`CatBoost`, not `catboost`) when
        // the notes only differ from it in case.
        if useKnownNames, let known = KnownNames.spellings[k], Lexicon.keyString(known) == key { name = known }
        var aliases: [String] = []
        // The spellings under another key than the name's: a plural's, or one spaced around `&`.
        let nameKey = Lexicon.keyString(name)
        var seen: Set<String> = [nameKey]
        for (s, _) in surfaces where seen.insert(Lexicon.keyString(s.string)).inserted { aliases.append(s.string) }
        // Rounded to three places, but a suggestion never shows the threshold: a sum such
        // as 0.25 + 0.1 + 0.1 + 0.05 falls a hair short of 0.5 in binary floating point.
        let rounded = (min(1, score) * 1000).rounded() / 1000
        let found = DiscoveredName(name: name, type: type(k, e, useKnownNames: useKnownNames), aliases: aliases,
            confidence: score >= threshold ? rounded : min(rounded, threshold - 0.001), signals: reasons, notes: Int(e.notes),
            count: Int(e.count))
        return (key, found, score >= threshold)
    }

    /// A word whose every occurrence lies inside a longer name kg keeps (`GitHub` only ever
    /// in `GitHub Actions`) would never be matched on its own: it is not proposed. `count`
    /// gives a key's occurrences (plurals merged in).
    static func dropInside(_ kept: inout [Decision], count: (String) -> Int32) {
        let inside = insideCounts(kept.lazy.filter(\.entity).map(\.key), count: count)
        guard !inside.isEmpty else { return }
        kept.removeAll { k in !k.key.contains(" ") && (inside[NameKey(k.key)].map { $0 >= count(k.key) } ?? false) }
    }

    /// For each word of the kept names with spaces, the occurrences of those names.
    static func insideCounts(_ keys: some Sequence<String>, count: (String) -> Int32) -> [NameKey: Int32] {
        var inside: [NameKey: Int32] = [:]
        for key in keys where key.contains(" ") {
            let n = count(key)
            for w in key.split(separator: " ") where w != "&" { inside[NameKey(String(w)), default: 0] += n }
        }
        return inside
    }

    /// A name too short or too common to match prose: one letter, or an everyday word.
    static func linkOnlyShape(_ key: String) -> Bool {
        key.unicodeScalars.count < 2 || CandidateExtractor.everyday(key)
    }

    /// The entities of linked notes take the notes' aliases: each alias that names one note
    /// only, that no other name kg keeps or the lexicon has, and that is not rejected. A
    /// candidate the alias names on its own joins the entity. A short or everyday alias
    /// matches only inside links. The entity is named by the one of its names the notes
    /// write most.
    /// `entry` gives a key's entry (plurals not merged); `only`, when given, the keys whose
    /// names take aliases here (an incremental update's, `DiscoveryUpdate`), and `owners`
    /// how many of `notes` have each alias (`aliasOwners`).
    static func giveAliases(_ kept: inout [Decision], notes: [NameKey: LinkedNote], entry: (NameKey) -> DiscoveryStats.Entry?,
        taken: Set<NameKey>, rejected: Set<NameKey>, only: Set<NameKey>? = nil, owners: [NameKey: Int]? = nil)
    {
        let owners = owners ?? aliasOwners(notes)
        let position = Set(kept.map { NameKey($0.key) })
        var joined = Set<NameKey>()
        for i in kept.indices where kept[i].entity {
            let title = NameKey(kept[i].key)
            guard only?.contains(title) ?? true, let note = notes[title], entry(title)?.has(.wikilink) == true else { continue }
            for alias in note.aliases {
                let a = NameKey(Lexicon.keyString(alias))
                guard !a.string.isEmpty, a != title, owners[a] == 1, !taken.contains(a), !rejected.contains(a), notes[a] == nil else { continue }
                // A name kept on its own (not another note's title: see above) joins this one.
                if position.contains(a) { joined.insert(a) }
                if kept[i].found.aliases.contains(where: { NameKey(Lexicon.keyString($0)) == a }) { continue }
                kept[i].found.aliases.append(alias)
                if a.string.unicodeScalars.count <= 2 || CandidateExtractor.everyday(a.string) { kept[i].found.linkOnly.append(alias) }
            }
            if !kept[i].found.signals.contains("linked-note") { kept[i].found.signals.append("linked-note") }
            // Named by what the notes write most: `Nick Milo` rather than the file name
            // `nickmilo` when the alias is the more frequent.
            let found = kept[i].found
            func written(_ name: String) -> Int32 { entry(NameKey(Lexicon.keyString(name)))?.count ?? 0 }
            if let best = found.aliases.filter({ !found.linkOnly.contains($0) }).max(by: { written($0) < written($1) }),
                written(best) > written(found.name), !found.linkOnly.contains(found.name)
            {
                kept[i].found.aliases = [found.name] + found.aliases.filter { $0 != best }
                kept[i].found.name = best
            }
        }
        if !joined.isEmpty { kept.removeAll { joined.contains(NameKey($0.key)) } }
    }

    /// For each alias key, how many notes have it.
    static func aliasOwners(_ notes: [NameKey: LinkedNote]) -> [NameKey: Int] {
        var owners: [NameKey: Int] = [:]
        for n in notes.values { for a in Set(n.aliases.map { NameKey(Lexicon.keyString($0)) }) { owners[a, default: 0] += 1 } }
        return owners
    }

    static func scalars(_ key: String) -> ArraySlice<UInt32> { ArraySlice(key.unicodeScalars.map(\.value)) }
    static func isLatin(_ key: String) -> Bool { !key.unicodeScalars.contains { Scalars.isHangulSyllable($0.value) } }
    static func isHangul(_ key: String) -> Bool { key.unicodeScalars.allSatisfy { Scalars.isHangulSyllable($0.value) } }

    static func particleKinds(_ e: DiscoveryStats.Entry) -> Int {
        (Signal.subjectParticle.rawValue...Signal.otherParticle.rawValue).filter { e.signalNotes[$0] > 0 }.count
    }

    /// A Hangul stem that only looks like one because a longer noun ends in a syllable
    /// that starts a particle (`텐서플` of `텐서플로는`): a one-syllable-longer candidate
    /// takes as many kinds of particles and is found in at least half as many notes.
    static func shadowed(_ e: DiscoveryStats.Entry, by longer: [DiscoveryStats.Entry]) -> Bool {
        let mine = particleKinds(e)
        return longer.contains { particleKinds($0) >= mine && $0.notes * 2 >= e.notes }
    }

    /// The confidence and the reasons for it, or nil for a name with no evidence at all.
    static func score(_ k: NameKey, _ e: DiscoveryStats.Entry, useKnownNames: Bool) -> (Double, [String])? {
        let key = k.string
        var score = 0.0
        var reasons: [String] = []
        func give(_ points: Double, _ reason: String) {
            score += points
            reasons.append(reason)
        }
        let known = useKnownNames && KnownNames.types[k] != nil
        let hasDigits = key.unicodeScalars.contains { $0.value >= 0x30 && $0.value <= 0x39 }
        if isLatin(key) {
            // A name is written capitalized most of the time; a word capitalized now and
            // then (`Instead`, `Update` in a title) is mostly written in lowercase.
            let capitalized = e.surfaces.reduce(0) { $0 + ($1.key.string.unicodeScalars.contains { $0.properties.isUppercase } ? Int($1.value) : 0) }
            let written = e.surfaces.values.reduce(0) { $0 + Int($1) }
            let mostlyCapitalized = capitalized * 2 > written
            // Nor is a word written in capitals now and then (`DEV`, `ERROR` as a constant)
            // an acronym: an acronym's capitals are at least a quarter of its spellings.
            let acronym = e.has(.acronym) && capitalized * 4 >= written
            let shaped = acronym || e.has(.mixedCase) || e.has(.alphanumeric)
            if acronym && !hasDigits && key.utf8.count >= 3 && (EnglishWords.contains(key) || EnglishWords.inIdentifier(key)) {
                // An English word in capitals (`ERROR`, `SELECT`, `ORDER`) or a constant made of
                // English words (`INSTALLED_APPS`) is a keyword, a log level or a name in code,
                // not an acronym.
                give(0.2, "capitals-common-word")
            } else if shaped {
                give(0.45, acronym ? "acronym" : e.has(.mixedCase) ? "mixed-case" : "letters-and-digits")
            } else if e.has(.capitalizedPhrase) && key.contains(" ") && mostlyCapitalized {
                give(0.4, "capitalized-phrase")
            } else if e.has(.capitalized) && mostlyCapitalized {
                // An ordinary English word capitalized (`Running`, `Store`) is a label or a
                // heading's word more often than a name.
                if EnglishWords.contains(key) { give(0.2, "capitalized-common-word") } else { give(0.4, "capitalized") }
            } else if e.has(.latinInKorean) {
                give(0.2, "latin-in-korean")
            } else if e.has(.hyphenated) || e.has(.sentenceStart) {
                give(0.1, e.has(.hyphenated) ? "hyphenated" : "sentence-start")
            } else if !known && !e.has(.wikilink) && !e.has(.tag) && !e.has(.definition) {
                return nil  // only ever written in lowercase: no evidence
            }
            if key.unicodeScalars.count <= 2 && e.notes < 2 { score -= 0.1 }
        } else {
            let kinds = particleKinds(e)
            if kinds >= 3 {
                give(0.35, "before-particles")
            } else if kinds == 2 {
                give(0.25, "before-particles")
            } else if kinds == 1 {
                score += 0.1
            }
            if e.has(.alone) { give(0.1, "alone") }
            if e.has(.compound) { give(0.05, "compound") }
            if e.has(.mixedScript) { give(0.3, "mixed-script") }
            // A full name the notes mostly write with a title is a person.
            if e.has(.person) && e.notes(.person) * 2 >= e.notes { give(0.4, "person-title") }
        }
        if e.has(.companyList) { give(0.25, "company-list") }
        if isHangul(key) && Vocabulary.companyEndingScalars.ends(scalars(key), properly: true) {
            give(0.15, "company-ending")
        }
        if e.has(.companyContext) && e.notes(.companyContext) * 2 >= e.notes { give(0.05, "company-context") }
        if e.has(.definition) { give(0.15, "definition") }
        if e.has(.wikilink) && !hasDigits { give(0.15, "wikilink") }
        if e.has(.tag) { give(0.1, "tag") }
        if e.has(.heading) { score += 0.05 }
        // What the notes show of the name itself, before how often they show it.
        let evidence = score
        if e.notes >= 2 { give(0.1, "in \(e.notes) notes") }
        if e.notes >= 5 { score += 0.05 }
        if e.count >= 3 { score += 0.05 }
        // The built-in list helps what the notes already show, never makes a name alone: a
        // name on it that the notes write as a name (any signal) is an entity, even in one note.
        if known && evidence >= 0.1 { give(KnownNames.everyday.contains(k) ? 0.3 : 0.4, "well-known") }
        // Mostly the second word of a compound: a fragment of it.
        if e.has(.compoundTail) && e.notes(.compoundTail) * 5 >= e.notes * 4 && !e.has(.companyList) { score -= 0.3 }
        // Only ever written as inline code: an identifier (`CharField`, `DATE_PART`) more often
        // than a name. An acronym, a Hangul word or words with a space in backticks are a term
        // set off (`OLTP`, `정점`, `CAPEX(Capital Expenditure)`): no identifier has a space.
        if e.has(.code) && !e.has(.prose) && isLatin(key) && !key.contains(" ") && (!e.has(.acronym) || key.contains("_")) { score -= 0.3 }
        return (score, reasons)
    }

    static func type(_ k: NameKey, _ e: DiscoveryStats.Entry, useKnownNames: Bool) -> String {
        if useKnownNames, let t = KnownNames.types[k] { return t }
        if e.has(.person) && e.notes(.person) * 2 >= e.notes && isHangul(k.string) { return "person" }
        let key = k.string
        let ending = Vocabulary.companyEndingScalars.ends(scalars(key), properly: true)
        if e.has(.companyList) || ending || (e.has(.mixedScript) && !key.contains(" ") || ending) { return "company" }
        let contextual = e.has(.companyContext) && e.notes(.companyContext) * 3 >= e.notes * 2
        if isLatin(key) {
            if e.has(.acronym) || e.has(.mixedCase) || e.has(.alphanumeric) || e.has(.capitalizedPhrase) || e.has(.hyphenated) {
                return "concept"
            }
            return contextual ? "company" : "term"
        }
        if e.has(.compound) { return "concept" }
        if contextual { return "company" }
        if e.has(.wikilink) && particleKinds(e) == 0 { return "note" }
        return "term"
    }
}
