import ArgumentParser
import FinOpsCore
import Foundation
import Gateway

/// `finops-router route`: what the router would do with a prompt, and why.
struct RouteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route", abstract: "Show which model a prompt would be routed to (no call is made).")

    @OptionGroup var options: ConfigOptions

    @Flag(help: "Print the features, scores, candidates and exclusions behind the decision.")
    var explain = false

    @Option(help: "Team whose policy applies.")
    var team = "default"

    @Option(help: "Folder of team policy files (<team>.yaml).")
    var policies = "config/policies"

    @Option(help: "Requested model: router (team default), router/<strategy>, or a model name.")
    var model = "router"

    @Option(help: "Strategy header value (X-FinOps-Strategy).")
    var strategy: String?

    @Option(help: "Use case (X-FinOps-Use-Case), which selects the policy's minimum tier.")
    var useCase: String?

    @Option(help: "The request's max_tokens.")
    var maxTokens: Int?

    @Option(help: "Classifier weights file (default: the built-in config/classifier-weights.json).")
    var weights: String?

    @Argument(help: "The prompt.")
    var prompt: String

    func run() async throws {
        let (_, catalog) = try options.load()
        let policy = try PolicyLoader.loadDirectory(policies, catalog: catalog).policy(for: team)
        let classifier = try ComplexityClassifier.load(weights)
        let input = ClassifierInput(texts: [prompt], maxTokens: maxTokens)
        let features = PromptFeatures(input, lexicon: classifier.lexicon)
        let score = classifier.score(features)
        let request = RouteRequest(requestedModel: model, strategyHeader: strategy, useCase: useCase, ruleText: prompt,
                                   score: score, estimatedPromptTokens: CostCalculator.estimateTokens(text: prompt),
                                   maxOutputTokens: maxTokens)
        let planner = RoutePlanner(catalog: catalog)
        let decision: RouteDecision
        do { decision = try planner.plan(request, policy: policy) } catch {
            print("no route: \(error) (HTTP \(error.httpStatus))")
            throw ExitCode(1)
        }
        guard explain else {
            print("\(decision.primary)\t\(decision.routeReason)")
            return
        }
        let tokens = request.estimatedPromptTokens, output = maxTokens ?? policy.expectedOutputTokens
        func cost(_ model: String) -> String {
            catalog.price(for: model).map { CostCalculator.cost(inputTokens: tokens, outputTokens: output, at: $0).description } ?? "?"
        }
        print("team        \(team)\(policy.team == team ? "" : " (policy \(policy.team))"), default strategy \(policy.defaultStrategy)")
        print("request     model=\(model) strategy-header=\(strategy ?? "-") use-case=\(useCase ?? "-") ~\(tokens) prompt tokens, \(output) output tokens assumed")
        print("classifier  complexity \(score.complexity)/10, p_strong \(fmt(score.pStrong)), logit \(fmt(score.logit))")
        for c in classifier.contributions(features).prefix(8) {
            print("              \(c.name.padding(toLength: 16, withPad: " ", startingAt: 0)) value \(fmt(c.value))  → \(c.contribution >= 0 ? "+" : "")\(fmt(c.contribution))")
        }
        let hits = zip(PromptFeatures.keywordGroups, features.keywordHits).filter { $0.1 > 0 }.map { "\($0.0)=\($0.1)" }
        print("keywords    \(hits.isEmpty ? "none" : hits.joined(separator: ", "))")
        let words = classifier.weightedWords(in: prompt).map { "\($0.word) \($0.contribution >= 0 ? "+" : "")\(fmt($0.contribution))" }
        print("words       \(words.isEmpty ? "none in the vocabulary" : words.joined(separator: ", "))")
        print("strategy    \(decision.strategy)\(decision.ruleName.map { " (rule \($0) matched first)" } ?? "")")
        print("reason      \(decision.routeReason)")
        print("candidates")
        for (i, model) in decision.candidates.enumerated() {
            let p = catalog.price(for: model)
            print("  \(i + 1). \(model) (\(p?.tier.rawValue ?? "?"), \(p?.provider ?? "?")) est \(cost(model))\(i == 0 ? "  ← primary" : "")")
        }
        print("baseline    \(decision.baselineModel) est \(cost(decision.baselineModel))")
        if let failover = decision.failoverGroup { print("failover    group \(failover)") }
        if !decision.excluded.isEmpty {
            print("excluded")
            for e in decision.excluded { print("  - \(e.model): \(e.reason)") }
        }
    }

    private func fmt(_ x: Double) -> String { String(format: "%.3f", x) }
}

/// `finops-router classify`: score JSONL prompts offline.
struct ClassifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Score JSONL lines {\"id\", \"prompt\"} or {\"id\", \"messages\"}: complexity 1-10, score (p_strong), tier.")

    @Option(help: "Input JSONL file (default: standard input).")
    var input: String?

    @Option(help: "Output JSONL file (default: standard output).")
    var output: String?

    @Option(help: "Classifier weights file (default: the built-in config/classifier-weights.json).")
    var weights: String?

    func run() async throws {
        guard let source = input.map({ FileHandle(forReadingAtPath: $0) }) ?? FileHandle.standardInput else {
            throw ValidationError("cannot read \(input ?? "")")
        }
        let sink: FileHandle
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: nil), let handle = FileHandle(forWritingAtPath: output) else {
                throw ValidationError("cannot write \(output)")
            }
            sink = handle
        } else {
            sink = FileHandle.standardOutput
        }
        var scorer = JSONLScorer(classifier: try ComplexityClassifier.load(weights), tiers: AutoTierThresholds())
        var out: [UInt8] = []
        out.reserveCapacity(1 << 17)
        var pending: [UInt8] = []
        while let chunk = try source.read(upToCount: 1 << 20), !chunk.isEmpty {
            pending.append(contentsOf: chunk)
            var start = 0
            while let newline = pending[start...].firstIndex(of: 0x0A) {
                scorer.score(line: pending[start..<newline], into: &out)
                start = newline + 1
                if out.count >= 1 << 16 { sink.write(Data(out)); out.removeAll(keepingCapacity: true) }
            }
            pending.removeFirst(start)
        }
        if !pending.isEmpty { scorer.score(line: pending[...], into: &out) }
        sink.write(Data(out))
        if scorer.failures > 0 {
            FileHandle.standardError.write(Data("classify: \(scorer.failures) of \(scorer.lines) lines were not valid JSON objects (error lines written)\n".utf8))
            throw ExitCode(1)
        }
    }
}

extension ComplexityClassifier {
    /// The classifier with the weights in `path`, or the built-in ones when nil; a bad file is
    /// an error naming the file (a retrained weights file must match this build's features).
    static func load(_ path: String?) throws -> ComplexityClassifier {
        guard let path else { return ComplexityClassifier() }
        guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read \(path)") }
        do { return ComplexityClassifier(weights: try ClassifierWeights.decode(json: data)) } catch {
            throw ValidationError("\(path): \(error)")
        }
    }
}
