/// Spike detection by robust z-score on a rolling window: each hour of the window is compared
/// with the median of its hour of day on the same kind of day (weekday/weekend), and the judged
/// hour's residual is scored as z = (r − median(r)) / (1.4826 × MAD(r)) (see
/// `SeasonalResiduals`, `RobustStatistics.robustSigma`). Median and MAD ignore the outliers
/// already in the window, unlike a mean and standard deviation. Upward only: spend, volume,
/// cost per request and latency are alerts when they jump, not when they drop. Pure.
public struct RobustSpikeDetector: Sendable, Equatable {
    /// Hours of history before the judged hour (336 = two weeks: four values per weekend slot).
    public var windowHours = 336
    /// Fires at z ≥ this.
    public var zThreshold = 6.0
    /// Hours with a value the window needs before anything is judged.
    public var minPoints = 48
    /// …and the judged hour must be at least this much above its slot's median (0.5 = +50%,
    /// measured against the quiet-hour floor for quiet slots).
    public var minIncrease = 0.5
    /// Quiet hours are measured against this share of the window's mean level (1 = an excess
    /// must be material against a typical hour, not just against a quiet night).
    public var quietFloor = 1.0

    public init() {}

    public init(windowHours: Int = 336, zThreshold: Double = 6, minPoints: Int = 48, minIncrease: Double = 0.5,
                quietFloor: Double = 1.0) {
        self.windowHours = windowHours; self.zThreshold = zThreshold; self.minPoints = minPoints
        self.minIncrease = minIncrease; self.quietFloor = quietFloor
    }

    /// - Parameters:
    ///   - hourly: consecutive hourly values, oldest first; nil where an hour has no value.
    ///   - index: the judged hour; the `windowHours` before it are the history.
    ///   - firstHour: hours since the unix epoch of `hourly[0]` (for the hour of day).
    public func evaluate(hourly: [Double?], at index: Int, firstHour: Int) -> AnomalyEvidence? {
        let window = max(0, index - windowHours)..<index
        guard let r = SeasonalResiduals(hourly: hourly, window: window, index: index, firstHour: firstHour,
                                        profile: .dayType, minPerSlot: 2, quietFloor: quietFloor),
              r.residuals.count >= minPoints else { return nil }
        let (center, sigma) = r.spread(minBusy: 24)
        let z = (r.observedResidual - center) / sigma
        guard z >= zThreshold, r.observedResidual >= minIncrease else { return nil }
        return AnomalyEvidence(detector: .robustZ, observed: hourly[index]!, baseline: r.baseline, spread: sigma * r.scale,
                               score: z, limit: r.baseline + max(center + zThreshold * sigma, minIncrease) * r.scale,
                               windowHours: window.count, points: r.residuals.count)
    }
}
