//! Figures: a report's counts, declared once.
//!
//! [`Figures`] holds every count of a report (cases, open alerts by group,
//! the length of every list, timeliness, routes, closures, alerts raised);
//! [`Figures::add`] counts one case and [`Figures::merge`] joins two partial
//! counts. [`Lists`] holds the alerts the report lists, borrowed from the
//! cases, when they are wanted. Both paths use them:
//!
//! - in memory, [`Report::build`] adds every case to one `Figures<&str>`
//!   (names borrowed from the cases) with its lists;
//! - streaming, [`ReportBuilder`](stream::ReportBuilder) and the reader's
//!   worker threads add each case to a `Figures<Arc<str>>` (names shared, so
//!   the cases can go) and merge the workers' figures at the end; the lists,
//!   when wanted, come from the cases they name, added again.
//!
//! [`Figures::report`] turns the figures and the lists into the [`Report`],
//! the document the formats (text, JSON, summary CSV) show.
//!
//! Groups are keyed by the addresses of their names: the shared strings of
//! cases read together hash and compare in one step instead of byte by byte.
//! Equal texts at different addresses (cases read by different workers, or
//! built separately) are separate groups until the report joins them.

use std::sync::Arc;

use chrono::NaiveDate;

use super::case::{Case, Closure, Departure, MoveKind};
use super::error::ReportError;
use super::intern::FastMap;
use super::period::PeriodDates;
use super::procedures::Procedures;

mod assemble;
pub(crate) mod build;
mod count;
pub(crate) mod model;
pub(crate) mod stream;

use model::*;

/// What the figures are counted at: the procedures, the as-of date, the
/// period and the options.
#[derive(Debug, Clone, Copy)]
pub(crate) struct At<'a> {
    pub(crate) procedures: &'a Procedures,
    pub(crate) as_of: NaiveDate,
    pub(crate) period: &'a PeriodDates,
    pub(crate) options: &'a ReportOptions,
}

/// A group's name as the figures keep it: borrowed from the cases
/// (`&'c str`), or shared (`Arc<str>`) to outlive them.
pub(crate) trait Name<'c>: Clone {
    /// The name of a case's shared string.
    fn of(shared: &'c Arc<str>) -> Self;

    /// An empty name.
    fn empty() -> Self;
}

impl<'c> Name<'c> for &'c str {
    fn of(shared: &'c Arc<str>) -> Self {
        shared
    }

    fn empty() -> Self {
        ""
    }
}

impl<'c> Name<'c> for Arc<str> {
    fn of(shared: &'c Arc<str>) -> Self {
        Arc::clone(shared)
    }

    fn empty() -> Self {
        Arc::from("")
    }
}

/// The addresses of a group's names (0 for none), and for a route its kind.
type Address = [usize; 4];

/// A name's address.
fn addr(name: &str) -> usize {
    name.as_ptr() as usize
}

/// A missing name's address.
fn addr_of(name: Option<&Arc<str>>) -> usize {
    name.map_or(0, |name| addr(name))
}

/// A value the figures add up.
pub(crate) trait Tally {
    /// Adds `other` to `self`.
    fn add(&mut self, other: &Self);
}

impl Tally for u64 {
    fn add(&mut self, other: &u64) {
        *self += other;
    }
}

impl Tally for TimelinessCounts {
    fn add(&mut self, one: &TimelinessCounts) {
        self.measured += one.measured;
        self.on_time += one.on_time;
        self.late += one.late;
        self.missed += one.missed;
        self.extended += one.extended;
        self.on_time_by_extension += one.on_time_by_extension;
        self.left_before_due += one.left_before_due;
        self.pending += one.pending;
    }
}

/// Closures counted, with the working days each took (for the median).
#[derive(Debug, Clone, Default)]
pub(crate) struct Closures {
    count: u64,
    resolved: u64,
    deemed_agreed: u64,
    withdrawn: u64,
    working_days: Vec<i64>,
    with_ceiling: u64,
    within_ceiling: u64,
}

