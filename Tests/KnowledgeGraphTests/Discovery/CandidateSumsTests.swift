import Testing

@testable import KnowledgeGraph

/// The build's way of extracting candidates (`CandidateExtractor.extract`: encoded and summed
/// without strings, one extractor reused from note to note) gives what the general way gives:
/// `candidates(of:)`, `NoteCandidate.encode` and `DiscoveryStats.add`.
@Suite struct CandidateSumsTests {
    /// Pieces of Korean and English notes: names in several spellings (more than three for
    /// some, so that spellings are ranked and cut), particles, compounds, structure.
    static let pieces = [
        "MLflow", "mlflow", "MLFlow", "Mlflow", "MLFLOW", "FFM", "ffm", "LightGCN", "lightgcn", "Factorization Machine",
        "factorization machine", "카카오", "카카오에서", "카카오는", "카카오의", "추천 시스템", "추천시스템을", "텐서플로는", "텐서플로를",
        "LG전자", "삼성SDS", "CJ 올리브네트웍스", "CI/CD", "W&B", "Weights & Biases", "Word2Vec", "B2B", "Airflow", "airflow",
        "모델", "데이터를", "했다", "주식회사 ", "채용 ", "면접 ", "(주)", " ", " ", " ", ". ", ", ", "\n", "\n", "\n- ", "\n## 기업\n",
        "\n# Kafka 정리\n", "[[Airflow]]", "[[notes/LightGCN|LGCN]]", "[[카카오#채용]]", " #mlops ", " #추천/모델 ", "GCN(Graph Convolution)",
        "`code FFM`", "\n```\nFFM 코드\n```\n", "é", "e\u{301}", "ＦＦＭ", "x", "1. ", "top10", "v1",
        // People, compounds of general and technical words, verb forms, Latin glued to Hangul.
        "김학수교수", "김찬란 멘토", "한기용님이", "선형 변환을", "현재 위치를", "랜덤 포레스트는", "사용하는", "좋았다", "EDA를", "SK텔레콤",
    ]

    @Test func extractEncodesAndSumsAsTheGeneralWay() {
        var random = SplitMix(seed: 12)
        var extractor = CandidateExtractor()
        var sums = CandidateSums()
        var stats = DiscoveryStats()
        for n in 0..<400 {
            var text = random.string(of: Self.pieces, count: 1...60)
            if n % 7 == 0 { text = "---\ntags: [mlops, 추천]\n---\n" + text }
            let note = MarkdownNote(text: Normalizer.normalize(text))
            let candidates = CandidateExtractor.candidates(of: note)
            var general = BinaryWriter()
            NoteCandidate.encode(candidates, into: &general)
            stats.add(candidates, sign: 1)
            var w = BinaryWriter()
            extractor.extract(note, into: &w, sums: &sums)
            #expect(w.bytes == general.bytes, "note \(n): \(text.debugDescription)")
        }
        #expect(sums.stats() == stats)
        #expect(stats.entries.count > 40)
        #expect(stats.entries.values.contains { $0.surfaces.count > 3 }, "some key has more than three spellings")
    }

    @Test func mergedSumsAreTheSumsOfAllNotes() {
        var random = SplitMix(seed: 5)
        var extractor = CandidateExtractor()
        var parts = [CandidateSums](repeating: CandidateSums(), count: 3)
        var whole = CandidateSums()
        for n in 0..<150 {
            let note = MarkdownNote(text: Normalizer.normalize(random.string(of: Self.pieces, count: 1...40)))
            var w = BinaryWriter()
            extractor.extract(note, into: &w, sums: &parts[n % 3])
            extractor.extract(note, into: &w, sums: &whole)
        }
        var merged = parts[0]
        merged.merge(parts[1])
        merged.merge(parts[2])
        #expect(merged.stats() == whole.stats())
        #expect(merged.count == whole.count)
    }

