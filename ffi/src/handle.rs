//! What a handle holds (the ladders and the calendars), how it is built from
//! the caller's text, and the calls made on it, in safe Rust: `lib.rs` only
//! turns pointers into text and results into owned strings.

use escalation_ladder::chrono::NaiveDate;
use escalation_ladder::contract::ErrorDocument;
use escalation_ladder::engine::{
    advance, apply_after_time_borrowed, status, AlertState, AppliedRef, Event,
};
use escalation_ladder::engine::{write_applied_json, EngineError, OwnedTransition};
use escalation_ladder::ladder::Ladder;
use escalation_ladder::report::Procedures;
use escalation_ladder::{Region, WorkingCalendar};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::FfiError;

/// The result of a call: its JSON, or the error document.
pub(crate) type Outcome = Result<String, ErrorDocument>;

/// Ladders and calendars, loaded once by `el_handle_new` and immutable after:
/// one handle may be used from many threads at once. Opaque: a caller holds
/// a pointer, passes it back, and frees it once with `el_handle_free`.
pub struct ElHandle {
    /// The built-in ladders and the caller's own, with a calendar per
    /// division in use (the adjusted ones).
    procedures: Procedures,
    /// The one calendar every ladder runs on when a region was given.
    fixed: Option<WorkingCalendar>,
}

// A handle is shared between threads as it is: nothing in it changes after
// it is built. This fails to compile if a field ever stops being both.
const _: fn() = || {
    fn shared<T: Send + Sync>() {}
    shared::<ElHandle>();
};

/// The extra holidays and closures of `calendar_json`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarOptions {
    #[serde(default)]
    holidays: Vec<Holiday>,
    #[serde(default)]
    closures: Vec<Closure>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Holiday {
    date: String,
    #[serde(default)]
    name: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Closure {
    date: String,
    #[serde(default)]
    reason: Option<String>,
}

/// The name of a holiday given without one.
const HOLIDAY_NAME: &str = "a bank holiday given to el_handle_new";
/// The reason of a closure given without one.
const CLOSURE_REASON: &str = "a closure given to el_handle_new";

/// What `el_handle_new` writes on success.
#[derive(Serialize)]
struct Created<'a> {
    ladders: Vec<&'a str>,
    region: Option<&'a str>,
}

/// What `el_apply` and `el_advance` write (`ladder apply --json`'s shape).
#[derive(Serialize)]
struct Applied<'a> {
    state: &'a AlertState,
    transitions: &'a [OwnedTransition],
}

/// `{"state": …, "transitions": […]}`: time's transitions, then the event's
/// (borrowed), written by the library's `write_applied_json` (the bytes serde
/// writes for [`Applied`], with the state serialized once).
/// `the_spliced_json_is_serdes` checks the bytes through the ABI.
fn applied_json(applied: &AppliedRef<'_>) -> Outcome {
    let cannot_write = |detail: String| ErrorDocument::from(FfiError::Panic { detail });
    let mut out = Vec::with_capacity(4096);
    write_applied_json(&mut out, &applied.by_time, &applied.transition)
        .map_err(|e| cannot_write(format!("cannot write JSON: {e}")))?;
    String::from_utf8(out).map_err(|e| cannot_write(format!("wrote invalid UTF-8: {e}")))
}

/// Parses a JSON argument (a UTF-8 byte-order mark is skipped).
pub(crate) fn from_json<T: DeserializeOwned>(
    text: &str,
    argument: &'static str,
    expected: &'static str,
) -> Result<T, ErrorDocument> {
    serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .map_err(|e| FfiError::json(argument, expected, &e).into())
}

/// Parses a date argument strictly (`YYYY-MM-DD`, a real day).
pub(crate) fn date(text: &str, argument: impl Into<String>) -> Result<NaiveDate, ErrorDocument> {
    escalation_ladder::input::parse_date(text).ok_or_else(|| {
        FfiError::InvalidDate {
            argument: argument.into(),
            found: text.to_string(),
        }
        .into()
    })
}

/// JSON of a value the crate serializes (it always does).
fn to_json(value: &impl Serialize) -> Outcome {
    serde_json::to_string(value).map_err(|e| {
        FfiError::Panic {
            detail: format!("cannot write JSON: {e}"),
        }
        .into()
    })
}

