#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Dispatch

/// Discovery in an update: the vault's statistics brought up to date, what they propose, and
/// the DISC section that keeps both.
///
/// An update of a few notes that leaves the decision's other inputs alone (no note added or
/// removed, the same lexicon names and rejections, the same notes with aliases) is
/// incremental: it looks up only the entries its notes touch, decides again only the names
/// whose decision may depend on them, keeps what the previous index decided for the others,
/// and copies the untouched entries into the new section. Every other update sums and
/// decides over the whole vault. Both give the same section (the property tests compare an
/// update with a rebuild).
struct DiscoveryBuild {
    /// The whole statistics, when this update summed or decoded them (the reader it writes
    /// keeps them for the next update of a watcher).
    var stats: DiscoveryStats?
    var entities: [DiscoveredName]
    /// The DISC section to write.
    var section: [UInt8] = []
    /// The encoded candidates of the notes read here (`NoteCandidate.encode`), which their
    /// records take as they are rather than extracting them again.
    var extracted = ExtractedCandidates()
    /// `reject:` lines of names kg never found.
    var issues: [LexiconIssue] = []
    /// How many names an incremental update decided again (nil: decided over the whole vault).
    var decidedAgain: Int?

    /// The notes whose title or aliases discovery may use (`Discoverer.discover`), by the
    /// match key of their title: those with front-matter aliases, and those whose title is a
    /// short or everyday name that some note links to. Where several notes have one title,
    /// the first in path order.
    static func linkedNotes(_ files: [FileEntry], stats: DiscoveryStats) -> [String: LinkedNote] {
        var notes = notesWithAliases(files)
        var wanted = Set<String>()
        var longest = 0
        for (k, e) in stats.entries where e.has(.wikilink) && Discoverer.linkOnlyShape(k.string) && notes[k.string] == nil {
            let key = k.string
            wanted.insert(key)
            longest = max(longest, key.utf8.count)
        }
        guard !wanted.isEmpty else { return notes }
        for f in files where f.skipReason == nil {
            // A title's key is never much shorter than the title (spaces next to Hangul go).
            let name = NoteKeys.lastComponent(f.path)
            guard name.utf8.count <= 2 * longest + 12 else { continue }
            let t = title(f.path)
            let key = Lexicon.keyString(t)
            if wanted.contains(key) && notes[key] == nil { notes[key] = LinkedNote(title: t, aliases: []) }
        }
        return notes
    }

    private static func title(_ path: String) -> String { NoteKeys.withoutNoteExtension(String(NoteKeys.lastComponent(path))) }

    /// The notes with front-matter aliases, by the match key of their title.
    static func notesWithAliases(_ files: [FileEntry]) -> [String: LinkedNote] {
        var notes: [String: LinkedNote] = [:]
        for f in files where f.skipReason == nil && !f.aliases.isEmpty {
            let t = title(f.path)
            let key = Lexicon.keyString(t)
            if notes[key] == nil { notes[key] = LinkedNote(title: t, aliases: f.aliases) }
        }
        return notes
    }

    /// What the decision takes besides the statistics, as a checksum: the names the lexicon
    /// takes and rejects, and the notes with aliases. (Short titles of linked notes depend on
    /// which notes exist: an update that adds or removes one decides over the whole vault.)
    static func inputs(taken: Set<String>, rejected: Set<String>, files: [FileEntry]) -> UInt64 {
        var w = BinaryWriter()
        w.strings(taken.sorted { $0.utf8.bytesPrecede($1.utf8) })
        w.strings(rejected.sorted { $0.utf8.bytesPrecede($1.utf8) })
        for f in files where f.skipReason == nil && !f.aliases.isEmpty {
            w.string(f.path)
            w.strings(f.aliases)
        }
        return Checksum.of(w.bytes)
    }

    /// What the previous index discovered, for an update that changes no note (its
    /// statistics are not read: nothing will be written).
    init?(reusing previous: PreviousIndex) {
        guard let lexicon = try? previous.reader?.lexicon() else { return nil }
        stats = nil
        // The warnings about `reject:` lines of names kg never found, as the index has them.
        issues = lexicon.issues.filter { $0.kind == .unused }
        entities = zip(lexicon.entities, lexicon.origins).filter { $0.1.source == .discovered }.map { e, o in
            DiscoveredName(name: e.name, type: e.type, aliases: e.aliases, confidence: o.confidence, signals: o.signals, notes: 0, count: 0,
                linkOnly: o.linkOnly)
        }
    }

