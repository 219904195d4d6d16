/// The lexicon of an update: `.kg/lexicon.txt` plus the entities that notes define in their
/// front matter (kept in the file table, so no note is decoded for it), and a fingerprint of
/// both and of kg's extraction version: when it changes, every note is analysed again.
struct LexiconBuild {
    var lexicon: Lexicon
    var fingerprint: UInt64

    init(indexFolder: String, files: [FileEntry]) {
        var definitions: [EntityDefinition] = []
        var issues: [LexiconIssue] = []
        var fingerprintInput = BinaryWriter()
        fingerprintInput.int(Analyzer.version)
        if case .success(let bytes) = Vault(root: indexFolder).read("lexicon.txt", limit: Vault.noteSizeLimit),
            case .success(let (text, _)) = TextDecoder.decode(bytes)
        {
            fingerprintInput.bytes += bytes
            (definitions, issues) = Lexicon.parseFile(text)
        }
        for f in files where f.skipReason == nil {
            guard let e = f.entity else { continue }
            definitions.append(EntityDefinition(entity: e, source: f.path, line: 1))
            fingerprintInput.string(f.path)
            fingerprintInput.entity(e)
        }
        lexicon = Lexicon(definitions: definitions, issues: issues)
        fingerprint = Checksum.of(fingerprintInput.bytes)
    }
}
