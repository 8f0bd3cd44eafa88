//! The ladder schema: the types a ladder TOML file deserializes into.
//!
//! Every field is documented here because this *is* the file format: a council
//! writes a TOML (or JSON) file with these fields (snake_case keys, kebab-case
//! enum values) and loads it with
//! [`Ladder::from_toml_str`](super::Ladder::from_toml_str). Unknown keys are
//! refused. `docs/ladder-schema.md` documents the format key by key, with the
//! defaults, the rules and a ladder to copy.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::calendar::Region;

/// Where a rule comes from: a sentence of the source document, or an assumption.
///
/// In TOML it is a one-key table: `provenance = { source = "…" }` quotes the
/// sentence the rule implements; `provenance = { assumption = "…" }` says why
/// the rule had to be assumed (for example, a window the document leaves unstated).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Provenance {
    /// The sentence of the source document that the rule implements, quoted.
    Source(String),
    /// The reason the rule is an assumption, for a council to confirm or change.
    Assumption(String),
}

impl Provenance {
    /// The assumption's reason, if this rule is an assumption.
    pub fn assumption(&self) -> Option<&str> {
        match self {
            Provenance::Source(_) => None,
            Provenance::Assumption(reason) => Some(reason),
        }
    }
}

/// The document a procedure was written from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceDocument {
    /// The document's title, as it gives it.
    pub title: String,
    /// Where the text is kept (for the built-in ladders, the seed file name).
    pub reference: String,
}

/// A text rule with its provenance (used for scope and conditions).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    /// What the rule says, in plain words.
    pub text: String,
    /// Where the rule comes from.
    pub provenance: Provenance,
}

/// How working days are counted for a procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Convention {
    /// N working days after D is the N-th working day strictly after D: the day of
    /// receipt is day 0, and receipt on a non-working day makes the next working
    /// day day 1. See the crate's "Counting convention".
    ReceiptIsDayZero,
}

/// The working-day rules a procedure uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkingDayRules {
    /// The bank-holiday division whose calendar counts the days.
    pub region: Region,
    /// The counting convention.
    pub convention: Convention,
    /// Why this division and convention.
    pub provenance: Provenance,
}

/// A role: somebody who raises, responds or is notified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    /// Identifier used by stages (`team-manager`).
    pub id: String,
    /// The role as the document names it ("Team Manager").
    pub name: String,
    /// Where the role comes from.
    pub provenance: Provenance,
}

/// A category of concern, for recording and for the quarterly analysis of themes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    /// Identifier used in events (`significant-drift`).
    pub id: Arc<str>,
    /// The category as the document words it.
    pub name: String,
    /// Where the category comes from.
    pub provenance: Provenance,
}

/// The unit of a response window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum WindowUnit {
    /// `count` working days, on the ladder's working-day calendar.
    WorkingDays,
    /// `count` calendar days, rolled back to a working day (`Roll::Preceding`).
    CalendarDays,
    /// `count` weeks, rolled back to a working day (`Roll::Preceding`).
    Weeks,
    /// Immediately, without delay: due on the calendar day the clock starts,
    /// whether or not it is a working day (a concern raised on Good Friday is due
    /// on Good Friday). Distinct from a count of working days: nothing rolls.
    Immediately,
    /// The date is agreed when the duty starts and given by the event that starts
    /// it (Nottingham's action plan review date). For duties only.
    AgreedDate,
    /// The document sets no window for this stage.
    NoneStated,
}

impl WindowUnit {
    /// The unit's name as it appears in TOML and JSON (`"working-days"`).
    pub fn name(self) -> &'static str {
        match self {
            WindowUnit::WorkingDays => "working-days",
            WindowUnit::CalendarDays => "calendar-days",
            WindowUnit::Weeks => "weeks",
            WindowUnit::Immediately => "immediately",
            WindowUnit::AgreedDate => "agreed-date",
            WindowUnit::NoneStated => "none-stated",
        }
    }
}

/// Where a clock starts, when it is not the day its stage is entered (or its duty
/// starts).
///
/// In TOML a one-key table: `from = { step = "follow-up-report" }` starts a
/// stage's window on the day that step of the same stage is recorded (a `step`
/// event); `from = { stages = ["stage-1", "stage-2"] }` starts the open threshold
/// on the day the alert first enters any of those stages. Until then nothing is
/// due, and [`status`](crate::engine::status) says what is awaited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockStart {
    /// A named step of the same stage (for a stage's window).
    Step(Arc<str>),
    /// The first entry into any of these stages (for the open threshold).
    Stages(Vec<Arc<str>>),
}

