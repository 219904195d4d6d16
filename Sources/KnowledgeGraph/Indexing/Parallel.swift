import Dispatch

/// Maps `items` on all cores, keeping the input order in the result.
func parallelMap<T: Sendable, R: Sendable>(_ items: [T], minimum: Int = 16, _ transform: @Sendable (T) -> R) -> [R] {
    if items.count < minimum { return items.map(transform) }
    // Every slot is written exactly once by `concurrentPerform` before it returns.
    let results = UnsafeMutableBufferPointer<R?>.allocate(capacity: items.count)
    results.initialize(repeating: nil)
    defer { results.deallocate() }
    let box = UncheckedBox(results)
    let chunks = min(items.count, 64)
    DispatchQueue.concurrentPerform(iterations: chunks) { c in
        let lo = items.count * c / chunks
        let hi = items.count * (c + 1) / chunks
        for i in lo..<hi { box.value[i] = transform(items[i]) }
    }
    return results.compactMap { $0 }
}

private struct UncheckedBox<V>: @unchecked Sendable {
    let value: V
    init(_ value: V) { self.value = value }
}
