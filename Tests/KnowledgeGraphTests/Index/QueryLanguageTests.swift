import Foundation
import Testing

@testable import KnowledgeGraph

/// The search query language: OR, NOT, parentheses, prefixes, fields, dates and order.
@Suite struct QueryLanguageTests {
    static let files = [
        "ml/a.md": "---\ntags: [ml/recsys]\ndate: 2023-02-19\n---\nLightGCN 과 FFM 추천\n[[b]]\n",
        "ml/b.md": "---\ntags: [ml]\ncreated: 2023-05-01\n---\nLightGBM 카카오 면접\n",
        "journal/c.md": "FFM 면접 #회고\n[[ml/a]]\n",
        "journal/d.md": "카카오 그리고 네이버\n",
    ]
    static let lexicon = "concept: FFM\ncompany: 카카오 | Kakao\n"

    func notes(_ v: TempVault, _ args: String...) throws -> [String] {
        let r = v.kg(["search"] + args + ["--json", "--limit", "0"])
        #expect(r.status == 0, "\(args): \(r.err)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [[String: Any]])
        return json.compactMap { $0["note"] as? String }.sorted()
    }

    @Test func operatorsAndGrouping() throws {
        let v = try TempVault(files: Self.files, lexicon: Self.lexicon)
        #expect(try notes(v, "FFM", "면접") == ["journal/c.md"])
        #expect(try notes(v, "LightGCN", "OR", "네이버") == ["journal/d.md", "ml/a.md"])
        #expect(try notes(v, "면접", "-카카오") == ["journal/c.md"])
        #expect(try notes(v, "면접", "NOT", "카카오") == ["journal/c.md"])
        #expect(try notes(v, "(FFM", "OR", "카카오)", "-(면접", "OR", "추천)") == ["journal/d.md"])
        #expect(try notes(v, "light*") == ["ml/a.md", "ml/b.md"])
        #expect(try notes(v, "-\"그리고 네이버\"", "카카오") == ["ml/b.md"])
        // or in lower case is a word.
        #expect(try notes(v, "FFM", "or", "네이버").isEmpty)
    }

    @Test func fieldsFilterNotes() throws {
        let v = try TempVault(files: Self.files, lexicon: Self.lexicon)
        #expect(try notes(v, "tag:ml") == ["ml/a.md", "ml/b.md"])
        #expect(try notes(v, "tag:ml/recsys") == ["ml/a.md"])
        #expect(try notes(v, "tag:#회고") == ["journal/c.md"])
        #expect(try notes(v, "path:journal/") == ["journal/c.md", "journal/d.md"])
        #expect(try notes(v, "entity:kakao") == ["journal/d.md", "ml/b.md"])
        #expect(try notes(v, "links:ml/a.md") == ["journal/c.md"])
        #expect(try notes(v, "linked-by:a") == ["ml/b.md"])
        #expect(try notes(v, "면접", "-path:ml/") == ["journal/c.md"])
        #expect(try notes(v, "entity:\"Kakao\"", "OR", "tag:회고") == ["journal/c.md", "journal/d.md", "ml/b.md"])
        // Filters only: the notes are listed without lines or scores.
        let text = v.kg("search", "path:journal/").out
        #expect(text == "journal/c.md\njournal/d.md\n")
    }

    @Test func datesAndOrder() throws {
        let v = try TempVault(files: Self.files, lexicon: Self.lexicon)
        #expect(try notes(v, "tag:ml", "--since", "2023-03-01") == ["ml/b.md"])
        #expect(try notes(v, "tag:ml", "--until", "2023-02-19") == ["ml/a.md"])
        let today = v.kg("search", "path:journal/", "--since", "2000-01-01", "--json").out
        #expect(today.contains("journal/c.md"))  // no front-matter date: the file's day
        let byPath = v.kg("search", "카카오", "--sort", "path", "--json").out
        #expect(byPath.range(of: "journal/d.md")!.lowerBound < byPath.range(of: "ml/b.md")!.lowerBound)
        #expect(v.kg("search", "x", "--since", "yesterday").status == 64)
        #expect(v.kg("search", "x", "--sort", "random").status == 64)
    }

    @Test(arguments: [
        ("\"unclosed", "unbalanced quote", 1), ("(FFM OR 카카오", "not closed", 1), ("FFM)", "closes nothing", 4),
        ("color:red", "unknown field 'color'", 1), ("FFM -", "bare '-'", 5), ("NOT", "NOT has nothing after it", 1),
        ("FFM OR", "OR has nothing after it", 5), ("OR FFM", "OR has nothing before it", 1), ("()", "hold nothing", 1),
        ("tag:", "needs a value", 1),
    ])
    func badQueriesSayWhere(_ query: String, _ message: String, _ column: Int) throws {
        let v = try TempVault(files: Self.files, lexicon: Self.lexicon)
        let r = v.kg("search", "--", query)
        #expect(r.status == 64)
        #expect(r.err.hasPrefix("kg: error: ") && r.err.contains(message), "\(query): \(r.err)")
        #expect(r.err.contains("at column \(column) of the query"), "\(query): \(r.err)")
    }

    @Test func anEmptyQueryIsAUsageError() throws {
        let v = try TempVault(files: Self.files, lexicon: Self.lexicon)
        for q in ["", "\"\"", "*"] {
            let r = v.kg("search", "--", q)
            #expect(r.status == 64, "\(q)")
        }
    }
}
