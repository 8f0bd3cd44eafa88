//! The deadlines of open alerts as iCalendar (RFC 5545) events, for people's
//! calendars.
//!
//! [`DeadlineCalendar`] takes cases (read with the [`report`](crate::report)
//! module's [`CaseReader`](crate::report::CaseReader)) and an as-of date, and
//! writes one `VCALENDAR` with an all-day `VEVENT` per deadline
//! ([`case_deadlines`]):
//!
//! - **the response date** of every open alert awaiting a response at a stage
//!   with a window (after any agreed extra time): `Response due: IRO-2026-0107
//!   team-manager (iro-dispute-resolution)`;
//! - **the ceiling** of every open alert on a ladder with one: `Ceiling (20
//!   working days): IRO-2026-0107 (iro-dispute-resolution)`.
//!
//! A deadline that has passed keeps its event, its summary starting
//! `OVERDUE: `. Closed alerts have none: a calendar subscribed to the file
//! drops their events at its next refresh.
//!
//! # The rules that let a re-import update instead of duplicating
//!
//! - **UID** `CASE/LADDER/KIND@DOMAIN` ([`Deadline::uid`]): the case, its
//!   ladder and what the deadline is (`response` or `ceiling`), never its
//!   date. Extra time, or an escalation that sets the next stage's response
//!   date, moves the same event. `DOMAIN` is [`IcsOptions::uid_domain`]: give
//!   your own (e.g. `ics.anytown.gov.uk`), so that two systems with the same
//!   case ids do not collide in one calendar.
//! - **SEQUENCE** is the number of events the alert has had
//!   ([`AlertState::events_applied`](crate::engine::AlertState::events_applied)).
//!   Every escalation, response, extension or referral raises it, so a client
//!   takes the new version as a revision of the old.
//! - **DTSTAMP** is the as-of date at 00:00:00 UTC. RFC 5545 asks for the time
//!   the object was created, but the crate reads no clock: the same cases and
//!   as-of date give the same bytes, on any machine, on any day (an export can
//!   be re-made and compared). The as-of date is the moment the deadlines are
//!   computed for, and clients order two versions with the same SEQUENCE by
//!   DTSTAMP, so a later day's export (whose working days left have changed)
//!   still wins over an earlier one.
//!
//! Events are all-day (`DTSTART;VALUE=DATE`, and `DTEND` the next day, as RFC
//! 5545 counts an all-day event's end) and transparent (`TRANSP:TRANSPARENT`:
//! a deadline does not make anyone busy). TEXT values are escaped, lines are
//! folded at 75 octets without splitting a UTF-8 character, and every line
//! ends in CRLF. Events come in the order of the cases, the response before
//! the ceiling.
//!
//! The descriptions carry child ids, team and worker names: the file is
//! personal data, to be published only where the case records may be seen.
//!
//! # Example
//!
//! Two IRO alerts as at Thursday 24 December 2026: one raised on Friday 18th at
//! the team-manager stage (response due Tuesday 29th, after Christmas Day and
//! the Boxing Day substitute on Monday 28th), and one resolved.
//!
//! ```
//! use chrono::NaiveDate;
//! use escalation_ladder::ics::{DeadlineCalendar, IcsOptions};
//! use escalation_ladder::report::{read_cases, Procedures};
//!
//! let procedures = Procedures::builtin()?;
//! let input = concat!(
//!     r#"{"case":"IRO-2026-0107","child":"C-20417","team":"North Locality","worker":"j.smith","#,
//!     r#""ladder":"iro-dispute-resolution","events":[{"on":"2026-12-18","actor":"iro","#,
//!     r#""type":"raise","stage":"team-manager","reason":"no permanence plan"}]}"#, "\n",
//!     r#"{"case":"IRO-2026-0099","ladder":"iro-dispute-resolution","events":["#,
//!     r#"{"on":"2026-12-01","actor":"iro","type":"raise","reason":"drift"},"#,
//!     r#"{"on":"2026-12-03","actor":"iro","type":"resolve","outcome":"plan agreed"}]}"#,
//! );
//! let cases = read_cases(input.as_bytes(), &procedures)?;
//! let as_of = NaiveDate::from_ymd_opt(2026, 12, 24).unwrap();
//! let mut calendar = DeadlineCalendar::new(as_of, IcsOptions::default())?;
//! for case in &cases {
//!     calendar.add_case(case, &procedures)?;
//! }
//! assert_eq!(calendar.event_count(), 2);
//! let ics = calendar.into_string();
//! assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
//! assert!(ics.contains("\r\nDTSTART;VALUE=DATE:20261229\r\nDTEND;VALUE=DATE:20261230\r\n"));
//! assert!(ics.contains("\r\nUID:IRO-2026-0107/iro-dispute-resolution/response@escalation-ladder\r\n"));
//! assert!(ics.contains("\r\nSUMMARY:Response due: IRO-2026-0107 team-manager (iro-dispute-resolution)\r\n"));
//! assert!(ics.contains("\r\nDTSTAMP:20261224T000000Z\r\n"));
//! assert!(!ics.contains("IRO-2026-0099"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod deadline;
mod error;
mod text;

