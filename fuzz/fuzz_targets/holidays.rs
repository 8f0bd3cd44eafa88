//! Holiday data loaded at run time: GOV.UK's bank-holidays feed
//! (`parse_govuk_json`) and the plain list of `YYYY-MM-DD name` lines
//! (`parse_holiday_list`, which also reads tab-separated `date<TAB>title`).
//!
//! Every input goes to both parsers (the feed for each of the four regions).
//! Checked:
//!
//! - nothing panics, whatever the bytes; errors display;
//! - a list that loads builds a calendar or is refused as out of range, and in
//!   a calendar built with it every holiday in range on a weekday is not a
//!   working day, and counting from it works.

#![no_main]

use chrono::{Datelike, Weekday};
use escalation_ladder::calendar::{parse_govuk_json, parse_holiday_list, BankHoliday};
use escalation_ladder::WorkingCalendar;
use escalation_ladder_fuzz::{in_range, REGIONS};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let region = REGIONS[data.len() % REGIONS.len()];
    let mut loaded = Vec::new();
    for region in REGIONS {
        match parse_govuk_json(text, region, "bank-holidays.json") {
            Ok(holidays) => loaded.push(holidays),
            Err(err) => {
                let _ = err.to_string();
            }
        }
    }
    match parse_holiday_list(text, "holidays.txt") {
        Ok(holidays) => loaded.push(holidays),
        Err(err) => {
            let _ = err.to_string();
        }
    }
    // Building a calendar takes milliseconds: build one per list that loads,
    // and only the first two (the feed's regions give nearly the same lists).
    for holidays in loaded.into_iter().filter(|h| !h.is_empty()).take(2) {
        check_calendar(region, holidays);
    }
});

fn check_calendar(region: escalation_ladder::Region, holidays: Vec<BankHoliday>) {
    let all_in_range = holidays.iter().all(|h| in_range(h.date));
    let built = WorkingCalendar::builder(region)
        .bank_holidays(holidays.iter().cloned())
        .build();
    let calendar = match built {
        Ok(calendar) => {
            assert!(all_in_range, "a holiday out of range was accepted");
            calendar
        }
        Err(err) => {
            assert!(!all_in_range, "an in-range list was refused: {err}");
            return;
        }
    };
    for h in holidays.iter().take(8) {
        let weekend = matches!(h.date.weekday(), Weekday::Sat | Weekday::Sun);
        let working = calendar.is_working_day(h.date).expect("in range");
        assert!(weekend || !working, "holiday {h:?} is a working day");
        let _ = calendar.day_kind(h.date);
        if let Ok(next) = calendar.add_working_days(h.date, 1) {
            assert!(next > h.date);
            assert_eq!(calendar.count_working_days(h.date, next).ok(), Some(1));
        }
        let _ = calendar.explain_add_working_days(h.date, 3);
    }
}
