//! The engine's error type.

use chrono::NaiveDate;
use thiserror::Error;

use crate::calendar::CalendarError;
use crate::escape::Escaped;
use crate::ladder::ExpiryAction;

/// Why an event was refused. The state it was applied to is unchanged.
///
/// Displayed as one line: the ids and texts it quotes (from the event, the state
/// or the ladder) are displayed [escaped](crate::escape).
#[derive(Debug, Clone, PartialEq, Eq, Error, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum EngineError {
    /// The event is not allowed in the state, or names something the ladder lacks.
    #[error("event '{event}' on {on} refused in {}: {reason}", Escaped(.state))]
    Refused {
        /// The event's name (`"escalate"`).
        event: &'static str,
        /// The event's date.
        on: NaiveDate,
        /// The state, as "state awaiting-response at stage 'stage-2' of ladder '…'".
        state: String,
        /// Why.
        reason: Refusal,
    },
    /// The state belongs to another ladder.
    #[error("state belongs to ladder '{}', not '{}'", Escaped(.state_ladder), Escaped(.ladder))]
    WrongLadder {
        /// The state's ladder.
        state_ladder: String,
        /// The ladder given.
        ladder: String,
    },
    /// The state was stored by a newer release.
    #[error("state schema version {found} is newer than this release's {supported}")]
    SchemaVersion {
        /// The stored version.
        found: u32,
        /// The newest version this release reads.
        supported: u32,
    },
    /// An audit trail replayed with a calendar other than the one that wrote it.
    #[error("audit entry {sequence} was computed with calendar {}, not {}", Escaped(.recorded), Escaped(.given))]
    CalendarMismatch {
        /// The entry.
        sequence: u32,
        /// Its calendar.
        recorded: String,
        /// The calendar given.
        given: String,
    },
    /// An event's date is outside the calendar's range.
    #[error("event '{event}': \"{field}\": {source}")]
    EventDate {
        /// The event's name (`"respond"`).
        event: &'static str,
        /// The field holding the date (`"on"`).
        field: &'static str,
        /// The calendar's error, naming the date and the range.
        #[source]
        source: CalendarError,
    },
    /// The state's dates were computed on another version of the ladder, or
    /// the state has dates and records no ladder fingerprint (so they may
    /// have been): [`recompute`](super::recompute) it first.
    #[error(
        "state computed on ladder {}, not {given}: recompute it with the ladder given",
        recorded.as_deref().unwrap_or(NOT_RECORDED)
    )]
    LadderChanged {
        /// The fingerprint the state records (`None`: it records none).
        recorded: Option<String>,
        /// The fingerprint of the ladder given.
        given: String,
    },
    /// The state's dates were computed on another calendar (a closure or a
    /// bank holiday added since), or the state has dates and records no
    /// calendar fingerprint (so they may have been):
    /// [`recompute`](super::recompute) it first.
    #[error(
        "state computed on calendar {}, not {given}: recompute it with the calendar given",
        recorded.as_deref().unwrap_or(NOT_RECORDED)
    )]
    CalendarChanged {
        /// The fingerprint the state records (`None`: it records none).
        recorded: Option<String>,
        /// The fingerprint of the calendar given.
        given: String,
    },
    /// The state has applied as many events as it can count
    /// ([`events_applied`](super::AlertState::events_applied) at `u32::MAX`):
    /// no further event, time's own included, can be applied to it. A
    /// re-delivery of an event it applied is still recognised.
    #[error("state has applied {events_applied} events, the most it can count: no further event can be applied to it")]
    EventsExhausted {
        /// The state's count of events applied.
        events_applied: u32,
    },
    /// A [`recompute`](super::recompute) was given an audit trail that does
    /// not reproduce the stored state: another number of entries than the
    /// events it applied, entries out of sequence, or a last entry that
    /// leaves the alert elsewhere.
    #[error("trail of {entries} entries does not reproduce the state (events_applied {events_applied}): {mismatch}")]
    TrailDoesNotMatchState {
        /// How many entries the trail has.
        entries: u64,
        /// The state's count of events applied.
        events_applied: u32,
        /// How they disagree.
        mismatch: TrailMismatch,
    },
    /// The state is not at the version the caller read
    /// ([`apply_at_version`](super::apply_at_version)).
    #[error("version conflict: expected the state at version {expected}, found version {found}")]
    VersionConflict {
        /// The version the caller read.
        expected: u32,
        /// The state's version ([`events_applied`](super::AlertState::events_applied)).
        found: u32,
    },
    /// A status was asked for a date before the alert was raised.
    #[error("as-of date {as_of} is before the alert was raised ({raised_on})")]
    AsOfBeforeRaise {
        /// The date asked for.
        as_of: NaiveDate,
        /// The day the alert was raised.
        raised_on: NaiveDate,
    },
    /// A date computation failed (a date outside the calendar's range).
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    /// A [`correct`](super::correct)ion names an event the trail does not
    /// hold among the caller's events.
    #[error("expected an event of the trail {}, found none", Escaped(.target))]
    NoSuchEvent {
        /// How the correction named it: `with id 'e7'`, `numbered 4`.
        target: String,
    },
    /// A [`correct`](super::correct)ion names an entry time made by itself:
    /// time's transitions are made again from the corrected history, never
    /// corrected one by one.
    #[error("entry {sequence} is time's own ({event} on {on}): time's transitions are made again from the corrected history, not corrected")]
    TimeEntry {
        /// The entry's sequence number.
        sequence: u32,
        /// The event time recorded (`"deem-agreed"`).
        event: &'static str,
        /// Its date.
        on: NaiveDate,
    },
    /// A [`correct`](super::correct)ion adds an event whose id another event
    /// of the history has: replaying would take it for a re-delivery and
    /// drop it.
    #[error("an event with id '{}' is in the history already (entry {sequence}): expected a new id", Escaped(.id))]
    IdInUse {
        /// The id.
        id: String,
        /// The entry that has it.
        sequence: u32,
    },
    /// The corrected history has an event the engine refuses (the first
    /// one): its place among the caller's events of the corrected history,
    /// and the engine's error (whose code this error has).
    #[error("corrected history: event {number} of {count}{}: {source}", if *.corrected { " (the correction's)" } else { "" })]
    CorrectedHistory {
        /// The event's place, from 1.
        number: usize,
        /// How many events the corrected history has.
        count: usize,
        /// Whether it is the event the correction inserted or put in place
        /// of another.
        corrected: bool,
        /// Why the engine refused it.
        source: Box<EngineError>,
    },
}

