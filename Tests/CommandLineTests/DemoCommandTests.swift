import FinOpsCore
import FinOpsTestSupport
import Foundation
import Storage
import XCTest

/// `finops-router demo` through the real binary: the story's traffic goes through a real router
/// over loopback, and what it claims (failover, savings, budget crossings, alerts delivered by
/// severity) is checked against the store it leaves behind.
final class DemoCommandTests: XCTestCase {
    func testDemoTellsTheStoryAndLeavesAPopulatedStore() throws {
        let dir = try temporaryDirectory(self)
        let db = dir + "/demo.sqlite"
        let out = try FinOpsRouterBinary.run(["demo", "--exit", "--port", "0", "--sqlite-path", db, "--history-rows", "12000"])
        for phase in 1...6 { XCTAssertTrue(out.contains("[\(phase)/6]"), "phase \(phase) missing:\n\(out)") }

        // Failover: every outage call answered by the backup region, and the primary's circuit open.
        let outage = try XCTUnwrap(out.split(separator: "\n").first { $0.contains("after failover") }, out)
        XCTAssertTrue(outage.contains("20/20 answered, 20 by sim-eu-west after failover"), String(outage))
        XCTAssertTrue(outage.contains("circuit for sim-us-east is open"), String(outage))

        // Auto routing saved money against the baseline, and the dashboard's API shows savings.
        let saved = try XCTUnwrap(out.split(separator: "\n").first { $0.contains("on the baseline model: saved") }, out)
        XCTAssertFalse(saved.contains("saved $0 "), String(saved))
        let dashboard = try XCTUnwrap(out.split(separator: "\n").first { $0.hasPrefix("Dashboard, last 24 hours") }, out)
        XCTAssertFalse(dashboard.contains(" 0 failovers"), String(dashboard))
        XCTAssertFalse(dashboard.contains(" $0 saved"), String(dashboard))

        // The budget crossed both alert thresholds before calls were refused.
        XCTAssertTrue(out.contains("50% threshold crossed"), out)
        XCTAssertTrue(out.contains("80% threshold crossed"), out)
        XCTAssertTrue(out.contains("HTTP 402 budget_exceeded"), out)

        // Alerts: the planted spike is critical and paged; the budget's 80% is a warning for chat;
        // the signed webhook's signature checks out.
        XCTAssertTrue(out.contains("raised critical SpendSpike"), out)
        XCTAssertTrue(out.contains("PagerDuty ← trigger (critical) Spend spike: support"), out)
        XCTAssertTrue(out.contains("Slack     ← "), out)
        XCTAssertTrue(out.contains("[HMAC signature verified]"), out)
        XCTAssertFalse(out.contains("BAD SIGNATURE"), out)

        let store = try SQLiteTelemetryStore(path: db)
        let firing = try store.firingAlerts(limit: 100)
        let spike = try XCTUnwrap(firing.first { $0.kind == "spend_spike" && $0.team == "support" })
        XCTAssertEqual(spike.severity, .critical)
        XCTAssertEqual(spike.deliveryState, .delivered)
        let budget = try XCTUnwrap(firing.first { $0.kind == "budget_threshold" && $0.threshold == 80 })
        XCTAssertEqual(budget.team, "growth")
        XCTAssertEqual(budget.deliveryState, .delivered)
        let stories = try XCTUnwrap(out.split(separator: "\n").first { $0.hasPrefix("Story told") }, out)
        XCTAssertTrue(stories.contains("\(firing.count) alerts raised"), "\(stories) vs \(firing.count) firing")
        XCTAssertTrue(out.contains("Where to look:"), out)
    }

    func testDemoRefusesToOverwriteAStoreItDidNotMake() throws {
        let dir = try temporaryDirectory(self)
        let db = dir + "/mine.sqlite"
        try Data("precious".utf8).write(to: URL(fileURLWithPath: db))
        XCTAssertThrowsError(try FinOpsRouterBinary.run(["demo", "--exit", "--port", "0", "--sqlite-path", db])) { error in
            XCTAssertTrue("\(error)".contains("Pass --replace to delete it"), "\(error)")
        }
        XCTAssertEqual(try String(contentsOfFile: db, encoding: .utf8), "precious")
    }

    func testPrintConfigIsAConfigTheRouterAccepts() throws {
        let dir = try temporaryDirectory(self)
        let yaml = try FinOpsRouterBinary.run(["demo", "--print-config"])
        XCTAssertTrue(yaml.contains("outages:"), yaml)
        let path = dir + "/demo.yaml"
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        // Destinations read their URLs and keys from the environment: `config check` needs them set.
        let env = ["FINOPS_DEMO_PAGERDUTY_KEY": "k", "FINOPS_DEMO_SLACK_URL": "http://127.0.0.1:9/slack",
                   "FINOPS_DEMO_WEBHOOK_URL": "http://127.0.0.1:9/hook", "FINOPS_DEMO_WEBHOOK_SECRET": "s"]
        let check = try FinOpsRouterBinary.run(["config", "check", path], environment: env)
        XCTAssertTrue(check.contains("OK — 3 providers (simulator, sim-us-east, sim-eu-west)"), check)
    }

    func testABusyPortIsReportedBeforeSeedingAndLeavesNoStore() throws {
        let dir = try temporaryDirectory(self)
        let db = dir + "/demo.sqlite"
        let (holder, port) = try ProcessRunner.listeningSocket()
        defer { close(holder) }
        XCTAssertThrowsError(try FinOpsRouterBinary.run(["demo", "--exit", "--port", String(port), "--sqlite-path", db])) { error in
            XCTAssertTrue("\(error)".contains("cannot listen on 127.0.0.1:\(port)"), "\(error)")
            XCTAssertTrue("\(error)".contains("Pass --port N"), "\(error)")
            XCTAssertFalse("\(error)".contains("[1/6]"), "nothing seeded before the port was known to be free: \(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: db), "a failed start leaves no store for the next run to trip over")
    }
}
