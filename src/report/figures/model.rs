//! The report's figures: what [`Report::build`](crate::report::Report::build) computes
//! and the text, JSON and CSV forms show.
//!
//! Everything borrows from the cases it was built over (`'c`): a report over a
//! million cases holds references, not copies.
//!
//! Groups are sorted: ladders in the [`Procedures`](crate::report::Procedures)' order,
//! stages and categories in their ladder's order, teams and workers
//! alphabetically, with a missing team or worker ("(not recorded)") and a
//! missing category ("(none)") last. Alert lists are sorted by their figure
//! (most overdue first, then by due date; due soon by due date; open longer by
//! working days open, most first; breaches open first, then by working days
//! past the ceiling; extensions and closures by date), and alerts that tie keep
//! the order the cases were given in.

use std::sync::Arc;

use chrono::NaiveDate;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::ladder::ExpiryAction;

use super::super::case::{Case, Closure, MoveKind};
use super::super::period::{Period, PeriodDates};

/// What a report covers and where its thresholds are.
///
/// # Example
///
/// ```
/// use escalation_ladder::report::{Period, ReportOptions};
///
/// let options = ReportOptions { period: Period::Quarter, ..ReportOptions::default() };
/// assert_eq!(options.due_within_working_days, Some(2));
/// assert_eq!(options.warn_at_percent_used, Some(80));
/// assert_eq!(options.open_longer_than_working_days, 20);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ReportOptions {
    /// The period of the period sections (timeliness, escalations, extensions,
    /// closed, raised). Default: [`Period::Month`].
    pub period: Period,
    /// An open alert is *due soon* when its response is due within this many
    /// working days of the as-of date (0: due on the as-of date). Default: 2.
    /// `None` turns this test off.
    pub due_within_working_days: Option<u32>,
    /// An open alert is *due soon* when it has used at least this percentage
    /// of its response window (working days from entering the stage to the
    /// as-of date, over working days from entering it to the response date).
    /// Default: 80. `None` turns this test off.
    pub warn_at_percent_used: Option<u32>,
    /// An open alert is listed as *open longer* when it has been open more than
    /// this many working days, (raised, as-of]. Default: 20 (Birmingham's
    /// notice of notifications open longer than 20 working days). Alerts over
    /// their own ladder's `open_threshold` are listed too.
    pub open_longer_than_working_days: u32,
}

impl Default for ReportOptions {
    fn default() -> ReportOptions {
        ReportOptions {
            period: Period::Month,
            due_within_working_days: Some(2),
            warn_at_percent_used: Some(80),
            open_longer_than_working_days: 20,
        }
    }
}

/// The figures of a monitoring report as at a date. See the
/// [module documentation](crate::report) for every definition.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
// The published schema keeps the description it had when this type lived in
// the report module itself.
#[cfg_attr(
    feature = "schema",
    schemars(
        description = "The figures of a monitoring report as at a date. See the\n[module documentation](super) for every definition."
    )
)]
pub struct Report<'c> {
    /// The document's schema version ([`REPORT_SCHEMA_VERSION`](crate::contract::REPORT_SCHEMA_VERSION)).
    pub schema_version: crate::version::SchemaVersion<{ crate::version::REPORT_SCHEMA_VERSION }>,
    /// The as-of date: "now" for the open-alert sections.
    pub as_of: NaiveDate,
    /// The period of the period sections.
    pub period: PeriodDates,
    /// The thresholds used.
    pub options: ReportOptions,
    /// How many cases were read, and how many are open and closed.
    pub cases: CaseTotals,
    /// Open alerts as at the as-of date, counted by ladder, stage, category,
    /// team and worker.
    pub open: OpenAlerts<'c>,
    /// Open alerts whose response is past due.
    pub overdue: Listing<OverdueAlert<'c>>,
    /// Duties beside the ladder past their due date, open and closed alerts
    /// alike (feedback after a resolution is still owed).
    pub overdue_duties: Listing<OverdueDuty<'c>>,
    /// Open alerts not yet overdue but due soon (within N working days, or with
    /// P% of the window used).
    pub due_soon: Listing<DueSoonAlert<'c>>,
    /// Open alerts open longer than the threshold or their ladder's own.
    pub open_longer: Listing<LongOpenAlert<'c>>,
    /// Alerts with a ceiling breach: open ones, and those closed in the period.
    pub ceiling_breaches: Listing<BreachAlert<'c>>,
    /// Extra time agreed in the period.
    pub extensions: Extensions<'c>,
    /// Stage responses due in the period, on time or not.
    pub timeliness: Timeliness<'c>,
    /// Moves between stages in the period.
    pub escalations: Escalations<'c>,
    /// Alerts closed in the period, with the working days they took.
    pub closed: ClosedInPeriod<'c>,
    /// Alerts raised in the period, by category and team.
    pub raised: RaisedInPeriod<'c>,
    /// The headline figures, each also found in its section: what a summary
    /// page leads with.
    pub headline: Headline,
    /// The previous report's headline (the period before, as at the same
    /// distance before the as-of date: [`PeriodDates::previous`]), to show
    /// the change; none unless asked for
    /// ([`ReportBuilder::with_previous`](crate::report::ReportBuilder::with_previous),
    /// [`Report::compare_with`]).
    pub previous: Option<PreviousReport>,
    /// Open alerts by how long they have been open, against their ceiling.
    pub ageing: Ageing<'c>,
    /// Alerts raised and closed in each of the 12 calendar months up to and
    /// including the month the period ends in, oldest first.
    pub by_month: Vec<MonthCount>,
}

