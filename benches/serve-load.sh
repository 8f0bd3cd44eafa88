#!/usr/bin/env bash
# Load test of `ladder serve` on loopback with wrk (Debian's `wrk`).
#
#   benches/serve-load.sh [SECONDS_PER_ROUND] [ROUNDS]
#
# Builds the release binary, starts it on 127.0.0.1 port 0, runs wrk with a
# Lua script that posts a real apply request (benches/serve-load/apply.lua)
# for ROUNDS rounds of SECONDS each (default 10 x 6 s), and prints throughput,
# latency percentiles and the server's resident memory (RSS) before and after
# each round, so that memory can be seen to stay flat over a million requests
# and more. Loopback only; bounded in time; the server is stopped at the end
# (also on ctrl-c or failure).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"
rounds="${2:-6}"
threads="${WRK_THREADS:-1}"
connections="${WRK_CONNECTIONS:-32}"
server_threads="${SERVER_THREADS:-1}"

command -v wrk >/dev/null || { echo "serve-load: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
cargo build --release --features server --bin ladder >&2
out="$(mktemp)"
target/release/ladder serve --listen 127.0.0.1:0 --log-level warn --threads "$server_threads" >"$out" &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 100); do
  grep -q listening "$out" && break
  sleep 0.05
done
base="$(sed -n 's/^listening on //p' "$out")"
case "$base" in
  http://127.0.0.1:*) ;;
  *) echo "serve-load: no address from the server" >&2; exit 1 ;;
esac
rss() { awk '/^VmRSS/ {print $2 " kB"}' "/proc/$pid/status"; }
echo "server $base (pid $pid, $server_threads worker threads); wrk $threads threads, $connections connections"
echo "rss at start: $(rss)"
total=0
for round in $(seq "$rounds"); do
  result="$(wrk -t"$threads" -c"$connections" -d"${seconds}s" --timeout 2s \
    -s benches/serve-load/apply.lua "$base")"
  requests="$(sed -n 's/^requests *//p' <<<"$result")"
  total=$((total + requests))
  echo "--- round $round: $(sed -n 's/^req\/s *//p' <<<"$result") req/s," \
    "p50 $(sed -n 's/^p50  *//p' <<<"$result"), p99 $(sed -n 's/^p99  *//p' <<<"$result")," \
    "$(sed -n 's/^errors *//p' <<<"$result" | cut -d' ' -f1) errors; rss $(rss); $total requests so far"
done
echo "$result"
echo "rss at end: $(rss) after $total requests"
