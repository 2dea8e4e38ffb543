import FinOpsCore
import Foundation
import Logging
import Storage
import XCTest

/// A record with every field set to a non-default value; `time` is whole milliseconds,
/// the precision the stores keep.
func sampleRecord(_ index: Int = 0, time: Date? = nil) -> TelemetryRecord {
    TelemetryRecord(
        time: time ?? Date(timeIntervalSince1970: 1_750_000_000.123 + Double(index)),
        requestID: "req-\(index)", org: "acme", team: "search", user: "ana@example.com",
        keyID: "key-7", useCase: "summarise", strategy: "cost-first", routeReason: "cheapest healthy",
        requestedModel: "router/cost-first", provider: "openai", model: "gpt-4o-mini",
        baselineModel: "gpt-4o", inputTokens: 1_200 + index, cachedInputTokens: 300, outputTokens: 450,
        cost: Money(nanos: 123_456_789), baselineCost: Money(nanos: 9_876_543_210), estimated: true,
        latencyMs: 812.5, ttftMs: 95.25, status: .failover, errorKind: "upstream_timeout",
        httpStatus: 200, attempts: ["anthropic:claude-3-haiku", "openai:gpt-4o-mini \"quoted\" é"],
        cache: "semantic", complexity: 3, streamed: true, outcome: "accepted")
}

/// A fresh directory under the system temp dir, removed when the test ends.
func temporaryDirectory(_ testCase: XCTestCase) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("finops-storage-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    testCase.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
}

let testLogger = Logger(label: "finops.storage.tests")
