@testable import Dashboard
import FinOpsCore
import XCTest

/// The SVG charts: accessible names, empty states, one point, negative values, and every
/// label escaped (series and category names come from request headers).
final class ChartRenderingTests: XCTestCase {
    let hostile = "<script>alert(1)</script> & \"q\""

    func assertEscaped(_ svg: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(svg.contains("<script>"), "raw markup leaked", file: file, line: line)
        XCTAssertFalse(svg.contains("\"q\""), "raw quote leaked", file: file, line: line)
    }

    func testLineChartDrawsPathsGapsAndBaselineWithAccessibleName() {
        let svg = LineChart(title: "Cost per request", xLabels: ["a", "b", "c", "d"], series: [
            .init(name: hostile, values: [1, 2, nil, 4], color: "#0072B2"),
            .init(name: "Baseline", values: [2, 2, 2, 2], dashed: true, color: "#57606A"),
        ], yFormat: DisplayFormat.usd).render()
        XCTAssertTrue(svg.hasPrefix("<svg class=\"chart line-chart\""))
        XCTAssertTrue(svg.contains("role=\"img\""))
        XCTAssertTrue(svg.contains("<title>Cost per request</title>"))
        XCTAssertEqual(svg.components(separatedBy: "<path ").count - 1, 2, "one path per series")
        let first = svg.components(separatedBy: "d=\"")[1].prefix { $0 != "\"" }
        XCTAssertEqual(first.filter { $0 == "M" }.count, 2, "the nil value breaks the line: \(first)")
        XCTAssertTrue(svg.contains("stroke-dasharray"), "baseline dashed")
        XCTAssertEqual(svg.components(separatedBy: "<circle").count - 1, 3, "markers on the solid series' points only")
        assertEscaped(svg)
        XCTAssertTrue(svg.contains("&lt;script&gt;"))
    }

    func testEmptyAndSinglePointCharts() {
        let empty = LineChart(title: "t", xLabels: [], series: [], yFormat: DisplayFormat.usd).render()
        XCTAssertTrue(empty.contains("No data in this range"))
        let allNil = LineChart(title: "t", xLabels: ["a"], series: [.init(name: "s", values: [nil], color: "#000")], yFormat: DisplayFormat.usd).render()
        XCTAssertTrue(allNil.contains("No data in this range"))
        let one = LineChart(title: "t", xLabels: ["Nov 28"], series: [.init(name: "s", values: [5], color: "#000")], yFormat: DisplayFormat.usd).render()
        XCTAssertTrue(one.contains("<circle"), "one point is a dot")
        XCTAssertTrue(one.contains("Nov 28 · s: $5.00"))
        XCTAssertTrue(StackedAreaChart(title: "t", xLabels: ["a", "b"], layers: [], yFormat: DisplayFormat.usd).render().contains("No data"))
        XCTAssertTrue(BarChart(title: "t", measures: ["x"], rows: [], format: DisplayFormat.usd).render().contains("No data"))
    }

    func testBarChartPutsNegativeSavingsLeftOfZero() {
        let chart = BarChart(title: "Savings", measures: ["Savings"], rows: [.init(label: "auto", values: [10]), .init(label: hostile, values: [-5])],
                             format: DisplayFormat.usd)
        let svg = chart.render()
        let zero = chart.scale()(0)
        XCTAssertGreaterThan(chart.scale()(10), zero)
        XCTAssertLessThan(chart.scale()(-5), zero)
        XCTAssertTrue(svg.contains("fill=\"#D55E00\""), "negative bar in vermillion")
        XCTAssertTrue(svg.contains("-$5.00"))
        assertEscaped(svg)
    }

    func testStackedAreaStacksAndIgnoresNegatives() {
        let chart = StackedAreaChart(title: "Spend", xLabels: ["a", "b", "c"], layers: [
            .init(name: "x", values: [1, 2, 3], color: "#1"), .init(name: hostile, values: [4, -1, 1], color: "#2"),
        ], yFormat: DisplayFormat.usd)
        XCTAssertEqual(chart.stackedTops(), [[1, 2, 3], [5, 2, 4]])
        let svg = chart.render()
        XCTAssertEqual(svg.components(separatedBy: "<path ").count - 1, 2)
        assertEscaped(svg)
        let single = StackedAreaChart(title: "one", xLabels: ["a"], layers: [.init(name: "x", values: [2], color: "#1")], yFormat: DisplayFormat.usd).render()
        XCTAssertTrue(single.contains("<rect"), "one bucket is a column")
    }

    func testSparklineGaugeAndUtilizationBar() {
        XCTAssertTrue(Sparkline(label: hostile, values: []).render().contains("—"))
        XCTAssertFalse(Sparkline(label: hostile, values: [nil]).render().contains("<script>"))
        let spark = Sparkline(label: "trend", values: [1, 3, 2], baseline: 2)
        XCTAssertEqual(spark.points().count, 3)
        XCTAssertEqual(spark.points().map(\.y).min()!, 3, accuracy: 0.001, "the max value sits at the top margin")
        XCTAssertTrue(spark.render().contains("spark-baseline"))
        XCTAssertEqual(Sparkline(label: "one", values: [5]).points().first!.x, 60, "one point in the middle")

        XCTAssertTrue(Gauge(title: "g", fraction: nil, caption: "No budget").render().contains("No budget"))
        let over = Gauge(title: "g", fraction: 1.3, caption: "c")
        XCTAssertEqual(over.scaleMax, 1.3)
        XCTAssertTrue(over.render().contains("tone-critical"))
        XCTAssertTrue(over.render().contains("130%"))
        XCTAssertEqual(Gauge.tone(0.85), "warning")
        XCTAssertEqual(Gauge.tone(0.2), "ok")

        let bar = UtilizationBar(label: hostile, utilization: 0.9, forecast: 1.4, thresholds: [50, 80, 100])
        XCTAssertEqual(bar.scaleMax, 1.4)
        XCTAssertLessThan(bar.x(1), bar.x(1.4))
        let svg = bar.render()
        XCTAssertTrue(svg.contains("util-forecast"))
        XCTAssertEqual(svg.components(separatedBy: "util-tick").count - 1, 2)
        XCTAssertEqual(svg.components(separatedBy: "util-limit").count - 1, 1)
        assertEscaped(svg)
        XCTAssertTrue(UtilizationBar(label: "zero", utilization: .infinity, forecast: nil, thresholds: [100]).render().contains("tone-critical"))
    }

    func testAlertTimelineUsesShapesPerSeverity() {
        let t0 = Date(timeIntervalSince1970: 1_795_000_000)
        let svg = AlertTimeline(title: "Alerts", from: t0, to: t0.addingTimeInterval(86_400), marks: [
            .init(time: t0.addingTimeInterval(100), severity: .critical, label: hostile),
            .init(time: t0.addingTimeInterval(200), severity: .warning, label: "w"),
            .init(time: t0.addingTimeInterval(300), severity: .info, label: "i"),
            .init(time: t0.addingTimeInterval(-999), severity: .info, label: "before the range is clamped"),
        ], hourly: true).render()
        XCTAssertTrue(svg.contains("4 alerts: 1 critical, 1 warning, 2 info"))
        XCTAssertEqual(svg.components(separatedBy: "<circle").count - 1, 2)
        XCTAssertTrue(svg.contains("l7 12 h-14 Z"), "critical is a triangle")
        assertEscaped(svg)
        XCTAssertTrue(AlertTimeline(title: "a", from: t0, to: t0, marks: [], hourly: false).render().contains("No alerts in this range"))
    }
}
