import FinOpsCore
import Foundation
import Logging
import Scheduler
import ServiceLifecycle
import Storage
import Upstream
import XCTest

/// The scheduler as a Service in a ServiceGroup: it runs on its own, notifies, and stops on
/// graceful shutdown; two replicas on one database judge once (leader lease).
final class SchedulerServiceTests: XCTestCase {
    func testServiceRunsDetectionAndDeliveryAndStopsOnGracefulShutdown() async throws {
        let store = try SQLiteTelemetryStore(path: try SchedulerFixtures.sqlitePath(self))
        try SchedulerFixtures.seed(store)
        let receiver = try WebhookReceiver()
        let (notifications, env) = SchedulerFixtures.notifications(receiver)
        let loop = CurlMultiLoop(logger: SchedulerFixtures.logger)
        defer { loop.shutdown() }
        var settings = SchedulerFixtures.settings
        settings.intervalSeconds = 1
        settings.deliveryPollSeconds = 1
        let observer = RecordingObserver()
        let scheduler = AlertScheduler(store: store, budgets: nil, settings: settings, notifications: notifications, org: "acme",
                                       observer: observer, logger: SchedulerFixtures.logger)
        let deliverer = AlertDeliverer(store: store, destinations: try AlertDestination.resolve(notifications, environment: env),
                                       settings: notifications, loop: loop, logger: SchedulerFixtures.logger)
        let service = SchedulerService(scheduler: scheduler, deliverer: deliverer, settings: settings, logger: SchedulerFixtures.logger,
                                       now: { SchedulerFixtures.duringSpike })
        let group = ServiceGroup(configuration: .init(services: [.init(service: service)], logger: SchedulerFixtures.logger))
        let running = Task { try await group.run() }
        XCTAssertTrue(waitFor("three detection runs") { observer.state.withLock { $0.runs.filter { $0 == "detect" }.count } >= 3 })
        let critical = try store.firingAlerts(limit: 50).filter { $0.severity == .critical }
        XCTAssertFalse(critical.isEmpty)
        XCTAssertTrue(try waitFor("a page per critical alert") {
            try critical.allSatisfy { try store.deliveries(alertID: $0.id!).first?.state == .delivered }
        })
        await group.triggerGracefulShutdown()
        try await running.value
        XCTAssertEqual(receiver.requests("/pagerduty/v2/enqueue").count, critical.count,
                       "each critical alert paged once, however many runs the service made")
        XCTAssertTrue(try store.acquireLease(AlertScheduler.leaseName, owner: "next-replica", now: SchedulerFixtures.duringSpike,
                                             until: SchedulerFixtures.duringSpike.addingTimeInterval(60)),
                      "a stopped service gives its lease up")
        await receiver.stop()
    }

    /// Two replicas running at the same moment: one holds the lease and judges, the other
    /// skips; the alerts are stored once.
    func testTwoReplicasRaiseEachAlertOnce() async throws {
        let path = try SchedulerFixtures.sqlitePath(self)
        let a = try SQLiteTelemetryStore(path: path)
        try SchedulerFixtures.seed(a)
        let b = try SQLiteTelemetryStore(path: path)
        let observers = [RecordingObserver(), RecordingObserver()]
        let make = { (store: SQLiteTelemetryStore, name: String, observer: RecordingObserver) in
            AlertScheduler(store: store, budgets: nil, settings: SchedulerFixtures.settings, notifications: NotificationSettings(),
                           org: "acme", observer: observer, logger: SchedulerFixtures.logger, owner: name)
        }
        let (one, two) = (make(a, "replica-a", observers[0]), make(b, "replica-b", observers[1]))
        let now = SchedulerFixtures.duringSpike
        async let first = one.runOnce(now: now)
        async let second = two.runOnce(now: now)
        let reports = try await [first, second]
        XCTAssertEqual(reports.filter(\.leader).count, 1, "one leader")
        XCTAssertEqual(try a.firingAlerts(limit: 100).count, reports.first(where: \.leader)!.raised.count)
        XCTAssertFalse(try a.firingAlerts(limit: 100).isEmpty)
        let follower = reports[0].leader ? two : one
        let followerObserver = reports[0].leader ? observers[1] : observers[0]
        _ = try await follower.runOnce(now: now.addingTimeInterval(60))
        XCTAssertEqual(followerObserver.state.withLock { $0.firing.values.reduce(0, +) }, try a.firingAlerts(limit: 100).count,
                       "a follower's firing gauge is current too")
        // The follower takes over once the leader's lease lapses (three intervals by default).
        let early = try await follower.runOnce(now: now.addingTimeInterval(600))
        XCTAssertFalse(early.leader)
        let takeover = try await follower.runOnce(now: now.addingTimeInterval(900))
        XCTAssertTrue(takeover.leader)
        XCTAssertEqual(takeover.raised.count, 0, "the stored alerts are its alerts too: nothing raised twice")
    }
}
