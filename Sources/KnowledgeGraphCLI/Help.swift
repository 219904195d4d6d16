/// Help texts, one per command.
enum Help {
    static let version = "kg 0.1.0"

    static let main = """
        kg — a knowledge graph of your Markdown notes (Korean and English)

        Usage: kg <command> [arguments] [options]

        Commands:
          index [--rebuild]            bring the index up to date and say what changed
          search QUERY                 notes containing every word or "quoted phrase", ranked
          related ENTITY [--type T]    entities mentioned together with ENTITY, closest first
          related NOTE.md              the entities a note is about and notes it could link to
          path A B                     how two entities connect, hop by hop, with evidence
          communities                  groups of entities that are mentioned together
          suggest [--accept NAME]      names the lexicon misses; --accept adds one
          doctor                       colliding or short names, unused entities, missing links
          mentions [ENTITY]            where an entity (or every entity) is mentioned
          entities [--type T]          known entities with mention and note counts
          export [--dot|--json|--graphml|--mermaid|--html]
                                       the entity graph for Graphviz, D3, Gephi, Obsidian, a browser
          stats                        notes, entities, edges, terms, index size
          watch [--poll]               keep the index fresh while notes change (Ctrl-C stops)

        Options for every command:
          --vault PATH   the notes folder (else $KG_VAULT, else the nearest folder upward
                         holding .kg/, else ./vault)
          --json         results as JSON
          --limit N      at most N results (default 10; 0 = all)
          --no-refresh   answer from the index as it stands, without looking at the files
          --help, -h     help for a command
          --version      kg's version
          --             end of options (a query may then start with -)

        Exit status: 0 success (also when nothing is found), 1 failure, 64 usage error,
        65 refused mass deletion, 66 vault not found, 73 cannot create .kg/, 74 I/O error
        writing the index, 75 index locked (--no-wait).
        """
}
