import Foundation
import Testing

/// Golden files: the text and JSON output of every command on a copy of the sample vault,
/// compared byte for byte with `Tests/KnowledgeGraphTests/Golden/*.txt`. After an intended
/// change, re-record them with `KG_RECORD_GOLDEN=1 swift test --filter GoldenTests` and read
/// the diff before committing it.
@Suite(.serialized) struct GoldenTests {
    /// Each case: a file name and the arguments after `kg`.
    static let cases: [(String, [String])] = [
        ("help", ["--help"]),
        ("help-topic", ["help", "related"]),
        ("index-first", ["index"]),
        ("index-again", ["index"]),
        ("index-json", ["index", "--rebuild", "--json"]),
        ("search", ["search", "카카오"]),
        ("search-json", ["search", "LightGCN", "--json"]),
        ("search-phrase", ["search", "\"추천 시스템\""]),
        ("search-punctuation", ["search", "CI/CD", "--limit", "2"]),
        ("search-nothing", ["search", "없는단어여기"]),
        ("search-operators", ["search", "면접", "OR", "카카오", "-FFM", "--limit", "3"]),
        ("search-filters", ["search", "path:career/", "entity:카카오", "--sort", "path"]),
        ("search-bad", ["search", "(면접", "OR"]),
        ("related", ["related", "FFM"]),
        ("related-json", ["related", "FFM", "--json", "--limit", "3"]),
        ("related-explain", ["related", "FFM", "--explain", "--limit", "3"]),
        ("related-count", ["related", "카카오", "--by", "count", "--limit", "5"]),
        ("related-npmi", ["related", "LightGCN", "--by", "npmi", "--limit", "5"]),
        ("related-jaccard", ["related", "MLflow", "--by", "jaccard", "--limit", "5"]),
        ("related-type", ["related", "FFM", "--type", "company"]),
        ("related-note", ["related", "journal/2023-02-19-CUAI-면접.md"]),
        ("related-note-json", ["related", "journal/2023-02-19-CUAI-면접.md", "--json", "--limit", "3"]),
        ("related-unknown", ["related", "FMM"]),
        ("path", ["path", "FFM", "스캐터랩"]),
        ("path-json", ["path", "LightGCN", "카카오", "--json"]),
        ("communities", ["communities"]),
        ("communities-json", ["communities", "--json", "--limit", "2"]),
        ("suggest", ["suggest"]),
        ("suggest-json", ["suggest", "--json", "--limit", "3"]),
        ("doctor", ["doctor"]),
        ("doctor-json", ["doctor", "--json"]),
        ("mentions", ["mentions", "LightGCN"]),
        ("mentions-all", ["mentions", "--limit", "15"]),
        ("mentions-type", ["mentions", "--type", "company", "--limit", "5"]),
        ("mentions-json", ["mentions", "카카오", "--json"]),
        ("entities", ["entities"]),
        ("entities-type", ["entities", "--type", "company", "--limit", "0"]),
        ("entities-json", ["entities", "--json", "--limit", "3"]),
        ("export-dot", ["export", "--dot", "--min-notes", "2"]),
        ("export-dot-communities", ["export", "--dot", "--communities", "--top", "15"]),
        ("export-dot-size", ["export", "--size", "betweenness", "--around", "FFM"]),
        ("export-json", ["export", "--json", "--min-notes", "2"]),
        ("export-graphml", ["export", "--graphml", "--type", "company"]),
        ("export-mermaid", ["export", "--mermaid", "--top", "10"]),
        ("export-html", ["export", "--html", "--top", "8"]),
        ("stats", ["stats"]),
        ("stats-json", ["stats", "--json"]),
        ("backlinks", ["backlinks", "2023-02-19-CUAI-면접"]),
        ("backlinks-unlinked", ["backlinks", "journal/2023-02-19-CUAI-면접.md", "--unlinked", "--json"]),
        ("links", ["links", "career/Week15-Day5-Career-Talk.md"]),
        ("unresolved", ["unresolved"]),
        ("orphans", ["orphans", "--json"]),
        ("export-links", ["export", "--links", "--json"]),
        ("usage-unknown-command", ["frobnicate"]),
        ("usage-unknown-option", ["search", "x", "--bogus"]),
        ("usage-missing-query", ["search"]),
    ]

    static var folder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Golden")
    }

    static var recording: Bool { ProcessInfo.processInfo.environment["KG_RECORD_GOLDEN"] == "1" }

    /// What a user sees, with what changes from run to run (the temporary folder, timings)
    /// replaced by placeholders.
    static func transcript(_ args: [String], _ r: (status: Int32, out: String, err: String), root: String) -> String {
        func clean(_ s: String) -> String {
            var t = s.replacingOccurrences(of: root, with: "<vault>")
            t = t.replacingOccurrences(of: #"in [0-9]+\.[0-9]+ s"#, with: "in <seconds> s", options: .regularExpression)
            t = t.replacingOccurrences(of: #""seconds": [0-9.e-]+"#, with: "\"seconds\": <seconds>", options: .regularExpression)
            t = t.replacingOccurrences(of: #"index_bytes": [0-9]+"#, with: "index_bytes\": <bytes>", options: .regularExpression)
            t = t.replacingOccurrences(of: #"index bytes: [0-9]+"#, with: "index bytes: <bytes>", options: .regularExpression)
            // The file table's stat times vary in length with when the notes were copied.
            t = t.replacingOccurrences(of: #"checksum of its [0-9]+ bytes"#, with: "checksum of its <bytes> bytes", options: .regularExpression)
            t = t.replacingOccurrences(of: #"index_bytes_checked": [0-9]+"#, with: "index_bytes_checked\": <bytes>", options: .regularExpression)
            return t
        }
        return "$ kg \(args.joined(separator: " "))\n[exit \(r.status)]\n--- stdout\n\(clean(r.out))--- stderr\n\(clean(r.err))"
    }

    @Test func everyCommandMatchesItsGoldenFile() throws {
        let v = try TempVault.sample()
        var mismatches: [String] = []
        for (name, args) in Self.cases {
            let actual = Self.transcript(args, v.kg(args), root: v.root)
            let file = Self.folder.appendingPathComponent(name + ".txt")
            if Self.recording {
                try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true)
                try Data(actual.utf8).write(to: file)
                continue
            }
            let expected = (try? String(contentsOf: file, encoding: .utf8)) ?? "(no golden file \(name).txt)"
            if actual != expected { mismatches.append(name) }
            #expect(actual == expected, "golden \(name).txt differs; re-record with KG_RECORD_GOLDEN=1 if intended")
        }
        #expect(mismatches.isEmpty, "differing golden files: \(mismatches.joined(separator: ", "))")
    }
}
