#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Dispatch

/// Why an analysis pass stopped.
enum PassFailure: Error {
    /// Notes that could not be read any more: they are marked skipped and the pass rerun.
    case unreadable([SkippedFile])
    /// The previous index could not be read: rebuild without it.
    case damaged(String)
    /// A speculative pass met a note that defines an entity or is not text: check first. With
    /// the content hash of each note it read and analysed before stopping (by id), which the
    /// check need not read again.
    case speculationFailed([UInt64?])
}

/// One indexing pass: analyzes the notes that need it on all cores and builds the sections of
/// the new index, keeping what it can of the previous one.
///
/// Notes are analyzed in a few contiguous runs of ids; each run collects its own posting lists
/// (already in their on-disk encoding), graph sums and encoded records. Lists of kept notes are
/// read from the previous file and renumbered entry by entry without decoding positions, and
/// merged with the new entries term by term in byte order. Records of kept notes, unchanged
/// lists and long unchanged runs of entries are not copied but kept as ranges of the previous
/// file (`SectionPieces`): a delta refers to them, a whole file copies them as it is written.
struct Pass {
    /// Note paths; a note's id is its position.
    var paths: [String] = []
    /// Ids of the notes analyzed in this pass, ascending.
    var analyzed: [Int32] = []
    var keptCount = 0
    var noteCount = 0
    /// Tokens over all notes.
    var tokenTotal = 0
    var terms = TermsWriter()

    /// What one run of notes produced.
    struct Run {
        var postings = PostingLists()
        var graph: GraphBuilder
        var ids: [Int32] = []
        var records = BinaryWriter()
        var recordStarts: [Int] = []
        var tokenCounts: [Int32] = []
        var entityNotes: [(entity: Int32, note: Int32)] = []
        var failures: [SkippedFile] = []
        /// Content hashes of the notes read by a speculative pass, as `ids`.
        var hashes: [UInt64] = []
    }

