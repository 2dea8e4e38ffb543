/// An exact amount of US dollars, stored as integer nano-dollars (1e-9 USD).
///
/// Money is never a summed `Double`: a million 12-token calls at $0.15 per 1M tokens must add up
/// to exactly $1.80. Nano-dollars keep one token of the cheapest model exact while an Int64 still
/// holds more than $9 billion.
public struct Money: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var nanos: Int64

    public init(nanos: Int64) { self.nanos = nanos }

    public static let zero = Money(nanos: 0)

    /// Converts a decimal dollar amount (from a price file or a header), rounding to the nearest nano-dollar.
    public init(usd: Double) { self.nanos = Int64((usd * 1_000_000_000).rounded()) }

    /// Dollars as a Double, for display and Prometheus only: never sum these.
    public var usd: Double { Double(nanos) / 1_000_000_000 }

    public static func + (a: Money, b: Money) -> Money { Money(nanos: a.nanos &+ b.nanos) }
    public static func - (a: Money, b: Money) -> Money { Money(nanos: a.nanos &- b.nanos) }
    public static func += (a: inout Money, b: Money) { a.nanos &+= b.nanos }
    public static func < (a: Money, b: Money) -> Bool { a.nanos < b.nanos }

    /// Fixed-point text with 9 decimals trimmed to at least 6, e.g. "0.000018" or "1.234567891".
    public var decimalString: String {
        let sign = nanos < 0 ? "-" : ""
        let magnitude = nanos.magnitude
        let whole = magnitude / 1_000_000_000
        var frac = String(magnitude % 1_000_000_000)
        frac = String(repeating: "0", count: 9 - frac.count) + frac
        while frac.count > 6 && frac.hasSuffix("0") { frac.removeLast() }
        return "\(sign)\(whole).\(frac)"
    }

    public var description: String { "$" + decimalString }
}
