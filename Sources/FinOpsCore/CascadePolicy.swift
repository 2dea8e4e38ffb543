import Foundation

/// When a cascade should give up on a cheap model's answer and ask the next tier: the call
/// failed, the answer is empty or cut off, the model refused, or it says it is unsure.
/// Pure text checks on the answer the gateway already has: no second model call to judge it.
///
/// Cascades never step down: `nextStep` only returns a later candidate of a strictly higher
/// tier, so a misordered candidate list cannot send a request back to a weaker model.
public struct CascadePolicy: Sendable, Equatable {
    public enum StepUpReason: Sendable, Equatable, CustomStringConvertible {
        case failure(String)
        case empty
        case truncated
        case refusal(String)
        case lowConfidence(String)

        /// Phrase used in the route reason: `cascade:step-up after refusal`.
        public var description: String {
            switch self {
            case .failure(let kind): "failure (\(kind))"
            case .empty: "empty answer"
            case .truncated: "truncated answer"
            case .refusal: "refusal"
            case .lowConfidence: "low confidence"
            }
        }
    }

    /// Lower-case phrases that mark a refusal when they appear near the start of an answer.
    public var refusalPhrases: [String]
    /// Lower-case phrases that mark an answer its own model does not trust.
    public var lowConfidencePhrases: [String]
    /// Only this many leading characters are searched: refusals and hedges come first, and a
    /// long good answer that quotes "I'm not sure" on page three must not be re-bought.
    public var searchPrefix: Int

    public init(refusalPhrases: [String] = Self.defaultRefusals,
                lowConfidencePhrases: [String] = Self.defaultLowConfidence, searchPrefix: Int = 400) {
        self.refusalPhrases = refusalPhrases.map { $0.lowercased() }
        self.lowConfidencePhrases = lowConfidencePhrases.map { $0.lowercased() }
        self.searchPrefix = searchPrefix
    }

    public static let defaultRefusals = [
        "i can't help with", "i cannot help with", "i can't assist", "i cannot assist", "i'm unable to",
        "i am unable to", "i'm not able to", "i am not able to", "i won't be able to", "as an ai language model",
        "i cannot provide", "i can't provide", "i must decline", "i'm sorry, but i can", "i apologize, but i can",
    ]
    public static let defaultLowConfidence = [
        "i'm not sure", "i am not sure", "i'm not certain", "i am not certain", "i don't know",
        "i do not know", "i may be wrong", "i might be wrong", "i'm not confident", "it is unclear to me",
        "i cannot be certain", "i can't be certain", "i'm guessing", "my best guess",
    ]

    /// Why the answer should go one tier up, or nil to keep it.
    /// - Parameters:
    ///   - answer: the assistant text (all choices' text for n > 1 is fine).
    ///   - finishReason: OpenAI `finish_reason` or Anthropic `stop_reason`.
    ///   - hasToolCalls: the answer is a tool call, so empty text is expected.
    ///   - failureKind: set when the call itself failed (provider error kind).
    public func shouldStepUp(answer: String, finishReason: String?, hasToolCalls: Bool = false,
                             failureKind: String? = nil) -> StepUpReason? {
        if let failureKind { return .failure(failureKind) }
        switch finishReason {
        case "length", "max_tokens": return .truncated
        case "content_filter", "refusal": return .refusal(finishReason ?? "")
        default: break
        }
        if hasToolCalls { return nil }
        if answer.allSatisfy(\.isWhitespace) { return .empty }
        // Curly apostrophes are common in model output; compare with straight ones.
        let head = String(answer.prefix(searchPrefix)).lowercased().replacingOccurrences(of: "\u{2019}", with: "'")
        if let phrase = refusalPhrases.first(where: head.contains) { return .refusal(phrase) }
        if let phrase = lowConfidencePhrases.first(where: head.contains) { return .lowConfidence(phrase) }
        return nil
    }

    /// Index of the candidate to try after `index`: the next one whose tier is strictly higher
    /// than the current one's; nil when there is none (the cascade keeps the answer it has).
    public static func nextStep(after index: Int, in candidates: [String], catalog: PricingCatalog) -> Int? {
        guard candidates.indices.contains(index), let current = catalog.price(for: candidates[index])?.tier else { return nil }
        return candidates.indices.first { $0 > index && (catalog.price(for: candidates[$0])?.tier ?? .small) > current }
    }

    /// The route reason after stepping up: `cascade:step-up after refusal→tier=medium`.
    public static func routeReason(after reason: StepUpReason, to tier: ModelTier) -> String {
        "cascade:step-up after \(reason)→tier=\(tier.rawValue)"
    }
}
