import FinOpsCore
import XCTest

/// `POST /v1/messages`: Anthropic-format clients through the same pipeline, any provider behind.
final class AnthropicEndpointTests: XCTestCase {
    func testMessagesThroughAnOpenAIProviderAreTranslatedBothWays() async throws {
        let mock = try MockUpstream(.json(Fixtures.chatCompletion))
        let router = try RouterHarness(upstream: mock.baseURL)
        let reply = try await router.post("""
        {"model":"gpt-4o-mini","max_tokens":256,"system":"Be brief.","messages":[{"role":"user","content":[{"type":"text","text":"Weather in SF?"}]}],"tools":[{"name":"get_weather","description":"d","input_schema":{"type":"object"}}],"tool_choice":{"type":"any"},"stop_sequences":["END"]}
        """, path: "/v1/messages")
        XCTAssertEqual(reply.status, 200, reply.text)
        let sent = try XCTUnwrap(mock.requests.first?.body)
        XCTAssertEqual(sent["messages"]?.arrayValue?.first?["role"]?.stringValue, "system")
        XCTAssertEqual(sent["messages"]?.arrayValue?.first?["content"]?.stringValue, "Be brief.")
        XCTAssertEqual(sent["max_tokens"]?.intValue, 256)
        XCTAssertEqual(sent["tools"]?.arrayValue?.first?["function"]?["name"]?.stringValue, "get_weather")
        XCTAssertEqual(sent["tool_choice"]?.stringValue, "required")
        XCTAssertEqual(sent["stop"], .array([.string("END")]))
        XCTAssertNil(sent["system"], "Anthropic fields never leak to an OpenAI provider")

        let json = try XCTUnwrap(reply.json)
        XCTAssertEqual(json["type"]?.stringValue, "message")
        XCTAssertEqual(json["role"]?.stringValue, "assistant")
        XCTAssertEqual(json["content"]?.arrayValue?.first?["text"]?.stringValue,
                       "I'm unable to provide real-time weather updates. Check a reliable weather website.")
        XCTAssertEqual(json["stop_reason"]?.stringValue, "end_turn")
        XCTAssertEqual(json["usage"]?["input_tokens"]?.intValue, 14)
        XCTAssertEqual(json["usage"]?["output_tokens"]?.intValue, 37)
        XCTAssertEqual(reply.header("x-finops-cost-usd"), "0.0000243")
        let rows = try await router.stopAndReadRows()
        await mock.stop()
        XCTAssertEqual(rows.first?.cost, Money(nanos: 24_300))
    }

    func testMessagesStreamIsAnthropicEvents() async throws {
        let mock = try MockUpstream(.stream(chunks: Fixtures.streamChunks, usage: Fixtures.streamUsageChunk, done: true))
        let router = try RouterHarness(upstream: mock.baseURL)
        let s = try await router.client.stream(.init(url: router.baseURL + "/v1/messages", headers: [("Content-Type", "application/json")],
            body: Array(#"{"model":"gpt-4o-mini","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"hi"}]}"#.utf8)))
        var bytes: [UInt8] = []
        for try await chunk in s.body { bytes += chunk }
        var parser = SSEParser()
        let events = parser.feed(bytes)
        XCTAssertEqual(events.compactMap(\.event), [
            "message_start", "content_block_start", "content_block_delta", "content_block_delta",
            "content_block_stop", "message_delta", "message_stop",
        ])
        let delta = try JSONParser.parse(try XCTUnwrap(events.first { $0.event == "message_delta" }).data)
        XCTAssertEqual(delta["delta"]?["stop_reason"]?.stringValue, "end_turn")
        XCTAssertEqual(delta["usage"]?["input_tokens"]?.intValue, 79)
        XCTAssertEqual(delta["usage"]?["output_tokens"]?.intValue, 11)
        let text = events.filter { $0.event == "content_block_delta" }
            .compactMap { try? JSONParser.parse($0.data)["delta"]?["text"]?.stringValue }.joined()
        XCTAssertEqual(text, "The weather is sunny.")
        await router.stop()
        await mock.stop()
    }

    func testMessagesFromTheSimulator() async throws {
        let router = try RouterHarness(upstream: nil)
        let reply = try await router.post(#"{"model":"claude-3-5-haiku-20241022","max_tokens":20,"messages":[{"role":"user","content":"hello"}]}"#,
                                          path: "/v1/messages")
        XCTAssertEqual(reply.status, 200, reply.text)
        XCTAssertEqual(reply.json?["stop_reason"]?.stringValue, "max_tokens")
        XCTAssertEqual(reply.json?["usage"]?["output_tokens"]?.intValue, 20)
        await router.stop()
    }

    func testErrorsUseAnthropicShape() async throws {
        let router = try RouterHarness(upstream: nil)
        let bad = try await router.post("{nope", path: "/v1/messages")
        XCTAssertEqual(bad.status, 400)
        XCTAssertEqual(bad.json?["type"]?.stringValue, "error")
        XCTAssertEqual(bad.json?["error"]?["type"]?.stringValue, "invalid_request_error")
        let unknown = try await router.post(#"{"model":"claude-9","max_tokens":5,"messages":[{"role":"user","content":"x"}]}"#, path: "/v1/messages")
        XCTAssertEqual(unknown.status, 404)
        XCTAssertEqual(unknown.json?["error"]?["type"]?.stringValue, "not_found_error")
        let badRole = try await router.post(#"{"model":"gpt-4o","max_tokens":5,"messages":[{"role":"system","content":"x"}]}"#, path: "/v1/messages")
        XCTAssertEqual(badRole.status, 400)
        XCTAssertTrue(badRole.text.contains("messages.0.role"))
        await router.stop()
    }
}
