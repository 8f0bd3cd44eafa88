//! The operations on one stored alert: apply, advance, status, recompute and
//! replay.

use crate::contract::ErrorDocument;
use crate::engine::{
    self, advance as advance_state, apply_after_time_borrowed, AlertState, Applied, AppliedRef,
    AuditEntry, EngineError, Status,
};

use crate::picture::AlertPicture;
use crate::report::{Case, CaseRecord};

use super::answer::{Answer, MediaType, Rebased, Replayed};
use super::request::{
    invalid_value, required_id, ApplyRequest, AsOfRequest, CorrectRequest, RecomputeRequest,
    ReplayRequest,
};
use super::Registry;

fn engine_error(e: EngineError) -> ErrorDocument {
    ErrorDocument::from(&e)
}

/// Applies one event to a stored alert: time acts up to the event's date
/// first (a deemed agreement, an automatic escalation), then the event. The
/// answer borrows the registry's ladder and the request's event; write it
/// with [`write_applied_json`](crate::engine::write_applied_json).
///
/// # Errors
///
/// `ladder.unknown`; a state the engine cannot use (`state.*`); a refused
/// event (`refused.*`); `state.version-conflict` with `expect_version`.
///
/// # Example
///
/// An IRO alert raised with a team manager on Monday 21 December 2026 is due
/// Wednesday 30 December (Christmas Day and the Boxing Day substitute do not
/// count):
///
/// ```
/// use escalation_ladder::ops::{self, ApplyRequest, Registry};
///
/// let registry = Registry::builtin()?;
/// let request: ApplyRequest = serde_json::from_str(r#"{"ladder": "iro-dispute-resolution",
///   "event": {"on": "2026-12-21", "actor": "iro", "type": "raise", "stage": "team-manager", "reason": "drift"}}"#)?;
/// let applied = ops::apply(&registry, &request)?;
/// assert_eq!(applied.transition.state.respond_by.unwrap().to_string(), "2026-12-30");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn apply<'r>(
    registry: &'r Registry,
    request: &'r ApplyRequest,
) -> Result<AppliedRef<'r>, ErrorDocument> {
    let (ladder, calendar) = registry.ladder(required_id("ladder", &request.ladder)?)?;
    let new;
    let state = match &request.state {
        Some(state) => state,
        None => {
            new = AlertState::new(&ladder.id);
            &new
        }
    };
    apply_after_time_borrowed(
        ladder,
        calendar,
        state,
        &request.event,
        request.expect_version,
    )
    .map_err(engine_error)
}

/// Lets time act on a stored alert up to a date: review decisions deemed
/// agreed, automatic escalations, each a transition dated on the day it took
/// effect.
///
/// # Errors
///
/// `ladder.unknown`; a state the engine cannot use; a date out of range.
///
/// # Example
///
/// Review decisions sent to a team manager on Monday 21 December 2026 and not
/// answered are deemed agreed on Thursday 31 December, the first working day
/// after the window:
///
/// ```
/// use escalation_ladder::ops::{self, ApplyRequest, AsOfRequest, Registry};
///
/// let registry = Registry::builtin()?;
/// let raise: ApplyRequest = serde_json::from_str(r#"{"ladder": "lac-review-decisions",
///   "event": {"on": "2026-12-21", "actor": "iro", "type": "raise", "reason": "review"}}"#)?;
/// let state = ops::apply(&registry, &raise)?.transition.state;
/// let sent: ApplyRequest = serde_json::from_value(serde_json::json!({"ladder": "lac-review-decisions",
///   "state": state, "event": {"on": "2026-12-21", "actor": "iro", "type": "escalate", "reason": "sent"}}))?;
/// let state = ops::apply(&registry, &sent)?.transition.state;
/// let request = AsOfRequest {
///     ladder: "lac-review-decisions".into(),
///     state,
///     as_of: "2027-01-04".parse()?,
/// };
/// let advanced = ops::advance(&registry, &request)?;
/// assert_eq!(advanced.transitions.len(), 1);
/// assert_eq!(advanced.transitions[0].audit.event.on.to_string(), "2026-12-31");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn advance(registry: &Registry, request: &AsOfRequest) -> Result<Applied, ErrorDocument> {
    let (ladder, calendar) = registry.ladder(required_id("ladder", &request.ladder)?)?;
    let advanced =
        advance_state(ladder, calendar, &request.state, request.as_of).map_err(engine_error)?;
    Ok(Applied {
        transitions: advanced.transitions,
        state: advanced.state.into_owned(),
    })
}

