import Foundation

/// Deterministic, realistic demo traffic for `finops-router seed`: `rows` calls over the `days`
/// before `end`, with business-hours and weekday seasonality, slow growth, the usual error,
/// failover and cache-hit rates, costs from the pricing catalog, and one planted spike (a
/// deploy that pinned the support triage bot to the priciest model for three hours, four days
/// before `end`) for anomaly detection and dashboards to find.
///
/// The same (seed, end, rows, days, catalog) always gives the same records, ids included,
/// so seeding twice stores nothing new.
public struct SeedTrafficGenerator: Sendable {
    public var rows: Int
    public var days: Int
    public var end: Date
    public var seed: UInt64
    public var profile: SeedTrafficProfile = .acme
    /// Share of rows that make up the planted spike.
    public var spikeShare = 0.04
    /// Where the planted spike goes; nil = 10:00-13:00 UTC four days before `end`.
    /// (`finops-router demo` puts it in the last complete hour, for the scheduler to judge now.)
    public var plantedSpike: ClosedRange<Date>?
    let catalog: PricingCatalog

    public init(rows: Int, days: Int, end: Date, seed: UInt64, catalog: PricingCatalog) {
        self.rows = max(0, rows)
        self.days = max(1, days)
        self.end = SpendRollup.Granularity.hour.bucketStart(end)
        self.seed = seed
        self.catalog = catalog
    }

    /// The planted spike's window: `plantedSpike`, else 10:00-13:00 UTC four days before `end` (or the first day).
    public var spikeWindow: ClosedRange<Date> {
        if let plantedSpike { return plantedSpike }
        let day = SpendRollup.Granularity.day.bucketStart(end.addingTimeInterval(-Double(min(4, days - 1)) * 86_400))
        return day.addingTimeInterval(10 * 3_600)...day.addingTimeInterval(13 * 3_600 - 0.001)
    }

    /// Every record, oldest first.
    public func generate() -> [TelemetryRecord] {
        var rng = SplitMix64(seed: seed)
        let models = SeedModelPicker(catalog: catalog)
        let slots = SeedHourlyWeights(end: end, days: days)
        let spikeRows = rows == 0 ? 0 : max(1, Int(Double(rows) * spikeShare))
        let idPrefix = "seed-\(seed)-\(Int64(end.timeIntervalSince1970) / 3_600)-"
        var records: [TelemetryRecord] = []
        records.reserveCapacity(rows)
        for index in 0..<rows {
            let isSpike = index < spikeRows
            let time: Date
            if isSpike {
                let window = spikeWindow
                time = window.lowerBound.addingTimeInterval((rng.unit() * window.upperBound.timeIntervalSince(window.lowerBound) * 1_000).rounded(.down) / 1_000)
            } else {
                time = slots.sample(&rng)
            }
            records.append(SeedCallFactory(models: models, profile: profile)
                .call(id: idPrefix + String(index), time: time, spike: isSpike, rng: &rng))
        }
        return records.sorted { ($0.time, $0.requestID) < ($1.time, $1.requestID) }
    }
}
