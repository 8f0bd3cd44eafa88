//! The pure transition function and the queries built on it.

use std::borrow::Cow;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::error::{EngineError, Refusal};
use super::types::*;
use crate::calendar::{Roll, WorkingCalendar};
use crate::ladder::{ExpiryAction, Ladder, OutcomeNext, Schedule, Stage, WindowUnit};

fn list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let items: Vec<&str> = items.collect();
    if items.is_empty() {
        "none".to_string()
    } else {
        items.join(", ")
    }
}

/// The response date a stage's window gives when the stage is entered on `entered`.
///
/// # Errors
///
/// [`EngineError::Calendar`] when the date falls outside the calendar's range.
pub fn window_end(
    stage: &Stage,
    calendar: &WorkingCalendar,
    entered: NaiveDate,
) -> Result<Option<NaiveDate>, EngineError> {
    let count = stage.window.count.unwrap_or(0);
    let count = i32::try_from(count).unwrap_or(i32::MAX);
    Ok(match stage.window.unit {
        WindowUnit::WorkingDays => Some(calendar.add_working_days(entered, count)?),
        WindowUnit::CalendarDays => {
            Some(calendar.add_calendar_days(entered, count, Roll::Preceding)?)
        }
        WindowUnit::Weeks => Some(calendar.add_weeks(entered, count, Roll::Preceding)?),
        WindowUnit::Immediately => Some(calendar.add_working_days(entered, 0)?),
        WindowUnit::NoneStated => None,
    })
}

/// Moves `next` into stage `index`, entered on `on`, and records it in `happened`.
fn enter_stage<'a>(
    ladder: &'a Ladder,
    calendar: &WorkingCalendar,
    next: &mut AlertState,
    index: usize,
    on: NaiveDate,
    happened: &mut Happened<'a>,
) -> Result<(), EngineError> {
    let stage = &ladder.stages[index];
    let window_ends = window_end(stage, calendar, on)?;
    let (respond_by, capped_from) = match (window_ends, next.ceiling) {
        (Some(end), Some(ceiling)) if end > ceiling => (Some(ceiling), Some(end)),
        _ => (window_ends, None),
    };
    next.phase = Phase::AwaitingResponse;
    next.stage = Some(stage.id.clone());
    next.stage_entered_on = Some(on);
    next.respond_by = respond_by;
    next.responded_on = None;
    next.extended = false;
    happened.entered = Some(Entered {
        stage,
        respond_by,
        capped_from,
    });
    Ok(())
}

fn close(next: &mut AlertState, phase: Phase, happened: &mut Happened<'_>) {
    next.phase = phase;
    happened.closed = Some(phase);
}

