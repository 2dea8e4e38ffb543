import Dashboard
import FinOpsCore
import Foundation
import Storage
import XCTest

/// The dashboard over real HTTP against a real router and its SQLite store, after seeding rows
/// through the store API: every page and `/api/v1` view, their CSVs, bad input, escaping, the
/// viewer token.
final class DashboardHTTPTests: XCTestCase {
    static let pages = ["/", "/?range=24h", "/?range=30d", "/?range=mtd", "/drift", "/drift?range=24h", "/budgets", "/providers",
                        "/strategies?range=mtd", "/requests", "/requests?status=error&team=support", "/teams/support", "/teams/nobody"]
    static let views = ["/api/v1/overview", "/api/v1/drift", "/api/v1/budgets", "/api/v1/providers", "/api/v1/strategies",
                        "/api/v1/requests", "/api/v1/teams/support"]

    /// A router with `records` stored (and rolled up) in its database.
    func router(_ records: [TelemetryRecord], alerts: [AlertRecord] = [], environment: [String: String] = [:],
                configure: (inout RouterConfig) -> Void = { _ in }) throws -> RouterHarness {
        let harness = try RouterHarness(upstream: nil, environment: environment) {
            $0.org = "acme"
            configure(&$0)
        }
        let store = try SQLiteTelemetryStore(path: harness.dbPath)
        try store.insert(records)
        for alert in alerts { try store.insertAlert(alert) }
        return harness
    }

    static func seeded(rows: Int = 3_000) -> [TelemetryRecord] {
        SeedTrafficGenerator(rows: rows, days: 35, end: Date(), seed: 3, catalog: DefaultPricing.catalog()).generate()
    }

