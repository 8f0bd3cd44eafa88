//! Holiday data loaded at run time: GOV.UK's JSON feed, or a plain list.
//!
//! These parse text that the caller has read; they do no I/O themselves.

use chrono::NaiveDate;
use serde::Deserialize;

use super::holidays::{BankHoliday, HolidayKind};
use super::{CalendarError, Region};
use crate::input::{parse_date, UniqueKeys};

#[derive(Deserialize)]
struct Division {
    events: Vec<Event>,
}

#[derive(Deserialize)]
struct Event {
    title: String,
    #[serde(deserialize_with = "crate::input::field::date")]
    date: NaiveDate,
    #[serde(default)]
    notes: String,
}

/// Reads GOV.UK's bank-holiday feed (the format of `https://www.gov.uk/bank-holidays.json`)
/// and returns the holidays of `region`'s division (all three for
/// [`Region::UnitedKingdom`]), ready for [`CalendarBuilder::bank_holidays`](super::CalendarBuilder::bank_holidays).
///
/// A substitute day (notes "Substitute day") is named "… (substitute day)".
///
/// A UTF-8 byte-order mark at the start of `text` is skipped.
///
/// # Errors
///
/// [`CalendarError::HolidayData`] naming `source_name` and the line, for malformed
/// JSON, a missing division or field, or an impossible date.
///
/// # Example
///
/// ```
/// use escalation_ladder::calendar::parse_govuk_json;
/// use escalation_ladder::Region;
///
/// let feed = r#"{"scotland": {"division": "scotland", "events": [
///   {"title": "St Andrew’s Day", "date": "2026-11-30", "notes": "", "bunting": true}]}}"#;
/// let holidays = parse_govuk_json(feed, Region::Scotland, "bank-holidays.json")?;
/// assert_eq!(holidays[0].name, "St Andrew’s Day");
/// let err = parse_govuk_json(feed, Region::EnglandAndWales, "bank-holidays.json").unwrap_err();
/// assert_eq!(err.to_string(), "bank-holidays.json:1: expected a division 'england-and-wales', found divisions: scotland");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn parse_govuk_json(
    text: &str,
    region: Region,
    source_name: &str,
) -> Result<Vec<BankHoliday>, CalendarError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text); // a byte-order mark
    let feed: UniqueKeys<Division> =
        serde_json::from_str(text).map_err(|e| CalendarError::HolidayData {
            source_name: source_name.to_string(),
            line: e.line(),
            message: format!("expected GOV.UK's bank-holidays JSON: {e}"),
        })?;
    let wanted: Vec<Region> = match region {
        Region::UnitedKingdom => vec![
            Region::EnglandAndWales,
            Region::Scotland,
            Region::NorthernIreland,
        ],
        division => vec![division],
    };
    let mut holidays = Vec::new();
    for division in wanted {
        let events = feed
            .get(division.as_str())
            .ok_or_else(|| CalendarError::HolidayData {
                source_name: source_name.to_string(),
                line: 1,
                message: format!(
                    "expected a division '{division}', found divisions: {}",
                    feed.keys().collect::<Vec<_>>().join(", ")
                ),
            })?;
        holidays.extend(events.events.iter().map(|e| BankHoliday {
            date: e.date,
            name: if e.notes.eq_ignore_ascii_case("substitute day") {
                format!("{} (substitute day)", e.title)
            } else {
                e.title.clone()
            },
            kind: HolidayKind::Added,
        }));
    }
    holidays.sort_by_key(|h| h.date);
    Ok(holidays)
}

/// Reads a closures file: one `YYYY-MM-DD reason` per line (the reason is
/// optional: `None` when a line gives only the date); blank lines and lines
/// starting with `#` are ignored. The same format as a holiday list
/// ([`parse_holiday_list`]), read into days a council's service is closed
/// (`CalendarBuilder::closure`) rather than bank holidays.
///
/// A UTF-8 byte-order mark at the start of `text` is skipped.
///
/// # Errors
///
/// [`CalendarError::HolidayData`] (`calendar.holiday-data`) naming
/// `source_name` and the line of the first line that does not start with a
/// real date.
///
/// # Example
///
/// ```
/// use escalation_ladder::calendar::parse_closure_list;
///
/// let list = "# Christmas shutdown 2026\n2026-12-29 Christmas shutdown\n2026-12-30\n";
/// let closures = parse_closure_list(list, "closures.txt")?;
/// assert_eq!(closures[0].0.to_string(), "2026-12-29");
/// assert_eq!(closures[0].1.as_deref(), Some("Christmas shutdown"));
/// assert_eq!(closures[1].1, None);
/// let err = parse_closure_list("29/12/2026 shutdown", "closures.txt").unwrap_err();
/// assert_eq!(err.to_string(), "closures.txt:1: expected a date YYYY-MM-DD, found '29/12/2026'");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn parse_closure_list(
    text: &str,
    source_name: &str,
) -> Result<Vec<(NaiveDate, Option<String>)>, CalendarError> {
    let days = parse_holiday_list(text, source_name)?;
    // The holiday reader names a nameless day; a closure keeps "none given".
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let named = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| {
            line.split_once(char::is_whitespace)
                .is_some_and(|(_, r)| !r.trim().is_empty())
        });
    Ok(days
        .into_iter()
        .zip(named)
        .map(|(day, named)| (day.date, named.then_some(day.name)))
        .collect())
}

/// Reads a plain list of holidays: one `YYYY-MM-DD name` per line (the name is
/// optional); blank lines and lines starting with `#` are ignored.
///
/// A UTF-8 byte-order mark at the start of `text` is skipped.
///
/// # Errors
///
/// [`CalendarError::HolidayData`] naming `source_name` and the line of the first
/// line that does not start with a real date.
///
/// # Example
///
/// ```
/// use escalation_ladder::calendar::parse_holiday_list;
///
/// let list = "# proclaimed after release\n2027-06-07 A new bank holiday\n";
/// let holidays = parse_holiday_list(list, "extra.txt")?;
/// assert_eq!(holidays[0].name, "A new bank holiday");
/// let err = parse_holiday_list("2027-02-30 Nope", "extra.txt").unwrap_err();
/// assert_eq!(err.to_string(), "extra.txt:1: expected a date YYYY-MM-DD, found '2027-02-30'");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn parse_holiday_list(
    text: &str,
    source_name: &str,
) -> Result<Vec<BankHoliday>, CalendarError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text); // a byte-order mark
    let mut holidays = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (date_text, name) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        let date = parse_date(date_text).ok_or_else(|| CalendarError::HolidayData {
            source_name: source_name.to_string(),
            line: index + 1,
            message: format!("expected a date YYYY-MM-DD, found '{date_text}'"),
        })?;
        let name = name.trim();
        holidays.push(BankHoliday {
            date,
            name: if name.is_empty() {
                "Bank holiday".to_string()
            } else {
                name.to_string()
            },
            kind: HolidayKind::Added,
        });
    }
    Ok(holidays)
}
