//! The report for people over 100,000 cases: `report --format html` (one
//! page) and `report --format xlsx` (a workbook), end to end through
//! [`ops::report`]: reading the cases file, replaying every event, counting
//! the period and the previous one, and laying out the page or the workbook.
//!
//! ```text
//! cargo bench --bench report_formats --features html,xlsx
//! ```
//!
//! The 100,000 alerts are generated as for the `report` bench (every built-in
//! ladder, raised over the 1,000 days before Monday 23 November 2026; not
//! timed), monthly period. Printed once: the size of the page and of the
//! workbook. The goals (issue 20): the page under 2 s and under 1.5 MB (its
//! long tables cut, with the count and a pointer to the workbook); the
//! workbook under 5 s. Nothing is asserted here: the figures are for the
//! README.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use criterion::{Criterion, Throughput};
use escalation_ladder::ops::{self, Registry, ReportRequest};

#[path = "support/cases.rs"]
mod generated;

const CASES: usize = 100_000;

fn run(registry: &Registry, request: &ReportRequest, text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(1 << 20);
    ops::report(registry, request, text.as_bytes(), &mut out, &mut |_| {})
        .expect("the report is written");
    out
}

fn main() {
    let mut criterion = Criterion::default()
        .without_plots()
        .sample_size(10)
        .measurement_time(Duration::from_secs(20))
        .configure_from_args();
    let registry = Registry::builtin().expect("the built-in ladders load");
    let as_of = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let text = generated::cases_file(registry.cases(), as_of, CASES);

    let mut group = criterion.benchmark_group("report-formats");
    group.throughput(Throughput::Elements(CASES as u64));
    for format in ["html", "xlsx"] {
        let request: ReportRequest = serde_json::from_value(serde_json::json!({
            "as_of": "2026-11-23",
            "format": format,
        }))
        .expect("a report request");
        let started = Instant::now();
        let first = run(&registry, &request, &text);
        println!(
            "report-formats/{format}: {CASES} cases ({:.1} MB of JSON Lines) to {:.2} MB in {:.2} s (first run)",
            text.len() as f64 / 1e6,
            first.len() as f64 / 1e6,
            started.elapsed().as_secs_f64(),
        );
        group.bench_function(format, |b| {
            b.iter(|| black_box(run(&registry, black_box(&request), &text).len()))
        });
    }
    group.finish();
    criterion.final_summary();
}
