import FinOpsCore
import XCTest

/// The router speaks each provider's wire format to a mock upstream and answers in OpenAI format.
final class ProviderAdapterTests: XCTestCase {
    private func anthropicRouter(_ mock: MockUpstream) throws -> RouterHarness {
        try RouterHarness(upstream: nil) { config in
            var p = RouterConfig.Provider(name: "anthropic", kind: .anthropic)
            p.baseURL = mock.baseURL
            p.apiKeyEnv = "TEST_OPENAI_KEY"
            p.models = ["claude-sonnet-4-20250514"]
            config.providers.insert(p, at: 0)
        }
    }

    private let toolRequest = """
    {"model":"claude-sonnet-4-20250514","messages":[{"role":"system","content":"You are terse."},{"role":"user","content":[{"type":"text","text":"Weather in Paris?"}]}],"temperature":0.2,"stop":"END","tools":[{"type":"function","function":{"name":"get_weather","description":"Current weather","parameters":{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}}}],"tool_choice":"auto"}
    """

    func testAnthropicNonStreamingIsTranslatedBothWaysAndPricedWithCache() async throws {
        let mock = try MockUpstream(.json(AnthropicFixtures.message))
        let router = try anthropicRouter(mock)
        let reply = try await router.post(toolRequest)
        XCTAssertEqual(reply.status, 200, reply.text)

        let sent = try XCTUnwrap(mock.requests.first)
        XCTAssertEqual(sent.path, "/v1/messages")
        XCTAssertEqual(sent.headers.first { $0.name == "x-api-key" }?.value, RouterHarness.apiKey)
        XCTAssertEqual(sent.headers.first { $0.name == "anthropic-version" }?.value, "2023-06-01")
        XCTAssertNil(sent.headers.first { $0.name == "authorization" })
        let body = try XCTUnwrap(sent.body)
        XCTAssertEqual(body["system"]?.stringValue, "You are terse.")
        XCTAssertEqual(body["max_tokens"]?.intValue, 4096)
        XCTAssertEqual(body["stop_sequences"], .array([.string("END")]))
        XCTAssertEqual(body["messages"]?.arrayValue?.count, 1)
        XCTAssertEqual(body["messages"]?.arrayValue?.first?["content"]?.arrayValue?.first?["text"]?.stringValue, "Weather in Paris?")
        XCTAssertEqual(body["tools"]?.arrayValue?.first?["name"]?.stringValue, "get_weather")
        XCTAssertEqual(body["tools"]?.arrayValue?.first?["input_schema"]?["required"], .array([.string("location")]))
        XCTAssertEqual(body["tool_choice"]?["type"]?.stringValue, "auto")

        XCTAssertEqual(reply.json?["object"]?.stringValue, "chat.completion")
        XCTAssertEqual(reply.json?["choices"]?.arrayValue?.first?["message"]?["content"]?.stringValue, "Paris is sunny today.")
        XCTAssertEqual(reply.json?["choices"]?.arrayValue?.first?["finish_reason"]?.stringValue, "stop")
        XCTAssertEqual(reply.json?["usage"]?["prompt_tokens"]?.intValue, 706)
        XCTAssertEqual(reply.json?["usage"]?["prompt_tokens_details"]?["cached_tokens"]?.intValue, 200)
        // 406 × $3/M + 200 cache reads × $0.30/M + 100 cache writes × $3.75/M + 50 × $15/M
        // = 1,218,000 + 60,000 + 375,000 + 750,000 nano-dollars.
        XCTAssertEqual(reply.header("x-finops-cost-usd"), "0.002403")
        XCTAssertEqual(reply.header("x-finops-provider"), "anthropic")
        let rows = try await router.stopAndReadRows()
        await mock.stop()
        XCTAssertEqual(rows.first?.cost, Money(nanos: 2_403_000))
        XCTAssertEqual(rows.first?.cachedInputTokens, 200)
    }

