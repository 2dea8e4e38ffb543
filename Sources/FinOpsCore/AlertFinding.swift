import Foundation

/// One condition a detector found in this run: what, for whom, how bad, and the evidence.
/// The reconciler turns findings into new, updated or resolved `AlertRecord`s.
public struct AlertFinding: Sendable, Equatable {
    public var kind: AlertKind
    public var severity: AlertSeverity
    /// Stable identity of the condition (`spend_spike:team=search:use_case=qa`).
    public var fingerprint: String
    /// The team it concerns; empty for org-wide conditions.
    public var team: String
    public var title: String
    public var message: String
    public var value: Double?
    public var threshold: Double?
    /// Scope and evidence; `alertname`, `kind` and `runbook` are added by `record`.
    public var labels: [String: String]

    public init(kind: AlertKind, severity: AlertSeverity, fingerprint: String, team: String, title: String, message: String,
                value: Double?, threshold: Double?, labels: [String: String]) {
        self.kind = kind; self.severity = severity; self.fingerprint = fingerprint; self.team = team
        self.title = title; self.message = message; self.value = value; self.threshold = threshold; self.labels = labels
    }

    /// `kind:key=value:key=value`, in the order given.
    public static func fingerprint(_ kind: AlertKind, _ scope: [(String, String)]) -> String {
        ([kind.rawValue] + scope.map { "\($0.0)=\($0.1)" }).joined(separator: ":")
    }

    /// A new firing alert for this finding, raised at `now`.
    public func record(org: String, now: Date) -> AlertRecord {
        AlertRecord(time: now, fingerprint: fingerprint, kind: kind.rawValue, severity: severity, state: .firing, org: org,
                    team: team, title: title, message: message, value: value, threshold: threshold,
                    labels: fullLabels, deliveryState: .pending)
    }

    /// The labels with the alert's name and runbook.
    public var fullLabels: [String: String] {
        labels.merging(["alertname": kind.alertName, "runbook": kind.runbook]) { a, _ in a }
    }
}
