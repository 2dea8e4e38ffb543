@testable import Dashboard
import FinOpsCore
import Storage
import XCTest

final class TablesAndInputTests: XCTestCase {
    func testCSVKeepsRawValuesAndDefusesFormulas() {
        let table = DataTable(id: "t", caption: "c", columns: [.init("Team"), .init("Spend", numeric: true), .init("Savings", numeric: true)],
                              rows: [[DataTable.Cell("=HYPERLINK(\"x\")"), .money(Money(nanos: 12_345_678_900)), .money(Money(usd: -0.5))],
                                     [DataTable.Cell("+1"), .money(.zero), .money(.zero)],
                                     [DataTable.Cell("@sum"), .usd(nil), .percent(0.25)],
                                     [DataTable.Cell("-x, \"y\""), .count(3), .change(-0.3)]])
        let lines = table.csv.components(separatedBy: "\r\n")
        XCTAssertEqual(lines[0], "Team,Spend,Savings")
        XCTAssertEqual(lines[1], "\"'=HYPERLINK(\"\"x\"\")\",12.3456789,-0.500000", "exact money, negative numbers untouched")
        XCTAssertEqual(lines[2], "'+1,0.000000,0.000000")
        XCTAssertEqual(lines[3], "'@sum,,0.25")
        XCTAssertEqual(lines[4], "\"'-x, \"\"y\"\"\",3,-0.3")
    }

    func testRequestFiltersRejectBadInputByName() throws {
        func param(_ q: [String: String]) -> String? {
            do { _ = try RequestFilters(query: q); return nil } catch { return error.parameter }
        }
        XCTAssertEqual(param(["status": "exploded"]), "status")
        XCTAssertEqual(param(["limit": "0"]), "limit")
        XCTAssertEqual(param(["limit": "201"]), "limit")
        XCTAssertEqual(param(["limit": "ten"]), "limit")
        XCTAssertEqual(param(["from": "2026-02-30"]), "from")
        XCTAssertEqual(param(["to": "yesterday"]), "to")
        XCTAssertNil(param(["from": "2026-11-24", "to": "2026-11-23"]), "an inverted range is valid and matches nothing")
        XCTAssertEqual(param(["cursor": "nope"]), "cursor")
        XCTAssertEqual(param(["team": String(repeating: "x", count: 300)]), "team")
        let f = try RequestFilters(query: ["team": " search ", "status": "cache_hit", "from": "2026-11-23", "to": "2026-11-23", "limit": "10",
                                           "cursor": "1796220000000~req-9"])
        XCTAssertEqual(f.team, "search")
        XCTAssertEqual(f.status, .cacheHit)
        XCTAssertEqual(f.toExclusive!.timeIntervalSince(f.from!), 86_400, "to is inclusive")
        XCTAssertEqual(f.query.before, RequestCursor(timeMillis: 1_796_220_000_000, requestID: "req-9"))
        XCTAssertEqual(f.query.limit, 10)
        XCTAssertEqual(RequestCursor(token: RequestCursor(timeMillis: 5, requestID: "a~b").token)?.requestID, "a~b")
    }

    func testLinksEncodeEveryUserProvidedPart() {
        XCTAssertEqual(DashboardLinks.team("<script>alert(1)</script>", range: .last30d), "/teams/%3Cscript%3Ealert%281%29%3C%2Fscript%3E?range=30d")
        XCTAssertEqual(DashboardLinks.url("/requests", [("team", "a&b=c"), ("model", nil), ("status", "")]), "/requests?team=a%26b%3Dc")
        XCTAssertEqual(DashboardLinks.decode("a%20b+c", plusAsSpace: true), "a b c")
        XCTAssertNil(DashboardLinks.decode("%zz"))
        XCTAssertNil(DashboardLinks.decode("%ff"), "not UTF-8")
        XCTAssertEqual(Dashboard.safeNext("//evil.example/x"), "/")
        XCTAssertEqual(Dashboard.safeNext("https://evil.example"), "/")
        XCTAssertEqual(Dashboard.safeNext("/teams/a%20b"), "/teams/a%20b")
        XCTAssertEqual(Dashboard.safeNext("/x\"><script>"), "/")
        XCTAssertEqual(Dashboard.next(forPath: "/teams/a b"), "/teams/a%20b")
    }

    func testViewerTokenFromBearerOrCookie() {
        let auth = ViewerAuth(token: "viewer-token-0123456789")
        XCTAssertTrue(auth.isEnabled)
        XCTAssertFalse(auth.allows(authorization: nil, cookie: nil))
        XCTAssertTrue(auth.allows(authorization: "Bearer viewer-token-0123456789", cookie: nil))
        XCTAssertTrue(auth.allows(authorization: "bearer viewer-token-0123456789", cookie: nil))
        XCTAssertFalse(auth.allows(authorization: "Bearer viewer-token-012345678", cookie: nil))
        XCTAssertTrue(auth.allows(authorization: nil, cookie: "a=1; finops_viewer=viewer-token-0123456789; b=2"))
        XCTAssertFalse(auth.allows(authorization: nil, cookie: "finops_viewer=wrong"))
        XCTAssertTrue(auth.loginCookie("t").contains("HttpOnly"))
        XCTAssertTrue(ViewerAuth(token: nil).allows(authorization: nil, cookie: nil))
        XCTAssertFalse(ViewerAuth(token: "").isEnabled)
    }

    func testPublicDirectorySearchOrder() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("finops-public-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        func make(_ dir: String) throws {
            try FileManager.default.createDirectory(atPath: dir + "/templates", withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: dir + "/templates/layout.mustache", contents: Data())
        }
        let exe = root + "/repo/.build/debug/finops-router"
        try FileManager.default.createDirectory(atPath: root + "/repo/.build/debug", withIntermediateDirectories: true)
        try make(root + "/repo/Public")
        XCTAssertEqual(try PublicDirectory.locate(configured: nil, environment: [:], executable: exe, workingDirectory: "/nonexistent"), root + "/repo/Public")
        try make(root + "/repo/.build/share/finops-router/Public")
        XCTAssertEqual(try PublicDirectory.locate(configured: nil, environment: [:], executable: exe, workingDirectory: "/"),
                       root + "/repo/.build/share/finops-router/Public", "an installed copy beats a source tree")
        try make(root + "/env")
        XCTAssertEqual(try PublicDirectory.locate(configured: nil, environment: ["FINOPS_PUBLIC_DIR": root + "/env"], executable: exe, workingDirectory: "/"),
                       root + "/env")
        XCTAssertEqual(try PublicDirectory.locate(configured: root + "/env", environment: [:], executable: nil, workingDirectory: "/"), root + "/env")
        XCTAssertThrowsError(try PublicDirectory.locate(configured: root + "/missing", environment: [:], executable: exe, workingDirectory: "/")) { error in
            XCTAssertNotNil((error as? PublicDirectory.NotFound)?.configured)
        }
        XCTAssertThrowsError(try PublicDirectory.locate(configured: nil, environment: [:], executable: "/nowhere/bin/x", workingDirectory: "/nowhere"))
        XCTAssertNoThrow(try DashboardAssets(directory: try PublicDirectory.locate(configured: nil, environment: [:])), "the repository's Public/ loads")
    }
}