/// Applies an event to an alert's state: the new state, its effects and its audit
/// entry, or the reason the event is refused.
///
/// Pure: no clock, no I/O; the same inputs give the same transition on every
/// platform. `state` is never modified: on refusal the caller still holds it as it was.
///
/// # Properties
///
/// - Without an `extend` event, every response date is on or before the ceiling date
///   (a stage window that would end later is capped, with
///   [`Effect::DeadlineCappedAtCeiling`]).
/// - Replaying the events of an audit trail from [`AlertState::new`] reproduces the
///   state ([`replay`]).
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
    calendar.is_working_day(event.on)?;
    let on = event.on;
    let refuse = |reason: Refusal| EngineError::Refused {
        event: event.kind.name(),
        on,
        state: state.to_string(),
        reason,
    };
    if let Some(last) = state.last_event_on {
        if on < last {
            return Err(refuse(Refusal::BeforePreviousEvent { last }));
        }
    }

    let mut next = state.clone();
    let mut happened = Happened::default();
    // A state whose stage this ladder lacks (edited by hand, or from another
    // version of the ladder) is refused rather than guessed at.
    let current = match state.stage.as_deref() {
        None => None,
        Some(id) => Some(ladder.stage_index(id).ok_or_else(|| {
            refuse(Refusal::UnknownStage {
                stage: id.to_string(),
            })
        })?),
    };

    match (&event.kind, state.phase) {
        (
            EventKind::Raise {
                stage,
                category,
                reason: _,
            },
            Phase::NotRaised,
        ) => {
            let index = match stage {
                None => 0,
                Some(id) => {
                    let index = ladder
                        .stage_index(id)
                        .ok_or_else(|| refuse(Refusal::UnknownStage { stage: id.clone() }))?;
                    if !ladder.is_entry_index(index) {
                        return Err(refuse(Refusal::NotAnEntryStage {
                            stage: id.clone(),
                            entries: list(ladder.entry_stages().iter().map(|s| &*s.id)),
                        }));
                    }
                    index
                }
            };
            if let Some(category) = category {
                let known = ladder.category(category).ok_or_else(|| {
                    refuse(Refusal::UnknownCategory {
                        category: category.clone(),
                    })
                })?;
                next.category = Some(known.id.clone());
            }
            next.raised_on = Some(on);
            if let Some(ceiling) = &ladder.ceiling {
                let days = i32::try_from(ceiling.working_days).unwrap_or(i32::MAX);
                let date = calendar.add_working_days(on, days)?;
                next.ceiling = Some(date);
                happened.ceiling_set = Some(date);
            }
            enter_stage(ladder, calendar, &mut next, index, on, &mut happened)?;
        }
        (EventKind::Respond { outcome }, Phase::AwaitingResponse | Phase::AwaitingDecision) => {
            let stage = &ladder.stages[current.unwrap_or(0)];
            let expected = || list(stage.outcomes.iter().map(|o| &*o.id));
            match outcome {
                None if !stage.outcomes.is_empty() => {
                    return Err(refuse(Refusal::OutcomeRequired {
                        stage: stage.id.to_string(),
                        expected: expected(),
                    }));
                }
                None if state.phase == Phase::AwaitingDecision => {
                    return Err(refuse(Refusal::NotInThisPhase {
                        expected: EXPECTED_AWAITING_DECISION,
                    }));
                }
                None => {
                    next.responded_on = Some(on);
                    next.phase = Phase::AwaitingDecision;
                }
                Some(id) => {
                    let chosen =
                        stage
                            .outcomes
                            .iter()
                            .find(|o| *o.id == **id)
                            .ok_or_else(|| {
                                refuse(Refusal::UnknownOutcome {
                                    stage: stage.id.to_string(),
                                    expected: expected(),
                                    outcome: id.clone(),
                                })
                            })?;
                    next.responded_on = Some(on);
                    match &chosen.then {
                        OutcomeNext::Resolve => {
                            next.outcome = Some(chosen.id.clone());
                            close(&mut next, Phase::Resolved, &mut happened);
                        }
                        OutcomeNext::Stage(target) => {
                            let index = ladder.stage_index(target).ok_or_else(|| {
                                refuse(Refusal::UnknownStage {
                                    stage: target.to_string(),
                                })
                            })?;
                            enter_stage(ladder, calendar, &mut next, index, on, &mut happened)?;
                        }
                    }
                }
            }
        }
        (EventKind::Resolve { outcome }, phase) if phase.is_open() => {
            next.outcome = Some(Arc::from(outcome.as_str()));
            close(&mut next, Phase::Resolved, &mut happened);
        }
        (EventKind::Escalate { to, reason: _ }, phase) if phase.is_open() => {
            let stage = &ladder.stages[current.unwrap_or(0)];
            let next_id = stage.next.as_ref().map(|r| &*r.to);
            let target = match (to.as_deref(), next_id) {
                (None, Some(next_id)) => next_id,
                (None, None) => {
                    return Err(refuse(Refusal::NoNextStage {
                        stage: stage.id.to_string(),
                    }))
                }
                (Some(to), _) => {
                    let allowed = || {
                        next_id
                            .into_iter()
                            .chain(stage.bypass.iter().flat_map(|b| b.to.iter().map(|t| &**t)))
                    };
                    // The ladder's own copy of the id, so the lookup below
                    // compares addresses; the list is written out only to refuse.
                    allowed().find(|a| *a == to).ok_or_else(|| {
                        refuse(Refusal::NotAllowedTarget {
                            from: stage.id.to_string(),
                            allowed: list(allowed()),
                            to: to.to_string(),
                        })
                    })?
                }
            };
            let index = ladder.stage_index(target).ok_or_else(|| {
                refuse(Refusal::UnknownStage {
                    stage: target.to_string(),
                })
            })?;
            enter_stage(ladder, calendar, &mut next, index, on, &mut happened)?;
        }
        (EventKind::Extend { until, reason: _ }, Phase::AwaitingResponse) => {
            calendar.is_working_day(*until)?;
            if *until < on {
                return Err(refuse(Refusal::ExtensionInThePast { on, until: *until }));
            }
            if let Some(respond_by) = state.respond_by.filter(|due| *until <= *due) {
                return Err(refuse(Refusal::ExtensionNotLater {
                    respond_by,
                    until: *until,
                }));
            }
            happened.deadline_moved = Some((state.respond_by, *until));
            next.respond_by = Some(*until);
            next.extended = true;
            if let Some(ceiling) = state.ceiling {
                if *until > ceiling {
                    next.breaches.extended_beyond_ceiling = true;
                    happened.extended_beyond = Some(ceiling);
                }
            }
        }
        (EventKind::DeemAgreed, Phase::AwaitingResponse) => {
            let stage = &ladder.stages[current.unwrap_or(0)];
            if stage.on_expiry.action != ExpiryAction::DeemedAgreed {
                return Err(refuse(Refusal::NoDeemedAgreement {
                    stage: stage.id.to_string(),
                }));
            }
            match state.respond_by {
                Some(respond_by) if on > respond_by => {}
                Some(respond_by) => return Err(refuse(Refusal::NotYetDue { respond_by })),
                None => {
                    return Err(refuse(Refusal::NoDeemedAgreement {
                        stage: stage.id.to_string(),
                    }))
                }
            }
            happened.deemed_agreed = Some(&*stage.id);
            close(&mut next, Phase::DeemedAgreed, &mut happened);
        }
        (EventKind::Refer { referral }, phase) if phase.is_open() => {
            let known = ladder.referrals.iter().find(|r| *r.id == **referral);
            let known = known.ok_or_else(|| {
                refuse(Refusal::UnknownReferral {
                    expected: list(ladder.referrals.iter().map(|r| &*r.id)),
                    referral: referral.clone(),
                })
            })?;
            next.referrals.push(known.id.clone());
            happened.referred = Some(&*known.id);
        }
        (
            EventKind::Reopen { reason: _ },
            Phase::Resolved | Phase::DeemedAgreed | Phase::Withdrawn,
        ) => {
            next.outcome = None;
            enter_stage(
                ladder,
                calendar,
                &mut next,
                current.unwrap_or(0),
                on,
                &mut happened,
            )?;
        }
        (EventKind::Withdraw { reason: _ }, phase) if phase.is_open() => {
            close(&mut next, Phase::Withdrawn, &mut happened);
        }
        (_, phase) => {
            return Err(refuse(Refusal::NotInThisPhase {
                expected: match phase {
                    Phase::NotRaised => "raise",
                    Phase::AwaitingResponse => {
                        "respond, resolve, escalate, extend, deem-agreed, refer, withdraw"
                    }
                    Phase::AwaitingDecision => EXPECTED_AWAITING_DECISION,
                    Phase::Resolved | Phase::DeemedAgreed | Phase::Withdrawn => "reopen",
                },
            }));
        }
    }

    // An event after the ceiling while the alert was open breaches it.
    if let Some(ceiling) = state.ceiling {
        if state.phase.is_open() && on > ceiling && !state.breaches.ceiling_breached {
            next.breaches.ceiling_breached = true;
            happened.open_after_ceiling = Some((ceiling, on));
        }
    }
    next.last_event_on = Some(on);
    next.events_applied = state.events_applied.saturating_add(1);
    // The state keeps the ladder's own id, so later events compare pointers.
    if !Arc::ptr_eq(&next.ladder, &ladder.id) {
        next.ladder = ladder.id.clone();
    }
    Ok(Transition {
        state: next,
        happened,
        event,
        stage_before: current.map(|i| &ladder.stages[i].id),
        calendar: calendar.fingerprint(),
    })
}