    func testAnthropicToolUseBecomesToolCalls() async throws {
        let mock = try MockUpstream(.json(AnthropicFixtures.toolUse))
        let router = try anthropicRouter(mock)
        let reply = try await router.post(toolRequest)
        let choice = try XCTUnwrap(reply.json?["choices"]?.arrayValue?.first)
        XCTAssertEqual(choice["finish_reason"]?.stringValue, "tool_calls")
        let call = try XCTUnwrap(choice["message"]?["tool_calls"]?.arrayValue?.first)
        XCTAssertEqual(call["id"]?.stringValue, "toolu_01NRLabsLyVHZPKxbKvkfSMn")
        XCTAssertEqual(call["function"]?["name"]?.stringValue, "get_weather")
        XCTAssertEqual(try JSONParser.parse(call["function"]?["arguments"]?.stringValue ?? ""), .object([("location", .string("Paris"))]))
        await router.stop()
        await mock.stop()
    }

    func testToolResultsAndAssistantToolCallsGoBackAsBlocks() async throws {
        let mock = try MockUpstream(.json(AnthropicFixtures.message))
        let router = try anthropicRouter(mock)
        let followUp = """
        {"model":"claude-sonnet-4-20250514","max_tokens":300,"messages":[{"role":"user","content":"Weather in Paris?"},{"role":"assistant","content":null,"tool_calls":[{"id":"toolu_1","type":"function","function":{"name":"get_weather","arguments":"{\\"location\\":\\"Paris\\"}"}}]},{"role":"tool","tool_call_id":"toolu_1","content":"18C sunny"}]}
        """
        _ = try await router.post(followUp)
        let messages = try XCTUnwrap(mock.requests.first?.body?["messages"]?.arrayValue)
        XCTAssertEqual(messages.map { $0["role"]?.stringValue }, ["user", "assistant", "user"])
        XCTAssertEqual(messages[1]["content"]?.arrayValue?.first?["type"]?.stringValue, "tool_use")
        XCTAssertEqual(messages[1]["content"]?.arrayValue?.first?["input"], .object([("location", .string("Paris"))]))
        XCTAssertEqual(messages[2]["content"]?.arrayValue?.first?["type"]?.stringValue, "tool_result")
        XCTAssertEqual(messages[2]["content"]?.arrayValue?.first?["tool_use_id"]?.stringValue, "toolu_1")
        XCTAssertEqual(mock.requests.first?.body?["max_tokens"]?.intValue, 300)
        await router.stop()
        await mock.stop()
    }

