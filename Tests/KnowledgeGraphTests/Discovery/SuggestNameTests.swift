import Foundation
import Testing

@testable import KnowledgeGraph

/// `kg suggest NAME`: what kg makes of a name a person expected in the graph.
@Suite struct SuggestNameTests {
    static let notes = DiscoveryVaultTests.notes.merging([
        // Once, alone, in a list: seen, too little to suggest.
        "e.md": "- 퀼로바\n",
        // Twice in one note as an acronym: a suggestion.
        "f.md": "QXZ 를 썼다. QXZ 가 좋다.\n",
    ]) { a, _ in a }

    func statuses(_ v: TempVault, _ names: String...) throws -> [String: [String: Any]] {
        let r = v.kg(["suggest", "--json"] + names)
        #expect(r.status == 0, "\(r.err)")
        let items = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [[String: Any]])
        return Dictionary(items.map { ($0["asked"] as? String ?? "", $0) }) { a, _ in a }
    }

    @Test func eachNameIsAnEntityASuggestionOrSaysWhyNot() throws {
        let v = try TempVault(files: Self.notes, lexicon: "discover: on\nconcept: Airflow\nreject: LightGCN\n")
        let s = try statuses(v, "Airflow", "FFM", "카카오에서", "QXZ", "퀼로바", "LightGCN", "없는이름")
        #expect(s["Airflow"]?["status"] as? String == "lexicon")
        #expect(s["FFM"]?["status"] as? String == "discovered")
        // Asked with its particle: the entity it is written with.
        #expect(s["카카오에서"]?["status"] as? String == "discovered" && s["카카오에서"]?["name"] as? String == "카카오")
        #expect(s["QXZ"]?["status"] as? String == "suggestion")
        #expect(s["퀼로바"]?["status"] as? String == "weak" && s["퀼로바"]?["notes"] as? Int == 1)
        #expect((s["퀼로바"]?["confidence"] as? Double ?? 1) < 0.25)
        #expect(s["LightGCN"]?["status"] as? String == "rejected")
        #expect(s["없는이름"]?["status"] as? String == "unseen")
        let text = v.kg("suggest", "퀼로바", "QXZ", "ffm", "Deep Thing").out
        #expect(text.contains("퀼로바: seen 1× in 1 note, too little to suggest") && text.contains("kg suggest --accept QXZ"))
        // Another case of an entity's name is no alias of it; a name with a space is quoted.
        #expect(text.contains("ffm: a discovered entity (") && text.contains("written FFM") && !text.contains("alias"))
        #expect(text.contains("kg suggest --accept 'Deep Thing'"))
    }

    @Test func withDiscoveryOffANameTheLexiconLacksSaysSo() throws {
        let v = try TempVault(files: Self.notes, lexicon: "concept: FFM\n")
        let s = try statuses(v, "FFM", "LightGCN")
        #expect(s["FFM"]?["status"] as? String == "lexicon")
        #expect(s["LightGCN"]?["status"] as? String == "off")
        #expect(v.kg("suggest", " ").status == 64 && v.kg("suggest", "a\nb").status == 64)
        let alias = try TempVault(files: Self.notes, lexicon: "concept: FM | Factorization Machine\n")
        #expect(alias.kg("suggest", "factorization machine").out == "factorization machine: an entity of the lexicon (concept), an alias of FM\n")
        #expect(v.kg("suggest", "FFM", "--limit", "3").status == 64)
    }
}
