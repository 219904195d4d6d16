#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation
import KnowledgeGraph

/// Query commands answered by a running watcher (`kg watch`, or the one `kg mcp` and `kg lsp`
/// run on a thread): the watcher listens on a Unix socket in
/// the index folder (`.kg/query.sock`, only for its user), and a query command of that vault
/// sends it its arguments instead of opening the index itself. The watcher answers from the
/// index it keeps open, with what it has decoded and read, so a query costs the work of the
/// question and not that of opening, checking and decoding the index again.
///
/// The exchange is one request and one answer a connection: the request names the working
/// folder, kg's environment variables and the arguments; the answer is the exit status and
/// what the command wrote, stdout and stderr in the order written. Whatever goes wrong on the
/// way (no watcher, a socket left by a dead one, another vault, a watcher that dies while
/// answering) ends in the command running in its own process, as it does without a watcher.
enum QueryProtocol {
    static let request: [UInt8] = Array("KGQ1".utf8)
    static let answer: [UInt8] = Array("KGA1".utf8)
    /// The most a request may hold (arguments are short).
    static let maxRequest = 1 << 20

    /// The socket of the vault whose index folder is `indexFolder`, or nil when the path is
    /// too long for a socket address.
    static func socketPath(indexFolder: String) -> String? {
        let path = indexFolder + "/query.sock"
        return path.utf8.count < 100 ? path : nil
    }

    static func u32(_ v: Int, into out: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8(truncatingIfNeeded: v >> shift)) }
    }

    static func string(_ s: String, into out: inout [UInt8]) {
        u32(s.utf8.count, into: &out)
        out += s.utf8
    }

    /// Reads what `QueryProtocol` wrote, failing (nil) past the end.
    struct Reader {
        let bytes: [UInt8]
        var at = 0

        mutating func u8() -> UInt8? {
            guard at < bytes.count else { return nil }
            defer { at += 1 }
            return bytes[at]
        }

        mutating func u32() -> Int? {
            guard at + 4 <= bytes.count else { return nil }
            var v = 0
            for i in 0..<4 { v |= Int(bytes[at + i]) << (8 * i) }
            at += 4
            return v
        }

        mutating func string() -> String? {
            guard let n = u32(), at + n <= bytes.count else { return nil }
            defer { at += n }
            return String(decoding: bytes[at..<at + n], as: UTF8.self)
        }
    }

    /// An `AF_UNIX` stream socket address for `path`.
    static func address(_ path: String) -> sockaddr_un {
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in path.utf8.enumerated() where i < raw.count - 1 { raw[i] = b }
        }
        return addr
    }

    static func newSocket() -> Int32 {
        #if os(Linux)
            return socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #else
            return socket(AF_UNIX, SOCK_STREAM, 0)
        #endif
    }

    /// Writes all of `bytes` (false when the other end went away).
    static func send(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                #if os(Linux)
                    let n = Glibc.send(fd, raw.baseAddress! + done, raw.count - done, Int32(MSG_NOSIGNAL))
                #else
                    let n = write(fd, raw.baseAddress! + done, raw.count - done)
                #endif
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                done += n
            }
            return true
        }
    }

    /// Reads until the other end closes, at most `limit` bytes, each wait at most
    /// `timeoutMS` (nil when it fails or takes longer).
    static func receive(_ fd: Int32, limit: Int, timeoutMS: Int32, until complete: ([UInt8]) -> Bool = { _ in false }) -> [UInt8]? {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&p, 1, timeoutMS)
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { return nil }
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { return nil }
            if n == 0 { return out }
            out += buffer[0..<n]
            guard out.count <= limit else { return nil }
            if complete(out) { return out }
        }
    }
}

