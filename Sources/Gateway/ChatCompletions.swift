import FinOpsCore
import Foundation
import HTTPServer
import Logging
import Observability
import Storage
import Upstream

/// The chat pipeline behind `POST /v1/chat/completions` and `POST /v1/messages`: validate,
/// resolve the model, call the provider chain (buffered or streamed), price the call from its
/// usage, answer with cost headers, and record one telemetry row whatever happened. The wire
/// format of the request and the answer is the `format`'s business.
struct ChatCompletions: Sendable {
    var format: any ResponseFormat
    let registry: ModelRegistry
    let routing: RoutingStage
    let caller: FailoverCaller
    /// Teams whose identical concurrent non-streaming requests share one upstream call.
    let dedupTeams: Set<String>
    let dedup = InFlightDedup<FailoverCaller.Outcome<ChatResult>>()
    let telemetry: TelemetrySink
    let metrics: RouterMetrics
    let logger: Logger
    let org: String
    let defaultTeam: String
    /// Auth, guardrails, budgets, rate limits and cache, before routing; settlement after.
    let gate: RequestGate

    func handle(_ request: HTTPRequest) async -> HTTPResponse {
        let started = ContinuousClock.now
        let requestID = RequestID.from(request)
        let attribution = RequestAttribution(request: request, defaultTeam: defaultTeam)
        var record = TelemetryRecord(requestID: requestID, org: org, attribution: attribution)
        let identity: RequestGate.Identity
        switch await gate.authenticate(request, attribution: attribution, org: org) {
        case .failure(let rejection): return refuse(rejection, record: &record, started: started)
        case .success(let who): identity = who
        }
        record.apply(identity)

        var parsed: ParsedChatRequest
        switch format.parse(request.body) {
        case .failure(let problem):
            return reject(problem, record: &record, started: started)
        case .success(let p):
            parsed = p
        }
        record.requestedModel = parsed.model
        record.streamed = parsed.stream
        var chain: [ModelRoute]
        var decision: RouteDecision?
        do throws(RouteError) {
            if let route = try routing.decide(parsed, team: attribution.team, useCase: attribution.useCase,
                                              strategyHeader: request.header("x-finops-strategy")) {
                chain = route.chain
                decision = route.decision
            } else if let named = registry.chain(for: parsed.model) {
                chain = named
            } else {
                throw RouteError(.modelNotFound, "the model '\(parsed.model)' is not available on this router")
            }
        } catch {
            let hint = error.code == .modelNotFound ? " GET /v1/models lists the available models." : ""
            let message = error.message.prefix(1).uppercased() + error.message.dropFirst() + "." + hint
            return reject(.init(status: error.httpStatus, code: error.code.rawValue, message: message), record: &record, started: started)
        }
        let primary = chain[0]
        record.provider = primary.provider.name
        record.model = primary.model
        if let decision {
            record.strategy = decision.strategy.rawValue
            record.routeReason = decision.routeReason
            record.complexity = decision.complexity
            record.baselineModel = decision.baselineModel.isEmpty ? primary.model : decision.baselineModel
        } else {
            record.baselineModel = primary.model
            record.routeReason = "fixed:\(parsed.model)→\(primary.model)"
        }
        let ticket: RequestGate.Ticket
        switch await gate.admit(request, identity: identity, parsed: &parsed, chain: &chain, record: &record) {
        case .reject(let rejection): return refuse(rejection, record: &record, started: started)
        case .cached(let hit, let t):
            await gate.complete(t, cost: .zero, usage: .zero)
            RequestGate.noteHit(hit, record: &record)
            record.latencyMs = started.elapsedSeconds * 1000
            finish(record, usage: nil)
            return CacheReplay.response(hit, format: format, parsed: parsed, requestID: requestID, headers: headers(record) + t.headers)
        case .proceed(let t): ticket = t
        }
        let call = ChatCall(requestID: requestID, model: chain[0].model, request: parsed.body, stream: parsed.stream,
                            originalBody: parsed.original)

        if parsed.stream {
            return await stream(call, chain: chain, parsed: parsed, record: record, started: started, ticket: ticket)
        }
        let upstreamStart = ContinuousClock.now
        let caller = self.caller
        let admitted = chain
        let work: @Sendable () async -> FailoverCaller.Outcome<ChatResult> = {
            await caller.run(admitted) { route throws(ProviderError) in
                var routed = call
                routed.model = route.model
                return try await route.provider.complete(routed)
            }
        }
        let wantsDedup = dedupTeams.contains(attribution.team) || request.header("x-finops-dedup")?.lowercased() == "on"
        var (outcome, joined) = wantsDedup
            ? await dedup.run(.init(namespace: attribution.team + "\u{0}" + format.endpoint, body: parsed.original ?? parsed.body.serialized()), work)
            : (await work(), false)
        var spentOnEarlierSteps = Money.zero
        if let decision, decision.strategy == .cascade, !joined {
            (outcome, spentOnEarlierSteps) = await cascade(outcome, decision: decision, call: call, prompt: parsed.promptText, record: &record)
        }
        record.note(outcome)
        if joined, case .success(let (route, result)) = outcome.result {
            // Another identical request paid for this answer; this one is recorded at no cost.
            record.cache = "dedup"
            record.routeReason += " dedup:joined"
            let usage = result.usage ?? CostCalculator.estimateUsage(prompt: parsed.promptText, completion: result.text)
            record.apply(usage: usage, cost: .zero)
            record.baselineCost = CostCalculator.cost(of: usage, at: route.price)
            record.latencyMs = started.elapsedSeconds * 1000
            await gate.complete(ticket, cost: .zero, usage: .zero)
            finish(record, usage: nil)
            return .json(200, format.completion(result, requestID: requestID, model: route.model), headers: headers(record) + ticket.headers)
        }
        switch outcome.result {
        case .success(let (route, result)):
            metrics.recordUpstream(provider: route.provider.name, seconds: upstreamStart.elapsedSeconds, errorKind: nil)
            let usage = result.usage ?? CostCalculator.estimateUsage(prompt: parsed.promptText, completion: result.text)
            // A cascade pays for every step it took.
            let cost = CostCalculator.cost(of: usage, at: route.price) + spentOnEarlierSteps
            record.apply(usage: usage, cost: cost)
            routing.observe(model: route.model, latencyMs: upstreamStart.elapsedSeconds * 1000, failed: false)
            record.baselineCost = routing.baselineCost(of: usage, baselineModel: record.baselineModel, fallback: chain[0].price)
            record.latencyMs = started.elapsedSeconds * 1000
            await gate.complete(ticket, cost: cost, usage: usage, result: result, route: route)
            finish(record, usage: usage)
            return .json(200, format.completion(result, requestID: requestID, model: route.model), headers: headers(record) + ticket.headers)
        case .failure(let error):
            metrics.recordUpstream(provider: error.provider, seconds: upstreamStart.elapsedSeconds, errorKind: error.kind.rawValue)
            await gate.complete(ticket, cost: .zero, usage: .zero)
            return fail(error, record: &record, started: started)
        }
    }

