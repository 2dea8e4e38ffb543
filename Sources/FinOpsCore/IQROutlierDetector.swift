/// Outliers by Tukey's fences on a rolling window: the judged hour's residual from its hour of
/// day (weekday/weekend, see `SeasonalResiduals`) is out when it is above Q3 + k × IQR of the
/// window's residuals (k = 1.5 is Tukey's "outside", 3 his "far out"). Quartiles, like the
/// median, ignore the outliers already in the window. Upward only. Pure.
public struct IQROutlierDetector: Sendable, Equatable {
    public var windowHours = 336
    /// Fence multiplier.
    public var k = 3.0
    public var minPoints = 48
    /// The judged hour must also be at least this much above its slot's median.
    public var minIncrease = 0.5
    public var quietFloor = 1.0

    public init() {}

    public init(windowHours: Int = 336, k: Double = 3, minPoints: Int = 48, minIncrease: Double = 0.5, quietFloor: Double = 1.0) {
        self.windowHours = windowHours; self.k = k; self.minPoints = minPoints; self.minIncrease = minIncrease
        self.quietFloor = quietFloor
    }

    public func evaluate(hourly: [Double?], at index: Int, firstHour: Int) -> AnomalyEvidence? {
        let window = max(0, index - windowHours)..<index
        guard let r = SeasonalResiduals(hourly: hourly, window: window, index: index, firstHour: firstHour,
                                        profile: .dayType, minPerSlot: 2, quietFloor: quietFloor),
              r.residuals.count >= minPoints else { return nil }
        let sample = r.busyResiduals.count >= 24 ? r.busyResiduals : r.residuals
        let sorted = sample.sorted()
        let q1 = RobustStatistics.quantile(sorted: sorted, 0.25), q3 = RobustStatistics.quantile(sorted: sorted, 0.75)
        // Residuals that are mostly one value have IQR 0: fall back to what a normal
        // distribution with the robust sigma would have (1.349 σ).
        let median = RobustStatistics.quantile(sorted: sorted, 0.5)
        let iqr = max(q3 - q1, 1.349 * RobustStatistics.robustSigma(sample, around: median), 0.02)
        let fence = q3 + k * iqr
        guard r.observedResidual > fence, r.observedResidual >= minIncrease else { return nil }
        return AnomalyEvidence(detector: .iqr, observed: hourly[index]!, baseline: r.baseline, spread: iqr * r.scale,
                               score: (r.observedResidual - q3) / iqr, limit: r.baseline + max(fence, minIncrease) * r.scale,
                               windowHours: window.count, points: r.residuals.count,
                               extra: ["q1": r.baseline + q1 * r.scale, "q3": r.baseline + q3 * r.scale])
    }
}
