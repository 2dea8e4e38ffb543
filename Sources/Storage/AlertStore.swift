import FinOpsCore
import Foundation

/// The `alerts` table, in the telemetry database: the scheduler writes, the dashboard reads.
/// Blocking, like `TelemetryStore`: call it from a store thread or `BlockingExecutor`.
public protocol AlertStore: AnyObject, Sendable {
    /// Stores a new alert (its `id` is ignored) and returns the id assigned.
    @discardableResult
    func insertAlert(_ alert: AlertRecord) throws -> Int64

    /// Alerts raised in `[from, to)`, optionally for one team, newest first, at most `limit`.
    func alerts(from: Date, to: Date, team: String?, limit: Int) throws -> [AlertRecord]

    // The scheduler's lifecycle of an alert: raise once per condition, update while it holds,
    // resolve when it clears, each with its notifications in the same transaction.

    /// Alerts in state `firing`, oldest first, at most `limit`.
    func firingAlerts(limit: Int) throws -> [AlertRecord]

    /// Alerts resolved at or after `since`, newest first, at most `limit` (for cooldowns).
    func alertsResolved(since: Date, limit: Int) throws -> [AlertRecord]

    /// Inserts `alert` (as given: firing, or `suppressed`) and its `deliveries`, in one
    /// transaction, unless an alert with the same fingerprint is already firing: then nothing
    /// is written and nil is returned. Returns the new id.
    func raiseAlert(_ alert: AlertRecord, deliveries: [AlertDelivery]) throws -> Int64?

    /// Writes severity, title, message, value, threshold and labels of the firing alert
    /// `alert.id`; false if it is no longer firing.
    @discardableResult
    func updateFiringAlert(_ alert: AlertRecord) throws -> Bool

    /// Marks alert `id` resolved at `at` and queues `deliveries` (its resolve notifications),
    /// in one transaction; false (and nothing written) if it was not firing.
    @discardableResult
    func resolveAlert(id: Int64, at: Date, deliveries: [AlertDelivery]) throws -> Bool

    /// Deliveries of one alert, oldest first.
    func deliveries(alertID: Int64) throws -> [AlertDelivery]

    /// Pending deliveries due at `now` (a resolve waits for its trigger to the same
    /// destination), oldest first, at most `limit`, with their alerts; each is leased until
    /// `leaseUntil` (its next attempt moves there), so another process does not send it too.
    /// A process that dies mid-send leaves it pending: it is sent again once the lease lapses.
    func claimDueDeliveries(now: Date, leaseUntil: Date, limit: Int) throws -> [ClaimedDelivery]

    /// Records an attempt of a pending delivery (one more attempt, its state, next attempt and
    /// error) and refreshes the alert's own delivery columns; false if it was not pending.
    @discardableResult
    func completeDelivery(id: Int64, outcome: AlertDeliveryOutcome, at: Date) throws -> Bool

    /// Takes or renews the lease `name` for `owner` until `until` if it is free, expired at
    /// `now`, or already `owner`'s. True when `owner` holds it afterwards.
    func acquireLease(_ name: String, owner: String, now: Date, until: Date) throws -> Bool

    /// Gives the lease up if `owner` holds it (a process that stops lets another take over at once).
    func releaseLease(_ name: String, owner: String) throws
}

/// A due delivery with the alert it notifies.
public struct ClaimedDelivery: Sendable, Equatable {
    public var delivery: AlertDelivery
    public var alert: AlertRecord

    public init(delivery: AlertDelivery, alert: AlertRecord) {
        self.delivery = delivery
        self.alert = alert
    }
}

/// The `alert_deliveries` columns (after `id`), shared by both dialects.
enum AlertDeliveryColumns {
    static let names = ["alert_id", "destination", "destination_kind", "action", "group_key", "state", "attempts",
                        "next_attempt_at", "last_error", "created_at", "delivered_at"]

    /// The alert's summary columns, recomputed from its deliveries (same SQL in both dialects).
    static let refreshAlertSQL = """
        UPDATE alerts SET
            delivery_attempts = (SELECT COALESCE(SUM(d.attempts), 0) FROM alert_deliveries d WHERE d.alert_id = alerts.id),
            delivery_state = CASE
                WHEN EXISTS (SELECT 1 FROM alert_deliveries d WHERE d.alert_id = alerts.id AND d.state = 'pending') THEN 'pending'
                WHEN EXISTS (SELECT 1 FROM alert_deliveries d WHERE d.alert_id = alerts.id AND d.state = 'failed') THEN 'failed'
                ELSE 'delivered' END,
            delivered_at = (SELECT MAX(d.delivered_at) FROM alert_deliveries d WHERE d.alert_id = alerts.id)
        """

    static func outcomeFields(_ outcome: AlertDeliveryOutcome) -> (state: AlertDeliveryState, next: Date?, error: String?) {
        switch outcome {
        case .delivered: (.delivered, nil, nil)
        case .retry(let at, let error): (.pending, at, error)
        case .failed(let error): (.failed, nil, error)
        }
    }
}

/// Turns the stored text/number columns back into alert fields, for both dialects.
enum AlertColumns {
    /// Column order of every alert read and write (after `id`).
    static let names = ["time", "alert_key", "kind", "severity", "state", "org", "team", "title", "message",
                        "value", "threshold", "labels", "delivery_state", "delivery_attempts", "delivered_at",
                        "resolved_at"]

    static func labelsJSON(_ labels: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: (try? encoder.encode(labels)) ?? Data("{}".utf8), as: UTF8.self)
    }

    static func labels(_ json: String) throws -> [String: String] {
        do { return try JSONDecoder().decode([String: String].self, from: Data(json.utf8)) } catch {
            throw StorageError(kind: .invalidData, operation: "read alerts", message: "labels is not a JSON object of strings")
        }
    }

    static func enumValue<E: RawRepresentable>(_ raw: String, _ column: String) throws -> E where E.RawValue == String {
        guard let value = E(rawValue: raw) else {
            throw StorageError(kind: .invalidData, operation: "read alerts", message: "unknown \(column) '\(raw)'")
        }
        return value
    }
}
