import FinOpsCore
@testable import Gateway
import Synchronization
import Upstream
import XCTest

/// A provider whose answers are scripted per call.
private final class ScriptedProvider: ChatProvider, @unchecked Sendable {
    let name: String
    private let script: Mutex<[ProviderError?]>
    let calls = Atomic<Int>(0)

    init(_ name: String, _ script: [ProviderError?]) {
        self.name = name
        self.script = Mutex(script)
    }

    func complete(_ call: ChatCall) async throws(ProviderError) -> ChatResult {
        calls.add(1, ordering: .relaxed)
        let next = script.withLock { $0.isEmpty ? nil : $0.removeFirst() }
        if let next { throw next }
        return ChatResult(body: Array("{}".utf8), usage: TokenUsage(inputTokens: 1, outputTokens: 1), text: "ok from \(name)")
    }

    func stream(_ call: ChatCall) async throws(ProviderError) -> ChatEventStream {
        throw ProviderError(provider: name, kind: .unavailable, message: "not scripted")
    }

    static func failure(_ name: String, _ kind: ProviderError.Kind, retryAfter: Double? = nil) -> ProviderError {
        ProviderError(provider: name, kind: kind, upstreamStatus: 503, message: "scripted \(kind.rawValue)", retryAfter: retryAfter)
    }
}

/// A clock the test moves by hand; sleeping advances it instead of waiting.
private final class ManualClock: @unchecked Sendable {
    let now = Mutex<Double>(0)
    let slept = Mutex<[Double]>([])
}

final class FailoverCallerTests: XCTestCase {
    private let price = ModelPrice(model: "gpt-4o", provider: "openai", inputPerMTok: Money(usd: 2.5), cachedInputPerMTok: Money(usd: 1.25), outputPerMTok: Money(usd: 10), tier: .medium)

    private func route(_ p: ScriptedProvider) -> ModelRoute { ModelRoute(provider: p, model: "gpt-4o", price: price) }

    private func caller(_ clock: ManualClock, retry: RetryPolicy = RetryPolicy(), breaker: CircuitBreaker.Settings = .init()) -> FailoverCaller {
        var c = FailoverCaller(breakers: BreakerBoard(settings: breaker, now: { clock.now.withLock { $0 } }), retry: retry, metrics: nil)
        c.sleep = { d in
            let s = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
            clock.slept.withLock { $0.append(s) }
            clock.now.withLock { $0 += s }
        }
        c.random = { 0.5 }
        return c
    }

    private func run(_ c: FailoverCaller, _ chain: [ModelRoute]) async -> FailoverCaller.Outcome<ChatResult> {
        let call = ChatCall(requestID: "r", model: "gpt-4o", request: .object([]), stream: false)
        return await c.run(chain) { route throws(ProviderError) in try await route.provider.complete(call) }
    }

    func testFailsOverInOrderOnServerErrors() async throws {
        let clock = ManualClock()
        let azure = ScriptedProvider("azure", [ScriptedProvider.failure("azure", .unavailable), ScriptedProvider.failure("azure", .unavailable)])
        let openai = ScriptedProvider("openai", [ScriptedProvider.failure("openai", .timeout), ScriptedProvider.failure("openai", .connect)])
        let anthropic = ScriptedProvider("anthropic", [])
        let outcome = await run(caller(clock), [route(azure), route(openai), route(anthropic)])
        let (served, result) = try outcome.result.get()
        XCTAssertEqual(served.provider.name, "anthropic")
        XCTAssertEqual(result.text, "ok from anthropic")
        XCTAssertTrue(outcome.failedOver)
        XCTAssertEqual(outcome.firstErrorKind, "upstream_unavailable")
        XCTAssertEqual(outcome.attempts, [
            "azure:gpt-4o:upstream_unavailable", "azure:gpt-4o:upstream_unavailable",
            "openai:gpt-4o:upstream_timeout", "openai:gpt-4o:upstream_connect", "anthropic:gpt-4o:ok",
        ])
        // One backoff per provider retried: full jitter of 0.1 s at random 0.5.
        XCTAssertEqual(clock.slept.withLock { $0 }, [0.05, 0.05])
    }

    func testNeverRetriesABadRequest() async {
        let clock = ManualClock()
        let a = ScriptedProvider("a", [ProviderError(provider: "a", kind: .badRequest, upstreamStatus: 400, message: "bad temperature")])
        let b = ScriptedProvider("b", [])
        let outcome = await run(caller(clock), [route(a), route(b)])
        guard case .failure(let error) = outcome.result else { return XCTFail("must fail") }
        XCTAssertEqual(error.kind, .badRequest)
        XCTAssertEqual(a.calls.load(ordering: .relaxed), 1)
        XCTAssertEqual(b.calls.load(ordering: .relaxed), 0)
    }

    func testHonoursRetryAfterThenMovesOnWhenTooLong() async throws {
        let clock = ManualClock()
        let a = ScriptedProvider("a", [ScriptedProvider.failure("a", .rateLimited, retryAfter: 3)])
        let outcome = await run(caller(clock), [route(a)])
        XCTAssertNoThrow(try outcome.result.get())
        XCTAssertEqual(clock.slept.withLock { $0 }, [3], "waited exactly Retry-After")

        let clock2 = ManualClock()
        let slow = ScriptedProvider("slow", [ScriptedProvider.failure("slow", .rateLimited, retryAfter: 60)])
        let backup = ScriptedProvider("backup", [])
        let outcome2 = await run(caller(clock2), [route(slow), route(backup)])
        XCTAssertEqual(try outcome2.result.get().0.provider.name, "backup")
        XCTAssertEqual(clock2.slept.withLock { $0 }, [], "a 60 s Retry-After is not waited for")
    }

