import FinOpsCore
import Foundation
import Storage

/// The store contract in memory, for writer tests: idempotent by request id, rollups from the
/// rows it keeps. Subclasses inject outages and gates by overriding `insert`.
/// @unchecked Sendable: `stored` and `ids` are only touched under `lock`.
class MemoryTelemetryStore: TelemetryStore, @unchecked Sendable {
    let lock = NSLock()
    private var stored: [TelemetryRecord] = []
    private var ids = Set<String>()
    private var storedAlerts: [AlertRecord] = []
    private var storedDeliveries: [AlertDelivery] = []
    private var leases: [String: (owner: String, expires: Date)] = [:]

    /// Every stored record, in insertion order.
    var records: [TelemetryRecord] { lock.withLock { stored } }

    @discardableResult
    func insert(_ records: [TelemetryRecord]) throws -> Int {
        lock.withLock {
            var inserted = 0
            for r in records where ids.insert(r.requestID).inserted {
                stored.append(r)
                inserted += 1
            }
            return inserted
        }
    }

    func recentRequests(limit: Int) throws -> [TelemetryRecord] { lock.withLock { Array(stored.suffix(limit).reversed()) } }
    func count() throws -> Int { lock.withLock { stored.count } }

    func insertAlert(_ alert: AlertRecord) throws -> Int64 {
        lock.withLock {
            var a = alert
            a.id = Int64(storedAlerts.count + 1)
            storedAlerts.append(a)
            return a.id!
        }
    }

    func alerts(from: Date, to: Date, team: String?, limit: Int) throws -> [AlertRecord] {
        lock.withLock {
            Array(storedAlerts.filter { $0.time >= from && $0.time < to && (team == nil || $0.team == team) }
                .sorted { ($0.time, $0.id!) > ($1.time, $1.id!) }.prefix(limit))
        }
    }

    func firingAlerts(limit: Int) throws -> [AlertRecord] {
        lock.withLock { Array(storedAlerts.filter { $0.state == .firing }.prefix(limit)) }
    }

    func alertsResolved(since: Date, limit: Int) throws -> [AlertRecord] {
        lock.withLock {
            Array(storedAlerts.filter { ($0.resolvedAt ?? .distantPast) >= since }
                .sorted { ($0.resolvedAt!, $0.id!) > ($1.resolvedAt!, $1.id!) }.prefix(limit))
        }
    }

    func raiseAlert(_ alert: AlertRecord, deliveries: [AlertDelivery]) throws -> Int64? {
        lock.withLock {
            guard !storedAlerts.contains(where: { $0.fingerprint == alert.fingerprint && $0.state == .firing }) else { return nil }
            var a = alert
            a.id = Int64(storedAlerts.count + 1)
            storedAlerts.append(a)
            queue(deliveries, alertID: a.id!)
            return a.id
        }
    }

    func updateFiringAlert(_ alert: AlertRecord) throws -> Bool {
        lock.withLock {
            guard let i = storedAlerts.firstIndex(where: { $0.id == alert.id && $0.state == .firing }) else { return false }
            storedAlerts[i].severity = alert.severity; storedAlerts[i].title = alert.title; storedAlerts[i].message = alert.message
            storedAlerts[i].value = alert.value; storedAlerts[i].threshold = alert.threshold; storedAlerts[i].labels = alert.labels
            return true
        }
    }

    func resolveAlert(id: Int64, at: Date, deliveries: [AlertDelivery]) throws -> Bool {
        lock.withLock {
            guard let i = storedAlerts.firstIndex(where: { $0.id == id && $0.state == .firing }) else { return false }
            storedAlerts[i].state = .resolved
            storedAlerts[i].resolvedAt = at
            if !deliveries.isEmpty {
                queue(deliveries, alertID: id)
                refresh(alertID: id)
            }
            return true
        }
    }

    func deliveries(alertID: Int64) throws -> [AlertDelivery] { lock.withLock { storedDeliveries.filter { $0.alertID == alertID } } }

    func claimDueDeliveries(now: Date, leaseUntil: Date, limit: Int) throws -> [ClaimedDelivery] {
        lock.withLock {
            var claimed: [ClaimedDelivery] = []
            for i in storedDeliveries.indices where claimed.count < limit {
                let d = storedDeliveries[i]
                guard d.state == .pending, d.nextAttemptAt <= now,
                      !storedDeliveries[..<i].contains(where: { $0.alertID == d.alertID && $0.destination == d.destination && $0.state == .pending })
                else { continue }
                storedDeliveries[i].nextAttemptAt = leaseUntil
                claimed.append(ClaimedDelivery(delivery: storedDeliveries[i], alert: storedAlerts.first { $0.id == d.alertID }!))
            }
            return claimed
        }
    }

