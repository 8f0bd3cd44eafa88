#!/usr/bin/env bash
# Rebuilds fuzz/seeds/ from the data the crate ships (ladders/, examples/data/,
# tests/data/, tests/ladders.rs). Needs jq, and the `ladder` CLI (built here
# with `cargo run --features cli`) to write the stored states.
#
# apply_sequence's seeds are not remade here: its input is a choice of events
# (see README.md), not a file format.
set -euo pipefail
cd "$(dirname "$0")/.."
seeds=fuzz/seeds
cases=examples/data/cases.jsonl
rm -rf "$seeds"/{ladder_toml,event_json,state_json,case_records,holidays}
mkdir -p "$seeds"/{ladder_toml,event_json,state_json,case_records,holidays}

# Procedure files: every built-in, the example council's, and the two small
# files the ladder tests break in one place each.
cp ladders/*.toml examples/data/council-ladder.toml "$seeds/ladder_toml/"
for name in BASE SCHEDULE; do
    awk -v name="$name" '
        $0 ~ "^const " name ": &str = r#\"" { sub("^const " name ": &str = r#\"", ""); on = 1 }
        on && /^"#;$/ { exit }
        on { print }' tests/ladders.rs >"$seeds/ladder_toml/small-$(echo "$name" | tr A-Z a-z).toml"
done

# Events: the first of each type in the example cases file, and three alerts'
# events as JSON arrays.
for type in raise respond resolve escalate extend deem-agreed refer reopen withdraw step start-duty complete-duty; do
    event=$(grep -o "{[^{}]*\"type\":\"$type\"[^{}]*}" "$cases" | head -n 1 || true)
    [ -n "$event" ] && printf '%s\n' "$event" >"$seeds/event_json/$type.json"
done
events_of() { sed -n "${1}p" "$cases" | grep -o '{"on":[^{}]*}'; }
as_array() { printf '[%s]\n' "$(paste -sd, -)"; }
as_array <examples/data/iro-events.jsonl >"$seeds/event_json/iro-events.json"
events_of 40 | as_array >"$seeds/event_json/nottingham-steps.json"
events_of 41 | as_array >"$seeds/event_json/nottingham-duties.json"

# Stored states: what `ladder run` prints after some example alerts' events.
ladder() { cargo run --quiet --features cli --bin ladder -- "$@"; }
ladder run iro-dispute-resolution --events examples/data/iro-events.jsonl >"$seeds/state_json/iro-events.json"
for n in 6 11 17 36 40 41; do
    id=$(sed -n "${n}p" "$cases" | grep -o '"ladder":"[^"]*"' | cut -d'"' -f4)
    case_id=$(sed -n "${n}p" "$cases" | grep -o '"case":"[^"]*"' | cut -d'"' -f4)
    events_of "$n" | ladder run "$id" --events - >"$seeds/state_json/$case_id.json"
done

# Case records: single records that refer, extend, are deemed agreed, carry
# duties and steps, and a file of several.
for n in 6 11 17 35 40 41; do
    case_id=$(sed -n "${n}p" "$cases" | grep -o '"case":"[^"]*"' | cut -d'"' -f4)
    sed -n "${n}p" "$cases" >"$seeds/case_records/$case_id.jsonl"
done
sed -n '26,28p' "$cases" >"$seeds/case_records/chair-cases.jsonl"

# Holidays: GOV.UK's feed cut to 2026 onwards, the feed's own doc example, and
# plain lists (the feed supplement's and one historic year's rows as
# date<TAB>title, and the doc example with a comment).
jq 'map_values(.events |= map(select(.date >= "2026-01-01")))' tests/data/govuk-bank-holidays.json \
    >"$seeds/holidays/govuk-2026-2027.json"
printf '%s\n' '{"scotland": {"division": "scotland", "events": [' \
    '  {"title": "St Andrew’s Day", "date": "2026-11-30", "notes": "", "bunting": true}]}}' \
    >"$seeds/holidays/govuk-scotland.json"
tail -n +2 tests/data/govuk-feed-supplement.tsv | cut -f2,3 >"$seeds/holidays/supplement.txt"
grep -P '^england-and-wales\t1978-' tests/data/historic-bank-holidays.tsv | cut -f2,3 \
    >"$seeds/holidays/historic-1978.txt"
printf '# proclaimed after release\n2027-06-07 A new bank holiday\n' >"$seeds/holidays/list.txt"

du -sh "$seeds"
