//! Benchmarks of the engine: `apply` and `status` over 1,000,000 cases spread across
//! every built-in ladder.
//!
//! ```text
//! cargo bench --bench engine
//! ```
//!
//! Each case is an alert already raised (at one of its ladder's entry stages, on a
//! date spread over 2020-2029, as live alerts are: a case system applies events to
//! alerts raised this year or last, not in 2150; the calendar bench covers the whole
//! 1978-2199 range) and a next event: an escalation where the stage has
//! a next stage, else a response. `engine/apply` applies each case's event;
//! `engine/status` asks each case's status 7 calendar days after it was raised;
//! `engine/advance-nothing-due` lets time act on each case up to that day, where
//! no ladder's time acts (the common case a nightly job meets).
//! Every iteration checks how many calls succeeded, so no work can be skipped.

use std::hint::black_box;
use std::time::Duration;

use chrono::{Days, NaiveDate};
use criterion::{Criterion, Throughput};
use escalation_ladder::engine::{advance, apply, status, AlertState, Event, EventKind};
use escalation_ladder::ladder::{builtin, Ladder};
use escalation_ladder::{Region, WorkingCalendar};

/// 1,000,000 cases; `ENGINE_BENCH_CASES=20000` runs a cache-resident set, to
/// tell the engine's own work from the memory traffic of a million states.
fn case_count() -> usize {
    std::env::var("ENGINE_BENCH_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000)
}

struct Case {
    ladder: usize,
    state: AlertState,
    event: Event,
    as_of: NaiveDate,
}

/// splitmix64: a fixed-seed generator, so every run benches the same cases.
fn next(seed: &mut u64) -> u64 {
    *seed = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *seed;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn cases(ladders: &[Ladder], calendar: &WorkingCalendar) -> Vec<Case> {
    let first = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    let mut seed = 2026;
    (0..case_count())
        .map(|i| {
            let index = i % ladders.len();
            let ladder = &ladders[index];
            let entries = ladder.entry_stages();
            let entry = entries[next(&mut seed) as usize % entries.len()];
            let raised = first + Days::new(next(&mut seed) % 3_650);
            let raise = Event {
                on: raised,
                actor: "iro".into(),
                id: None,
                meta: None,
                kind: EventKind::Raise {
                    stage: Some(entry.id.to_string()),
                    category: None,
                    reason: "bench".into(),
                },
            };
            let state = apply(ladder, calendar, &AlertState::new(&ladder.id), &raise)
                .expect("raise at an entry stage")
                .state;
            let later = raised + Days::new(next(&mut seed) % 10);
            let kind = if entry.next.is_some() {
                EventKind::Escalate {
                    to: None,
                    reason: "no response".into(),
                }
            } else if let Some(outcome) = entry.outcomes.first() {
                EventKind::Respond {
                    outcome: Some(outcome.id.to_string()),
                }
            } else {
                EventKind::Respond { outcome: None }
            };
            Case {
                ladder: index,
                state,
                event: Event {
                    on: later,
                    actor: "manager".into(),
                    id: None,
                    meta: None,
                    kind,
                },
                as_of: raised + Days::new(7),
            }
        })
        .collect()
}

fn main() {
    let mut criterion = Criterion::default()
        .without_plots()
        .sample_size(10)
        .measurement_time(Duration::from_secs(10))
        .configure_from_args();
    let calendar = WorkingCalendar::new(Region::EnglandAndWales);
    let ladders: Vec<Ladder> = builtin::procedures()
        .into_iter()
        .filter_map(|p| p.as_ladder().cloned())
        .collect();
    let cases = cases(&ladders, &calendar);
    let expected_ok = cases
        .iter()
        .filter(|c| apply(&ladders[c.ladder], &calendar, &c.state, &c.event).is_ok())
        .count();
    assert_eq!(
        expected_ok,
        cases.len(),
        "every bench event is a permitted one"
    );

    let mut group = criterion.benchmark_group("engine");
    group.throughput(Throughput::Elements(cases.len() as u64));
    group.bench_function("apply", |b| {
        b.iter(|| {
            let mut ok = 0usize;
            for case in &cases {
                let t = apply(&ladders[case.ladder], &calendar, &case.state, &case.event);
                ok += usize::from(black_box(&t).is_ok());
            }
            assert_eq!(ok, expected_ok);
        })
    });
    group.bench_function("status", |b| {
        b.iter(|| {
            let mut overdue = 0usize;
            for case in &cases {
                let s = status(&ladders[case.ladder], &calendar, &case.state, case.as_of)
                    .expect("in range");
                overdue += usize::from(black_box(&s).overdue);
            }
            black_box(overdue)
        })
    });
    let nothing_due = cases
        .iter()
        .filter(|c| {
            advance(&ladders[c.ladder], &calendar, &c.state, c.as_of)
                .is_ok_and(|a| a.transitions.is_empty())
        })
        .count();
    assert_eq!(
        nothing_due,
        cases.len(),
        "time acts on no bench case by its as-of date"
    );
    group.bench_function("advance-nothing-due", |b| {
        b.iter(|| {
            let mut unchanged = 0usize;
            for case in &cases {
                let a = advance(&ladders[case.ladder], &calendar, &case.state, case.as_of)
                    .expect("in range");
                unchanged += usize::from(black_box(&a).transitions.is_empty());
            }
            assert_eq!(unchanged, cases.len());
        })
    });
    group.finish();
    criterion.final_summary();
}
