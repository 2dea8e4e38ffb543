import ArgumentParser
import FinOpsCore
import Foundation
import Gateway
import Logging
import Upstream

struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Re-send recorded or generated chat requests (JSONL) through a running router.",
        discussion: """
            Each line is a request body, or {"path", "headers", "body"} to set attribution headers such as \
            X-FinOps-Team, X-FinOps-Use-Case and X-FinOps-Outcome. Requests start at --rate per second \
            (at most --concurrency in flight) on one libcurl multi loop; a progress line goes to stderr \
            and a summary (status counts, latency percentiles, spend from the cost headers) to stdout.
            """)

    @Argument(help: "JSONL file of requests.")
    var file: String

    @Option(help: "Base URL of the router.")
    var url: String = "http://127.0.0.1:8080"

    @Option(help: "Requests started per second (0: as fast as --concurrency allows).")
    var rate: Double = 10

    @Option(help: "Requests in flight at most.")
    var concurrency: Int = 64

    @Option(help: "Send at most this many requests (default: the whole file).")
    var limit: Int?

    @Option(help: "Per-request timeout in seconds.")
    var timeout: Int = 120

    /// A streamed answer carries its cost in an SSE comment (`: finops cost_usd=0.000113 …`).
    static func streamedCost(_ body: [UInt8]) -> String? {
        let text = String(decoding: body, as: UTF8.self)
        guard let range = text.range(of: ": finops cost_usd=") else { return nil }
        return String(text[range.upperBound...].prefix { $0 == "." || $0 == "-" || $0.isNumber })
    }

    func validate() throws {
        guard rate >= 0 else { throw ValidationError("--rate must be 0 or more") }
        guard (1...10_000).contains(concurrency) else { throw ValidationError("--concurrency must be 1...10000") }
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else { throw ValidationError("--url must be http(s)://") }
    }

    func run() async throws {
        SignalWaiter.ignoreSIGPIPE()
        var requests = try ReplayRequest.load(path: file)
        if let limit { requests = Array(requests.prefix(max(0, limit))) }
        var logger = Logger(label: "finops-router.replay")
        logger.logLevel = .warning
        let loop = CurlMultiLoop(logger: logger)
        defer { loop.shutdown() }
        let progress = ReplayProgress(total: requests.count)
        let base = url.hasSuffix("/") ? String(url.dropLast()) : url
        let interactive = isatty(STDERR_FILENO) != 0
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(interactive ? 250 : 5_000))
                FileHandle.standardError.write(Data(((interactive ? "\r" : "") + progress.progressLine() + (interactive ? "" : "\n")).utf8))
            }
        }
        let interval = rate > 0 ? Duration.seconds(1 / rate) : .zero
        let start = ContinuousClock.now
        let limitInFlight = concurrency, timeout = Duration.seconds(self.timeout)
        await withTaskGroup(of: Void.self) { group in
            for (index, request) in requests.enumerated() {
                if index >= limitInFlight { await group.next() }
                if rate > 0 { try? await Task.sleep(until: start + interval * index, clock: .continuous) }
                progress.sent()
                group.addTask {
                    let began = ContinuousClock.now
                    let upstream = UpstreamRequest(url: base + request.path, method: "POST",
                                                   headers: [("Content-Type", "application/json")] + request.headers,
                                                   body: request.body, timeout: timeout)
                    let response = try? await loop.execute(upstream)
                    progress.finished(status: response?.status, latencyMs: began.duration(to: .now).seconds * 1_000,
                                      cost: response?.head.header("X-FinOps-Cost-USD") ?? response.flatMap { Self.streamedCost($0.body) },
                                      savings: response?.head.header("X-FinOps-Savings-USD"),
                                      model: response?.head.header("X-FinOps-Model"))
                }
            }
        }
        ticker.cancel()
        FileHandle.standardError.write(Data(((interactive ? "\r" : "") + progress.progressLine() + "\n").utf8))
        print(progress.summary(url: base))
        let snapshot = progress.snapshot
        if snapshot.ok == 0 && snapshot.completed > 0 { throw ExitCode(1) }
    }
}
