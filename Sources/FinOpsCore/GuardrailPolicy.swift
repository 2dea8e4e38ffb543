/// What to do with one kind of PII found in a prompt.
public enum PIIAction: String, Sendable, Codable, CaseIterable {
    /// Replace the value with `[REDACTED_<KIND>]` before the provider sees it.
    case redact
    /// Refuse the request (400 `pii_detected`, naming the kinds, never the values).
    case block
    /// Let it through; count and record the violation.
    case log
    case off
}

/// Per-request checks run before any budget is touched: PII handling, a cap on the estimated
/// prompt cost, and a cap on output tokens. A team's policy replaces the default one whole.
public struct GuardrailPolicy: Sendable, Equatable {
    public var pii: [PIIKind: PIIAction] = [:]
    /// Refuse requests whose estimated cost (prompt plus max output) exceeds this.
    public var maxPromptCost: Money?
    /// Refuse `max_tokens` above this; requests without one get it set to this.
    public var maxTokens: Int?

    public init(pii: [PIIKind: PIIAction] = [:], maxPromptCost: Money? = nil, maxTokens: Int? = nil) {
        self.pii = pii
        self.maxPromptCost = maxPromptCost
        self.maxTokens = maxTokens
    }

    public func action(for kind: PIIKind) -> PIIAction { pii[kind] ?? .off }

    /// Kinds that need scanning at all.
    public var scannedKinds: Set<PIIKind> { Set(pii.filter { $0.value != .off }.keys) }

    public var isEmpty: Bool { scannedKinds.isEmpty && maxPromptCost == nil && maxTokens == nil }
}
