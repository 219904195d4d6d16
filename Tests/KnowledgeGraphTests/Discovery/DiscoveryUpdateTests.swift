import Foundation
import Testing

@testable import KnowledgeGraph

/// An update that changes a few notes decides again only the names those notes touch
/// (`DiscoveryUpdate`); the index it writes must be the one a rebuild writes.
@Suite struct DiscoveryUpdateTests {
    /// Names whose decisions depend on other names': plurals and singulars, phrases and their
    /// words, Hangul stems one syllable apart, a linked note's title and aliases, company cues,
    /// names the built-in list knows as one (`Docker` and `도커`, `Kafka` and `카프카`).
    static let words = ["Transformers", "Factorization Machine", "GitHub Actions", "GitHub", "텐서플은", "텐서플이", "텐서플을", "텐서플로는",
        "추천시스템은", "추천 시스템을", "추천시스템의", "신규기업이", "신규기업을", "카카오에서", "카카오는", "카카오를", "LightGCN을", "MLflow로", "mlflow",
        "[[Kafka]]", "카프카는", "카프카를", "Kafka", "[[카프카]]", "- 스캐터랩", "## 회사", "채용", "면접", "모델", "데이터", "FFM", "FFM과",
        "NCF(Neural Collaborative Filtering)", "#추천", "Docker", "도커는", "도커를", "깃허브의", "\n", "\n- "]
    /// Rarer words, so that a name's only notes come and go: the singular of a plural, a word
    /// of a phrase written alone, a stem one syllable longer than another, an acronym ending
    /// in S beside the one without (`HTTPS`, `HTTP`: no plural).
    static let rare = ["Transformer", "좋은 Machine 이", "텐서플로를", "텐서플로가", "신규기업의", "GitHub을", "HTTPS", "HTTP를"]

    static func text(_ rng: inout IncrementalTests.Rng) -> String {
        var s = ""
        for _ in 0..<(4 + rng.next(20)) {
            let w = rng.next(12) == 0 ? rare[rng.next(rare.count)] : words[rng.next(words.count)]
            s += w + (rng.next(4) == 0 ? "\n" : " ")
        }
        return s
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6])
    func editsThatTouchFewNamesEqualARebuild(seed: Int) throws {
        var rng = IncrementalTests.Rng(state: UInt64(seed) &* 0x2545_F491_4F6C_DD1D)
        let v = try TempVault()
        var paths: [String] = []
        for i in 0..<24 {
            let p = "d\(i % 3)/n\(i).md"
            try v.write(p, Self.text(&rng))
            paths.append(p)
        }
        try v.write("Kafka.md", "---\naliases: [카프카, K]\n---\n" + Self.text(&rng))
        paths.append("Kafka.md")
        var last = try v.update().0
        var incremental = 0
        for step in 0..<30 {
            // One note, now and then two: edited, appended to, or cut in half.
            for _ in 0..<(1 + rng.next(4) / 3) {
                let p = paths[rng.next(paths.count)]
                let before = (try? String(contentsOfFile: v.path(p), encoding: .utf8)) ?? ""
                switch rng.next(3) {
                case 0: try v.write(p, (p == "Kafka.md" ? "---\naliases: [카프카, K]\n---\n" : "") + Self.text(&rng))
                case 1: try v.write(p, before + "\n" + Self.text(&rng))
                default: try v.write(p, String(before.prefix(before.count / 2)))
                }
            }
            let (reader, report) = try v.update(current: rng.next(2) == 0 ? last : nil)
            last = reader
            if report.discoveryDecidedAgain != nil { incremental += 1 }
            let updated = try IncrementalTests.dump(reader)
            let full = try IncrementalTests.rebuilt(v)
            #expect(updated == full, "seed \(seed), step \(step): the update differs from a rebuild in \(updated.differences(full))")
            if updated != full { return }
        }
        // Most of these updates are incremental (the others touch `[[K]]`-like names or the
        // note with aliases' front matter).
        #expect(incremental >= 15, "seed \(seed): only \(incremental) of 30 updates were incremental")
    }
}

