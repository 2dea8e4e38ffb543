import FinOpsCore
import Foundation
import Storage
import XCTest

/// `RequestSearch` on every store: filters, half-open time ranges, keyset pages that visit every
/// matching row exactly once in (time, request id) order, and hostile filter values bound.
enum RequestSearchContract {
    /// The reference: the same query answered over the rows in memory.
    static func expected(_ rows: [TelemetryRecord], _ q: RequestQuery) -> [TelemetryRecord] {
        func ms(_ d: Date) -> Int64 { SpendRollup.Granularity.epochMillis(d) }
        return rows.filter { r in
            (q.team == nil || r.team == q.team) && (q.model == nil || r.model == q.model)
                && (q.provider == nil || r.provider == q.provider) && (q.status == nil || r.status == q.status)
                && (q.from.map { ms(r.time) >= ms($0) } ?? true) && (q.to.map { ms(r.time) < ms($0) } ?? true)
                && (q.before.map { (ms(r.time), r.requestID) < ($0.timeMillis, $0.requestID) } ?? true)
        }
        .sorted { (ms($0.time), $0.requestID) > (ms($1.time), $1.requestID) }
        .prefix(q.limit).map { $0 }
    }

    static func filtersAndPagesMatchTheReference(_ store: any TelemetryStore) throws {
        var rng = SplitMix64(seed: 17)
        var rows = (0..<600).map { randomRecord(&rng, index: $0) }
        // Ties on time: the request id breaks them, and pages must not skip or repeat a row.
        for i in 0..<40 { rows[i].time = rows[40].time }
        for i in 0..<rows.count where i % 5 == 0 { rows[i].provider = "anthropic" }
        try store.insert(rows)
        let stored = try store.recentRequests(limit: 10_000)
        XCTAssertEqual(stored.count, rows.count)

        let t0 = Date(timeIntervalSince1970: 1_767_225_600 + 500_000)
        let queries: [RequestQuery] = [
            RequestQuery(limit: 25),
            RequestQuery(team: "support", limit: 30),
            RequestQuery(model: "gpt-4o", status: .error, limit: 7),
            RequestQuery(provider: "anthropic", limit: 50),
            RequestQuery(status: .cacheHit, from: t0, to: t0.addingTimeInterval(2_000_000), limit: 11),
            RequestQuery(team: "sales", model: "llama3.2", provider: "openai", status: .ok, limit: 4),
            RequestQuery(team: "nobody", limit: 10),
        ]
        for query in queries {
            var q = query
            var seen: [String] = []
            var pages = 0
            while pages < 200 {
                let page = try store.requests(q)
                XCTAssertEqual(page.map(\.requestID), expected(stored, q).map(\.requestID), "\(q)")
                seen += page.map(\.requestID)
                guard page.count == q.limit, let last = page.last else { break }
                q.before = RequestCursor(after: last)
                pages += 1
            }
            var all = query
            all.limit = 1_000
            all.before = nil
            XCTAssertEqual(seen, expected(stored, all).map(\.requestID), "paging \(query) visits every row once, in order")
        }
        // Full records come back, not just ids.
        XCTAssertEqual(try store.requests(RequestQuery(limit: 3)), Array(stored.prefix(3)))
    }

    static func hostileFilterValuesAreBound(_ store: any TelemetryStore) throws {
        let hostile = "x' OR '1'='1"
        var record = sampleRecord(1)
        record.team = hostile
        try store.insert([record, sampleRecord(2)])
        XCTAssertEqual(try store.requests(RequestQuery(team: hostile)).map(\.requestID), ["req-1"])
        XCTAssertEqual(try store.requests(RequestQuery(team: "x' OR '1'='1' --", model: "'; DROP TABLE llm_requests; --")), [])
        let cursor = RequestCursor(timeMillis: Int64.max / 2, requestID: "') OR 1=1 --")
        XCTAssertEqual(try store.requests(RequestQuery(before: cursor)).count, 2)
        XCTAssertEqual(try store.count(), 2)
    }
}
