import Foundation

/// Which telemetry database to use, chosen once from flags, environment and config: a
/// PostgreSQL URL when one is given, otherwise the SQLite file. `serve` and the CLI commands
/// (`migrate`, `seed`, `report`, `export`) all open stores through here, so they agree.
public enum TelemetryStoreLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String)

    /// `databaseURL` wins when set (non-empty); otherwise SQLite at `sqlitePath`.
    public init(databaseURL: String?, sqlitePath: String) {
        if let url = databaseURL, !url.isEmpty {
            self = .postgres(url: url)
        } else {
            self = .sqlite(path: sqlitePath)
        }
    }

    /// Safe to log: PostgreSQL passwords are masked.
    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let url): PostgresConnection.redacted(url)
        }
    }

    /// Opens the store. SQLite opens and migrates now; PostgreSQL connects (and migrates) on
    /// first use unless `connectNow`, so a gateway starts while its database is down.
    public func open(connectNow: Bool = false, statementTimeout: Duration = .seconds(10)) throws -> any TelemetryStore {
        switch self {
        case .sqlite(let path):
            return try SQLiteTelemetryStore(path: path)
        case .postgres(let url):
            let store = PostgresTelemetryStore(url: url, statementTimeout: statementTimeout)
            if connectNow { try store.checkConnection() }
            return store
        }
    }

    /// Applies pending migrations; returns (versions applied now, current version).
    public func migrate() throws -> (applied: [Int], current: Int) {
        switch self {
        case .sqlite(let path):
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let db = try SQLiteDatabase(path: path)
            defer { db.close() }
            let applied = try SQLiteMigrations.apply(to: db)
            return (applied, try SQLiteMigrations.currentVersion(of: db))
        case .postgres(let url):
            let connection = try PostgresConnection(url: url)
            defer { connection.close() }
            let applied = try PostgresMigrations.apply(to: connection)
            return (applied, try PostgresMigrations.currentVersion(of: connection))
        }
    }
}
