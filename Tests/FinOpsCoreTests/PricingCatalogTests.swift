import Foundation
import XCTest
@testable import FinOpsCore

final class PricingCatalogTests: XCTestCase {
    let sample = """
    {"version":1,"currency":"USD","unit":"per_1m_tokens","models":[
      {"model":"gpt-4o-mini","provider":"openai","tier":"small","input":0.15,"cached_input":0.075,"cache_write":0,"output":0.6,"context_window":128000},
      {"model":"claude-sonnet-4-20250514","provider":"anthropic","tier":"medium","input":3,"cached_input":0.3,"cache_write":3.75,"output":15},
      {"model":"groq/llama-3.3-70b-versatile","provider":"groq","tier":"medium","input":0.59,"output":0.79},
      {"model":"o3-mini","provider":"openai","tier":"large","input":1.1,"cached_input":0.55,"output":4.4,"context_window":200000}
    ]}
    """

    func decode(_ text: String) throws -> PricingCatalog { try PricingCatalog.decode(json: Data(text.utf8)) }

    /// Decodes one model entry (inside a valid file) and returns the error it raises.
    func error(forEntry entry: String, extra: String = "") -> PricingError? {
        let text = #"{"version":1,"currency":"USD","unit":"per_1m_tokens","models":["# + entry + extra + "]}"
        do {
            _ = try decode(text)
            XCTFail("expected an error for \(entry)")
            return nil
        } catch let error as PricingError {
            return error
        } catch {
            XCTFail("unexpected error type: \(error)")
            return nil
        }
    }

    func testDecodesExactNanos() throws {
        let catalog = try decode(sample)
        let mini = try XCTUnwrap(catalog.price(for: "gpt-4o-mini"))
        XCTAssertEqual(mini, ModelPrice(
            model: "gpt-4o-mini", provider: "openai", inputPerMTok: Money(nanos: 150_000_000),
            cachedInputPerMTok: Money(nanos: 75_000_000), cacheWritePerMTok: .zero,
            outputPerMTok: Money(nanos: 600_000_000), tier: .small, contextWindow: 128_000))
        let o3 = try XCTUnwrap(catalog.price(for: "o3-mini"))
        // 1.1 and 4.4 have no exact binary form; the Decimal path still gives exact nanos.
        XCTAssertEqual(o3.inputPerMTok.nanos, 1_100_000_000)
        XCTAssertEqual(o3.cachedInputPerMTok.nanos, 550_000_000)
        XCTAssertEqual(o3.outputPerMTok.nanos, 4_400_000_000)
        XCTAssertEqual(o3.tier, .large)
        let sonnet = try XCTUnwrap(catalog.price(for: "claude-sonnet-4-20250514"))
        XCTAssertEqual(sonnet.cacheWritePerMTok.nanos, 3_750_000_000)
        XCTAssertNil(sonnet.contextWindow)
    }

    func testExponentAndSubNanoPrices() throws {
        let catalog = try decode("""
            {"version":1,"models":[{"model":"a","provider":"p","tier":"small","input":1.5e-1,"output":7.5E-2},
            {"model":"b","provider":"p","tier":"small","input":0.0000000015,"output":0.000000001}]}
            """)
        XCTAssertEqual(catalog.price(for: "a")?.inputPerMTok.nanos, 150_000_000)
        XCTAssertEqual(catalog.price(for: "a")?.outputPerMTok.nanos, 75_000_000)
        XCTAssertEqual(catalog.price(for: "b")?.inputPerMTok.nanos, 2) // 1.5 nanos rounds half up
        XCTAssertEqual(catalog.price(for: "b")?.outputPerMTok.nanos, 1)
    }

    func testOptionalFieldDefaults() throws {
        let llama = try XCTUnwrap(try decode(sample).price(for: "groq/llama-3.3-70b-versatile"))
        XCTAssertEqual(llama.cachedInputPerMTok, llama.inputPerMTok) // no discount assumed
        XCTAssertEqual(llama.inputPerMTok.nanos, 590_000_000)
        XCTAssertEqual(llama.cacheWritePerMTok, .zero)
        XCTAssertNil(llama.contextWindow)
    }

