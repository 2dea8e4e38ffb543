import FinOpsCore
import Foundation
import HTTPServer
import Logging
import Synchronization

/// A webhook endpoint on loopback (the router's own HTTP server) that records every POST and
/// answers with the status each path is set to: stands in for Slack, PagerDuty and a generic
/// receiver in tests, over real HTTP.
final class WebhookReceiver: Sendable {
    struct Received: Sendable {
        var path: String
        var headers: [(name: String, value: String)]
        var body: [UInt8]
        var json: JSONValue? { try? JSONParser.parse(body) }
        func header(_ name: String) -> String? { headers.first { $0.name == name.lowercased() }?.value }
    }

    private let server: HTTPServer
    private let received = Mutex<[Received]>([])
    /// Path → statuses to answer in turn (the last one repeats); default 200.
    private let statuses = Mutex<[String: [Int]]>([:])

    init() throws {
        var config = HTTPServer.Configuration()
        config.host = "127.0.0.1"
        config.port = 0
        var router = Router()
        let box = ReceiverBox()
        router.addPrefix("POST", "/", .async { request in box.receiver!.answer(request) })
        server = HTTPServer(configuration: config, router: router, logger: Logger(label: "webhook-receiver"))
        box.receiver = self
        try server.start()
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(server.port)\(path)" }

    func respond(_ path: String, with codes: [Int]) { statuses.withLock { $0[path] = codes } }

    var requests: [Received] { received.withLock { $0 } }
    func requests(_ path: String) -> [Received] { requests.filter { $0.path == path } }

    func stop() async { await server.shutdown(drainTimeout: .seconds(5)) }

    private func answer(_ request: HTTPRequest) -> HTTPResponse {
        received.withLock { $0.append(Received(path: request.path, headers: request.headers, body: request.body)) }
        let status = statuses.withLock { s -> Int in
            guard var codes = s[request.path], !codes.isEmpty else { return 200 }
            let code = codes.removeFirst()
            s[request.path] = codes.isEmpty ? [code] : codes
            return code
        }
        return HTTPResponse(status: status, contentType: "text/plain", body: status < 300 ? "ok" : "no")
    }
}

private final class ReceiverBox: @unchecked Sendable {
    // Set once before the server starts; read-only afterwards.
    var receiver: WebhookReceiver?
}
