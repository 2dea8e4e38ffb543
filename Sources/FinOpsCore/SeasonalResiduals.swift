/// An hourly window split into seasonal slots, with each hour's relative residual from its
/// slot's median: the common ground of the spike detectors, so a busy Monday morning is judged
/// against Monday mornings, not against the night before.
///
/// - `dayType` slots are hour of day × weekday/weekend (UTC): they need only a week or two
///   of history and follow the recent level;
/// - `hourOfWeek` slots are the 168 hours of the week, over whole previous weeks.
///
/// Residuals are relative, (x − m) / max(m, floor), because traffic noise grows with the
/// level; the floor (a share of the window's mean) keeps quiet hours, where one call more is
/// +100%, from producing huge residuals out of nothing. Pure.
public struct SeasonalResiduals: Sendable, Equatable {
    public enum Profile: Sendable, Equatable { case dayType, hourOfWeek }

    /// The judged hour's slot median and the scale its residual is measured in.
    public var baseline: Double
    public var scale: Double
    /// The judged hour's relative residual.
    public var observedResidual: Double

    /// Center and robust sigma of the residuals: from the busy hours when there are at least
    /// `minBusy` of them, else from all.
    public func spread(minBusy: Int) -> (center: Double, sigma: Double) {
        let sample = busyResiduals.count >= minBusy ? busyResiduals : residuals
        let center = RobustStatistics.median(sample) ?? 0
        return (center, max(RobustStatistics.robustSigma(sample, around: center), 0.02))
    }
    /// Every window hour's relative residual from its own slot median.
    public var residuals: [Double]
    /// The residuals of hours whose slot median is above the floor (the busy hours): their
    /// spread is the honest noise level, where quiet slots (a night of zero calls) would
    /// understate it.
    public var busyResiduals: [Double]

    /// Slot of an hour counted from the unix epoch (1970-01-01 was a Thursday).
    public static func slot(absoluteHour h: Int, _ profile: Profile) -> Int {
        let day = h >= 0 ? h / 24 : (h - 23) / 24
        let hourOfDay = h - day * 24
        let weekday = ((day + 3) % 7 + 7) % 7  // 0 = Monday
        switch profile {
        case .dayType: return (weekday >= 5 ? 24 : 0) + hourOfDay
        case .hourOfWeek: return weekday * 24 + hourOfDay
        }
    }

    /// - Parameters:
    ///   - hourly: consecutive hourly values, oldest first (nil = no value that hour).
    ///   - window: the history indices; `index` is the judged hour, after the window.
    ///   - firstHour: hours since the epoch of `hourly[0]`.
    ///   - minPerSlot: values a slot needs for a median.
    ///   - quietFloor: the floor as a share of the window's mean value.
    public init?(hourly: [Double?], window: Range<Int>, index: Int, firstHour: Int, profile: Profile,
                 minPerSlot: Int, quietFloor: Double) {
        guard index < hourly.count, let observed = hourly[index], observed.isFinite, window.lowerBound >= 0 else { return nil }
        var bySlot: [Int: [Double]] = [:]
        var sum = 0.0, count = 0
        for i in window {
            guard let v = hourly[i], v.isFinite else { continue }
            bySlot[Self.slot(absoluteHour: firstHour + i, profile), default: []].append(v)
            sum += v
            count += 1
        }
        guard count > 0 else { return nil }
        let floor = quietFloor * sum / Double(count)
        guard floor > 0 else { return nil }
        var medians: [Int: Double] = [:]
        for (slot, values) in bySlot where values.count >= minPerSlot { medians[slot] = RobustStatistics.median(values) }
        guard let m0 = medians[Self.slot(absoluteHour: firstHour + index, profile)] else { return nil }
        var residuals: [Double] = [], busy: [Double] = []
        residuals.reserveCapacity(count)
        for i in window {
            guard let v = hourly[i], v.isFinite, let m = medians[Self.slot(absoluteHour: firstHour + i, profile)] else { continue }
            residuals.append((v - m) / max(m, floor))
            if m >= floor { busy.append(residuals[residuals.count - 1]) }
        }
        busyResiduals = busy
        baseline = m0
        scale = max(m0, floor)
        observedResidual = (observed - m0) / scale
        self.residuals = residuals
    }
}
