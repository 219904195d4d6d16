#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The lexicon of an update: `.kg/lexicon.txt`, the entities that notes define in their
/// front matter (kept in the file table, so no note is decoded for it), and, when discovery
/// is on, the entities discovered in the notes; with a fingerprint of what decides mentions
/// (the names and aliases, and kg's extraction version): when it changes, every note is
/// analysed again.
struct LexiconBuild {
    var lexicon: Lexicon
    var fingerprint: UInt64
    /// What decides mentions apart from the discovered entities: kg's rules, whether
    /// discovery is on, and the definitions of the lexicon file and the entity notes (not the
    /// file's comments, `reject:` lines or spacing). Two indexes with the same one differ in
    /// mentions only where the names of the entities they discovered differently are.
    var matchFingerprint: UInt64

    /// The lexicon file as read: its text's bytes and what it says, or nil without one.
    struct FileText {
        var bytes: [UInt8]
        var file: LexiconFile
    }

    static func read(indexFolder: String) -> FileText? {
        guard case .success(let bytes) = Vault(root: indexFolder).read("lexicon.txt", limit: Vault.noteSizeLimit),
            case .success(let (text, _)) = TextDecoder.decode(bytes)
        else { return nil }
        return FileText(bytes: bytes, file: LexiconFile(text: text))
    }

    /// Whether discovery is on: without a lexicon file, or with `discover: on` in it.
    static func discovers(_ file: FileText?) -> Bool { file.map { $0.file.discover == true } ?? true }

    /// The definitions that come from the lexicon file and the entity notes.
    static func definitions(_ file: FileText?, files: [FileEntry]) -> [EntityDefinition] {
        var definitions = file?.file.definitions ?? []
        for f in files where f.skipReason == nil {
            if let e = f.entity { definitions.append(EntityDefinition(entity: e, source: f.path, line: 1)) }
        }
        return definitions
    }

    init(file: FileText?, files: [FileEntry], discovered: [DiscoveredName] = [], issues extra: [LexiconIssue] = []) {
        var definitions = LexiconBuild.definitions(file, files: files)
        var match = BinaryWriter()
        match.int(Analyzer.version)
        match.u8(CandidateExtractor.version)
        match.u8(LexiconBuild.discovers(file) ? 1 : 0)
        for d in definitions {
            match.string(d.source)
            match.entity(d.entity)
        }
        matchFingerprint = Checksum.of(match.bytes)
        var fingerprintInput = BinaryWriter()
        fingerprintInput.int(Analyzer.version)
        if let file { fingerprintInput.bytes += file.bytes }
        for f in files where f.skipReason == nil {
            guard let e = f.entity else { continue }
            fingerprintInput.string(f.path)
            fingerprintInput.entity(e)
        }
        if !discovered.isEmpty {
            fingerprintInput.u8(CandidateExtractor.version)
            for d in discovered.sorted(by: { $0.name.utf8.bytesPrecede($1.name.utf8) }) {
                definitions.append(EntityDefinition(entity: Entity(name: d.name, type: d.type, aliases: d.aliases), source: "discovered",
                    line: 0, origin: EntityOrigin(source: .discovered, confidence: d.confidence, signals: d.signals, linkOnly: d.linkOnly)))
                fingerprintInput.string(d.name)
                fingerprintInput.strings(d.aliases)
                fingerprintInput.strings(d.linkOnly)
            }
        }
        lexicon = Lexicon(definitions: definitions, issues: (file?.file.issues ?? []) + extra)
        fingerprint = Checksum.of(fingerprintInput.bytes)
    }
}

/// Discovery in an update: the vault's statistics brought up to date, and what they propose.
struct DiscoveryBuild {
    var stats: DiscoveryStats
    var entities: [DiscoveredName]
    /// The encoded candidates of the notes read here (`NoteCandidate.encode`), which their
    /// records take as they are rather than extracting them again.
    var extracted: [PathKey: [UInt8]] = [:]
    /// `reject:` lines of names kg never found.
    var issues: [LexiconIssue] = []

