import FinOpsCore
import Foundation
import Storage
import Synchronization

/// The budgets in force: the config file's, overlaid by those set through `/admin/budgets`
/// (same id replaces), reloaded from the shared store at most every `refreshSeconds`.
final class BudgetDirectory: Sendable {
    private let configured: [BudgetPolicy]
    private let store: any StateStore
    private let refreshSeconds: Double
    private let now: @Sendable () -> Double
    private let overrides = Mutex<(policies: [BudgetPolicy], fetched: Double)>(([], -.infinity))

    init(configured: [BudgetPolicy], store: any StateStore, refreshSeconds: Double, now: @escaping @Sendable () -> Double) {
        self.configured = configured
        self.store = store
        self.refreshSeconds = refreshSeconds
        self.now = now
    }

    /// Every budget, overrides applied, sorted by scope then subject.
    func all() async -> [BudgetPolicy] {
        var byID = Dictionary(configured.map { ($0.id, $0) }, uniquingKeysWith: { _, b in b })
        for p in await adminBudgets() { byID[p.id] = p }
        return byID.values.sorted { ($0.scope.rawValue, $0.subject, $0.period.rawValue) < ($1.scope.rawValue, $1.subject, $1.period.rawValue) }
    }

    /// The budgets that cover one request, with the subject name each is counted under
    /// (a `*` policy counts every team, user… separately). An exact subject beats `*`.
    func applicable(org: String, team: String, user: String, key: VirtualKey?) async -> [(BudgetPolicy, String)] {
        let policies = await all()
        var out: [(BudgetPolicy, String)] = []
        let subjects: [(BudgetScope, String)] = [(.org, org), (.team, team), (.user, user), (.key, key?.id ?? "")]
        for (scope, name) in subjects where !name.isEmpty {
            for period in BudgetPeriod.allCases {
                let candidates = policies.filter { $0.scope == scope && $0.period == period }
                if let p = candidates.first(where: { $0.subject == name }) ?? candidates.first(where: { $0.subject == "*" }) {
                    out.append((p, name))
                }
            }
        }
        if let key, let limit = key.budget, !out.contains(where: { $0.0.scope == .key && $0.0.period == key.budgetPeriod }) {
            out.append((BudgetPolicy(scope: .key, subject: key.id, period: key.budgetPeriod, limit: limit), key.id))
        }
        return out
    }

    func set(_ policy: BudgetPolicy) async throws {
        let data = try JSONEncoder().encode(policy)
        try await store.recordPut(StateKeys.budgets, id: policy.id, json: String(decoding: data, as: UTF8.self))
        overrides.withLock { $0.fetched = -.infinity }
    }

    func delete(id: String) async throws {
        try await store.recordDelete(StateKeys.budgets, id: id)
        overrides.withLock { $0.fetched = -.infinity }
    }

    /// Cached overrides; on a store error the last known ones stay in force.
    private func adminBudgets() async -> [BudgetPolicy] {
        let t = now()
        let (cached, fetched) = overrides.withLock { ($0.policies, $0.fetched) }
        if t - fetched < refreshSeconds { return cached }
        guard let raw = try? await store.recordAll(StateKeys.budgets) else {
            overrides.withLock { $0.fetched = t }
            return cached
        }
        let decoder = JSONDecoder()
        let policies = raw.values.compactMap { try? decoder.decode(BudgetPolicy.self, from: Data($0.utf8)) }
        overrides.withLock { $0 = (policies, t) }
        return policies
    }
}
