#!/usr/bin/env bash
# Telemetry write throughput: `finops-router seed` (release build) into PostgreSQL and SQLite.
#
# Usage: bench/telemetry.sh [rows (default 200000)] [batch size (default 1000)]
#
# Starts a private PostgreSQL 15 on a free loopback port with its DEFAULT durability settings
# (fsync on, synchronous_commit on: every batch is a durable commit), unless
# FINOPS_BENCH_POSTGRES_URL names an existing server (its database gets the tables). Seeds the
# same rows into it and into a fresh SQLite file, and prints rows/s for each. The rows go through
# the same store API as live traffic: raw rows, id ledger and three rollups per batch.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

ROWS=${1:-200000}
BATCH=${2:-1000}
log() { echo "bench: $*" >&2; }

if ! command -v swift >/dev/null 2>&1 && [[ -x /opt/swift/usr/bin/swift ]]; then
    export PATH="/opt/swift/usr/bin:$PATH"
fi
log "swift build -c release --product finops-router"
swift build -c release --product finops-router >&2
BIN="$(swift build -c release --show-bin-path)/finops-router"

WORK=$(mktemp -d /tmp/finops-bench.XXXXXX)
chmod 755 "$WORK"
PG_DATA=""
AS_PG=()
PG_BIN=$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/initdb' -printf '%h\n' 2>/dev/null | sort -V | tail -n 1)
cleanup() {
    if [[ -n $PG_DATA ]]; then
        (cd "$WORK" && "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1) || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

if [[ -n ${FINOPS_BENCH_POSTGRES_URL:-} ]]; then
    PG_URL=$FINOPS_BENCH_POSTGRES_URL
else
    [[ -n $PG_BIN ]] || { echo "bench: PostgreSQL server binaries not found (scripts/setup --test-deps)" >&2; exit 1; }
    PORT=25500
    while (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; do PORT=$((PORT + 1)); done
    if [[ $(id -u) -eq 0 ]]; then chown postgres: "$WORK"; AS_PG=(runuser -u postgres --); fi
    PG_DATA=$WORK/pgdata
    log "initdb + start PostgreSQL on 127.0.0.1:$PORT (default durability)"
    (cd "$WORK" && "${AS_PG[@]}" "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust >/dev/null)
    (cd "$WORK" && "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$WORK/pg.log" -w \
        -o "-p $PORT -k $WORK -c listen_addresses=127.0.0.1" start >/dev/null)
    PG_URL="postgres://postgres@127.0.0.1:$PORT/postgres"
fi

run() {  # label, store args...
    local label=$1; shift
    local out
    out=$("$BIN" seed --rows "$ROWS" --days 30 --seed 1 --batch-size "$BATCH" "$@")
    echo "$out" >&2
    echo "$label: $(echo "$out" | tail -n 1 | sed -E 's/.*: ([0-9]+) rows\/s$/\1/') rows/s ($ROWS rows, batch $BATCH)"
}

echo "== telemetry write throughput, $(nproc) cores"
run "PostgreSQL $("${PG_BIN:-/usr/lib/postgresql/15/bin}/postgres" --version 2>/dev/null | awk '{print $3}')" --database-url "$PG_URL"
run "SQLite (WAL, synchronous=NORMAL)" --sqlite-path "$WORK/bench.sqlite"
