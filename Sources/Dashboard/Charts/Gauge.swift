import Foundation

/// A half-circle gauge: a fraction of a limit (month-end forecast over the budget), with the
/// 100% mark and optional threshold ticks. The arc's colour and a text label both carry the
/// state, so it reads without colour too.
public struct Gauge: Sendable {
    public var title: String
    /// Value over limit (1 = 100%); nil = no limit known.
    public var fraction: Double?
    public var caption: String
    public var thresholds: [Double]
    public var width = 240.0
    public var height = 150.0

    public init(title: String, fraction: Double?, caption: String, thresholds: [Double] = []) {
        self.title = title; self.fraction = fraction; self.caption = caption; self.thresholds = thresholds
    }

    /// The scale's end: 100%, or up to 150% when the value goes past the limit.
    var scaleMax: Double { min(1.5, max(1, fraction ?? 0)) }

    /// Angle (radians, 180° = left end, 0° = right end) of a fraction on the scale.
    func angle(_ f: Double) -> Double { Double.pi * (1 - min(max(f, 0), scaleMax) / scaleMax) }

    func point(_ f: Double, radius: Double) -> (x: Double, y: Double) {
        let a = angle(f)
        return (width / 2 + radius * cos(a), 110 - radius * sin(a))
    }

    public static func tone(_ f: Double) -> String { f >= 1 ? "critical" : f >= 0.8 ? "warning" : "ok" }

    public func render() -> String {
        guard let fraction, fraction.isFinite else {
            return SVGText.empty(width: width, height: height, title: title, message: caption)
        }
        let r = 80.0
        var out = SVGText.open(width: width, height: height, title: title,
                               description: "\(DisplayFormat.percent(fraction)) of the limit. \(caption)", cssClass: "gauge")
        let start = point(0, radius: r), full = point(scaleMax, radius: r), end = point(fraction, radius: r)
        out += "<path d=\"M\(SVGText.num(start.x)) \(SVGText.num(start.y)) A\(SVGText.num(r)) \(SVGText.num(r)) 0 0 1 \(SVGText.num(full.x)) \(SVGText.num(full.y))\" class=\"gauge-track\"/>"
        if fraction > 0 {
            out += "<path d=\"M\(SVGText.num(start.x)) \(SVGText.num(start.y)) A\(SVGText.num(r)) \(SVGText.num(r)) 0 0 1 \(SVGText.num(end.x)) \(SVGText.num(end.y))\" class=\"gauge-value tone-\(Self.tone(fraction))\"/>"
        }
        for t in thresholds + [1] where t <= scaleMax {
            let a = point(t, radius: r - 14), b = point(t, radius: r + 12)
            out += SVGText.line(x1: a.x, y1: a.y, x2: b.x, y2: b.y, cssClass: t == 1 ? "gauge-limit" : "gauge-tick")
        }
        out += SVGText.text(DisplayFormat.percent(fraction), x: width / 2, y: 100, anchor: "middle", cssClass: "gauge-value-text")
        out += SVGText.text(caption, x: width / 2, y: 138, anchor: "middle", cssClass: "gauge-caption")
        return out + "</svg>"
    }
}
