import Dispatch

/// Maps `items` on all cores, keeping the input order in the result.
func parallelMap<T: Sendable, R: Sendable>(_ items: [T], minimum: Int = 16, _ transform: @Sendable (T) -> R) -> [R] {
    if items.count < minimum { return items.map(transform) }
    let count = items.count
    // Each slot is initialized exactly once, by the chunk that owns it, before the array is
    // handed out: the results are the array's own elements, released with it.
    return [R](unsafeUninitializedCapacity: count) { buffer, initialized in
        let slots = UncheckedSendable(buffer.baseAddress)
        let chunks = min(count, 64)
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            guard let base = slots.value else { return }
            for i in (count * c / chunks)..<(count * (c + 1) / chunks) { (base + i).initialize(to: transform(items[i])) }
        }
        initialized = count
    }
}
