import FinOpsCore
import Foundation
import Gateway
import Logging
import Storage
import Upstream
import XCTest

/// A real router on a loopback port, configured against a mock upstream, with its own SQLite
/// file; plus an HTTP client (libcurl, the same multi loop the router uses) to call it.
final class RouterHarness: @unchecked Sendable {
    static let apiKey = "sk-test-SECRET-abc123"

    let app: GatewayApp
    let client: CurlMultiLoop
    let dbPath: String
    private var stopped = false

    init(upstream: String?, environment: [String: String] = [:], configure: (inout RouterConfig) -> Void = { _ in }) throws {
        signal(SIGPIPE, SIG_IGN)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("finops-test-\(UUID().uuidString)")
        dbPath = dir.appendingPathComponent("finops.sqlite").path
        var config = RouterConfig()
        config.server.host = "127.0.0.1"
        config.server.port = 0
        config.telemetry.sqlitePath = dbPath
        config.telemetry.flushIntervalMs = 20
        config.simulator.latencyMedianMs = 0
        config.simulator.latencyP95Ms = 0
        if let upstream {
            var openai = RouterConfig.Provider(name: "openai", kind: .openAICompatible)
            openai.baseURL = upstream
            openai.apiKeyEnv = "TEST_OPENAI_KEY"
            openai.models = ["gpt-4o-mini", "gpt-4o"]
            openai.timeoutMs = 5_000
            config.providers.append(openai)
        }
        config.providers.append(RouterConfig.Provider(name: "simulator", kind: .simulator))
        configure(&config)
        var logger = Logger(label: "test-router")
        logger.logLevel = .warning
        app = try GatewayApp(config: config, catalog: DefaultPricing.catalog(),
                             environment: environment.merging(["TEST_OPENAI_KEY": Self.apiKey]) { a, _ in a }, logger: logger)
        try app.start()
        client = CurlMultiLoop(logger: logger)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: (dbPath as NSString).deletingLastPathComponent)
    }

    var baseURL: String { "http://127.0.0.1:\(app.port)" }

    struct Reply {
        var status: Int
        var headers: UpstreamResponseHead
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
        var json: JSONValue? { try? JSONParser.parse(body) }
        func header(_ name: String) -> String? { headers.header(name) }
    }

    func request(_ method: String, _ path: String, body: String = "", headers: [(name: String, value: String)] = [],
                 timeout: Duration = .seconds(30)) async throws -> Reply {
        let r = try await client.execute(UpstreamRequest(
            url: baseURL + path, method: method,
            headers: [("Content-Type", "application/json")] + headers, body: Array(body.utf8), timeout: timeout))
        return Reply(status: r.status, headers: r.head, body: r.body)
    }

    func post(_ body: String, path: String = "/v1/chat/completions", headers: [(name: String, value: String)] = []) async throws -> Reply {
        try await request("POST", path, body: body, headers: headers)
    }

    /// Reads a whole streamed response (SSE) and returns its head and text.
    func postStream(_ body: String) async throws -> (UpstreamResponseHead, String) {
        let s = try await client.stream(UpstreamRequest(
            url: baseURL + "/v1/chat/completions", headers: [("Content-Type", "application/json")], body: Array(body.utf8)))
        var bytes: [UInt8] = []
        for try await chunk in s.body { bytes += chunk }
        return (s.head, String(decoding: bytes, as: UTF8.self))
    }

    /// Stops the router (flushing telemetry) and returns every stored row, newest first.
    func stopAndReadRows() async throws -> [TelemetryRecord] {
        await stop()
        let store = try SQLiteTelemetryStore(path: dbPath)
        return try store.recentRequests(limit: 10_000)
    }

    func stop() async {
        guard !stopped else { return }
        stopped = true
        await app.shutdown()
        client.shutdown()
    }

    func metricsText() async throws -> String {
        try await request("GET", "/metrics").text
    }
}

/// Raises the open-file limit to the hard limit (the concurrency tests hold thousands of sockets).
func raiseFileLimit() {
    var limit = rlimit()
    getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    limit.rlim_cur = limit.rlim_max
    setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
}

/// Threads of this process, from /proc.
func processThreadCount() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
    for line in status.split(separator: "\n") where line.hasPrefix("Threads:") {
        return Int(line.dropFirst("Threads:".count).trimmingCharacters(in: .whitespaces)) ?? -1
    }
    return -1
}
