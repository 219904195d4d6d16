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
        do {
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
                if let topic = args.positional.first, let c = Commands.all[topic] {
                    console.out(c.help + "\n")
                } else {
                    console.out(Help.main + "\n")
                }
                return 0
            }
            guard let spec = Commands.all[command] else {
                throw KGError.usage("unknown command '\(command)' (commands: \(Commands.all.keys.sorted().joined(separator: ", ")))")
            }
            if args.flags.contains("--help") {
                console.out(spec.help + "\n")
                return 0
            }
            let allowed = spec.options.union(["--vault", "--json", "--help", "--version"])
            for option in args.flags.union(args.values.keys) where !allowed.contains(option) {
                throw KGError.usage("\(command) does not take \(option) (see kg \(command) --help)")
            }
            let vault = try resolveVault(args, environment: environment, currentDirectory: currentDirectory)
            let options = KnowledgeBase.Options(refresh: !args.flags.contains("--no-refresh"),
                allowMassDelete: args.flags.contains("--allow-mass-delete"))
            let kb = KnowledgeBase(vault: vault, options: options) { notice in
                console.err("kg: \(notice.kind.rawValue): \(notice.message)\n")
            }
            try spec.run(Invocation(args: args, kb: kb, console: console))
            return 0
        } catch let error as KGError {
            console.err("kg: error: \(error.message)\n")
            return exitCode(for: error)
        } catch {
            console.err("kg: error: \(error)\n")
            return 1
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
        if let v = args.values["--vault"] {
            chosen = absolute(v)
        } else if let v = environment["KG_VAULT"], !v.isEmpty {
            chosen = absolute(v)
        } else {
            chosen = absolute("vault")
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
        guard FileManager.default.fileExists(atPath: chosen, isDirectory: &isDir) else { throw .vaultNotFound(chosen) }
        guard isDir.boolValue else { throw .vaultNotAFolder(chosen) }
        return Vault(root: chosen)
    }
}
