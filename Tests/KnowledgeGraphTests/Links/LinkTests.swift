import Foundation
import Testing

@testable import KnowledgeGraph

/// Links: every form parsed, resolved as Obsidian does, answered from the index.
@Suite struct LinkTests {
    static let nfdName = "한글노트".decomposedStringWithCanonicalMapping

    static func fixture() throws -> TempVault {
        let v = try TempVault(files: [
            "projects/FFM.md": "---\naliases: [Field-aware FM, 필드FM]\ntags: [ml/recsys]\ndate: 2023-02-19\n---\n# FFM\nFFM은 FM에서 왔다\n",
            "archive/FFM.md": "# old FFM\n",
            "notes/a.md": """
                [[FFM]] and [[FFM|the model]] and [[FFM#History]] and [[FFM#^block1]]
                ![[FFM]]
                [[projects/FFM]]
                [md](../projects/FFM.md)
                [sp](<../projects/My Note.md>) and [pct](../projects/My%20Note.md)
                `[[Code]]` in code
                ```
                [[Fenced]]
                ```
                [[Missing]] [[image.png]] ![pic](img/cat.jpg) [web](https://example.com/FFM.md) [[missing]]
                [[Field-aware FM]]
                FFM 은 좋다, FFM에서도
                [[한글노트]] [[ffm.md]]

                """,
            "projects/My Note.md": "my note #ml\n",
            "archive/b.md": "[[FFM]]\n",
            "orphan.md": "nothing\n",
            nfdName + ".md": "NFD 이름의 노트\n",
        ])
        return v
    }

    @Test func outgoingLinksAndWhereTheyGo() throws {
        let v = try Self.fixture()
        let r = v.kg("links", "notes/a.md", "--json")
        #expect(r.status == 0, "\(r.err)")
        let links = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [[String: Any]])
        let shown = links.map { "\($0["line"] ?? ""):\($0["target"] ?? "")→\(($0["note"] as? String) ?? (($0["attachment"] as? Bool) == true ? "attachment" : "nil"))\(($0["via_alias"] as? Bool) == true ? "(alias)" : "")" }
        #expect(shown == [
            // Two notes are named FFM; from notes/ neither is in the same folder: the shortest path.
            "1:FFM→archive/FFM.md", "1:FFM→archive/FFM.md", "1:FFM#History→archive/FFM.md", "1:FFM#^block1→archive/FFM.md",
            "2:FFM→archive/FFM.md", "3:projects/FFM→projects/FFM.md", "4:../projects/FFM.md→projects/FFM.md",
            "5:../projects/My Note.md→projects/My Note.md", "5:../projects/My Note.md→projects/My Note.md",
            "10:Missing→nil", "10:image.png→attachment", "10:img/cat.jpg→attachment", "10:missing→nil",
            "11:Field-aware FM→projects/FFM.md(alias)", "13:한글노트→\(Self.nfdName).md", "13:ffm.md→archive/FFM.md",
        ], "\(shown)")
    }

    @Test func backlinksFollowResolution() throws {
        let v = try Self.fixture()
        let projects = v.kg("backlinks", "projects/FFM.md").out
        #expect(projects == "notes/a.md\nnotes/a.md:3: [[projects/FFM]]\nnotes/a.md:4: [md](../projects/FFM.md)\nnotes/a.md:11: [[Field-aware FM]]\n")
        // From archive/, the same folder wins.
        let archive = v.kg("backlinks", "archive/FFM.md", "--json").out
        #expect(archive.contains("\"note\": \"archive/b.md\""))
        #expect(archive.components(separatedBy: "\"note\": \"notes/a.md\"").count - 1 == 3)  // lines 1, 2, 13
        // A NOTE named like a wikilink: by its alias.
        #expect(v.kg("backlinks", "필드FM").out.hasPrefix("notes/a.md\n"))
        #expect(v.kg("backlinks", "my note").out.contains("notes/a.md:5: "))
    }

    @Test func unlinkedMentionsUseTheMentionRules() throws {
        let v = try Self.fixture()
        let r = v.kg("backlinks", "projects/FFM.md", "--unlinked")
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out == "archive/FFM.md\narchive/FFM.md:1: # old FFM\n\nnotes/a.md\nnotes/a.md:12: FFM 은 좋다, FFM에서도\n", "\(r.out)")
    }

    @Test func unresolvedAndOrphans() throws {
        let v = try Self.fixture()
        let unresolved = v.kg("unresolved").out
        // [[Missing]] and [[missing]] name one target; one line links it.
        #expect(unresolved == "Missing\nnotes/a.md:10: Missing\n")
        #expect(v.kg("orphans").out == "orphan.md\n")
        #expect(v.kg("orphans", "--json").out.contains("{\n    \"note\": \"orphan.md\"\n  }"))
    }

    @Test func doctorReportsAmbiguousNames() throws {
        let v = try Self.fixture()
        let r = v.kg("doctor", "--json").out
        #expect(r.contains("\"chosen\": \"archive/FFM.md\""))
        #expect(v.kg("doctor").out.contains("notes/a.md:1: [[ffm]] goes to archive/FFM.md; also projects/FFM.md"))
    }

    @Test func theLinkGraphExports() throws {
        let v = try Self.fixture()
        let json = try #require(try JSONSerialization.jsonObject(with: Data(v.kg("export", "--links", "--json").out.utf8)) as? [String: Any])
        let nodes = (json["nodes"] as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? []
        #expect(Set(nodes) == ["archive/FFM.md", "archive/b.md", "notes/a.md", "projects/FFM.md", "projects/My Note.md", Self.nfdName + ".md"])
        #expect(v.kg("export", "--links", "--dot").status == 0)
        #expect(v.kg("export", "--links", "--mermaid", "--around", "archive/FFM.md").out.contains("archive/b.md"))
    }

    @Test func relatedNotesLeaveOutNotesAlreadyLinked() throws {
        let v = try TempVault(files: ["a.md": "FFM 카카오 [[c]]\n", "b.md": "FFM 카카오\n", "c.md": "FFM 카카오\n", "d.md": "FFM 카카오 [link](a.md)\n"],
            lexicon: "concept: FFM\ncompany: 카카오\n")
        let r = v.kg("related", "a.md", "--json").out
        #expect(r.contains("\"note\": \"b.md\""))
        #expect(!r.contains("\"note\": \"c.md\"") && !r.contains("\"note\": \"d.md\""))
    }
}