const EXPECTED_AWAITING_DECISION: &str =
    "respond with an outcome, resolve, escalate, refer, withdraw";

/// Replays events from nothing: the state and the audit trail they produce.
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
        let transition = apply(ladder, calendar, &state, event)?;
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

/// An alert's position as at a date.
///
/// # Errors
///
/// [`EngineError::Calendar`] for an `as_of` outside the calendar's range.
///
/// # Example
///
/// ```
/// use chrono::NaiveDate;
/// use escalation_ladder::engine::{replay, status, Event, EventKind};
/// use escalation_ladder::{ladder::builtin, Region, WorkingCalendar};
///
/// let ladder = builtin::ladder("iro-dispute-resolution")?;
/// let calendar = WorkingCalendar::new(Region::EnglandAndWales);
/// let raise = Event {
///     on: NaiveDate::from_ymd_opt(2026, 12, 18).unwrap(),
///     actor: "iro".into(),
///     kind: EventKind::Raise { stage: Some("team-manager".into()), category: None, reason: "drift".into() },
/// };
/// let (state, _trail) = replay(&ladder, &calendar, [&raise])?;
/// let now = status(&ladder, &calendar, &state, NaiveDate::from_ymd_opt(2026, 12, 31).unwrap())?;
/// assert!(now.overdue);
/// assert_eq!(now.working_days_left, Some(-2));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn status<'l>(
    ladder: &'l Ladder,
    calendar: &WorkingCalendar,
    state: &'l AlertState,
    as_of: NaiveDate,
) -> Result<Status<'l>, EngineError> {
    calendar.is_working_day(as_of)?;
    let stage = state
        .stage
        .as_deref()
        .and_then(|id| ladder.stage_index(id))
        .map(|i| &ladder.stages[i]);
    let open = state.phase.is_open();
    let who_must_act = match (state.phase, stage) {
        (Phase::AwaitingResponse, Some(stage)) => Cow::Borrowed(&stage.responders[..]),
        (Phase::AwaitingDecision, Some(stage)) => {
            Cow::Borrowed(std::slice::from_ref(&stage.raised_by))
        }
        _ => Cow::Borrowed(&[][..]),
    };
    let next_deadline = if state.phase == Phase::AwaitingResponse {
        state.respond_by
    } else {
        None
    };
    let working_days_left = match next_deadline {
        Some(due) => Some(calendar.count_working_days(as_of, due)?),
        None => None,
    };
    let overdue = next_deadline.is_some_and(|due| as_of > due);
    let ceiling_working_days_left = match (open, state.ceiling) {
        (true, Some(ceiling)) => Some(calendar.count_working_days(as_of, ceiling)?),
        _ => None,
    };
    let mut breaches = state.breaches;
    if open && state.ceiling.is_some_and(|c| as_of > c) {
        breaches.ceiling_breached = true;
    }
    let open_until = if open {
        Some(as_of)
    } else {
        state.last_event_on
    };
    let open_working_days = match (state.raised_on, open_until) {
        (Some(raised), Some(until)) => Some(calendar.count_working_days(raised, until)?),
        _ => None,
    };
    let over_open_threshold = open
        && match (&ladder.open_threshold, open_working_days) {
            (Some(threshold), Some(days)) => days > i64::from(threshold.working_days),
            _ => false,
        };
    Ok(Status {
        as_of,
        phase: state.phase,
        stage: state.stage.as_deref().map(Cow::Borrowed),
        who_must_act,
        next_deadline,
        working_days_left,
        overdue,
        on_expiry: stage.filter(|_| overdue).map(|s| s.on_expiry.action),
        ceiling: state.ceiling,
        ceiling_working_days_left,
        breaches,
        open_working_days,
        over_open_threshold,
    })
}

