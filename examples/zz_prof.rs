#![allow(missing_docs)]
use std::hint::black_box;

use chrono::{Days, NaiveDate};
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
                    kind,
                },
                as_of: raised + Days::new(7),
            }
        })
        .collect()
}

fn main() {
    let calendar = WorkingCalendar::new(Region::EnglandAndWales);
    let ladders: Vec<Ladder> = builtin::procedures()
        .into_iter()
        .filter_map(|p| p.as_ladder().cloned())
        .collect();
    let cases = cases(&ladders, &calendar);
    let what = std::env::var("WHAT").unwrap_or_default();
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10);
    let mut best = f64::MAX;
    let mut ok = 0usize;
    for _ in 0..rounds {
        let t = std::time::Instant::now();
        for case in &cases {
            if what == "status" {
                let s = status(&ladders[case.ladder], &calendar, &case.state, case.as_of).unwrap();
                ok += usize::from(black_box(&s).overdue);
            } else if what == "advance" {
                let a = advance(&ladders[case.ladder], &calendar, &case.state, case.as_of).unwrap();
                ok += usize::from(black_box(&a).transitions.is_empty());
            } else {
                let t = apply(&ladders[case.ladder], &calendar, &case.state, &case.event);
                ok += usize::from(black_box(&t).is_ok());
            }
        }
        best = best.min(t.elapsed().as_secs_f64() * 1e9 / cases.len() as f64);
    }
    println!("{what} best {best:.1} ns/case ({ok})");
}