/// What a fingerprint the state does not record is shown as.
const NOT_RECORDED: &str = "(none recorded)";

/// How an audit trail disagrees with the state it should reproduce
/// ([`EngineError::TrailDoesNotMatchState`]).
#[derive(Debug, Clone, PartialEq, Eq, Error, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum TrailMismatch {
    /// The trail has another number of entries than the state has applied
    /// events (each event applied, time's own included, is one entry).
    #[error("expected one entry per event applied")]
    Count,
    /// An entry's sequence number is not its place in the trail (they run
    /// 1, 2, … in order).
    #[error("entry {entry} has sequence {sequence}, expected {entry}")]
    Sequence {
        /// The entry's place in the trail, from 1.
        entry: u64,
        /// Its sequence number.
        sequence: u32,
    },
    /// The last entry leaves the alert in another phase or at another stage
    /// than the state is.
    #[error(
        "its last entry leaves the alert {} at stage '{}', the state is {} at stage '{}'",
        phase_after,
        Escaped(stage_after.as_deref().unwrap_or("-")),
        phase,
        Escaped(stage.as_deref().unwrap_or("-"))
    )]
    LastEntry {
        /// The phase after the last entry (`"awaiting-response"`).
        phase_after: &'static str,
        /// The stage after the last entry.
        stage_after: Option<String>,
        /// The state's phase.
        phase: &'static str,
        /// The state's stage.
        stage: Option<String>,
    },
}