/// One line of a worst-case timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineRow {
    /// The stage.
    pub stage: String,
    /// The day it is entered.
    pub entered: NaiveDate,
    /// Its response date; none where no window applies.
    pub respond_by: Option<NaiveDate>,
}

/// A ladder's worst case: nobody ever responds, and each stage is escalated on the
/// day its response is due (a stage with no window is escalated the day it is
/// entered), along the default path from the first stage.
///
/// Computed by the engine itself, so it shows exactly what [`apply`] would do,
/// response dates capped at the ceiling included. Returns the rows and the ceiling.
///
/// # Errors
///
/// As [`apply`].
///
/// # Example
///
/// Oxfordshire's ladder raised on Monday 21 December 2026:
///
/// ```
/// use chrono::NaiveDate;
/// use escalation_ladder::engine::worst_case_timeline;
/// use escalation_ladder::{ladder::builtin, Region, WorkingCalendar};
///
/// let ladder = builtin::ladder("oxfordshire-resolution-escalation")?;
/// let calendar = WorkingCalendar::new(Region::EnglandAndWales);
/// let raised = NaiveDate::from_ymd_opt(2026, 12, 21).unwrap();
/// let (rows, ceiling) = worst_case_timeline(&ladder, &calendar, raised)?;
/// assert_eq!(rows[0].entered, raised);
/// assert_eq!(ceiling, NaiveDate::from_ymd_opt(2027, 1, 21));
/// assert!(rows.iter().all(|r| r.respond_by <= ceiling));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn worst_case_timeline(
    ladder: &Ladder,
    calendar: &WorkingCalendar,
    raised: NaiveDate,
) -> Result<(Vec<TimelineRow>, Option<NaiveDate>), EngineError> {
    let mut state = AlertState::new(&ladder.id);
    let mut rows = Vec::new();
    let mut event = Event {
        on: raised,
        actor: "worst-case".to_string(),
        kind: EventKind::Raise {
            stage: None,
            category: None,
            reason: "worst case".to_string(),
        },
    };
    // A validated ladder has no cycles; the bound also protects a hand-built one.
    for _ in 0..=ladder.stages.len() {
        state = apply(ladder, calendar, &state, &event)?.state;
        let entered = state.stage_entered_on.unwrap_or(raised);
        rows.push(TimelineRow {
            stage: state.stage.as_deref().unwrap_or_default().to_string(),
            entered,
            respond_by: state.respond_by,
        });
        let has_next = state
            .stage
            .as_deref()
            .and_then(|id| ladder.stage_index(id))
            .is_some_and(|i| ladder.stages[i].next.is_some());
        if !has_next {
            break;
        }
        event = Event {
            on: state.respond_by.unwrap_or(entered),
            actor: "worst-case".to_string(),
            kind: EventKind::Escalate {
                to: None,
                reason: "no response".to_string(),
            },
        };
    }
    Ok((rows, state.ceiling))
}

