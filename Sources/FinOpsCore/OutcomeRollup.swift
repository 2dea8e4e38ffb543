import Foundation

/// One row of `spend_rollup_outcome_hourly`: calls that reported a business outcome
/// (`X-FinOps-Outcome`), by hour, team, use case and outcome name. Reports divide a use case's
/// spend by these counts to get the cost per outcome.
public struct OutcomeRollup: Sendable, Equatable {
    public struct Key: Hashable, Sendable {
        public var bucket: Date
        public var org: String
        public var team: String
        public var useCase: String
        public var outcome: String

        public init(bucket: Date, org: String, team: String, useCase: String, outcome: String) {
            self.bucket = bucket; self.org = org; self.team = team; self.useCase = useCase; self.outcome = outcome
        }

        /// The key `record` rolls up into, or nil when it carries no outcome.
        public init?(record r: TelemetryRecord) {
            guard let outcome = r.outcome else { return nil }
            self.init(bucket: SpendRollup.Granularity.hour.bucketStart(r.time), org: r.org, team: r.team,
                      useCase: r.useCase, outcome: outcome)
        }
    }

    public var key: Key
    public var totals: SpendTotals

    public init(key: Key, totals: SpendTotals) {
        self.key = key
        self.totals = totals
    }

    /// In-memory reference aggregation, as for `SpendRollup.aggregate`.
    public static func aggregate(_ records: [TelemetryRecord]) -> [Key: SpendTotals] {
        var result: [Key: SpendTotals] = [:]
        for r in records {
            guard let key = Key(record: r) else { continue }
            result[key, default: SpendTotals()].add(SpendTotals(record: r))
        }
        return result
    }
}
