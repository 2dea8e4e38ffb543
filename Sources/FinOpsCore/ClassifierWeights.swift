import Foundation

/// A weights file that does not fit this build's feature set.
public struct ClassifierWeightsError: Error, CustomStringConvertible, Equatable, Sendable {
    public var reason: String
    public var description: String { "classifier weights: \(reason)" }
}

/// What scripts/train_classifier.py fits: a logistic regression over `PromptFeatures` plus a
/// vocabulary of word weights, the keyword groups those features count, and the logit cut
/// points that turn a score into a 1–10 complexity (deciles of the MT-Bench chat prompts).
///
/// File format (config/classifier-weights.json, embedded as `DefaultClassifierWeights`):
///
///     {"version": 2, "intercept": -0.22, "label": "...", "l2_dense": 1, "l2_vocabulary": 10,
///      "features": [{"name": "log_chars", "weight": 0.06, "source": "fit"}, ...],
///      "keyword_groups": {"code": ["api", "bug", ...], ...},
///      "vocabulary": {"defendant": 0.0123, ...},
///      "complexity_cutpoints": [9 ascending logits],
///      "fixtures": [{"prompt": "hi", "logit": -3.1, "max_tokens": 2048, ...}]}
///
/// The logit is `intercept + Σ weight·feature + (Σ weights of the prompt's words) / √words`.
///
/// Feature names must match `PromptFeatures.names` in order: a file from another version of the
/// feature code would silently score garbage, so it is rejected instead.
public struct ClassifierWeights: Sendable, Equatable {
    public var intercept: Double
    /// One weight per `PromptFeatures.names` entry, in that order.
    public var weights: [Double]
    public var keywordGroups: [String: [String]]
    /// Lower-case single words and their logit weights (32-bit floats, as fitted).
    public var vocabulary: [String: Float]
    public var complexityCutpoints: [Double]
    /// Prompts the training script scored, with its logit: the Swift port must reproduce them.
    public var fixtures: [Fixture]
    /// What "needs the strong model" meant when fitting, for `route --explain`.
    public var label: String

    public struct Fixture: Sendable, Equatable, Codable {
        public var prompt: String
        public var logit: Double
        public var maxTokens: Int?
        public var turns: Int?
        public var system: Bool?
        public var tools: Bool?

        enum CodingKeys: String, CodingKey {
            case prompt, logit, turns, system, tools
            case maxTokens = "max_tokens"
        }

        /// The classifier input the script built for this fixture.
        public var input: ClassifierInput {
            ClassifierInput(texts: [prompt], userTurns: turns ?? 1, hasSystemPrompt: system ?? false,
                            maxTokens: maxTokens, hasTools: tools ?? false)
        }
    }

    private struct File: Decodable {
        struct Feature: Decodable { var name: String; var weight: Double }
        var version: Int
        var intercept: Double
        var label: String
        var features: [Feature]
        var keyword_groups: [String: [String]]
        var vocabulary: [String: Double]
        var complexity_cutpoints: [Double]
        var fixtures: [Fixture]
    }

    public static func decode(json: Data) throws -> ClassifierWeights {
        let file: File
        do { file = try JSONDecoder().decode(File.self, from: json) } catch {
            throw ClassifierWeightsError(reason: "not a weights file: \(error)")
        }
        guard file.version == 2 else { throw ClassifierWeightsError(reason: "unsupported version \(file.version) (expected 2)") }
        let names = file.features.map(\.name)
        guard names == PromptFeatures.names else {
            throw ClassifierWeightsError(reason: "features \(names) do not match this build's \(PromptFeatures.names)")
        }
        guard Set(file.keyword_groups.keys) == Set(PromptFeatures.keywordGroups) else {
            throw ClassifierWeightsError(reason: "keyword groups \(file.keyword_groups.keys.sorted()) do not match the kw_ features")
        }
        for (group, words) in file.keyword_groups {
            for word in words where word != word.lowercased() || word.split(separator: " ").count > 2 || word.isEmpty {
                throw ClassifierWeightsError(reason: "keyword \"\(word)\" in group \(group) must be one or two lower-case words")
            }
        }
        let cuts = file.complexity_cutpoints
        guard cuts.count == 9, zip(cuts, cuts.dropFirst()).allSatisfy({ $0 <= $1 }) else {
            throw ClassifierWeightsError(reason: "complexity_cutpoints must be 9 ascending numbers")
        }
        guard ([file.intercept] + file.features.map(\.weight) + cuts + file.vocabulary.values).allSatisfy(\.isFinite) else {
            throw ClassifierWeightsError(reason: "weights and cut points must be finite")
        }
        var vocabulary: [String: Float] = [:]
        for (word, weight) in file.vocabulary {
            guard !word.isEmpty, word.utf8.allSatisfy({ PromptScan.table[Int($0)] & PromptScan.word != 0 && !($0 >= 0x41 && $0 <= 0x5A) }) else {
                throw ClassifierWeightsError(reason: "vocabulary entry \"\(word)\" is not one lower-case word")
            }
            guard Double(Float(weight)) == weight else {
                throw ClassifierWeightsError(reason: "vocabulary weight of \"\(word)\" is not a 32-bit float")
            }
            vocabulary[word] = Float(weight)
        }
        return ClassifierWeights(intercept: file.intercept, weights: file.features.map(\.weight),
                                 keywordGroups: file.keyword_groups, vocabulary: vocabulary, complexityCutpoints: cuts,
                                 fixtures: file.fixtures, label: file.label)
    }

    /// The lexicon with groups in `kw_` feature order.
    public func lexicon() -> KeywordLexicon {
        KeywordLexicon(groups: PromptFeatures.keywordGroups.map { ($0, keywordGroups[$0] ?? []) }, vocabulary: vocabulary)
    }
}
