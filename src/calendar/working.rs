//! Working calendars: weekdays less bank holidays, as the caller adjusts them,
//! with precomputed tables that answer every query in constant time.

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use super::holidays::{bank_holidays, is_weekend, BankHoliday, HolidayKind};
use super::{CalendarError, Region, FIRST_YEAR, LAST_YEAR};

/// Slots per year in the tables: one per possible ordinal day (366), so that a
/// date's slot is `(year - FIRST_YEAR) * 366 + ordinal0`, with no division.
const SLOTS_PER_YEAR: usize = 366;
const YEARS: usize = (LAST_YEAR - FIRST_YEAR + 1) as usize;
const SLOTS: usize = YEARS * SLOTS_PER_YEAR;
/// Slots per block of the prefix count: `slot >> BLOCK_SHIFT` is a slot's block.
const BLOCK_SHIFT: u32 = 6;
const BLOCKS: usize = SLOTS.div_ceil(1 << BLOCK_SHIFT);
/// The low bits of a slot's byte: working days before the slot within its block
/// (at most 63, since a block has 64 slots).
const BEFORE_IN_BLOCK: u8 = 0x3f;
/// The bit of a slot's byte set when the slot is a working day.
const WORKING_SHIFT: u32 = 7;

/// The epoch day (days since 1970-01-01) of 1 January of `year`, proleptic
/// Gregorian: the days of the years before it since 0001-01-01, less those
/// before 1970.
const fn jan1_epoch_day(year: i32) -> i64 {
    let before = (year - 1) as i64;
    365 * before + before / 4 - before / 100 + before / 400 - 719_162
}

/// The epoch day of 1 January of each year of the tables, and of the year
/// after the last: an epoch day's year is found by one estimate and one
/// look-up, with no calendar arithmetic.
const YEAR_STARTS: [i64; YEARS + 1] = {
    let mut starts = [0; YEARS + 1];
    let mut i = 0;
    while i <= YEARS {
        starts[i] = jan1_epoch_day(FIRST_YEAR + i as i32);
        i += 1;
    }
    starts
};

/// Which way to move a date that is not a working day.
///
/// # Example
///
/// Two weeks after Friday 4 April 2025 is Good Friday, 18 April 2025:
///
/// ```
/// use chrono::NaiveDate;
/// use escalation_ladder::{Region, Roll, WorkingCalendar};
///
/// let calendar = WorkingCalendar::new(Region::EnglandAndWales);
/// let raised = NaiveDate::from_ymd_opt(2025, 4, 4).unwrap();
/// let within = calendar.add_weeks(raised, 2, Roll::Preceding)?;
/// assert_eq!(within, NaiveDate::from_ymd_opt(2025, 4, 17).unwrap());
/// let after = calendar.add_weeks(raised, 2, Roll::Following)?;
/// assert_eq!(after, NaiveDate::from_ymd_opt(2025, 4, 22).unwrap());
/// let exact = calendar.add_weeks(raised, 2, Roll::None)?;
/// assert_eq!(exact, NaiveDate::from_ymd_opt(2025, 4, 18).unwrap());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Roll {
    /// Keep the date even if it is not a working day.
    None,
    /// Move forward to the next working day (the date itself if it is one).
    Following,
    /// Move back to the previous working day (the date itself if it is one). The
    /// right choice for "within 2 weeks": the deadline never moves later.
    Preceding,
}

/// Why a day is, or is not, a working day.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "type", content = "name")]
pub enum DayKind {
    /// A working day.
    Working,
    /// A Saturday.
    Saturday,
    /// A Sunday.
    Sunday,
    /// A bank holiday, with its name.
    BankHoliday(String),
    /// A closure day the caller added (e.g. a council's Christmas shutdown), with its reason.
    Closure(String),
    /// A day that would not be a working day but that the caller opened, with the reason.
    Opened(String),
}

impl DayKind {
    /// Whether this kind of day counts as a working day.
    pub fn is_working(&self) -> bool {
        matches!(self, DayKind::Working | DayKind::Opened(_))
    }
}