impl Report<'_> {
    /// The headline figures, read from their sections.
    pub(crate) fn headline_figures(&self) -> Headline {
        Headline {
            raised: self.raised.total,
            closed: self.closed.summary.count,
            resolved: self.closed.summary.resolved,
            open: self.open.total,
            overdue: self.overdue.count as u64,
            ceiling_breaches: self.ceiling_breaches.count as u64,
            overdue_duties: self.overdue_duties.count as u64,
        }
    }

    /// Sets `previous` to `earlier`'s dates and headline: the change a summary
    /// shows. `earlier` is the report before this one, as
    /// [`PeriodDates::previous`] places it.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use escalation_ladder::report::{CaseReader, Procedures, Report, ReportOptions, Period};
    ///
    /// let procedures = Procedures::builtin()?;
    /// let file = std::fs::read_to_string("examples/data/cases.jsonl")?;
    /// let as_of = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    /// let options = ReportOptions::default();
    /// let period = Period::Month.dates(as_of)?;
    /// let (before, previous_period) = period.previous(as_of).unwrap();
    /// let range = Period::Range { from: previous_period.from, to: previous_period.to };
    /// let read = |until| CaseReader::new(file.as_bytes(), &procedures).events_until(until).read_all();
    /// let (now, then) = (read(as_of)?, read(before)?);
    /// let earlier = Report::build(&procedures, &then, before, &ReportOptions { period: range, ..options })?;
    /// let mut report = Report::build(&procedures, &now, as_of, &options)?;
    /// report.compare_with(&earlier);
    /// let previous = report.previous.as_ref().unwrap();
    /// assert_eq!(previous.as_of, NaiveDate::from_ymd_opt(2026, 10, 23).unwrap());
    /// assert_eq!(previous.headline.raised, earlier.raised.total);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn compare_with(&mut self, earlier: &Report<'_>) {
        self.previous = Some(PreviousReport {
            as_of: earlier.as_of,
            period: earlier.period.clone(),
            headline: earlier.headline,
        });
    }
}

/// The figures a summary leads with. Each is also in its section of the
/// [`Report`]; the names say where.
///
/// # Example
///
/// ```
/// use chrono::NaiveDate;
/// use escalation_ladder::report::{read_cases, Procedures, Report, ReportOptions};
///
/// let procedures = Procedures::builtin()?;
/// let input = r#"{"case":"IRO-1","ladder":"iro-dispute-resolution","events":[{"on":"2026-12-18","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"}]}"#;
/// let cases = read_cases(input.as_bytes(), &procedures)?;
/// let as_of = NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
/// let report = Report::build(&procedures, &cases, as_of, &ReportOptions::default())?;
/// // Raised in December, due on the 29th (after Christmas): overdue on 4 January.
/// assert_eq!((report.headline.raised, report.headline.open, report.headline.overdue), (1, 1, 1));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Headline {
    /// Alerts raised in the period (`raised.total`).
    pub raised: u64,
    /// Closures in the period: resolved, deemed agreed or withdrawn
    /// (`closed.summary.count`).
    pub closed: u64,
    /// Of those, resolved (`closed.summary.resolved`).
    pub resolved: u64,
    /// Open as at the as-of date (`open.total`).
    pub open: u64,
    /// Open with the response overdue (`overdue.count`).
    pub overdue: u64,
    /// Open past their ceiling or given extra time beyond it, and those closed
    /// in the period with either (`ceiling_breaches.count`).
    pub ceiling_breaches: u64,
    /// Duties beside the ladder past due (`overdue_duties.count`).
    pub overdue_duties: u64,
}

