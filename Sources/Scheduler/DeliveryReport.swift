import FinOpsCore

/// What one delivery pass did, for logs and `finops-router scheduler run-once`.
public struct DeliveryReport: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        public var destination: String
        public var kind: AlertDestinationKind
        public var action: AlertDeliveryAction
        public var alerts: Int
        /// `delivered`, `retry` or `failed`, and the safe error text.
        public var outcome: String
        public var error: String?
    }

    /// HTTP calls made and their outcomes (one line per call; a Slack group is one call).
    public var lines: [Line] = []

    public init() {}

    public var delivered: Int { lines.filter { $0.outcome == "delivered" }.reduce(0) { $0 + $1.alerts } }
    public var retrying: Int { lines.filter { $0.outcome == "retry" }.reduce(0) { $0 + $1.alerts } }
    public var failed: Int { lines.filter { $0.outcome == "failed" }.reduce(0) { $0 + $1.alerts } }
}
