import Foundation

/// Builds one realistic call: who, what, which model, how it went, what it cost.
struct SeedCallFactory {
    let models: SeedModelPicker
    let profile: SeedTrafficProfile

    func call(id: String, time: Date, spike: Bool, rng: inout SplitMix64) -> TelemetryRecord {
        let team = spike ? profile.teams[0] : rng.pick(profile.teams.map { ($0, $0.weight) })
        let useCase = spike ? team.useCases[0] : rng.pick(team.useCases.map { ($0, $0.weight) })
        let strategy = spike ? "fixed" : rng.pick(useCase.strategies)
        let price = spike ? models.priciest : models.pick(rng.pick(useCase.tiers), &rng)
        let input = max(1, Int(useCase.meanInputTokens * exp(0.5 * rng.normal() - 0.125)))
        let cached = rng.unit() < 0.25 ? input / 2 : 0
        var output = max(1, Int(useCase.meanOutputTokens * exp(0.6 * rng.normal() - 0.18)))
        var status = RequestStatus.ok
        let roll = rng.unit()
        if roll < 0.02 { status = .error } else if roll < 0.05 { status = .failover } else if roll < 0.065 { status = .cacheHit }
        let tierLatency: Double = price.tier == .small ? 450 : price.tier == .medium ? 1_100 : 2_600
        var latency = tierLatency * exp(0.45 * rng.normal()) * Double(output) / useCase.meanOutputTokens
        var record = TelemetryRecord(
            time: time, requestID: id, org: profile.org, team: team.name, user: team.users[rng.int(in: 0...(team.users.count - 1))],
            keyID: "key-\(team.name)", useCase: useCase.name, strategy: strategy,
            routeReason: spike ? "fixed:requested" : "\(strategy):\(price.tier.rawValue)",
            requestedModel: strategy == "fixed" ? price.model : "router/\(strategy)", provider: price.provider,
            model: price.model, baselineModel: strategy == "fixed" ? price.model : models.baseline.model,
            attempts: ["\(price.provider):\(price.model)"])
        switch status {
        case .error:
            output = 0
            latency = 30_000 * rng.unit()
            record.errorKind = ["upstream_timeout", "upstream_connect", "rate_limited"][rng.int(in: 0...2)]
            record.httpStatus = record.errorKind == "rate_limited" ? 429 : record.errorKind == "upstream_timeout" ? 504 : 502
        case .failover:
            let first = models.pick(price.tier, &rng)
            record.attempts.insert("\(first.provider):\(first.model)", at: 0)
            record.routeReason += " (failover)"
            latency += 1_500 * rng.unit()
        case .cacheHit:
            latency = 2 + 6 * rng.unit()
            record.cache = "exact"
        default: break
        }
        record.status = status
        record.inputTokens = status == .error ? 0 : input
        record.cachedInputTokens = status == .error ? 0 : cached
        record.outputTokens = output
        if status == .ok || status == .failover {
            record.cost = CostCalculator.cost(inputTokens: input, cachedInputTokens: cached, outputTokens: output, at: price)
            // A pinned ("fixed") model is its own baseline: no savings claimed, no loss either.
            let baseline = strategy == "fixed" ? price : models.baseline
            record.baselineCost = CostCalculator.cost(inputTokens: input, cachedInputTokens: cached, outputTokens: output, at: baseline)
            if let outcome = useCase.outcome, rng.unit() < outcome.rate { record.outcome = outcome.name }
        }
        record.latencyMs = (latency * 1_000).rounded() / 1_000
        record.streamed = rng.unit() < 0.4
        if record.streamed && status != .error { record.ttftMs = (latency * 0.2 * 1_000).rounded() / 1_000 }
        record.complexity = rng.int(in: 1...5)
        return record
    }
}
