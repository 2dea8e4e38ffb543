import Foundation
import Storage
import XCTest

/// A fresh database on the test server (FINOPS_TEST_POSTGRES_URL, started by scripts/test) for
/// one test, dropped when the test ends, so every test sees an empty schema.
enum PostgresTestDatabase {
    static var serverURL: String? {
        ProcessInfo.processInfo.environment["FINOPS_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static func create(for testCase: XCTestCase) throws -> String {
        guard let server = serverURL else {
            throw XCTSkip("FINOPS_TEST_POSTGRES_URL is not set: PostgreSQL tests skipped (scripts/test starts a server and sets it)")
        }
        let name = "finops_t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        let admin = try PostgresConnection(url: server)
        try admin.execute(rawSQL: "CREATE DATABASE \(name)")  // generated name: safe to inline
        testCase.addTeardownBlock {
            try? admin.execute(rawSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            admin.close()
        }
        guard var url = URLComponents(string: server) else {
            throw XCTSkip("FINOPS_TEST_POSTGRES_URL must be a postgres:// URL")
        }
        url.path = "/" + name
        return url.string!
    }
}
