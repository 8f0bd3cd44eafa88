//! Procedure files (TOML): loading and validation, then the engine on what
//! loaded.
//!
//! Checked:
//!
//! - nothing panics, whatever the text: `Procedure::from_toml_str` loads and
//!   validates it or says why not (the error displays, with its file and line);
//! - a procedure that loads writes TOML that loads back equal
//!   (`to_toml_string`), and renders (assumptions, Markdown, windows);
//! - a schedule gives its dates from a starting day, or an error;
//! - a ladder that loads gives its worst-case timeline, or an error; an alert
//!   raised at each entry stage and driven up the ladder (respond with each
//!   outcome, escalate, start each duty, with time acting in between) only
//!   reaches states with no response date before the stage's entry and, without
//!   extra time, none after the ceiling; a refused event leaves its state as it
//!   was.

#![no_main]

use chrono::{Days, NaiveDate};
use escalation_ladder::engine::{
    advance_for, schedule_dates, worst_case_timeline, AlertState, Event, EventKind,
};
use escalation_ladder::ladder::{Ladder, Procedure};
use escalation_ladder_fuzz::{apply_checked, calendar, check_state, date};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let procedure = match Procedure::from_toml_str(text, "fuzz.toml") {
        Ok(procedure) => procedure,
        Err(err) => {
            let _ = err.to_string();
            let _ = (err.file(), err.line());
            return;
        }
    };
    let written = procedure
        .to_toml_string()
        .expect("a loaded procedure writes");
    let back = Procedure::from_toml_str(&written, "written.toml")
        .unwrap_or_else(|e| panic!("written TOML does not load: {e}\n{written}"));
    assert_eq!(back, procedure, "TOML round trip:\n{written}");
    let _ = (procedure.id(), procedure.title(), procedure.kind());
    let _ = procedure.assumptions();
    match &procedure {
        Procedure::Schedule(schedule) => {
            let _ = schedule.to_markdown();
            let calendar = calendar(schedule.working_days.region);
            let _ = schedule_dates(schedule, calendar, date(2026, 11, 23));
        }
        Procedure::Ladder(ladder) => {
            let _ = ladder.to_markdown();
            let _ = ladder.stage_table();
            let _ = ladder.default_path_working_days();
            for stage in &ladder.stages {
                let _ = (stage.window.describe(), stage.window.working_day_bound());
            }
            drive(ladder);
        }
    }
});

/// Raises an alert at each entry stage and drives it up the ladder.
fn drive(ladder: &Ladder) {
    let calendar = calendar(ladder.working_days.region);
    let raised = date(2026, 11, 23);
    let _ = worst_case_timeline(ladder, calendar, raised);
    let entries: Vec<String> = ladder
        .entry_stages()
        .iter()
        .take(4)
        .map(|s| s.id.to_string())
        .collect();
    for entry in entries {
        let raise = event(
            raised,
            EventKind::Raise {
                stage: Some(entry),
                category: ladder.categories.first().map(|c| c.id.to_string()),
                reason: "fuzz".into(),
            },
        );
        let Ok(t) = apply_checked(ladder, calendar, &AlertState::new(&ladder.id), &raise) else {
            continue;
        };
        check_state(ladder, &t.state, "raise");
        let mut state = t.state;
        let mut on = raised;
        for round in 0..ladder.stages.len().min(8) + 2 {
            on = on + Days::new(3);
            let stage = state.stage.as_deref().and_then(|id| ladder.stage(id));
            let mut kinds = vec![EventKind::Respond {
                outcome: stage
                    .filter(|s| !s.outcomes.is_empty())
                    .map(|s| s.outcomes[round % s.outcomes.len()].id.to_string()),
            }];
            if let Some(step) = stage.and_then(|s| s.steps.first()) {
                kinds.push(EventKind::Step {
                    step: step.id.to_string(),
                });
            }
            if let Some(duty) = ladder.duties.get(round % ladder.duties.len().max(1)) {
                kinds.push(EventKind::StartDuty {
                    duty: duty.id.to_string(),
                    due: Some(on + Days::new(10)),
                });
                kinds.push(EventKind::StartDuty {
                    duty: duty.id.to_string(),
                    due: None,
                });
            }
            kinds.push(EventKind::Escalate {
                to: None,
                reason: "fuzz".into(),
            });
            for kind in kinds {
                let e = event(on, kind);
                let advanced = advance_for(ladder, calendar, &state, &e)
                    .unwrap_or_else(|err| panic!("time could not act up to {on}: {err}"));
                for t in &advanced.transitions {
                    check_state(ladder, &t.state, "time");
                }
                let advanced = advanced.state.into_owned();
                state = match apply_checked(ladder, calendar, &advanced, &e) {
                    Ok(t) => {
                        check_state(ladder, &t.state, e.kind.name());
                        t.state
                    }
                    Err(_) => advanced,
                };
            }
        }
    }
}

fn event(on: NaiveDate, kind: EventKind) -> Event {
    Event {
        on,
        actor: "fuzz".into(),
        id: None,
        meta: None,
        kind,
    }
}