impl Closures {
    /// Counts one closure that took `working_days`, of an alert with a
    /// ceiling or not, closed within it or not.
    pub(super) fn count(
        &mut self,
        closure: Closure,
        working_days: i64,
        with_ceiling: bool,
        within_ceiling: Option<bool>,
    ) {
        self.count += 1;
        match closure {
            Closure::Resolved => self.resolved += 1,
            Closure::DeemedAgreed => self.deemed_agreed += 1,
            Closure::Withdrawn => self.withdrawn += 1,
        }
        self.working_days.push(working_days);
        self.with_ceiling += u64::from(with_ceiling);
        self.within_ceiling += u64::from(within_ceiling == Some(true));
    }

    pub(super) fn summary(mut self) -> ClosureSummary {
        let days = &mut self.working_days;
        days.sort_unstable();
        let median = match days.len() {
            0 => None,
            n if n % 2 == 1 => Some(days[n / 2] as f64),
            n => Some((days[n / 2 - 1] + days[n / 2]) as f64 / 2.0),
        };
        ClosureSummary {
            count: self.count,
            resolved: self.resolved,
            deemed_agreed: self.deemed_agreed,
            withdrawn: self.withdrawn,
            median_working_days: median,
            max_working_days: days.last().copied(),
            with_ceiling: self.with_ceiling,
            within_ceiling: self.within_ceiling,
        }
    }
}

impl Tally for Closures {
    fn add(&mut self, other: &Closures) {
        self.count += other.count;
        self.resolved += other.resolved;
        self.deemed_agreed += other.deemed_agreed;
        self.withdrawn += other.withdrawn;
        self.working_days.extend_from_slice(&other.working_days);
        self.with_ceiling += other.with_ceiling;
        self.within_ceiling += other.within_ceiling;
    }
}

/// Groups of one kind (by ladder, by stage, by team…), each with its names
/// (`K`) and its value, keyed by the names' addresses.
#[derive(Debug, Clone)]
pub(crate) struct Groups<K, V>(FastMap<Address, (K, V)>);

impl<K, V> Default for Groups<K, V> {
    fn default() -> Self {
        Groups(FastMap::default())
    }
}

impl<K, V: Default + Tally> Groups<K, V> {
    /// The value of the group at `address`, made (named `key()`) on first sight.
    fn at(&mut self, address: Address, key: impl FnOnce() -> K) -> &mut V {
        &mut self
            .0
            .entry(address)
            .or_insert_with(|| (key(), V::default()))
            .1
    }

    /// Adds another's groups.
    fn merge(&mut self, other: Groups<K, V>) {
        for (address, (key, value)) in other.0 {
            match self.0.get_mut(&address) {
                Some((_, total)) => total.add(&value),
                None => {
                    self.0.insert(address, (key, value));
                }
            }
        }
    }

    /// The groups, unordered.
    fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.0.values().map(|(key, value)| (key, value))
    }
}

/// The lengths of a report's lists.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ListCounts {
    overdue: usize,
    overdue_duties: usize,
    due_soon: usize,
    open_longer: usize,
    ceiling_breaches: usize,
    extensions: usize,
    /// Extensions beyond the ceiling.
    beyond_ceiling: usize,
}

/// Every count of a report, names kept as `N` ([`Name`]). See the
/// [module documentation](self).
#[derive(Debug, Clone)]
pub(crate) struct Figures<N> {
    cases: CaseTotals,
    open_by_ladder: Groups<N, u64>,
    open_by_stage: Groups<(N, N), u64>,
    open_by_category: Groups<(N, Option<N>), u64>,
    open_by_team: Groups<Option<N>, u64>,
    open_by_worker: Groups<Option<N>, u64>,
    listed: ListCounts,
    timeliness: TimelinessCounts,
    timeliness_by_stage: Groups<(N, N), TimelinessCounts>,
    timeliness_by_team: Groups<Option<N>, TimelinessCounts>,
    routes: Groups<(N, N, N, MoveKind), u64>,
    closures: Groups<N, Closures>,
    raised: u64,
    raised_by_category: Groups<(N, Option<N>), u64>,
    raised_by_team: Groups<Option<N>, u64>,
    /// Open alerts by band of [`AGE_BANDS`]: within, past, without a ceiling.
    ageing: [[u64; 3]; AGE_BANDS.len()],
    /// The 12 months up to the period's last: raised, closed, resolved.
    months: [[u64; 3]; MONTHS],
}

