//! The pure transition function and replay.
//!
//! [`apply`] checks what every event must satisfy (schema version, ladder,
//! date order, time not having acted already), hands the event to its handler
//! in [`super::handlers`], and then applies what holds after every event (the
//! ceiling breach, the event count).

use std::sync::Arc;

use super::clock::{advance_for, is_the_time_action, pending_expiry, takes_effect};
use super::error::{EngineError, Refusal};
use super::handlers::{self, Ctx, EXPECTED_AWAITING_DECISION};
use super::types::*;
use crate::calendar::WorkingCalendar;
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
/// stage); [`advance`](super::advance) the state to the event's date first, as [`replay`] does.
///
/// # Properties
///
/// - Without an `extend` event, every response date whose clock started before
///   the ceiling date (on entering the stage, or at the step its window names) is
///   on or before the ceiling date (a window that would end later is capped, with
///   [`Effect::DeadlineCappedAtCeiling`]).
/// - No response date is before the day its stage was entered: a stage entered on
///   or after the ceiling date gets its own full window, and the breach stays
///   flagged.
/// - Replaying the events of an audit trail from [`AlertState::new`] reproduces the
///   state ([`replay`]).
/// - Applying an event whose `id` is among the state's
///   [`recent_event_ids`](AlertState::recent_event_ids) (the last
///   [`RECENT_EVENT_IDS`]) returns the state unchanged, with the one effect
///   [`Effect::AlreadyApplied`]: re-delivery is idempotent. An event without an
///   id is always a new event (the same `escalate` twice moves two stages).
///
/// # Errors
///
/// [`EngineError::Refused`], naming the event, its date, the state and the reason,
/// when the state does not allow the event or the event names something the ladder
/// lacks; [`EngineError::WrongLadder`], [`EngineError::SchemaVersion`],
/// [`EngineError::Calendar`] otherwise.
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
    if state.schema_version > STATE_SCHEMA_VERSION {
        return Err(EngineError::SchemaVersion {
            found: state.schema_version,
            supported: STATE_SCHEMA_VERSION,
        });
    }
    if !Arc::ptr_eq(&state.ladder, &ladder.id) && *state.ladder != *ladder.id {
        return Err(EngineError::WrongLadder {
            state_ladder: state.ladder.to_string(),
            ladder: ladder.id.to_string(),
        });
    }
    // A re-delivered event (an id the state has applied) changes nothing.
    if let Some(id) = event.id.as_deref().filter(|_| state.has_applied(event)) {
        return Ok(Transition {
            state: state.clone(),
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
        });
    }
    check_fingerprints(ladder, calendar, state)?;
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

/// The transition of an event [`apply`] has checked: the handler of its kind,
/// then what holds after every event.
///
/// The handler writes into the transition's own new state, which starts as a
/// copy of the state before (without the stage an escalation leaves).
fn transition<'a>(ctx: &Ctx<'a, '_>) -> Result<Transition<'a>, EngineError> {
    let (ladder, calendar, state, event) = (ctx.ladder, ctx.calendar, ctx.state, ctx.event);
    let on = event.on;
    let mut transition = Transition {
        // An event that enters another stage replaces the current one: it is
        // not copied only to be dropped.
        state: state.successor(match event.kind {
            EventKind::Escalate { .. } => None,
            _ => state.stage.clone(),
        }),
        happened: Happened::default(),
        event,
        stage_before: ctx.current.map(|i| &ladder.stages[i].id),
        calendar: calendar.fingerprint(),
    };
    let (c, n, h) = (ctx, &mut transition.state, &mut transition.happened);
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

    let next = &mut transition.state;
    // An event after the ceiling while the alert was open breaches it.
    if let Some(ceiling) = state.ceiling {
        if open && on > ceiling && !state.breaches.ceiling_breached {
            next.breaches.ceiling_breached = true;
            transition.happened.open_after_ceiling = Some((ceiling, on));
        }
    }
    next.last_event_on = Some(on);
    next.events_applied = state.events_applied.saturating_add(1);
    next.ladder_fingerprint = Some(ladder.fingerprint());
    next.calendar_fingerprint = Some(calendar.fingerprint());
    if let Some(id) = event.id.as_deref() {
        next.recent_event_ids
            .push_within(Arc::from(id), RECENT_EVENT_IDS);
    }
    // The state keeps the ladder's own id, so later events compare pointers.
    if !Arc::ptr_eq(&next.ladder, &ladder.id) {
        next.ladder = ladder.id.clone();
    }
    Ok(transition)
}

/// Refuses a state whose dates were computed on another ladder or calendar.
fn check_fingerprints(
    ladder: &Ladder,
    calendar: &WorkingCalendar,
    state: &AlertState,
) -> Result<(), EngineError> {
    let stale = stale(ladder, calendar, state);
    if stale.ladder {
        return Err(EngineError::LadderChanged {
            recorded: state
                .ladder_fingerprint
                .map(|f| f.to_string())
                .unwrap_or_default(),
            given: ladder.fingerprint().to_string(),
        });
    }
    if stale.calendar {
        return Err(EngineError::CalendarChanged {
            recorded: state
                .calendar_fingerprint
                .map(|f| f.to_string())
                .unwrap_or_default(),
            given: calendar.fingerprint().to_string(),
        });
    }
    Ok(())
}