/// How long the responder has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Window {
    /// The unit.
    pub unit: WindowUnit,
    /// How many units; required for `working-days`, `calendar-days` and `weeks`,
    /// absent for `immediately`, `agreed-date` and `none-stated`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// Where the clock starts, if not on entering the stage: a step of the stage
    /// (`from = { step = "follow-up-report" }`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<ClockStart>,
    /// The most working days the stage may take from its clock's start, extra
    /// time included ("Maximum timeframe for ASCM response is 5 working days"):
    /// an `extend` to a later date is refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_working_days: Option<u32>,
    /// Where the window comes from.
    pub provenance: Provenance,
}

/// What happens when a stage's window runs out without a resolution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ExpiryAction {
    /// Escalation becomes due; the raiser decides whether to escalate.
    EscalationDue,
    /// The alert moves to the next stage automatically.
    EscalatesAutomatically,
    /// The other side is deemed to agree (e.g. review decisions deemed agreed).
    DeemedAgreed,
    /// Nothing moves: the alert is only flagged as overdue.
    FlagOnly,
}

/// A stage's rule for when its window runs out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expiry {
    /// What happens.
    pub action: ExpiryAction,
    /// Where the rule comes from.
    pub provenance: Provenance,
}

/// The record a stage requires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// The form or record, as the document names it ("IRO Alert Form").
    pub form: String,
    /// Its fields, where the document lists them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
    /// Where it is kept, where the document says ("FWi", "Eclipse").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    /// Where the rule comes from.
    pub provenance: Provenance,
}

/// Somebody to be notified or copied in when a stage is entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notice {
    /// The role to notify.
    pub role: String,
    /// Where the rule comes from.
    pub provenance: Provenance,
}

/// A route from one stage to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Route {
    /// The stage the route leads to.
    pub to: Arc<str>,
    /// What must happen before the route is taken, in the document's words
    /// (Birmingham: a discussion with the immediate line manager). The engine
    /// cannot check it; an escalation along the route asks for it to be
    /// confirmed ([`Effect::ConfirmCondition`](crate::engine::Effect::ConfirmCondition)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// Where the route comes from.
    pub provenance: Provenance,
}

/// Which later stages an escalation may jump to, skipping those in between.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bypass {
    /// The stages that may be reached directly from this one.
    pub to: Vec<Arc<str>>,
    /// The condition, in the document's words (e.g. prior discussion with the
    /// line manager, except in emergencies). The engine records it in the audit
    /// trail; it cannot check it.
    pub condition: String,
    /// Where the rule comes from.
    pub provenance: Provenance,
}

/// Whether and when an alert may be raised directly at a stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// When an alert may start here, in the document's words.
    pub condition: String,
    /// Where the rule comes from.
    pub provenance: Provenance,
}

/// Where a branch outcome leads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeNext {
    /// The alert is resolved with this outcome.
    Resolve,
    /// The alert moves to the named stage.
    Stage(Arc<str>),
}

/// A branch outcome of a stage (e.g. the provider's response is satisfactory).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    /// Identifier used in events (`unsatisfactory`).
    pub id: Arc<str>,
    /// The outcome as the document words it.
    pub name: String,
    /// Where it leads: `then = "resolve"` or `then = { stage = "provider-meeting" }`.
    pub then: OutcomeNext,
    /// Duties beside the ladder that this outcome starts (ids of `[[duties]]`),
    /// e.g. informing the regional framework of a decision to suspend.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub starts: Vec<Arc<str>>,
    /// Where the rule comes from.
    pub provenance: Provenance,
}

/// A stage's rule that a plain response, without choosing an outcome, is
/// accepted: the alert moves on to the raiser's decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionalOutcome {
    /// Where the rule comes from.
    pub provenance: Provenance,
}

/// A named step within a stage, recorded with a `step` event (the unannounced
/// QA visit; the follow-up report). A window may start its clock at one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageStep {
    /// Identifier, unique in the stage (`follow-up-report`).
    pub id: Arc<str>,
    /// The step as the document words it.
    pub name: String,
    /// The roles who carry it out.
    pub by: Vec<String>,
    /// Where the step comes from.
    pub provenance: Provenance,
}

/// Which open stages a duty may be started from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DutyAvailability {
    /// Any stage, while the alert is open (Nottingham's emergency action).
    AnyOpenStage,
    /// Only the named stages (the action plan's review, from the provider meeting on).
    Stages(Vec<Arc<str>>),
    /// Never by a `start-duty` event: only by the outcomes, duties or rules that
    /// name it in `starts` (`available = "by-rule"`).
    ByRule,
}

