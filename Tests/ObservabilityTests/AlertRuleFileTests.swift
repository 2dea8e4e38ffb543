import FinOpsCore
import Observability
import XCTest

/// The generated Prometheus rules: deterministic, mixin-style labels and annotations, a runbook
/// and promtool tests for every alert, only metrics the router registers.
final class AlertRuleFileTests: XCTestCase {
    let defaults = AlertRuleSettings()
    var rules: [PromRule] { AlertRuleFile.groups(defaults).flatMap(\.rules) }
    var alerts: [PromRule] { rules.filter(\.isAlert) }

    func testGenerationIsByteIdenticalAndTheCommittedFileIsFresh() throws {
        let first = AlertRuleFile.render(defaults)
        XCTAssertEqual(first, AlertRuleFile.render(AlertRuleSettings()))
        XCTAssertEqual(try RepoFiles.read("alerts/finops-router.rules.yml"), first,
                       "alerts/finops-router.rules.yml is stale: run finops-router alerts generate")
    }

    func testThresholdsComeFromTheSettings() {
        var s = AlertRuleSettings()
        s.spendSpikeFactor = 7.5
        s.errorRatio.critical = nil
        s.job = "llm-gateway"
        s.runbookBaseURL = "https://git.example.com/ops/runbooks"
        let changed = AlertRuleFile.groups(s).flatMap(\.rules).filter(\.isAlert)
        XCTAssertTrue(changed.first { $0.name == "FinOpsRouterSpendSpike" }!.expr.contains("> 7.5 * ("))
        XCTAssertEqual(changed.filter { $0.name == "FinOpsRouterErrorRatioHigh" }.map { $0.label("severity") }, ["warning"])
        XCTAssertEqual(changed.first { $0.name == "FinOpsRouterDown" }!.expr, #"up{job="llm-gateway"} == 0"#)
        XCTAssertEqual(changed.first { $0.name == "FinOpsRouterDown" }!.annotation("runbook_url"),
                       "https://git.example.com/ops/runbooks/FinOpsRouterDown.md")
        XCTAssertNotEqual(AlertRuleFile.render(s), AlertRuleFile.render(defaults))
    }

    func testBurnRateUsesTheFourWindowPairs() {
        let burns = alerts.filter { $0.name == "FinOpsRouterBudgetBurnRate" }
        let pairs = burns.map { "\($0.label("long_window")!)/\($0.label("short_window")!)@\($0.label("severity")!)" }
        XCTAssertEqual(pairs, ["1h/5m@critical", "6h/30m@critical", "1d/2h@warning", "3d/6h@warning"])
        XCTAssertTrue(burns[0].expr.contains("budget:finops_router_burn_rate:ratio_rate1h > 14.4"))
        XCTAssertTrue(burns[0].expr.contains("budget:finops_router_burn_rate:ratio_rate5m > 14.4"))
        XCTAssertTrue(burns[3].expr.contains("ratio_rate3d > 1\n"))
        XCTAssertTrue(alerts.first { $0.name == "FinOpsRouterSpendSpike" }!.expr.contains("offset 1w"))
        XCTAssertTrue(alerts.contains { $0.expr.hasPrefix("absent(up{") })
    }

    func testEveryAlertHasMixinLabelsAndAnnotations() {
        XCTAssertEqual(Set(alerts.map(\.name)), Set(AlertRules.names))
        for alert in alerts {
            XCTAssertNotNil(alert.name.range(of: #"^[A-Z][a-zA-Z0-9]+$"#, options: .regularExpression), alert.name)
            XCTAssertTrue(["critical", "warning", "info"].contains(alert.label("severity") ?? ""), alert.name)
            XCTAssertFalse(alert.annotation("summary")?.isEmpty ?? true, alert.name)
            XCTAssertFalse(alert.annotation("description")?.isEmpty ?? true, alert.name)
            XCTAssertEqual(alert.annotation("runbook_url"), "docs/runbooks/\(alert.name).md")
        }
        // Same name, different severities: each pair differs only by severity-bearing labels.
        let keys = alerts.map { a in a.name + a.labels.map { "\($0.0)=\($0.1)" }.joined(separator: ",") }
        XCTAssertEqual(Set(keys).count, keys.count, "two rules would raise alerts with identical labels")
    }

    func testEveryAlertHasARunbookWithTheFourParts() throws {
        let index = try RepoFiles.read("docs/runbooks/README.md")
        // Prometheus alerts and the scheduler's alert kinds share the folder and the format.
        let names = AlertRules.names + AlertKind.allCases.map(\.alertName)
        for name in names {
            let path = "docs/runbooks/\(name).md"
            XCTAssertTrue(RepoFiles.exists(path), "missing runbook \(path)")
            let text = try RepoFiles.read(path)
            XCTAssertTrue(text.hasPrefix("# \(name)\n"), path)
            for section in ["## Meaning", "## Impact", "## First checks", "## Fixes"] {
                XCTAssertTrue(text.contains(section), "\(path) has no \(section)")
            }
            XCTAssertTrue(index.contains("(\(name).md)"), "docs/runbooks/README.md does not link \(name)")
        }
        let files = try RepoFiles.list("docs/runbooks").filter { $0 != "README.md" }
        XCTAssertEqual(Set(files), Set(names.map { "\($0).md" }), "a runbook describes an alert that does not exist")
    }

    func testEveryAlertHasPromtoolCasesFiringAndNotFiring() throws {
        let tests = try RepoFiles.list("alerts/tests").filter { $0.hasSuffix(".yml") }.map { try RepoFiles.read("alerts/tests/\($0)") }.joined()
        // A case: "alertname: X" followed by "exp_alerts: []" (quiet) or "exp_alerts:" + items (firing).
        let cases = tests.components(separatedBy: "alertname: ").dropFirst()
        for name in AlertRules.names {
            let mine = cases.filter { $0.hasPrefix(name + "\n") }
            XCTAssertTrue(mine.contains { $0.contains("exp_alerts: []") }, "\(name) has no promtool case where it stays quiet")
            XCTAssertTrue(mine.contains { $0.contains("exp_labels:") }, "\(name) has no promtool case where it fires")
        }
    }

    func testRulesNameOnlyRegisteredMetricsAndDefinedRecordings() {
        let recorded = Set(rules.filter { !$0.isAlert }.map(\.name))
        for rule in rules {
            for name in metricNames(in: rule.expr) {
                if name.contains(":") {
                    XCTAssertTrue(recorded.contains(name), "\(rule.name) uses undefined recording rule \(name)")
                } else {
                    XCTAssertNotNil(MetricCatalog.family(ofSeries: name), "\(rule.name) uses \(name), which the router does not expose")
                }
            }
        }
        XCTAssertEqual(Set(recorded).count, rules.filter { !$0.isAlert }.count, "a recording rule is defined twice")
    }

    func testDurationsParseAndPrintCanonically() {
        XCTAssertEqual(PromDuration("90m")?.description, "90m")
        XCTAssertEqual(PromDuration("120m")?.description, "2h")
        XCTAssertEqual(PromDuration("7d")?.description, "1w")
        XCTAssertEqual(PromDuration.days(3).description, "3d")
        for bad in ["", "5", "m", "-5m", "0s", "1h30m", "5y", "1.5h"] { XCTAssertNil(PromDuration(bad), bad) }
    }
}
