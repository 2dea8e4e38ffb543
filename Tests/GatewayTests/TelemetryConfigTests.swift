import FinOpsCore
import Gateway
import XCTest

/// `telemetry.database_url` and `telemetry.spill_dir`.
final class TelemetryConfigTests: XCTestCase {
    private func parse(_ yaml: String) throws -> RouterConfig {
        try ConfigLoader.parse(yaml: yaml, file: "t.yaml", environment: [:], catalog: DefaultPricing.catalog())
    }

    func testDatabaseURLAndSpillDirectory() throws {
        let config = try parse("""
            telemetry:
              database_url: postgres://finops@db.internal:5432/finops?sslmode=require
              spill_dir: /var/lib/finops/spill
            """)
        XCTAssertEqual(config.telemetry.databaseURL, "postgres://finops@db.internal:5432/finops?sslmode=require")
        XCTAssertEqual(config.telemetry.effectiveSpillDirectory, "/var/lib/finops/spill")
        XCTAssertNil(try parse("telemetry:\n  batch_size: 10\n").telemetry.databaseURL, "SQLite stays the default")
    }

    func testSpillGoesNextToTheSQLiteFileByDefault() {
        var telemetry = RouterConfig.Telemetry()
        XCTAssertEqual(telemetry.effectiveSpillDirectory, "./finops-data")
        telemetry.sqlitePath = "/data/f.sqlite"
        XCTAssertEqual(telemetry.effectiveSpillDirectory, "/data")
        telemetry.sqlitePath = "f.sqlite"
        XCTAssertEqual(telemetry.effectiveSpillDirectory, ".")
    }

    func testPasswordsAreRefusedInTheFile() {
        for url in ["postgres://finops:hunter2@db/finops", "host=db user=finops password=hunter2 dbname=finops",
                    "postgresql://db/finops?password=hunter2"] {
            XCTAssertThrowsError(try parse("telemetry:\n  database_url: \"\(url)\"\n")) { error in
                XCTAssertTrue("\(error)".contains("telemetry.database_url"), "\(error)")
                XCTAssertTrue("\(error)".contains("PGPASSWORD"), "\(error)")
                XCTAssertFalse("\(error)".contains("hunter2"), "\(error)")
            }
        }
        XCTAssertThrowsError(try parse("telemetry:\n  database_url: mysql://db\n"))
    }
}