    /// The statistics of the new index and what they propose: incrementally when it can
    /// (see the type's comment), else the previous statistics with the old contributions of
    /// the notes that changed or went taken away and the new ones added, or, without usable
    /// previous statistics, summed from every note.
    init(changes: ChangeSet, previous: PreviousIndex, rebuild: Bool, vault: Vault, file: LexiconBuild.FileText?) {
        let t0 = monotonicSeconds()
        var taken = Set<String>()
        for d in LexiconBuild.definitions(file, files: changes.files) {
            for n in [d.entity.name] + d.entity.aliases { taken.insert(Lexicon.keyString(n)) }
        }
        let rejected = Set((file?.file.rejects ?? []).map { Lexicon.keyString($0.name) })
        let inputs = DiscoveryBuild.inputs(taken: taken, rejected: rejected, files: changes.files)
        if !rebuild, let reader = previous.reader,
            let update = DiscoveryUpdate(changes: changes, previous: previous, reader: reader, inputs: inputs, taken: taken,
                rejected: rejected, vault: vault)
        {
            stats = nil
            entities = update.entities
            section = update.section
            extracted = update.extracted
            decidedAgain = update.decidedAgain
            for r in file?.file.rejects ?? [] where !update.has(Lexicon.keyString(r.name)) {
                issues.append(LexiconIssue(kind: .unused, source: LexiconFile.path, line: r.line,
                    message: "reject: \(r.name) names nothing kg found in the notes"))
            }
            trace("discovery: \(entities.count) entities (\(update.decidedAgain) names decided again)", t0)
            return
        }
        var stats = DiscoveryStats()
        var toRead = changes.notePaths
        if !rebuild, let reader = previous.reader, let base = try? reader.discoveryStats() {
            stats = base
            // The notes that changed or went: their previous ids by binary search.
            let previousPaths = previous.notePaths
            for key in changes.changed.union(changes.removed.map(PathKey.init)) {
                let id = key.bytes.withUnsafeBytes { previousPaths.sortedIndex(ofBytes: $0) }
                if let id, let old = try? reader.record(at: id) { stats.add(old.candidates, sign: -1) }
            }
            toRead = changes.changed.count * 16 < toRead.count
                ? changes.changed.map { String(decoding: $0.bytes, as: UTF8.self) }.sorted { $0.utf8.bytesPrecede($1.utf8) }
                : toRead.filter { changes.changed.contains(PathKey($0)) }
        }
        let (sum, extracted) = DiscoveryBuild.extract(toRead, fresh: changes.fresh, vault: vault)
        trace("discovery: candidates extracted", t0)
        stats.merge(sum)
        self.extracted = extracted
        trace("discovery: \(stats.entries.count) candidates summed", t0)
        self.stats = stats
        // The decision on one core while the entries are encoded on the other.
        let notes = DiscoveryBuild.linkedNotes(changes.files, stats: stats)
        let body = SharedSlots<[UInt8]>(count: 1)
        let decision = SharedSlots<[Discoverer.Decision]>(count: 1)
        let input = UncheckedSendable((stats, taken, rejected, notes))
        DispatchQueue.concurrentPerform(iterations: 2) { k in
            let (stats, taken, rejected, notes) = input.value
            if k == 0 {
                var w = BinaryWriter()
                stats.encode(into: &w)
                body.put(0, w.bytes)
            } else {
                decision.put(0, Discoverer.decided(stats, taken: taken, rejected: rejected, notes: notes).filter(\.entity))
            }
        }
        let decided = decision.take(0) ?? []
        entities = decided.map(\.found)
        section = DiscoveryStats.section(inputs: inputs, decided: decided.map { ($0.key, $0.found) }, entries: body.take(0) ?? [])
        trace("discovery: \(entities.count) entities, statistics encoded", t0)
        for r in file?.file.rejects ?? [] where stats[Lexicon.keyString(r.name)] == nil {
            issues.append(LexiconIssue(kind: .unused, source: LexiconFile.path, line: r.line,
                message: "reject: \(r.name) names nothing kg found in the notes"))
        }
    }

    /// The candidates of the notes at `paths` (in byte order), summed, and each note's
    /// encoded. One worker per core, each with its own extractor and sums, takes the next few
    /// notes until none are left: notes differ in length, and parts fixed in advance left one
    /// core working alone at the end. (Sums do not depend on which worker added a note.)
    static func extract(_ paths: [String], fresh: [PathKey: String], vault: Vault) -> (DiscoveryStats, ExtractedCandidates) {
        let workers = max(1, min(paths.count / 64, sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        let chunk = 16
        let chunks = (paths.count + chunk - 1) / chunk
        let next = ProgressCounter()
        let extracted = ExtractedCandidates(paths: paths)
        let sums: [CandidateSums] = parallelMap(Array(0..<workers), minimum: 2) { _ in
            var sum = CandidateSums()
            var extractor = CandidateExtractor()
            while case let c = next.next() - 1, c < chunks {
                for k in (c * chunk)..<min(paths.count, (c + 1) * chunk) {
                    let path = paths[k]
                    let scalars: [UInt32]
                    if let t = fresh[PathKey(path)] {
                        scalars = Scalars.values(of: t)
                    } else if case .success(let s) = vault.scalars(path) {
                        scalars = s
                    } else {
                        continue
                    }
                    var w = BinaryWriter()
                    extractor.extract(MarkdownNote(scalars: scalars), into: &w, sums: &sum)
                    extracted.put(k, w.bytes)
                }
            }
            return sum
        }
        var total = CandidateSums()
        for part in sums {
            if total.count == 0 { total = part } else { total.merge(part) }
        }
        return (total.stats(), extracted)
    }
}

/// Each note's candidates as discovery encoded them, by path, handed over once (`take`) to the
/// analysis that files them in the note's record: a note's bytes are freed as soon as its
/// record holds them, not kept to the end of the build (at 100k notes they take about 100 MB).
/// Notes run on several cores take their own slots.
final class ExtractedCandidates: @unchecked Sendable {
    /// The notes' paths, in byte order; a note's bytes are in the slot of its place.
    private let paths: [String]
    private let slots: SharedSlots<[UInt8]>

    init(paths: [String] = []) {
        self.paths = paths
        slots = SharedSlots(count: paths.count)
    }

    func put(_ k: Int, _ bytes: [UInt8]) { slots.put(k, bytes) }

    /// The bytes of the note at `path`, which are no longer kept here; nil if none were, or
    /// were taken already (the note is then extracted again).
    func take(_ path: String) -> [UInt8]? {
        guard !paths.isEmpty, let k = path.utf8.withContiguousStorageIfAvailable({ paths.sortedIndex(ofBytes: UnsafeRawBufferPointer($0)) })
            ?? { var p = path; return p.withUTF8 { paths.sortedIndex(ofBytes: UnsafeRawBufferPointer($0)) } }()
        else { return nil }
        return slots.take(k)
    }
}
