#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Dispatch

extension Pass {
    /// Runs of unchanged old entries at least this long are kept rather than copied, so that
    /// a delta refers to them; shorter ones are not worth an extent.
    static let keptSpanMinimum = 512

    /// The dictionary and postings of the new index: the previous terms' lists renumbered,
    /// merged with the runs' lists, in byte order of the terms.
    static func mergeTerms(_ runs: inout [PostingLists], previous: IndexReader?, remap: [Int32]) throws(CorruptIndex) -> TermsWriter {
        let (table, sources, order) = mergeOrder(runs)
        let oldTotal = try previous?.termTotal() ?? 0
        let segments = Pass.segments(remap)

        // Two halves of the dictionary on two cores, split at an old term, when the update
        // reads much of it. The reader checks every posting block first, so that the halves
        // only read it. A small update reads few lists (see `segments`): one core.
        let halves = oldTotal >= 1024 && order.count >= 4096 && sysconf(Int32(_SC_NPROCESSORS_ONLN)) > 1 ? 2 : 1
        guard halves == 2, let previous else {
            return try mergeTerms(&runs, table, sources, order, previous, remap, segments, old: 0..<oldTotal, new: 0..<order.count)
        }
        try previous.file.verifyAll(.postings)
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
        let inputs = UncheckedSendable((runs, table, sources, order, previous, remap, segments))
        DispatchQueue.concurrentPerform(iterations: 2) { h in
            var (runs, table, sources, order, previous, remap, segments) = inputs.value
            let old = h == 0 ? 0..<split : split..<oldTotal
            let new = h == 0 ? 0..<newSplit : newSplit..<order.count
            do throws(CorruptIndex) {
                results.put(h, .success(try mergeTerms(&runs, table, sources, order, previous, remap, segments, old: old, new: new)))
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

    /// For each old note id, the last old id up to which the notes are all kept and move
    /// by the same offset (-1 for a note dropped or analysed again). An old list without new
    /// entries whose notes lie within one segment changes at most in its first gap, which is
    /// known without reading the rest: with its last note (in the dictionary), an update of
    /// a few notes reads only the lists that hold them.
    static func segments(_ remap: [Int32]) -> [Int32] {
        var out = [Int32](repeating: -1, count: remap.count)
        var k = remap.count - 1
        while k >= 0 {
            if remap[k] >= 0 {
                let next = k + 1
                if next < remap.count && remap[next] >= 0 && remap[next] - Int32(next) == remap[k] - Int32(k) {
                    out[k] = out[next]
                } else {
                    out[k] = Int32(k)
                }
            }
            k -= 1
        }
        return out
    }

    /// The old notes an update drops or analyses again, ascending, when it keeps every other
    /// note's id and changes at most a few (a save); else none.
    static func changedInPlace(_ remap: [Int32]) -> [Int32] {
        var changed: [Int32] = []
        for (k, id) in remap.enumerated() {
            if id < 0 {
                changed.append(Int32(k))
                if changed.count > 64 { return [] }
            } else if id != Int32(k) {
                return []
            }
        }
        return changed
    }

    /// Whether the encoded list `list`, whose first and last notes are `first` and `last`,
    /// holds any of `notes` (ascending); nil if the list is damaged. A long list is entered
    /// at its last sample before each note (`ListSkips`): a few entries are stepped over.
    static func holds(_ list: UnsafeRawBufferPointer, anyOf notes: [Int32], between first: Int, and last: Int) -> Bool? {
        var cursor = EntryCursor(list)
        guard let total = cursor.start(), let end = ListSkips.entriesEnd(list, count: total) else { return nil }
        let samples = ListSkips.Samples(list, total: total, entriesStart: cursor.i)
        cursor = EntryCursor(UnsafeRawBufferPointer(rebasing: list[..<end]), at: cursor.i)
        for c in notes where Int(c) >= first && Int(c) <= last {
            if let s = samples?.last(before: c), s.offset > cursor.i {
                cursor.i = s.offset
                cursor.note = s.previous
            }
            _ = cursor.skip(through: c - 1, atMost: Int.max)
            guard cursor.i < end else { return false }
            var probe = cursor
            guard probe.next() else { return nil }
            if probe.note == c { return true }
        }
        return false
    }

    /// Appends the list of a term only the runs have (`news`: its lists in them, in note
    /// order) to `out`: the count, the runs' entries one after another with each first gap
    /// re-based, then the skip samples. Returns its first and last note; nil if damaged.
    static func appendNew(_ runs: [PostingLists], _ news: [(run: Int32, term: Int32)],
        to out: inout TermsWriter) -> (Int32, Int32)?
    {
        let total = news.reduce(0) { $0 + Int(runs[Int($1.run)].count(Int($1.term))) }
        VarInt.append(UInt64(total), to: &out.post.bytes)
        let entriesStart = out.post.bytes.count
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
        if total >= ListSkips.minimumCount {
            var skips = ListSkips.Builder(count: total)
            let read = out.post.bytes.withUnsafeBytes { skips.add(UnsafeRawBufferPointer(rebasing: $0[entriesStart...])) }
            guard read, let trailer = skips.trailer() else { return nil }
            out.post.bytes += trailer
        }
        return (news.first.map { runs[Int($0.run)].firstNote(Int($0.term)) } ?? -1, last)
    }

    /// The runs' terms, interned once, each with the runs that have it (in run order), and
    /// their ids in byte order.
    static func mergeOrder(_ runs: [PostingLists]) -> (TermTable, [[(run: Int32, term: Int32)]], [Int32]) {
        var table = TermTable(capacity: runs.first?.table.count ?? 16)
        var sources: [[(run: Int32, term: Int32)]] = []
        for (r, run) in runs.enumerated() {
            for t in 0..<run.termCount {
                let g = Int(run.table.withBytes(t) { table.intern($0) })
                if g == sources.count { sources.append([]) }
                sources[g].append((Int32(r), Int32(t)))
            }
        }
        return (table, sources, table.sortedIDs())
    }

    /// Merges old terms `old` with new terms `order[new]`. On a build, `reserve` is the room
    /// to make for the new lists (all of the runs' bytes when nil).
    static func mergeTerms(
        _ runs: inout [PostingLists], _ table: TermTable, _ sources: [[(run: Int32, term: Int32)]], _ order: [Int32],
        _ previous: IndexReader?, _ remap: [Int32], _ segments: [Int32], old: Range<Int>, new: Range<Int>, reserve: Int? = nil
    ) throws(CorruptIndex) -> TermsWriter {
        var out = TermsWriter()
        // The previous dictionary, located once: its terms are read in the loop below.
        let dictionary = try previous?.dictionary()
        let postingsEnd = try previous?.postingsByteCount() ?? 0
        // On a build, room for the runs' lists, so that the buffer is not copied as it grows.
        if let previous {
            // Notes added or removed renumber the notes after them, so many lists have new
            // bytes: room for them all (the first half holds the second when they are joined).
            if remap.enumerated().contains(where: { $0.element >= 0 && $0.element != Int32($0.offset) }) {
                let whole = try previous.postingsByteCount()
                out.post.bytes.reserveCapacity((old.lowerBound == 0 ? whole : whole / 2) + whole / 8 + 4096)
            }
        } else {
            out.post.bytes.reserveCapacity(reserve ?? runs.reduce(0) { $0 + $1.byteCount + 5 * $1.termCount })
        }
        // Lists of a file whose blocks are all checked (the watcher's own last file, or after
        // `verifyAll`) are read without checking each one's blocks again.
        let checked = previous?.file.isChecked(.postings) ?? false
        let file = previous?.file
        // A save that keeps every note's id and changes a few: a list whose notes span a
        // changed note without holding it stays as it is. Whether it holds it is read from
        // the list's skip samples and a few entries (`holds`), far cheaper than rewriting it.
        let changedInPlace = Pass.changedInPlace(remap)
        var entries: [UInt8] = []
        // Runs of old entries kept as they are (see `KeptSpan`).
        var kept: [KeptSpan] = []
        var i = old.lowerBound
        var j = new.lowerBound
        let oldTotal = old.upperBound
        let orderEnd = new.upperBound
        // Where the old terms before new term `order[j]` end (for `boundOf == j`).
        var bound = 0
        var boundOf = -1
        while i < oldTotal || j < orderEnd {
            if let dictionary, i < oldTotal {
                // Old terms before the next new one whose notes all stay where they were: their
                // lists are kept as they are, a run of terms at a time.
                if boundOf != j {
                    bound = j < orderEnd ? try dictionary.lowerBound(table.withBytes(Int(order[j])) { Array($0) }) : oldTotal
                    boundOf = j
                }
                var e = i
                let runEnd = min(bound, oldTotal)
                while e < runEnd {
                    let (first, last) = (dictionary.firstNote(e), dictionary.lastNote(e))
                    guard first <= last, last < remap.count, remap[first] == Int32(first) else { break }
                    if segments[first] < Int32(last) {
                        guard !changedInPlace.isEmpty, let file, remap[last] == Int32(last) else { break }
                        let (listStart, listEnd) = try dictionary.listOffsets(e)
                        guard listStart <= listEnd, listEnd <= postingsEnd,
                            Pass.holds(try file.logical(.postings, listStart..<listEnd, checked: checked), anyOf: changedInPlace,
                                between: first, and: last) == false
                        else { break }
                    }
                    e += 1
                }
                if e > i {
                    try out.keep(i..<e, of: dictionary, postingsEnd: postingsEnd)
                    i = e
                    continue
                }
            }
            var side = 0  // -1: old term only, 1: new term only, 0: both
            let oldTerm: UnsafeRawBufferPointer? = i < oldTotal ? try dictionary?.term(i) : nil
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
                let written = Pass.appendNew(runs, news, to: &out)
                guard let (first, last) = written else { throw CorruptIndex(reason: "bad posting list") }
                out.end(firstNote: first, lastNote: last)
                j += 1
                continue
            }
            // Old entries renumbered (dropped notes left out), merged with the new ones.
            guard let file, let dictionary, let oldTerm else { break }
            let (listStart, listEnd) = try dictionary.listOffsets(i)
            guard listStart <= listEnd, listEnd <= postingsEnd else { throw CorruptIndex(reason: "bad posting offsets") }
            if news.isEmpty, listEnd > listStart {
                // A short list is read whole at once (most are); a long one, its head.
                let whole = listEnd - listStart < Pass.keptSpanMinimum
                let head = try file.logical(.postings, listStart..<(whole ? listEnd : min(listEnd, listStart + 20)), checked: checked)
                // Skip data: the first note from the list's head, the last from the dictionary.
                var k = 0
                if let total = VarInt.read(head, &k, end: head.count), total > 0, let gap = VarInt.read(head, &k, end: head.count),
                    gap < UInt64(remap.count)
                {
                    let first = Int(gap)
                    let lastOld = dictionary.lastNote(i)
                    if lastOld < remap.count, first <= lastOld, segments[first] >= Int32(lastOld) {
                        let shift = remap[first] - Int32(first)
                        out.begin(term: oldTerm)
                        if shift == 0 {
                            out.post.keep(listStart..<listEnd)
                        } else {
                            // Only the first gap moves: the rest of the list stays as it is.
                            VarInt.append(total, to: &out.post.bytes)
                            VarInt.append(UInt64(remap[first]), to: &out.post.bytes)
                            let rest = (listStart + k)..<listEnd
                            if !whole {
                                out.post.keep(rest)
                            } else {
                                out.post.bytes.appendBytes(UnsafeRawBufferPointer(rebasing: head[k...]))
                            }
                        }
                        out.end(firstNote: remap[first], lastNote: Int32(lastOld) + shift)
                        i += 1
                        continue
                    }
                }
            }
            let wholeList = try file.logical(.postings, listStart..<listEnd, checked: checked)
            var cursor = EntryCursor(wholeList)
            guard let total = cursor.start(), let entriesEnd = ListSkips.entriesEnd(wholeList, count: total) else {
                throw CorruptIndex(reason: "bad posting list")
            }
            // The entries, without the samples (written again for the new list).
            let oldList = UnsafeRawBufferPointer(rebasing: wholeList[..<entriesEnd])
            let oldSamples = ListSkips.Samples(wholeList, total: total, entriesStart: cursor.i)
            cursor = EntryCursor(oldList, at: cursor.i)
            entries.removeAll(keepingCapacity: true)
            kept.removeAll(keepingCapacity: true)
            var count = 0
            var last: Int32 = -1
            var firstID: Int32 = -1
            @inline(__always) func put(_ note: Int32, _ positions: UnsafeRawBufferPointer) {
                if firstID < 0 { firstID = note }
                VarInt.append(UInt64(UInt32(bitPattern: note &- last &- 1)), to: &entries)
                VarInt.append(UInt64(positions.count), to: &entries)
                entries.appendBytes(positions)
                last = note
                count += 1
            }
            var fresh = EntryStream(news.map { (r, t) in runs[Int(r)].bytes(Int(t)) })
            var hasFresh = fresh.next()
            // Whether the list stays as it was: then it is kept whole.
            var same = !hasFresh
            // Entries whose gap is unchanged stay as they are, a run at a time: a long run is
            // kept (referred to, in a delta), a short one copied.
            var spanStart = -1
            // The span's first entry: its ordinal in the old and the new list, how far its note moved.
            var span = (old: 0, new: 0, shift: 0)
            @inline(__always) func open(_ start: Int, old: Int, shift: Int) {
                if spanStart < 0 {
                    spanStart = start
                    span = (old, count, shift)
                }
            }
            @inline(__always) func flush(_ end: Int) {
                if spanStart >= 0 {
                    if end - spanStart >= Pass.keptSpanMinimum {
                        kept.append(KeptSpan(position: entries.count, range: spanStart..<end, oldOrdinal: span.old, entries: count - span.new,
                            shift: span.shift, lastNote: last))
                    } else {
                        entries.appendBytes(UnsafeRawBufferPointer(rebasing: oldList[spanStart..<end]))
                    }
                    spanStart = -1
                }
            }
            let lastOld = dictionary.lastNote(i)
            var consumed = 0
            while consumed < total {
                let start = cursor.i
                guard cursor.next(), Int(cursor.note) < remap.count else { throw CorruptIndex(reason: "bad posting list") }
                consumed += 1
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
                    if firstID < 0 { firstID = id }
                    open(start, old: consumed - 1, shift: Int(id) - Int(cursor.note))
                    last = id
                    count += 1
                } else {
                    flush(start)
                    put(id, cursor.positions)
                    same = false
                }
                // The entries that follow in this note's segment keep their gaps (no new note
                // can lie between two notes of a segment): stepped over without looking at
                // their positions, and when they are all the rest of the list, not read at all.
                let x = Int(cursor.note)
                let segmentEnd = Int(segments[x])
                let shift = Int(id) - x
                if lastOld <= segmentEnd && lastOld < remap.count {
                    if consumed < total {
                        open(cursor.i, old: consumed, shift: shift)
                        count += total - consumed
                        consumed = total
                        cursor.i = oldList.count
                        last = Int32(lastOld + shift)
                    }
                } else if segmentEnd > x {
                    let from = cursor.i
                    var n = 0
                    // A long list is entered at its last sample within the segment.
                    if let s = oldSamples?.last(before: Int32(segmentEnd) + 1), s.ordinal > consumed, s.ordinal < total, s.offset > cursor.i {
                        n = s.ordinal - consumed
                        cursor.i = s.offset
                        cursor.note = s.previous
                    }
                    n += cursor.skip(through: Int32(segmentEnd), atMost: total - consumed - n)
                    if n > 0 {
                        open(from, old: consumed, shift: shift)
                        count += n
                        consumed += n
                        last = Int32(Int(cursor.note) + shift)
                    }
                }
            }
            if same {
                out.begin(term: oldTerm)
                out.post.keep(listStart..<listEnd)
                out.end(firstNote: firstID, lastNote: last)
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
                var skips = ListSkips.Builder(count: count)
                var read = true
                var at = 0
                for k in kept {
                    out.post.bytes.append(contentsOf: entries[at..<k.position])
                    out.post.keep((listStart + k.range.lowerBound)..<(listStart + k.range.upperBound))
                    read = read && entries.withUnsafeBytes { skips.add(UnsafeRawBufferPointer(rebasing: $0[at..<k.position])) }
                        && skips.add(kept: UnsafeRawBufferPointer(rebasing: oldList[k.range]), at: k.range.lowerBound, entries: k.entries,
                            oldOrdinal: k.oldOrdinal, shift: Int64(k.shift), lastNote: Int64(k.lastNote), old: oldSamples)
                    at = k.position
                }
                out.post.bytes.append(contentsOf: entries[at...])
                read = read && entries.withUnsafeBytes { skips.add(UnsafeRawBufferPointer(rebasing: $0[at...])) }
                guard read, let trailer = skips.trailer() else { throw CorruptIndex(reason: "bad posting list") }
                out.post.bytes += trailer
                out.end(firstNote: firstID, lastNote: last)
            }
            i += 1
            if side == 0 { j += 1 }
        }
        return out
    }
}

/// A run of an old list's entries kept as they are in the new list: where it goes among the
/// new entries, where it is in the old list, the ordinal of its first entry there, how many
/// entries it has, how far their notes moved, and its last note in the new list.
struct KeptSpan {
    var position: Int
    var range: Range<Int>
    var oldOrdinal: Int
    var entries: Int
    var shift: Int
    var lastNote: Int32
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
