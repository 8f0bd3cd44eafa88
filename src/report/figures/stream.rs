//! The streaming path: a report's figures counted case by case, without
//! holding the cases ([`ReportBuilder`]), on the reader's worker threads too.

use std::io::BufRead;
use std::sync::Arc;

use chrono::NaiveDate;

use super::super::case::Case;
use super::super::error::{CaseError, ReportError};
use super::super::intern::Interner;
use super::super::period::PeriodDates;
use super::super::procedures::Procedures;
use super::super::reading::CaseReader;
use super::model::*;
use super::{At, Figures, Lists};

/// How many cases [`ReportBuilder`] holds before it counts them.
const BATCH: usize = 4096;

/// Builds the figures of a [`Report`] one case at a time, keeping only the
/// counts: a million cases are counted in the memory of a few thousand.
///
/// The figures are those [`Report::build`] gives over the same cases in the
/// same order (every count, group, timeliness, route and closure summary, and
/// the length of every list), but not the lists of alerts themselves: the
/// report of [`ReportFigures::report`] has every `alerts` list empty. That is
/// all [`Report::to_summary_csv`] writes. With [`keep_listed`](Self::keep_listed)
/// it keeps the cases the lists name, and only those, for the whole report
/// ([`ReportFigures::report_with_lists`]).
///
/// Cases are counted a batch at a time, so the error of a case (see
/// [`Report::build`]) may come from a later call of [`add`](Self::add), or
/// from [`finish`](Self::finish); it is the first error `Report::build` would
/// give. After an error the figures are incomplete: drop the builder.
///
/// # Example
///
/// An IRO alert raised with a team manager on Friday 18 December 2026 is due
/// Tuesday 29 December (Christmas Day and the Boxing Day substitute on the
/// 28th are not working days): as at Monday 4 January 2027 it is overdue.
///
/// ```
/// use chrono::NaiveDate;
/// use escalation_ladder::report::{CaseReader, Procedures, ReportBuilder, ReportOptions};
///
/// let procedures = Procedures::builtin()?;
/// let input = r#"{"case":"IRO-1","team":"North","ladder":"iro-dispute-resolution","events":[{"on":"2026-12-18","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"}]}
/// {"case":"IRO-2","team":"North","ladder":"iro-dispute-resolution","events":[{"on":"2026-12-18","actor":"iro","type":"raise","reason":"drift"},{"on":"2026-12-22","actor":"tm","type":"resolve","outcome":"agreed"}]}"#;
/// let as_of = NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
/// let mut builder = ReportBuilder::new(&procedures, as_of, &ReportOptions::default())?;
/// for case in CaseReader::new(input.as_bytes(), &procedures).events_until(as_of) {
///     builder.add(case?)?;
/// }
/// let figures = builder.finish()?;
/// let report = figures.report();
/// assert_eq!(report.period.label, "December 2026");
/// assert_eq!((report.cases.open, report.cases.closed), (1, 1));
/// assert_eq!(report.open.by_team[0].team, Some("North"));
/// assert_eq!(report.overdue.count, 1);
/// assert!(report.overdue.alerts.is_empty());
/// assert_eq!(report.closed.summary.resolved, 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct ReportBuilder<'p> {
    figures: ReportFigures<'p>,
    /// Cases added and not yet counted.
    pending: Vec<Case>,
    /// Team and worker names shared between the cases added, so that cases
    /// made apart still fall into few groups.
    strings: Interner,
    /// Cases added, to number them (their order, for the kept ones).
    added: usize,
}

