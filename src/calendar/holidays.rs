//! The bank-holiday rules of the three UK divisions, 1978 to 2199.
//!
//! The schedule comes from the Banking and Financial Dealings Act 1971 (schedule 1)
//! and the days added to it by royal proclamation every year since; the one-off
//! and moved days are listed by name in [`PROCLAIMED`] and [`MOVED`].

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use super::{CalendarError, Region, FIRST_YEAR, LAST_YEAR};

/// How a bank holiday comes about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HolidayKind {
    /// On its usual date, by statute or by the annual proclamation.
    Regular,
    /// A weekday in lieu of a fixed-date holiday that fell at a weekend.
    Substitute,
    /// A regular holiday moved by proclamation to another date that year
    /// (the Early May holiday in 1995 and 2020, the Spring holiday in 2002, 2012, 2022).
    Moved,
    /// A one-off day proclaimed for an occasion (a royal wedding, a jubilee).
    Proclaimed,
    /// Added by the caller from data (holidays proclaimed after this release).
    Added,
}

/// A bank holiday: a date, its name and how it comes about.
///
/// # Example
///
/// Christmas 2022 fell on a Sunday, so Boxing Day kept Monday 26 December and
/// Christmas Day moved to Tuesday 27 December:
///
/// ```
/// use chrono::NaiveDate;
/// use escalation_ladder::calendar::{bank_holidays, HolidayKind};
/// use escalation_ladder::Region;
///
/// let holidays = bank_holidays(Region::EnglandAndWales, 2022)?;
/// let last = holidays.last().unwrap();
/// assert_eq!(last.date, NaiveDate::from_ymd_opt(2022, 12, 27).unwrap());
/// assert_eq!(last.name, "Christmas Day (substitute day)");
/// assert_eq!(last.kind, HolidayKind::Substitute);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BankHoliday {
    /// The day on which nobody works (for a substitute, the weekday in lieu).
    pub date: NaiveDate,
    /// Its name; a substitute says so: "Boxing Day (substitute day)".
    pub name: String,
    /// How it comes about.
    pub kind: HolidayKind,
}

/// The three divisions that have schedules of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Division {
    EnglandAndWales,
    Scotland,
    NorthernIreland,
}

const DIVISIONS: [Division; 3] = [
    Division::EnglandAndWales,
    Division::Scotland,
    Division::NorthernIreland,
];

impl Division {
    fn region(self) -> Region {
        match self {
            Division::EnglandAndWales => Region::EnglandAndWales,
            Division::Scotland => Region::Scotland,
            Division::NorthernIreland => Region::NorthernIreland,
        }
    }
}

/// A regular holiday moved to another date by proclamation, in all three divisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MovedDay {
    /// The regular holiday's usual name.
    pub usual_name: &'static str,
    /// The name it went by that year.
    pub name: &'static str,
    /// The new date: (year, month, day).
    pub date: (i32, u32, u32),
    /// What the proclamation did.
    pub why: &'static str,
}

/// The regular holidays moved by proclamation.
pub const MOVED: [MovedDay; 5] = [
    MovedDay {
        usual_name: "Early May bank holiday",
        name: "Early May bank holiday",
        date: (1995, 5, 8),
        why: "moved from 1 May to 8 May for the 50th anniversary of VE Day",
    },
    MovedDay {
        usual_name: "Spring bank holiday",
        name: "Spring bank holiday",
        date: (2002, 6, 4),
        why: "moved from 27 May to 4 June for the Golden Jubilee",
    },
    MovedDay {
        usual_name: "Spring bank holiday",
        name: "Spring bank holiday",
        date: (2012, 6, 4),
        why: "moved from 28 May to 4 June for the Diamond Jubilee",
    },
    MovedDay {
        usual_name: "Early May bank holiday",
        name: "Early May bank holiday (VE day)",
        date: (2020, 5, 8),
        why: "moved from 4 May to Friday 8 May for the 75th anniversary of VE Day",
    },
    MovedDay {
        usual_name: "Spring bank holiday",
        name: "Spring bank holiday",
        date: (2022, 6, 2),
        why: "moved from 30 May to Thursday 2 June for the Platinum Jubilee",
    },
];

