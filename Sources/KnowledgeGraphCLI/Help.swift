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

    static let commands: [String: String] = [
        "index": """
            Usage: kg index [--rebuild] [--no-wait] [--allow-mass-delete] [--json]

            Brings <vault>/.kg/index up to date: only new and changed notes are read again
            (size, times and inode decide; a file touched without a content change is not
            re-analysed). Prints what was added, changed, removed, unchanged and skipped.

              --rebuild            read every note again and rewrite the index
              --no-wait            exit 75 instead of waiting when another kg is writing
              --allow-mass-delete  accept that more than half the notes are gone
            """,
        "search": """
            Usage: kg search QUERY... [--limit N] [--json] [--no-refresh]

            Notes containing every term, ranked by BM25, with the matching lines.
            A term is a word or a "quoted phrase". Latin words match whole words in any case
            (fm finds FM은 but not FFM); Korean matches inside words (면접 finds 면접관,
            카카오 finds 카카오에서). Punctuation is matched literally (C++, node.js, A/B).
            """,
        "related": """
            Usage: kg related ENTITY [--type T] [--by MEASURE] [--limit N] [--explain] [--json]
                   kg related NOTE.md [--limit N] [--json]

            Entities mentioned in the same notes as ENTITY, ranked by closeness (same line
            over same block over same section over same note, decaying with distance) damped
            for entities that are everywhere, each with the lines where the two stand closest.
              --type T       only neighbours of type T
              --by MEASURE   proximity (default), count (shared notes), npmi, jaccard
              --explain      show the parts of each score

            With a note's path: the entities the note is about (mentions × rarity) and the
            notes that share its most distinctive entities but are not linked to or from it.
            """,
        "path": """
            Usage: kg path A B [--json]

            The shortest chain of co-mentions from entity A to entity B (fewest hops, through
            the strongest edges), with the lines that show each hop.
            """,
        "communities": """
            Usage: kg communities [--limit N] [--json]

            Groups of entities mentioned together (Louvain modularity on the co-mention graph,
            deterministic), largest first, each with its most connected members; and the
            entities that bridge groups (betweenness centrality).
            """,
        "suggest": """
            Usage: kg suggest [--limit N] [--json]
                   kg suggest --accept NAME [--type T] [--alias-of ENTITY]

            Candidate concepts and companies the lexicon lacks, ranked by notes and count,
            with example lines: [[wikilinks]] and #tags that name no entity, short headings,
            acronyms (CUAI) and CamelCase words (LightGCN), X(Y) definitions, Korean words
            seen before several particles across notes, and likely variants or misspellings
            of known names (Mflow → MLflow, lgbm → LightGBM) as alias suggestions.
            --accept adds NAME to .kg/lexicon.txt as a new entity of type T (default concept)
            or as an alias of ENTITY, keeping the file's comments and order.
            """,
        "doctor": """
            Usage: kg doctor [--json]

            Names that collide (one alias, two entities), short names that may match
            unrelated text, entities never mentioned, and notes that mention an entity note
            without linking to it.
            """,
        "mentions": """
            Usage: kg mentions [ENTITY] [--type T] [--limit N] [--json]

            Every mention of ENTITY (all entities when none is given) as file:line: text,
            in path and line order.
            """,
        "entities": """
            Usage: kg entities [--type T] [--limit N] [--json]

            Entities from .kg/lexicon.txt and entity notes, with type, aliases, mentions and
            notes, most mentioned first.
            """,
        "export": """
            Usage: kg export [--dot | --json | --graphml | --mermaid | --html] [filters]

            The co-mention graph. Nodes are mentioned entities; edges join entities
            mentioned in the same notes. Output is byte-identical for the same vault.
              --dot           undirected Graphviz graph (default): shape and colour by type
              --json          {"nodes": [...], "edges": [...]} for D3, Cytoscape, scripts
              --graphml       GraphML with typed attributes, for Gephi and yEd
              --mermaid       a ```mermaid graph block for Obsidian or GitHub notes
              --html          one self-contained page: force-directed graph, search box,
                              type filter, click a node for its evidence lines and notes
            Filters:
              --type T        only entities of type T
              --min-notes N   only entities and edges found in at least N notes
              --top N         only the N most mentioned entities
              --exclude E     leave out entity E (repeat, or E1,E2)
              --around E      only entities within --depth steps (default 1) of E
            DOT only:
              --communities   draw communities as cluster_ subgraphs (fdp layout)
              --size S        node size by mentions (default), degree or betweenness
            Example: kg export --dot --top 40 | dot -Tsvg > graph.svg
            """,
        "watch": """
            Usage: kg watch [--poll] [--json]

            Keeps the index fresh while it runs, printing one line per applied update (what
            changed, how long it took). Uses inotify on Linux: events are hints, and after a
            burst settles (150 ms) the vault is re-checked, so atomic saves (temp file +
            rename), moves, new folders and queue overflows all end in one correct update.
            Falls back to polling every second when inotify is unavailable or its watch
            limit is reached, or with --poll. While a watcher runs, query commands answer
            from the index without walking the vault. Ctrl-C stops it cleanly.
            """,
        "stats": """
            Usage: kg stats [--json]

            Notes, skipped files, entities, mentions, edges, distinct terms and index size.
            """,
    ]
}