    private func stream(_ call: ChatCall, chain: [ModelRoute], parsed: ParsedChatRequest,
                        record initial: TelemetryRecord, started: ContinuousClock.Instant, ticket: RequestGate.Ticket) async -> HTTPResponse {
        var record = initial
        let upstreamStart = ContinuousClock.now
        // Failover is possible until the first byte goes to the client, i.e. while opening the stream.
        let outcome = await caller.run(chain) { route throws(ProviderError) in
            var routed = call
            routed.model = route.model
            return try await route.provider.stream(routed)
        }
        record.note(outcome)
        let route: ModelRoute
        let events: ChatEventStream
        switch outcome.result {
        case .success(let (r, e)):
            route = r
            events = e
        case .failure(let error):
            metrics.recordUpstream(provider: error.provider, seconds: upstreamStart.elapsedSeconds, errorKind: error.kind.rawValue)
            await gate.complete(ticket, cost: .zero, usage: .zero)
            return fail(error, record: &record, started: started)
        }
        let responseHeaders = [("Content-Type", "text/event-stream"), ("Cache-Control", "no-cache"),
                               ("X-Accel-Buffering", "no")] + headers(record, includeCost: false) + ticket.headers
        let sink = self
        let startRecord = record
        let encoder = format.streamEncoder(requestID: call.requestID, model: route.model, clientWantsUsage: parsed.clientWantsUsage)
        return HTTPResponse(status: 200, headers: responseHeaders, body: .stream { writer in
            var record = startRecord
            var usage: TokenUsage?
            var text = ""
            var firstToken: Double?
            var failure: ProviderError?
            var clientGone = false
            do {
                for try await event in events {
                    switch event {
                    case .chunk(let chunk, _):
                        let delta = chunk["choices"]?.arrayValue?.first?["delta"]?["content"]?.stringValue ?? ""
                        if firstToken == nil, !delta.isEmpty { firstToken = started.elapsedSeconds }
                        text += delta
                    case .usage(let u):
                        usage = u
                    }
                    let bytes = encoder.encode(event)
                    if !bytes.isEmpty { clientGone = !writer.write(bytes) }
                    if clientGone { break }
                }
            } catch let error as ProviderError {
                failure = error
            } catch {
                failure = ProviderError(provider: route.provider.name, kind: .streamInterrupted, message: "\(error)")
            }
            let finalUsage = usage ?? CostCalculator.estimateUsage(prompt: parsed.promptText, completion: text)
            let cost = CostCalculator.cost(of: finalUsage, at: route.price)
            record.apply(usage: finalUsage, cost: cost)
            record.baselineCost = sink.routing.baselineCost(of: finalUsage, baselineModel: record.baselineModel, fallback: chain[0].price)
            record.ttftMs = firstToken.map { $0 * 1000 }
            if let failure {
                record.status = .error
                record.errorKind = failure.kind.rawValue
                record.httpStatus = 200
                sink.logger.warning("stream failed mid-way", metadata: ["request_id": "\(call.requestID)", "error": "\(failure)"])
                writer.write(encoder.fail(failure))
            } else if clientGone {
                record.status = .error
                record.errorKind = "client_disconnected"
            } else {
                writer.write(": finops cost_usd=\(cost.decimalString) provider=\(route.provider.name) model=\(route.model)\n\n")
                writer.write(encoder.finish(usage: finalUsage))
            }
            sink.metrics.recordUpstream(provider: route.provider.name, seconds: upstreamStart.elapsedSeconds,
                                        errorKind: failure?.kind.rawValue)
            record.latencyMs = started.elapsedSeconds * 1000
            await sink.gate.complete(ticket, cost: cost, usage: finalUsage)
            sink.finish(record, usage: finalUsage)
        })
    }

