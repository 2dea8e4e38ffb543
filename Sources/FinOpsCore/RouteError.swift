/// Why no route exists for a request. The message is safe to return to the client: it names
/// models, tiers and policy keys, never prompt text.
public struct RouteError: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Code: String, Sendable {
        /// `router/<name>` or the strategy header names no strategy.
        case unknownStrategy = "unknown_strategy"
        /// The named model is not in the pricing catalog or not served.
        case modelNotFound = "model_not_found"
        /// The team's policy blocks the named model or its provider.
        case modelNotAllowed = "model_not_allowed"
        /// Every model is excluded (policy, tier floor, context window).
        case noEligibleModel = "no_eligible_model"
        /// Even the cheapest eligible model would cost more than the policy's per-request cap.
        case overCostCap = "over_cost_cap"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The HTTP status the gateway should answer with.
    public var httpStatus: Int {
        switch code {
        case .unknownStrategy: 400
        case .modelNotFound: 404
        case .modelNotAllowed: 403
        case .noEligibleModel: 422
        case .overCostCap: 402
        }
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
