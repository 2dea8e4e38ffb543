import Foundation

/// How urgent an alert is; routes it to a destination (critical → pager, warning → chat,
/// info → a generic webhook). Ordered: `info < warning < critical`.
public enum AlertSeverity: String, Sendable, Codable, CaseIterable, Comparable {
    case info, warning, critical

    public static func < (a: AlertSeverity, b: AlertSeverity) -> Bool { a.rank < b.rank }
    private var rank: Int { self == .info ? 0 : self == .warning ? 1 : 2 }
}

/// Whether the condition behind an alert still holds.
public enum AlertState: String, Sendable, Codable, CaseIterable {
    case firing, resolved
}

/// Where an alert's notification stands. `suppressed`: deduplicated or in cooldown, never sent.
public enum AlertDeliveryState: String, Sendable, Codable, CaseIterable {
    case pending, delivered, failed, suppressed
}

/// One row of the `alerts` table: an anomaly, drift or budget condition the scheduler raised,
/// with the numbers that prove it and where its notification stands. Read by the dashboard.
public struct AlertRecord: Sendable, Equatable, Codable {
    /// Assigned by the store; nil before the first insert.
    public var id: Int64?
    /// When it was raised.
    public var time: Date
    /// Stable identity of the condition (`spend_spike:team=search:use_case=qa`): repeats of the
    /// same condition update one alert instead of raising new ones.
    public var fingerprint: String
    /// `budget_threshold`, `budget_forecast`, `spend_spike`, `cost_drift`, `latency_drift`, …
    public var kind: String
    public var severity: AlertSeverity
    public var state: AlertState
    public var org: String
    /// The team it concerns; empty for org-wide alerts.
    public var team: String
    public var title: String
    public var message: String
    /// The observed value and the limit or baseline it was compared with (display only).
    public var value: Double?
    public var threshold: Double?
    /// Scope and evidence (`use_case`, `metric`, `detector`, `baseline`, `z_score`, …).
    public var labels: [String: String]
    public var deliveryState: AlertDeliveryState
    public var deliveryAttempts: Int
    public var deliveredAt: Date?
    public var resolvedAt: Date?

    public init(id: Int64? = nil, time: Date, fingerprint: String, kind: String, severity: AlertSeverity,
                state: AlertState = .firing, org: String, team: String = "", title: String, message: String,
                value: Double? = nil, threshold: Double? = nil, labels: [String: String] = [:],
                deliveryState: AlertDeliveryState = .pending, deliveryAttempts: Int = 0,
                deliveredAt: Date? = nil, resolvedAt: Date? = nil) {
        self.id = id; self.time = time; self.fingerprint = fingerprint; self.kind = kind
        self.severity = severity; self.state = state; self.org = org; self.team = team
        self.title = title; self.message = message; self.value = value; self.threshold = threshold
        self.labels = labels; self.deliveryState = deliveryState; self.deliveryAttempts = deliveryAttempts
        self.deliveredAt = deliveredAt; self.resolvedAt = resolvedAt
    }
}
