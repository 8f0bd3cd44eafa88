//! A C ABI over escalation-ladder's JSON contract, for case systems that call
//! it in-process (.NET P/Invoke, Java JNA or FFM, Python ctypes, C).
//!
//! JSON in, JSON out: every call is one of the library's operations
//! (`escalation_ladder::ops`), the same ones the `ladder` command line and the
//! HTTP service answer with, so the same request gives the same bytes through
//! every door. [`el_call`] takes any operation by name with its request as
//! JSON; `el_apply`, `el_advance`, `el_status`, `el_add_working_days` and
//! `el_count_working_days` take the same requests as separate arguments.
//! `include/escalation_ladder.h` is generated from this file by cbindgen;
//! `README.md` beside it is the caller's guide.
//!
//! # Calling convention
//!
//! Every call that can fail returns an `int32_t` status and writes one owned,
//! NUL-terminated UTF-8 JSON string to its `char **out_json` argument:
//!
//! - [`EL_OK`] (0): `*out_json` is the result;
//! - [`EL_ERROR`] (1): `*out_json` is an error document
//!   `{"schema_version", "code", "message", "fields"}` (docs/errors.md lists the codes; those of
//!   the boundary itself are `ffi.*`);
//! - [`EL_NO_OUTPUT`] (-1): `out_json` itself was NULL, so nothing could be
//!   written and nothing was done.
//!
//! The caller frees the string with [`el_string_free`], whatever the status.
//!
//! # Ownership
//!
//! - Arguments are borrowed for the call only: the library keeps no pointer
//!   to them.
//! - A string written to `*out_json` belongs to the caller, who frees it once
//!   with [`el_string_free`] (not `free`: it was allocated by Rust).
//! - A handle from [`el_handle_new`] belongs to the caller, who frees it once
//!   with [`el_handle_free`], after every call using it has returned.
//! - [`el_version`]'s string is static: never free it.
//!
//! # Threads
//!
//! A handle is immutable once made: one handle may be used by any number of
//! threads at once, with no lock. Every call is reentrant.
//!
//! # Panics
//!
//! No panic crosses the boundary: each call catches one and returns the error
//! `ffi.panic` (a bug in the library; the call did nothing). That needs the
//! library built with `panic = "unwind"` (the default).
#![deny(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]

mod error;
mod handle;

use std::ffi::{c_char, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::OnceLock;

use escalation_ladder::contract::ErrorDocument;

use crate::error::FfiError;
pub use crate::handle::ElHandle;
use crate::handle::Outcome;

/// The call succeeded: `*out_json` is its result.
pub const EL_OK: i32 = 0;

/// The call failed: `*out_json` is an error document
/// `{"schema_version", "code", "message", "fields"}`.
pub const EL_ERROR: i32 = 1;

/// `out_json` was NULL: nothing was written and nothing was done.
pub const EL_NO_OUTPUT: i32 = -1;

/// The version of this ABI: the functions, their arguments and their
/// ownership rules. It changes only when a call changes incompatibly.
pub const EL_ABI_VERSION: u32 = 2;

const _: () = assert!(EL_ABI_VERSION == 2, "update el_version's fallback text");

/// Writes an owned copy of `text` where `out` points.
///
/// # Safety
///
/// `out` is non-NULL and valid for a write.
unsafe fn write_out(out: *mut *mut c_char, text: String) {
    // JSON escapes every control character, so there is no NUL inside.
    let owned = CString::new(text).unwrap_or_else(|_| {
        CString::new(r#"{"schema_version":1,"code":"ffi.panic","message":"the library wrote a NUL byte","fields":{}}"#)
            .expect("no NUL")
    });
    // SAFETY: the caller's promise.
    unsafe { out.write(owned.into_raw()) };
}

/// An error document as JSON (it always serializes).
fn error_json(doc: &ErrorDocument) -> String {
    serde_json::to_string(doc).unwrap_or_else(|_| {
        r#"{"schema_version":1,"code":"ffi.panic","message":"cannot write an error document","fields":{}}"#.into()
    })
}

/// Runs one call: a NULL `out_json` is refused, a panic becomes `ffi.panic`,
/// and the result or the error document is written to `*out_json`.
///
/// # Safety
///
/// `out_json` is NULL or valid for a write; `call` may dereference the
/// caller's pointers.
unsafe fn run(out_json: *mut *mut c_char, call: impl FnOnce() -> Outcome) -> i32 {
    if out_json.is_null() {
        return EL_NO_OUTPUT;
    }
    let result = catch_unwind(AssertUnwindSafe(call))
        .unwrap_or_else(|payload| Err(FfiError::panic(&*payload).into()));
    let (status, text) = match result {
        Ok(json) => (EL_OK, json),
        Err(doc) => (EL_ERROR, error_json(&doc)),
    };
    // SAFETY: checked non-NULL above; valid for a write by the caller's promise.
    unsafe { write_out(out_json, text) };
    status
}

/// The body of `el_advance` and `el_status`: a stored state and a date in,
/// `call`'s JSON out.
///
/// # Safety
///
/// As those functions' own.
unsafe fn state_as_of(
    handle: *const ElHandle,
    ladder_id: *const c_char,
    state_json: *const c_char,
    as_of: *const c_char,
    out_json: *mut *mut c_char,
    call: fn(&ElHandle, &str, &str, &str) -> Outcome,
) -> i32 {
    // SAFETY: the caller's promises.
    unsafe {
        run(out_json, || {
            call(
                handle_arg(handle)?,
                text(ladder_id, "ladder_id")?,
                text(state_json, "state_json")?,
                text(as_of, "as_of")?,
            )
        })
    }
}

/// A required text argument.
///
/// # Safety
///
/// `ptr` is NULL or a NUL-terminated string that outlives `'a`.
unsafe fn text<'a>(ptr: *const c_char, argument: &'static str) -> Result<&'a str, ErrorDocument> {
    // SAFETY: the caller's promise.
    unsafe { optional_text(ptr, argument) }?
        .ok_or_else(|| FfiError::NullPointer { argument }.into())
}

