import FinOpsCore
import Foundation
import Scheduler
import Storage
import Upstream
import XCTest

/// Seeded traffic with its planted spike in a real store → one scheduler run → alert rows with
/// evidence → a loopback receiver gets the payload its severity routes to: critical →
/// PagerDuty events (dedup_key = fingerprint), warning → one Slack Block Kit message for the
/// team, info → one signed generic JSON body. Then the spike is over → resolved rows, a
/// PagerDuty resolve per incident, and nothing raised twice. On SQLite and PostgreSQL.
final class SchedulerEndToEndTests: XCTestCase {
    func testSQLiteSpikeToWebhooksAndBack() async throws {
        try await scenario(try SQLiteTelemetryStore(path: try SchedulerFixtures.sqlitePath(self)))
    }

    func testPostgresSpikeToWebhooksAndBack() async throws {
        let store = PostgresTelemetryStore(url: try SchedulerFixtures.postgresURL(self))
        defer { store.close() }
        try await scenario(store)
    }

    private func scenario(_ store: any TelemetryStore) async throws {
        try SchedulerFixtures.seed(store)
        let receiver = try WebhookReceiver()
        let (notifications, env) = SchedulerFixtures.notifications(receiver)
        receiver.respond("/pagerduty/v2/enqueue", with: [202])
        let loop = CurlMultiLoop(logger: SchedulerFixtures.logger)
        let observer = RecordingObserver()
        let scheduler = AlertScheduler(store: store, budgets: nil, settings: SchedulerFixtures.settings, notifications: notifications,
                                       org: "acme", observer: observer, logger: SchedulerFixtures.logger)
        let deliverer = AlertDeliverer(store: store, destinations: try AlertDestination.resolve(notifications, environment: env),
                                       settings: notifications, loop: loop, observer: observer, logger: SchedulerFixtures.logger)

        // 1. The spike: alerts with evidence, one notification per route.
        let now = SchedulerFixtures.duringSpike
        let run = try await scheduler.runOnce(now: now)
        XCTAssertTrue(run.leader)
        let fingerprints = Set(run.raised.map(\.fingerprint))
        XCTAssertTrue(fingerprints.isSuperset(of: ["spend_spike:team=support", "spend_spike:team=support:use_case=ticket-triage",
                                                   "cost_per_request_spike:team=support", "request_spike:team=support"]), "\(fingerprints)")
        XCTAssertEqual(Set(run.raised.map(\.team)), ["support"], "only the planted spike, no false alarm elsewhere")
        let rows = try store.alerts(from: now, to: now.addingTimeInterval(1), team: "support", limit: 50)
        XCTAssertEqual(rows.count, run.raised.count)
        let spike = try XCTUnwrap(rows.first { $0.fingerprint == "spend_spike:team=support:use_case=ticket-triage" })
        XCTAssertEqual(spike.state, .firing)
        XCTAssertEqual(spike.severity, .critical)
        XCTAssertEqual(spike.kind, "spend_spike")
        XCTAssertEqual(spike.labels["alertname"], "SpendSpike")
        XCTAssertEqual(spike.labels["runbook"], "docs/runbooks/SpendSpike.md")
        XCTAssertEqual(spike.labels["use_case"], "ticket-triage")
        XCTAssertEqual(spike.labels["hour"], "2026-11-19T11:00:00Z")
        XCTAssertEqual(spike.labels["detectors"]?.contains("robust_z"), true)
        for key in ["robust_z.z", "robust_z.baseline", "robust_z.sigma", "robust_z.window_hours", "iqr.q3", "iqr.limit"] {
            XCTAssertNotNil(spike.labels[key], "evidence \(key)")
        }
        XCTAssertGreaterThan(Double(spike.labels["robust_z.z"]!)!, 6)
        XCTAssertGreaterThan(try XCTUnwrap(spike.value), try XCTUnwrap(spike.threshold))

        let report = try await deliverer.deliverDue(now: now)
        XCTAssertEqual(report.failed + report.retrying, 0, "\(report.lines)")
        let critical = run.raised.filter { $0.severity == .critical }
        let warning = run.raised.filter { $0.severity == .warning }
        let info = run.raised.filter { $0.severity == .info }

        let pages = receiver.requests("/pagerduty/v2/enqueue").compactMap(\.json)
        XCTAssertEqual(pages.count, critical.count, "PagerDuty takes one event per alert")
        XCTAssertEqual(Set(pages.compactMap { $0["dedup_key"]?.stringValue }), Set(critical.map(\.fingerprint)))
        for page in pages {
            XCTAssertEqual(page["routing_key"]?.stringValue, SchedulerFixtures.routingKey)
            XCTAssertEqual(page["event_action"]?.stringValue, "trigger")
            XCTAssertEqual(page["payload"]?["severity"]?.stringValue, "critical")
            XCTAssertEqual(page["payload"]?["source"]?.stringValue, "finops-router/acme")
            XCTAssertEqual(page["payload"]?["component"]?.stringValue, "support")
            XCTAssertEqual(page["payload"]?["class"]?.stringValue, "SpendSpike")
            XCTAssertNotNil(page["payload"]?["custom_details"]?["robust_z.z"]?.stringValue)
            XCTAssertEqual(page["payload"]?["summary"]?.stringValue?.hasPrefix("Spend spike: support"), true)
        }

        let slack = receiver.requests.filter { $0.path.hasPrefix("/slack/") }
        XCTAssertEqual(slack.count, 1, "the team's warnings of one run are one Slack message")
        let message = try XCTUnwrap(slack.first?.json)
        let blocks = try XCTUnwrap(message["blocks"]?.arrayValue)
        XCTAssertEqual(blocks.first?["type"]?.stringValue, "header")
        XCTAssertEqual(blocks.first?["text"]?["type"]?.stringValue, "plain_text")
        XCTAssertEqual(blocks.first?["text"]?["text"]?.stringValue?.contains("team support"), true)
        let sections = blocks.filter { $0["type"]?.stringValue == "section" }
        XCTAssertEqual(sections.count, warning.count)
        XCTAssertEqual(Set(sections.compactMap { $0["fields"]?.arrayValue?.first?["text"]?.stringValue }), ["*Severity*\nwarning"])
        XCTAssertEqual(blocks.filter { $0["type"]?.stringValue == "context" }.count, warning.count)
        XCTAssertEqual(message["text"]?.stringValue?.contains("Cost per request spike"), true)

        let hooks = receiver.requests("/hook")
        XCTAssertEqual(hooks.count, 1, "the team's infos of one run are one webhook call")
        let hook = try XCTUnwrap(hooks.first)
        let timestamp = try XCTUnwrap(hook.header("X-FinOps-Timestamp"))
        XCTAssertEqual(timestamp, String(Int(now.timeIntervalSince1970)))
        let signature = try XCTUnwrap(hook.header("X-FinOps-Signature"))
        XCTAssertTrue(signature.hasPrefix("sha256="))
        XCTAssertTrue(WebhookSignature.verify(body: hook.body, timestamp: timestamp, signature: signature, key: Array(SchedulerFixtures.signingKey.utf8)))
        XCTAssertFalse(WebhookSignature.verify(body: hook.body + [32], timestamp: timestamp, signature: signature,
                                               key: Array(SchedulerFixtures.signingKey.utf8)), "a changed body fails")
        XCTAssertFalse(WebhookSignature.verify(body: hook.body, timestamp: String(Int(now.timeIntervalSince1970) + 1), signature: signature,
                                               key: Array(SchedulerFixtures.signingKey.utf8)), "the timestamp is in the MAC")
        let envelope = try XCTUnwrap(hook.json)
        XCTAssertEqual(envelope["action"]?.stringValue, "trigger")
        let sent = try XCTUnwrap(envelope["alerts"]?.arrayValue)
        XCTAssertEqual(Set(sent.compactMap { $0["fingerprint"]?.stringValue }), Set(info.map(\.fingerprint)))
        XCTAssertEqual(Set(sent.compactMap { $0["severity"]?.stringValue }), ["info"])
        XCTAssertNotNil(sent.first?["labels"]?["detectors"]?.stringValue)

        XCTAssertEqual(try store.alerts(from: now, to: now.addingTimeInterval(1), team: nil, limit: 50).map(\.deliveryState),
                       Array(repeating: .delivered, count: run.raised.count))
        XCTAssertEqual(observer.state.withLock { $0.firing[.critical] }, critical.count)

        // 2. Half an hour later, in the spike's last hour: the firing alerts are refreshed and
        //    nobody is told again (the next hour may add conditions of its own).
        let again = try await scheduler.runOnce(now: now.addingTimeInterval(1_800))
        XCTAssertTrue(Set(again.raised.map(\.fingerprint)).isDisjoint(with: fingerprints), "nothing raised twice")
        XCTAssertTrue(Set(again.updated.map(\.fingerprint)).isSuperset(of: critical.map(\.fingerprint)))
        _ = try await deliverer.deliverDue(now: now.addingTimeInterval(1_800))
        XCTAssertEqual(receiver.requests("/pagerduty/v2/enqueue").count, critical.count, "no new page while it keeps firing")
        XCTAssertEqual(receiver.requests.filter { $0.path.hasPrefix("/slack/") }.count, 1)
        XCTAssertEqual(receiver.requests("/hook").count, 1 + (again.raised.contains { $0.severity == .info } ? 1 : 0))
        let allFingerprints = fingerprints.union(again.raised.map(\.fingerprint))

        // 3. The spike is over: resolved, and PagerDuty's incidents are resolved by dedup_key.
        let after = SchedulerFixtures.afterSpike
        let cleared = try await scheduler.runOnce(now: after)
        XCTAssertEqual(Set(cleared.resolved.map(\.fingerprint)), allFingerprints, "every alert of the spike, and only those")
        XCTAssertEqual(try store.firingAlerts(limit: 50), [])
        let resolvedRow = try XCTUnwrap(try store.alerts(from: now, to: now.addingTimeInterval(1), team: "support", limit: 50)
            .first { $0.fingerprint == spike.fingerprint })
        XCTAssertEqual(resolvedRow.state, .resolved)
        XCTAssertEqual(resolvedRow.resolvedAt, after)
        _ = try await deliverer.deliverDue(now: after)
        let resolves = receiver.requests("/pagerduty/v2/enqueue").compactMap(\.json).filter { $0["event_action"]?.stringValue == "resolve" }
        XCTAssertEqual(Set(resolves.compactMap { $0["dedup_key"]?.stringValue }), Set(critical.map(\.fingerprint)))
        XCTAssertEqual(resolves.first?["routing_key"]?.stringValue, SchedulerFixtures.routingKey)
        XCTAssertNil(resolves.first?["payload"])
        XCTAssertEqual(receiver.requests.filter { $0.path.hasPrefix("/slack/") }.count, 2, "one resolved message to chat")
        XCTAssertEqual(receiver.requests.filter { $0.path.hasPrefix("/slack/") }.last?.json?["blocks"]?.arrayValue?.first?["text"]?["text"]?
            .stringValue?.contains("resolved"), true)
        XCTAssertEqual(receiver.requests("/hook").last?.json?["action"]?.stringValue, "resolve")
        XCTAssertEqual(observer.state.withLock { $0.resolved }, cleared.resolved.count)
        XCTAssertEqual(observer.state.withLock { $0.firing.values.reduce(0, +) }, 0)

        // 4. Running again changes nothing.
        let idle = try await scheduler.runOnce(now: after.addingTimeInterval(60))
        XCTAssertEqual(idle.raised.count + idle.resolved.count + idle.updated.count, 0)
        let nothing = try await deliverer.deliverDue(now: after.addingTimeInterval(60))
        XCTAssertEqual(nothing.lines.count, 0)
        loop.shutdown()
        await receiver.stop()
    }