/// A stored alert's status as at a date, after time has acted: what is due,
/// by whom, and what is breached.
///
/// # Errors
///
/// `ladder.unknown`; a state the engine cannot use; a date out of range or
/// before the raise.
///
/// # Example
///
/// ```
/// use escalation_ladder::ops::{self, ApplyRequest, AsOfRequest, Registry};
///
/// let registry = Registry::builtin()?;
/// let raise: ApplyRequest = serde_json::from_str(r#"{"ladder": "iro-dispute-resolution",
///   "event": {"on": "2026-12-18", "actor": "iro", "type": "raise", "stage": "team-manager", "reason": "drift"}}"#)?;
/// let state = ops::apply(&registry, &raise)?.transition.state;
/// let request = AsOfRequest { ladder: raise.ladder.clone(), state, as_of: "2026-12-24".parse()? };
/// let now = ops::status(&registry, &request)?;
/// assert_eq!(now.next_deadline.unwrap().to_string(), "2026-12-29");
/// assert_eq!(now.working_days_left, Some(1));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn status<'r>(
    registry: &'r Registry,
    request: &AsOfRequest,
) -> Result<Status<'r>, ErrorDocument> {
    let (ladder, calendar) = registry.ladder(required_id("ladder", &request.ladder)?)?;
    engine::status(ladder, calendar, &request.state, request.as_of).map_err(engine_error)
}

/// Re-bases a stored alert on the registry's ladder and calendar (after a
/// closure, a newly proclaimed bank holiday or a new version of the ladder):
/// its audit trail replayed, and what moved.
///
/// # Errors
///
/// `ladder.unknown`; `state.version-conflict` with `expect_version`; a trail
/// that does not reproduce the state; the first event the new ladder or
/// calendar refuses.
///
/// # Example
///
/// See [`engine::recompute`].
pub fn recompute<'r>(
    registry: &'r Registry,
    request: &'r RecomputeRequest,
) -> Result<Rebased<'r>, ErrorDocument> {
    let (ladder, calendar) = registry.ladder(required_id("ladder", &request.ladder)?)?;
    check_version(&request.state, request.expect_version)?;
    engine::recompute_to(
        ladder,
        calendar,
        &request.state,
        &request.trail,
        request.as_of,
    )
    .map(Rebased::from)
    .map_err(engine_error)
}

/// The stored state's version against the one the caller read, if it gives
/// one.
fn check_version(state: &AlertState, expected: Option<u32>) -> Result<(), ErrorDocument> {
    match expected {
        Some(expected) if state.events_applied != expected => {
            Err(engine_error(EngineError::VersionConflict {
                expected,
                found: state.events_applied,
            }))
        }
        _ => Ok(()),
    }
}