/// An optional text argument (NULL: none).
///
/// # Safety
///
/// `ptr` is NULL or a NUL-terminated string that outlives `'a`.
unsafe fn optional_text<'a>(
    ptr: *const c_char,
    argument: &'static str,
) -> Result<Option<&'a str>, ErrorDocument> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: the caller's promise.
    let bytes = unsafe { CStr::from_ptr(ptr) };
    bytes.to_str().map(Some).map_err(|e| {
        FfiError::InvalidUtf8 {
            argument,
            valid_up_to: e.valid_up_to(),
        }
        .into()
    })
}

/// A required handle argument.
///
/// # Safety
///
/// `ptr` is NULL or a live handle from [`el_handle_new`].
unsafe fn handle_arg<'a>(ptr: *const ElHandle) -> Result<&'a ElHandle, ErrorDocument> {
    // SAFETY: the caller's promise.
    unsafe { ptr.as_ref() }.ok_or_else(|| FfiError::NullPointer { argument: "handle" }.into())
}

/// The version of the library and of this ABI, as static JSON:
/// `{"abi": 1, "library": "0.1.0", "state_schema_version": N}`.
///
/// Ownership: the string is static and lives as long as the library is
/// loaded. Do not free it.
#[no_mangle]
pub extern "C" fn el_version() -> *const c_char {
    static VERSION: OnceLock<CString> = OnceLock::new();
    catch_unwind(|| {
        VERSION
            .get_or_init(|| {
                let json = serde_json::json!({
                    "abi": EL_ABI_VERSION,
                    "library": env!("CARGO_PKG_VERSION"),
                    "state_schema_version": escalation_ladder::engine::STATE_SCHEMA_VERSION,
                });
                CString::new(json.to_string()).expect("no NUL in JSON")
            })
            .as_ptr()
    })
    // Without the schema version, should building the JSON ever panic (the
    // fallback's "abi" is EL_ABI_VERSION's: asserted below).
    .unwrap_or_else(|_| {
        concat!(
            "{\"abi\":2,\"library\":\"",
            env!("CARGO_PKG_VERSION"),
            "\"}\0"
        )
        .as_ptr()
        .cast()
    })
}

