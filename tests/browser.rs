//! The pictures people read, checked in a real browser: the HTML report, an
//! alert's picture and a ladder's diagram, rendered by Debian's headless
//! `chromium` and read back through the DevTools protocol
//! (tests/browser/check.mjs, run with Node).
//!
//! For each page: no console error and no uncaught exception; no request but
//! the page's own file; headings in order; a screenshot that is not blank;
//! axe-core (from the npm registry, tests/browser/package.json) finds no
//! serious or critical violation. For the report: every figure the browser
//! shows is the JSON report's, and the page printed on A4 has the summary,
//! whole, on page 1.
//!
//! Nothing is installed at run time: `.ci/run` installs `chromium` and
//! `poppler-utils` with apt-get where they are missing, and axe-core with
//! `npm ci --prefix tests/browser`. Without them the test fails (it does not
//! skip), naming what is missing. `CHROMIUM` names another browser binary.
//!
//! `UPDATE_SCREENSHOTS=1` copies the screenshots the README shows into
//! docs/screenshots/.
#![cfg(feature = "cli")]

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

#[path = "support/figures.rs"]
mod figures;
mod support;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn ladder(args: &[&str]) -> String {
    support::succeeded(args, support::ladder_in(None, args, ""))
}

/// A tool the check needs, or a failure naming how to get it.
fn needed(path: PathBuf, how: &str) -> PathBuf {
    assert!(path.exists(), "{} is missing: {how}", path.display());
    path
}

fn on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    })
}

fn chromium() -> PathBuf {
    let found = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .or_else(|| on_path("chromium"))
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    needed(found, "apt-get install -y chromium (or set CHROMIUM)")
}

/// The pages: the report (with its JSON), an alert's picture, a ladder's
/// diagram (its SVG on a page of its own, as docs/ladders.md shows it).
fn pages(dir: &Path) -> (Vec<PathBuf>, Value) {
    let cases = format!("{ROOT}/examples/data/cases.jsonl");
    let report = |format| {
        ladder(&[
            "report",
            "--as-of",
            "2026-11-23",
            "--cases",
            &cases,
            "--format",
            format,
        ])
    };
    let json: Value = serde_json::from_str(&report("json")).unwrap();
    let events = format!("{ROOT}/examples/data/iro-events.jsonl");
    let alert = ladder(&[
        "run",
        "iro-dispute-resolution",
        "--events",
        &events,
        "--format",
        "html",
    ]);
    let diagram = ladder(&["show", "iro-dispute-resolution", "--format", "svg"]);
    let diagram = format!(
        "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>IRO Dispute Resolution: the ladder</title></head>\n<body><main><h1>IRO Dispute Resolution: the ladder</h1>\n{diagram}</main></body></html>\n"
    );
    let mut written = Vec::new();
    for (name, text) in [
        ("report.html", report("html")),
        ("alert.html", alert),
        ("diagram.html", diagram),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        written.push(path);
    }
    (written, json)
}

/// What the browser saw, page by page.
fn browse(dir: &Path, pages: &[PathBuf]) -> Vec<Value> {
    let browser = Path::new(ROOT).join("tests/browser");
    let axe = needed(
        browser.join("node_modules/axe-core/axe.min.js"),
        "npm ci --prefix tests/browser",
    );
    let node = on_path("node").expect("node is missing: apt-get install -y nodejs");
    let parts = r##"{"summary":"#summary","first-table":"#tables","picture":"main svg"}"##;
    let output = Command::new(node)
        .arg(browser.join("check.mjs"))
        .arg(chromium())
        .arg(axe)
        .arg(dir)
        .arg(parts)
        .args(pages)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "check.mjs failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("check.mjs prints JSON")
}

fn pdf_text(pdf: &str, page: u32) -> String {
    let pdftotext =
        on_path("pdftotext").expect("pdftotext is missing: apt-get install -y poppler-utils");
    let page = page.to_string();
    let output = Command::new(pdftotext)
        .args(["-f", &page, "-l", &page, "-layout", pdf, "-"])
        .output()
        .unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap()
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.to_string())
        .collect()
}

