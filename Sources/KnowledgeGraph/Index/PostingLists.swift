/// Posting lists built note by note, already in their on-disk encoding: per note, the gap
/// from the previous note id, the byte length of its positions, and the positions as gaps.
/// A list is only ever appended to, with note ids ascending.
///
/// All lists live in one byte pool as chains of blocks (each block twice the size of the one
/// before, up to 4 KB), so that a list growing costs no allocation or copy of its own.
/// A block is a 4-byte data size, the 8-byte offset of the next block (0: none), then data.
struct PostingLists {
    var table = TermTable()
    private var terms: [TermState] = []
    /// Blocks are taken from `pool[0..<poolUsed]`; the array grows zero-filled (`reserve`).
    /// Offset 0 is never a block, so 0 can mean "none".
    private var pool: [UInt8] = Array(repeating: 0, count: 4096)
    private var poolUsed = 1
    /// Bytes of encoded entries over all lists.
    private(set) var byteCount = 0

    // Per-note grouping of tokens by term, reused across notes: each token's position and
    // the next token of the same term (-1 at the end).
    private var touched: [Int32] = []
    private var tokens: [(position: Int32, next: Int32)] = []
    private var noteID: Int32 = -1

    private static let header = 12
    private static let maxBlock = 4096

    struct TermState {
        /// The list's first block, the next free byte of its last block and that block's end.
        var first = 0
        var cursor = 0
        var end = 0
        var blockSize: Int32 = 0
        var count: Int32 = 0
        var firstNote: Int32 = -1
        var lastNote: Int32 = -1
        // The current note's tokens of this term: first and last, and the note they are of.
        var head: Int32 = -1
        var tail: Int32 = -1
        var stamp: Int32 = -1
    }

    init() {}

    var termCount: Int { terms.count }
    // Inlined, so that reading a run's list through an array of runs does not copy the run.
    @inline(__always) func count(_ t: Int) -> Int32 { terms[t].count }
    @inline(__always) func firstNote(_ t: Int) -> Int32 { terms[t].firstNote }
    @inline(__always) func lastNote(_ t: Int) -> Int32 { terms[t].lastNote }

    /// Starts collecting the tokens of note `id` (ids ascending across calls).
    mutating func beginNote(_ id: Int32) {
        noteID = id
        touched.removeAll(keepingCapacity: true)
        tokens.removeAll(keepingCapacity: true)
    }

    mutating func add(_ key: UnsafeBufferPointer<UInt8>, position: Int32) {
        let t = Int(table.intern(UnsafeRawBufferPointer(key)))
        if t == terms.count { terms.append(TermState()) }
        let i = Int32(tokens.count)
        tokens.append((position, -1))
        let tail = terms.withUnsafeMutableBufferPointer { terms in
            let previous = terms[t].tail
            if terms[t].stamp != noteID {
                terms[t].stamp = noteID
                terms[t].head = i
                terms[t].tail = i
                return Int32(-1)
            }
            terms[t].tail = i
            return previous
        }
        if tail < 0 { touched.append(Int32(t)) } else { tokens[Int(tail)].next = i }
    }

    /// Appends the collected tokens of the current note to their lists.
    mutating func endNote() {
        for t in touched {
            let t = Int(t)
            var state = terms[t]
            // The positions' byte length first, then the entry's.
            var length = 0
            var last: Int32 = -1
            var i = state.head
            tokens.withUnsafeBufferPointer { tokens in
                while i >= 0 {
                    let p = tokens[Int(i)].position
                    length += VarInt.size(UInt64(UInt32(bitPattern: p &- last &- 1)))
                    last = p
                    i = tokens[Int(i)].next
                }
            }
            let gap = UInt64(UInt32(bitPattern: noteID &- state.lastNote &- 1))
            let n = VarInt.size(gap) + VarInt.size(UInt64(length)) + length
            let jump = n <= state.end - state.cursor ? (cursor: state.cursor, end: state.end, next: 0) : reserve(&state, n)
            pool.withUnsafeMutableBufferPointer { pool in
                tokens.withUnsafeBufferPointer { tokens in
                    var w = ChainWriter(pool: pool, cursor: jump.cursor, end: jump.end, next: jump.next)
                    w.varint(gap)
                    w.varint(UInt64(length))
                    var last: Int32 = -1
                    var i = state.head
                    while i >= 0 {
                        let p = tokens[Int(i)].position
                        w.varint(UInt64(UInt32(bitPattern: p &- last &- 1)))
                        last = p
                        i = tokens[Int(i)].next
                    }
                    state.cursor = w.cursor
                }
            }
            byteCount += n
            if state.lastNote < 0 { state.firstNote = noteID }
            state.lastNote = noteID
            state.count += 1
            terms[t] = state
        }
    }

