//! The engine's data: events, state, effects, audit entries and status.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::ids::EventIds;
use super::list::ThinList;
use crate::calendar::Fingerprint;
use crate::ladder::{
    Duty, ExpiryAction, LadderFingerprint, Outcome, Record, Referral, Stage, StageStep, WindowUnit,
};
use crate::version::{SchemaVersion, STATUS_SCHEMA_VERSION, TRANSITION_SCHEMA_VERSION};

/// The version of [`AlertState`]'s stored form that this release writes.
///
/// States stored without a version (written before versioning) load as version 1.
/// Version 2 added the steps recorded at the current stage, the duties beside the
/// ladder and the open threshold's clock; a version 1 state loads with none of them.
/// Version 3 added the recent event ids (the last 32); an earlier state loads with
/// none. Version 4 keeps every event id applied ([`AlertState::event_ids`], up to
/// [`MAX_EVENT_IDS`](super::MAX_EVENT_IDS)) instead of the last 32, under the new name `event_ids`; a
/// version 3 state's `recent_event_ids` load as its `event_ids`.
pub const STATE_SCHEMA_VERSION: u16 = 4;

/// Something that happened to an alert: what, when, and who did it.
///
/// Events carry their own date: the engine never reads a clock.
///
/// # Example
///
/// An event as a case system stores it (JSON):
///
/// ```
/// use escalation_ladder::engine::{Event, EventKind};
///
/// let json = r#"{"on": "2026-12-21", "actor": "iro-jones", "type": "raise",
///                "category": "significant-drift", "reason": "no permanence plan"}"#;
/// let event: Event = serde_json::from_str(json)?;
/// assert!(matches!(event.kind, EventKind::Raise { .. }));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// The UK date on which it happened (see
    /// [`WorkingCalendar::receipt_date`](crate::WorkingCalendar::receipt_date) to get it
    /// from an instant).
    pub on: NaiveDate,
    /// Who did it (a user id or role id: the engine records it, it does not check it).
    pub actor: String,
    /// The caller's id for the event, if it gives one: an event whose id the
    /// state has already applied is not applied again (idempotent
    /// re-delivery; see [`apply`](super::apply)). Without an id, every
    /// delivery is a new event.
    pub id: Option<String>,
    /// The caller's own data, kept with the event in the audit trail and never
    /// interpreted.
    pub meta: Option<serde_json::Map<String, serde_json::Value>>,
    /// What happened.
    pub kind: EventKind,
}

/// What happened to an alert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum EventKind {
    /// The alert is raised, at the ladder's first stage or at another entry stage.
    Raise {
        /// The entry stage; the first stage if absent.
        #[serde(default)]
        stage: Option<String>,
        /// The category of concern, one of the ladder's categories.
        #[serde(default)]
        category: Option<String>,
        /// Why the alert is raised.
        reason: String,
    },
    /// The responder at the current stage responded; with an `outcome`, one of the
    /// stage's branch outcomes, which routes the alert.
    Respond {
        /// The branch outcome, if the stage has outcomes.
        #[serde(default)]
        outcome: Option<String>,
    },
    /// The alert is resolved.
    Resolve {
        /// The outcome, in words.
        outcome: String,
    },
    /// The alert moves up: to the next stage, or to a later stage the current
    /// stage's bypass allows.
    Escalate {
        /// The target stage; the next stage if absent.
        #[serde(default)]
        to: Option<String>,
        /// Why (for a bypass, how its condition was met).
        reason: String,
    },
    /// Extra time agreed for the current stage's response.
    Extend {
        /// The new response date. A date beyond the ceiling is allowed and flagged.
        #[serde(serialize_with = "crate::input::write::date")]
        until: NaiveDate,
        /// Why, and who agreed it.
        reason: String,
    },
    /// The current stage's window has run out and the ladder says the other side is
    /// deemed to agree.
    DeemAgreed,
    /// A referral the ladder allows at any stage (e.g. to Cafcass).
    Refer {
        /// The referral's id.
        referral: String,
    },
    /// A closed alert is opened again at the stage where it closed.
    Reopen {
        /// Why.
        reason: String,
    },
    /// The raiser withdraws the alert.
    Withdraw {
        /// Why.
        reason: String,
    },
    /// A named step of the current stage happened (the follow-up report was
    /// sent); a window whose clock starts at the step starts today.
    Step {
        /// The step's id, one of the current stage's steps.
        step: String,
    },
    /// A duty beside the ladder starts (emergency action, at any open stage).
    StartDuty {
        /// The duty's id.
        duty: String,
        /// The agreed date, for a duty whose window is `agreed-date` (the action
        /// plan's review date); refused for any other.
        #[serde(default)]
        #[serde(serialize_with = "crate::input::write::optional")]
        due: Option<NaiveDate>,
    },
    /// A duty beside the ladder is done.
    CompleteDuty {
        /// The duty's id.
        duty: String,
    },
}

impl EventKind {
    /// The event's name as it appears in JSON and in messages (`"escalate"`).
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::Raise { .. } => "raise",
            EventKind::Respond { .. } => "respond",
            EventKind::Resolve { .. } => "resolve",
            EventKind::Escalate { .. } => "escalate",
            EventKind::Extend { .. } => "extend",
            EventKind::DeemAgreed => "deem-agreed",
            EventKind::Refer { .. } => "refer",
            EventKind::Reopen { .. } => "reopen",
            EventKind::Withdraw { .. } => "withdraw",
            EventKind::Step { .. } => "step",
            EventKind::StartDuty { .. } => "start-duty",
            EventKind::CompleteDuty { .. } => "complete-duty",
        }
    }
}

/// Where an alert is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    /// Not raised yet: the state before the first event.
    NotRaised,
    /// Open at a stage, waiting for the responder.
    AwaitingResponse,
    /// Open at a stage; the responder has responded and the raiser decides
    /// whether to resolve or escalate.
    AwaitingDecision,
    /// Resolved.
    Resolved,
    /// Closed because the other side was deemed to agree.
    DeemedAgreed,
    /// Withdrawn by the raiser.
    Withdrawn,
}

impl Phase {
    /// Whether the alert is open (awaiting a response or a decision).
    pub fn is_open(self) -> bool {
        matches!(self, Phase::AwaitingResponse | Phase::AwaitingDecision)
    }

    /// The phase's name as it appears in JSON and messages.
    pub fn name(self) -> &'static str {
        match self {
            Phase::NotRaised => "not-raised",
            Phase::AwaitingResponse => "awaiting-response",
            Phase::AwaitingDecision => "awaiting-decision",
            Phase::Resolved => "resolved",
            Phase::DeemedAgreed => "deemed-agreed",
            Phase::Withdrawn => "withdrawn",
        }
    }
}

/// Flags a QA service must see; once set they stay set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Breaches {
    /// An event happened after the ceiling date while the alert was open.
    pub ceiling_breached: bool,
    /// Extra time was agreed to a date beyond the ceiling.
    pub extended_beyond_ceiling: bool,
}

