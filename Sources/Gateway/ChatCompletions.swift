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
        var record = TelemetryRecord(time: Date(), requestID: requestID, org: org, team: attribution.team,
                                     user: attribution.user, useCase: attribution.useCase, strategy: "fixed",
                                     requestedModel: "", outcome: attribution.outcome)
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
        guard var candidates = registry.chain(for: parsed.model), let primary = candidates.first else {
            return reject(.init(status: 404, code: "model_not_found",
                                message: "The model '\(parsed.model)' does not exist on this router. GET /v1/models lists the available models."),
                          record: &record, started: started)
        }
        record.provider = primary.provider.name
        record.model = primary.model
        record.baselineModel = primary.model
        record.routeReason = primary.model == parsed.model ? "fixed:requested" : "fixed:\(parsed.model)→\(primary.model)"
        let ticket: RequestGate.Ticket
        switch await gate.admit(request, identity: identity, parsed: &parsed, chain: &candidates, record: &record) {
        case .reject(let rejection): return refuse(rejection, record: &record, started: started)
        case .cached(let hit, let t):
            await gate.complete(t, cost: .zero, usage: .zero)
            RequestGate.noteHit(hit, record: &record)
            record.latencyMs = started.elapsedSeconds * 1000
            finish(record, usage: nil)
            return CacheReplay.response(hit, format: format, parsed: parsed, requestID: requestID, headers: headers(record) + t.headers)
        case .proceed(let t): ticket = t
        }
        let chain = candidates
        let call = ChatCall(requestID: requestID, model: chain[0].model, request: parsed.body, stream: parsed.stream,
                            originalBody: parsed.original)

        if parsed.stream {
            return await stream(call, chain: chain, parsed: parsed, record: record, started: started, ticket: ticket)
        }
        let upstreamStart = ContinuousClock.now
        let caller = self.caller
        let work: @Sendable () async -> FailoverCaller.Outcome<ChatResult> = {
            await caller.run(chain) { route throws(ProviderError) in
                var routed = call
                routed.model = route.model
                return try await route.provider.complete(routed)
            }
        }
        let wantsDedup = dedupTeams.contains(attribution.team) || request.header("x-finops-dedup")?.lowercased() == "on"
        let (outcome, joined) = wantsDedup
            ? await dedup.run(.init(namespace: attribution.team + "\u{0}" + format.endpoint, body: parsed.original ?? parsed.body.serialized()), work)
            : (await work(), false)
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
            let cost = CostCalculator.cost(of: usage, at: route.price)
            record.apply(usage: usage, cost: cost)
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
                    case .chunk(let chunk):
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
        metrics.recordRequest(provider: record.provider, model: record.model, status: record.status,
                              httpStatus: record.httpStatus, usage: usage, cost: record.cost,
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

