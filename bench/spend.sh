#!/usr/bin/env bash
# Spend-control latency bench: starts a private redis-server on 127.0.0.1 (a free port from
# 16579), then prints the p50/p90/p99 of
#   1. one budget + rate-limit check (3 budget lines + 2 GCRA limiters, one atomic Lua call),
#      against that Redis, sequential and with 16 concurrent callers, and in memory;
#   2. cache lookups with 100,000 entries: exact hits (Redis GET + SHA-256 of the normalised
#      request) and semantic lookups (embedding + LSH index + cosine), in Redis and in memory.
# Targets (issue 7): check p99 < 1 ms against local Redis; cache lookup p99 < 2 ms at 100k.
#
#   bench/spend.sh                      # release build (built if missing), default sizes
#   ENTRIES=20000 ITERATIONS=5000 bench/spend.sh
#   BIN=.build/debug/finops-router bench/spend.sh
#
# Developer tool: CI does not run it. Everything stays on loopback; the Redis is removed after.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${BIN:-$ROOT/.build/release/finops-router}"
ENTRIES="${ENTRIES:-100000}"
ITERATIONS="${ITERATIONS:-20000}"
LOOKUPS="${LOOKUPS:-5000}"

if [ ! -x "$BIN" ]; then
  echo "spend.sh: $BIN missing; building release" >&2
  (cd "$ROOT" && swift build -c release --product finops-router)
fi
command -v redis-server >/dev/null || { echo "spend.sh: redis-server not found (apt-get install redis-server)" >&2; exit 1; }

PORT=16579
while (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; do PORT=$((PORT + 1)); done
TMP="$(mktemp -d /tmp/finops-spend-bench.XXXXXX)"
redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
  --pidfile "$TMP/redis.pid" --dir "$TMP" --logfile "$TMP/redis.log"
cleanup() { [ -f "$TMP/redis.pid" ] && kill "$(cat "$TMP/redis.pid")" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
for _ in $(seq 1 50); do [ "$(redis-cli -p "$PORT" ping 2>/dev/null)" = PONG ] && break; sleep 0.1; done
REDIS="redis://127.0.0.1:$PORT"

echo "# $(date -u +%FT%TZ) $(nproc) cores, $("$BIN" --version), redis $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/')"
"$BIN" bench spend --redis-url "$REDIS" --iterations "$ITERATIONS" --concurrency 1
"$BIN" bench spend --redis-url "$REDIS" --iterations "$ITERATIONS" --concurrency 16
"$BIN" bench spend --iterations "$ITERATIONS" --concurrency 1
"$BIN" bench cache --redis-url "$REDIS" --entries "$ENTRIES" --lookups "$LOOKUPS"
"$BIN" bench cache --entries "$ENTRIES" --lookups "$LOOKUPS"
