import FinOpsCore
import Storage
import Yams

/// The spend-control sections of the config file: `state`, `auth`, `budgets`, `rate_limits`,
/// `guardrails`, `cache`. Same rules as the rest: unknown keys, wrong types and out-of-range
/// values are located errors.
extension ConfigLoader {
    static func readSpendSection(_ key: String, _ r: NodeReader, _ v: Node, _ p: String, _ s: inout SpendControls,
                                 explicitFailure: inout Set<String>) throws -> Bool {
        switch key {
        case "state":
            try r.object(v, p) { k, n, kp in
                switch k {
                case "redis_url":
                    let url = try r.string(n, kp)
                    guard RedisPool.Endpoint.parse(url) != nil else {
                        throw r.error(n, kp, "expected redis://host:port[/db] (no credentials: hiredis 0.14 has no TLS or AUTH here)")
                    }
                    s.state.redisURL = url
                case "timeout_ms": s.state.timeoutMs = try r.int(n, kp, 1...10_000)
                case "pool_size": s.state.poolSize = try r.int(n, kp, 1...64)
                case "on_failure": s.state.onFailure = try r.enumValue(n, kp, StoreFailureMode.self)
                case "records_path": s.state.recordsPath = try r.string(n, kp)
                default: throw r.unknown(n, kp)
                }
            }
        case "auth":
            try r.object(v, p) { k, n, kp in
                switch k {
                case "mode": s.auth.mode = try r.enumValue(n, kp, SpendControls.AuthMode.self)
                case "key_cache_seconds": s.auth.keyCacheSeconds = try r.double(n, kp, 0...3600)
                default: throw r.unknown(n, kp)
                }
            }
        case "budgets":
            try r.object(v, p) { k, n, kp in
                switch k {
                case "default_output_tokens": s.defaultOutputTokens = try r.int(n, kp, 1...1_000_000)
                case "limits": s.budgets = try r.list(n, kp) { item, ip in try readBudget(r, item, ip, &explicitFailure) }
                default: throw r.unknown(n, kp)
                }
            }
        case "rate_limits":
            try r.object(v, p) { k, n, kp in
                switch k {
                case "team": s.rateLimits.team = try readRate(r, n, kp)
                case "key": s.rateLimits.key = try readRate(r, n, kp)
                case "teams": try r.object(n, kp) { team, tn, tp in s.rateLimits.teams[team] = try readRate(r, tn, tp) }
                default: throw r.unknown(n, kp)
                }
            }
        case "guardrails":
            try r.object(v, p) { k, n, kp in
                if k == "teams" {
                    try r.object(n, kp) { team, tn, tp in
                        var policy = GuardrailPolicy()
                        try r.object(tn, tp) { gk, gn, gp in try readGuardrail(gk, r, gn, gp, &policy) }
                        s.teamGuardrails[team] = policy
                    }
                } else {
                    try readGuardrail(k, r, n, kp, &s.guardrails)
                }
            }
        case "cache":
            try r.object(v, p) { k, n, kp in
                switch k {
                case "enabled": s.cache.enabled = try r.bool(n, kp)
                case "ttl_seconds": s.cache.ttlSeconds = try r.int(n, kp, 1...31_536_000)
                case "max_entries": s.cache.maxEntries = try r.int(n, kp, 1...10_000_000)
                case "semantic": s.cache.semantic = try r.bool(n, kp)
                case "similarity_threshold": s.cache.similarityThreshold = try r.double(n, kp, 0.5...1)
                case "dimensions": s.cache.dimensions = try r.int(n, kp, 32...4096)
                case "disabled_teams": s.cache.disabledTeams = try r.list(n, kp) { i, ip in try r.string(i, ip) }
                default: throw r.unknown(n, kp)
                }
            }
        default:
            return false
        }
        return true
    }