/// Where a one-off proclaimed day applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProclaimedIn {
    /// All three divisions.
    AllDivisions,
    /// Scotland only.
    Scotland,
}

/// A one-off bank holiday proclaimed for an occasion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProclaimedDay {
    /// The date: (year, month, day).
    pub date: (i32, u32, u32),
    /// Its name.
    pub name: &'static str,
    /// Where it applies.
    pub applies: ProclaimedIn,
}

/// One-off bank holidays proclaimed for an occasion.
///
/// A day proclaimed after this release is added at run time with
/// [`CalendarBuilder::bank_holiday`](super::CalendarBuilder::bank_holiday) or from
/// GOV.UK's feed.
pub const PROCLAIMED: [ProclaimedDay; 9] = [
    ProclaimedDay {
        date: (1981, 7, 29),
        name: "Royal wedding of the Prince of Wales and Lady Diana Spencer",
        applies: ProclaimedIn::AllDivisions,
    },
    ProclaimedDay {
        date: (1999, 12, 31),
        name: "Millennium celebrations",
        applies: ProclaimedIn::AllDivisions,
    },
    ProclaimedDay {
        date: (2002, 6, 3),
        name: "Golden Jubilee bank holiday",
        applies: ProclaimedIn::AllDivisions,
    },
    ProclaimedDay {
        date: (2011, 4, 29),
        name: "Royal wedding of Prince William and Catherine Middleton",
        applies: ProclaimedIn::AllDivisions,
    },
    ProclaimedDay {
        date: (2012, 6, 5),
        name: "Queen's Diamond Jubilee",
        applies: ProclaimedIn::AllDivisions,
    },
    ProclaimedDay {
        date: (2022, 6, 3),
        name: "Platinum Jubilee bank holiday",
        applies: ProclaimedIn::AllDivisions,
    },
    ProclaimedDay {
        date: (2022, 9, 19),
        name: "Bank Holiday for the State Funeral of Queen Elizabeth II",
        applies: ProclaimedIn::AllDivisions,
    },
    ProclaimedDay {
        date: (2023, 5, 8),
        name: "Bank holiday for the coronation of King Charles III",
        applies: ProclaimedIn::AllDivisions,
    },
    // Proclaimed on 4 February 2026 for Scotland's first match of the 2026 World Cup.
    ProclaimedDay {
        date: (2026, 6, 15),
        name: "World Cup bank holiday",
        applies: ProclaimedIn::Scotland,
    },
];

/// The bank holidays of a region in a year, in date order.
///
/// Only days that make a weekday non-working are listed: a fixed-date holiday that
/// falls at a weekend appears as its substitute weekday, named "… (substitute day)".
/// For [`Region::UnitedKingdom`] a date is listed once; where the divisions name it
/// differently, the names are joined, each followed by its divisions in brackets.
///
/// # Errors
///
/// [`CalendarError::YearOutOfRange`] for a year outside 1978..=2199.
///
/// # Example
///
/// Scotland keeps 2 January, and St Andrew's Day (30 November 2025 was a Sunday):
///
/// ```
/// use chrono::NaiveDate;
/// use escalation_ladder::calendar::bank_holidays;
/// use escalation_ladder::Region;
///
/// let scotland = bank_holidays(Region::Scotland, 2025)?;
/// let names: Vec<&str> = scotland.iter().map(|h| h.name.as_str()).collect();
/// assert_eq!(names[1], "2nd January");
/// let andrew = scotland.iter().find(|h| h.name.starts_with("St Andrew")).unwrap();
/// assert_eq!(andrew.date, NaiveDate::from_ymd_opt(2025, 12, 1).unwrap());
/// assert_eq!(andrew.name, "St Andrew's Day (substitute day)");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn bank_holidays(region: Region, year: i32) -> Result<Vec<BankHoliday>, CalendarError> {
    if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
        return Err(CalendarError::YearOutOfRange { year });
    }
    Ok(match region {
        Region::EnglandAndWales => division_year(Division::EnglandAndWales, year),
        Region::Scotland => division_year(Division::Scotland, year),
        Region::NorthernIreland => division_year(Division::NorthernIreland, year),
        Region::UnitedKingdom => union_year(year),
    })
}

