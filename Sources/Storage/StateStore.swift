import FinOpsCore

/// One rate limit to check for a request: a GCRA limiter at `key`, charged `cost` units
/// (1 for requests per minute, estimated tokens for tokens per minute).
public struct RateCheck: Sendable, Equatable {
    public var key: String
    public var limiter: GCRA
    public var cost: Int
    public init(key: String, limiter: GCRA, cost: Int) {
        self.key = key
        self.limiter = limiter
        self.cost = cost
    }
}

/// Everything checked before a call, in one atomic step: rate limits first, then budgets;
/// either all are charged or none is.
public struct Preflight: Sendable, Equatable {
    public var rates: [RateCheck]
    public var budgets: [BudgetLedger.Line]
    /// The estimated cost reserved on every budget line.
    public var amount: Money
    public init(rates: [RateCheck], budgets: [BudgetLedger.Line], amount: Money) {
        self.rates = rates
        self.budgets = budgets
        self.amount = amount
    }
}

public enum PreflightResult: Sendable, Equatable {
    /// Charged. `before`: each budget line's spend before this reservation; `rates`: the
    /// decision of each limiter (remaining units, reset time) for the response headers.
    case allowed(before: [Money], rates: [GCRA.Decision])
    /// Nothing charged: rate check `index` said no.
    case rateLimited(index: Int, decision: GCRA.Decision)
    /// Nothing charged: budget line `index` would go past its limit; `spent` so far.
    case overBudget(index: Int, spent: Money)
}

/// After the call: the difference between what was reserved and what it cost, per budget
/// key, and the token-limit correction per rate key (actual minus estimated tokens).
public struct Settlement: Sendable, Equatable {
    public var budgetKeys: [String]
    public var delta: Money
    public var rates: [RateCheck]
    public init(budgetKeys: [String], delta: Money, rates: [RateCheck] = []) {
        self.budgetKeys = budgetKeys
        self.delta = delta
        self.rates = rates
    }
}

public struct SpendAddition: Sendable, Equatable {
    public var key: String
    public var amount: Money
    public var ttlSeconds: Int
    public init(key: String, amount: Money, ttlSeconds: Int) {
        self.key = key
        self.amount = amount
        self.ttlSeconds = ttlSeconds
    }
}

/// State shared by every replica: budget counters, rate-limit windows, cached responses, and
/// the small admin records (virtual keys, budget overrides, audit log). In memory for one
/// replica; Redis when several must agree. Every call may throw `StorageError` when the
/// store is unreachable; callers decide between failing open and failing closed.
public protocol StateStore: AnyObject, Sendable {
    func preflight(_ request: Preflight) async throws -> PreflightResult
    func settle(_ settlement: Settlement) async throws
    /// Current spend of each counter key (0 for none).
    func spent(_ keys: [String]) async throws -> [Money]
    /// Adds spend without checking limits: what was served against a local ledger while this
    /// store was unreachable, replayed once it is back. A new counter gets `ttlSeconds`.
    func addSpend(_ entries: [SpendAddition]) async throws

    func cacheGet(_ key: String) async throws -> String?
    func cacheSet(_ key: String, _ value: String, ttlSeconds: Int) async throws

    /// Small JSON documents by collection and id (virtual keys, budget overrides).
    func recordPut(_ collection: String, id: String, json: String) async throws
    func recordDelete(_ collection: String, id: String) async throws
    func recordGet(_ collection: String, id: String) async throws -> String?
    func recordAll(_ collection: String) async throws -> [String: String]
    /// Append-only log (the audit log); `logRead` returns the newest `limit`, oldest first.
    func logAppend(_ log: String, json: String) async throws
    func logRead(_ log: String, limit: Int) async throws -> [String]

    /// A capped, append-only feed every replica can read from a cursor (the semantic cache's
    /// index entries). `feedRead` returns entries after `cursor` (nil = from the oldest kept)
    /// and the cursor to pass next time.
    func feedAppend(_ feed: String, _ entry: String, maxLength: Int) async throws
    func feedRead(_ feed: String, after cursor: String?, limit: Int) async throws -> (entries: [String], cursor: String?)
    /// True when other replicas see this store's data (Redis), false for the in-memory store.
    var isShared: Bool { get }

    /// A cheap round trip, for readiness and recovery probes.
    func ping() async throws
    /// Human-readable kind for logs and /readyz: `memory` or `redis host:port`.
    var label: String { get }
}