use std::fmt::Write as _;
use std::io;

use chrono::{Datelike, NaiveDate};

use crate::calendar::{CalendarError, FIRST_YEAR, LAST_YEAR};
use crate::ladder::Ladder;
use crate::report::{Case, Procedures};

pub use deadline::{case_deadlines, Deadline, DeadlineKind};

use deadline::deadlines_on_ladder;
pub use error::IcsError;

use text::{push_escaped, push_folded};

/// The product identifier written as `PRODID`. It names no version, so an
/// upgrade of the crate that writes the same events writes the same bytes.
pub const PRODID: &str = "-//escalation-ladder//Escalation deadlines//EN";

/// What the calendar is called and whose UIDs it writes.
///
/// # Example
///
/// ```
/// use escalation_ladder::ics::IcsOptions;
///
/// let mut options = IcsOptions::default();
/// assert_eq!(options.calendar_name, "Escalation deadlines");
/// assert_eq!(options.uid_domain, "escalation-ladder");
/// options.calendar_name = "Anytown QA: escalation deadlines".to_string();
/// options.uid_domain = "ics.anytown.gov.uk".to_string();
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct IcsOptions {
    /// The calendar's name in people's calendar lists (`X-WR-CALNAME`).
    pub calendar_name: String,
    /// The part of every UID after the `@`: a domain the council controls,
    /// so that UIDs are unique beyond this export. ASCII letters, digits, `.`
    /// and `-` only.
    pub uid_domain: String,
}

impl Default for IcsOptions {
    fn default() -> IcsOptions {
        IcsOptions {
            calendar_name: "Escalation deadlines".to_string(),
            uid_domain: "escalation-ladder".to_string(),
        }
    }
}

