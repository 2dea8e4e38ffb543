#!/usr/bin/env bash
# Runs every benchmark behind a performance number in README.md, one after the other, and prints
# one results table (markdown) with the machine and the date. Each run's full output is kept in
# the log folder printed at the end. Developer tool: CI does not run it (it needs minutes of a
# quiet machine; the overhead run also needs ../shared/bench and its setup).
#
#   bench/run-all.sh            # full sizes (~15 min on 2 cores, most of it the overhead harness)
#   bench/run-all.sh --quick    # smaller sizes, ~4 min: checks the scripts work, numbers are rougher
#
# README number                      script
#   overhead vs nginx, req/s, CPU/req  bench/run_overhead.sh (shared harness; json, 64 conns)
#   streaming throughput               bench/run_overhead.sh --modes stream --conns 16
#   1,000 slow upstream calls          bench/concurrency.py --n 1000 (and --stream)
#   budget check latency               bench/spend.sh  (finops-router bench spend/cache)
#   telemetry rows/s                   bench/telemetry.sh
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

QUICK=0
[[ ${1:-} == --quick ]] && QUICK=1
if ! command -v swift >/dev/null 2>&1 && [[ -x /opt/swift/usr/bin/swift ]]; then export PATH="/opt/swift/usr/bin:$PATH"; fi
LOGS="bench/results/tmp/run-all-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$LOGS"
echo "run-all: release build" >&2
swift build -c release --product finops-router >"$LOGS/build.log" 2>&1 || { echo "run-all: build failed, see $LOGS/build.log" >&2; exit 1; }
BIN="$(swift build -c release --show-bin-path)/finops-router"

if [[ $QUICK == 1 ]]; then
    N=300; DURATION=5; ROWS=20000; ENTRIES=10000; ITER=3000
else
    N=1000; DURATION=15; ROWS=200000; ENTRIES=100000; ITER=20000
fi
ROWS_OUT=()
row() { ROWS_OUT+=("| $1 | $2 | \`$3\` |"); }

# 1. Overhead and streaming through the shared harness (skipped without it).
HARNESS="${FINOPS_BENCH_HARNESS:-../shared/bench}"
if [[ -x $HARNESS/run_overhead.sh ]] && command -v wrk >/dev/null && command -v nginx >/dev/null; then
    echo "run-all: overhead (json, 64 conns)" >&2
    bench/run_overhead.sh --modes json --conns 64 --duration "$DURATION" >"$LOGS/overhead-json.log" 2>&1
    fin=$(awk '/== finops vs direct/{f=1} f && /^64 /{print; exit}' "$LOGS/overhead-json.log")
    ngx=$(awk '/== nginx-proxy vs direct/{f=1} f && /^64 /{print; exit}' "$LOGS/overhead-json.log")
    row "router req/s at 64 conns (nginx proxy)" "$(echo "$fin" | awk -F'|' '{print $3}' | awk '{print $1}') ($(echo "$ngx" | awk -F'|' '{print $3}' | awk '{print $1}')); +p50/+p99 $(echo "$fin" | awk -F'|' '{print $4}' | awk '{print $1" / "$2}') ms; CPU/req $(echo "$fin" | awk -F'|' '{print $5}' | awk '{print $1}') µs" "bench/run_overhead.sh --modes json --conns 64"
    mem=$(grep -m1 "memory of finops" "$LOGS/overhead-json.log" | sed 's/.*after load/after load/')
    row "router RSS" "${mem:-see log}" "bench/run_overhead.sh"
    echo "run-all: streaming (16 conns)" >&2
    bench/run_overhead.sh --modes stream --conns 16 --duration "$DURATION" >"$LOGS/overhead-stream.log" 2>&1
    fin=$(awk '/== finops vs direct/{f=1} f && /^16 /{print; exit}' "$LOGS/overhead-stream.log")
    row "streaming req/s at 16 conns" "$(echo "$fin" | awk -F'|' '{print $3}' | awk '{print $1}'); CPU/req $(echo "$fin" | awk -F'|' '{print $5}' | awk '{print $1}') µs" "bench/run_overhead.sh --modes stream --conns 16"
else
    row "overhead vs nginx, streaming" "skipped: needs $HARNESS/run_overhead.sh and its setup.sh (wrk, nginx)" "bench/run_overhead.sh"
fi

# 2. Many slow upstream calls at once.
for mode in json stream; do
    echo "run-all: $N slow upstream calls ($mode)" >&2
    flag=(); [[ $mode == stream ]] && flag=(--stream)
    python3 bench/concurrency.py --n "$N" "${flag[@]}" --router "$BIN" >"$LOGS/concurrency-$mode.log" 2>&1
    get() { grep -m1 "^$1" "$LOGS/concurrency-$mode.log" | sed "s/^$1 *//"; }
    row "$N × 2 s upstream calls ($mode)" "ok $(get ok)/$N, wall $(get 'wall time'), threads $(get 'threads idle\/peak' | awk '{print $3}'), peak RSS $(get 'peak RSS')" "bench/concurrency.py --n $N ${flag[*]}"
done

# 3. Budget check and cache lookup latency.
echo "run-all: spend controls" >&2
BIN=$BIN ENTRIES=$ENTRIES ITERATIONS=$ITER LOOKUPS=2000 bench/spend.sh >"$LOGS/spend.log" 2>&1
while IFS= read -r line; do
    row "$(echo "$line" | sed -E 's/: n=.*//; s#redis://[^,]*#redis#')" "$(echo "$line" | grep -oE '(p50|p99)=[^ ]+|hits=[^ ]+' | tr '\n' ' ')" "bench/spend.sh"
done < <(grep -E "^(spend check|cache)" "$LOGS/spend.log")

# 4. Telemetry write throughput.
echo "run-all: telemetry ($ROWS rows)" >&2
bench/telemetry.sh "$ROWS" 1000 >"$LOGS/telemetry.log" 2>"$LOGS/telemetry.err"
while IFS= read -r line; do
    row "telemetry: ${line%%:*}" "${line#*: }" "bench/telemetry.sh $ROWS 1000"
done < <(grep -E "rows/s" "$LOGS/telemetry.log")

{
    echo "## Results $(date -u +%F), $(nproc) cores, $(free -g | awk '/^Mem:/{print $2}') GiB, $(uname -sr), $(swift --version 2>&1 | head -1 | sed 's/ (.*//')$([[ $QUICK == 1 ]] && echo ', --quick sizes')"
    echo
    echo "Machine shared with other work unless stated; wrk, mocks and the router on the same cores."
    echo
    echo "| what | result | command |"
    echo "|---|---|---|"
    printf '%s\n' "${ROWS_OUT[@]}"
    echo
    echo "Full output: $LOGS/"
} | tee "$LOGS/summary.md"
