#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension Indexer {
    /// How writing a new index ended.
    enum Written {
        case committed(IndexReader)
        /// A first build's guess failed (a note defines an entity or is not text): check the
        /// notes first. With the content hashes, by id, of the notes it read.
        case guessFailed([UInt64?])
        /// A note could not be read any more while discovery's statistics counted it: start
        /// over from the change check.
        case again
    }

    /// Analyses what changed and writes the new index: whole (a build, or an update that
    /// changes much) or as a delta over the base file, then commits it and reads it back.
    ///
    /// The note sections are written as soon as they are ready (on a build, while the postings
    /// are merged; on an update, once it is known whether the file will be whole or a delta),
    /// the dictionary and postings after, the header last. Damage found in the previous index
    /// while it is read starts the pass over as a rebuild; a note that cannot be read any more
    /// is marked skipped and the pass starts over.
    func write(
        _ changes: inout ChangeSet, lexicon: LexiconBuild, discovery: DiscoveryBuild?, entityChange: EntityChange? = nil,
        previous: PreviousIndex, report: inout IndexReport,
        speculate: Bool,
        options: Options, notice: (String) -> Void, progress: (@Sendable (Int, Int) -> Void)?, started: Double
    ) throws(KGError) -> Written {
        var old: IndexReader?
        if report.rebuildReason == nil, let reader = previous.reader {
            do {
                _ = try reader.noteCount()
                _ = try reader.termTotal()
                old = reader
            } catch {
                notice("the index was unreadable (\(error.reason)); rebuilding it from the notes")
                report.rebuildReason = "index was damaged (\(error.reason))"
            }
        }
        // The notes of the new index, in path order (a note's id is its position): kept from
        // the previous index, or analysed (what changed, or everything on a rebuild).
        let analyzer = Analyzer(lexicon: lexicon.lexicon, discover: discovery != nil, extracted: discovery?.extracted)
        let discoverySection = discovery?.section ?? []
        let previousNotePaths = previous.notePaths
        // Notes whose text is unchanged are analysed again where a discovered name came or went.
        let changed = old == nil ? changes.changed : changes.changed.union(entityChange?.notes ?? [])
        var files = changes.files
        // The texts read by the check are held here only, so that each is freed once analysed.
        var fresh = changes.fresh
        changes.fresh = [:]
        // Temp files of a writer killed mid-commit: only the lock holder writes, so any that
        // exist are stale.
        removeStaleTempFiles()
        var pass: Pass
        var file: IndexFileWriter
        var delta = false
        // An update's entity lists, handed to the reader of the file it writes.
        var entityNotes: [[Int32]]?
        while true {
            file = try IndexFileWriter(path: indexPath)
            delta = false
            let held = SharedSlots<Pass.Assembled>(count: 1)
            let noteParts = UncheckedSendable((file, lexicon.lexicon, files, old == nil, discoverySection))
            do throws(PassFailure) {
                pass = try Pass.run(notePaths: files.notePaths, noteSizes: files.noteSizes,
                    previousNotePaths: previousNotePaths, fresh: &fresh, changed: changed, previous: old, analyzer: analyzer,
                    vault: vault, speculative: speculate, entityMap: old == nil ? nil : entityChange?.moving, progress: progress
                ) { a in
                    let (file, lexicon, _, build, discovery) = noteParts.value
                    guard build else { return held.put(0, a) }
                    var files = noteParts.value.2
                    if !a.hashes.isEmpty {
                        // Read by the pass, by note id: the notes of the file table in order.
                        var id = 0
                        for k in files.indices where files[k].skipReason == nil && id < a.hashes.count {
                            files[k].hash = a.hashes[id]
                            if let aliases = a.aliases[Int32(id)] { files[k].aliases = aliases }
                            id += 1
                        }
                    }
                    file.add(NoteParts(lexicon: lexicon, files: files, a, discovery: discovery).sections())
                    file.add(.notes, new: [a.notes.bytes] + a.recordChunks)
                }
                do throws(CorruptIndex) {
                    var base: (UInt64, Int)?
                    trace("pass done", started)
                    if let old, let a = held.take(0) {
                        entityNotes = a.entityNotes
                        var parts = NoteParts(lexicon: lexicon.lexicon, files: files, a, discovery: discoverySection)
                        parts.previousFileTable = previous.fileTableBlocks(rechecked: changes.recheckedSlots)
                        let sections = parts.sections()
                        trace("note sections encoded", started)
                        // What a delta repeats whole, and what the index may take on disk: no
                        // more than the notes themselves.
                        let repeated = sections.reduce(pass.terms.dictionaryByteCount) { $0 + $1.1.count }
                        let notesSize = files.totalSize
                        base = try deltaBase(old.file, notes: a.notes, postings: pass.terms.post, share: options.deltaShare,
                            repeated: repeated, notesSize: notesSize, slack: options.compact ? 1 : options.footprintSlack)
                        if base != nil && !old.isDelta && !makeBase() { base = nil }
                        delta = base != nil
                        file.add(sections)
                        try IndexFileWriter.layout(.notes, a.notes, previous: old, delta: delta) { file.add(.notes, $0, delta: delta) }
                    }
                    trace(delta ? "analyzed and merged, writing a delta" : "analyzed and merged", started)
                    // The dictionary and postings, then the header.
                    file.add(IndexParts.sections(fingerprint: lexicon.fingerprint, matchFingerprint: lexicon.matchFingerprint, noteCount: pass.noteCount, tokenTotal: pass.tokenTotal,
                        entityCount: lexicon.lexicon.entities.count, terms: pass.terms, base: base))
                    trace("dictionary written", started)
                    try IndexFileWriter.layout(.postings, pass.terms.post, previous: old, delta: delta) {
                        file.add(.postings, $0, delta: delta)
                    }
                } catch {
                    throw .damaged(error.reason)
                }
                break
            } catch {
                // The next attempt writes a new temp file under the same name.
                file.abandon()
                switch error {
                case .speculationFailed(let read):
                    trace("a note defines an entity or is not text: checking the notes first", started)
                    return .guessFailed(read)
                case .damaged(let reason):
                    guard old != nil else { throw KGError.failure("the index could not be built: \(reason)") }
                    notice("the index was unreadable (\(reason)); rebuilding it from the notes")
                    report.rebuildReason = "index was damaged (\(reason))"
                    old = nil
                case .unreadable(let failed):
                    // Discovery counted what these notes said: count again without them.
                    if discovery != nil { return .again }
                    for f in failed {
                        if let i = files.firstIndex(where: { $0.path.utf8.bytesEqual(f.path.utf8) }) {
                            files[i] = FileEntry(path: f.path, stat: files[i].stat, hash: files[i].hash, skipReason: f.reason)
                        }
                        report.skipped.append(f)
                    }
                }
            }
        }
        report.skipped.sort { $0.path.utf8.bytesPrecede($1.path.utf8) }
        report.analyzed = pass.analyzed.count
        for id in pass.analyzed {
            let path = pass.paths[Int(id)]
            let before = previous.entry(path)
            if before == nil || before?.skipReason != nil {
                report.added.append(path)
            } else if before?.hash != FileEntry.find(path, in: files)?.hash {
                report.changed.append(path)
            } else {
                report.unchanged += 1
            }
        }
        report.unchanged += pass.keptCount

        // Commit. A whole file needs no base any more.
        let paths = pass.paths
        pass = Pass()
        try file.commit()
        if !delta { unlink(basePath) }
        trace("written", started)
        report.wroteIndex = true
        do throws(CorruptIndex) {
            guard let r = try IndexReader.load(path: indexPath, written: file.inode, previous: old) else { throw CorruptIndex(reason: "it is missing") }
            // An update wrote this file table as it is (a build filled in hashes on its own copy).
            if old != nil { r.knowFiles(files, notePaths: paths, entityNotes: entityNotes, discovery: discovery?.stats, written: file.inode) }
            return .committed(r)
        } catch {
            throw KGError.failure("the index just written does not read back: \(error.reason)")
        }
    }

    /// The base a delta of these sections would be written over (its header checksum and
    /// size), if the delta would hold less than `share` of the base's notes and postings, and
    /// base and delta together (the delta repeating `repeated` bytes whole) would fit in the
    /// room the index may take (`Indexer.room`).
    private func deltaBase(_ previous: IndexFile, notes: SectionPieces, postings: SectionPieces, share: Double,
        repeated: Int, notesSize: Int, slack: Double) throws(CorruptIndex) -> (UInt64, Int)?
    {
        let base = previous.base ?? previous
        let footprintLimit = Indexer.room(notes: notesSize, base: base.byteCount, slack: slack)
        var held = notes.bytes.count + postings.bytes.count
        if previous.isDelta {
            // What the previous delta holds itself of the kept pieces is copied into the new one.
            for (s, pieces) in [(Section.notes, notes), (.postings, postings)] {
                for p in pieces.pieces where p.kept {
                    for part in try previous.stored(s, p.start..<(p.start + p.length)) where !part.inBase { held += part.physical.count }
                }
            }
        }
        let whole = try base.logicalCount(.notes) + base.logicalCount(.postings)
        // Every query reads the extents: past a bound, a whole file reads faster.
        let extents = notes.pieces.count + postings.pieces.count + previous.extentCount
        guard share > 0, Double(held) <= Double(whole) * share, extents <= Indexer.deltaExtentLimit,
            share.isInfinite || base.byteCount + repeated + held + 20 * extents <= footprintLimit
        else { return nil }
        return (base.headerChecksum, base.byteCount)
    }

    /// Makes the current (whole) index file the base of a delta, under a second name; false if
    /// the file system cannot link it.
    private func makeBase() -> Bool {
        let temp = indexFolder + "/index.tmp-base"
        unlink(temp)
        if link(indexPath, temp) == 0 && rename(temp, basePath) == 0 { return true }
        unlink(temp)
        return false
    }

    private func removeStaleTempFiles() {
        guard let dir = opendir(indexFolder) else { return }
        var stale: [String] = []
        while let ent = readdir(dir) {
            let name = withUnsafeBytes(of: ent.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
            if name.hasPrefix("index.tmp-") { stale.append(name) }
        }
        closedir(dir)
        for name in stale { unlink(indexFolder + "/" + name) }
    }
}
