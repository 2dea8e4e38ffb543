import FinOpsCore
import Foundation

/// Numbers as an executive reads them: `$12.3k`, `41%`, `812 ms`, `1.2 s`, `12.3k`. Three
/// significant digits above a thousand, cents below, two significant digits for fractions of
/// a cent (per-request costs). Locale-independent, so every viewer sees the same text.
public enum DisplayFormat {
    public static func money(_ m: Money) -> String { usd(m.usd) }

    public static func usd(_ value: Double) -> String {
        guard value.isFinite else { return "—" }
        if value == 0 { return "$0" }
        let sign = value < 0 ? "-" : ""
        let v = abs(value)
        let body: String
        if v >= 999_500_000 { body = scaled(v / 1e9) + "B" }
        else if v >= 999_500 { body = scaled(v / 1e6) + "M" }
        else if v >= 1_000 { body = scaled(v / 1e3) + "k" }
        else if v >= 0.0995 { body = String(format: "%.2f", v) }
        else {
            // Two significant digits: $0.014, $0.0042, $0.000011.
            let digits = min(12, Int((-log10(v)).rounded(.down)) + 2)
            body = trimmed(String(format: "%.\(digits)f", v))
        }
        return sign + "$" + body
    }

    /// Axis ticks: like `usd`, without cents on whole amounts (`$30`, `$2.5`, `$1.2k`).
    public static func usdTick(_ value: Double) -> String {
        let s = usd(value)
        return s.hasSuffix(".00") ? String(s.dropLast(3)) : s.contains(".") && !s.hasSuffix("k") && !s.hasSuffix("M") && !s.hasSuffix("B") ? trimmed(s) : s
    }

    /// A fraction as a percentage: 0.41 → `41%`, 0.041 → `4.1%`, 0.0004 → `0.04%`.
    public static func percent(_ fraction: Double) -> String {
        guard fraction.isFinite else { return "—" }
        let p = fraction * 100
        let a = abs(p)
        if a == 0 { return "0%" }
        if a < 0.005 { return p < 0 ? "-<0.01%" : "<0.01%" }
        if a >= 99.5 { return grouped(Int(p.rounded())) + "%" }
        if a >= 9.95 { return String(format: "%.0f%%", p) }
        if a >= 0.995 { return String(format: "%.1f%%", p) }
        return String(format: "%.2f%%", p)
    }

    /// A signed change: `+12%`, `-3.4%`.
    public static func change(_ fraction: Double) -> String {
        guard fraction.isFinite else { return "—" }
        return (fraction > 0 ? "+" : "") + percent(fraction)
    }

    /// Milliseconds as `0.4 ms`, `812 ms`, `1.23 s`, `12.3 s`, `2.5 min`.
    public static func duration(ms: Double) -> String {
        guard ms.isFinite else { return "—" }
        let a = abs(ms)
        if a < 9.95 { return trimmed(String(format: "%.1f", ms)) + " ms" }
        if a < 999.5 { return String(format: "%.0f", ms) + " ms" }
        if a < 9_995 { return String(format: "%.2f", ms / 1_000) + " s" }
        if a < 59_950 { return String(format: "%.1f", ms / 1_000) + " s" }
        return String(format: "%.1f", ms / 60_000) + " min"
    }

    /// A count: `412`, `12.3k`, `1.23M`.
    public static func count(_ n: Int) -> String {
        let v = Double(n)
        let a = abs(v)
        let sign = n < 0 ? "-" : ""
        if a < 1_000 { return String(n) }
        if a < 999_500 { return sign + scaled(a / 1e3) + "k" }
        if a < 999_500_000 { return sign + scaled(a / 1e6) + "M" }
        return sign + scaled(a / 1e9) + "B"
    }

    /// `1,234,567`, for tables where the exact count matters.
    public static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// `Nov 23` for a day bucket, `Nov 23 14:00` for an hour (UTC).
    public static func bucket(_ date: Date, hourly: Bool) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : -((-seconds + 86_399) / 86_400)
        let (_, m, d) = CivilDate.fromDaysSinceEpoch(days)
        let day = "\(monthNames[m - 1]) \(d)"
        guard hourly else { return day }
        let s = seconds - days * 86_400
        return day + String(format: " %02d:%02d", s / 3_600, s % 3_600 / 60)
    }

    /// `2026-11-23 14:05:09` UTC, for request rows.
    public static func timestamp(_ date: Date) -> String {
        CivilDate.iso8601(date).replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: "")
    }

    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Three significant digits for a value in [1, 1000): `1.23`, `12.3`, `123`.
    private static func scaled(_ v: Double) -> String {
        if v >= 99.95 { return String(format: "%.0f", v) }
        if v >= 9.995 { return trimmed(String(format: "%.1f", v)) }
        return trimmed(String(format: "%.2f", v))
    }

    /// Drops trailing zeros after a decimal point: `12.50` → `12.5`, `3.00` → `3`.
    static func trimmed(_ s: String) -> String {
        guard s.contains(".") else { return s }
        var t = s
        while t.hasSuffix("0") { t.removeLast() }
        if t.hasSuffix(".") { t.removeLast() }
        return t
    }
}