/// A UK working-day calendar: Monday to Friday, less a region's bank holidays,
/// adjusted by the caller.
///
/// Built once (about 310 KB of tables, in a few milliseconds), it
/// answers every query in constant time: no query loops over days.
///
/// # The counting convention
///
/// - **N working days after D** is the N-th working day strictly after D. The day
///   of receipt is day 0, so receipt on a non-working day makes the next working
///   day day 1.
/// - **N = 0** gives D if it is a working day, else the next working day.
/// - **Negative N** counts back the same way: -N-th working day strictly before D.
/// - **The count from FROM to TO** is the number of working days in (FROM, TO]:
///   FROM is excluded, TO included; negative when TO is before FROM.
///
/// # Example
///
/// An IRO alert received on Friday 19 December 2025 must be answered within 5
/// working days. Christmas Day and Boxing Day fall on Thursday and Friday, so the
/// fifth working day is Tuesday 30 December:
///
/// ```
/// use chrono::NaiveDate;
/// use escalation_ladder::{Region, WorkingCalendar};
///
/// let calendar = WorkingCalendar::new(Region::EnglandAndWales);
/// let received = NaiveDate::from_ymd_opt(2025, 12, 19).unwrap();
/// let due = calendar.add_working_days(received, 5)?;
/// assert_eq!(due, NaiveDate::from_ymd_opt(2025, 12, 30).unwrap());
/// assert_eq!(calendar.count_working_days(received, due)?, 5);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct WorkingCalendar {
    region: Region,
    /// `block_before[b]`: working days strictly before the first slot of block `b`
    /// (slots `64 * b..64 * (b + 1)`).
    block_before: Box<[u32; BLOCKS]>,
    /// One byte per slot `s`: the working days strictly before `s` within its block
    /// (bits 0-5), and whether `s` is a working day (bit 7). Slots for day 366 of a
    /// common year are empty (never working). See [`rank`](Self::rank).
    slots: Box<[u8; SLOTS]>,
    /// `working[k]`: the `k + 1`-th working day of the range.
    working: Box<[NaiveDate]>,
    /// Named non-working weekdays (bank holidays, closures) and opened days.
    named: BTreeMap<NaiveDate, DayKind>,
    fingerprint: Fingerprint,
}

impl std::fmt::Debug for WorkingCalendar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkingCalendar")
            .field("region", &self.region)
            .field("working_days", &self.working.len())
            .field("fingerprint", &self.fingerprint)
            .finish()
    }
}

/// A stable content hash of a calendar's working days.
///
/// Two calendars with the same working days over the supported range have the
/// same fingerprint, whatever the order of the adjustments that made them and on
/// every platform; holiday names do not count. Store it beside a deadline to say
/// which calendar computed it.
///
/// Its text is `cal-` and 16 lower-case hexadecimal digits, and it is read by
/// exactly that pattern. A calendar's own fingerprint is never
/// `cal-0000000000000000` (a zero hash counts as 1): that text reads, and
/// names no calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(try_from = "String")]
pub struct Fingerprint([u8; 8]);

/// The text form of a fingerprint type: `PREFIX-` and 16 hex digits, for
/// `Display` and serde (`into`/`try_from` `String`).
///
/// A fingerprint holds its 64-bit number as 8 big-endian bytes, not as a
/// `u64`: every number from 0 up is a fingerprint (the pattern allows all
/// of them), so an optional one cannot borrow a spare value for `None`, and
/// as bytes (aligned to 1) it takes 9 bytes instead of 16. A state's two
/// then fit beside its one-byte fields. Big-endian, so that bytes order as
/// the numbers do.
macro_rules! fingerprint_text {
    ($name:ident, $prefix:literal) => {
        impl $name {
            /// The fingerprint whose number is `number`.
            pub(crate) const fn from_number(number: u64) -> $name {
                $name(number.to_be_bytes())
            }

            /// The fingerprint's number.
            pub(crate) const fn number(self) -> u64 {
                u64::from_be_bytes(self.0)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, concat!($prefix, "-{:016x}"), self.number())
            }
        }

        impl serde::Serialize for $name {
            /// The text form, written from a buffer on the stack.
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let mut text = [0u8; 20];
                text[..4].copy_from_slice(concat!($prefix, "-").as_bytes());
                let value = self.number();
                for (i, byte) in text[4..].iter_mut().enumerate() {
                    *byte = HEX[((value >> (60 - 4 * i)) & 0xf) as usize];
                }
                serializer.serialize_str(std::str::from_utf8(&text).unwrap_or_default())
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.to_string()
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;

            /// Reads exactly the published pattern, `^PREFIX-[0-9a-f]{16}$`:
            /// lower-case hexadecimal digits only, sixteen of them, no sign.
            fn try_from(value: String) -> Result<Self, Self::Error> {
                value
                    .strip_prefix(concat!($prefix, "-"))
                    .and_then($crate::calendar::parse_fingerprint_hex)
                    .map($name::from_number)
                    .ok_or_else(|| {
                        format!(
                            concat!(
                                "expected a fingerprint like ",
                                $prefix,
                                "-0123456789abcdef, found '{}'"
                            ),
                            value
                        )
                    })
            }
        }

        #[cfg(feature = "schema")]
        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({
                    "description": concat!("A content hash: \"", $prefix, "-\" and 16 hexadecimal digits."),
                    "type": "string",
                    "pattern": concat!("^", $prefix, "-[0-9a-f]{16}$"),
                })
            }
        }
    };
}
pub(crate) use fingerprint_text;

fingerprint_text!(Fingerprint, "cal");

/// Adjustments to a region's calendar; [`build`](CalendarBuilder::build) makes the
/// [`WorkingCalendar`].
///
/// # Example
///
/// A council that closes between Christmas and New Year 2026:
///
/// ```
/// use chrono::NaiveDate;
/// use escalation_ladder::{Region, WorkingCalendar};
///
/// let date = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
/// let calendar = WorkingCalendar::builder(Region::EnglandAndWales)
///     .closure(date(12, 29), "council Christmas shutdown")
///     .closure(date(12, 30), "council Christmas shutdown")
///     .closure(date(12, 31), "council Christmas shutdown")
///     .build()?;
/// // Christmas Day is a Friday; Boxing Day's substitute is Monday 28 December.
/// let next = calendar.next_working_day(date(12, 24))?;
/// assert_eq!(next, NaiveDate::from_ymd_opt(2027, 1, 4).unwrap());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct CalendarBuilder {
    region: Region,
    added: Vec<BankHoliday>,
    closures: Vec<(NaiveDate, String)>,
    opened: Vec<(NaiveDate, String)>,
}