    /// Analyzes what needs it and builds the new index's parts. `assembled` is handed the note
    /// sections as soon as they are ready (on a build, on one core while the postings are
    /// still merged on the other), so that they can be written meanwhile.
    ///
    /// `speculative`: the notes were not checked before. Each is read once here, hashed, and
    /// analysed with the lexicon as it is; the pass stops with `.speculationFailed` at the
    /// first note that defines an entity (the lexicon would change) or cannot be read as text.
    static func run(
        notePaths: [String], previousNotePaths: [String], fresh: inout [PathKey: String], changed: Set<PathKey>,
        previous: IndexReader?,
        analyzer: Analyzer, vault: Vault, speculative: Bool = false, progress: (@Sendable (Int, Int) -> Void)?,
        assembled: @escaping (Assembled) -> Void
    ) throws(PassFailure) -> Pass {
        var pass = Pass()
        pass.paths = notePaths
        let n = notePaths.count
        let entityCount = analyzer.lexicon.entities.count

        var oldCount = 0
        if let previous {
            do { oldCount = try previous.noteCount() } catch { throw .damaged(error.reason) }
            guard oldCount == previousNotePaths.count else { throw .damaged("the note table does not match the file table") }
        }

        // Which notes are kept (old id) and which are analyzed (-1), with their texts if read.
        // Old and new paths are both in byte order: pair them by a merge.
        var old = [Int32](repeating: -1, count: n)
        let texts = SharedSlots<String>(count: n)
        var work: [Int32] = []
        var o = 0
        for (id, path) in notePaths.enumerated() {
            if !fresh.isEmpty, let text = fresh.removeValue(forKey: PathKey(path)) {
                texts.put(id, text)
                work.append(Int32(id))
                continue
            }
            if !changed.isEmpty && changed.contains(PathKey(path)) {
                work.append(Int32(id))
                continue
            }
            if previous != nil {
                while o < oldCount && previousNotePaths[o].utf8.lexiconLess(path.utf8) { o += 1 }
                if o < oldCount && !path.utf8.lexiconLess(previousNotePaths[o].utf8) {
                    old[id] = Int32(o)
                    continue
                }
            }
            work.append(Int32(id))
        }
        fresh = [:]
        pass.analyzed = work
        pass.keptCount = n - work.count

        // Analyze in contiguous runs of ids, a few per core so that the cores stay busy.
        let cores = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        let runCount = work.isEmpty ? 0 : min(work.count, work.count < 64 ? 1 : cores * 4)
        let runs = SharedSlots<Run>(count: runCount)
        let counter = ProgressCounter()
        let total = work.count
        let shared = UncheckedSendable((work, notePaths))
        let stop = StopFlag()
        DispatchQueue.concurrentPerform(iterations: runCount) { r in
            let (work, notePaths) = shared.value
            var run = Run(graph: GraphBuilder(entityCount: entityCount))
            var scratch: [UInt8] = []
            for w in (work.count * r / runCount)..<(work.count * (r + 1) / runCount) {
                let id = work[w]
                let path = notePaths[Int(id)]
                let text: String
                if let t = texts.take(Int(id)) {
                    text = t
                } else if speculative {
                    if stop.isSet { break }
                    guard case .success(let bytes) = vault.read(path, limit: Vault.noteSizeLimit),
                        case .success(let (decoded, _)) = TextDecoder.decode(bytes)
                    else {
                        stop.set()
                        break
                    }
                    text = Normalizer.normalize(decoded)
                    if Analyzer.entityDefinition(path: path, text: text) != nil {
                        stop.set()
                        break
                    }
                    run.hashes.append(Checksum.of(bytes))
                } else {
                    switch vault.text(path) {
                    case .success(let t): text = t
                    case .failure(let f):
                        run.failures.append(f)
                        continue
                    }
                }
                run.postings.beginNote(id)
                let record = analyzer.analyze(path: path, normalizedText: text, scratch: &scratch) { bytes, p in
                    run.postings.add(bytes, position: p)
                }
                run.postings.endNote()
                run.ids.append(id)
                run.recordStarts.append(run.records.bytes.count)
                record.encode(into: &run.records)
                run.tokenCounts.append(record.tokenCount)
                for e in record.mentionedEntities(below: entityCount) { run.entityNotes.append((e, id)) }
                run.graph.add(record, sign: 1)
                if let progress { progress(counter.next(), total) }
            }
            run.recordStarts.append(run.records.bytes.count)
            runs.put(r, run)
        }
        var outputs: [Run] = (0..<runCount).map { runs.take($0) ?? Run(graph: GraphBuilder(entityCount: entityCount)) }
        if stop.isSet {
            var read = [UInt64?](repeating: nil, count: n)
            for run in outputs { for (k, id) in run.ids.enumerated() where k < run.hashes.count { read[Int(id)] = run.hashes[k] } }
            throw .speculationFailed(read)
        }
        let failures = outputs.flatMap(\.failures)
        if !failures.isEmpty { throw .unreadable(failures) }

        // Old id -> new id, or -1 when the note was dropped or analyzed again.
        var remap = [Int32](repeating: -1, count: oldCount)
        for (id, o) in old.enumerated() where o >= 0 { remap[Int(o)] = Int32(id) }
        var postings = outputs.map(\.postings)
        for r in outputs.indices { outputs[r].postings = PostingLists() }
        do throws(CorruptIndex) {
            if previous == nil && runCount > 1 {
                // A build: the records and graph on one core while the postings are merged on
                // the other.
                let lists = SharedSlots<[PostingLists]>(count: 1)
                lists.put(0, postings)
                postings = []
                let terms = SharedSlots<Result<TermsWriter, CorruptIndex>>(count: 1)
                let rest = SharedSlots<Result<(Int, Int), CorruptIndex>>(count: 1)
                let inputs = UncheckedSendable((outputs, old))
                let handOver = UncheckedSendable(assembled)
                outputs = []
                DispatchQueue.concurrentPerform(iterations: 2) { k in
                    if k == 0 {
                        let (outputs, old) = inputs.value
                        do throws(CorruptIndex) {
                            let a = try assemble(outputs, old: old, previous: nil, remap: [], entityCount: entityCount)
                            let counts = (a.tokenCounts.count, a.tokenCounts.reduce(0) { $0 + Int($1) })
                            handOver.value(a)
                            rest.put(0, .success(counts))
                        } catch { rest.put(0, .failure(error)) }
                    } else {
                        var mine = lists.take(0) ?? []
                        do throws(CorruptIndex) {
                            terms.put(0, .success(try mergeTerms(&mine, previous: nil, remap: [])))
                        } catch { terms.put(0, .failure(error)) }
                    }
                }
                guard let t = try terms.take(0)?.get(), let a = try rest.take(0)?.get() else {
                    throw CorruptIndex(reason: "the index could not be assembled")
                }
                (pass.noteCount, pass.tokenTotal) = a
                pass.terms = t
            } else {
                let a = try assemble(outputs, old: old, previous: previous, remap: remap, entityCount: entityCount)
                outputs = []
                (pass.noteCount, pass.tokenTotal) = (a.tokenCounts.count, a.tokenCounts.reduce(0) { $0 + Int($1) })
                assembled(a)
                pass.terms = try mergeTerms(&postings, previous: previous, remap: remap)
            }
        } catch {
            throw .damaged(error.reason)
        }
        return pass
    }

