/// Versioned PostgreSQL schema, recorded in `schema_migrations`. Several replicas may start at
/// once: a session advisory lock makes one of them migrate while the others wait, then find
/// nothing left to do.
public enum PostgresMigrations {
    /// Arbitrary constant naming the migration lock (`pg_advisory_lock` takes a bigint).
    static let lockKey = "7301946225518023"

    /// Applies every migration newer than the recorded version, each in its own transaction.
    /// Idempotent. Returns the versions applied by this call.
    @discardableResult
    public static func apply(_ migrations: [Migration] = all, to connection: PostgresConnection) throws -> [Int] {
        _ = try connection.query("SELECT pg_advisory_lock($1::bigint)", [lockKey])
        defer { _ = try? connection.query("SELECT pg_advisory_unlock($1::bigint)", [lockKey]) }
        try connection.execute(rawSQL: """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY,
                name text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """)
        var applied: [Int] = []
        for migration in migrations.sorted(by: { $0.version < $1.version }) {
            guard migration.version > (try currentVersion(of: connection)) else { continue }
            try connection.execute(rawSQL: "BEGIN")
            do {
                try connection.execute(rawSQL: migration.sql)
                _ = try connection.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                                         [String(migration.version), migration.name])
                try connection.execute(rawSQL: "COMMIT")
            } catch {
                try? connection.execute(rawSQL: "ROLLBACK")
                throw StorageError(kind: .postgres, operation: "migration \(migration.version) (\(migration.name))",
                                   message: "\(error)", sqlState: (error as? StorageError)?.sqlState)
            }
            applied.append(migration.version)
        }
        return applied
    }

    /// The highest applied version, 0 for an empty database.
    public static func currentVersion(of connection: PostgresConnection) throws -> Int {
        let exists = try connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL", []).scalar()
        guard exists == "t" else { return 0 }
        return Int(try connection.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", []).scalar()) ?? 0
    }
}
