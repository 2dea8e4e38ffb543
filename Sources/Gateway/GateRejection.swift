import FinOpsCore
import HTTPServer

/// A request refused by the spend controls (auth, guardrails, budgets, rate limits), with the
/// machine-readable details clients need, written in the endpoint's own error format.
struct GateRejection: Error, Sendable {
    var status: Int
    var type: String
    var code: String
    var message: String
    var headers: [(name: String, value: String)] = []
    /// Extra fields inside the error object (`budget`, `rate_limit`, `violations`).
    var details: [(String, JSONValue)] = []

    func response(_ format: any ResponseFormat, requestID: String) -> HTTPResponse {
        var response = format.error(status, type: type, code: code, message: message,
                                    headers: [("X-Request-Id", requestID)] + headers)
        guard !details.isEmpty, case .bytes(let bytes) = response.body,
              var body = try? JSONParser.parse(bytes), var error = body["error"] else { return response }
        for (key, value) in details { error.set(key, value) }
        body.set("error", error)
        response.body = .bytes(body.serialized())
        return response
    }

    static func budget(_ line: SpendGuard.Line, spent: Money, estimate: Money) -> GateRejection {
        let p = line.policy
        let who = p.scope == .org ? "Org" : p.scope == .team ? "Team" : p.scope == .user ? "User" : "Key"
        return GateRejection(
            status: 402, type: "budget_exceeded", code: "budget_exceeded",
            message: "\(who) '\(line.subject)' has spent $\(spent.decimalString) of its $\(p.limit.decimalString) \(p.period.rawValue) budget; "
                + "this request (estimated $\(estimate.decimalString)) would exceed it. The budget resets at \(line.window.resetISO8601).",
            details: [("budget", .object([
                ("scope", .string(p.scope.rawValue)), ("subject", .string(line.subject)), ("period", .string(p.period.rawValue)),
                ("limit_usd", .number(p.limit.decimalString)), ("spent_usd", .number(spent.decimalString)),
                ("estimated_cost_usd", .number(estimate.decimalString)), ("reset_at", .string(line.window.resetISO8601)),
            ]))])
    }

    static func rateLimited(_ limit: SpendGuard.Limit, _ d: GCRA.Decision) -> GateRejection {
        let retry = max(1, Int((d.retryAfterMs / 1000).rounded(.up)))
        let unit = limit.kind == "tokens" ? "tokens" : "requests"
        let perMinute = limit.check.limiter.limit
        let message = limit.check.cost > perMinute
            ? "This request needs an estimated \(limit.check.cost) tokens, more than the \(perMinute) tokens per minute allowed for \(limit.scope.rawValue) '\(limit.subject)'; lower max_tokens or the prompt."
            : "Rate limit of \(perMinute) \(unit) per minute for \(limit.scope.rawValue) '\(limit.subject)' reached; retry in \(retry) s."
        return GateRejection(
            status: 429, type: "rate_limit_error", code: "rate_limit_exceeded",
            message: message,
            headers: [("Retry-After", String(retry))] + RateLimitHeaders.headers(kind: limit.kind, limit: limit.check.limiter.limit, decision: d),
            details: [("rate_limit", .object([
                ("scope", .string(limit.scope.rawValue)), ("subject", .string(limit.subject)), ("kind", .string(unit)),
                ("limit_per_minute", .int(limit.check.limiter.limit)), ("retry_after_seconds", .int(retry)),
            ]))])
    }

    static func storeDown(_ line: SpendGuard.Line) -> GateRejection {
        GateRejection(
            status: 503, type: "service_unavailable", code: "budget_store_unavailable",
            message: "The shared budget store is unreachable and the \(line.policy.scope.rawValue) '\(line.subject)' budget is set to fail closed, "
                + "so no spend can be checked; retry shortly.",
            headers: [("Retry-After", "1")])
    }
}

/// `x-ratelimit-*` headers in OpenAI's spelling.
enum RateLimitHeaders {
    static func headers(kind: String, limit: Int, decision d: GCRA.Decision) -> [(name: String, value: String)] {
        let suffix = kind == "tokens" ? "tokens" : "requests"
        return [("x-ratelimit-limit-\(suffix)", String(limit)), ("x-ratelimit-remaining-\(suffix)", String(d.remaining)),
                ("x-ratelimit-reset-\(suffix)", String(format: "%.3fs", max(0, d.resetMs) / 1000))]
    }
}
