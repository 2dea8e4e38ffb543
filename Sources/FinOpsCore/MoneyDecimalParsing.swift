/// Reading exact decimal dollar amounts (`"0.0001131"`, `"-12.5"`) back into `Money`, for
/// response headers, CSV exports and report files. Never goes through `Double`.
extension Money {
    /// Parses `[-]digits[.digits]`; more than 9 decimals or more than ~$9.2 billion is nil.
    public init?(decimalString text: String) {
        var s = Substring(text.trimmingSpaces())
        var negative = false
        if s.first == "-" || s.first == "+" {
            negative = s.first == "-"
            s = s.dropFirst()
        }
        let parts = s.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let wholeText = parts[0]
        let fracText = parts.count > 1 ? parts[1] : ""
        guard !(wholeText.isEmpty && fracText.isEmpty), fracText.count <= 9,
              wholeText.allSatisfy(\.isASCIIDigit), fracText.allSatisfy(\.isASCIIDigit) else { return nil }
        guard let whole = wholeText.isEmpty ? 0 : Int64(wholeText),
              let frac = Int64(fracText + String(repeating: "0", count: 9 - fracText.count)) else { return nil }
        let (scaled, overflow1) = whole.multipliedReportingOverflow(by: 1_000_000_000)
        let (nanos, overflow2) = scaled.addingReportingOverflow(frac)
        guard !overflow1, !overflow2 else { return nil }
        self.init(nanos: negative ? -nanos : nanos)
    }

    /// All nine decimals, e.g. `"0.000113100"`: fixed width for CSV columns that warehouses
    /// load as NUMERIC(…, 9).
    public var fullDecimalString: String {
        let magnitude = nanos.magnitude
        let frac = String(magnitude % 1_000_000_000)
        return "\(nanos < 0 ? "-" : "")\(magnitude / 1_000_000_000)."
            + String(repeating: "0", count: 9 - frac.count) + frac
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
