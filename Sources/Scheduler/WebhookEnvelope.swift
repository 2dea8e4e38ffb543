import FinOpsCore
import Foundation

/// The generic webhook body: the alerts of one group as JSON, with what happened to them.
/// `{"version":"1","action":"trigger","group_key":…,"alerts":[{…every AlertRecord field…}]}`
enum WebhookEnvelope {
    static func body(_ alerts: [AlertRecord], action: AlertDeliveryAction, groupKey: String) -> JSONValue {
        .object([
            ("version", .string("1")), ("action", .string(action.rawValue)), ("group_key", .string(groupKey)),
            ("alerts", .array(alerts.map(json))),
        ])
    }

    static func json(_ a: AlertRecord) -> JSONValue {
        func date(_ d: Date?) -> JSONValue { d.map { .string(CivilDate.iso8601($0)) } ?? .null }
        func number(_ v: Double?) -> JSONValue { v.flatMap { $0.isFinite ? JSONValue.double($0) : nil } ?? .null }
        return .object([
            ("id", a.id.map { .int(Int($0)) } ?? .null), ("fingerprint", .string(a.fingerprint)),
            ("alertname", .string(a.labels["alertname"] ?? a.kind)), ("kind", .string(a.kind)),
            ("severity", .string(a.severity.rawValue)), ("state", .string(a.state.rawValue)), ("org", .string(a.org)),
            ("team", .string(a.team)), ("title", .string(a.title)), ("message", .string(a.message)),
            ("value", number(a.value)), ("threshold", number(a.threshold)),
            ("labels", .object(a.labels.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            ("raised_at", date(a.time)), ("resolved_at", date(a.resolvedAt)), ("runbook", a.labels["runbook"].map { .string($0) } ?? .null),
        ])
    }
}
