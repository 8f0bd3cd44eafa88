//! Replaying a record's events with the engine into a compact [`Case`].

use std::borrow::Cow;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::engine::{advance, advance_for, apply, AlertState, EngineError};
use crate::input::limits::{check_length, MAX_EVENTS_PER_CASE, MAX_NAME_BYTES};

use super::super::case::{Case, CaseRecord};
use super::super::error::RecordError;
use super::super::intern::Interner;
use super::super::procedures::{LadderEntry, Procedures};
use super::record::RecordView;
use super::visits::Visits;

impl Case {
    /// Replays one record's events: the compact case, or why it was refused.
    ///
    /// # Errors
    ///
    /// [`RecordError::UnknownLadder`], [`RecordError::NoEvents`], or
    /// [`RecordError::Event`] for the first event the engine refuses.
    ///
    /// # Example
    ///
    /// A CP conference concern raised on Thursday 24 December 2026: level 1's two
    /// working days skip Christmas Day and the Boxing Day substitute (Monday 28th).
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use escalation_ladder::report::{Case, CaseRecord, Procedures};
    ///
    /// let procedures = Procedures::builtin()?;
    /// let record: CaseRecord = serde_json::from_str(r#"{"case":"CP-1","ladder":"cp-conference-concerns",
    ///   "events":[{"on":"2026-12-24","actor":"chair","type":"raise","reason":"plan not implemented"}]}"#)?;
    /// let case = Case::from_record(&record, &procedures)?;
    /// assert_eq!(case.visits[0].due_as_set, NaiveDate::from_ymd_opt(2026, 12, 30));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_record(record: &CaseRecord, procedures: &Procedures) -> Result<Case, RecordError> {
        replay_record(
            &RecordView::of(record),
            procedures,
            None,
            &mut Interner::default(),
        )
    }

    /// A case replayed as it stood at the end of `as_of`: events dated later are
    /// not replayed, and time acts up to `as_of` ([`advance`]), so review
    /// decisions nobody answered are deemed agreed.
    ///
    /// # Errors
    ///
    /// As [`Case::from_record`].
    ///
    /// # Example
    ///
    /// Review decisions received by the team manager on Friday 18 December 2026
    /// are deemed agreed on Wednesday 30th, after Christmas:
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use escalation_ladder::engine::Phase;
    /// use escalation_ladder::report::{Case, CaseRecord, Procedures};
    ///
    /// let procedures = Procedures::builtin()?;
    /// let record: CaseRecord = serde_json::from_str(r#"{"case":"LAC-1","ladder":"lac-review-decisions",
    ///   "events":[{"on":"2026-12-14","actor":"iro","type":"raise","reason":"review"},
    ///             {"on":"2026-12-18","actor":"iro","type":"escalate","reason":"decisions sent"}]}"#)?;
    /// let before = Case::from_record_as_of(&record, &procedures, NaiveDate::from_ymd_opt(2026, 12, 29).unwrap())?;
    /// assert_eq!(before.state.phase, Phase::AwaitingResponse);
    /// let after = Case::from_record_as_of(&record, &procedures, NaiveDate::from_ymd_opt(2026, 12, 30).unwrap())?;
    /// assert_eq!(after.state.phase, Phase::DeemedAgreed);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_record_as_of(
        record: &CaseRecord,
        procedures: &Procedures,
        as_of: NaiveDate,
    ) -> Result<Case, RecordError> {
        replay_record(
            &RecordView::of(record),
            procedures,
            Some(as_of),
            &mut Interner::default(),
        )
    }
}

/// Replays a record's events (up to `until`) and builds its compact case.
///
/// Each event goes to the engine as [`replay`](crate::engine::replay) sends
/// it: time acts up to the event's date ([`advance_for`]), then the event
/// applies; a transition the engine calls a re-delivery
/// ([`Transition::is_redelivery`](crate::engine::Transition::is_redelivery))
/// is skipped, the state and the visits unchanged. The visits follow every
/// transition kept ([`Visits`]).
pub(super) fn replay_record(
    record: &RecordView<'_>,
    procedures: &Procedures,
    until: Option<NaiveDate>,
    strings: &mut Interner,
) -> Result<Case, RecordError> {
    replay_record_twice(record, procedures, until, None, strings).map(|(case, _)| case)
}