/// The state of one alert on one ladder. Small and cheap to clone: ids are shared
/// strings.
///
/// Make the empty state with [`AlertState::new`], then [`apply`](super::apply) events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AlertState {
    /// The stored form's version ([`STATE_SCHEMA_VERSION`]). A state is
    /// always written as this release's version, in its shape; one of an
    /// older version reads (absent as version 1), one of a later version is
    /// refused when it is used ([`check_state`](super::check_state)).
    #[serde(
        default = "default_schema_version",
        serialize_with = "write_current_version"
    )]
    #[cfg_attr(feature = "schema", schemars(extend("default" = 1)))]
    pub schema_version: u16,
    /// The ladder the alert runs on.
    pub ladder: Arc<str>,
    /// Where the alert is in its life.
    pub phase: Phase,
    /// The day the alert was raised (day 0 of the ceiling).
    #[serde(
        default,
        serialize_with = "crate::input::write::optional",
        deserialize_with = "crate::input::field::optional::raised_on"
    )]
    pub raised_on: Option<NaiveDate>,
    /// The category of concern.
    pub category: Option<Arc<str>>,
    /// The current stage (the stage it closed at, once closed).
    pub stage: Option<Arc<str>>,
    /// The day the current stage was entered.
    #[serde(
        default,
        serialize_with = "crate::input::write::optional",
        deserialize_with = "crate::input::field::optional::stage_entered_on"
    )]
    pub stage_entered_on: Option<NaiveDate>,
    /// The current stage's response date, if its window sets one.
    #[serde(
        default,
        serialize_with = "crate::input::write::optional",
        deserialize_with = "crate::input::field::optional::respond_by"
    )]
    pub respond_by: Option<NaiveDate>,
    /// The day the current stage's responder responded.
    #[serde(
        default,
        serialize_with = "crate::input::write::optional",
        deserialize_with = "crate::input::field::optional::responded_on"
    )]
    pub responded_on: Option<NaiveDate>,
    /// Whether extra time was agreed at the current stage.
    pub extended: bool,
    /// The ceiling date, for a ladder with a ceiling.
    #[serde(
        default,
        serialize_with = "crate::input::write::optional",
        deserialize_with = "crate::input::field::optional::ceiling"
    )]
    pub ceiling: Option<NaiveDate>,
    /// Flags that stay set.
    pub breaches: Breaches,
    /// Referrals made (ids), each once, in the order they were first made.
    #[serde(default)]
    pub referrals: ThinList<Arc<str>>,
    /// The outcome the alert closed with.
    pub outcome: Option<Arc<str>>,
    /// The date of the last event applied; events must not go back in time.
    #[serde(
        default,
        serialize_with = "crate::input::write::optional",
        deserialize_with = "crate::input::field::optional::last_event_on"
    )]
    pub last_event_on: Option<NaiveDate>,
    /// How many events have been applied.
    pub events_applied: u32,
    /// The steps recorded at the current stage, in order (cleared on entering a
    /// stage).
    #[serde(default)]
    pub steps: ThinList<StepDone>,
    /// The duties beside the ladder started so far, one entry per duty (a duty
    /// started again after completion replaces its entry).
    #[serde(default)]
    pub duties: ThinList<DutyState>,
    /// The day the open threshold's clock started, for a ladder whose threshold
    /// counts from entering named stages.
    #[serde(
        default,
        serialize_with = "crate::input::write::optional",
        deserialize_with = "crate::input::field::optional::threshold_from"
    )]
    pub threshold_from: Option<NaiveDate>,
    /// The ids of the events applied that carried one, every one of them,
    /// oldest first: a re-delivered event is recognised by its id however
    /// far back it was first applied. At most [`MAX_EVENT_IDS`](super::MAX_EVENT_IDS): an event
    /// with a new id is refused once the alert holds that many. (Read from
    /// `recent_event_ids` too, as version 3 of the state named it.)
    #[serde(default, alias = "recent_event_ids")]
    pub event_ids: EventIds,
    /// The fingerprint of the ladder that computed the state's dates (set by
    /// every event applied); [`apply`](super::apply) refuses the state with
    /// another ladder, [`status`](super::status) flags it.
    #[serde(default)]
    pub ladder_fingerprint: Option<LadderFingerprint>,
    /// The fingerprint of the calendar that computed the state's dates; as
    /// `ladder_fingerprint`, for the calendar (a closure or a new bank
    /// holiday changes it).
    #[serde(default)]
    pub calendar_fingerprint: Option<Fingerprint>,
    /// The first day after the state's own date on which the alert's
    /// [`status`](super::status) changes by time alone, other than in its
    /// counts of days (left, overdue, open): time acts (a deemed agreement,
    /// an automatic escalation), or the response date, a duty's due date,
    /// the ceiling or the open threshold's limit passes. `None` when time
    /// alone will change nothing: a closed alert with no duty still due, an
    /// alert not raised. A case system stores it beside the state and finds
    /// the alerts to [`advance`](super::advance) today with one indexed
    /// query (`wakes_on <= today`).
    ///
    /// The state's own date is the day of the last event applied
    /// ([`apply`](super::apply)), or the date it was advanced to
    /// ([`advance`](super::advance), which writes it afresh even when time
    /// did nothing): every state an operation writes carries it. A state
    /// stored before this field read it as `None` until it is written again.
    ///
    /// # Properties
    ///
    /// For a state advanced to (or last changed on) day `r` and every day
    /// `d` with `r < d < wakes_on`, the status as at `d` differs from the
    /// status as at the day before only in its counts of days (`as_of`,
    /// `working_days_left`, `calendar_days_left`,
    /// `ceiling_working_days_left`, `open_working_days`,
    /// `threshold_working_days`, and each duty's days left); on `wakes_on`
    /// it differs in more. A property test checks it on every built-in
    /// ladder.
    ///
    /// # Example
    ///
    /// An IRO alert raised with the team manager on Monday 21 December 2026
    /// is due on Wednesday 30 December (Christmas Day and the Boxing Day
    /// substitute do not count): it wakes on Thursday 31 December, the first
    /// day it is overdue.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use escalation_ladder::engine::{apply, AlertState, Event};
    /// use escalation_ladder::{ladder::builtin, Region, WorkingCalendar};
    ///
    /// let ladder = builtin::ladder("iro-dispute-resolution")?;
    /// let calendar = WorkingCalendar::new(Region::EnglandAndWales);
    /// let raise: Event = serde_json::from_str(
    ///     r#"{"on":"2026-12-21","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"}"#)?;
    /// let state = apply(&ladder, &calendar, &AlertState::new(&ladder.id), &raise)?.state;
    /// assert_eq!(state.respond_by, NaiveDate::from_ymd_opt(2026, 12, 30));
    /// assert_eq!(state.wakes_on, NaiveDate::from_ymd_opt(2026, 12, 31));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[serde(
        default,
        serialize_with = "crate::input::write::optional",
        deserialize_with = "crate::input::field::optional::wakes_on"
    )]
    pub wakes_on: Option<NaiveDate>,
}

