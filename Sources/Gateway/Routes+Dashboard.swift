import Dashboard
import HTTPServer

/// The dashboard's routes: pages, `/api/v1` views, the team drill-down, static files, login.
extension Routes {
    func registerDashboard(_ router: inout Router) {
        let dashboard = self.dashboard
        let handler = RouteHandler.async { request in
            let answer = await dashboard.handle(DashboardRequest(method: request.method, path: request.path, query: request.query,
                                                                 headers: request.headers, body: request.body))
            return HTTPResponse(status: answer.status, headers: answer.headers, body: .bytes(answer.body))
        }
        for path in Dashboard.pagePaths + Dashboard.apiPaths + ["/login", "/logout"] { router.add("GET", path, handler) }
        router.add("POST", "/login", handler)
        for prefix in Dashboard.prefixes { router.addPrefix("GET", prefix, handler) }
    }
}