/// [`replay_record`], and with `earlier` (on or before `until`) the case as
/// it stood at the end of that day too: what a report as at `earlier` reads
/// (the previous period's), from the same replay.
pub(super) fn replay_record_twice(
    record: &RecordView<'_>,
    procedures: &Procedures,
    until: Option<NaiveDate>,
    earlier: Option<NaiveDate>,
    strings: &mut Interner,
) -> Result<(Case, Option<Case>), RecordError> {
    let earlier = earlier.filter(|&e| until.map_or(true, |u| e <= u));
    let entry = checked_entry(record, procedures)?;
    let calendar = procedures.calendar_of(entry);
    let ladder = &entry.ladder;
    let mut state = AlertState::new(&ladder.id);
    let mut visits = Visits::default();
    let count = record.events.len();
    let fail = |index: usize, source: EngineError| RecordError::Event {
        number: index + 1,
        count,
        source: Box::new(source),
    };
    // Every event is replayed, also those after `until`, so that a record
    // counts only if all of it is valid (dates in order and in range, stages
    // that exist, events the engine accepts). The case is taken as it stood at
    // the end of `until`; the later events change nothing in it.
    let mut as_of: Option<(AlertState, Visits)> = None;
    let mut earlier_then: Option<(AlertState, Visits)> = None;
    for (index, event) in record.events.iter().enumerate() {
        if let Some(at) = earlier.filter(|&at| event.on > at && earlier_then.is_none()) {
            // Taken before the cut-off at `until` (a later or the same day)
            // takes the visits.
            let then =
                snapshot(entry, calendar, &state, &visits, at).map_err(|e| fail(index, e))?;
            earlier_then = Some(then);
        }
        if let Some(until) = until.filter(|&until| event.on > until && as_of.is_none()) {
            // The case as it stood at the end of `until`; the check of the
            // later events goes on from the state before time acted, as a
            // replay of the whole record would (a later event may itself be
            // the action time would take).
            let advanced = advance(ladder, calendar, &state, until).map_err(|e| fail(index, e))?;
            let state_then = advanced.state.into_owned();
            for t in &advanced.transitions {
                visits.follow_time(entry, t);
            }
            as_of = Some((state_then, std::mem::take(&mut visits)));
        }
        let advanced = advance_for(ladder, calendar, &state, event).map_err(|e| fail(index, e))?;
        if !advanced.transitions.is_empty() {
            let state_after = advanced.state.into_owned();
            if as_of.is_none() {
                for t in &advanced.transitions {
                    visits.follow_time(entry, t);
                }
            }
            state = state_after;
        }
        let transition = apply(ladder, calendar, &state, event).map_err(|e| fail(index, e))?;
        if transition.is_redelivery() {
            continue;
        }
        if as_of.is_none() {
            visits.follow_event(entry, &transition, event);
        }
        state = transition.state;
    }
    if let (Some(at), None) = (earlier, &earlier_then) {
        // Every event came on or before `earlier` (and so before `until`).
        let then =
            snapshot(entry, calendar, &state, &visits, at).map_err(|e| fail(count - 1, e))?;
        earlier_then = Some(then);
    }
    match (as_of, until) {
        (Some((state_then, visits_then)), _) => {
            state = state_then;
            visits = visits_then;
        }
        (None, Some(until)) => {
            let advanced =
                advance(ladder, calendar, &state, until).map_err(|e| fail(count - 1, e))?;
            // Borrowed: time did nothing, and the state needs no copy.
            if let Cow::Owned(state_after) = advanced.state {
                for t in &advanced.transitions {
                    visits.follow_time(entry, t);
                }
                state = state_after;
            }
        }
        (None, None) => {}
    }
    share_strings(&mut state, entry, strings);
    let case = Case {
        id: Arc::from(record.case),
        child: record.child.map(Arc::from),
        team: record.team.map(|t| strings.intern(t)),
        worker: record.worker.map(|t| strings.intern(t)),
        state,
        visits: visits.into_boxed_slice(),
    };
    let earlier = earlier_then.map(|(mut state, visits)| {
        share_strings(&mut state, entry, strings);
        Case {
            id: Arc::clone(&case.id),
            child: case.child.clone(),
            team: case.team.clone(),
            worker: case.worker.clone(),
            state,
            visits: visits.into_boxed_slice(),
        }
    });
    Ok((case, earlier))
}

/// The case as it stood at the end of `at`, from the state and visits so
/// far (every event up to `at` replayed): time acts up to `at` on a copy.
fn snapshot(
    entry: &LadderEntry,
    calendar: &crate::calendar::WorkingCalendar,
    state: &AlertState,
    visits: &Visits,
    at: NaiveDate,
) -> Result<(AlertState, Visits), EngineError> {
    let advanced = advance(&entry.ladder, calendar, state, at)?;
    let mut visits = visits.clone();
    for t in &advanced.transitions {
        visits.follow_time(entry, t);
    }
    Ok((advanced.state.into_owned(), visits))
}

/// The record's ladder, once its names are within their limits and it has
/// events (but not too many).
fn checked_entry<'p>(
    record: &RecordView<'_>,
    procedures: &'p Procedures,
) -> Result<&'p LadderEntry, RecordError> {
    let names = [
        ("case", Some(record.case)),
        ("ladder", Some(record.ladder)),
        ("child", record.child),
        ("team", record.team),
        ("worker", record.worker),
    ];
    for (field, text) in names {
        if let Some(text) = text {
            check_length(field, text, MAX_NAME_BYTES)
                .map_err(|message| RecordError::TooLong { message })?;
        }
    }
    let entry = procedures
        .entry(record.ladder)
        .ok_or_else(|| RecordError::UnknownLadder {
            ladder: record.ladder.to_string(),
            known: procedures.id_list(),
        })?;
    if record.events.is_empty() {
        return Err(RecordError::NoEvents);
    }
    if record.events.len() > MAX_EVENTS_PER_CASE {
        return Err(RecordError::TooManyEvents {
            count: record.events.len(),
            limit: MAX_EVENTS_PER_CASE,
        });
    }
    Ok(entry)
}

/// Points the state's ids at the ladder's shared copies, and its outcome at the
/// reader's, dropping the copies the engine made.
fn share_strings(state: &mut AlertState, entry: &LadderEntry, strings: &mut Interner) {
    state.ladder = Arc::clone(&entry.id);
    if let Some(stage) = &state.stage {
        state.stage = Some(entry.shared_stage(stage));
    }
    if let Some(shared) = state
        .category
        .as_ref()
        .and_then(|c| entry.shared_category(c))
    {
        state.category = Some(Arc::clone(shared));
    }
    for referral in &mut state.referrals {
        if let Some(shared) = entry.referrals.iter().find(|r| ***r == **referral) {
            *referral = Arc::clone(shared);
        }
    }
    if let Some(outcome) = &state.outcome {
        state.outcome = Some(strings.intern(outcome));
    }
}
