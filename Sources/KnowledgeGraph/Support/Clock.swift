#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Seconds on the monotonic clock, for durations.
func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// The process's resident memory in bytes (Linux; 0 elsewhere).
func residentBytes() -> Int {
    guard let f = fopen("/proc/self/statm", "r") else { return 0 }
    defer { fclose(f) }
    var buf = [CChar](repeating: 0, count: 128)
    guard fgets(&buf, 128, f) != nil else { return 0 }
    let fields = String(decoding: buf.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self).split(separator: " ")
    guard fields.count >= 2, let pages = Int(fields[1]) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

/// With `KG_TRACE` set, writes how long an index run has taken so far and its resident memory
/// to stderr: `kg: trace <phase> <ms> ms, <MB> MB resident`.
func trace(_ phase: String, _ started: Double) {
    guard getenv("KG_TRACE") != nil else { return }
    let line = "kg: trace \(phase) \(Int((monotonicSeconds() - started) * 1000)) ms, \(residentBytes() / 1_000_000) MB resident\n"
    _ = line.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
}
