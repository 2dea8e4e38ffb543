import FinOpsCore
import XCTest

/// Bedrock Converse / ConverseStream against a mock that speaks its JSON and binary event stream.
final class BedrockTests: XCTestCase {
    static let converse = #"{"output":{"message":{"role":"assistant","content":[{"text":"Bonjour from Bedrock."}]}},"stopReason":"end_turn","usage":{"inputTokens":30,"outputTokens":12,"totalTokens":42,"cacheReadInputTokens":70,"cacheWriteInputTokens":0},"metrics":{"latencyMs":321}}"#

    private func router(_ mock: MockUpstream) throws -> RouterHarness {
        let endpoint = mock.baseURL.replacingOccurrences(of: "/v1", with: "")
        return try RouterHarness(upstream: nil, environment: [
            "AWS_ACCESS_KEY_ID": "AKIDTEST", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/SECRET", "AWS_SESSION_TOKEN": "session-token-1",
        ]) { config in
            var p = RouterConfig.Provider(name: "bedrock", kind: .bedrock)
            p.baseURL = endpoint
            p.region = "eu-west-1"
            p.models = ["claude-sonnet-4-20250514"]
            p.modelIDs = ["claude-sonnet-4-20250514": "anthropic.claude-sonnet-4-20250514-v1:0"]
            config.providers.insert(p, at: 0)
        }
    }

    func testConverseIsSignedTranslatedAndPriced() async throws {
        let mock = try MockUpstream(.json(Self.converse))
        let router = try router(mock)
        let reply = try await router.post(#"{"model":"claude-sonnet-4-20250514","max_tokens":200,"temperature":0.5,"messages":[{"role":"system","content":"Be French."},{"role":"user","content":"Hello"}]}"#)
        XCTAssertEqual(reply.status, 200, reply.text)
        let sent = try XCTUnwrap(mock.requests.first)
        XCTAssertEqual(sent.path, "/model/anthropic.claude-sonnet-4-20250514-v1:0/converse", "the id is sent percent-encoded; the mock server decodes it")
        let auth = sent.headers.first { $0.name == "authorization" }?.value ?? ""
        XCTAssertTrue(auth.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDTEST/"), auth)
        XCTAssertTrue(auth.contains("/eu-west-1/bedrock/aws4_request"), auth)
        XCTAssertNotNil(sent.headers.first { $0.name == "x-amz-date" })
        XCTAssertEqual(sent.headers.first { $0.name == "x-amz-security-token" }?.value, "session-token-1")
        XCTAssertFalse(sent.headers.contains { $0.value.contains("SECRET") }, "the secret key only signs, it is never sent")
        XCTAssertEqual(sent.body?["system"], .array([.object([("text", .string("Be French."))])]))
        XCTAssertEqual(sent.body?["inferenceConfig"]?["maxTokens"]?.intValue, 200)
        XCTAssertEqual(sent.body?["messages"]?.arrayValue?.first?["content"], .array([.object([("text", .string("Hello"))])]))

        XCTAssertEqual(reply.json?["choices"]?.arrayValue?.first?["message"]?["content"]?.stringValue, "Bonjour from Bedrock.")
        XCTAssertEqual(reply.json?["usage"]?["prompt_tokens"]?.intValue, 100)
        // 30 × $3/M + 70 cache reads × $0.30/M + 12 × $15/M = 90,000 + 21,000 + 180,000 nano-dollars.
        XCTAssertEqual(reply.header("x-finops-cost-usd"), "0.000291")
        await router.stop()
        await mock.stop()
    }

    static func frame(_ type: String, _ json: String) -> [UInt8] {
        AWSEventStreamDecoder.encode(headers: [(":event-type", type), (":content-type", "application/json"), (":message-type", "event")],
                                     payload: Array(json.utf8))
    }

    func testConverseStreamBecomesOpenAIChunks() async throws {
        let frames = Self.frame("messageStart", #"{"role":"assistant"}"#)
            + Self.frame("contentBlockDelta", #"{"contentBlockIndex":0,"delta":{"text":"Bon"}}"#)
            + Self.frame("contentBlockDelta", #"{"contentBlockIndex":0,"delta":{"text":"jour"}}"#)
            + Self.frame("contentBlockStop", #"{"contentBlockIndex":0}"#)
            + Self.frame("messageStop", #"{"stopReason":"end_turn"}"#)
            + Self.frame("metadata", #"{"usage":{"inputTokens":30,"outputTokens":2,"totalTokens":32},"metrics":{"latencyMs":100}}"#)
        let mock = try MockUpstream(.bytes(frames, contentType: "application/vnd.amazon.eventstream"))
        let router = try router(mock)
        let (head, text) = try await router.postStream(#"{"model":"claude-sonnet-4-20250514","stream":true,"messages":[{"role":"user","content":"Hi"}]}"#)
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(mock.requests.first?.path, "/model/anthropic.claude-sonnet-4-20250514-v1:0/converse-stream")
        XCTAssertTrue(text.contains(#""content":"Bon""#) && text.contains(#""content":"jour""#), text)
        XCTAssertTrue(text.contains(#""finish_reason":"stop""#), text)
        XCTAssertTrue(text.hasSuffix("data: [DONE]\n\n"), text)
        let rows = try await router.stopAndReadRows()
        await mock.stop()
        XCTAssertEqual(rows.first?.cost, Money(nanos: 30 * 3000 + 2 * 15000))
    }

    func testConverseStreamExceptionEndsWithAnErrorEvent() async throws {
        let frames = Self.frame("messageStart", #"{"role":"assistant"}"#)
            + Self.frame("contentBlockDelta", #"{"contentBlockIndex":0,"delta":{"text":"Bon"}}"#)
            + AWSEventStreamDecoder.encode(headers: [(":message-type", "exception"), (":exception-type", "throttlingException")],
                                           payload: Array(#"{"message":"Too many tokens"}"#.utf8))
        let mock = try MockUpstream(.bytes(frames, contentType: "application/vnd.amazon.eventstream"))
        let router = try router(mock)
        let (_, text) = try await router.postStream(#"{"model":"claude-sonnet-4-20250514","stream":true,"messages":[{"role":"user","content":"Hi"}]}"#)
        XCTAssertTrue(text.contains("throttlingException"), text)
        XCTAssertFalse(text.contains("data: [DONE]\n"))
        let rows = try await router.stopAndReadRows()
        await mock.stop()
        XCTAssertEqual(rows.first?.errorKind, "upstream_stream_interrupted")
    }
}
