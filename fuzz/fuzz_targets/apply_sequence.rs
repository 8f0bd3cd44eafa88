//! Random event sequences through the engine, on the built-in ladders.
//!
//! The bytes choose a ladder, a raise and a sequence of events built from the
//! ladder's real stage, outcome, step, duty, referral and category ids (and
//! some garbage), dated from 2024 to 2028 and mostly in order. The alert is
//! driven as a case system drives it: time acts up to each event's date
//! (`advance_for`), then the event is applied. Checked:
//!
//! - nothing panics (`advance_for`, `apply`, `status`, `replay`, `replay_trail`);
//! - time acting never fails on dates the calendar covers;
//! - a refused event leaves the state as it was, and says which state;
//! - every state reached has no response date before its stage's entry (and,
//!   without extra time, none after the ceiling for a stage whose clock started
//!   on or before its date); no duty is due before it started;
//! - every state survives its JSON;
//! - replaying the accepted events reproduces the state; so does replaying the
//!   audit trail's events (time's included), and `replay_trail` on the trail.

#![no_main]

use arbitrary::Arbitrary;
use chrono::{Days, NaiveDate};
use escalation_ladder::engine::{
    advance, advance_for, replay, replay_trail, status, AlertState, AuditEntry, EngineError, Event,
    EventKind,
};
use escalation_ladder::ladder::Ladder;
use escalation_ladder_fuzz::{
    apply_checked, calendar_of, check_state, check_state_json, date, ladders,
};
use libfuzzer_sys::fuzz_target;

/// An id: one of the ladder's own (by index into the candidates), none, or
/// garbage.
#[derive(Arbitrary, Debug)]
enum Id {
    Real(u8),
    Absent,
    Garbage(String),
}

#[derive(Arbitrary, Debug)]
enum Pick {
    Raise {
        stage: Id,
        category: Id,
    },
    Respond(Id),
    Escalate(Id),
    Resolve,
    Withdraw,
    Reopen,
    DeemAgreed,
    /// Extra time: this many calendar days from the response date (or the
    /// event's date when there is none).
    Extend(i8),
    Refer(Id),
    Step(Id),
    /// A duty, with an agreed date this many calendar days after the event.
    StartDuty(Id, Option<i8>),
    CompleteDuty(Id),
}

/// The gap to the previous event: mostly forward.
#[derive(Arbitrary, Debug, Clone, Copy)]
enum Gap {
    SameDay,
    Days(u8),
    Weeks(u8),
    Back(u8),
}

#[derive(Arbitrary, Debug)]
struct Input {
    ladder: u8,
    /// Days after 2024-01-01 (modulo five years).
    raised: u16,
    raise_stage: Id,
    raise_category: Id,
    events: Vec<(Gap, Pick)>,
}

/// The id an [`Id`] stands for among `candidates`.
fn resolve(id: &Id, candidates: &[&str]) -> Option<String> {
    match id {
        Id::Real(i) if !candidates.is_empty() => {
            Some(candidates[*i as usize % candidates.len()].to_string())
        }
        Id::Real(_) | Id::Absent => None,
        Id::Garbage(text) => Some(text.clone()),
    }
}

/// The concrete event a pick stands for in this state, on this date.
fn concrete(ladder: &Ladder, state: &AlertState, pick: &Pick, on: NaiveDate) -> Event {
    let stage = state.stage.as_deref().and_then(|id| ladder.stage(id));
    let all_stages: Vec<&str> = ladder.stages.iter().map(|s| &*s.id).collect();
    let kind = match pick {
        Pick::Raise { stage, category } => {
            let categories: Vec<&str> = ladder.categories.iter().map(|c| &*c.id).collect();
            EventKind::Raise {
                stage: resolve(stage, &all_stages),
                category: resolve(category, &categories),
                reason: "fuzz".into(),
            }
        }
        Pick::Respond(id) => {
            let outcomes: Vec<&str> = stage
                .map(|s| s.outcomes.iter().map(|o| &*o.id).collect())
                .unwrap_or_default();
            EventKind::Respond {
                outcome: resolve(id, &outcomes),
            }
        }
        Pick::Escalate(id) => {
            // The stage's own targets first, then every stage (mostly refused).
            let mut targets: Vec<&str> = Vec::new();
            if let Some(stage) = stage {
                targets.extend(stage.next.iter().map(|r| &*r.to));
                targets.extend(stage.bypass.iter().flat_map(|b| b.to.iter().map(|t| &**t)));
            }
            targets.extend(&all_stages);
            EventKind::Escalate {
                to: resolve(id, &targets),
                reason: "fuzz".into(),
            }
        }
        Pick::Resolve => EventKind::Resolve {
            outcome: "fuzz".into(),
        },
        Pick::Withdraw => EventKind::Withdraw {
            reason: "fuzz".into(),
        },
        Pick::Reopen => EventKind::Reopen {
            reason: "fuzz".into(),
        },
        Pick::DeemAgreed => EventKind::DeemAgreed,
        Pick::Extend(days) => {
            let from = state.respond_by.unwrap_or(on);
            EventKind::Extend {
                until: shift(from, i64::from(*days)),
                reason: "fuzz".into(),
            }
        }
        Pick::Refer(id) => {
            let referrals: Vec<&str> = ladder.referrals.iter().map(|r| &*r.id).collect();
            EventKind::Refer {
                referral: resolve(id, &referrals).unwrap_or_default(),
            }
        }
        Pick::Step(id) => {
            // The stage's steps first, then every stage's.
            let mut steps: Vec<&str> = Vec::new();
            steps.extend(stage.iter().flat_map(|s| s.steps.iter().map(|t| &*t.id)));
            steps.extend(
                ladder
                    .stages
                    .iter()
                    .flat_map(|s| s.steps.iter().map(|t| &*t.id)),
            );
            EventKind::Step {
                step: resolve(id, &steps).unwrap_or_default(),
            }
        }
        Pick::StartDuty(id, due) => {
            let duties: Vec<&str> = ladder.duties.iter().map(|d| &*d.id).collect();
            EventKind::StartDuty {
                duty: resolve(id, &duties).unwrap_or_default(),
                due: due.map(|days| shift(on, i64::from(days))),
            }
        }
        Pick::CompleteDuty(id) => {
            let duties: Vec<&str> = ladder.duties.iter().map(|d| &*d.id).collect();
            EventKind::CompleteDuty {
                duty: resolve(id, &duties).unwrap_or_default(),
            }
        }
    };
    Event {
        on,
        actor: "fuzz".into(),
        id: None,
        meta: None,
        kind,
    }
}

