//! The working-day operations over columns of epoch days: many adds or
//! counts on one calendar in one call, for a door that holds dates as day
//! numbers (the Python package's `datetime64[D]` arrays).
//!
//! Each answer is the one [`add_working_days`](super::add_working_days) and
//! [`count_working_days`](super::count_working_days) give for the dates the
//! day numbers are: the calendar is taken once, as they take it (the region
//! asked, else the registry's fixed one, else England and Wales), and asked
//! for each pair on its epoch days. A refused pair stops the call with the
//! error the single operation gives, its message starting `element K: ` and
//! `fields.index` holding K.

use crate::contract::ErrorDocument;
use crate::input::DATE_EXPECTED;
use crate::WorkingCalendar;

use super::calendar::{parse_working_days, working_calendar};
use super::request::invalid_value;
use super::Registry;

/// A missing day in a column of epoch days: numpy's `NaT`, the smallest
/// `i64`. An add answers it with itself; a count refuses it (a count has no
/// missing value).
pub const MISSING_DAY: i64 = i64::MIN;

/// The `n[i]`-th working day after `days[i]` for each `i`, as epoch days
/// (days since 1970-01-01). The columns have one length, or one of them has
/// one element, paired with each of the other's. [`MISSING_DAY`] answers
/// itself.
///
/// # Errors
///
/// `calendar.unknown-region`; `request.invalid-value` (field `columns`) for
/// columns of two lengths, neither one; for the first pair refused, the
/// error [`add_working_days`](super::add_working_days) gives for it
/// (`calendar.out-of-range`, `calendar.result-out-of-range`,
/// `request.invalid-value` for a count beyond `i32`), about element K.
///
/// # Example
///
/// Friday 18 December 2026 is epoch day 20,805: five working days later is
/// Tuesday 29 December (20,816), one before is Thursday 17 (20,804); a day
/// before 1978 is refused, and the error names its position:
///
/// ```
/// use escalation_ladder::ops::{self, Registry, MISSING_DAY};
///
/// let registry = Registry::builtin()?;
/// let added = ops::add_working_days_columns(&registry, None, &[20_805], &[5, -1])?;
/// assert_eq!(added, [20_816, 20_804]);
/// let missing = ops::add_working_days_columns(&registry, None, &[MISSING_DAY], &[5])?;
/// assert_eq!(missing, [MISSING_DAY]);
/// let err = ops::add_working_days_columns(&registry, None, &[20_805, -3_000], &[1])
///     .unwrap_err();
/// assert_eq!((err.code, err.fields["index"].as_u64()), ("calendar.out-of-range", Some(1)));
/// assert!(err.message.starts_with("element 1: date 1961-10-15 is outside"));
/// // The first pair refused is named: one working day before 1 January 1978
/// // (epoch day 2,922) is out of range, before 1 January 1977 is.
/// let err = ops::add_working_days_columns(&registry, None, &[2_922, 2_557], &[-1, 0])
///     .unwrap_err();
/// assert_eq!((err.code, err.fields["index"].as_u64()), ("calendar.result-out-of-range", Some(0)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn add_working_days_columns(
    registry: &Registry,
    region: Option<&str>,
    days: &[i64],
    n: &[i64],
) -> Result<Vec<i64>, ErrorDocument> {
    let calendar = working_calendar(registry, region)?;
    // Two passes, each with a short chain of look-ups, so that the processor
    // keeps more of them in flight: each answer's index in the working-day
    // table, then the day at each index.
    let refused = || first_add_error(calendar, days, n);
    let mut out = each(
        days,
        n,
        |day, n| add_index(calendar, day, n),
        |_, _, _| refused(),
    )?;
    for answer in out.iter_mut() {
        if *answer == MISSING_DAY {
            continue;
        }
        match calendar.working_epoch_day(*answer) {
            Some(day) => *answer = day,
            None => return Err(refused()),
        }
    }
    Ok(out)
}

/// The error of the first pair an add refuses, in one pass (a pair may be
/// refused in either of the two, and the first refused is the one to name).
#[cold]
fn first_add_error(calendar: &WorkingCalendar, days: &[i64], n: &[i64]) -> ErrorDocument {
    let one = |day: i64, n: i64| -> Option<i64> {
        if day == MISSING_DAY {
            return Some(MISSING_DAY);
        }
        calendar
            .add_working_days_epoch_day(day, i32::try_from(n).ok()?)
            .ok()
    };
    match each(days, n, one, |day, n, index| {
        at_index(add_error(calendar, day, n), index)
    }) {
        Err(document) => document,
        Ok(_) => refused_then_given(),
    }
}

/// The working days in (`from[i]`, `to[i]`] for each `i`, the days as epoch
/// days; negative where `to[i]` is before `from[i]`. The columns as for
/// [`add_working_days_columns`].
///
/// # Errors
///
/// As [`add_working_days_columns`], the pair's error that of
/// [`count_working_days`](super::count_working_days); a [`MISSING_DAY`] is
/// `request.invalid-value` (field `from` or `to`).
///
/// # Example
///
/// From Christmas Eve 2026 (epoch day 20,811) to New Year's Eve (20,818) and
/// back:
///
/// ```
/// use escalation_ladder::ops::{self, Registry, MISSING_DAY};
///
/// let registry = Registry::builtin()?;
/// let counted = ops::count_working_days_columns(&registry, None, &[20_811, 20_818], &[20_818, 20_811])?;
/// assert_eq!(counted, [3, -3]);
/// let err = ops::count_working_days_columns(&registry, None, &[20_811], &[MISSING_DAY]).unwrap_err();
/// assert_eq!((err.code, err.fields["field"].as_str()), ("request.invalid-value", Some("to")));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn count_working_days_columns(
    registry: &Registry,
    region: Option<&str>,
    from: &[i64],
    to: &[i64],
) -> Result<Vec<i64>, ErrorDocument> {
    let calendar = working_calendar(registry, region)?;
    each(
        from,
        to,
        |a, b| count_one(calendar, a, b),
        |a, b, index| at_index(count_error(calendar, a, b), index),
    )
}

