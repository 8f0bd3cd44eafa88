#!/usr/bin/env bash
# End to end over 1,000,000 stored alerts: `ladder advance --alerts` (a
# nightly job) and `ladder recompute --alerts` (re-basing after a bank
# holiday is proclaimed), median wall time (hyperfine), user+sys, and peak
# resident set (/usr/bin/time -v, "Maximum resident set size").
#
#   benches/alerts-1m.sh                 # build, generate the files if missing, measure
#   RUNS=10 benches/alerts-1m.sh         # more runs each (default 5)
#   DIR=/tmp/other benches/alerts-1m.sh  # where the files are (default /tmp/alerts-1m)
#   LADDER=/path/to/ladder benches/alerts-1m.sh   # measure another build (no build)
#
# The files are the alerts bench's generator's (ALERTS_BENCH_WRITE=DIR cargo
# bench --bench alerts): alerts on every built-in ladder raised over the
# 120 days before Monday 4 January 2027, with 1 to 4 events each:
# - alerts-1m.jsonl: stored as a nightly job stores them, advanced to the
#   day before: advancing them to the 4th changes those due that day;
# - due-1m.jsonl: the same alerts as at their last event, so that every one
#   of them is due (the worst night: every alert written back);
# - histories-1m.jsonl: with their trails, re-based on a calendar with a
#   bank holiday proclaimed on Friday 8 January 2027 (--closure), the CSV of
#   what moved written with --moved.
# Needs hyperfine and GNU time (Debian: apt-get install hyperfine time).
# Wall times need a quiet machine: on a loaded one, compare user+sys instead.
set -euo pipefail
cd "$(dirname "$0")/.."

DIR=${DIR:-/tmp/alerts-1m}
RUNS=${RUNS:-5}
AS_OF=2027-01-04

if [[ -z ${LADDER:-} ]]; then
    cargo build --release --features cli --quiet
    LADDER=target/release/ladder
fi
if [[ ! -s $DIR/histories-1m.jsonl ]]; then
    echo "generating $DIR (1,000,000 alerts, three files)" >&2
    ALERTS_BENCH_WRITE="$DIR" cargo bench --bench alerts --quiet
fi
command -v hyperfine >/dev/null || { echo "hyperfine is needed" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "GNU time (/usr/bin/time) is needed" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

command_for() {
    case $1 in
        advance) echo "$LADDER advance --alerts $DIR/alerts-1m.jsonl --as-of $AS_OF" ;;
        advance-all-due) echo "$LADDER advance --alerts $DIR/due-1m.jsonl --as-of $AS_OF" ;;
        recompute) echo "$LADDER recompute --alerts $DIR/histories-1m.jsonl --as-of $AS_OF --closure 2027-01-08 --moved $work/moved.csv" ;;
    esac
}

echo "$(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
for name in alerts-1m due-1m histories-1m; do
    echo "$DIR/$name.jsonl: $(wc -c <"$DIR/$name.jsonl") bytes, $(wc -l <"$DIR/$name.jsonl") lines"
done
printf '%-16s %10s %10s %10s %12s %12s\n' run median_s min_s user+sys peak_rss_MB lines_out
for run in advance advance-all-due recompute; do
    cmd=$(command_for "$run")
    hyperfine --shell=none --warmup 1 --runs "$RUNS" --output=null \
        --export-json "$work/$run.json" "$cmd" >/dev/null
    # shellcheck disable=SC2086
    /usr/bin/time -v $cmd >"$work/$run.out" 2>"$work/$run.time"
    rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/$run.time")
    lines=$(wc -l <"$work/$run.out")
    python3 - "$work/$run.json" "$run" "$rss_kb" "$lines" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
cpu = r["user"] + r["system"]
print(f"{sys.argv[2]:<16} {r['median']:10.3f} {r['min']:10.3f} {cpu:10.3f} {int(sys.argv[3]) / 1000:12.0f} {sys.argv[4]:>12}")
PY
done
if grep -q '"error":{' "$work/advance.out" "$work/advance-all-due.out"; then
    echo "some alerts advanced were answered with an error" >&2
    exit 1
fi
# Re-based on the new calendar, a history whose extra time was agreed to end
# on the proclaimed day is refused (refused.extension-not-a-working-day): the
# alert is answered with its error, for a person to act on.
echo "recompute: $(grep -c '"error":{' "$work/recompute.out" || true) alerts answered with an error:"
grep -o '"error":{"schema_version":1,"code":"[^"]*"' "$work/recompute.out" |
    sed 's/.*"code":"//; s/"$//' | sort | uniq -c || true
echo "moved.csv: $(($(wc -l <"$work/moved.csv") - 1)) rows of what moved"
