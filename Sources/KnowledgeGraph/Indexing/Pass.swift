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
    /// A speculative pass met a note whose front matter defines an entity, or that is not
    /// text: check first. With the content hash of each note it read and analysed before
    /// stopping (by id), which the check need not read again.
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
        /// The front-matter aliases of the notes a speculative pass read that have them.
        var aliases: [(id: Int32, aliases: [String])] = []
    }

    /// Analyzes what needs it and builds the new index's parts. `assembled` is handed the note
    /// sections as soon as they are ready (on a build, on one core while the postings are
    /// still merged on the other), so that they can be written meanwhile.
    ///
    /// `speculative`: the notes were not checked before. Each is read once here, hashed, and
    /// analysed with the lexicon as it is; the pass stops with `.speculationFailed` at the
    /// first note that defines an entity (the lexicon would change) or cannot be read as text.
    /// A note's front-matter aliases go into the file table. `noteSizes`: the notes' sizes
    /// in bytes by id (as `notePaths`), by which the notes are shared out among the runs.
    static func run(
        notePaths: [String], noteSizes: [Int], previousNotePaths: [String], fresh: inout [PathKey: String], changed: Set<PathKey>,
        previous: IndexReader?,
        analyzer: Analyzer, vault: Vault, speculative: Bool = false, entityMap: [Int32]? = nil, progress: (@Sendable (Int, Int) -> Void)?,
        assembled: @escaping (Assembled) -> Void
    ) throws(PassFailure) -> Pass {
        var pass = Pass()
        let t0 = monotonicSeconds()
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
        // The notes read or changed, by id: a few are found by binary search in the sorted
        // paths (no key is made and hashed for every path of the vault); many, by hashing.
        var marks: [UInt8]?
        if fresh.count + changed.count <= n / 16 {
            var m = [UInt8](repeating: 0, count: n)
            for k in fresh.keys { if let id = k.bytes.withUnsafeBytes({ notePaths.sortedIndex(ofBytes: $0) }) { m[id] |= 1 } }
            for k in changed { if let id = k.bytes.withUnsafeBytes({ notePaths.sortedIndex(ofBytes: $0) }) { m[id] |= 2 } }
            marks = m
        }
        // The paths are read where they lie (a save pairs every path of the vault).
        notePaths.withUnsafeBufferPointer { notePaths in
            previousNotePaths.withUnsafeBufferPointer { previousNotePaths in
                for id in notePaths.indices {
                    if !fresh.isEmpty, marks.map({ $0[id] & 1 != 0 }) ?? true, let text = fresh.removeValue(forKey: PathKey(notePaths[id])) {
                        texts.put(id, text)
                        work.append(Int32(id))
                        continue
                    }
                    if !changed.isEmpty, marks.map({ $0[id] & 2 != 0 }) ?? changed.contains(PathKey(notePaths[id])) {
                        work.append(Int32(id))
                        continue
                    }
                    if previous != nil {
                        let path = notePaths[id].utf8
                        let same = o < oldCount && previousNotePaths[o].utf8.bytesEqual(path)
                        while !same && o < oldCount && previousNotePaths[o].utf8.bytesPrecede(path) { o += 1 }
                        if same || (o < oldCount && !path.bytesPrecede(previousNotePaths[o].utf8)) {
                            old[id] = Int32(o)
                            continue
                        }
                    }
                    work.append(Int32(id))
                }
            }
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
        let stop = StopFlag()
        // Runs shared out by bytes, not counts (notes differ in length), each shorter than the
        // one before (run r takes a share of runCount − r): the cores take the next run as
        // they finish one, and the last runs are short, so that neither core works alone long.
        var bounds = [Int](repeating: work.count, count: runCount + 1)
        if runCount > 0 {
            func weight(_ id: Int32) -> Int { noteSizes[Int(id)] + 256 }
            let bytes = work.reduce(0) { $0 + weight($1) }
            let shares = runCount * (runCount + 1) / 2
            var before = 0
            var r = 0
            var upTo = 0
            for (w, id) in work.enumerated() {
                // Run r starts once the runs before it have their shares.
                while r < runCount && before * shares >= bytes * upTo {
                    bounds[r] = w
                    upTo += runCount - r
                    r += 1
                }
                before += weight(id)
            }
        }
        let shared = UncheckedSendable((work, notePaths, bounds))
        DispatchQueue.concurrentPerform(iterations: runCount) { r in
            let (work, notePaths, bounds) = shared.value
            var run = Run(graph: GraphBuilder(entityCount: entityCount))
            var scratch: [UInt8] = []
            for w in bounds[r]..<bounds[r + 1] {
                let id = work[w]
                let path = notePaths[Int(id)]
                let scalars: [UInt32]
                if let t = texts.take(Int(id)) {
                    scalars = Scalars.values(of: t)
                } else if speculative {
                    if stop.isSet { break }
                    guard case .success(let bytes) = vault.read(path, limit: Vault.noteSizeLimit),
                        case .success(let s) = Vault.scalars(of: bytes)
                    else {
                        stop.set()
                        break
                    }
                    scalars = s
                    if let head = Analyzer.head(path: path, scalars: scalars) {
                        // An entity changes the lexicon; aliases only go into the file table.
                        if head.entity != nil {
                            stop.set()
                            break
                        }
                        run.aliases.append((id, head.aliases))
                    }
                    run.hashes.append(Checksum.of(bytes))
                } else {
                    switch vault.scalars(path) {
                    case .success(let s): scalars = s
                    case .failure(let f):
                        run.failures.append(f)
                        continue
                    }
                }
                run.postings.beginNote(id)
                let record = analyzer.analyze(path: path, scalars: scalars, scratch: &scratch) { bytes, p in
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
        trace("notes analysed (this pass)", t0)
        var outputs: [Run] = (0..<runCount).map { runs.take($0) ?? Run(graph: GraphBuilder(entityCount: entityCount)) }
        if stop.isSet {
            var read = [UInt64?](repeating: nil, count: n)
            for run in outputs { for (k, id) in run.ids.enumerated() where k < run.hashes.count { read[Int(id)] = run.hashes[k] } }
            // The check reads the notes with aliases again, to keep them in the file table.
            for run in outputs { for (id, _) in run.aliases { read[Int(id)] = nil } }
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
                // A build: the records and graph on one core while the terms are ordered on
                // the other; then both cores merge the postings (`BuildMerge`).
                let merge = BuildMerge()
                let lists = SharedSlots<[PostingLists]>(count: 1)
                lists.put(0, postings)
                postings = []
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
                        merge.prepare(lists.take(0) ?? [], helpers: 2)
                    }
                }
                DispatchQueue.concurrentPerform(iterations: 2) { _ in merge.help() }
                guard let a = try rest.take(0)?.get() else { throw CorruptIndex(reason: "the index could not be assembled") }
                (pass.noteCount, pass.tokenTotal) = a
                pass.terms = try merge.joined()
            } else {
                let a = try assemble(outputs, old: old, previous: previous, remap: remap, entityCount: entityCount,
                    entityMap: previous == nil ? nil : entityMap)
                outputs = []
                (pass.noteCount, pass.tokenTotal) = (a.tokenCounts.count, a.tokenCounts.reduce(0) { $0 + Int($1) })
                trace("notes assembled (this pass)", t0)
                assembled(a)
                pass.terms = try mergeTerms(&postings, previous: previous, remap: remap)
            }
        } catch {
            throw .damaged(error.reason)
        }
        trace("postings merged (this pass)", t0)
        return pass
    }
}
