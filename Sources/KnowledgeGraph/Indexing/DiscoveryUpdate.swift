/// Discovery brought up to date for a few changed notes without summing or deciding over the
/// whole vault (`DiscoveryBuild`). The previous section's table gives the entries the notes
/// touch; each touched key's entry loses the note's old candidates and gains its new ones.
///
/// A name's decision (`Discoverer.decide`) depends on its own entry, its plural's or
/// singular's (plurals merge), its spelling with or without spaces around `&` (they merge),
/// the entries one Hangul syllable longer (`shadowed`), and, through `dropInside`, the
/// decisions of the names with spaces that contain it as a word, through `joinLongForms`, an
/// acronym's on the phrases with its initials and theirs on it, and, for a note with aliases,
/// on the title's and the aliases' (`Discoverer.giveAliases`). So the names decided again are
/// the touched keys, their singulars, plurals, `&` spellings and one-scalar-shorter keys, the
/// words of every name with spaces among them, the acronyms a phrase among them spells and
/// the phrases an acronym among them was or may be joined to, the names the built-in list
/// knows as one with one among them (`Discoverer.joinSameNames`), and a linked note's title
/// and aliases when one of them is among them; every other name keeps what the previous index
/// decided. A linked note's short or everyday title (`[[K]]`) depends on which notes
/// exist: when one is among the names to decide again, the update decides over the whole
/// vault.
struct DiscoveryUpdate {
    var entities: [DiscoveredName]
    var section: [UInt8]
    var extracted: ExtractedCandidates
    /// How many names were decided again.
    var decidedAgain: Int
    private var touched: [NameKey: DiscoveryStats.Entry?]
    private let table: DiscoveryTable

