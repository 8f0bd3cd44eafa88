//! A status without its counts of days (`working_days_left` and the rest,
//! its own and each duty's): what may change from one day to the next
//! before the state's `wakes_on`, when nothing else may. Shared by the
//! property in tests/integration/engine_properties.rs and its run through
//! every door in ffi/tests/scheduling.rs (`#[path]`).

use serde_json::Value;

/// `status` (a status as JSON) without its counts of days.
pub fn without_day_counts(mut status: Value) -> Value {
    let map = status.as_object_mut().unwrap();
    for count in [
        "as_of",
        "working_days_left",
        "calendar_days_left",
        "ceiling_working_days_left",
        "open_working_days",
        "threshold_working_days",
    ] {
        map.remove(count);
    }
    for duty in map["duties"].as_array_mut().unwrap() {
        let duty = duty.as_object_mut().unwrap();
        duty.remove("working_days_left");
        duty.remove("calendar_days_left");
    }
    status
}
