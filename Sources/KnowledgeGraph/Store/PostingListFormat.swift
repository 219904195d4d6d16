/// Skip data at the end of a long posting list: an update finds whether the list holds a
/// note by a binary search and a few entries, not by stepping over every entry before it.
///
/// A list of `minimumCount` entries or more ends with one sample per `interval` entries. For
/// the entry at ordinal k·`interval` (k ≥ 1) a sample holds, as two 4-byte little-endian
/// integers, the note of the entry before it less the list's first note, and where the entry
/// starts less where the first entry's gap ends. Both stay true when every note of the list
/// moves by the same offset and only the first gap is written again: such a list keeps its
/// samples as they are. The sample count follows from the entry count; readers that walk a
/// list by its count never reach them.
enum ListSkips {
    static let interval = 128
    static let minimumCount = 2 * interval

    /// Bytes of the samples of a list of `count` entries.
    @inline(__always) static func byteCount(entries count: Int) -> Int {
        count >= minimumCount ? 8 * ((count - 1) / interval) : 0
    }

    /// Where the entries of the encoded list `list` of `count` entries end (its samples
    /// follow); nil when the list is too short to hold them.
    @inline(__always) static func entriesEnd(_ list: UnsafeRawBufferPointer, count: Int) -> Int? {
        let n = byteCount(entries: count)
        return n <= list.count ? list.count - n : nil
    }

    /// The samples of a list, collected while its entries are given in order, in pieces of
    /// whole entries (the bytes after the count).
    struct Builder {
        let count: Int
        private(set) var samples: [UInt8] = []
        private var ordinal = 0
        private var note: Int64 = -1
        private var first: Int64 = 0
        /// Where the next piece starts, from the first entry's start.
        private var position = 0
        /// Where the first entry's gap ends, from the first entry's start.
        private var base = 0

        init(count: Int) {
            self.count = count
            samples.reserveCapacity(ListSkips.byteCount(entries: count))
        }

        /// Reads the entries of `piece`; false when they are damaged.
        mutating func add(_ piece: UnsafeRawBufferPointer) -> Bool {
            guard count >= ListSkips.minimumCount else { return true }
            var i = 0
            let end = piece.count
            while i < end {
                let start = i
                guard let gap = VarInt.read(piece, &i, end: end), gap < UInt64(Int32.max) else { return false }
                if ordinal == 0 {
                    base = position + i
                    first = Int64(gap)
                } else if ordinal % ListSkips.interval == 0 {
                    append(UInt32(truncatingIfNeeded: note - first))
                    append(UInt32(truncatingIfNeeded: position + start - base))
                }
                guard let length = VarInt.read(piece, &i, end: end), length <= UInt64(end - i) else { return false }
                i += Int(length)
                note += 1 + Int64(gap)
                ordinal += 1
            }
            position += end
            return true
        }

        /// Takes the entries `piece` of the previous list, kept as they are: `entries` entries
        /// from ordinal `oldOrdinal` of that list (whose samples are `old`), their notes moved
        /// by `shift`, the last now `lastNote`. When the piece's entries keep their ordinals
        /// modulo `interval`, its samples are the previous list's, moved (nothing is read);
        /// else its entries are read. False when they are damaged.
        mutating func add(kept piece: UnsafeRawBufferPointer, at pieceStart: Int, entries: Int, oldOrdinal: Int, shift: Int64,
            lastNote: Int64, old: Samples?) -> Bool {
            guard count >= ListSkips.minimumCount else { return true }
            guard let old, (ordinal - oldOrdinal) % ListSkips.interval == 0, entries > 0 else { return add(piece) }
            if ordinal == 0 {
                var i = 0
                guard let gap = VarInt.read(piece, &i, end: piece.count), shift == 0 else { return add(piece) }
                base = position + i
                first = Int64(gap)
            }
            var k = max(1, (oldOrdinal + ListSkips.interval - 1) / ListSkips.interval) - 1
            while k < old.count && (k + 1) * ListSkips.interval < oldOrdinal + entries {
                let s = old.sample(k)
                guard s.offset >= pieceStart, s.offset < pieceStart + piece.count else { return false }
                append(UInt32(truncatingIfNeeded: s.previous + shift - first))
                append(UInt32(truncatingIfNeeded: position + s.offset - pieceStart - base))
                k += 1
            }
            position += piece.count
            ordinal += entries
            note = lastNote
            return true
        }

