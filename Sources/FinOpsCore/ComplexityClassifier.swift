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
/// `PromptFeatures` and a vocabulary of word weights, fitted by scripts/train_classifier.py
/// (no model call, no I/O).
///
/// Complexity is the logit's decile among the MT-Bench chat prompts, so "complexity ≤ 4" means
/// "easier than 60% of real chat requests"; greetings and one-liners land at 1.
/// Build one at startup and share it: it is an immutable value.
public struct ComplexityClassifier: Sendable {
    public let weights: ClassifierWeights
    public let lexicon: KeywordLexicon

    public init(weights: ClassifierWeights = DefaultClassifierWeights.weights()) {
        self.weights = weights
        self.lexicon = weights.lexicon()
    }

    /// The hot path: one scan, features on the stack, no heap allocation for a single-text input.
    public func classify(_ input: ClassifierInput) -> ComplexityScore {
        let scan = PromptFeatures.scan(input, lexicon)
        let logit = withUnsafeTemporaryAllocation(of: Double.self, capacity: PromptFeatures.count) { v in
            PromptFeatures.fill(v, scan, input)
            return weights.weights.withUnsafeBufferPointer { w in
                var sum = weights.intercept
                for i in 0..<PromptFeatures.count { sum += w[i] * v[i] }
                return sum + PromptFeatures.vocabularyTerm(scan)
            }
        }
        return score(logit: logit)
    }

    public func classify(prompt: String) -> ComplexityScore {
        classify(ClassifierInput(prompt: prompt))
    }

    /// The score of already-computed features (`route --explain` shows both).
    public func score(_ features: PromptFeatures) -> ComplexityScore {
        var logit = weights.intercept
        for (w, x) in zip(weights.weights, features.values) { logit += w * x }
        return score(logit: logit + features.vocabularyTerm)
    }

    private func score(logit: Double) -> ComplexityScore {
        ComplexityScore(complexity: complexity(logit: logit), pStrong: 1 / (1 + exp(-logit)), logit: logit)
    }

    /// 1 + the number of cut points the logit is above.
    public func complexity(logit: Double) -> Int {
        var level = 1
        for cut in weights.complexityCutpoints where logit > cut { level += 1 }
        return level
    }

    /// Each feature's contribution to the logit (weight × value), largest magnitude first,
    /// zero contributions left out: the "why" of `route --explain`. The words' weights count
    /// as one entry, `words`.
    public func contributions(_ features: PromptFeatures) -> [(name: String, value: Double, contribution: Double)] {
        (zip(PromptFeatures.names, zip(features.values, weights.weights))
            .map { (name: $0, value: $1.0, contribution: $1.0 * $1.1) }
            + [(name: "words", value: features.vocabularyTerm, contribution: features.vocabularyTerm)])
            .filter { $0.contribution != 0 }
            .sorted { abs($0.contribution) > abs($1.contribution) }
    }

    /// The prompt's words that carry a vocabulary weight, heaviest first, with their share
    /// of the logit (weight / √words, per occurrence): for `route --explain`.
    public func weightedWords(in text: String, limit: Int = 6) -> [(word: String, contribution: Double)] {
        var words: [String] = []
        var current: [UInt8] = []
        for c in text.utf8 {
            let l = PromptScan.lower(c)
            if (l >= 0x61 && l <= 0x7A) || (l >= 0x30 && l <= 0x39) || l == 0x5F || l >= 0x80 {
                current.append(l)
            } else if !current.isEmpty {
                words.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
            }
        }
        if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
        guard !words.isEmpty else { return [] }
        let scale = 1 / Double(words.count).squareRoot()
        var total: [String: Double] = [:]
        for w in words {
            let weight = Double(lexicon.weight(of: w))
            if weight != 0 { total[w, default: 0] += weight * scale }
        }
        return total.sorted { abs($0.value) != abs($1.value) ? abs($0.value) > abs($1.value) : $0.key < $1.key }
            .prefix(limit).map { (word: $0.key, contribution: $0.value) }
    }
}