/// The report before this one, for the change: its dates and its headline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PreviousReport {
    /// Its as-of date.
    pub as_of: NaiveDate,
    /// Its period.
    pub period: PeriodDates,
    /// Its headline figures.
    pub headline: Headline,
}

/// Open alerts by working days open, (raised, as-of], in bands, each band
/// split by the alert's ceiling: within it, past it, or a ladder without one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Ageing<'c> {
    /// The bands, youngest first: 0 to 5 working days, 6 to 10, … (see
    /// [`AGE_BANDS`]); their counts add up to `open.total`.
    pub bands: Vec<AgeBand>,
    /// The ceilings of the ladders with open alerts, in working days (a chart
    /// marks them).
    pub ceilings: Vec<LadderCeiling<'c>>,
}

/// The bands of [`Ageing`]: each band's first and last working day open
/// (none: no end).
pub const AGE_BANDS: [(u32, Option<u32>); 9] = [
    (0, Some(5)),
    (6, Some(10)),
    (11, Some(15)),
    (16, Some(20)),
    (21, Some(25)),
    (26, Some(30)),
    (31, Some(40)),
    (41, Some(60)),
    (61, None),
];

/// One band of [`Ageing`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AgeBand {
    /// Its first working day open.
    pub from: u32,
    /// Its last; none for the last band.
    pub to: Option<u32>,
    /// Open alerts whose ceiling has not passed.
    pub within_ceiling: u64,
    /// Open alerts past their ceiling date.
    pub past_ceiling: u64,
    /// Open alerts of ladders without a ceiling.
    pub no_ceiling: u64,
}

impl AgeBand {
    /// The band's open alerts.
    pub fn total(&self) -> u64 {
        self.within_ceiling + self.past_ceiling + self.no_ceiling
    }
}

/// A ladder's ceiling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LadderCeiling<'c> {
    /// The ladder.
    pub ladder: &'c str,
    /// Its ceiling in working days.
    pub working_days: u32,
}

/// Alerts raised and closed in one calendar month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MonthCount {
    /// The month, `YYYY-MM`.
    pub month: String,
    /// Alerts raised in it.
    pub raised: u64,
    /// Closures in it: resolved, deemed agreed or withdrawn (an alert
    /// reopened and closed again counts each time).
    pub closed: u64,
    /// Of those, resolved.
    pub resolved: u64,
}

/// How many cases the report read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CaseTotals {
    /// Every case given.
    pub read: u64,
    /// Cases whose events all come after the as-of date.
    pub not_raised: u64,
    /// Open as at the as-of date.
    pub open: u64,
    /// Closed (resolved, deemed agreed or withdrawn) by the as-of date.
    pub closed: u64,
}

/// A list of alerts with its length.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Listing<T> {
    /// How many alerts.
    pub count: usize,
    /// The alerts.
    pub alerts: Vec<T>,
}

/// A case in a report's list: serialized as its id, child, team, worker,
/// ladder, category and raised date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlertRef<'c>(pub &'c Case);

impl<'c> AlertRef<'c> {
    /// The case.
    pub fn case(self) -> &'c Case {
        self.0
    }
}

impl Serialize for AlertRef<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let case = self.0;
        let mut map = serializer.serialize_map(Some(7))?;
        map.serialize_entry("case", &*case.id)?;
        map.serialize_entry("child", &case.child.as_deref())?;
        map.serialize_entry("team", &case.team.as_deref())?;
        map.serialize_entry("worker", &case.worker.as_deref())?;
        map.serialize_entry("ladder", &*case.state.ladder)?;
        map.serialize_entry("category", &case.state.category.as_deref())?;
        map.serialize_entry("raised_on", &case.state.raised_on)?;
        map.end()
    }
}

