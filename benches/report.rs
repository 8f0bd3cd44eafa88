//! The monitoring report over 1,000,000 cases: time and memory.
//!
//! ```text
//! cargo bench --bench report
//! ```
//!
//! 1,000,000 alerts are generated deterministically over every built-in ladder,
//! raised over the 1,000 days before the as-of date (Monday 23 November 2026),
//! each with 1 to 4 events (most older alerts closed, as in a real register),
//! 40 teams and 400 workers, and written as a JSON Lines cases file in memory
//! (not timed). Then:
//!
//! - `report/load` (printed, one run): reading the 1,000,000 lines with
//!   `CaseReader`, replaying every event, and the peak of allocated bytes while
//!   doing so (the input text included);
//! - `report/build` (criterion): `Report::build` over the loaded cases, as at
//!   the as-of date, monthly period;
//! - printed: the bytes the cases hold once loaded, and the peak while a report
//!   is built over them (cases + report).
//!
//! With `REPORT_BENCH_WRITE=FILE` it writes the generated cases file there and
//! stops (for end-to-end runs of `ladder report` and `ladder ics`).
//!
//! Memory is counted by the global allocator below (requested bytes, not the
//! operating system's resident set). Nothing is asserted: the figures are for
//! the README.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::{Days, NaiveDate};
use criterion::{Criterion, Throughput};
use escalation_ladder::engine::{apply, AlertState, Event, EventKind};
use escalation_ladder::report::{CaseReader, CaseRecord, Procedures, Report, ReportOptions};

/// Counts the bytes allocated and not yet freed, and their peak.
///
/// A bench is its own crate, so `unsafe` is allowed here (the library forbids
/// it). Every method forwards to the system allocator unchanged and only adds
/// to or subtracts from two counters.
struct CountingAllocator;

