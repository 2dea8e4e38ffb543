/// Horizontal bars, one row per category, optionally several measures per row (p50 and p95
/// per model). Negative values (a strategy that cost more than its baseline) grow left of a
/// zero line.
public struct BarChart: Sendable {
    public struct Row: Sendable {
        public var label: String
        public var values: [Double]
        public init(label: String, values: [Double]) { self.label = label; self.values = values }
    }

    public var title: String
    public var measures: [String]
    public var rows: [Row]
    public var format: @Sendable (Double) -> String
    public var width = 640.0
    public var rowHeight = 26.0
    public var labelWidth = 170.0

    public init(title: String, measures: [String], rows: [Row], format: @escaping @Sendable (Double) -> String) {
        self.title = title; self.measures = measures; self.rows = rows; self.format = format
    }

    var legendHeight: Double { measures.count > 1 ? 22 : 0 }
    public var height: Double { legendHeight + Double(max(rows.count, 1)) * rowHeight + 24 }

    /// Value scale: from min(0, data) to max(0, data) over the space right of the labels
    /// (keeping ~70 units for the value text).
    func scale() -> LinearScale {
        let all = rows.flatMap(\.values).filter(\.isFinite)
        let lo = min(0, all.min() ?? 0), hi = max(0, all.max() ?? 1)
        return LinearScale(domain: (lo, hi == lo ? lo + 1 : hi), range: (labelWidth + (lo < 0 ? 64 : 4), width - 70))
    }

    public func render() -> String {
        guard !rows.isEmpty, rows.contains(where: { $0.values.contains { $0.isFinite && $0 != 0 } }) else {
            return SVGText.empty(width: width, height: 120, title: title)
        }
        let x = scale()
        let zero = x(0)
        var out = SVGText.open(width: width, height: height, title: title, description: description(), cssClass: "bar-chart")
        if measures.count > 1 {
            out += ChartLegend.render(measures.enumerated().map { ($0.element, ChartPalette.color($0.offset), false) }, x: labelWidth, y: 14)
        }
        let band = rowHeight - 6
        let barHeight = band / Double(max(1, measures.count))
        for (r, row) in rows.enumerated() {
            let top = legendHeight + Double(r) * rowHeight + 3
            out += SVGText.text(Self.clip(row.label), x: labelWidth - 8, y: top + band / 2 + 4, anchor: "end", cssClass: "label")
            for (m, value) in row.values.prefix(max(1, measures.count)).enumerated() where value.isFinite {
                let end = x(value)
                let y0 = top + Double(m) * barHeight
                let color = value < 0 ? "#D55E00" : ChartPalette.color(m)
                out += "<rect x=\"\(SVGText.num(min(zero, end)))\" y=\"\(SVGText.num(y0))\" width=\"\(SVGText.num(max(1, abs(end - zero))))\" "
                    + "height=\"\(SVGText.num(max(2, barHeight - 1)))\" rx=\"2\" fill=\"\(color)\">"
                    + "<title>\(SVGText.escape("\(row.label) · \(measures.indices.contains(m) ? measures[m] : ""): \(format(value))"))</title></rect>"
                let labelX = value < 0 ? min(zero, end) - 4 : max(zero, end) + 4
                out += SVGText.text(format(value), x: labelX, y: y0 + barHeight / 2 + 4, anchor: value < 0 ? "end" : "start", cssClass: "value")
            }
        }
        out += SVGText.line(x1: zero, y1: legendHeight, x2: zero, y2: height - 22, cssClass: "zero")
        return out + "</svg>"
    }

    func description() -> String {
        rows.prefix(12).map { row in "\(row.label): " + row.values.map(format).joined(separator: " / ") }.joined(separator: "; ")
    }

    /// Long names are cut to fit the label column (the full name is in the table below).
    static func clip(_ s: String, max: Int = 26) -> String {
        s.count <= max ? s : String(s.prefix(max - 1)) + "…"
    }
}
