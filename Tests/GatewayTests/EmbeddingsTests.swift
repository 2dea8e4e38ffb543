import FinOpsCore
import XCTest

final class EmbeddingsTests: XCTestCase {
    private func cosine(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
    }

    func testSimulatorEmbeddingsAreDeterministicPricedAndSimilarityPreserving() async throws {
        let router = try RouterHarness(upstream: nil)
        let reply = try await router.post(#"{"model":"text-embedding-3-small","input":["refund my order please","please refund my order","quarterly revenue forecast"]}"#,
                                          path: "/v1/embeddings")
        XCTAssertEqual(reply.status, 200, reply.text)
        let vectors = try XCTUnwrap(reply.json?["data"]?.arrayValue).map { item in
            (item["embedding"]?.arrayValue ?? []).compactMap(\.doubleValue)
        }
        XCTAssertEqual(vectors.count, 3)
        XCTAssertEqual(vectors[0].count, 256)
        XCTAssertGreaterThan(cosine(vectors[0], vectors[1]), cosine(vectors[0], vectors[2]) + 0.2)
        let tokens = try XCTUnwrap(reply.json?["usage"]?["prompt_tokens"]?.intValue)
        // $0.02 per 1M input tokens = 20 nano-dollars per token.
        XCTAssertEqual(reply.header("x-finops-cost-usd"), Money(nanos: Int64(tokens) * 20).decimalString)
        let again = try await router.post(#"{"model":"text-embedding-3-small","input":"refund my order please"}"#, path: "/v1/embeddings")
        XCTAssertEqual(again.json?["data"]?.arrayValue?.first?["embedding"], reply.json?["data"]?.arrayValue?.first?["embedding"])
        let rows = try await router.stopAndReadRows()
        XCTAssertEqual(rows.count, 2)
        XCTAssertEqual(rows.last?.inputTokens, tokens)
        XCTAssertEqual(rows.last?.outputTokens, 0)
    }

    func testEmbeddingsAreForwardedToAnOpenAIProvider() async throws {
        let fixture = #"{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.1,-0.2,0.3]}],"model":"text-embedding-3-small","usage":{"prompt_tokens":5,"total_tokens":5}}"#
        let mock = try MockUpstream(.json(fixture))
        let router = try RouterHarness(upstream: nil) { config in
            var p = RouterConfig.Provider(name: "openai", kind: .openAICompatible)
            p.baseURL = mock.baseURL
            p.apiKeyEnv = "TEST_OPENAI_KEY"
            p.models = ["text-embedding-3-small"]
            config.providers.insert(p, at: 0)
        }
        let reply = try await router.post(#"{"model":"text-embedding-3-small","input":"hello","dimensions":3}"#, path: "/v1/embeddings")
        XCTAssertEqual(reply.status, 200, reply.text)
        XCTAssertEqual(reply.text, fixture, "the provider's body passes through")
        XCTAssertEqual(mock.requests.first?.path, "/v1/embeddings")
        XCTAssertEqual(mock.requests.first?.body?["dimensions"]?.intValue, 3)
        XCTAssertEqual(reply.header("x-finops-cost-usd"), "0.0000001", "5 × 20 nano-dollars, exact")
        let rows = try await router.stopAndReadRows()
        await mock.stop()
        XCTAssertEqual(rows.first?.cost, Money(nanos: 100))
    }

    func testEmbeddingsBadInput() async throws {
        let router = try RouterHarness(upstream: nil) { config in
            var p = RouterConfig.Provider(name: "claude", kind: .anthropic)
            p.baseURL = "http://127.0.0.1:9/v1"
            p.models = ["claude-sonnet-4-20250514"]
            config.providers.insert(p, at: 0)
        }
        let noInput = try await router.post(#"{"model":"text-embedding-3-small"}"#, path: "/v1/embeddings")
        XCTAssertEqual(noInput.status, 400)
        XCTAssertEqual(noInput.json?["error"]?["code"]?.stringValue, "invalid_type")
        let chatOnly = try await router.post(#"{"model":"claude-sonnet-4-20250514","input":"x"}"#, path: "/v1/embeddings")
        XCTAssertEqual(chatOnly.status, 400)
        XCTAssertEqual(chatOnly.json?["error"]?["code"]?.stringValue, "unsupported_model")
        let unknown = try await router.post(#"{"model":"nope","input":"x"}"#, path: "/v1/embeddings")
        XCTAssertEqual(unknown.status, 404)
        let chatWithEmbeddingModel = try await router.post(Fixtures.chatRequest(model: "text-embedding-3-small"))
        XCTAssertEqual(chatWithEmbeddingModel.status, 404, "an embedding model is not a chat model")
        await router.stop()
    }
}
