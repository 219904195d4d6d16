import Foundation
import KnowledgeGraph

/// The protocol servers: `kg mcp` for assistants, `kg lsp` for editors. Each runs until its
/// client closes stdin, keeps the index fresh with a watcher on a thread, and writes nothing
/// but protocol messages on stdout.
enum ServerCommands {
    static let mcp = Command(
        name: "mcp", synopsis: "", summary: "a Model Context Protocol server on stdio, for AI assistants",
        details: """
            Serves kg's answers to an assistant over MCP (JSON-RPC 2.0, one message a line on
            stdin and stdout; logs on stderr; ends when stdin closes). Tools, all read-only:
            search_notes, related_entities, entity_mentions, connection_path, list_entities,
            read_note, suggest_entities, backlinks. Each answers with text and with the same
            JSON as the matching command's --json (a list as {"results": [...]}). read_note
            serves only notes of the vault. The index is kept fresh by a watcher while it runs.

            Client configuration: {"command": "kg", "args": ["mcp", "--vault", "/path/to/notes"]}
            """,
        arguments: 0...0, options: []
    ) { inv throws(KGError) in
        signal(SIGPIPE, SIG_IGN)
        let console = inv.console
        MCPServer(kb: inv.kb, log: { console.err($0) }).run()
    }

    static let lsp = Command(
        name: "lsp", synopsis: "", summary: "a language server on stdio, for editors",
        details: """
            A Language Server Protocol server for the vault's Markdown notes (Content-Length
            framing on stdin and stdout; logs on stderr). It analyses the open buffer as it is
            typed and answers from the index for the rest of the vault:
              hover        an entity: type, mentions, notes and its closest entities;
                           a wikilink: the note's title and first lines
              completion   after [[, note names and aliases; elsewhere entity names by
                           prefix (Hangul too: 카카 → 카카오)
              definition   an entity's note or lexicon line; a wikilink's note
              references   an entity's mentions; a note's backlinks
              diagnostics  unresolved wikilinks, unlinked mentions of entity notes (with a
                           code action that links them), colliding names in the lexicon
            The index is kept fresh by a watcher while it runs.
            """,
        arguments: 0...0, options: []
    ) { inv throws(KGError) in
        signal(SIGPIPE, SIG_IGN)
        let console = inv.console
        let clean = LSPServer(kb: inv.kb, log: { console.err($0) }).run()
        if !clean { throw .failure("the client exited without shutting the server down") }
    }
}
