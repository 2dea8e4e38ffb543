#!/usr/bin/env bash
# Dashboard server time with a big store: seeds ROWS (default 1,000,000) calls over 30 days into
# a SQLite file (and into PostgreSQL when PG_URL is set), starts a release router on it with an
# org budget and a per-team budget, and loads every page and JSON view LOADS times (after 3
# warm-up loads). Prints p50/p99 of the server time each answer reports in its
# `Server-Timing: app;dur=` header (store reads + model + rendering) and of the wall time
# curl saw on loopback. Target (issue 9): overview < 100 ms with 1,000,000 requests.
#
#   bench/dashboard.sh                          # release build (built if missing), SQLite
#   ROWS=200000 LOADS=20 bench/dashboard.sh
#   DB=/tmp/big.sqlite bench/dashboard.sh       # reuse a seeded file (seeding is skipped if it has ROWS)
#   PG_URL=postgres://postgres@127.0.0.1:15432/finops_bench bench/dashboard.sh   # SKIP_SQLITE=1: PostgreSQL only
#
# Developer tool: CI does not run it. Everything stays on loopback.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${BIN:-$ROOT/.build/release/finops-router}"
ROWS="${ROWS:-1000000}"
LOADS="${LOADS:-30}"
TMP="$(mktemp -d /tmp/finops-dashboard-bench.XXXXXX)"
DB="${DB:-$TMP/bench.sqlite}"
ROUTER=""
cleanup() {
  [ -n "$ROUTER" ] && kill "$ROUTER" 2>/dev/null && wait "$ROUTER" 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT

if [ ! -x "$BIN" ]; then
  echo "dashboard.sh: $BIN missing; building release" >&2
  (cd "$ROOT" && swift build -c release --product finops-router)
fi

cat >"$TMP/config.yaml" <<YAML
attribution: {org: acme}
budgets:
  limits:
    - {scope: org, subject: acme, period: monthly, limit_usd: 5000}
    - {scope: team, subject: "*", period: monthly, limit_usd: 800}
YAML

free_port() { local p=$1; while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done; echo "$p"; }

seed() {  # seed STORE_ARGS...
  "$BIN" seed --rows "$ROWS" --days 30 "$@" | tail -n 1
}

measure() {  # measure LABEL STORE_ARGS...
  local label=$1; shift
  local port; port=$(free_port 18700)
  "$BIN" serve --config "$TMP/config.yaml" --host 127.0.0.1 --port "$port" "$@" --spill-dir "$TMP/spill" --log-level warning \
    >"$TMP/router.log" 2>&1 &
  ROUTER=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
  echo "## $label: $("$BIN" --version), $(nproc) cores (shared machine), $LOADS loads per page after 3 warm-up loads"
  printf '%-34s %10s %10s %10s %10s %8s\n' "page" "server p50" "server p99" "wall p50" "wall p99" "bytes"
  for page in "/" "/?range=24h" "/?range=30d" "/?range=mtd" "/drift?range=30d" "/budgets" "/providers?range=30d" \
              "/strategies?range=30d" "/requests" "/requests?team=legal&status=error" "/teams/support?range=30d" \
              "/api/v1/overview?range=30d" "/api/v1/requests?limit=200"; do
    : >"$TMP/times"
    for i in $(seq 1 $((LOADS + 3))); do
      line=$(curl -s -o "$TMP/body" -D "$TMP/head" -w '%{time_total} %{http_code} %{size_download}' "http://127.0.0.1:$port$page")
      server=$(grep -i '^server-timing:' "$TMP/head" | sed 's/.*dur=\([0-9.]*\).*/\1/' | tr -d '\r')
      [ "$i" -gt 3 ] && echo "$server $line" >>"$TMP/times"
    done
    python3 - "$page" "$TMP/times" <<'PY'
import sys
page, path = sys.argv[1], sys.argv[2]
rows = [l.split() for l in open(path) if l.strip()]
server = sorted(float(r[0]) for r in rows)
wall = sorted(float(r[1]) * 1000 for r in rows)
codes = {r[2] for r in rows}
def q(xs, p): return xs[min(len(xs) - 1, int(round(p * (len(xs) - 1))))]
bad = "" if codes == {"200"} else f"  HTTP {sorted(codes)}"
print(f"{page:34} {q(server,.5):8.1f}ms {q(server,.99):8.1f}ms {q(wall,.5):8.1f}ms {q(wall,.99):8.1f}ms {rows[-1][3]:>8}{bad}")
PY
  done
  kill "$ROUTER"; wait "$ROUTER" 2>/dev/null || true; ROUTER=""
}

if [ -z "${SKIP_SQLITE:-}" ]; then
  have=$( [ -f "$DB" ] && sqlite3 "$DB" 'SELECT count(*) FROM llm_requests' 2>/dev/null || echo 0)
  if [ "$have" -lt "$ROWS" ]; then echo "seeding SQLite $DB"; seed --sqlite-path "$DB"; fi
  echo "sqlite rollup rows: hourly $(sqlite3 "$DB" 'SELECT count(*) FROM spend_rollup_hourly'), daily $(sqlite3 "$DB" 'SELECT count(*) FROM spend_rollup_daily')"
  measure "SQLite, $ROWS requests" --sqlite-path "$DB"
fi

if [ -n "${PG_URL:-}" ]; then
  have=$(psql "$PG_URL" -tAc 'SELECT count(*) FROM llm_requests' 2>/dev/null || echo 0)
  if [ "${have:-0}" -lt "$ROWS" ]; then echo "seeding PostgreSQL"; seed --database-url "$PG_URL"; fi
  measure "PostgreSQL, $ROWS requests" --database-url "$PG_URL"
fi
