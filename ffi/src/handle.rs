//! What a handle holds (one [`Registry`]), how it is made from the caller's
//! text, and the calls made on it, in safe Rust: `lib.rs` only turns pointers
//! into text and results into owned strings. Every call is the library's
//! operation ([`escalation_ladder::ops`]): the handle adds no check and no
//! default of its own.

use escalation_ladder::calendar::BankHoliday;
use escalation_ladder::chrono::NaiveDate;
use escalation_ladder::contract::ErrorDocument;
use escalation_ladder::ladder::Procedure;
use escalation_ladder::ops::{
    self, read_json, AddRequest, Answer, ApplyRequest, AsOfRequest, Closure, CountRequest,
    HolidaySource, Operation, Registry, RequestText, Setup, CLOSURE_REASON, HOLIDAY_NAME,
};
use escalation_ladder::Region;
use serde::{Deserialize, Serialize};

/// The result of a call: its text, or the error document.
pub(crate) type Outcome = Result<String, ErrorDocument>;

/// The procedures and calendars, loaded once by `el_handle_new` and immutable
/// after: one handle may be used from many threads at once. Opaque: a caller
/// holds a pointer, passes it back, and frees it once with `el_handle_free`.
pub struct ElHandle {
    registry: Registry,
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
    closures: Vec<ClosureDay>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Holiday {
    #[serde(deserialize_with = "date")]
    date: NaiveDate,
    #[serde(default)]
    name: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClosureDay {
    #[serde(deserialize_with = "date")]
    date: NaiveDate,
    #[serde(default)]
    reason: Option<String>,
}

/// A `date` field, read strictly (`YYYY-MM-DD`, a real day), as every
/// document of the crate reads dates.
fn date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    use serde::de::DeserializeSeed;
    escalation_ladder::input::DateField("date").deserialize(d)
}

/// What `el_handle_new` writes on success.
#[derive(Serialize)]
struct Created<'a> {
    ladders: Vec<&'a str>,
    region: Option<&'a str>,
}

/// An answer's bytes as the caller's string. A binary answer (a workbook)
/// cannot be one: the C ABI carries NUL-terminated text, so it is refused
/// with the format named (the transport's limit, as HTTP's is its content
/// type).
fn text(answer: Answer) -> Outcome {
    if !answer.media_type.is_text() {
        return Err(escalation_ladder::ops::invalid_value(
            "format",
            "a text format at the C ABI (json, text, csv, summary-csv or html): a workbook is binary",
            "xlsx",
        ));
    }
    String::from_utf8(answer.body).map_err(|e| {
        ErrorDocument::new(
            "ffi.panic",
            format!("the library wrote invalid UTF-8: {e}"),
            serde_json::Map::new(),
        )
    })
}

/// An answer's JSON.
fn json(value: &impl Serialize) -> Outcome {
    text(Answer::json(value)?)
}

impl ElHandle {
    /// Makes a handle: the built-in procedures, the caller's procedure (TOML,
    /// or JSON when the text starts with `{`), and the calendars with the
    /// holidays and closures, every procedure counting in `region` when one
    /// is given.
    pub(crate) fn new(
        region: Option<&str>,
        ladder_text: Option<&str>,
        calendar_json: Option<&str>,
    ) -> Result<ElHandle, ErrorDocument> {
        let region = region
            .map(|r| r.parse::<Region>().map_err(|e| ErrorDocument::from(&e)))
            .transpose()?;
        let mut procedures = Vec::new();
        if let Some(text) = ladder_text {
            let text = text.trim_start_matches('\u{feff}');
            let procedure = if text.trim_start().starts_with('{') {
                Procedure::from_json_str(text, "ladder_text")
            } else {
                Procedure::from_toml_str(text, "ladder_text")
            }
            .map_err(|e| ErrorDocument::from(&e))?;
            procedures.push(procedure);
        }
        let options: CalendarOptions = match calendar_json {
            Some(text) => read_json("calendar_json", text.as_bytes())?,
            None => CalendarOptions::default(),
        };
        let holidays = options
            .holidays
            .into_iter()
            .map(|h| BankHoliday {
                date: h.date,
                name: h.name.unwrap_or_else(|| HOLIDAY_NAME.to_string()),
                kind: escalation_ladder::calendar::HolidayKind::Added,
            })
            .collect::<Vec<_>>();
        let closures = options
            .closures
            .into_iter()
            .map(|c| Closure {
                date: c.date,
                reason: c.reason.unwrap_or_else(|| CLOSURE_REASON.to_string()),
            })
            .collect();
        let setup = Setup {
            procedures,
            holidays: match holidays.is_empty() {
                true => Vec::new(),
                false => vec![HolidaySource::Days(holidays)],
            },
            closures,
            region,
        };
        let (registry, _warnings) = Registry::new(setup)?;
        Ok(ElHandle { registry })
    }

