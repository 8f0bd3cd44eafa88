//! The engine's documented properties, on every built-in ladder.

use chrono::{Days, NaiveDate};
use escalation_ladder::engine::{apply, replay, AlertState, EngineError, Event, EventKind};
use escalation_ladder::ladder::{builtin, Ladder};
use escalation_ladder::{Region, WorkingCalendar};
use proptest::prelude::*;
use std::sync::OnceLock;

fn calendar() -> &'static WorkingCalendar {
    static CALENDAR: OnceLock<WorkingCalendar> = OnceLock::new();
    CALENDAR.get_or_init(|| WorkingCalendar::new(Region::EnglandAndWales))
}

fn ladders() -> &'static [Ladder] {
    static LADDERS: OnceLock<Vec<Ladder>> = OnceLock::new();
    LADDERS.get_or_init(|| {
        builtin::procedures()
            .into_iter()
            .filter_map(|p| p.as_ladder().cloned())
            .collect()
    })
}

/// A choice of event, resolved against the state when it is applied, so that
/// most generated events are permitted ones.
#[derive(Debug, Clone)]
pub(crate) enum Pick {
    Respond(usize),
    Escalate(usize),
    Refer,
    Resolve,
    Withdraw,
    Reopen,
    DeemAgreed,
}

fn pick() -> impl Strategy<Value = Pick> {
    prop_oneof![
        3 => (0usize..4).prop_map(Pick::Respond),
        4 => (0usize..4).prop_map(Pick::Escalate),
        1 => Just(Pick::Refer),
        1 => Just(Pick::Resolve),
        1 => Just(Pick::Withdraw),
        1 => Just(Pick::Reopen),
        1 => Just(Pick::DeemAgreed),
    ]
}

/// The event a pick stands for in this state, on this date (also used by the
/// report's properties).
pub(crate) fn concrete(ladder: &Ladder, state: &AlertState, pick: &Pick, on: NaiveDate) -> Event {
    let stage = state.stage.as_deref().and_then(|id| ladder.stage(id));
    let kind = match pick {
        Pick::Respond(i) => EventKind::Respond {
            outcome: stage
                .filter(|s| !s.outcomes.is_empty())
                .map(|s| s.outcomes[i % s.outcomes.len()].id.to_string()),
        },
        Pick::Escalate(i) => {
            let mut targets: Vec<String> = Vec::new();
            if let Some(stage) = stage {
                targets.extend(stage.next.iter().map(|r| r.to.to_string()));
                targets.extend(
                    stage
                        .bypass
                        .iter()
                        .flat_map(|b| b.to.iter().map(|t| t.to_string())),
                );
            }
            EventKind::Escalate {
                to: (!targets.is_empty()).then(|| targets[i % targets.len()].clone()),
                reason: "property".into(),
            }
        }
        Pick::Refer => EventKind::Refer {
            referral: ladder
                .referrals
                .first()
                .map(|r| r.id.to_string())
                .unwrap_or_default(),
        },
        Pick::Resolve => EventKind::Resolve {
            outcome: "done".into(),
        },
        Pick::Withdraw => EventKind::Withdraw {
            reason: "property".into(),
        },
        Pick::Reopen => EventKind::Reopen {
            reason: "property".into(),
        },
        Pick::DeemAgreed => EventKind::DeemAgreed,
    };
    Event {
        on,
        actor: "property".into(),
        kind,
    }
}

fn raise_date() -> impl Strategy<Value = NaiveDate> {
    let first = NaiveDate::from_ymd_opt(1979, 1, 1).unwrap();
    (0u64..80_000).prop_map(move |n| first + Days::new(n))
}