    func testLookupAndDatedAliases() throws {
        let catalog = try decode(sample)
        XCTAssertEqual(catalog.models, ["claude-sonnet-4-20250514", "gpt-4o-mini", "groq/llama-3.3-70b-versatile", "o3-mini"])
        XCTAssertEqual(catalog.allPrices.map(\.model), catalog.models)
        XCTAssertEqual(catalog.price(for: "gpt-4o-mini-2024-07-18")?.model, "gpt-4o-mini")
        XCTAssertEqual(catalog.price(for: "o3-mini-2025-01-31")?.model, "o3-mini")
        XCTAssertNil(catalog.price(for: "gpt-4o-mini-2024-07"))
        XCTAssertNil(catalog.price(for: "gpt-4o"))
        XCTAssertNil(catalog.price(for: "GPT-4O-MINI"))
        XCTAssertNil(catalog.price(for: ""))
    }

    func testInitAndMergingLaterWins() throws {
        let base = try decode(sample)
        var cheaper = try XCTUnwrap(base.price(for: "gpt-4o-mini"))
        cheaper.outputPerMTok = Money(nanos: 1)
        let added = ModelPrice(model: "llama3.2", provider: "ollama", inputPerMTok: .zero,
                               cachedInputPerMTok: .zero, outputPerMTok: .zero, tier: .small)
        let merged = base.merging(PricingCatalog(prices: [cheaper, added]))
        XCTAssertEqual(merged.models.count, 5)
        XCTAssertEqual(merged.price(for: "gpt-4o-mini")?.outputPerMTok.nanos, 1)
        XCTAssertEqual(merged.price(for: "o3-mini"), base.price(for: "o3-mini"))
        XCTAssertEqual(PricingCatalog(prices: [added, cheaper, base.price(for: "gpt-4o-mini")!])
            .price(for: "gpt-4o-mini")?.outputPerMTok.nanos, 600_000_000)
    }

