/// What the router needs to know about one request; the gateway builds it after parsing.
public struct RouteRequest: Sendable, Equatable {
    /// The `model` field as the client sent it, with aliases already resolved by the caller
    /// (`router/<strategy>` and `router` are left as they are).
    public var requestedModel: String
    /// The `X-FinOps-Strategy` header, if any.
    public var strategyHeader: String?
    /// The `X-FinOps-Use-Case` header, if any: selects the policy's tier floor.
    public var useCase: String?
    /// Text the team's rules are matched against (the gateway passes the latest user message).
    public var ruleText: String
    /// The classifier's verdict; auto routing without one falls back to the tier floor.
    public var score: ComplexityScore?
    /// Prompt size, e.g. `CostCalculator.estimateTokens(text:)` of the whole prompt.
    public var estimatedPromptTokens: Int
    /// `max_tokens` / `max_completion_tokens`, when the client set one.
    public var maxOutputTokens: Int?

    public init(requestedModel: String, strategyHeader: String? = nil, useCase: String? = nil,
                ruleText: String = "", score: ComplexityScore? = nil,
                estimatedPromptTokens: Int = 0, maxOutputTokens: Int? = nil) {
        self.requestedModel = requestedModel
        self.strategyHeader = strategyHeader
        self.useCase = useCase
        self.ruleText = ruleText
        self.score = score
        self.estimatedPromptTokens = estimatedPromptTokens
        self.maxOutputTokens = maxOutputTokens
    }
}