    func completeDelivery(id: Int64, outcome: AlertDeliveryOutcome, at: Date) throws -> Bool {
        lock.withLock {
            guard let i = storedDeliveries.firstIndex(where: { $0.id == id && $0.state == .pending }) else { return false }
            storedDeliveries[i].attempts += 1
            switch outcome {
            case .delivered: storedDeliveries[i].state = .delivered; storedDeliveries[i].deliveredAt = at; storedDeliveries[i].lastError = nil
            case .retry(let next, let error): storedDeliveries[i].nextAttemptAt = next; storedDeliveries[i].lastError = error
            case .failed(let error): storedDeliveries[i].state = .failed; storedDeliveries[i].lastError = error
            }
            refresh(alertID: storedDeliveries[i].alertID)
            return true
        }
    }

    func acquireLease(_ name: String, owner: String, now: Date, until: Date) throws -> Bool {
        lock.withLock {
            if let held = leases[name], held.owner != owner, held.expires > now { return false }
            leases[name] = (owner, until)
            return true
        }
    }

    func releaseLease(_ name: String, owner: String) throws {
        lock.withLock { if leases[name]?.owner == owner { leases[name] = nil } }
    }

    /// Under `lock`.
    private func queue(_ deliveries: [AlertDelivery], alertID: Int64) {
        for var d in deliveries where !storedDeliveries.contains(where: {
            $0.alertID == alertID && $0.destination == d.destination && $0.action == d.action
        }) {
            d.alertID = alertID
            d.id = Int64(storedDeliveries.count + 1)
            storedDeliveries.append(d)
        }
    }

    /// Under `lock`: the alert's delivery columns from its deliveries.
    private func refresh(alertID: Int64) {
        guard let i = storedAlerts.firstIndex(where: { $0.id == alertID }) else { return }
        let mine = storedDeliveries.filter { $0.alertID == alertID }
        storedAlerts[i].deliveryAttempts = mine.reduce(0) { $0 + $1.attempts }
        storedAlerts[i].deliveryState = mine.contains { $0.state == .pending } ? .pending
            : mine.contains { $0.state == .failed } ? .failed : .delivered
        storedAlerts[i].deliveredAt = mine.compactMap(\.deliveredAt).max()
    }

    func spendRollups(_ granularity: SpendRollup.Granularity, from: Date, to: Date, team: String?) throws -> [SpendRollup] {
        SpendRollup.aggregate(records.filter { team == nil || $0.team == team }, granularity)
            .filter { $0.key.bucket >= from && $0.key.bucket < to }
            .map { SpendRollup(key: $0.key, totals: $0.value) }
    }

    func spendSummaries(_ granularity: SpendRollup.Granularity, from: Date, to: Date, team: String?,
                        keep: Set<RollupDimension>, measures: RollupMeasures) throws -> [SpendRollup] {
        var sums: [SpendRollup.Key: SpendTotals] = [:]
        for row in try spendRollups(granularity, from: from, to: to, team: team) {
            sums[row.key.keeping(keep), default: SpendTotals()].add(measures.restrict(row.totals))
        }
        return sums.map { SpendRollup(key: $0.key, totals: $0.value) }
    }

    func outcomeSummaries(from: Date, to: Date, team: String?) throws -> [OutcomeRollup] {
        var sums: [OutcomeRollup.Key: SpendTotals] = [:]
        for row in try outcomeRollups(from: from, to: to, team: team) {
            var key = row.key
            key.bucket = from
            sums[key, default: SpendTotals()].add(RollupMeasures.money.restrict(row.totals))
        }
        return sums.map { OutcomeRollup(key: $0.key, totals: $0.value) }
    }

    func outcomeRollups(from: Date, to: Date, team: String?) throws -> [OutcomeRollup] {
        OutcomeRollup.aggregate(records.filter { team == nil || $0.team == team })
            .filter { $0.key.bucket >= from && $0.key.bucket < to }
            .map { OutcomeRollup(key: $0.key, totals: $0.value) }
    }

    func requests(_ query: RequestQuery) throws -> [TelemetryRecord] {
        RequestSearchContract.expected(records, query)
    }

    func pruneRequests(before cutoff: Date) throws -> [String] {
        lock.withLock { stored.removeAll { $0.time < cutoff } }
        return []
    }
}

/// Waits for `condition` by polling state every few milliseconds, up to `timeout`: tests wait
/// for what they need, never for a fixed time.
func waitFor(_ what: String, timeout: Duration = .seconds(30), file: StaticString = #filePath, line: UInt = #line,
             _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: 0.005)
    }
    if try condition() { return true }
    XCTFail("timed out after \(timeout) waiting for \(what)", file: file, line: line)
    return false
}

import XCTest