/// Corrects a stored alert's history (an event recorded late inserted at
/// its own date, one recorded by mistake voided, or one replaced) and
/// replays it, time's own transitions made again: the corrected state and
/// trail, and what moved ([`engine::correct`]).
///
/// # Errors
///
/// `ladder.unknown`; `state.version-conflict` with `expect_version`;
/// `request.invalid-value` for a correction naming its event by neither or
/// both of `id` and `sequence`; a trail that does not reproduce the state;
/// `correction.*`; the first event of the corrected history refused, with
/// the engine's code and `fields.event_number` (its place among the
/// caller's events, from 1), `event_count` and `corrected` (whether it is
/// the correction's event).
///
/// # Example
///
/// Review decisions sent to the team manager on Monday 21 December 2026,
/// due Wednesday 30th, deemed agreed by time on Thursday 31st; the team
/// manager's "unable to agree" of Tuesday 29th, recorded on 4 January 2027,
/// undoes the deemed agreement ([`engine::correct`] tells why).
///
/// ```
/// use escalation_ladder::engine::Phase;
/// use escalation_ladder::ops::{self, AsOfRequest, CorrectRequest, Registry, ReplayRequest};
/// use serde_json::json;
///
/// let registry = Registry::builtin()?;
/// let sent = ops::replay(&registry, &serde_json::from_value::<ReplayRequest>(json!({
///     "ladder": "lac-review-decisions", "events": [
///     {"on": "2026-12-14", "actor": "iro", "type": "raise", "reason": "review on 14 December"},
///     {"on": "2026-12-21", "actor": "iro", "type": "escalate", "reason": "decisions sent"}]}))?)?;
/// let deemed = ops::advance(&registry, &serde_json::from_value::<AsOfRequest>(json!({
///     "ladder": "lac-review-decisions", "state": sent.state, "as_of": "2027-01-04"}))?)?;
/// let mut trail = serde_json::to_value(&sent.trail)?;
/// for transition in serde_json::to_value(&deemed.transitions)?.as_array().unwrap() {
///     trail.as_array_mut().unwrap().push(transition["audit"].clone());
/// }
/// assert_eq!(deemed.state.phase, Phase::DeemedAgreed);
///
/// let request: CorrectRequest = serde_json::from_value(json!({
///     "ladder": "lac-review-decisions", "state": deemed.state, "trail": trail,
///     "expect_version": 3, "as_of": "2027-01-04",
///     "correction": {"type": "insert", "event":
///         {"on": "2026-12-29", "actor": "tm", "type": "respond", "outcome": "unable-to-agree"}}}))?;
/// let corrected = ops::correct(&registry, &request)?;
/// assert!(corrected.moved);
/// assert_eq!(corrected.state.phase, Phase::Resolved);
/// let days: Vec<String> = corrected.trail.iter().map(|e| e.event.on.to_string()).collect();
/// assert_eq!(days, ["2026-12-14", "2026-12-21", "2026-12-29"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn correct(
    registry: &Registry,
    request: &CorrectRequest,
) -> Result<Rebased<'static>, ErrorDocument> {
    let (ladder, calendar) = registry.ladder(required_id("ladder", &request.ladder)?)?;
    check_version(&request.state, request.expect_version)?;
    let correction = request.correction.to_correction()?;
    let corrected = engine::correct(
        ladder,
        calendar,
        &request.state,
        &request.trail,
        &correction,
        request.as_of,
    )
    .map_err(engine_error)?;
    let mut rebased = Rebased::from(corrected);
    Ok(Rebased {
        trail: rebased
            .trail
            .drain(..)
            .map(AuditEntry::into_owned)
            .collect(),
        moved: rebased.moved,
        state: rebased.state,
        before: rebased.before,
        after: rebased.after,
    })
}

