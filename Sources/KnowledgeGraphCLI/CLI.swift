#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import KnowledgeGraph

/// Where a command writes: results to `out`, messages and progress to `err`.
public struct Console: Sendable {
    public var out: @Sendable (String) -> Void
    public var err: @Sendable (String) -> Void
    /// Whether stderr is a terminal (progress bars are drawn only then).
    public var errIsTerminal: Bool

    public init(out: @escaping @Sendable (String) -> Void, err: @escaping @Sendable (String) -> Void, errIsTerminal: Bool) {
        self.out = out
        self.err = err
        self.errIsTerminal = errIsTerminal
    }

    /// The process's stdout and stderr.
    public static var standard: Console {
        Console(
            out: { writeAll(1, $0) },
            err: { writeAll(2, $0) },
            errIsTerminal: isatty(2) == 1)
    }
}

/// Writes all of `text` to `fd` (retrying short writes and interrupts; a closed pipe ends it).
private func writeAll(_ fd: Int32, _ text: String) {
    var text = text
    text.withUTF8 { buffer in
        var done = 0
        while done < buffer.count {
            let n = write(fd, buffer.baseAddress! + done, buffer.count - done)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            done += n
        }
    }
}

/// kg's command line: parses arguments, runs a command, maps errors to exit codes.
public enum CLI {
    /// Runs kg with `arguments` (without the program name) and returns the exit status.
    public static func run(
        _ arguments: [String], environment: [String: String] = CLI.environment,
        currentDirectory: String = CLI.currentDirectory, console: Console = .standard
    ) -> Int32 {
        run(arguments, environment: environment, currentDirectory: currentDirectory, console: console, served: nil) ?? 1
    }

    /// Runs kg as `run` does. With `served`, a watcher's knowledge base, the command runs on
    /// it and nil says that it is not one the watcher answers (another vault, a command that
    /// writes); without, a query command is first handed to a watcher of its vault
    /// (`QueryClient`), unless `$KG_LOCAL` is set.
    static func run(
        _ arguments: [String], environment: [String: String], currentDirectory: String, console: Console, served: KnowledgeBase?
    ) -> Int32? {
        do throws(KGError) {
            let args = try Arguments.parse(arguments)
            if args.flags.contains("--version") {
                console.out(Help.version + "\n")
                return 0
            }
            guard let command = args.command else {
                if args.flags.contains("--help") {
                    console.out(Help.main + "\n")
                    return 0
                }
                console.err(Help.main + "\n")
                return 64
            }
            if command == "help" {
                guard let topic = args.positional.first else {
                    console.out(Help.main + "\n")
                    return 0
                }
                console.out(try spec(topic).help + "\n")
                return 0
            }
            let spec = try spec(command)
            if args.flags.contains("--help") {
                console.out(spec.help + "\n")
                return 0
            }
            try check(args, against: spec)
            let vault = try resolveVault(args, environment: environment, currentDirectory: currentDirectory)
            if let served {
                guard spec.servable, served.vault.root == vault.root else { return nil }
            } else if spec.servable, environment["KG_LOCAL"] == nil,
                let code = QueryClient.forward(arguments, environment: environment, currentDirectory: currentDirectory,
                    indexFolder: Indexer(vault: vault).indexFolder, console: console)
            {
                return code
            }
            let progress = ProgressReporter(console: console)
            let options = KnowledgeBase.Options(refresh: !args.flags.contains("--no-refresh"),
                allowMassDelete: args.flags.contains("--allow-mass-delete"), wait: !args.flags.contains("--no-wait"),
                progress: { done, total in progress.update(done, total) }, currentDirectory: currentDirectory)
            let notices: @Sendable (Notice) -> Void = { notice in
                progress.clear()
                console.err("kg: \(notice.kind.rawValue): \(notice.message)\n")
            }
            let kb = served.map { KnowledgeBase(sharing: $0, options: options, notices: notices) }
                ?? KnowledgeBase(vault: vault, options: options, notices: notices)
            defer { progress.clear() }
            try spec.run(Invocation(args: args, kb: kb, console: console))
            // What the command read is freed on another core: the process exits meanwhile.
            releaseElsewhere([kb])
            return 0
        } catch {
            console.err("kg: error: \(error.message)\n")
            return exitCode(for: error)
        }
    }

    /// The command named `name`, or a usage error that suggests the closest.
    static func spec(_ name: String) throws(KGError) -> Command {
        if let c = Commands.all[name] { return c }
        let near = closest(name, in: Commands.ordered.map(\.name))
        let hint = near.isEmpty ? "" : "; did you mean \(near.prefix(2).joined(separator: " or "))?"
        throw .usage("unknown command '\(shortened(name))'\(hint) (kg --help lists the commands)")
    }