impl CalendarBuilder {
    /// Adds a bank holiday proclaimed after this release (or any holiday the
    /// built-in tables lack). A date that is already a bank holiday keeps its name.
    pub fn bank_holiday(mut self, date: NaiveDate, name: impl Into<String>) -> Self {
        self.added.push(BankHoliday {
            date,
            name: name.into(),
            kind: HolidayKind::Added,
        });
        self
    }

    /// Adds every holiday of a list, e.g. from
    /// [`parse_govuk_json`](super::parse_govuk_json) or
    /// [`parse_holiday_list`](super::parse_holiday_list).
    pub fn bank_holidays(mut self, holidays: impl IntoIterator<Item = BankHoliday>) -> Self {
        self.added.extend(holidays);
        self
    }

    /// Closes a day that would otherwise be a working day, with the reason
    /// (a council's Christmas shutdown, an office move).
    pub fn closure(mut self, date: NaiveDate, reason: impl Into<String>) -> Self {
        self.closures.push((date, reason.into()));
        self
    }

    /// Opens a day that would otherwise not be a working day (a bank holiday the
    /// service works, or a Saturday), with the reason. Opening wins over every
    /// other rule.
    pub fn open(mut self, date: NaiveDate, reason: impl Into<String>) -> Self {
        self.opened.push((date, reason.into()));
        self
    }

    /// Builds the calendar's tables.
    ///
    /// # Errors
    ///
    /// [`CalendarError::DateOutOfRange`] if an added holiday, closure or opened day
    /// is outside 1978-01-01..=2199-12-31.
    pub fn build(self) -> Result<WorkingCalendar, CalendarError> {
        let mut named = region_bank_holidays(self.region);
        for h in self.added {
            check_in_range(h.date)?;
            if !is_weekend(h.date) {
                named.entry(h.date).or_insert(DayKind::BankHoliday(h.name));
            }
        }
        for (date, reason) in self.closures {
            check_in_range(date)?;
            if !is_weekend(date) {
                named.entry(date).or_insert(DayKind::Closure(reason));
            }
        }
        for (date, reason) in self.opened {
            check_in_range(date)?;
            let closed = is_weekend(date) || named.contains_key(&date);
            if closed {
                named.insert(date, DayKind::Opened(reason));
            }
        }
        Ok(WorkingCalendar::from_named(self.region, named))
    }
}

fn check_in_range(date: NaiveDate) -> Result<(), CalendarError> {
    slot_of(date).map(|_| ())
}

/// The slot of a date: 366 a year from 1 January 1978.
#[inline]
fn slot_of(date: NaiveDate) -> Result<usize, CalendarError> {
    let year = date.year();
    if (FIRST_YEAR..=LAST_YEAR).contains(&year) {
        Ok((year - FIRST_YEAR) as usize * SLOTS_PER_YEAR + date.ordinal0() as usize)
    } else {
        Err(CalendarError::DateOutOfRange { date })
    }
}

/// The slot of an epoch day (days since 1970-01-01), if it is in range.
#[inline]
fn slot_of_epoch_day(day: i64) -> Option<usize> {
    let first = YEAR_STARTS[0];
    if day < first || day >= YEAR_STARTS[YEARS] {
        return None;
    }
    // Under 81,200 days in range, so the offset and its estimate are small.
    let offset = (day - first) as u32;
    // 1461 days in four years: the estimate is the year or one either side
    // (1978 is not a leap year's successor; 2100 is not a leap year).
    let mut year = (offset * 4 / 1461) as usize;
    let start = |year: usize| YEAR_STARTS.get(year).copied().unwrap_or(i64::MAX);
    if day < start(year) {
        year = year.saturating_sub(1);
    } else if day >= start(year + 1) {
        year += 1;
    }
    Some(year * SLOTS_PER_YEAR + (day - start(year)) as usize)
}

/// The epoch day of a date in the tables' range (every date of the working
/// table is): 1 January's epoch day and the ordinal, read from the date.
#[inline]
fn epoch_day_of(date: NaiveDate) -> i64 {
    let year = (date.year() - FIRST_YEAR) as usize;
    match YEAR_STARTS.get(year) {
        Some(&start) => start + i64::from(date.ordinal0()),
        None => i64::from(date.num_days_from_ce()) - (719_162 + 1),
    }
}

/// The error of an epoch day outside the tables: the date it is, or the
/// epoch day itself where no date can be made of it.
#[cold]
fn epoch_day_out_of_range(day: i64) -> CalendarError {
    match date_of_epoch_day(day) {
        Some(date) => CalendarError::DateOutOfRange { date },
        None => CalendarError::EpochDayOutOfRange { day },
    }
}

