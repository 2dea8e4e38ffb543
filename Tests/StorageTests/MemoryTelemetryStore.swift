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
