/// A build's merge of the runs' posting lists, shared by the cores: one core orders the
/// terms (`prepare`) while the other assembles the notes; then each core calls `help`, which
/// merges chunks of terms (in byte order) as they come free, and the chunks are joined in
/// order. The result is the one `Pass.mergeTerms` gives on one core. Nothing waits for
/// anything: run one after another on one core, the steps give the same file.
final class BuildMerge: @unchecked Sendable {
    private var runs: [PostingLists] = []
    private var table = TermTable()
    private var sources: [[(run: Int32, term: Int32)]] = []
    private var order: [Int32] = []
    /// Ranges of `order`, each with about the same number of entries.
    private var chunks: [(terms: Range<Int>, bytes: Int)] = []
    private var results = SharedSlots<Result<TermsWriter, CorruptIndex>>(count: 0)
    private let next = Locked(0)

    /// Chunks per core: enough that a core that starts late still takes its share.
    private static let chunksPerCore = 12

    /// Orders the terms of `runs` and cuts them into chunks for `helpers` cores; then `help`
    /// may start.
    func prepare(_ runs: [PostingLists], helpers: Int) {
        self.runs = runs
        (table, sources, order) = Pass.mergeOrder(runs)
        // A term's weight is its entries (its list's length), plus one for its own cost.
        var total = 0
        var weights = [Int](repeating: 0, count: order.count)
        for (k, g) in order.enumerated() {
            var w = 1
            for (r, t) in sources[Int(g)] { w += Int(runs[Int(r)].count(Int(t))) }
            weights[k] = w
            total += w
        }
        let bytes = runs.reduce(0) { $0 + $1.byteCount + 5 * $1.termCount }
        let count = max(1, min(order.count, helpers * BuildMerge.chunksPerCore))
        var start = 0
        var sum = 0
        for c in 0..<count {
            let goal = total * (c + 1) / count
            var end = start
            var w = 0
            while end < order.count && (sum + w < goal || c == count - 1) {
                w += weights[end]
                end += 1
            }
            // Room for the chunk's lists: its share of the runs' bytes, and some slack.
            chunks.append((start..<end, bytes * w / max(total, 1) + bytes / (count * 8) + 64))
            sum += w
            start = end
        }
        results = SharedSlots(count: chunks.count)
    }

    /// Merges chunks until none is left (after `prepare` returned).
    func help() {
        while true {
            let c = next.withLock { n in
                defer { n += 1 }
                return n
            }
            guard c < chunks.count else { return }
            // Copies of the arrays (nothing is copied unless written): each core holds its own.
            var runs = self.runs
            do throws(CorruptIndex) {
                results.put(c, .success(try Pass.mergeTerms(&runs, table, sources, order, nil, [], [], old: 0..<0,
                    new: chunks[c].terms, reserve: chunks[c].bytes)))
            } catch {
                results.put(c, .failure(error))
            }
        }
    }

    /// The chunks joined, in order (after every `help` returned).
    func joined() throws(CorruptIndex) -> TermsWriter {
        // The runs' lists are all copied: free them before the chunks are joined.
        runs = []
        sources = []
        var out = TermsWriter()
        out.post.bytes.reserveCapacity(chunks.reduce(0) { $0 + $1.bytes })
        for c in chunks.indices {
            guard let part = results.take(c) else { throw CorruptIndex(reason: "postings could not be merged") }
            out.append(try part.get())
        }
        return out
    }
}