/// A step recorded at the current stage.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StepDone {
    /// The step's id.
    pub step: Arc<str>,
    /// The day it happened.
    #[serde(
        serialize_with = "crate::input::write::date",
        deserialize_with = "crate::input::field::on"
    )]
    pub on: NaiveDate,
}

/// A duty beside the ladder, as the state tracks it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DutyState {
    /// The duty's id.
    pub duty: Arc<str>,
    /// The day it started.
    #[serde(
        serialize_with = "crate::input::write::date",
        deserialize_with = "crate::input::field::started_on"
    )]
    pub started_on: NaiveDate,
    /// The day it is due, if its window sets one.
    #[serde(
        default,
        serialize_with = "crate::input::write::optional",
        deserialize_with = "crate::input::field::optional::due"
    )]
    pub due: Option<NaiveDate>,
    /// The day it was completed.
    #[serde(
        default,
        serialize_with = "crate::input::write::optional",
        deserialize_with = "crate::input::field::optional::completed_on"
    )]
    pub completed_on: Option<NaiveDate>,
}

impl DutyState {
    /// Whether the duty is still to be done.
    pub fn is_open(&self) -> bool {
        self.completed_on.is_none()
    }
}

fn default_schema_version() -> u16 {
    1
}

/// A state is written in this release's shape, so as its version.
fn write_current_version<S: serde::Serializer>(_: &u16, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_u16(STATE_SCHEMA_VERSION)
}

impl AlertState {
    /// A copy of the state with `stage` as its current stage: the state an
    /// event starts its transition from. An event that enters another stage
    /// passes `None`, so the current stage's shared id is neither counted up
    /// here nor down when the new stage replaces it (each is an atomic
    /// operation, and a good part of an escalation's cost). Inlined, so the
    /// copy is written where the transition holds it.
    #[inline(always)]
    pub(crate) fn successor(&self, stage: Option<Arc<str>>) -> AlertState {
        AlertState {
            // Written by this release, in its shape.
            schema_version: STATE_SCHEMA_VERSION,
            ladder: Arc::clone(&self.ladder),
            phase: self.phase,
            raised_on: self.raised_on,
            category: self.category.clone(),
            stage,
            stage_entered_on: self.stage_entered_on,
            respond_by: self.respond_by,
            responded_on: self.responded_on,
            extended: self.extended,
            ceiling: self.ceiling,
            breaches: self.breaches,
            referrals: self.referrals.clone(),
            outcome: self.outcome.clone(),
            last_event_on: self.last_event_on,
            events_applied: self.events_applied,
            steps: self.steps.clone(),
            duties: self.duties.clone(),
            threshold_from: self.threshold_from,
            event_ids: self.event_ids.clone(),
            ladder_fingerprint: self.ladder_fingerprint,
            calendar_fingerprint: self.calendar_fingerprint,
            wakes_on: self.wakes_on,
        }
    }

    /// Whether `event` is a re-delivery: its `id` is among the
    /// [`event_ids`](AlertState::event_ids).
    pub fn has_applied(&self, event: &Event) -> bool {
        event
            .id
            .as_deref()
            .is_some_and(|id| self.event_ids.contains(id))
    }

    /// Checks that the state is at the version the caller read (its
    /// [`events_applied`](AlertState::events_applied)) before `event` is applied;
    /// a re-delivery passes whatever the version
    /// ([`apply_at_version`](super::apply_at_version) uses it; a caller that lets
    /// time act first checks the stored state with it).
    ///
    /// # Errors
    ///
    /// [`EngineError::VersionConflict`](super::EngineError::VersionConflict).
    pub fn check_version(&self, event: &Event, expected: u32) -> Result<(), super::EngineError> {
        if self.events_applied == expected || self.has_applied(event) {
            Ok(())
        } else {
            Err(super::EngineError::VersionConflict {
                expected,
                found: self.events_applied,
            })
        }
    }

    /// The state of an alert not raised yet on the ladder `ladder_id`.
    pub fn new(ladder_id: &str) -> AlertState {
        AlertState {
            schema_version: STATE_SCHEMA_VERSION,
            ladder: Arc::from(ladder_id),
            phase: Phase::NotRaised,
            raised_on: None,
            category: None,
            stage: None,
            stage_entered_on: None,
            respond_by: None,
            responded_on: None,
            extended: false,
            ceiling: None,
            breaches: Breaches::default(),
            referrals: ThinList::new(),
            outcome: None,
            last_event_on: None,
            events_applied: 0,
            steps: ThinList::new(),
            duties: ThinList::new(),
            threshold_from: None,
            event_ids: EventIds::new(),
            ladder_fingerprint: None,
            calendar_fingerprint: None,
            wakes_on: None,
        }
    }

    /// The day the named step was recorded at the current stage.
    pub fn step_on(&self, step: &str) -> Option<NaiveDate> {
        self.steps.iter().find(|s| *s.step == *step).map(|s| s.on)
    }

    /// The duties still to be done.
    pub fn open_duties(&self) -> impl Iterator<Item = &DutyState> {
        self.duties.iter().filter(|d| d.is_open())
    }
}

impl fmt::Display for AlertState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "state {}", self.phase.name())?;
        if let Some(stage) = &self.stage {
            write!(f, " at stage '{stage}'")?;
        }
        write!(f, " of ladder '{}'", self.ladder)
    }
}

