import Foundation

/// Outcome of one call, as stored in `llm_requests.status`.
public enum RequestStatus: String, Sendable, Codable, CaseIterable {
    case ok, error, failover, cacheHit = "cache_hit", blocked
}

/// One row of `llm_requests`: everything the spend record, the dashboard and the alerts need
/// about a single call. Built by the gateway, written by the telemetry writer.
public struct TelemetryRecord: Sendable, Equatable, Codable {
    public var time: Date
    public var requestID: String
    public var org: String
    public var team: String
    public var user: String
    public var keyID: String
    public var useCase: String
    public var strategy: String
    public var routeReason: String
    public var requestedModel: String
    public var provider: String
    public var model: String
    public var baselineModel: String
    public var inputTokens: Int
    public var cachedInputTokens: Int
    public var outputTokens: Int
    public var cost: Money
    public var baselineCost: Money
    /// True when the provider returned no usage and tokens were estimated from text.
    public var estimated: Bool
    public var latencyMs: Double
    /// Time to first token for streamed responses; nil otherwise.
    public var ttftMs: Double?
    public var status: RequestStatus
    /// Machine-readable error class (`upstream_timeout`, `bad_request`, ...); empty when ok.
    public var errorKind: String
    /// HTTP status returned to the client.
    public var httpStatus: Int
    /// Providers tried in order, e.g. `["openai:gpt-4o-mini"]`.
    public var attempts: [String]
    /// `exact`, `semantic` or `miss`.
    public var cache: String
    public var complexity: Int?
    public var streamed: Bool
    public var outcome: String?
    /// True when the state store was unreachable and budgets were checked only against this
    /// replica's local ledger (fail-open).
    public var budgetUnchecked: Bool = false

    public init(
        time: Date, requestID: String, org: String = "default", team: String = "default",
        user: String = "", keyID: String = "", useCase: String = "", strategy: String = "fixed",
        routeReason: String = "", requestedModel: String, provider: String = "", model: String = "",
        baselineModel: String = "", inputTokens: Int = 0, cachedInputTokens: Int = 0,
        outputTokens: Int = 0, cost: Money = .zero, baselineCost: Money = .zero, estimated: Bool = false,
        latencyMs: Double = 0, ttftMs: Double? = nil, status: RequestStatus = .ok, errorKind: String = "",
        httpStatus: Int = 200, attempts: [String] = [], cache: String = "miss", complexity: Int? = nil,
        streamed: Bool = false, outcome: String? = nil
    ) {
        self.time = time; self.requestID = requestID; self.org = org; self.team = team
        self.user = user; self.keyID = keyID; self.useCase = useCase; self.strategy = strategy
        self.routeReason = routeReason; self.requestedModel = requestedModel; self.provider = provider
        self.model = model; self.baselineModel = baselineModel; self.inputTokens = inputTokens
        self.cachedInputTokens = cachedInputTokens; self.outputTokens = outputTokens; self.cost = cost
        self.baselineCost = baselineCost; self.estimated = estimated; self.latencyMs = latencyMs
        self.ttftMs = ttftMs; self.status = status; self.errorKind = errorKind; self.httpStatus = httpStatus
        self.attempts = attempts; self.cache = cache; self.complexity = complexity
        self.streamed = streamed; self.outcome = outcome
    }
}
