import FinOpsTestSupport
import Foundation
import XCTest

final class MigrateCommandTests: XCTestCase {
    func testMigrateCreatesThenReportsUpToDateOnSQLite() throws {
        let db = try temporaryDirectory(self) + "/new/finops.sqlite"
        let first = try FinOpsRouterBinary.run(["migrate", "--sqlite-path", db])
        XCTAssertTrue(first.contains("schema version 9 (applied 1, 2, 3, 4, 5, 6, 7, 8, 9)"), first)
        let second = try FinOpsRouterBinary.run(["migrate", "--sqlite-path", db, "--retention-months", "13"])
        XCTAssertTrue(second.contains("schema version 9 (up to date)"), second)
        XCTAssertTrue(second.contains("retention: keeping raw rows from"), second)
    }

    func testMigrateOnPostgresCreatesPartitionsAndNeverShowsThePassword() throws {
        guard let server = PostgresScratchDatabase.serverURL else {
            throw XCTSkip("FINOPS_TEST_POSTGRES_URL is not set: PostgreSQL CLI test skipped (scripts/test sets it)")
        }
        let database = try PostgresScratchDatabase(serverURL: server)
        defer { database.drop() }
        let first = try FinOpsRouterBinary.run(["migrate", "--database-url", database.url, "--partitions-ahead", "3"])
        XCTAssertTrue(first.contains("(applied 1, 2, 3, 4, 5, 6, 7, 8)"), first)
        XCTAssertTrue(first.contains("partitions ready"), first)
        XCTAssertTrue(try FinOpsRouterBinary.run(["migrate", "--database-url", database.url]).contains("(up to date)"))

        var withPassword = URLComponents(string: database.url)!
        withPassword.password = "s3cret-pw"
        withPassword.port = 1
        XCTAssertThrowsError(try FinOpsRouterBinary.run(["migrate", "--database-url", withPassword.string!])) { error in
            let output = (error as? ProcessRunner.Failure)?.output ?? "\(error)"  // what the user sees
            XCTAssertFalse(output.contains("s3cret-pw"), output)
            XCTAssertTrue(output.contains("postgres error during connect"), output)
        }
    }
}