/// What a transition asks the case system to do, or tells it.
///
/// Effects borrow their ids and roles from the ladder (and nothing is allocated for
/// them); [`Effect::into_owned`] detaches one to keep it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "effect", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Effect<'a> {
    /// Notify or copy in a role on entering a stage.
    Notify {
        /// The role.
        role: Cow<'a, str>,
        /// The stage entered.
        stage: Cow<'a, str>,
    },
    /// Ask a role to respond at a stage.
    RequestResponse {
        /// The responder role.
        role: Cow<'a, str>,
        /// The stage.
        stage: Cow<'a, str>,
    },
    /// Complete a record or form.
    Record {
        /// The form.
        form: Cow<'a, str>,
        /// The stage.
        stage: Cow<'a, str>,
    },
    /// A response date was set (or cleared, for a stage with no window).
    DeadlineSet {
        /// The stage.
        stage: Cow<'a, str>,
        /// The response date.
        #[serde(serialize_with = "crate::input::write::optional")]
        respond_by: Option<NaiveDate>,
    },
    /// The stage's window would have ended after the ceiling; the deadline is the ceiling.
    DeadlineCappedAtCeiling {
        /// The stage.
        stage: Cow<'a, str>,
        /// Where the window alone would have ended.
        #[serde(serialize_with = "crate::input::write::date")]
        window_ends: NaiveDate,
        /// The ceiling date used instead.
        #[serde(serialize_with = "crate::input::write::date")]
        ceiling: NaiveDate,
    },
    /// Agreed extra time moved the response date.
    DeadlineMoved {
        /// The old date.
        #[serde(serialize_with = "crate::input::write::optional")]
        from: Option<NaiveDate>,
        /// The new date.
        #[serde(serialize_with = "crate::input::write::date")]
        to: NaiveDate,
    },
    /// The ceiling date was set when the alert was raised.
    CeilingSet {
        /// The ceiling date.
        #[serde(serialize_with = "crate::input::write::date")]
        ceiling: NaiveDate,
    },
    /// The ceiling is breached.
    CeilingBreached {
        /// The ceiling date.
        #[serde(serialize_with = "crate::input::write::date")]
        ceiling: NaiveDate,
        /// Why: an event after it, or extra time beyond it.
        cause: Cow<'a, str>,
    },
    /// The other side is deemed to agree.
    DeemedAgreed {
        /// The stage.
        stage: Cow<'a, str>,
    },
    /// A referral is made.
    Referred {
        /// The referral id.
        referral: Cow<'a, str>,
    },
    /// The alert closed.
    Closed {
        /// The phase it closed in.
        phase: Phase,
    },
    /// Confirm a condition the route asks for before escalating (the engine
    /// cannot check it): Birmingham's discussion with the line manager.
    ConfirmCondition {
        /// The stage escalated from.
        stage: Cow<'a, str>,
        /// The condition, in the document's words.
        condition: Cow<'a, str>,
    },
    /// A named step of the stage was recorded.
    StepRecorded {
        /// The stage.
        stage: Cow<'a, str>,
        /// The step.
        step: Cow<'a, str>,
    },
    /// A response arrived after time had already closed the alert as deemed
    /// agreed: it is recorded, and the deemed agreement stands.
    LateResponse {
        /// The stage whose window ran out.
        stage: Cow<'a, str>,
        /// The outcome the response chose, if any (e.g. `unable-to-agree`): kept
        /// for the record, it does not route the alert.
        outcome: Option<Cow<'a, str>>,
    },
    /// A duty beside the ladder started.
    DutyStarted {
        /// The duty.
        duty: Cow<'a, str>,
        /// When it is due, if its window sets a date.
        #[serde(serialize_with = "crate::input::write::optional")]
        due: Option<NaiveDate>,
    },
    /// Notify a role that a duty started.
    NotifyOfDuty {
        /// The role.
        role: Cow<'a, str>,
        /// The duty.
        duty: Cow<'a, str>,
    },
    /// A duty beside the ladder was completed.
    DutyCompleted {
        /// The duty.
        duty: Cow<'a, str>,
    },
    /// The event's id is one the state has already applied: a re-delivery.
    /// Nothing else happened and the state is unchanged; its audit entry is
    /// not a new line of the trail ([`Transition::is_redelivery`]).
    AlreadyApplied {
        /// The event's id.
        id: Cow<'a, str>,
    },
}

fn owned(text: Cow<'_, str>) -> Cow<'static, str> {
    Cow::Owned(text.into_owned())
}

impl Effect<'_> {
    /// The same effect, owning its strings, to keep beyond the ladder's lifetime.
    pub fn into_owned(self) -> Effect<'static> {
        match self {
            Effect::Notify { role, stage } => Effect::Notify {
                role: owned(role),
                stage: owned(stage),
            },
            Effect::RequestResponse { role, stage } => Effect::RequestResponse {
                role: owned(role),
                stage: owned(stage),
            },
            Effect::Record { form, stage } => Effect::Record {
                form: owned(form),
                stage: owned(stage),
            },
            Effect::DeadlineSet { stage, respond_by } => Effect::DeadlineSet {
                stage: owned(stage),
                respond_by,
            },
            Effect::DeadlineCappedAtCeiling {
                stage,
                window_ends,
                ceiling,
            } => Effect::DeadlineCappedAtCeiling {
                stage: owned(stage),
                window_ends,
                ceiling,
            },
            Effect::DeadlineMoved { from, to } => Effect::DeadlineMoved { from, to },
            Effect::CeilingSet { ceiling } => Effect::CeilingSet { ceiling },
            Effect::CeilingBreached { ceiling, cause } => Effect::CeilingBreached {
                ceiling,
                cause: owned(cause),
            },
            Effect::DeemedAgreed { stage } => Effect::DeemedAgreed {
                stage: owned(stage),
            },
            Effect::Referred { referral } => Effect::Referred {
                referral: owned(referral),
            },
            Effect::Closed { phase } => Effect::Closed { phase },
            Effect::ConfirmCondition { stage, condition } => Effect::ConfirmCondition {
                stage: owned(stage),
                condition: owned(condition),
            },
            Effect::StepRecorded { stage, step } => Effect::StepRecorded {
                stage: owned(stage),
                step: owned(step),
            },
            Effect::LateResponse { stage, outcome } => Effect::LateResponse {
                stage: owned(stage),
                outcome: outcome.map(owned),
            },
            Effect::DutyStarted { duty, due } => Effect::DutyStarted {
                duty: owned(duty),
                due,
            },
            Effect::NotifyOfDuty { role, duty } => Effect::NotifyOfDuty {
                role: owned(role),
                duty: owned(duty),
            },
            Effect::DutyCompleted { duty } => Effect::DutyCompleted { duty: owned(duty) },
            Effect::AlreadyApplied { id } => Effect::AlreadyApplied { id: owned(id) },
        }
    }
}

/// One line of the audit trail: who did what, when, why, and with which calendar.
///
/// The entry [`apply`](super::apply) returns borrows the event it was given;
/// [`AuditEntry::into_owned`] detaches it to store it. An entry read back from JSON
/// owns its event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AuditEntry<'a> {
    /// 1 for the first event.
    pub sequence: u32,
    /// The event, with its date, actor and reasons.
    pub event: Cow<'a, Event>,
    /// The stage before the event.
    pub stage_before: Option<Arc<str>>,
    /// The stage after the event.
    pub stage_after: Option<Arc<str>>,
    /// The phase after the event.
    pub phase_after: Phase,
    /// The response date after the event.
    #[serde(serialize_with = "crate::input::write::optional")]
    pub respond_by: Option<NaiveDate>,
    /// The calendar that computed the dates.
    pub calendar: Fingerprint,
}

impl AuditEntry<'_> {
    /// The same entry, owning its event.
    pub fn into_owned(self) -> AuditEntry<'static> {
        AuditEntry {
            sequence: self.sequence,
            event: Cow::Owned(self.event.into_owned()),
            stage_before: self.stage_before,
            stage_after: self.stage_after,
            phase_after: self.phase_after,
            respond_by: self.respond_by,
            calendar: self.calendar,
        }
    }
}

