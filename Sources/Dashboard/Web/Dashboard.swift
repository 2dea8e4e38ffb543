import FinOpsCore
import Foundation
import Logging
import Storage

/// The executive dashboard: server-rendered pages (`/`, `/drift`, `/budgets`, `/providers`,
/// `/strategies`, `/requests`, `/teams/{team}`), the JSON views behind them (`/api/v1/...`,
/// `?format=csv&table=` for each table), static assets and the viewer login. Bad input is a
/// 400 naming the parameter; an unreadable store a 503; nothing a client sends makes a 500.
public final class Dashboard: Sendable {
    public struct Settings: Sendable {
        public var org: String
        public var version: String
        public var refreshSeconds: Int
        public init(org: String, version: String, refreshSeconds: Int = 60) {
            self.org = org; self.version = version; self.refreshSeconds = refreshSeconds
        }
    }

    public static let pagePaths = ["/", "/drift", "/budgets", "/providers", "/strategies", "/requests"]
    public static let apiPaths = ["/api/v1/overview", "/api/v1/drift", "/api/v1/budgets", "/api/v1/providers",
                                  "/api/v1/strategies", "/api/v1/requests"]
    /// Prefix routes: the team drill-down (page and JSON) and static files.
    public static let prefixes = ["/teams/", "/api/v1/teams/", "/static/"]

    let pages: DashboardPages
    let budgets: any BudgetStatusSource
    let auth: ViewerAuth
    let assets: Result<DashboardAssets, DashboardAssets.LoadError>
    let renderer: PageRenderer?
    let reads: BlockingReads
    let clock: @Sendable () -> Date
    let logger: Logger

    public init(store: any TelemetryStore, budgets: any BudgetStatusSource, settings: Settings, viewerToken: String?,
                assets: Result<DashboardAssets, DashboardAssets.LoadError>, reads: BlockingReads = BlockingReads(label: "finops.dashboard-reads"),
                logger: Logger, clock: @escaping @Sendable () -> Date = { Date() }) {
        pages = DashboardPages(store: store, org: settings.org)
        self.budgets = budgets
        auth = ViewerAuth(token: viewerToken)
        self.assets = assets
        if case .success(let loaded) = assets {
            renderer = PageRenderer(assets: loaded, version: settings.version, refreshSeconds: settings.refreshSeconds, authEnabled: auth.isEnabled)
        } else {
            renderer = nil
        }
        self.reads = reads
        self.logger = logger
        self.clock = clock
    }

    /// Answers one request; `Server-Timing: app;dur=<ms>` tells how long the dashboard took
    /// (store reads, model, rendering), which `bench/dashboard.sh` reads.
    public func handle(_ request: DashboardRequest) async -> DashboardResponse {
        let started = ContinuousClock.now
        var response = await answer(request)
        let elapsed = started.duration(to: .now)
        let ms = Double(elapsed.components.seconds) * 1_000 + Double(elapsed.components.attoseconds) / 1e15
        response.headers.append(("Server-Timing", "app;dur=\(String(format: "%.2f", ms))"))
        return response
    }

    private func answer(_ request: DashboardRequest) async -> DashboardResponse {
        let path = request.path
        if path.hasPrefix("/static/") { return staticFile(String(path.dropFirst("/static/".count))) }
        if path == "/login" { return login(request) }
        if path == "/logout" { return .redirect(auth.isEnabled ? "/login" : "/", headers: [("Set-Cookie", ViewerAuth.logoutCookie)]) }
        let api = path.hasPrefix("/api/")
        guard auth.allows(authorization: request.header("authorization"), cookie: request.header("cookie")) else {
            if api {
                return .error(401, type: "authentication_error", code: "viewer_token_required",
                              message: "This dashboard needs the viewer token: send Authorization: Bearer <token>",
                              headers: [("WWW-Authenticate", "Bearer realm=\"finops-dashboard\"")])
            }
            return loginPage(status: 401, next: Self.next(forPath: path), failed: false)
        }
        guard let (view, team) = Self.route(api ? String(path.dropFirst("/api/v1".count)) : path) else {
            return notFound(api: api, path: path)
        }
        return await render(view, team: team, request: request, api: api)
    }

