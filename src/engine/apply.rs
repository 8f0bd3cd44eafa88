//! The pure transition function: one event, one transition.
//!
//! [`apply`] checks what every event must satisfy (the state's own checks,
//! [`super::check`]; a re-delivery; the event count; date order; time not
//! having acted already), hands the event to its handler in
//! [`super::handlers`], and then applies what holds after every event (the
//! ceiling breach, the event count, the fingerprints).

use std::sync::Arc;

use super::check::{check_state, refuse_stale};
use super::clock::{current_stage, is_the_time_action, pending_expiry, takes_effect, wakes_after};
use super::error::{EngineError, Refusal};
use super::handlers::{self, Ctx, EXPECTED_AWAITING_DECISION};
use super::types::*;
use crate::calendar::WorkingCalendar;
use crate::input::limits::MAX_EVENT_IDS;
use crate::ladder::Ladder;

/// Applies an event to an alert's state: the new state, its effects and its audit
/// entry, or the reason the event is refused.
///
/// Pure: no clock, no I/O; the same inputs give the same transition on every
/// platform. `state` is never modified: on refusal the caller still holds it as it was.
///
/// Time does not act inside `apply`: when a window that acts by itself ran out
/// before the event's date, the event is refused with [`Refusal::TimeActed`]
/// unless it is that very action (`deem-agreed`, or `escalate` to the next
/// stage); [`advance`](super::advance) the state to the event's date first, as [`replay`](super::replay) does.
///
/// # Properties
///
/// - Without an `extend` event, every response date whose clock started on or
///   before the ceiling date (on entering the stage, or at the step its window
///   names) is on or before the ceiling date (a window that would end later is
///   capped, with [`Effect::DeadlineCappedAtCeiling`]): a stage entered on the
///   ceiling date is due that day.
/// - No response date is before the day its stage was entered: a stage entered
///   after the ceiling date gets its own full window, and the breach stays
///   flagged.
/// - Replaying the events of an audit trail from [`AlertState::new`] reproduces the
///   state ([`replay`](super::replay)).
/// - Applying an event whose `id` is among the state's
///   [`event_ids`](AlertState::event_ids) (every id it applied, however far
///   back) returns the state unchanged, with the one effect
///   [`Effect::AlreadyApplied`]: re-delivery is idempotent. An event without an
///   id is always a new event (the same `escalate` twice moves two stages).
/// - An event with a new id is refused once the state holds
///   [`MAX_EVENT_IDS`] ids ([`Refusal::EventIdLimit`]); events without ids
///   are not counted.
///
/// # Errors
///
/// [`EngineError::Refused`], naming the event, its date, the state and the reason,
/// when the state does not allow the event or the event names something the ladder
/// lacks (a new id past [`MAX_EVENT_IDS`] included). The state's own checks
/// ([`check_state`](super::check_state)): [`EngineError::SchemaVersion`],
/// [`EngineError::WrongLadder`], and [`EngineError::LadderChanged`] or
/// [`EngineError::CalendarChanged`] for a state computed on another ladder or
/// calendar, or that has dates and records no fingerprint (a re-delivery is
/// recognised first). [`EngineError::EventsExhausted`] for a state that has
/// applied `u32::MAX` events; [`EngineError::EventDate`] and
/// [`EngineError::Calendar`] for dates outside the calendar's range.
///
/// # Example
///
/// An IRO alert raised at the team-manager stage on Friday 18 December 2026:
///
/// ```
/// use chrono::NaiveDate;
/// use escalation_ladder::engine::{apply, AlertState, Event, EventKind};
/// use escalation_ladder::{ladder::builtin, Region, WorkingCalendar};
///
/// let ladder = builtin::ladder("iro-dispute-resolution")?;
/// let calendar = WorkingCalendar::new(Region::EnglandAndWales);
/// let raise = Event {
///     on: NaiveDate::from_ymd_opt(2026, 12, 18).unwrap(),
///     actor: "iro".into(),
///     id: None,
///     meta: None,
///     kind: EventKind::Raise {
///         stage: Some("team-manager".into()),
///         category: None,
///         reason: "care plan changed without consulting the IRO".into(),
///     },
/// };
/// let transition = apply(&ladder, &calendar, &AlertState::new(&ladder.id), &raise)?;
/// // Christmas Day and the Boxing Day substitute (28 December) are skipped.
/// assert_eq!(transition.state.respond_by, NaiveDate::from_ymd_opt(2026, 12, 29));
/// // 20 working days from the 18th: the ceiling.
/// assert_eq!(transition.state.ceiling, NaiveDate::from_ymd_opt(2027, 1, 20));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn apply<'a>(
    ladder: &'a Ladder,
    calendar: &WorkingCalendar,
    state: &AlertState,
    event: &'a Event,
) -> Result<Transition<'a>, EngineError> {
    let stale = check_state(ladder, calendar, state)?;
    // A re-delivered event (an id the state has applied) changes nothing.
    if let Some(id) = event.id.as_deref().filter(|_| state.has_applied(event)) {
        return Ok(redelivery(ladder, calendar, state, event, id));
    }
    refuse_stale(stale, ladder, calendar, state)?;
    if state.events_applied == u32::MAX {
        return Err(EngineError::EventsExhausted {
            events_applied: state.events_applied,
        });
    }
    calendar
        .is_working_day(event.on)
        .map_err(|source| EngineError::EventDate {
            event: event.kind.name(),
            field: "on",
            source,
        })?;
    let on = event.on;
    let mut ctx = Ctx {
        ladder,
        calendar,
        state,
        event,
        current: None,
    };
    if event.id.is_some() && state.event_ids.len() >= MAX_EVENT_IDS {
        return Err(ctx.refuse(Refusal::EventIdLimit {
            limit: MAX_EVENT_IDS,
        }));
    }
    if let Some(last) = state.last_event_on {
        if on < last {
            return Err(ctx.refuse(Refusal::BeforePreviousEvent { last }));
        }
    }
    // A state whose stage this ladder lacks (edited by hand, or from another
    // version of the ladder) is refused rather than guessed at.
    ctx.current = match state.stage.as_deref() {
        None => None,
        Some(id) => Some(ladder.stage_index(id).ok_or_else(|| {
            ctx.refuse(Refusal::UnknownStage {
                stage: id.to_string(),
            })
        })?),
    };
    let stage = ctx.current.map(|i| &ladder.stages[i]);
    if let Some((respond_by, action)) = pending_expiry(stage, state) {
        let took_effect = takes_effect(calendar, respond_by)?;
        let stage = &ladder.stages[ctx.current.unwrap_or(0)];
        if on >= took_effect && !is_the_time_action(&event.kind, action, stage) {
            return Err(ctx.refuse(Refusal::TimeActed {
                took_effect,
                action,
            }));
        }
    }

    transition(&ctx)
}