    /// Every hour of the seeded week judged as the service would: only the planted spike
    /// (its three hours) raises anything.
    func testSeededWeekRaisesOnlyThePlantedSpike() async throws {
        let store = try SQLiteTelemetryStore(path: try SchedulerFixtures.sqlitePath(self))
        try SchedulerFixtures.seed(store)
        let scheduler = AlertScheduler(store: store, budgets: nil, settings: SchedulerSettings(), notifications: NotificationSettings(),
                                       org: "acme", logger: SchedulerFixtures.logger)
        var raised: [(Date, AlertRecord)] = []
        var t = SchedulerFixtures.end.addingTimeInterval(-7 * 86_400)
        while t < SchedulerFixtures.end {
            raised += try await scheduler.runOnce(now: t).raised.map { (t, $0) }
            t += 3_600
        }
        let spikeHours = SchedulerFixtures.spikeStart...SchedulerFixtures.spikeStart.addingTimeInterval(3 * 3_600)
        XCTAssertFalse(raised.isEmpty)
        for (time, alert) in raised {
            XCTAssertTrue(spikeHours.contains(time.addingTimeInterval(-3_600)) && alert.team == "support",
                          "false alarm at \(CivilDate.iso8601(time)): \(alert.fingerprint)")
            XCTAssertEqual(alert.deliveryState, .suppressed, "no route configured: stored, not sent")
            XCTAssertEqual(alert.labels["suppressed"], "no_route")
        }
    }
}
