import FinOpsCore
import XCTest

/// Every malformed request gets an OpenAI-style error with the right status, is counted in
/// /metrics, and the server keeps serving.
final class BadInputTests: XCTestCase {
    var router: RouterHarness!

    override func setUp() async throws {
        router = try RouterHarness(upstream: nil) { $0.server.maxBodyBytes = 4096 }
    }

    override func tearDown() async throws {
        await router.stop()
    }

    func assertError(_ reply: RouterHarness.Reply, status: Int, code: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(reply.status, status, reply.text, file: file, line: line)
        XCTAssertEqual(reply.header("content-type"), "application/json", file: file, line: line)
        XCTAssertEqual(reply.json?["error"]?["code"]?.stringValue, code, reply.text, file: file, line: line)
        XCTAssertFalse((reply.json?["error"]?["message"]?.stringValue ?? "").isEmpty, file: file, line: line)
    }

    func testMalformedJSON() async throws {
        let reply = try await router.post(#"{"model":"gpt-4o-mini","messages":[{"role":"user""#)
        assertError(reply, status: 400, code: "invalid_json")
        XCTAssertTrue(reply.json?["error"]?["message"]?.stringValue?.contains("byte") ?? false)
    }

    func testEmptyBody() async throws {
        assertError(try await router.post(""), status: 400, code: "invalid_json")
    }

    func testMissingMessages() async throws {
        let reply = try await router.post(#"{"model":"gpt-4o-mini"}"#)
        assertError(reply, status: 400, code: "missing_required_parameter")
        XCTAssertTrue(reply.text.contains("messages"))
    }

    func testMissingModel() async throws {
        assertError(try await router.post(#"{"messages":[{"role":"user","content":"hi"}]}"#), status: 400, code: "missing_required_parameter")
    }

    func testWrongTypes() async throws {
        assertError(try await router.post(#"{"model":"gpt-4o-mini","messages":"hi"}"#), status: 400, code: "invalid_type")
        assertError(try await router.post(#"{"model":"gpt-4o-mini","messages":[{"content":"no role"}]}"#), status: 400, code: "invalid_type")
        assertError(try await router.post(#"{"model":"gpt-4o-mini","stream":"yes","messages":[{"role":"user","content":"x"}]}"#), status: 400, code: "invalid_type")
        assertError(try await router.post(#"[1,2,3]"#), status: 400, code: "invalid_request")
    }

    func testUnknownModel() async throws {
        let reply = try await router.post(Fixtures.chatRequest(model: "gpt-9-ultra"))
        assertError(reply, status: 404, code: "model_not_found")
        XCTAssertTrue(reply.text.contains("gpt-9-ultra"))
    }

    func testOversizedBodyIsRefusedWithoutReadingIt() async throws {
        let big = Fixtures.chatRequest(content: String(repeating: "a", count: 64 * 1024))
        let reply = try await router.post(big)
        assertError(reply, status: 413, code: "request_too_large")
    }

    func testWrongMethodAndUnknownPath() async throws {
        let wrongMethod = try await router.request("GET", "/v1/chat/completions")
        assertError(wrongMethod, status: 405, code: "method_not_allowed")
        XCTAssertEqual(wrongMethod.header("allow"), "POST")
        assertError(try await router.request("GET", "/v2/nothing"), status: 404, code: "not_found")
    }

    func testServerKeepsServingAndCountsEveryRejection() async throws {
        _ = try await router.post("{oops")
        _ = try await router.post("{oops")
        _ = try await router.post(Fixtures.chatRequest(model: "nope"))
        _ = try await router.post(Fixtures.chatRequest(content: String(repeating: "b", count: 10_000)))
        _ = try await router.request("DELETE", "/healthz")
        let ok = try await router.post(Fixtures.chatRequest())
        XCTAssertEqual(ok.status, 200)
        let health = try await router.request("GET", "/healthz")
        XCTAssertEqual(health.status, 200)

        let metrics = try await router.metricsText()
        XCTAssertTrue(metrics.contains(#"finops_router_rejected_requests_total{reason="invalid_json",code="400"} 2"#), metrics)
        XCTAssertTrue(metrics.contains(#"finops_router_rejected_requests_total{reason="model_not_found",code="404"} 1"#), metrics)
        XCTAssertTrue(metrics.contains(#"finops_router_rejected_requests_total{reason="request_too_large",code="413"} 1"#), metrics)
        XCTAssertTrue(metrics.contains(#"finops_router_rejected_requests_total{reason="method_not_allowed",code="405"} 1"#), metrics)

        // Rejected chat calls are recorded too, so the spend record shows them.
        let rows = try await router.stopAndReadRows()
        XCTAssertEqual(rows.filter { $0.errorKind == "invalid_json" }.count, 2)
        XCTAssertEqual(rows.filter { $0.errorKind == "model_not_found" && $0.requestedModel == "nope" }.count, 1)
        XCTAssertEqual(rows.filter { $0.status == .ok }.count, 1)
    }
}

extension BadInputTests {
    func testDuplicateKeysAreRefused() async throws {
        let reply = try await router.post(#"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"x"}],"model":"gpt-4o"}"#)
        assertError(reply, status: 400, code: "invalid_request")
        XCTAssertTrue(reply.text.contains("'model'"))
    }
}