/// The reason an event was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Refusal {
    /// The event is not one this phase accepts.
    #[error("expected one of: {expected}")]
    NotInThisPhase {
        /// The events the phase accepts.
        expected: &'static str,
    },
    /// The event is dated before the previous event.
    #[error("it is dated before the previous event ({last})")]
    BeforePreviousEvent {
        /// The previous event's date.
        last: NaiveDate,
    },
    /// No stage has this id.
    #[error("expected a stage of this ladder, found '{}'", Escaped(.stage))]
    UnknownStage {
        /// The id given.
        stage: String,
    },
    /// The stage exists but an alert may not start there.
    #[error("stage '{}' is not an entry stage (entry stages: {})", Escaped(.stage), Escaped(.entries))]
    NotAnEntryStage {
        /// The stage.
        stage: String,
        /// The stages where an alert may start.
        entries: String,
    },
    /// No category has this id.
    #[error("expected a category of this ladder, found '{}'", Escaped(.category))]
    UnknownCategory {
        /// The id given.
        category: String,
    },
    /// The current stage has no such outcome.
    #[error("expected an outcome of stage '{}' ({}), found '{}'", Escaped(.stage), Escaped(.expected), Escaped(.outcome))]
    UnknownOutcome {
        /// The stage.
        stage: String,
        /// Its outcomes.
        expected: String,
        /// The outcome given.
        outcome: String,
    },
    /// The ladder has no such referral.
    #[error("expected a referral of this ladder ({}), found '{}'", Escaped(.expected), Escaped(.referral))]
    UnknownReferral {
        /// The ladder's referrals.
        expected: String,
        /// The id given.
        referral: String,
    },
    /// The stage is the top of the ladder.
    #[error("stage '{}' has no next stage", Escaped(.stage))]
    NoNextStage {
        /// The stage.
        stage: String,
    },
    /// The target is neither the next stage nor one the bypass allows.
    #[error("stage '{}' may escalate to {}, not to '{}'", Escaped(.from), Escaped(.allowed), Escaped(.to))]
    NotAllowedTarget {
        /// The current stage.
        from: String,
        /// The allowed targets.
        allowed: String,
        /// The target given.
        to: String,
    },
    /// Deemed agreement on a stage whose ladder does not provide it.
    #[error("stage '{}' does not deem agreement when its window runs out", Escaped(.stage))]
    NoDeemedAgreement {
        /// The stage.
        stage: String,
    },
    /// Deemed agreement before the window ran out.
    #[error("the response is not due until {respond_by}")]
    NotYetDue {
        /// The response date.
        respond_by: NaiveDate,
    },
    /// Extra time to a date no later than the current response date.
    #[error("expected a date after the current response date {respond_by}, found {until}")]
    ExtensionNotLater {
        /// The current response date.
        respond_by: NaiveDate,
        /// The date given.
        until: NaiveDate,
    },
    /// Extra time to a date before the event agreeing it.
    #[error("expected a date on or after the day extra time is agreed, {on}, found {until}")]
    ExtensionInThePast {
        /// The day of the `extend` event.
        on: NaiveDate,
        /// The date given.
        until: NaiveDate,
    },
    /// A stage with outcomes was responded to without one.
    #[error("stage '{}' expects an outcome ({})", Escaped(.stage), Escaped(.expected))]
    OutcomeRequired {
        /// The stage.
        stage: String,
        /// Its outcomes.
        expected: String,
    },
    /// Time already acted on the alert before this event's date: advance the
    /// state ([`advance`](super::advance)) to the event's date first.
    #[error("time acted on {took_effect} ({}): advance the state to the event's date first", action.describe())]
    TimeActed {
        /// The day it took effect.
        took_effect: NaiveDate,
        /// What it did.
        action: ExpiryAction,
    },
    /// The current stage has no such step.
    #[error("expected a step of stage '{}' ({}), found '{}'", Escaped(.stage), Escaped(.expected), Escaped(.step))]
    UnknownStep {
        /// The stage.
        stage: String,
        /// Its steps.
        expected: String,
        /// The step given.
        step: String,
    },
    /// The step was recorded already at this stage.
    #[error("step '{}' was recorded already, on {on}", Escaped(.step))]
    StepAlreadyRecorded {
        /// The step.
        step: String,
        /// When it was recorded.
        on: NaiveDate,
    },
    /// Extra time before the stage's clock has started.
    #[error("the stage's clock starts at step '{}', not recorded yet: there is no response date to extend", Escaped(.step))]
    ClockNotStarted {
        /// The step the clock waits for.
        step: String,
    },
    /// Extra time to a day that is not a working day.
    #[error("expected extra time to end on a working day, found {until}")]
    ExtensionNotAWorkingDay {
        /// The date given.
        until: NaiveDate,
    },
    /// Extra time beyond the stage's maximum.
    #[error("expected a date no later than {limit} (at most {max_working_days} working days at this stage, extra time included), found {until}")]
    ExtensionBeyondLimit {
        /// The stage's maximum in working days.
        max_working_days: u32,
        /// The last day it allows.
        limit: NaiveDate,
        /// The date given.
        until: NaiveDate,
    },
    /// The ladder has no such duty.
    #[error("expected a duty of this ladder ({}), found '{}'", Escaped(.expected), Escaped(.duty))]
    UnknownDuty {
        /// The ladder's duties.
        expected: String,
        /// The id given.
        duty: String,
    },
    /// The duty may not be started from the current stage by an event.
    #[error("duty '{}' may not be started at stage '{}'", Escaped(.duty), Escaped(.stage))]
    DutyNotAvailable {
        /// The duty.
        duty: String,
        /// The current stage.
        stage: String,
    },
    /// The duty is open already.
    #[error("duty '{}' is open already, since {since}", Escaped(.duty))]
    DutyAlreadyOpen {
        /// The duty.
        duty: String,
        /// When it started.
        since: NaiveDate,
    },
    /// The duty is not open.
    #[error("duty '{}' is not open", Escaped(.duty))]
    DutyNotOpen {
        /// The duty.
        duty: String,
    },
    /// An `agreed-date` duty started without its date.
    #[error("duty '{}' needs the agreed date ('due')", Escaped(.duty))]
    AgreedDateRequired {
        /// The duty.
        duty: String,
    },
    /// A date given for a duty whose window sets its own.
    #[error("duty '{}' has a window of unit '{unit}', so it takes no 'due' date", Escaped(.duty))]
    DueDateNotAgreed {
        /// The duty.
        duty: String,
        /// Its window's unit.
        unit: &'static str,
    },
    /// An event with a new id, when the alert already holds as many event
    /// ids as it keeps ([`MAX_EVENT_IDS`](crate::input::limits::MAX_EVENT_IDS)):
    /// a re-delivery of an id it holds is still recognised, and events
    /// without ids are not counted.
    #[error("the alert holds {limit} event ids, the most it keeps (MAX_EVENT_IDS): an event with a new id cannot be applied")]
    EventIdLimit {
        /// The limit.
        limit: usize,
    },
    /// An agreed date before the event agreeing it.
    #[error("expected an agreed date on or after {on}, found {due}")]
    DueInThePast {
        /// The event's date.
        on: NaiveDate,
        /// The date given.
        due: NaiveDate,
    },
}

