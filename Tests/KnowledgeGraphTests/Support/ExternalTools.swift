import Foundation
import Testing

/// Programs some tests drive (Graphviz, Python protocol clients). A test that needs one is
/// skipped, with the reason in the test output, when it is missing; with `KG_REQUIRE_TOOLS=1`
/// (set by `.ci/run`) it runs anyway and fails, so CI never skips it silently.
enum ExternalTool: String, CaseIterable {
    case dot
    case python3
    /// The official MCP Python SDK (`pip install mcp`).
    case mcpClient
    /// pygls's language client (`pip install pygls`).
    case lspClient

    /// How to install it, for the skip message.
    var install: String {
        switch self {
        case .dot: return "Graphviz's dot (apt-get install graphviz)"
        case .python3: return "python3"
        case .mcpClient: return "the MCP Python SDK (pip install mcp)"
        case .lspClient: return "pygls (pip install pygls)"
        }
    }

    /// Where the program is, searched on `PATH` and in the usual folders.
    var path: String? {
        switch self {
        case .mcpClient, .lspClient:
            // The Python interpreter, when it can import the package.
            guard let python = ExternalTool.python3.path else { return nil }
            let p = Process()
            p.executableURL = URL(fileURLWithPath: python)
            p.arguments = ["-c", self == .mcpClient ? "import mcp" : "import pygls.lsp.client"]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            guard (try? p.run()) != nil else { return nil }
            p.waitUntilExit()
            return p.terminationStatus == 0 ? python : nil
        default:
            break
        }
        let name = rawValue
        let env = ProcessInfo.processInfo.environment
        var folders = (env["PATH"] ?? "").split(separator: ":").map(String.init)
        folders += ["/usr/bin", "/usr/local/bin", "/opt/homebrew/bin"]
        for folder in folders where !folder.isEmpty {
            let candidate = folder + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Whether missing tools fail tests instead of skipping them.
    static var required: Bool { ProcessInfo.processInfo.environment["KG_REQUIRE_TOOLS"] == "1" }

    /// A condition trait: the test runs when the tool is installed, or when tools are required
    /// (then the test's own `#require` of the tool fails).
    var trait: ConditionTrait {
        .enabled(if: path != nil || ExternalTool.required, "needs \(install); skipped without it")
    }
}
