//! Dates as `YYYY-MM-DD`, exactly, wherever they come from.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::de::{self, DeserializeSeed, Deserializer, Visitor};

/// What a date must look like, as errors say it.
pub const DATE_EXPECTED: &str = "expected a date YYYY-MM-DD";

/// Parses a date strictly: exactly ten characters `YYYY-MM-DD`, a real day.
///
/// Chrono's own parser is lenient (it takes `2026-1-5` and `+002026-01-05`); a
/// case system's export must say one date one way, so the crate reads dates
/// only through this function, on the command line and in every JSON input.
///
/// # Example
///
/// Boxing Day 2026 falls on a Saturday; its substitute is Monday 28 December:
///
/// ```
/// use chrono::NaiveDate;
/// use escalation_ladder::input::parse_date;
///
/// assert_eq!(parse_date("2026-12-28"), NaiveDate::from_ymd_opt(2026, 12, 28));
/// assert_eq!(parse_date("2026-12-32"), None);
/// assert_eq!(parse_date("2026-1-5"), None);
/// assert_eq!(parse_date(" 2026-01-05"), None);
/// assert_eq!(parse_date("+002026-01-05"), None);
/// assert_eq!(parse_date("2026-12-14T00:00:00"), None);
/// ```
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        b[range].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let year = i32::try_from(digits(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, digits(5..7)?, digits(8..10)?)
}

/// Reads one JSON date field strictly, naming the field in its error:
/// `"on": expected a date YYYY-MM-DD, found "2026-12-14T00:00:00"`.
///
/// A [`DeserializeSeed`] for hand-written deserializers (the crate's event
/// reader uses it); derived ones use it through `deserialize_with`.
///
/// # Example
///
/// ```
/// use escalation_ladder::input::DateField;
/// use serde::de::DeserializeSeed;
///
/// let mut json = serde_json::Deserializer::from_str(r#""2026-1-5""#);
/// let err = DateField("on").deserialize(&mut json).unwrap_err();
/// assert_eq!(err.to_string(), r#""on": expected a date YYYY-MM-DD, found "2026-1-5" at line 1 column 10"#);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct DateField(pub &'static str);

impl<'de> DeserializeSeed<'de> for DateField {
    type Value = NaiveDate;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<NaiveDate, D::Error> {
        deserializer.deserialize_str(DateVisitor(self.0))
    }
}

/// [`DateField`] for an optional date: `null` (or, in a derived struct with
/// `default`, an absent field) is `None`.
///
/// # Example
///
/// ```
/// use escalation_ladder::input::OptionalDateField;
/// use serde::de::DeserializeSeed;
///
/// let mut json = serde_json::Deserializer::from_str("null");
/// assert_eq!(OptionalDateField("due").deserialize(&mut json)?, None);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct OptionalDateField(pub &'static str);

impl<'de> DeserializeSeed<'de> for OptionalDateField {
    type Value = Option<NaiveDate>;

    fn deserialize<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Option<NaiveDate>, D::Error> {
        deserializer.deserialize_option(OptionalDateVisitor(self.0))
    }
}

struct DateVisitor(&'static str);

impl<'de> Visitor<'de> for DateVisitor {
    type Value = NaiveDate;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "\"{}\": {DATE_EXPECTED}", self.0)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<NaiveDate, E> {
        parse_date(text).ok_or_else(|| {
            E::custom(format_args!(
                "\"{}\": {DATE_EXPECTED}, found {}",
                self.0,
                Quoted(text)
            ))
        })
    }
}

struct OptionalDateVisitor(&'static str);

impl<'de> Visitor<'de> for OptionalDateVisitor {
    type Value = Option<NaiveDate>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "\"{}\": {DATE_EXPECTED} or null", self.0)
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<NaiveDate>, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<NaiveDate>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<NaiveDate>, D::Error> {
        DateField(self.0).deserialize(d).map(Some)
    }
}

/// A value from the input, quoted as JSON writes it (so a control character
/// in it shows as an escape and cannot end the line), cut at 40 characters.
struct Quoted<'a>(&'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let mut shown: String = self.0.chars().take(40).collect();
        if shown.len() < self.0.len() {
            shown.push('…');
        }
        match serde_json::to_string(&shown) {
            Ok(json) => f.write_str(&json),
            Err(_) => f.write_str("\"?\""),
        }
    }
}

