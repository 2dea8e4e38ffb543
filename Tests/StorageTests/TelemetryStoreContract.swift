import FinOpsCore
import Foundation
import Storage
import XCTest

/// The behaviour every `TelemetryStore` must have, run against SQLite and PostgreSQL by
/// `SQLiteStoreContractTests` and `PostgresTelemetryStoreTests`.
enum TelemetryStoreContract {
    static func roundTripKeepsEveryField(_ store: any TelemetryStore) throws {
        let full = sampleRecord(1)
        let minimal = TelemetryRecord(time: Date(timeIntervalSince1970: 1_750_000_000), requestID: "req-min",
                                      requestedModel: "gpt-4o")
        XCTAssertEqual(try store.insert([full, minimal]), 2)
        XCTAssertEqual(try store.count(), 2)
        XCTAssertEqual(try store.recentRequests(limit: 10), [full, minimal])
    }

    static func insertIsIdempotent(_ store: any TelemetryStore) throws {
        let batch = (0..<50).map { sampleRecord($0) }
        XCTAssertEqual(try store.insert(batch), 50)
        XCTAssertEqual(try store.insert(batch), 0, "a replayed batch inserts nothing")
        let mixed = Array(batch[40...]) + (50..<60).map { sampleRecord($0) }
        XCTAssertEqual(try store.insert(mixed), 10, "only the new half of a mixed batch")
        XCTAssertEqual(try store.insert([sampleRecord(70), sampleRecord(70), sampleRecord(71)]), 2,
                       "a duplicate inside one batch is stored once")
        XCTAssertEqual(try store.count(), 62)
        let all = try store.recentRequests(limit: 1_000)
        XCTAssertEqual(Set(all.map(\.requestID)).count, all.count)
        let rollupRequests = try store.spendRollups(.day, from: .distantPast, to: .distantFuture, team: nil)
            .reduce(0) { $0 + $1.totals.requests }
        XCTAssertEqual(rollupRequests, 62, "duplicates never reach the rollups")
    }

    static func boundParametersSurviveHostileText(_ store: any TelemetryStore, keepsNUL: Bool) throws {
        let hostile = "'); DROP TABLE llm_requests;-- {\"a\",NULL} \\ \" $1 ?"
        var record = sampleRecord()
        record.requestID = hostile
        record.team = hostile
        record.user = "NULL"
        record.outcome = "\"; DELETE FROM schema_migrations; -- \u{0}nul"
        record.attempts = [hostile, "}{,\"\\"]
        XCTAssertEqual(try store.insert([record, sampleRecord(2)]), 2)
        XCTAssertEqual(try store.count(), 2)
        var expected = record
        if !keepsNUL { expected.outcome = "\"; DELETE FROM schema_migrations; -- \u{FFFD}nul" }
        XCTAssertEqual(try store.recentRequests(limit: 10).first { $0.requestID == hostile }, expected)
        let teamRollups = try store.spendRollups(.hour, from: .distantPast, to: .distantFuture, team: hostile)
        XCTAssertEqual(teamRollups.map(\.totals.requests), [1])
    }

    /// Many random batches, each replayed in part: rollups must equal sums over the raw rows.
    static func rollupsEqualSumsOverRawRows(_ store: any TelemetryStore, batches: Int = 40) throws {
        var rng = SplitMix64(seed: 99)
        var sent: [TelemetryRecord] = []
        for b in 0..<batches {
            var batch = (0..<rng.int(in: 1...120)).map { _ in randomRecord(&rng, index: sent.count + Int(rng.next() % 1_000_000)) }
            if !sent.isEmpty { batch += (0..<rng.int(in: 0...20)).map { _ in sent[rng.int(in: 0...(sent.count - 1))] } }
            batch.shuffle(using: &rng)
            try store.insert(batch)
            sent += batch
            if b % 10 == 9 { try store.insert(Array(sent.suffix(200))) }  // a replayed spill
        }
        let raw = try store.recentRequests(limit: 1_000_000)
        XCTAssertEqual(raw.count, Set(sent.map(\.requestID)).count)
        for granularity in SpendRollup.Granularity.allCases {
            let expected = SpendRollup.aggregate(raw, granularity)
            let actual = try store.spendRollups(granularity, from: .distantPast, to: .distantFuture, team: nil)
            XCTAssertEqual(actual.count, expected.count, "\(granularity) rollup rows")
            for row in actual {
                guard let want = expected[row.key] else { XCTFail("unexpected rollup key \(row.key)"); continue }
                XCTAssertTrue(row.totals.matches(want), "\(granularity) \(row.key): \(row.totals) != \(want)")
            }
        }
        let outcomes = OutcomeRollup.aggregate(raw)
        let actualOutcomes = try store.outcomeRollups(from: .distantPast, to: .distantFuture, team: nil)
        XCTAssertEqual(actualOutcomes.count, outcomes.count)
        for row in actualOutcomes { XCTAssertTrue(row.totals.matches(outcomes[row.key] ?? SpendTotals()), "\(row.key)") }
    }