/// What every page must show in a browser.
fn clean(seen: &Value) {
    let page = seen["page"].as_str().unwrap();
    let url = format!("file://{page}");
    assert_eq!(strings(&seen["exceptions"]), Vec::<String>::new(), "{page}");
    let errors: Vec<&Value> = seen["console"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| matches!(m["type"].as_str(), Some("error" | "assert" | "warning")))
        .chain(
            seen["log"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|m| matches!(m["level"].as_str(), Some("error" | "warning"))),
        )
        .collect();
    assert!(errors.is_empty(), "{page}: {errors:?}");
    assert_eq!(
        seen["requests"],
        serde_json::json!([url]),
        "{page}: only itself"
    );
    let levels: Vec<u64> = seen["headings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_u64().unwrap())
        .collect();
    assert_eq!(levels.first(), Some(&1), "{page}: starts with its h1");
    for pair in levels.windows(2) {
        assert!(pair[1] <= pair[0] + 1, "{page}: heading levels {levels:?}");
    }
    // A blank screenshot has one colour; a page of text and charts has many.
    let colours = seen["colours"].as_u64().unwrap();
    assert!(colours > 50, "{page}: {colours} colours in the screenshot");
    let serious: Vec<&Value> = seen["violations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
        .collect();
    assert!(serious.is_empty(), "{page}: axe-core found {serious:#?}");
}

#[test]
fn the_report_an_alert_and_a_ladder_in_a_real_browser() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&dir).unwrap();
    let (pages, json) = pages(&dir);
    let seen = browse(&dir, &pages);
    assert_eq!(seen.len(), 3);
    for page in &seen {
        clean(page);
    }

    // The report's figures as the browser shows them are the JSON's.
    let report = &seen[0];
    let figures = report["figures"].as_array().unwrap();
    assert!(figures.len() > 100, "{} figures", figures.len());
    for f in figures {
        let (attribute, pointers) = ["data-json", "data-sum", "data-diff"]
            .into_iter()
            .zip(["json", "sum", "diff"])
            .find_map(|(a, key)| f[key].as_str().map(|p| (a, p)))
            .unwrap();
        let pointers: Vec<String> = pointers.split(' ').map(str::to_string).collect();
        let text = f["datetime"]
            .as_str()
            .unwrap_or(f["text"].as_str().unwrap());
        figures::check(attribute, &pointers, text, &json);
    }

    // Printed on A4: the summary, whole, on page 1; the charts after it.
    let first = pdf_text(report["pdf"].as_str().unwrap(), 1);
    for words in [
        "Summary",
        "Raised",
        "Closed",
        "Open",
        "Overdue",
        "Duties overdue",
        "From 41 cases",
    ] {
        assert!(first.contains(words), "page 1 lacks {words:?}:\n{first}");
    }
    for figure in [
        "raised",
        "closed",
        "open",
        "overdue",
        "ceiling_breaches",
        "overdue_duties",
    ] {
        let n = json["headline"][figure].as_u64().unwrap().to_string();
        assert!(
            first.lines().any(|l| l.split_whitespace().any(|w| w == n)),
            "page 1 lacks {figure} {n}"
        );
    }
    assert!(!first.contains("Alerts to act on"), "{first}");
    let second = pdf_text(report["pdf"].as_str().unwrap(), 2);
    assert!(
        !second.contains("From 41 cases"),
        "the summary ran over:\n{second}"
    );

    // The alert's picture names its stages by their titles.
    let alert = std::fs::read_to_string(&pages[1]).unwrap();
    assert!(alert.contains("Third stage: alert to the head of service"));

    if std::env::var_os("UPDATE_SCREENSHOTS").is_some() {
        let docs = Path::new(ROOT).join("docs/screenshots");
        std::fs::create_dir_all(&docs).unwrap();
        for (from, to) in [
            ("report-summary.png", "report-summary.png"),
            ("report-first-table.png", "report-first-table.png"),
            ("alert-picture.png", "alert-picture.png"),
            ("diagram-picture.png", "ladder-diagram.png"),
        ] {
            std::fs::copy(dir.join(from), docs.join(to)).unwrap();
        }
    }
    // The README shows them: each is committed.
    for name in [
        "report-summary.png",
        "report-first-table.png",
        "alert-picture.png",
        "ladder-diagram.png",
    ] {
        let path = Path::new(ROOT).join("docs/screenshots").join(name);
        assert!(path.exists(), "{} (UPDATE_SCREENSHOTS=1)", path.display());
    }
}
