//! The engine's documented properties, on every built-in ladder.

use chrono::{Days, NaiveDate};
use escalation_ladder::engine::{
    advance, advance_for, apply, apply_after_time, apply_after_time_borrowed, replay, status,
    write_applied_json, AlertState, EngineError, Event, EventKind,
};
use escalation_ladder::ladder::{builtin, ClockStart, Ladder};
use escalation_ladder::{Region, WorkingCalendar};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use std::sync::OnceLock;

use crate::day_counts::without_day_counts;

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
    /// Extra time: this many working days after the current response date.
    Extend(i32),
    /// The n-th step of the current stage.
    Step(usize),
    /// The n-th duty of the ladder, with an agreed date this many working days on.
    StartDuty(usize, i32),
    /// The n-th duty of the ladder.
    CompleteDuty(usize),
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
        1 => (1i32..8).prop_map(Pick::Extend),
        2 => (0usize..3).prop_map(Pick::Step),
        2 => ((0usize..8), (0i32..15)).prop_map(|(i, g)| Pick::StartDuty(i, g)),
        1 => (0usize..8).prop_map(Pick::CompleteDuty),
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
        Pick::Extend(days) => EventKind::Extend {
            until: calendar()
                .add_working_days(state.respond_by.unwrap_or(on).max(on), *days)
                .unwrap_or(on),
            reason: "property".into(),
        },
        Pick::Step(i) => EventKind::Step {
            step: stage
                .filter(|s| !s.steps.is_empty())
                .map(|s| s.steps[i % s.steps.len()].id.to_string())
                .unwrap_or_default(),
        },
        Pick::StartDuty(i, gap) => {
            let duty = (!ladder.duties.is_empty()).then(|| &ladder.duties[i % ladder.duties.len()]);
            EventKind::StartDuty {
                duty: duty.map(|d| d.id.to_string()).unwrap_or_default(),
                due: duty
                    .filter(|d| d.window.unit == escalation_ladder::ladder::WindowUnit::AgreedDate)
                    .and_then(|_| calendar().add_working_days(on, *gap).ok()),
            }
        }
        Pick::CompleteDuty(i) => EventKind::CompleteDuty {
            duty: ladder
                .duties
                .get(i % ladder.duties.len().max(1))
                .map(|d| d.id.to_string())
                .unwrap_or_default(),
        },
    };
    Event {
        on,
        actor: "property".into(),
        id: None,
        meta: None,
        kind,
    }
}

/// A raise date leaving room in the calendar's range for a status 400 days
/// past the last event.
fn raise_date_in_range() -> impl Strategy<Value = NaiveDate> {
    let first = NaiveDate::from_ymd_opt(1979, 1, 1).unwrap();
    (0u64..79_000).prop_map(move |n| first + Days::new(n))
}

fn raise_date() -> impl Strategy<Value = NaiveDate> {
    let first = NaiveDate::from_ymd_opt(1979, 1, 1).unwrap();
    (0u64..80_000).prop_map(move |n| first + Days::new(n))
}

/// What must hold in every reachable state: no response date before its
/// stage's entry; without extra time, no response date of a stage whose
/// clock started on or before the ceiling date after the ceiling.
pub(crate) fn check_state(
    ladder: &Ladder,
    state: &AlertState,
    after: &str,
) -> Result<(), TestCaseError> {
    let Some(entered) = state.stage_entered_on else {
        return Ok(());
    };
    // The window's clock: the stage's entry, or the step its window names.
    let window_from = state
        .stage
        .as_deref()
        .and_then(|id| ladder.stage(id))
        .and_then(|s| s.window.from.as_ref());
    let clock = match window_from {
        Some(ClockStart::Step(step)) => state.step_on(step).unwrap_or(entered),
        _ => entered,
    };
    if let Some(due) = state.respond_by {
        prop_assert!(
            due >= entered,
            "{} after {after}: due {due} before entry {entered}",
            ladder.id
        );
        if let Some(ceiling) = state.ceiling {
            if clock <= ceiling && !state.extended {
                prop_assert!(
                    due <= ceiling,
                    "{} after {after}: {due} > {ceiling}",
                    ladder.id
                );
            }
        }
    }
    for duty in state.duties.iter() {
        if let Some(due) = duty.due {
            prop_assert!(
                due >= duty.started_on,
                "{} after {after}: duty {:?}",
                ladder.id,
                duty
            );
        }
    }
    Ok(())
}

