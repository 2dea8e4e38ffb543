import FinOpsCore
import Foundation
import Storage
import XCTest

/// `spendSummaries` on every store: the database's sums over the dropped key columns equal the
/// in-memory sums over the raw rows, for several column sets, ranges and a team filter.
enum SpendSummaryContract {
    static func summariesEqualSumsOverRawRows(_ store: any TelemetryStore) throws {
        var rng = SplitMix64(seed: 23)
        let rows = (0..<800).map { randomRecord(&rng, index: $0) }
        try store.insert(rows)
        let from = Date(timeIntervalSince1970: 1_767_225_600 + 400_000), to = Date(timeIntervalSince1970: 1_767_225_600 + 3_000_000)
        let sets: [Set<RollupDimension>] = [[], [.team], [.team, .useCase], [.provider, .model], [.strategy], Set(RollupDimension.allCases)]
        for granularity in SpendRollup.Granularity.allCases {
            for keep in sets {
                for (team, measures) in [(nil, RollupMeasures.all), ("support", .all), (nil, .money)] as [(String?, RollupMeasures)] {
                    let picked = rows.filter { r in
                        let bucket = granularity.bucketStart(r.time)
                        return bucket >= from && bucket < to && (team == nil || r.team == team)
                    }
                    var expected: [SpendRollup.Key: SpendTotals] = [:]
                    for (key, totals) in SpendRollup.aggregate(picked, granularity) {
                        expected[key.keeping(keep), default: SpendTotals()].add(measures.restrict(totals))
                    }
                    let actual = try store.spendSummaries(granularity, from: from, to: to, team: team, keep: keep, measures: measures)
                    XCTAssertEqual(actual.count, expected.count, "\(granularity) \(keep) \(team ?? "all")")
                    XCTAssertEqual(Set(actual.map(\.key)).count, actual.count, "one row per kept key")
                    for row in actual {
                        XCTAssertTrue(row.totals.matches(expected[row.key] ?? SpendTotals()), "\(granularity) \(keep) \(row.key)")
                    }
                }
            }
        }
        for team in [nil, "sales"] as [String?] {
            var expected: [OutcomeRollup.Key: SpendTotals] = [:]
            for (key, totals) in OutcomeRollup.aggregate(rows.filter { team == nil || $0.team == team }) where key.bucket >= from && key.bucket < to {
                var k = key
                k.bucket = from
                expected[k, default: SpendTotals()].add(RollupMeasures.money.restrict(totals))
            }
            let actual = try store.outcomeSummaries(from: from, to: to, team: team)
            XCTAssertEqual(actual.count, expected.count, "outcomes \(team ?? "all")")
            for row in actual { XCTAssertTrue(row.totals.matches(expected[row.key] ?? SpendTotals()), "outcome \(row.key)") }
        }
    }
}
