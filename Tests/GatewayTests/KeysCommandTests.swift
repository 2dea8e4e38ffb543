import FinOpsCore
import Foundation
import XCTest

/// `finops-router keys create|list|revoke` (the built binary) against a running router.
final class KeysCommandTests: XCTestCase {
    func run(_ args: [String], token: String? = SpendFixtures.adminToken) throws -> (Int32, String) {
        let binary = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/finops-router").path
        guard FileManager.default.isExecutableFile(atPath: binary) else { throw XCTSkip("build the binary first: \(binary)") }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["FINOPS_ADMIN_TOKEN"] = token
        p.environment = env
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func testCreateListRevokeThroughTheAdminAPI() async throws {
        let mock = try MockUpstream(.json(Fixtures.chatCompletion))
        let router = try RouterHarness(upstream: mock.baseURL, environment: ["FINOPS_ADMIN_TOKEN": SpendFixtures.adminToken])
        let url = ["--url", router.baseURL]
        let (status, created) = try run(["keys", "create", "--name", "nightly-batch", "--team", "data", "--models", "gpt-4o-mini", "--budget-usd", "25"] + url)
        XCTAssertEqual(status, 0, created)
        let secret = try XCTUnwrap(created.split(separator: "\n").first { $0.hasPrefix("key:") }?.split(separator: " ").last.map(String.init))
        let id = try XCTUnwrap(created.split(separator: "\n").first { $0.hasPrefix("id:") }?.split(separator: " ").last.map(String.init))
        XCTAssertTrue(secret.hasPrefix("fr-"))

        let ok = try await router.post(SpendFixtures.chat(), headers: [("Authorization", "Bearer \(secret)")])
        XCTAssertEqual(ok.status, 200)
        let (_, listed) = try run(["keys", "list"] + url)
        XCTAssertTrue(listed.contains(id) && listed.contains("nightly-batch") && listed.contains("active"), listed)
        XCTAssertFalse(listed.contains(secret))
        let (revokeStatus, revoked) = try run(["keys", "revoke", id] + url)
        XCTAssertEqual(revokeStatus, 0, revoked)
        XCTAssertTrue(revoked.contains("revoked \(id)"))
        let after = try await router.post(SpendFixtures.chat(), headers: [("Authorization", "Bearer \(secret)")])
        XCTAssertEqual(after.status, 401)

        let (noToken, message) = try run(["keys", "list"] + url, token: nil)
        XCTAssertNotEqual(noToken, 0)
        XCTAssertTrue(message.contains("FINOPS_ADMIN_TOKEN"), message)
        let (badToken, refused) = try run(["keys", "list"] + url, token: "wrong")
        XCTAssertNotEqual(badToken, 0)
        XCTAssertTrue(refused.contains("HTTP 401"), refused)
        await router.stop()
        await mock.stop()
    }
}
