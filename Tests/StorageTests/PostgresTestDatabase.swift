import FinOpsTestSupport
import Foundation
import Storage
import XCTest

/// A fresh database on the test server (FINOPS_TEST_POSTGRES_URL, started by scripts/test) for
/// one test, dropped when the test ends, so every test sees an empty schema.
enum PostgresTestDatabase {
    static var serverURL: String? { PostgresScratchDatabase.serverURL }

    static func create(for testCase: XCTestCase) throws -> String {
        guard let server = serverURL else {
            throw XCTSkip("FINOPS_TEST_POSTGRES_URL is not set: PostgreSQL tests skipped (scripts/test starts a server and sets it)")
        }
        let database = try PostgresScratchDatabase(serverURL: server)
        testCase.addTeardownBlock { database.drop() }
        return database.url
    }
}
