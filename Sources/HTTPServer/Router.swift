/// How a route answers: `sync` handlers run on the MHD thread (health checks, metrics: no
/// suspend/resume cost); `async` handlers run as a Task while the connection is suspended.
public enum RouteHandler: Sendable {
    case sync(@Sendable (HTTPRequest) -> HTTPResponse)
    case async(@Sendable (HTTPRequest) async -> HTTPResponse)
}

/// Exact-path route table with method matching; unknown paths and wrong methods go to
/// `fallback`, which receives the methods the path does allow (empty for an unknown path).
public struct Router: Sendable {
    private var routes: [String: [String: RouteHandler]] = [:]
    private var prefixRoutes: [(prefix: String, method: String, handler: RouteHandler)] = []
    public var fallback: @Sendable (HTTPRequest, _ allowedMethods: [String]) -> HTTPResponse

    public init(fallback: @escaping @Sendable (HTTPRequest, [String]) -> HTTPResponse = Router.defaultFallback) {
        self.fallback = fallback
    }

    public mutating func add(_ method: String, _ path: String, _ handler: RouteHandler) {
        routes[path, default: [:]][method] = handler
    }

    /// Matches any path that starts with `prefix` (longest prefix registered first wins).
    public mutating func addPrefix(_ method: String, _ prefix: String, _ handler: RouteHandler) {
        prefixRoutes.append((prefix, method, handler))
        prefixRoutes.sort { $0.prefix.count > $1.prefix.count }
    }

    public func resolve(_ request: HTTPRequest) -> RouteHandler {
        if let byMethod = routes[request.path] {
            if let handler = byMethod[request.method] { return handler }
            if request.method == "HEAD", let get = byMethod["GET"] { return get }
            let allowed = byMethod.keys.sorted()
            return .sync { fallback($0, allowed) }
        }
        // Prefix routes answer like exact ones: HEAD is GET without the body (libmicrohttpd
        // drops it), and a known prefix with another method is a 405 that names the allowed ones.
        let matching = prefixRoutes.filter { request.path.hasPrefix($0.prefix) }
        if let route = matching.first(where: { $0.method == request.method }) { return route.handler }
        if request.method == "HEAD", let get = matching.first(where: { $0.method == "GET" }) { return get.handler }
        let allowed = Array(Set(matching.map(\.method))).sorted()
        return .sync { fallback($0, allowed) }
    }

    public static let defaultFallback: @Sendable (HTTPRequest, [String]) -> HTTPResponse = { request, allowed in
        if allowed.isEmpty {
            return .error(404, type: "invalid_request_error", code: "not_found",
                          message: "No route for \(request.method) \(request.path)")
        }
        return .error(405, type: "invalid_request_error", code: "method_not_allowed",
                      message: "\(request.method) is not allowed on \(request.path); use \(allowed.joined(separator: ", "))",
                      headers: [("Allow", allowed.joined(separator: ", "))])
    }
}