proptest! {
    /// Without agreed extra time, every response date of a stage entered before
    /// the ceiling is on or before the ceiling; no response date is before its
    /// stage's entry; replaying the trail reproduces the state; a refusal names
    /// the state it leaves as it was.
    #[test]
    fn deadlines_stay_within_the_ceiling_and_replay_reproduces_state(
        ladder_index in 0usize..7,
        raised in raise_date(),
        entry in 0usize..8,
        steps in prop::collection::vec((pick(), 0u64..8), 0..14),
    ) {
        let ladder = &ladders()[ladder_index % ladders().len()];
        let cal = calendar();
        let entries = ladder.entry_stages();
        let raise = Event {
            on: raised,
            actor: "property".into(),
            kind: EventKind::Raise {
                stage: Some(entries[entry % entries.len()].id.to_string()),
                category: ladder.categories.first().map(|c| c.id.to_string()),
                reason: "property".into(),
            },
        };
        let mut state = apply(ladder, cal, &AlertState::new(&ladder.id), &raise).unwrap().state;
        let mut accepted = vec![raise];
        let mut on = raised;
        for (pick, gap) in &steps {
            on = on + Days::new(*gap);
            let event = concrete(ladder, &state, pick, on);
            match apply(ladder, cal, &state, &event) {
                Ok(t) => {
                    let entered = t.state.stage_entered_on.unwrap();
                    if let (Some(ceiling), Some(due)) = (t.state.ceiling, t.state.respond_by) {
                        if entered < ceiling && !t.state.extended {
                            prop_assert!(due <= ceiling, "{} {:?}: {} > {}", ladder.id, event, due, ceiling);
                        }
                    }
                    if let Some(due) = t.state.respond_by {
                        prop_assert!(due >= entered, "{} {:?}: due {} before entry {}", ladder.id, event, due, entered);
                    }
                    state = t.state;
                    accepted.push(event);
                }
                // `apply` borrows the state, so a refusal cannot change it; what
                // can go wrong is a refusal that does not say where the alert was.
                Err(err @ EngineError::Refused { .. }) => {
                    prop_assert!(err.to_string().contains(&state.to_string()), "{}", err);
                }
                Err(err) => prop_assert!(false, "{}: {}", event.kind.name(), err),
            }
        }
        let (replayed, trail) = replay(ladder, cal, &accepted).unwrap();
        prop_assert_eq!(&replayed, &state);
        prop_assert_eq!(trail.len(), accepted.len());
    }

    /// Whatever the event, apply returns a transition or an error: it never panics.
    #[test]
    fn no_event_panics(
        ladder_index in 0usize..7,
        // Mostly dates in the calendar's range, so events reach the engine's rules;
        // sometimes any day chrono can represent.
        day in prop_oneof![4 => 722_000i32..803_000, 1 => any::<i32>()],
        kind in 0usize..9,
        text in ".{0,12}",
        raise_first in any::<bool>(),
    ) {
        let ladder = &ladders()[ladder_index % ladders().len()];
        let cal = calendar();
        let Some(on) = NaiveDate::from_num_days_from_ce_opt(day) else { return Ok(()) };
        let text = text.to_string();
        let kind = match kind {
            0 => EventKind::Raise { stage: Some(text.clone()), category: Some(text.clone()), reason: text },
            1 => EventKind::Respond { outcome: Some(text) },
            2 => EventKind::Resolve { outcome: text },
            3 => EventKind::Escalate { to: Some(text.clone()), reason: text },
            4 => EventKind::Extend { until: on, reason: text },
            5 => EventKind::DeemAgreed,
            6 => EventKind::Refer { referral: text },
            7 => EventKind::Reopen { reason: text },
            _ => EventKind::Withdraw { reason: text },
        };
        let mut state = AlertState::new(&ladder.id);
        if raise_first {
            let raise = Event {
                on: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
                actor: "a".into(),
                kind: EventKind::Raise { stage: None, category: None, reason: "r".into() },
            };
            state = apply(ladder, cal, &state, &raise).unwrap().state;
        }
        let _ = apply(ladder, cal, &state, &Event { on, actor: "a".into(), kind });
    }
}