extension DiscoveryUpdateTests {
    /// A Hangul stem that only a longer noun's particles make (`텐서플` of `텐서플로는`) stops
    /// being a name when the longer noun gains notes and particles, though no edit touches
    /// the stem itself.
    @Test func aStemIsShadowedWhenOnlyTheLongerNounChanges() throws {
        let stem = "텐서플은 좋다. 텐서플이 있다. 텐서플을 쓴다.\n- 텐서플\n"
        let v = try TempVault(files: ["a.md": stem, "b.md": stem, "c.md": "텐서플로는 텐서플로가 텐서플로의\n", "d.md": "모델\n", "e.md": "데이터\n"])
        let (first, _) = try v.update()
        #expect(try first.lexicon().entities.contains { $0.name == "텐서플" })
        try v.write("d.md", "텐서플로를 텐서플로가\n")
        let (reader, report) = try v.update()
        #expect(report.discoveryDecidedAgain != nil)
        #expect(try !reader.lexicon().entities.contains { $0.name == "텐서플" })
        let full = try IncrementalTests.rebuilt(v)
        #expect(try IncrementalTests.dump(reader) == full)
    }
}

extension DiscoveryUpdateTests {
    /// A name that joined a linked note's entity as its alias stands on its own again when an
    /// edit takes the note's title out of the notes, though the edit does not touch the alias.
    @Test func anAliasStandsAloneWhenItsTitleGoes() throws {
        let korean = "카프카는 좋다. 카프카를 쓴다. 카프카가 있다.\n- 카프카\n"
        let v = try TempVault(files: ["Kafka.md": "---\naliases: [카프카]\n---\n메모\n", "a.md": "오늘 Kafka는 빠르다. [[Kafka]] 그리고 Kafka를 쓴다\n",
            "b.md": korean, "c.md": korean, "d.md": "모델\n"])
        let (first, _) = try v.update()
        let before = try first.lexicon().entities
        // One entity, named by what the notes write most.
        #expect(before.contains { Set([$0.name] + $0.aliases) == ["Kafka", "카프카"] })
        try v.write("a.md", "모델\n")
        let (reader, report) = try v.update()
        #expect(report.discoveryDecidedAgain != nil)
        #expect(try reader.lexicon().entities.contains { $0.name == "카프카" && $0.aliases.isEmpty })
        #expect(try IncrementalTests.dump(reader) == IncrementalTests.rebuilt(v))
    }
}

extension DiscoveryUpdateTests {
    /// With discovery on, each note's record keeps its candidates and the index is larger than
    /// the notes when whole: a one-note update still writes a delta over it (not the whole
    /// file again), and a run that changes nothing leaves that delta as it is.
    @Test func aOneNoteUpdateWithDiscoveryIsWrittenAsADelta() throws {
        var rng = IncrementalTests.Rng(state: 11)
        let v = try TempVault()
        // Long notes of few words: what an update writes again whole (dictionary, small
        // sections) is small next to the notes, as in a large vault.
        for i in 0..<300 { try v.write("d\(i % 4)/n\(i).md", (0..<24).map { _ in Self.text(&rng) }.joined(separator: "\n")) }
        let (whole, _) = try v.update()
        let notes = try (0..<300).reduce(0) { $0 + (try FileManager.default.attributesOfItem(atPath: v.path("d\($1 % 4)/n\($1).md"))[.size] as? Int ?? 0) }
        #expect(!whole.isDelta && whole.byteCount > notes)
        try v.write("d1/n101.md", Self.text(&rng))
        let (updated, report) = try v.update()
        #expect(report.wroteIndex && updated.isDelta)
        #expect(try IncrementalTests.dump(updated) == IncrementalTests.rebuilt(v))
        let (again, quiet) = try v.update()
        #expect(!quiet.wroteIndex && again.isDelta)
    }
}
