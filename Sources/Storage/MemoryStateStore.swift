import FinOpsCore
import Foundation
import Synchronization

/// `StateStore` in this process: the embedded default (one replica) and the local fallback
/// while Redis is down. Counters and limiters use the same pure types the Redis scripts mirror.
/// Admin records and logs are written through to a JSON file when `recordsPath` is set, so
/// virtual keys survive a restart.
public final class MemoryStateStore: StateStore {
    private struct Entry { var value: String; var expires: Double }
    private struct State {
        var ledger = BudgetLedger()
        var tats: [String: Entry] = [:]
        var cache: [String: Entry] = [:]
        var cacheOrder: [String] = []
        var cacheHead = 0   // cacheOrder[..<cacheHead] were evicted already
        var records: [String: [String: String]] = [:]
        var logs: [String: [String]] = [:]
    }

    private let state = Mutex(State())
    private let now: @Sendable () -> Double
    private let maxCacheEntries: Int
    private let persistence: RecordsFile?

    /// - Parameters:
    ///   - now: seconds on any clock (tests drive it).
    ///   - recordsPath: JSON file for records and logs; nil keeps them in memory only.
    public init(now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 },
                maxCacheEntries: Int = 100_000, recordsPath: String? = nil) throws {
        self.now = now
        self.maxCacheEntries = max(1, maxCacheEntries)
        persistence = recordsPath.map(RecordsFile.init(path:))
        if let loaded = try persistence?.load() {
            state.withLock {
                $0.records = loaded.records
                $0.logs = loaded.logs
            }
        }
    }

    public var label: String { "memory" }

    public func preflight(_ request: Preflight) async throws -> PreflightResult {
        let t = now()
        return state.withLock { s in
            var decisions: [GCRA.Decision] = []
            for (i, check) in request.rates.enumerated() {
                let stored = s.tats[check.key].flatMap { $0.expires > t ? Double($0.value) : nil }
                let d = check.limiter.check(tat: stored, now: t * 1000, cost: check.cost)
                if !d.allowed { return .rateLimited(index: i, decision: d) }
                decisions.append(d)
            }
            switch s.ledger.reserve(request.budgets, amount: request.amount, now: t) {
            case .refused(let index, let spent):
                return .overBudget(index: index, spent: spent)
            case .reserved(let before):
                for (check, d) in zip(request.rates, decisions) {
                    s.tats[check.key] = Entry(value: String(d.newTAT), expires: d.newTAT / 1000 + 1)
                }
                return .allowed(before: before, rates: decisions)
            }
        }
    }

    public func settle(_ settlement: Settlement) async throws {
        let t = now()
        state.withLock { s in
            s.ledger.settle(keys: settlement.budgetKeys, delta: settlement.delta, now: t)
            for check in settlement.rates {
                guard let e = s.tats[check.key], e.expires > t, let tat = Double(e.value) else { continue }
                let new = max(t * 1000, tat + Double(check.cost) * check.limiter.emissionMs)
                s.tats[check.key] = Entry(value: String(new), expires: new / 1000 + 1)
            }
        }
    }

    public func spent(_ keys: [String]) async throws -> [Money] {
        let t = now()
        return state.withLock { s in keys.map { s.ledger.spent($0, now: t) } }
    }

    public func addSpend(_ entries: [SpendAddition]) async throws {
        let t = now()
        state.withLock { s in
            for e in entries { s.ledger.add(key: e.key, amount: e.amount, ttlSeconds: e.ttlSeconds, now: t) }
        }
    }

    public func cacheGet(_ key: String) async throws -> String? {
        let t = now()
        return state.withLock { s in s.cache[key].flatMap { $0.expires > t ? $0.value : nil } }
    }

    public func cacheSet(_ key: String, _ value: String, ttlSeconds: Int) async throws {
        let t = now()
        state.withLock { s in
            if s.cache.updateValue(Entry(value: value, expires: t + Double(ttlSeconds)), forKey: key) == nil {
                s.cacheOrder.append(key)
            }
            // Oldest first out, in O(1): advance a head index and compact now and then.
            while s.cache.count > maxCacheEntries, s.cacheHead < s.cacheOrder.count {
                s.cache[s.cacheOrder[s.cacheHead]] = nil
                s.cacheHead += 1
            }
            if s.cacheHead > maxCacheEntries || s.cacheOrder.count > 2 * maxCacheEntries + 16 {
                s.cacheOrder = s.cacheOrder[s.cacheHead...].filter { s.cache[$0] != nil }
                s.cacheHead = 0
            }
        }
    }

    public func recordPut(_ collection: String, id: String, json: String) async throws {
        try persist { $0.records[collection, default: [:]][id] = json }
    }

    public func recordDelete(_ collection: String, id: String) async throws {
        try persist { $0.records[collection]?[id] = nil }
    }

    public func recordGet(_ collection: String, id: String) async throws -> String? {
        state.withLock { $0.records[collection]?[id] }
    }

    public func recordAll(_ collection: String) async throws -> [String: String] {
        state.withLock { $0.records[collection] ?? [:] }
    }

    public func logAppend(_ log: String, json: String) async throws {
        try persist { $0.logs[log, default: []].append(json) }
    }

    public func logRead(_ log: String, limit: Int) async throws -> [String] {
        state.withLock { Array(($0.logs[log] ?? []).suffix(max(0, limit))) }
    }

    /// One process, so the feed only matters to itself; kept for the protocol's sake.
    public func feedAppend(_ feed: String, _ entry: String, maxLength: Int) async throws {
        state.withLock { s in
            s.logs["feed:" + feed, default: []].append(entry)
            if s.logs["feed:" + feed]!.count > maxLength { s.logs["feed:" + feed]!.removeFirst() }
        }
    }

    public func feedRead(_ feed: String, after cursor: String?, limit: Int) async throws -> (entries: [String], cursor: String?) {
        state.withLock { s in
            let all = s.logs["feed:" + feed] ?? []
            let start = min(all.count, cursor.flatMap(Int.init) ?? 0)
            let end = min(all.count, start + max(0, limit))
            return (Array(all[start..<end]), String(end))
        }
    }

    public var isShared: Bool { false }

    public func ping() async throws {}

    /// Applies a change to records or logs and writes the file before returning, under the
    /// lock so concurrent admin changes reach the file in order (they are rare and small).
    private func persist(_ change: (inout State) -> Void) throws {
        try state.withLock { s in
            change(&s)
            try persistence?.save(.init(records: s.records, logs: s.logs))
        }
    }
}