/// Makes a handle: the built-in ladders, optionally one ladder of the
/// caller's, and the working-day calendars they run on.
///
/// - `region` (nullable): `england-and-wales`, `scotland`, `northern-ireland`
///   or `united-kingdom`: every ladder and the working-day calls use that
///   division. NULL: each ladder runs on its own division (as `ladder apply`
///   without `--region`) and the working-day calls on England and Wales.
/// - `ladder_text` (nullable): a ladder as TOML, or as JSON when its first
///   character is `{` (docs/ladder-schema.md). One with a built-in ladder's
///   id replaces it.
/// - `calendar_json` (nullable): extra bank holidays and closures,
///   `{"holidays": [{"date": "2027-06-07", "name": "…"}],
///   "closures": [{"date": "2026-12-29", "reason": "Christmas shutdown"}]}`
///   (both lists and every name and reason optional).
///
/// On success returns `EL_OK`, writes the handle to `*out_handle` and
/// `{"ladders": [ids…], "region": "…" | null}` to `*out_json`. On failure
/// returns `EL_ERROR`, writes NULL to `*out_handle` (when it is not NULL
/// itself) and the error document to `*out_json`.
///
/// Ownership: the handle is the caller's; free it once with
/// `el_handle_free`. The handle may be used from many threads at once.
/// `*out_json` is the caller's; free it with `el_string_free`.
///
/// # Safety
///
/// Each text argument is NULL or a NUL-terminated string valid for the
/// call. `out_handle` is NULL or valid for a write of a pointer; `out_json`
/// is NULL or valid for a write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn el_handle_new(
    region: *const c_char,
    ladder_text: *const c_char,
    calendar_json: *const c_char,
    out_handle: *mut *mut ElHandle,
    out_json: *mut *mut c_char,
) -> i32 {
    if !out_handle.is_null() && !out_json.is_null() {
        // SAFETY: valid for a write by the caller's promise.
        unsafe { out_handle.write(std::ptr::null_mut()) };
    }
    // SAFETY: the caller's promises, as documented.
    unsafe {
        run(out_json, || {
            if out_handle.is_null() {
                return Err(FfiError::NullPointer {
                    argument: "out_handle",
                }
                .into());
            }
            let made = handle::ElHandle::new(
                optional_text(region, "region")?,
                optional_text(ladder_text, "ladder_text")?,
                optional_text(calendar_json, "calendar_json")?,
            )?;
            let described = made.describe()?;
            out_handle.write(Box::into_raw(Box::new(made)));
            Ok(described)
        })
    }
}

/// Frees a handle made by `el_handle_new`. NULL is ignored.
///
/// # Safety
///
/// `handle` is NULL or a handle from `el_handle_new` not freed yet, that no
/// other thread is using; it must not be used after this call.
#[no_mangle]
pub unsafe extern "C" fn el_handle_free(handle: *mut ElHandle) {
    if handle.is_null() {
        return;
    }
    // SAFETY: the caller's promise: a live handle from Box::into_raw.
    let owned = unsafe { Box::from_raw(handle) };
    // Dropping frees memory only; a panic there would be a bug, and must not
    // cross the boundary either.
    let _ = catch_unwind(AssertUnwindSafe(move || drop(owned)));
}

/// Frees a string the library wrote to an `out_json`. NULL is ignored.
///
/// # Safety
///
/// `text` is NULL or a string from an `out_json` of this library not freed
/// yet; it must not be used after this call. Never pass `el_version()`'s.
#[no_mangle]
pub unsafe extern "C" fn el_string_free(text: *mut c_char) {
    if text.is_null() {
        return;
    }
    // SAFETY: the caller's promise: a string from CString::into_raw.
    let owned = unsafe { CString::from_raw(text) };
    let _ = catch_unwind(AssertUnwindSafe(move || drop(owned)));
}

