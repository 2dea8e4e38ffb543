import FinOpsCore
import Foundation
import Storage

extension RequestGate {
    /// A conservative cost and token estimate to reserve: the prompt estimated from its text
    /// (plus per-message overhead) and the full output allowance (`max_tokens`, else the
    /// configured default), priced at the most expensive deployment the call may fail over to.
    func estimate(_ parsed: ParsedChatRequest, chain: [ModelRoute]) -> (Money, Int) {
        let messages = parsed.body["messages"]?.arrayValue?.count ?? 1
        let prompt = CostCalculator.estimateTokens(text: parsed.promptText) + 4 * messages + 3
        let output = parsed.body["max_completion_tokens"]?.intValue ?? parsed.body["max_tokens"]?.intValue ?? controls.defaultOutputTokens
        let cost = chain.map { CostCalculator.cost(inputTokens: prompt, outputTokens: max(0, output), at: $0.price) }.max() ?? .zero
        return (cost, prompt + max(0, output))
    }

    func budgetLines(_ identity: Identity) async -> [SpendGuard.Line] {
        let now = Date()
        return await budgets.applicable(org: identity.org, team: identity.team, user: identity.user, key: identity.key).map { policy, subject in
            let window = policy.period.window(at: now)
            return SpendGuard.Line(policy: policy, subject: subject,
                                   key: StateKeys.budget(org: identity.org, scope: policy.scope, subject: subject, window: window),
                                   window: window)
        }
    }

    func rateLimits(_ identity: Identity, tokens: Int) -> [SpendGuard.Limit] {
        var out: [SpendGuard.Limit] = []
        func add(_ scope: BudgetScope, _ subject: String, _ limit: SpendControls.RateLimit) {
            if let rpm = limit.requestsPerMinute {
                out.append(.init(scope: scope, subject: subject, kind: "requests", check: RateCheck(
                    key: StateKeys.rate(org: identity.org, scope: scope, subject: subject, kind: "rpm"), limiter: GCRA(limit: rpm), cost: 1)))
            }
            if let tpm = limit.tokensPerMinute {
                out.append(.init(scope: scope, subject: subject, kind: "tokens", check: RateCheck(
                    key: StateKeys.rate(org: identity.org, scope: scope, subject: subject, kind: "tpm"), limiter: GCRA(limit: tpm), cost: tokens)))
            }
        }
        add(.team, identity.team, controls.rateLimits.forTeam(identity.team))
        if let key = identity.key {
            add(.key, key.id, key.rateLimit.isEmpty ? controls.rateLimits.key : key.rateLimit)
        }
        return out
    }

    /// The downgrade target: the policy's model, else the cheapest small-tier model the key may
    /// use on the same provider; nil when nothing is cheaper than what was asked for.
    func downgradeChain(_ policy: BudgetPolicy, identity: Identity, current: [ModelRoute]) -> [ModelRoute]? {
        func unitPrice(_ r: ModelRoute) -> Int64 { r.price.inputPerMTok.nanos + r.price.outputPerMTok.nanos }
        let chain: [ModelRoute]?
        if let model = policy.downgradeModel {
            chain = registry.chain(for: model)
        } else {
            chain = registry.models.compactMap { registry.chain(for: $0.id) }
                .filter { $0.first.map { $0.price.tier == .small && $0.provider.name == current.first?.provider.name
                    && (identity.key?.allows(model: $0.model) ?? true) } ?? false }
                .min { unitPrice($0[0]) < unitPrice($1[0]) }
        }
        guard let chain, let first = chain.first, let now = current.first, unitPrice(first) < unitPrice(now) else { return nil }
        return chain
    }
}
