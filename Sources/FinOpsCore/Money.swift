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
    /// Written digit by digit into one buffer: it is on every response (`X-FinOps-Cost-USD`).
    public var decimalString: String {
        let magnitude = nanos.magnitude
        var frac = magnitude % 1_000_000_000
        var fracDigits = 9
        while fracDigits > 6 && frac % 10 == 0 {
            frac /= 10
            fracDigits -= 1
        }
        // At most "-" + 11 whole digits (Int64.max / 10^9) + "." + 9.
        return String(unsafeUninitializedCapacity: 22) { buffer in
            let zero = UInt8(ascii: "0")
            var i = 0
            if nanos < 0 {
                buffer[i] = UInt8(ascii: "-")
                i += 1
            }
            let wholeStart = i
            var whole = magnitude / 1_000_000_000
            repeat {
                buffer[i] = zero + UInt8(whole % 10)
                whole /= 10
                i += 1
            } while whole > 0
            buffer[wholeStart..<i].reverse()
            buffer[i] = UInt8(ascii: ".")
            i += 1
            var k = fracDigits
            while k > 0 {
                k -= 1
                buffer[i + k] = zero + UInt8(frac % 10)
                frac /= 10
            }
            return i + fracDigits
        }
    }

    public var description: String { "$" + decimalString }
}