        /// The samples to append after the list; nil when the entries given were not `count`.
        func trailer() -> [UInt8]? { ordinal == count || count < ListSkips.minimumCount ? samples : nil }

        private mutating func append(_ v: UInt32) {
            withUnsafeBytes(of: v.littleEndian) { samples.appendBytes($0) }
        }
    }

    /// The samples of an encoded list, read in place.
    struct Samples {
        let list: UnsafeRawBufferPointer
        /// Where the samples start, and how many there are.
        let start: Int
        let count: Int
        let first: Int64
        /// Where the first entry's gap ends.
        let base: Int

        /// The samples of `list` (`total` entries, the first at `entriesStart`); nil when the
        /// list has none.
        init?(_ list: UnsafeRawBufferPointer, total: Int, entriesStart: Int) {
            guard total >= ListSkips.minimumCount, let end = ListSkips.entriesEnd(list, count: total) else { return nil }
            var i = entriesStart
            guard let gap = VarInt.read(list, &i, end: end) else { return nil }
            self.list = list
            start = end
            count = (total - 1) / ListSkips.interval
            first = Int64(gap)
            base = i
        }

        /// Sample `k`: the note before the entry at ordinal (k + 1)·`interval`, and where that
        /// entry starts in the list.
        func sample(_ k: Int) -> (previous: Int64, offset: Int) {
            let at = start + 8 * k
            let previous = UInt32(littleEndian: list.loadUnaligned(fromByteOffset: at, as: UInt32.self))
            let offset = UInt32(littleEndian: list.loadUnaligned(fromByteOffset: at + 4, as: UInt32.self))
            return (first + Int64(previous), base + Int(offset))
        }

        /// The last sampled entry that `note` may lie at or after: where it starts, the note
        /// of the entry before it and its ordinal; nil when `note` lies before every sample.
        func last(before note: Int32) -> (offset: Int, previous: Int32, ordinal: Int)? {
            var lo = 0
            var hi = count
            while lo < hi {
                let mid = (lo + hi) / 2
                if sample(mid).previous < Int64(note) { lo = mid + 1 } else { hi = mid }
            }
            guard lo > 0 else { return nil }
            let s = sample(lo - 1)
            guard s.offset > base, s.offset < start, s.previous <= Int64(Int32.max) else { return nil }
            return (s.offset, Int32(s.previous), lo * ListSkips.interval)
        }
    }
}

/// Walks the entries of one encoded posting list in the previous index file (its samples, if
/// any, cut off: see `ListSkips.entriesEnd`).
struct EntryCursor {
    let base: UnsafeRawBufferPointer
    var i = 0
    var note: Int32 = -1
    /// The gap read for the current entry.
    var gap: UInt64 = 0
    private var positionStart = 0

    init(_ base: UnsafeRawBufferPointer, at i: Int = 0) {
        self.base = base
        self.i = i
    }

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

    /// Steps over the entries whose note is at most `limit`, at most `atMost` of them, without
    /// reading their positions; returns how many. Stops before damage, which `next` reports.
    @inline(__always) mutating func skip(through limit: Int32, atMost: Int) -> Int {
        let end = base.count
        var i = self.i
        var note = Int64(self.note)
        var n = 0
        while n < atMost && i < end {
            var j = i
            var gap = UInt64(base[j])
            if gap < 0x80 { j += 1 } else { guard let g = VarInt.read(base, &j, end: end) else { break }; gap = g }
            let next = note + 1 + Int64(gap)
            guard next <= Int64(limit), j < end else { break }
            var length = UInt64(base[j])
            if length < 0x80 { j += 1 } else { guard let l = VarInt.read(base, &j, end: end) else { break }; length = l }
            guard length <= UInt64(end - j) else { break }
            i = j + Int(length)
            note = next
            n += 1
        }
        self.i = i
        self.note = Int32(note)
        return n
    }

    /// The current entry's encoded positions.
    var positions: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: base[positionStart..<i]) }
}

