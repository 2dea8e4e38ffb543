/// Maps a data interval onto a pixel interval, and picks "nice" tick values (1, 2, 2.5, 5 × 10ⁿ)
/// so axes read $0, $50, $100 rather than $0, $47.3, $94.6.
struct LinearScale: Equatable {
    var domain: (lower: Double, upper: Double)
    var range: (lower: Double, upper: Double)

    static func == (a: LinearScale, b: LinearScale) -> Bool {
        a.domain == b.domain && a.range == b.range
    }

    init(domain: (Double, Double), range: (Double, Double)) {
        // A zero-width domain (one value, or all equal) still maps somewhere sensible.
        let d = domain.0 == domain.1 ? (domain.0 - 1, domain.1 + 1) : domain
        self.domain = (d.0, d.1)
        self.range = (range.0, range.1)
    }

    func callAsFunction(_ v: Double) -> Double {
        let t = (v - domain.lower) / (domain.upper - domain.lower)
        return range.lower + t * (range.upper - range.lower)
    }

    /// Ticks covering `[min, max]`: about `count` of them, evenly spaced on a nice step; the
    /// first is <= min and the last >= max. Non-finite or empty input gives `[0, 1]`.
    static func niceTicks(min lo: Double, max hi: Double, count: Int = 5) -> [Double] {
        guard lo.isFinite, hi.isFinite else { return [0, 1] }
        var (a, b) = (Swift.min(lo, hi), Swift.max(lo, hi))
        if a == b {
            if a == 0 { return [0, 1] }
            (a, b) = a > 0 ? (0, a) : (a, 0)
        }
        let step = niceStep((b - a) / Double(Swift.max(1, count)))
        let first = (a / step).rounded(.down) * step
        let last = (b / step).rounded(.up) * step
        var ticks: [Double] = []
        var v = first
        while v <= last + step / 2 && ticks.count < 50 {
            ticks.append(abs(v) < step * 1e-9 ? 0 : v)
            v += step
        }
        return ticks
    }

    /// The nice number closest above `raw`: 1, 2, 2.5 or 5 times a power of ten.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let magnitude = pow10((raw).log10Floor)
        let f = raw / magnitude
        let nice: Double = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10
        return nice * magnitude
    }

    private static func pow10(_ e: Int) -> Double {
        var r = 1.0
        if e >= 0 { for _ in 0..<e { r *= 10 } } else { for _ in 0..<(-e) { r /= 10 } }
        return r
    }
}

private extension Double {
    /// floor(log10(self)) for positive finite values, without Foundation.
    var log10Floor: Int {
        var e = 0
        var v = self
        while v >= 10 { v /= 10; e += 1 }
        while v < 1 { v *= 10; e -= 1 }
        return e
    }
}