    /// Makes room for `n` more bytes in a list: the room left in its last block, plus one new
    /// block linked after it when that is not enough (every block but the last is full).
    /// Returns where writing starts, where that block ends and where it goes on after.
    private mutating func reserve(_ state: inout TermState, _ n: Int) -> (cursor: Int, end: Int, next: Int) {
        let left = state.end - state.cursor
        let size = max(n - left, state.blockSize == 0 ? 8 : min(Int(state.blockSize) * 2, PostingLists.maxBlock))
        let block = poolUsed
        poolUsed += PostingLists.header + size
        if poolUsed > pool.count {
            // Zero-filled an eighth more at a time: zero-filled to twice its size, a run's pool
            // held up to half again its bytes in touched, unused memory. (The array's capacity
            // still grows by doubling; what is not filled is not touched.)
            pool.append(contentsOf: repeatElement(0, count: max(poolUsed - pool.count, pool.count / 8, 65536)))
        }
        pool.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: UInt32(size).littleEndian, toByteOffset: block, as: UInt32.self)
            if state.first == 0 {
                state.first = block
            } else {
                // The link of the block before, which starts `header` bytes before its data.
                let previous = state.end - Int(state.blockSize) - PostingLists.header
                raw.storeBytes(of: UInt64(block).littleEndian, toByteOffset: previous + 4, as: UInt64.self)
            }
        }
        let start = block + PostingLists.header
        let jump = left == 0 ? (start, start + size, 0) : (state.cursor, state.end, start)
        state.blockSize = Int32(size)
        state.end = start + size
        return jump
    }

    /// Calls `body` with the bytes of list `t`, in order, a block at a time.
    @inline(__always) func forEachSpan(_ t: Int, _ body: (UnsafeRawBufferPointer) -> Void) {
        let state = terms[t]
        guard state.first != 0 else { return }
        pool.withUnsafeBytes { raw in
            var block = state.first
            while block != 0 {
                let size = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: block, as: UInt32.self)))
                let next = Int(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: block + 4, as: UInt64.self)))
                let start = block + PostingLists.header
                let end = next == 0 ? state.cursor : start + size
                body(UnsafeRawBufferPointer(rebasing: raw[start..<end]))
                block = next
            }
        }
    }

    /// The bytes of list `t` in one buffer.
    func bytes(_ t: Int) -> [UInt8] {
        var out: [UInt8] = []
        forEachSpan(t) { out.appendBytes($0) }
        return out
    }
}

/// Writes one entry into a list's blocks: up to `end`, then on at `next`.
private struct ChainWriter {
    let pool: UnsafeMutableBufferPointer<UInt8>
    var cursor: Int
    var end: Int
    var next: Int

    @inline(__always) mutating func byte(_ b: UInt8) {
        if cursor == end {
            cursor = next
            end = Int.max
        }
        pool[cursor] = b
        cursor += 1
    }

    @inline(__always) mutating func varint(_ v: UInt64) {
        var x = v
        while x >= 0x80 {
            byte(UInt8(x & 0x7F) | 0x80)
            x >>= 7
        }
        byte(UInt8(x))
    }
}