    static func rangeQueriesAreHalfOpenAndFilterByTeam(_ store: any TelemetryStore) throws {
        let t0 = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z
        var records: [TelemetryRecord] = []
        for hour in 0..<48 {
            var r = sampleRecord(hour, time: t0.addingTimeInterval(Double(hour) * 3_600 + 59.5))
            r.team = hour.isMultiple(of: 2) ? "even" : "odd"
            records.append(r)
        }
        try store.insert(records)
        let firstDay = try store.spendRollups(.hour, from: t0, to: t0.addingTimeInterval(86_400), team: nil)
        XCTAssertEqual(firstDay.count, 24)
        XCTAssertEqual(firstDay.first?.key.bucket, t0)
        XCTAssertEqual(try store.spendRollups(.hour, from: t0.addingTimeInterval(1), to: t0.addingTimeInterval(7_200), team: nil).count, 1)
        let evenDays = try store.spendRollups(.day, from: t0, to: t0.addingTimeInterval(2 * 86_400), team: "even")
        XCTAssertEqual(evenDays.map(\.key.bucket), [t0, t0.addingTimeInterval(86_400)])
        XCTAssertEqual(evenDays.map(\.totals.requests), [12, 12])
        XCTAssertEqual(evenDays.map(\.totals.cost), [Money(nanos: 12 * 123_456_789), Money(nanos: 12 * 123_456_789)])
        XCTAssertEqual(try store.outcomeRollups(from: t0, to: t0.addingTimeInterval(3_600), team: "even").map(\.totals.requests), [1])
    }
}

/// A random but valid record around 2026-01, spread over ~40 days, 3 teams, 4 models.
func randomRecord(_ rng: inout SplitMix64, index: Int) -> TelemetryRecord {
    let statuses: [RequestStatus] = [.ok, .ok, .ok, .error, .failover, .cacheHit, .blocked]
    var r = sampleRecord(index, time: Date(timeIntervalSince1970: 1_767_225_600 + Double(rng.int(in: 0...3_456_000)) + 0.001 * Double(rng.int(in: 0...999))))
    r.requestID = "rnd-\(index)"
    r.team = ["search", "support", "sales"][rng.int(in: 0...2)]
    r.user = "user\(rng.int(in: 0...4))"
    r.model = ["gpt-4o", "gpt-4o-mini", "claude-sonnet-4-20250514", "llama3.2"][rng.int(in: 0...3)]
    r.status = statuses[rng.int(in: 0...(statuses.count - 1))]
    r.inputTokens = rng.int(in: 0...50_000)
    r.cachedInputTokens = rng.int(in: 0...r.inputTokens)
    r.outputTokens = rng.int(in: 0...4_000)
    r.cost = Money(nanos: Int64(rng.int(in: 0...90_000_000)))
    r.baselineCost = Money(nanos: Int64(rng.int(in: 0...90_000_000)))
    r.latencyMs = Double(rng.int(in: 1...90_000)) / 7
    // Exact bucket bounds (upper-inclusive in Swift and SQL alike) and the overflow bucket.
    if index % 13 == 0 { r.latencyMs = LatencyHistogram.boundsMs[index % LatencyHistogram.boundsMs.count] }
    if index % 29 == 0 { r.latencyMs = 61_000 }
    r.outcome = rng.int(in: 0...3) == 0 ? ["resolved", "accepted"][rng.int(in: 0...1)] : nil
    return r
}