    /// Nil when the update must decide over the whole vault: no usable previous section,
    /// other inputs to the decision, a note added or removed, many notes changed, or a name
    /// to decide again that may be a linked note's short title.
    init?(changes: ChangeSet, previous: PreviousIndex, reader: IndexReader, inputs: UInt64, taken: Set<String>, rejected: Set<String>,
        vault: Vault)
    {
        let notes = changes.notePaths.count
        guard changes.removed.isEmpty, changes.changed.count * 16 <= max(notes, 16),
            let table = try? reader.discoveryTable(), table.inputs == inputs
        else { return nil }
        // The changed notes' old candidates: a note the previous index lacks is new.
        let previousPaths = previous.notePaths
        var old: [[NoteCandidate]] = []
        for key in changes.changed {
            guard let id = key.bytes.withUnsafeBytes({ previousPaths.sortedIndex(ofBytes: $0) }),
                let record = try? reader.record(at: id)
            else { return nil }
            old.append(record.candidates)
        }
        let paths = changes.changed.map { String(decoding: $0.bytes, as: UTF8.self) }.sorted { $0.utf8.bytesPrecede($1.utf8) }
        let (new, extracted) = DiscoveryBuild.extract(paths, fresh: changes.fresh, vault: vault)
        self.extracted = extracted
        // The touched entries, brought up to date.
        var keys = Set(new.entries.keys)
        for c in old.joined() { keys.insert(NameKey(c.key)) }
        var sums = DiscoveryStats()
        do {
            for k in keys { if let e = try table.entry(k) { sums.entries[k] = e } }
        } catch {
            return nil
        }
        for o in old { sums.add(o, sign: -1) }
        sums.merge(new)
        var touched: [NameKey: DiscoveryStats.Entry?] = [:]
        for k in keys { touched[k] = .some(sums.entries[k]) }
        // The names to decide again.
        var again = keys
        for k in keys {
            if Discoverer.isPlural(k.string) { again.insert(NameKey(String(k.string.dropLast()))) }
            again.insert(NameKey(k.string + "s"))
            if let shorter = Discoverer.shorterKey(k) { again.insert(shorter) }
        }
        // The words of a name with spaces (`dropInside`), and a note with aliases: its
        // title's name takes them, and a name kept on its own that is one of them joins it
        // (`Discoverer.giveAliases`); all are decided again together. Added until nothing
        // more comes (an alias may be another note's title).
        var titled: [NameKey: LinkedNote] = [:]
        var owners: [NameKey: Int] = [:]
        var linked: [NameKey: [(title: NameKey, aliases: Set<NameKey>)]] = [:]
        for (title, note) in DiscoveryBuild.notesWithAliases(changes.files) {
            let aliases = Set(note.aliases.map { NameKey(Lexicon.keyString($0)) })
            for a in aliases { owners[a, default: 0] += 1 }
            titled[NameKey(title)] = note
            for k in aliases.union([NameKey(title)]) { linked[k, default: []].append((NameKey(title), aliases)) }
        }
        // An acronym and its long form (`Discoverer.joinLongForms`): the phrases the previous
        // index kept or joined, by their initials.
        var longForms: [String: [NameKey]] = [:]
        for d in table.decided {
            if let a = Discoverer.initials(d.key) { longForms[a, default: []].append(NameKey(d.key)) }
            if Discoverer.acronymLetters(d.key) != nil {
                for alias in d.found.aliases where alias.contains(" ") {
                    longForms[d.key, default: []].append(NameKey(Lexicon.keyString(alias)))
                }
            }
        }
        var frontier = Array(again)
        while !frontier.isEmpty {
            var next: [NameKey] = []
            func add(_ k: NameKey) { if again.insert(k).inserted { next.append(k) } }
            for k in frontier {
                if k.string.contains(" ") {
                    for w in k.string.split(separator: " ") where w != "&" { add(NameKey(String(w))) }
                }
                // Whichever acronym a phrase spells, with or without `&` (`wb`, `w&b`).
                if let a = Discoverer.initials(k.string) {
                    for key in Discoverer.acronymKeys(a) { add(NameKey(key)) }
                }
                for p in longForms[k.string] ?? [] { add(p) }
                // An acronym: the phrases with its initials, and the acronyms with its letters.
                if let letters = Discoverer.acronymLetters(k.string) {
                    for p in longForms[letters] ?? [] { add(p) }
                    for key in Discoverer.acronymKeys(letters) { add(NameKey(key)) }
                }
                // With and without spaces around `&` (a plural's too: the plurals are in `again`).
                if k.string.contains("&") {
                    let compact = Discoverer.compactAmpersands(k.string)
                    add(NameKey(compact))
                    add(NameKey(Discoverer.spacedAmpersands(compact)))
                }
                for note in linked[k] ?? [] {
                    add(note.title)
                    for a in note.aliases { add(a) }
                }
                // Names that are one name (`Discoverer.joinSameNames`).
                for p in KnownNames.sameNames(as: k) { add(p) }
            }
            frontier = next
        }
        var cache: [NameKey: DiscoveryStats.Entry?] = [:]
        var damaged = false
        func raw(_ k: NameKey) -> DiscoveryStats.Entry? {
            if let t = touched[k] { return t }
            if let c = cache[k] { return c }
            do {
                let e = try table.entry(k)
                cache[k] = .some(e)
                return e
            } catch {
                damaged = true
                return nil
            }
        }
        // As `Discoverer.decided` has it after merging plurals, then names spaced around `&`.
        func pluralMerged(_ k: NameKey) -> DiscoveryStats.Entry? {
            guard var e = raw(k) else { return nil }
            if Discoverer.isPlural(k.string), !Discoverer.endsInCapitalS(e), raw(NameKey(String(k.string.dropLast()))) != nil { return nil }
            let plural = NameKey(k.string + "s")
            if Discoverer.isPlural(plural.string), let p = raw(plural), !Discoverer.endsInCapitalS(p) { Discoverer.merge(p, into: &e) }
            return e
        }
        func free(_ k: String) -> Bool { !taken.contains(k) && !rejected.contains(k) }
        func merged(_ k: NameKey) -> DiscoveryStats.Entry? {
            let compact = Discoverer.compactAmpersands(k.string)
            if compact != k.string, Discoverer.spacedAmpersands(compact) == k.string, free(k.string), free(compact),
                pluralMerged(NameKey(compact)) != nil
            {
                return nil
            }
            guard var e = pluralMerged(k) else { return nil }
            if k.string.contains("&") && compact == k.string, case let spaced = Discoverer.spacedAmpersands(k.string), spaced != k.string,
                free(k.string), free(spaced), let s = pluralMerged(NameKey(spaced))
            {
                Discoverer.merge(s, into: &e)
            }
            return e
        }
        // A linked note's short or everyday title is an entity only if a note has that title,
        // which only the whole vault's file names tell.
        for k in again where Discoverer.linkOnlyShape(k.string) && raw(k)?.has(.wikilink) == true {
            trace("discovery: [[\(k.string)]] may name a linked note; deciding over the whole vault", monotonicSeconds())
            return nil
        }
        var kept: [Discoverer.Decision] = table.decided.filter { !again.contains(NameKey($0.key)) }.map { ($0.key, $0.found, true) }
        for k in again where !taken.contains(k.string) && !rejected.contains(k.string) {
            guard let e = merged(k) else { continue }
            var shadows: [DiscoveryStats.Entry] = []
            if Discoverer.isHangul(k.string) {
                var longer = Set(table.keys(startingWith: k))
                for t in touched.keys where t.string.hasPrefix(k.string) { longer.insert(t) }
                for l in longer where Discoverer.shorterKey(l) == k {
                    if let e = raw(l) { shadows.append(e) }
                }
            }
            if let d = Discoverer.decide(k, e, longer: shadows, titled: [:], useKnownNames: true) { kept.append(d) }
        }
        Discoverer.dropInside(&kept) { merged(NameKey($0))?.count ?? 0 }
        Discoverer.joinLongForms(&kept)
        Discoverer.joinSameNames(&kept)
        if !titled.isEmpty {
            Discoverer.giveAliases(&kept, notes: titled, entry: raw, taken: Set(taken.map(NameKey.init)), rejected: Set(rejected.map(NameKey.init)),
                only: again, owners: owners)
        }
        guard !damaged else { return nil }
        kept.sort { $0.key.utf8.bytesPrecede($1.key.utf8) }
        let decided = kept.filter(\.entity).map { (key: $0.key, found: $0.found) }
        entities = decided.map(\.found)
        decidedAgain = again.count
        self.table = table
        self.touched = touched
        let changed = touched.map { (key: $0.key, entry: $0.value) }.sorted { $0.key.precedes($1.key) }
        section = table.spliced(inputs: inputs, decided: decided, changed: changed)
    }

    /// Whether the statistics have a key (a `reject:` of a name kg never found is reported).
    func has(_ key: String) -> Bool {
        let k = NameKey(key)
        if let t = touched[k] { return t != nil }
        return (try? table.entry(k)) != nil
    }
}