    /// `/`, `/drift`, …, `/teams/{team}` (after `/api/v1` is stripped) → the view.
    static func route(_ path: String) -> (DashboardPages.View, String?)? {
        switch path {
        case "/", "/overview": return (.overview, nil)
        case "/drift": return (.drift, nil)
        case "/budgets": return (.budgets, nil)
        case "/providers": return (.providers, nil)
        case "/strategies": return (.strategies, nil)
        case "/requests": return (.requests, nil)
        default:
            guard path.hasPrefix("/teams/") else { return nil }
            let team = String(path.dropFirst("/teams/".count))
            return team.isEmpty || team.utf8.count > 256 ? nil : (.team, team)
        }
    }

    private func render(_ view: DashboardPages.View, team: String?, request: DashboardRequest, api: Bool) async -> DashboardResponse {
        let now = clock()
        let range: DashboardRange
        let filters: RequestFilters?
        let format = request.query["format"] ?? (api ? "json" : "html")
        do {
            range = try DashboardRange.parse(request.query["range"], now: now)
            filters = view == .requests ? try RequestFilters(query: request.query) : nil
            guard (api && (format == "json" || format == "csv")) || (!api && format == "html") else {
                throw DashboardInputError(parameter: "format", message: api ? "format must be json or csv" : "pages are HTML; use /api/v1 for json or csv")
            }
        } catch {
            return badInput(error, api: api)
        }
        var budgetStatuses: [BudgetStatus] = []
        var notices: [String] = []
        if [.overview, .team, .budgets].contains(view) {
            do { budgetStatuses = try await budgets.budgetStatuses(at: now) } catch {
                logger.warning("dashboard: budget status unavailable", metadata: ["error": "\(error)"])
                notices.append("Budget status is unavailable right now (the state store did not answer); budget figures are missing.")
                if view == .budgets && api {
                    return .error(503, type: "service_unavailable", code: "budget_status_unavailable", message: "Budget status is unavailable: \(error)")
                }
            }
        }
        let pages = self.pages, renderer = self.renderer, statuses = budgetStatuses, notes = notices
        let location = PageRenderer.Location(path: view == .team ? DashboardLinks.team(team ?? "", range: nil) : request.path,
                                             apiPath: view == .team ? "/api/v1" + DashboardLinks.team(team ?? "", range: nil) : "/api/v1/\(view == .requests ? "requests" : view.rawValue)",
                                             nav: view.rawValue, query: filters?.items ?? [],
                                             range: [.budgets, .requests].contains(view) ? nil : range)
        let table = request.query["table"]
        let badTable = { @Sendable (ids: [String]) -> DashboardResponse in
            .error(400, type: "invalid_request_error", code: "invalid_parameter",
                   message: "table must be one of \(ids.joined(separator: ", "))", param: "table")
        }
        do {
            return try await reads.run { () throws -> DashboardResponse in
                var page = try pages.page(view, range: range, budgets: statuses, filters: filters, team: team)
                if !notes.isEmpty { page.extra["notices"] = notes }
                if let table, page.table(table) == nil { return badTable(page.tables.map(\.id)) }
                switch format {
                case "csv":
                    let id = table ?? page.tables.first?.id ?? ""
                    guard let t = page.table(id) else { return badTable(page.tables.map(\.id)) }
                    let scope = view == .team ? "team" : view.rawValue
                    let suffix = location.range.map { "-" + $0.kind.rawValue } ?? ""
                    return .csv(t.csv, filename: "finops-\(scope)-\(t.id)\(suffix).csv")
                case "json":
                    return .json(200, page.json)
                default:
                    guard let renderer else { return Self.unavailablePage(assets: "templates") }
                    return .html(200, renderer.html(page, at: location, now: now))
                }
            }
        } catch {
            logger.error("dashboard: telemetry store read failed", metadata: ["view": "\(view.rawValue)", "error": "\(error)"])
            if api {
                return .error(503, type: "service_unavailable", code: "telemetry_unavailable", message: "The telemetry store could not be read: \(error)",
                              headers: [("Retry-After", "5")])
            }
            return messagePage(503, title: "Telemetry unavailable", text: "The telemetry store could not be read right now. Try again in a few seconds.")
        }
    }
}