/// A duty beside the ladder: something that must be done, with its own window,
/// tracked in the alert's state without moving the alert's stage.
///
/// Duties are started by a `start-duty` event (where `available` allows), by an
/// outcome's `starts`, by another duty's `then_starts` when that duty is
/// completed, or by the ladder's `on_resolve.starts`; they end with a
/// `complete-duty` event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Duty {
    /// Identifier used in events (`emergency-action`).
    pub id: Arc<str>,
    /// The duty as the document words it.
    pub name: String,
    /// The roles who must carry it out (at least one).
    pub owners: Vec<String>,
    /// How long they have, from the day the duty starts.
    pub window: Window,
    /// Where a `start-duty` event may start it.
    pub available: DutyAvailability,
    /// Who is notified when it starts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notify: Vec<Notice>,
    /// The record it requires, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<Record>,
    /// Duties started when this one is completed (a suspension in an emergency
    /// starts the written decision and the notice to the regional framework).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub then_starts: Vec<Arc<str>>,
    /// Where the duty comes from.
    pub provenance: Provenance,
}

/// What happens whenever the alert is resolved, at any stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OnResolve {
    /// The record made on resolution (Oxfordshire's case note headed "Outcome of
    /// Resolution and Escalation").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<Record>,
    /// Duties started on resolution (Birmingham's feedback to practitioners).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub starts: Vec<Arc<str>>,
    /// Where the rule comes from.
    pub provenance: Provenance,
}

/// One stage of a ladder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    /// Identifier, unique in the ladder (`stage-2`).
    pub id: Arc<str>,
    /// The stage as the document names it.
    pub name: String,
    /// The role that raises the alert at, or escalates it to, this stage.
    pub raised_by: String,
    /// The roles that must respond at this stage (at least one).
    pub responders: Vec<String>,
    /// How long the responders have.
    pub window: Window,
    /// What happens when the window runs out.
    pub on_expiry: Expiry,
    /// The record the stage requires, if the document names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<Record>,
    /// Who is notified or copied in on entry.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notify: Vec<Notice>,
    /// Whether an alert may be raised directly at this stage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<Entry>,
    /// The next stage on escalation; none for the top of the ladder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<Route>,
    /// Later stages an escalation may jump to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bypass: Option<Bypass>,
    /// Branch outcomes of the stage's response.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outcomes: Vec<Outcome>,
    /// Present when a response need not choose an outcome.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional_outcome: Option<OptionalOutcome>,
    /// Named steps within the stage, recorded with `step` events.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<StageStep>,
}

/// The statutory or local ceiling on the whole procedure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ceiling {
    /// Working days from the day the alert is raised (day 0).
    pub working_days: u32,
    /// Where the ceiling comes from.
    pub provenance: Provenance,
}

/// A referral that may be made alongside the ladder at any stage (e.g. Cafcass).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Referral {
    /// Identifier used in events (`cafcass`).
    pub id: Arc<str>,
    /// The body referred to, as the document names it.
    pub name: String,
    /// Where the rule comes from.
    pub provenance: Provenance,
}

/// A monitoring threshold: alerts open longer than this are reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenThreshold {
    /// Working days after which an open alert is flagged, from raising or from
    /// `from`.
    pub working_days: u32,
    /// Where the clock starts, if not at raising: the first entry into any of the
    /// named stages (`from = { stages = ["stage-1", "stage-2", "stage-3"] }`;
    /// Birmingham counts from the formal Notification of Concern).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<ClockStart>,
    /// Where the rule comes from.
    pub provenance: Provenance,
}

