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

/// What `releaseElsewhere` frees.
private final class Leftovers: @unchecked Sendable {
    let items: [Any]
    init(_ items: [Any]) { self.items = items }
}

/// Frees `items` on another core, once the caller has dropped its own references: at 100k
/// notes a previous index's tables take about 30 ms to free, which a command would otherwise
/// wait for before it answers (a process that exits first simply drops them).
public func releaseElsewhere(_ items: [Any]) {
    let box = Unmanaged.passRetained(Leftovers(items))
    DispatchQueue.global(qos: .utility).async { box.release() }
}