/// An alert walked as a case system would drive it: each event preceded by
/// what time does up to its date ([`advance_for`]). Returns the state, the
/// events the case system sent that were accepted, and the whole audit trail's
/// events (time's included).
fn walk(
    ladder: &Ladder,
    raised: NaiveDate,
    entry: usize,
    steps: &[(Pick, u64)],
) -> Result<(AlertState, Vec<Event>, Vec<Event>), TestCaseError> {
    let cal = calendar();
    let entries = ladder.entry_stages();
    let raise = Event {
        on: raised,
        actor: "property".into(),
        id: None,
        meta: None,
        kind: EventKind::Raise {
            stage: Some(entries[entry % entries.len()].id.to_string()),
            category: ladder.categories.first().map(|c| c.id.to_string()),
            reason: "property".into(),
        },
    };
    let mut state = apply(ladder, cal, &AlertState::new(&ladder.id), &raise)
        .unwrap()
        .state;
    check_state(ladder, &state, "raise")?;
    let mut accepted = vec![raise.clone()];
    let mut trail = vec![raise];
    let mut on = raised;
    for (pick, gap) in steps {
        on = on + Days::new(*gap);
        let event = concrete(ladder, &state, pick, on);
        let advanced = advance_for(ladder, cal, &state, &event).unwrap();
        for t in &advanced.transitions {
            check_state(ladder, &t.state, "time")?;
            trail.push(t.audit.event.clone().into_owned());
        }
        let before = advanced.state.clone().into_owned();
        match apply(ladder, cal, &advanced.state, &event) {
            Ok(t) => {
                check_state(ladder, &t.state, event.kind.name())?;
                // What the transition did to the stage, read from its compact
                // record, is what its effects say (Transition::stage_change).
                prop_assert_eq!(
                    t.stage_change(),
                    escalation_ladder::engine::StageChange::of_effects(t.effects())
                );
                state = t.state;
                accepted.push(event.clone());
                trail.push(event);
            }
            // A refusal leaves the state as it was, and says where the alert
            // was.
            Err(err @ EngineError::Refused { .. }) => {
                prop_assert_eq!(&*advanced.state, &before);
                prop_assert!(
                    err.to_string()
                        .contains(&*escalation_ladder::escape::escape(
                            &advanced.state.to_string()
                        )),
                    "{}",
                    err
                );
                // Time's transitions stand: they happened whatever the event.
                state = advanced.state.into_owned();
            }
            Err(err) => prop_assert!(false, "{}: {}", event.kind.name(), err),
        }
    }
    Ok((state, accepted, trail))
}