/// An escalation procedure: stages in order, with their windows and routes.
///
/// Load one with [`Ladder::from_toml_str`](super::Ladder::from_toml_str) (or
/// [`Ladder::from_json_str`](super::Ladder::from_json_str)) or take a built-in
/// one from [`builtin`](super::builtin). The file format is documented key by
/// key in `docs/ladder-schema.md`.
///
/// **Deserializing validates.** `Ladder`'s `Deserialize` runs the same
/// [validation rules](super#validation-rules) as the loaders: however a ladder
/// is read (`toml::from_str`, `serde_json::from_str`, any serde format), a
/// ladder that breaks a rule is refused, with the [`LadderError`](super::LadderError)'s
/// message as the format's error. The loaders are still the better way in:
/// their errors are [`LadderError`](super::LadderError)s that name the file and,
/// for TOML, the line. A ladder built or changed in code is checked with
/// [`Ladder::validate`](super::Ladder::validate).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ladder {
    /// Always `"ladder"`; distinguishes ladder files from schedule files.
    pub kind: ProcedureKind,
    /// Identifier (`iro-dispute-resolution`).
    pub id: Arc<str>,
    /// Title, as the document gives it.
    pub title: String,
    /// The authority whose procedure it is.
    pub authority: String,
    /// The source document.
    pub source: SourceDocument,
    /// Which cases the ladder applies to.
    pub scope: Statement,
    /// How working days are counted.
    pub working_days: WorkingDayRules,
    /// The overall ceiling, if the procedure has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ceiling: Option<Ceiling>,
    /// Alerts open longer than this are reported, if the procedure says so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open_threshold: Option<OpenThreshold>,
    /// The roles.
    pub roles: Vec<Role>,
    /// The categories of concern (may be empty).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<Category>,
    /// Referrals that may be made at any stage.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub referrals: Vec<Referral>,
    /// The stages, in order: the default path follows `next` from the first.
    pub stages: Vec<Stage>,
    /// Duties beside the ladder, each with its own window.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub duties: Vec<Duty>,
    /// What happens whenever the alert is resolved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_resolve: Option<OnResolve>,
    /// Sentences of the source document this ladder does not model, each with
    /// the reason, so that every sentence maps to a rule or to a stated omission.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub omitted: Vec<Omission>,
    /// The ladder's fingerprint, computed once on first use.
    #[serde(skip)]
    pub(crate) fingerprint: FingerprintCache,
}

/// A stable content hash of a ladder: its every rule, as its JSON form
/// writes them (FNV-1a, 64 bit). A state records the fingerprint of the
/// ladder that computed its dates ([`Ladder::fingerprint`]).
///
/// Its text is `lad-` and 16 lower-case hexadecimal digits, read by exactly
/// that pattern; no ladder's own fingerprint is `lad-0000000000000000`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(try_from = "String")]
pub struct LadderFingerprint([u8; 8]);

crate::calendar::fingerprint_text!(LadderFingerprint, "lad");

/// The once-computed fingerprint a ladder carries; it takes no part in
/// comparing ladders (equal ladders have equal fingerprints).
#[derive(Debug, Clone, Default)]
pub(crate) struct FingerprintCache(std::sync::OnceLock<LadderFingerprint>);

impl PartialEq for FingerprintCache {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for FingerprintCache {}

impl Ladder {
    /// The ladder's fingerprint: a stable hash of every rule (ids, windows,
    /// routes, provenance), the same on every platform; computed on first
    /// use, then kept. A state records it ([`AlertState::ladder_fingerprint`](crate::engine::AlertState::ladder_fingerprint)),
    /// so that a state computed on another version of the ladder is noticed.
    ///
    /// # Example
    ///
    /// ```
    /// use escalation_ladder::ladder::{builtin, Ladder};
    ///
    /// let ladder = builtin::ladder("oxfordshire-resolution-escalation")?;
    /// let again = builtin::ladder("oxfordshire-resolution-escalation")?;
    /// assert_eq!(ladder.fingerprint(), again.fingerprint());
    /// let text = builtin::source("oxfordshire-resolution-escalation").unwrap()
    ///     .replacen("Maximum timeframe for ASCM", "Most time for the ASCM", 1);
    /// let changed = Ladder::from_toml_str(&text, "changed.toml")?;
    /// assert_ne!(ladder.fingerprint(), changed.fingerprint());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn fingerprint(&self) -> LadderFingerprint {
        *self.fingerprint.0.get_or_init(|| {
            let bytes = serde_json::to_vec(self).unwrap_or_default();
            LadderFingerprint::from_number(crate::calendar::fingerprint_number(
                crate::calendar::fnv1a(bytes),
            ))
        })
    }
}

/// A ladder as read, before validation: the file format of [`Ladder`] (the
/// same keys, the same defaults, unknown keys refused). Every loader reads
/// this, validates it and only then has a [`Ladder`]; nothing outside the
/// module can get one without the rules. The destructuring in
/// [`LadderFields::unchecked`] keeps the two field lists the same.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LadderFields {
    kind: ProcedureKind,
    id: Arc<str>,
    title: String,
    authority: String,
    source: SourceDocument,
    scope: Statement,
    working_days: WorkingDayRules,
    #[serde(default)]
    ceiling: Option<Ceiling>,
    #[serde(default)]
    open_threshold: Option<OpenThreshold>,
    roles: Vec<Role>,
    #[serde(default)]
    categories: Vec<Category>,
    #[serde(default)]
    referrals: Vec<Referral>,
    stages: Vec<Stage>,
    #[serde(default)]
    duties: Vec<Duty>,
    #[serde(default)]
    on_resolve: Option<OnResolve>,
    #[serde(default)]
    omitted: Vec<Omission>,
}