/// `day` moved by `days` calendar days (either way).
fn shift(day: NaiveDate, days: i64) -> NaiveDate {
    if days >= 0 {
        day + Days::new(days as u64)
    } else {
        day - Days::new(days.unsigned_abs())
    }
}

fuzz_target!(|input: Input| {
    let ladder = &ladders()[input.ladder as usize % ladders().len()];
    let calendar = calendar_of(ladder);
    let mut on = date(2024, 1, 1) + Days::new(u64::from(input.raised % 1827));

    let raise = Pick::Raise {
        stage: input.raise_stage,
        category: input.raise_category,
    };
    let picks = std::iter::once((Gap::SameDay, &raise))
        .chain(input.events.iter().take(64).map(|(g, p)| (*g, p)));

    let mut state = AlertState::new(&ladder.id);
    // The events the case system sent that were accepted; the audit trail's
    // events (time's included); the audit trail itself.
    let mut accepted: Vec<Event> = Vec::new();
    let mut trail_events: Vec<Event> = Vec::new();
    let mut trail: Vec<AuditEntry<'static>> = Vec::new();
    for (gap, pick) in picks {
        on = match gap {
            Gap::SameDay => on,
            Gap::Days(n) => on + Days::new(u64::from(n % 8)),
            Gap::Weeks(n) => on + Days::new(7 * u64::from(n % 8)),
            Gap::Back(n) => on - Days::new(1 + u64::from(n % 4)),
        };
        let event = concrete(ladder, &state, pick, on);
        let advanced = advance_for(ladder, calendar, &state, &event)
            .unwrap_or_else(|e| panic!("time could not act up to {on}: {e}"));
        for t in &advanced.transitions {
            check_state(ladder, &t.state, "time");
            trail_events.push(t.audit.event.clone().into_owned());
            trail.push(t.audit.clone());
        }
        let advanced = advanced.state.into_owned();
        match apply_checked(ladder, calendar, &advanced, &event) {
            Ok(t) => {
                check_state(ladder, &t.state, event.kind.name());
                trail.push(t.audit().into_owned());
                state = t.state;
                accepted.push(event.clone());
                trail_events.push(event);
            }
            // Time's transitions stand, whatever happened to the event.
            Err(_) => state = advanced,
        }
        check_state_json(&state);
        // A status as at any day from the raise on is given; before the raise
        // it is refused by name.
        match status(ladder, calendar, &state, on) {
            Ok(_) => {}
            Err(EngineError::AsOfBeforeRaise { raised_on, .. })
                if state.raised_on == Some(raised_on) && on < raised_on => {}
            Err(e) => panic!("no status as at {on}: {e}"),
        }
    }

    // Replaying the accepted events gives the state (time after the last
    // accepted event is applied up to the last day the walk reached).
    let (replayed, _) = replay(ladder, calendar, &accepted).expect("accepted events replay");
    let replayed = match state.last_event_on {
        Some(last) => advance(ladder, calendar, &replayed, last)
            .expect("time acts")
            .state
            .into_owned(),
        None => replayed,
    };
    assert_eq!(replayed, state, "replaying the accepted events");
    let (from_trail, _) = replay(ladder, calendar, &trail_events).expect("the trail replays");
    assert_eq!(from_trail, state, "replaying the audit trail's events");
    let from_audit = replay_trail(ladder, calendar, &trail).expect("replay_trail");
    assert_eq!(from_audit, state, "replay_trail");
});
