import Testing

@testable import KnowledgeGraph

@Suite struct GraphTests {
    static let lexicon = "concept: FM\nconcept: FFM\ntool: MLflow\nconcept: ML\ncompany: 카카오\n"

    @Test func countsNotesSectionsAndCloseness() throws {
        let v = try TempVault(files: [
            "a.md": "FM과 FFM 비교\n\n# 운영\nMLflow 도입\n\n# 모델\nFM 정리\n",
            "b.md": "FFM\n\nFM\n",
        ], lexicon: Self.lexicon)
        let (reader, _) = try v.update()
        let graph = try reader.graph()
        let lex = try reader.lexicon()
        func edge(_ a: String, _ b: String) -> CoMention? {
            let x = Int32(lex.lookup(a)!)
            let y = Int32(lex.lookup(b)!)
            return graph.edges.first { ($0.a, $0.b) == (min(x, y), max(x, y)) }
        }
        let fmffm = try #require(edge("FM", "FFM"))
        #expect(fmffm.notes == 2)
        #expect(fmffm.sections == 2)  // a.md's preamble, b.md's preamble
        #expect(fmffm.lines == 1)
        #expect(fmffm.closeness == 100 + 32)  // same line in a.md; same section, 2 lines apart, in b.md
        let fmml = try #require(edge("FM", "MLflow"))
        #expect(fmml.notes == 1 && fmml.sections == 0 && fmml.closeness == 14)  // only the note, 3 lines apart
        #expect(edge("FM", "카카오") == nil)
        #expect(graph.stats[lex.lookup("FM")!].mentions == 3)
        #expect(graph.stats[lex.lookup("FM")!].notes == 2)
    }

    @Test func relatedRanksCloseOverDistantAndDampsHubs() throws {
        var files: [String: String] = [:]
        files["a.md"] = "FFM과 FM 비교\n\n# 운영\n\n다른 이야기\n\n# 도구\nMLflow 이야기\n"
        for i in 0..<6 { files["ml\(i).md"] = "ML 기본 \(i)\n" }
        files["c.md"] = "FFM과 ML\n"
        let v = try TempVault(files: files, lexicon: Self.lexicon)
        let r = v.kg("related", "FFM", "--json", "--explain")
        #expect(r.status == 0, "\(r.err)")
        let order = r.out.split(separator: "\n").filter { $0.contains("\"entity\"") }.map { String($0.split(separator: "\"")[3]) }
        #expect(order == ["FM", "ML", "MLflow"])
        #expect(r.out.contains("\"evidence\""))
        #expect(r.out.contains("\"text\": \"FFM과 FM 비교\""))
        #expect(r.out.contains("\"damping\""))
    }

    @Test func unknownEntitySuggestsClosestNames() throws {
        let v = try TempVault(files: ["a.md": "FFM\n"], lexicon: Self.lexicon)
        let r = v.kg("related", "FMM")
        #expect(r.status == 1)
        #expect(r.err.contains("unknown entity 'FMM'"))
        #expect(r.err.contains("FFM") && r.err.contains("FM"))
    }

    /// With few entities a pair's sums are found in a table, with many by hashing: the same
    /// notes, added and some taken away again, give the same edges both ways.
    @Test func pairSumsAreTheSameInTheTableAndInTheHash() {
        var random = SplitMix(seed: 9)
        var table = GraphBuilder(entityCount: 60)
        var hashed = GraphBuilder(entityCount: GraphBuilder.denseLimit + 1)
        var records: [NoteRecord] = []
        for n in 0..<300 {
            var mentions: [Mention] = []
            var line: Int32 = 1
            for _ in 0..<random.below(12) {
                line += Int32(random.below(3))
                mentions.append(Mention(entity: Int32(random.below(60)), line: line, block: line / 3, section: line / 8, surface: "x", column: 0))
            }
            let record = NoteRecord(path: "n\(n).md", title: "n\(n)", tags: [], links: [], date: nil, definesEntity: nil, lineCount: line,
                tokenCount: 0, lineTokenStarts: [], mentions: mentions)
            table.add(record, sign: 1)
            hashed.add(record, sign: 1)
            records.append(record)
        }
        for r in records.enumerated() where r.offset % 3 == 0 {
            table.add(r.element, sign: -1)
            hashed.add(r.element, sign: -1)
        }
        let edges = table.graph().edges
        let other = hashed.graph().edges
        #expect(edges.count > 100)
        #expect(edges.count == other.count)
        let first = zip(edges, other).first { $0 != $1 }
        #expect(first == nil, "first edge that differs (table, hash): \(String(describing: first))")
    }
}
