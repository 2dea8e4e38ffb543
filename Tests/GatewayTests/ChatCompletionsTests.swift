import FinOpsCore
import XCTest

/// End to end over loopback: client → router → mock OpenAI upstream, and the row in SQLite.
final class ChatCompletionsTests: XCTestCase {
    func testNonStreamingCallIsForwardedPricedAndRecorded() async throws {
        let mock = try MockUpstream(.json(Fixtures.chatCompletion))
        let router = try RouterHarness(upstream: mock.baseURL)
        let reply = try await router.post(Fixtures.chatRequest(), headers: [("X-FinOps-Team", "search"), ("X-Request-Id", "req-test-1")])

        XCTAssertEqual(reply.status, 200, reply.text)
        XCTAssertEqual(reply.json?["choices"]?.arrayValue?.first?["message"]?["content"]?.stringValue,
                       "I'm unable to provide real-time weather updates. Check a reliable weather website.")
        XCTAssertEqual(reply.header("x-finops-provider"), "openai")
        XCTAssertEqual(reply.header("x-finops-model"), "gpt-4o-mini")
        // 14 prompt tokens at $0.15/M + 37 completion tokens at $0.60/M = 2,100 + 22,200 nano-dollars.
        XCTAssertEqual(reply.header("x-finops-cost-usd"), "0.0000243")
        let requestID = try XCTUnwrap(reply.header("x-request-id"))
        XCTAssertTrue(requestID.hasPrefix("req_") && requestID != "req-test-1", "the router's own id, never the client's")
        XCTAssertEqual(reply.header("x-finops-route-reason"), "fixed:requested")

        let sent = try XCTUnwrap(mock.requests.first)
        XCTAssertEqual(sent.headers.first { $0.name == "authorization" }?.value, "Bearer \(RouterHarness.apiKey)")
        XCTAssertEqual(sent.body?["model"]?.stringValue, "gpt-4o-mini")
        XCTAssertEqual(sent.body?["messages"]?.arrayValue?.count, 2)

        let rows = try await router.stopAndReadRows()
        await mock.stop()
        XCTAssertEqual(rows.count, 1)
        let row = try XCTUnwrap(rows.first)
        XCTAssertEqual(row.requestID, requestID)
        XCTAssertEqual(row.team, "search")
        XCTAssertEqual(row.provider, "openai")
        XCTAssertEqual(row.inputTokens, 14)
        XCTAssertEqual(row.outputTokens, 37)
        XCTAssertEqual(row.cost, Money(nanos: 24_300))
        XCTAssertEqual(row.status, .ok)
        XCTAssertFalse(row.streamed)
        XCTAssertFalse(row.estimated)
    }

    func testCachedPromptTokensArePricedAtTheCachedRate() async throws {
        let mock = try MockUpstream(.json(Fixtures.chatCompletionCached))
        let router = try RouterHarness(upstream: mock.baseURL)
        let reply = try await router.post(Fixtures.chatRequest())
        // 1,024 uncached × $0.15/M + 1,024 cached × $0.075/M + 10 out × $0.60/M
        // = 153,600 + 76,800 + 6,000 nano-dollars.
        XCTAssertEqual(reply.header("x-finops-cost-usd"), "0.0002364")
        let rows = try await router.stopAndReadRows()
        await mock.stop()
        XCTAssertEqual(rows.first?.cachedInputTokens, 1024)
        XCTAssertEqual(rows.first?.cost, Money(nanos: 236_400))
    }

    func testMissingUsageIsEstimatedAndFlagged() async throws {
        let mock = try MockUpstream(.json(Fixtures.chatCompletionNoUsage))
        let router = try RouterHarness(upstream: mock.baseURL)
        let reply = try await router.post(Fixtures.chatRequest())
        XCTAssertEqual(reply.status, 200)
        let rows = try await router.stopAndReadRows()
        await mock.stop()
        let row = try XCTUnwrap(rows.first)
        XCTAssertTrue(row.estimated)
        XCTAssertGreaterThan(row.inputTokens, 0)
        XCTAssertGreaterThan(row.outputTokens, 0)
        XCTAssertGreaterThan(row.cost, .zero)
    }

