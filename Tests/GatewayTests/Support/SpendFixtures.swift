import FinOpsCore
import Foundation
import XCTest

/// Request bodies and helpers for the spend-control tests.
enum SpendFixtures {
    static let adminToken = "admin-test-token"

    /// Fixtures.chatCompletion (14 in, 37 out on gpt-4o-mini = $0.0000243) with a max_tokens of
    /// 40, so each call reserves 27,600 nano-dollars (24 estimated prompt tokens + 40 output).
    static func chat(_ content: String = "What is the weather in San Francisco?", model: String = "gpt-4o-mini",
                     maxTokens: Int? = 40, stream: Bool = false) -> String {
        var body = #"{"model":"\#(model)","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"\#(content)"}]"#
        if let maxTokens { body += #","max_tokens":\#(maxTokens)"# }
        if stream { body += #","stream":true"# }
        return body + "}"
    }

    static func admin(_ extra: [(name: String, value: String)] = []) -> [(name: String, value: String)] {
        [("Authorization", "Bearer \(adminToken)")] + extra
    }

    static func team(_ name: String) -> [(name: String, value: String)] { [("X-FinOps-Team", name)] }
}

/// A private redis-server on its own port, stopped and restarted by the test.
final class RedisServer: @unchecked Sendable {
    let port: Int
    private var process: Process?
    private let dir: URL

    init() throws {
        port = freePort()
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("finops-redis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try start()
    }

    var url: String { "redis://127.0.0.1:\(port)" }

    func start() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/redis-server")
        p.arguments = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.path]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        process = p
        // Bounded poll until it accepts connections.
        for _ in 0..<200 {
            if canConnect(port: port) { return }
            usleep(20_000)
        }
        throw XCTSkip("redis-server did not start on port \(port)")
    }

    /// Kills the server outright (a crash, as far as clients can tell) and waits, by bounded
    /// polling, until its port refuses connections.
    func stop() {
        guard let p = process else { return }
        kill(p.processIdentifier, SIGKILL)
        for _ in 0..<500 where canConnect(port: port) { usleep(10_000) }
        process = nil
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: dir)
    }
}

/// A port nothing listens on right now (bind to 0, read it, close).
func freePort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = 0
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
    _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
    return Int(UInt16(bigEndian: addr.sin_port))
}

func canConnect(port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = UInt16(port).bigEndian
    return withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    } == 0
}
