/// Pattern deviation: an hour compared with the same hour of the week in previous weeks
/// (Tuesday 10:00 with the last Tuesdays at 10:00), so a quiet Sunday that suddenly spends
/// like a Monday is caught. The spread comes from every hour of those weeks: each hour's
/// relative residual from its own hour-of-week median, pooled, gives a robust sigma that four
/// samples per slot could not (see `SeasonalResiduals`). Upward only. Pure.
public struct HourOfWeekDetector: Sendable, Equatable {
    /// Previous weeks compared (the history is `weeks` × 168 hours).
    public var weeks = 4
    /// Fewer complete weeks of history than this: no verdict.
    public var minWeeks = 2
    public var zThreshold = 6.0
    /// The judged hour must also be at least this much above its hour-of-week median.
    public var minIncrease = 0.5
    public var quietFloor = 1.0

    public init() {}

    public init(weeks: Int = 4, minWeeks: Int = 2, zThreshold: Double = 6, minIncrease: Double = 0.5, quietFloor: Double = 1.0) {
        self.weeks = weeks; self.minWeeks = minWeeks; self.zThreshold = zThreshold; self.minIncrease = minIncrease
        self.quietFloor = quietFloor
    }

    public static let hoursPerWeek = 168

    public func evaluate(hourly: [Double?], at index: Int, firstHour: Int) -> AnomalyEvidence? {
        let usedWeeks = min(weeks, index / Self.hoursPerWeek)
        guard usedWeeks >= max(2, minWeeks) else { return nil }
        let window = (index - usedWeeks * Self.hoursPerWeek)..<index
        guard let r = SeasonalResiduals(hourly: hourly, window: window, index: index, firstHour: firstHour,
                                        profile: .hourOfWeek, minPerSlot: 2, quietFloor: quietFloor),
              r.residuals.count >= Self.hoursPerWeek else { return nil }
        let (center, sigma) = r.spread(minBusy: 24)
        let z = (r.observedResidual - center) / sigma
        guard z >= zThreshold, r.observedResidual >= minIncrease else { return nil }
        return AnomalyEvidence(detector: .hourOfWeek, observed: hourly[index]!, baseline: r.baseline, spread: sigma * r.scale,
                               score: z, limit: r.baseline + max(center + zThreshold * sigma, minIncrease) * r.scale,
                               windowHours: window.count, points: r.residuals.count, extra: ["weeks": Double(usedWeeks)])
    }
}
