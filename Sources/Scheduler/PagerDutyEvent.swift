import FinOpsCore
import Foundation

/// A PagerDuty Events API v2 event for one alert: `trigger` with a payload (summary, source,
/// severity, timestamp, component = team, group = kind, class = alert name, custom_details =
/// the evidence), or `resolve`. `dedup_key` is the fingerprint, so PagerDuty folds repeats
/// into one incident and the resolve closes it (a fingerprint over PagerDuty's 255 characters
/// is replaced by its SHA-256).
enum PagerDutyEvent {
    static func body(_ alert: AlertRecord, action: AlertDeliveryAction, routingKey: String) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("routing_key", .string(routingKey)), ("event_action", .string(action.rawValue)),
            ("dedup_key", .string(dedupKey(alert.fingerprint))),
        ]
        guard action == .trigger else { return .object(fields) }
        var details: [(String, JSONValue)] = [("message", .string(alert.message)), ("alert_id", alert.id.map { .string(String($0)) } ?? .null)]
        if let v = alert.value { details.append(("value", .double(v))) }
        if let t = alert.threshold { details.append(("threshold", .double(t))) }
        for (k, v) in alert.labels.sorted(by: { $0.key < $1.key }) { details.append((k, .string(v))) }
        var payload: [(String, JSONValue)] = [
            ("summary", .string(SlackMessage.cut(alert.title + " — " + alert.message, 1_024))),
            ("source", .string("finops-router/\(alert.org)")),
            ("severity", .string(alert.severity.rawValue)),
            ("timestamp", .string(CivilDate.iso8601(alert.time))),
            ("group", .string(alert.kind)),
            ("class", .string(alert.labels["alertname"] ?? alert.kind)),
            ("custom_details", .object(details)),
        ]
        if !alert.team.isEmpty { payload.insert(("component", .string(alert.team)), at: 4) }
        fields.append(("payload", .object(payload)))
        fields.append(("client", .string("FinOps Router")))
        return .object(fields)
    }

    static func dedupKey(_ fingerprint: String) -> String {
        fingerprint.utf8.count <= 255 ? fingerprint : "sha256:" + WebhookSignature.hex(WebhookSignature.sha256(Array(fingerprint.utf8)))
    }
}