/// An add's answer's index in the working-day table (its day is looked up in
/// a second pass); [`MISSING_DAY`] for a missing day; `None` for a pair
/// refused ([`add_error`] says why).
#[inline(always)]
fn add_index(calendar: &WorkingCalendar, day: i64, n: i64) -> Option<i64> {
    if day == MISSING_DAY {
        return Some(MISSING_DAY);
    }
    calendar.added_working_index(day, i32::try_from(n).ok()?)
}

/// Why an add refused a pair.
#[cold]
fn add_error(calendar: &WorkingCalendar, day: i64, n: i64) -> ErrorDocument {
    // A count beyond i32: the one rule for a count of working days.
    let n = match parse_working_days("n", &n.to_string()) {
        Ok(n) => n,
        Err(doc) => return doc,
    };
    match calendar.add_working_days_epoch_day(day, n) {
        Err(e) => ErrorDocument::from(&e),
        Ok(_) => refused_then_given(),
    }
}

/// One answer of a count; `None` for a pair refused ([`count_error`]).
#[inline(always)]
fn count_one(calendar: &WorkingCalendar, from: i64, to: i64) -> Option<i64> {
    if from == MISSING_DAY || to == MISSING_DAY {
        return None;
    }
    calendar.count_working_days_epoch_days(from, to).ok()
}

/// Why [`count_one`] refused a pair.
#[cold]
fn count_error(calendar: &WorkingCalendar, from: i64, to: i64) -> ErrorDocument {
    if from == MISSING_DAY {
        return invalid_value("from", DATE_EXPECTED, "NaT");
    }
    if to == MISSING_DAY {
        return invalid_value("to", DATE_EXPECTED, "NaT");
    }
    match calendar.count_working_days_epoch_days(from, to) {
        Err(e) => ErrorDocument::from(&e),
        Ok(_) => refused_then_given(),
    }
}

/// A pair answered on a second asking after being refused on the first: a
/// bug (the calendar is pure), reported as one rather than as an answer.
#[cold]
fn refused_then_given() -> ErrorDocument {
    ErrorDocument::new(
        "internal.write",
        "cannot write the answer: a pair was refused, then answered".to_string(),
        serde_json::Map::new(),
    )
}

/// Each pair of `a` and `b` (of one length, or one of them a single element
/// paired with each of the other's) answered by `one`, stopping at the first
/// pair refused: `why` says why, given its position. Each shape of the
/// columns compiles to its own tight loop.
#[inline(always)]
fn each(
    a: &[i64],
    b: &[i64],
    one: impl Fn(i64, i64) -> Option<i64>,
    why: impl Fn(i64, i64, usize) -> ErrorDocument,
) -> Result<Vec<i64>, ErrorDocument> {
    let filled = match (a, b) {
        (a, b) if a.len() == b.len() => fill(a.iter().zip(b), &one),
        (&[x], b) => fill(b.iter().map(|y| (x, *y)), &one),
        (a, &[y]) => fill(a.iter().map(|x| (*x, y)), &one),
        (a, b) => {
            return Err(invalid_value(
                "columns",
                "expected two columns of one length, or one of them a single day",
                &format!("lengths {} and {}", a.len(), b.len()),
            ))
        }
    };
    filled.map_err(|index| {
        let side = |column: &[i64]| column.get(index).or(column.first()).copied();
        match side(a).zip(side(b)) {
            Some((x, y)) => why(x, y, index),
            None => refused_then_given(),
        }
    })
}

/// The answers of `pairs` in order, or the position of the first refused.
#[inline(always)]
fn fill<P: Pair>(
    pairs: impl ExactSizeIterator<Item = P>,
    one: &impl Fn(i64, i64) -> Option<i64>,
) -> Result<Vec<i64>, usize> {
    let mut out = Vec::with_capacity(pairs.len());
    for (index, pair) in pairs.enumerate() {
        let (x, y) = pair.days();
        match one(x, y) {
            Some(answer) => out.push(answer),
            None => return Err(index),
        }
    }
    Ok(out)
}

/// A pair of day numbers, by value or borrowed from the columns.
trait Pair {
    fn days(self) -> (i64, i64);
}

impl Pair for (i64, i64) {
    #[inline(always)]
    fn days(self) -> (i64, i64) {
        self
    }
}

impl Pair for (&i64, &i64) {
    #[inline(always)]
    fn days(self) -> (i64, i64) {
        (*self.0, *self.1)
    }
}

/// `document` about the element at `index`: the message says so, and
/// `fields.index` holds it.
fn at_index(mut document: ErrorDocument, index: usize) -> ErrorDocument {
    document.message = format!("element {index}: {}", document.message);
    document.fields.insert("index".into(), index.into());
    document
}
