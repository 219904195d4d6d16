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
        var out = Postings()
        a.withBuffers { an, ao, ap in
            b.withBuffers { bn, bo, bp in
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
                    let before = out.positions.count
                    for x in Int(ao[i])..<Int(ao[i + 1]) {
                        let want = ap[x] &+ gap
                        while c < end && bp[c] < want { c += 1 }
                        if wanted && c == end { break }
                        if (c < end && bp[c] == want) == wanted { out.positions.append(ap[x]) }
                    }
                    if out.positions.count > before {
                        out.notes.append(note)
                        out.offsets.append(Int32(out.positions.count))
                    }
                }
            }
        }
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
        var out = Postings()
        out.notes.reserveCapacity(max(a.notes.count, b.notes.count))
        out.offsets.reserveCapacity(max(a.notes.count, b.notes.count) + 1)
        out.positions.reserveCapacity(a.positions.count + b.positions.count)
        a.withBuffers { an, ao, ap in
            b.withBuffers { bn, bo, bp in
                var i = 0
                var j = 0
                while i < an.count || j < bn.count {
                    if j == bn.count || (i < an.count && an[i] < bn[j]) {
                        out.notes.append(an[i])
                        out.positions.append(contentsOf: UnsafeBufferPointer(rebasing: ap[Int(ao[i])..<Int(ao[i + 1])]))
                        i += 1
                    } else if i == an.count || bn[j] < an[i] {
                        out.notes.append(bn[j])
                        out.positions.append(contentsOf: UnsafeBufferPointer(rebasing: bp[Int(bo[j])..<Int(bo[j + 1])]))
                        j += 1
                    } else {
                        out.notes.append(an[i])
                        var x = Int(ao[i])
                        let xEnd = Int(ao[i + 1])
                        var y = Int(bo[j])
                        let yEnd = Int(bo[j + 1])
                        while x < xEnd || y < yEnd {
                            if y == yEnd || (x < xEnd && ap[x] < bp[y]) {
                                out.positions.append(ap[x])
                                x += 1
                            } else if x == xEnd || bp[y] < ap[x] {
                                out.positions.append(bp[y])
                                y += 1
                            } else {
                                out.positions.append(ap[x])
                                x += 1
                                y += 1
                            }
                        }
                        i += 1
                        j += 1
                    }
                    out.offsets.append(Int32(out.positions.count))
                }
            }
        }
        return out
    }
}
