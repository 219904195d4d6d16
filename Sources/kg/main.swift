#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import KnowledgeGraphCLI

// A write beyond a file-size limit must fail with an error kg can report, not kill it.
signal(SIGXFSZ, SIG_IGN)
#if canImport(Glibc)
    // Buffers of 256 KB and more get pages of their own, returned when freed. glibc raises
    // that bound as large buffers are freed, after which a build's growing buffers (posting
    // pools, records, merged lists) are carved from the heap and their freed space stays
    // resident: a first build of 100k notes with discovery peaked at 574–593 MiB that way,
    // 538–544 MiB with the bound fixed, in the same time.
    // (mallopt(M_MMAP_THRESHOLD, ...), found at run time: Swift's Glibc module leaves malloc.h out.)
    if let mallopt = dlsym(nil, "mallopt") {
        let mmapThreshold: Int32 = -3
        _ = unsafeBitCast(mallopt, to: (@convention(c) (Int32, Int32) -> Int32).self)(mmapThreshold, 256 * 1024)
    }
#endif
exit(CLI.run(Array(CommandLine.arguments.dropFirst())))
