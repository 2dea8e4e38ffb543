#!/usr/bin/env bash
# Gateway overhead bench for finops-router: a thin wrapper around the shared harness
# (run_overhead.sh in ${FINOPS_BENCH_HARNESS:-../shared/bench}, relative to the repo root).
# In one run it measures, one after the other and each against its own direct baseline
# on the same nginx mock upstream: the plain nginx reverse proxy (reference floor),
# finops-router and, with --litellm, the LiteLLM proxy.
#
# Developer tool only: CI never runs it (it needs the shared harness, nginx + njs and wrk
# from the harness's `setup.sh --no-litellm`, the LiteLLM venv from `setup.sh` for
# --litellm, a few minutes and a quiet machine). Everything stays on 127.0.0.1.
#
#   bench/run_overhead.sh                                   # nginx-ref + finops, json, conns 1 16 64
#   bench/run_overhead.sh --litellm --modes "json stream"   # + LiteLLM, both modes
#   bench/run_overhead.sh --modes stream --conns "16" --duration 5
#
# Every argument other than --litellm / --help goes to the harness unchanged
# (--modes, --conns, --duration, --warmup, --out, ...). The router listens on
# 127.0.0.1:18081 and keeps its SQLite telemetry in a temp dir removed afterwards.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HARNESS_DIR="${FINOPS_BENCH_HARNESS:-../shared/bench}"
case "$HARNESS_DIR" in /*) ;; *) HARNESS_DIR="$REPO_ROOT/$HARNESS_DIR" ;; esac
HARNESS="$HARNESS_DIR/run_overhead.sh"
BIN="$REPO_ROOT/.build/release/finops-router"
PORT=18081

usage() {
  cat <<EOF
usage: bench/run_overhead.sh [--litellm] [harness options ...]

Runs the shared gateway overhead harness ($HARNESS)
on: the nginx reference proxy (--nginx-ref), finops-router ($BIN,
port $PORT; built with 'swift build -c release' if missing) and, with --litellm,
LiteLLM. Developer tool; CI never runs it.

  --litellm            also measure the LiteLLM proxy (needs the harness's setup.sh venv)
  -h, --help           this help, then the harness's own help

Env: FINOPS_BENCH_HARNESS  harness dir (default ../shared/bench, relative to the repo root)
Other arguments go to the harness, e.g. --modes "json stream" --conns "1 16 64" --duration 15.
EOF
}

LITELLM=()
PASS=()
for a in "$@"; do
  case "$a" in
    --litellm) LITELLM=(--litellm) ;;
    -h|--help)
      usage
      if [ -x "$HARNESS" ]; then echo; echo "--- harness options:"; "$HARNESS" --help; fi
      exit 0 ;;
    *) PASS+=("$a") ;;
  esac
done

[ -x "$HARNESS" ] || {
  echo "run_overhead.sh: harness not found: $HARNESS (set FINOPS_BENCH_HARNESS)" >&2; exit 1; }

if [ ! -x "$BIN" ]; then
  echo "run_overhead.sh: $BIN missing; building release" >&2
  (cd "$REPO_ROOT" && swift build -c release)
fi

TMP="$(mktemp -d /tmp/finops-overhead.XXXXXX)"
trap 'rm -rf "$TMP"' EXIT

# Single quotes: $MOCK_API_BASE is expanded by the harness when it starts the gateway.
CMD="OPENAI_BASE_URL=\"\$MOCK_API_BASE\" OPENAI_API_KEY=bench-key $(printf '%q' "$BIN") serve"
CMD+=" --host 127.0.0.1 --port $PORT --sqlite-path $(printf '%q' "$TMP/finops.sqlite") --log-level warning"

# Not exec: the EXIT trap removes the temp dir once the harness is done.
"$HARNESS" --nginx-ref \
  --name finops --url "http://127.0.0.1:$PORT" --cmd "$CMD" \
  ${LITELLM[@]+"${LITELLM[@]}"} ${PASS[@]+"${PASS[@]}"}
