//! One event applied through the C ABI (JSON in, JSON out, an owned string
//! freed) against the plain Rust `apply` on typed values, and the Rust path
//! with the same JSON both ways, to show where the time goes.
//!
//! ```text
//! cargo bench -p escalation-ladder-ffi --bench apply
//! ```
//!
//! The event is a team manager's response on Tuesday 29 December 2026 to an
//! IRO alert raised on Monday the 21st (iro-dispute-resolution), applied to
//! the stored state. Each iteration checks the call succeeded.

use std::ffi::{c_char, CString};
use std::hint::black_box;
use std::time::Duration;

use criterion::Criterion;
use escalation_ladder::engine::{advance_for, apply, AlertState, Event, OwnedTransition};
use escalation_ladder::{ladder::builtin, Region, WorkingCalendar};
use escalation_ladder_ffi::*;

const RAISE: &str = r#"{"on":"2026-12-21","actor":"iro","type":"raise","stage":"team-manager","reason":"drift in permanence planning"}"#;
const RESPOND: &str =
    r#"{"on":"2026-12-29","actor":"tm","type":"respond","id":"msg-7","meta":{"case":"C-1"}}"#;
const LADDER: &str = "iro-dispute-resolution";

/// `ladder apply --json`'s shape, as the CLI writes it.
#[derive(serde::Serialize)]
struct Applied<'a> {
    state: &'a AlertState,
    transitions: &'a [OwnedTransition],
}

fn bench(c: &mut Criterion) {
    let ladder = builtin::ladder(LADDER).unwrap();
    let calendar = WorkingCalendar::new(Region::EnglandAndWales);
    let raise: Event = serde_json::from_str(RAISE).unwrap();
    let state = apply(&ladder, &calendar, &AlertState::new(&ladder.id), &raise)
        .unwrap()
        .state;
    let state_json = serde_json::to_string(&state).unwrap();
    let respond: Event = serde_json::from_str(RESPOND).unwrap();

    let mut group = c.benchmark_group("apply");
    group
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1));

    // The engine alone: typed state and event, the new state owned.
    group.bench_function("rust", |b| {
        b.iter(|| {
            let t = apply(&ladder, &calendar, black_box(&state), black_box(&respond)).unwrap();
            black_box(t.state)
        })
    });

    // What the ABI does, in Rust: parse both, let time act, apply, write
    // `{"state", "transitions"}`.
    group.bench_function("rust-json", |b| {
        b.iter(|| {
            let state: AlertState = serde_json::from_str(black_box(&state_json)).unwrap();
            let event: Event = serde_json::from_str(black_box(RESPOND)).unwrap();
            let advanced = advance_for(&ladder, &calendar, &state, &event).unwrap();
            let t = apply(&ladder, &calendar, &advanced.state, &event)
                .unwrap()
                .into_owned();
            let transitions: Vec<OwnedTransition> = vec![t];
            black_box(
                serde_json::to_string(&Applied {
                    state: &transitions[0].state,
                    transitions: &transitions,
                })
                .unwrap(),
            )
        })
    });

    // Through the C ABI, as a caller in another language: C strings in, an
    // owned JSON string out, freed.
    let mut handle: *mut ElHandle = std::ptr::null_mut();
    let mut out: *mut c_char = std::ptr::null_mut();
    let made = unsafe {
        el_handle_new(
            std::ptr::null(),
            std::ptr::null(),
            std::ptr::null(),
            &mut handle,
            &mut out,
        )
    };
    assert_eq!(made, EL_OK);
    unsafe { el_string_free(out) };
    let (ladder_c, state_c, event_c) = (
        CString::new(LADDER).unwrap(),
        CString::new(state_json.as_str()).unwrap(),
        CString::new(RESPOND).unwrap(),
    );
    group.bench_function("abi", |b| {
        b.iter(|| {
            let mut out: *mut c_char = std::ptr::null_mut();
            let status = unsafe {
                el_apply(
                    handle,
                    ladder_c.as_ptr(),
                    black_box(state_c.as_ptr()),
                    black_box(event_c.as_ptr()),
                    1,
                    &mut out,
                )
            };
            assert_eq!(status, EL_OK);
            unsafe { el_string_free(black_box(out)) };
        })
    });
    group.finish();
    unsafe { el_handle_free(handle) };
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    bench(&mut criterion);
    criterion.final_summary();
}
