import FinOpsCore
import XCTest

/// The scan over scope series: which hours are judged, how detectors combine, what a finding
/// carries.
final class AnomalyScanTests: XCTestCase {
    /// A Monday 00:00 UTC.
    private let start = Date(timeIntervalSince1970: Double(96 + 168 * 2_900) * 3_600)

    /// Three weeks of a team with 150 calls an hour at $0.01 each and 200 ms, then a judged hour.
    private func series(lastCalls: Int, lastCostEach: Double = 0.01, lastMs: Double = 200) -> HourlyScopeSeries {
        var rng = SplitMix64(seed: 11)
        var totals: [SpendTotals] = (0..<(21 * 24)).map { _ in
            let calls = 150 + Int(rng.normal() * 10)
            var t = SpendTotals(requests: calls, cost: Money(usd: Double(calls) * 0.01 * (1 + 0.05 * rng.normal())))
            for _ in 0..<calls { t.latency.record(ms: 200) }
            return t
        }
        var last = SpendTotals(requests: lastCalls, cost: Money(usd: Double(lastCalls) * lastCostEach))
        for _ in 0..<lastCalls { last.latency.record(ms: lastMs) }
        totals.append(last)
        return HourlyScopeSeries(scope: AlertScope(team: "search", useCase: "qa"), start: start, totals: totals)
    }

    func testASpikeOfSpendAndVolumeIsFoundWithItsEvidence() throws {
        let findings = AnomalyScan(settings: SchedulerSettings()).findings([series(lastCalls: 1_500)])
        XCTAssertEqual(Set(findings.map(\.kind)), [.spendSpike, .requestSpike], "cost per call and latency did not move")
        let spend = try XCTUnwrap(findings.first { $0.kind == .spendSpike })
        XCTAssertEqual(spend.fingerprint, "spend_spike:team=search:use_case=qa")
        XCTAssertEqual(spend.team, "search")
        XCTAssertEqual(spend.severity, .warning)
        XCTAssertEqual(spend.labels["detectors"], "robust_z,hour_of_week,iqr")
        XCTAssertEqual(spend.labels["use_case"], "qa")
        XCTAssertEqual(spend.labels["hour_requests"], "1500")
        XCTAssertEqual(spend.value ?? 0, 15, accuracy: 1e-9)
        XCTAssertEqual(Double(spend.labels["robust_z.baseline"]!)!, 1.5, accuracy: 0.15)
        XCTAssertTrue(spend.message.contains("$15.00"), spend.message)
        XCTAssertEqual(spend.record(org: "acme", now: start).labels["alertname"], "SpendSpike")
    }

    func testDearerAndSlowerCallsAreSpikesOfThoseMetrics() {
        let kinds = Set(AnomalyScan(settings: SchedulerSettings()).findings([series(lastCalls: 150, lastCostEach: 0.05, lastMs: 4_000)]).map(\.kind))
        XCTAssertEqual(kinds, [.spendSpike, .costPerRequestSpike, .latencySpike])
    }

    func testQuietHoursAreNotJudgedAndAgreementCanBeRequired() {
        var settings = SchedulerSettings()
        settings.minRequestsPerHour = 5_000
        XCTAssertEqual(AnomalyScan(settings: settings).findings([series(lastCalls: 1_500)]), [], "1,500 calls < 5,000")
        settings = SchedulerSettings()
        settings.minRequestsPerHourPerCall = 200
        XCTAssertEqual(AnomalyScan(settings: settings).findings([series(lastCalls: 150, lastCostEach: 0.05, lastMs: 4_000)]).map(\.kind),
                       [.spendSpike], "150 calls are enough for spend, not for cost per call or p95")
        settings = SchedulerSettings()
        settings.iqr = nil
        settings.hourOfWeek = nil
        settings.minAgreeingDetectors = 2
        XCTAssertEqual(AnomalyScan(settings: settings).findings([series(lastCalls: 1_500)]), [], "one detector left, two required")
        settings.severities[.spendSpike] = .critical
        settings.minAgreeingDetectors = 1
        XCTAssertEqual(AnomalyScan(settings: settings).findings([series(lastCalls: 1_500)]).first { $0.kind == .spendSpike }?.severity, .critical)
        XCTAssertEqual(AnomalyScan(settings: SchedulerSettings()).findings([series(lastCalls: 155)]), [], "a normal hour")
    }
}
