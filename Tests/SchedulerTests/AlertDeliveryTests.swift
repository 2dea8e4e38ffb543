import FinOpsCore
import Foundation
import Logging
import Scheduler
import Storage
import Synchronization
import Upstream
import XCTest

/// Delivery state that survives restarts, retries with backoff, gives up after N attempts,
/// and never writes a secret anywhere. Times are injected; nothing sleeps.
final class AlertDeliveryTests: XCTestCase {
    private let t0 = Date(timeIntervalSince1970: 1_795_000_000)
    private let pagerPath = "/pagerduty/v2/enqueue"

    private func raise(_ store: any AlertStore, _ severity: AlertSeverity, to destinations: [(String, AlertDestinationKind)],
                       fingerprint: String) throws -> Int64 {
        let alert = AlertRecord(time: t0, fingerprint: fingerprint, kind: "spend_spike", severity: severity, org: "acme", team: "search",
                                title: "Spend spike: search", message: "m", value: 9, threshold: 2, labels: ["alertname": "SpendSpike"])
        return try XCTUnwrap(try store.raiseAlert(alert, deliveries: destinations.map {
            AlertDelivery(destination: $0.0, kind: $0.1, action: .trigger, groupKey: "run:1:team=search", nextAttemptAt: t0, createdAt: t0)
        }))
    }

    private func deliverer(_ store: any AlertStore, _ receiver: WebhookReceiver, _ loop: CurlMultiLoop, observer: RecordingObserver? = nil,
                           logger: Logger = SchedulerFixtures.logger,
                           adjust: (inout NotificationSettings) -> Void = { _ in }) throws -> AlertDeliverer {
        var (settings, env) = SchedulerFixtures.notifications(receiver)
        adjust(&settings)
        return AlertDeliverer(store: store, destinations: try AlertDestination.resolve(settings, environment: env), settings: settings,
                              loop: loop, observer: observer, logger: logger, random: { 1 })
    }

    /// Process A raises three alerts: one it never tries to send (it stops first), one whose
    /// receiver answers 503 (retry pending), one it claims and dies before recording (lease
    /// held). Process B, on the same database, sends each exactly once when it is due.
    func testPendingDeliveriesSurviveARestartAndAreDeliveredOnce() async throws {
        let path = try SchedulerFixtures.sqlitePath(self)
        let receiver = try WebhookReceiver()
        receiver.respond("/hook", with: [503, 200])
        let loopA = CurlMultiLoop(logger: SchedulerFixtures.logger)
        let a = try SQLiteTelemetryStore(path: path)
        _ = try raise(a, .info, to: [("hook", .webhook)], fingerprint: "request_spike:team=search")
        let firstTry = try await deliverer(a, receiver, loopA).deliverDue(now: t0)
        XCTAssertEqual(firstTry.retrying, 1)
        _ = try raise(a, .critical, to: [("pager", .pagerduty)], fingerprint: "spend_spike:team=search")
        let dying = try raise(a, .warning, to: [("chat", .slack)], fingerprint: "cost_drift:team=search")
        let leased = try a.claimDueDeliveries(now: t0 + 1, leaseUntil: t0 + 300, limit: 10)
        XCTAssertEqual(leased.map(\.delivery.alertID).contains(dying), true)
        // A dies here: the pager delivery was claimed with the chat one, but neither recorded.
        loopA.shutdown()

        let b = try SQLiteTelemetryStore(path: path)
        let loopB = CurlMultiLoop(logger: SchedulerFixtures.logger)
        defer { loopB.shutdown() }
        let sender = try deliverer(b, receiver, loopB)
        let early = try await sender.deliverDue(now: t0 + 2)
        XCTAssertEqual(early.lines.count, 0, "A's lease still holds and the hook is backing off")
        let resumed = try await sender.deliverDue(now: t0 + 300)
        XCTAssertEqual(resumed.delivered, 3, "\(resumed.lines)")
        XCTAssertEqual(receiver.requests(pagerPath).count, 1)
        XCTAssertEqual(receiver.requests.filter { $0.path.hasPrefix("/slack/") }.count, 1)
        XCTAssertEqual(receiver.requests("/hook").count, 2, "one 503, then the retry")
        let later = try await sender.deliverDue(now: t0 + 86_400)
        XCTAssertEqual(later.lines.count, 0, "delivered once: nothing is sent again")
        XCTAssertEqual(receiver.requests.count, 4)
        XCTAssertEqual(try b.alerts(from: .distantPast, to: .distantFuture, team: nil, limit: 10).map(\.deliveryState),
                       [.delivered, .delivered, .delivered])
        await receiver.stop()
    }

