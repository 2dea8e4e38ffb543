import Foundation
import XCTest
@testable import FinOpsCore

final class DefaultPricingTests: XCTestCase {
    /// Repository root: two levels up from Tests/FinOpsCoreTests. The folder is resolved
    /// through symlinks first, so a scratch package that links Tests/FinOpsCoreTests still
    /// finds the real repository's config/.
    static let repoRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .resolvingSymlinksInPath()
        .deletingLastPathComponent()
        .deletingLastPathComponent()

    func testEmbeddedCatalogIsByteIdenticalToConfigFile() throws {
        let file = Self.repoRoot.appendingPathComponent("config/pricing.json")
        let onDisk = try Data(contentsOf: file)
        XCTAssertEqual(Data(DefaultPricing.json.utf8), onDisk,
                       "run scripts/gen-pricing.py: DefaultPricing.swift and config/pricing.json differ")
        XCTAssertEqual(try PricingCatalog.decode(json: onDisk), DefaultPricing.catalog())
    }

    func testDecodesTheCuratedModels() throws {
        let catalog = try PricingCatalog.decode(json: Data(DefaultPricing.json.utf8))
        XCTAssertEqual(catalog, DefaultPricing.catalog())
        XCTAssertEqual(catalog.models, [
            "claude-3-5-haiku-20241022", "claude-opus-4-20250514", "claude-sonnet-4-20250514",
            "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "gpt-4o", "gpt-4o-mini",
            "llama-3.1-8b-instant", "llama-3.3-70b-versatile", "llama3.2", "o3-mini", "text-embedding-3-small",
        ])
    }

    func testTiers() {
        let catalog = DefaultPricing.catalog()
        let expected: [String: ModelTier] = [
            "gpt-4.1-nano": .small, "gpt-4.1-mini": .small, "gpt-4o-mini": .small,
            "claude-3-5-haiku-20241022": .small, "llama-3.1-8b-instant": .small, "llama3.2": .small,
            "text-embedding-3-small": .small,
            "gpt-4o": .medium, "gpt-4.1": .medium, "claude-sonnet-4-20250514": .medium,
            "llama-3.3-70b-versatile": .medium, "o3-mini": .medium,
            "claude-opus-4-20250514": .large,
        ]
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: catalog.allPrices.map { ($0.model, $0.tier) }), expected)
    }

    func testKnownPricesAreExact() throws {
        let catalog = DefaultPricing.catalog()
        let mini = try XCTUnwrap(catalog.price(for: "gpt-4o-mini"))
        XCTAssertEqual([mini.inputPerMTok, mini.cachedInputPerMTok, mini.cacheWritePerMTok, mini.outputPerMTok].map(\.nanos),
                       [150_000_000, 75_000_000, 0, 600_000_000])
        XCTAssertEqual(mini.contextWindow, 128_000)
        XCTAssertEqual(mini.provider, "openai")
        // 12 input + 12 output tokens = 1800 + 7200 nanos.
        XCTAssertEqual(CostCalculator.cost(of: TokenUsage(inputTokens: 12, outputTokens: 12), at: mini).nanos, 9_000)

        let sonnet = try XCTUnwrap(catalog.price(for: "claude-sonnet-4-20250514"))
        XCTAssertEqual([sonnet.inputPerMTok, sonnet.cachedInputPerMTok, sonnet.cacheWritePerMTok, sonnet.outputPerMTok].map(\.nanos),
                       [3_000_000_000, 300_000_000, 3_750_000_000, 15_000_000_000])
        XCTAssertEqual(catalog.price(for: "claude-opus-4-20250514")?.cacheWritePerMTok.nanos, 18_750_000_000)
        XCTAssertEqual(catalog.price(for: "o3-mini")?.outputPerMTok.nanos, 4_400_000_000)
        XCTAssertEqual(catalog.price(for: "text-embedding-3-small")?.inputPerMTok.nanos, 20_000_000)
        XCTAssertEqual(catalog.price(for: "text-embedding-3-small")?.outputPerMTok, .zero)
    }

    func testProvidersAndLocalModel() throws {
        let catalog = DefaultPricing.catalog()
        let groq = try XCTUnwrap(catalog.price(for: "llama-3.1-8b-instant"))
        XCTAssertEqual(groq.provider, "groq")
        XCTAssertEqual(groq.inputPerMTok.nanos, 50_000_000)
        XCTAssertEqual(groq.cachedInputPerMTok, groq.inputPerMTok)
        XCTAssertEqual(catalog.price(for: "llama-3.3-70b-versatile")?.provider, "groq")
        XCTAssertNil(catalog.price(for: "groq/llama-3.1-8b-instant"))
        let local = try XCTUnwrap(catalog.price(for: "llama3.2"))
        XCTAssertEqual(local.provider, "ollama")
        XCTAssertTrue(local.isFree)
        XCTAssertEqual(Set(catalog.allPrices.map(\.provider)), ["openai", "anthropic", "groq", "ollama"])
        // Every non-local model has a real price and a context window.
        for price in catalog.allPrices where price.provider != "ollama" {
            XCTAssertGreaterThan(price.inputPerMTok, .zero, price.model)
            XCTAssertNotNil(price.contextWindow, price.model)
        }
    }

    /// The generator writes the same shape `encodeJSON()` produces, so an exported catalog
    /// diffs cleanly against config/pricing.json.
    func testEncodeJSONReproducesTheEmbeddedText() throws {
        let encoded = try DefaultPricing.catalog().encodeJSON()
        XCTAssertEqual(String(decoding: encoded, as: UTF8.self) + "\n", DefaultPricing.json)
        XCTAssertEqual(try PricingCatalog.decode(json: encoded), DefaultPricing.catalog())
    }
}