proptest! {
    /// Every reachable state keeps its response dates on or after its stage's
    /// entry (and, without extra time, within the ceiling for a stage entered
    /// on or before its date); replaying the case system's events, or the audit trail with
    /// time's own events, reproduces the state; a refusal names the state it
    /// leaves as it was.
    #[test]
    fn reachable_states_keep_their_dates_and_replay_reproduces_them(
        ladder_index in 0usize..7,
        raised in raise_date(),
        entry in 0usize..8,
        steps in prop::collection::vec((pick(), 0u64..8), 0..16),
    ) {
        let ladder = &ladders()[ladder_index % ladders().len()];
        let (state, accepted, trail) = walk(ladder, raised, entry, &steps)?;
        let cal = calendar();
        // A refused event may still have let time act: replay up to the same
        // day as the walk got.
        let (replayed, replay_trail) = replay(ladder, cal, &accepted).unwrap();
        // The audit trail replay writes replays to the same state.
        let from_audit = escalation_ladder::engine::replay_trail(ladder, cal, &replay_trail).unwrap();
        prop_assert_eq!(&from_audit, &replayed);
        let replayed = match state.last_event_on {
            Some(last) => advance(ladder, cal, &replayed, last).unwrap().state.into_owned(),
            None => replayed,
        };
        prop_assert_eq!(&replayed, &state);
        prop_assert!(replay_trail.len() >= accepted.len());
        let (from_trail, _) = replay(ladder, cal, &trail).unwrap();
        prop_assert_eq!(&from_trail, &state);
    }

    /// `advance` is idempotent and commutes with time: advancing to D1 and then
    /// to D2 gives what advancing to D2 gives, transitions included; advancing
    /// again to D2 changes nothing.
    #[test]
    fn advance_is_idempotent_and_commutes_with_time(
        ladder_index in 0usize..7,
        raised in raise_date(),
        entry in 0usize..8,
        steps in prop::collection::vec((pick(), 0u64..8), 0..10),
        later in 0u64..40,
        more in 0u64..40,
    ) {
        let ladder = &ladders()[ladder_index % ladders().len()];
        let (state, _, _) = walk(ladder, raised, entry, &steps)?;
        let cal = calendar();
        let last = state.last_event_on.unwrap();
        let (d1, d2) = (last + Days::new(later), last + Days::new(later + more));
        let to_d2 = advance(ladder, cal, &state, d2).unwrap();
        let to_d1 = advance(ladder, cal, &state, d1).unwrap();
        let then_d2 = advance(ladder, cal, &to_d1.state, d2).unwrap();
        prop_assert_eq!(&then_d2.state, &to_d2.state);
        let stepwise: Vec<_> = to_d1.transitions.iter().chain(&then_d2.transitions).cloned().collect();
        prop_assert_eq!(stepwise, to_d2.transitions.clone());
        let again = advance(ladder, cal, &to_d2.state, d2).unwrap();
        prop_assert_eq!(&again.state, &to_d2.state);
        prop_assert!(again.transitions.is_empty());
        for t in &to_d2.transitions {
            prop_assert!(t.audit.event.on <= d2);
            check_state(ladder, &t.state, "advance")?;
        }
    }

    /// `wakes_on` (AlertState::wakes_on's property): for a state as the
    /// engine writes it, last changed on day `r` (by an event, or advanced to
    /// it), the status as at every day after `r` and before `wakes_on`
    /// differs from the status of the day before only in its counts of days,
    /// and on `wakes_on` it differs in more; with no `wakes_on`, nothing but
    /// the counts changes over the next 400 days.
    #[test]
    fn status_changes_by_time_alone_first_on_wakes_on(
        ladder_index in 0usize..7,
        raised in raise_date_in_range(),
        entry in 0usize..8,
        steps in prop::collection::vec((pick(), 0u64..8), 0..10),
        ahead in prop_oneof![2 => Just(0u64), 1 => 1u64..30],
    ) {
        let ladder = &ladders()[ladder_index % ladders().len()];
        let (state, _, _) = walk(ladder, raised, entry, &steps)?;
        let cal = calendar();
        // The walk's state was last changed on its last event; or advance it.
        let last = state.last_event_on.unwrap();
        let (state, from) = match ahead {
            0 => (state, last),
            days => {
                let to = last + Days::new(days);
                (advance(ladder, cal, &state, to).unwrap().state.into_owned(), to)
            }
        };
        let without_counts = |day: NaiveDate| {
            without_day_counts(serde_json::to_value(status(ladder, cal, &state, day).unwrap()).unwrap())
        };
        let horizon = from + Days::new(400);
        let until = state.wakes_on.unwrap_or(horizon).min(horizon);
        prop_assert!(state.wakes_on.map_or(true, |wakes| wakes > from), "{:?} not after {}", state.wakes_on, from);
        let mut before = without_counts(from);
        let mut day = from + Days::new(1);
        while day <= until {
            let now = without_counts(day);
            if Some(day) == state.wakes_on {
                prop_assert_ne!(&now, &before, "nothing changed on wakes_on {}", day);
            } else {
                prop_assert_eq!(&now, &before, "the status changed on {} before wakes_on {:?}", day, state.wakes_on);
            }
            before = now;
            day = day + Days::new(1);
        }
    }

    /// `write_applied_json` writes, byte for byte, what serde writes for the
    /// `Applied` of `apply_after_time`: time's transitions (deemed agreements,
    /// automatic escalations) and the event's, whatever the ladder and event.
    #[test]
    fn applied_json_is_serdes_bytes(
        ladder_index in 0usize..7,
        raised in raise_date(),
        entry in 0usize..8,
        steps in prop::collection::vec((pick(), 0u64..8), 0..10),
        next in pick(),
        gap in 0u64..30,
    ) {
        let ladder = &ladders()[ladder_index % ladders().len()];
        let (state, _, _) = walk(ladder, raised, entry, &steps)?;
        let cal = calendar();
        let mut event = concrete(ladder, &state, &next, state.last_event_on.unwrap() + Days::new(gap));
        event.id = Some(format!("evt-{gap}"));
        event.meta = Some(serde_json::json!({"case": "C-1", "note": "a \"quoted\" line\n"})
            .as_object().unwrap().clone());
        let Ok(applied) = apply_after_time(ladder, cal, &state, &event, None) else {
            return Ok(());
        };
        let borrowed = apply_after_time_borrowed(ladder, cal, &state, &event, None).unwrap();
        let mut written = Vec::new();
        write_applied_json(&mut written, &borrowed.by_time, &borrowed.transition).unwrap();
        let expected = serde_json::to_vec(&applied).unwrap();
        prop_assert_eq!(String::from_utf8(written).unwrap(), String::from_utf8(expected).unwrap());
    }

    /// Whatever the event, apply returns a transition or an error: it never panics.
    #[test]
    fn no_event_panics(
        ladder_index in 0usize..7,
        // Mostly dates in the calendar's range, so events reach the engine's rules;
        // sometimes any day chrono can represent.
        day in prop_oneof![4 => 722_000i32..803_000, 1 => any::<i32>()],
        kind in 0usize..12,
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
            8 => EventKind::Step { step: text },
            9 => EventKind::StartDuty { duty: text, due: Some(on) },
            10 => EventKind::CompleteDuty { duty: text },
            _ => EventKind::Withdraw { reason: text },
        };
        let mut state = AlertState::new(&ladder.id);
        if raise_first {
            let raise = Event {
                on: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
                actor: "a".into(),
                id: None,
                meta: None,
                kind: EventKind::Raise { stage: None, category: None, reason: "r".into() },
            };
            state = apply(ladder, cal, &state, &raise).unwrap().state;
        }
        let _ = apply(ladder, cal, &state, &Event { on, actor: "a".into(), id: None, meta: None, kind });
    }
}
