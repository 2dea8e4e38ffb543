/// Location and spread that a few outliers cannot move: the median, the median absolute
/// deviation (MAD) and quartiles. The anomaly detectors are built on these, so a spike already
/// inside a baseline window does not hide the next one.
public enum RobustStatistics {
    /// 1 / Φ⁻¹(3/4): scales a MAD to the standard deviation of normally distributed data.
    public static let madToSigma = 1.482_6
    /// √(π/2): scales a mean absolute deviation to a standard deviation (Iglewicz & Hoaglin's
    /// fallback when more than half the values equal the median and the MAD is 0).
    public static let meanADToSigma = 1.253_314

    /// The median; nil for no values.
    public static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        return quantile(sorted: values.sorted(), 0.5)
    }

    /// The `q` quantile (0...1) of ascending `sorted` values, interpolated linearly between
    /// order statistics (Hyndman & Fan type 7, what R and NumPy use by default).
    public static func quantile(sorted: [Double], _ q: Double) -> Double {
        precondition(!sorted.isEmpty, "quantile of no values")
        let h = Double(sorted.count - 1) * min(max(q, 0), 1)
        let lower = Int(h.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        return sorted[lower] + (h - Double(lower)) * (sorted[upper] - sorted[lower])
    }

    /// Median of |x − center|.
    public static func medianAbsoluteDeviation(_ values: [Double], around center: Double) -> Double {
        median(values.map { abs($0 - center) }) ?? 0
    }

    /// A robust standard deviation: 1.4826 × MAD, or 1.2533 × the mean absolute deviation when
    /// the MAD is 0 (a series that is mostly one value, e.g. zero spend at night). 0 only when
    /// every value equals `center`.
    public static func robustSigma(_ values: [Double], around center: Double) -> Double {
        let mad = medianAbsoluteDeviation(values, around: center)
        if mad > 0 { return madToSigma * mad }
        guard !values.isEmpty else { return 0 }
        return meanADToSigma * values.reduce(0) { $0 + abs($1 - center) } / Double(values.count)
    }
}
