//! What the fuzz targets check (`fuzz/`, nightly), on stable: texts made by
//! editing the shipped data a little (procedure files, events, stored states,
//! cases files, holiday lists) are loaded or refused, never a panic; what loads
//! survives its own written form; and what loads goes through the engine, where
//! a refused event leaves its state as it was and an accepted one leaves no
//! response date before its stage's entry.
//!
//! Scale the number of runs with `PROPTEST_CASES` (the default is proptest's 256;
//! CI uses 64).

use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate, Weekday};
use escalation_ladder::calendar::{parse_govuk_json, parse_holiday_list};
use escalation_ladder::engine::{
    advance_for, apply, status, worst_case_timeline, AlertState, EngineError, Event, EventKind,
    STATE_SCHEMA_VERSION,
};
use escalation_ladder::ladder::{builtin, Ladder, Procedure};
use escalation_ladder::report::{read_cases, tracking_csv, CaseReader, Report, ReportOptions};
use escalation_ladder::{Region, WorkingCalendar};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::TestCaseError;

use crate::engine_properties::check_state;
use crate::report_properties::{ladders, procedures};

const CASES: &str = include_str!("../../examples/data/cases.jsonl");

const REGIONS: [Region; 4] = [
    Region::EnglandAndWales,
    Region::Scotland,
    Region::NorthernIreland,
    Region::UnitedKingdom,
];

fn calendar(region: Region) -> &'static WorkingCalendar {
    static CALENDARS: OnceLock<Vec<WorkingCalendar>> = OnceLock::new();
    let all = CALENDARS.get_or_init(|| REGIONS.iter().map(|&r| WorkingCalendar::new(r)).collect());
    &all[REGIONS.iter().position(|&r| r == region).unwrap()]
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The shipped procedure files: every built-in and the example council's.
fn procedure_seeds() -> &'static [String] {
    static SEEDS: OnceLock<Vec<String>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut seeds: Vec<String> = builtin::IDS
            .iter()
            .map(|id| builtin::source(id).unwrap().to_string())
            .collect();
        seeds.push(include_str!("../../examples/data/council-ladder.toml").to_string());
        seeds
    })
}

/// Every event of the example cases file, as JSON.
fn event_seeds() -> &'static [String] {
    static SEEDS: OnceLock<Vec<String>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let cases: Vec<serde_json::Value> = CASES
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        cases
            .iter()
            .flat_map(|c| c["events"].as_array().unwrap().iter())
            .map(|e| e.to_string())
            .collect()
    })
}

/// The state of every example case, as stored JSON.
fn state_seeds() -> &'static [String] {
    static SEEDS: OnceLock<Vec<String>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        read_cases(CASES.as_bytes(), procedures())
            .unwrap()
            .iter()
            .map(|c| serde_json::to_string_pretty(&c.state).unwrap())
            .collect()
    })
}

/// The example cases file's lines.
fn case_seeds() -> &'static [String] {
    static SEEDS: OnceLock<Vec<String>> = OnceLock::new();
    SEEDS.get_or_init(|| CASES.lines().map(str::to_string).collect())
}

/// GOV.UK's feed, and plain lists of `date<TAB>title` lines.
fn holiday_seeds() -> &'static [String] {
    static SEEDS: OnceLock<Vec<String>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let list = |tsv: &str, years: &str| -> String {
            tsv.lines()
                .skip(1)
                .filter(|l| l.split('\t').nth(1).is_some_and(|d| d.starts_with(years)))
                .map(|l| {
                    let f: Vec<&str> = l.split('\t').collect();
                    format!("{}\t{}\n", f[1], f[2])
                })
                .collect()
        };
        vec![
            include_str!("../data/govuk-bank-holidays.json").to_string(),
            list(include_str!("../data/govuk-feed-supplement.tsv"), "20"),
            list(include_str!("../data/historic-bank-holidays.tsv"), "1978"),
            "# proclaimed after release\n2027-06-07 A new bank holiday\n".to_string(),
        ]
    })
}