    /// Cascade: while the answer is a refusal, empty, truncated or unsure, try the next candidate
    /// of a strictly higher tier (never lower). Returns the final outcome and what the earlier
    /// steps cost.
    private func cascade(_ first: FailoverCaller.Outcome<ChatResult>, decision: RouteDecision, call: ChatCall, prompt: String,
                         record: inout TelemetryRecord) async -> (FailoverCaller.Outcome<ChatResult>, Money) {
        var outcome = first
        var spent = Money.zero
        var attempts: [String] = []
        // A failed first step already moved up the chain (candidates rise one tier each): say so.
        if first.failedOver, case .success(let (route, _)) = first.result,
           let tier = routing.catalog.price(for: route.model)?.tier, let start = decision.targetTier, tier > start {
            record.routeReason += "; " + CascadePolicy.routeReason(after: .failure(first.firstErrorKind), to: tier)
        }
        while case .success(let (route, result)) = outcome.result,
              let reason = CascadePolicy().shouldStepUp(answer: result.text, finishReason: result.finishReason, hasToolCalls: result.hasToolCalls),
              let index = decision.candidates.firstIndex(of: route.model),
              let next = CascadePolicy.nextStep(after: index, in: decision.candidates, catalog: routing.catalog),
              let chain = registry.chain(for: decision.candidates[next]), let tier = routing.catalog.price(for: decision.candidates[next])?.tier {
            let usage = result.usage ?? CostCalculator.estimateUsage(prompt: prompt, completion: result.text)
            spent += CostCalculator.cost(of: usage, at: route.price)
            attempts += outcome.attempts
            record.routeReason += "; " + CascadePolicy.routeReason(after: reason, to: tier)
            let stepped = await caller.run(chain) { route throws(ProviderError) in
                var routed = call
                routed.model = route.model
                return try await route.provider.complete(routed)
            }
            // A failed step keeps the answer already paid for.
            guard case .success = stepped.result else {
                record.routeReason += " (step failed, kept the earlier answer)"
                attempts += stepped.attempts
                outcome.attempts = attempts
                return (outcome, spent - CostCalculator.cost(of: usage, at: route.price))
            }
            outcome = stepped
        }
        outcome.attempts = attempts + outcome.attempts
        return (outcome, spent)
    }