    /// What `el_handle_new` writes on success: the ladder ids and the region.
    pub(crate) fn describe(&self) -> Outcome {
        json(&Created {
            ladders: self.registry.cases().ids().collect(),
            region: self.registry.region().map(|r| r.as_str()),
        })
    }

    /// `el_call`: any operation, its request as JSON (and its payload).
    pub(crate) fn call(&self, operation: &str, request: &str, payload: &[u8]) -> Outcome {
        let operation: Operation = operation.parse()?;
        text(ops::call_at(
            &self.registry,
            operation,
            None,
            RequestText::Json(request.as_bytes()),
            payload,
        )?)
    }

    /// `el_apply`: the request made of its parts, each document read as every
    /// door reads it.
    pub(crate) fn apply(
        &self,
        ladder: &str,
        state_json: Option<&str>,
        event_json: &str,
        expect_version: Option<u32>,
    ) -> Outcome {
        let request = ApplyRequest {
            ladder: ladder.to_string(),
            state: state_json
                .map(|text| read_json("state", text.as_bytes()))
                .transpose()?,
            event: read_json("event", event_json.as_bytes())?,
            expect_version,
        };
        let applied = ops::apply(&self.registry, &request)?;
        let mut out = Vec::with_capacity(4096);
        escalation_ladder::engine::write_applied_json(
            &mut out,
            &applied.by_time,
            &applied.transition,
        )
        .map_err(|e| {
            ErrorDocument::new(
                "ffi.panic",
                format!("cannot write JSON: {e}"),
                Default::default(),
            )
        })?;
        text(Answer {
            media_type: ops::MediaType::Json,
            body: out,
        })
    }

    /// The request of `el_advance` and `el_status`.
    fn as_of(ladder: &str, state_json: &str, as_of: &str) -> Result<AsOfRequest, ErrorDocument> {
        Ok(AsOfRequest {
            ladder: ladder.to_string(),
            state: read_json("state", state_json.as_bytes())?,
            as_of: date_argument("as_of", as_of)?,
        })
    }

    /// `el_advance`.
    pub(crate) fn advance(&self, ladder: &str, state_json: &str, as_of: &str) -> Outcome {
        json(&ops::advance(
            &self.registry,
            &Self::as_of(ladder, state_json, as_of)?,
        )?)
    }

    /// `el_status`.
    pub(crate) fn status(&self, ladder: &str, state_json: &str, as_of: &str) -> Outcome {
        json(&ops::status(
            &self.registry,
            &Self::as_of(ladder, state_json, as_of)?,
        )?)
    }

    /// `el_add_working_days`: the operation's answer.
    pub(crate) fn add_working_days(&self, from: &str, days: i32) -> Outcome {
        let request = AddRequest {
            from: date_argument("from", from)?,
            working_days: days,
            region: None,
        };
        json(&ops::add_working_days(&self.registry, &request)?)
    }

    /// `el_count_working_days`: the operation's answer.
    pub(crate) fn count_working_days(&self, from: &str, to: &str) -> Outcome {
        let request = CountRequest {
            from: date_argument("from", from)?,
            to: date_argument("to", to)?,
            region: None,
        };
        json(&ops::count_working_days(&self.registry, &request)?)
    }
}

/// A date argument, read by the one rule for dates.
fn date_argument(field: &str, text: &str) -> Result<NaiveDate, ErrorDocument> {
    ops::date_value(field, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A handle's apply is the JSON entry point's, byte for byte.
    #[test]
    fn apply_by_parts_is_the_entry_points_apply() {
        let handle = ElHandle::new(None, None, None).unwrap();
        let event = r#"{"on":"2026-12-21","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"}"#;
        let by_parts = handle
            .apply("iro-dispute-resolution", None, event, None)
            .unwrap();
        let request = format!(r#"{{"ladder":"iro-dispute-resolution","event":{event}}}"#);
        let by_call = handle.call("apply", &request, b"").unwrap();
        assert_eq!(by_parts, by_call);
    }
}
