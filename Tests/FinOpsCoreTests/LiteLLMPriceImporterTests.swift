import Foundation
import XCTest
@testable import FinOpsCore

final class LiteLLMPriceImporterTests: XCTestCase {
    /// Shaped like LiteLLM's model_prices_and_context_window.json (values as in litellm 1.80.17
    /// where the model exists there), including its documentation entry and non-chat modes.
    let fixture = """
    {
      "sample_spec": {
        "input_cost_per_token": 0.0, "output_cost_per_token": 0.0,
        "litellm_provider": "one of https://docs.litellm.ai/docs/providers",
        "max_input_tokens": "max input tokens, if the provider specifies it. if not default to max_tokens",
        "mode": "one of: chat, embedding, completion, image_generation, audio_transcription"
      },
      "gpt-4o-mini": {
        "cache_read_input_token_cost": 7.5e-08, "input_cost_per_token": 1.5e-07, "litellm_provider": "openai",
        "max_input_tokens": 128000, "max_output_tokens": 16384, "mode": "chat", "output_cost_per_token": 6e-07,
        "supports_function_calling": true, "supported_endpoints": ["/v1/chat/completions"]
      },
      "claude-sonnet-4-20250514": {
        "cache_creation_input_token_cost": 3.75e-06, "cache_read_input_token_cost": 3e-07,
        "input_cost_per_token": 3e-06, "litellm_provider": "anthropic", "max_input_tokens": 1000000,
        "mode": "chat", "output_cost_per_token": 1.5e-05
      },
      "claude-opus-4-20250514": {
        "input_cost_per_token": 1.5e-05, "output_cost_per_token": 7.5e-05, "cache_read_input_token_cost": 1.5e-06,
        "cache_creation_input_token_cost": 1.875e-05, "litellm_provider": "anthropic", "mode": "chat"
      },
      "bedrock/us.anthropic.claude-3-5-haiku-20241022-v1:0": {
        "input_cost_per_token": 8e-07, "output_cost_per_token": 4e-06, "litellm_provider": "bedrock_converse",
        "max_input_tokens": 200000, "mode": "chat"
      },
      "groq/llama-3.3-70b-versatile": {
        "input_cost_per_token": 5.9e-07, "output_cost_per_token": 7.9e-07, "litellm_provider": "groq",
        "max_input_tokens": 128000, "mode": "chat"
      },
      "ollama/llama3.1": {
        "input_cost_per_token": 0.0, "output_cost_per_token": 0.0, "litellm_provider": "ollama",
        "max_input_tokens": 8192, "mode": "chat"
      },
      "mistral/mistral-small-latest": {
        "input_cost_per_token": 1e-07, "output_cost_per_token": 3e-07, "litellm_provider": "mistral", "mode": "chat"
      },
      "text-embedding-3-small": {
        "input_cost_per_token": 2e-08, "output_cost_per_token": 0.0, "litellm_provider": "openai",
        "max_input_tokens": 8191, "mode": "embedding"
      },
      "dall-e-3": {"litellm_provider": "openai", "mode": "image_generation", "output_cost_per_image": 0.04},
      "no-output-price": {"input_cost_per_token": 1e-06, "litellm_provider": "openai", "mode": "chat"},
      "no-mode": {"input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06, "litellm_provider": "openai"}
    }
    """

    func importFixture(only: Set<String>? = nil) throws -> (catalog: PricingCatalog, skipped: [String]) {
        try LiteLLMPriceImporter.importCatalog(json: Data(fixture.utf8), only: only)
    }

    func testPerTokenPricesConvertExactly() throws {
        let catalog = try importFixture().catalog
        let mini = try XCTUnwrap(catalog.price(for: "gpt-4o-mini"))
        XCTAssertEqual(mini.inputPerMTok.nanos, 150_000_000)        // 1.5e-07
        XCTAssertEqual(mini.outputPerMTok.nanos, 600_000_000)       // 6e-07
        XCTAssertEqual(mini.cachedInputPerMTok.nanos, 75_000_000)   // 7.5e-08
        let sonnet = try XCTUnwrap(catalog.price(for: "claude-sonnet-4-20250514"))
        XCTAssertEqual(sonnet.inputPerMTok.nanos, 3_000_000_000)    // 3e-06
        XCTAssertEqual(sonnet.outputPerMTok.nanos, 15_000_000_000)  // 1.5e-05
        XCTAssertEqual(sonnet.cacheWritePerMTok.nanos, 3_750_000_000)
        XCTAssertEqual(catalog.price(for: "claude-opus-4-20250514")?.cacheWritePerMTok.nanos, 18_750_000_000)
        XCTAssertEqual(catalog.price(for: "groq/llama-3.3-70b-versatile")?.inputPerMTok.nanos, 590_000_000)
    }

    func testSkipsSampleSpecNonChatAndUnpriced() throws {
        let result = try importFixture()
        XCTAssertEqual(result.skipped, ["dall-e-3", "no-mode", "no-output-price", "sample_spec", "text-embedding-3-small"])
        XCTAssertEqual(result.catalog.models, [
            "bedrock/us.anthropic.claude-3-5-haiku-20241022-v1:0", "claude-opus-4-20250514",
            "claude-sonnet-4-20250514", "gpt-4o-mini", "groq/llama-3.3-70b-versatile",
            "mistral/mistral-small-latest", "ollama/llama3.1",
        ])
    }