impl ElHandle {
    /// Builds a handle: the built-in ladders, the caller's ladder (TOML, or
    /// JSON when the text starts with `{`), and the calendars of `region` (or
    /// of each ladder's own division) with the holidays and closures.
    pub(crate) fn new(
        region: Option<&str>,
        ladder_text: Option<&str>,
        calendar_json: Option<&str>,
    ) -> Result<ElHandle, ErrorDocument> {
        let region = region
            .map(|r| r.parse::<Region>().map_err(|e| ErrorDocument::from(&e)))
            .transpose()?;
        let mut procedures = Procedures::builtin().map_err(|e| ErrorDocument::from(&e))?;
        if let Some(text) = ladder_text {
            let text = text.trim_start_matches('\u{feff}');
            let ladder = if text.trim_start().starts_with('{') {
                Ladder::from_json_str(text, "ladder_text")
            } else {
                Ladder::from_toml_str(text, "ladder_text")
            }
            .map_err(|e| ErrorDocument::from(&e))?;
            procedures.insert(ladder);
        }
        let options: CalendarOptions = match calendar_json {
            Some(text) => from_json(
                text,
                "calendar_json",
                "{\"holidays\": [{\"date\", \"name\"}], \"closures\": [{\"date\", \"reason\"}]}",
            )?,
            None => CalendarOptions::default(),
        };
        let build = |region: Region| -> Result<WorkingCalendar, ErrorDocument> {
            let mut builder = WorkingCalendar::builder(region);
            for (i, h) in options.holidays.iter().enumerate() {
                let on = date(&h.date, format!("calendar_json.holidays[{i}].date"))?;
                builder = builder.bank_holiday(on, h.name.as_deref().unwrap_or(HOLIDAY_NAME));
            }
            for (i, c) in options.closures.iter().enumerate() {
                let on = date(&c.date, format!("calendar_json.closures[{i}].date"))?;
                builder = builder.closure(on, c.reason.as_deref().unwrap_or(CLOSURE_REASON));
            }
            builder.build().map_err(|e| ErrorDocument::from(&e))
        };
        let fixed = match region {
            Some(region) => Some(build(region)?),
            None => {
                // Each division in use (England and Wales always: the working
                // day calls count on it), adjusted.
                let mut regions = vec![Region::EnglandAndWales];
                for id in procedures.ids() {
                    let r = procedures.ladder(id).map(|l| l.working_days.region);
                    if let Some(r) = r.filter(|r| !regions.contains(r)) {
                        regions.push(r);
                    }
                }
                for r in regions {
                    procedures.set_calendar(build(r)?);
                }
                None
            }
        };
        Ok(ElHandle { procedures, fixed })
    }

    /// What `el_handle_new` writes on success: the ladder ids and the region.
    pub(crate) fn describe(&self) -> Outcome {
        to_json(&Created {
            ladders: self.procedures.ids().collect(),
            region: self.fixed.as_ref().map(|c| c.region().as_str()),
        })
    }

    /// The ladder with this id and the calendar it runs on.
    fn ladder(&self, id: &str) -> Result<(&Ladder, &WorkingCalendar), ErrorDocument> {
        let (ladder, own) = self
            .procedures
            .get(id)
            .ok_or_else(|| FfiError::UnknownLadder {
                ladder: id.to_string(),
                known: self.procedures.ids().map(str::to_string).collect(),
            })?;
        Ok((ladder, self.fixed.as_ref().unwrap_or(own)))
    }

    /// The calendar of the working-day calls: the region's, else England and
    /// Wales's.
    fn calendar(&self) -> &WorkingCalendar {
        match &self.fixed {
            Some(calendar) => calendar,
            None => self
                .procedures
                .calendar(Region::EnglandAndWales)
                .expect("built in new"),
        }
    }

    /// A stored state of `ladder`, as `ladder apply --state` reads it.
    fn state(ladder: &Ladder, text: &str) -> Result<AlertState, ErrorDocument> {
        let state: AlertState = from_json(text, "state_json", "an alert state")?;
        if *state.ladder != *ladder.id {
            return Err(ErrorDocument::from(&EngineError::WrongLadder {
                state_ladder: state.ladder.to_string(),
                ladder: ladder.id.to_string(),
            }));
        }
        Ok(state)
    }

