import Foundation

/// The kinds of place an alert can be sent.
public enum AlertDestinationKind: String, Sendable, CaseIterable, Codable {
    case slack, pagerduty, webhook

    /// Whether one call can carry several alerts (a Slack message, a webhook body with an
    /// `alerts` array). PagerDuty takes one event per alert (its dedup_key).
    public var supportsGrouping: Bool { self != .pagerduty }
}

/// What a delivery tells the destination.
public enum AlertDeliveryAction: String, Sendable, CaseIterable, Codable {
    case trigger, resolve
}

/// One notification of one alert to one destination (a row of `alert_deliveries`): it survives
/// restarts, is retried with backoff, and ends delivered or failed.
public struct AlertDelivery: Sendable, Equatable {
    public var id: Int64?
    public var alertID: Int64
    /// The destination's configured name.
    public var destination: String
    public var kind: AlertDestinationKind
    public var action: AlertDeliveryAction
    /// Deliveries sharing a group key and destination go out as one message where the kind
    /// supports it (one run, one team).
    public var groupKey: String
    /// pending, delivered or failed (never suppressed: a suppressed alert gets no deliveries).
    public var state: AlertDeliveryState
    public var attempts: Int
    public var nextAttemptAt: Date
    /// Why the last attempt failed (`HTTP 503`, `upstream_connect: …`); never a URL or key.
    public var lastError: String?
    public var createdAt: Date
    public var deliveredAt: Date?

    public init(id: Int64? = nil, alertID: Int64 = 0, destination: String, kind: AlertDestinationKind,
                action: AlertDeliveryAction, groupKey: String, state: AlertDeliveryState = .pending, attempts: Int = 0,
                nextAttemptAt: Date, lastError: String? = nil, createdAt: Date, deliveredAt: Date? = nil) {
        self.id = id; self.alertID = alertID; self.destination = destination; self.kind = kind; self.action = action
        self.groupKey = groupKey; self.state = state; self.attempts = attempts; self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError; self.createdAt = createdAt; self.deliveredAt = deliveredAt
    }
}

/// How an attempt ended, as the store records it.
public enum AlertDeliveryOutcome: Sendable, Equatable {
    case delivered
    /// Try again at the given time.
    case retry(at: Date, error: String)
    /// Give up (attempts exhausted, or the destination refused for good).
    case failed(error: String)
}
