/// Every answer as JSON: what `--json` prints and what the MCP server returns as structured
/// content, so that the two never differ. Keys come in a fixed order.
extension LinePlace {
    /// `{"note", "line", "text"}`, the whole line.
    public var json: JSON {
        .object([("note", .string(note)), ("line", .int(line)), ("text", .string(text))])
    }
}

extension SearchResults {
    /// `[{"note", "score", "matches": [{"line", "column", "text"}]}]`: every matching line,
    /// whole, with the 1-based column of its first match.
    public var json: JSON {
        .array(hits.map { h in
            .object([("note", .string(h.note)), ("score", .double(h.score)),
                ("matches", .array(h.lines.map { p in
                    .object([("line", .int(p.line)), ("column", p.column.map { .int($0 + 1) } ?? .null), ("text", .string(p.text))])
                }))])
        })
    }
}

extension RelatedEntities {
    /// With `explain`, each neighbour's closeness, damping, npmi and jaccard too.
    public func json(explain: Bool = false) -> JSON {
        .array(neighbours.map { r in
            var fields: [(String, JSON)] = [("entity", .string(r.name)), ("type", .string(r.type)), ("score", .double(r.score)),
                ("notes", .int(r.notes)), ("sections", .int(r.sections))]
            if explain {
                fields.append(("closeness", .double(r.closeness)))
                fields.append(("damping", .double(r.damping)))
                fields.append(("npmi", .double(r.npmi)))
                fields.append(("jaccard", .double(r.jaccard)))
            }
            fields.append(("evidence", .array(r.evidence.map(\.json))))
            return .object(fields)
        })
    }
}

extension NoteNeighbourhood {
    public var json: JSON {
        .object([
            ("note", .string(note)),
            ("entities", .array(entities.map { e in
                .object([("entity", .string(e.name)), ("type", .string(e.type)), ("mentions", .int(e.mentions)), ("score", .double(e.score))])
            })),
            ("notes", .array(notes.map { r in
                .object([("note", .string(r.note)), ("score", .double(r.score)), ("shared", .array(r.shared.map(JSON.string)))])
            })),
        ])
    }
}

extension ConnectionPath {
    public var json: JSON {
        .object([
            ("path", .array(chain.map(JSON.string))),
            ("hops", .array(hops.map { h in
                .object([("from", .string(h.from)), ("to", .string(h.to)), ("notes", .int(h.notes)), ("evidence", .array(h.evidence.map(\.json)))])
            })),
        ])
    }
}

extension CommunityList {
    public var json: JSON {
        .array(communities.enumerated().map { (k, members) in
            .object([("community", .int(k + 1)), ("size", .int(members.count)),
                ("members", .array(members.map { m in
                    .object([("entity", .string(m.name)), ("type", .string(m.type)), ("degree", .double(m.degree)),
                        ("betweenness", .double(m.betweenness))])
                }))])
        })
    }
}

extension MentionList {
    public var json: JSON { .array(mentions.map(\.json)) }
}

extension MentionList.Place {
    public var json: JSON {
        .object([("note", .string(note)), ("line", .int(line)), ("column", .int(column + 1)), ("entity", .string(entity)),
            ("type", .string(type)), ("text", .string(surface))])
    }
}

extension EntityList {
    public var json: JSON {
        .array(entities.map { e in
            .object([("name", .string(e.name)), ("type", .string(e.type)), ("aliases", .array(e.aliases.map(JSON.string))),
                ("mentions", .int(e.mentions)), ("notes", .int(e.notes)), ("source", .string(e.origin.source.label)),
                ("confidence", .double(e.origin.confidence)), ("signals", .array(e.origin.signals.map(JSON.string))),
                ("link_only", .array(e.origin.linkOnly.map(JSON.string)))])
        })
    }
}

