import FinOpsCore
import Foundation
@testable import Scheduler
import XCTest

/// The bodies each destination kind gets, checked field by field.
final class NotificationPayloadTests: XCTestCase {
    private func alert(_ i: Int = 1, severity: AlertSeverity = .warning, team: String = "search <ops> & co") -> AlertRecord {
        AlertRecord(id: Int64(i), time: Date(timeIntervalSince1970: 1_795_000_000), fingerprint: "cost_drift:team=\(team):\(i)",
                    kind: "cost_drift", severity: severity, org: "acme", team: team, title: "Cost per request drift: \(team)",
                    message: "Cost per request has been $0.0120 <up> & away", value: 0.012, threshold: 0.008,
                    labels: ["alertname": "CostPerRequestDrift", "runbook": "docs/runbooks/CostPerRequestDrift.md", "team": team,
                             "metric": "cost_per_request", "detectors": "drift", "drift.z": "7.5"])
    }

    func testSlackMessageHasHeaderSectionsFieldsAndContextAndEscapesMrkdwn() throws {
        let body = SlackMessage.body([alert(1), alert(2, severity: .critical)], action: .trigger)
        let blocks = try XCTUnwrap(body["blocks"]?.arrayValue)
        XCTAssertEqual(blocks.map { $0["type"]?.stringValue ?? "" }, ["header", "section", "context", "divider", "section", "context"])
        XCTAssertEqual(blocks[0]["text"]?["text"]?.stringValue, "🚨 2 alerts firing: team search <ops> & co", "plain_text is not escaped")
        let section = try XCTUnwrap(blocks[1]["text"]?["text"]?.stringValue)
        XCTAssertTrue(section.hasPrefix("*WARNING* · *Cost per request drift: search &lt;ops&gt; &amp; co*\n"), section)
        XCTAssertTrue(section.contains("$0.0120 &lt;up&gt; &amp; away"))
        let fields = try XCTUnwrap(blocks[1]["fields"]?.arrayValue).compactMap { $0["text"]?.stringValue }
        XCTAssertEqual(fields, ["*Severity*\nwarning", "*Observed*\n0.012", "*Threshold*\n0.008", "*Scope*\nteam=search &lt;ops&gt; &amp; co",
                                "*Detectors*\ndrift", "*Metric*\ncost_per_request"])
        XCTAssertEqual(blocks[2]["elements"]?.arrayValue?.first?["text"]?.stringValue,
                       "`cost_drift:team=search &lt;ops&gt; &amp; co:1` · runbook `docs/runbooks/CostPerRequestDrift.md` · FinOps Router")
        XCTAssertEqual(body["text"]?.stringValue?.hasPrefix("🚨 2 alerts firing"), true)
    }

    func testSlackMessageStaysWithinBlockKitLimits() throws {
        var long = alert()
        long.title = String(repeating: "t", count: 500)
        long.message = String(repeating: "m", count: 5_000)
        let many = (0..<30).map { i -> AlertRecord in var a = long; a.id = Int64(i); return a }
        let body = SlackMessage.body(many, action: .resolve)
        let blocks = try XCTUnwrap(body["blocks"]?.arrayValue)
        XCTAssertLessThanOrEqual(blocks.count, 50)
        XCTAssertTrue(blocks[0]["text"]?["text"]?.stringValue?.hasPrefix("✅ 30 alerts resolved") ?? false)
        XCTAssertLessThanOrEqual(blocks[0]["text"]?["text"]?.stringValue?.count ?? 0, 150)
        for block in blocks where block["type"]?.stringValue == "section" {
            XCTAssertLessThanOrEqual(block["text"]?["text"]?.stringValue?.count ?? 0, 3_000)
        }
        XCTAssertEqual(blocks.last?["elements"]?.arrayValue?.first?["text"]?.stringValue, "…and 18 more (see the dashboard)")
    }