/// The result of applying an event: the new state, what to do, and the audit entry.
///
/// Applying an event allocates nothing beyond the new state (and, for an event that starts duties, the list of them): the transition keeps a
/// compact record of what happened, borrowing from the ladder and the event (`'a`),
/// and [`effects`](Transition::effects) and [`audit`](Transition::audit) spell it
/// out on demand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition<'a> {
    /// The new state.
    pub state: AlertState,
    pub(crate) happened: Happened<'a>,
    pub(crate) event: &'a Event,
    /// The ladder's id of the stage before the event.
    pub(crate) stage_before: Option<&'a Arc<str>>,
    pub(crate) calendar: Fingerprint,
}

impl<'a> Transition<'a> {
    /// What the case system should do, in order: the ceiling set, the stage entered
    /// (deadline capped, notices, requests, record, deadline), extra time, deemed
    /// agreement, referral, closure, and last a ceiling breach.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use escalation_ladder::engine::{apply, AlertState, Effect, Event, EventKind};
    /// use escalation_ladder::{ladder::builtin, Region, WorkingCalendar};
    ///
    /// let ladder = builtin::ladder("iro-dispute-resolution")?;
    /// let calendar = WorkingCalendar::new(Region::EnglandAndWales);
    /// let raise = Event {
    ///     on: NaiveDate::from_ymd_opt(2027, 3, 25).unwrap(),
    ///     actor: "iro".into(),
    ///     id: None,
    ///     meta: None,
    ///     kind: EventKind::Raise { stage: None, category: None, reason: "drift".into() },
    /// };
    /// let transition = apply(&ladder, &calendar, &AlertState::new(&ladder.id), &raise)?;
    /// let effects: Vec<Effect> = transition.effects().collect();
    /// // Raised the Thursday before Easter 2027: 20 working days skip Good Friday
    /// // and Easter Monday.
    /// let ceiling = NaiveDate::from_ymd_opt(2027, 4, 26).unwrap();
    /// assert_eq!(effects[0], Effect::CeilingSet { ceiling });
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn effects(&self) -> Effects<'a> {
        Effects {
            happened: self.happened.clone(),
            step: Cursor::AlreadyApplied,
            index: 0,
        }
    }

    /// What the transition did to the stage the alert is at: the facts its
    /// [`effects`](Transition::effects) say about it (a stage entered, a clock
    /// started, a date moved, a late response, a closure), read from the
    /// transition's compact record without spelling the effects out. A
    /// report following many transitions asks this instead of the effects.
    ///
    /// # Properties
    ///
    /// `StageChange::of_effects(transition.effects())` is the same, for every
    /// transition (a test checks it on every built-in ladder).
    ///
    /// # Example
    ///
    /// ```
    /// use escalation_ladder::engine::{apply, AlertState, Event, StageChange};
    /// use escalation_ladder::{ladder::builtin, Region, WorkingCalendar};
    ///
    /// let ladder = builtin::ladder("iro-dispute-resolution")?;
    /// let calendar = WorkingCalendar::new(Region::EnglandAndWales);
    /// let raise: Event = serde_json::from_str(
    ///     r#"{"on":"2026-12-21","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"}"#)?;
    /// let transition = apply(&ladder, &calendar, &AlertState::new(&ladder.id), &raise)?;
    /// assert_eq!(transition.stage_change(), StageChange::Entered);
    /// assert_eq!(StageChange::of_effects(transition.effects()), StageChange::Entered);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn stage_change(&self) -> StageChange {
        let h = &self.happened;
        if h.entered.is_some() {
            return StageChange::Entered;
        }
        match h.rare {
            Rare::Step(_, _, Some(clock)) => return StageChange::ClockStarted(clock.respond_by),
            Rare::Extended(_, to, _) => return StageChange::Extended(to),
            Rare::LateResponse(..) => return StageChange::LateResponse,
            _ => {}
        }
        match h.closed {
            Some(phase) => StageChange::Closed(phase),
            None => StageChange::None,
        }
    }

    /// Whether the event was a re-delivery of one the state had already
    /// applied (same `id`): the state is unchanged, the only effect is
    /// [`Effect::AlreadyApplied`], and the audit entry is not to be appended.
    pub fn is_redelivery(&self) -> bool {
        matches!(self.happened.rare, Rare::AlreadyApplied(_))
    }

    /// The transition detached from the ladder and the event, to keep or send on.
    pub fn into_owned(self) -> OwnedTransition {
        OwnedTransition {
            schema_version: SchemaVersion,
            effects: self.effects().map(Effect::into_owned).collect(),
            audit: self.audit().into_owned(),
            state: self.state,
        }
    }

    /// The line to append to the alert's audit trail. It borrows the event;
    /// [`AuditEntry::into_owned`] detaches it.
    pub fn audit(&self) -> AuditEntry<'a> {
        AuditEntry {
            sequence: self.state.events_applied,
            event: Cow::Borrowed(self.event),
            stage_before: self.stage_before.cloned(),
            stage_after: self.state.stage.clone(),
            phase_after: self.state.phase,
            respond_by: self.state.respond_by,
            calendar: self.calendar,
        }
    }
}

/// A [`Transition`] that owns everything it holds ([`Transition::into_owned`]); its
/// JSON is the transition's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OwnedTransition {
    /// The document's schema version ([`TRANSITION_SCHEMA_VERSION`](crate::contract::TRANSITION_SCHEMA_VERSION)).
    pub schema_version: SchemaVersion<TRANSITION_SCHEMA_VERSION>,
    /// The new state.
    pub state: AlertState,
    /// What the case system should do, in order.
    pub effects: Vec<Effect<'static>>,
    /// The line to append to the alert's audit trail.
    pub audit: AuditEntry<'static>,
}

/// A transition as JSON: `{"state": …, "effects": […], "audit": …}`.
impl Serialize for Transition<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Whole<'t> {
            schema_version: SchemaVersion<TRANSITION_SCHEMA_VERSION>,
            state: &'t AlertState,
            effects: Vec<Effect<'t>>,
            audit: AuditEntry<'t>,
        }
        Whole {
            schema_version: SchemaVersion,
            state: &self.state,
            effects: self.effects().collect(),
            audit: self.audit(),
        }
        .serialize(serializer)
    }
}

/// A response date set on entering a stage or when its clock starts, as
/// [`Happened`] records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Deadline<'a> {
    pub(crate) stage: &'a Stage,
    pub(crate) respond_by: Option<NaiveDate>,
    /// Where the window alone would have ended, when the ceiling capped it.
    pub(crate) capped_from: Option<NaiveDate>,
}