/// The shape [`AlertRef`] writes, for its schema.
#[cfg(feature = "schema")]
#[derive(schemars::JsonSchema)]
#[schemars(rename = "AlertRef")]
#[allow(dead_code)]
struct AlertRefShape {
    /// The alert's id.
    case: String,
    /// The child's id.
    child: Option<String>,
    /// The team holding the case.
    team: Option<String>,
    /// The worker holding the case.
    worker: Option<String>,
    /// The ladder the alert runs on.
    ladder: String,
    /// The category of concern.
    category: Option<String>,
    /// The day the alert was raised.
    raised_on: Option<NaiveDate>,
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for AlertRef<'_> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        AlertRefShape::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        AlertRefShape::json_schema(generator)
    }
}

/// Open alerts as at the as-of date.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OpenAlerts<'c> {
    /// How many.
    pub total: u64,
    /// By ladder.
    pub by_ladder: Vec<LadderCount<'c>>,
    /// By ladder and current stage.
    pub by_stage: Vec<StageCount<'c>>,
    /// By ladder and category.
    pub by_category: Vec<CategoryCount<'c>>,
    /// By team.
    pub by_team: Vec<TeamCount<'c>>,
    /// By worker.
    pub by_worker: Vec<WorkerCount<'c>>,
    /// Every open alert, with who must act, its next deadline and its
    /// ceiling: by next deadline (none last), then in the order read.
    pub alerts: Vec<OpenAlert<'c>>,
}

/// One open alert as at the as-of date: who must act and by when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OpenAlert<'c> {
    /// The case.
    #[serde(flatten)]
    pub alert: AlertRef<'c>,
    /// Its current stage.
    pub stage: &'c str,
    /// The roles that must act now (role ids of the ladder); alerts at the
    /// same point of a ladder share one list.
    pub who_must_act: Arc<[String]>,
    /// The next deadline: the response date, if the stage's window sets one.
    pub next_deadline: Option<NaiveDate>,
    /// Working days from the as-of date to the deadline; negative when overdue.
    pub working_days_left: Option<i64>,
    /// Whether the response is overdue.
    pub overdue: bool,
    /// The ceiling date, for a ladder with a ceiling.
    pub ceiling: Option<NaiveDate>,
}

/// A count for one ladder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LadderCount<'c> {
    /// The ladder.
    pub ladder: &'c str,
    /// How many.
    pub count: u64,
}

/// A count for one stage of a ladder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StageCount<'c> {
    /// The ladder.
    pub ladder: &'c str,
    /// The stage.
    pub stage: &'c str,
    /// How many.
    pub count: u64,
}

/// A count for one category of a ladder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CategoryCount<'c> {
    /// The ladder.
    pub ladder: &'c str,
    /// The category; none when the alert was raised without one.
    pub category: Option<&'c str>,
    /// How many.
    pub count: u64,
}

/// A count for one team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TeamCount<'c> {
    /// The team; none when not recorded.
    pub team: Option<&'c str>,
    /// How many.
    pub count: u64,
}

/// A count for one worker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct WorkerCount<'c> {
    /// The worker; none when not recorded.
    pub worker: Option<&'c str>,
    /// How many.
    pub count: u64,
}

/// An open alert whose response is past due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OverdueAlert<'c> {
    /// The case.
    #[serde(flatten)]
    pub alert: AlertRef<'c>,
    /// Its current stage.
    pub stage: &'c str,
    /// The response date in force.
    pub due: NaiveDate,
    /// Working days from the due date to the as-of date, (due, as-of].
    pub working_days_overdue: i64,
    /// Whether that date was moved by agreed extra time.
    pub extended: bool,
    /// What the ladder says happens now the window has run out.
    pub on_expiry: Option<ExpiryAction>,
}

/// A duty beside the ladder past its due date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OverdueDuty<'c> {
    /// The case.
    #[serde(flatten)]
    pub alert: AlertRef<'c>,
    /// The duty's id.
    pub duty: &'c str,
    /// Who must carry it out (role ids of the ladder).
    pub owners: Vec<String>,
    /// The day it was due.
    pub due: NaiveDate,
    /// Calendar days from the due date to the as-of date (the measure of an
    /// `immediately` duty).
    pub calendar_days_overdue: i64,
    /// Working days from the due date to the as-of date, (due, as-of].
    pub working_days_overdue: i64,
}

