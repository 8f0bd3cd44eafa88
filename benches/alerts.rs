//! The operations over many stored alerts: `advance-alerts` (a nightly job)
//! and `recompute-alerts` (re-basing after a proclaimed bank holiday), over
//! generated alerts on every built-in ladder.
//!
//! The alerts are raised over the 120 days before 4 January 2027 with 1 to
//! 4 events each (responses, escalations, extra time, closures), and stored
//! as a nightly job stores them: advanced to the day before, so each
//! `wakes_on` is counted from 3 January.
//!
//! - `cargo bench --bench alerts`: each operation over 100,000 alerts in
//!   process, a median over a few runs, with the lines answered.
//! - `ALERTS_BENCH_WRITE=DIR cargo bench --bench alerts` writes, in DIR,
//!   `alerts-1m.jsonl` (1,000,000 `{alert, ladder, state}` lines, as stored
//!   the day before), `due-1m.jsonl` (the same alerts stored as at their
//!   last event, so that every one of them is due) and `histories-1m.jsonl`
//!   (1,000,000 `{alert, ladder, state, trail, expect_version}` lines), and
//!   stops: the input of `benches/alerts-1m.sh`.
//!
//! Nothing is asserted but that every alert advanced is answered without an
//! error (a re-based one may be refused, and is counted): the figures are
//! for the README.

use std::hint::black_box;
use std::io::Write;
use std::time::Instant;

use chrono::{Days, NaiveDate};
use escalation_ladder::engine::{advance, apply, AlertState, AuditEntry, Event, EventKind};
use escalation_ladder::ops::{
    self, AdvanceAlertsRequest, Closure, RecomputeAlertsRequest, Registry, Setup,
};
use escalation_ladder::report::Procedures;

/// A small deterministic generator (the same LCG as the report bench's).
fn next(seed: &mut u64) -> u64 {
    *seed = seed
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407);
    *seed >> 33
}

/// The day the nightly job runs.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 1, 4).unwrap()
}

/// One generated alert: its state as at its last event, the same advanced
/// to the day before `today`, and its whole trail.
struct Generated {
    ladder: String,
    at_last_event: AlertState,
    stored: AlertState,
    trail: Vec<AuditEntry<'static>>,
}