impl<'p> ReportBuilder<'p> {
    /// A builder of the figures as at `as_of`, with the cases' ladders and
    /// calendars from `procedures`.
    ///
    /// # Errors
    ///
    /// [`ReportError::Period`] when the period cannot be placed before `as_of`;
    /// [`ReportError::Calendar`] for an `as_of` outside the calendars' range
    /// (as [`Report::build`] over no cases).
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use escalation_ladder::report::{Procedures, ReportBuilder, ReportOptions};
    ///
    /// let procedures = Procedures::builtin()?;
    /// let far = NaiveDate::from_ymd_opt(2300, 1, 1).unwrap();
    /// assert!(ReportBuilder::new(&procedures, far, &ReportOptions::default()).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(
        procedures: &'p Procedures,
        as_of: NaiveDate,
        options: &ReportOptions,
    ) -> Result<ReportBuilder<'p>, ReportError> {
        let period = options.period.dates(as_of)?;
        procedures.check_date(as_of)?;
        Ok(ReportBuilder {
            figures: ReportFigures::new(procedures, as_of, period, *options),
            pending: Vec::with_capacity(BATCH),
            strings: Interner::default(),
            added: 0,
        })
    }

    /// Counts one more case (read up to the as-of date, as for
    /// [`Report::build`]).
    ///
    /// # Errors
    ///
    /// As [`Report::build`], for this case or one added before it since the
    /// last batch was counted.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use escalation_ladder::report::{read_cases, Procedures, ReportBuilder, ReportOptions};
    ///
    /// let procedures = Procedures::builtin()?;
    /// let input = r#"{"case":"CP-1","ladder":"cp-conference-concerns","events":[{"on":"2026-12-24","actor":"chair","type":"raise","reason":"plan not implemented"}]}"#;
    /// let as_of = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
    /// let mut builder = ReportBuilder::new(&procedures, as_of, &ReportOptions::default())?;
    /// for case in read_cases(input.as_bytes(), &procedures)? {
    ///     builder.add(case)?;
    /// }
    /// // Level 1's two working days skip Christmas and the Boxing Day
    /// // substitute: due Wednesday 30th, overdue on the 31st.
    /// assert_eq!(builder.finish()?.report().overdue.count, 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add(&mut self, case: Case) -> Result<(), ReportError> {
        self.pending.push(case);
        self.added += 1;
        if self.pending.len() >= BATCH {
            self.count_pending()?;
        }
        Ok(())
    }

    /// The figures of every case added.
    ///
    /// # Errors
    ///
    /// As [`add`](Self::add), for the cases not yet counted.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use escalation_ladder::report::{Procedures, ReportBuilder, ReportOptions};
    ///
    /// let procedures = Procedures::builtin()?;
    /// let as_of = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    /// let figures = ReportBuilder::new(&procedures, as_of, &ReportOptions::default())?.finish()?;
    /// assert_eq!(figures.report().cases.read, 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn finish(mut self) -> Result<ReportFigures<'p>, ReportError> {
        self.count_pending()?;
        Ok(self.figures)
    }

    /// Counts the cases added since the last batch, their team and worker
    /// names shared first.
    fn count_pending(&mut self) -> Result<(), ReportError> {
        let first = self.added - self.pending.len();
        for (i, mut case) in std::mem::take(&mut self.pending).into_iter().enumerate() {
            for name in [&mut case.team, &mut case.worker].into_iter().flatten() {
                *name = self.strings.intern(name);
            }
            self.figures.count(first + i, case)?;
        }
        Ok(())
    }

    /// Counts the report before this one too (the period before, as at the
    /// same distance before the as-of date: [`PeriodDates::previous`]), so
    /// that the report's `previous` gives its headline. Each case is replayed
    /// once for both: only [`read_each`](Self::read_each) counts the previous
    /// report (a case given to [`add`](Self::add) is counted in this report
    /// alone). A period with no period before it within chrono's dates
    /// leaves `previous` empty.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use escalation_ladder::report::{CaseReader, Procedures, ReportBuilder, ReportOptions};
    ///
    /// let procedures = Procedures::builtin()?;
    /// let file = std::fs::read_to_string("examples/data/cases.jsonl")?;
    /// let as_of = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    /// let reader = CaseReader::new(file.as_bytes(), &procedures).events_until(as_of);
    /// let figures = ReportBuilder::new(&procedures, as_of, &ReportOptions::default())?
    ///     .with_previous()
    ///     .read_each(reader, |_, case| case)??;
    /// let report = figures.report();
    /// let previous = report.previous.unwrap();
    /// assert_eq!((report.period.label.as_str(), previous.period.label.as_str()), ("October 2026", "September 2026"));
    /// assert_eq!(previous.as_of, NaiveDate::from_ymd_opt(2026, 10, 23).unwrap());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_previous(mut self) -> ReportBuilder<'p> {
        let figures = &self.figures;
        if let Some((as_of, period)) = figures.period.previous(figures.as_of) {
            if figures.procedures.check_date(as_of).is_ok() {
                let previous =
                    ReportFigures::new(figures.procedures, as_of, period, figures.options);
                self.figures.previous = Some(Box::new(previous));
            }
        }
        self
    }

    /// Counts every case `reader` reads (after the cases added before), on
    /// the reader's worker threads: each case is counted on the thread that
    /// replayed it, and dropped there, while this thread reads the lines.
    /// `each` is called here with every non-blank line's number, in order,
    /// and the error of a refused record, as [`CaseReader::read_each`] gives
    /// it (its first error ends the reading and is returned as `Err`). The
    /// reader should read up to the as-of date, with the builder's
    /// procedures.
    ///
    /// Every line is read before a case the report refuses is told (the
    /// inner `Err`, the first [`Report::build`] would give): a refused record
    /// comes first.
    ///
    /// # Errors
    ///
    /// The first error `each` returns.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use escalation_ladder::report::{CaseReader, Procedures, ReportBuilder, ReportOptions};
    ///
    /// let procedures = Procedures::builtin()?;
    /// // A concern raised on Thursday 24 December 2026: level 1's two working
    /// // days skip Christmas and the Boxing Day substitute (Monday 28th).
    /// let input = r#"{"case":"CP-1","ladder":"cp-conference-concerns","events":[{"on":"2026-12-24","actor":"chair","type":"raise","reason":"plan not implemented"}]}"#;
    /// let as_of = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
    /// let reader = CaseReader::new(input.as_bytes(), &procedures).events_until(as_of);
    /// let figures = ReportBuilder::new(&procedures, as_of, &ReportOptions::default())?
    ///     .read_each(reader, |_, case| case)??;
    /// assert_eq!(figures.report().overdue.count, 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn read_each<R: BufRead, E>(
        self,
        reader: CaseReader<'_, R>,
        each: impl FnMut(usize, Result<(), CaseError>) -> Result<(), E>,
    ) -> Result<Result<ReportFigures<'p>, ReportError>, E> {
        let mut figures = match self.finish() {
            Ok(figures) => figures,
            Err(error) => {
                // Read to the end all the same: a refused record comes first.
                reader.fold_batches(|| (), |_, _| Ok::<(), ()>(()), each, |_| {})?;
                return Ok(Err(error));
            }
        };
        let mut refused: Option<ReportError> = None;
        let reader = match &figures.previous {
            Some(previous) => reader.events_until_and_at(figures.as_of, previous.as_of),
            None => reader,
        };
        let template = &figures;
        let states = reader.fold_batches(
            || template.empty(),
            |figures: &mut ReportFigures<'p>, cases: Vec<(usize, Case, Option<Case>)>| {
                cases.into_iter().try_for_each(|(line, case, then)| {
                    if let (Some(previous), Some(then)) = (figures.previous.as_deref_mut(), then) {
                        previous.count(line, then)?;
                    }
                    figures.count(line, case)
                })
            },
            each,
            |error| {
                refused.get_or_insert(error);
            },
        )?;
        if let Some(error) = refused {
            return Ok(Err(error));
        }
        for state in states {
            figures.merge(state);
        }
        figures.kept.sort_unstable_by_key(|(line, _)| *line);
        Ok(Ok(figures))
    }

    /// Keeps the cases the report's lists name (open, overdue, due soon, open
    /// longer, breaches, extensions, closures, overdue duties), and only
    /// those, so that [`ReportFigures::report_with_lists`] gives the whole
    /// report: what `Report::build` gives, holding a part of the cases.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use escalation_ladder::report::{CaseReader, Procedures, Report, ReportBuilder, ReportOptions};
    ///
    /// let procedures = Procedures::builtin()?;
    /// let file = std::fs::read_to_string("examples/data/cases.jsonl")?;
    /// let as_of = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    /// let options = ReportOptions::default();
    /// let cases = CaseReader::new(file.as_bytes(), &procedures).events_until(as_of).read_all()?;
    /// let mut builder = ReportBuilder::new(&procedures, as_of, &options)?.keep_listed();
    /// for case in cases.iter().cloned() {
    ///     builder.add(case)?;
    /// }
    /// let figures = builder.finish()?;
    /// assert_eq!(figures.report_with_lists()?, Report::build(&procedures, &cases, as_of, &options)?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn keep_listed(mut self) -> ReportBuilder<'p> {
        self.figures.keep_listed = true;
        self
    }
}

