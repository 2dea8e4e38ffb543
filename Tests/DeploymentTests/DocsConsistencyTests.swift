import FinOpsCore
import FinOpsTestSupport
import Foundation
import XCTest

/// Published numbers and names that must follow the code: the cost model CSV against the pricing
/// catalog (through the router's own cost math), and the metrics docs/sla.yaml names.
final class DocsConsistencyTests: XCTestCase {
    func testCostModelCSVIsWhatItsGeneratorWritesFromTheCatalog() throws {
        let output = try ProcessRunner.run(["python3", Repository.path("scripts/gen-cost-model.py"), "--check"])
        XCTAssertTrue(output.contains("up to date"), output)
    }

    func testCostModelRowsUseCatalogPricesAndTheRoutersCostMath() throws {
        let catalog = try Repository.catalog()
        let lines = try Repository.text("docs/cost-model.csv").split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = try XCTUnwrap(lines.first)
        func column(_ name: String) throws -> Int { try XCTUnwrap(header.firstIndex(of: name), "column \(name)") }
        XCTAssertGreaterThanOrEqual(lines.count, 4, "several scenarios")
        for row in lines.dropFirst() {
            let tenant = row[try column("tenant")]
            let requests = Int64(try XCTUnwrap(Int(row[try column("requests_per_day")]))) * Int64(try XCTUnwrap(Int(row[try column("days_per_month")])))
            let usage = TokenUsage(inputTokens: try XCTUnwrap(Int(row[try column("avg_input_tokens")])),
                                   outputTokens: try XCTUnwrap(Int(row[try column("avg_output_tokens")])))
            let baseline = try XCTUnwrap(catalog.price(for: row[try column("baseline_model")]), tenant)
            XCTAssertEqual(Money(usd: try XCTUnwrap(Double(row[try column("baseline_input_usd_per_1m")]))), baseline.inputPerMTok, tenant)
            XCTAssertEqual(Money(usd: try XCTUnwrap(Double(row[try column("baseline_output_usd_per_1m")]))), baseline.outputPerMTok, tenant)

            // Without the router: every request on the baseline, priced as the router prices a call.
            let perCall = CostCalculator.cost(of: usage, at: baseline)
            XCTAssertEqual(Self.cents(Money(nanos: perCall.nanos * requests)), row[try column("monthly_cost_without_router_usd")], tenant)

            // With the router: the tier mix on the named models, minus cache hits, plus hosting.
            var blended = Money.zero
            for tier in ["small", "medium", "large"] {
                let share = Int64(try XCTUnwrap(Int(row[try column("mix_\(tier)_pct")])))
                let model = try XCTUnwrap(catalog.price(for: row[try column("\(tier)_model")]), "\(tenant) \(tier) model")
                blended += Money(nanos: CostCalculator.cost(of: usage, at: model).nanos * requests * share / 100)
            }
            let hit = Int64(try XCTUnwrap(Int(row[try column("cache_hit_rate_pct")])))
            let llm = Money(nanos: blended.nanos * (100 - hit) / 100)
            XCTAssertEqual(Self.cents(llm), row[try column("monthly_llm_cost_with_router_usd")], tenant)
            let total = try XCTUnwrap(Double(row[try column("monthly_total_with_router_usd")]))
            let infra = try XCTUnwrap(Double(row[try column("router_infra_usd_month")]))
            let without = try XCTUnwrap(Double(row[try column("monthly_cost_without_router_usd")]))
            XCTAssertEqual(total, llm.usd + infra, accuracy: 0.011, tenant)
            XCTAssertEqual(try XCTUnwrap(Double(row[try column("monthly_savings_usd")])), without - total, accuracy: 0.011, tenant)
        }
    }

    func testEveryMetricTheServiceTargetsNameExistsInTheCode() throws {
        let sla = try Repository.yaml("docs/sla.yaml")
        let targets = sla["targets"].array
        XCTAssertEqual(Set(targets.compactMap { $0["name"].string }).isSuperset(of: ["availability", "added_latency", "budget_check_latency"]), true)
        var source = ""
        let dir = Repository.path("Sources/Observability")
        for file in try FileManager.default.contentsOfDirectory(atPath: dir) where file.hasSuffix(".swift") {
            source += try String(contentsOfFile: dir + "/" + file, encoding: .utf8)
        }
        for target in targets {
            let name = target["name"].string ?? "?"
            let metrics = target["sli"]["metrics"].strings + target["metrics"].strings
            XCTAssertFalse(metrics.isEmpty, "\(name) names the metrics behind it")
            XCTAssertTrue(target["objective"].exists && target["description"].exists, name)
            for metric in metrics {
                XCTAssertTrue(source.contains("\"\(metric)\"") || Self.generatedName(metric, in: source), "\(name): \(metric) is not a metric the router exposes")
            }
        }
    }

    func testEveryAlertTheServiceTargetsNameIsAGeneratedRule() throws {
        let rules = try Repository.yaml("alerts/finops-router.rules.yml")
        let alerts = Set(rules["groups"].array.flatMap { $0["rules"].array.compactMap { $0["alert"].string } })
        XCTAssertFalse(alerts.isEmpty)
        let named = try Repository.yaml("docs/sla.yaml")["targets"].array.flatMap { $0["alerts"].strings }
        XCTAssertFalse(named.isEmpty)
        for alert in named { XCTAssertTrue(alerts.contains(alert), "docs/sla.yaml names \(alert), which no rule defines") }
    }

    /// `finops_router_telemetry_rows_\(name)_total`-style names built from a stem.
    static func generatedName(_ metric: String, in source: String) -> Bool {
        source.contains("\"\(metric)\"") || (metric.hasPrefix("finops_router_telemetry_rows_") && source.contains("\"finops_router_telemetry_rows_"))
    }

    static func cents(_ money: Money) -> String {
        let rounded = (money.nanos + 5_000_000) / 10_000_000   // nano-dollars → cents, half up
        return "\(rounded / 100).\(String(format: "%02lld", rounded % 100))"
    }
}
