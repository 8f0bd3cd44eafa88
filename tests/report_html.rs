//! `ladder report --format html` read back: every number the page shows is
//! the JSON report's number (`--format json` over the same cases, as at the
//! same date).
//!
//! The page ties each number to the figure it shows with a JSON pointer
//! (`data-json`), or several (`data-sum`: their sum; `data-diff`: the change
//! from the second to the first, written "up N", "down N" or "no change").
//! This test reads every such number, looks the pointers up in the JSON and
//! compares; and it checks that no number cell of a table and no value
//! printed on a chart is left without a pointer, so a number cannot slip
//! past the comparison.
#![cfg(feature = "cli")]

use serde_json::Value;

#[path = "support/figures.rs"]
mod figures;
mod support;

const CASES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/cases.jsonl");

fn report(format: &str, as_of: &str, period: &str) -> String {
    let args = [
        "report", "--as-of", as_of, "--cases", CASES, "--period", period, "--format", format,
    ];
    support::succeeded(&args, support::ladder_in(None, &args, ""))
}

/// `&#x2f;` and the other entities minijinja writes in attributes and text.
fn unescape(text: &str) -> String {
    text.replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// One number on the page with the pointers it names.
#[derive(Debug)]
struct Tied {
    attribute: &'static str,
    pointers: Vec<String>,
    /// The element's text (or, for a `<time>`, its `datetime`).
    text: String,
}

/// Every element carrying `data-json`, `data-sum` or `data-diff`, with its
/// text up to the next tag (a `<time>` inside a cell read as its `datetime`).
fn tied(page: &str) -> Vec<Tied> {
    let mut found = Vec::new();
    for attribute in ["data-json", "data-sum", "data-diff"] {
        let needle = format!(" {attribute}=\"");
        let mut from = 0;
        while let Some(at) = page[from..].find(&needle) {
            let start = from + at + needle.len();
            let end = start + page[start..].find('"').expect("the attribute is closed");
            let pointers = unescape(&page[start..end])
                .split(' ')
                .map(str::to_string)
                .collect();
            let tag_start = page[..start].rfind('<').expect("inside a tag");
            let tag = &page[tag_start..];
            let close = tag.find('>').expect("the tag is closed");
            let mut text = &tag[close + 1..];
            let is_time = tag.starts_with("<time");
            let datetime = |t: &str| {
                let d = t.find("datetime=\"").expect("a time has its datetime") + 10;
                t[d..d + t[d..].find('"').unwrap()].to_string()
            };
            let text = if is_time {
                datetime(tag)
            } else if text.starts_with("<time") {
                datetime(text)
            } else {
                text = &text[..text.find('<').unwrap_or(text.len())];
                unescape(text.trim())
            };
            found.push(Tied {
                attribute,
                pointers,
                text,
            });
            from = end;
        }
    }
    found
}

/// Compares every tied number of `page` with `json`; returns how many.
fn compare(page: &str, json: &Value) -> usize {
    let all = tied(page);
    for t in &all {
        figures::check(t.attribute, &t.pointers, &t.text, json);
    }
    all.len()
}

/// No number cell and no value on a chart without its pointer.
fn every_number_is_tied(page: &str) {
    for opening in [
        "<td class=\"num\"",
        "<text class=\"value\"",
        "<tspan class=\"value\"",
    ] {
        let mut from = 0;
        while let Some(at) = page[from..].find(opening) {
            let start = from + at;
            let tag = &page[start..start + page[start..].find('>').unwrap()];
            assert!(
                tag.contains("data-json=") || tag.contains("data-sum="),
                "a number without its figure: {tag}"
            );
            from = start + opening.len();
        }
    }
}

#[test]
fn every_number_on_the_page_is_the_json_reports() {
    for (as_of, period) in [
        ("2026-11-23", "month"),
        ("2026-11-23", "quarter"),
        ("2026-10-05", "half-year"),
    ] {
        let page = report("html", as_of, period);
        let json: Value = serde_json::from_str(&report("json", as_of, period)).unwrap();
        every_number_is_tied(&page);
        let compared = compare(&page, &json);
        // The six headline figures, each with its change, the charts' values
        // and their tables: well over a hundred numbers over these 41 cases.
        assert!(
            compared > 100,
            "{as_of} {period}: only {compared} numbers tied"
        );
        // The headline figures are all there, with the previous period's.
        for figure in [
            "raised",
            "closed",
            "open",
            "overdue",
            "ceiling_breaches",
            "overdue_duties",
        ] {
            let pointer = format!("/headline/{figure}");
            assert!(
                page.contains(&format!("data-json=\"&#x2f;headline&#x2f;{figure}\""))
                    || page.contains(&format!("data-json=\"{pointer}\"")),
                "{pointer} is not on the page"
            );
            assert!(page.contains(&format!("&#x2f;previous&#x2f;headline&#x2f;{figure}\"")));
        }
    }
}

/// The page stands alone: no script, nothing fetched from elsewhere.
#[test]
fn the_page_needs_no_script_and_no_other_address() {
    let page = report("html", "2026-11-23", "month");
    assert!(page.starts_with("<!DOCTYPE html>"));
    for forbidden in ["<script", "http://", "https://", "<link", "<img", "@import"] {
        let allowed_svg_namespace = forbidden == "http://"
            && page.matches("http://").count()
                == page.matches("http://www.w3.org/2000/svg").count();
        assert!(
            !page.contains(forbidden) || allowed_svg_namespace,
            "the page holds {forbidden}"
        );
    }
    // A pattern of the page's own, never a picture from elsewhere.
    assert_eq!(page.matches("url(").count(), page.matches("url(#").count());
    // Ids are not labels: stage and ladder titles are.
    assert!(page.contains("Second stage: alert to the team manager"));
    assert!(page.contains("IRO Dispute Resolution: IRO Alert"));
    assert!(page.contains("@media print"));
}

/// The comparison can fail: one digit changed on the page is caught.
#[test]
fn a_changed_number_is_caught() {
    let page = report("html", "2026-11-23", "month");
    let json: Value = serde_json::from_str(&report("json", "2026-11-23", "month")).unwrap();
    let marker = "data-json=\"&#x2f;headline&#x2f;open\">";
    let at = page.find(marker).expect("the open alerts' headline figure") + marker.len();
    let changed = format!("{}9{}", &page[..at], &page[at..]);
    let caught = std::panic::catch_unwind(|| compare(&changed, &json));
    assert!(caught.is_err(), "a changed headline figure passed");
}

/// Names from the cases file are text on the page, never markup: a team
/// called `<script>` is escaped.
#[test]
fn names_from_the_cases_file_are_escaped() {
    let record = r#"{"case":"<img src=x>","team":"<script>alert(1)</script>","worker":"Zoë's","ladder":"iro-dispute-resolution","events":[{"on":"2026-12-18","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"}]}"#;
    let args = [
        "report",
        "--as-of",
        "2027-01-04",
        "--cases",
        "-",
        "--format",
        "html",
    ];
    let page = support::succeeded(
        &args,
        support::ladder_in(None, &args, &format!("{record}\n")),
    );
    assert!(!page.contains("<script"), "a team name ran as markup");
    assert!(!page.contains("<img"), "a case id ran as markup");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"));
}
