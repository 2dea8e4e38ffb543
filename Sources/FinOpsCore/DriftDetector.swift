/// Drift: a sustained rise of a per-request measure (cost per request, p95 latency) over the
/// recent hours against the trailing days. One noisy hour is not drift: the newest
/// `minConsecutiveHours` hours that carried enough requests must all be elevated, both by a
/// relative margin and by a robust z-score against the baseline. Hours with too few requests
/// neither count nor break the run (a quiet night between two drifted days). Upward only. Pure.
public struct DriftDetector: Sendable, Equatable {
    /// Hours judged, ending with the evaluated hour.
    public var recentHours = 6
    /// Hours of baseline before the recent window (168 = the trailing 7 days).
    public var baselineHours = 168
    public var minConsecutiveHours = 3
    /// Hours with fewer requests carry no value for drift.
    public var minRequestsPerHour = 20
    /// Elevated = at least this much above the baseline median (0.25 = +25%)…
    public var minChange = 0.25
    /// …and at least this many robust sigmas above it.
    public var zThreshold = 3.0
    /// Baseline hours with enough requests needed before anything is judged.
    public var minBaselinePoints = 24

    public init() {}

    public init(recentHours: Int = 6, baselineHours: Int = 168, minConsecutiveHours: Int = 3, minRequestsPerHour: Int = 20,
                minChange: Double = 0.25, zThreshold: Double = 3, minBaselinePoints: Int = 24) {
        self.recentHours = recentHours; self.baselineHours = baselineHours; self.minConsecutiveHours = minConsecutiveHours
        self.minRequestsPerHour = minRequestsPerHour; self.minChange = minChange; self.zThreshold = zThreshold
        self.minBaselinePoints = minBaselinePoints
    }

    /// - Parameters:
    ///   - values: hourly values, oldest first, the last one the evaluated hour; nil = no value.
    ///   - requests: the requests behind each value (same length).
    public func evaluate(values: [Double?], requests: [Int]) -> AnomalyEvidence? {
        precondition(values.count == requests.count, "one request count per value")
        let n = values.count
        let recentStart = max(0, n - recentHours)
        let baselineStart = max(0, recentStart - baselineHours)
        func usable(_ i: Int) -> Double? {
            guard requests[i] >= minRequestsPerHour, let v = values[i], v.isFinite else { return nil }
            return v
        }
        let baselineValues = (baselineStart..<recentStart).compactMap(usable)
        guard baselineValues.count >= minBaselinePoints, let median = RobustStatistics.median(baselineValues), median > 0 else {
            return nil
        }
        let sigma = max(RobustStatistics.robustSigma(baselineValues, around: median), 0.02 * median)
        var run: [(value: Double, requests: Int)] = []
        for i in stride(from: n - 1, through: recentStart, by: -1) {
            guard let v = usable(i) else { continue }
            guard v >= median * (1 + minChange), (v - median) / sigma >= zThreshold else { break }
            run.append((v, requests[i]))
        }
        guard run.count >= minConsecutiveHours else { return nil }
        let volume = run.reduce(0) { $0 + $1.requests }
        let level = run.reduce(0.0) { $0 + $1.value * Double($1.requests) } / Double(volume)
        return AnomalyEvidence(detector: .drift, observed: level, baseline: median, spread: sigma,
                               score: (level - median) / sigma,
                               limit: max(median * (1 + minChange), median + zThreshold * sigma),
                               windowHours: baselineHours, points: baselineValues.count,
                               extra: ["consecutive_hours": Double(run.count), "recent_requests": Double(volume),
                                       "change_ratio": level / median - 1, "recent_hours": Double(recentHours)])
    }
}