    /// 500s back off exponentially (equal jitter; the random unit is 1 here, so the full
    /// delay), then the delivery fails for good after `max_attempts` and is counted once.
    func testRetriesBackOffAndGiveUpAfterMaxAttempts() async throws {
        let store = try SQLiteTelemetryStore(path: try SchedulerFixtures.sqlitePath(self))
        let receiver = try WebhookReceiver()
        receiver.respond(pagerPath, with: [500])
        let loop = CurlMultiLoop(logger: SchedulerFixtures.logger)
        defer { loop.shutdown() }
        let observer = RecordingObserver()
        let id = try raise(store, .critical, to: [("pager", .pagerduty)], fingerprint: "spend_spike:team=search")
        let sender = try deliverer(store, receiver, loop, observer: observer)  // base 10 s, cap 80 s, 4 attempts
        var now = t0
        for (attempt, wait) in [(1, 10.0), (2, 20.0), (3, 40.0)] {
            let report = try await sender.deliverDue(now: now)
            XCTAssertEqual(report.lines.map(\.outcome), ["retry"], "attempt \(attempt)")
            XCTAssertEqual(report.lines.first?.error, "HTTP 500")
            let d = try XCTUnwrap(try store.deliveries(alertID: id).first)
            XCTAssertEqual(d.attempts, attempt)
            XCTAssertEqual(d.nextAttemptAt, now.addingTimeInterval(wait))
            let tooEarly = try await sender.deliverDue(now: now.addingTimeInterval(wait - 1))
            XCTAssertEqual(tooEarly.lines.count, 0)
            now = now.addingTimeInterval(wait)
        }
        let last = try await sender.deliverDue(now: now)
        XCTAssertEqual(last.lines.map(\.outcome), ["failed"])
        XCTAssertEqual(try store.deliveries(alertID: id).first?.state, .failed)
        XCTAssertEqual(try store.deliveries(alertID: id).first?.attempts, 4)
        XCTAssertEqual(try store.alerts(from: .distantPast, to: .distantFuture, team: nil, limit: 1).first?.deliveryState, .failed)
        XCTAssertEqual(receiver.requests(pagerPath).count, 4)
        XCTAssertEqual(observer.state.withLock { $0.failed }, ["pagerduty/critical"])
        XCTAssertEqual(observer.state.withLock { $0.delivered }, [])
        let after = try await sender.deliverDue(now: now.addingTimeInterval(86_400))
        XCTAssertEqual(after.lines.count, 0, "given up: never sent again")
        await receiver.stop()
    }

    /// A refusal no retry can fix (404: the webhook was deleted) fails at once; a destination
    /// removed from the config fails without a call.
    func testPermanentRefusalsFailWithoutRetrying() async throws {
        let store = try SQLiteTelemetryStore(path: try SchedulerFixtures.sqlitePath(self))
        let receiver = try WebhookReceiver()
        let loop = CurlMultiLoop(logger: SchedulerFixtures.logger)
        defer { loop.shutdown() }
        receiver.respond("/hook", with: [404])
        let gone = try raise(store, .info, to: [("hook", .webhook)], fingerprint: "request_spike:team=search")
        let removed = try raise(store, .info, to: [("old-destination", .slack)], fingerprint: "latency_spike:team=search")
        let report = try await deliverer(store, receiver, loop).deliverDue(now: t0)
        XCTAssertEqual(report.failed, 2)
        XCTAssertEqual(try store.deliveries(alertID: gone).first?.lastError, "HTTP 404")
        XCTAssertEqual(try store.deliveries(alertID: removed).first?.lastError, "destination 'old-destination' is no longer configured")
        XCTAssertEqual(receiver.requests.count, 1)
        await receiver.stop()
    }

    /// Webhook URLs, routing keys and HMAC keys appear in no log line, error, delivery row or
    /// alert row, also when every destination is unreachable.
    func testSecretsNeverReachLogsErrorsOrRows() async throws {
        let store = try SQLiteTelemetryStore(path: try SchedulerFixtures.sqlitePath(self))
        let receiver = try WebhookReceiver()
        let lines = LogCapture()
        var logger = Logger(label: "leak-test") { _ in lines }
        logger.logLevel = .trace
        let loop = CurlMultiLoop(logger: logger)
        defer { loop.shutdown() }
        var (settings, env) = SchedulerFixtures.notifications(receiver)
        // Nothing listens on port 9 of loopback: every call fails to connect.
        env["TEST_SLACK_URL"] = "http://127.0.0.1:9/services/\(SchedulerFixtures.slackToken)"
        env["TEST_HOOK_URL"] = "http://127.0.0.1:9/hook?token=\(SchedulerFixtures.slackToken)"
        settings.destinations[0].url = "http://127.0.0.1:9/v2/enqueue"
        let destinations = try AlertDestination.resolve(settings, environment: env)
        let sender = AlertDeliverer(store: store, destinations: destinations, settings: settings, loop: loop, logger: logger)
        for (i, d) in [("pager", AlertDestinationKind.pagerduty), ("chat", .slack), ("hook", .webhook)].enumerated() {
            _ = try raise(store, .warning, to: [d], fingerprint: "spend_spike:team=t\(i)")
        }
        let report = try await sender.deliverDue(now: t0)
        XCTAssertEqual(report.retrying, 3)
        var everything = lines.text + "\(report)" + destinations.map(\.description).joined()
        for alert in try store.alerts(from: .distantPast, to: .distantFuture, team: nil, limit: 10) {
            everything += "\(alert)" + "\(try store.deliveries(alertID: alert.id!))"
        }
        XCTAssertTrue(everything.contains("upstream_connect"), "the errors are recorded: \(everything.prefix(400))")
        for secret in [SchedulerFixtures.slackToken, SchedulerFixtures.routingKey, SchedulerFixtures.signingKey, "127.0.0.1:9"] {
            XCTAssertFalse(everything.contains(secret), "leaked \(secret)")
        }
        XCTAssertThrowsError(try AlertDestination.resolve(settings, environment: [:])) { error in
            XCTAssertEqual("\(error)", "missing_secret: destination 'pager': environment variable TEST_PD_KEY is not set")
        }
        await receiver.stop()
    }
}

/// Collects every log line (message and metadata) a test's logger writes.
final class LogCapture: LogHandler, @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
        lock.withLock { lines.append("\(level) \(message) \(metadata ?? [:]) \(self.metadata)") }
    }

    var text: String { lock.withLock { lines.joined(separator: "\n") } }
}
