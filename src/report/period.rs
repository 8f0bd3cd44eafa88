//! Reporting periods: the monthly report, the quarterly analysis, the
//! six-monthly thematic report, or any range of dates.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Months, NaiveDate};
use serde::{Serialize, Serializer};

use super::error::PeriodError;

/// Which period a report covers, before it is placed on the calendar by an
/// as-of date ([`Period::dates`]).
///
/// Written `month`, `quarter`, `half-year` or `FROM..TO` (dates `YYYY-MM-DD`,
/// both days included).
///
/// # The rule
///
/// `month`, `quarter` and `half-year` are the most recent *complete* period
/// that ends on or before the as-of date: a monthly report run on 1 December
/// 2026 covers November 2026, and so does one run on 30 November 2026 (the
/// month ends that day). Quarters are calendar quarters (January to March, …),
/// which are also the UK financial year's quarters. Half-years follow the UK
/// financial year: April to September, and October to March. A range is taken
/// as given, and must end on or before the as-of date.
///
/// # Example
///
/// ```
/// use chrono::NaiveDate;
/// use escalation_ladder::report::Period;
///
/// let as_of = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
/// let quarter = "quarter".parse::<Period>()?.dates(as_of)?;
/// assert_eq!(quarter.from, NaiveDate::from_ymd_opt(2026, 7, 1).unwrap());
/// assert_eq!(quarter.to, NaiveDate::from_ymd_opt(2026, 9, 30).unwrap());
/// assert_eq!(quarter.label, "July to September 2026");
/// let half = Period::HalfYear.dates(as_of)?;
/// assert_eq!((half.from.to_string(), half.to.to_string()), ("2026-04-01".into(), "2026-09-30".into()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Period {
    /// The last complete calendar month.
    #[default]
    Month,
    /// The last complete calendar quarter.
    Quarter,
    /// The last complete half of the UK financial year (April to September,
    /// October to March).
    HalfYear,
    /// The days from `from` to `to`, both included.
    Range {
        /// The first day.
        from: NaiveDate,
        /// The last day.
        to: NaiveDate,
    },
}

/// A period placed on the calendar: its first and last days (both included)
/// and a label for people.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PeriodDates {
    /// The period asked for.
    pub period: Period,
    /// The first day.
    pub from: NaiveDate,
    /// The last day.
    pub to: NaiveDate,
    /// "October 2026", "July to September 2026", "2026-09-01 to 2026-11-23".
    pub label: String,
}

impl PeriodDates {
    /// Whether `date` is in the period.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }

    /// The report before this one: the period just before this one, and the
    /// as-of date the same distance before `as_of`.
    ///
    /// A month, quarter or half-year is followed by the one before it, its
    /// as-of date that many months earlier (the last day of the month where
    /// the day does not exist: 31 March gives 28 or 29 February); a range of
    /// N days by the N days before it, its as-of date N days earlier. So the
    /// report of October 2026 as at 23 November is compared with that of
    /// September as at 23 October, and the change between the two is what a
    /// month did.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use escalation_ladder::report::Period;
    ///
    /// let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// let october = Period::Month.dates(date(2026, 11, 23))?;
    /// let (as_of, september) = october.previous(date(2026, 11, 23)).unwrap();
    /// assert_eq!((as_of, september.label.as_str()), (date(2026, 10, 23), "September 2026"));
    /// // A quarter run on 31 March 2027 is compared with the one run on 31 December.
    /// let q1 = Period::Quarter.dates(date(2027, 3, 31))?;
    /// let (as_of, q4) = q1.previous(date(2027, 3, 31)).unwrap();
    /// assert_eq!((as_of, q4.label.as_str()), (date(2026, 12, 31), "October to December 2026"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn previous(&self, as_of: NaiveDate) -> Option<(NaiveDate, PeriodDates)> {
        let (period, from, to, as_of) = match self.period {
            Period::Range { .. } => {
                let days = chrono::Days::new((self.to - self.from).num_days().unsigned_abs() + 1);
                let (from, to) = (
                    self.from.checked_sub_days(days)?,
                    self.to.checked_sub_days(days)?,
                );
                (
                    Period::Range { from, to },
                    from,
                    to,
                    as_of.checked_sub_days(days)?,
                )
            }
            kind => {
                let months = match kind {
                    Period::Quarter => 3,
                    Period::HalfYear => 6,
                    _ => 1,
                };
                let (from, to) = kind.containing(self.from.pred_opt()?)?;
                (
                    kind,
                    from,
                    to,
                    as_of.checked_sub_months(Months::new(months))?,
                )
            }
        };
        Some((
            as_of,
            PeriodDates {
                period,
                from,
                to,
                label: period.label(from, to),
            },
        ))
    }
}

