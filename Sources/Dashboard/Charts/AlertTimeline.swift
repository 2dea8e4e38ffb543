import FinOpsCore
import Foundation

/// Alerts on a time axis, one lane per severity (critical on top). Shapes differ per severity
/// (triangle, diamond, circle) as well as colours; each mark's tooltip names the alert.
public struct AlertTimeline: Sendable {
    public struct Mark: Sendable {
        public var time: Date
        public var severity: AlertSeverity
        public var label: String
        public init(time: Date, severity: AlertSeverity, label: String) { self.time = time; self.severity = severity; self.label = label }
    }

    public var title: String
    public var from: Date
    public var to: Date
    public var marks: [Mark]
    public var hourly: Bool
    public var width = 1190.0
    public var height = 130.0

    public init(title: String, from: Date, to: Date, marks: [Mark], hourly: Bool) {
        self.title = title; self.from = from; self.to = to; self.marks = marks; self.hourly = hourly
    }

    static let lanes: [AlertSeverity] = [.critical, .warning, .info]
    let left = 78.0, right = 14.0

    func x(_ t: Date) -> Double {
        let scale = LinearScale(domain: (from.timeIntervalSince1970, to.timeIntervalSince1970), range: (left, width - right))
        return min(max(scale(t.timeIntervalSince1970), left), width - right)
    }

    func laneY(_ s: AlertSeverity) -> Double { 22 + Double(Self.lanes.firstIndex(of: s) ?? 2) * 30 }

    static func shape(_ s: AlertSeverity, x: Double, y: Double) -> String {
        let (cx, cy) = (SVGText.num(x), SVGText.num(y))
        switch s {
        case .critical: return "<path d=\"M\(cx) \(SVGText.num(y - 7)) l7 12 h-14 Z\""
        case .warning: return "<path d=\"M\(cx) \(SVGText.num(y - 7)) l7 7 l-7 7 l-7 -7 Z\""
        case .info: return "<circle cx=\"\(cx)\" cy=\"\(cy)\" r=\"5.5\""
        }
    }

    public func render() -> String {
        guard !marks.isEmpty else { return SVGText.empty(width: width, height: height, title: title, message: "No alerts in this range") }
        let counts = Dictionary(grouping: marks, by: \.severity).mapValues(\.count)
        let summary = Self.lanes.map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
        var out = SVGText.open(width: width, height: height, title: title, description: "\(marks.count) alerts: \(summary)", cssClass: "timeline")
        for lane in Self.lanes {
            let y = laneY(lane)
            out += SVGText.line(x1: left, y1: y, x2: width - right, y2: y, cssClass: "grid")
            out += SVGText.text(lane.rawValue.capitalized, x: left - 10, y: y + 4, anchor: "end", cssClass: "label")
        }
        let span = to.timeIntervalSince(from)
        for i in 0...4 {
            let t = from.addingTimeInterval(span * Double(i) / 4)
            out += SVGText.text(DisplayFormat.bucket(t, hourly: hourly || span <= 3 * 86_400), x: x(t), y: height - 8,
                                anchor: i == 0 ? "start" : i == 4 ? "end" : "middle")
        }
        for mark in marks.sorted(by: { $0.time < $1.time }) {
            out += Self.shape(mark.severity, x: x(mark.time), y: laneY(mark.severity))
                + " fill=\"\(ChartPalette.severity(mark.severity.rawValue))\" class=\"mark\"><title>"
                + SVGText.escape("\(DisplayFormat.timestamp(mark.time)) · \(mark.severity.rawValue): \(mark.label)")
                + "</title>" + (mark.severity == .info ? "</circle>" : "</path>")
        }
        return out + "</svg>"
    }
}
