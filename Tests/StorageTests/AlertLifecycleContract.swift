import FinOpsCore
import Foundation
import Storage
import XCTest

/// What every `AlertStore` must do for the scheduler: raise once per firing fingerprint,
/// update, resolve once, queue deliveries idempotently, lease and complete them; run against
/// SQLite, PostgreSQL and the in-memory test store.
enum AlertLifecycleContract {
    static let t0 = Date(timeIntervalSince1970: 1_767_225_600)

    static func alert(_ fingerprint: String = "spend_spike:team=search", at: Date = t0, team: String = "search") -> AlertRecord {
        AlertRecord(time: at, fingerprint: fingerprint, kind: "spend_spike", severity: .warning, org: "acme", team: team,
                    title: "Spend spike: search", message: "'quoted'; DROP TABLE alerts;--", value: 12.5, threshold: 4,
                    labels: ["team": team, "robust_z.z": "9.1"])
    }

    static func delivery(_ destination: String, _ kind: AlertDestinationKind = .slack, _ action: AlertDeliveryAction = .trigger,
                         at: Date = t0) -> AlertDelivery {
        AlertDelivery(destination: destination, kind: kind, action: action, groupKey: "run1:search", nextAttemptAt: at, createdAt: at)
    }

    static func raiseIsOncePerFiringFingerprint(_ store: any AlertStore) throws {
        let id = try XCTUnwrap(try store.raiseAlert(alert(), deliveries: [delivery("chat")]))
        XCTAssertNil(try store.raiseAlert(alert(at: t0 + 60), deliveries: [delivery("chat")]), "already firing: nothing new")
        XCTAssertNotNil(try store.raiseAlert(alert("spend_spike:team=sales", team: "sales"), deliveries: []))
        XCTAssertEqual(try store.firingAlerts(limit: 10).map(\.fingerprint), ["spend_spike:team=search", "spend_spike:team=sales"])
        XCTAssertEqual(try store.deliveries(alertID: id).count, 1)
        XCTAssertTrue(try store.resolveAlert(id: id, at: t0 + 3_600, deliveries: []))
        let again = try XCTUnwrap(try store.raiseAlert(alert(at: t0 + 7_200), deliveries: []), "resolved: the condition may fire anew")
        XCTAssertNotEqual(again, id)
    }

    static func updateAndResolveChangeOnlyFiringAlerts(_ store: any AlertStore) throws {
        let id = try XCTUnwrap(try store.raiseAlert(alert(), deliveries: []))
        var changed = try XCTUnwrap(try store.firingAlerts(limit: 1).first)
        changed.severity = .critical
        changed.value = 99.25
        changed.threshold = nil
        changed.title = "Spend spike <worse>"
        changed.labels["robust_z.z"] = "30"
        XCTAssertTrue(try store.updateFiringAlert(changed))
        XCTAssertEqual(try store.firingAlerts(limit: 1).first, changed)
        XCTAssertTrue(try store.resolveAlert(id: id, at: t0 + 600, deliveries: [delivery("pager", .pagerduty, .resolve, at: t0 + 600)]))
        XCTAssertFalse(try store.resolveAlert(id: id, at: t0 + 700, deliveries: [delivery("chat", .slack, .resolve)]), "resolved once")
        XCTAssertFalse(try store.updateFiringAlert(changed), "a resolved alert is not updated")
        XCTAssertEqual(try store.firingAlerts(limit: 10), [])
        let resolved = try store.alertsResolved(since: t0 + 600, limit: 10)
        XCTAssertEqual(resolved.map(\.id), [id])
        XCTAssertEqual(resolved.first?.state, .resolved)
        XCTAssertEqual(resolved.first?.resolvedAt, t0 + 600)
        XCTAssertEqual(resolved.first?.deliveryState, .pending, "its resolve notification is queued")
        XCTAssertEqual(try store.alertsResolved(since: t0 + 601, limit: 10), [])
        XCTAssertEqual(try store.deliveries(alertID: id).map(\.destination), ["pager"], "the second resolve queued nothing")
    }