/// Applies one event to a stored alert, as `ladder apply --json` does:
/// time acts up to the event's date first (a deemed agreement, an automatic
/// escalation), then the event applies.
///
/// - `ladder_id`: the ladder the alert runs on (`iro-dispute-resolution`).
/// - `state_json` (nullable): the stored state (the `state` of an earlier
///   result); NULL: a new alert (the event is then a raise).
/// - `event_json`: the event, e.g. `{"on": "2026-12-21", "actor": "iro",
///   "type": "raise", "stage": "team-manager", "reason": "drift"}`.
/// - `expected_version`: refuse the event (`state.version-conflict`) unless
///   the stored state's `events_applied` is this (optimistic concurrency);
///   any negative value: no check.
///
/// Writes `{"state": {…}, "transitions": [{"state", "effects", "audit"}…]}`
/// (time's transitions, then the event's) to `*out_json`. Store `state`;
/// act on each transition's `effects`; append each `audit` to the trail. A
/// re-delivered event (an `id` the state has applied) gives the state back
/// unchanged with the one effect `already-applied`.
///
/// Ownership: `*out_json` is the caller's; free it with `el_string_free`.
///
/// # Safety
///
/// `handle` is NULL or a live handle from `el_handle_new`; each text
/// argument is NULL or a NUL-terminated string valid for the call;
/// `out_json` is NULL or valid for a write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn el_apply(
    handle: *const ElHandle,
    ladder_id: *const c_char,
    state_json: *const c_char,
    event_json: *const c_char,
    expected_version: i64,
    out_json: *mut *mut c_char,
) -> i32 {
    // SAFETY: the caller's promises, as documented.
    unsafe {
        run(out_json, || {
            let handle = handle_arg(handle)?;
            let ladder_id = text(ladder_id, "ladder_id")?;
            let state_json = optional_text(state_json, "state_json")?;
            let event_json = text(event_json, "event_json")?;
            let expected = match expected_version {
                v if v < 0 => None,
                v => Some(u32::try_from(v).map_err(|_| {
                    escalation_ladder::ops::invalid_value(
                        "expect_version",
                        &format!("expected a version up to {}", u32::MAX),
                        &v.to_string(),
                    )
                })?),
            };
            handle.apply(ladder_id, state_json, event_json, expected)
        })
    }
}

/// Lets time act on a stored alert up to `as_of` (`YYYY-MM-DD`): review
/// decisions deemed agreed, automatic escalations.
///
/// Writes `{"state": {…}, "transitions": […]}` (time's transitions, each
/// dated on the day it took effect; none when nothing was due) to
/// `*out_json`.
///
/// Ownership: `*out_json` is the caller's; free it with `el_string_free`.
///
/// # Safety
///
/// `handle` is NULL or a live handle from `el_handle_new`; each text
/// argument is NULL or a NUL-terminated string valid for the call;
/// `out_json` is NULL or valid for a write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn el_advance(
    handle: *const ElHandle,
    ladder_id: *const c_char,
    state_json: *const c_char,
    as_of: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    // SAFETY: the caller's promises, as documented.
    unsafe {
        state_as_of(
            handle,
            ladder_id,
            state_json,
            as_of,
            out_json,
            ElHandle::advance,
        )
    }
}

/// A stored alert's status as at `as_of` (`YYYY-MM-DD`), after time has
/// acted, as `ladder status --json` prints it: the phase, the stage, who must
/// act, the next deadline, the working days left, what is overdue or
/// breached.
///
/// Ownership: `*out_json` is the caller's; free it with `el_string_free`.
///
/// # Safety
///
/// `handle` is NULL or a live handle from `el_handle_new`; each text
/// argument is NULL or a NUL-terminated string valid for the call;
/// `out_json` is NULL or valid for a write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn el_status(
    handle: *const ElHandle,
    ladder_id: *const c_char,
    state_json: *const c_char,
    as_of: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    // SAFETY: the caller's promises, as documented.
    unsafe {
        state_as_of(
            handle,
            ladder_id,
            state_json,
            as_of,
            out_json,
            ElHandle::status,
        )
    }
}

/// The `days`-th working day after `date` (`YYYY-MM-DD`; the day itself is
/// day 0; a negative `days` counts back) on the handle's calendar.
///
/// Writes the `add-working-days` operation's answer,
/// `{"from": "2026-12-21", "working_days": 5, "result": "2026-12-30", "region": "england-and-wales"}`,
/// to `*out_json` (the handle's region, else England and Wales).
///
/// Ownership: `*out_json` is the caller's; free it with `el_string_free`.
///
/// # Safety
///
/// `handle` is NULL or a live handle from `el_handle_new`; `date` is NULL
/// or a NUL-terminated string valid for the call; `out_json` is NULL or
/// valid for a write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn el_add_working_days(
    handle: *const ElHandle,
    date: *const c_char,
    days: i32,
    out_json: *mut *mut c_char,
) -> i32 {
    // SAFETY: the caller's promises, as documented.
    unsafe {
        run(out_json, || {
            handle_arg(handle)?.add_working_days(text(date, "from")?, days)
        })
    }
}

