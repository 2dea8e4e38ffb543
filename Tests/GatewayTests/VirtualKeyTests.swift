import FinOpsCore
@testable import Gateway
import XCTest

/// Virtual keys end to end: admin API, hashing, attribution, model allow-lists, revocation,
/// open vs keys mode, and the audit log.
final class VirtualKeyTests: XCTestCase {
    func testAdminAPINeedsTheToken() async throws {
        let disabled = try RouterHarness(upstream: nil)
        let off = try await disabled.request("GET", "/admin/keys", headers: SpendFixtures.admin())
        XCTAssertEqual(off.status, 403)
        XCTAssertEqual(off.json?["error"]?["code"]?.stringValue, "admin_disabled")
        await disabled.stop()
        let router = try RouterHarness(upstream: nil, environment: ["FINOPS_ADMIN_TOKEN": SpendFixtures.adminToken])
        let wrong = try await router.request("GET", "/admin/keys", headers: [("Authorization", "Bearer nope")])
        XCTAssertEqual(wrong.status, 401)
        let s1 = try await router.request("GET", "/admin/keys", headers: SpendFixtures.admin()).status; XCTAssertEqual(s1, 200)
        await router.stop()
    }

    func testKeyLifecycleAttributionModelsRevocationAndAudit() async throws {
        let mock = try MockUpstream(.json(Fixtures.chatCompletion))
        let router = try RouterHarness(upstream: mock.baseURL, environment: ["FINOPS_ADMIN_TOKEN": SpendFixtures.adminToken]) {
            $0.spend.auth.mode = .keys
        }
        let created = try await router.post(#"{"name":"search-bot","team":"search","user":"ana","models":["gpt-4o-mini"]}"#,
                                            path: "/admin/keys", headers: SpendFixtures.admin())
        XCTAssertEqual(created.status, 201, created.text)
        let secret = try XCTUnwrap(created.json?["key"]?.stringValue)
        let id = try XCTUnwrap(created.json?["id"]?.stringValue)
        XCTAssertTrue(secret.hasPrefix("fr-") && secret.count == 43)

        let listed = try await router.request("GET", "/admin/keys", headers: SpendFixtures.admin())
        XCTAssertFalse(listed.text.contains(secret), "the secret is shown once, never listed")
        XCTAssertFalse(listed.text.contains(VirtualKeyDirectory.hash(secret)), "hashes are not listed either")
        XCTAssertEqual(listed.json?["data"]?.arrayValue?.first?["prefix"]?.stringValue, String(secret.prefix(7)))

        let noKey = try await router.post(SpendFixtures.chat())
        XCTAssertEqual(noKey.status, 401)
        XCTAssertEqual(noKey.json?["error"]?["code"]?.stringValue, "missing_api_key")
        let badKey = try await router.post(SpendFixtures.chat(), headers: [("Authorization", "Bearer fr-unknownunknownunknownunknown")])
        XCTAssertEqual(badKey.status, 401)
        XCTAssertEqual(badKey.json?["error"]?["code"]?.stringValue, "invalid_api_key")

        let auth = [("Authorization", "Bearer \(secret)"), ("X-FinOps-Team", "spoofed")]
        let ok = try await router.post(SpendFixtures.chat(), headers: auth)
        XCTAssertEqual(ok.status, 200, ok.text)
        let anthropicStyle = try await router.post(SpendFixtures.chat(), headers: [("x-api-key", secret)])
        XCTAssertEqual(anthropicStyle.status, 200)
        let forbidden = try await router.post(SpendFixtures.chat(model: "gpt-4o"), headers: auth)
        XCTAssertEqual(forbidden.status, 403)
        XCTAssertEqual(forbidden.json?["error"]?["code"]?.stringValue, "model_not_allowed")

        let revoked = try await router.request("DELETE", "/admin/keys/\(id)", headers: SpendFixtures.admin())
        XCTAssertEqual(revoked.status, 200)
        XCTAssertNotNil(revoked.json?["revoked_at"]?.stringValue)
        let after = try await router.post(SpendFixtures.chat(), headers: auth)
        XCTAssertEqual(after.status, 401)
        XCTAssertEqual(after.json?["error"]?["code"]?.stringValue, "key_revoked")
        let s2 = try await router.request("DELETE", "/admin/keys/key_nope", headers: SpendFixtures.admin()).status; XCTAssertEqual(s2, 404)

        let audit = try await router.request("GET", "/admin/audit", headers: SpendFixtures.admin())
        let actions = audit.json?["data"]?.arrayValue?.compactMap { $0["action"]?.stringValue }
        XCTAssertEqual(actions, ["key.create", "key.revoke"])
        XCTAssertFalse(audit.text.contains(secret))

        let rows = try await router.stopAndReadRows()
        await mock.stop()
        let served = rows.filter { $0.status == .ok }
        XCTAssertEqual(served.count, 2)
        XCTAssertTrue(served.allSatisfy { $0.team == "search" && $0.user == "ana" && $0.keyID == id }, "the key pins attribution")
        XCTAssertEqual(rows.filter { $0.status == .blocked }.map(\.httpStatus).sorted(), [401, 401, 401, 403])
    }

    func testOpenModeIsTheDefaultAndStillHonoursKeys() async throws {
        let mock = try MockUpstream(.json(Fixtures.chatCompletion))
        let router = try RouterHarness(upstream: mock.baseURL, environment: ["FINOPS_ADMIN_TOKEN": SpendFixtures.adminToken])
        let s3 = try await router.post(SpendFixtures.chat(), headers: [("Authorization", "Bearer sk-anything")]).status; XCTAssertEqual(s3, 200)
        let bad = try await router.post(SpendFixtures.chat(), headers: [("Authorization", "Bearer fr-notarealkeyatallnotarealkey")])
        XCTAssertEqual(bad.status, 401, "a presented virtual key is always verified")
        await router.stop()
        await mock.stop()
    }
}
