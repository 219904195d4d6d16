import Testing

@testable import KnowledgeGraph

/// A note's bytes decoded in one pass (`Scalars.plainUTF8`) give what the decoder and the
/// normalizer give, or nothing: then the note takes that longer way.
@Suite struct PlainUTF8Tests {
    /// The long way: decode (UTF-8, CP949, Latin-1...), normalize, take the scalars.
    private func slow(_ bytes: [UInt8]) -> [UInt32]? {
        guard case .success(let d) = TextDecoder.decode(bytes) else { return nil }
        return Scalars.values(of: Normalizer.normalize(d.text))
    }

    private func check(_ bytes: [UInt8], _ note: String = "") {
        let fast = bytes.withUnsafeBufferPointer(Scalars.plainUTF8)
        if let fast { #expect(fast == slow(bytes), "\(note) \(bytes)") }
        switch (Vault.scalars(of: bytes), slow(bytes)) {
        case (.success(let a), let b?): #expect(a == b, "\(note) \(bytes)")
        case (.failure, nil): break
        default: Issue.record("\(note) \(bytes): one way decodes, the other does not")
        }
    }

    @Test func plainNotesAreDecodedInOnePassAndTheRestAreNot() {
        let plain = Array("# FFM은 좋다\n카카오에서 MLflow를 쓴다 😀 é\n".utf8)
        #expect(plain.withUnsafeBufferPointer(Scalars.plainUTF8) == slow(plain))
        #expect(([0xEF, 0xBB, 0xBF] + plain).withUnsafeBufferPointer(Scalars.plainUTF8) == slow(plain), "a BOM is dropped")
        // Each of these needs the long way: invalid UTF-8 (overlong, é and 가 among them, a
        // surrogate, past U+10FFFF, cut short, a stray continuation), NUL, CR, NFD, invisible
        // and full-width characters.
        let notPlain: [[UInt8]] = [
            [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xE0, 0x83, 0xA9], [0xF0, 0x8A, 0xB0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF0, 0x80, 0x80, 0x80],
            [0xE1, 0x80], [0x61, 0xF0, 0x9F, 0x98], [0x80], [0xFF, 0xFE, 0x61, 0x00], [0x61, 0x00], [0x61, 0x0D, 0x0A],
            Array("e\u{0301}".utf8), Array("a\u{200B}b".utf8), Array("\u{3000}".utf8), Array("ＦＦＭ".utf8),
            Array("\u{1100}\u{1161}".utf8), [0xB0, 0xA1, 0xB0, 0xA1],  // CP949 for 가가
        ]
        for bytes in notPlain {
            #expect(bytes.withUnsafeBufferPointer(Scalars.plainUTF8) == nil, "\(bytes)")
            check(bytes)
        }
    }

    @Test func randomBytesDecodeAsTheLongWayDoes() {
        let seeds = ["FFM은 카카오에서", "😀 é ü", "a\r\nb", "\u{FEFF}x", "가\u{0300}", "ＡＢ"].map { Array($0.utf8) }
        var g = SplitMix(seed: 11)
        for round in 0..<20_000 {
            var bytes: [UInt8] = []
            for _ in 0..<g.below(5) { bytes += seeds[g.below(seeds.count)] }
            // Bytes changed at random, and bytes cut off, make invalid and odd sequences.
            for _ in 0..<g.below(3) where !bytes.isEmpty { bytes[g.below(bytes.count)] = UInt8(truncatingIfNeeded: g.next()) }
            if g.below(4) == 0 && !bytes.isEmpty { bytes.removeLast(g.below(min(3, bytes.count) + 1)) }
            check(bytes, "round \(round)")
        }
    }

    /// What the file table keeps of a note's front matter, read from its scalars: only a
    /// closed front matter whose text holds `entity` or `alias` within its first 501 lines.
    @Test func frontMatterIsReadFromScalars() {
        func head(_ text: String) -> String {
            guard let h = Analyzer.head(path: "n.md", scalars: Scalars.values(of: text)) else { return "nil" }
            return "\(h.entity.map { "\($0.name):\($0.type):\($0.aliases)" } ?? "-") \(h.aliases)"
        }
        let lines = { (n: Int) in String(repeating: "a: b\n", count: n) }
        let cases: [(String, String)] = [
            ("---\naliases: [Field-aware FM]\n---\n# FFM\n", "- [\"Field-aware FM\"]"),
            ("---\nentity: concept\n...\nbody", "n:concept:[] []"),
            ("---\nentity: company\naliases: [카카오뱅크]\n---\n", "n:company:[\"카카오뱅크\"] []"),
            ("---\naliases: [V]\n---", "- [\"V\"]"), ("---\nalias: T\n\t...\t\nx", "- [\"T\"]"),
            ("---\n" + lines(498) + "aliases: [Z]\n  ---  \n", "- [\"Z\"]"),
            // Not closed, closed too late, no `---` first, a mark on the third `-`, a key in
            // capitals (the file table looks for `alias` as written).
            ("---\naliases: [X]\n", "nil"), ("---\nalias: S", "nil"), ("---", "nil"),
            ("---\n" + lines(499) + "aliases: [W]\n---\n", "nil"), ("---\n" + lines(600) + "aliases: [Y]\n---\n", "nil"),
            ("--\naliases: [X]\n---\n", "nil"), ("---\u{0301}\naliases: [X]\n---\n", "nil"), ("---\nAliases: [U]\n---\n", "nil"),
        ]
        for (text, want) in cases {
            #expect(head(text) == want, "\(text.prefix(40))")
            #expect(Analyzer.head(path: "n.md", text: text).map { _ in "some" } == (want == "nil" ? nil : "some"))
        }
    }
}
