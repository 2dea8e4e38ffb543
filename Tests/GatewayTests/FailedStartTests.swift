import FinOpsCore
import Foundation
import Gateway
import Logging
import XCTest

/// A router that cannot start (here: a policy naming a failover group the config lacks) fails
/// with the located error and leaves nothing running behind it.
final class FailedStartTests: XCTestCase {
    /// Threads of this process (a half-built router's curl loop would stay among them).
    private func threads() -> Int { ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []).count }

    func testAnInvalidPolicyFailsTheStartWithItsLocationAndStopsTheUpstreamLoop() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("finops-failed-start-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "failover_group: nowhere\n".write(to: dir.appendingPathComponent("ops.yaml"), atomically: true, encoding: .utf8)
        var config = RouterConfig()
        config.server.host = "127.0.0.1"
        config.server.port = 0
        config.telemetry.sqlitePath = dir.appendingPathComponent("finops.sqlite").path
        config.policiesDirectory = dir.path
        let before = threads()
        for _ in 0..<3 {
            XCTAssertThrowsError(try GatewayApp(config: config, catalog: DefaultPricing.catalog(), environment: [:],
                                                logger: Logger(label: "failed-start"))) { error in
                XCTAssertTrue("\(error)".hasSuffix("ops.yaml:1: failover_group: no failover group 'nowhere' (none are configured)"),
                              "\(error)")
            }
        }
        // A stopped loop's thread is gone within moments; one left running never goes.
        try await eventually("the half-built routers' curl loop threads to end", timeout: .seconds(5)) { threads() <= before }
    }
}