static ALLOCATED: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(bytes: usize) {
    let now = ALLOCATED.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: each method calls `System` with the caller's arguments, as the
// `GlobalAlloc` contract requires, and returns its result unchanged.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let pointer = System.alloc(layout);
        if !pointer.is_null() {
            grew(layout.size());
        }
        pointer
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let pointer = System.alloc_zeroed(layout);
        if !pointer.is_null() {
            grew(layout.size());
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        System.dealloc(pointer, layout);
        ALLOCATED.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let moved = System.realloc(pointer, layout, new_size);
        if !moved.is_null() {
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                ALLOCATED.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        moved
    }
}

#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;

fn allocated() -> usize {
    ALLOCATED.load(Ordering::Relaxed)
}

/// Starts a new peak from what is allocated now.
fn reset_peak() {
    PEAK.store(allocated(), Ordering::Relaxed);
}

fn mb(bytes: usize) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

const CASES: usize = 1_000_000;
const TEAMS: usize = 40;
const WORKERS: usize = 400;

/// splitmix64: a fixed-seed generator, so every run benches the same cases.
fn next(seed: &mut u64) -> u64 {
    *seed = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *seed;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The cases file: one JSON line per alert, every event one the engine accepts.
fn cases_file(procedures: &Procedures, as_of: NaiveDate) -> String {
    let ids: Vec<&str> = procedures.ids().collect();
    let mut seed = 2026;
    let mut text = String::with_capacity(CASES * 420);
    for i in 0..CASES {
        let (ladder, calendar) = procedures.get(ids[i % ids.len()]).expect("a built-in");
        let entries = ladder.entry_stages();
        let age = next(&mut seed) % 1000;
        let raised = as_of - Days::new(age);
        let category = match ladder.categories.len() {
            0 => None,
            n => Some(
                ladder.categories[next(&mut seed) as usize % n]
                    .id
                    .to_string(),
            ),
        };
        let mut events = vec![Event {
            on: raised,
            actor: "iro".into(),
            id: None,
            meta: None,
            kind: EventKind::Raise {
                stage: Some(
                    entries[next(&mut seed) as usize % entries.len()]
                        .id
                        .to_string(),
                ),
                category,
                reason: "generated".into(),
            },
        }];
        let mut state = apply(ladder, calendar, &AlertState::new(&ladder.id), &events[0])
            .expect("a raise at an entry stage")
            .state;
        let count = 1 + next(&mut seed) % 4;
        // Most alerts older than 40 days are closed by their last event.
        let closes = age > 40 && next(&mut seed) % 100 < 88;
        let mut on = raised;
        for step in 1..count.max(u64::from(closes) + 1) {
            on = on + Days::new(1 + next(&mut seed) % 7);
            if on > as_of || !state.phase.is_open() {
                break;
            }
            let last = step + 1 == count.max(u64::from(closes) + 1);
            let stage = state.stage.as_deref().and_then(|id| ladder.stage(id));
            let kind = match (last && closes, next(&mut seed) % 5) {
                (true, 0) => EventKind::Withdraw {
                    reason: "generated".into(),
                },
                (true, _) => EventKind::Resolve {
                    outcome: "resolved".into(),
                },
                (false, 0 | 1) => EventKind::Respond {
                    outcome: stage
                        .and_then(|s| s.outcomes.first())
                        .map(|o| o.id.to_string()),
                },
                (false, 2) => EventKind::Extend {
                    until: state.respond_by.unwrap_or(on) + Days::new(3),
                    reason: "agreed".into(),
                },
                (false, _) => EventKind::Escalate {
                    to: None,
                    reason: "no response".into(),
                },
            };
            let event = Event {
                on,
                actor: "someone".into(),
                id: None,
                meta: None,
                kind,
            };
            if let Ok(transition) = apply(ladder, calendar, &state, &event) {
                state = transition.state;
                events.push(event);
            }
        }
        let record = CaseRecord {
            schema_version: Default::default(),
            case: format!("A-{i:07}"),
            child: Some(format!("C-{:06}", next(&mut seed) % 600_000)),
            team: Some(format!("Team {:02}", next(&mut seed) as usize % TEAMS)),
            worker: Some(format!("worker.{:03}", next(&mut seed) as usize % WORKERS)),
            ladder: ladder.id.to_string(),
            events,
            meta: None,
        };
        text.push_str(&serde_json::to_string(&record).expect("a record serializes"));
        text.push('\n');
    }
    text
}

fn main() {
    let mut criterion = Criterion::default()
        .without_plots()
        .sample_size(10)
        .measurement_time(Duration::from_secs(10))
        .configure_from_args();
    let procedures = Procedures::builtin().expect("built-in ladders load");
    let as_of = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let options = ReportOptions::default();

    let text = cases_file(&procedures, as_of);
    // `REPORT_BENCH_WRITE=FILE cargo bench --bench report` writes the generated
    // cases file and stops: the input of README's end-to-end measurements.
    if let Some(path) = std::env::var_os("REPORT_BENCH_WRITE") {
        std::fs::write(&path, &text).expect("the cases file is written");
        println!(
            "wrote {} ({})",
            std::path::Path::new(&path).display(),
            mb(text.len())
        );
        return;
    }
    let before_load = allocated();
    reset_peak();
    let started = Instant::now();
    let cases = CaseReader::new(text.as_bytes(), &procedures)
        .events_until(as_of)
        .read_all()
        .expect("every generated record loads");
    let load_time = started.elapsed();
    let load_peak = PEAK.load(Ordering::Relaxed) - before_load + text.len();
    let lines = text.len();
    drop(text);
    let open = cases.iter().filter(|c| c.is_open()).count();
    let events: u64 = cases
        .iter()
        .map(|c| u64::from(c.state.events_applied))
        .sum();
    println!(
        "report/load: {CASES} lines ({}) with {events} events in {:.2} s ({:.2} us a case); \
         peak allocated while loading {} (input text included)",
        mb(lines),
        load_time.as_secs_f64(),
        load_time.as_secs_f64() * 1e6 / CASES as f64,
        mb(load_peak),
    );

    let baseline = allocated();
    reset_peak();
    let started = Instant::now();
    let report = Report::build(&procedures, &cases, as_of, &options).expect("the report builds");
    let build_time = started.elapsed();
    let peak = PEAK.load(Ordering::Relaxed);
    println!(
        "report/build: {open} of {CASES} cases open, {} overdue, {} closed in {}; \
         first build {:.0} ms; allocated: cases and procedures {}, peak with the report {}",
        report.overdue.count,
        report.closed.summary.count,
        report.period.label,
        build_time.as_secs_f64() * 1e3,
        mb(baseline),
        mb(peak),
    );
    let expected_open = report.open.total;
    drop(report);

    let mut group = criterion.benchmark_group("report");
    group.throughput(Throughput::Elements(CASES as u64));
    group.bench_function("build", |b| {
        b.iter(|| {
            let report = Report::build(&procedures, black_box(&cases), as_of, &options)
                .expect("the report builds");
            assert_eq!(report.open.total, expected_open);
            black_box(report.overdue.count)
        })
    });
    group.finish();
    criterion.final_summary();
}
