/// An update in which only the discovered entities differ from the previous index's (the
/// rules, the lexicon file's definitions and the entity notes are the same: see
/// `LexiconBuild.matchFingerprint`). Only the notes in which a name whose entity came, went or
/// changed can occur are matched again; every other note keeps its record, its mentions'
/// entity ids renumbered, and its postings.
///
/// The matcher takes the leftmost-longest of the names that fit at each place of a line, so a
/// note in which no changed name fits is matched exactly as before. The notes a name may fit
/// in are found in the previous index's dictionary, a superset of where it occurs:
/// - a run of Latin letters and digits in a name is a whole word wherever it matches (names
///   match on word boundaries), so the note has that search term;
/// - a run of Hangul syllables starts where a Hangul run of the text starts (a name never
///   begins inside a Hangul word), so the note has a term beginning with its first syllable;
///   its other syllables may be split by spaces in the text, so they are not required;
/// - other letters (kana, ideographs) are a term each.
/// A name with none of these (only punctuation) cannot be narrowed down: then every note is
/// analysed again.
struct EntityChange {
    /// Old entity id → new id, or -1 for an entity that is gone.
    var map: [Int32]
    /// Number of entities after the change.
    var entityCount: Int
    /// `map` unless every entity keeps its id: records need renumbering only then.
    var moving: [Int32]? { map.count == entityCount && map.enumerated().allSatisfy { $0.element == Int32($0.offset) } ? nil : map }
    /// The notes to analyse again though their text did not change.
    var notes: Set<PathKey>
    /// Names (match keys) whose entity came, went or changed, or that came to match only in
    /// links or stopped doing so.
    var changedKeys: Int

    /// What changed between `old` and `new`, the lexicons of the previous index and of this
    /// update; nil when every note must be analysed again.
    static func plan(previous reader: IndexReader, old: Lexicon, new: Lexicon, notePaths: @autoclosure () -> [String]) throws(CorruptIndex)
        -> EntityChange?
    {
        var newIDs: [Entity: Int32] = [:]
        for (id, e) in new.entities.enumerated() { newIDs[e] = Int32(id) }
        var map = [Int32](repeating: -1, count: old.entities.count)
        var last: Int32 = -1
        for (id, e) in old.entities.enumerated() {
            guard let n = newIDs[e] else { continue }
            // Both lists are sorted by name: what stays keeps its order.
            guard n > last else { return nil }
            map[id] = n
            last = n
        }
        // Every name whose entity differs, mapped, from the one it names now.
        var oldOwner: [[UInt32]: Int32] = [:]
        for k in old.keys { oldOwner[k.key] = map[Int(k.entity)] }
        var changed: [[UInt32]] = []
        var newKeys = Set<[UInt32]>()
        for k in new.keys {
            newKeys.insert(k.key)
            // A name that now matches only in links, or no longer only there, changed too.
            if oldOwner[k.key] != k.entity || old.linkOnlyKeys.contains(k.key) != new.linkOnlyKeys.contains(k.key) { changed.append(k.key) }
        }
        for k in old.keys where !newKeys.contains(k.key) { changed.append(k.key) }

        let noteCount = try reader.noteCount()
        var ids = Set<Int32>()
        for key in changed {
            guard let notes = try notes(where: key, fits: reader, noteCount: noteCount) else { return nil }
            ids.formUnion(notes)
        }
        var paths = Set<PathKey>()
        let notePaths = ids.isEmpty ? [] : notePaths()
        for id in ids where Int(id) < notePaths.count { paths.insert(PathKey(notePaths[Int(id)])) }
        return EntityChange(map: map, entityCount: new.entities.count, notes: paths, changedKeys: changed.count)
    }

    /// The notes a match key may fit in (a superset), ascending; nil if the key has no term to
    /// look up.
    static func notes(where key: [UInt32], fits reader: IndexReader, noteCount: Int) throws(CorruptIndex) -> [Int32]? {
        var lists: [[Int32]] = []
        func term(_ scalars: ArraySlice<UInt32>) -> String { Scalars.string(scalars) }
        var i = 0
        while i < key.count {
            let v = key[i]
            if Scalars.isWordScalar(v) {
                var j = i
                while j < key.count && Scalars.isWordScalar(key[j]) { j += 1 }
                guard let k = try reader.find(term(key[i..<j])) else { return [] }
                lists.append(try reader.postings(at: k, noteCount: noteCount).notes)
                i = j
            } else if Scalars.isHangulSyllable(v) {
                var union = Set<Int32>()
                for k in try reader.range(prefix: term(key[i..<(i + 1)])) {
                    union.formUnion(try reader.postings(at: k, noteCount: noteCount).notes)
                }
                if union.isEmpty { return [] }
                lists.append(union.sorted())
                while i < key.count && Scalars.isHangulSyllable(key[i]) { i += 1 }
            } else if Scalars.isOtherLetter(v) {
                guard let k = try reader.find(term(key[i..<(i + 1)])) else { return [] }
                lists.append(try reader.postings(at: k, noteCount: noteCount).notes)
                i += 1
            } else {
                i += 1
            }
        }
        guard var result = lists.min(by: { $0.count < $1.count }) else { return nil }
        for list in lists where !result.isEmpty {
            let set = Set(list)
            result = result.filter { set.contains($0) }
        }
        return result
    }
}