/// An open alert due soon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DueSoonAlert<'c> {
    /// The case.
    #[serde(flatten)]
    pub alert: AlertRef<'c>,
    /// Its current stage.
    pub stage: &'c str,
    /// The response date in force.
    pub due: NaiveDate,
    /// Working days left, (as-of, due]; 0 when due on the as-of date.
    pub working_days_left: i64,
    /// The percentage of the window used (rounded down): working days from
    /// entering the stage to the as-of date over working days from entering it
    /// to the due date; 100 for a window due the day the stage was entered.
    pub window_used_percent: i64,
    /// Listed because it is due within the `due_within_working_days` option.
    pub within_due_days: bool,
    /// Listed because it used at least the `warn_at_percent_used` option.
    pub over_warning_percent: bool,
}

/// An open alert open longer than the threshold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LongOpenAlert<'c> {
    /// The case.
    #[serde(flatten)]
    pub alert: AlertRef<'c>,
    /// Its current stage.
    pub stage: &'c str,
    /// Working days open, (raised, as-of].
    pub open_working_days: i64,
    /// Whether it is over the report's threshold.
    pub over_report_threshold: bool,
    /// The ladder's own `open_threshold`, if it has one.
    pub ladder_threshold: Option<u32>,
    /// Working days on the ladder threshold's own clock (Birmingham's counts
    /// from the formal Notification of Concern, not from the informal start).
    pub ladder_clock_working_days: Option<i64>,
    /// Whether it is over the ladder's own threshold.
    pub over_ladder_threshold: bool,
}

/// An alert with a ceiling breach.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BreachAlert<'c> {
    /// The case.
    #[serde(flatten)]
    pub alert: AlertRef<'c>,
    /// Its current stage (or the stage it closed at).
    pub stage: &'c str,
    /// The ceiling date.
    pub ceiling: Option<NaiveDate>,
    /// The alert was open after the ceiling.
    pub ceiling_breached: bool,
    /// Extra time was agreed beyond the ceiling.
    pub extended_beyond_ceiling: bool,
    /// For an open alert, working days from the ceiling to the as-of date,
    /// (ceiling, as-of]; none for a closed one.
    pub working_days_past_ceiling: Option<i64>,
    /// For a closed alert, the day it closed.
    pub closed_on: Option<NaiveDate>,
}

/// Extra time agreed in the period.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Extensions<'c> {
    /// How many stage visits had extra time agreed in the period.
    pub count: usize,
    /// How many of those moved the response date beyond the ceiling.
    pub beyond_ceiling: usize,
    /// The extensions.
    pub alerts: Vec<ExtensionAlert<'c>>,
}

/// One agreed extension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ExtensionAlert<'c> {
    /// The case.
    #[serde(flatten)]
    pub alert: AlertRef<'c>,
    /// The stage.
    pub stage: &'c str,
    /// The day the extra time was (last) agreed.
    pub extended_on: NaiveDate,
    /// The response date set on entering the stage.
    pub due_as_set: Option<NaiveDate>,
    /// The response date agreed.
    pub due_in_force: Option<NaiveDate>,
    /// The alert's ceiling.
    pub ceiling: Option<NaiveDate>,
    /// Whether the agreed date is beyond the ceiling.
    pub beyond_ceiling: bool,
}

/// How the stage responses due in the period went.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Timeliness<'c> {
    /// Every response due in the period.
    pub overall: TimelinessCounts,
    /// By ladder and stage.
    pub by_stage: Vec<StageTimeliness<'c>>,
    /// By team.
    pub by_team: Vec<TeamTimeliness<'c>>,
}

