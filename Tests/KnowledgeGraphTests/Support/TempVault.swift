import Foundation
import KnowledgeGraph
import KnowledgeGraphCLI

/// A vault in a fresh temporary folder, removed when the value is released.
final class TempVault {
    let root: String
    /// The folder removed at the end: `root`, or the folder holding it.
    private let owned: String

    /// A vault at a new temporary folder; with `name`, the vault is a folder of that name
    /// inside it (so that output naming the folder is the same on every run).
    init(files: [String: String] = [:], lexicon: String? = nil, name: String? = nil) throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("kg-test-\(UUID().uuidString)")
        owned = base.path
        root = name.map { base.appendingPathComponent($0).path } ?? base.path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        if let lexicon { try write(".kg/lexicon.txt", lexicon) }
        for (path, text) in files { try write(path, text) }
    }

    deinit {
        _ = try? FileManager.default.removeItem(atPath: owned)
    }

    func path(_ relative: String) -> String { root + "/" + relative }

    func write(_ relative: String, _ text: String) throws {
        try write(relative, bytes: Array(text.utf8))
    }

    func write(_ relative: String, bytes: [UInt8]) throws {
        let url = URL(fileURLWithPath: path(relative))
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }

    func remove(_ relative: String) throws {
        try FileManager.default.removeItem(atPath: path(relative))
    }

    func move(_ from: String, _ to: String) throws {
        let dest = URL(fileURLWithPath: path(to))
        try FileManager.default.createDirectory(at: dest.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: path(from), toPath: path(to))
    }

    /// Runs kg in-process on this vault.
    func kg(_ args: String...) -> (status: Int32, out: String, err: String) {
        kg(args)
    }

    func kg(_ args: [String]) -> (status: Int32, out: String, err: String) {
        runCLI(["--vault", root] + args, cwd: root)
    }

    /// The index after bringing it up to date.
    /// `current`: the reader an earlier update returned, taken as the previous index as a
    /// watcher's next save takes it (with what that update handed it, not decoded again).
    func update(_ options: Indexer.Options = .init(), current: IndexReader? = nil) throws -> (IndexReader, IndexReport) {
        try Indexer(vault: Vault(root: root)).update(options, current: current)
    }

    /// Copies the repository's sample vault (never touched in place).
    static func sample() throws -> TempVault {
        let v = try TempVault(name: "vault")
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("vault")
        for item in try FileManager.default.contentsOfDirectory(atPath: source.path) {
            if item == ".kg" { continue }
            try FileManager.default.copyItem(atPath: source.path + "/" + item, toPath: v.root + "/" + item)
        }
        try FileManager.default.createDirectory(atPath: v.root + "/.kg", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: source.path + "/.kg/lexicon.txt", toPath: v.root + "/.kg/lexicon.txt")
        return v
    }

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }
}

/// Runs kg in-process as a shell would, with `env` as its environment and `cwd` as its
/// working folder: the exit status, stdout and stderr.
func runCLI(_ args: [String], env: [String: String] = [:], cwd: String) -> (status: Int32, out: String, err: String) {
    let out = Collector()
    let err = Collector()
    let status = CLI.run(args, environment: env, currentDirectory: cwd,
        console: Console(out: { out.append($0) }, err: { err.append($0) }, errIsTerminal: false))
    return (status, out.text, err.text)
}

final class Collector: @unchecked Sendable {
    private let lock = NSLock()
    private var buffer = ""
    func append(_ s: String) {
        lock.lock()
        buffer += s
        lock.unlock()
    }
    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return buffer
    }
}

/// Mentions of `text` (one note) as (entity name, surface) pairs, with `lexicon` lines.
func mentions(_ text: String, lexicon: String) -> [String] {
    let (defs, _) = Lexicon.parseFile(lexicon)
    let lex = Lexicon(definitions: defs)
    let analyzer = Analyzer(lexicon: lex)
    let (record, _) = analyzer.analyze(path: "n.md", normalizedText: Normalizer.normalize(text))
    return record.mentions.map { "\(lex.entities[Int($0.entity)].name)=\($0.surface)" }
}