/// The union of the three divisions' holidays in a year.
fn union_year(year: i32) -> Vec<BankHoliday> {
    let per_division: Vec<(Division, Vec<BankHoliday>)> = DIVISIONS
        .iter()
        .map(|&d| (d, division_year(d, year)))
        .collect();
    let mut dates: Vec<NaiveDate> = per_division
        .iter()
        .flat_map(|(_, hs)| hs.iter().map(|h| h.date))
        .collect();
    dates.sort_unstable();
    dates.dedup();
    dates
        .into_iter()
        .map(|date| {
            // (name, kind, divisions that keep the day under that name)
            let mut names: Vec<(&str, HolidayKind, Vec<Division>)> = Vec::new();
            for (division, holidays) in &per_division {
                for h in holidays.iter().filter(|h| h.date == date) {
                    match names.iter_mut().find(|(n, _, _)| *n == h.name) {
                        Some((_, _, divisions)) => divisions.push(*division),
                        None => names.push((&h.name, h.kind, vec![*division])),
                    }
                }
            }
            let name = if names.len() == 1 && names[0].2.len() == DIVISIONS.len() {
                names[0].0.to_string()
            } else {
                names
                    .iter()
                    .map(|(n, _, divisions)| {
                        let list: Vec<&str> =
                            divisions.iter().map(|d| d.region().as_str()).collect();
                        format!("{n} [{}]", list.join(", "))
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            BankHoliday {
                date,
                name,
                kind: names[0].1,
            }
        })
        .collect()
}

/// One division's holidays in a year (the year is known to be in range).
fn division_year(division: Division, year: i32) -> Vec<BankHoliday> {
    let easter = easter_sunday(year);
    let mut days: Vec<BankHoliday> = Vec::with_capacity(12);
    let mut regular = |date: NaiveDate, name: &str| {
        days.push(BankHoliday {
            date,
            name: name.to_string(),
            kind: HolidayKind::Regular,
        })
    };

    // Holidays on a weekday by their rule (movable feasts and Monday holidays).
    regular(easter - chrono::Days::new(2), "Good Friday");
    if division != Division::Scotland {
        regular(easter + chrono::Days::new(1), "Easter Monday");
    }
    regular(
        nth_weekday(year, 5, Weekday::Mon, 1),
        "Early May bank holiday",
    );
    regular(last_weekday(year, 5, Weekday::Mon), "Spring bank holiday");
    match division {
        // Scotland's summer holiday is the first Monday in August.
        Division::Scotland => regular(nth_weekday(year, 8, Weekday::Mon, 1), "Summer bank holiday"),
        _ => regular(last_weekday(year, 8, Weekday::Mon), "Summer bank holiday"),
    }

    // Moved days replace the regular day of the same name that year.
    for moved in MOVED {
        let (y, m, d) = moved.date;
        if y == year {
            if let Some(day) = days.iter_mut().find(|h| h.name == moved.usual_name) {
                day.date = ymd(y, m, d);
                day.name = moved.name.to_string();
                day.kind = HolidayKind::Moved;
            }
        }
    }
    for ProclaimedDay {
        date: (y, m, d),
        name,
        applies,
    } in PROCLAIMED
    {
        let here = match applies {
            ProclaimedIn::AllDivisions => true,
            ProclaimedIn::Scotland => division == Division::Scotland,
        };
        if y == year && here {
            days.push(BankHoliday {
                date: ymd(y, m, d),
                name: name.to_string(),
                kind: HolidayKind::Proclaimed,
            });
        }
    }

    // Fixed-date holidays, in date order: one at a weekend is replaced by the next
    // weekday that is not already a holiday (so Christmas on a Saturday gives
    // Monday 27th, and Boxing Day on the Sunday gives Tuesday 28th).
    let mut fixed: Vec<(NaiveDate, &str)> = vec![(ymd(year, 1, 1), "New Year's Day")];
    if division == Division::Scotland {
        fixed.push((ymd(year, 1, 2), "2nd January"));
    }
    if division == Division::NorthernIreland {
        fixed.push((ymd(year, 3, 17), "St Patrick's Day"));
        fixed.push((ymd(year, 7, 12), "Battle of the Boyne (Orangemen's Day)"));
    }
    // St Andrew's Day Bank Holiday (Scotland) Act 2007.
    if division == Division::Scotland && year >= 2007 {
        fixed.push((ymd(year, 11, 30), "St Andrew's Day"));
    }
    fixed.push((ymd(year, 12, 25), "Christmas Day"));
    fixed.push((ymd(year, 12, 26), "Boxing Day"));

    for &(date, name) in fixed.iter().filter(|(date, _)| !is_weekend(*date)) {
        days.push(BankHoliday {
            date,
            name: name.to_string(),
            kind: HolidayKind::Regular,
        });
    }
    for &(date, name) in fixed.iter().filter(|(date, _)| is_weekend(*date)) {
        let mut substitute = date;
        while is_weekend(substitute) || days.iter().any(|h| h.date == substitute) {
            substitute = substitute + chrono::Days::new(1);
        }
        days.push(BankHoliday {
            date: substitute,
            name: format!("{name} (substitute day)"),
            kind: HolidayKind::Substitute,
        });
    }
    days.sort_by_key(|h| h.date);
    days
}

pub(super) fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// A date known to be valid (all callers pass constants or in-range years).
fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN)
}

fn nth_weekday(year: i32, month: u32, weekday: Weekday, n: u8) -> NaiveDate {
    NaiveDate::from_weekday_of_month_opt(year, month, weekday, n).unwrap_or(NaiveDate::MIN)
}

fn last_weekday(year: i32, month: u32, weekday: Weekday) -> NaiveDate {
    let last = ymd(year, month + 1, 1) - chrono::Days::new(1);
    let back = (7 + last.weekday().num_days_from_monday() - weekday.num_days_from_monday()) % 7;
    last - chrono::Days::new(u64::from(back))
}

/// Easter Sunday in the Gregorian calendar (the anonymous "Meeus/Jones/Butcher" algorithm).
fn easter_sunday(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    ymd(year, month as u32, day as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn easter_matches_published_dates() {
        // Church of England tables of Easter Day.
        assert_eq!(easter_sunday(1978), d(1978, 3, 26));
        assert_eq!(easter_sunday(2000), d(2000, 4, 23));
        assert_eq!(easter_sunday(2008), d(2008, 3, 23));
        assert_eq!(easter_sunday(2011), d(2011, 4, 24));
        assert_eq!(easter_sunday(2019), d(2019, 4, 21));
        assert_eq!(easter_sunday(2024), d(2024, 3, 31));
        assert_eq!(easter_sunday(2027), d(2027, 3, 28));
        assert_eq!(easter_sunday(2038), d(2038, 4, 25));
    }

    #[test]
    fn christmas_on_saturday_moves_both_days() {
        let hs = division_year(Division::EnglandAndWales, 2021);
        let tail: Vec<_> = hs[hs.len() - 2..]
            .iter()
            .map(|h| (h.date, h.name.as_str()))
            .collect();
        assert_eq!(
            tail,
            [
                (d(2021, 12, 27), "Christmas Day (substitute day)"),
                (d(2021, 12, 28), "Boxing Day (substitute day)"),
            ]
        );
    }

    #[test]
    fn scottish_new_year_pair_on_a_weekend() {
        // 1 January 2022 was a Saturday.
        let hs = division_year(Division::Scotland, 2022);
        assert_eq!(hs[0].date, d(2022, 1, 3));
        assert_eq!(hs[0].name, "New Year's Day (substitute day)");
        assert_eq!(hs[1].date, d(2022, 1, 4));
        assert_eq!(hs[1].name, "2nd January (substitute day)");
    }

    #[test]
    fn last_weekday_of_month() {
        assert_eq!(last_weekday(2026, 5, Weekday::Mon), d(2026, 5, 25));
        assert_eq!(last_weekday(2026, 8, Weekday::Mon), d(2026, 8, 31));
    }
}