fn generate(procedures: &Procedures, count: usize, mut each: impl FnMut(usize, Generated)) {
    let ladders: Vec<_> = procedures.ids().collect();
    let yesterday = today() - Days::new(1);
    let mut seed = 19u64;
    for i in 0..count {
        let id = ladders[next(&mut seed) as usize % ladders.len()];
        let (ladder, calendar) = procedures.get(id).expect("a built-in ladder");
        let raised = yesterday - Days::new(next(&mut seed) % 120);
        let entries = ladder.entry_stages();
        let raise = Event {
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
                category: ladder.categories.first().map(|c| c.id.to_string()),
                reason: "generated".into(),
            },
        };
        let first = apply(ladder, calendar, &AlertState::new(&ladder.id), &raise)
            .expect("a raise at an entry stage");
        let mut trail = vec![first.audit().into_owned()];
        let mut state = first.state;
        let mut on = raised;
        for _ in 1..1 + next(&mut seed) % 4 {
            on = on + Days::new(1 + next(&mut seed) % 9);
            if on > yesterday || !state.phase.is_open() {
                break;
            }
            let stage = state.stage.as_deref().and_then(|s| ladder.stage(s));
            let kind = match next(&mut seed) % 6 {
                0 => EventKind::Resolve {
                    outcome: "resolved".into(),
                },
                1 | 2 => EventKind::Respond {
                    outcome: stage
                        .and_then(|s| s.outcomes.first())
                        .map(|o| o.id.to_string()),
                },
                3 => EventKind::Extend {
                    until: calendar
                        .add_working_days(state.respond_by.unwrap_or(on).max(on), 2)
                        .unwrap_or(on),
                    reason: "agreed".into(),
                },
                _ => EventKind::Escalate {
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
            let Ok(by_time) =
                escalation_ladder::engine::advance_for(ladder, calendar, &state, &event)
            else {
                break;
            };
            let before = by_time.state.into_owned();
            let Ok(transition) = apply(ladder, calendar, &before, &event) else {
                continue;
            };
            trail.extend(by_time.transitions.into_iter().map(|t| t.audit));
            trail.push(transition.audit().into_owned());
            state = transition.state;
        }
        let stored = advance(ladder, calendar, &state, yesterday).expect("advanced");
        let mut whole = trail.clone();
        whole.extend(stored.transitions.into_iter().map(|t| t.audit));
        each(
            i,
            Generated {
                ladder: id.to_string(),
                stored: stored.state.into_owned(),
                at_last_event: state,
                trail: whole,
            },
        );
    }
}

/// The three files' lines for `count` alerts, written onto `alerts`, `due`
/// and `histories` as they are generated.
fn write_files(
    procedures: &Procedures,
    count: usize,
    alerts: &mut impl Write,
    due: &mut impl Write,
    histories: &mut impl Write,
) -> std::io::Result<()> {
    let mut result = Ok(());
    generate(procedures, count, |i, g| {
        if result.is_err() {
            return;
        }
        let alert = format!("A-{i:07}");
        let line = |state: &AlertState| {
            serde_json::json!({"alert": alert, "ladder": g.ladder, "state": state}).to_string()
        };
        let history = serde_json::json!({"alert": alert, "ladder": g.ladder, "state": g.stored,
            "trail": g.trail, "expect_version": g.stored.events_applied});
        result = writeln!(alerts, "{}", line(&g.stored))
            .and_then(|()| writeln!(due, "{}", line(&g.at_last_event)))
            .and_then(|()| writeln!(histories, "{history}"));
    });
    result
}

/// The three files' lines for `count` alerts, in memory.
fn files(procedures: &Procedures, count: usize) -> (String, String, String) {
    let (mut alerts, mut due, mut histories) = (Vec::new(), Vec::new(), Vec::new());
    write_files(procedures, count, &mut alerts, &mut due, &mut histories)
        .expect("written to memory");
    let text = |bytes| String::from_utf8(bytes).expect("JSON is UTF-8");
    (text(alerts), text(due), text(histories))
}

/// A registry with a bank holiday proclaimed on Friday 8 January 2027 (as a
/// closure, which re-bases every alert the same way).
fn proclaimed() -> Registry {
    let setup = Setup {
        closures: vec![Closure {
            date: NaiveDate::from_ymd_opt(2027, 1, 8).unwrap(),
            reason: "proclaimed".into(),
        }],
        ..Setup::default()
    };
    Registry::new(setup).expect("a registry").0
}

/// Runs `run` `times` times: the median seconds and its last output.
fn median(times: usize, mut run: impl FnMut() -> Vec<u8>) -> (f64, Vec<u8>) {
    let mut seconds = Vec::new();
    let mut out = Vec::new();
    for _ in 0..times {
        let started = Instant::now();
        out = black_box(run());
        seconds.push(started.elapsed().as_secs_f64());
    }
    seconds.sort_by(f64::total_cmp);
    (seconds[seconds.len() / 2], out)
}

fn lines_with(out: &[u8], needle: &str) -> usize {
    out.split(|&b| b == b'\n')
        .filter(|l| std::str::from_utf8(l).is_ok_and(|l| l.contains(needle)))
        .count()
}

fn main() {
    let procedures = Procedures::builtin().expect("built-in ladders load");
    if let Some(dir) = std::env::var_os("ALERTS_BENCH_WRITE") {
        let dir = std::path::Path::new(&dir);
        std::fs::create_dir_all(dir).expect("the directory is made");
        let file = |name: &str| {
            std::io::BufWriter::with_capacity(
                1 << 20,
                std::fs::File::create(dir.join(name)).expect("a file is made"),
            )
        };
        let (mut alerts, mut due, mut histories) = (
            file("alerts-1m.jsonl"),
            file("due-1m.jsonl"),
            file("histories-1m.jsonl"),
        );
        write_files(
            &procedures,
            1_000_000,
            &mut alerts,
            &mut due,
            &mut histories,
        )
        .and_then(|()| alerts.flush())
        .and_then(|()| due.flush())
        .and_then(|()| histories.flush())
        .expect("the files are written");
        println!("wrote {}", dir.display());
        return;
    }
    let count = 100_000;
    let (alerts, due, histories) = files(&procedures, count);
    let registry = Registry::builtin().expect("a registry");
    let request = AdvanceAlertsRequest { as_of: today() };
    for (name, input) in [("stored the day before", &alerts), ("all due", &due)] {
        let (seconds, out) = median(5, || {
            let mut out = Vec::with_capacity(input.len());
            ops::advance_alerts(&registry, &request, input.as_bytes(), &mut out, &mut |_| {})
                .expect("answered");
            out
        });
        assert_eq!(lines_with(&out, "\"error\":{"), 0);
        println!(
            "alerts/advance ({name}): {count} alerts ({} MB) in {:.3} s, {} changed",
            input.len() / 1_000_000,
            seconds,
            out.iter().filter(|&&b| b == b'\n').count()
        );
    }
    let rebase = proclaimed();
    let request = RecomputeAlertsRequest {
        as_of: Some(today()),
        format: None,
    };
    let (seconds, out) = median(3, || {
        let mut out = Vec::with_capacity(histories.len() * 2);
        let mut moved = Vec::new();
        ops::recompute_alerts(
            &rebase,
            &request,
            histories.as_bytes(),
            &mut out,
            Some(&mut moved),
            &mut |_| {},
        )
        .expect("answered");
        out
    });
    // A history whose extra time was agreed to end on the proclaimed day is
    // refused on the new calendar (refused.extension-not-a-working-day),
    // and answered with its error: counted, not hidden.
    println!(
        "alerts/recompute: {count} alerts ({} MB) in {:.3} s, {} moved, {} refused",
        histories.len() / 1_000_000,
        seconds,
        lines_with(&out, "\"moved\":true"),
        lines_with(&out, "\"error\":{")
    );
}