impl LadderFields {
    /// The ladder, not yet validated nor linked: for the loaders only.
    pub(super) fn unchecked(self) -> Ladder {
        let LadderFields {
            kind,
            id,
            title,
            authority,
            source,
            scope,
            working_days,
            ceiling,
            open_threshold,
            roles,
            categories,
            referrals,
            stages,
            duties,
            on_resolve,
            omitted,
        } = self;
        Ladder {
            kind,
            id,
            title,
            authority,
            source,
            scope,
            working_days,
            ceiling,
            open_threshold,
            roles,
            categories,
            referrals,
            stages,
            duties,
            on_resolve,
            omitted,
            fingerprint: FingerprintCache::default(),
        }
    }
}

/// A passage of the source document that no rule models, and why (background,
/// a duty outside any alert's life, a heading).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Omission {
    /// The passage, quoted (one sentence or several).
    pub text: String,
    /// Why no rule models it.
    pub reason: String,
}

/// One milestone of a schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    /// Identifier (`final-report`).
    pub id: String,
    /// What happens, in the document's words.
    pub name: String,
    /// The day number it falls on (Day 1 is the starting day).
    pub day: u32,
    /// The last day number, for a milestone that spans days ("Day 11 to 20").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until_day: Option<u32>,
    /// For a milestone that repeats ("Twice weekly Keep In Touch meetings").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeats: Option<Repeat>,
    /// Where the milestone comes from.
    pub provenance: Provenance,
}

/// How a schedule milestone repeats: `times_per_week` meetings in each Monday to
/// Sunday week from its day to `until_day`.
///
/// In each week the first falls on the first working day of the week within the
/// span, and each further one on the first working day within the span at least
/// `7 / times_per_week` calendar days (rounded down, at least 1) after the one
/// before: twice weekly from a Monday gives Monday and Thursday. A week with too
/// few working days left in the span has fewer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Repeat {
    /// How many times a week (1..=5).
    pub times_per_week: u32,
    /// The last day number it repeats on.
    pub until_day: u32,
    /// Where the rule comes from.
    pub provenance: Provenance,
}

/// A fixed timetable of milestones on working-day numbers.
///
/// Day 1 is the starting day (rolled forward to a working day if it is not one);
/// day `k` is `k - 1` working days after day 1.
///
/// Like [`Ladder`], deserializing validates (the schedule rules), and a
/// schedule built or changed in code is checked with
/// [`Schedule::validate`](super::Schedule::validate).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Schedule {
    /// Always `"schedule"`.
    pub kind: ProcedureKind,
    /// Identifier.
    pub id: String,
    /// Title, as the document gives it.
    pub title: String,
    /// The authority whose timetable it is.
    pub authority: String,
    /// The source document.
    pub source: SourceDocument,
    /// What the schedule applies to.
    pub scope: Statement,
    /// How working days are counted.
    pub working_days: WorkingDayRules,
    /// The milestones, in day order.
    pub milestones: Vec<Milestone>,
    /// Sentences of the source document this schedule does not model, each with
    /// the reason.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub omitted: Vec<Omission>,
}

/// A schedule as read, before validation: see [`LadderFields`].
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ScheduleFields {
    kind: ProcedureKind,
    id: String,
    title: String,
    authority: String,
    source: SourceDocument,
    scope: Statement,
    working_days: WorkingDayRules,
    milestones: Vec<Milestone>,
    #[serde(default)]
    omitted: Vec<Omission>,
}

impl ScheduleFields {
    /// The schedule, not yet validated: for the loaders only.
    pub(super) fn unchecked(self) -> Schedule {
        let ScheduleFields {
            kind,
            id,
            title,
            authority,
            source,
            scope,
            working_days,
            milestones,
            omitted,
        } = self;
        Schedule {
            kind,
            id,
            title,
            authority,
            source,
            scope,
            working_days,
            milestones,
            omitted,
        }
    }
}

/// Whether a procedure file holds a ladder or a schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ProcedureKind {
    /// A ladder of stages ([`Ladder`]).
    Ladder,
    /// A timetable of milestones ([`Schedule`]).
    Schedule,
}

impl ProcedureKind {
    /// The kind's name as it appears in TOML and JSON (`"ladder"`, `"schedule"`).
    pub fn name(self) -> &'static str {
        match self {
            ProcedureKind::Ladder => "ladder",
            ProcedureKind::Schedule => "schedule",
        }
    }
}

/// A loaded procedure: a ladder or a schedule.
// A procedure is loaded once and kept: the size of the ladder variant costs
// nothing worth boxing it for.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Procedure {
    /// A ladder of stages.
    Ladder(Ladder),
    /// A timetable of milestones.
    Schedule(Schedule),
}
