#if canImport(Glibc)
    import Glibc
#endif

/// How glibc's malloc serves large buffers while the index is built whole.
///
/// glibc gives a buffer past a bound pages of its own, returned when it is freed, and raises
/// that bound (up to 32 MB) as such buffers are freed; past it, a build's growing buffers
/// (posting pools, records, merged lists) are carved from the heap, and their freed space
/// stays resident. A whole build fixes the bound at 256 KB: a first build of 100k notes with
/// discovery peaked at 574–593 MiB without it, 536–544 MiB with it, in the same time. Every
/// other run sets 32 MB, where the raised bound ends up: a one-note update of 100k notes,
/// whose large buffers are short-lived, measured from as fast to 15% slower with 256 KB
/// (their pages made anew each time).
enum Allocator {
    #if canImport(Glibc)
        private typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        /// `mallopt`, found at run time: Swift's Glibc module leaves malloc.h out.
        private static let mallopt: Mallopt? = dlsym(nil, "mallopt").map { unsafeBitCast($0, to: Mallopt.self) }
        private static let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD
    #endif

    /// Sets the bound for a whole build (`true`) or for anything else.
    static func wholeBuild(_ whole: Bool) {
        #if canImport(Glibc)
            _ = mallopt?(mmapThreshold, whole ? 256 * 1024 : 32 * 1024 * 1024)
        #endif
    }
}
