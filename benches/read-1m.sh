#!/usr/bin/env bash
# End to end over 1,000,000 cases: `ladder report` in every format and
# `ladder ics`, median wall time (hyperfine) and peak resident set
# (/usr/bin/time -v, "Maximum resident set size").
#
#   benches/read-1m.sh                 # build, generate the file if missing, measure
#   RUNS=10 benches/read-1m.sh         # more runs per format (default 5)
#   CASES=/tmp/other.jsonl benches/read-1m.sh
#   LADDER=/path/to/ladder benches/read-1m.sh   # measure another build (no build)
#   OUT=DIR benches/read-1m.sh         # keep each format's output in DIR (to cmp)
#
# The file is the report bench's generator's (REPORT_BENCH_WRITE=FILE cargo
# bench --bench report): 1,000,000 cases, 2.43 events a case, every field
# written as the JSON contract says (null when empty), about 480 MB.
# Needs hyperfine and GNU time (Debian: apt-get install hyperfine time).
# Wall times need a quiet machine: on a loaded one, compare user+sys instead.
set -euo pipefail
cd "$(dirname "$0")/.."

CASES=${CASES:-/tmp/cases-1m.jsonl}
RUNS=${RUNS:-5}
AS_OF=2026-11-23

if [[ -z ${LADDER:-} ]]; then
    cargo build --release --features cli --quiet
    LADDER=target/release/ladder
fi
if [[ ! -s $CASES ]]; then
    echo "generating $CASES (1,000,000 cases)" >&2
    REPORT_BENCH_WRITE="$CASES" cargo bench --bench report --quiet
fi
command -v hyperfine >/dev/null || { echo "hyperfine is needed" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "GNU time (/usr/bin/time) is needed" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

command_for() {
    case $1 in
        ics) echo "$LADDER ics --as-of $AS_OF --cases $CASES" ;;
        *) echo "$LADDER report --as-of $AS_OF --cases $CASES --format $1" ;;
    esac
}

echo "$(wc -c <"$CASES") bytes, $(wc -l <"$CASES") lines in $CASES; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-12s %10s %10s %10s %12s\n' format median_s min_s user+sys peak_rss_MB
for format in summary-csv text json csv ics; do
    cmd=$(command_for "$format")
    hyperfine --shell=none --warmup 1 --runs "$RUNS" --output=null \
        --export-json "$work/$format.json" "$cmd" >/dev/null
    sink=/dev/null
    [[ -n ${OUT:-} ]] && mkdir -p "$OUT" && sink="$OUT/out.$format"
    # shellcheck disable=SC2086
    /usr/bin/time -v $cmd >"$sink" 2>"$work/$format.time"
    rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/$format.time")
    python3 - "$work/$format.json" "$format" "$rss_kb" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
cpu = r["user"] + r["system"]
print(f"{sys.argv[2]:<12} {r['median']:10.3f} {r['min']:10.3f} {cpu:10.3f} {int(sys.argv[3]) / 1000:12.0f}")
PY
done
