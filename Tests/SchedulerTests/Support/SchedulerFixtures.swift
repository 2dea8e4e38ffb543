import FinOpsCore
import FinOpsTestSupport
import Foundation
import Logging
import Scheduler
import Storage
import Synchronization
import XCTest

/// Seeded stores, configured destinations and recording observers for scheduler tests.
enum SchedulerFixtures {
    /// `finops-router seed`'s traffic: 30 days of 11,000 calls ending 2026-11-23, with its planted
    /// spike (support / ticket-triage on the priciest model) on 2026-11-19 10:00-13:00 UTC.
    static let end = CivilDate.parse("2026-11-23T00:00:00Z")!
    static let generator = SeedTrafficGenerator(rows: 11_000, days: 30, end: end, seed: 42, catalog: DefaultPricing.catalog())
    static var spikeStart: Date { generator.spikeWindow.lowerBound }
    /// During the spike: the judged hour is 11:00-12:00.
    static var duringSpike: Date { spikeStart.addingTimeInterval(2.5 * 3_600) }
    /// After it: the judged hour is 13:00-14:00, back to normal.
    static var afterSpike: Date { spikeStart.addingTimeInterval(4.2 * 3_600) }

    static func seed(_ store: any TelemetryStore) throws {
        let records = generator.generate()
        for chunk in stride(from: 0, to: records.count, by: 2_000) {
            try store.insert(Array(records[chunk..<min(chunk + 2_000, records.count)]))
        }
    }

    static func sqlitePath(_ test: XCTestCase) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("finops-scheduler-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir.appendingPathComponent("finops.sqlite").path
    }

    static func postgresURL(_ test: XCTestCase) throws -> String {
        guard let server = PostgresScratchDatabase.serverURL else {
            throw XCTSkip("FINOPS_TEST_POSTGRES_URL is not set: PostgreSQL tests skipped (scripts/test starts a server and sets it)")
        }
        let database = try PostgresScratchDatabase(serverURL: server)
        test.addTeardownBlock { database.drop() }
        return database.url
    }

    /// Secrets the tests pass through the environment and then look for in every output.
    static let slackToken = "T000/B000/slack-SECRET-xyzzy"
    static let routingKey = "pd-routing-SECRET-42abc"
    static let signingKey = "hmac-SECRET-key-0451"

    /// critical → pager (PagerDuty), warning → chat (Slack), info → hook (signed JSON).
    static func notifications(_ receiver: WebhookReceiver) -> (NotificationSettings, [String: String]) {
        var n = NotificationSettings()
        n.destinations = [
            .init(name: "pager", kind: .pagerduty, url: receiver.url("/pagerduty/v2/enqueue"), routingKeyEnv: "TEST_PD_KEY"),
            .init(name: "chat", kind: .slack, urlEnv: "TEST_SLACK_URL"),
            .init(name: "hook", kind: .webhook, urlEnv: "TEST_HOOK_URL", secretEnv: "TEST_HOOK_SECRET"),
        ]
        n.routes = [.critical: ["pager"], .warning: ["chat"], .info: ["hook"]]
        n.retryBaseSeconds = 10
        n.retryMaxSeconds = 80
        n.maxAttempts = 4
        n.timeoutMs = 5_000
        let env = ["TEST_PD_KEY": routingKey, "TEST_SLACK_URL": receiver.url("/slack/services/\(slackToken)"),
                   "TEST_HOOK_URL": receiver.url("/hook"), "TEST_HOOK_SECRET": signingKey]
        return (n, env)
    }

    /// Spend spikes page, cost-per-request spikes go to chat, request-volume and latency spikes to the hook.
    static var settings: SchedulerSettings {
        var s = SchedulerSettings()
        // The seed's teams make ~10 calls an hour: judge cost per request and latency from 20
        // calls (history hours from 5), as a low-volume deployment would configure it.
        s.minRequestsPerHourPerCall = 20
        s.severities = [.spendSpike: .critical, .costPerRequestSpike: .warning, .requestSpike: .info, .latencySpike: .info]
        return s
    }

    static var logger: Logger {
        var l = Logger(label: "scheduler-test")
        l.logLevel = .warning
        return l
    }
}

/// Counts what the scheduler reports, as the metrics adapter would.
final class RecordingObserver: SchedulerObserver {
    struct State {
        var runs: [String] = [], raised = 0, resolved = 0, firing: [AlertSeverity: Int] = [:]
        var delivered: [String] = [], failed: [String] = []
    }
    let state = Mutex(State())

    func schedulerRan(job: String, seconds: Double) { state.withLock { $0.runs.append(job) } }
    func alertsRaised(_ alerts: [AlertRecord]) { state.withLock { $0.raised += alerts.count } }
    func alertsResolved(_ alerts: [AlertRecord]) { state.withLock { $0.resolved += alerts.count } }
    func alertsFiring(_ counts: [AlertSeverity: Int]) { state.withLock { $0.firing = counts } }
    func deliveryFinished(kind: AlertDestinationKind, severity: AlertSeverity, delivered: Bool) {
        state.withLock { delivered ? $0.delivered.append("\(kind.rawValue)/\(severity.rawValue)") : $0.failed.append("\(kind.rawValue)/\(severity.rawValue)") }
    }
}

/// Waits for `condition`, polling every few milliseconds, up to `timeout` (never a fixed sleep).
func waitFor(_ what: String, timeout: Duration = .seconds(30), file: StaticString = #filePath, line: UInt = #line,
             _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: 0.005)
    }
    if try condition() { return true }
    XCTFail("timed out after \(timeout) waiting for \(what)", file: file, line: line)
    return false
}
