//! The generated cases file of the report's benches: `cases` alerts over
//! every built-in ladder, raised over the 1,000 days before the as-of date,
//! each with 1 to 4 events (most older alerts closed, as in a real register),
//! 40 teams and 400 workers. Deterministic (a fixed seed), so every run
//! benches the same cases.

use chrono::{Days, NaiveDate};
use escalation_ladder::engine::{apply, AlertState, Event, EventKind};
use escalation_ladder::report::{CaseRecord, Procedures};

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
pub fn cases_file(procedures: &Procedures, as_of: NaiveDate, cases: usize) -> String {
    let ids: Vec<&str> = procedures.ids().collect();
    let mut seed = 2026;
    let mut text = String::with_capacity(cases * 420);
    for i in 0..cases {
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