impl Refusal {
    /// The error's stable code (`refused.…`), as the JSON error document and
    /// [`ErrorDocument`](crate::contract::ErrorDocument) give it; codes are
    /// listed in docs/errors.md and never change meaning.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::NotInThisPhase { .. } => "refused.not-in-this-phase",
            Refusal::BeforePreviousEvent { .. } => "refused.before-previous-event",
            Refusal::UnknownStage { .. } => "refused.unknown-stage",
            Refusal::NotAnEntryStage { .. } => "refused.not-an-entry-stage",
            Refusal::UnknownCategory { .. } => "refused.unknown-category",
            Refusal::UnknownOutcome { .. } => "refused.unknown-outcome",
            Refusal::UnknownReferral { .. } => "refused.unknown-referral",
            Refusal::NoNextStage { .. } => "refused.no-next-stage",
            Refusal::NotAllowedTarget { .. } => "refused.not-allowed-target",
            Refusal::NoDeemedAgreement { .. } => "refused.no-deemed-agreement",
            Refusal::NotYetDue { .. } => "refused.not-yet-due",
            Refusal::ExtensionNotLater { .. } => "refused.extension-not-later",
            Refusal::ExtensionInThePast { .. } => "refused.extension-in-the-past",
            Refusal::OutcomeRequired { .. } => "refused.outcome-required",
            Refusal::TimeActed { .. } => "refused.time-acted",
            Refusal::UnknownStep { .. } => "refused.unknown-step",
            Refusal::StepAlreadyRecorded { .. } => "refused.step-already-recorded",
            Refusal::ClockNotStarted { .. } => "refused.clock-not-started",
            Refusal::ExtensionNotAWorkingDay { .. } => "refused.extension-not-a-working-day",
            Refusal::ExtensionBeyondLimit { .. } => "refused.extension-beyond-limit",
            Refusal::UnknownDuty { .. } => "refused.unknown-duty",
            Refusal::DutyNotAvailable { .. } => "refused.duty-not-available",
            Refusal::DutyAlreadyOpen { .. } => "refused.duty-already-open",
            Refusal::DutyNotOpen { .. } => "refused.duty-not-open",
            Refusal::AgreedDateRequired { .. } => "refused.agreed-date-required",
            Refusal::DueDateNotAgreed { .. } => "refused.due-date-not-agreed",
            Refusal::DueInThePast { .. } => "refused.due-in-the-past",
            Refusal::EventIdLimit { .. } => "refused.event-id-limit",
        }
    }
}

impl EngineError {
    /// The error's stable code (`engine.…`), as the JSON error document and
    /// [`ErrorDocument`](crate::contract::ErrorDocument) give it; codes are
    /// listed in docs/errors.md and never change meaning.
    pub fn code(&self) -> &'static str {
        match self {
            EngineError::Refused { reason, .. } => reason.code(),
            EngineError::WrongLadder { .. } => "state.wrong-ladder",
            EngineError::SchemaVersion { .. } => "state.schema-version",
            EngineError::CalendarMismatch { .. } => "trail.calendar-mismatch",
            EngineError::EventDate { .. } => "event.date-out-of-range",
            EngineError::VersionConflict { .. } => "state.version-conflict",
            EngineError::LadderChanged { .. } => "state.ladder-changed",
            EngineError::EventsExhausted { .. } => "state.events-exhausted",
            EngineError::TrailDoesNotMatchState { .. } => "trail.does-not-match-state",
            EngineError::CalendarChanged { .. } => "state.calendar-changed",
            EngineError::AsOfBeforeRaise { .. } => "status.as-of-before-raise",
            EngineError::Calendar(source) => source.code(),
            EngineError::NoSuchEvent { .. } => "correction.no-such-event",
            EngineError::TimeEntry { .. } => "correction.time-entry",
            EngineError::IdInUse { .. } => "correction.id-in-use",
            EngineError::CorrectedHistory { source, .. } => source.code(),
        }
    }
}