/// What one event did, compactly (thin references into the ladder);
/// [`Effects`] spells it out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Happened<'a> {
    pub(crate) ceiling_set: Option<NaiveDate>,
    pub(crate) entered: Option<Deadline<'a>>,
    /// What only some kinds of event do: at most one of them per event.
    pub(crate) rare: Rare<'a>,
    /// The record made on resolution, and the stage it was made at.
    pub(crate) resolve_record: Option<(&'a Record, &'a Stage)>,
    pub(crate) closed: Option<Phase>,
    /// Duties started, with their due dates (empty, and unallocated, for the
    /// events that start none).
    pub(crate) duties_started: Vec<(&'a Duty, Option<NaiveDate>)>,
    /// The ceiling and the event's date, when the event came after the ceiling.
    pub(crate) open_after_ceiling: Option<(NaiveDate, NaiveDate)>,
}

/// The part of [`Happened`] only one kind of event sets, kept in one enum so a
/// transition stays small.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum Rare<'a> {
    #[default]
    Nothing,
    /// The stage escalated from and the route's condition to confirm.
    Condition(&'a Stage, &'a String),
    /// A step recorded, and the response date it set when it started the
    /// stage's clock.
    Step(&'a Stage, &'a StageStep, Option<Deadline<'a>>),
    /// The response date before and after agreed extra time, and the ceiling
    /// when the extra time passes it.
    Extended(Option<NaiveDate>, NaiveDate, Option<NaiveDate>),
    DeemedAgreed(&'a Stage),
    /// The stage, and the outcome the late response chose.
    LateResponse(&'a Stage, Option<&'a Outcome>),
    Referred(&'a Referral),
    DutyCompleted(&'a Duty),
    /// The event's id, already applied: a re-delivery.
    AlreadyApplied(&'a str),
}

impl<'a> Happened<'a> {
    fn condition(&self) -> Option<(&'a Stage, &'a String)> {
        match self.rare {
            Rare::Condition(stage, condition) => Some((stage, condition)),
            _ => None,
        }
    }

    fn step(&self) -> Option<(&'a Stage, &'a StageStep)> {
        match self.rare {
            Rare::Step(stage, step, _) => Some((stage, step)),
            _ => None,
        }
    }

    fn clock_started(&self) -> Option<Deadline<'a>> {
        match self.rare {
            Rare::Step(_, _, clock) => clock,
            _ => None,
        }
    }

    fn deadline_moved(&self) -> Option<(Option<NaiveDate>, NaiveDate)> {
        match self.rare {
            Rare::Extended(from, to, _) => Some((from, to)),
            _ => None,
        }
    }

    fn extended_beyond(&self) -> Option<NaiveDate> {
        match self.rare {
            Rare::Extended(_, _, beyond) => beyond,
            _ => None,
        }
    }

    fn deemed_agreed(&self) -> Option<&'a Stage> {
        match self.rare {
            Rare::DeemedAgreed(stage) => Some(stage),
            _ => None,
        }
    }

    fn late_response(&self) -> Option<(&'a Stage, Option<&'a Outcome>)> {
        match self.rare {
            Rare::LateResponse(stage, outcome) => Some((stage, outcome)),
            _ => None,
        }
    }

    fn referred(&self) -> Option<&'a Referral> {
        match self.rare {
            Rare::Referred(referral) => Some(referral),
            _ => None,
        }
    }

    fn already_applied(&self) -> Option<&'a str> {
        match self.rare {
            Rare::AlreadyApplied(id) => Some(id),
            _ => None,
        }
    }

    fn duty_completed(&self) -> Option<&'a Duty> {
        match self.rare {
            Rare::DutyCompleted(duty) => Some(duty),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cursor {
    AlreadyApplied,
    Condition,
    CeilingSet,
    Capped,
    Notify,
    RequestResponse,
    Record,
    DeadlineSet,
    StepRecorded,
    ClockCapped,
    ClockDeadline,
    DeadlineMoved,
    ExtendedBeyond,
    DeemedAgreed,
    LateResponse,
    Referred,
    DutyCompleted,
    ResolveRecord,
    Closed,
    DutyStarted,
    OpenAfterCeiling,
    Done,
}

impl Cursor {
    fn next(self) -> Cursor {
        match self {
            Cursor::AlreadyApplied => Cursor::Condition,
            Cursor::Condition => Cursor::CeilingSet,
            Cursor::CeilingSet => Cursor::Capped,
            Cursor::Capped => Cursor::Notify,
            Cursor::Notify => Cursor::RequestResponse,
            Cursor::RequestResponse => Cursor::Record,
            Cursor::Record => Cursor::DeadlineSet,
            Cursor::DeadlineSet => Cursor::StepRecorded,
            Cursor::StepRecorded => Cursor::ClockCapped,
            Cursor::ClockCapped => Cursor::ClockDeadline,
            Cursor::ClockDeadline => Cursor::DeadlineMoved,
            Cursor::DeadlineMoved => Cursor::ExtendedBeyond,
            Cursor::ExtendedBeyond => Cursor::DeemedAgreed,
            Cursor::DeemedAgreed => Cursor::LateResponse,
            Cursor::LateResponse => Cursor::Referred,
            Cursor::Referred => Cursor::DutyCompleted,
            Cursor::DutyCompleted => Cursor::ResolveRecord,
            Cursor::ResolveRecord => Cursor::Closed,
            Cursor::Closed => Cursor::DutyStarted,
            Cursor::DutyStarted => Cursor::OpenAfterCeiling,
            Cursor::OpenAfterCeiling | Cursor::Done => Cursor::Done,
        }
    }
}

/// The effects of a transition, in order ([`Transition::effects`]).
#[derive(Debug, Clone)]
pub struct Effects<'a> {
    happened: Happened<'a>,
    step: Cursor,
    index: usize,
}

fn capped(d: Option<Deadline<'_>>) -> Option<Effect<'_>> {
    let d = d?;
    let (window_ends, ceiling) = (d.capped_from?, d.respond_by?);
    Some(Effect::DeadlineCappedAtCeiling {
        stage: Cow::Borrowed(&*d.stage.id),
        window_ends,
        ceiling,
    })
}

fn deadline_set(d: Option<Deadline<'_>>) -> Option<Effect<'_>> {
    d.map(|d| Effect::DeadlineSet {
        stage: Cow::Borrowed(&*d.stage.id),
        respond_by: d.respond_by,
    })
}

impl<'a> Effects<'a> {
    /// The next item of a list-valued step, or `None` once the list is spent
    /// (resetting the index for the next list).
    fn list_item(&mut self) -> Option<Effect<'a>> {
        let h = &self.happened;
        let item = match self.step {
            Cursor::Notify | Cursor::RequestResponse => h.entered.and_then(|e| {
                let stage = e.stage;
                let id = Cow::Borrowed(&*stage.id);
                if self.step == Cursor::Notify {
                    let n = stage.notify.get(self.index)?;
                    Some(Effect::Notify {
                        role: Cow::Borrowed(n.role.as_str()),
                        stage: id,
                    })
                } else {
                    let role = stage.responders.get(self.index)?;
                    Some(Effect::RequestResponse {
                        role: Cow::Borrowed(role.as_str()),
                        stage: id,
                    })
                }
            }),
            // Each duty started gives its DutyStarted, then one NotifyOfDuty per
            // notice: `index` walks (duty, 0 = started | k = notice k - 1).
            _ => loop {
                let (duty_at, notice_at) = (self.index >> 8, self.index & 0xff);
                let Some(&(duty, due)) = h.duties_started.get(duty_at) else {
                    break None;
                };
                if notice_at == 0 {
                    self.index += 1;
                    return Some(Effect::DutyStarted {
                        duty: Cow::Borrowed(&*duty.id),
                        due,
                    });
                }
                match duty.notify.get(notice_at - 1) {
                    Some(n) => {
                        self.index += 1;
                        return Some(Effect::NotifyOfDuty {
                            role: Cow::Borrowed(n.role.as_str()),
                            duty: Cow::Borrowed(&*duty.id),
                        });
                    }
                    None => self.index = (duty_at + 1) << 8,
                }
            },
        };
        if item.is_some() {
            self.index += 1;
        } else {
            self.index = 0;
        }
        item
    }
}

impl<'a> Iterator for Effects<'a> {
    type Item = Effect<'a>;

    fn next(&mut self) -> Option<Effect<'a>> {
        loop {
            let h = &self.happened;
            let effect = match self.step {
                Cursor::Condition => {
                    h.condition()
                        .map(|(stage, condition)| Effect::ConfirmCondition {
                            stage: Cow::Borrowed(&*stage.id),
                            condition: Cow::Borrowed(condition.as_str()),
                        })
                }
                Cursor::CeilingSet => h.ceiling_set.map(|ceiling| Effect::CeilingSet { ceiling }),
                Cursor::Capped => capped(h.entered),
                Cursor::Notify | Cursor::RequestResponse | Cursor::DutyStarted => {
                    if let Some(effect) = self.list_item() {
                        return Some(effect);
                    }
                    None
                }
                Cursor::Record => h.entered.and_then(|e| {
                    let record = e.stage.record.as_ref()?;
                    Some(Effect::Record {
                        form: Cow::Borrowed(&record.form),
                        stage: Cow::Borrowed(&*e.stage.id),
                    })
                }),
                Cursor::DeadlineSet => deadline_set(h.entered),
                Cursor::StepRecorded => h.step().map(|(stage, step)| Effect::StepRecorded {
                    stage: Cow::Borrowed(&*stage.id),
                    step: Cow::Borrowed(&*step.id),
                }),
                Cursor::ClockCapped => capped(h.clock_started()),
                Cursor::ClockDeadline => deadline_set(h.clock_started()),
                Cursor::DeadlineMoved => h
                    .deadline_moved()
                    .map(|(from, to)| Effect::DeadlineMoved { from, to }),
                Cursor::ExtendedBeyond => match (h.extended_beyond(), h.deadline_moved()) {
                    (Some(ceiling), Some((_, until))) => Some(Effect::CeilingBreached {
                        ceiling,
                        cause: Cow::Owned(format!(
                            "extra time agreed to {until}, beyond the ceiling"
                        )),
                    }),
                    _ => None,
                },
                Cursor::DeemedAgreed => h.deemed_agreed().map(|stage| Effect::DeemedAgreed {
                    stage: Cow::Borrowed(&*stage.id),
                }),
                Cursor::LateResponse => {
                    h.late_response()
                        .map(|(stage, outcome)| Effect::LateResponse {
                            stage: Cow::Borrowed(&*stage.id),
                            outcome: outcome.map(|o| Cow::Borrowed(&*o.id)),
                        })
                }
                Cursor::Referred => h.referred().map(|referral| Effect::Referred {
                    referral: Cow::Borrowed(&*referral.id),
                }),
                Cursor::DutyCompleted => h.duty_completed().map(|duty| Effect::DutyCompleted {
                    duty: Cow::Borrowed(&*duty.id),
                }),
                Cursor::ResolveRecord => h.resolve_record.map(|(record, stage)| Effect::Record {
                    form: Cow::Borrowed(record.form.as_str()),
                    stage: Cow::Borrowed(&*stage.id),
                }),
                Cursor::Closed => h.closed.map(|phase| Effect::Closed { phase }),
                Cursor::OpenAfterCeiling => {
                    h.open_after_ceiling
                        .map(|(ceiling, on)| Effect::CeilingBreached {
                            ceiling,
                            cause: Cow::Owned(format!("the alert was still open on {on}")),
                        })
                }
                Cursor::AlreadyApplied => h.already_applied().map(|id| Effect::AlreadyApplied {
                    id: Cow::Borrowed(id),
                }),
                Cursor::Done => return None,
            };
            self.step = self.step.next();
            if effect.is_some() {
                return effect;
            }
        }
    }
}

/// What a transition did to the stage an alert is at
/// ([`Transition::stage_change`]): at most one of these, since an event that
/// enters a stage, starts its clock, moves its date, records a late response
/// or closes the alert does only that one of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum StageChange {
    /// Nothing happened to the stage (a referral, a duty, a response that
    /// neither closes nor routes, a re-delivery).
    None,
    /// A stage was entered: the state after the transition is at it.
    Entered,
    /// A step started the stage's clock, setting this response date.
    ClockStarted(Option<NaiveDate>),
    /// Agreed extra time moved the response date to this day.
    Extended(NaiveDate),
    /// A response was recorded after a deemed agreement (which stands).
    LateResponse,
    /// The alert closed, in this phase.
    Closed(Phase),
}