/// Stage responses due in the period, by result. See the [module
/// documentation](crate::report#timeliness) for the definitions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "schema",
    schemars(
        description = "Stage responses due in the period, by result. See the [module\ndocumentation](super#timeliness) for the definitions."
    )
)]
pub struct TimelinessCounts {
    /// `on_time + late + missed`: the responses measured.
    pub measured: u64,
    /// Responded on or before the response date in force.
    pub on_time: u64,
    /// Responded after it.
    pub late: u64,
    /// No response, and the stage was left after the date, or is still waiting
    /// past it as at the as-of date.
    pub missed: u64,
    /// `on_time` as a percentage of `measured`, to one decimal place; none when
    /// nothing was measured.
    pub percent_on_time: Option<f64>,
    /// Measured responses whose date was moved by agreed extra time.
    pub extended: u64,
    /// Responses on time only because of the extra time (after the date as set,
    /// on or before the date agreed).
    pub on_time_by_extension: u64,
    /// Not measured: the alert left the stage without a response on or before
    /// the date (escalated early, resolved, withdrawn).
    pub left_before_due: u64,
    /// Not measured: due on the as-of date and not yet responded to.
    pub pending: u64,
}

/// Timeliness of one stage.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StageTimeliness<'c> {
    /// The ladder.
    pub ladder: &'c str,
    /// The stage.
    pub stage: &'c str,
    /// The counts.
    #[serde(flatten)]
    pub counts: TimelinessCounts,
}

/// Timeliness of one team.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TeamTimeliness<'c> {
    /// The team; none when not recorded.
    pub team: Option<&'c str>,
    /// The counts.
    #[serde(flatten)]
    pub counts: TimelinessCounts,
}

/// Moves between stages in the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Escalations<'c> {
    /// Escalations to the next stage.
    pub escalated: u64,
    /// Escalations to a later stage through a bypass.
    pub bypassed: u64,
    /// Moves made by a branch outcome of a response.
    pub routed: u64,
    /// By ladder, from-stage, to-stage and kind.
    pub by_route: Vec<RouteCount<'c>>,
}

/// How many moves took one route.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RouteCount<'c> {
    /// The ladder.
    pub ladder: &'c str,
    /// The stage left.
    pub from: &'c str,
    /// The stage entered.
    pub to: &'c str,
    /// How.
    pub kind: MoveKind,
    /// How many.
    pub count: u64,
}

/// Alerts closed in the period.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ClosedInPeriod<'c> {
    /// Every closure in the period.
    pub summary: ClosureSummary,
    /// By ladder.
    pub by_ladder: Vec<LadderClosures<'c>>,
    /// The closures, by date.
    pub alerts: Vec<ClosedAlert<'c>>,
}

/// Counts and working days taken of a set of closures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ClosureSummary {
    /// How many.
    pub count: u64,
    /// Resolved.
    pub resolved: u64,
    /// Deemed agreed.
    pub deemed_agreed: u64,
    /// Withdrawn.
    pub withdrawn: u64,
    /// The median of the working days taken (the mean of the middle two for
    /// an even count); none when there are none.
    pub median_working_days: Option<f64>,
    /// The most working days taken.
    pub max_working_days: Option<i64>,
    /// Closures of alerts whose ladder has a ceiling.
    pub with_ceiling: u64,
    /// Those closed on or before their ceiling date.
    pub within_ceiling: u64,
}

/// Closures of one ladder.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LadderClosures<'c> {
    /// The ladder.
    pub ladder: &'c str,
    /// Its closures.
    #[serde(flatten)]
    pub summary: ClosureSummary,
}

/// An alert closed in the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ClosedAlert<'c> {
    /// The case.
    #[serde(flatten)]
    pub alert: AlertRef<'c>,
    /// The stage it closed at.
    pub stage: &'c str,
    /// The day it closed.
    pub closed_on: NaiveDate,
    /// How.
    pub closure: Closure,
    /// The outcome recorded, if this is the alert's last closure.
    pub outcome: Option<&'c str>,
    /// Working days taken, (raised, closed].
    pub working_days: i64,
    /// The ceiling date, for a ladder with a ceiling.
    pub ceiling: Option<NaiveDate>,
    /// Whether it closed on or before the ceiling; none without one.
    pub within_ceiling: Option<bool>,
}

/// Alerts raised in the period: the analysis of categories and themes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RaisedInPeriod<'c> {
    /// How many.
    pub total: u64,
    /// By ladder and category.
    pub by_category: Vec<CategoryCount<'c>>,
    /// By team.
    pub by_team: Vec<TeamCount<'c>>,
}
