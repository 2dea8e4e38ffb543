/// A budget's spend as a horizontal bar against its limit, with a tick per alert threshold and
/// a diamond where the month-end (or day-end) forecast lands.
public struct UtilizationBar: Sendable {
    public var label: String
    public var utilization: Double
    public var forecast: Double?
    /// Threshold percentages (50, 80, 100).
    public var thresholds: [Int]
    public var width = 320.0
    public var height = 34.0

    public init(label: String, utilization: Double, forecast: Double?, thresholds: [Int]) {
        self.label = label; self.utilization = utilization; self.forecast = forecast; self.thresholds = thresholds
    }

    /// The bar's scale: to 100%, or further (at most 200%) when spend or forecast passes it.
    var scaleMax: Double {
        let values = [1, utilization, forecast ?? 0] + thresholds.map { Double($0) / 100 }
        return min(2, values.filter(\.isFinite).max() ?? 1)
    }

    /// Leaves room on the right for the last threshold's label.
    func x(_ f: Double) -> Double { 2 + (width - 16) * min(max(f, 0), scaleMax) / scaleMax }

    public func render() -> String {
        let u = utilization.isFinite ? utilization : scaleMax
        var text = "\(label): \(DisplayFormat.percent(u)) used"
        if let forecast, forecast.isFinite { text += ", forecast \(DisplayFormat.percent(forecast))" }
        var out = "<svg class=\"util\" viewBox=\"0 0 \(SVGText.num(width)) \(SVGText.num(height))\" role=\"img\" aria-label=\"\(HTML.escape(text))\" xmlns=\"http://www.w3.org/2000/svg\">"
            + "<title>\(HTML.escape(text))</title>"
        out += "<rect x=\"2\" y=\"8\" width=\"\(SVGText.num(x(scaleMax) - 2))\" height=\"14\" rx=\"3\" class=\"util-track\"/>"
        out += "<rect x=\"2\" y=\"8\" width=\"\(SVGText.num(max(0, x(u) - 2)))\" height=\"14\" rx=\"3\" class=\"util-fill tone-\(Gauge.tone(u))\"/>"
        for t in thresholds {
            let tx = x(Double(t) / 100)
            out += SVGText.line(x1: tx, y1: 4, x2: tx, y2: 26, cssClass: t == 100 ? "util-limit" : "util-tick")
            out += SVGText.text("\(t)%", x: tx, y: 33, anchor: "middle", cssClass: "util-label")
        }
        if let forecast, forecast.isFinite {
            let fx = x(forecast)
            out += "<path d=\"M\(SVGText.num(fx)) 9 l5 6 l-5 6 l-5 -6 Z\" class=\"util-forecast\"/>"
        }
        return out + "</svg>"
    }
}