impl Period {
    /// The period's name: `month`, `quarter`, `half-year` or `range`.
    pub fn name(self) -> &'static str {
        match self {
            Period::Month => "month",
            Period::Quarter => "quarter",
            Period::HalfYear => "half-year",
            Period::Range { .. } => "range",
        }
    }

    /// The days the period covers for a report as at `as_of` (see
    /// [the rule](Period#the-rule)).
    ///
    /// # Errors
    ///
    /// [`PeriodError::EndsAfterAsOf`] for a range that ends after `as_of`;
    /// [`PeriodError::NoneBefore`] when no complete period ends on or before
    /// `as_of` within chrono's dates.
    ///
    /// # Example
    ///
    /// A monthly report on the last day of February 2028, a leap year, covers
    /// that February; the day before, it covers January:
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use escalation_ladder::report::Period;
    ///
    /// let feb = Period::Month.dates(NaiveDate::from_ymd_opt(2028, 2, 29).unwrap())?;
    /// assert_eq!((feb.from.to_string(), feb.to.to_string()), ("2028-02-01".into(), "2028-02-29".into()));
    /// let jan = Period::Month.dates(NaiveDate::from_ymd_opt(2028, 2, 28).unwrap())?;
    /// assert_eq!(jan.label, "January 2028");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn dates(self, as_of: NaiveDate) -> Result<PeriodDates, PeriodError> {
        let none_before = || PeriodError::NoneBefore {
            period: self.name(),
            as_of,
        };
        let (from, to) = match self {
            Period::Range { from, to } => {
                if to > as_of {
                    return Err(PeriodError::EndsAfterAsOf { to, as_of });
                }
                (from, to)
            }
            Period::Month | Period::Quarter | Period::HalfYear => {
                let (from, to) = self.containing(as_of).ok_or_else(none_before)?;
                if to == as_of {
                    (from, to)
                } else {
                    let before = from.pred_opt().ok_or_else(none_before)?;
                    self.containing(before).ok_or_else(none_before)?
                }
            }
        };
        Ok(PeriodDates {
            period: self,
            from,
            to,
            label: self.label(from, to),
        })
    }

    /// The first and last day of the period of this kind that contains `date`.
    fn containing(self, date: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
        let (year, month) = (date.year(), date.month());
        let (first_month_year, first_month, months) = match self {
            Period::Month => (year, month, 1),
            Period::Quarter => (year, (month - 1) / 3 * 3 + 1, 3),
            Period::HalfYear if (4..=9).contains(&month) => (year, 4, 6),
            Period::HalfYear if month >= 10 => (year, 10, 6),
            Period::HalfYear => (year - 1, 10, 6),
            Period::Range { from, to } => return Some((from, to)),
        };
        let from = NaiveDate::from_ymd_opt(first_month_year, first_month, 1)?;
        let to = from.checked_add_months(Months::new(months))?.pred_opt()?;
        Some((from, to))
    }

    fn label(self, from: NaiveDate, to: NaiveDate) -> String {
        let month = |d: NaiveDate| d.format("%B").to_string();
        match self {
            Period::Month => from.format("%B %Y").to_string(),
            Period::Quarter | Period::HalfYear if from.year() == to.year() => {
                format!("{} to {} {}", month(from), month(to), to.year())
            }
            Period::Quarter | Period::HalfYear => {
                format!("{} to {}", from.format("%B %Y"), to.format("%B %Y"))
            }
            Period::Range { .. } => format!("{from} to {to}"),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Range { from, to } => write!(f, "{from}..{to}"),
            other => f.write_str(other.name()),
        }
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Period {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Period".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "The period asked for: `month`, `quarter`, `half-year`, or `FROM..TO` (two dates YYYY-MM-DD).",
            "type": "string",
            "pattern": "^(month|quarter|half-year|[0-9]{4}-[0-9]{2}-[0-9]{2}\\.\\.[0-9]{4}-[0-9]{2}-[0-9]{2})$",
        })
    }
}

