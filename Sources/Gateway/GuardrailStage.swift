import FinOpsCore
import Observability

/// Applies a team's guardrail policy to a parsed chat request: PII is redacted in place,
/// blocked, or only logged; `max_tokens` is capped (and set when missing). Findings are
/// reported by kind only — the matched values never reach a log, a metric or an error.
enum GuardrailStage {
    struct Outcome: Sendable {
        /// kind → action taken, for the record and the route reason.
        var violations: [(PIIKind, PIIAction)] = []
    }

    static func apply(_ policy: GuardrailPolicy, to parsed: inout ParsedChatRequest, metrics: RouterMetrics) -> Result<Outcome, GateRejection> {
        var outcome = Outcome()
        let kinds = policy.scannedKinds
        if !kinds.isEmpty {
            var found = Set<PIIKind>()
            for message in parsed.body["messages"]?.arrayValue ?? [] {
                for text in texts(of: message) { found.formUnion(PIIDetector.scan(text, kinds: kinds).map(\.kind)) }
            }
            for kind in found.sorted() {
                let action = policy.action(for: kind)
                outcome.violations.append((kind, action))
                metrics.recordGuardrail(detector: kind.rawValue, action: action.rawValue)
            }
            let blocked = outcome.violations.filter { $0.1 == .block }.map(\.0.rawValue)
            if !blocked.isEmpty {
                return .failure(GateRejection(
                    status: 400, type: "invalid_request_error", code: "pii_detected",
                    message: "The prompt contains \(blocked.joined(separator: ", ")), which this team's guardrail policy blocks. Remove it and retry.",
                    details: [("violations", .array(blocked.map { .string($0) }))]))
            }
            let redact = Set(outcome.violations.filter { $0.1 == .redact }.map(\.0))
            if !redact.isEmpty { redactMessages(&parsed, kinds: redact) }
        }
        if let cap = policy.maxTokens {
            let asked = parsed.body["max_completion_tokens"]?.intValue ?? parsed.body["max_tokens"]?.intValue
            if let asked, asked > cap {
                metrics.recordGuardrail(detector: "max_tokens", action: "block")
                return .failure(GateRejection(status: 400, type: "invalid_request_error", code: "max_tokens_exceeded",
                                              message: "max_tokens \(asked) is above this team's limit of \(cap)."))
            }
            if asked == nil {
                parsed.body.set("max_tokens", .int(cap))
                parsed.original = nil
            }
        }
        return .success(outcome)
    }

    private static func texts(of message: JSONValue) -> [String] {
        if let s = message["content"]?.stringValue { return [s] }
        return (message["content"]?.arrayValue ?? []).compactMap { $0["text"]?.stringValue }
    }

    private static func redactMessages(_ parsed: inout ParsedChatRequest, kinds: Set<PIIKind>) {
        func clean(_ s: String) -> String { PIIDetector.redact(s, findings: PIIDetector.scan(s, kinds: kinds), kinds: kinds) }
        let messages = (parsed.body["messages"]?.arrayValue ?? []).map { message -> JSONValue in
            var m = message
            if let s = message["content"]?.stringValue {
                m.set("content", .string(clean(s)))
            } else if let parts = message["content"]?.arrayValue {
                m.set("content", .array(parts.map { part in
                    guard let t = part["text"]?.stringValue else { return part }
                    var p = part
                    p.set("text", .string(clean(t)))
                    return p
                }))
            }
            return m
        }
        parsed.body.set("messages", .array(messages))
        parsed.original = nil
        parsed.promptText = messages.flatMap(texts(of:)).joined(separator: "\n")
    }
}
