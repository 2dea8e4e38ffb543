import FinOpsCore
import Foundation

/// A deterministic fake provider: the same prompt gives the same answer and usage, with
/// log-normal latency, streaming, injected errors and outage windows. It lets the router run,
/// demo and be tested with no key and no network.
public struct SimulatorProvider: ChatProvider {
    public let name: String
    let settings: RouterConfig.Simulator
    /// Seconds since the simulator started (outage windows are relative to it).
    let uptime: @Sendable () -> Double
    let sleep: @Sendable (Duration) async throws -> Void

    public init(name: String = "simulator", settings: RouterConfig.Simulator,
                uptime: @escaping @Sendable () -> Double,
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }) {
        self.name = name
        self.settings = settings
        self.uptime = uptime
        self.sleep = sleep
    }

    struct Plan {
        var usage: TokenUsage
        var words: [String]
        var firstToken: Duration
        var perToken: Duration
        var finishReason: String
    }

    func plan(_ call: ChatCall) throws(ProviderError) -> Plan {
        let prompt = Self.promptText(call.request)
        var rng = SplitMix64(seed: settings.seed ^ Self.fnv1a(call.model + "\u{0}" + prompt))
        let now = uptime()
        for outage in settings.outages where outage.model == nil || outage.model == call.model {
            if now >= outage.startAfterSeconds, now < outage.startAfterSeconds + outage.durationSeconds {
                throw ProviderError(provider: name, kind: .unavailable, upstreamStatus: 503,
                                    message: "simulated outage of \(call.model)")
            }
        }
        let roll = rng.nextUnit()
        if roll < settings.errorRate {
            throw ProviderError(provider: name, kind: .unavailable, upstreamStatus: 500, message: "simulated server error")
        }
        if roll < settings.errorRate + settings.rateLimitRate {
            throw ProviderError(provider: name, kind: .rateLimited, upstreamStatus: 429,
                                message: "simulated rate limit", retryAfter: 1)
        }
        let messages = call.request["messages"]?.arrayValue?.count ?? 1
        let promptTokens = CostCalculator.estimateTokens(text: prompt) + 3 * messages + 3
        var outputTokens = 16 + Int(rng.next() % 240) + min(400, promptTokens / 4)
        var finish = "stop"
        if let limit = call.request["max_completion_tokens"]?.intValue ?? call.request["max_tokens"]?.intValue,
           limit > 0, limit < outputTokens {
            outputTokens = limit
            finish = "length"
        }
        // The simulated reply has one word per token, so usage matches the visible text.
        let words = (0..<outputTokens).map { _ in Self.vocabulary[Int(rng.next() % UInt64(Self.vocabulary.count))] }
        let sigma = log(max(settings.latencyP95Ms, settings.latencyMedianMs) / max(settings.latencyMedianMs, 0.001)) / 1.645
        let ttftMs = settings.latencyMedianMs <= 0 ? 0 : settings.latencyMedianMs * exp(sigma * rng.nextGaussian())
        let perTokenMs = settings.tokensPerSecond > 0 ? 1000 / settings.tokensPerSecond : 0
        return Plan(usage: TokenUsage(inputTokens: promptTokens, outputTokens: outputTokens), words: words,
                    firstToken: .microseconds(Int64(ttftMs * 1000)),
                    perToken: settings.latencyMedianMs <= 0 ? .zero : .microseconds(Int64(perTokenMs * 1000)),
                    finishReason: finish)
    }

    public func complete(_ call: ChatCall) async throws(ProviderError) -> ChatResult {
        let plan = try plan(call)
        try await pause(plan.firstToken + plan.perToken * plan.words.count)
        let text = plan.words.joined(separator: " ")
        let body: JSONValue = .object([
            ("id", .string("chatcmpl-sim-\(call.requestID)")),
            ("object", .string("chat.completion")),
            ("created", .int(Int(Date().timeIntervalSince1970))),
            ("model", .string(call.model)),
            ("choices", .array([.object([
                ("index", .int(0)),
                ("message", .object([("role", .string("assistant")), ("content", .string(text))])),
                ("finish_reason", .string(plan.finishReason)),
            ])])),
            ("usage", Self.usageJSON(plan.usage)),
            ("system_fingerprint", .string("finops-simulator")),
        ])
        return ChatResult(body: body.serialized(), usage: plan.usage, text: text, finishReason: plan.finishReason)
    }

    public func stream(_ call: ChatCall) async throws(ProviderError) -> ChatEventStream {
        let plan = try plan(call)
        try await pause(plan.firstToken)
        let id = "chatcmpl-sim-\(call.requestID)"
        let created = Int(Date().timeIntervalSince1970)
        func chunk(_ delta: JSONValue, finish: String?) -> JSONValue {
            .object([
                ("id", .string(id)), ("object", .string("chat.completion.chunk")), ("created", .int(created)),
                ("model", .string(call.model)),
                ("choices", .array([.object([("index", .int(0)), ("delta", delta),
                                             ("finish_reason", finish.map { .string($0) } ?? .null)])])),
            ])
        }
        var events: [ChatStreamEvent] = [.chunk(chunk(.object([("role", .string("assistant")), ("content", .string(""))]), finish: nil))]
        let pieces = stride(from: 0, to: plan.words.count, by: 8).map {
            plan.words[$0..<min($0 + 8, plan.words.count)].joined(separator: " ") + ($0 + 8 < plan.words.count ? " " : "")
        }
        for piece in pieces { events.append(.chunk(chunk(.object([("content", .string(piece))]), finish: nil))) }
        events.append(.chunk(chunk(.object([]), finish: plan.finishReason)))
        events.append(.usage(plan.usage))
        let state = SimulatedStream(events: events, gap: plan.perToken * 8, sleep: sleep)
        return AsyncThrowingStream(unfolding: { try await state.next() })
    }

    private func pause(_ d: Duration) async throws(ProviderError) {
        guard d > .zero else { return }
        do { try await sleep(d) } catch {
            throw ProviderError(provider: name, kind: .cancelled, message: "request cancelled")
        }
    }

    static func usageJSON(_ u: TokenUsage) -> JSONValue {
        .object([("prompt_tokens", .int(u.inputTokens)), ("completion_tokens", .int(u.outputTokens)),
                 ("total_tokens", .int(u.inputTokens + u.outputTokens))])
    }

    static func promptText(_ request: JSONValue) -> String {
        var parts: [String] = []
        for message in request["messages"]?.arrayValue ?? [] {
            if let s = message["content"]?.stringValue { parts.append(s) }
            for part in message["content"]?.arrayValue ?? [] {
                if let s = part["text"]?.stringValue { parts.append(s) }
            }
        }
        return parts.joined(separator: "\n")
    }

    static func fnv1a(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return h
    }

    static let vocabulary = [
        "the", "cost", "model", "router", "budget", "token", "answer", "team", "latency", "provider",
        "savings", "request", "cache", "policy", "forecast", "spend", "quality", "cheaper", "faster", "result",
    ]
}

/// Emits pre-planned stream events with the simulated gap between chunks.
private final class SimulatedStream: @unchecked Sendable {
    private var events: [ChatStreamEvent]
    private var index = 0
    private let gap: Duration
    private let sleep: @Sendable (Duration) async throws -> Void

    init(events: [ChatStreamEvent], gap: Duration, sleep: @escaping @Sendable (Duration) async throws -> Void) {
        self.events = events
        self.gap = gap
        self.sleep = sleep
    }

    func next() async throws -> ChatStreamEvent? {
        guard index < events.count else { return nil }
        if index > 1, gap > .zero { try await sleep(gap) }
        defer { index += 1 }
        return events[index]
    }
}

/// Small, fast, seedable generator so simulated answers are reproducible.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
    mutating func nextUnit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func nextGaussian() -> Double {
        let u1 = max(nextUnit(), 1e-12), u2 = nextUnit()
        return sqrt(-2 * log(u1)) * cos(2 * .pi * u2)
    }
}