/// The number of working days in (`from`, `to`] (`YYYY-MM-DD`; negative
/// when `to` is before `from`) on the handle's calendar.
///
/// Writes the `count-working-days` operation's answer,
/// `{"from": "2026-12-21", "to": "2026-12-30", "working_days": 5, "region": "england-and-wales"}`,
/// to `*out_json`.
///
/// Ownership: `*out_json` is the caller's; free it with `el_string_free`.
///
/// # Safety
///
/// `handle` is NULL or a live handle from `el_handle_new`; `from` and `to`
/// are NULL or NUL-terminated strings valid for the call; `out_json` is NULL
/// or valid for a write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn el_count_working_days(
    handle: *const ElHandle,
    from: *const c_char,
    to: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    // SAFETY: the caller's promises, as documented.
    unsafe {
        run(out_json, || {
            handle_arg(handle)?.count_working_days(text(from, "from")?, text(to, "to")?)
        })
    }
}

/// Runs any operation of the library by name, with its request as JSON, as
/// every door does: `operation` is one of `ladders`, `show`, `validate`,
/// `timeline`, `apply`, `advance`, `status`, `recompute`, `replay`,
/// `holidays`, `add-working-days`, `count-working-days`, `explain`, `report`
/// and `ics`; `request_json` is its request (docs: the `ops` module of the
/// library; the HTTP service's OpenAPI document has the same shapes), e.g.
/// `{"ladder": "iro-dispute-resolution", "state": {…}, "trail": […]}` for
/// `recompute`. `payload` (`payload_len` bytes; NULL when 0) is the cases
/// file of `report` and `ics` (JSON Lines) or the procedure file of
/// `validate`; other operations take none.
///
/// Writes the answer to `*out_json`: JSON, or for `report` in another format
/// and for `ics` the text asked for (CSV, text, iCalendar).
///
/// Ownership: `*out_json` is the caller's; free it with `el_string_free`.
///
/// # Safety
///
/// `handle` is NULL or a live handle from `el_handle_new`; `operation` and
/// `request_json` are NULL or NUL-terminated strings valid for the call;
/// `payload` is NULL or valid for reads of `payload_len` bytes; `out_json`
/// is NULL or valid for a write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn el_call(
    handle: *const ElHandle,
    operation: *const c_char,
    request_json: *const c_char,
    payload: *const u8,
    payload_len: usize,
    out_json: *mut *mut c_char,
) -> i32 {
    // SAFETY: the caller's promises, as documented.
    unsafe {
        run(out_json, || {
            let handle = handle_arg(handle)?;
            let operation = text(operation, "operation")?;
            let request = optional_text(request_json, "request_json")?.unwrap_or("");
            let payload: &[u8] = match (payload.is_null(), payload_len) {
                (_, 0) => &[],
                (true, _) => {
                    return Err(FfiError::NullPointer {
                        argument: "payload",
                    }
                    .into())
                }
                // SAFETY: the caller's promise: valid for `payload_len` bytes.
                (false, len) => std::slice::from_raw_parts(payload, len),
            };
            handle.call(operation, request, payload)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_document() {
        let mut out: *mut c_char = std::ptr::null_mut();
        let status = unsafe { run(&mut out, || panic!("deliberately")) };
        assert_eq!(status, EL_ERROR);
        let json = unsafe { CStr::from_ptr(out) }.to_str().unwrap().to_string();
        unsafe { el_string_free(out) };
        let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(doc["code"], "ffi.panic");
        assert_eq!(doc["fields"]["detail"], "deliberately");
    }

    #[test]
    fn a_null_out_json_writes_nothing_and_does_nothing() {
        let mut called = false;
        let status = unsafe {
            run(std::ptr::null_mut(), || {
                called = true;
                Ok(String::new())
            })
        };
        assert_eq!(status, EL_NO_OUTPUT);
        assert!(!called);
    }
}
