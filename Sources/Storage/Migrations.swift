/// One forward-only schema change. Versions only grow; an applied migration is never edited,
/// a fix is a new version.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }
}

/// Versioned SQLite schema, recorded in `schema_migrations`.
public enum SQLiteMigrations {
    /// Every migration of the telemetry database, oldest first.
    public static let all: [Migration] = [
        Migration(version: 1, name: "create_llm_requests", sql: """
            CREATE TABLE llm_requests (
                id INTEGER PRIMARY KEY,
                time INTEGER NOT NULL,              -- unix milliseconds, UTC
                request_id TEXT NOT NULL,
                org TEXT NOT NULL,
                team TEXT NOT NULL,
                user_name TEXT NOT NULL,
                key_id TEXT NOT NULL,
                use_case TEXT NOT NULL,
                strategy TEXT NOT NULL,
                route_reason TEXT NOT NULL,
                requested_model TEXT NOT NULL,
                provider TEXT NOT NULL,
                model TEXT NOT NULL,
                baseline_model TEXT NOT NULL,
                input_tokens INTEGER NOT NULL,
                cached_input_tokens INTEGER NOT NULL,
                output_tokens INTEGER NOT NULL,
                cost_nanos INTEGER NOT NULL,        -- Money: integer nano-dollars, never REAL
                baseline_cost_nanos INTEGER NOT NULL,
                estimated INTEGER NOT NULL,         -- 0/1
                latency_ms REAL NOT NULL,
                ttft_ms REAL,
                status TEXT NOT NULL,               -- RequestStatus raw value
                error_kind TEXT NOT NULL,
                http_status INTEGER NOT NULL,
                attempts TEXT NOT NULL,             -- JSON array of "provider:model"
                cache TEXT NOT NULL,
                complexity INTEGER,
                streamed INTEGER NOT NULL,          -- 0/1
                outcome TEXT
            );
            CREATE INDEX llm_requests_time ON llm_requests (time);
            CREATE INDEX llm_requests_team_time ON llm_requests (team, time);
            """),
        Migration(version: 2, name: "llm_requests_budget_unchecked", sql: """
            ALTER TABLE llm_requests ADD COLUMN budget_unchecked INTEGER NOT NULL DEFAULT 0;  -- 0/1: store down, local ledger only
            """),
    ]

    /// Applies every migration newer than the recorded version, each in its own transaction
    /// (BEGIN IMMEDIATE, so two processes opening the same file apply it once). Idempotent.
    /// Returns the versions applied by this call.
    @discardableResult
    public static func apply(_ migrations: [Migration] = all, to db: SQLiteDatabase) throws -> [Int] {
        try db.execute(rawSQL: """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at INTEGER NOT NULL     -- unix seconds
            )
            """)
        let current = try db.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
        let record = try db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, strftime('%s','now'))")
        var applied: [Int] = []
        for migration in migrations.sorted(by: { $0.version < $1.version }) {
            let didApply = try db.transaction { () throws -> Bool in
                // Read inside the transaction: another process may have migrated meanwhile.
                let version = try current.query { $0.int(0) }.first ?? 0
                guard migration.version > version else { return false }
                try db.execute(rawSQL: migration.sql)
                try record.execute([.integer(Int64(migration.version)), .text(migration.name)])
                return true
            }
            if didApply { applied.append(migration.version) }
        }
        return applied
    }

    /// The highest applied version, 0 for an empty database.
    public static func currentVersion(of db: SQLiteDatabase) throws -> Int {
        try db.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").query { $0.int(0) }.first ?? 0
    }
}
