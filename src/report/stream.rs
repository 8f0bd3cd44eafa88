//! A report's figures built from cases as they are read, without holding them.

use std::collections::BTreeMap;
use std::io::BufRead;

use chrono::NaiveDate;

use super::build::{add_counts, parts, Closures, Parts};
use super::case::{Case, MoveKind};
use super::error::{CaseError, ReportError};
use super::model::*;
use super::period::PeriodDates;
use super::procedures::Procedures;
use super::reading::CaseReader;

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
    pending: Vec<Case>,
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
        let template = &figures;
        let states = reader.fold_batches(
            || template.empty(),
            |figures: &mut ReportFigures<'p>, cases: Vec<(usize, Case)>| figures.count(cases),
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

    fn count_pending(&mut self) -> Result<(), ReportError> {
        let first = self.added - self.pending.len();
        let pending = std::mem::take(&mut self.pending);
        self.figures.count(
            pending
                .into_iter()
                .enumerate()
                .map(|(i, case)| (first + i, case))
                .collect(),
        )
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
/// its groups are its own copies, so the cases are gone (but for those the
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
/// assert!(figures.report().to_summary_csv().starts_with("section,ladder,group,measure,value\n"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct ReportFigures<'p> {
    procedures: &'p Procedures,
    as_of: NaiveDate,
    period: PeriodDates,
    options: ReportOptions,
    cases: CaseTotals,
    open_by_ladder: BTreeMap<String, u64>,
    open_by_stage: BTreeMap<(String, String), u64>,
    open_by_category: BTreeMap<(String, Option<String>), u64>,
    open_by_team: BTreeMap<Option<String>, u64>,
    open_by_worker: BTreeMap<Option<String>, u64>,
    overdue: usize,
    overdue_duties: usize,
    due_soon: usize,
    open_longer: usize,
    ceiling_breaches: usize,
    extensions: usize,
    beyond_ceiling: usize,
    timeliness: TimelinessCounts,
    timeliness_by_stage: BTreeMap<(String, String), TimelinessCounts>,
    timeliness_by_team: BTreeMap<Option<String>, TimelinessCounts>,
    routes: BTreeMap<(String, String, String, MoveKind), u64>,
    closures: BTreeMap<String, Closures>,
    raised: u64,
    raised_by_category: BTreeMap<(String, Option<String>), u64>,
    raised_by_team: BTreeMap<Option<String>, u64>,
    /// Whether to keep the cases the lists name.
    keep_listed: bool,
    /// Those cases, with their order (lines, for a reader's).
    kept: Vec<(usize, Case)>,
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
            cases: CaseTotals::default(),
            open_by_ladder: BTreeMap::new(),
            open_by_stage: BTreeMap::new(),
            open_by_category: BTreeMap::new(),
            open_by_team: BTreeMap::new(),
            open_by_worker: BTreeMap::new(),
            overdue: 0,
            overdue_duties: 0,
            due_soon: 0,
            open_longer: 0,
            ceiling_breaches: 0,
            extensions: 0,
            beyond_ceiling: 0,
            timeliness: TimelinessCounts::default(),
            timeliness_by_stage: BTreeMap::new(),
            timeliness_by_team: BTreeMap::new(),
            routes: BTreeMap::new(),
            closures: BTreeMap::new(),
            raised: 0,
            raised_by_category: BTreeMap::new(),
            raised_by_team: BTreeMap::new(),
            keep_listed: false,
            kept: Vec::new(),
        }
    }

    /// Counts a batch of cases (in order), keeping those the lists name if
    /// asked to.
    fn count(&mut self, cases: Vec<(usize, Case)>) -> Result<(), ReportError> {
        let counted = parts(
            self.procedures,
            cases.iter().map(|(_, case)| case),
            self.as_of,
            &self.period,
            &self.options,
        )?;
        // Which cases the lists name, by their place in `cases` (asked
        // before they move).
        let keep: Option<Vec<bool>> = self.keep_listed.then(|| {
            let listed = listed(&counted);
            cases
                .iter()
                .map(|(_, case)| listed.contains(&address(case)))
                .collect()
        });
        self.absorb(counted);
        if let Some(keep) = keep {
            let kept = cases.into_iter().zip(keep).filter(|(_, keep)| *keep);
            self.kept.extend(kept.map(|(case, _)| case));
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
        empty
    }

    /// Adds another's counts.
    fn merge(&mut self, other: ReportFigures<'p>) {
        let c = other.cases;
        self.cases.read += c.read;
        self.cases.not_raised += c.not_raised;
        self.cases.open += c.open;
        self.cases.closed += c.closed;
        merge_rows(&mut self.open_by_ladder, other.open_by_ladder);
        merge_rows(&mut self.open_by_stage, other.open_by_stage);
        merge_rows(&mut self.open_by_category, other.open_by_category);
        merge_rows(&mut self.open_by_team, other.open_by_team);
        merge_rows(&mut self.open_by_worker, other.open_by_worker);
        self.overdue += other.overdue;
        self.overdue_duties += other.overdue_duties;
        self.due_soon += other.due_soon;
        self.open_longer += other.open_longer;
        self.ceiling_breaches += other.ceiling_breaches;
        self.extensions += other.extensions;
        self.beyond_ceiling += other.beyond_ceiling;
        add_counts(&mut self.timeliness, &other.timeliness);
        merge_rows(&mut self.timeliness_by_stage, other.timeliness_by_stage);
        merge_rows(&mut self.timeliness_by_team, other.timeliness_by_team);
        merge_rows(&mut self.routes, other.routes);
        for (ladder, closures) in other.closures {
            self.closures
                .entry(ladder)
                .and_modify(|total| total.append(&closures))
                .or_insert(closures);
        }
        self.raised += other.raised;
        merge_rows(&mut self.raised_by_category, other.raised_by_category);
        merge_rows(&mut self.raised_by_team, other.raised_by_team);
        self.kept.extend(other.kept);
    }

    /// Adds a batch's counts.
    fn absorb(&mut self, parts: Parts<'_>) {
        let c = parts.cases;
        self.cases.read += c.read;
        self.cases.not_raised += c.not_raised;
        self.cases.open += c.open;
        self.cases.closed += c.closed;
        let text = |t: &str| t.to_string();
        let owned_name = |t: Option<&str>| t.map(str::to_string);
        add_rows(&mut self.open_by_ladder, parts.open_by_ladder, text);
        add_rows(&mut self.open_by_stage, parts.open_by_stage, |(l, s)| {
            (text(l), text(s))
        });
        add_rows(
            &mut self.open_by_category,
            parts.open_by_category,
            |(l, c)| (text(l), owned_name(c)),
        );
        add_rows(&mut self.open_by_team, parts.open_by_team, owned_name);
        add_rows(&mut self.open_by_worker, parts.open_by_worker, owned_name);
        self.overdue += parts.overdue.count;
        self.overdue_duties += parts.overdue_duties.count;
        self.due_soon += parts.due_soon.count;
        self.open_longer += parts.open_longer.count;
        self.ceiling_breaches += parts.ceiling_breaches.count;
        self.extensions += parts.extensions.count;
        self.beyond_ceiling += parts.extensions.beyond_ceiling;
        add_counts(&mut self.timeliness, &parts.timeliness);
        add_rows(
            &mut self.timeliness_by_stage,
            parts.timeliness_by_stage,
            |(l, s)| (text(l), text(s)),
        );
        add_rows(
            &mut self.timeliness_by_team,
            parts.timeliness_by_team,
            owned_name,
        );
        add_rows(&mut self.routes, parts.routes, |(l, f, t, k)| {
            (text(l), text(f), text(t), k)
        });
        for (ladder, closures) in parts.closures {
            match self.closures.get_mut(ladder) {
                Some(total) => total.append(&closures),
                None => {
                    self.closures.insert(text(ladder), closures);
                }
            }
        }
        self.raised += parts.raised;
        add_rows(
            &mut self.raised_by_category,
            parts.raised_by_category,
            |(l, c)| (text(l), owned_name(c)),
        );
        add_rows(&mut self.raised_by_team, parts.raised_by_team, owned_name);
    }

    /// The report of these figures: every count and group as
    /// [`Report::build`] gives them, every list of alerts empty (its `count`
    /// in place).
    ///
    /// # Example
    ///
    /// See [`ReportBuilder`].
    pub fn report(&self) -> Report<'_> {
        self.parts().assemble(
            self.procedures,
            self.as_of,
            self.period.clone(),
            self.options,
        )
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
        let lists = parts(
            self.procedures,
            self.kept.iter().map(|(_, case)| case),
            self.as_of,
            &self.period,
            &self.options,
        )?;
        let mut parts = self.parts();
        parts.open_alerts = lists.open_alerts;
        parts.overdue.alerts = lists.overdue.alerts;
        parts.overdue_duties.alerts = lists.overdue_duties.alerts;
        parts.due_soon.alerts = lists.due_soon.alerts;
        parts.open_longer.alerts = lists.open_longer.alerts;
        parts.ceiling_breaches.alerts = lists.ceiling_breaches.alerts;
        parts.extensions.alerts = lists.extensions.alerts;
        parts.closed = lists.closed;
        Ok(parts.assemble(
            self.procedures,
            self.as_of,
            self.period.clone(),
            self.options,
        ))
    }

    /// The figures as a report's parts, lists empty.
    fn parts(&self) -> Parts<'_> {
        Parts {
            cases: self.cases,
            open_by_ladder: rows(&self.open_by_ladder, text),
            open_by_stage: rows(&self.open_by_stage, |(l, s)| (text(l), text(s))),
            open_by_category: rows(&self.open_by_category, |(l, c)| (text(l), name(c))),
            open_by_team: rows(&self.open_by_team, name),
            open_by_worker: rows(&self.open_by_worker, name),
            open_alerts: Vec::new(),
            overdue: empty(self.overdue),
            overdue_duties: empty(self.overdue_duties),
            due_soon: empty(self.due_soon),
            open_longer: empty(self.open_longer),
            ceiling_breaches: empty(self.ceiling_breaches),
            extensions: Extensions {
                count: self.extensions,
                beyond_ceiling: self.beyond_ceiling,
                alerts: Vec::new(),
            },
            timeliness: self.timeliness,
            timeliness_by_stage: rows(&self.timeliness_by_stage, |(l, s)| (text(l), text(s))),
            timeliness_by_team: rows(&self.timeliness_by_team, name),
            routes: rows(&self.routes, |(l, f, t, k)| (text(l), text(f), text(t), *k)),
            closures: self
                .closures
                .iter()
                .map(|(ladder, closures)| (ladder.as_str(), closures.clone()))
                .collect(),
            closed: Vec::new(),
            raised: self.raised,
            raised_by_category: rows(&self.raised_by_category, |(l, c)| (text(l), name(c))),
            raised_by_team: rows(&self.raised_by_team, name),
        }
    }
}

