import FinOpsCore
import Foundation
import Logging
import Observability
import Storage
import Synchronization

/// Budgets and rate limits for one request, in one atomic store call before the provider is
/// called and one settlement after. While the shared store is unreachable (errors, or its
/// breaker open), scopes that fail open are checked against this replica's own ledger and the
/// call is marked unchecked; a scope that fails closed refuses with 503. Recovery is automatic:
/// the breaker lets a probe through and the shared store takes over again.
final class SpendGuard: Sendable {
    struct Line: Sendable {
        var policy: BudgetPolicy
        var subject: String
        var key: String
        var window: BudgetWindow
    }

    struct Limit: Sendable {
        var scope: BudgetScope
        var subject: String
        /// `requests` or `tokens`.
        var kind: String
        var check: RateCheck
    }

    struct Reservation: Sendable {
        var store: any StateStore
        var budgetKeys: [String]
        var amount: Money
        var tokenChecks: [RateCheck]
        var estimatedTokens: Int
        var unchecked: Bool
        /// Per budget key, its TTL (for replaying unchecked spend).
        var ttlSeconds: [Int]
    }

    enum Decision: Sendable {
        case allowed(Reservation, decisions: [GCRA.Decision])
        case rateLimited(Limit, GCRA.Decision)
        case overBudget(Line, spent: Money)
        case downgrade(Line)
        /// The store is down and this budget fails closed.
        case unavailable(Line)
    }

    private let primary: any StateStore
    private let local: (any StateStore)?
    private let breaker = Mutex(CircuitBreaker(settings: SpendGuard.breakerSettings))
    /// `counter key|percent` already alerted by this replica: settling can take spend back under
    /// a mark that a later reservation crosses again.
    private let alerted = Mutex<Set<String>>([])
    /// Spend served against the local ledger while the store was down, per counter key, added
    /// to the store once it answers again so the outage's spend still counts.
    private let unreplayed = Mutex<[String: SpendAddition]>([:])
    private let clock: @Sendable () -> Double
    private let metrics: RouterMetrics
    private let logger: Logger

    static let breakerSettings: CircuitBreaker.Settings = {
        var s = CircuitBreaker.Settings()
        s.failureThreshold = 2
        s.openDuration = 0.5
        s.maxOpenDuration = 5
        s.minimumRequests = 1_000_000
        return s
    }()

    /// - Parameter local: the fallback ledger; nil when `primary` is itself in memory.
    init(primary: any StateStore, local: (any StateStore)?, clock: @escaping @Sendable () -> Double,
         metrics: RouterMetrics, logger: Logger) {
        self.primary = primary
        self.local = local
        self.clock = clock
        self.metrics = metrics
        self.logger = logger
    }

    func check(lines: [Line], limits: [Limit], amount: Money, tokens: Int, downgraded: Bool) async -> Decision {
        let budgets = lines.map { line -> BudgetLedger.Line in
            let enforced = line.policy.action == .block || (line.policy.action == .downgrade && !downgraded)
            return .init(key: line.key, limit: enforced ? line.policy.limit : nil, ttlSeconds: line.window.ttlSeconds(now: Date()))
        }
        let request = Preflight(rates: limits.map(\.check), budgets: budgets, amount: amount)
        let started = ContinuousClock.now
        var store = primary
        var unchecked = false
        var result: PreflightResult?
        if local == nil || breaker.withLock({ $0.allowRequest(now: clock()) }) {
            do {
                result = try await primary.preflight(request)
                if local != nil, breaker.withLock({ b in
                    let wasDown = b.state != .closed
                    b.recordSuccess(now: clock())
                    return wasDown && b.state == .closed
                }) {
                    logger.notice("state store reachable again: budgets and rate limits are shared again", metadata: ["store": "\(primary.label)"])
                }
            } catch {
                // Logged once per outage (when the breaker opens), not once per request.
                if breaker.withLock({ b in
                    let wasClosed = b.state == .closed
                    b.recordFailure(now: clock())
                    return wasClosed && b.state == .open
                }) {
                    logger.error("state store unreachable: failing open on local ledgers, closed where configured",
                                 metadata: ["store": "\(primary.label)", "error": "\(error)"])
                }
            }
        }
        if result == nil, let local {
            if let closed = lines.first(where: { $0.policy.onStoreFailure == .closed }) {
                metrics.recordStateStoreFailure(operation: "preflight", outcome: "fail_closed")
                return .unavailable(closed)
            }
            metrics.recordStateStoreFailure(operation: "preflight", outcome: "fail_open")
            store = local
            unchecked = true
            result = try? await local.preflight(request)
        }
        if !unchecked, local != nil { await replayUncheckedSpend() }
        metrics.recordPreflight(seconds: started.elapsedSeconds, store: unchecked ? "local" : (local == nil ? "memory" : "redis"))
        switch result ?? .allowed(before: budgets.map { _ in .zero }, rates: []) {
        case .rateLimited(let index, let decision):
            return .rateLimited(limits[index], decision)
        case .overBudget(let index, let spent):
            return lines[index].policy.action == .downgrade && !downgraded ? .downgrade(lines[index]) : .overBudget(lines[index], spent: spent)
        case .allowed(let before, let decisions):
            for (line, spentBefore) in zip(lines, before) { noteThresholds(line, before: spentBefore, amount: amount) }
            let tokenChecks = limits.filter { $0.kind == "tokens" }.map(\.check)
            return .allowed(Reservation(store: store, budgetKeys: lines.map(\.key), amount: amount, tokenChecks: tokenChecks,
                                        estimatedTokens: tokens, unchecked: unchecked, ttlSeconds: budgets.map(\.ttlSeconds)),
                            decisions: decisions)
        }
    }

