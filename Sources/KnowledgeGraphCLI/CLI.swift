import Foundation
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
            out: { FileHandle.standardOutput.write(Data($0.utf8)) },
            err: { FileHandle.standardError.write(Data($0.utf8)) },
            errIsTerminal: isatty(2) == 1)
    }
}

/// kg's command line: parses arguments, runs a command, maps errors to exit codes.
public enum CLI {
    /// Runs kg with `arguments` (without the program name) and returns the exit status.
    public static func run(
        _ arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment,
        currentDirectory: String = FileManager.default.currentDirectoryPath, console: Console = .standard
    ) -> Int32 {
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
            let progress = ProgressReporter(console: console)
            let options = KnowledgeBase.Options(refresh: !args.flags.contains("--no-refresh"),
                allowMassDelete: args.flags.contains("--allow-mass-delete"), wait: !args.flags.contains("--no-wait"),
                progress: { done, total in progress.update(done, total) }, currentDirectory: currentDirectory)
            let kb = KnowledgeBase(vault: vault, options: options) { notice in
                progress.clear()
                console.err("kg: \(notice.kind.rawValue): \(notice.message)\n")
            }
            defer { progress.clear() }
            try spec.run(Invocation(args: args, kb: kb, console: console))
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

    /// `--vault`, else `$KG_VAULT`, else the nearest folder upward holding `.kg/`, else `./vault`.
    static func resolveVault(_ args: Arguments, environment: [String: String], currentDirectory: String) throws(KGError) -> Vault {
        func absolute(_ p: String) -> String {
            let joined = p.hasPrefix("/") ? p : currentDirectory + "/" + p
            return URL(fileURLWithPath: joined).standardizedFileURL.path
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
            var dir = URL(fileURLWithPath: currentDirectory).standardizedFileURL
            while true {
                var isDir: ObjCBool = false
                if FileManager.default.fileExists(atPath: dir.path + "/.kg", isDirectory: &isDir), isDir.boolValue {
                    chosen = dir.path
                    break
                }
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { break }
                dir = parent
            }
        }
        while chosen.count > 1 && chosen.hasSuffix("/") { chosen.removeLast() }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: chosen, isDirectory: &isDir) else {
            throw .vaultNotFound("\(chosen) (\(how)); point kg at your notes with --vault PATH, or --vault . for this folder")
        }
        guard isDir.boolValue else { throw .vaultNotAFolder(chosen) }
        return Vault(root: chosen)
    }
}