    func testEveryPageAndViewAnswersWithFiguresFromTheRows() async throws {
        let records = Self.seeded()
        let alert = AlertRecord(time: Date().addingTimeInterval(-3_600), fingerprint: "spend_spike:team=support", kind: "spend_spike",
                                severity: .critical, org: "acme", team: "support", title: "Support spend spike", message: "5x the hourly baseline",
                                value: 50, threshold: 10, labels: ["use_case": "ticket-triage", "z_score": "6.1"])
        let r = try router(records, alerts: [alert]) {
            $0.spend.budgets = [BudgetPolicy(scope: .org, subject: "acme", period: .monthly, limit: Money(usd: 500)),
                                BudgetPolicy(scope: .team, subject: "support", period: .monthly, limit: Money(usd: 100))]
        }
        for page in Self.pages {
            let reply = try await r.request("GET", page)
            XCTAssertEqual(reply.status, 200, "\(page): \(reply.text.prefix(300))")
            XCTAssertEqual(reply.header("content-type"), "text/html; charset=utf-8", page)
            XCTAssertTrue(reply.text.contains("<h1>"), page)
            XCTAssertTrue(reply.header("content-security-policy")?.contains("script-src 'self'") == true, page)
            XCTAssertFalse(reply.text.contains("{{"), "\(page): unrendered template tag")
            XCTAssertNotNil(reply.header("server-timing"), page)
        }
        for view in Self.views {
            let reply = try await r.request("GET", view)
            XCTAssertEqual(reply.status, 200, "\(view): \(reply.text.prefix(300))")
            XCTAssertNotNil(reply.json?["generated_at"]?.stringValue, view)
        }

        // Overview totals equal the sums over the seeded rows of the last 7 days (the default range).
        let reply1 = try await r.request("GET", "/api/v1/overview")
        let overview = try XCTUnwrap(reply1.json)
        let from = try XCTUnwrap(overview["range"]?["from"]?.stringValue.flatMap(CivilDate.parse))
        let inRange = records.filter { $0.time >= from }
        XCTAssertEqual(overview["totals"]?["requests"]?.intValue, inRange.count)
        XCTAssertEqual(overview["totals"]?["cost_usd"], .number(inRange.reduce(Money.zero) { $0 + $1.cost }.decimalString))
        XCTAssertEqual(overview["month_to_date"]?["budget"]?["id"]?.stringValue, "org:acme:monthly")
        let teams = try XCTUnwrap(overview["teams"]?.arrayValue)
        XCTAssertEqual(Set(teams.compactMap { $0["name"]?.stringValue }), Set(inRange.map(\.team)))
        let overviewHTML = try await r.request("GET", "/").text
        XCTAssertTrue(overviewHTML.contains(">\(DisplayFormat.money(inRange.reduce(Money.zero) { $0 + $1.cost }))<"), "the spend KPI")

        let reply2 = try await r.request("GET", "/api/v1/drift")
        let drift = try XCTUnwrap(reply2.json)
        XCTAssertEqual(drift["alerts"]?.arrayValue?.count, 1)
        XCTAssertEqual(drift["alerts"]?.arrayValue?.first?["severity"]?.stringValue, "critical")
        XCTAssertEqual(drift["alerts"]?.arrayValue?.first?["labels"]?["z_score"]?.stringValue, "6.1")
        let reply3 = try await r.request("GET", "/drift")
        XCTAssertTrue(reply3.text.contains("Support spend spike"))

        let reply4 = try await r.request("GET", "/api/v1/budgets")
        let budgets = try XCTUnwrap(reply4.json?["budgets"]?.arrayValue)
        XCTAssertEqual(Set(budgets.compactMap { $0["id"]?.stringValue }), ["org:acme:monthly", "team:support:monthly"])
        let reply5 = try await r.request("GET", "/budgets")
        XCTAssertTrue(reply5.text.contains("class=\"util\""), "utilization bars")

        // Requests: pages of 50, newest first, following the cursor never repeats a row.
        let reply6 = try await r.request("GET", "/api/v1/requests")
        let first = try XCTUnwrap(reply6.json)
        let ids1 = try XCTUnwrap(first["data"]?.arrayValue).compactMap { $0["request_id"]?.stringValue }
        XCTAssertEqual(ids1.count, 50)
        let newest = records.sorted { ($0.time, $0.requestID) > ($1.time, $1.requestID) }.prefix(50).map(\.requestID)
        XCTAssertEqual(ids1, Array(newest))
        let cursor = try XCTUnwrap(first["next_cursor"]?.stringValue)
        let second = try await r.request("GET", "/api/v1/requests?cursor=" + cursor.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
        let ids2 = try XCTUnwrap(second.json?["data"]?.arrayValue).compactMap { $0["request_id"]?.stringValue }
        XCTAssertEqual(ids2, Array(records.sorted { ($0.time, $0.requestID) > ($1.time, $1.requestID) }.dropFirst(50).prefix(50).map(\.requestID)))
        let reply7 = try await r.request("GET", "/api/v1/requests?status=error&limit=200")
        let errors = try XCTUnwrap(reply7.json?["data"]?.arrayValue)
        XCTAssertEqual(errors.count, min(200, records.filter { $0.status == .error }.count))
        XCTAssertTrue(errors.allSatisfy { $0["status"]?.stringValue == "error" })

        // Every table of every view downloads as CSV with its header row.
        for (view, tables) in [("overview", ["teams", "outcomes"]), ("drift", ["alerts", "use_cases"]), ("budgets", ["budgets"]),
                               ("providers", ["providers", "models"]), ("strategies", ["strategies"]), ("requests", ["requests"]),
                               ("teams/support", ["use_cases", "models", "users", "outcomes", "budgets", "alerts"])] {
            for table in tables {
                let csv = try await r.request("GET", "/api/v1/\(view)?format=csv&table=\(table)&range=30d")
                XCTAssertEqual(csv.status, 200, "\(view) \(table): \(csv.text.prefix(200))")
                XCTAssertEqual(csv.header("content-type"), "text/csv; charset=utf-8")
                XCTAssertTrue(csv.header("content-disposition")?.contains("attachment") == true)
                XCTAssertGreaterThan(csv.text.components(separatedBy: "\r\n").count, 1)
            }
        }
        let teamsCSV = try await r.request("GET", "/api/v1/overview?format=csv&table=teams").text.components(separatedBy: "\r\n")
        XCTAssertEqual(teamsCSV.first, "Team,Spend,Share,Requests,Cost / request,Savings,Savings %,Trend")
        XCTAssertEqual(teamsCSV.count - 2, Set(inRange.map(\.team)).count, "one line per team (plus header and final CRLF)")
        await r.stop()
    }

    func testBadInputAnswers400OrNotFoundNeverA500() async throws {
        let r = try router(Self.seeded(rows: 200))
        let bad: [(String, String?)] = [
            ("/api/v1/overview?range=90d", "range"), ("/api/v1/providers?range=7days", "range"), ("/api/v1/overview?format=xml", "format"),
            ("/api/v1/overview?format=csv&table=nope", "table"), ("/api/v1/requests?limit=0", "limit"), ("/api/v1/requests?limit=-1", "limit"),
            ("/api/v1/requests?status=weird", "status"), ("/api/v1/requests?from=2026-13-01", "from"), ("/api/v1/requests?cursor=%7E", "cursor"),
("/api/v1/teams/x?range=year", "range"),
            ("/api/v1/overview?range=", "range"), ("/api/v1/drift?table=AAA", "table"), ("/api/v1/requests?cursor=99~", "cursor"),
        ]
        for (path, param) in bad {
            let reply = try await r.request("GET", path)
            XCTAssertEqual(reply.status, 400, "\(path): \(reply.text)")
            XCTAssertEqual(reply.json?["error"]?["code"]?.stringValue, "invalid_parameter", path)
            XCTAssertEqual(reply.json?["error"]?["param"]?.stringValue, param, path)
        }
        for path in ["/?range=forever", "/requests?limit=abc", "/teams/x?range=1y", "/drift?format=json"] {
            let reply = try await r.request("GET", path)
            XCTAssertEqual(reply.status, 400, path)
            XCTAssertTrue(reply.text.contains("<h1>Bad request</h1>"), path)
        }
        let reply8 = try await r.request("GET", "/api/v1/teams/")
        XCTAssertEqual(reply8.status, 404)
        let reply9 = try await r.request("GET", "/teams/")
        XCTAssertEqual(reply9.status, 404)
        let reply10 = try await r.request("GET", "/static/../Package.swift")
        XCTAssertEqual(reply10.status, 404)
        let reply11 = try await r.request("GET", "/static/dashboard.css")
        XCTAssertEqual(reply11.status, 200)
        let reply12 = try await r.request("POST", "/budgets")
        XCTAssertEqual(reply12.status, 405)
        // Pages under a prefix answer HEAD like GET (headers, no body) and name GET on a wrong method.
        let head = try await r.request("HEAD", "/teams/search")
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(head.text, "")
        XCTAssertEqual(head.headers.header("content-type")?.hasPrefix("text/html"), true, "\(head.headers.headers)")
        let post = try await r.request("POST", "/teams/search")
        XCTAssertEqual(post.status, 405)
        XCTAssertEqual(post.headers.header("allow"), "GET")
        await r.stop()
    }

    func testHostileTeamNamesAreEscapedInHTMLAttributesCSVAndJSON() async throws {
        let names = ["<script>alert(1)</script>", "O'Brien & \"Partners\"", "=cmd|' /C calc'!A0"]
        var records: [TelemetryRecord] = []
        for (i, name) in names.enumerated() {
            for j in 0..<3 {
                records.append(TelemetryRecord(time: Date().addingTimeInterval(-Double(600 * (i * 3 + j + 1))), requestID: "hostile-\(i)-\(j)", org: "acme",
                                               team: name, user: "<img src=x onerror=alert(2)>", useCase: "\"><svg onload=alert(3)>",
                                               strategy: "cost-first", requestedModel: "gpt-4o-mini", provider: "openai", model: "gpt-4o-mini",
                                               inputTokens: 100, outputTokens: 50, cost: Money(usd: 0.01 * Double(i + 1)), baselineCost: Money(usd: 0.05),
                                               latencyMs: 120, outcome: "<b>won</b>"))
            }
        }
        let alert = AlertRecord(time: Date().addingTimeInterval(-60), fingerprint: "x", kind: "cost_drift", severity: .warning, org: "acme",
                                team: names[0], title: "<script>alert(4)</script>", message: "&amp; \"quoted\"", labels: ["<k>": "<v>"])
        let r = try router(records, alerts: [alert])
        let pages = ["/", "/drift", "/requests", "/teams/" + names[0].addingPercentEncoding(withAllowedCharacters: .alphanumerics)!,
                     "/teams/" + names[1].addingPercentEncoding(withAllowedCharacters: .alphanumerics)!, "/providers", "/strategies"]
        for page in pages {
            let html = try await r.request("GET", page).text
            for raw in ["<script>alert", "<img src=x", "<svg onload", "<b>won</b>", "O'Brien & \"Partners\""] {
                XCTAssertFalse(html.contains(raw), "\(page) contains raw \(raw)")
            }
            XCTAssertFalse(html.contains("<script>"), "\(page): only the external script tag may appear")
        }
        let overview = try await r.request("GET", "/").text
        XCTAssertTrue(overview.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "escaped as text")
        XCTAssertTrue(overview.contains("href=\"/teams/%3Cscript%3Ealert%281%29%3C%2Fscript%3E?range=7d\""), "percent-encoded in the link")
        XCTAssertTrue(overview.contains("O&#39;Brien &amp; &quot;Partners&quot;"), "quotes and & escaped")
        XCTAssertTrue(overview.contains("href=\"/teams/O%27Brien%20%26%20%22Partners%22?range=7d\""))
        let team = try await r.request("GET", pages[3]).text
        XCTAssertTrue(team.contains("<h1>Team &lt;script&gt;alert(1)&lt;/script&gt;</h1>"))
        XCTAssertTrue(team.contains("&lt;script&gt;alert(4)&lt;/script&gt;"), "the alert title")

        let csv = try await r.request("GET", "/api/v1/overview?format=csv&table=teams").text
        XCTAssertTrue(csv.contains("\r\n'=cmd|' /C calc'!A0,"), "formula defused: \(csv)")
        XCTAssertTrue(csv.contains("\r\n\"O'Brien & \"\"Partners\"\"\","), "quotes doubled")
        XCTAssertTrue(csv.contains("\r\n<script>alert(1)</script>,"), "CSV is data, not markup")
        let reply13 = try await r.request("GET", "/api/v1/overview")
        let json = try XCTUnwrap(reply13.json)
        XCTAssertEqual(Set(json["teams"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []), Set(names))
        let reply14 = try await r.request("GET", "/api/v1/teams/" + names[1].addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
        let teamJSON = try XCTUnwrap(reply14.json)
        XCTAssertEqual(teamJSON["team"]?.stringValue, names[1])
        XCTAssertEqual(teamJSON["totals"]?["requests"]?.intValue, 3)
        await r.stop()
    }

    func testViewerTokenGuardsEveryViewAndIsNeverEchoed() async throws {
        let token = "viewer-3f9c0a1b2c3d4e5f60718293"
        let r = try router(Self.seeded(rows: 100), environment: ["FINOPS_VIEWER_TOKEN": token])
        let page = try await r.request("GET", "/drift")
        XCTAssertEqual(page.status, 401)
        XCTAssertTrue(page.text.contains("action=\"/login\""))
        XCTAssertTrue(page.text.contains("value=\"/drift\""), "comes back to the page after login")
        let api = try await r.request("GET", "/api/v1/overview")
        XCTAssertEqual(api.status, 401)
        XCTAssertEqual(api.json?["error"]?["code"]?.stringValue, "viewer_token_required")
        let reply15 = try await r.request("GET", "/api/v1/requests?format=csv")
        XCTAssertEqual(reply15.status, 401)
        let reply16 = try await r.request("GET", "/static/dashboard.css")
        XCTAssertEqual(reply16.status, 200, "assets carry no data")
        let reply17 = try await r.request("GET", "/healthz")
        XCTAssertEqual(reply17.status, 200)

        let bearer = try await r.request("GET", "/api/v1/overview", headers: [("Authorization", "Bearer \(token)")])
        XCTAssertEqual(bearer.status, 200)
        XCTAssertFalse(bearer.text.contains(token))
        let reply18 = try await r.request("GET", "/", headers: [("Authorization", "Bearer wrong")])
        XCTAssertEqual(reply18.status, 401)

        let wrong = try await r.request("POST", "/login", body: "token=nope&next=%2Fdrift", headers: [("Content-Type", "application/x-www-form-urlencoded")])
        XCTAssertEqual(wrong.status, 401)
        XCTAssertNil(wrong.header("set-cookie"))
        XCTAssertTrue(wrong.text.contains("not right"))
        let login = try await r.request("POST", "/login", body: "token=\(token)&next=%2Fdrift", headers: [("Content-Type", "application/x-www-form-urlencoded")])
        XCTAssertEqual(login.status, 303)
        XCTAssertEqual(login.header("location"), "/drift")
        let cookie = try XCTUnwrap(login.header("set-cookie"))
        XCTAssertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
        XCTAssertFalse(login.text.contains(token))
        let withCookie = try await r.request("GET", "/drift", headers: [("Cookie", String(cookie.prefix { $0 != ";" }))])
        XCTAssertEqual(withCookie.status, 200)
        XCTAssertFalse(withCookie.text.contains(token), "the token never reaches a page")
        let offsite = try await r.request("POST", "/login", body: "token=\(token)&next=%2F%2Fevil.example", headers: [("Content-Type", "application/x-www-form-urlencoded")])
        XCTAssertEqual(offsite.header("location"), "/", "no open redirect")
        await r.stop()
    }
}