    /// Budgets without their own `on_store_failure` take `state.on_failure`; checks models.
    static func finishSpend(_ s: inout SpendControls, explicitFailure: Set<String>, file: String, catalog: PricingCatalog) throws {
        var seen = Set<String>()
        for i in s.budgets.indices {
            if !explicitFailure.contains(s.budgets[i].id) { s.budgets[i].onStoreFailure = s.state.onFailure }
            guard seen.insert(s.budgets[i].id).inserted else {
                throw ConfigError(file: file, line: nil, key: "budgets.limits[\(i)]", reason: "duplicate budget \(s.budgets[i].id)")
            }
            if let model = s.budgets[i].downgradeModel, catalog.price(for: model) == nil {
                throw ConfigError(file: file, line: nil, key: "budgets.limits[\(i)].downgrade_model", reason: "model '\(model)' is not in the pricing catalog")
            }
        }
    }

    private static func readBudget(_ r: NodeReader, _ node: Node, _ path: String, _ explicitFailure: inout Set<String>) throws -> BudgetPolicy {
        var scope: BudgetScope?, subject: String?, limit: Money?
        var policy = BudgetPolicy(scope: .team, subject: "", period: .monthly, limit: .zero)
        var failure: StoreFailureMode?
        try r.object(node, path) { k, n, kp in
            switch k {
            case "scope": scope = try r.enumValue(n, kp, BudgetScope.self)
            case "subject": subject = try r.string(n, kp)
            case "period": policy.period = try r.enumValue(n, kp, BudgetPeriod.self)
            case "limit_usd": limit = Money(usd: try r.double(n, kp, 0.000001...1e9))
            case "thresholds":
                policy.thresholds = try r.list(n, kp) { i, ip in try r.int(i, ip, 1...1000) }.sorted()
            case "action": policy.action = try r.enumValue(n, kp, BudgetAction.self)
            case "downgrade_model": policy.downgradeModel = try r.string(n, kp)
            case "on_store_failure": failure = try r.enumValue(n, kp, StoreFailureMode.self)
            default: throw r.unknown(n, kp)
            }
        }
        guard let scope else { throw r.error(node, path + ".scope", "every budget needs a scope (org, team, user, key)") }
        guard let subject, !subject.isEmpty else { throw r.error(node, path + ".subject", "every budget needs a subject ('*' = each one)") }
        guard let limit else { throw r.error(node, path + ".limit_usd", "every budget needs limit_usd") }
        policy.scope = scope
        policy.subject = subject
        policy.limit = limit
        if let failure {
            policy.onStoreFailure = failure
            explicitFailure.insert(policy.id)
        }
        return policy
    }

    private static func readRate(_ r: NodeReader, _ node: Node, _ path: String) throws -> SpendControls.RateLimit {
        var limit = SpendControls.RateLimit()
        try r.object(node, path) { k, n, kp in
            switch k {
            case "requests_per_minute": limit.requestsPerMinute = try r.int(n, kp, 1...10_000_000)
            case "tokens_per_minute": limit.tokensPerMinute = try r.int(n, kp, 1...1_000_000_000)
            default: throw r.unknown(n, kp)
            }
        }
        return limit
    }

    private static func readGuardrail(_ k: String, _ r: NodeReader, _ n: Node, _ kp: String, _ g: inout GuardrailPolicy) throws {
        switch k {
        case "pii":
            try r.object(n, kp) { kind, an, ap in
                guard let detector = PIIKind(rawValue: kind) else {
                    throw r.error(an, ap, "unknown detector; expected one of \(PIIKind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                g.pii[detector] = try r.enumValue(an, ap, PIIAction.self)
            }
        case "max_prompt_cost_usd": g.maxPromptCost = Money(usd: try r.double(n, kp, 0.000001...1e6))
        case "max_tokens": g.maxTokens = try r.int(n, kp, 1...10_000_000)
        default: throw r.unknown(n, kp)
        }
    }
}

extension NodeReader {
    func bool(_ node: Node, _ path: String) throws -> Bool {
        switch node.scalar?.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error(node, path, "expected true or false")
        }
    }

    func enumValue<E: RawRepresentable & CaseIterable>(_ node: Node, _ path: String, _: E.Type) throws -> E where E.RawValue == String {
        let raw = try string(node, path)
        guard let value = E(rawValue: raw) else {
            throw error(node, path, "unknown value '\(raw)'; expected one of \(E.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }
}
