import FinOpsCore
import XCTest

/// Provider failures become clear client errors (never a hang, never the key), and each one
/// leaves a telemetry row.
final class UpstreamFailureTests: XCTestCase {
    private func run(_ behavior: MockUpstream.Behavior, stream: Bool = false,
                     configure: @escaping (inout RouterConfig) -> Void = { _ in }) async throws
        -> (RouterHarness.Reply, [TelemetryRecord]) {
        let mock = try MockUpstream(behavior)
        let router = try RouterHarness(upstream: mock.baseURL, configure: configure)
        let reply = try await router.post(Fixtures.chatRequest(stream: stream))
        let rows = try await router.stopAndReadRows()
        await mock.stop()
        return (reply, rows)
    }

    func testConnectFailureIs502() async throws {
        // Port 9 (discard) is closed on loopback: the connection is refused.
        let router = try RouterHarness(upstream: "http://127.0.0.1:9/v1")
        let reply = try await router.post(Fixtures.chatRequest())
        XCTAssertEqual(reply.status, 502, reply.text)
        XCTAssertEqual(reply.json?["error"]?["code"]?.stringValue, "upstream_connect")
        XCTAssertEqual(reply.header("x-finops-provider"), "openai")
        let rows = try await router.stopAndReadRows()
        XCTAssertEqual(rows.first?.errorKind, "upstream_connect")
        XCTAssertEqual(rows.first?.httpStatus, 502)
    }

    func testTimeoutIs504() async throws {
        let (reply, rows) = try await run(.delayed(.seconds(3), Fixtures.chatCompletion)) { config in
            config.providers[0].timeoutMs = 200
        }
        XCTAssertEqual(reply.status, 504, reply.text)
        XCTAssertEqual(reply.json?["error"]?["code"]?.stringValue, "upstream_timeout")
        XCTAssertEqual(rows.first?.errorKind, "upstream_timeout")
    }

    func testInvalidCredentialsBecome502WithoutEchoingTheKey() async throws {
        let (reply, rows) = try await run(.status(401, body: Fixtures.invalidKey, headers: [("Content-Type", "application/json")]))
        XCTAssertEqual(reply.status, 502, reply.text)
        XCTAssertEqual(reply.json?["error"]?["code"]?.stringValue, "upstream_auth")
        XCTAssertTrue(reply.text.contains("openai"), "the error names the provider")
        XCTAssertFalse(reply.text.contains("SECRET"), "the key never comes back")
        XCTAssertFalse(reply.text.contains(RouterHarness.apiKey))
        XCTAssertEqual(rows.first?.errorKind, "upstream_auth")
    }

    func testRateLimitPassesRetryAfter() async throws {
        let (reply, _) = try await run(.status(429, body: Fixtures.rateLimited,
                                               headers: [("Content-Type", "application/json"), ("Retry-After", "4")]))
        XCTAssertEqual(reply.status, 429)
        XCTAssertEqual(reply.header("retry-after"), "4")
        XCTAssertEqual(reply.json?["error"]?["code"]?.stringValue, "upstream_rate_limited")
    }

    func testHTMLInsteadOfJSONIs502() async throws {
        let (reply, rows) = try await run(.status(200, body: Fixtures.htmlError, headers: [("Content-Type", "text/html")]))
        XCTAssertEqual(reply.status, 502, reply.text)
        XCTAssertEqual(reply.json?["error"]?["code"]?.stringValue, "upstream_invalid_response")
        XCTAssertTrue(reply.text.contains("text/html"))
        XCTAssertEqual(rows.first?.status, .error)
    }

    func testTruncatedJSONIs502() async throws {
        let truncated = String(Fixtures.chatCompletion.prefix(80))
        let (reply, _) = try await run(.status(200, body: truncated, headers: [("Content-Type", "application/json")]))
        XCTAssertEqual(reply.status, 502)
        XCTAssertEqual(reply.json?["error"]?["code"]?.stringValue, "upstream_invalid_response")
    }

    func testErrorBodyWith200IsAnError() async throws {
        let (reply, _) = try await run(.status(200, body: #"{"error":{"message":"overloaded"}}"#, headers: []))
        XCTAssertEqual(reply.status, 503)
        XCTAssertTrue(reply.text.contains("overloaded"))
    }

    func testUpstream400IsPassedBackAsClientError() async throws {
        let body = #"{"error":{"message":"Invalid value for 'temperature': must be <= 2.","type":"invalid_request_error","param":"temperature","code":null}}"#
        let (reply, _) = try await run(.status(400, body: body, headers: [("Content-Type", "application/json")]))
        XCTAssertEqual(reply.status, 400)
        XCTAssertTrue(reply.text.contains("temperature"))
    }

    func testStreamThatBreaksMidwayEndsWithAnErrorEvent() async throws {
        let mock = try MockUpstream(.stream(chunks: Array(Fixtures.streamChunks.prefix(2)), usage: nil, done: false))
        let router = try RouterHarness(upstream: mock.baseURL)
        let (head, text) = try await router.postStream(Fixtures.chatRequest(stream: true))
        XCTAssertEqual(head.status, 200)
        XCTAssertTrue(text.contains("The weather"), text)
        XCTAssertFalse(text.contains("data: [DONE]\n"), "a broken stream must not look complete")
        let events = text.components(separatedBy: "\n\n").filter { !$0.isEmpty }
        let last = try XCTUnwrap(events.last)
        XCTAssertTrue(last.hasPrefix("data: {\"error\":"), last)
        XCTAssertTrue(last.contains("upstream_stream_interrupted"), last)

        let rows = try await router.stopAndReadRows()
        await mock.stop()
        XCTAssertEqual(rows.first?.status, .error)
        XCTAssertEqual(rows.first?.errorKind, "upstream_stream_interrupted")
        XCTAssertTrue(rows.first?.estimated ?? false, "no usage came back, so cost is an estimate")
    }

    func testStreamRejectedBeforeFirstByteGetsAJSONError() async throws {
        let (reply, _) = try await run(.status(503, body: #"{"error":{"message":"down"}}"#, headers: []), stream: true)
        XCTAssertEqual(reply.status, 503)
        XCTAssertEqual(reply.header("content-type"), "application/json")
    }
}

extension UpstreamFailureTests {
    func testStreamWhoseHeadNeverComesTimesOut() async throws {
        let mock = try MockUpstream(.delayed(.seconds(3), Fixtures.chatCompletion))
        let router = try RouterHarness(upstream: mock.baseURL) { config in
            config.providers[0].timeoutMs = 300
            config.retry.maxAttemptsPerProvider = 1
        }
        let reply = try await router.post(Fixtures.chatRequest(stream: true))
        XCTAssertEqual(reply.status, 504, reply.text)
        XCTAssertEqual(reply.json?["error"]?["code"]?.stringValue, "upstream_timeout")
        let rows = try await router.stopAndReadRows()
        await mock.stop()
        XCTAssertEqual(rows.first?.errorKind, "upstream_timeout")
    }
}