    /// `ladder apply --json`: time acts up to the event's date, then the event
    /// applies; the version is checked on the stored state, before time acts.
    pub(crate) fn apply(
        &self,
        ladder_id: &str,
        state_json: Option<&str>,
        event_json: &str,
        expected_version: Option<u32>,
    ) -> Outcome {
        let (ladder, calendar) = self.ladder(ladder_id)?;
        let state = match state_json {
            Some(text) => Self::state(ladder, text)?,
            None => AlertState::new(&ladder.id),
        };
        let event: Event = from_json(event_json, "event_json", "an event")?;
        let applied = apply_after_time_borrowed(ladder, calendar, &state, &event, expected_version)
            .map_err(|e| ErrorDocument::from(&e))?;
        applied_json(&applied)
    }

    /// What time alone does to a stored state up to `as_of`.
    pub(crate) fn advance(&self, ladder_id: &str, state_json: &str, as_of: &str) -> Outcome {
        let (ladder, calendar) = self.ladder(ladder_id)?;
        let state = Self::state(ladder, state_json)?;
        let as_of = date(as_of, "as_of")?;
        let advanced =
            advance(ladder, calendar, &state, as_of).map_err(|e| ErrorDocument::from(&e))?;
        to_json(&Applied {
            state: &advanced.state,
            transitions: &advanced.transitions,
        })
    }

    /// `ladder status --json`.
    pub(crate) fn status(&self, ladder_id: &str, state_json: &str, as_of: &str) -> Outcome {
        let (ladder, calendar) = self.ladder(ladder_id)?;
        let state = Self::state(ladder, state_json)?;
        let as_of = date(as_of, "as_of")?;
        let now = status(ladder, calendar, &state, as_of).map_err(|e| ErrorDocument::from(&e))?;
        to_json(&now)
    }

    /// `{"from", "working_days", "date"}`: the `days`-th working day after `from`.
    pub(crate) fn add_working_days(&self, from: &str, days: i32) -> Outcome {
        let from = date(from, "date")?;
        let to = self
            .calendar()
            .add_working_days(from, days)
            .map_err(|e| ErrorDocument::from(&e))?;
        to_json(&serde_json::json!({ "from": from, "working_days": days, "date": to }))
    }

    /// `{"from", "to", "working_days"}`: the working days in (from, to].
    pub(crate) fn count_working_days(&self, from: &str, to: &str) -> Outcome {
        let from = date(from, "from")?;
        let to = date(to, "to")?;
        let days = self
            .calendar()
            .count_working_days(from, to)
            .map_err(|e| ErrorDocument::from(&e))?;
        to_json(&serde_json::json!({ "from": from, "to": to, "working_days": days }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Events whose transitions cover the cases: a raise, a response with an
    /// id, its re-delivery, and one after time acted (a deemed agreement
    /// first, then a late response).
    #[test]
    fn the_spliced_json_is_serdes() {
        let handle = ElHandle::new(None, None, None).unwrap();
        let mut cases = Vec::new();
        let mut run = |ladder: &str, events: &[&str]| {
            let mut state: Option<String> = None;
            for event in events {
                let out = handle.apply(ladder, state.as_deref(), event, None).unwrap();
                let value: serde_json::Value = serde_json::from_str(&out).unwrap();
                state = Some(value["state"].to_string());
                cases.push(out);
            }
        };
        run(
            "iro-dispute-resolution",
            &[
                r#"{"on":"2026-12-21","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"}"#,
                r#"{"on":"2026-12-29","actor":"tm","type":"respond","id":"m-1","meta":{"case":"C-1"}}"#,
                r#"{"on":"2026-12-29","actor":"tm","type":"respond","id":"m-1","meta":{"case":"C-1"}}"#,
            ],
        );
        run(
            "lac-review-decisions",
            &[
                r#"{"on":"2026-12-14","actor":"iro","type":"raise","reason":"review"}"#,
                r#"{"on":"2026-12-18","actor":"iro","type":"escalate","reason":"decisions sent"}"#,
                r#"{"on":"2027-01-04","actor":"tm","type":"respond","outcome":"unable-to-agree"}"#,
            ],
        );
        let mut time_acted = false;
        for out in &cases {
            let parsed: Applied2 = serde_json::from_str(out).unwrap();
            time_acted |= parsed.transitions.len() > 1;
            let by_serde = serde_json::to_string(&Applied {
                state: &parsed.state,
                transitions: &parsed.transitions,
            })
            .unwrap();
            assert_eq!(*out, by_serde);
        }
        assert!(time_acted, "no case where time acted first");
    }

    #[derive(serde::Deserialize)]
    struct Applied2 {
        state: AlertState,
        transitions: Vec<OwnedTransition>,
    }
}