    func testDeadlineBoundsRetries() async {
        let clock = ManualClock()
        var retry = RetryPolicy()
        retry.totalDeadline = 2
        retry.maxAttemptsPerProvider = 5
        let a = ScriptedProvider("a", Array(repeating: ScriptedProvider.failure("a", .rateLimited, retryAfter: 1.5), count: 5))
        let outcome = await run(caller(clock, retry: retry), [route(a)])
        guard case .failure = outcome.result else { return XCTFail("must fail") }
        XCTAssertEqual(a.calls.load(ordering: .relaxed), 2, "the second 1.5 s wait would pass the 2 s deadline")
    }

    func testOpenBreakerIsSkippedAndRecovers() async throws {
        let clock = ManualClock()
        var settings = CircuitBreaker.Settings()
        settings.failureThreshold = 2
        settings.openDuration = 30
        var retry = RetryPolicy()
        retry.maxAttemptsPerProvider = 1
        let c = caller(clock, retry: retry, breaker: settings)
        let primary = ScriptedProvider("primary", [ScriptedProvider.failure("primary", .unavailable), ScriptedProvider.failure("primary", .unavailable)])
        let backup = ScriptedProvider("backup", [])
        _ = await run(c, [route(primary), route(backup)])
        _ = await run(c, [route(primary), route(backup)])
        XCTAssertEqual(c.breakers.states.first { $0.key == "primary:gpt-4o" }?.state, .open)

        let skipped = await run(c, [route(primary), route(backup)])
        XCTAssertEqual(skipped.attempts.first, "primary:gpt-4o:circuit_open")
        XCTAssertEqual(primary.calls.load(ordering: .relaxed), 2, "no call while open")

        clock.now.withLock { $0 += 31 }
        let probe = await run(c, [route(primary), route(backup)])
        XCTAssertEqual(try probe.result.get().0.provider.name, "primary", "half-open probe succeeded")
        XCTAssertEqual(c.breakers.states.first { $0.key == "primary:gpt-4o" }?.state, .closed)
    }

    func testAllCircuitsOpenGivesRetryAfter() async {
        let clock = ManualClock()
        var settings = CircuitBreaker.Settings()
        settings.failureThreshold = 1
        var retry = RetryPolicy()
        retry.maxAttemptsPerProvider = 1
        let c = caller(clock, retry: retry, breaker: settings)
        let only = ScriptedProvider("only", [ScriptedProvider.failure("only", .unavailable)])
        _ = await run(c, [route(only)])
        let outcome = await run(c, [route(only)])
        guard case .failure(let error) = outcome.result else { return XCTFail("must fail") }
        XCTAssertEqual(error.kind, .unavailable)
        XCTAssertEqual(error.retryAfter ?? 0, 30, accuracy: 1e-9)
    }
}

extension FailoverCallerTests {
    func testARetrySucceedingOnTheSameDeploymentIsNotAFailover() async throws {
        let clock = ManualClock()
        let a = ScriptedProvider("a", [ScriptedProvider.failure("a", .timeout)])
        let outcome = await run(caller(clock), [route(a), route(ScriptedProvider("b", []))])
        XCTAssertEqual(try outcome.result.get().0.provider.name, "a")
        XCTAssertFalse(outcome.failedOver)
        XCTAssertEqual(outcome.attempts, ["a:gpt-4o:upstream_timeout", "a:gpt-4o:ok"])
    }

    func testAHalfOpenProbeEndingInAClientErrorFreesTheProbeSlot() async throws {
        let clock = ManualClock()
        var settings = CircuitBreaker.Settings()
        settings.failureThreshold = 1
        settings.openDuration = 10
        var retry = RetryPolicy()
        retry.maxAttemptsPerProvider = 1
        let c = caller(clock, retry: retry, breaker: settings)
        let a = ScriptedProvider("a", [ScriptedProvider.failure("a", .unavailable),
                                       ProviderError(provider: "a", kind: .badRequest, upstreamStatus: 400, message: "bad")])
        _ = await run(c, [route(a)])                 // opens
        clock.now.withLock { $0 += 11 }
        _ = await run(c, [route(a)])                 // half-open probe → 400, neutral
        let next = await run(c, [route(a)])          // the slot is free again: a new probe goes through
        XCTAssertEqual(try next.result.get().0.provider.name, "a")
        XCTAssertEqual(c.breakers.states.first?.state, .closed)
    }

    func testNoRetryOnADeploymentWhoseBreakerJustOpened() async throws {
        let clock = ManualClock()
        var settings = CircuitBreaker.Settings()
        settings.failureThreshold = 1
        let a = ScriptedProvider("a", [ScriptedProvider.failure("a", .unavailable)])
        let b = ScriptedProvider("b", [])
        let outcome = await run(caller(clock, breaker: settings), [route(a), route(b)])
        XCTAssertEqual(a.calls.load(ordering: .relaxed), 1, "the first failure opened the breaker: no retry")
        XCTAssertEqual(try outcome.result.get().0.provider.name, "b")
        XCTAssertTrue(outcome.failedOver)
    }
}