/// An iCalendar file of deadlines being built: cases in, one `VCALENDAR` out.
///
/// Each [`add_case`](DeadlineCalendar::add_case) writes the case's events at
/// once (a case refused adds nothing), so the calendar holds text, not cases:
/// a caller streaming a large cases file keeps only the output. Write the
/// result with [`write_to`](DeadlineCalendar::write_to) or take it with
/// [`into_string`](DeadlineCalendar::into_string). The rules for UID,
/// SEQUENCE and DTSTAMP are in the [module docs](self).
///
/// # Example
///
/// An alert raised on Thursday 25 March 2027, the day before Good Friday, at
/// the IRO ladder's informal stage (which sets no response date): only its
/// ceiling is a deadline, 20 working days on, skipping Good Friday (26 March)
/// and Easter Monday (29 March): Monday 26 April.
///
/// ```
/// use chrono::NaiveDate;
/// use escalation_ladder::ics::{DeadlineCalendar, IcsOptions};
/// use escalation_ladder::report::{read_cases, Procedures};
///
/// let procedures = Procedures::builtin()?;
/// let line = r#"{"case":"IRO-2027-0031","ladder":"iro-dispute-resolution","events":[{"on":"2027-03-25","actor":"iro","type":"raise","reason":"drift"}]}"#;
/// let cases = read_cases(line.as_bytes(), &procedures)?;
/// let as_of = NaiveDate::from_ymd_opt(2027, 3, 30).unwrap();
/// let mut calendar = DeadlineCalendar::new(as_of, IcsOptions::default())?;
/// assert_eq!(calendar.add_case(&cases[0], &procedures)?, 1);
/// let mut out = Vec::new();
/// calendar.write_to(&mut out)?;
/// let ics = String::from_utf8(out)?;
/// assert!(ics.contains("\r\nSUMMARY:Ceiling (20 working days): IRO-2027-0031 (iro-dispute-resolution)\r\n"));
/// assert!(ics.contains("\r\nDTSTART;VALUE=DATE:20270426\r\n"));
/// assert!(ics.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct DeadlineCalendar {
    as_of: NaiveDate,
    options: IcsOptions,
    /// `DTSTAMP`'s value: the as-of date at midnight UTC.
    stamp: String,
    /// The `VEVENT`s written so far, folded, with CRLFs, in chunks of about
    /// [`CHUNK_BYTES`]: the text grows without the copies (and the doubled
    /// peak) of one growing string.
    events: Vec<String>,
    event_count: usize,
    /// A buffer for one logical line before it is folded.
    line: String,
}