/// The transition of a re-delivered event: the state as it was (written in
/// this release's shape), with the one effect [`Effect::AlreadyApplied`].
fn redelivery<'a>(
    ladder: &'a Ladder,
    calendar: &WorkingCalendar,
    state: &AlertState,
    event: &'a Event,
    id: &'a str,
) -> Transition<'a> {
    let mut same = state.clone();
    same.schema_version = STATE_SCHEMA_VERSION;
    // Written in this release's shape: a state stored before `wakes_on`
    // gets it, counted from its last event.
    if let (None, Some(last)) = (same.wakes_on, same.last_event_on) {
        same.wakes_on = wakes_after(
            ladder,
            || current_stage(ladder, state),
            calendar,
            state,
            last,
        );
    }
    Transition {
        state: same,
        happened: Happened {
            rare: Rare::AlreadyApplied(id),
            ..Happened::default()
        },
        event,
        stage_before: state
            .stage
            .as_deref()
            .and_then(|stage| ladder.stage_index(stage))
            .map(|i| &ladder.stages[i].id),
        calendar: calendar.fingerprint(),
    }
}

/// The transition of an event [`apply`] has checked: the handler of its kind,
/// then what holds after every event.
///
/// The handler writes into the transition's own new state, which starts as a
/// copy of the state before (without the stage an escalation leaves).
fn transition<'a>(ctx: &Ctx<'a, '_>) -> Result<Transition<'a>, EngineError> {
    let (ladder, calendar, state, event) = (ctx.ladder, ctx.calendar, ctx.state, ctx.event);
    let on = event.on;
    // The new state and what happened are built where they are, and moved
    // into the transition once, at the end (a transition built first and
    // returned after cost a copy of the state and one of the whole).
    //
    // An event that enters another stage replaces the current one: it is
    // not copied only to be dropped.
    let mut next = state.successor(match event.kind {
        EventKind::Escalate { .. } => None,
        _ => state.stage.clone(),
    });
    let mut happened = Happened::default();
    let (c, n, h) = (ctx, &mut next, &mut happened);
    let open = state.phase.is_open();
    let handled = match (&event.kind, state.phase) {
        (EventKind::Raise {
            stage, category, ..
        }, Phase::NotRaised) => handlers::raise(c, n, h, stage.as_deref(), category.as_deref()),
        (EventKind::Respond { outcome }, _) if open || state.phase == Phase::DeemedAgreed => {
            handlers::respond(c, n, h, outcome.as_deref())
        }
        (EventKind::Resolve { outcome }, _) if open => handlers::resolve(c, n, h, outcome),
        (EventKind::Escalate { to, .. }, _) if open => handlers::escalate(c, n, h, to.as_deref()),
        (EventKind::Extend { until, .. }, Phase::AwaitingResponse) => {
            handlers::extend(c, n, h, *until)
        }
        (EventKind::DeemAgreed, Phase::AwaitingResponse) => handlers::deem_agreed(c, n, h),
        (EventKind::Refer { referral }, _) if open => handlers::refer(c, n, h, referral),
        (EventKind::Reopen { .. }, Phase::Resolved | Phase::DeemedAgreed | Phase::Withdrawn) => {
            handlers::reopen(c, n, h)
        }
        (EventKind::Withdraw { .. }, _) if open => handlers::withdraw(c, n, h),
        (EventKind::Step { step }, _) if open => handlers::step(c, n, h, step),
        (EventKind::StartDuty { duty, due }, _) if open => {
            handlers::start_duty(c, n, h, duty, *due)
        }
        (EventKind::CompleteDuty { duty }, phase) if phase != Phase::NotRaised => {
            handlers::complete_duty(c, n, h, duty)
        }
        (_, phase) => Err(ctx.refuse(Refusal::NotInThisPhase {
            expected: match phase {
                Phase::NotRaised => "raise",
                Phase::AwaitingResponse => {
                    "respond, resolve, escalate, extend, deem-agreed, refer, withdraw, step, start-duty, complete-duty"
                }
                Phase::AwaitingDecision => EXPECTED_AWAITING_DECISION,
                Phase::DeemedAgreed => "reopen, respond (recorded as late), complete-duty",
                Phase::Resolved | Phase::Withdrawn => "reopen, complete-duty",
            },
        })),
    };
    handled?;

    // An event after the ceiling while the alert was open breaches it.
    if let Some(ceiling) = state.ceiling {
        if open && on > ceiling && !state.breaches.ceiling_breached {
            next.breaches.ceiling_breached = true;
            happened.open_after_ceiling = Some((ceiling, on));
        }
    }
    next.last_event_on = Some(on);
    // `apply` refused a state at `u32::MAX`.
    next.events_applied = state.events_applied + 1;
    next.ladder_fingerprint = Some(ladder.fingerprint());
    next.calendar_fingerprint = Some(calendar.fingerprint());
    if let Some(id) = event.id.as_deref() {
        // `apply` refused a new id past the limit.
        next.event_ids.push(id);
    }
    // The state keeps the ladder's own id, so later events compare pointers.
    if !Arc::ptr_eq(&next.ladder, &ladder.id) {
        next.ladder = ladder.id.clone();
    }
    // When the status next changes by time alone, counted from the event.
    next.wakes_on = wakes_after(ladder, || current_stage(ladder, &next), calendar, &next, on);
    Ok(Transition {
        state: next,
        happened,
        event,
        stage_before: ctx.current.map(|i| &ladder.stages[i].id),
        calendar: calendar.fingerprint(),
    })
}

