import FinOpsCore
import Foundation
import Gateway
import Logging
import XCTest

/// `dashboard:` in the config file, and what an unusable `public_dir` does.
final class DashboardConfigTests: XCTestCase {
    func testDashboardSectionIsReadAndChecked() throws {
        let config = try ConfigLoader.parse(yaml: "dashboard: {public_dir: /srv/public, refresh_seconds: 0}", file: "t.yaml",
                                            environment: [:], catalog: DefaultPricing.catalog())
        XCTAssertEqual(config.dashboard.publicDirectory, "/srv/public")
        XCTAssertEqual(config.dashboard.refreshSeconds, 0)
        XCTAssertEqual(RouterConfig().dashboard.refreshSeconds, 60)
        XCTAssertThrowsError(try ConfigLoader.parse(yaml: "dashboard:\n  refresh_second: 5", file: "t.yaml", environment: [:],
                                                    catalog: DefaultPricing.catalog())) { error in
            XCTAssertEqual("\(error)", "t.yaml:2: dashboard.refresh_second: unknown key")
        }
        XCTAssertThrowsError(try ConfigLoader.parse(yaml: "dashboard: {refresh_seconds: -1}", file: "t.yaml", environment: [:],
                                                    catalog: DefaultPricing.catalog()))
    }

    func testAConfiguredPublicDirWithoutTemplatesRefusesToStart() throws {
        var config = RouterConfig()
        config.server.port = 0
        config.server.host = "127.0.0.1"
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("finops-dash-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        config.telemetry.sqlitePath = dir.appendingPathComponent("f.sqlite").path
        config.dashboard.publicDirectory = dir.appendingPathComponent("nothing-here").path
        XCTAssertThrowsError(try GatewayApp(config: config, catalog: DefaultPricing.catalog(), environment: [:], logger: Logger(label: "t"))) { error in
            XCTAssertTrue("\(error)".contains("dashboard.public_dir"), "\(error)")
        }
    }
}
