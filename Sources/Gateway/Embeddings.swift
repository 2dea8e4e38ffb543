import FinOpsCore
import Foundation
import HTTPServer
import Logging
import Observability
import Upstream

/// `POST /v1/embeddings` (OpenAI format): validated, routed with failover like chat, priced at
/// the model's input price, recorded.
struct Embeddings: Sendable {
    let registry: ModelRegistry
    let caller: FailoverCaller
    let telemetry: TelemetrySink
    let metrics: RouterMetrics
    let logger: Logger
    let org: String
    let defaultTeam: String
    let gate: RequestGate

    func handle(_ request: HTTPRequest) async -> HTTPResponse {
        let started = ContinuousClock.now
        let requestID = RequestID.from(request)
        let who = RequestAttribution(request: request, defaultTeam: defaultTeam)
        var record = TelemetryRecord(requestID: requestID, org: org, attribution: who)
        let identity: RequestGate.Identity
        switch await gate.authenticate(request, attribution: who, org: org) {
        case .failure(let rejection):
            return rejection.answer(record: &record, started: started, metrics: metrics, telemetry: telemetry,
                                    logger: logger, format: OpenAIChatFormat())
        case .success(let verified):
            record.apply(verified)
            identity = verified
        }
        func refuse(_ status: Int, _ code: String, _ message: String) -> HTTPResponse {
            metrics.recordRejected(reason: code, httpStatus: status)
            record.status = .error
            record.errorKind = code
            record.httpStatus = status
            record.latencyMs = started.elapsedSeconds * 1000
            telemetry.record(record)
            return .error(status, type: "invalid_request_error", code: code, message: message, headers: [("X-Request-Id", requestID)])
        }
        guard let body = try? JSONParser.parse(request.body), case .object = body else {
            return refuse(400, "invalid_json", "The request body must be a JSON object.")
        }
        guard let model = body["model"]?.stringValue, !model.isEmpty else {
            return refuse(400, "missing_required_parameter", "Missing required parameter: 'model'.")
        }
        record.requestedModel = model
        if let key = identity.key, !key.allows(model: model) {
            return refuse(403, "model_not_allowed", "The key \(key.id) may not use '\(model)'.")
        }
        let inputs: [String]
        if let one = body["input"]?.stringValue {
            inputs = [one]
        } else if let many = body["input"]?.arrayValue, !many.isEmpty, many.allSatisfy({ $0.stringValue != nil }) {
            inputs = many.compactMap(\.stringValue)
        } else {
            return refuse(400, "invalid_type", "'input' must be a non-empty string or a non-empty array of strings.")
        }
        guard let chain = registry.embeddingChain(for: model) else {
            let known = registry.chain(for: model) != nil
            return refuse(known ? 400 : 404, known ? "unsupported_model" : "model_not_found",
                          known ? "The model '\(model)' does not support embeddings on this router."
                                : "The model '\(model)' does not exist on this router.")
        }
        record.provider = chain[0].provider.name
        record.model = chain[0].model
        record.baselineModel = chain[0].model
        record.routeReason = "fixed:requested"
        let ticket: RequestGate.Ticket
        switch await gate.reserveEmbeddings(identity, inputs: inputs, chain: chain, record: &record) {
        case .failure(let rejection):
            return rejection.answer(record: &record, started: started, metrics: metrics, telemetry: telemetry,
                                    logger: logger, format: OpenAIChatFormat())
        case .success(let t): ticket = t
        }
        let call = EmbeddingCall(requestID: requestID, model: model, request: body, inputs: inputs)
        let outcome = await caller.run(chain) { route throws(ProviderError) in
            guard let provider = route.provider as? any EmbeddingProvider else {
                throw ProviderError(provider: route.provider.name, kind: .badRequest, message: "provider cannot embed")
            }
            var routed = call
            routed.model = route.model
            return try await provider.embed(routed)
        }
        record.note(outcome)
        record.latencyMs = started.elapsedSeconds * 1000
        switch outcome.result {
        case .success(let (route, result)):
            let tokens = result.inputTokens ?? inputs.reduce(0) { $0 + CostCalculator.estimateTokens(text: $1) }
            let usage = TokenUsage(inputTokens: tokens, estimated: result.inputTokens == nil)
            record.apply(usage: usage, cost: CostCalculator.cost(of: usage, at: route.price))
            await gate.complete(ticket, cost: record.cost, usage: usage)
            metrics.recordRequest(team: record.team, provider: route.provider.name, model: route.model, status: record.status,
                                  httpStatus: 200, usage: usage, cost: record.cost, baselineCost: record.baselineCost,
                                  latencySeconds: record.latencyMs / 1000, ttftSeconds: nil,
                                  endpoint: "embeddings")
            telemetry.record(record)
            return .json(200, result.body, headers: [
                ("X-Request-Id", requestID), ("X-FinOps-Provider", route.provider.name), ("X-FinOps-Model", route.model),
                ("X-FinOps-Cost-USD", record.cost.decimalString), ("X-FinOps-Route-Reason", record.routeReason),
            ] + ticket.headers)
        case .failure(let error):
            await gate.complete(ticket, cost: .zero, usage: .zero)
            record.status = .error
            record.errorKind = error.kind.rawValue
            record.httpStatus = error.clientStatus
            metrics.recordRequest(team: record.team, provider: error.provider, model: model, status: .error, httpStatus: error.clientStatus,
                                  usage: nil, cost: .zero, latencySeconds: record.latencyMs / 1000, ttftSeconds: nil, endpoint: "embeddings")
            telemetry.record(record)
            return .error(error.clientStatus, type: "upstream_error", code: error.kind.rawValue, message: error.message,
                          headers: [("X-Request-Id", requestID)])
        }
    }
}