impl DeadlineCalendar {
    /// An empty calendar of the deadlines as at `as_of`.
    ///
    /// # Errors
    ///
    /// - [`IcsError::AsOf`]: `as_of` is outside the calendars' years (1978 to
    ///   2199).
    /// - [`IcsError::UidDomain`]: `options.uid_domain` is empty or has a
    ///   character other than ASCII letters, digits, `.` and `-`.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use escalation_ladder::ics::{DeadlineCalendar, IcsError, IcsOptions};
    ///
    /// let boxing_day_substitute = NaiveDate::from_ymd_opt(2026, 12, 28).unwrap();
    /// let calendar = DeadlineCalendar::new(boxing_day_substitute, IcsOptions::default())?;
    /// assert_eq!(calendar.event_count(), 0);
    ///
    /// let too_late = NaiveDate::from_ymd_opt(2200, 1, 1).unwrap();
    /// let err = DeadlineCalendar::new(too_late, IcsOptions::default()).unwrap_err();
    /// assert_eq!(err.to_string(), "as-of date: date 2200-01-01 is outside the supported range 1978-01-01..=2199-12-31");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(as_of: NaiveDate, options: IcsOptions) -> Result<DeadlineCalendar, IcsError> {
        if !(FIRST_YEAR..=LAST_YEAR).contains(&as_of.year()) {
            return Err(IcsError::AsOf(CalendarError::DateOutOfRange {
                date: as_of,
            }));
        }
        let domain = &options.uid_domain;
        let domain_ok = !domain.is_empty()
            && domain
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
        if !domain_ok {
            return Err(IcsError::UidDomain {
                found: domain.clone(),
            });
        }
        let mut stamp = String::with_capacity(16);
        push_basic_date(&mut stamp, as_of);
        stamp.push_str("T000000Z");
        Ok(DeadlineCalendar {
            as_of,
            options,
            stamp,
            events: Vec::new(),
            event_count: 0,
            line: String::new(),
        })
    }

    /// The as-of date.
    pub fn as_of(&self) -> NaiveDate {
        self.as_of
    }

    /// How many events the calendar holds.
    pub fn event_count(&self) -> usize {
        self.event_count
    }

    /// Adds the events of one case's deadlines ([`case_deadlines`]) and returns
    /// how many it added: none for a closed alert, up to two for an open one.
    ///
    /// # Errors
    ///
    /// Those of [`case_deadlines`]; the calendar is then unchanged.
    ///
    /// # Example
    ///
    /// See [`DeadlineCalendar`].
    pub fn add_case(&mut self, case: &Case, procedures: &Procedures) -> Result<usize, IcsError> {
        let (deadlines, ladder) = deadlines_on_ladder(case, procedures, self.as_of)?;
        for deadline in &deadlines {
            self.push_event(deadline, ladder);
        }
        self.event_count += deadlines.len();
        Ok(deadlines.len())
    }

    /// Writes the whole calendar.
    ///
    /// # Errors
    ///
    /// The writer's error.
    ///
    /// # Example
    ///
    /// See [`DeadlineCalendar`].
    pub fn write_to(&self, mut out: impl io::Write) -> io::Result<()> {
        out.write_all(self.header().as_bytes())?;
        for chunk in &self.events {
            out.write_all(chunk.as_bytes())?;
        }
        out.write_all(FOOTER.as_bytes())
    }

    /// The whole calendar as text.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use escalation_ladder::ics::{DeadlineCalendar, IcsOptions};
    ///
    /// let as_of = NaiveDate::from_ymd_opt(2026, 12, 29).unwrap();
    /// let ics = DeadlineCalendar::new(as_of, IcsOptions::default())?.into_string();
    /// assert_eq!(ics, concat!(
    ///     "BEGIN:VCALENDAR\r\n",
    ///     "VERSION:2.0\r\n",
    ///     "PRODID:-//escalation-ladder//Escalation deadlines//EN\r\n",
    ///     "CALSCALE:GREGORIAN\r\n",
    ///     "METHOD:PUBLISH\r\n",
    ///     "X-WR-CALNAME:Escalation deadlines\r\n",
    ///     "X-WR-CALDESC:Deadlines of open escalation alerts as at 2026-12-29\r\n",
    ///     "END:VCALENDAR\r\n",
    /// ));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn into_string(self) -> String {
        let mut ics = self.header();
        ics.reserve(self.events.iter().map(String::len).sum::<usize>() + FOOTER.len());
        for chunk in &self.events {
            ics.push_str(chunk);
        }
        ics.push_str(FOOTER);
        ics
    }

    fn header(&self) -> String {
        let mut out = String::with_capacity(256);
        push_folded(&mut out, "BEGIN:VCALENDAR");
        push_folded(&mut out, "VERSION:2.0");
        push_folded(&mut out, &format!("PRODID:{PRODID}"));
        push_folded(&mut out, "CALSCALE:GREGORIAN");
        push_folded(&mut out, "METHOD:PUBLISH");
        let mut line = String::from("X-WR-CALNAME:");
        push_escaped(&mut line, &self.options.calendar_name);
        push_folded(&mut out, &line);
        push_folded(
            &mut out,
            &format!(
                "X-WR-CALDESC:Deadlines of open escalation alerts as at {}",
                self.as_of
            ),
        );
        out
    }

    /// Appends one deadline's `VEVENT`.
    fn push_event(&mut self, deadline: &Deadline, ladder: &Ladder) {
        // Deadlines come from a working calendar, so they are no later than
        // 2199-12-31 and always have a following day.
        let end = deadline.date.succ_opt().unwrap_or(NaiveDate::MAX);
        if self
            .events
            .last()
            .map_or(true, |chunk| chunk.len() >= CHUNK_BYTES)
        {
            self.events.push(String::with_capacity(CHUNK_BYTES + 4096));
        }
        let Self {
            events,
            line,
            stamp,
            options,
            as_of,
            ..
        } = self;
        let Some(out) = events.last_mut() else {
            return;
        };
        push_folded(out, "BEGIN:VEVENT");
        line.clear();
        line.push_str("UID:");
        line.push_str(&deadline.uid(&options.uid_domain));
        push_folded(out, line);
        line.clear();
        let _ = write!(line, "SEQUENCE:{}", deadline.sequence);
        push_folded(out, line);
        line.clear();
        line.push_str("DTSTAMP:");
        line.push_str(stamp);
        push_folded(out, line);
        for (name, date) in [("DTSTART", deadline.date), ("DTEND", end)] {
            line.clear();
            line.push_str(name);
            line.push_str(";VALUE=DATE:");
            push_basic_date(line, date);
            push_folded(out, line);
        }
        line.clear();
        line.push_str("SUMMARY:");
        push_escaped(line, &summary(deadline, ladder));
        push_folded(out, line);
        line.clear();
        line.push_str("DESCRIPTION:");
        push_escaped(line, &description(deadline, ladder, *as_of));
        push_folded(out, line);
        line.clear();
        line.push_str("CATEGORIES:");
        push_escaped(line, &deadline.ladder);
        push_folded(out, line);
        push_folded(out, "TRANSP:TRANSPARENT");
        push_folded(out, "END:VEVENT");
    }
}

