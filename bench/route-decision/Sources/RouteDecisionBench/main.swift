import FinOpsCore
import Foundation

// The routing work the gateway does per request (RoutingStage.decide): build the classifier
// input from the parsed chat body (system + user message), score it, estimate the prompt's
// tokens, and plan the route under a policy with keyword and regex rules, matched against the
// user message. JSON parsing is not timed (the gateway parses the body once, before routing).
// Prints p50/p99 per decision, by prompt size, and classifier throughput. Prompts are
// synthetic (no dev data is copied here).

let catalog = DefaultPricing.catalog()
let classifier = ComplexityClassifier()
let planner = RoutePlanner(catalog: catalog)
var policy = TeamPolicy(team: "platform")
policy.defaultStrategy = .auto
policy.blockedProviders = ["ollama"]
policy.minTier = ["default": .small, "code-review": .medium]
policy.baselineModel = "gpt-4o"
policy.maxCostPerRequest = Money(usd: 0.25)
policy.rules = [
    RouteRule(name: "sql-keyword", match: .keywords(["sql", "select", "group by", "postgres"]), target: .tier(.medium)),
    try! RouteRule.regex(name: "schema-migration", pattern: "(?i)\\b(alter|create)\\s+table\\b", target: .model("gpt-4.1")),
]
if CommandLine.arguments.contains("--no-regex") { policy.rules.removeLast() }
if CommandLine.arguments.contains("--no-rules") { policy.rules = [] }
let stats = ["gpt-4o": ModelStats(ewmaLatencyMs: 800, samples: 50), "gpt-4.1": ModelStats(ewmaLatencyMs: 650, samples: 50)]

let words = ["explain", "the", "difference", "between", "a", "process", "and", "thread", "prove", "that", "x^2", "+", "1",
             "is", "never", "zero", "over", "reals", "write", "haiku", "about", "autumn", "contract", "liability", "why",
             "does", "this", "function", "return", "nil", "{", "}", "step", "by", "compute", "42", "patient", "dose"]
var rng = SystemRandomNumberGenerator()
let prompts: [String] = (0..<2_000).map { i in
    let n = [5, 20, 60, 150, 400][i % 5]
    return (0..<n).map { _ in words.randomElement(using: &rng)! }.joined(separator: " ") + (i % 3 == 0 ? "?" : ".")
}
// Chat bodies as the gateway sees them; every other one sets max_tokens.
let bodies: [JSONValue] = prompts.enumerated().map { i, prompt in
    var fields: [(String, JSONValue)] = [("model", .string("router")),
        ("messages", .array([.object([("role", .string("system")), ("content", .string("You are a helpful assistant."))]),
                             .object([("role", .string("user")), ("content", .string(prompt))])]))]
    if i % 2 == 0 { fields.append(("max_tokens", .int(1024))) }
    return .object(fields)
}
let strategies = ["router", "router/cost-first", "router/performance-first", "router/cascade"]

func micros(_ d: Duration) -> Double { Double(d.components.seconds) * 1e6 + Double(d.components.attoseconds) / 1e12 }
var classifyTimes: [Double] = [], planTimes: [Double] = [], totalTimes: [Double] = []
var bySize: [[Double]] = Array(repeating: [], count: 5)
var sink = 0
let rounds = CommandLine.arguments.firstIndex(of: "--rounds").flatMap { Int(CommandLine.arguments[$0 + 1]) } ?? 100
for round in 0..<rounds {
    for (i, prompt) in prompts.enumerated() {
        let body = bodies[i]
        let start = ContinuousClock.now
        let score = classifier.classify(ClassifierInput(body: body))
        let scored = ContinuousClock.now
        let request = RouteRequest(requestedModel: strategies[(i + round) % strategies.count], ruleText: prompt, score: score,
                                   estimatedPromptTokens: CostCalculator.estimateTokens(text: prompt), maxOutputTokens: 1024)
        let decision = try! planner.plan(request, policy: policy, stats: stats)
        let end = ContinuousClock.now
        sink &+= decision.candidates.count
        if round > 0 {
            classifyTimes.append(micros(scored - start))
            planTimes.append(micros(end - scored))
            totalTimes.append(micros(end - start))
            bySize[i % 5].append(micros(end - start))
        }
    }
}
func report(_ name: String, _ values: [Double]) {
    let v = values.sorted()
    func at(_ p: Double) -> String { String(format: "%.1f", v[min(v.count - 1, Int(Double(v.count) * p))]) }
    print("\(name.padding(toLength: 26, withPad: " ", startingAt: 0)) p50 \(at(0.5)) µs  p99 \(at(0.99)) µs  (\(v.count) samples)")
}
report("classify", classifyTimes)
report("plan (strategy + rules)", planTimes)
report("classify + plan", totalTimes)
for (k, words) in [5, 20, 60, 150, 400].enumerated() {
    let chars = prompts.enumerated().filter { $0.offset % 5 == k }.map(\.element.utf8.count).reduce(0, +) / (prompts.count / 5)
    report("  \(words) words (~\(chars) bytes)", bySize[k])
}

let started = ContinuousClock.now
var total = 0
for _ in 0..<20 { for prompt in prompts { total &+= classifier.classify(prompt: prompt).complexity } }
let elapsed = ContinuousClock.now - started
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
print(String(format: "classifier alone: %.0f prompts/s (mean %.0f chars)", Double(20 * prompts.count) / seconds,
             Double(prompts.map(\.count).reduce(0, +)) / Double(prompts.count)), sink > 0 && total > 0 ? "" : "!")