    /// The extractor remembers what it decided about each Hangul word (`HangulRuns`) from note
    /// to note, and forgets it all when its table is full: after a note of more distinct
    /// words than the table holds, each note still gives what a fresh extractor gives.
    @Test func anExtractorPastItsWordTableFindsWhatAFreshOneFinds() {
        var extractor = CandidateExtractor()
        var sums = CandidateSums()
        var words: [String] = []
        for k in 0..<(HangulRuns.limit + 5_000) {
            let syllables = [0xAC00 + UInt32(k % 11_172), 0xAC00 + 100 + UInt32(k / 11_172)]
            words.append(String(String.UnicodeScalarView(syllables.compactMap(Unicode.Scalar.init))) + (k % 2 == 0 ? "는" : ""))
        }
        var random = SplitMix(seed: 31)
        for n in 0..<120 {
            let text = n % 40 == 0 ? words.joined(separator: " ") : random.string(of: Self.pieces, count: 1...60)
            let note = MarkdownNote(text: Normalizer.normalize(text))
            var general = BinaryWriter()
            NoteCandidate.encode(CandidateExtractor.candidates(of: note), into: &general)
            var w = BinaryWriter()
            extractor.extract(note, into: &w, sums: &sums)
            #expect(w.bytes == general.bytes, "note \(n)")
        }
    }

    /// The word table fills within a note: a word's particle splits, looked up before the next
    /// word is, stay its own (`김찬이` is 김찬 before the subject particle 이, whatever word
    /// comes after it).
    @Test func aWordKeepsItsSplitsWhenTheTableFillsWithinANote() {
        var words: [String] = []
        for k in 0..<(HangulRuns.limit - 1) {
            let syllables = [0xAC00 + UInt32(k % 11_172), 0xAC00 + 200 + UInt32(k / 11_172)]
            words.append(String(String.UnicodeScalarView(syllables.compactMap(Unicode.Scalar.init))))
        }
        let note = MarkdownNote(text: Normalizer.normalize(words.joined(separator: " ") + " 김찬이 새말은\n"))
        let c = CandidateExtractor.candidates(of: note).first { $0.key == "김찬" }
        #expect(c.map { $0.signals & Signal.subjectParticle.bit != 0 && $0.signals & Signal.topicParticle.bit == 0 } == true)
    }

    /// A note with hundreds of names (more than the extractor's table starts with) still
    /// counts each name once, with all its occurrences: the table grows and finds them again.
    @Test func aNameAmongHundredsIsCountedOnce() {
        let text = (0..<600).map { "- Name\($0)X 와 FFM 을 썼다" }.joined(separator: "\n") + "\n"
        let candidates = CandidateExtractor.candidates(of: MarkdownNote(text: text))
        #expect(candidates.filter { $0.key == "ffm" }.map(\.count) == [600])
        #expect(Set(candidates.map(\.key)).count == candidates.count)
        #expect(candidates.count == 601)
    }

    /// Discovery hands each note's encoded candidates to the analysis once, so that they are
    /// freed as soon as the note's record holds them: a second take finds nothing (the
    /// analysis then extracts the note again), nor does a path discovery did not read.
    @Test func extractedCandidatesAreHandedOverOnce() {
        let extracted = ExtractedCandidates(paths: ["a.md", "b/c.md", "노트.md"])
        extracted.put(0, [1, 2])
        extracted.put(2, [3])
        #expect(extracted.take("노트.md") == [3])
        #expect(extracted.take("노트.md") == nil)
        #expect(extracted.take("b/c.md") == nil)
        #expect(extracted.take("z.md") == nil)
        #expect(extracted.take("a.md") == [1, 2])
        #expect(ExtractedCandidates().take("a.md") == nil)
    }

    /// A name written many ways in one note keeps its three most frequent spellings (ties in
    /// scalar order) and counts them all.
    @Test func aNoteKeepsItsThreeMostFrequentSpellings() {
        let text = "MLflow, Mlflow, MLFlow, mlflow, MLflow, MLFLOW, mlflow, MLFlow, MLflow\n"
        let c = CandidateExtractor.candidates(of: MarkdownNote(text: text)).first { $0.key == "mlflow" }
        #expect(c?.surfaces == ["MLflow", "MLFlow", "mlflow"])
        #expect(c?.surfaceCounts == [3, 2, 2])
        #expect(c?.count == 9)
    }
}