/// How many months the report counts month by month.
pub(crate) const MONTHS: usize = 12;

/// The slot of `date`'s month among the [`MONTHS`] months that end with the
/// month of `last`; none outside them.
fn month_slot(last: NaiveDate, date: NaiveDate) -> Option<usize> {
    use chrono::Datelike;
    let index = |d: NaiveDate| i64::from(d.year()) * 12 + i64::from(d.month0());
    let back = index(last) - index(date);
    (0..MONTHS as i64)
        .contains(&back)
        .then(|| MONTHS - 1 - back as usize)
}

/// The band of [`AGE_BANDS`] that `working_days` open falls in.
fn age_band(working_days: i64) -> usize {
    AGE_BANDS
        .iter()
        .position(|(_, to)| to.map_or(true, |to| working_days <= i64::from(to)))
        .unwrap_or(AGE_BANDS.len() - 1)
}

impl<N> Default for Figures<N> {
    fn default() -> Self {
        Figures {
            cases: CaseTotals::default(),
            open_by_ladder: Groups::default(),
            open_by_stage: Groups::default(),
            open_by_category: Groups::default(),
            open_by_team: Groups::default(),
            open_by_worker: Groups::default(),
            listed: ListCounts::default(),
            timeliness: TimelinessCounts::default(),
            timeliness_by_stage: Groups::default(),
            timeliness_by_team: Groups::default(),
            routes: Groups::default(),
            closures: Groups::default(),
            raised: 0,
            raised_by_category: Groups::default(),
            raised_by_team: Groups::default(),
            ageing: Default::default(),
            months: Default::default(),
        }
    }
}

/// The alerts a report lists, borrowed from the cases (`'c`), in the order
/// the cases were added; the report sorts them.
#[derive(Debug, Default)]
pub(crate) struct Lists<'c> {
    open: Vec<OpenAlert<'c>>,
    overdue: Vec<OverdueAlert<'c>>,
    overdue_duties: Vec<OverdueDuty<'c>>,
    due_soon: Vec<DueSoonAlert<'c>>,
    open_longer: Vec<LongOpenAlert<'c>>,
    breaches: Vec<BreachAlert<'c>>,
    extensions: Vec<ExtensionAlert<'c>>,
    closed: Vec<ClosedAlert<'c>>,
    /// One shared copy of each list of roles who must act, by the address and
    /// length of the ladder's own list.
    roles: FastMap<(usize, usize), Arc<[String]>>,
}

/// Where [`Figures::add`] puts a case's alerts: in the lists when there are
/// lists, and in any case noting that the case is listed.
struct Listing<'l, 'c> {
    lists: Option<&'l mut Lists<'c>>,
    listed: bool,
}

impl<'c> Listing<'_, 'c> {
    /// Lists an alert in the list `of` picks (`make` makes it only when
    /// there are lists).
    fn push<T>(
        &mut self,
        of: for<'a> fn(&'a mut Lists<'c>) -> &'a mut Vec<T>,
        make: impl FnOnce(&mut Lists<'c>) -> T,
    ) {
        self.listed = true;
        if let Some(lists) = self.lists.as_deref_mut() {
            let alert = make(lists);
            of(lists).push(alert);
        }
    }
}