    func testAnthropicStreamBecomesOpenAIChunksWithUsage() async throws {
        let mock = try MockUpstream(.sse(AnthropicFixtures.streamToolUse))
        let router = try anthropicRouter(mock)
        let (head, text) = try await router.postStream(
            #"{"model":"claude-sonnet-4-20250514","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Weather?"}]}"#)
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(mock.requests.first?.body?["stream"]?.boolValue, true)
        XCTAssertTrue(text.contains(#""content":"I'll check""#), text)
        XCTAssertTrue(text.contains(#""name":"get_weather""#), text)
        XCTAssertTrue(text.contains(#""arguments":"{\"locati""#), text)
        XCTAssertTrue(text.contains(#""finish_reason":"tool_calls""#), text)
        // 377 + 1,000 cache reads in; 64 out (from message_delta).
        XCTAssertTrue(text.contains(#""usage":{"prompt_tokens":1377,"completion_tokens":64,"total_tokens":1441,"prompt_tokens_details":{"cached_tokens":1000}}"#), text)
        XCTAssertTrue(text.hasSuffix("data: [DONE]\n\n"))
        let rows = try await router.stopAndReadRows()
        await mock.stop()
        // 377 × 3,000 + 1,000 × 300 + 64 × 15,000 nano-dollars.
        XCTAssertEqual(rows.first?.cost, Money(nanos: 1_131_000 + 300_000 + 960_000))
        XCTAssertEqual(rows.first?.streamed, true)
    }

    func testAnthropicStreamCutBeforeMessageStopIsAnError() async throws {
        let cut = AnthropicFixtures.streamToolUse.components(separatedBy: "event: message_delta")[0]
        let mock = try MockUpstream(.sse(cut))
        let router = try anthropicRouter(mock)
        let (_, text) = try await router.postStream(#"{"model":"claude-sonnet-4-20250514","stream":true,"messages":[{"role":"user","content":"x"}]}"#)
        XCTAssertTrue(text.contains("upstream_stream_interrupted"), text)
        XCTAssertFalse(text.contains("data: [DONE]\n"))
        let rows = try await router.stopAndReadRows()
        await mock.stop()
        XCTAssertEqual(rows.first?.errorKind, "upstream_stream_interrupted")
    }

    func testAnthropicErrorBodyWith200IsAnError() async throws {
        let mock = try MockUpstream(.json(AnthropicFixtures.overloaded))
        let router = try anthropicRouter(mock)
        let reply = try await router.post(toolRequest)
        XCTAssertEqual(reply.status, 503, reply.text)
        XCTAssertTrue(reply.text.contains("Overloaded"))
        await router.stop()
        await mock.stop()
    }

    func testAzureUsesDeploymentURLApiVersionAndApiKeyHeader() async throws {
        let mock = try MockUpstream(.json(Fixtures.chatCompletion))
        let base = mock.baseURL.replacingOccurrences(of: "/v1", with: "")
        let router = try RouterHarness(upstream: nil) { config in
            var p = RouterConfig.Provider(name: "azure", kind: .azureOpenAI)
            p.baseURL = base
            p.apiKeyEnv = "TEST_OPENAI_KEY"
            p.models = ["gpt-4o-mini"]
            p.deployments = ["gpt-4o-mini": "prod-mini"]
            config.providers.insert(p, at: 0)
        }
        let reply = try await router.post(Fixtures.chatRequest())
        XCTAssertEqual(reply.status, 200, reply.text)
        XCTAssertEqual(reply.header("x-finops-provider"), "azure")
        let sent = try XCTUnwrap(mock.requests.first)
        XCTAssertEqual(sent.path, "/openai/deployments/prod-mini/chat/completions")
        XCTAssertEqual(sent.query["api-version"], "2024-10-21")
        XCTAssertEqual(sent.headers.first { $0.name == "api-key" }?.value, RouterHarness.apiKey)
        XCTAssertNil(sent.headers.first { $0.name == "authorization" })
        await router.stop()
        await mock.stop()
    }
}

extension ProviderAdapterTests {
    /// The real 429 body Anthropic sends (from a recorded SDK cassette), with its retry-after.
    func testAnthropicRateLimitKeepsRetryAfterAndMessage() async throws {
        let body = #"{"type":"error","error":{"type":"rate_limit_error","message":"This request would exceed your organization's rate limit of 20,000,000 prompt bytes per hour."},"request_id":"req_011CYK5mje9HkutJtmfPzzNC"}"#
        let mock = try MockUpstream(.status(429, body: body, headers: [("Content-Type", "application/json"), ("retry-after", "30"), ("x-should-retry", "true")]))
        let router = try RouterHarness(upstream: nil) { config in
            var p = RouterConfig.Provider(name: "anthropic", kind: .anthropic)
            p.baseURL = mock.baseURL
            p.models = ["claude-sonnet-4-20250514"]
            config.providers.insert(p, at: 0)
        }
        let reply = try await router.post(#"{"model":"claude-sonnet-4-20250514","messages":[{"role":"user","content":"x"}]}"#)
        XCTAssertEqual(reply.status, 429)
        XCTAssertEqual(reply.header("retry-after"), "30")
        XCTAssertTrue(reply.text.contains("prompt bytes per hour"), reply.text)
        XCTAssertEqual(mock.requests.count, 1, "a 30 s Retry-After is longer than the router waits")
        await router.stop()
        await mock.stop()
    }
}
