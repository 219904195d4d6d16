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
        for f in files.entityNotes { definitions.append(EntityDefinition(entity: f.entity, source: f.path, line: 1)) }
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
        for f in files.entityNotes {
            fingerprintInput.string(f.path)
            fingerprintInput.entity(f.entity)
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