/// [`apply`], refused unless the state is at the version the caller last
/// read: optimistic concurrency for a case system whose workers may apply
/// events to the same stored alert at once. The version is
/// [`AlertState::events_applied`].
///
/// A re-delivery (an event whose `id` the state has applied) is recognised
/// before the version is compared, so retrying an event after a lost answer
/// gives the re-delivery, not a conflict.
///
/// # Errors
///
/// [`EngineError::VersionConflict`] when the state has moved on (or is behind);
/// those of [`apply`] otherwise.
///
/// # Example
///
/// Two workers read the same alert, raised on Thursday 24 December 2026; the
/// first to apply wins, the second is told the state has moved on:
///
/// ```
/// use escalation_ladder::engine::{apply, apply_at_version, AlertState, EngineError, Event};
/// use escalation_ladder::{ladder::builtin, Region, WorkingCalendar};
///
/// let ladder = builtin::ladder("iro-dispute-resolution")?;
/// let calendar = WorkingCalendar::new(Region::EnglandAndWales);
/// let raise: Event = serde_json::from_str(
///     r#"{"on":"2026-12-24","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"}"#)?;
/// let stored = apply(&ladder, &calendar, &AlertState::new(&ladder.id), &raise)?.state;
/// let read_by_both = stored.events_applied;
/// let respond: Event = serde_json::from_str(r#"{"on":"2026-12-29","actor":"tm","type":"respond"}"#)?;
/// let stored = apply_at_version(&ladder, &calendar, &stored, &respond, read_by_both)?.state;
/// let escalate: Event = serde_json::from_str(
///     r#"{"on":"2026-12-29","actor":"iro","type":"escalate","reason":"no answer"}"#)?;
/// let err = apply_at_version(&ladder, &calendar, &stored, &escalate, read_by_both).unwrap_err();
/// assert_eq!(err, EngineError::VersionConflict { expected: 1, found: 2 });
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn apply_at_version<'a>(
    ladder: &'a Ladder,
    calendar: &WorkingCalendar,
    state: &AlertState,
    event: &'a Event,
    expected: u32,
) -> Result<Transition<'a>, EngineError> {
    state.check_version(event, expected)?;
    apply(ladder, calendar, state, event)
}