    /// Runs of unchanged old entries at least this long are kept rather than copied, so that
    /// a delta refers to them; shorter ones are not worth an extent.
    static let keptSpanMinimum = 512

    /// The sections other than the dictionary and postings.
    struct Assembled {
        var notes: SectionPieces
        /// A speculative pass's content hashes, by note id (else empty).
        var hashes: [UInt64]
        var noteOffsets: [UInt64]
        var tokenCounts: [Int32]
        var entityNotes: [[Int32]]
        var graph: CoMentionGraph
    }

    /// Note records, token counts, entity lists and the graph of the new index: kept parts
    /// copied or renumbered from the previous file, plus what the runs analyzed.
    static func assemble(
        _ outputs: [Run], old: [Int32], previous: IndexReader?, remap: [Int32], entityCount: Int
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
        var id = 0
        while id < n {
            if let previous, old[id] >= 0 {
                var end = id + 1
                while end < n && old[end] == old[end - 1] + 1 { end += 1 }
                let kept = try previous.noteRecordRange(from: Int(old[id]), to: Int(old[end - 1]) + 1)
                let base = UInt64(notes.count)
                for k in id..<end {
                    noteOffsets.append(base + UInt64(kept.offsets[k - id]))
                    tokenCounts.append(try previous.tokenCount(Int(old[k])))
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
        noteOffsets.append(UInt64(notes.count))

        // Entity -> notes: kept lists renumbered, plus the analyzed notes.
        var byEntity = [[Int32]](repeating: [], count: entityCount)
        if let previous {
            let lists = try previous.entityNotes()
            guard lists.count == entityCount else { throw CorruptIndex(reason: "entity lists do not match the lexicon") }
            for (e, list) in lists.enumerated() {
                for o in list where Int(o) < remap.count && remap[Int(o)] >= 0 { byEntity[e].append(remap[Int(o)]) }
            }
        }
        var touched = Set<Int32>()
        for run in outputs {
            for (e, id) in run.entityNotes {
                byEntity[Int(e)].append(id)
                touched.insert(e)
            }
        }
        if previous != nil { for e in touched { byEntity[Int(e)].sort() } }

        // The graph: the previous sums minus the notes dropped or analyzed again, plus the runs.
        var builder = GraphBuilder(entityCount: entityCount)
        if let previous {
            builder = GraphBuilder(try previous.graph())
            for (o, id) in remap.enumerated() where id < 0 { builder.add(try previous.note(at: o), sign: -1) }
        }
        for run in outputs { builder.merge(run.graph) }
        var hashes: [UInt64] = []
        if outputs.contains(where: { !$0.hashes.isEmpty }) {
            hashes = [UInt64](repeating: 0, count: n)
            for run in outputs { for (k, id) in run.ids.enumerated() where k < run.hashes.count { hashes[Int(id)] = run.hashes[k] } }
        }
        return Assembled(notes: notes, hashes: hashes, noteOffsets: noteOffsets, tokenCounts: tokenCounts,
            entityNotes: byEntity, graph: builder.graph())
    }

    /// The dictionary and postings of the new index: the previous terms' lists renumbered,
    /// merged with the runs' lists, in byte order of the terms.
    static func mergeTerms(_ runs: inout [PostingLists], previous: IndexReader?, remap: [Int32]) throws(CorruptIndex) -> TermsWriter {
        // The runs' terms, interned once, each with the runs that have it (in run order).
        var table = TermTable(capacity: runs.first?.table.count ?? 16)
        var sources: [[(run: Int32, term: Int32)]] = []
        for (r, run) in runs.enumerated() {
            for t in 0..<run.termCount {
                let g = Int(run.table.withBytes(t) { table.intern($0) })
                if g == sources.count { sources.append([]) }
                sources[g].append((Int32(r), Int32(t)))
            }
        }
        let order = table.sortedIDs()
        let oldTotal = try previous?.termTotal() ?? 0

        // Two halves of the dictionary on two cores, split at an old term. The reader checks
        // every posting block first, so that the halves only read it.
        let halves = oldTotal >= 1024 && sysconf(Int32(_SC_NPROCESSORS_ONLN)) > 1 ? 2 : 1
        guard halves == 2, let previous else {
            return try mergeTerms(&runs, table, sources, order, previous, remap, old: 0..<oldTotal, new: 0..<order.count)
        }
        try previous.verifyAllPostings()
        // Split where half of the postings' bytes lie on each side.
        let split = min(max(1, try previous.termIndex(atPostingOffset: try previous.postingsByteCount() / 2)), oldTotal - 1)
        let splitTerm = try previous.termBytes(split)
        var lo = 0
        var hi = order.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if table.withBytes(Int(order[mid]), { compareBytes($0, splitTerm) }) < 0 { lo = mid + 1 } else { hi = mid }
        }
        let newSplit = lo
        let results = SharedSlots<Result<TermsWriter, CorruptIndex>>(count: 2)
        let inputs = UncheckedSendable((runs, table, sources, order, previous, remap))
        DispatchQueue.concurrentPerform(iterations: 2) { h in
            var (runs, table, sources, order, previous, remap) = inputs.value
            let old = h == 0 ? 0..<split : split..<oldTotal
            let new = h == 0 ? 0..<newSplit : newSplit..<order.count
            do throws(CorruptIndex) {
                results.put(h, .success(try mergeTerms(&runs, table, sources, order, previous, remap, old: old, new: new)))
            } catch {
                results.put(h, .failure(error))
            }
        }
        guard var out = try results.take(0)?.get(), let second = try results.take(1)?.get() else {
            throw CorruptIndex(reason: "postings could not be merged")
        }
        out.append(second)
        return out
    }

    /// Merges old terms `old` with new terms `order[new]`.
    private static func mergeTerms(
        _ runs: inout [PostingLists], _ table: TermTable, _ sources: [[(run: Int32, term: Int32)]], _ order: [Int32],
        _ previous: IndexReader?, _ remap: [Int32], old: Range<Int>, new: Range<Int>
    ) throws(CorruptIndex) -> TermsWriter {
        var out = TermsWriter()
        // On a build, room for the runs' lists, so that the buffer is not copied as it grows.
        if let previous {
            // Notes added or removed renumber the notes after them, so many lists have new
            // bytes: room for them all (the first half holds the second when they are joined).
            if remap.enumerated().contains(where: { $0.element >= 0 && $0.element != Int32($0.offset) }) {
                let whole = try previous.postingsByteCount()
                out.post.bytes.reserveCapacity((old.lowerBound == 0 ? whole : whole / 2) + whole / 8 + 4096)
            }
        } else {
            out.post.bytes.reserveCapacity(runs.reduce(0) { $0 + $1.byteCount + 5 * $1.termCount })
        }
        var entries: [UInt8] = []
        // Runs of old entries kept as they are: where they go in `entries`, and where they are
        // in the old list.
        var kept: [(Int, Range<Int>)] = []
        var i = old.lowerBound
        var j = new.lowerBound
        let oldTotal = old.upperBound
        let orderEnd = new.upperBound
        while i < oldTotal || j < orderEnd {
            var side = 0  // -1: old term only, 1: new term only, 0: both
            let oldTerm: UnsafeRawBufferPointer? = i < oldTotal ? try previous?.termBytes(i) : nil
            if let oldTerm, j < orderEnd {
                let c = table.withBytes(Int(order[j])) { compareBytes(oldTerm, $0) }
                side = c < 0 ? -1 : (c > 0 ? 1 : 0)
            } else {
                side = oldTerm != nil ? -1 : 1
            }
            let news = side >= 0 && j < orderEnd ? sources[Int(order[j])] : []
            if side == 1 {
                // Only new entries: the runs' lists one after another, each first gap re-based.
                table.withBytes(Int(order[j])) { out.begin(term: $0) }
                VarInt.append(UInt64(news.reduce(0) { $0 + Int(runs[Int($1.run)].count(Int($1.term))) }), to: &out.post.bytes)
                var last: Int32 = -1
                for (r, t) in news {
                    let (r, t) = (Int(r), Int(t))
                    let first = runs[r].firstNote(t)
                    var rebased = false
                    runs[r].forEachSpan(t) { raw in
                        if rebased {
                            out.post.bytes.appendBytes(raw)
                            return
                        }
                        // The first block holds the whole first entry, so its gap is here.
                        var k = 0
                        _ = VarInt.read(raw, &k, end: raw.count)
                        VarInt.append(UInt64(UInt32(bitPattern: first &- last &- 1)), to: &out.post.bytes)
                        out.post.bytes.appendBytes(UnsafeRawBufferPointer(rebasing: raw[k...]))
                        rebased = true
                    }
                    last = runs[r].lastNote(t)
                }
                out.end()
                j += 1
                continue
            }
            // Old entries renumbered (dropped notes left out), merged with the new ones.
            guard let previous, let oldTerm else { break }
            let oldList = try previous.postingBytes(at: i)
            entries.removeAll(keepingCapacity: true)
            kept.removeAll(keepingCapacity: true)
            var count = 0
            var last: Int32 = -1
            @inline(__always) func put(_ note: Int32, _ positions: UnsafeRawBufferPointer) {
                VarInt.append(UInt64(UInt32(bitPattern: note &- last &- 1)), to: &entries)
                VarInt.append(UInt64(positions.count), to: &entries)
                entries.appendBytes(positions)
                last = note
                count += 1
            }
            var fresh = EntryStream(news.map { (r, t) in runs[Int(r)].bytes(Int(t)) })
            var hasFresh = fresh.next()
            var cursor = EntryCursor(oldList)
            guard let total = cursor.start() else { throw CorruptIndex(reason: "bad posting list") }
            // Whether the list stays as it was: then it is kept whole.
            var same = !hasFresh
            // Entries whose gap is unchanged stay as they are, a run at a time: a long run is
            // kept (referred to, in a delta), a short one copied.
            var spanStart = -1
            @inline(__always) func flush(_ end: Int) {
                if spanStart >= 0 {
                    if end - spanStart >= Pass.keptSpanMinimum {
                        kept.append((entries.count, spanStart..<end))
                    } else {
                        entries.appendBytes(UnsafeRawBufferPointer(rebasing: oldList[spanStart..<end]))
                    }
                    spanStart = -1
                }
            }
            for _ in 0..<total {
                let start = cursor.i
                guard cursor.next(), Int(cursor.note) < remap.count else { throw CorruptIndex(reason: "bad posting list") }
                let id = remap[Int(cursor.note)]
                if id < 0 {
                    flush(start)
                    same = false
                    continue
                }
                if hasFresh && fresh.note < id {
                    flush(start)
                    while hasFresh && fresh.note < id {
                        fresh.withPositions { put(fresh.note, $0) }
                        hasFresh = fresh.next()
                    }
                }
                if UInt64(UInt32(bitPattern: id &- last &- 1)) == cursor.gap {
                    if spanStart < 0 { spanStart = start }
                    last = id
                    count += 1
                } else {
                    flush(start)
                    put(id, cursor.positions)
                    same = false
                }
            }
            let listStart = try previous.postingRange(at: i).lowerBound
            if same {
                out.begin(term: oldTerm)
                out.post.keep(listStart..<(listStart + oldList.count))
                out.end()
                i += 1
                if side == 0 { j += 1 }
                continue
            }
            flush(cursor.i)
            while hasFresh {
                fresh.withPositions { put(fresh.note, $0) }
                hasFresh = fresh.next()
            }
            if count > 0 {
                out.begin(term: oldTerm)
                VarInt.append(UInt64(count), to: &out.post.bytes)
                var at = 0
                for (position, span) in kept {
                    out.post.bytes.append(contentsOf: entries[at..<position])
                    out.post.keep((listStart + span.lowerBound)..<(listStart + span.upperBound))
                    at = position
                }
                out.post.bytes.append(contentsOf: entries[at...])
                out.end()
            }
            i += 1
            if side == 0 { j += 1 }
        }
        return out
    }

    static func compareBytes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let n = min(a.count, b.count)
        if n > 0 {
            let c = memcmp(a.baseAddress!, b.baseAddress!, n)
            if c != 0 { return Int(c) }
        }
        return a.count - b.count
    }
}

/// Walks the entries of one encoded posting list in the previous index file.
struct EntryCursor {
    let base: UnsafeRawBufferPointer
    var i = 0
    var note: Int32 = -1
    /// The gap read for the current entry.
    var gap: UInt64 = 0
    private var positionStart = 0

