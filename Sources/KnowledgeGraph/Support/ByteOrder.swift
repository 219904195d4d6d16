#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Byte order of UTF-8 text: the order of paths, names and terms everywhere in kg (`memcmp`),
/// and byte equality (unlike `==` on String, which compares canonical equivalence, so that
/// NFC and NFD spellings of two file names stay two names).
extension String.UTF8View {
    /// Whether these bytes sort before `other`'s.
    func bytesPrecede(_ other: String.UTF8View) -> Bool {
        let fast: Bool?? = withContiguousStorageIfAvailable { x in
            other.withContiguousStorageIfAvailable { y in
                let n = Swift.min(x.count, y.count)
                guard n > 0, let xa = x.baseAddress, let ya = y.baseAddress else { return x.count < y.count }
                let c = memcmp(xa, ya, n)
                return c != 0 ? c < 0 : x.count < y.count
            }
        }
        if let f = fast, let r = f { return r }
        return lexicographicallyPrecedes(other)
    }

    /// Whether these are the same bytes as `other`'s.
    func bytesEqual(_ other: String.UTF8View) -> Bool {
        guard count == other.count else { return false }
        let fast: Bool?? = withContiguousStorageIfAvailable { x in
            other.withContiguousStorageIfAvailable { y in
                guard let xa = x.baseAddress, let ya = y.baseAddress else { return true }
                return xa == ya || memcmp(xa, ya, x.count) == 0
            }
        }
        if let f = fast, let r = f { return r }
        return elementsEqual(other)
    }
}

/// Compares two byte strings: negative, 0 or positive as `a` sorts before, with or after `b`.
func compareBytes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
    let n = min(a.count, b.count)
    if n > 0, let x = a.baseAddress, let y = b.baseAddress {
        let c = memcmp(x, y, n)
        if c != 0 { return Int(c) }
    }
    return a.count - b.count
}

extension Array where Element == UInt8 {
    /// Appends raw bytes with one copy (a raw buffer or its slice would be appended byte by
    /// byte through the generic path).
    @inline(__always) mutating func appendBytes(_ raw: UnsafeRawBufferPointer) {
        guard let base = raw.baseAddress, raw.count > 0 else { return }
        append(contentsOf: UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: raw.count))
    }
}

extension Array where Element == String {
    /// The index of `path` in these paths (sorted by bytes), if it is there: a binary search.
    func sortedIndex(ofBytes path: UnsafeRawBufferPointer) -> Int? {
        func compare(_ k: Int) -> Int {
            var p = self[k]
            return p.withUTF8 { compareBytes(UnsafeRawBufferPointer($0), path) }
        }
        var lo = 0
        var hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if compare(mid) < 0 { lo = mid + 1 } else { hi = mid }
        }
        return lo < count && compare(lo) == 0 ? lo : nil
    }
}

