import FinOpsTestSupport
import Foundation
import Storage
import XCTest

/// `finops-router seed` then `finops-router scheduler run-once` through the real binary: the
/// planted spike is raised with its evidence, and resolved once it is over.
final class SchedulerCommandTests: XCTestCase {
    func testRunOnceAfterSeedRaisesThePlantedSpikeAndResolvesIt() throws {
        let dir = try temporaryDirectory(self)
        let db = dir + "/finops.sqlite"
        try FinOpsRouterBinary.run(["seed", "--end", "2026-11-23", "--sqlite-path", db])
        let during = try FinOpsRouterBinary.run(["scheduler", "run-once", "--at", "2026-11-19T12:30:00Z", "--sqlite-path", db])
        XCTAssertTrue(during.contains("judged hour 2026-11-19T11:00:00Z"), during)
        XCTAssertTrue(during.contains("spend_spike:team=support:use_case=ticket-triage"), during)
        XCTAssertTrue(during.contains("robust z"), during)
        XCTAssertTrue(during.contains("no notification destinations configured: alerts are stored (and shown), not sent"), during)
        let raised = try XCTUnwrap(during.split(separator: "\n").first { $0.hasPrefix("raised ") })
        let store = try SQLiteTelemetryStore(path: db)
        let firing = try store.firingAlerts(limit: 100)
        XCTAssertEqual(raised, "raised \(firing.count), resolved 0, still firing 0")
        XCTAssertTrue(firing.allSatisfy { $0.team == "support" && $0.deliveryState == .suppressed })

        let again = try FinOpsRouterBinary.run(["scheduler", "run-once", "--at", "2026-11-19T12:40:00Z", "--sqlite-path", db])
        XCTAssertTrue(again.contains("raised 0, resolved 0, still firing \(firing.count)"), again)

        let after = try FinOpsRouterBinary.run(["scheduler", "run-once", "--at", "2026-11-19T14:10:00Z", "--sqlite-path", db])
        XCTAssertTrue(after.contains("resolved \(firing.count),"), after)
        XCTAssertEqual(try store.firingAlerts(limit: 100).count, 0)
    }

    func testRunOnceRejectsABadTime() throws {
        XCTAssertThrowsError(try FinOpsRouterBinary.run(["scheduler", "run-once", "--at", "yesterday"])) { error in
            XCTAssertTrue("\(error)".contains("--at: expected a UTC time"), "\(error)")
        }
    }
}
