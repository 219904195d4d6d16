/// Slots written and taken by concurrent workers, each slot by one worker only.
final class SharedSlots<T>: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<T?>

    init(count: Int) {
        slots = .allocate(capacity: max(count, 1))
        slots.initialize(repeating: nil)
    }

    deinit {
        _ = slots.deinitialize()
        slots.deallocate()
    }

    func put(_ i: Int, _ value: T) { slots[i] = value }

    func take(_ i: Int) -> T? {
        let v = slots[i]
        slots[i] = nil
        return v
    }
}

/// A value handed to concurrent workers that only read it (or write disjoint parts of it).
struct UncheckedSendable<V>: @unchecked Sendable {
    let value: V
    init(_ value: V) { self.value = value }
}