const FOOTER: &str = "END:VCALENDAR\r\n";

/// The size of one chunk of a calendar's text: 1 MiB.
const CHUNK_BYTES: usize = 1 << 20;

/// Every open alert's deadlines as at `as_of`, as one iCalendar file: a
/// shorthand for [`DeadlineCalendar::new`], [`DeadlineCalendar::add_case`] for
/// each case and [`DeadlineCalendar::into_string`].
///
/// # Errors
///
/// Those of [`DeadlineCalendar::new`], then the first case's error from
/// [`case_deadlines`].
///
/// # Example
///
/// The same cases and date give the same bytes:
///
/// ```
/// use chrono::NaiveDate;
/// use escalation_ladder::ics::{deadlines_calendar, IcsOptions};
/// use escalation_ladder::report::{read_cases, Procedures};
///
/// let procedures = Procedures::builtin()?;
/// let line = r#"{"case":"CP-2026-0412","team":"South; Duty, Assessment","ladder":"cp-conference-concerns","events":[{"on":"2026-12-24","actor":"chair","type":"raise","reason":"plan not implemented"}]}"#;
/// let cases = read_cases(line.as_bytes(), &procedures)?;
/// let as_of = NaiveDate::from_ymd_opt(2026, 12, 24).unwrap();
/// let once = deadlines_calendar(&cases, &procedures, as_of, IcsOptions::default())?;
/// let again = deadlines_calendar(&cases, &procedures, as_of, IcsOptions::default())?;
/// assert_eq!(once, again);
/// // Level 1's two working days skip Christmas Day and the Boxing Day substitute.
/// assert!(once.contains("\r\nDTSTART;VALUE=DATE:20261230\r\n"));
/// // TEXT values are escaped.
/// assert!(once.contains(r"Team: South\; Duty\, Assessment\n"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn deadlines_calendar<'c>(
    cases: impl IntoIterator<Item = &'c Case>,
    procedures: &Procedures,
    as_of: NaiveDate,
    options: IcsOptions,
) -> Result<String, IcsError> {
    let mut calendar = DeadlineCalendar::new(as_of, options)?;
    for case in cases {
        calendar.add_case(case, procedures)?;
    }
    Ok(calendar.into_string())
}

/// `YYYYMMDD`, iCalendar's DATE form.
fn push_basic_date(out: &mut String, date: NaiveDate) {
    let _ = write!(
        out,
        "{:04}{:02}{:02}",
        date.year(),
        date.month(),
        date.day()
    );
}

/// `Response due: IRO-2026-0107 team-manager (iro-dispute-resolution)`, or
/// `Ceiling (20 working days): IRO-2026-0107 (iro-dispute-resolution)`;
/// `OVERDUE: ` first once the date has passed.
fn summary(deadline: &Deadline, ladder: &Ladder) -> String {
    let mut text = String::with_capacity(96);
    if deadline.overdue {
        text.push_str("OVERDUE: ");
    }
    match deadline.kind {
        DeadlineKind::Response => {
            text.push_str("Response due: ");
            text.push_str(&deadline.case);
            if let Some(stage) = &deadline.stage {
                text.push(' ');
                text.push_str(stage);
            }
        }
        DeadlineKind::Ceiling => {
            match &ladder.ceiling {
                Some(ceiling) => {
                    let _ = write!(text, "Ceiling ({} working days): ", ceiling.working_days);
                }
                None => text.push_str("Ceiling: "),
            }
            text.push_str(&deadline.case);
        }
        DeadlineKind::Duty => {
            text.push_str("Duty due: ");
            text.push_str(&deadline.case);
            if let Some(duty) = &deadline.duty {
                text.push(' ');
                text.push_str(duty);
            }
        }
    }
    let _ = write!(text, " ({})", deadline.ladder);
    text
}