    func testPagerDutyTriggerAndResolve() throws {
        let trigger = PagerDutyEvent.body(alert(severity: .critical), action: .trigger, routingKey: "rk")
        XCTAssertEqual(trigger["routing_key"]?.stringValue, "rk")
        XCTAssertEqual(trigger["event_action"]?.stringValue, "trigger")
        XCTAssertEqual(trigger["dedup_key"]?.stringValue, "cost_drift:team=search <ops> & co:1")
        let payload = try XCTUnwrap(trigger["payload"])
        XCTAssertEqual(payload["severity"]?.stringValue, "critical")
        XCTAssertEqual(payload["source"]?.stringValue, "finops-router/acme")
        XCTAssertEqual(payload["component"]?.stringValue, "search <ops> & co")
        XCTAssertEqual(payload["group"]?.stringValue, "cost_drift")
        XCTAssertEqual(payload["class"]?.stringValue, "CostPerRequestDrift")
        XCTAssertEqual(payload["timestamp"]?.stringValue, "2026-11-18T11:06:40Z")
        XCTAssertEqual(payload["custom_details"]?["drift.z"]?.stringValue, "7.5")
        XCTAssertEqual(payload["custom_details"]?["threshold"]?.doubleValue, 0.008)
        let resolve = PagerDutyEvent.body(alert(), action: .resolve, routingKey: "rk")
        XCTAssertEqual(resolve.objectValue?.map(\.0), ["routing_key", "event_action", "dedup_key"])
        let long = String(repeating: "x", count: 300)
        XCTAssertEqual(PagerDutyEvent.dedupKey(long).count, 7 + 64, "over 255 characters: its SHA-256")
        XCTAssertEqual(PagerDutyEvent.dedupKey(long), PagerDutyEvent.dedupKey(long))
    }

    func testWebhookBodyCarriesTheAlertAndIsSigned() throws {
        let body = WebhookEnvelope.body([alert()], action: .trigger, groupKey: "run:1:team=search")
        XCTAssertEqual(body["version"]?.stringValue, "1")
        XCTAssertEqual(body["group_key"]?.stringValue, "run:1:team=search")
        let a = try XCTUnwrap(body["alerts"]?.arrayValue?.first)
        XCTAssertEqual(a["id"]?.intValue, 1)
        XCTAssertEqual(a["alertname"]?.stringValue, "CostPerRequestDrift")
        XCTAssertEqual(a["state"]?.stringValue, "firing")
        XCTAssertEqual(a["value"]?.doubleValue, 0.012)
        XCTAssertTrue(a["resolved_at"]?.isNull ?? false)
        XCTAssertEqual(a["labels"]?.objectValue?.map(\.0), ["alertname", "detectors", "drift.z", "metric", "runbook", "team"])
        let bytes = body.serialized()
        let signature = WebhookSignature.sign(body: bytes, timestamp: "1795000000", key: Array("k".utf8))
        XCTAssertEqual(signature.count, 7 + 64)
        XCTAssertTrue(WebhookSignature.verify(body: bytes, timestamp: "1795000000", signature: signature, key: Array("k".utf8)))
        XCTAssertFalse(WebhookSignature.verify(body: bytes, timestamp: "1795000000", signature: signature, key: Array("K".utf8)))
        XCTAssertFalse(WebhookSignature.verify(body: bytes, timestamp: "1795000000", signature: "sha256=zz", key: Array("k".utf8)))
        // The MAC covers "<timestamp>.<body>"; expected value from Python's hmac module:
        // hmac.new(b'Jefe', b'1795000000.{"a":1}', hashlib.sha256).hexdigest()
        XCTAssertEqual(WebhookSignature.sign(body: Array(#"{"a":1}"#.utf8), timestamp: "1795000000", key: Array("Jefe".utf8)),
                       "sha256=de50dda7926b63ebb67a1b5193bd96f079ca2ebc04e4465eb7d23a19da8ba832")
    }
}