/// A short text to insert: nothing, printable ASCII, the formats' own
/// punctuation and digits, or any characters.
fn insertion() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[ -~]{1,6}",
        "[\\[\\]{}\",=:#\n0-9-]{1,4}",
        ".{1,3}",
    ]
}

/// One of `seeds` with up to four edits, each removing up to 8 characters at
/// a place and inserting a short text there.
fn edited(seeds: fn() -> &'static [String]) -> impl Strategy<Value = String> {
    (
        any::<Index>(),
        prop::collection::vec((any::<Index>(), 0usize..8, insertion()), 0..5),
    )
        .prop_map(move |(seed, edits)| {
            let seeds = seeds();
            let mut chars: Vec<char> = seeds[seed.index(seeds.len())].chars().collect();
            for (at, remove, insert) in edits {
                let at = at.index(chars.len() + 1);
                let end = (at + remove).min(chars.len());
                chars.splice(at..end, insert.chars());
            }
            chars.into_iter().collect()
        })
}

/// Applies an event and checks what holds whatever the state: a refusal
/// leaves the state as it was (compared with a copy) and names it.
fn apply_checked(
    ladder: &Ladder,
    state: &AlertState,
    event: &Event,
) -> Result<Option<AlertState>, TestCaseError> {
    let before = state.clone();
    let calendar = calendar(ladder.working_days.region);
    match apply(ladder, calendar, state, event) {
        Ok(t) => {
            let _ = t.effects().count();
            Ok(Some(t.state))
        }
        Err(err) => {
            prop_assert_eq!(state, &before);
            if let EngineError::Refused { .. } = err {
                prop_assert!(
                    err.to_string()
                        .contains(&*escalation_ladder::escape::escape(&state.to_string())),
                    "{}",
                    err
                );
            }
            Ok(None)
        }
    }
}

/// An alert on `ladder` raised at its first stage on Monday 23 November 2026.
fn raised(ladder: &Ladder) -> AlertState {
    let raise = Event {
        on: date(2026, 11, 23),
        actor: "property".into(),
        id: None,
        meta: None,
        kind: EventKind::Raise {
            stage: None,
            category: None,
            reason: "property".into(),
        },
    };
    let calendar = calendar(ladder.working_days.region);
    apply(ladder, calendar, &AlertState::new(&ladder.id), &raise)
        .unwrap()
        .state
}

