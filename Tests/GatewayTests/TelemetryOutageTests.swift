import FinOpsCore
import Foundation
import Gateway
import XCTest

/// The request path never waits on the telemetry database: with PostgreSQL hanging (a port
/// that accepts connections and never answers), calls stay fast and every row is spilled.
final class TelemetryOutageTests: XCTestCase {
    func testRequestsNeverWaitOnAHungDatabase() async throws {
        let blackhole = try Blackhole()
        defer { blackhole.close() }
        let harness = try RouterHarness(upstream: nil) { config in
            config.telemetry.databaseURL = "postgres://finops@127.0.0.1:\(blackhole.port)/finops?connect_timeout=2"
            config.telemetry.flushIntervalMs = 5
        }
        let body = #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}"#
        var latencies: [Duration] = []
        for _ in 0..<200 {
            let started = ContinuousClock.now
            let reply = try await harness.post(body)
            latencies.append(started.duration(to: .now))
            XCTAssertEqual(reply.status, 200)
        }
        latencies.sort()
        let p99 = latencies[latencies.count * 99 / 100]
        print("hung-database run: p50 \(latencies[latencies.count / 2]), p99 \(p99) over \(latencies.count) calls")
        XCTAssertLessThan(p99, .milliseconds(500), "a hung database (2 s connect timeout) must never show in request latency")

        let metricsDeadline = ContinuousClock.now + .seconds(60)
        var metrics = ""
        while ContinuousClock.now < metricsDeadline {
            metrics = try await harness.metricsText()
            if metrics.contains("finops_router_telemetry_rows_spilled_total 200") { break }
            try await Task.sleep(for: .milliseconds(20))  // polling the metrics page, not waiting on time
        }
        XCTAssertTrue(metrics.contains("finops_router_telemetry_rows_spilled_total 200"), metrics)
        XCTAssertTrue(metrics.contains("finops_router_telemetry_rows_dropped_total 0"), metrics)
        XCTAssertTrue(metrics.contains("finops_router_telemetry_spill_pending_rows 200"), metrics)
        XCTAssertTrue(metrics.contains("finops_router_telemetry_rows_replayed_total 0"), metrics)
        let ready = try await harness.request("GET", "/readyz").json
        XCTAssertEqual(ready?["telemetry"]?["spilled"]?.intValue, 200)
        await harness.stop()
    }
}

/// A TCP port that completes handshakes (the kernel does, from the listen backlog) and then
/// never says a word: what a hung database looks like to a client.
final class Blackhole: @unchecked Sendable {
    let port: Int
    private var fd: Int32

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, 64) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard ok else {
            Glibc.close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() {
        if fd >= 0 { Glibc.close(fd); fd = -1 }
    }
}
