/// The PostgreSQL telemetry schema (see `PostgresMigrations`, ADR 0012). Money is bigint
/// nano-dollars; times are timestamptz; `llm_requests` is partitioned by month.
extension PostgresMigrations {
    /// Every migration of the telemetry database, oldest first.
    public static let all: [Migration] = [
        Migration(version: 1, name: "create_llm_requests", sql: """
            CREATE TABLE llm_requests (
                time timestamptz NOT NULL,
                request_id text NOT NULL,
                org text NOT NULL,
                team text NOT NULL,
                user_name text NOT NULL,
                key_id text NOT NULL,
                use_case text NOT NULL,
                strategy text NOT NULL,
                route_reason text NOT NULL,
                requested_model text NOT NULL,
                provider text NOT NULL,
                model text NOT NULL,
                baseline_model text NOT NULL,
                input_tokens bigint NOT NULL,
                cached_input_tokens bigint NOT NULL,
                output_tokens bigint NOT NULL,
                cost_nanos bigint NOT NULL,             -- Money: integer nano-dollars
                baseline_cost_nanos bigint NOT NULL,
                estimated boolean NOT NULL,
                latency_ms double precision NOT NULL,
                ttft_ms double precision,
                status text NOT NULL,                   -- RequestStatus raw value
                error_kind text NOT NULL,
                http_status integer NOT NULL,
                attempts jsonb NOT NULL,                -- ["provider:model", ...]
                cache text NOT NULL,
                complexity integer,
                streamed boolean NOT NULL,
                outcome text
            ) PARTITION BY RANGE (time);
            CREATE INDEX llm_requests_time ON llm_requests (time);
            CREATE INDEX llm_requests_team_time ON llm_requests (team, time);

            -- A unique index on a partitioned table must include the partition key, so the
            -- "one row per request_id" guarantee lives in this narrow ledger instead (ADR 0012).
            CREATE TABLE llm_request_ids (
                request_id text PRIMARY KEY,
                time timestamptz NOT NULL
            );
            CREATE INDEX llm_request_ids_time ON llm_request_ids (time);

            -- Creates the month's partition if missing; safe when replicas race (advisory lock).
            CREATE FUNCTION finops_ensure_request_partition(at_time timestamptz) RETURNS text
            LANGUAGE plpgsql AS $fn$
            DECLARE
                month_start timestamp := date_trunc('month', at_time AT TIME ZONE 'UTC');
                part_name text := 'llm_requests_' || to_char(month_start, 'YYYY_MM');
            BEGIN
                IF to_regclass(part_name) IS NULL THEN
                    PERFORM pg_advisory_xact_lock(7301946225518024);
                    BEGIN
                        EXECUTE format('CREATE TABLE %I PARTITION OF llm_requests FOR VALUES FROM (%L) TO (%L)',
                                       part_name, month_start AT TIME ZONE 'UTC',
                                       (month_start + interval '1 month') AT TIME ZONE 'UTC');
                    EXCEPTION WHEN duplicate_table OR unique_violation THEN
                        NULL;  -- another replica created it first (its commit may not be visible to to_regclass yet)
                    END;
                END IF;
                RETURN part_name;
            END
            $fn$;

            -- Retention: drops whole months that ended at or before `cutoff`, and their ids.
            CREATE FUNCTION finops_drop_request_partitions(cutoff timestamptz) RETURNS SETOF text
            LANGUAGE plpgsql AS $fn$
            DECLARE
                part record;
                month_end timestamptz;
            BEGIN
                FOR part IN
                    SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                    WHERE i.inhparent = 'llm_requests'::regclass
                      AND c.relname ~ '^llm_requests_[0-9]{4}_[0-9]{2}$'
                    ORDER BY c.relname
                LOOP
                    month_end := (to_date(substr(part.relname, 14), 'YYYY_MM') + interval '1 month')::timestamp
                                 AT TIME ZONE 'UTC';
                    IF month_end <= cutoff THEN
                        EXECUTE format('DROP TABLE %I', part.relname);
                        DELETE FROM llm_request_ids WHERE time < month_end;
                        RETURN NEXT part.relname;
                    END IF;
                END LOOP;
            END
            $fn$;
            """),
        Migration(version: 2, name: "create_spend_rollups", sql: rollupTables),
        Migration(version: 3, name: "create_alerts", sql: """
            CREATE TABLE alerts (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                time timestamptz NOT NULL,
                alert_key text NOT NULL,                -- deduplication key
                kind text NOT NULL,                     -- budget_threshold, spend_anomaly, drift, provider_outage, ...
                severity text NOT NULL,                 -- info, warning, critical
                state text NOT NULL,                    -- firing, resolved
                org text NOT NULL,
                team text NOT NULL DEFAULT '',
                title text NOT NULL,
                message text NOT NULL,
                value double precision,                 -- observed value (display only, never summed)
                threshold double precision,
                labels jsonb NOT NULL DEFAULT '{}',
                delivery_state text NOT NULL DEFAULT 'pending',  -- pending, delivered, failed, suppressed
                delivery_attempts integer NOT NULL DEFAULT 0,
                delivered_at timestamptz,
                resolved_at timestamptz
            );
            CREATE INDEX alerts_time ON alerts (time);
            CREATE INDEX alerts_key_time ON alerts (alert_key, time);
            CREATE INDEX alerts_undelivered ON alerts (delivery_state) WHERE delivery_state IN ('pending', 'failed');
            """),
        Migration(version: 4, name: "create_budgets", sql: """
            CREATE TABLE budgets (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                scope text NOT NULL,                    -- org, team, user, key, use_case
                scope_value text NOT NULL,              -- e.g. the team name; '' for the whole org
                period text NOT NULL,                   -- daily, weekly, monthly
                limit_nanos bigint NOT NULL CHECK (limit_nanos >= 0),
                soft_threshold_percent integer NOT NULL DEFAULT 80 CHECK (soft_threshold_percent BETWEEN 0 AND 100),
                action text NOT NULL DEFAULT 'alert',   -- alert, downgrade, block
                created_at timestamptz NOT NULL DEFAULT now(),
                updated_at timestamptz NOT NULL DEFAULT now(),
                UNIQUE (scope, scope_value, period)
            );
            """),
        Migration(version: 5, name: "llm_requests_budget_unchecked", sql: """
            ALTER TABLE llm_requests ADD COLUMN budget_unchecked boolean NOT NULL DEFAULT false;
            """),
        // Latency percentiles from rollups (dashboards, drift alerts): LatencyHistogram buckets.
        Migration(version: 6, name: "rollup_latency_buckets", sql: RollupTable.allCases.map { table in
            table.addLatencyColumns(integer: "bigint",
                                    bucketOfRaw: "date_trunc('\(table.granularity == .day ? "day" : "hour")', time, 'UTC')")
        }.joined(separator: "\n")),
        // The alert scheduler: one row per notification (alert × destination × trigger/resolve),
        // retried until delivered or failed, surviving restarts; the leader lease; firing lookups.
        Migration(version: 7, name: "alert_deliveries_and_scheduler_leases", sql: """
            CREATE TABLE alert_deliveries (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                alert_id bigint NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
                destination text NOT NULL,              -- configured destination name
                destination_kind text NOT NULL,         -- slack, pagerduty, webhook
                action text NOT NULL,                   -- trigger, resolve
                group_key text NOT NULL DEFAULT '',     -- one message per (destination, group) where the kind groups
                state text NOT NULL DEFAULT 'pending',  -- pending, delivered, failed
                attempts integer NOT NULL DEFAULT 0,
                next_attempt_at timestamptz NOT NULL,   -- a claim moves it to the end of its lease
                last_error text,                        -- safe text: never a URL, routing key or secret
                created_at timestamptz NOT NULL,
                delivered_at timestamptz,
                UNIQUE (alert_id, destination, action)
            );
            CREATE INDEX alert_deliveries_due ON alert_deliveries (next_attempt_at) WHERE state = 'pending';
            CREATE INDEX alerts_firing ON alerts (alert_key) WHERE state = 'firing';
            CREATE INDEX alerts_resolved_at ON alerts (resolved_at) WHERE resolved_at IS NOT NULL;
            CREATE TABLE scheduler_leases (
                name text PRIMARY KEY,
                owner text NOT NULL,
                expires_at timestamptz NOT NULL
            );
            """),
        // The dashboard's Requests view filters raw rows by model or status, newest first (ADR 0035).
        Migration(version: 8, name: "request_search_indexes", sql: """
            CREATE INDEX llm_requests_model_time ON llm_requests (model, time);
            CREATE INDEX llm_requests_status_time ON llm_requests (status, time);
            """),
    ]

    private static var rollupTables: String {
        RollupTable.allCases.map { table in
            let keyDDL = table.keys.map { $0 == "bucket" ? "bucket timestamptz NOT NULL" : "\($0) text NOT NULL" }
            // Frozen at the first schema: later measures arrive through their own migrations.
            let measureDDL = RollupTable.baseMeasures.map {
                "\($0) \($0 == "latency_ms_sum" ? "double precision" : "bigint") NOT NULL"
            }
            return """
                CREATE TABLE \(table.name) (
                    \((keyDDL + measureDDL).joined(separator: ",\n    ")),
                    PRIMARY KEY (\(table.keys.joined(separator: ", ")))
                );
                CREATE INDEX \(table.name)_team_bucket ON \(table.name) (team, bucket);
                """
        }.joined(separator: "\n")
    }
}
