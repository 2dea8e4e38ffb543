import Foundation

/// The numbers behind one detector's verdict, stored with the alert (its `labels`) so whoever
/// reads it can check the claim: what was observed, against which baseline and spread, how far
/// out it was, over which window.
public struct AnomalyEvidence: Sendable, Equatable {
    public enum Detector: String, Sendable, CaseIterable {
        /// |x − median| / (1.4826 × MAD) over a rolling window.
        case robustZ = "robust_z"
        /// Above Tukey's upper fence Q3 + k × IQR over a rolling window.
        case iqr
        /// Against the same hour of the week in previous weeks.
        case hourOfWeek = "hour_of_week"
        /// A sustained level change over the recent hours against the trailing days.
        case drift
    }

    public var detector: Detector
    /// The value of the evaluated hour (drift: the volume-weighted mean of the drifted hours).
    public var observed: Double
    /// Median of the baseline (hour of week: of the same hour in previous weeks).
    public var baseline: Double
    /// Robust sigma (robust z, hour of week, drift) or the interquartile range (IQR).
    public var spread: Double
    /// How far out the observation is: z-score, or (x − Q3) / IQR.
    public var score: Double
    /// The level above which this detector fires for this baseline.
    public var limit: Double
    /// Hours of history the baseline covers, and how many of them had a value.
    public var windowHours: Int
    public var points: Int
    /// Detector-specific numbers: `q1`, `q3`, `consecutive_hours`, `recent_requests`, `change_ratio`.
    public var extra: [String: Double]

    public init(detector: Detector, observed: Double, baseline: Double, spread: Double, score: Double, limit: Double,
                windowHours: Int, points: Int, extra: [String: Double] = [:]) {
        self.detector = detector; self.observed = observed; self.baseline = baseline; self.spread = spread
        self.score = score; self.limit = limit; self.windowHours = windowHours; self.points = points; self.extra = extra
    }

    /// The evidence as alert labels, each key prefixed with the detector (`robust_z.score`).
    public var labels: [String: String] {
        var l: [String: String] = [:]
        let p = detector.rawValue
        l["\(p).observed"] = Self.format(observed)
        l["\(p).baseline"] = Self.format(baseline)
        l["\(p).\(detector == .iqr ? "iqr" : "sigma")"] = Self.format(spread)
        l["\(p).\(detector == .iqr ? "fence_distance" : "z")"] = Self.format(score)
        l["\(p).limit"] = Self.format(limit)
        l["\(p).window_hours"] = String(windowHours)
        l["\(p).points"] = String(points)
        for (k, v) in extra { l["\(p).\(k)"] = Self.format(v) }
        return l
    }

    /// Six significant digits: enough to check, short enough to read.
    public static func format(_ v: Double) -> String {
        guard v.isFinite else { return v > 0 ? "inf" : v < 0 ? "-inf" : "nan" }
        return String(format: "%.6g", v)
    }
}
