//! One set of operations under every door: the library, the `ladder` command
//! line, the HTTP service and the C ABI all answer through this module.
//!
//! Each operation has one request type, one answer type and one function that
//! owns every default, every check and every error document. A door only
//! translates its transport: it reads a request (from options, a path and
//! query, a body, pointer arguments), calls the operation, and writes the
//! answer or the error document back. A door that adds a check or a default
//! of its own is a bug, and the parity test (`ffi/tests/parity.rs`) sends the
//! same requests through every door to prove there is none.
//!
//! | operation | request | answer | `ladder` | HTTP | C ABI |
//! |---|---|---|---|---|---|
//! | [`ladders`] | [`LaddersRequest`] | [`Listed`]s | `ladders` | `GET /v1/ladders` | `el_call("ladders")` |
//! | [`show`] | [`ShowRequest`] | a [`Procedure`](crate::ladder::Procedure) | `show` | `GET /v1/ladders/{id}` | `el_call("show")` |
//! | [`validate`] | [`ValidateRequest`] + the file | [`Validated`] | `validate` | `POST /v1/ladders/validate` | `el_call("validate")` |
//! | [`timeline`] | [`TimelineRequest`] | [`Timeline`] | `timeline` | `GET /v1/ladders/{id}/timeline` | `el_call("timeline")` |
//! | [`apply`] | [`ApplyRequest`] | [`Applied`](crate::engine::Applied) | `apply` | `POST /v1/ladders/{id}/apply` | `el_apply`, `el_call("apply")` |
//! | [`advance`] | [`AsOfRequest`] | [`Applied`](crate::engine::Applied) | `advance` | `POST /v1/ladders/{id}/advance` | `el_advance` |
//! | [`status`] | [`AsOfRequest`] | [`Status`](crate::engine::Status) | `status` | `POST /v1/ladders/{id}/status` | `el_status` |
//! | [`recompute`] | [`RecomputeRequest`] | [`Rebased`] | `recompute` | `POST /v1/ladders/{id}/recompute` | `el_call("recompute")` |
//! | [`correct`] | [`CorrectRequest`] | [`Rebased`] | `correct` | `POST /v1/ladders/{id}/correct` | `el_call("correct")` |
//! | [`replay`] | [`ReplayRequest`] | [`Replayed`] | `run` | `POST /v1/ladders/{id}/replay` | `el_call("replay")` |
//! | [`holidays`] | [`HolidaysRequest`] | [`BankHoliday`](crate::calendar::BankHoliday)s | `holidays` | `GET /v1/holidays` | `el_call("holidays")` |
//! | [`add_working_days`] | [`AddRequest`] | [`WorkingDaysAdded`] | `add-working-days` | `GET /v1/working-days/add` | `el_add_working_days` |
//! | [`count_working_days`] | [`CountRequest`] | [`WorkingDaysCounted`] | `count-working-days` | `GET /v1/working-days/count` | `el_count_working_days` |
//! | [`explain`] | [`AddRequest`] | [`Explanation`](crate::calendar::Explanation) | `explain` | `GET /v1/working-days/explain` | `el_call("explain")` |
//! | [`report`] | [`ReportRequest`] + cases | JSON, text or CSV | `report` | `POST /v1/report` | `el_call("report")` |
//! | [`ics`] | [`IcsRequest`] + cases | iCalendar | `ics` | `POST /v1/ics` | `el_call("ics")` |
//! | [`advance_alerts`] | [`AdvanceAlertsRequest`] + alerts | [`AlertAdvanced`] lines | `advance --alerts` | `POST /v1/alerts/advance` | `el_call("advance-alerts")` |
//! | [`recompute_alerts`] | [`RecomputeAlertsRequest`] + alerts | [`AlertRebased`] lines, or CSV | `recompute --alerts` | `POST /v1/alerts/recompute` | `el_call("recompute-alerts")` |
//!
//! [`call`] is the JSON entry point over them all: an operation and its
//! request as JSON in, the answer's bytes (compact JSON, or the text the
//! request asked for) or the [`ErrorDocument`](crate::contract::ErrorDocument)
//! out. The C ABI's `el_call` is `call`; a new binding (Python, .NET) wraps
//! it and writes no rule of its own.
//!
//! Every operation answers with a [`Registry`]: the built-in procedures, the
//! caller's own, and the working calendars with extra holidays and closures
//! ([`Setup`]).
//!
//! Errors are documents with a stable code; the code's
//! [`ErrorClass`](crate::contract::ErrorClass) gives the HTTP status and the
//! command line's exit status, so that every door reports a failure the same
//! way.
//!
//! # Example
//!
//! The same request, as a Rust value and as JSON, gives the same answer:
//!
//! ```
//! use escalation_ladder::ops::{self, AddRequest, Operation, Registry};
//!
//! let registry = Registry::builtin()?;
//! let request = AddRequest { from: "2026-12-24".parse()?, working_days: 1, region: None };
//! let typed = ops::add_working_days(&registry, &request)?;
//! let json = ops::call(&registry, Operation::AddWorkingDays, &serde_json::to_vec(&request)?, b"")?;
//! assert_eq!(json.body, serde_json::to_vec(&typed)?);
//! assert_eq!(typed.result.to_string(), "2026-12-29"); // after Christmas and the Boxing Day substitute
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod alert;
mod answer;
mod batch;
mod calendar;
mod call;
mod cases;
mod lines;
mod procedure;
mod registry;
mod request;

pub use alert::{advance, apply, correct, recompute, replay, status};
pub use answer::{
    Answer, Listed, MediaType, Rebased, Replayed, Timeline, Validated, WorkingDaysAdded,
    WorkingDaysCounted,
};
pub use batch::{
    advance_alerts, recompute_alerts, AdvanceAlertsRequest, AlertAdvanced, AlertRebased,
    RecomputeAlertsRequest, StoredAlert, StoredHistory, MOVED_COLUMNS,
};
pub use calendar::{add_working_days, count_working_days, explain, holidays, parse_working_days};
pub use call::{call, call_at, call_named, Operation, RequestText};
pub use cases::{ics, report, Progress, StreamError};
pub use procedure::{ladders, show, timeline, validate, UNNAMED_PROCEDURE};
pub use registry::{Closure, HolidaySource, Registry, Setup, CLOSURE_REASON, HOLIDAY_NAME};
pub use request::{
    date_value, invalid_document, invalid_value, json_error, read_json, read_query, with_route_id,
    AddRequest, ApplyRequest, AsOfRequest, CorrectRequest, CorrectionDocument, CountRequest,
    HolidaysRequest, IcsRequest, LaddersRequest, RecomputeRequest, ReplayRequest, ReportRequest,
    ShowRequest, TimelineRequest, ValidateRequest,
};
