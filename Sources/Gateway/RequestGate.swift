import FinOpsCore
import Foundation
import HTTPServer
import Logging
import Observability
import Storage
import Upstream

/// The spend controls in pipeline order — auth → guardrails → budget/rate → cache — as one
/// stage the chat pipeline calls before routing, plus `complete` after the call (settle the
/// reservation, store a fresh answer).
struct RequestGate: Sendable {
    struct Identity: Sendable {
        var org: String
        var team: String
        var user: String
        var key: VirtualKey?
    }

    /// What the call must hand back to `complete`.
    struct Ticket: Sendable {
        var reservation: SpendGuard.Reservation?
        var cacheSlot: ResponseCache.Slot?
        /// `x-ratelimit-*` for the response.
        var headers: [(name: String, value: String)] = []
        static let none = Ticket(reservation: nil, cacheSlot: nil)
    }

    enum Admission: Sendable {
        case proceed(Ticket)
        case cached(ResponseCache.Hit, Ticket)
        case reject(GateRejection)
    }

    let controls: SpendControls
    let keys: VirtualKeyDirectory
    let budgets: BudgetDirectory
    let spend: SpendGuard
    let cache: ResponseCache
    let registry: ModelRegistry
    let metrics: RouterMetrics
    let logger: Logger

    func authenticate(_ request: HTTPRequest, attribution: RequestAttribution, org: String) async -> Result<Identity, GateRejection> {
        let token = Self.presentedToken(request)
        guard let token, token.hasPrefix("fr-") else {
            if controls.auth.mode == .keys {
                return .failure(GateRejection(status: 401, type: "authentication_error", code: "missing_api_key",
                                              message: "This router requires a virtual key: send 'Authorization: Bearer fr-…'."))
            }
            return .success(Identity(org: org, team: attribution.team, user: attribution.user, key: nil))
        }
        let key: VirtualKey?
        do { key = try await keys.lookup(secret: token) } catch {
            metrics.recordStateStoreFailure(operation: "key_lookup", outcome: "fail_closed")
            return .failure(GateRejection(status: 503, type: "service_unavailable", code: "key_store_unavailable",
                                          message: "The key store is unreachable, so this key cannot be verified; retry shortly.",
                                          headers: [("Retry-After", "1")]))
        }
        guard let key else {
            return .failure(GateRejection(status: 401, type: "authentication_error", code: "invalid_api_key",
                                          message: "The virtual key is not valid on this router."))
        }
        guard !key.isRevoked else {
            return .failure(GateRejection(status: 401, type: "authentication_error", code: "key_revoked",
                                          message: "The virtual key \(key.id) was revoked."))
        }
        return .success(Identity(org: key.org, team: key.team, user: key.user.isEmpty ? attribution.user : key.user, key: key))
    }