/// The client side: `CLI.run` hands a query command to the vault's watcher when one answers.
enum QueryClient {
    /// The command's exit status after writing its output to `console`, or nil when no
    /// watcher answered it (the caller then runs it itself).
    static func forward(
        _ arguments: [String], environment: [String: String], currentDirectory: String, indexFolder: String, console: Console
    ) -> Int32? {
        guard let path = QueryProtocol.socketPath(indexFolder: indexFolder) else { return nil }
        let fd = QueryProtocol.newSocket()
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var addr = QueryProtocol.address(path)
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else { return nil }
        var payload: [UInt8] = []
        QueryProtocol.string(currentDirectory, into: &payload)
        let variables = environment.sorted { $0.key < $1.key }
        QueryProtocol.u32(variables.count, into: &payload)
        for (k, v) in variables {
            QueryProtocol.string(k, into: &payload)
            QueryProtocol.string(v, into: &payload)
        }
        QueryProtocol.u32(arguments.count, into: &payload)
        for a in arguments { QueryProtocol.string(a, into: &payload) }
        var request = QueryProtocol.request
        QueryProtocol.u32(payload.count, into: &request)
        request += payload
        guard QueryProtocol.send(fd, request) else { return nil }
        // A query that takes longer than this is run here instead.
        guard let bytes = QueryProtocol.receive(fd, limit: Int.max, timeoutMS: 120_000) else { return nil }
        var r = QueryProtocol.Reader(bytes: bytes)
        guard bytes.count >= 4, Array(bytes[0..<4]) == QueryProtocol.answer else { return nil }
        r.at = 4
        guard let status = r.u8(), status == 0, let code = r.u32() else { return nil }
        // The whole answer is read before anything is written: an answer cut short is run
        // here instead, and nothing is written twice.
        var chunks: [(stream: UInt8, text: String)] = []
        while true {
            guard let stream = r.u8() else { return nil }
            if stream == 0 { break }
            guard stream == 1 || stream == 2, let text = r.string() else { return nil }
            chunks.append((stream, text))
        }
        for c in chunks {
            if c.stream == 1 { console.out(c.text) } else { console.err(c.text) }
        }
        return Int32(truncatingIfNeeded: UInt32(code))
    }
}

/// The server side, started once a watcher holds the vault's watch lock: one query at a time,
/// on its own thread, next to the watcher's updates.
final class QueryService: @unchecked Sendable {
    private let kb: KnowledgeBase
    private let path: String
    private let listenFD: Int32
    /// The socket file's inode: it is removed at the end only while it is still this one.
    private let inode: UInt64
    private var stopFDs: [Int32] = [-1, -1]
    /// A byte here asks the service to open the index a commit has just written (`warm`).
    private var warmFDs: [Int32] = [-1, -1]
    private let done = DispatchSemaphore(value: 0)
    private let answeredCount = NSLock()
    private var answeredValue = 0
    /// Queries answered so far.
    var answered: Int {
        answeredCount.lock()
        defer { answeredCount.unlock() }
        return answeredValue
    }

    /// Starts answering queries of `kb`'s vault; nil (with a note to `log`) when the socket
    /// cannot be made, and the queries then run in their own processes.
    static func start(kb: KnowledgeBase, log: @escaping @Sendable (String) -> Void) -> QueryService? {
        #if os(Linux)
            guard let path = QueryProtocol.socketPath(indexFolder: kb.indexer.indexFolder) else {
                log("kg: note: the index folder's path is too long for a socket; queries open the index themselves\n")
                return nil
            }
            let fd = QueryProtocol.newSocket()
            guard fd >= 0 else { return nil }
            // The watch lock is held: a socket file here is a dead watcher's.
            unlink(path)
            var addr = QueryProtocol.address(path)
            let old = umask(0o077)
            let bound = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            umask(old)
            var st = stat()
            guard bound == 0, listen(fd, 16) == 0, stat(path, &st) == 0 else {
                log("kg: note: cannot answer queries on \(path) (\(String(cString: strerror(errno)))); queries open the index themselves\n")
                close(fd)
                return nil
            }
            let service = QueryService(kb: kb, path: path, listenFD: fd, inode: UInt64(st.st_ino))
            guard pipe(&service.stopFDs) == 0 else {
                service.removeSocket()
                return nil
            }
            if pipe(&service.warmFDs) == 0 { _ = fcntl(service.warmFDs[1], F_SETFL, O_NONBLOCK) }
            Thread.detachNewThread { [service] in
                service.serve()
                service.done.signal()
            }
            return service
        #else
            return nil
        #endif
    }

    private init(kb: KnowledgeBase, path: String, listenFD: Int32, inode: UInt64) {
        self.kb = kb
        self.path = path
        self.listenFD = listenFD
        self.inode = inode
    }

    /// Asks the service to open the index just committed, between queries, so that the
    /// first query after a save does not wait for it (it never blocks the caller).
    func warm() {
        guard warmFDs[1] >= 0 else { return }
        var b: UInt8 = 1
        _ = write(warmFDs[1], &b, 1)
    }

    /// Stops answering (after the query being answered) and removes the socket.
    func stop() {
        guard stopFDs[1] >= 0 else { return }
        var b: UInt8 = 1
        _ = write(stopFDs[1], &b, 1)
        _ = done.wait(timeout: .now() + 60)
        for fd in stopFDs + warmFDs where fd >= 0 { close(fd) }
        stopFDs = [-1, -1]
        warmFDs = [-1, -1]
        removeSocket()
    }

