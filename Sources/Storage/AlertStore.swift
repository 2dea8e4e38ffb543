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
