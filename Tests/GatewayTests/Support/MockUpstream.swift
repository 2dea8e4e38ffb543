import FinOpsCore
import Foundation
import HTTPServer
import Logging
import Synchronization

/// An OpenAI-compatible upstream on loopback, built on the router's own HTTP server, whose
/// behaviour each test sets. It records what it received so tests can check what the router sent.
final class MockUpstream: Sendable {
    enum Behavior: Sendable {
        case json(String)
        case stream(chunks: [String], usage: String?, done: Bool)
        /// Raw SSE text, sent as is (Anthropic event streams).
        case sse(String)
        /// Raw bytes streamed with a content type (Bedrock's binary event stream).
        case bytes([UInt8], contentType: String)
        case status(Int, body: String, headers: [(name: String, value: String)])
        /// Answers after a delay (the upstream is slow; nothing in the test waits on a clock).
        case delayed(Duration, String)
    }

    struct Received: Sendable {
        var path: String
        var query: [String: String]
        var headers: [(name: String, value: String)]
        var body: JSONValue?
    }

    private let server: HTTPServer
    private let behavior: Mutex<Behavior>
    private let received = Mutex<[Received]>([])

    init(_ behavior: Behavior) throws {
        self.behavior = Mutex(behavior)
        var config = HTTPServer.Configuration()
        config.host = "127.0.0.1"
        config.port = 0
        var router = Router()
        let box = MockBox()
        // Every POST path: OpenAI (/v1/chat/completions), Anthropic (/v1/messages), Azure (/openai/deployments/…).
        router.addPrefix("POST", "/", .async { request in await box.mock!.answer(request) })
        server = HTTPServer(configuration: config, router: router, logger: Logger(label: "mock-upstream"))
        box.mock = self
        try server.start()
    }

    var baseURL: String { "http://127.0.0.1:\(server.port)/v1" }

    func set(_ b: Behavior) { behavior.withLock { $0 = b } }

    var requests: [Received] { received.withLock { $0 } }

    func stop() async { await server.shutdown(drainTimeout: .seconds(5)) }

    private func answer(_ request: HTTPRequest) async -> HTTPResponse {
        received.withLock {
            $0.append(Received(path: request.path, query: request.query, headers: request.headers, body: try? JSONParser.parse(request.body)))
        }
        switch behavior.withLock({ $0 }) {
        case .json(let body):
            return .json(200, Array(body.utf8))
        case .delayed(let delay, let body):
            try? await Task.sleep(for: delay)
            return .json(200, Array(body.utf8))
        case .status(let code, let body, let headers):
            return HTTPResponse(status: code, headers: headers, body: .bytes(Array(body.utf8)))
        case .bytes(let bytes, let contentType):
            return HTTPResponse(status: 200, headers: [("Content-Type", contentType)], body: .stream { writer in
                // Odd-sized pieces, so frames arrive split across reads.
                var i = 0
                while i < bytes.count {
                    writer.write(Array(bytes[i..<min(i + 37, bytes.count)]))
                    i += 37
                }
            })
        case .sse(let text):
            return HTTPResponse(status: 200, headers: [("Content-Type", "text/event-stream")], body: .stream { writer in
                writer.write(text)
            })
        case .stream(let chunks, let usage, let done):
            return HTTPResponse(status: 200, headers: [("Content-Type", "text/event-stream")], body: .stream { writer in
                for chunk in chunks { writer.write("data: \(chunk)\n\n") }
                if let usage { writer.write("data: \(usage)\n\n") }
                if done { writer.write("data: [DONE]\n\n") }
            })
        }
    }
}

private final class MockBox: @unchecked Sendable {
    var mock: MockUpstream?
}