    private func headers(_ r: TelemetryRecord, includeCost: Bool = true) -> [(name: String, value: String)] {
        var h: [(name: String, value: String)] = [
            ("X-Request-Id", r.requestID), ("X-FinOps-Provider", r.provider), ("X-FinOps-Model", r.model),
            ("X-FinOps-Route-Reason", r.routeReason), ("X-FinOps-Cache", r.cache),
        ]
        if includeCost {
            h.append(("X-FinOps-Cost-USD", r.cost.decimalString))
            h.append(("X-FinOps-Savings-USD", (r.baselineCost - r.cost).decimalString))
        }
        return h
    }

    private func reject(_ problem: RequestProblem, record: inout TelemetryRecord, started: ContinuousClock.Instant) -> HTTPResponse {
        logger.info("rejected request", metadata: ["request_id": "\(record.requestID)", "status": "\(problem.status)", "code": "\(problem.code)"])
        metrics.recordRejected(reason: problem.code, httpStatus: problem.status)
        record.status = .error
        record.errorKind = problem.code
        record.httpStatus = problem.status
        record.latencyMs = started.elapsedSeconds * 1000
        telemetry.record(record)
        return format.error(problem.status, type: "invalid_request_error", code: problem.code, message: problem.message,
                            headers: [("X-Request-Id", record.requestID)])
    }

    private func fail(_ error: ProviderError, record: inout TelemetryRecord, started: ContinuousClock.Instant) -> HTTPResponse {
        logger.warning("provider call failed", metadata: ["request_id": "\(record.requestID)", "error": "\(error)"])
        record.status = .error
        record.errorKind = error.kind.rawValue
        record.httpStatus = error.clientStatus
        record.latencyMs = started.elapsedSeconds * 1000
        finish(record, usage: nil)
        var extra: [(name: String, value: String)] = [("X-Request-Id", record.requestID), ("X-FinOps-Provider", error.provider)]
        if let retry = error.retryAfter { extra.append(("Retry-After", String(Int(retry.rounded(.up))))) }
        let type = error.kind == .badRequest ? "invalid_request_error" : "upstream_error"
        return format.error(error.clientStatus, type: type, code: error.kind.rawValue, message: error.message, headers: extra)
    }

    private func finish(_ record: TelemetryRecord, usage: TokenUsage?) {
        metrics.recordRequest(team: record.team, provider: record.provider, model: record.model, status: record.status,
                              httpStatus: record.httpStatus, usage: usage, cost: record.cost, baselineCost: record.baselineCost,
                              latencySeconds: record.latencyMs / 1000, ttftSeconds: record.ttftMs.map { $0 / 1000 },
                              endpoint: format.endpoint)
        telemetry.record(record)
    }
}

extension TelemetryRecord {
    /// Where the call ended up and how it got there.
    mutating func note<T>(_ outcome: FailoverCaller.Outcome<T>) {
        attempts = outcome.attempts
        if case .success(let (route, _)) = outcome.result {
            provider = route.provider.name
            model = route.model
            if outcome.failedOver {
                status = .failover
                errorKind = outcome.firstErrorKind
                routeReason += " failover:\(outcome.firstErrorKind)→\(route.key)"
            }
        }
    }

    mutating func apply(usage: TokenUsage, cost: Money) {
        inputTokens = usage.inputTokens
        cachedInputTokens = usage.cachedInputTokens
        outputTokens = usage.outputTokens
        estimated = usage.estimated
        self.cost = cost
        baselineCost = cost
    }
}

extension ContinuousClock.Instant {
    var elapsedSeconds: Double {
        let d = ContinuousClock.now - self
        let (s, atto) = d.components
        return Double(s) + Double(atto) / 1e18
    }
}

