import FinOpsCore
import Foundation
import HTTPServer
import Logging
import Scheduler
import Synchronization

/// Stands in for PagerDuty, Slack and a generic webhook during the demo: an HTTP server on
/// loopback (the router's own) that keeps every POST, so the demo can show which alert went
/// where, and checks the generic webhook's HMAC signature as a real receiver would.
final class DemoReceiver: Sendable {
    struct Delivery: Sendable {
        var destination: String
        var summary: String
        var signatureValid: Bool?
    }

    static let paths = (pagerDuty: "/pagerduty/v2/enqueue", slack: "/slack/services/demo", webhook: "/webhook")

    private let server: HTTPServer
    private let received = Mutex<[Delivery]>([])
    let secret: String

    init(host: String, secret: String) throws {
        self.secret = secret
        var config = HTTPServer.Configuration()
        config.host = host
        config.port = 0
        config.threads = 1
        config.connectionLimit = 64
        var router = Router()
        let box = ReceiverBox()
        router.addPrefix("POST", "/", .async { request in box.receiver?.accept(request) ?? HTTPResponse(status: 503, contentType: "text/plain", body: "starting") })
        var logger = Logger(label: "demo-receiver")
        logger.logLevel = .error
        server = HTTPServer(configuration: config, router: router, logger: logger)
        box.receiver = self
        try server.start()
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(server.port)\(path)" }

    var deliveries: [Delivery] { received.withLock { $0 } }

    func stop() async { await server.shutdown(drainTimeout: .seconds(2)) }

    private func accept(_ request: HTTPRequest) -> HTTPResponse {
        let json = try? JSONParser.parse(request.body)
        let delivery: Delivery
        switch request.path {
        case Self.paths.pagerDuty:
            let action = json?["event_action"]?.stringValue ?? "?"
            let summary = json?["payload"]?["summary"]?.stringValue ?? ""
            let severity = json?["payload"]?["severity"]?.stringValue ?? ""
            delivery = Delivery(destination: "PagerDuty", summary: "\(action) (\(severity)) \(summary)", signatureValid: nil)
        case Self.paths.slack:
            delivery = Delivery(destination: "Slack", summary: json?["text"]?.stringValue ?? "", signatureValid: nil)
        default:
            let header = { (name: String) in request.headers.first { $0.name.lowercased() == name.lowercased() }?.value }
            let valid = header(WebhookSignature.signatureHeader).flatMap { sig in
                header(WebhookSignature.timestampHeader).map {
                    WebhookSignature.verify(body: request.body, timestamp: $0, signature: sig, key: Array(secret.utf8))
                }
            } ?? false
            let alerts = json?["alerts"]?.arrayValue ?? []
            let first = alerts.first
            let text = [first?["severity"]?.stringValue, first?["title"]?.stringValue].compactMap { $0 }.joined(separator: " ")
            delivery = Delivery(destination: "webhook", summary: alerts.count > 1 ? "\(text) (+\(alerts.count - 1) more)" : text,
                                signatureValid: valid)
        }
        received.withLock { $0.append(delivery) }
        return HTTPResponse(status: 202, contentType: "application/json", body: "{\"status\":\"accepted\"}")
    }
}

private final class ReceiverBox: @unchecked Sendable {
    // Set once before the server starts; read-only afterwards.
    var receiver: DemoReceiver?
}
