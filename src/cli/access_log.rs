//! The access log's lines, written by a `tracing` layer of their own rather
//! than by tracing-subscriber's formatter: one line a request is the hot
//! path's only log, and the general formatter (its JSON serializer, its
//! timestamp, its span look-ups) cost the service about a tenth of its
//! throughput on 2 cores (docs/performance.md). The line carries the same
//! fields in both formats: `timestamp`, `level`, `target` (`access`),
//! `method`, `route`, `status`, `duration_ms` and `request_id`, and a
//! `message` where the event has one (a request head that did not arrive in
//! time: status 408, no method, no id).

use std::fmt::Write as _;
use std::time::{SystemTime, UNIX_EPOCH};

use tracing::field::{Field, Visit};
use tracing_subscriber::layer::Context;

/// How a line is written: `text` (`TIMESTAMP  INFO access: method=POST …`)
/// or `json` (one object a line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    Text,
    Json,
}

/// The layer: each event of target `access` becomes one line on `out`.
pub(crate) struct AccessLayer<W> {
    pub(crate) out: W,
    pub(crate) shape: Shape,
}

impl<S, W> tracing_subscriber::Layer<S> for AccessLayer<W>
where
    S: tracing::Subscriber,
    W: Clone + std::io::Write + 'static,
{
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        // One line a request: the fields and the line reuse this thread's
        // buffers rather than allocate their own.
        SCRATCH.with(|scratch| {
            let Ok(mut scratch) = scratch.try_borrow_mut() else {
                return;
            };
            let Scratch { fields, line } = &mut *scratch;
            fields.clear();
            event.record(fields);
            line.clear();
            fields.write_line(line, self.shape, now.as_secs(), now.subsec_micros());
            // The gathering writer never fails; a line lost to a closed
            // standard error has nowhere else to go.
            let _ = self.out.clone().write_all(line.as_bytes());
        });
    }
}

/// A thread's buffers for its access-log lines.
#[derive(Default)]
struct Scratch {
    fields: Fields,
    line: String,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

/// The fields of an access event, as `observe` records them.
#[derive(Default)]
struct Fields {
    method: String,
    route: String,
    request_id: String,
    message: String,
    status: u64,
    duration_ms: f64,
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        let slot = match field.name() {
            "method" => &mut self.method,
            "route" => &mut self.route,
            "request_id" => &mut self.request_id,
            "message" => &mut self.message,
            _ => return,
        };
        slot.push_str(value);
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        if field.name() == "status" {
            self.status = value;
        }
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.record_u64(field, value.unsigned_abs());
    }

    fn record_f64(&mut self, field: &Field, value: f64) {
        if field.name() == "duration_ms" {
            self.duration_ms = value;
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.message, "{value:?}");
        }
    }
}

impl Fields {
    fn clear(&mut self) {
        self.method.clear();
        self.route.clear();
        self.request_id.clear();
        self.message.clear();
        self.status = 0;
        self.duration_ms = 0.0;
    }

    #[cfg(test)]
    fn line(&self, shape: Shape, seconds: u64, micros: u32) -> String {
        let mut line = String::new();
        self.write_line(&mut line, shape, seconds, micros);
        line
    }