    init(_ base: UnsafeRawBufferPointer) { self.base = base }

    /// Reads the entry count.
    mutating func start() -> Int? {
        guard let n = VarInt.read(base, &i, end: base.count), n <= UInt64(base.count) else { return nil }
        return Int(n)
    }

    /// A varint; gaps and lengths are nearly always one byte.
    @inline(__always) private mutating func varint() -> UInt64? {
        if i < base.count && base[i] < 0x80 {
            i += 1
            return UInt64(base[i - 1])
        }
        return VarInt.read(base, &i, end: base.count)
    }

    /// Reads the next entry; false if the list is damaged.
    @inline(__always) mutating func next() -> Bool {
        let end = base.count
        guard let gap = varint(), let length = varint(), gap < UInt64(Int32.max), length <= UInt64(end - i) else {
            return false
        }
        let id = Int64(note) + 1 + Int64(gap)
        guard id <= Int64(Int32.max) else { return false }
        self.gap = gap
        note = Int32(id)
        positionStart = i
        i += Int(length)
        return true
    }

    /// The current entry's encoded positions.
    var positions: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: base[positionStart..<i]) }
}

/// The entries of several lists built in this pass (runs in id order) as one stream.
struct EntryStream {
    let lists: [[UInt8]]
    var list = 0
    var i = 0
    var note: Int32 = -1
    var range = 0..<0