/// Which of `ladder` and `calendar` differ from those `state` records (a state
/// that records none, not raised or stored before fingerprints, differs from
/// none).
pub(crate) fn stale(ladder: &Ladder, calendar: &WorkingCalendar, state: &AlertState) -> Stale {
    Stale {
        ladder: state
            .ladder_fingerprint
            .is_some_and(|f| f != ladder.fingerprint()),
        calendar: state
            .calendar_fingerprint
            .is_some_and(|f| f != calendar.fingerprint()),
    }
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

/// Replays events from nothing: the state and the audit trail they produce.
///
/// Before each event, time acts up to the event's date ([`advance`](super::advance)), unless the
/// event is itself the action time would take; the transitions time causes are
/// in the trail, dated on the day they took effect, with actor
/// [`TIME_ACTOR`](super::TIME_ACTOR). Time after the last event is not applied:
/// [`advance`](super::advance) the state to the as-of date, as [`status`](super::status) does.
/// A re-delivered event (an id already applied) adds nothing to the trail.
///
/// # Errors
///
/// The first event refused, as [`apply`] gives it.
pub fn replay<'a>(
    ladder: &'a Ladder,
    calendar: &WorkingCalendar,
    events: impl IntoIterator<Item = &'a Event>,
) -> Result<(AlertState, Vec<AuditEntry<'a>>), EngineError> {
    let mut state = AlertState::new(&ladder.id);
    let mut trail = Vec::new();
    for event in events {
        let advanced = advance_for(ladder, calendar, &state, event)?;
        if !advanced.transitions.is_empty() {
            trail.extend(advanced.transitions.into_iter().map(|t| t.audit));
            state = advanced.state.into_owned();
        }
        let transition = apply(ladder, calendar, &state, event)?;
        if transition.is_redelivery() {
            continue;
        }
        trail.push(transition.audit());
        state = transition.state;
    }
    Ok((state, trail))
}

/// Replays an audit trail and checks it was written with the same calendar.
///
/// # Errors
///
/// [`EngineError::CalendarMismatch`] for an entry computed with another calendar;
/// otherwise as [`replay`].
pub fn replay_trail(
    ladder: &Ladder,
    calendar: &WorkingCalendar,
    trail: &[AuditEntry],
) -> Result<AlertState, EngineError> {
    if let Some(entry) = trail.iter().find(|e| e.calendar != calendar.fingerprint()) {
        return Err(EngineError::CalendarMismatch {
            sequence: entry.sequence,
            recorded: entry.calendar.to_string(),
            given: calendar.fingerprint().to_string(),
        });
    }
    replay(ladder, calendar, trail.iter().map(|e| &*e.event)).map(|(state, _)| state)
}

/// What [`apply_after_time`] gives, and what `ladder apply --json` and the
/// HTTP service's apply print: the new state and every transition, time's
/// first, then the event's.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Applied {
    /// The state to store.
    pub state: AlertState,
    /// The transitions in order: what time did up to the event's date, then
    /// the event's own.
    pub transitions: Vec<OwnedTransition>,
}

/// Writes an [`Applied`] as JSON onto `out` from its borrowed parts: the
/// transitions time made (`by_time`) and the event's own `transition`, whose
/// state is the one to store. The bytes are those `serde_json` writes for the
/// owned [`Applied`]; the state is written once and copied where it appears
/// again, and the event's effects are not made owned first, so a service
/// answering one apply after another does about a third less work.
///
/// # Errors
///
/// Those of `serde_json` writing to a `Vec` (none in practice).
///
/// # Example
///
/// A raise on Monday 21 December 2026: the team manager's response is due on
/// Wednesday 30th, after Christmas Day and the Boxing Day substitute.
///
/// ```
/// use chrono::NaiveDate;
/// use escalation_ladder::engine::{apply, write_applied_json, AlertState, Applied, Event, EventKind};
/// use escalation_ladder::{ladder::builtin, Region, WorkingCalendar};
///
/// let ladder = builtin::ladder("iro-dispute-resolution")?;
/// let calendar = WorkingCalendar::new(Region::EnglandAndWales);
/// let raise = Event {
///     on: NaiveDate::from_ymd_opt(2026, 12, 21).unwrap(),
///     actor: "iro".into(),
///     id: None,
///     meta: None,
///     kind: EventKind::Raise {
///         stage: Some("team-manager".into()),
///         category: None,
///         reason: "drift".into(),
///     },
/// };
/// let transition = apply(&ladder, &calendar, &AlertState::new(&ladder.id), &raise)?;
/// let mut out = Vec::new();
/// write_applied_json(&mut out, &[], &transition)?;
/// let applied: Applied = serde_json::from_slice(&out)?;
/// assert_eq!(applied.state.respond_by, NaiveDate::from_ymd_opt(2026, 12, 30));
/// assert_eq!(applied.transitions.len(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_applied_json(
    out: &mut Vec<u8>,
    by_time: &[OwnedTransition],
    transition: &Transition<'_>,
) -> serde_json::Result<()> {
    /// The event's effects as a JSON array, borrowed.
    struct Effects<'t, 'a>(&'t Transition<'a>);
    impl serde::Serialize for Effects<'_, '_> {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.collect_seq(self.0.effects())
        }
    }
    out.extend_from_slice(b"{\"state\":");
    let state_starts = out.len();
    serde_json::to_writer(&mut *out, &transition.state)?;
    let state = state_starts..out.len();
    out.extend_from_slice(b",\"transitions\":[");
    for earlier in by_time {
        serde_json::to_writer(&mut *out, earlier)?;
        out.push(b',');
    }
    // The fields in the order of `OwnedTransition` (and `Transition`'s own
    // serialization); a test compares the bytes with serde's.
    out.extend_from_slice(b"{\"schema_version\":");
    serde_json::to_writer(&mut *out, &crate::version::TRANSITION_SCHEMA_VERSION)?;
    out.extend_from_slice(b",\"state\":");
    out.extend_from_within(state);
    out.extend_from_slice(b",\"effects\":");
    serde_json::to_writer(&mut *out, &Effects(transition))?;
    out.extend_from_slice(b",\"audit\":");
    serde_json::to_writer(&mut *out, &transition.audit())?;
    out.extend_from_slice(b"}]}");
    Ok(())
}

