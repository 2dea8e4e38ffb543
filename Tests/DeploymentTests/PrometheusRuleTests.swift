import FinOpsTestSupport
import Foundation
import XCTest

/// deployments/kubernetes/prometheusrule.yaml is generated from alerts/finops-router.rules.yml
/// by gen-prometheusrule.sh; its spec must equal the rules file.
final class PrometheusRuleTests: XCTestCase {
    static let script = "deployments/kubernetes/gen-prometheusrule.sh"
    static let manifest = "deployments/kubernetes/prometheusrule.yaml"
    static let rules = "alerts/finops-router.rules.yml"

    func testGeneratorEmbedsARulesFileUnchangedAsTheSpec() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("promrule-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A block scalar with a comment line and blank lines, a document marker, flow maps.
        let fixture = """
            ---
            groups:
              - name: finops-router.test
                rules:
                  - record: team:finops_router_cost_usd:rate1h
                    expr: sum by (team) (rate(finops_router_cost_usd_total[1h]))
                  - alert: FinOpsRouterDown
                    expr: |
                      # no target answers
                      up{job="finops-router"} == 0

                    for: 5m
                    labels: {severity: critical}
                    annotations:
                      summary: "Router down: {{ $labels.instance }}"
                      runbook_url: docs/runbooks/FinOpsRouterDown.md

            """
        try fixture.write(toFile: dir + "/rules.yml", atomically: true, encoding: .utf8)
        try ProcessRunner.run(["bash", Repository.path(Self.script), dir + "/rules.yml", dir + "/out.yaml"])
        let generated = try YAMLValue.parse(try String(contentsOfFile: dir + "/out.yaml", encoding: .utf8))
        XCTAssertEqual(generated["kind"].string, "PrometheusRule")
        XCTAssertEqual(generated["spec"].canonical, try YAMLValue.parse(fixture).canonical)
        XCTAssertEqual(generated["spec"]["groups"][0]["rules"][1]["expr"].string, "# no target answers\nup{job=\"finops-router\"} == 0\n")
    }

    func testCommittedManifestIsWhatTheGeneratorWritesFromTheCurrentRules() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("promrule-\(UUID().uuidString).yaml").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        try ProcessRunner.run(["bash", Repository.path(Self.script), Repository.path(Self.rules), out])
        XCTAssertEqual(try String(contentsOfFile: out, encoding: .utf8), try Repository.text(Self.manifest),
                       "\(Self.manifest) is stale: run \(Self.script)")
    }

    func testPrometheusRuleSpecEqualsTheGeneratedRulesFile() throws {
        let manifest = try Repository.yaml(Self.manifest)
        XCTAssertEqual(manifest["apiVersion"].string, "monitoring.coreos.com/v1")
        XCTAssertEqual(manifest["metadata"]["labels"]["app.kubernetes.io/name"].string, "finops-router")
        guard Repository.exists(Self.rules) else {
            XCTAssertEqual(manifest["spec"]["groups"].array.count, 0, "no rules file yet, so no groups")
            throw XCTSkip("\(Self.rules) does not exist yet (`finops-router alerts generate` writes it); spec equality is checked once it does")
        }
        let rules = try Repository.yaml(Self.rules)
        XCTAssertFalse(rules["groups"].array.isEmpty)
        XCTAssertEqual(manifest["spec"].canonical, rules.canonical)
    }
}