    init(_ lists: [[UInt8]]) { self.lists = lists }

    mutating func next() -> Bool {
        while list < lists.count {
            if i < lists[list].count {
                let ok: Bool = lists[list].withUnsafeBytes { raw in
                    guard let gap = VarInt.read(raw, &i, end: raw.count), let length = VarInt.read(raw, &i, end: raw.count) else {
                        return false
                    }
                    note = Int32(truncatingIfNeeded: Int64(note) + 1 + Int64(gap))
                    range = i..<(i + Int(length))
                    i += Int(length)
                    return true
                }
                if ok { return true }
            }
            list += 1
            i = 0
            note = -1
        }
        return false
    }

    func withPositions(_ body: (UnsafeRawBufferPointer) -> Void) {
        lists[list].withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[range])) }
    }
}

/// A flag raised by one worker and seen by the others.
final class StopFlag: @unchecked Sendable {
    private var value = false
    private let lock = PthreadMutex()
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}

/// Slots written and taken by concurrent workers, each slot by one worker only.
final class SharedSlots<T>: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<T?>

    init(count: Int) {
        slots = .allocate(capacity: max(count, 1))
        slots.initialize(repeating: nil)
    }

    deinit {
        _ = slots.deinitialize()
        slots.deallocate()
    }

    func put(_ i: Int, _ value: T) { slots[i] = value }

    func take(_ i: Int) -> T? {
        let v = slots[i]
        slots[i] = nil
        return v
    }
}

/// A value handed to concurrent workers that only read it.
struct UncheckedSendable<V>: @unchecked Sendable {
    let value: V
    init(_ value: V) { self.value = value }
}

extension Array where Element == UInt8 {
    /// Appends raw bytes with one copy (a raw buffer or its slice would be appended byte by
    /// byte through the generic path).
    @inline(__always) mutating func appendBytes(_ raw: UnsafeRawBufferPointer) {
        guard let base = raw.baseAddress, raw.count > 0 else { return }
        append(contentsOf: UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: raw.count))
    }
}

extension NoteParts {
    /// The note sections of what a pass assembled.
    init(lexicon: Lexicon, files: [FileEntry], _ a: Pass.Assembled) {
        self.init(lexicon: lexicon, files: files, notes: a.notes, noteOffsets: a.noteOffsets, tokenCounts: a.tokenCounts,
            entityNotes: a.entityNotes, graph: a.graph)
    }
}
