/// A word-sized trend for table cells: a line of the values, an optional dashed baseline, and
/// a dot on the latest value. Empty input renders an em dash so the cell is never blank.
public struct Sparkline: Sendable {
    public var label: String
    public var values: [Double?]
    public var baseline: Double?
    public var width = 120.0
    public var height = 28.0

    public init(label: String, values: [Double?], baseline: Double? = nil) {
        self.label = label; self.values = values; self.baseline = baseline
    }

    /// (x, y) of every finite value, in SVG units.
    func points() -> [(x: Double, y: Double)] {
        let finite = values.compactMap { $0 }.filter(\.isFinite) + (baseline.map { [$0] } ?? [])
        guard let lo = finite.min(), let hi = finite.max() else { return [] }
        let y = LinearScale(domain: (lo, hi), range: (height - 3, 3))
        let n = values.count
        return values.enumerated().compactMap { i, v in
            guard let v, v.isFinite else { return nil }
            let x = n <= 1 ? width / 2 : 2 + (width - 4) * Double(i) / Double(n - 1)
            return (x, lo == hi ? height / 2 : y(v))
        }
    }

    public func render() -> String {
        let pts = points()
        guard let last = pts.last else {
            return "<span class=\"spark-empty\" aria-label=\"\(HTML.escape(label)): no data\">—</span>"
        }
        var out = "<svg class=\"spark\" viewBox=\"0 0 \(SVGText.num(width)) \(SVGText.num(height))\" width=\"\(SVGText.num(width))\" "
            + "height=\"\(SVGText.num(height))\" role=\"img\" aria-label=\"\(HTML.escape(label))\" xmlns=\"http://www.w3.org/2000/svg\">"
            + "<title>\(HTML.escape(label))</title>"
        if let baseline, baseline.isFinite {
            let finite = values.compactMap { $0 }.filter(\.isFinite) + [baseline]
            let y = LinearScale(domain: (finite.min()!, finite.max()!), range: (height - 3, 3))
            let by = finite.min() == finite.max() ? height / 2 : y(baseline)
            out += "<line x1=\"0\" y1=\"\(SVGText.num(by))\" x2=\"\(SVGText.num(width))\" y2=\"\(SVGText.num(by))\" class=\"spark-baseline\"/>"
        }
        if pts.count > 1 {
            let d = pts.enumerated().map { ($0.offset == 0 ? "M" : "L") + SVGText.num($0.element.x) + " " + SVGText.num($0.element.y) }.joined()
            out += "<path d=\"\(d)\" class=\"spark-line\"/>"
        }
        out += "<circle cx=\"\(SVGText.num(last.x))\" cy=\"\(SVGText.num(last.y))\" r=\"2.5\" class=\"spark-dot\"/>"
        return out + "</svg>"
    }
}