    static func deliveriesAreLeasedRetriedAndCompleted(_ store: any AlertStore) throws {
        let id = try XCTUnwrap(try store.raiseAlert(alert(), deliveries: [delivery("chat"), delivery("pager", .pagerduty),
                                                                           delivery("chat")]))
        let claimed = try store.claimDueDeliveries(now: t0, leaseUntil: t0 + 60, limit: 10)
        XCTAssertEqual(claimed.map(\.delivery.destination), ["chat", "pager"], "queued once per destination and action")
        XCTAssertEqual(claimed.first?.alert.fingerprint, "spend_spike:team=search")
        XCTAssertEqual(claimed.first?.alert.labels["robust_z.z"], "9.1")
        XCTAssertEqual(claimed.first?.delivery.groupKey, "run1:search")
        XCTAssertEqual(try store.claimDueDeliveries(now: t0 + 30, leaseUntil: t0 + 90, limit: 10), [], "leased")
        let reclaimed = try store.claimDueDeliveries(now: t0 + 60, leaseUntil: t0 + 120, limit: 1)
        XCTAssertEqual(reclaimed.map(\.delivery.destination), ["chat"], "a lapsed lease is claimed again, oldest first, up to the limit")

        let chat = try XCTUnwrap(claimed[0].delivery.id), pager = try XCTUnwrap(claimed[1].delivery.id)
        XCTAssertTrue(try store.completeDelivery(id: chat, outcome: .delivered, at: t0 + 61))
        XCTAssertFalse(try store.completeDelivery(id: chat, outcome: .failed(error: "late"), at: t0 + 62), "only pending ones complete")
        XCTAssertTrue(try store.completeDelivery(id: pager, outcome: .retry(at: t0 + 500, error: "HTTP 503 'x'"), at: t0 + 61))
        var row = try XCTUnwrap(try store.alerts(from: .distantPast, to: .distantFuture, team: nil, limit: 1).first)
        XCTAssertEqual(row.deliveryState, .pending)
        XCTAssertEqual(row.deliveryAttempts, 2)
        XCTAssertEqual(row.deliveredAt, t0 + 61)
        XCTAssertEqual(try store.claimDueDeliveries(now: t0 + 499, leaseUntil: t0 + 560, limit: 10), [], "backing off")
        XCTAssertEqual(try store.claimDueDeliveries(now: t0 + 500, leaseUntil: t0 + 560, limit: 10).map(\.delivery.id), [pager])
        XCTAssertTrue(try store.completeDelivery(id: pager, outcome: .failed(error: "gave up after 2 attempts"), at: t0 + 501))
        row = try XCTUnwrap(try store.alerts(from: .distantPast, to: .distantFuture, team: nil, limit: 1).first)
        XCTAssertEqual(row.deliveryState, .failed)
        XCTAssertEqual(row.deliveryAttempts, 3)
        let stored = try store.deliveries(alertID: id)
        XCTAssertEqual(stored.map(\.state), [.delivered, .failed])
        XCTAssertEqual(stored.map(\.attempts), [1, 2])
        XCTAssertEqual(stored[0].deliveredAt, t0 + 61)
        XCTAssertNil(stored[0].lastError)
        XCTAssertEqual(stored[1].lastError, "gave up after 2 attempts")
        XCTAssertEqual(try store.claimDueDeliveries(now: t0 + 99_999, leaseUntil: t0 + 100_000, limit: 10), [], "nothing left")
    }

    static func resolveWaitsForItsTrigger(_ store: any AlertStore) throws {
        let id = try XCTUnwrap(try store.raiseAlert(alert(), deliveries: [delivery("pager", .pagerduty)]))
        XCTAssertTrue(try store.resolveAlert(id: id, at: t0 + 10, deliveries: [delivery("pager", .pagerduty, .resolve, at: t0 + 10)]))
        let first = try store.claimDueDeliveries(now: t0 + 10, leaseUntil: t0 + 11, limit: 10)
        XCTAssertEqual(first.map(\.delivery.action), [.trigger], "the resolve waits for the trigger it resolves")
        XCTAssertEqual(first.first?.alert.state, .resolved)
        XCTAssertTrue(try store.completeDelivery(id: first[0].delivery.id!, outcome: .delivered, at: t0 + 10))
        let second = try store.claimDueDeliveries(now: t0 + 10, leaseUntil: t0 + 11, limit: 10)
        XCTAssertEqual(second.map(\.delivery.action), [.resolve])
    }

    static func leaseIsExclusiveUntilItLapses(_ store: any AlertStore) throws {
        XCTAssertTrue(try store.acquireLease("detect", owner: "a", now: t0, until: t0 + 10))
        XCTAssertFalse(try store.acquireLease("detect", owner: "b", now: t0 + 5, until: t0 + 15))
        XCTAssertTrue(try store.acquireLease("other", owner: "b", now: t0 + 5, until: t0 + 15), "leases are per name")
        XCTAssertTrue(try store.acquireLease("detect", owner: "a", now: t0 + 9, until: t0 + 19), "the holder renews")
        XCTAssertFalse(try store.acquireLease("detect", owner: "b", now: t0 + 18, until: t0 + 28))
        XCTAssertTrue(try store.acquireLease("detect", owner: "b", now: t0 + 19, until: t0 + 29), "lapsed: taken over")
        XCTAssertFalse(try store.acquireLease("detect", owner: "a", now: t0 + 20, until: t0 + 30))
        try store.releaseLease("detect", owner: "a")
        XCTAssertFalse(try store.acquireLease("detect", owner: "a", now: t0 + 20, until: t0 + 30), "only the holder releases")
        try store.releaseLease("detect", owner: "b")
        XCTAssertTrue(try store.acquireLease("detect", owner: "a", now: t0 + 20, until: t0 + 30), "released: free at once")
    }

    /// Two stores on one database (two replicas) claiming at once never get the same delivery.
    static func concurrentClaimsAreDisjoint(_ a: any AlertStore, _ b: any AlertStore) throws {
        for i in 0..<40 {
            _ = try a.raiseAlert(alert("spend_spike:team=t\(i)", team: "t\(i)"), deliveries: [delivery("chat"), delivery("hook", .webhook)])
        }
        let stores = [a, b]
        let results = ClaimResults()
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            for _ in 0..<5 {
                if let claimed = try? stores[i % 2].claimDueDeliveries(now: t0, leaseUntil: t0 + 60, limit: 3) {
                    results.add(claimed.compactMap(\.delivery.id))
                }
            }
        }
        XCTAssertEqual(results.ids.count, 80, "every delivery claimed")
        XCTAssertEqual(Set(results.ids).count, results.ids.count, "none twice")
    }
}

final class ClaimResults: @unchecked Sendable {
    private let lock = NSLock()
    private var all: [Int64] = []
    func add(_ ids: [Int64]) { lock.withLock { all += ids } }
    var ids: [Int64] { lock.withLock { all } }
}
