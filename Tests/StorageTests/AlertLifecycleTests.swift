import FinOpsCore
import FinOpsTestSupport
import Foundation
import Storage
import XCTest

/// `AlertLifecycleContract` on SQLite, PostgreSQL and the in-memory test store.
final class AlertLifecycleTests: XCTestCase {
    private func sqlite() throws -> (SQLiteTelemetryStore, String) {
        let path = try temporaryDirectory(self).appendingPathComponent("alerts.sqlite").path
        return (try SQLiteTelemetryStore(path: path), path)
    }

    private func postgres() throws -> (PostgresTelemetryStore, String) {
        let url = try PostgresTestDatabase.create(for: self)
        let store = PostgresTelemetryStore(url: url)
        addTeardownBlock { store.close() }
        return (store, url)
    }

    func testSQLiteRaiseOnce() throws { try AlertLifecycleContract.raiseIsOncePerFiringFingerprint(try sqlite().0) }
    func testSQLiteUpdateResolve() throws { try AlertLifecycleContract.updateAndResolveChangeOnlyFiringAlerts(try sqlite().0) }
    func testSQLiteDeliveries() throws { try AlertLifecycleContract.deliveriesAreLeasedRetriedAndCompleted(try sqlite().0) }
    func testSQLiteResolveWaits() throws { try AlertLifecycleContract.resolveWaitsForItsTrigger(try sqlite().0) }
    func testSQLiteLease() throws { try AlertLifecycleContract.leaseIsExclusiveUntilItLapses(try sqlite().0) }
    func testSQLiteConcurrentClaims() throws {
        let (a, path) = try sqlite()
        try AlertLifecycleContract.concurrentClaimsAreDisjoint(a, try SQLiteTelemetryStore(path: path))
    }

    func testPostgresRaiseOnce() throws { try AlertLifecycleContract.raiseIsOncePerFiringFingerprint(try postgres().0) }
    func testPostgresUpdateResolve() throws { try AlertLifecycleContract.updateAndResolveChangeOnlyFiringAlerts(try postgres().0) }
    func testPostgresDeliveries() throws { try AlertLifecycleContract.deliveriesAreLeasedRetriedAndCompleted(try postgres().0) }
    func testPostgresResolveWaits() throws { try AlertLifecycleContract.resolveWaitsForItsTrigger(try postgres().0) }
    func testPostgresLease() throws { try AlertLifecycleContract.leaseIsExclusiveUntilItLapses(try postgres().0) }
    func testPostgresConcurrentClaims() throws {
        let (a, url) = try postgres()
        let b = PostgresTelemetryStore(url: url)
        defer { b.close() }
        try AlertLifecycleContract.concurrentClaimsAreDisjoint(a, b)
    }

    /// Two replicas raising the same condition at the same moment store it once.
    func testPostgresConcurrentRaisesStoreOneAlert() throws {
        let (a, url) = try postgres()
        let b = PostgresTelemetryStore(url: url)
        defer { b.close() }
        let stores: [any AlertStore] = [a, b]
        let ids = ClaimResults()
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            if let id = try? stores[i % 2].raiseAlert(AlertLifecycleContract.alert(), deliveries: [AlertLifecycleContract.delivery("chat")]) {
                ids.add([id])
            }
        }
        XCTAssertEqual(ids.ids.count, 1)
        XCTAssertEqual(try a.firingAlerts(limit: 10).count, 1)
    }

    func testMemoryStoreKeepsTheSameContract() throws {
        try AlertLifecycleContract.raiseIsOncePerFiringFingerprint(MemoryTelemetryStore())
        try AlertLifecycleContract.updateAndResolveChangeOnlyFiringAlerts(MemoryTelemetryStore())
        try AlertLifecycleContract.deliveriesAreLeasedRetriedAndCompleted(MemoryTelemetryStore())
        try AlertLifecycleContract.resolveWaitsForItsTrigger(MemoryTelemetryStore())
        try AlertLifecycleContract.leaseIsExclusiveUntilItLapses(MemoryTelemetryStore())
        let shared = MemoryTelemetryStore()
        try AlertLifecycleContract.concurrentClaimsAreDisjoint(shared, shared)
    }
}
