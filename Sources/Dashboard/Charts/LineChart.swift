/// Lines over evenly spaced buckets (hours or days), e.g. cost per request against its
/// baseline. A nil value leaves a gap; a series with one point is drawn as a dot.
public struct LineChart: Sendable {
    public struct Series: Sendable {
        public var name: String
        public var values: [Double?]
        public var dashed: Bool
        public var color: String

        public init(name: String, values: [Double?], dashed: Bool = false, color: String) {
            self.name = name; self.values = values; self.dashed = dashed; self.color = color
        }
    }

    public var title: String
    public var xLabels: [String]
    public var series: [Series]
    public var yFormat: @Sendable (Double) -> String
    public var width = 640.0
    public var height = 240.0
    /// Draw a marker per point (with a tooltip) when there are at most this many points.
    public var maxMarkers = 62

    public init(title: String, xLabels: [String], series: [Series], yFormat: @escaping @Sendable (Double) -> String) {
        self.title = title; self.xLabels = xLabels; self.series = series; self.yFormat = yFormat
    }

    let margin = (top: 30.0, right: 14.0, bottom: 26.0, left: 58.0)

    /// X position of bucket `i` of `n`.
    func x(_ i: Int, of n: Int) -> Double {
        let plot = width - margin.left - margin.right
        return n <= 1 ? margin.left + plot / 2 : margin.left + plot * Double(i) / Double(n - 1)
    }

    /// The y scale: nice ticks over the data, always including 0.
    func yTicks() -> [Double] {
        let values = series.flatMap { $0.values.compactMap { $0 } }.filter(\.isFinite)
        return LinearScale.niceTicks(min: min(0, values.min() ?? 0), max: max(0, values.max() ?? 1), count: 4)
    }

    public func render() -> String {
        let n = xLabels.count
        let hasData = series.contains { $0.values.contains { $0?.isFinite == true } }
        guard n > 0, hasData else { return SVGText.empty(width: width, height: height, title: title) }
        let ticks = yTicks()
        let y = LinearScale(domain: (ticks.first!, ticks.last!), range: (height - margin.bottom, margin.top))
        var out = SVGText.open(width: width, height: height, title: title, description: description(), cssClass: "line-chart")
        for t in ticks {
            out += SVGText.line(x1: margin.left, y1: y(t), x2: width - margin.right, y2: y(t), cssClass: t == 0 ? "zero" : "grid")
            out += SVGText.text(yFormat(t), x: margin.left - 6, y: y(t) + 4, anchor: "end")
        }
        for i in XAxisLabels.indices(count: n, maxLabels: XAxisLabels.fit(width)) {
            out += SVGText.text(xLabels[i], x: x(i, of: n), y: height - 8, anchor: n == 1 ? "middle" : i == 0 ? "start" : i == n - 1 ? "end" : "middle")
        }
        for s in series {
            var d = ""
            var penDown = false
            for (i, v) in s.values.prefix(n).enumerated() {
                guard let v, v.isFinite else { penDown = false; continue }
                d += (penDown ? "L" : "M") + SVGText.num(x(i, of: n)) + " " + SVGText.num(y(v))
                penDown = true
            }
            if !d.isEmpty {
                out += "<path d=\"\(d)\" fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"2\"\(s.dashed ? " stroke-dasharray=\"6 4\"" : "") class=\"series\"/>"
            }
            if n <= maxMarkers && !s.dashed || n == 1 {
                for (i, v) in s.values.prefix(n).enumerated() {
                    guard let v, v.isFinite else { continue }
                    out += "<circle cx=\"\(SVGText.num(x(i, of: n)))\" cy=\"\(SVGText.num(y(v)))\" r=\"\(n == 1 ? 4 : 2.5)\" fill=\"\(s.color)\">"
                        + "<title>\(SVGText.escape("\(xLabels[i]) · \(s.name): \(yFormat(v))"))</title></circle>"
                }
            }
        }
        out += ChartLegend.render(series.map { ($0.name, $0.color, $0.dashed) }, x: margin.left, y: 14)
        return out + "</svg>"
    }

    func description() -> String {
        let parts = series.map { s -> String in
            let last = s.values.last { $0?.isFinite == true }.flatMap { $0 }
            return "\(s.name)\(last.map { ", latest \(yFormat($0))" } ?? "")"
        }
        return "\(xLabels.count) points from \(xLabels.first ?? "") to \(xLabels.last ?? ""): " + parts.joined(separator: "; ")
    }
}

/// Which bucket labels fit under an axis: about `maxLabels`, always the first and the last.
enum XAxisLabels {
    static func indices(count n: Int, maxLabels: Int) -> [Int] {
        guard n > 0 else { return [] }
        if n <= maxLabels { return Array(0..<n) }
        let step = Int((Double(n - 1) / Double(maxLabels - 1)).rounded(.up))
        var result = Array(stride(from: 0, to: n - 1, by: step))
        if let last = result.last, Double(n - 1 - last) < Double(step) * 0.7, result.count > 1 { result.removeLast() }
        return result + [n - 1]
    }

    /// How many date labels fit across `width` units (about 90 units each).
    static func fit(_ width: Double) -> Int { max(3, min(8, Int(width / 90))) }
}

/// A one-line legend of colour swatches (dashed for baselines).
enum ChartLegend {
    static func render(_ items: [(name: String, color: String, dashed: Bool)], x: Double, y: Double) -> String {
        guard items.count > 1 || items.first?.dashed == true else { return "" }
        var out = "<g class=\"legend\">"
        var cx = x
        for item in items {
            out += item.dashed
                ? "<line x1=\"\(SVGText.num(cx))\" y1=\"\(SVGText.num(y - 4))\" x2=\"\(SVGText.num(cx + 14))\" y2=\"\(SVGText.num(y - 4))\" stroke=\"\(item.color)\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>"
                : "<rect x=\"\(SVGText.num(cx))\" y=\"\(SVGText.num(y - 9))\" width=\"14\" height=\"10\" rx=\"2\" fill=\"\(item.color)\"/>"
            out += SVGText.text(item.name, x: cx + 19, y: y, cssClass: "legend-text")
            cx += 19 + Double(item.name.count) * 6.6 + 16
        }
        return out + "</g>"
    }
}
