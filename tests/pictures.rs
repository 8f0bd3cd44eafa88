//! The pictures' dates read back: every date an alert's picture or a
//! ladder's worst-case picture draws carries the JSON pointer of the date it
//! is (`data-json`, with `data-date`), into the JSON answer of the same
//! command (`--json`); this test compares each one, and checks the
//! pictures name stages by their titles.
#![cfg(feature = "cli")]

use serde_json::Value;

mod support;

const EVENTS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/data/iro-events.jsonl"
);

fn ladder(args: &[&str]) -> String {
    support::succeeded(args, support::ladder_in(None, args, ""))
}

fn strings(json: &Value, into: &mut Vec<String>) {
    match json {
        Value::String(s) => into.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|v| strings(v, into)),
        Value::Object(o) => o.values().for_each(|v| strings(v, into)),
        _ => {}
    }
}

/// Every (pointer, date) the picture ties, compared with `json`; how many.
/// A date marked without a pointer (a move, a response) must still be one of
/// the JSON's dates.
fn dates_match(svg: &str, json: &Value) -> usize {
    let mut all = Vec::new();
    strings(json, &mut all);
    let mut count = 0;
    for tag in svg.split('<').filter(|t| t.contains("data-date=\"")) {
        let attribute = |name: &str| {
            let at = tag.find(&format!("{name}=\""))? + name.len() + 2;
            Some(tag[at..at + tag[at..].find('"').unwrap()].to_string())
        };
        let date = attribute("data-date").unwrap();
        let Some(pointer) = attribute("data-json") else {
            assert!(all.contains(&date), "{date} is not a date of the JSON");
            continue;
        };
        let value = json
            .pointer(&pointer)
            .unwrap_or_else(|| panic!("{pointer} is not in the JSON"));
        assert_eq!(value.as_str(), Some(date.as_str()), "{pointer}");
        count += 1;
    }
    count
}

#[test]
fn an_alerts_picture_draws_the_replays_dates() {
    let base = ["run", "iro-dispute-resolution", "--events", EVENTS];
    let json: Value = serde_json::from_str(&ladder(&[&base[..], &["--json"]].concat())).unwrap();
    let svg = ladder(&[&base[..], &["--format", "svg"]].concat());
    assert!(svg.starts_with("<svg"), "{svg}");
    // The as-at date, the ceiling and the response date in force.
    let tied = dates_match(&svg, &json);
    assert!(tied >= 3, "{tied} dates tied");
    assert!(svg.contains("data-json=\"/status/ceiling\""));
    // The IRO alert of the example: raised 14 December 2026, its ceiling 20
    // working days on (Christmas, Boxing Day and New Year's Day skipped).
    assert_eq!(json["status"]["ceiling"], "2027-01-14");
    assert!(svg.contains("Ceiling 14 Jan"));
    assert!(svg.contains("Third stage: alert to the head"));
    assert!(!svg.contains(">head-of-service<"));
    let page = ladder(&[&base[..], &["--format", "html"]].concat());
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(!page.contains("<script"));
}

#[test]
fn a_ladders_worst_case_picture_draws_the_timelines_dates() {
    let base = [
        "timeline",
        "iro-dispute-resolution",
        "--raised",
        "2026-12-21",
    ];
    let json: Value = serde_json::from_str(&ladder(&[&base[..], &["--json"]].concat())).unwrap();
    let svg = ladder(&[&base[..], &["--format", "svg"]].concat());
    // Entered and response date of each stage with a window, and the ceiling.
    let tied = dates_match(&svg, &json);
    assert!(tied >= 8, "{tied} dates tied");
    // The team manager's 5 working days from Monday 21 December 2026 skip
    // Christmas Day and the Boxing Day substitute (28 December): 30 December.
    assert_eq!(json["stages"][1]["respond_by"], "2026-12-30");
    assert!(svg.contains(r#"data-json="/stages/1/respond_by" data-date="2026-12-30""#));
}

#[test]
fn a_ladders_diagram_and_flowchart_name_every_stage() {
    let svg = ladder(&["show", "iro-dispute-resolution", "--format", "svg"]);
    let mermaid = ladder(&["show", "iro-dispute-resolution", "--format", "mermaid"]);
    assert!(svg.starts_with("<svg") && svg.contains("role=\"img\""));
    assert!(mermaid.starts_with("flowchart"));
    for title in [
        "First stage informal resolution",
        "Second stage: alert to the team manager",
        "Fifth stage: escalation to the Deputy",
    ] {
        assert!(svg.contains(title), "{title}");
        assert!(mermaid.contains(title), "{title}");
    }
    assert!(svg.contains("Ceiling: 20 working days"));
}