/// Applies events in order to a new alert (each as [`apply`] does: time acts
/// first), then lets time act up to `as_of` (or the last event's date), and
/// gives the state, the trail and the status then (`ladder run`).
///
/// # Errors
///
/// The first event refused, its number (from 1) in `fields.event_number` and
/// its message; `request.invalid-value` for an `as_of` before the last event.
///
/// # Example
///
/// ```
/// use escalation_ladder::ops::{self, Registry, ReplayRequest};
///
/// let registry = Registry::builtin()?;
/// let request: ReplayRequest = serde_json::from_str(r#"{"ladder": "iro-dispute-resolution",
///   "events": [{"on": "2026-12-18", "actor": "iro", "type": "raise", "stage": "team-manager", "reason": "drift"}],
///   "as_of": "2026-12-24"}"#)?;
/// let replayed = ops::replay(&registry, &request)?;
/// assert_eq!(replayed.state.respond_by.unwrap().to_string(), "2026-12-29");
/// assert_eq!(replayed.status.unwrap().working_days_left, Some(1));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn replay<'r>(
    registry: &'r Registry,
    request: &ReplayRequest,
) -> Result<Replayed<'r>, ErrorDocument> {
    let (ladder, calendar) = registry.ladder(required_id("ladder", &request.ladder)?)?;
    let mut state = AlertState::new(&ladder.id);
    let mut trail = Vec::new();
    let count = request.events.len();
    for (index, event) in request.events.iter().enumerate() {
        let applied =
            apply_after_time_borrowed(ladder, calendar, &state, event, None).map_err(|e| {
                let mut doc = engine_error(e);
                doc.message = format!("event {} of {count}: {}", index + 1, doc.message);
                doc.fields.insert("event_number".into(), (index + 1).into());
                doc
            })?;
        trail.extend(applied.by_time.into_iter().map(|t| t.audit));
        if !applied.transition.is_redelivery() {
            trail.push(applied.transition.audit().into_owned());
        }
        state = applied.transition.state;
    }
    let as_of = match (request.as_of, state.last_event_on) {
        (Some(as_of), Some(last)) if as_of < last => {
            return Err(super::request::invalid_value(
                "as_of",
                &format!("expected a date on or after the last event ({last})"),
                &as_of.to_string(),
            ))
        }
        (Some(as_of), _) => Some(as_of),
        (None, last) => last,
    };
    let Some(as_of) = as_of else {
        return Ok(Replayed {
            state,
            trail,
            status: None,
        });
    };
    let advanced = advance_state(ladder, calendar, &state, as_of).map_err(engine_error)?;
    trail.extend(advanced.transitions.into_iter().map(|t| t.audit));
    let state = advanced.state.into_owned();
    let now = engine::status(ladder, calendar, &state, as_of).map_err(engine_error)?;
    Ok(Replayed {
        state,
        trail,
        status: Some(now),
    })
}

/// [`replay`] in the request's format: `json` (the default: the state, the
/// trail and the status), `svg` (the alert as a picture, as at the date:
/// [`picture::alert_svg`](crate::picture::alert_svg)) or `html` (the picture on a page with its stages'
/// dates as a table). What every door answers.
///
/// # Errors
///
/// As [`replay`]; `request.invalid-value` for another format, or a picture
/// of an alert with no events and no date.
///
/// # Example
///
/// See [`picture::alert_svg`](crate::picture::alert_svg).
pub fn replay_as(registry: &Registry, request: &ReplayRequest) -> Result<Answer, ErrorDocument> {
    let format = super::request::picture_format(request.format.as_deref())?;
    let replayed = replay(registry, request)?;
    if format == "json" {
        return Answer::json(&replayed);
    }
    let Some(status) = &replayed.status else {
        return Err(invalid_value(
            "as_of",
            "expected events or a date to draw the alert as at",
            "none",
        ));
    };
    let (ladder, calendar) = registry.ladder(&request.ladder)?;
    let record = CaseRecord {
        schema_version: Default::default(),
        case: "alert".to_string(),
        child: None,
        team: None,
        worker: None,
        ladder: request.ladder.clone(),
        events: request.events.clone(),
        meta: None,
    };
    let case = Case::from_record_as_of(&record, registry.cases(), status.as_of)
        .map_err(|e| ErrorDocument::new(e.code(), e.to_string(), serde_json::Map::new()))?;
    let picture = AlertPicture {
        ladder,
        calendar,
        case: &case,
        trail: &replayed.trail,
        status,
    };
    let svg = crate::picture::alert_svg(&picture);
    Ok(match format {
        "svg" => Answer {
            media_type: MediaType::Svg,
            body: svg.into_bytes(),
        },
        _ => Answer {
            media_type: MediaType::Html,
            body: crate::picture::page(
                &format!(
                    "{} as at {}",
                    ladder.title,
                    status.as_of.format("%-d %B %Y")
                ),
                &svg,
                &["Stage", "Entered", "Due", "Responded", "Left", "How"],
                &crate::picture::alert_rows(ladder, &case),
            )
            .into_bytes(),
        },
    })
}