    /// The notes whose title or aliases discovery may use (`Discoverer.discover`), by the
    /// match key of their title: those with front-matter aliases, and those whose title is a
    /// short or everyday name that some note links to. Where several notes have one title,
    /// the first in path order.
    static func linkedNotes(_ files: [FileEntry], stats: DiscoveryStats) -> [String: LinkedNote] {
        var notes: [String: LinkedNote] = [:]
        func title(_ path: String) -> String { NoteKeys.withoutNoteExtension(String(NoteKeys.lastComponent(path))) }
        for f in files where f.skipReason == nil && !f.aliases.isEmpty {
            let t = title(f.path)
            let key = Lexicon.keyString(t)
            if notes[key] == nil { notes[key] = LinkedNote(title: t, aliases: f.aliases) }
        }
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

    /// What the previous index discovered, for an update that changes no note (its
    /// statistics are not read: nothing will be written).
    init?(reusing previous: PreviousIndex) {
        guard let lexicon = try? previous.reader?.lexicon() else { return nil }
        stats = DiscoveryStats()
        // The warnings about `reject:` lines of names kg never found, as the index has them.
        issues = lexicon.issues.filter { $0.kind == .unused }
        entities = zip(lexicon.entities, lexicon.origins).filter { $0.1.source == .discovered }.map { e, o in
            DiscoveredName(name: e.name, type: e.type, aliases: e.aliases, confidence: o.confidence, signals: o.signals, notes: 0, count: 0,
                linkOnly: o.linkOnly)
        }
    }

    /// The statistics of the new index: the previous ones with the old contributions of the
    /// notes that changed or went taken away and the new ones added (read from the notes now),
    /// or, without usable previous statistics, summed from every note.
    init(changes: ChangeSet, previous: PreviousIndex, rebuild: Bool, vault: Vault, file: LexiconBuild.FileText?) {
        let t0 = monotonicSeconds()
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
        let fresh = changes.fresh
        // Summed in parts, a few per core; each note's candidates are kept encoded only.
        let parts = max(1, min(toRead.count / 64, 4 * max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))))
        let paths = toRead
        let sums: [(DiscoveryStats, [(PathKey, [UInt8])])] = parallelMap(Array(0..<parts), minimum: 2) { part in
            var sum = DiscoveryStats()
            var encoded: [(PathKey, [UInt8])] = []
            for path in paths[(paths.count * part / parts)..<(paths.count * (part + 1) / parts)] {
                let text: String
                if let t = fresh[PathKey(path)] {
                    text = t
                } else if case .success(let t) = vault.text(path) {
                    text = t
                } else {
                    continue
                }
                let candidates = CandidateExtractor.candidates(of: MarkdownNote(text: text))
                sum.add(candidates, sign: 1)
                var w = BinaryWriter()
                NoteCandidate.encode(candidates, into: &w)
                encoded.append((PathKey(path), w.bytes))
            }
            return (sum, encoded)
        }
        trace("discovery: candidates extracted", t0)
        for (part, encoded) in sums {
            stats.merge(part)
            for (path, bytes) in encoded { extracted[path] = bytes }
        }
        trace("discovery: \(stats.entries.count) candidates summed", t0)
        self.stats = stats
        var taken = Set<String>()
        for d in LexiconBuild.definitions(file, files: changes.files) {
            for n in [d.entity.name] + d.entity.aliases { taken.insert(Lexicon.keyString(n)) }
        }
        let rejected = Set((file?.file.rejects ?? []).map { Lexicon.keyString($0.name) })
        entities = Discoverer.discover(stats, taken: taken, rejected: rejected, notes: DiscoveryBuild.linkedNotes(changes.files, stats: stats)).entities
        trace("discovery: \(entities.count) entities", t0)
        for r in file?.file.rejects ?? [] where stats[Lexicon.keyString(r.name)] == nil {
            issues.append(LexiconIssue(kind: .unused, source: LexiconFile.path, line: r.line,
                message: "reject: \(r.name) names nothing kg found in the notes"))
        }
    }
}