    func admit(_ request: HTTPRequest, identity: Identity, parsed: inout ParsedChatRequest, chain: inout [ModelRoute],
               record: inout TelemetryRecord) async -> Admission {
        if let key = identity.key, !key.allows(model: parsed.model) {
            return .reject(GateRejection(status: 403, type: "permission_error", code: "model_not_allowed",
                                         message: "The key \(key.id) may not use '\(parsed.model)'; allowed: \(key.models.joined(separator: ", "))."))
        }
        switch GuardrailStage.apply(controls.guardrails(for: identity.team), to: &parsed, metrics: metrics) {
        case .failure(let rejection): return .reject(rejection)
        case .success(let outcome) where !outcome.violations.isEmpty:
            record.routeReason += " guardrails:" + outcome.violations.map { "\($0.0.rawValue)=\($0.1.rawValue)" }.joined(separator: ",")
        default: break
        }
        var (amount, tokens) = estimate(parsed, chain: chain)
        if let cap = controls.guardrails(for: identity.team).maxPromptCost, amount > cap {
            metrics.recordGuardrail(detector: "max_prompt_cost", action: "block")
            return .reject(GateRejection(status: 400, type: "invalid_request_error", code: "prompt_cost_limit_exceeded",
                                         message: "This request's estimated cost $\(amount.decimalString) is above this team's per-request limit of $\(cap.decimalString)."))
        }
        var ticket = Ticket.none
        let lines = await budgetLines(identity)
        let limits = rateLimits(identity, tokens: tokens)
        if !lines.isEmpty || !limits.isEmpty {
            var downgraded = false
            while true {
                switch await spend.check(lines: lines, limits: limits, amount: amount, tokens: tokens, downgraded: downgraded) {
                case .allowed(let reservation, let decisions):
                    ticket.reservation = reservation
                    record.budgetUnchecked = reservation.unchecked
                    for (limit, d) in zip(limits, decisions) {
                        ticket.headers += RateLimitHeaders.headers(kind: limit.kind, limit: limit.check.limiter.limit, decision: d)
                    }
                case .rateLimited(let limit, let decision):
                    metrics.recordRateLimited(scope: limit.scope, kind: limit.kind)
                    return .reject(.rateLimited(limit, decision))
                case .overBudget(let line, let spent):
                    metrics.recordBudgetAction(scope: line.policy.scope, action: .block)
                    return .reject(.budget(line, spent: spent, estimate: amount))
                case .unavailable(let line):
                    return .reject(.storeDown(line))
                case .downgrade(let line):
                    guard !downgraded, let cheaper = downgradeChain(line.policy, identity: identity, current: chain) else {
                        return .reject(.budget(line, spent: line.policy.limit, estimate: amount))
                    }
                    metrics.recordBudgetAction(scope: line.policy.scope, action: .downgrade)
                    record.routeReason += " budget_downgrade:\(line.policy.id)→\(cheaper[0].model)"
                    record.provider = cheaper[0].provider.name
                    record.model = cheaper[0].model
                    chain = cheaper
                    (amount, tokens) = estimate(parsed, chain: chain)
                    downgraded = true
                    continue
                }
                break
            }
        }
        guard cache.enabled(for: identity.team), let model = chain.first?.model else { return .proceed(ticket) }
        let control = (request.header("cache-control") ?? "").lowercased()
        if control.contains("no-cache") {
            metrics.recordCache(result: "bypass")
        } else {
            let (hit, slot) = await cache.lookup(team: identity.team, model: model, body: parsed.body)
            if let hit, !parsed.stream || CacheReplay.canStream(hit) {
                metrics.recordCache(result: hit.kind, avoided: hit.cost)
                return .cached(hit, ticket)
            }
            metrics.recordCache(result: "miss")
            ticket.cacheSlot = parsed.stream ? nil : slot
        }
        if control.contains("no-store") { ticket.cacheSlot = nil }
        return .proceed(ticket)
    }

    /// After the call (or a cache hit, or a failure with cost 0): settle, and keep a fresh answer.
    func complete(_ ticket: Ticket, cost: Money, usage: TokenUsage?, result: ChatResult? = nil, route: ModelRoute? = nil) async {
        if let reservation = ticket.reservation {
            await spend.settle(reservation, actual: cost, actualTokens: usage.map { $0.inputTokens + $0.outputTokens })
        }
        if let slot = ticket.cacheSlot, let result, let usage, let route {
            await cache.store(slot, result: result, usage: usage, cost: cost, model: route.model, provider: route.provider.name)
        }
    }

    /// The row of a request answered from the cache: no spend, what it avoided as the baseline.
    static func noteHit(_ hit: ResponseCache.Hit, record: inout TelemetryRecord) {
        record.status = .cacheHit
        record.cache = hit.kind
        record.apply(usage: hit.result.usage ?? .zero, cost: .zero)
        record.baselineCost = hit.cost
        record.model = hit.model.isEmpty ? record.model : hit.model
        record.routeReason += " cache:\(hit.kind)"
    }

    static func presentedToken(_ request: HTTPRequest) -> String? {
        if let auth = request.header("authorization"), let token = bearerToken(auth) { return token }
        return request.header("x-api-key")   // Anthropic SDKs
    }

    /// The token of `Bearer <token>` (scheme case-insensitive, spaces and tabs around the token
    /// ignored), on bytes: every request passes here, and Foundation's trimming bridged to NSString.
    static func bearerToken(_ header: String) -> String? {
        let bytes = header.utf8
        guard bytes.count > 7 else { return nil }
        var i = bytes.startIndex
        for expected in "bearer ".utf8 {
            let b = bytes[i]
            guard b == expected || (expected >= 0x61 && b == expected - 0x20) else { return nil }
            i = bytes.index(after: i)
        }
        let isBlank = { (b: UInt8) in b == 0x20 || b == 0x09 }
        var end = bytes.endIndex
        while i < end, isBlank(bytes[i]) { i = bytes.index(after: i) }
        while end > i, isBlank(bytes[bytes.index(before: end)]) { end = bytes.index(before: end) }
        return String(header[i..<end])
    }
}