/// A value that batches add up.
trait Add: Copy {
    fn add(total: &mut Self, one: &Self);
}

impl Add for u64 {
    fn add(total: &mut u64, one: &u64) {
        *total += one;
    }
}

impl Add for TimelinessCounts {
    fn add(total: &mut TimelinessCounts, one: &TimelinessCounts) {
        add_counts(total, one);
    }
}

/// Adds a batch's groups (names borrowed from its cases) to the totals (names
/// owned).
fn add_rows<K, O: Ord, V: Add>(
    totals: &mut BTreeMap<O, V>,
    rows: Vec<(K, V)>,
    owned: impl Fn(K) -> O,
) {
    for (key, value) in rows {
        totals
            .entry(owned(key))
            .and_modify(|total| V::add(total, &value))
            .or_insert(value);
    }
}

/// A case's address: how a batch's lists name it.
fn address(case: &Case) -> usize {
    case as *const Case as usize
}

/// The addresses of the cases a batch's lists name.
fn listed(parts: &Parts<'_>) -> std::collections::HashSet<usize> {
    let mut listed = std::collections::HashSet::new();
    listed.extend(parts.open_alerts.iter().map(|a| address(a.alert.0)));
    listed.extend(parts.overdue.alerts.iter().map(|a| address(a.alert.0)));
    listed.extend(
        parts
            .overdue_duties
            .alerts
            .iter()
            .map(|a| address(a.alert.0)),
    );
    listed.extend(parts.due_soon.alerts.iter().map(|a| address(a.alert.0)));
    listed.extend(parts.open_longer.alerts.iter().map(|a| address(a.alert.0)));
    listed.extend(
        parts
            .ceiling_breaches
            .alerts
            .iter()
            .map(|a| address(a.alert.0)),
    );
    listed.extend(parts.extensions.alerts.iter().map(|a| address(a.alert.0)));
    listed.extend(parts.closed.iter().map(|a| address(a.alert.0)));
    listed
}

fn text(owned: &String) -> &str {
    owned
}

fn name(owned: &Option<String>) -> Option<&str> {
    owned.as_deref()
}

/// A list of `count` alerts, without them.
fn empty<T>(count: usize) -> Listing<T> {
    Listing {
        count,
        alerts: Vec::new(),
    }
}

/// Adds another's groups to the totals.
fn merge_rows<O: Ord, V: Add>(totals: &mut BTreeMap<O, V>, rows: BTreeMap<O, V>) {
    for (key, value) in rows {
        totals
            .entry(key)
            .and_modify(|total| V::add(total, &value))
            .or_insert(value);
    }
}

/// The groups, names borrowed from the totals.
fn rows<'a, O, K, V: Copy>(
    totals: &'a BTreeMap<O, V>,
    borrowed: impl Fn(&'a O) -> K,
) -> Vec<(K, V)> {
    totals
        .iter()
        .map(|(key, value)| (borrowed(key), *value))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::read_cases;

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
        let example = include_str!("../../examples/data/cases.jsonl");
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