extension SuggestionList {
    public var json: JSON {
        .array(suggestions.map { s in
            var fields: [(String, JSON)] = [("name", .string(s.name)), ("kinds", .array(s.kinds.map(JSON.string))),
                ("alias_of", s.aliasOf.map(JSON.string) ?? .null), ("count", .int(s.count)), ("notes", .int(s.notes))]
            if let t = s.type { fields.append(("type", .string(t))) }
            if let c = s.confidence { fields.append(("confidence", .double(c))) }
            fields.append(("examples", .array(s.examples.map(\.json))))
            return .object(fields)
        })
    }
}

extension NameReport {
    public var json: JSON {
        .object([("name", .string(name)), ("asked", .string(asked)), ("status", .string(status.rawValue)),
            ("entity", entity.map(JSON.string) ?? .null), ("alias", .bool(alias)), ("type", type.map(JSON.string) ?? .null),
            ("confidence", confidence.map(JSON.double) ?? .null), ("signals", .array(signals.map(JSON.string))),
            ("count", .int(count)), ("notes", .int(notes))])
    }
}

extension DoctorReport {
    public var json: JSON {
        func issue(_ i: LexiconIssue) -> JSON {
            .object([("source", .string(i.source)), ("line", .int(i.line)), ("message", .string(i.message))])
        }
        return .object([
            ("index_bytes_checked", .int(indexBytes)),
            ("syntax_errors", .array(syntaxErrors.map(issue))),
            ("collisions", .array(collisions.map(issue))),
            ("unused_lines", .array(unused.map(issue))),
            ("short_names", .array(shortNames.map { .object([("name", .string($0.name)), ("entity", .string($0.entity))]) })),
            ("unmentioned", .array(unmentioned.map(JSON.string))),
            ("unlinked_mentions", .array(unlinked.map { u in
                .object([("note", .string(u.note)), ("line", .int(u.line)), ("entity", .string(u.entity)), ("entity_note", .string(u.entityNote))])
            })),
            ("ambiguous_links", .array(ambiguousLinks.map { a in
                .object([("note", .string(a.note)), ("line", .int(a.line)), ("target", .string(a.target)), ("chosen", .string(a.chosen)),
                    ("candidates", .array(a.candidates.map(JSON.string)))])
            })),
        ])
    }
}

extension IndexStats {
    /// Field names and values, in the order shown.
    public var fields: [(String, Int)] {
        [("notes", notes), ("skipped", skipped), ("entities", entities), ("discovered_entities", discovered),
            ("mentioned_entities", mentionedEntities),
            ("mentions", mentions), ("edges", edges), ("terms", terms), ("index_bytes", indexBytes)]
    }

    public var json: JSON { .object(fields.map { ($0.0, .int($0.1)) }) }
}

extension IndexReport {
    public var json: JSON {
        .object([
            ("added", .array(added.map(JSON.string))), ("changed", .array(changed.map(JSON.string))),
            ("removed", .array(removed.map(JSON.string))), ("unchanged", .int(unchanged)),
            ("skipped", .array(skipped.map { .object([("path", .string($0.path)), ("reason", .string($0.reason))]) })),
            ("rebuilt", rebuildReason.map(JSON.string) ?? .null), ("analyzed", .int(analyzed)), ("seconds", .double(seconds)),
        ])
    }
}

extension BacklinkList {
    /// `[{"note", "line", "text"}]`.
    public var json: JSON { .array(backlinks.map(\.json)) }
}

extension LinkList {
    /// `[{"target", "note", "line", "via_alias", "attachment"}]`, `note` null when the link
    /// goes to no note.
    public var json: JSON {
        .array(links.map { l in
            .object([("target", .string(l.target)), ("note", l.note.map(JSON.string) ?? .null), ("line", .int(l.line)),
                ("via_alias", .bool(l.viaAlias)), ("attachment", .bool(l.attachment))])
        })
    }
}

extension UnresolvedList {
    /// `[{"target", "note", "line"}]`, most-linked targets first.
    public var json: JSON {
        .array(links.map { .object([("target", .string($0.target)), ("note", .string($0.note)), ("line", .int($0.line))]) })
    }
}

extension OrphanList {
    /// `[{"note"}]`.
    public var json: JSON { .array(notes.map { .object([("note", .string($0))]) }) }
}
