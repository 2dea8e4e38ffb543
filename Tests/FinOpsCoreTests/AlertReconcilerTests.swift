import FinOpsCore
import XCTest

final class AlertReconcilerTests: XCTestCase {
    private let now = Date(timeIntervalSince1970: 1_795_000_000)

    private func finding(_ fingerprint: String, _ kind: AlertKind = .spendSpike, severity: AlertSeverity = .warning, value: Double = 5) -> AlertFinding {
        AlertFinding(kind: kind, severity: severity, fingerprint: fingerprint, team: "search", title: "t \(value)", message: "m",
                     value: value, threshold: 1, labels: ["team": "search"])
    }

    private func stored(_ fingerprint: String, _ kind: AlertKind = .spendSpike, id: Int64, state: AlertState = .firing,
                        resolvedAt: Date? = nil) -> AlertRecord {
        var a = finding(fingerprint, kind).record(org: "acme", now: now.addingTimeInterval(-7_200))
        a.id = id
        a.state = state
        a.resolvedAt = resolvedAt
        return a
    }

    func testNewFindingsRaiseFiringOnesUpdateAndClearedOnesResolve() {
        let plan = AlertReconciler(cooldown: 3_600).plan(
            findings: [finding("a", value: 9), finding("new")],
            firing: [stored("a", id: 1), stored("gone", id: 2)], recentlyResolved: [], judged: AlertKind.fromRollups, org: "acme", now: now)
        XCTAssertEqual(plan.raise.map(\.fingerprint), ["new"])
        XCTAssertEqual(plan.raise.first?.state, .firing)
        XCTAssertEqual(plan.raise.first?.time, now)
        XCTAssertEqual(plan.raise.first?.deliveryState, .pending)
        XCTAssertEqual(plan.raise.first?.labels["alertname"], "SpendSpike")
        XCTAssertEqual(plan.update.map(\.id), [1])
        XCTAssertEqual(plan.update.first?.value, 9, "the firing alert carries this run's numbers")
        XCTAssertEqual(plan.update.first?.time, now.addingTimeInterval(-7_200), "and keeps the time it was raised")
        XCTAssertEqual(plan.resolve.map(\.id), [2])
    }

    func testKindsNotJudgedThisRunKeepTheirAlerts() {
        let plan = AlertReconciler(cooldown: 0).plan(
            findings: [], firing: [stored("b", .budgetThreshold, id: 1), stored("s", id: 2)], recentlyResolved: [],
            judged: AlertKind.fromRollups, org: "acme", now: now)
        XCTAssertEqual(plan.resolve.map(\.id), [2], "the budget source failed: its alert stays firing")
    }

    func testAConditionFiringAgainWithinTheCooldownIsStoredButNotNotified() {
        let recently = stored("a", id: 1, state: .resolved, resolvedAt: now.addingTimeInterval(-600))
        let long = stored("b", id: 2, state: .resolved, resolvedAt: now.addingTimeInterval(-7_200))
        let plan = AlertReconciler(cooldown: 3_600).plan(findings: [finding("a"), finding("b")], firing: [],
                                                         recentlyResolved: [recently, long], judged: [.spendSpike], org: "acme", now: now)
        XCTAssertEqual(plan.raise.map(\.deliveryState), [.suppressed, .pending])
        XCTAssertEqual(plan.raise.first?.labels["suppressed"], "cooldown")
    }

    func testDuplicateFindingsKeepTheMostSevere() {
        let plan = AlertReconciler(cooldown: 0).plan(findings: [finding("a"), finding("a", severity: .critical), finding("a", severity: .info)],
                                                     firing: [], recentlyResolved: [], judged: [.spendSpike], org: "acme", now: now)
        XCTAssertEqual(plan.raise.map(\.severity), [.critical])
    }

    func testAPlanIsEmptyWhenNothingChanges() {
        XCTAssertTrue(AlertReconciler(cooldown: 0).plan(findings: [], firing: [], recentlyResolved: [], judged: Set(AlertKind.allCases),
                                                        org: "acme", now: now).isEmpty)
    }
}