/// The date of an epoch day, if chrono can hold it.
fn date_of_epoch_day(day: i64) -> Option<NaiveDate> {
    let from_ce = i32::try_from(day.checked_add(719_162 + 1)?).ok()?;
    NaiveDate::from_num_days_from_ce_opt(from_ce)
}

/// `days` calendar days from `date` (in range), rolled; out of range, the error
/// names the caller's start and offset, wherever the answer or its roll left it.
fn calendar_days(
    calendar: &WorkingCalendar,
    date: NaiveDate,
    days: i64,
    roll: Roll,
) -> Result<NaiveDate, CalendarError> {
    let out_of_range = || CalendarError::CalendarDaysOutOfRange { start: date, days };
    let moved = chrono::TimeDelta::try_days(days)
        .and_then(|delta| date.checked_add_signed(delta))
        .ok_or_else(out_of_range)?;
    calendar.roll(moved, roll).map_err(|_| out_of_range())
}

/// Every bank holiday of a region over the supported range, by date.
fn region_bank_holidays(region: Region) -> BTreeMap<NaiveDate, DayKind> {
    let mut named = BTreeMap::new();
    for year in FIRST_YEAR..=LAST_YEAR {
        // Every year in the loop is in range, so there is nothing to refuse.
        for h in bank_holidays(region, year).unwrap_or_default() {
            named.insert(h.date, DayKind::BankHoliday(h.name));
        }
    }
    named
}

/// A content hash as a fingerprint's number: a zero hash, one in 2^64,
/// counts as 1, as it always has (fingerprints were once non-zero numbers),
/// so every stored fingerprint keeps its value and no real calendar or ladder
/// has the fingerprint 0.
pub(crate) fn fingerprint_number(hash: u64) -> u64 {
    hash.max(1)
}

/// The 16 hexadecimal digits of a fingerprint's text, read by exactly the
/// published pattern `[0-9a-f]{16}`: no upper case, no sign, no other
/// length (`u64::from_str_radix` takes all three).
pub(crate) fn parse_fingerprint_hex(hex: &str) -> Option<u64> {
    if hex.len() != 16 {
        return None;
    }
    hex.bytes().try_fold(0u64, |value, byte| {
        let digit = match byte {
            b'0'..=b'9' => byte - b'0',
            b'a'..=b'f' => byte - b'a' + 10,
            _ => return None,
        };
        Some(value << 4 | u64::from(digit))
    })
}

/// FNV-1a, 64 bit: tiny, stable across platforms and releases.
pub(crate) fn fnv1a(bytes: impl IntoIterator<Item = u8>) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

