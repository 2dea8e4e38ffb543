import ArgumentParser
import FinOpsCore
import Foundation
import Storage

/// Which telemetry database a command uses. Precedence: `--database-url`, then
/// `--sqlite-path`, then `$FINOPS_DATABASE_URL`, then the config's `telemetry.database_url`,
/// then its `telemetry.sqlite_path` (default `./finops-data/finops.sqlite`).
struct StoreOptions: ParsableArguments {
    @Option(help: "PostgreSQL URL, e.g. postgres://finops@db:5432/finops (default: $FINOPS_DATABASE_URL, then the config). Keep the password in PGPASSWORD or ~/.pgpass.")
    var databaseURL: String?

    @Option(help: "SQLite telemetry file (default: the config's telemetry.sqlite_path, ./finops-data/finops.sqlite).")
    var sqlitePath: String?

    func validate() throws {
        if databaseURL != nil && sqlitePath != nil {
            throw ValidationError("give either --database-url or --sqlite-path, not both")
        }
    }

    func apply(to telemetry: inout RouterConfig.Telemetry,
               environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        try validate()
        if let sqlitePath {
            telemetry.sqlitePath = sqlitePath
            telemetry.databaseURL = nil
        } else if let url = databaseURL ?? environment["FINOPS_DATABASE_URL"].flatMap({ $0.isEmpty ? nil : $0 }) {
            telemetry.databaseURL = url
        }
    }

    /// The store the command should open, given the loaded config.
    func location(_ config: RouterConfig) throws -> TelemetryStoreLocation {
        var telemetry = config.telemetry
        try apply(to: &telemetry)
        return TelemetryStoreLocation(databaseURL: telemetry.databaseURL, sqlitePath: telemetry.sqlitePath)
    }
}

/// Errors from store work, printed without a stack of Swift types: `error: <safe description>`.
func runStoreWork<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    do {
        return try await BlockingExecutor.run(work)
    } catch let error as StorageError {
        throw ValidationError("\(error)")
    }
}
