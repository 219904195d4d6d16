import Foundation
import KnowledgeGraph

/// JSON-RPC 2.0 pieces shared by the MCP and language servers: parsing a message, reading
/// its fields, and writing responses. Messages are parsed with Foundation and answered as
/// kg's `JSON` (keys in a fixed order, no newline inside: one message per line for MCP).
enum RPC {
    /// Error codes of JSON-RPC 2.0 (and LSP's for a request before `initialize`).
    static let parseError = -32700
    static let invalidRequest = -32600
    static let methodNotFound = -32601
    static let invalidParams = -32602
    static let internalError = -32603
    static let serverNotInitialized = -32002

    /// A parsed message: a request (with an id), a notification (without), or a response
    /// from the client (ignored).
    struct Message {
        var id: JSON?
        var method: String?
        var params: [String: Any]

        var isRequest: Bool { id != nil && method != nil }
    }

    enum Parsed {
        case message(Message)
        /// Not a JSON-RPC message: the error response to send.
        case invalid(JSON)
    }

    /// Parses one message.
    static func parse(_ data: Data) -> Parsed {
        guard let any = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            return .invalid(error(id: .null, code: parseError, "the message is not JSON"))
        }
        guard let object = any as? [String: Any] else {
            return .invalid(error(id: .null, code: invalidRequest, "a message is a JSON object (batches are not supported)"))
        }
        var id: JSON?
        if let raw = object["id"] {
            switch raw {
            case let s as String: id = .string(s)
            case let n as NSNumber where !isBool(n): id = .int(n.intValue)
            case is NSNull: id = .null
            default: return .invalid(error(id: .null, code: invalidRequest, "an id is a string or a number"))
            }
        }
        let method = object["method"] as? String
        if object["method"] != nil && method == nil {
            return .invalid(error(id: id ?? .null, code: invalidRequest, "the method is a string"))
        }
        if let p = object["params"], !(p is [String: Any]) && !(p is NSNull) {
            return .invalid(error(id: id ?? .null, code: invalidParams, "params are an object"))
        }
        return .message(Message(id: id, method: method, params: object["params"] as? [String: Any] ?? [:]))
    }

    /// Whether a parsed number is a JSON `true` or `false` (Foundation's type code `c`).
    static func isBool(_ n: NSNumber) -> Bool { String(cString: n.objCType) == "c" }

    static func result(id: JSON, _ value: JSON) -> JSON {
        .object([("jsonrpc", .string("2.0")), ("id", id), ("result", value)])
    }

    static func error(id: JSON, code: Int, _ message: String) -> JSON {
        .object([("jsonrpc", .string("2.0")), ("id", id), ("error", .object([("code", .int(code)), ("message", .string(message))]))])
    }

    static func notification(_ method: String, _ params: JSON) -> JSON {
        .object([("jsonrpc", .string("2.0")), ("method", .string(method)), ("params", params)])
    }

    /// A parsed JSON value as kg's `JSON` (object keys sorted).
    static func json(_ any: Any) -> JSON {
        switch any {
        case let s as String: return .string(s)
        case let n as NSNumber:
            if isBool(n) { return .bool(n.boolValue) }
            let d = n.doubleValue
            return d == d.rounded() && abs(d) < 1e15 ? .int(n.intValue) : .double(d)
        case let a as [Any]: return .array(a.map(json))
        case let o as [String: Any]: return .object(o.keys.sorted().map { ($0, json(o[$0]!)) })
        default: return .null
        }
    }
}

/// Reads whole messages from a file descriptor without blocking on more than it needs.
struct InputReader {
    let fd: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private(set) var closed = false

    init(fd: Int32) { self.fd = fd }

    /// More bytes from the descriptor; false at its end (or on an error).
    private mutating func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                closed = true
                return false
            }
            buffer.append(contentsOf: chunk[0..<n])
            return true
        }
    }

    /// Drops what was consumed, once it is most of the buffer.
    private mutating func compact() {
        if start > 65_536 && start * 2 > buffer.count {
            buffer.removeFirst(start)
            start = 0
        }
    }

    /// The next line (without its newline), `.tooLong` for a line over `limit` bytes (which
    /// is skipped), nil at the end of input.
    enum Line { case text(Data), tooLong }
    mutating func line(limit: Int) -> Line? {
        compact()
        var scanFrom = start
        var skipping = false
        while true {
            if let nl = buffer[scanFrom...].firstIndex(of: 0x0A) {
                let s = start
                start = nl + 1
                if skipping || nl - s > limit { return .tooLong }
                var end = nl
                if end > s && buffer[end - 1] == 0x0D { end -= 1 }
                return .text(Data(buffer[s..<end]))
            }
            if buffer.count - start > limit {
                // Too long: forget it, and the rest of the line as it comes.
                skipping = true
                buffer.removeAll(keepingCapacity: true)
                start = 0
            }
            scanFrom = buffer.count
            if !fill() {
                if skipping { return .tooLong }
                if start < buffer.count {
                    let s = start
                    start = buffer.count
                    return .text(Data(buffer[s...]))
                }
                return nil
            }
        }
    }

    /// `n` bytes exactly; nil if the input ends first.
    mutating func bytes(_ n: Int) -> Data? {
        compact()
        while buffer.count - start < n {
            if !fill() { return nil }
        }
        defer { start += n }
        return Data(buffer[start..<(start + n)])
    }
}

/// Writes whole messages to a descriptor; a closed pipe stops the server cleanly.
struct OutputWriter {
    let fd: Int32
    private(set) var broken = false

    init(fd: Int32) { self.fd = fd }

    mutating func write(_ bytes: [UInt8]) {
        if broken { return }
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                broken = true
                return
            }
            done += n
        }
    }
}

/// A `kg watch` run on a thread of the server, so that the index stays fresh and queries
/// trust it; when another watcher already runs, that one does the work. Like `kg watch`, it
/// answers the vault's query commands (`QueryService`) while it runs.
final class BackgroundWatcher: @unchecked Sendable {
    private var fds: [Int32] = [-1, -1]
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var running: QueryService?
    /// The query service, once the watcher holds the vault's lock.
    var service: QueryService? {
        lock.lock()
        defer { lock.unlock() }
        return running
    }

    init(kb: KnowledgeBase, log: @escaping @Sendable (String) -> Void) {
        guard pipe(&fds) == 0 else { return }
        let stopFD = fds[0]
        let watcher = Watcher(indexer: kb.indexer)
        Thread.detachNewThread { [self] in
            var serving = QueryServing(kb: kb, log: log)
            do {
                try watcher.run(stopFD: stopFD) { event in
                    if case .notice(let n) = event { log("kg: note: \(n)\n") }
                    serving.follow(event)
                    lock.lock()
                    running = serving.service
                    lock.unlock()
                }
            } catch {
                log("kg: note: the index is refreshed per request (\((error as? KGError)?.message ?? "\(error)"))\n")
            }
            serving.stop()
            done.signal()
        }
    }

    /// Stops the watcher between updates and waits for it.
    func stop() {
        guard fds[1] >= 0 else { return }
        var b: UInt8 = 1
        _ = Glibc.write(fds[1], &b, 1)
        _ = done.wait(timeout: .now() + 30)
        close(fds[0])
        close(fds[1])
        fds = [-1, -1]
    }
}
