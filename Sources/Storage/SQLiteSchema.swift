/// The SQLite telemetry schema, one forward-only migration per version (see `SQLiteMigrations`).
/// Money columns are INTEGER nano-dollars; times are unix milliseconds (rollup buckets: seconds).
extension SQLiteMigrations {
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
        // Replays (spill files, retried batches) must never duplicate a call: keep the first copy
        // of any duplicate an older version may have written, then enforce uniqueness.
        Migration(version: 2, name: "unique_request_id", sql: """
            DELETE FROM llm_requests WHERE id NOT IN (SELECT MIN(id) FROM llm_requests GROUP BY request_id);
            CREATE UNIQUE INDEX llm_requests_request_id ON llm_requests (request_id);
            """),
        Migration(version: 3, name: "create_spend_rollups", sql: rollupTables),
        Migration(version: 4, name: "create_alerts", sql: """
            CREATE TABLE alerts (
                id INTEGER PRIMARY KEY,
                time INTEGER NOT NULL,              -- unix milliseconds when raised
                alert_key TEXT NOT NULL,            -- deduplication key, e.g. budget:team:search:monthly:80
                kind TEXT NOT NULL,                 -- budget_threshold, spend_anomaly, drift, provider_outage, ...
                severity TEXT NOT NULL,             -- info, warning, critical
                state TEXT NOT NULL,                -- firing, resolved
                org TEXT NOT NULL,
                team TEXT NOT NULL DEFAULT '',
                title TEXT NOT NULL,
                message TEXT NOT NULL,
                value REAL,                         -- the observed value (display only, never summed)
                threshold REAL,
                labels TEXT NOT NULL DEFAULT '{}',  -- JSON object
                delivery_state TEXT NOT NULL DEFAULT 'pending',  -- pending, delivered, failed, suppressed
                delivery_attempts INTEGER NOT NULL DEFAULT 0,
                delivered_at INTEGER,
                resolved_at INTEGER
            );
            CREATE INDEX alerts_time ON alerts (time);
            CREATE INDEX alerts_key_time ON alerts (alert_key, time);
            CREATE INDEX alerts_undelivered ON alerts (delivery_state) WHERE delivery_state IN ('pending', 'failed');
            """),
        Migration(version: 5, name: "create_budgets", sql: """
            CREATE TABLE budgets (
                id INTEGER PRIMARY KEY,
                scope TEXT NOT NULL,                -- org, team, user, key, use_case
                scope_value TEXT NOT NULL,          -- e.g. the team name; '' for the whole org
                period TEXT NOT NULL,               -- daily, weekly, monthly
                limit_nanos INTEGER NOT NULL CHECK (limit_nanos >= 0),
                soft_threshold_percent INTEGER NOT NULL DEFAULT 80 CHECK (soft_threshold_percent BETWEEN 0 AND 100),
                action TEXT NOT NULL DEFAULT 'alert',  -- alert, downgrade, block
                created_at INTEGER NOT NULL,        -- unix milliseconds
                updated_at INTEGER NOT NULL,
                UNIQUE (scope, scope_value, period)
            );
            """),
        Migration(version: 6, name: "llm_requests_budget_unchecked", sql: """
            ALTER TABLE llm_requests ADD COLUMN budget_unchecked INTEGER NOT NULL DEFAULT 0;  -- 0/1: budget store down, local ledger only
            """),
        // Latency percentiles from rollups (dashboards, drift alerts): LatencyHistogram buckets.
        Migration(version: 7, name: "rollup_latency_buckets", sql: RollupTable.allCases.map { table in
            table.addLatencyColumns(integer: "INTEGER",
                                    bucketOfRaw: "(time / \(table.granularity.seconds * 1_000)) * \(table.granularity.seconds)")
        }.joined(separator: "\n")),
        // The alert scheduler: one row per notification (alert × destination × trigger/resolve),
        // retried until delivered or failed, surviving restarts; the leader lease; firing lookups.
        Migration(version: 8, name: "alert_deliveries_and_scheduler_leases", sql: """
            CREATE TABLE alert_deliveries (
                id INTEGER PRIMARY KEY,
                alert_id INTEGER NOT NULL REFERENCES alerts (id),
                destination TEXT NOT NULL,          -- configured destination name
                destination_kind TEXT NOT NULL,     -- slack, pagerduty, webhook
                action TEXT NOT NULL,               -- trigger, resolve
                group_key TEXT NOT NULL DEFAULT '', -- one message per (destination, group) where the kind groups
                state TEXT NOT NULL DEFAULT 'pending',  -- pending, delivered, failed
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at INTEGER NOT NULL,   -- unix ms; a claim moves it to the end of its lease
                last_error TEXT,                    -- safe text: never a URL, routing key or secret
                created_at INTEGER NOT NULL,
                delivered_at INTEGER,
                UNIQUE (alert_id, destination, action)
            );
            CREATE INDEX alert_deliveries_due ON alert_deliveries (next_attempt_at) WHERE state = 'pending';
            CREATE INDEX alerts_firing ON alerts (alert_key) WHERE state = 'firing';
            CREATE INDEX alerts_resolved_at ON alerts (resolved_at) WHERE resolved_at IS NOT NULL;
            CREATE TABLE scheduler_leases (
                name TEXT PRIMARY KEY,
                owner TEXT NOT NULL,
                expires_at INTEGER NOT NULL         -- unix ms
            );
            """),
        // The dashboard's Requests view filters raw rows by model or status, newest first (ADR 0035).
        Migration(version: 9, name: "request_search_indexes", sql: """
            CREATE INDEX llm_requests_model_time ON llm_requests (model, time);
            CREATE INDEX llm_requests_status_time ON llm_requests (status, time);
            """),
    ]

    /// Rollup tables plus a backfill from the rows already stored, so a database created by an
    /// older version starts with rollups equal to its raw rows.
    private static var rollupTables: String {
        RollupTable.allCases.map { table in
            let keyDDL = table.keys.map { $0 == "bucket" ? "bucket INTEGER NOT NULL" : "\($0) TEXT NOT NULL" }
            // Frozen at the first schema: later measures arrive through their own migrations.
            let measureDDL = RollupTable.baseMeasures.map { "\($0) \($0 == "latency_ms_sum" ? "REAL" : "INTEGER") NOT NULL" }
            let width = table.granularity.seconds
            let rawKeys = table.keys.dropFirst().joined(separator: ", ")
            let groupBy = (1...table.keys.count).map(String.init).joined(separator: ", ")
            return """
                CREATE TABLE \(table.name) (
                    \((keyDDL + measureDDL).joined(separator: ",\n    ")),
                    PRIMARY KEY (\(table.keys.joined(separator: ", ")))
                ) WITHOUT ROWID;
                CREATE INDEX \(table.name)_team_bucket ON \(table.name) (team, bucket);
                INSERT INTO \(table.name) (\((table.keys + RollupTable.baseMeasures).joined(separator: ", ")))
                    SELECT (time / \(width * 1_000)) * \(width), \(rawKeys), \(RollupTable.baseAggregatesOverRaw)
                    FROM llm_requests \(table == .outcomeHourly ? "WHERE outcome IS NOT NULL" : "")
                    GROUP BY \(groupBy);
                """
        }.joined(separator: "\n")
    }
}