    /// Writes the line (ending in a line feed) to `line`.
    fn write_line(&self, line: &mut String, shape: Shape, seconds: u64, micros: u32) {
        let stamp = Timestamp { seconds, micros };
        // Writing to a String cannot fail.
        let _ = match shape {
            Shape::Text => {
                let _ = write!(
                    line,
                    "{stamp}  INFO access: method={} route={} status={} duration_ms={:.3} request_id={}",
                    self.method, self.route, self.status, self.duration_ms, self.request_id
                );
                if !self.message.is_empty() {
                    let _ = write!(line, " message={:?}", self.message);
                }
                writeln!(line)
            }
            Shape::Json => {
                let _ = write!(
                    line,
                    r#"{{"timestamp":"{stamp}","level":"INFO","target":"access","method":"#
                );
                json_string(line, &self.method);
                line.push_str(r#","route":"#);
                json_string(line, &self.route);
                let _ = write!(
                    line,
                    r#","status":{},"duration_ms":{:.3},"request_id":"#,
                    self.status, self.duration_ms
                );
                json_string(line, &self.request_id);
                if !self.message.is_empty() {
                    line.push_str(r#","message":"#);
                    json_string(line, &self.message);
                }
                writeln!(line, "}}")
            }
        };
    }
}

/// A JSON string. The fields are route templates, method labels and safe
/// request ids (letters, digits and `-_.:+/=@`), so escaping is a guard.
fn json_string(out: &mut String, text: &str) {
    out.push('"');
    if !text.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20) {
        out.push_str(text);
        out.push('"');
        return;
    }
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A UTC time as RFC 3339 with microseconds (`2026-12-07T04:42:00.123456Z`).
struct Timestamp {
    seconds: u64,
    micros: u32,
}

impl std::fmt::Display for Timestamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (year, month, day) = civil_from_days(self.seconds / 86_400);
        let second_of_day = self.seconds % 86_400;
        write!(
            f,
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:06}Z",
            second_of_day / 3600,
            second_of_day / 60 % 60,
            second_of_day % 60,
            self.micros
        )
    }
}

/// The proleptic Gregorian date `days` days after 1 January 1970 (Howard
/// Hinnant's `civil_from_days`, for days on or after the epoch): written by
/// hand because the access log writes one a request, and chrono's formatter
/// parses its format string each time.
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    // Days from 1 March of year 0, in 400-year eras of 146,097 days.
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    fn fields() -> Fields {
        Fields {
            method: "POST".into(),
            route: "/v1/ladders/{id}/apply".into(),
            request_id: "case-system-42".into(),
            message: String::new(),
            status: 200,
            duration_ms: 0.4567,
        }
    }

    #[test]
    fn a_json_line_is_one_object_with_every_field() {
        // Monday 7 December 2026, 04:42:00.123456 UTC.
        let line = fields().line(Shape::Json, 1_796_618_520, 123_456);
        assert!(line.ends_with('\n'));
        let value: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(
            value,
            serde_json::json!({
                "timestamp": "2026-12-07T04:42:00.123456Z", "level": "INFO",
                "target": "access", "method": "POST", "route": "/v1/ladders/{id}/apply",
                "status": 200, "duration_ms": 0.457, "request_id": "case-system-42"
            })
        );
    }

    #[test]
    fn a_text_line_names_each_field() {
        let line = fields().line(Shape::Text, 1_796_618_520, 5);
        assert_eq!(
            line,
            "2026-12-07T04:42:00.000005Z  INFO access: method=POST \
             route=/v1/ladders/{id}/apply status=200 duration_ms=0.457 \
             request_id=case-system-42\n"
        );
    }

    #[test]
    fn a_head_that_did_not_arrive_keeps_its_message() {
        let late = Fields {
            route: "(no head)".into(),
            message: "a request head did not arrive in time".into(),
            status: 408,
            ..Fields::default()
        };
        let value: serde_json::Value =
            serde_json::from_str(&late.line(Shape::Json, 1_796_618_520, 0)).unwrap();
        assert_eq!(value["status"], 408);
        assert_eq!(value["message"], "a request head did not arrive in time");
        assert!(late
            .line(Shape::Text, 1_796_618_520, 0)
            .ends_with(" message=\"a request head did not arrive in time\"\n"));
    }

    /// Every day from 1970 to 2200, as chrono counts them.
    #[test]
    fn civil_dates_agree_with_chrono() {
        let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        for days in 0..84_000u64 {
            let date = epoch + chrono::Days::new(days);
            let expected = (
                u64::try_from(date.year()).unwrap(),
                u64::from(date.month()),
                u64::from(date.day()),
            );
            assert_eq!(civil_from_days(days), expected, "{date}");
        }
        // 29 February 2028, a leap day, and 1 March 2100, after a year
        // divisible by 100 that is not a leap year.
        assert_eq!(civil_from_days(21_243), (2028, 2, 29));
        assert_eq!(civil_from_days(47_541), (2100, 3, 1));
    }

    #[test]
    fn json_strings_are_escaped() {
        let mut out = String::new();
        json_string(&mut out, "a\"b\\c\u{1}");
        assert_eq!(out, r#""a\"b\\c\u0001""#);
    }
}