impl StageChange {
    /// The same facts read from a transition's effects, in the order
    /// [`Transition::effects`] gives them: what a caller holding only the
    /// effects (an [`OwnedTransition`], time's transitions) asks.
    pub fn of_effects<'e>(
        effects: impl IntoIterator<Item = impl std::borrow::Borrow<Effect<'e>>>,
    ) -> StageChange {
        let mut step = false;
        for effect in effects {
            return match *effect.borrow() {
                Effect::StepRecorded { .. } => {
                    step = true;
                    continue;
                }
                Effect::DeadlineSet { respond_by, .. } if step => {
                    StageChange::ClockStarted(respond_by)
                }
                Effect::DeadlineSet { .. } => StageChange::Entered,
                Effect::DeadlineMoved { to, .. } => StageChange::Extended(to),
                Effect::LateResponse { .. } => StageChange::LateResponse,
                Effect::Closed { phase } => StageChange::Closed(phase),
                _ => continue,
            };
        }
        StageChange::None
    }
}

/// An alert's position as at a date: what is due, by whom, and what is breached,
/// after time has acted ([`advance`](super::advance)).
///
/// It borrows the stage id and roles from the ladder (`'l`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Status<'l> {
    /// The document's schema version ([`STATUS_SCHEMA_VERSION`](crate::contract::STATUS_SCHEMA_VERSION)).
    pub schema_version: SchemaVersion<STATUS_SCHEMA_VERSION>,
    /// The as-of date.
    #[serde(serialize_with = "crate::input::write::date")]
    pub as_of: NaiveDate,
    /// The phase.
    pub phase: Phase,
    /// The current stage.
    pub stage: Option<Cow<'l, str>>,
    /// The roles that must act now (responders, or the raiser once they responded,
    /// or those who carry out the step the stage's clock waits for).
    pub who_must_act: Cow<'l, [String]>,
    /// The step the stage's clock waits for: until it is recorded nothing is due.
    pub awaiting_step: Option<Cow<'l, str>>,
    /// The next deadline: the response date.
    #[serde(serialize_with = "crate::input::write::optional")]
    pub next_deadline: Option<NaiveDate>,
    /// Working days from the as-of date to the deadline, (as_of, deadline]; negative
    /// when overdue.
    pub working_days_left: Option<i64>,
    /// Calendar days from the as-of date to the deadline; negative when overdue.
    /// The measure for an `immediately` window: 0 on the day it is due.
    pub calendar_days_left: Option<i64>,
    /// Whether the response is overdue.
    pub overdue: bool,
    /// What the ladder says happens now that the window has run out.
    pub on_expiry: Option<ExpiryAction>,
    /// The ceiling date.
    #[serde(serialize_with = "crate::input::write::optional")]
    pub ceiling: Option<NaiveDate>,
    /// Working days from the as-of date to the ceiling; negative once passed.
    pub ceiling_working_days_left: Option<i64>,
    /// Breach flags, including a ceiling passed while still open.
    pub breaches: Breaches,
    /// Working days the alert has been open, (raised, as_of].
    pub open_working_days: Option<i64>,
    /// Working days on the ladder's monitoring threshold's clock, (start, as_of]:
    /// from raising, or from first entering the stages its `from` names (none
    /// until then, and none for a ladder without a threshold or a closed alert).
    pub threshold_working_days: Option<i64>,
    /// Whether the alert is open longer than the ladder's monitoring threshold,
    /// counted from the threshold's clock.
    pub over_open_threshold: bool,
    /// The day time will act next by itself (deemed agreement, automatic
    /// escalation), if the ladder says it will.
    #[serde(serialize_with = "crate::input::write::optional")]
    pub time_acts_on: Option<NaiveDate>,
    /// The duties beside the ladder still to be done, in the order they started.
    pub duties: Vec<DutyStatus<'l>>,
    /// Whether the state's dates were computed on another ladder or calendar
    /// than the ones given: its response date and ceiling may then be wrong
    /// (a closure or a new bank holiday since); recompute it
    /// ([`recompute`](super::recompute)).
    pub computed_on_other: Stale,
}

