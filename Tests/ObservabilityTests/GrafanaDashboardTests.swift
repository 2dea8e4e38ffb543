import FinOpsCore
import Observability
import XCTest

/// The committed dashboard: fresh, structurally valid for Grafana, and every query names a
/// metric the router registers (MetricCatalog) or a recording rule the rule file defines.
final class GrafanaDashboardTests: XCTestCase {
    func testCommittedDashboardAndProvisioningAreFresh() throws {
        XCTAssertEqual(try RepoFiles.read("grafana/dashboards/finops-router.json"), GrafanaDashboard.render(),
                       "grafana/ is stale: run finops-router grafana generate")
        XCTAssertEqual(try RepoFiles.read("grafana/provisioning/dashboards/finops-router.yml"), GrafanaProvisioning.dashboards)
        XCTAssertEqual(try RepoFiles.read("grafana/provisioning/datasources/finops-router.yml"),
                       GrafanaProvisioning.datasource(prometheusURL: "http://prometheus:9090"))
    }

    func testStructure() throws {
        let d = try JSONParser.parse(Array(try RepoFiles.read("grafana/dashboards/finops-router.json").utf8))
        XCTAssertEqual(d["uid"]?.stringValue, "finops-router")
        let variables = d["templating"]?["list"]?.arrayValue ?? []
        XCTAssertEqual(variables.map { $0["name"]?.stringValue }, ["datasource", "team"])
        XCTAssertEqual(variables.first?["type"]?.stringValue, "datasource")
        XCTAssertEqual(variables.first?["query"]?.stringValue, "prometheus")

        let panels = d["panels"]?.arrayValue ?? []
        XCTAssertGreaterThan(panels.count, 20)
        var ids = Set<Int>()
        var cells = Set<String>()
        for p in panels {
            let id = try XCTUnwrap(p["id"]?.intValue)
            XCTAssertTrue(ids.insert(id).inserted, "duplicate panel id \(id)")
            let g = try XCTUnwrap(p["gridPos"])
            let (x, y, w, h) = (g["x"]!.intValue!, g["y"]!.intValue!, g["w"]!.intValue!, g["h"]!.intValue!)
            XCTAssertTrue(x >= 0 && w > 0 && h > 0 && x + w <= 24, "panel \(id) leaves the 24-column grid")
            for cx in x..<(x + w) { for cy in y..<(y + h) { XCTAssertTrue(cells.insert("\(cx),\(cy)").inserted, "panel \(id) overlaps another") } }
            if p["type"]?.stringValue == "row" { continue }
            XCTAssertEqual(p["datasource"]?["uid"]?.stringValue, "${datasource}", "panel \(id)")
            XCTAssertFalse(p["title"]?.stringValue?.isEmpty ?? true)
            let targets = p["targets"]?.arrayValue ?? []
            XCTAssertFalse(targets.isEmpty, "panel \(id) has no query")
            for t in targets {
                XCTAssertFalse(t["expr"]?.stringValue?.isEmpty ?? true)
                XCTAssertNotNil(t["refId"]?.stringValue)
            }
        }
        let titles = Set(panels.compactMap { $0["type"]?.stringValue == "row" ? $0["title"]?.stringValue : nil })
        for row in ["Spend", "Budgets and burn", "Savings", "Traffic and errors", "Latency", "Cache", "Circuits and spend checks", "Telemetry and alerting"] {
            XCTAssertTrue(titles.contains(row), "no \(row) row")
        }
    }

    func testEveryQueryNamesAnExposedMetricOrARecordingRule() throws {
        let recorded = Set(AlertRuleFile.groups(AlertRuleSettings()).flatMap(\.rules).filter { !$0.isAlert }.map(\.name))
        let d = try JSONParser.parse(Array(GrafanaDashboard.render().utf8))
        var used = Set<String>()
        for p in d["panels"]?.arrayValue ?? [] {
            for t in p["targets"]?.arrayValue ?? [] {
                let names = metricNames(in: t["expr"]!.stringValue!)
                XCTAssertFalse(names.isEmpty, "query without a router metric: \(t["expr"]!.stringValue!)")
                for name in names {
                    if name.contains(":") {
                        XCTAssertTrue(recorded.contains(name), "panel \(p["title"]!.stringValue!) uses undefined recording rule \(name)")
                    } else {
                        let family = MetricCatalog.family(ofSeries: name)
                        XCTAssertNotNil(family, "panel \(p["title"]!.stringValue!) uses \(name), which the router does not expose")
                        if let family { used.insert(family.name) }
                    }
                }
            }
        }
        for required in [MetricCatalog.cost, MetricCatalog.savings, MetricCatalog.budgetUtilization, MetricCatalog.requestDuration,
                         MetricCatalog.cacheLookups, MetricCatalog.circuitState, MetricCatalog.telemetryDropped] {
            XCTAssertTrue(used.contains(required.name), "no panel shows \(required.name)")
        }
    }
}