    func testProvidersAndOptionalFields() throws {
        let catalog = try importFixture().catalog
        XCTAssertEqual(catalog.price(for: "bedrock/us.anthropic.claude-3-5-haiku-20241022-v1:0")?.provider, "bedrock")
        XCTAssertEqual(catalog.price(for: "gpt-4o-mini")?.provider, "openai")
        XCTAssertEqual(catalog.price(for: "claude-opus-4-20250514")?.provider, "anthropic")
        XCTAssertEqual(catalog.price(for: "groq/llama-3.3-70b-versatile")?.provider, "groq")
        XCTAssertEqual(catalog.price(for: "ollama/llama3.1")?.provider, "ollama")
        XCTAssertEqual(catalog.price(for: "mistral/mistral-small-latest")?.provider, "mistral") // passes through
        XCTAssertEqual(LiteLLMPriceImporter.provider(forLiteLLM: "bedrock"), "bedrock")
        XCTAssertEqual(LiteLLMPriceImporter.provider(forLiteLLM: "azure"), "azure")

        let groq = try XCTUnwrap(catalog.price(for: "groq/llama-3.3-70b-versatile"))
        XCTAssertEqual(groq.cachedInputPerMTok, groq.inputPerMTok) // no cache price: no discount
        XCTAssertEqual(groq.cacheWritePerMTok, .zero)
        XCTAssertEqual(groq.contextWindow, 128_000)
        XCTAssertNil(catalog.price(for: "claude-opus-4-20250514")?.contextWindow)
        XCTAssertEqual(catalog.price(for: "ollama/llama3.1")?.isFree, true)
    }

    func testDefaultTierByOutputPrice() throws {
        let catalog = try importFixture().catalog
        XCTAssertEqual(catalog.price(for: "gpt-4o-mini")?.tier, .small)                  // $0.60
        XCTAssertEqual(catalog.price(for: "groq/llama-3.3-70b-versatile")?.tier, .small) // $0.79
        XCTAssertEqual(catalog.price(for: "bedrock/us.anthropic.claude-3-5-haiku-20241022-v1:0")?.tier, .medium) // $4
        XCTAssertEqual(catalog.price(for: "claude-sonnet-4-20250514")?.tier, .large)     // $15
        XCTAssertEqual(catalog.price(for: "claude-opus-4-20250514")?.tier, .large)       // $75

        func tier(outputNanos: Int64) -> ModelTier {
            LiteLLMPriceImporter.defaultTier("m", ModelPrice(
                model: "m", provider: "p", inputPerMTok: .zero, cachedInputPerMTok: .zero,
                outputPerMTok: Money(nanos: outputNanos), tier: .large))
        }
        XCTAssertEqual(tier(outputNanos: 999_999_999), .small)
        XCTAssertEqual(tier(outputNanos: 1_000_000_000), .medium)
        XCTAssertEqual(tier(outputNanos: 4_999_999_999), .medium)
        XCTAssertEqual(tier(outputNanos: 5_000_000_000), .large)
    }

    func testCustomTierRuleSeesDefaultAndOverrides() throws {
        var seen: [String: ModelTier] = [:]
        let catalog = try LiteLLMPriceImporter.importCatalog(json: Data(fixture.utf8)) { name, price in
            seen[name] = price.tier
            return name.contains("sonnet") ? .medium : price.tier
        }.catalog
        XCTAssertEqual(seen["claude-sonnet-4-20250514"], .large) // pre-filled by defaultTier
        XCTAssertEqual(catalog.price(for: "claude-sonnet-4-20250514")?.tier, .medium)
        XCTAssertEqual(catalog.price(for: "claude-opus-4-20250514")?.tier, .large)
        XCTAssertEqual(seen.count, 7)
    }

    func testOnlyFilterReportsMissingAndUnusableNames() throws {
        let result = try importFixture(only: ["gpt-4o-mini", "text-embedding-3-small", "gpt-9-ultra"])
        XCTAssertEqual(result.catalog.models, ["gpt-4o-mini"])
        XCTAssertEqual(result.skipped, ["gpt-9-ultra", "text-embedding-3-small"])
    }

    func testMatchesBuiltInCatalogForTheSameEntry() throws {
        let imported = try XCTUnwrap(try importFixture().catalog.price(for: "gpt-4o-mini"))
        XCTAssertEqual(imported, DefaultPricing.catalog().price(for: "gpt-4o-mini"))
    }

    func testRejectsNonObjects() {
        for text in ["[1,2,3]", "not json", ""] {
            XCTAssertThrowsError(try LiteLLMPriceImporter.importCatalog(json: Data(text.utf8))) { error in
                XCTAssertEqual((error as? PricingError)?.field, "(json)")
            }
        }
    }

    func testNegativeOrInvalidPricesAreSkipped() throws {
        let json = """
            {"neg": {"input_cost_per_token": -1e-06, "output_cost_per_token": 1e-06, "mode": "chat"},
             "negcache": {"input_cost_per_token": 1e-06, "output_cost_per_token": 1e-06,
                          "cache_read_input_token_cost": -1e-07, "mode": "chat"},
             "text": {"input_cost_per_token": "1e-06", "output_cost_per_token": 1e-06, "mode": "chat"},
             "huge": {"input_cost_per_token": 1e10, "output_cost_per_token": 1e-06, "mode": "chat"},
             "ok": {"input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06, "mode": "chat"}}
            """
        let result = try LiteLLMPriceImporter.importCatalog(json: Data(json.utf8))
        XCTAssertEqual(result.skipped, ["huge", "neg", "negcache", "text"])
        XCTAssertEqual(result.catalog.price(for: "ok")?.outputPerMTok.nanos, 2_000_000_000)
        XCTAssertEqual(result.catalog.price(for: "ok")?.provider, "unknown")
    }
}