proptest! {
    /// A procedure file loads or is refused; one that loads writes TOML that
    /// loads back equal, gives its worst-case timeline or an error, and an
    /// alert raised at each of its entry stages keeps its dates.
    #[test]
    fn procedure_files_load_or_are_refused(text in edited(procedure_seeds)) {
        let procedure = match Procedure::from_toml_str(&text, "edited.toml") {
            Ok(procedure) => procedure,
            Err(err) => {
                let _ = (err.to_string(), err.line());
                return Ok(());
            }
        };
        let written = procedure.to_toml_string().unwrap();
        prop_assert_eq!(&Procedure::from_toml_str(&written, "written.toml").unwrap(), &procedure);
        let Procedure::Ladder(ladder) = &procedure else { return Ok(()) };
        let calendar = calendar(ladder.working_days.region);
        let _ = worst_case_timeline(ladder, calendar, date(2026, 11, 23));
        for entry in ladder.entry_stages() {
            let raise = Event {
                on: date(2026, 11, 23),
                actor: "property".into(),
                id: None,
                meta: None,
                kind: EventKind::Raise {
                    stage: Some(entry.id.to_string()),
                    category: ladder.categories.first().map(|c| c.id.to_string()),
                    reason: "property".into(),
                },
            };
            if let Some(state) = apply_checked(ladder, &AlertState::new(&ladder.id), &raise)? {
                check_state(ladder, &state, "raise")?;
            }
        }
    }

    /// An event loads or is refused; one that loads survives its JSON, and on
    /// every built-in ladder, applied to a new alert and to a raised one (after
    /// time acted up to its date), is refused without changing the state or
    /// accepted with its dates kept.
    #[test]
    fn events_load_and_apply_or_are_refused(text in edited(event_seeds)) {
        let Ok(event) = serde_json::from_str::<Event>(&text) else { return Ok(()) };
        let json = serde_json::to_string(&event).unwrap();
        prop_assert_eq!(&serde_json::from_str::<Event>(&json).unwrap(), &event);
        for ladder in ladders() {
            let calendar = calendar(ladder.working_days.region);
            if let Some(state) = apply_checked(ladder, &AlertState::new(&ladder.id), &event)? {
                check_state(ladder, &state, "event")?;
            }
            let raised = raised(ladder);
            let state = match advance_for(ladder, calendar, &raised, &event) {
                Ok(advanced) => advanced.state.into_owned(),
                Err(_) => raised,
            };
            if let Some(state) = apply_checked(ladder, &state, &event)? {
                check_state(ladder, &state, "event")?;
            }
        }
    }

    /// A stored state loads or is refused; one that loads survives its JSON,
    /// gives its status or an error, and every example event applied to it is
    /// refused without changing it or accepted.
    #[test]
    fn stored_states_load_and_take_events_or_refuse_them(
        text in edited(state_seeds),
        events in prop::collection::vec(any::<Index>(), 1..6),
    ) {
        let Ok(state) = serde_json::from_str::<AlertState>(&text) else { return Ok(()) };
        // Written, a state is of this release's version: it is in its shape.
        let json = serde_json::to_string(&state).unwrap();
        let current = AlertState { schema_version: STATE_SCHEMA_VERSION, ..state.clone() };
        prop_assert_eq!(&serde_json::from_str::<AlertState>(&json).unwrap(), &current);
        let Some(ladder) = procedures().ladder(&state.ladder) else { return Ok(()) };
        let calendar = calendar(ladder.working_days.region);
        if let Some(on) = state.last_event_on {
            let _ = status(ladder, calendar, &state, on);
        }
        for index in events {
            let seeds = event_seeds();
            let event: Event = serde_json::from_str(&seeds[index.index(seeds.len())]).unwrap();
            apply_checked(ladder, &state, &event)?;
        }
    }

    /// A cases file yields a case or an error for each line; read as at a
    /// date, its cases are never refused by the report or the tracking CSV.
    #[test]
    fn cases_files_are_read_and_reported(
        lines in prop::collection::vec(edited(case_seeds), 1..4),
    ) {
        let text = lines.join("\n");
        for result in CaseReader::new(text.as_bytes(), procedures()) {
            match result {
                Ok(case) => {
                    let ladder = procedures().ladder(case.ladder()).unwrap();
                    check_state(ladder, &case.state, "reading")?;
                }
                Err(err) => { let _ = err.to_string(); }
            }
        }
        let as_of = date(2026, 12, 31);
        let cases: Vec<_> = CaseReader::new(text.as_bytes(), procedures())
            .events_until(as_of)
            .filter_map(Result::ok)
            .collect();
        let report = Report::build(procedures(), &cases, as_of, &ReportOptions::default());
        prop_assert!(report.is_ok(), "{:?}", report.err());
        let csv = tracking_csv(procedures(), &cases, as_of);
        prop_assert!(csv.is_ok(), "{:?}", csv.err());
    }

    /// Holiday data loads or is refused; a list that loads builds a calendar
    /// (or is refused as out of range) in which its weekday holidays are not
    /// working days.
    #[test]
    fn holiday_data_loads_or_is_refused(text in edited(holiday_seeds), region in 0usize..4) {
        let region = REGIONS[region];
        let lists = [
            parse_govuk_json(&text, region, "feed.json"),
            parse_holiday_list(&text, "list.txt"),
        ];
        for holidays in lists {
            let holidays = match holidays {
                Ok(holidays) => holidays,
                Err(err) => { let _ = err.to_string(); continue; }
            };
            let built = WorkingCalendar::builder(region)
                .bank_holidays(holidays.iter().cloned())
                .build();
            let Ok(calendar) = built else { continue };
            for h in holidays.iter().take(8) {
                let weekend = matches!(h.date.weekday(), Weekday::Sat | Weekday::Sun);
                prop_assert!(weekend || !calendar.is_working_day(h.date).unwrap(), "{:?}", h);
            }
        }
    }
}