/// A schedule milestone with its dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MilestoneDate {
    /// The milestone's id.
    pub id: String,
    /// What happens.
    pub name: String,
    /// Its (first) day.
    pub date: NaiveDate,
    /// Its last day, for a milestone that spans days.
    pub until: Option<NaiveDate>,
}

/// The dates of a schedule's milestones from a starting day.
///
/// Day 1 is `start`, or the next working day if `start` is not one; day `k` is
/// `k - 1` working days after day 1.
///
/// # Errors
///
/// [`EngineError::Calendar`] when a date falls outside the calendar's range.
pub fn schedule_dates(
    schedule: &Schedule,
    calendar: &WorkingCalendar,
    start: NaiveDate,
) -> Result<Vec<MilestoneDate>, EngineError> {
    let day_one = calendar.roll(start, Roll::Following)?;
    let day = |k: u32| -> Result<NaiveDate, EngineError> {
        let offset = i32::try_from(k.saturating_sub(1)).unwrap_or(i32::MAX);
        Ok(calendar.add_working_days(day_one, offset)?)
    };
    schedule
        .milestones
        .iter()
        .map(|m| {
            Ok(MilestoneDate {
                id: m.id.clone(),
                name: m.name.clone(),
                date: day(m.day)?,
                until: m.until_day.map(day).transpose()?,
            })
        })
        .collect()
}
