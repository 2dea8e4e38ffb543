import Foundation

/// The classifier's verdict on one request.
public struct ComplexityScore: Sendable, Equatable {
    /// 1 (trivial) … 10 (hardest tenth of the dev prompts).
    public var complexity: Int
    /// Probability that the small model gets this prompt wrong (the training label), 0…1.
    public var pStrong: Double
    /// The raw linear score, `intercept + Σ weight·feature`.
    public var logit: Double

    public init(complexity: Int, pStrong: Double, logit: Double) {
        self.complexity = complexity
        self.pStrong = pStrong
        self.logit = logit
    }
}

/// Scores how hard a request is, offline and in microseconds: a logistic regression over
/// `PromptFeatures` with weights fitted by scripts/train_classifier.py (no model call, no I/O).
///
/// Complexity is the logit's decile among the dev prompts, so "complexity ≤ 4" means "easier
/// than 60% of the exam-style prompts it was fitted on"; greetings and one-liners land at 1.
/// Build one at startup and share it: it is an immutable value.
public struct ComplexityClassifier: Sendable {
    public let weights: ClassifierWeights
    public let lexicon: KeywordLexicon

    public init(weights: ClassifierWeights = DefaultClassifierWeights.weights()) {
        self.weights = weights
        self.lexicon = weights.lexicon()
    }

    public func classify(_ input: ClassifierInput) -> ComplexityScore {
        score(PromptFeatures(input, lexicon: lexicon))
    }

    public func classify(prompt: String) -> ComplexityScore {
        classify(ClassifierInput(prompt: prompt))
    }

    /// The score of already-computed features (`route --explain` shows both).
    public func score(_ features: PromptFeatures) -> ComplexityScore {
        var logit = weights.intercept
        for (w, x) in zip(weights.weights, features.values) { logit += w * x }
        return ComplexityScore(complexity: complexity(logit: logit), pStrong: 1 / (1 + exp(-logit)), logit: logit)
    }

    /// 1 + the number of cut points the logit is above.
    public func complexity(logit: Double) -> Int {
        1 + weights.complexityCutpoints.reduce(0) { $0 + (logit > $1 ? 1 : 0) }
    }

    /// Each feature's contribution to the logit (weight × value), largest magnitude first,
    /// zero contributions left out: the "why" of `route --explain`.
    public func contributions(_ features: PromptFeatures) -> [(name: String, value: Double, contribution: Double)] {
        zip(PromptFeatures.names, zip(features.values, weights.weights))
            .map { (name: $0, value: $1.0, contribution: $1.0 * $1.1) }
            .filter { $0.contribution != 0 }
            .sorted { abs($0.contribution) > abs($1.contribution) }
    }
}