    private func removeSocket() {
        var st = stat()
        if stat(path, &st) == 0, UInt64(st.st_ino) == inode { unlink(path) }
        close(listenFD)
    }

    private func serve() {
        while true {
            var fds = [pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0), pollfd(fd: stopFDs[0], events: Int16(POLLIN), revents: 0),
                pollfd(fd: warmFDs[0], events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 3, -1)
            if ready < 0 && errno == EINTR { continue }
            if ready < 0 || fds[1].revents != 0 { return }
            if fds[2].revents & Int16(POLLIN) != 0 {
                // Several commits since: one warm-up, of the last.
                var drain = [UInt8](repeating: 0, count: 64)
                _ = read(warmFDs[0], &drain, drain.count)
                kb.warmUp()
            }
            guard fds[0].revents & Int16(POLLIN) != 0 else { continue }
            let c = accept(listenFD, nil, nil)
            if c < 0 { continue }
            answer(c)
            close(c)
        }
    }

    /// Answers one connection: a request from this user, run on the shared knowledge base.
    private func answer(_ c: Int32) {
        #if os(Linux)
            // `struct ucred` (pid, uid, gid), which Glibc's module leaves out.
            var cred: (pid: Int32, uid: UInt32, gid: UInt32) = (0, 0, 0)
            var length = socklen_t(MemoryLayout<(Int32, UInt32, UInt32)>.size)
            guard getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cred, &length) == 0, cred.uid == getuid() else { return }
        #endif
        func complete(_ bytes: [UInt8]) -> Bool {
            var r = QueryProtocol.Reader(bytes: bytes, at: 4)
            guard let n = r.u32() else { return false }
            return bytes.count >= 8 + n
        }
        guard let bytes = QueryProtocol.receive(c, limit: QueryProtocol.maxRequest, timeoutMS: 2_000, until: complete),
            bytes.count >= 8, Array(bytes[0..<4]) == QueryProtocol.request
        else { return }
        var r = QueryProtocol.Reader(bytes: bytes, at: 8)
        guard let cwd = r.string(), let variableCount = r.u32(), variableCount < 1_000 else { return }
        var environment: [String: String] = [:]
        for _ in 0..<variableCount {
            guard let k = r.string(), let v = r.string() else { return }
            environment[k] = v
        }
        guard let argumentCount = r.u32(), argumentCount < 100_000 else { return }
        var arguments: [String] = []
        for _ in 0..<argumentCount {
            guard let a = r.string() else { return }
            arguments.append(a)
        }
        let written = Written()
        let console = Console(out: { written.add(1, $0) }, err: { written.add(2, $0) }, errIsTerminal: false)
        var reply = QueryProtocol.answer
        if let code = CLI.run(arguments, environment: environment, currentDirectory: cwd, console: console, served: kb) {
            reply.append(0)
            QueryProtocol.u32(Int(UInt32(bitPattern: code)), into: &reply)
            reply += written.bytes()
            answeredCount.lock()
            answeredValue += 1
            answeredCount.unlock()
        } else {
            reply.append(1)
            QueryProtocol.u32(0, into: &reply)
        }
        reply.append(0)
        _ = QueryProtocol.send(c, reply)
    }

    /// What a served command wrote, as chunks in order: the stream (1 stdout, 2 stderr) and
    /// the text.
    private final class Written: @unchecked Sendable {
        private var data: [UInt8] = []
        private let lock = NSLock()

        func add(_ stream: UInt8, _ text: String) {
            lock.lock()
            defer { lock.unlock() }
            data.append(stream)
            QueryProtocol.string(text, into: &data)
        }

        func bytes() -> [UInt8] {
            lock.lock()
            defer { lock.unlock() }
            return data
        }
    }
}

/// What a watcher does for its query service as events come: it starts the service once the
/// watcher holds the vault's lock (its first update), and after each commit lets go of the
/// replaced index and has the new one opened before the next query. `kg watch` and the
/// servers' background watcher both follow their events with one.
struct QueryServing {
    let kb: KnowledgeBase
    let log: @Sendable (String) -> Void
    private(set) var service: QueryService?
    private var started = false

    init(kb: KnowledgeBase, log: @escaping @Sendable (String) -> Void) {
        self.kb = kb
        self.log = log
    }

    mutating func follow(_ event: Watcher.Event) {
        switch event {
        case .notice: return
        case .updated:
            kb.dropStaleView()
            service?.warm()
        case .unchanged: break
        }
        if !started {
            started = true
            service = QueryService.start(kb: kb, log: log)
            service?.warm()
        }
    }

    /// Stops the service, if it started.
    func stop() { service?.stop() }
}
