/// Names that are one entity though written apart: an acronym and its long form, and the
/// names the built-in list knows as one (`Docker` and `도커`). `Discoverer.decided` and an
/// incremental update (`DiscoveryUpdate`) join them after deciding each name.
extension Discoverer {
    /// An acronym and its long form are one entity (`FFM` and `Field-aware Factorization
    /// Machine`, `W&B` and `Weights & Biases`): the initials of the phrase's words spell the
    /// acronym, one of the two is seen defined (`FFM(Field-aware Factorization Machine)`), and
    /// no other kept phrase has those initials nor other kept acronym those letters. The
    /// phrase, and its aliases, become the acronym's aliases.
    static func joinLongForms(_ kept: inout [Decision]) {
        var acronyms: [String: [Int]] = [:]
        var phrases: [String: [Int]] = [:]
        for i in kept.indices where kept[i].entity {
            let key = kept[i].key
            if let letters = acronymLetters(key), kept[i].found.signals.first == "acronym" {
                acronyms[letters, default: []].append(i)
            } else if let a = initials(key), case let signals = kept[i].found.signals,
                signals.contains("capitalized-phrase") || signals.contains("definition")
            {
                phrases[a, default: []].append(i)
            }
        }
        var joined = Set<Int>()
        for (a, p) in phrases where p.count == 1 {
            guard let ac = acronyms[a], ac.count == 1, case let i = ac[0], case let p = p[0],
                kept[i].found.signals.contains("definition") || kept[p].found.signals.contains("definition")
            else { continue }
            for n in [kept[p].found.name] + kept[p].found.aliases where !kept[i].found.aliases.contains(n) { kept[i].found.aliases.append(n) }
            joined.insert(p)
        }
        guard !joined.isEmpty else { return }
        kept = kept.indices.filter { !joined.contains($0) }.map { kept[$0] }
    }

    /// Names the built-in list knows as one (`KnownNames.sameNames`: `Docker` and `도커`,
    /// `GitHub` and `깃허브`) are one entity when one of them is an entity: the others the notes
    /// show, entities or suggestions, become its aliases (with their own aliases). It is the
    /// entity the notes write most (ties: the first key in byte order).
    static func joinSameNames(_ kept: inout [Decision]) {
        var groups: [Int: [Int]] = [:]
        for i in kept.indices {
            if let g = KnownNames.sameGroup[NameKey(kept[i].key)] { groups[g, default: []].append(i) }
        }
        var joined = Set<Int>()
        for (_, members) in groups where members.count >= 2 {
            // In key order: `kept` is in no order yet.
            let members = members.sorted { kept[$0].key.utf8.bytesPrecede(kept[$1].key.utf8) }
            var head: Int?
            for m in members where kept[m].entity && (head.map { kept[m].found.count > kept[$0].found.count } ?? true) { head = m }
            guard let head else { continue }
            for m in members where m != head {
                for n in [kept[m].found.name] + kept[m].found.aliases where !kept[head].found.aliases.contains(n) && n != kept[head].found.name {
                    kept[head].found.aliases.append(n)
                }
                for n in kept[m].found.linkOnly where !kept[head].found.linkOnly.contains(n) { kept[head].found.linkOnly.append(n) }
                joined.insert(m)
            }
        }
        guard !joined.isEmpty else { return }
        kept = kept.indices.filter { !joined.contains($0) }.map { kept[$0] }
    }

    /// The initials of a Latin phrase's words (`field-aware factorization machine` → `ffm`),
    /// leaving out `&`, `and`, `of` and the like; nil for a key that is not a phrase of two to
    /// six words.
    static func initials(_ key: String) -> String? {
        guard key.contains(" "), isLatin(key) else { return nil }
        let words = key.split(whereSeparator: { $0 == " " || $0 == "&" }).filter { !longFormFillers.contains(String($0)) }
        guard words.count >= 2 && words.count <= 6 else { return nil }
        var s = ""
        for w in words {
            guard let c = w.unicodeScalars.first, c.value >= 0x61 && c.value <= 0x7A else { return nil }
            s.unicodeScalars.append(c)
        }
        return s
    }

    private static let longFormFillers: Set<String> = ["&", "and", "of", "the", "for", "to", "in", "on", "with", "a", "an"]

    /// The letters of a key that may be an acronym `joinLongForms` joins to a phrase: two to
    /// six letters, one `&` between two of them allowed (`w&b` → `wb`); nil for another key.
    static func acronymLetters(_ key: String) -> String? {
        let u = key.utf8
        guard u.count >= 2 && u.count <= 7, u.first != 0x26, u.last != 0x26, u.filter({ $0 == 0x26 }).count <= 1,
            u.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x26 })
        else { return nil }
        let letters = key.replacingOccurrences(of: "&", with: "")
        return letters.utf8.count >= 2 && letters.utf8.count <= 6 ? letters : nil
    }

    /// The keys an acronym with these letters may have: the letters, and with one `&` between
    /// two of them.
    static func acronymKeys(_ letters: String) -> [String] {
        let l = Array(letters)
        return [letters] + (1..<max(1, l.count)).map { String(l[..<$0]) + "&" + String(l[$0...]) }
    }
}
