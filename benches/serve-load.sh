#!/usr/bin/env bash
# Load test of `ladder serve` on loopback with wrk (Debian's `wrk`), against
# the floor of an HTTP JSON round trip on the same machine.
#
#   benches/serve-load.sh [SECONDS_PER_ROUND] [ROUNDS]
#
# Builds the release binary and examples/http_floor.rs, and starts three
# servers on 127.0.0.1 port 0, each with SERVER_THREADS worker threads
# (default 1):
#
#   a  ladder serve with bearer tokens and JSON access logs (to a file)
#   b  ladder serve without tokens and without access logs
#   c  the floor: a bare axum handler that reads the same body into a
#      serde_json::Value and writes a 2 KB answer
#
# Then runs wrk (WRK_THREADS, default 1; WRK_CONNECTIONS, default 32) posting
# the same apply request (benches/serve-load/apply.lua) at a, b and c in turn,
# ROUNDS times (default 5 x 10 s), so that the three see the same machine;
# and prints each round, then per server the median throughput and p99 and
# their ratios to the floor's, and the servers' resident memory. Loopback
# only; bounded in time; the servers are stopped at the end (also on ctrl-c
# or failure).
#
# On a machine others are building on, the load decides every p99: run it
# as `nice -n -20 benches/serve-load.sh` (as root) to put them behind it
# (docs/performance.md has runs with and without).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"
rounds="${2:-5}"
threads="${WRK_THREADS:-1}"
connections="${WRK_CONNECTIONS:-32}"
server_threads="${SERVER_THREADS:-1}"

command -v wrk >/dev/null || { echo "serve-load: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
cargo build --release --features server --bin ladder --example http_floor >&2
work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
token="bench-token-$(date +%s%N)"
echo "$token" >"$work/tokens"

start() { # NAME COMMAND...: starts a server, waits for its address
  local name="$1"; shift
  "$@" >"$work/$name.out" 2>"$work/$name.log" &
  pids+=($!)
  echo $! >"$work/$name.pid"
  for _ in $(seq 200); do
    grep -q '^listening on ' "$work/$name.out" && break
    sleep 0.05
  done
  sed -n 's/^listening on //p' "$work/$name.out" >"$work/$name.base"
  case "$(cat "$work/$name.base")" in
    http://127.0.0.1:*) ;;
    *) echo "serve-load: $name gave no address" >&2; cat "$work/$name.log" >&2; exit 1 ;;
  esac
}
start a target/release/ladder serve --listen 127.0.0.1:0 --threads "$server_threads" \
  --tokens "$work/tokens" --log-format json --log-level info --access-log true
start b target/release/ladder serve --listen 127.0.0.1:0 --threads "$server_threads" \
  --log-level warn --access-log false
start c target/release/examples/http_floor 127.0.0.1:0 "$server_threads"
rss() { awk '/^VmRSS/ {print $2 " kB"}' "/proc/$(cat "$work/$1.pid")/status"; }

echo "a: ladder serve, tokens and JSON access logs: $(cat "$work/a.base")"
echo "b: ladder serve, no tokens, no access logs:   $(cat "$work/b.base")"
echo "c: the floor (examples/http_floor.rs):        $(cat "$work/c.base")"
echo "$server_threads server worker threads each; wrk $threads threads, $connections connections, ${seconds}s rounds"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq "$rounds"); do
  for name in a b c; do
    token_for=""
    [ "$name" = a ] && token_for="$token"
    result="$(BENCH_TOKEN="$token_for" wrk -t"$threads" -c"$connections" -d"${seconds}s" --timeout 2s \
      -s benches/serve-load/apply.lua "$(cat "$work/$name.base")")"
    rps="$(sed -n 's/^req\/s *//p' <<<"$result")"
    p50="$(sed -n 's/^p50  *//p' <<<"$result" | cut -d' ' -f1)"
    p99="$(sed -n 's/^p99  *//p' <<<"$result" | cut -d' ' -f1)"
    errors="$(sed -n 's/^errors *//p' <<<"$result" | cut -d' ' -f1)"
    echo "$name $rps $p50 $p99 $errors" >>"$work/rounds"
    echo "--- round $round $name: $rps req/s, p50 $p50 ms, p99 $p99 ms, $errors errors; load $(cut -d' ' -f1 /proc/loadavg)"
  done
done
median() { sort -n | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
floor_rps="$(awk '$1 == "c" {print $2}' "$work/rounds" | median)"
floor_p99="$(awk '$1 == "c" {print $4}' "$work/rounds" | median)"
echo
echo "| server | median req/s | median p99 ms | req/s / floor | p99 / floor | rss |"
echo "|---|---|---|---|---|---|"
for name in a b c; do
  rps="$(awk -v n="$name" '$1 == n {print $2}' "$work/rounds" | median)"
  p99="$(awk -v n="$name" '$1 == n {print $4}' "$work/rounds" | median)"
  echo "| $name | $rps | $p99 | $(awk -v a="$rps" -v b="$floor_rps" 'BEGIN {printf "%.2f", a / b}') | $(awk -v a="$p99" -v b="$floor_p99" 'BEGIN {printf "%.2f", a / b}') | $(rss "$name") |"
done
echo "access-log lines written by a: $(grep -c '"target":"access"' "$work/a.log" || true)"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