/// Applies an event to a stored alert as a case system does: time acts up to
/// the event's date first ([`advance_for`](super::advance_for)), then the event
/// applies. With `expected`, the event is refused unless the stored state is at
/// that version (its `events_applied` as last read, checked before time acts:
/// [`apply_at_version`]).
///
/// # Errors
///
/// [`EngineError::VersionConflict`] for a state at another version; as
/// [`apply`] otherwise.
///
/// # Example
///
/// ```
/// use escalation_ladder::engine::{apply_after_time, AlertState, Event};
/// use escalation_ladder::{ladder::builtin, Region, WorkingCalendar};
///
/// let ladder = builtin::ladder("iro-dispute-resolution")?;
/// let calendar = WorkingCalendar::new(Region::EnglandAndWales);
/// let raise: Event = serde_json::from_str(
///     r#"{"on":"2026-12-21","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"}"#)?;
/// let applied = apply_after_time(&ladder, &calendar, &AlertState::new(&ladder.id), &raise, Some(0))?;
/// assert_eq!(applied.state.respond_by.unwrap().to_string(), "2026-12-30");
/// assert_eq!(applied.transitions.len(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn apply_after_time(
    ladder: &Ladder,
    calendar: &WorkingCalendar,
    state: &AlertState,
    event: &Event,
    expected: Option<u32>,
) -> Result<Applied, EngineError> {
    let AppliedRef {
        by_time: mut transitions,
        transition,
    } = apply_after_time_borrowed(ladder, calendar, state, event, expected)?;
    let transition = transition.into_owned();
    let state = transition.state.clone();
    transitions.push(transition);
    Ok(Applied { state, transitions })
}

/// What [`apply_after_time_borrowed`] gives: time's transitions, owned, and
/// the event's, borrowing the ladder and the event (its effects spelled out
/// on demand). [`write_applied_json`] writes it as [`Applied`] JSON.
#[derive(Debug)]
pub struct AppliedRef<'a> {
    /// What time did up to the event's date, in order.
    pub by_time: Vec<OwnedTransition>,
    /// The event's own transition; its state is the one to store.
    pub transition: Transition<'a>,
}

/// [`apply_after_time`] without making the event's transition owned: what a
/// service answering one apply after another calls before
/// [`write_applied_json`].
///
/// # Errors
///
/// As [`apply_after_time`].
///
/// # Example
///
/// A raise on Monday 21 December 2026 at the team manager: due Wednesday 30th,
/// after Christmas Day and the Boxing Day substitute.
///
/// ```
/// use escalation_ladder::engine::{apply_after_time_borrowed, AlertState, Event};
/// use escalation_ladder::{ladder::builtin, Region, WorkingCalendar};
///
/// let ladder = builtin::ladder("iro-dispute-resolution")?;
/// let calendar = WorkingCalendar::new(Region::EnglandAndWales);
/// let raise: Event = serde_json::from_str(
///     r#"{"on":"2026-12-21","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"}"#)?;
/// let applied = apply_after_time_borrowed(&ladder, &calendar, &AlertState::new(&ladder.id), &raise, None)?;
/// assert!(applied.by_time.is_empty());
/// assert_eq!(applied.transition.state.respond_by.unwrap().to_string(), "2026-12-30");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn apply_after_time_borrowed<'a>(
    ladder: &'a Ladder,
    calendar: &WorkingCalendar,
    state: &AlertState,
    event: &'a Event,
    expected: Option<u32>,
) -> Result<AppliedRef<'a>, EngineError> {
    if let Some(version) = expected {
        state.check_version(event, version)?;
    }
    let advanced = advance_for(ladder, calendar, state, event)?;
    let transition = apply(ladder, calendar, &advanced.state, event)?;
    Ok(AppliedRef {
        by_time: advanced.transitions,
        transition,
    })
}
