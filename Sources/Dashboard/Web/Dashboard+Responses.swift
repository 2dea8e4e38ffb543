import FinOpsCore
import Foundation

/// The dashboard's non-page answers: static files, login, 400/404/503 in HTML or JSON.
extension Dashboard {
    func staticFile(_ name: String) -> DashboardResponse {
        guard case .success(let assets) = assets, !name.contains("/"), let file = assets.file(name) else {
            return DashboardResponse(status: 404, headers: [("Content-Type", "text/plain; charset=utf-8")], body: Array("Not found".utf8))
        }
        return DashboardResponse(status: 200, headers: [("Content-Type", file.contentType), ("Cache-Control", "public, max-age=300"),
                                                        ("X-Content-Type-Options", "nosniff")], body: file.body)
    }

    /// GET shows the form; POST checks the token and sets the cookie (303 to `next`).
    func login(_ request: DashboardRequest) -> DashboardResponse {
        guard auth.isEnabled else { return .redirect("/") }
        guard request.method == "POST" else { return loginPage(status: 200, next: Self.safeNext(request.query["next"]), failed: false) }
        let form = request.form
        let next = Self.safeNext(form["next"])
        guard let token = form["token"], auth.matches(token) else {
            logger.notice("dashboard: viewer login refused")
            return loginPage(status: 401, next: next, failed: true)
        }
        return .redirect(next, headers: [("Set-Cookie", auth.loginCookie(token))])
    }

    func loginPage(status: Int, next: String, failed: Bool) -> DashboardResponse {
        guard let renderer else { return Self.unavailablePage(assets: "templates") }
        return .html(status, renderer.message(title: "Sign in", text: "This dashboard needs the viewer token.", login: true, next: next, failed: failed),
                     headers: [("WWW-Authenticate", "Bearer realm=\"finops-dashboard\"")])
    }

    /// A redirect target from a client: only an encoded local path (`/teams/a%20b`), never
    /// `//host`, a URL or anything with characters outside the unreserved set.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), next.utf8.count <= 1_024,
              next.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-._~%/".unicodeScalars.contains($0)) })
        else { return "/" }
        return next
    }

    /// Where to go after logging in, for a (decoded) request path.
    static func next(forPath path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { DashboardLinks.encode(String($0)) }.joined(separator: "/")
    }

    func badInput(_ error: Error, api: Bool) -> DashboardResponse {
        let e = error as? DashboardInputError ?? DashboardInputError(parameter: "", message: "\(error)")
        if api {
            return .error(400, type: "invalid_request_error", code: "invalid_parameter", message: e.message, param: e.parameter.isEmpty ? nil : e.parameter)
        }
        return messagePage(400, title: "Bad request", text: e.message)
    }

    func notFound(api: Bool, path: String) -> DashboardResponse {
        if api { return .error(404, type: "invalid_request_error", code: "not_found", message: "No dashboard view at \(path)") }
        return messagePage(404, title: "Not found", text: "There is no dashboard page at \(path).")
    }

    func messagePage(_ status: Int, title: String, text: String) -> DashboardResponse {
        guard let renderer else { return Self.unavailablePage(assets: "templates") }
        return .html(status, renderer.message(title: title, text: text))
    }

    /// Without templates the HTML pages cannot render; the JSON views still work.
    static func unavailablePage(assets: String) -> DashboardResponse {
        .html(503, """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Dashboard unavailable</title></head>
            <body><h1>Dashboard unavailable</h1><p>The dashboard \(assets) were not found at start-up, so pages cannot be rendered.
            Set <code>dashboard.public_dir</code> or <code>FINOPS_PUBLIC_DIR</code> to the <code>Public/</code> folder and restart.
            The JSON views under <code>/api/v1/</code> still answer.</p></body></html>
            """)
    }
}