/// The figures of a report, as [`ReportBuilder`] counted them: the names of
/// its groups are shared strings, so the cases are gone (but for those the
/// lists name, with [`ReportBuilder::keep_listed`]).
///
/// # Example
///
/// ```
/// use chrono::NaiveDate;
/// use escalation_ladder::report::{Procedures, ReportBuilder, ReportOptions};
///
/// let procedures = Procedures::builtin()?;
/// let as_of = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
/// let figures = ReportBuilder::new(&procedures, as_of, &ReportOptions::default())?.finish()?;
/// assert!(figures.report().to_summary_csv().starts_with("section,ladder,group,measure,number,date\n"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct ReportFigures<'p> {
    procedures: &'p Procedures,
    as_of: NaiveDate,
    period: PeriodDates,
    options: ReportOptions,
    figures: Figures<Arc<str>>,
    /// Whether to keep the cases the lists name.
    keep_listed: bool,
    /// Those cases, with their order (lines, for a reader's).
    kept: Vec<(usize, Case)>,
    /// The report before this one ([`ReportBuilder::with_previous`]).
    previous: Option<Box<ReportFigures<'p>>>,
}

impl<'p> ReportFigures<'p> {
    fn new(
        procedures: &'p Procedures,
        as_of: NaiveDate,
        period: PeriodDates,
        options: ReportOptions,
    ) -> ReportFigures<'p> {
        ReportFigures {
            procedures,
            as_of,
            period,
            options,
            figures: Figures::default(),
            keep_listed: false,
            kept: Vec::new(),
            previous: None,
        }
    }

    fn at(&self) -> At<'_> {
        At {
            procedures: self.procedures,
            as_of: self.as_of,
            period: &self.period,
            options: &self.options,
        }
    }

    /// Counts a case (the `order`-th), keeping it if asked to and a list
    /// names it.
    fn count(&mut self, order: usize, case: Case) -> Result<(), ReportError> {
        let at = At {
            procedures: self.procedures,
            as_of: self.as_of,
            period: &self.period,
            options: &self.options,
        };
        let listed = self.figures.add(&at, &case, None)?;
        if listed && self.keep_listed {
            self.kept.push((order, case));
        }
        Ok(())
    }

    /// Figures with nothing counted yet, as at the same date.
    fn empty(&self) -> ReportFigures<'p> {
        let mut empty = ReportFigures::new(
            self.procedures,
            self.as_of,
            self.period.clone(),
            self.options,
        );
        empty.keep_listed = self.keep_listed;
        empty.previous = self.previous.as_ref().map(|p| Box::new(p.empty()));
        empty
    }

    /// Adds another's counts (of other cases) and the cases it kept.
    fn merge(&mut self, other: ReportFigures<'p>) {
        self.figures.merge(other.figures);
        self.kept.extend(other.kept);
        if let (Some(mine), Some(theirs)) = (self.previous.as_deref_mut(), other.previous) {
            mine.merge(*theirs);
        }
    }

    /// The cases kept for the lists ([`ReportBuilder::keep_listed`]: open,
    /// or with overdue duties, an extension, a closure or a move between
    /// stages in the period), in the order they were read.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use escalation_ladder::report::{CaseReader, Procedures, ReportBuilder, ReportOptions};
    ///
    /// let procedures = Procedures::builtin()?;
    /// let file = std::fs::read_to_string("examples/data/cases.jsonl")?;
    /// let as_of = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    /// let reader = CaseReader::new(file.as_bytes(), &procedures).events_until(as_of);
    /// let figures = ReportBuilder::new(&procedures, as_of, &ReportOptions::default())?
    ///     .keep_listed()
    ///     .read_each(reader, |_, case| case)??;
    /// let report = figures.report();
    /// assert!(figures.kept_cases().filter(|c| c.is_open()).count() as u64 == report.open.total);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn kept_cases(&self) -> impl Iterator<Item = &Case> + '_ {
        self.kept.iter().map(|(_, case)| case)
    }

    /// The previous report's dates and headline, when counted.
    fn previous_report(&self) -> Option<PreviousReport> {
        let previous = self.previous.as_deref()?;
        Some(PreviousReport {
            as_of: previous.as_of,
            period: previous.period.clone(),
            headline: previous.report().headline,
        })
    }

    /// The report of these figures: every count and group as
    /// [`Report::build`] gives them, every list of alerts empty (its `count`
    /// in place).
    ///
    /// # Example
    ///
    /// See [`ReportBuilder`].
    pub fn report(&self) -> Report<'_> {
        let mut report = self
            .figures
            .report(&self.at(), Lists::default(), |name| &**name);
        report.previous = self.previous_report();
        report
    }

    /// The whole report, as [`Report::build`] gives it over every case: the
    /// figures, and the lists of alerts from the cases kept
    /// ([`ReportBuilder::keep_listed`]; without it, as [`report`](Self::report)).
    ///
    /// # Errors
    ///
    /// As [`Report::build`] over the cases kept (they were counted without
    /// one).
    ///
    /// # Example
    ///
    /// See [`ReportBuilder::keep_listed`].
    pub fn report_with_lists(&self) -> Result<Report<'_>, ReportError> {
        let at = self.at();
        // The lists come from the kept cases, added again; the counts of
        // that pass are those of the kept cases alone, and are not used.
        let mut kept: Figures<&str> = Figures::default();
        let mut lists = Lists::default();
        for (_, case) in &self.kept {
            kept.add(&at, case, Some(&mut lists))?;
        }
        let mut report = self.figures.report(&at, lists, |name| &**name);
        report.previous = self.previous_report();
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{read_cases, Period};

    /// The report with its lists emptied, as the figures give it.
    fn without_lists(mut report: Report<'_>) -> Report<'_> {
        report.open.alerts.clear();
        report.overdue.alerts.clear();
        report.overdue_duties.alerts.clear();
        report.due_soon.alerts.clear();
        report.open_longer.alerts.clear();
        report.ceiling_breaches.alerts.clear();
        report.extensions.alerts.clear();
        report.closed.alerts.clear();
        report
    }

    /// The example cases, many times over (ids made distinct), so that they
    /// fill many batches of the builder and of the reader's threads.
    fn many_cases() -> String {
        let example = include_str!("../../../examples/data/cases.jsonl");
        let mut input = String::new();
        for copy in 0..300 {
            for line in example.lines().filter(|l| !l.trim().is_empty()) {
                let line = line.replacen("{\"case\":\"", &format!("{{\"case\":\"{copy}-"), 1);
                input.push_str(&line);
                input.push('\n');
            }
        }
        input
    }

    #[test]
    fn the_figures_are_those_of_the_built_report() {
        let procedures = Procedures::builtin().unwrap();
        let input = many_cases();
        let mut kept_fewer = false;
        for (as_of, period) in [
            (NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(), "month"),
            (NaiveDate::from_ymd_opt(2027, 1, 4).unwrap(), "quarter"),
            (
                NaiveDate::from_ymd_opt(2026, 12, 24).unwrap(),
                "2026-06-01..2026-12-24",
            ),
        ] {
            let options = ReportOptions {
                period: period.parse().unwrap(),
                ..ReportOptions::default()
            };
            let cases = CaseReader::new(input.as_bytes(), &procedures)
                .events_until(as_of)
                .read_all()
                .unwrap();
            assert!(cases.len() > 3 * BATCH);
            let built = Report::build(&procedures, &cases, as_of, &options).unwrap();
            assert!(built.cases.open > 0 && built.closed.summary.count > 0);
            assert!(built.escalations.by_route.len() > 1);
            let expected = without_lists(built.clone());

            let mut builder = ReportBuilder::new(&procedures, as_of, &options).unwrap();
            for case in cases.iter().cloned() {
                builder.add(case).unwrap();
            }
            let figures = builder.finish().unwrap();
            assert_eq!(figures.report(), expected);
            assert_eq!(figures.report().to_summary_csv(), built.to_summary_csv());

            let reader = CaseReader::new(input.as_bytes(), &procedures).events_until(as_of);
            let mut lines = 0;
            let figures = ReportBuilder::new(&procedures, as_of, &options)
                .unwrap()
                .read_each(reader, |_, case| {
                    lines += 1;
                    case
                })
                .unwrap()
                .unwrap();
            assert_eq!(lines, cases.len());
            assert_eq!(figures.report(), expected);
            assert_eq!(figures.report_with_lists().unwrap(), expected);

            // Keeping the cases the lists name gives the whole report, in
            // both ways, holding fewer cases than were read.
            let mut builder = ReportBuilder::new(&procedures, as_of, &options)
                .unwrap()
                .keep_listed();
            for case in cases.iter().cloned() {
                builder.add(case).unwrap();
            }
            let figures = builder.finish().unwrap();
            assert_eq!(figures.report_with_lists().unwrap(), built);
            kept_fewer |= figures.kept.len() < cases.len();
            let reader = CaseReader::new(input.as_bytes(), &procedures).events_until(as_of);
            let figures = ReportBuilder::new(&procedures, as_of, &options)
                .unwrap()
                .keep_listed()
                .read_each(reader, |_, case| case)
                .unwrap()
                .unwrap();
            assert_eq!(figures.report_with_lists().unwrap(), built);
            assert_eq!(figures.report(), expected);
        }
        assert!(kept_fewer);
    }

    /// The previous report, counted from the same replay, is the report as
    /// at the earlier date over the period before; the ageing adds up to the
    /// open alerts and the month of the period to its raised and closed.
    #[test]
    fn the_previous_report_is_the_report_a_period_earlier() {
        let procedures = Procedures::builtin().unwrap();
        let input = many_cases();
        for (as_of, period) in [
            (NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(), "month"),
            (NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(), "month"),
            (NaiveDate::from_ymd_opt(2027, 1, 4).unwrap(), "quarter"),
            (
                NaiveDate::from_ymd_opt(2026, 12, 24).unwrap(),
                "2026-11-01..2026-11-30",
            ),
        ] {
            let options = ReportOptions {
                period: period.parse().unwrap(),
                ..ReportOptions::default()
            };
            let reader = CaseReader::new(input.as_bytes(), &procedures).events_until(as_of);
            let figures = ReportBuilder::new(&procedures, as_of, &options)
                .unwrap()
                .with_previous()
                .read_each(reader, |_, case| case)
                .unwrap()
                .unwrap();
            let report = figures.report();
            let previous = report.previous.clone().unwrap();
            let (before, previous_period) = report.period.previous(as_of).unwrap();
            assert_eq!(
                (previous.as_of, &previous.period),
                (before, &previous_period)
            );
            let then = CaseReader::new(input.as_bytes(), &procedures)
                .events_until(before)
                .read_all()
                .unwrap();
            let range = Period::Range {
                from: previous_period.from,
                to: previous_period.to,
            };
            let earlier_options = ReportOptions {
                period: range,
                ..options
            };
            let earlier = Report::build(&procedures, &then, before, &earlier_options).unwrap();
            assert_eq!(previous.headline, earlier.headline, "{as_of} {period}");
            assert!(earlier.headline.open > 0 && earlier.headline.raised > 0);
            // Without it, the same figures and no previous report.
            let reader = CaseReader::new(input.as_bytes(), &procedures).events_until(as_of);
            let alone = ReportBuilder::new(&procedures, as_of, &options)
                .unwrap()
                .read_each(reader, |_, case| case)
                .unwrap()
                .unwrap();
            let mut expected = report.clone();
            expected.previous = None;
            assert_eq!(alone.report(), expected);

            let aged: u64 = report.ageing.bands.iter().map(|b| b.total()).sum();
            assert_eq!(aged, report.open.total);
            if period == "month" {
                let last = report.by_month.last().unwrap();
                assert_eq!(last.month, report.period.from.format("%Y-%m").to_string());
                assert_eq!(last.raised, report.raised.total);
                assert_eq!(last.closed, report.closed.summary.count);
                assert_eq!(last.resolved, report.closed.summary.resolved);
            }
        }
    }

    #[test]
    fn a_bad_record_is_told_before_a_refused_case() {
        let procedures = Procedures::builtin().unwrap();
        let as_of = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let options = ReportOptions::default();
        // A case read without the cut-off has an event after the as-of date:
        // the report refuses it, but only after the reader's own error.
        let late = read_cases(
            r#"{"case":"LATE","ladder":"iro-dispute-resolution","events":[{"on":"2026-12-01","actor":"iro","type":"raise","reason":"x"}]}"#.as_bytes(),
            &procedures,
        )
        .unwrap();
        let mut builder = ReportBuilder::new(&procedures, as_of, &options).unwrap();
        builder.add(late[0].clone()).unwrap();
        let input = many_cases() + "{not json\n";
        let reader = CaseReader::new(input.as_bytes(), &procedures).events_until(as_of);
        let read = builder.read_each(reader, |_, case| case.map_err(|e| e.line));
        assert_eq!(read.err(), Some(input.lines().count()));

        let mut builder = ReportBuilder::new(&procedures, as_of, &options).unwrap();
        builder.add(late[0].clone()).unwrap();
        let input = many_cases();
        let reader = CaseReader::new(input.as_bytes(), &procedures).events_until(as_of);
        let refused = builder.read_each(reader, |_, case| case).unwrap();
        assert!(matches!(refused, Err(ReportError::EventsAfterAsOf { .. })));
    }
}