    func testEncodeDecodeRoundTrip() throws {
        let catalog = try decode(sample)
        let data = try catalog.encodeJSON()
        XCTAssertEqual(try PricingCatalog.decode(json: data), catalog)
        let text = String(decoding: data, as: UTF8.self)
        XCTAssertTrue(text.contains(#""cached_input" : 0.075"#), text)
        XCTAssertTrue(text.contains(#""input" : 1.1"#), text)
        XCTAssertTrue(text.contains(#""model" : "groq/llama-3.3-70b-versatile""#), text) // slash not escaped
        XCTAssertTrue(text.contains(#""unit" : "per_1m_tokens""#), text)
        XCTAssertFalse(text.contains("context_window\" : null"), text)
        // Sorted keys and models: stable output for diffs.
        let currency = try XCTUnwrap(text.range(of: "\"currency\"")), version = try XCTUnwrap(text.range(of: "\"version\""))
        XCTAssertLessThan(currency.lowerBound, version.lowerBound)
        let claude = try XCTUnwrap(text.range(of: "claude-sonnet")), o3 = try XCTUnwrap(text.range(of: "o3-mini"))
        XCTAssertLessThan(claude.lowerBound, o3.lowerBound)
    }

    func testNegativePriceNamesModelAndField() {
        let error = self.error(forEntry: #"{"model":"bad-model","provider":"p","tier":"small","input":0.1,"cached_input":-0.05,"output":1}"#)
        XCTAssertEqual(error?.model, "bad-model")
        XCTAssertEqual(error?.field, "cached_input")
        XCTAssertEqual(error?.description, #"pricing error: model "bad-model", field "cached_input": negative price -0.05"#)
    }

    func testMissingRequiredFields() {
        let noOutput = error(forEntry: #"{"model":"m1","provider":"p","tier":"small","input":0.1}"#)
        XCTAssertEqual(noOutput?.description, #"pricing error: model "m1", field "output": missing"#)
        XCTAssertEqual(error(forEntry: #"{"model":"m2","tier":"small","input":0.1,"output":1}"#)?.field, "provider")
        XCTAssertEqual(error(forEntry: #"{"model":"m3","provider":"p","input":0.1,"output":1}"#)?.field, "tier")
        XCTAssertEqual(error(forEntry: #"{"model":"m4","provider":"p","tier":"small","output":1}"#)?.field, "input")
        let noName = error(forEntry: #"{"model":"ok","provider":"p","tier":"small","input":1,"output":1}"#,
                           extra: #",{"provider":"p","tier":"small","input":1,"output":1}"#)
        XCTAssertEqual(noName?.model, "models[1]")
        XCTAssertEqual(noName?.field, "model")
    }

    func testUnknownTier() {
        let error = self.error(forEntry: #"{"model":"m","provider":"p","tier":"huge","input":1,"output":1}"#)
        XCTAssertEqual(error?.field, "tier")
        XCTAssertTrue(error?.description.contains(#"model "m""#) == true)
        XCTAssertTrue(error?.description.contains(#"unknown tier "huge""#) == true)
    }

    func testDuplicateModel() {
        let entry = #"{"model":"twice","provider":"p","tier":"small","input":1,"output":1}"#
        let error = self.error(forEntry: entry, extra: "," + entry)
        XCTAssertEqual(error, PricingError(model: "twice", field: "model", reason: "duplicate model"))
    }

    func testWrongTypesAndUnknownFields() {
        let quoted = error(forEntry: #"{"model":"m","provider":"p","tier":"small","input":"0.15","output":1}"#)
        XCTAssertEqual(quoted?.field, "input")
        let typo = error(forEntry: #"{"model":"m","provider":"p","tier":"small","input":1,"output":1,"cache_wrte":2}"#)
        XCTAssertEqual(typo, PricingError(model: "m", field: "cache_wrte", reason: "unknown field"))
        let window = error(forEntry: #"{"model":"m","provider":"p","tier":"small","input":1,"output":1,"context_window":12.5}"#)
        XCTAssertEqual(window?.field, "context_window")
        let bool = error(forEntry: #"{"model":"m","provider":"p","tier":"small","input":1,"output":true}"#)
        XCTAssertEqual(bool?.field, "output")
    }

    func testFileLevelErrors() {
        func fileError(_ text: String) -> PricingError? {
            do { _ = try decode(text); return nil } catch { return error as? PricingError }
        }
        XCTAssertEqual(fileError(#"{"version":2,"models":[]}"#)?.field, "version")
        XCTAssertEqual(fileError(#"{"models":[]}"#)?.field, "version")
        XCTAssertEqual(fileError(#"{"version":1,"currency":"EUR","models":[]}"#)?.field, "currency")
        XCTAssertEqual(fileError(#"{"version":1,"unit":"per_token","models":[]}"#)?.field, "unit")
        XCTAssertEqual(fileError(#"{"version":1}"#)?.field, "models")
        XCTAssertEqual(fileError("[1,2]")?.model, nil)
        XCTAssertNotNil(fileError("not json"))
        XCTAssertEqual(fileError(#"{"version":1,"models":[]}"#), nil) // empty catalog is valid
        XCTAssertEqual(PricingError(model: nil, field: "version", reason: "x").description,
                       #"pricing error: price file, field "version": x"#)
    }

    func testTierOrdering() {
        XCTAssertLessThan(ModelTier.small, .medium)
        XCTAssertLessThan(ModelTier.medium, .large)
        XCTAssertEqual(ModelTier.allCases.sorted(), [.small, .medium, .large])
        XCTAssertEqual(ModelTier.small.higher, .medium)
        XCTAssertNil(ModelTier.large.higher)
        XCTAssertEqual(ModelTier.large.lower, .medium)
        XCTAssertNil(ModelTier.small.lower)
        XCTAssertEqual(ModelTier(rawValue: "large"), .large)
    }
}
