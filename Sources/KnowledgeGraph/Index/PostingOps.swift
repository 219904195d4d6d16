/// Set operations on decoded posting lists, for search: a phrase's tokens one after another,
/// and the union of several terms' lists. They read the lists through raw buffers, so that a
/// list of tens of thousands of notes costs no reference counting per note.
extension Postings {
    /// The positions `p` in `a` such that `p + gap` is in `b`, in the notes of both.
    static func followed(_ a: Postings, by b: Postings, gap: Int32) -> Postings { positions(of: a, followedBy: b, gap: gap, are: true) }

    /// The positions `p` in `a` such that `p + gap` is not in `b`.
    static func notFollowed(_ a: Postings, by b: Postings, gap: Int32) -> Postings { positions(of: a, followedBy: b, gap: gap, are: false) }

    /// The positions `p` in `a` for which whether `p + gap` is in `b` is `wanted`.
    private static func positions(of a: Postings, followedBy b: Postings, gap: Int32, are wanted: Bool) -> Postings {
        a.withBuffers { an, ao, ap in
            b.withBuffers { bn, bo, bp in
                Postings.build(notes: an.count, positions: ap.count) { out in
                    var j = 0
                    for i in 0..<an.count {
                        let note = an[i]
                        j = Postings.seek(bn, from: j, to: note)
                        let shared = j < bn.count && bn[j] == note
                        if wanted && !shared {
                            if j == bn.count { break }
                            continue
                        }
                        var c = shared ? Int(bo[j]) : 0
                        let end = shared ? Int(bo[j + 1]) : 0
                        let before = out.positionCount
                        for x in Int(ao[i])..<Int(ao[i + 1]) {
                            let want = ap[x] &+ gap
                            while c < end && bp[c] < want { c += 1 }
                            if wanted && c == end { break }
                            if (c < end && bp[c] == want) == wanted { out.position(ap[x]) }
                        }
                        if out.positionCount > before { out.note(note) }
                    }
                }
            }
        }
    }

    /// Where a list being built writes: its notes, offsets (the first is 0) and positions,
    /// and how many of each it has written.
    struct Builder {
        let notes: UnsafeMutableBufferPointer<Int32>
        let offsets: UnsafeMutableBufferPointer<Int32>
        let positions: UnsafeMutableBufferPointer<Int32>
        var noteCount = 0
        var positionCount = 0

        @inline(__always) mutating func position(_ p: Int32) {
            positions[positionCount] = p
            positionCount += 1
        }

        @inline(__always) mutating func positions(_ p: UnsafeBufferPointer<Int32>) {
            guard let from = p.baseAddress, !p.isEmpty else { return }
            (positions.baseAddress! + positionCount).update(from: from, count: p.count)
            positionCount += p.count
        }

        /// Ends note `note`, whose positions are those written since the note before.
        @inline(__always) mutating func note(_ note: Int32) {
            notes[noteCount] = note
            noteCount += 1
            offsets[noteCount] = Int32(positionCount)
        }
    }

    /// A list written straight into its arrays by `fill`, which writes at most `notes` notes
    /// and `positions` positions: no append checks its storage per position.
    static func build(notes noteRoom: Int, positions positionRoom: Int, _ fill: (inout Builder) -> Void) -> Postings {
        var out = Postings()
        var offsets: [Int32] = []
        var positions: [Int32] = []
        var built = 0
        out.notes = [Int32](unsafeUninitializedCapacity: max(noteRoom, 0)) { notes, noteCount in
            offsets = [Int32](unsafeUninitializedCapacity: max(noteRoom, 0) + 1) { offsets, offsetCount in
                positions = [Int32](unsafeUninitializedCapacity: max(positionRoom, 0)) { positions, positionCount in
                    offsets[0] = 0
                    var b = Builder(notes: notes, offsets: offsets, positions: positions)
                    fill(&b)
                    built = b.noteCount
                    positionCount = b.positionCount
                }
                offsetCount = built + 1
            }
            noteCount = built
        }
        out.offsets = offsets
        out.positions = positions
        return out
    }

    /// The list's notes, offsets and positions as raw buffers.
    @inline(__always) func withBuffers<R>(
        _ body: (UnsafeBufferPointer<Int32>, UnsafeBufferPointer<Int32>, UnsafeBufferPointer<Int32>) -> R
    ) -> R {
        notes.withUnsafeBufferPointer { n in offsets.withUnsafeBufferPointer { o in positions.withUnsafeBufferPointer { p in body(n, o, p) } } }
    }

    /// The same notes with every position moved by `d`.
    func shifted(by d: Int32) -> Postings {
        var out = self
        for k in out.positions.indices { out.positions[k] &+= d }
        return out
    }

    /// The first index at or after `from` whose note is not below `note`: a gallop, then a
    /// binary search, so that a short list steps through a long one in few reads.
    @inline(__always) static func seek(_ notes: UnsafeBufferPointer<Int32>, from: Int, to note: Int32) -> Int {
        var lo = from
        if lo >= notes.count || notes[lo] >= note { return lo }
        var step = 1
        var hi = lo + 1
        while hi < notes.count && notes[hi] < note {
            lo = hi
            step *= 2
            hi = lo + step
        }
        hi = min(hi, notes.count)
        // notes[lo] < note; the answer is in lo+1...hi.
        lo += 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if notes[mid] < note { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Positions in any of `lists`, each once, per note; notes ascending. Merged in pairs, so
    /// that many short lists (every term a syllable starts) cost their total size times the
    /// log of their count.
    static func union(_ lists: [Postings]) -> Postings {
        var level = lists.filter { !$0.notes.isEmpty }
        if level.isEmpty { return Postings() }
        while level.count > 1 {
            var next: [Postings] = []
            next.reserveCapacity((level.count + 1) / 2)
            var i = 0
            while i + 1 < level.count {
                next.append(union(level[i], level[i + 1]))
                i += 2
            }
            if i < level.count { next.append(level[i]) }
            level = next
        }
        return level[0]
    }

    /// Positions in either list, each once, per note; notes ascending.
    static func union(_ a: Postings, _ b: Postings) -> Postings {
        if b.notes.isEmpty { return a }
        if a.notes.isEmpty { return b }
        return a.withBuffers { an, ao, ap in
            b.withBuffers { bn, bo, bp in
                Postings.build(notes: an.count + bn.count, positions: ap.count + bp.count) { out in
                    var i = 0
                    var j = 0
                    while i < an.count || j < bn.count {
                        if j == bn.count || (i < an.count && an[i] < bn[j]) {
                            out.positions(UnsafeBufferPointer(rebasing: ap[Int(ao[i])..<Int(ao[i + 1])]))
                            out.note(an[i])
                            i += 1
                        } else if i == an.count || bn[j] < an[i] {
                            out.positions(UnsafeBufferPointer(rebasing: bp[Int(bo[j])..<Int(bo[j + 1])]))
                            out.note(bn[j])
                            j += 1
                        } else {
                            var x = Int(ao[i])
                            let xEnd = Int(ao[i + 1])
                            var y = Int(bo[j])
                            let yEnd = Int(bo[j + 1])
                            while x < xEnd || y < yEnd {
                                if y == yEnd || (x < xEnd && ap[x] < bp[y]) {
                                    out.position(ap[x])
                                    x += 1
                                } else if x == xEnd || bp[y] < ap[x] {
                                    out.position(bp[y])
                                    y += 1
                                } else {
                                    out.position(ap[x])
                                    x += 1
                                    y += 1
                                }
                            }
                            out.note(an[i])
                            i += 1
                            j += 1
                        }
                    }
                }
            }
        }
    }
}
