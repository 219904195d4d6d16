extension Pass {
    /// The sections other than the dictionary and postings.
    struct Assembled {
        var notes: SectionPieces
        /// A build's records, after `notes`' bytes: the runs' buffers as they wrote them, one
        /// after another (empty when the records are in `notes`).
        var recordChunks: [[UInt8]] = []
        /// A speculative pass's content hashes, by note id (else empty).
        var hashes: [UInt64]
        /// The front-matter aliases a speculative pass found, by note id.
        var aliases: [Int32: [String]]
        var noteOffsets: [UInt64]
        var tokenCounts: [Int32]
        var entityNotes: [[Int32]]
        var graph: CoMentionGraph
    }

    /// Note records, token counts, entity lists and the graph of the new index: kept parts
    /// copied or renumbered from the previous file, plus what the runs analyzed.
    static func assemble(
        _ outputs: [Run], old: [Int32], previous: IndexReader?, remap: [Int32], entityCount: Int, entityMap: [Int32]? = nil
    ) throws(CorruptIndex) -> Assembled {
        let n = old.count
        // Records and token counts, in id order.
        var where_ = [(run: Int32, index: Int32)](repeating: (-1, -1), count: n)
        for (r, run) in outputs.enumerated() {
            for (k, id) in run.ids.enumerated() { where_[Int(id)] = (Int32(r), Int32(k)) }
        }
        var noteOffsets: [UInt64] = []
        var tokenCounts: [Int32] = []
        // Kept records are referred to, not copied: runs of notes that were consecutive
        // before are one piece.
        var notes = SectionPieces()
        var count = BinaryWriter()
        count.int(n)
        notes.bytes = count.bytes
        noteOffsets.reserveCapacity(n + 1)
        tokenCounts.reserveCapacity(n)
        var recordChunks: [[UInt8]] = []
        if previous == nil, Pass.inIDOrder(outputs, count: n) {
            // A build whose runs hold every note in id order: their buffers, one after another,
            // are the records, written as they lie (copied into one, they took their size
            // again, about 130 MB at 100k notes, and a single core's time).
            var base = UInt64(notes.bytes.count)
            for run in outputs {
                for k in run.ids.indices {
                    noteOffsets.append(base + UInt64(run.recordStarts[k]))
                    tokenCounts.append(run.tokenCounts[k])
                }
                base += UInt64(run.records.bytes.count)
                recordChunks.append(run.records.bytes)
            }
            noteOffsets.append(base)
        } else {
            // The analysed records' bytes, reserved at once (grown by doubling, the buffer is
            // copied and its fresh pages touched several times over).
            notes.bytes.reserveCapacity(count.bytes.count + outputs.reduce(0) { $0 + $1.records.bytes.count })
        }
        // The kept notes' lengths, read without a lock per note.
        let lengths = try previous?.noteLengths()
        func length(_ oldID: Int32) throws(CorruptIndex) -> Int32 {
            guard let lengths, oldID >= 0, Int(oldID) < lengths.count else { throw CorruptIndex(reason: "bad note id") }
            return lengths[Int(oldID)]
        }
        var id = recordChunks.isEmpty ? 0 : n
        while id < n {
            if let previous, let entityMap, old[id] >= 0 {
                // The discovered entities changed: a kept record whose mentions name entities
                // that moved is written again with their new ids (its text was not read).
                var record = try previous.record(at: Int(old[id]))
                var moved = false
                for k in record.mentions.indices {
                    let e = Int(record.mentions[k].entity)
                    guard e < entityMap.count, entityMap[e] >= 0 else { throw CorruptIndex(reason: "a kept note mentions an entity that went") }
                    if entityMap[e] != Int32(e) {
                        record.mentions[k].entity = entityMap[e]
                        moved = true
                    }
                }
                tokenCounts.append(try length(old[id]))
                if moved {
                    noteOffsets.append(UInt64(notes.count))
                    var w = BinaryWriter()
                    record.encode(into: &w)
                    notes.bytes.append(contentsOf: w.bytes)
                } else {
                    let kept = try previous.noteRecordRange(from: Int(old[id]), to: Int(old[id]) + 1)
                    noteOffsets.append(UInt64(notes.count))
                    notes.keep(kept.range)
                }
                id += 1
                continue
            }
            if let previous, old[id] >= 0 {
                var end = id + 1
                while end < n && old[end] == old[end - 1] + 1 { end += 1 }
                let kept = try previous.noteRecordRange(from: Int(old[id]), to: Int(old[end - 1]) + 1)
                let base = UInt64(notes.count)
                for k in id..<end {
                    noteOffsets.append(base + UInt64(kept.offsets[k - id]))
                    tokenCounts.append(try length(old[k]))
                }
                notes.keep(kept.range)
                id = end
                continue
            }
            noteOffsets.append(UInt64(notes.count))
            let (r, k) = where_[id]
            let run = outputs[Int(r)]
            notes.bytes.append(contentsOf: run.records.bytes[run.recordStarts[Int(k)]..<run.recordStarts[Int(k) + 1]])
            tokenCounts.append(run.tokenCounts[Int(k)])
            id += 1
        }
        if recordChunks.isEmpty { noteOffsets.append(UInt64(notes.count)) }

        // The graph: the previous sums minus the notes dropped or analyzed again (the entities
        // their previous records mention are noted), plus the runs.
        // Kept notes that keep their ids (a save of notes that were there): only the entity
        // lists of the entities the dropped and analysed notes mention change.
        let idsKept = entityMap == nil && remap.enumerated().allSatisfy { $0.element < 0 || $0.element == Int32($0.offset) }
        var affected = Set<Int32>()
        var builder = GraphBuilder(entityCount: entityCount)
        if let previous {
            builder = GraphBuilder(try previous.graph())
            for (o, id) in remap.enumerated() where id < 0 {
                let record = try previous.record(at: o)
                builder.add(record, sign: -1)
                if idsKept { for e in record.mentionedEntities(below: entityCount) { affected.insert(e) } }
            }
            if let entityMap {
                // What is left of the previous sums, in the new entity ids.
                guard let g = builder.graph().renumbered(entityMap, entityCount: entityCount) else {
                    throw CorruptIndex(reason: "a kept note mentions an entity that went")
                }
                builder = GraphBuilder(g)
            }
        }
        for run in outputs { builder.merge(run.graph) }

        // Entity -> notes: kept lists renumbered, plus the analyzed notes.
        var byEntity = [[Int32]](repeating: [], count: entityCount)
        var touched = Set<Int32>()
        if let previous, idsKept {
            byEntity = try previous.entityNotes()
            guard byEntity.count == entityCount else { throw CorruptIndex(reason: "entity lists do not match the lexicon") }
            for e in affected { byEntity[Int(e)].removeAll { Int($0) >= remap.count || remap[Int($0)] < 0 } }
            touched = affected
        } else if let previous {
            let lists = try previous.entityNotes()
            guard lists.count == (entityMap?.count ?? entityCount) else { throw CorruptIndex(reason: "entity lists do not match the lexicon") }
            for (e, list) in lists.enumerated() {
                let to = entityMap.map { Int($0[e]) } ?? e
                for o in list where Int(o) < remap.count && remap[Int(o)] >= 0 {
                    guard to >= 0 else { throw CorruptIndex(reason: "a kept note mentions an entity that went") }
                    byEntity[to].append(remap[Int(o)])
                }
            }
        }
        for run in outputs {
            for (e, id) in run.entityNotes {
                byEntity[Int(e)].append(id)
                touched.insert(e)
            }
        }
        if previous != nil { for e in touched { byEntity[Int(e)].sort() } }

        var hashes: [UInt64] = []
        if outputs.contains(where: { !$0.hashes.isEmpty }) {
            hashes = [UInt64](repeating: 0, count: n)
            for run in outputs { for (k, id) in run.ids.enumerated() where k < run.hashes.count { hashes[Int(id)] = run.hashes[k] } }
        }
        var aliases: [Int32: [String]] = [:]
        for run in outputs { for (id, a) in run.aliases { aliases[id] = a } }
        return Assembled(notes: notes, recordChunks: recordChunks, hashes: hashes, aliases: aliases, noteOffsets: noteOffsets,
            tokenCounts: tokenCounts, entityNotes: byEntity, graph: builder.graph())
    }

    /// Whether the runs analysed notes 0..<count, each once, in id order.
    static func inIDOrder(_ outputs: [Run], count: Int) -> Bool {
        var next: Int32 = 0
        for run in outputs {
            for id in run.ids {
                guard id == next else { return false }
                next += 1
            }
        }
        return Int(next) == count
    }
}

extension NoteParts {
    /// The note sections of what a pass assembled.
    init(lexicon: Lexicon, files: [FileEntry], _ a: Pass.Assembled, discovery: [UInt8]) {
        self.init(lexicon: lexicon, files: files, notes: a.notes, noteOffsets: a.noteOffsets, tokenCounts: a.tokenCounts,
            entityNotes: a.entityNotes, graph: a.graph, discovery: discovery)
    }
}
