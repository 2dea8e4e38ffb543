/// Layers stacked over evenly spaced buckets: spend by team per day, requests by strategy per
/// hour. Negative values count as zero (stacks are shares of a total); a single bucket is
/// drawn as one stacked column.
public struct StackedAreaChart: Sendable {
    public struct Layer: Sendable {
        public var name: String
        public var values: [Double]
        public var color: String
        public init(name: String, values: [Double], color: String) { self.name = name; self.values = values; self.color = color }
    }

    public var title: String
    public var xLabels: [String]
    public var layers: [Layer]
    public var yFormat: @Sendable (Double) -> String
    public var width = 640.0
    public var height = 240.0

    public init(title: String, xLabels: [String], layers: [Layer], yFormat: @escaping @Sendable (Double) -> String) {
        self.title = title; self.xLabels = xLabels; self.layers = layers; self.yFormat = yFormat
    }

    let margin = (top: 30.0, right: 14.0, bottom: 26.0, left: 58.0)

    /// Cumulative tops per layer: `tops[l][i]` = sum of layers 0...l at bucket i.
    func stackedTops() -> [[Double]] {
        let n = xLabels.count
        var running = [Double](repeating: 0, count: n)
        return layers.map { layer in
            for i in 0..<n { running[i] += max(0, i < layer.values.count && layer.values[i].isFinite ? layer.values[i] : 0) }
            return running
        }
    }

    public func render() -> String {
        let n = xLabels.count
        let tops = stackedTops()
        let peak = tops.last?.max() ?? 0
        guard n > 0, peak > 0 else { return SVGText.empty(width: width, height: height, title: title) }
        let ticks = LinearScale.niceTicks(min: 0, max: peak, count: 4)
        let y = LinearScale(domain: (0, ticks.last!), range: (height - margin.bottom, margin.top))
        let plot = width - margin.left - margin.right
        let x = { (i: Int) -> Double in n <= 1 ? margin.left + plot / 2 : margin.left + plot * Double(i) / Double(n - 1) }
        var out = SVGText.open(width: width, height: height, title: title, description: description(tops), cssClass: "area-chart")
        for t in ticks {
            out += SVGText.line(x1: margin.left, y1: y(t), x2: width - margin.right, y2: y(t), cssClass: t == 0 ? "zero" : "grid")
            out += SVGText.text(yFormat(t), x: margin.left - 6, y: y(t) + 4, anchor: "end")
        }
        for i in XAxisLabels.indices(count: n, maxLabels: XAxisLabels.fit(width)) {
            out += SVGText.text(xLabels[i], x: x(i), y: height - 8, anchor: n == 1 ? "middle" : i == 0 ? "start" : i == n - 1 ? "end" : "middle")
        }
        for (l, layer) in layers.enumerated() {
            let top = tops[l]
            let bottom = l == 0 ? [Double](repeating: 0, count: n) : tops[l - 1]
            let tip = "\(layer.name): \(yFormat(zip(top, bottom).map { $0 - $1 }.reduce(0, +))) in total"
            if n == 1 {
                out += "<rect x=\"\(SVGText.num(x(0) - 30))\" y=\"\(SVGText.num(y(top[0])))\" width=\"60\" "
                    + "height=\"\(SVGText.num(max(0, y(bottom[0]) - y(top[0]))))\" fill=\"\(layer.color)\"><title>\(SVGText.escape(tip))</title></rect>"
                continue
            }
            var d = "M" + SVGText.num(x(0)) + " " + SVGText.num(y(top[0]))
            for i in 1..<n { d += "L" + SVGText.num(x(i)) + " " + SVGText.num(y(top[i])) }
            for i in stride(from: n - 1, through: 0, by: -1) { d += "L" + SVGText.num(x(i)) + " " + SVGText.num(y(bottom[i])) }
            out += "<path d=\"\(d)Z\" fill=\"\(layer.color)\" fill-opacity=\"0.85\" stroke=\"#ffffff\" stroke-width=\"0.5\"><title>\(SVGText.escape(tip))</title></path>"
        }
        out += ChartLegend.render(layers.map { ($0.name, $0.color, false) }, x: margin.left, y: 14)
        return out + "</svg>"
    }

    func description(_ tops: [[Double]]) -> String {
        let totals = layers.map { "\($0.name) \(yFormat($0.values.filter(\.isFinite).map { max(0, $0) }.reduce(0, +)))" }
        return "Stacked over \(xLabels.count) buckets from \(xLabels.first ?? "") to \(xLabels.last ?? ""): " + totals.joined(separator: ", ")
    }
}