impl<N> Figures<N> {
    /// Counts one case, read up to the as-of date; its alerts go into
    /// `lists` when given. Returns whether a list names the case (open,
    /// overdue duties, extensions, closures or moves in the period), lists
    /// or not.
    ///
    /// # Errors
    ///
    /// As [`Report::build`] for this case.
    pub(crate) fn add<'c>(
        &mut self,
        at: &At<'_>,
        case: &'c Case,
        lists: Option<&mut Lists<'c>>,
    ) -> Result<bool, ReportError>
    where
        N: Name<'c>,
    {
        self.cases.read += 1;
        let state = &case.state;
        let Some(raised) = state.raised_on else {
            self.cases.not_raised += 1;
            return Ok(false);
        };
        let (entry, calendar) = at.procedures.for_case(case, at.as_of)?;
        let mut listing = Listing {
            lists,
            listed: false,
        };
        if case.is_open() {
            self.cases.open += 1;
            self.add_open(at, entry, calendar, case, &mut listing)?;
        } else {
            self.cases.closed += 1;
        }
        if state.open_duties().next().is_some() {
            self.add_duties(at, entry, calendar, case, &mut listing)?;
        }
        let ladder = &state.ladder;
        if let Some(slot) = month_slot(at.period.to, raised) {
            self.months[slot][0] += 1;
        }
        if at.period.contains(raised) {
            self.raised += 1;
            let category = state.category.as_ref();
            let address = [addr(ladder), addr_of(category), 0, 0];
            *self
                .raised_by_category
                .at(address, || (N::of(ladder), category.map(|c| N::of(c)))) += 1;
            let team = case.team.as_ref();
            let address = [addr_of(team), 0, 0, 0];
            *self.raised_by_team.at(address, || team.map(|t| N::of(t))) += 1;
        }
        let last = case.visits.len().saturating_sub(1);
        for (index, visit) in case.visits.iter().enumerate() {
            self.add_timeliness(at, case, visit);
            if let (Departure::Closed(closure), Some(on)) = (visit.departure, visit.left_on) {
                if let Some(slot) = month_slot(at.period.to, on) {
                    self.months[slot][1] += 1;
                    self.months[slot][2] += u64::from(closure == Closure::Resolved);
                }
            }
            if let Some(extended_on) = visit.extended_on.filter(|d| at.period.contains(*d)) {
                self.add_extension(case, visit, extended_on, &mut listing);
            }
            let Some(left_on) = visit.left_on.filter(|d| at.period.contains(*d)) else {
                continue;
            };
            match visit.departure {
                Departure::Moved(kind) => {
                    // The workbook lists the moves of the period.
                    listing.listed = true;
                    if let Some(to) = case.visits.get(index + 1) {
                        let address = [
                            addr(ladder),
                            addr(&visit.stage),
                            addr(&to.stage),
                            kind as usize,
                        ];
                        *self.routes.at(address, || {
                            (N::of(ladder), N::of(&visit.stage), N::of(&to.stage), kind)
                        }) += 1;
                    }
                }
                Departure::Closed(closure) => {
                    let is_final = index == last && !case.is_open();
                    let closed = (closure, left_on, raised, is_final);
                    self.add_closed(case, calendar, visit, closed, &mut listing)?;
                }
                Departure::StillThere => {}
            }
        }
        Ok(listing.listed)
    }

    /// Adds another's counts (of other cases).
    pub(crate) fn merge(&mut self, other: Figures<N>) {
        let c = other.cases;
        self.cases.read += c.read;
        self.cases.not_raised += c.not_raised;
        self.cases.open += c.open;
        self.cases.closed += c.closed;
        self.open_by_ladder.merge(other.open_by_ladder);
        self.open_by_stage.merge(other.open_by_stage);
        self.open_by_category.merge(other.open_by_category);
        self.open_by_team.merge(other.open_by_team);
        self.open_by_worker.merge(other.open_by_worker);
        let (l, o) = (&mut self.listed, other.listed);
        l.overdue += o.overdue;
        l.overdue_duties += o.overdue_duties;
        l.due_soon += o.due_soon;
        l.open_longer += o.open_longer;
        l.ceiling_breaches += o.ceiling_breaches;
        l.extensions += o.extensions;
        l.beyond_ceiling += o.beyond_ceiling;
        self.timeliness.add(&other.timeliness);
        self.timeliness_by_stage.merge(other.timeliness_by_stage);
        self.timeliness_by_team.merge(other.timeliness_by_team);
        self.routes.merge(other.routes);
        self.closures.merge(other.closures);
        self.raised += other.raised;
        self.raised_by_category.merge(other.raised_by_category);
        self.raised_by_team.merge(other.raised_by_team);
        let sums = self.ageing.iter_mut().chain(self.months.iter_mut());
        for (mine, theirs) in sums.zip(other.ageing.iter().chain(other.months.iter())) {
            for (a, b) in mine.iter_mut().zip(theirs) {
                *a += b;
            }
        }
    }
}
