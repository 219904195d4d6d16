#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import KnowledgeGraphCLI

// A write beyond a file-size limit must fail with an error kg can report, not kill it.
signal(SIGXFSZ, SIG_IGN)
exit(CLI.run(Array(CommandLine.arguments.dropFirst())))
