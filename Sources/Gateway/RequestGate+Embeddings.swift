import FinOpsCore
import Foundation

extension RequestGate {
    /// Budgets and rate limits for `/v1/embeddings`: the input priced at the priciest deployment
    /// of the chain, reserved like a chat call and settled by `complete`. There is no cheaper tier
    /// to move embeddings to, so `downgrade` budgets count them without refusing.
    func reserveEmbeddings(_ identity: Identity, inputs: [String], chain: [ModelRoute],
                           record: inout TelemetryRecord) async -> Result<Ticket, GateRejection> {
        let tokens = inputs.reduce(0) { $0 + CostCalculator.estimateTokens(text: $1) + 1 }
        let amount = chain.map { CostCalculator.cost(inputTokens: tokens, outputTokens: 0, at: $0.price) }.max() ?? .zero
        let lines = await budgetLines(identity)
        let limits = rateLimits(identity, tokens: tokens)
        guard !lines.isEmpty || !limits.isEmpty else { return .success(.none) }
        switch await spend.check(lines: lines, limits: limits, amount: amount, tokens: tokens, downgraded: true) {
        case .allowed(let reservation, let decisions):
            record.budgetUnchecked = reservation.unchecked
            var ticket = Ticket(reservation: reservation, cacheSlot: nil)
            for (limit, d) in zip(limits, decisions) {
                ticket.headers += RateLimitHeaders.headers(kind: limit.kind, limit: limit.check.limiter.limit, decision: d)
            }
            return .success(ticket)
        case .rateLimited(let limit, let decision):
            metrics.recordRateLimited(scope: limit.scope, kind: limit.kind)
            return .failure(.rateLimited(limit, decision))
        case .overBudget(let line, let spent):
            metrics.recordBudgetAction(scope: line.policy.scope, action: .block)
            return .failure(.budget(line, spent: spent, estimate: amount))
        case .downgrade(let line):   // not returned once downgrades are already applied
            return .failure(.budget(line, spent: line.policy.limit, estimate: amount))
        case .unavailable(let line):
            return .failure(.storeDown(line))
        }
    }
}