/// Which of the ladder and the calendar given differ from those a state was
/// computed on ([`Status::computed_on_other`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Stale {
    /// The ladder differs (another version of the procedure).
    pub ladder: bool,
    /// The calendar differs (a closure or a bank holiday added since).
    pub calendar: bool,
}

impl Stale {
    /// Whether either differs.
    pub fn any(self) -> bool {
        self.ladder || self.calendar
    }
}

impl Status<'_> {
    /// The status detached from the ladder it borrows from, to return from a
    /// function that loads the ladder itself.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use escalation_ladder::engine::{replay, status, Event, Status};
    /// use escalation_ladder::{ladder::builtin, Region, WorkingCalendar};
    ///
    /// fn status_of(events: &[Event], as_of: NaiveDate) -> Result<Status<'static>, Box<dyn std::error::Error>> {
    ///     let ladder = builtin::ladder("iro-dispute-resolution")?;
    ///     let calendar = WorkingCalendar::new(Region::EnglandAndWales);
    ///     let (state, _) = replay(&ladder, &calendar, events)?;
    ///     Ok(status(&ladder, &calendar, &state, as_of)?.into_owned())
    /// }
    ///
    /// let raise: Event = serde_json::from_str(
    ///     r#"{"on":"2026-12-18","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"}"#)?;
    /// // Christmas Eve: due Tuesday 29th, after Christmas and the Boxing Day substitute.
    /// let now = status_of(&[raise], NaiveDate::from_ymd_opt(2026, 12, 24).unwrap())?;
    /// assert_eq!(now.next_deadline, NaiveDate::from_ymd_opt(2026, 12, 29));
    /// assert_eq!(now.stage.as_deref(), Some("team-manager"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn into_owned(self) -> Status<'static> {
        Status {
            schema_version: self.schema_version,
            as_of: self.as_of,
            phase: self.phase,
            stage: self.stage.map(|s| Cow::Owned(s.into_owned())),
            who_must_act: Cow::Owned(self.who_must_act.into_owned()),
            awaiting_step: self.awaiting_step.map(|s| Cow::Owned(s.into_owned())),
            next_deadline: self.next_deadline,
            working_days_left: self.working_days_left,
            calendar_days_left: self.calendar_days_left,
            overdue: self.overdue,
            on_expiry: self.on_expiry,
            ceiling: self.ceiling,
            ceiling_working_days_left: self.ceiling_working_days_left,
            breaches: self.breaches,
            open_working_days: self.open_working_days,
            threshold_working_days: self.threshold_working_days,
            over_open_threshold: self.over_open_threshold,
            time_acts_on: self.time_acts_on,
            duties: self
                .duties
                .into_iter()
                .map(DutyStatus::into_owned)
                .collect(),
            computed_on_other: self.computed_on_other,
        }
    }
}

/// A duty beside the ladder still to be done, as at a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DutyStatus<'l> {
    /// The duty's id.
    pub duty: Cow<'l, str>,
    /// Who must carry it out.
    pub owners: Cow<'l, [String]>,
    /// The window's unit (`immediately` duties are measured in calendar days).
    pub unit: WindowUnit,
    /// The day it started.
    #[serde(serialize_with = "crate::input::write::date")]
    pub started_on: NaiveDate,
    /// The day it is due, if its window sets one.
    #[serde(serialize_with = "crate::input::write::optional")]
    pub due: Option<NaiveDate>,
    /// Whether it is overdue.
    pub overdue: bool,
    /// Working days from the as-of date to the due date; negative when overdue.
    pub working_days_left: Option<i64>,
    /// Calendar days from the as-of date to the due date; negative when overdue.
    pub calendar_days_left: Option<i64>,
}

impl DutyStatus<'_> {
    /// The duty's status detached from the ladder (see [`Status::into_owned`]).
    pub fn into_owned(self) -> DutyStatus<'static> {
        DutyStatus {
            duty: Cow::Owned(self.duty.into_owned()),
            owners: Cow::Owned(self.owners.into_owned()),
            unit: self.unit,
            started_on: self.started_on,
            due: self.due,
            overdue: self.overdue,
            working_days_left: self.working_days_left,
            calendar_days_left: self.calendar_days_left,
        }
    }
}
