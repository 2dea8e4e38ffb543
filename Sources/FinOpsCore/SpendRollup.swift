import Foundation

/// One row of `spend_rollup_hourly` / `spend_rollup_daily`: the totals of every call whose time
/// falls in `key.bucket` for one (org, team, user, provider, model, use case, strategy).
public struct SpendRollup: Sendable, Equatable {
    /// Bucket width. Buckets are aligned to UTC: hours, and days starting at 00:00 UTC.
    public enum Granularity: String, Sendable, CaseIterable {
        case hour, day

        public var seconds: Int64 { self == .hour ? 3_600 : 86_400 }

        /// Start of the bucket holding `date` (floor, so times before 1970 work too).
        public func bucketStart(_ date: Date) -> Date {
            Date(timeIntervalSince1970: Double(bucketStart(epochMillis: Self.epochMillis(date)) / 1_000))
        }

        /// Bucket start in unix milliseconds for a time in unix milliseconds.
        public func bucketStart(epochMillis ms: Int64) -> Int64 {
            let width = seconds * 1_000
            let floored = ms >= 0 ? ms / width : -((-ms + width - 1) / width)
            return floored * width
        }

        /// Unix milliseconds, rounded the way the stores round `TelemetryRecord.time`.
        public static func epochMillis(_ date: Date) -> Int64 {
            Int64((date.timeIntervalSince1970 * 1_000).rounded())
        }
    }

    public struct Key: Hashable, Sendable {
        public var bucket: Date
        public var org: String
        public var team: String
        public var user: String
        public var provider: String
        public var model: String
        public var useCase: String
        public var strategy: String

        public init(bucket: Date, org: String, team: String, user: String, provider: String, model: String,
                    useCase: String, strategy: String) {
            self.bucket = bucket; self.org = org; self.team = team; self.user = user
            self.provider = provider; self.model = model; self.useCase = useCase; self.strategy = strategy
        }

        /// The key `record` rolls up into at `granularity`.
        public init(_ granularity: Granularity, record r: TelemetryRecord) {
            self.init(bucket: granularity.bucketStart(r.time), org: r.org, team: r.team, user: r.user,
                      provider: r.provider, model: r.model, useCase: r.useCase, strategy: r.strategy)
        }
    }

    public var key: Key
    public var totals: SpendTotals

    public init(key: Key, totals: SpendTotals) {
        self.key = key
        self.totals = totals
    }

    /// Rolls raw records up in memory: the reference the stores' rollups are tested against.
    public static func aggregate(_ records: [TelemetryRecord], _ granularity: Granularity) -> [Key: SpendTotals] {
        var result: [Key: SpendTotals] = [:]
        for r in records { result[Key(granularity, record: r), default: SpendTotals()].add(SpendTotals(record: r)) }
        return result
    }
}