    /// Refuses options and arguments the command would ignore.
    static func check(_ args: Arguments, against spec: Command) throws(KGError) {
        let takes = spec.options + ["--json", "--vault"]
        let listed = takes.map { o in Arguments.valued[o].map { "\(o) \($0)" } ?? o }.joined(separator: ", ")
        if let bad = args.unknown.first {
            let near = closest(bad, in: takes)
            let hint = near.isEmpty ? "" : "; did you mean \(near[0])?"
            throw .usage("unknown option '\(shortened(bad))'\(hint) (kg \(spec.name) takes \(listed))")
        }
        for option in args.flags.union(args.values.keys).sorted() where !takes.contains(option) && option != "--help" && option != "--version" {
            throw .usage("kg \(spec.name) does not take \(option) (it takes \(listed))")
        }
        let n = args.positional.count
        if !spec.arguments.contains(n) {
            if spec.arguments.upperBound == 0 {
                throw .usage("kg \(spec.name) takes no arguments, not '\(shortened(args.positional[0]))' (see kg \(spec.name) --help)")
            }
            throw .usage("usage: \(spec.usage)")
        }
    }

    /// The exit status of each error: sysexits(3) codes where one fits.
    static func exitCode(for error: KGError) -> Int32 {
        switch error {
        case .usage: return 64
        case .massDelete: return 65
        case .vaultNotFound, .vaultNotAFolder: return 66
        case .cannotCreateIndexFolder: return 73
        case .ioError: return 74
        case .locked: return 75
        case .unknownEntity, .failure: return 1
        }
    }

    /// The variables kg reads (`KG_VAULT`, `KG_LOCAL`), without making the whole environment a dictionary.
    public static var environment: [String: String] {
        var out: [String: String] = [:]
        for name in ["KG_VAULT", "KG_LOCAL"] {
            if let v = getenv(name) { out[name] = String(cString: v) }
        }
        return out
    }

    /// The process's working folder ("/" if it cannot be read, as when it was deleted).
    public static var currentDirectory: String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return "/" }
        return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `path` with `.` and `..` resolved and no repeated or trailing slash (as written, not
    /// following links).
    static func standardized(_ path: String) -> String {
        var parts: [Substring] = []
        for c in path.split(separator: "/") {
            if c == "." { continue }
            if c == ".." {
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(c)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// Whether `path` exists, and whether it is a folder (following links).
    static func exists(_ path: String) -> (exists: Bool, folder: Bool) {
        var st = stat()
        guard stat(path, &st) == 0 else { return (false, false) }
        return (true, (st.st_mode & S_IFMT) == S_IFDIR)
    }

    /// `--vault`, else `$KG_VAULT`, else the nearest folder upward holding `.kg/`, else `./vault`.
    static func resolveVault(_ args: Arguments, environment: [String: String], currentDirectory: String) throws(KGError) -> Vault {
        func absolute(_ p: String) -> String {
            let joined = p.hasPrefix("/") ? p : currentDirectory + "/" + p
            return standardized(joined)
        }
        var chosen: String
        let how: String
        if let v = args.values["--vault"] {
            guard !v.isEmpty else { throw .usage("--vault needs a folder, not an empty path (--vault . is the current folder)") }
            chosen = absolute(v)
            how = "given with --vault"
        } else if let v = environment["KG_VAULT"], !v.isEmpty {
            chosen = absolute(v)
            how = "from $KG_VAULT"
        } else {
            chosen = absolute("vault")
            how = "./vault, the default when there is no --vault, no $KG_VAULT and no .kg/ folder here or upward"
            var dir = standardized(currentDirectory)
            while true {
                if exists(dir == "/" ? "/.kg" : dir + "/.kg").folder {
                    chosen = dir
                    break
                }
                guard dir != "/", let slash = dir.lastIndex(of: "/") else { break }
                dir = slash == dir.startIndex ? "/" : String(dir[..<slash])
            }
        }
        while chosen.count > 1 && chosen.hasSuffix("/") { chosen.removeLast() }
        let found = exists(chosen)
        guard found.exists else {
            throw .vaultNotFound("\(chosen) (\(how)); point kg at your notes with --vault PATH, or --vault . for this folder")
        }
        guard found.folder else { throw .vaultNotAFolder(chosen) }
        return Vault(root: chosen)
    }
}
