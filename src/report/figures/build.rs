//! The report over cases held in memory: every case added to one
//! [`Figures`], with its lists.

use chrono::NaiveDate;

use super::super::case::Case;
use super::super::error::ReportError;
use super::super::procedures::Procedures;
use super::model::{Report, ReportOptions};
use super::{At, Figures, Lists};

impl<'c> Report<'c> {
    /// Builds the report over `cases` as at `as_of`.
    ///
    /// Each case's ladder and calendar come from `procedures`; each open case's
    /// [`status`](crate::engine::status) is asked once. Cases should be read up to the as-of date
    /// ([`CaseReader::events_until`](crate::report::CaseReader::events_until)); a case
    /// not raised by then is counted in `cases.not_raised` and nothing else.
    ///
    /// # Errors
    ///
    /// [`ReportError::Period`] when the period cannot be placed before `as_of`;
    /// [`ReportError::Calendar`] for an `as_of` outside the calendars' range;
    /// [`ReportError::UnknownLadder`] for a case whose ladder `procedures` lacks;
    /// [`ReportError::EventsAfterAsOf`] for a case with an event after `as_of`;
    /// [`ReportError::Engine`] when a status cannot be computed.
    ///
    /// # Example
    ///
    /// An IRO alert raised with a team manager on Friday 18 December 2026 is due
    /// Tuesday 29 December (Christmas Day and the Boxing Day substitute on the
    /// 28th are not working days). As at Monday 4 January 2027 it is 3 working
    /// days overdue: 30 and 31 December, and 4 January (New Year's Day skipped).
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use escalation_ladder::report::{read_cases, Procedures, Report, ReportOptions};
    ///
    /// let procedures = Procedures::builtin()?;
    /// let input = r#"{"case":"IRO-1","team":"North","ladder":"iro-dispute-resolution","events":[{"on":"2026-12-18","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"}]}"#;
    /// let cases = read_cases(input.as_bytes(), &procedures)?;
    /// let as_of = NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
    /// let report = Report::build(&procedures, &cases, as_of, &ReportOptions::default())?;
    /// assert_eq!(report.period.label, "December 2026");
    /// assert_eq!(report.open.total, 1);
    /// let overdue = &report.overdue.alerts[0];
    /// assert_eq!(overdue.due, NaiveDate::from_ymd_opt(2026, 12, 29).unwrap());
    /// assert_eq!(overdue.working_days_overdue, 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn build(
        procedures: &Procedures,
        cases: impl IntoIterator<Item = &'c Case>,
        as_of: NaiveDate,
        options: &ReportOptions,
    ) -> Result<Report<'c>, ReportError> {
        let period = options.period.dates(as_of)?;
        procedures.check_date(as_of)?;
        let at = At {
            procedures,
            as_of,
            period: &period,
            options,
        };
        let mut figures: Figures<&'c str> = Figures::default();
        let mut lists = Lists::default();
        for case in cases {
            figures.add(&at, case, Some(&mut lists))?;
        }
        Ok(figures.report(&at, lists, |name| *name))
    }
}