impl FromStr for Period {
    type Err = PeriodError;

    /// Reads `month`, `quarter`, `half-year` or `FROM..TO`.
    ///
    /// # Errors
    ///
    /// [`PeriodError::Unknown`] for any other text (dates must be
    /// `YYYY-MM-DD`); [`PeriodError::Reversed`] for a range whose end is before
    /// its start.
    fn from_str(text: &str) -> Result<Period, PeriodError> {
        match text {
            "month" => return Ok(Period::Month),
            "quarter" => return Ok(Period::Quarter),
            "half-year" => return Ok(Period::HalfYear),
            _ => {}
        }
        let unknown = || PeriodError::Unknown {
            found: text.to_string(),
        };
        let (from, to) = text.split_once("..").ok_or_else(unknown)?;
        let (from, to) = (
            strict_date(from).ok_or_else(unknown)?,
            strict_date(to).ok_or_else(unknown)?,
        );
        if to < from {
            return Err(PeriodError::Reversed { from, to });
        }
        Ok(Period::Range { from, to })
    }
}

/// A date written exactly `YYYY-MM-DD`.
pub(crate) fn strict_date(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shaped {
        return None;
    }
    let number = |range: std::ops::Range<usize>| text.get(range)?.parse::<u32>().ok();
    let year = i32::try_from(number(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, number(5..7)?, number(8..10)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn covers(period: Period, as_of: NaiveDate) -> (NaiveDate, NaiveDate, String) {
        let dates = period.dates(as_of).unwrap();
        (dates.from, dates.to, dates.label)
    }

    #[test]
    fn month_is_the_last_complete_one() {
        let november = (d(2026, 11, 1), d(2026, 11, 30), "November 2026".to_string());
        // Run on the 1st of December, or on the last day of November itself.
        assert_eq!(covers(Period::Month, d(2026, 12, 1)), november);
        assert_eq!(covers(Period::Month, d(2026, 11, 30)), november);
        // The day before, November is not complete: October.
        let october = covers(Period::Month, d(2026, 11, 29));
        assert_eq!((october.0, october.1), (d(2026, 10, 1), d(2026, 10, 31)));
        // Across the year end.
        let december = covers(Period::Month, d(2027, 1, 15));
        assert_eq!(
            december,
            (d(2026, 12, 1), d(2026, 12, 31), "December 2026".to_string())
        );
    }

    #[test]
    fn february_of_leap_and_common_years() {
        assert_eq!(covers(Period::Month, d(2028, 2, 29)).1, d(2028, 2, 29));
        assert_eq!(covers(Period::Month, d(2028, 3, 1)).1, d(2028, 2, 29));
        assert_eq!(covers(Period::Month, d(2027, 3, 1)).1, d(2027, 2, 28));
        assert_eq!(covers(Period::Month, d(2027, 2, 28)).0, d(2027, 2, 1));
    }

    #[test]
    fn quarters_are_calendar_quarters() {
        let q3 = (
            d(2026, 7, 1),
            d(2026, 9, 30),
            "July to September 2026".to_string(),
        );
        assert_eq!(covers(Period::Quarter, d(2026, 11, 23)), q3);
        assert_eq!(covers(Period::Quarter, d(2026, 9, 30)), q3);
        assert_eq!(covers(Period::Quarter, d(2026, 10, 1)), q3);
        // On 29 September the quarter before is the last complete one.
        assert_eq!(covers(Period::Quarter, d(2026, 9, 29)).0, d(2026, 4, 1));
        // January to March 2027, run on 31 March 2027 and on 2 April 2027.
        let q1 = (
            d(2027, 1, 1),
            d(2027, 3, 31),
            "January to March 2027".to_string(),
        );
        assert_eq!(covers(Period::Quarter, d(2027, 3, 31)), q1);
        assert_eq!(covers(Period::Quarter, d(2027, 4, 2)), q1);
        assert_eq!(covers(Period::Quarter, d(2027, 2, 10)).1, d(2026, 12, 31));
    }

    #[test]
    fn half_years_follow_the_financial_year() {
        let april_to_september = (
            d(2026, 4, 1),
            d(2026, 9, 30),
            "April to September 2026".to_string(),
        );
        assert_eq!(
            covers(Period::HalfYear, d(2026, 11, 23)),
            april_to_september
        );
        assert_eq!(covers(Period::HalfYear, d(2026, 9, 30)), april_to_september);
        assert_eq!(covers(Period::HalfYear, d(2027, 3, 30)), april_to_september);
        let october_to_march = (
            d(2026, 10, 1),
            d(2027, 3, 31),
            "October 2026 to March 2027".to_string(),
        );
        assert_eq!(covers(Period::HalfYear, d(2027, 3, 31)), october_to_march);
        assert_eq!(covers(Period::HalfYear, d(2027, 9, 29)), october_to_march);
        // In the spring of a leap year the half before ends on 31 March still.
        assert_eq!(covers(Period::HalfYear, d(2028, 2, 29)).1, d(2027, 9, 30));
    }

    #[test]
    fn ranges_are_inclusive_and_end_by_the_as_of_date() {
        let range: Period = "2026-09-01..2026-11-23".parse().unwrap();
        assert_eq!(
            range,
            Period::Range {
                from: d(2026, 9, 1),
                to: d(2026, 11, 23)
            }
        );
        let dates = range.dates(d(2026, 11, 23)).unwrap();
        assert!(dates.contains(d(2026, 9, 1)) && dates.contains(d(2026, 11, 23)));
        assert!(!dates.contains(d(2026, 8, 31)) && !dates.contains(d(2026, 11, 24)));
        assert_eq!(dates.label, "2026-09-01 to 2026-11-23");
        assert_eq!(range.to_string(), "2026-09-01..2026-11-23");
        assert_eq!(
            range.dates(d(2026, 11, 22)),
            Err(PeriodError::EndsAfterAsOf {
                to: d(2026, 11, 23),
                as_of: d(2026, 11, 22)
            })
        );
        let one_day: Period = "2026-11-23..2026-11-23".parse().unwrap();
        assert_eq!(
            one_day.dates(d(2026, 11, 23)).unwrap().from,
            d(2026, 11, 23)
        );
    }

    #[test]
    fn bad_periods_are_refused() {
        let messages: Vec<String> = [
            "",
            "Month",
            "week",
            "2026-09-01",
            "2026-09-01..",
            "2026-9-01..2026-11-23",
            "2026-02-30..2026-03-01",
            "2026-11-23..2026-09-01",
        ]
        .iter()
        .map(|text| format!("{text:?}: {}", text.parse::<Period>().unwrap_err()))
        .collect();
        insta::assert_snapshot!(messages.join("\n"));
    }

    #[test]
    fn names_and_json() {
        assert_eq!(Period::HalfYear.to_string(), "half-year");
        assert_eq!("half-year".parse::<Period>(), Ok(Period::HalfYear));
        assert_eq!(
            serde_json::to_string(&Period::Quarter).unwrap(),
            "\"quarter\""
        );
        assert_eq!(Period::default(), Period::Month);
    }
}