    func testStreamingPassesChunksThroughAndPricesFromTheUsageChunk() async throws {
        let mock = try MockUpstream(.stream(chunks: Fixtures.streamChunks, usage: Fixtures.streamUsageChunk, done: true))
        let router = try RouterHarness(upstream: mock.baseURL)
        let (head, text) = try await router.postStream(Fixtures.chatRequest(stream: true))

        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(head.header("content-type"), "text/event-stream")
        XCTAssertEqual(head.header("x-finops-provider"), "openai")
        XCTAssertTrue(text.contains(#""content":"The weather""#), text)
        XCTAssertTrue(text.contains(#""content":" is sunny.""#), text)
        XCTAssertTrue(text.hasSuffix("data: [DONE]\n\n"), text)
        // The client did not ask for usage, so the usage-only chunk is not passed on.
        XCTAssertFalse(text.contains(#""usage""#), text)
        // ...but the router asked the provider for it.
        XCTAssertEqual(mock.requests.first?.body?["stream_options"]?["include_usage"]?.boolValue, true)

        let rows = try await router.stopAndReadRows()
        await mock.stop()
        let row = try XCTUnwrap(rows.first)
        XCTAssertTrue(row.streamed)
        XCTAssertEqual(row.inputTokens, 79)
        XCTAssertEqual(row.outputTokens, 11)
        // 79 × $0.15/M + 11 × $0.60/M = 11,850 + 6,600 nano-dollars.
        XCTAssertEqual(row.cost, Money(nanos: 18_450))
        XCTAssertNotNil(row.ttftMs)
        XCTAssertEqual(row.status, .ok)
    }

    func testStreamingForwardsUsageWhenTheClientAsks() async throws {
        let mock = try MockUpstream(.stream(chunks: Fixtures.streamChunks, usage: Fixtures.streamUsageChunk, done: true))
        let router = try RouterHarness(upstream: mock.baseURL)
        let (_, text) = try await router.postStream(Fixtures.chatRequest(stream: true, includeUsage: true))
        XCTAssertTrue(text.contains(#""usage":{"prompt_tokens":79,"completion_tokens":11,"total_tokens":90}"#), text)
        await router.stop()
        await mock.stop()
    }

    func testSimulatorAnswersDeterministicallyWithoutAnyKey() async throws {
        let router = try RouterHarness(upstream: nil)
        let a = try await router.post(Fixtures.chatRequest(model: "claude-3-5-haiku-20241022"))
        let b = try await router.post(Fixtures.chatRequest(model: "claude-3-5-haiku-20241022"))
        XCTAssertEqual(a.status, 200, a.text)
        XCTAssertEqual(a.header("x-finops-provider"), "simulator")
        XCTAssertEqual(a.json?["choices"], b.json?["choices"])
        XCTAssertEqual(a.json?["usage"], b.json?["usage"])
        XCTAssertEqual(a.header("x-finops-cost-usd"), b.header("x-finops-cost-usd"))
        XCTAssertNotEqual(a.header("x-finops-cost-usd"), "0.000000")

        let (_, stream) = try await router.postStream(Fixtures.chatRequest(model: "claude-3-5-haiku-20241022", stream: true))
        XCTAssertTrue(stream.hasSuffix("data: [DONE]\n\n"))
        let rows = try await router.stopAndReadRows()
        XCTAssertEqual(rows.count, 3)
        XCTAssertTrue(rows.allSatisfy { $0.provider == "simulator" && $0.status == .ok })
    }

    func testModelsListsEveryRoutableModel() async throws {
        let router = try RouterHarness(upstream: "http://127.0.0.1:9/v1")
        let reply = try await router.request("GET", "/v1/models")
        let ids = reply.json?["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
        XCTAssertTrue(ids.contains("gpt-4o-mini"))
        XCTAssertTrue(ids.contains("claude-sonnet-4-20250514"))
        let owner = reply.json?["data"]?.arrayValue?.first { $0["id"]?.stringValue == "gpt-4o-mini" }?["owned_by"]?.stringValue
        XCTAssertEqual(owner, "openai")
        await router.stop()
    }
}