/// The event's description: the deadline, where it stands as at the as-of
/// date, and whose case it is, one fact a line.
fn description(deadline: &Deadline, ladder: &Ladder, as_of: NaiveDate) -> String {
    let mut text = String::with_capacity(320);
    let long = |date: NaiveDate| date.format("%A %-d %B %Y");
    match deadline.kind {
        DeadlineKind::Response => {
            let _ = writeln!(text, "Response due: {}", long(deadline.date));
        }
        DeadlineKind::Ceiling => {
            let _ = write!(text, "Ceiling: {}", long(deadline.date));
            if let (Some(ceiling), Some(raised)) = (&ladder.ceiling, deadline.raised_on) {
                let _ = write!(
                    text,
                    ", {} working days from the raise on {}",
                    ceiling.working_days,
                    long(raised)
                );
            }
            text.push('\n');
        }
        DeadlineKind::Duty => {
            let name = deadline
                .duty
                .as_deref()
                .and_then(|id| ladder.duty(id))
                .map_or("", |d| d.name.as_str());
            let _ = writeln!(text, "Duty due: {} ({name})", long(deadline.date));
        }
    }
    let _ = write!(text, "As at {}: ", long(as_of));
    let left = deadline.working_days_left;
    match (deadline.overdue, left) {
        (true, 0) => text.push_str("OVERDUE (no working day since the due date)"),
        (true, _) => {
            let past = left.unsigned_abs();
            let _ = write!(text, "OVERDUE by {past} {}", working_days(past));
        }
        (false, 0) => text.push_str("due today"),
        (false, _) => {
            let _ = write!(text, "{left} {} left", working_days(left.unsigned_abs()));
        }
    }
    if deadline.kind == DeadlineKind::Duty && deadline.overdue {
        // A duty due "immediately" may fall on a non-working day: the calendar
        // days say how late it is.
        let days = (as_of - deadline.date).num_days();
        let _ = write!(
            text,
            " ({days} calendar {})",
            if days == 1 { "day" } else { "days" }
        );
    }
    text.push('\n');
    let _ = writeln!(text, "Case: {}", deadline.case);
    let recorded = |value: &Option<std::sync::Arc<str>>| {
        value.as_deref().unwrap_or("(not recorded)").to_string()
    };
    let _ = writeln!(text, "Child: {}", recorded(&deadline.child));
    let _ = writeln!(text, "Team: {}", recorded(&deadline.team));
    let _ = writeln!(text, "Worker: {}", recorded(&deadline.worker));
    text.push_str("Who must act: ");
    if deadline.who_must_act.is_empty() {
        text.push_str("(nobody named)");
    }
    for (index, role) in deadline.who_must_act.iter().enumerate() {
        if index > 0 {
            text.push_str(", ");
        }
        match ladder.role(role) {
            Some(named) => {
                let _ = write!(text, "{} ({role})", named.name);
            }
            None => text.push_str(role),
        }
    }
    text.push('\n');
    if let Some(stage) = &deadline.stage {
        match ladder.stage(stage) {
            Some(named) => {
                let _ = writeln!(text, "Stage: {} ({stage})", named.name);
            }
            None => {
                let _ = writeln!(text, "Stage: {stage}");
            }
        }
    }
    let _ = write!(text, "Ladder: {} ({})", ladder.title, deadline.ladder);
    text
}

/// "working day" or "working days".
fn working_days(count: u64) -> &'static str {
    if count == 1 {
        "working day"
    } else {
        "working days"
    }
}
