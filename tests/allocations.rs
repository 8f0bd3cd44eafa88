//! The engine's claim that applying an event allocates nothing beyond the new
//! state: counted with an allocator that tallies this thread's allocations.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use escalation_ladder::engine::{apply, replay, Event};
use escalation_ladder::ladder::builtin;
use escalation_ladder::{Region, WorkingCalendar};

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: every call is passed straight to the system allocator; the counter is
// a thread-local `Cell` that itself never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|n| n.set(n.get() + 1));
        System.alloc(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|n| n.set(n.get() + 1));
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations_during<T>(work: impl FnOnce() -> T) -> (T, usize) {
    let before = ALLOCATIONS.with(Cell::get);
    let result = work();
    (result, ALLOCATIONS.with(Cell::get) - before)
}

fn event(json: &str) -> Event {
    serde_json::from_str(json).unwrap()
}

/// Oxfordshire's ladder over Christmas 2026: raised at stage 1 with a category,
/// escalated to stage 2, bypassed to stage 4, given extra time there (stage 2's
/// window is already its 5-working-day maximum, so it allows none), responded
/// to, withdrawn. None of these applications allocates: ids are the ladder's shared
/// strings and effects are spelt out only when asked for.
#[test]
fn applying_events_allocates_nothing_beyond_the_new_state() {
    let ladder = builtin::ladder("oxfordshire-resolution-escalation").unwrap();
    let calendar = WorkingCalendar::new(Region::EnglandAndWales);
    let category = ladder.categories[0].id.to_string();
    let raise = format!(
        r#"{{"on":"2026-12-21","actor":"sw","type":"raise","category":"{category}","reason":"plan"}}"#
    );
    let lines = [
        raise.as_str(),
        r#"{"on":"2026-12-22","actor":"sw","type":"escalate","reason":"no reply"}"#,
        r#"{"on":"2026-12-23","actor":"sw","type":"escalate","to":"stage-4","reason":"urgent"}"#,
        r#"{"on":"2027-01-04","actor":"dir","type":"extend","until":"2027-01-08","reason":"leave"}"#,
        r#"{"on":"2027-01-05","actor":"dir","type":"respond"}"#,
        r#"{"on":"2027-01-06","actor":"sw","type":"withdraw","reason":"resolved locally"}"#,
    ];
    let events: Vec<Event> = lines.iter().map(|l| event(l)).collect();
    // The state before each event, made outside the count.
    let (mut state, _) = replay(&ladder, &calendar, &events[..0]).unwrap();
    for event in &events {
        let (transition, allocations) = allocations_during(|| {
            apply(&ladder, &calendar, &state, event).unwrap_or_else(|e| panic!("{e}"))
        });
        assert_eq!(allocations, 0, "{}", event.kind.name());
        state = transition.state;
    }
    assert_eq!(state.phase.name(), "withdrawn");
}