/// `deserialize_with` functions, one per date field of the crate's own types,
/// so that each error names its field.
macro_rules! date_fields {
    ($($name:ident),* $(,)?) => {
        $(
            #[allow(dead_code)]
            pub(crate) fn $name<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
                DateField(stringify!($name)).deserialize(d)
            }
        )*
        /// The same for optional dates.
        pub(crate) mod optional {
            use super::*;
            $(
                #[allow(dead_code)]
                pub(crate) fn $name<'de, D: Deserializer<'de>>(
                    d: D,
                ) -> Result<Option<NaiveDate>, D::Error> {
                    OptionalDateField(stringify!($name)).deserialize(d)
                }
            )*
        }
    };
}

/// Per-field readers: `#[serde(deserialize_with = "crate::input::field::on")]`.
pub(crate) mod field {
    use super::*;

    date_fields!(
        on,
        date,
        due,
        raised_on,
        stage_entered_on,
        respond_by,
        responded_on,
        ceiling,
        last_event_on,
        threshold_from,
        wakes_on,
        started_on,
        completed_on,
        as_of,
        raised,
        from,
        to,
    );
}

/// A date written as `YYYY-MM-DD` without the formatting machinery: the
/// contract's documents write many dates, and this is most of their cost.
/// `None` outside years 0 to 9999, which chrono then writes itself.
pub(crate) fn date_text(date: NaiveDate) -> Option<[u8; 10]> {
    let year = u32::try_from(date.year()).ok().filter(|y| *y <= 9999)?;
    let (month, day) = (date.month(), date.day());
    let digit = |n: u32| b'0' + (n % 10) as u8;
    Some([
        digit(year / 1000),
        digit(year / 100),
        digit(year / 10),
        digit(year),
        b'-',
        digit(month / 10),
        digit(month),
        b'-',
        digit(day / 10),
        digit(day),
    ])
}

/// `serialize_with` writers for dates: the same text as chrono's, written
/// directly ([`date_text`]).
pub(crate) mod write {
    use chrono::NaiveDate;
    use serde::{Serialize, Serializer};

    /// A date, `YYYY-MM-DD`.
    pub(crate) fn date<S: Serializer>(date: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
        match super::date_text(*date) {
            // The bytes are ASCII digits and dashes.
            Some(text) => serializer.serialize_str(std::str::from_utf8(&text).unwrap_or_default()),
            None => date.serialize(serializer),
        }
    }

    /// A date to write as a value of its own (`serialize_entry`).
    pub(crate) struct Date(pub(crate) NaiveDate);

    impl Serialize for Date {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            date(&self.0, serializer)
        }
    }

    /// An optional date to write as a value of its own.
    pub(crate) struct OptionalDate(pub(crate) Option<NaiveDate>);

    impl Serialize for OptionalDate {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            optional(&self.0, serializer)
        }
    }

    /// An optional date, `null` when absent.
    pub(crate) fn optional<S: Serializer>(
        date: &Option<NaiveDate>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match date {
            Some(date) => self::date(date, serializer),
            None => serializer.serialize_none(),
        }
    }
}

#[cfg(test)]
mod date_text_tests {
    use super::*;

    #[test]
    fn the_same_text_as_chrono_across_the_range() {
        let mut date = NaiveDate::from_ymd_opt(1, 1, 1).unwrap();
        let last = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap();
        let mut checked = 0;
        while date <= last {
            let text = date_text(date).unwrap();
            assert_eq!(std::str::from_utf8(&text).unwrap(), date.to_string());
            checked += 1;
            // Every day of 1970-2200, and a day in 37 before and after.
            date = if (1970..2200).contains(&date.year()) {
                date.succ_opt().unwrap()
            } else {
                date + chrono::Days::new(37)
            };
        }
        assert!(checked > 80_000);
        assert_eq!(
            date_text(NaiveDate::from_ymd_opt(10_000, 1, 1).unwrap()),
            None
        );
        assert_eq!(date_text(NaiveDate::from_ymd_opt(-1, 1, 1).unwrap()), None);
        let json = serde_json::to_string(&Wrapped(NaiveDate::from_ymd_opt(2026, 12, 25).unwrap()));
        assert_eq!(json.unwrap(), r#""2026-12-25""#);
    }

    struct Wrapped(NaiveDate);
    impl serde::Serialize for Wrapped {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            write::date(&self.0, s)
        }
    }
}