    /// Replaces the reservation with what the call really cost (0 for failures and cache hits).
    func settle(_ r: Reservation, actual: Money, actualTokens: Int?) async {
        let tokenDelta = actualTokens.map { $0 - r.estimatedTokens } ?? 0
        let settlement = Settlement(budgetKeys: r.budgetKeys, delta: actual - r.amount,
                                    rates: tokenDelta == 0 ? [] : r.tokenChecks.map { RateCheck(key: $0.key, limiter: $0.limiter, cost: tokenDelta) })
        if r.unchecked {
            unreplayed.withLock { pending in
                for (key, ttl) in zip(r.budgetKeys, r.ttlSeconds) {
                    pending[key, default: SpendAddition(key: key, amount: .zero, ttlSeconds: ttl)].amount += actual
                }
            }
        }
        guard settlement.delta != .zero || !settlement.rates.isEmpty else { return }
        do {
            try await r.store.settle(settlement)
        } catch {
            metrics.recordStateStoreFailure(operation: "settle", outcome: "error")
            logger.warning("could not settle a budget reservation", metadata: ["store": "\(r.store.label)", "error": "\(error)"])
        }
    }

    /// Hands the outage's locally counted spend to the shared store (once it is reachable).
    private func replayUncheckedSpend() async {
        let pending = unreplayed.withLock { p -> [SpendAddition] in
            defer { p.removeAll() }
            return Array(p.values)
        }
        guard !pending.isEmpty else { return }
        do {
            try await primary.addSpend(pending.filter { $0.amount != .zero })
            logger.notice("spend served during the state store outage added to it", metadata: ["counters": "\(pending.count)"])
        } catch {
            unreplayed.withLock { p in for e in pending { p[e.key, default: SpendAddition(key: e.key, amount: .zero, ttlSeconds: e.ttlSeconds)].amount += e.amount } }
        }
    }

    private func noteThresholds(_ line: Line, before: Money, amount: Money) {
        let after = before + amount
        for percent in BudgetLedger.crossedThresholds(line.policy.thresholds, before: before, after: after, limit: line.policy.limit)
        where alerted.withLock({ $0.insert("\(line.key)|\(percent)").inserted }) {
            metrics.recordBudgetThreshold(scope: line.policy.scope, percent: percent)
            logger.warning("budget threshold crossed", metadata: [
                "budget": "\(line.policy.id)", "subject": "\(line.subject)", "threshold_percent": "\(percent)",
                "spent_usd": "\(after.decimalString)", "limit_usd": "\(line.policy.limit.decimalString)",
            ])
        }
        if line.policy.action == .alertOnly, after > line.policy.limit, before <= line.policy.limit {
            metrics.recordBudgetAction(scope: line.policy.scope, action: .alertOnly)
        }
    }
}