impl WorkingCalendar {
    /// The calendar of a region with no adjustments.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use escalation_ladder::{Region, WorkingCalendar};
    ///
    /// let calendar = WorkingCalendar::new(Region::Scotland);
    /// // 2 January 2026 is a Friday and a bank holiday in Scotland only.
    /// let second = NaiveDate::from_ymd_opt(2026, 1, 2).unwrap();
    /// assert!(!calendar.is_working_day(second)?);
    /// assert!(WorkingCalendar::new(Region::EnglandAndWales).is_working_day(second)?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(region: Region) -> WorkingCalendar {
        WorkingCalendar::from_named(region, region_bank_holidays(region))
    }

    /// A builder for a region's calendar with closures, added holidays or opened days.
    pub fn builder(region: Region) -> CalendarBuilder {
        CalendarBuilder {
            region,
            added: Vec::new(),
            closures: Vec::new(),
            opened: Vec::new(),
        }
    }

    fn from_named(region: Region, named: BTreeMap<NaiveDate, DayKind>) -> WorkingCalendar {
        // Fixed sizes: once a slot is known to be in range, indexing needs no check.
        let mut block_before = Box::new([0u32; BLOCKS]);
        let mut slots = Box::new([0u8; SLOTS]);
        let mut working = Vec::with_capacity(SLOTS * 5 / 7 + 1);
        // The hash takes the working-day bit of every real day (not the empty
        // 366th slot of a common year), eight days a byte.
        let mut hash_input: Vec<u8> = Vec::with_capacity(SLOTS / 8 + 16);
        let mut bits: u8 = 0;
        let mut days: usize = 0;
        // The named days in date order, walked alongside the days (no lookups).
        let mut named_days = named.iter().peekable();
        for year in FIRST_YEAR..=LAST_YEAR {
            let base = (year - FIRST_YEAR) as usize * SLOTS_PER_YEAR;
            let jan1 = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN);
            let days_in_year = if jan1.leap_year() { 366 } else { 365 };
            for ordinal0 in 0..SLOTS_PER_YEAR {
                let slot = base + ordinal0;
                // Fewer than 2^32 working days: 222 years have about 58,000.
                let count = working.len() as u32;
                if slot % (1 << BLOCK_SHIFT) == 0 {
                    block_before[slot >> BLOCK_SHIFT] = count;
                }
                let in_block = count - block_before[slot >> BLOCK_SHIFT];
                let mut is_working = false;
                if ordinal0 < days_in_year {
                    let date = jan1 + Days::new(ordinal0 as u64);
                    while named_days.next_if(|(d, _)| **d < date).is_some() {}
                    is_working = match named_days.next_if(|(d, _)| **d == date) {
                        Some((_, kind)) => kind.is_working(),
                        None => !is_weekend(date),
                    };
                    if is_working {
                        working.push(date);
                    }
                    bits = (bits << 1) | u8::from(is_working);
                    days += 1;
                    if days % 8 == 0 {
                        hash_input.push(bits);
                    }
                }
                // At most 63 (a block has 64 slots), so it fits the low six bits.
                slots[slot] = (in_block as u8) | (u8::from(is_working) << WORKING_SHIFT);
            }
        }
        if days % 8 != 0 {
            hash_input.push(bits);
        }
        // v2: v1 dropped bits in years whose day 366 slot fell at a byte's end.
        let header = format!("escalation-ladder calendar v2 {FIRST_YEAR}..={LAST_YEAR}");
        let fingerprint =
            Fingerprint::from_number(fingerprint_number(fnv1a(header.bytes().chain(hash_input))));
        WorkingCalendar {
            region,
            block_before,
            slots,
            working: working.into_boxed_slice(),
            named,
            fingerprint,
        }
    }

    /// The region whose bank holidays the calendar keeps.
    pub fn region(&self) -> Region {
        self.region
    }

    /// The calendar's fingerprint: a stable hash of its working days.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use escalation_ladder::{Region, WorkingCalendar};
    ///
    /// let plain = WorkingCalendar::new(Region::EnglandAndWales);
    /// let shutdown = WorkingCalendar::builder(Region::EnglandAndWales)
    ///     .closure(NaiveDate::from_ymd_opt(2026, 12, 29).unwrap(), "shutdown")
    ///     .build()?;
    /// assert_ne!(plain.fingerprint(), shutdown.fingerprint());
    /// assert_eq!(plain.fingerprint(), WorkingCalendar::new(Region::EnglandAndWales).fingerprint());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn fingerprint(&self) -> Fingerprint {
        self.fingerprint
    }

    /// The memory the tables take, in bytes (the named-day map aside).
    pub fn table_bytes(&self) -> usize {
        std::mem::size_of_val(&*self.block_before)
            + std::mem::size_of_val(&*self.slots)
            + std::mem::size_of_val(&*self.working)
    }

    #[inline]
    fn slot(&self, date: NaiveDate) -> Result<usize, CalendarError> {
        slot_of(date)
    }

    /// The working days strictly before `slot`, and whether `slot` is a working
    /// day (1) or not (0).
    #[inline]
    fn rank(&self, slot: usize) -> (u32, u32) {
        let byte = self.slots[slot];
        let before = self.block_before[slot >> BLOCK_SHIFT] + u32::from(byte & BEFORE_IN_BLOCK);
        (before, u32::from(byte >> WORKING_SHIFT))
    }

    /// Whether a date is a working day.
    ///
    /// # Errors
    ///
    /// [`CalendarError::DateOutOfRange`] for a date outside 1978..=2199.
    ///
    /// # Example
    ///
    /// The State Funeral of Queen Elizabeth II, Monday 19 September 2022:
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use escalation_ladder::{Region, WorkingCalendar};
    ///
    /// let calendar = WorkingCalendar::new(Region::NorthernIreland);
    /// assert!(!calendar.is_working_day(NaiveDate::from_ymd_opt(2022, 9, 19).unwrap())?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        let slot = self.slot(date)?;
        Ok(self.slots[slot] >> WORKING_SHIFT != 0)
    }

    /// Why a date is or is not a working day.
    ///
    /// # Errors
    ///
    /// [`CalendarError::DateOutOfRange`] for a date outside 1978..=2199.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use escalation_ladder::{calendar::DayKind, Region, WorkingCalendar};
    ///
    /// let calendar = WorkingCalendar::new(Region::EnglandAndWales);
    /// let coronation = NaiveDate::from_ymd_opt(2023, 5, 8).unwrap();
    /// assert_eq!(
    ///     calendar.day_kind(coronation)?,
    ///     DayKind::BankHoliday("Bank holiday for the coronation of King Charles III".into()),
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn day_kind(&self, date: NaiveDate) -> Result<DayKind, CalendarError> {
        self.slot(date)?;
        Ok(match self.named.get(&date) {
            Some(kind) => kind.clone(),
            None => match date.weekday() {
                Weekday::Sat => DayKind::Saturday,
                Weekday::Sun => DayKind::Sunday,
                _ => DayKind::Working,
            },
        })
    }

    /// The working day at `index` (0-based) in the range, or the out-of-range error.
    #[inline]
    fn nth_working(
        &self,
        index: i64,
        start: NaiveDate,
        days: i64,
    ) -> Result<NaiveDate, CalendarError> {
        usize::try_from(index)
            .ok()
            .and_then(|index| self.working.get(index).copied())
            .ok_or(CalendarError::ResultOutOfRange { start, days })
    }

    /// Adds `days` working days to `date` under the crate's counting convention.
    ///
    /// # Properties
    ///
    /// - The result is always a working day.
    /// - For `days >= 1`, `count_working_days(date, result) == days`; for `days <= -1`
    ///   the same holds when `date` is a working day.
    /// - The result never decreases when `days` or `date` increases.
    ///
    /// # Errors
    ///
    /// [`CalendarError::DateOutOfRange`] if `date` is outside the supported range;
    /// [`CalendarError::ResultOutOfRange`] if the answer would be.
    ///
    /// # Example
    ///
    /// Coronation weekend 2023: 5 working days from Thursday 4 May skip Monday 8 May.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use escalation_ladder::{Region, WorkingCalendar};
    ///
    /// let calendar = WorkingCalendar::new(Region::EnglandAndWales);
    /// let date = |m, d| NaiveDate::from_ymd_opt(2023, m, d).unwrap();
    /// assert_eq!(calendar.add_working_days(date(5, 4), 5)?, date(5, 12));
    /// assert_eq!(calendar.add_working_days(date(5, 6), 0)?, date(5, 9));
    /// assert_eq!(calendar.add_working_days(date(5, 9), -1)?, date(5, 5));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    pub fn add_working_days(&self, date: NaiveDate, days: i32) -> Result<NaiveDate, CalendarError> {
        let slot = self.slot(date)?;
        self.nth_working(self.added_index(slot, days), date, i64::from(days))
    }

    /// The index in the working-day table of the `days`-th working day after
    /// the day at `slot` (the counting convention of
    /// [`add_working_days`](Self::add_working_days)).
    #[inline]
    fn added_index(&self, slot: usize, days: i32) -> i64 {
        let (before, working) = self.rank(slot);
        // Days <= 0: index before + days (the date itself, or the next working day,
        // is at index `before`). Days > 0: before + days on a non-working date, one
        // less on a working one. No branch: the sign of `days` is unpredictable.
        let skip = u32::from(days > 0) & (working ^ 1);
        i64::from(before) + i64::from(days) - i64::from(skip)
    }

    /// The number of working days in (`from`, `to`]: negative when `to` is before `from`.
    ///
    /// # Properties
    ///
    /// - `count_working_days(a, b) == -count_working_days(b, a)`.
    /// - `count_working_days(a, b) + count_working_days(b, c) == count_working_days(a, c)`.
    ///
    /// # Errors
    ///
    /// [`CalendarError::DateOutOfRange`] if either date is outside the supported range.
    ///
    /// # Example
    ///
    /// From the 2020 Early May bank holiday (moved to Friday 8 May for VE Day) to the
    /// next Friday:
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use escalation_ladder::{Region, WorkingCalendar};
    ///
    /// let calendar = WorkingCalendar::new(Region::EnglandAndWales);
    /// let date = |d| NaiveDate::from_ymd_opt(2020, 5, d).unwrap();
    /// assert_eq!(calendar.count_working_days(date(7), date(15))?, 5);
    /// assert_eq!(calendar.count_working_days(date(15), date(7))?, -5);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    pub fn count_working_days(&self, from: NaiveDate, to: NaiveDate) -> Result<i64, CalendarError> {
        let (from_before, from_working) = self.rank(self.slot(from)?);
        let (to_before, to_working) = self.rank(self.slot(to)?);
        Ok(i64::from(to_before + to_working) - i64::from(from_before + from_working))
    }

    /// [`add_working_days`](Self::add_working_days) on epoch days: days since
    /// 1970-01-01, the day numbers of numpy's `datetime64[D]`, Arrow's
    /// `date32` and `java.time`'s `LocalDate.toEpochDay`. The same answer as
    /// for the date the day number is, without making a date: one estimate
    /// and one look-up find the slot, so a caller holding day numbers (the
    /// Python package's arrays) pays no conversion either way.
    ///
    /// # Properties
    ///
    /// - For every epoch day `e` of a date `d` in range,
    ///   `add_working_days_epoch_day(e, n)` is the epoch day of
    ///   `add_working_days(d, n)`, and the two fail alike.
    ///
    /// # Errors
    ///
    /// [`CalendarError::DateOutOfRange`] for a day outside 1978..=2199
    /// ([`CalendarError::EpochDayOutOfRange`] for one no date can be made of,
    /// beyond ±262,143 years); [`CalendarError::ResultOutOfRange`] if the
    /// answer would be out of range.
    ///
    /// # Example
    ///
    /// Friday 18 December 2026 is epoch day 20,805; five working days later is
    /// Tuesday 29 December, epoch day 20,816:
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use escalation_ladder::{Region, WorkingCalendar};
    ///
    /// let calendar = WorkingCalendar::new(Region::EnglandAndWales);
    /// let friday = NaiveDate::from_ymd_opt(2026, 12, 18).unwrap();
    /// let epoch_day = |d: NaiveDate| (d - NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()).num_days();
    /// assert_eq!(epoch_day(friday), 20_805);
    /// assert_eq!(calendar.add_working_days_epoch_day(20_805, 5)?, 20_816);
    /// assert_eq!(epoch_day(calendar.add_working_days(friday, 5)?), 20_816);
    /// assert_eq!(calendar.add_working_days_epoch_day(-3_000, 1).unwrap_err().to_string(),
    ///     "date 1961-10-15 is outside the supported range 1978-01-01..=2199-12-31");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    pub fn add_working_days_epoch_day(&self, day: i64, days: i32) -> Result<i64, CalendarError> {
        let slot = slot_of_epoch_day(day).ok_or_else(|| epoch_day_out_of_range(day))?;
        let index = self.added_index(slot, days);
        match usize::try_from(index)
            .ok()
            .and_then(|i| self.working.get(i))
        {
            Some(&date) => Ok(epoch_day_of(date)),
            None => Err(CalendarError::ResultOutOfRange {
                start: date_of_epoch_day(day).unwrap_or(NaiveDate::MIN),
                days: i64::from(days),
            }),
        }
    }

    /// The first half of
    /// [`add_working_days_epoch_day`](Self::add_working_days_epoch_day): the
    /// answer's index in the working-day table, `None` for a day out of range
    /// (the index may be out of the table: [`working_epoch_day`](Self::working_epoch_day)
    /// says). For a caller answering many pairs in two passes, which keeps
    /// more look-ups in flight at once than one pass does.
    #[inline]
    pub(crate) fn added_working_index(&self, day: i64, days: i32) -> Option<i64> {
        slot_of_epoch_day(day).map(|slot| self.added_index(slot, days))
    }

    /// The second half: the epoch day of the working day at `index`, `None`
    /// when the answer would be out of range.
    #[inline]
    pub(crate) fn working_epoch_day(&self, index: i64) -> Option<i64> {
        usize::try_from(index)
            .ok()
            .and_then(|i| self.working.get(i))
            .map(|&date| epoch_day_of(date))
    }

    /// [`count_working_days`](Self::count_working_days) on epoch days (days
    /// since 1970-01-01; see
    /// [`add_working_days_epoch_day`](Self::add_working_days_epoch_day)).
    ///
    /// # Properties
    ///
    /// - For every pair of epoch days of dates in range, the same count as
    ///   for the dates, and the same error otherwise.
    ///
    /// # Errors
    ///
    /// As [`add_working_days_epoch_day`](Self::add_working_days_epoch_day),
    /// for either day.
    ///
    /// # Example
    ///
    /// From Christmas Eve 2026 (epoch day 20,811) to New Year's Eve (20,818):
    ///
    /// ```
    /// use escalation_ladder::{Region, WorkingCalendar};
    ///
    /// let calendar = WorkingCalendar::new(Region::EnglandAndWales);
    /// assert_eq!(calendar.count_working_days_epoch_days(20_811, 20_818)?, 3);
    /// assert_eq!(calendar.count_working_days_epoch_days(20_818, 20_811)?, -3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    pub fn count_working_days_epoch_days(&self, from: i64, to: i64) -> Result<i64, CalendarError> {
        let from = slot_of_epoch_day(from).ok_or_else(|| epoch_day_out_of_range(from))?;
        let to = slot_of_epoch_day(to).ok_or_else(|| epoch_day_out_of_range(to))?;
        let (from_before, from_working) = self.rank(from);
        let (to_before, to_working) = self.rank(to);
        Ok(i64::from(to_before + to_working) - i64::from(from_before + from_working))
    }

    /// The first working day strictly after `date`.
    ///
    /// # Errors
    ///
    /// As [`add_working_days`](Self::add_working_days).
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use escalation_ladder::{Region, WorkingCalendar};
    ///
    /// // Easter 2026: Good Friday 3 April, Easter Monday 6 April.
    /// let calendar = WorkingCalendar::new(Region::EnglandAndWales);
    /// let thursday = NaiveDate::from_ymd_opt(2026, 4, 2).unwrap();
    /// assert_eq!(calendar.next_working_day(thursday)?, NaiveDate::from_ymd_opt(2026, 4, 7).unwrap());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn next_working_day(&self, date: NaiveDate) -> Result<NaiveDate, CalendarError> {
        self.add_working_days(date, 1)
    }

    /// The last working day strictly before `date`.
    ///
    /// # Errors
    ///
    /// As [`add_working_days`](Self::add_working_days).
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use escalation_ladder::{Region, WorkingCalendar};
    ///
    /// let calendar = WorkingCalendar::new(Region::EnglandAndWales);
    /// let tuesday = NaiveDate::from_ymd_opt(2026, 4, 7).unwrap();
    /// assert_eq!(calendar.previous_working_day(tuesday)?, NaiveDate::from_ymd_opt(2026, 4, 2).unwrap());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn previous_working_day(&self, date: NaiveDate) -> Result<NaiveDate, CalendarError> {
        self.add_working_days(date, -1)
    }

    /// Moves a date to a working day as `roll` says.
    ///
    /// # Errors
    ///
    /// As [`add_working_days`](Self::add_working_days).
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use escalation_ladder::{Region, Roll, WorkingCalendar};
    ///
    /// let calendar = WorkingCalendar::new(Region::EnglandAndWales);
    /// let boxing_day_2026 = NaiveDate::from_ymd_opt(2026, 12, 26).unwrap(); // a Saturday
    /// assert_eq!(calendar.roll(boxing_day_2026, Roll::Preceding)?, NaiveDate::from_ymd_opt(2026, 12, 24).unwrap());
    /// assert_eq!(calendar.roll(boxing_day_2026, Roll::Following)?, NaiveDate::from_ymd_opt(2026, 12, 29).unwrap());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    pub fn roll(&self, date: NaiveDate, roll: Roll) -> Result<NaiveDate, CalendarError> {
        let (before, working) = self.rank(self.slot(date)?);
        let index = match roll {
            Roll::None => return Ok(date),
            Roll::Following => i64::from(before),
            Roll::Preceding => i64::from(before) + i64::from(working) - 1,
        };
        self.nth_working(index, date, 0)
    }

    /// Adds calendar days, then rolls to a working day.
    ///
    /// # Errors
    ///
    /// [`CalendarError::DateOutOfRange`] if `date` or the unrolled result is outside
    /// the supported range; [`CalendarError::CalendarDaysOutOfRange`] if the answer,
    /// or its roll, leaves it.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use escalation_ladder::{Region, Roll, WorkingCalendar};
    ///
    /// let calendar = WorkingCalendar::new(Region::EnglandAndWales);
    /// let date = NaiveDate::from_ymd_opt(2026, 12, 18).unwrap();
    /// // 7 days later is Christmas Day; the working day before is Christmas Eve.
    /// assert_eq!(calendar.add_calendar_days(date, 7, Roll::Preceding)?, NaiveDate::from_ymd_opt(2026, 12, 24).unwrap());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_calendar_days(
        &self,
        date: NaiveDate,
        days: i32,
        roll: Roll,
    ) -> Result<NaiveDate, CalendarError> {
        self.slot(date)?;
        calendar_days(self, date, i64::from(days), roll)
    }

    /// Adds weeks (7 calendar days each), then rolls to a working day.
    ///
    /// # Errors
    ///
    /// As [`add_calendar_days`](Self::add_calendar_days).
    pub fn add_weeks(
        &self,
        date: NaiveDate,
        weeks: i32,
        roll: Roll,
    ) -> Result<NaiveDate, CalendarError> {
        self.slot(date)?;
        calendar_days(self, date, i64::from(weeks) * 7, roll)
    }

    /// The named non-working days (bank holidays and closures) and opened days in a
    /// date range, inclusive, in order.
    ///
    /// # Errors
    ///
    /// [`CalendarError::DateOutOfRange`] if either end is outside the supported range.
    ///
    /// # Example
    ///
    /// Christmas 2026 with the office shut on Thursday 31 December: Christmas Day,
    /// the Boxing Day substitute on Monday 28th, the closure, then New Year's Day.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use escalation_ladder::calendar::DayKind;
    /// use escalation_ladder::{Region, WorkingCalendar};
    ///
    /// let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// let calendar = WorkingCalendar::builder(Region::EnglandAndWales)
    ///     .closure(date(2026, 12, 31), "office closed")
    ///     .build()?;
    /// let named: Vec<_> = calendar.named_days(date(2026, 12, 24), date(2027, 1, 1))?.collect();
    /// let dates: Vec<NaiveDate> = named.iter().map(|(d, _)| *d).collect();
    /// assert_eq!(dates, [date(2026, 12, 25), date(2026, 12, 28), date(2026, 12, 31), date(2027, 1, 1)]);
    /// assert!(matches!(named[2].1, DayKind::Closure(reason) if reason == "office closed"));
    /// // A range that ends before it starts is empty.
    /// assert_eq!(calendar.named_days(date(2027, 1, 1), date(2026, 12, 24))?.count(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn named_days(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<impl Iterator<Item = (NaiveDate, &DayKind)> + '_, CalendarError> {
        self.slot(from)?;
        self.slot(to)?;
        // Walked from `from` while on or before `to`: empty when `to` is earlier
        // (BTreeMap::range would panic on a reversed range).
        Ok(self
            .named
            .range(from..)
            .take_while(move |(d, _)| **d <= to)
            .map(|(d, k)| (*d, k)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_epoch_day_has_its_dates_slot() {
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        let first = NaiveDate::from_ymd_opt(FIRST_YEAR, 1, 1).unwrap();
        let last = NaiveDate::from_ymd_opt(LAST_YEAR, 12, 31).unwrap();
        let (start, end) = ((first - epoch).num_days(), (last - epoch).num_days());
        assert_eq!((start, end), (YEAR_STARTS[0], YEAR_STARTS[YEARS] - 1));
        for day in start - 800..=end + 800 {
            let date = epoch + chrono::TimeDelta::days(day);
            assert_eq!(slot_of_epoch_day(day), slot_of(date).ok(), "{date}");
            if slot_of(date).is_ok() {
                assert_eq!(epoch_day_of(date), day, "{date}");
            }
        }
        assert_eq!(slot_of_epoch_day(i64::MIN), None);
        assert_eq!(slot_of_epoch_day(i64::MAX), None);
    }
}
