import FinOpsCore
import FinOpsTestSupport
import Foundation
import Storage
import XCTest

/// seed → report → export through the real binary: the numbers must agree with each other and
/// with the raw rows in the store.
final class SeedReportExportTests: XCTestCase {
    private let end = "2026-11-23T14:00:00Z"

    func testSeedThenReportAndFocusExportMatchTheRawRows() throws {
        let dir = try temporaryDirectory(self)
        let db = dir + "/finops.sqlite"
        let seeded = try FinOpsRouterBinary.run(["seed", "--rows", "3000", "--days", "10", "--end", end, "--sqlite-path", db])
        XCTAssertTrue(seeded.contains("3000 new"), seeded)
        XCTAssertTrue(seeded.contains("rows/s"), seeded)

        let store = try SQLiteTelemetryStore(path: db)
        let raw = try store.recentRequests(limit: 10_000)
        XCTAssertEqual(raw.count, 3_000)
        let rawCost = raw.reduce(Money.zero) { $0 + $1.cost }, rawBaseline = raw.reduce(Money.zero) { $0 + $1.baselineCost }

        let json = try JSONParser.parse(try FinOpsRouterBinary.run(["report", "--period", "10d", "--end", end, "--format", "json", "--sqlite-path", db]))
        XCTAssertEqual(json["total"]?["requests"]?.intValue, 3_000)
        XCTAssertEqual(money(json["total"]?["spend_usd"]), rawCost)
        XCTAssertEqual(money(json["total"]?["baseline_usd"]), rawBaseline)
        XCTAssertEqual(json["total"]?["failovers"]?.intValue, raw.filter { $0.status == .failover }.count)
        let teamSpend = (json["by_team"]?.arrayValue ?? []).compactMap { money($0["spend_usd"]) }.reduce(Money.zero, +)
        XCTAssertEqual(teamSpend, rawCost)
        let resolved = (json["outcomes"]?.arrayValue ?? []).first { $0["outcome"]?.stringValue == "ticket_resolved" }
        XCTAssertEqual(resolved?["outcomes"]?.intValue, raw.filter { $0.outcome == "ticket_resolved" }.count)
        let triageSpend = raw.filter { $0.team == "support" && $0.useCase == "ticket-triage" }.reduce(Money.zero) { $0 + $1.cost }
        XCTAssertEqual(money(resolved?["use_case_spend_usd"]), triageSpend)

        let supportOnly = try JSONParser.parse(try FinOpsRouterBinary.run(["report", "--period", "10d", "--end", end, "--team", "support",
                                                                           "--format", "json", "--sqlite-path", db]))
        XCTAssertEqual(money(supportOnly["total"]?["spend_usd"]), raw.filter { $0.team == "support" }.reduce(Money.zero) { $0 + $1.cost })

        let table = try FinOpsRouterBinary.run(["report", "--period", "7d", "--end", end, "--sqlite-path", db])
        XCTAssertTrue(table.contains("Cost per outcome"), table)

        let csvPath = dir + "/focus.csv"
        try FinOpsRouterBinary.run(["export", "--focus", "--period", "10d", "--end", end, "--out", csvPath, "--sqlite-path", db])
        let rows = try CSVReader.rows(try String(contentsOfFile: csvPath, encoding: .utf8))
        let header = rows[0]
        XCTAssertEqual(header, FocusExport.columns)
        let billed = rows.dropFirst().map { Money(decimalString: $0[header.firstIndex(of: "BilledCost")!])! }.reduce(Money.zero, +)
        XCTAssertEqual(billed, rawCost, "FOCUS BilledCost sums to the same total")
        let dailyRollups = try store.spendRollups(.day, from: .distantPast, to: .distantFuture, team: nil)
        XCTAssertEqual(rows.count - 1, dailyRollups.count)
    }

    /// The same seed into SQLite and PostgreSQL gives the same report; seeding again adds nothing.
    func testSeedIsIdempotentAndBothStoresReportTheSame() throws {
        guard let server = PostgresScratchDatabase.serverURL else {
            throw XCTSkip("FINOPS_TEST_POSTGRES_URL is not set: PostgreSQL CLI test skipped (scripts/test sets it)")
        }
        let database = try PostgresScratchDatabase(serverURL: server)
        defer { database.drop() }
        let db = try temporaryDirectory(self) + "/finops.sqlite"
        let args = ["seed", "--rows", "2000", "--days", "5", "--end", end, "--seed", "7"]
        try FinOpsRouterBinary.run(args + ["--sqlite-path", db])
        let first = try FinOpsRouterBinary.run(args + ["--database-url", database.url])
        XCTAssertTrue(first.contains("2000 new"), first)
        let again = try FinOpsRouterBinary.run(args, environment: ["FINOPS_DATABASE_URL": database.url])
        XCTAssertTrue(again.contains("0 new, 2000 already present"), again)

        let report = ["report", "--period", "5d", "--end", end, "--format", "csv"]
        let fromSQLite = try FinOpsRouterBinary.run(report + ["--sqlite-path", db])
        let fromPostgres = try FinOpsRouterBinary.run(report + ["--database-url", database.url])
        XCTAssertEqual(fromSQLite, fromPostgres)
    }

    private func money(_ value: JSONValue?) -> Money? {
        guard case .number(let text)? = value else { return nil }
        return Money(decimalString: text)
    }
}

/// RFC 4180 reader (quoted fields, doubled quotes, embedded newlines).
enum CSVReader {
    static func rows(_ text: String) throws -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
        var chars = Array(text)[...]
        while let c = chars.popFirst() {
            switch (quoted, c) {
            case (true, "\""):
                if chars.first == "\"" { field.append("\""); chars = chars.dropFirst() } else { quoted = false }
            case (true, _): field.append(c)
            case (false, "\""): quoted = true
            case (false, ","): row.append(field); field = ""
            case (false, "\n"): row.append(field); field = ""; rows.append(row); row = []
            default: field.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}
