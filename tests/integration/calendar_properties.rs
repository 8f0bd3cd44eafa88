//! The properties stated in the calendar's docs, checked with proptest.

use chrono::{Days, NaiveDate};
use escalation_ladder::{Region, Roll, WorkingCalendar};
use proptest::prelude::*;
use std::sync::OnceLock;

fn calendar(region: Region) -> &'static WorkingCalendar {
    static CALENDARS: OnceLock<Vec<WorkingCalendar>> = OnceLock::new();
    let all = CALENDARS.get_or_init(|| Region::ALL.into_iter().map(WorkingCalendar::new).collect());
    &all[Region::ALL.iter().position(|r| *r == region).unwrap()]
}

fn region() -> impl Strategy<Value = Region> {
    prop::sample::select(Region::ALL.to_vec())
}

/// Dates from 1980 to early 2196: at least two years clear of each end of the range
/// (1978-2199), so that 400 working days either way (about 19 months) stay inside.
fn date() -> impl Strategy<Value = NaiveDate> {
    let first = NaiveDate::from_ymd_opt(1980, 1, 1).unwrap();
    (0u64..79_000).prop_map(move |n| first + Days::new(n))
}

proptest! {
    #[test]
    fn add_then_count_is_the_identity(region in region(), start in date(), n in 1i32..400) {
        let cal = calendar(region);
        let end = cal.add_working_days(start, n).unwrap();
        prop_assert_eq!(cal.count_working_days(start, end).unwrap(), i64::from(n));
    }

    #[test]
    fn backward_add_then_count_from_a_working_day(region in region(), start in date(), n in -400i32..=-1) {
        let cal = calendar(region);
        let start = cal.roll(start, Roll::Following).unwrap();
        let end = cal.add_working_days(start, n).unwrap();
        prop_assert_eq!(cal.count_working_days(start, end).unwrap(), i64::from(n));
    }

    #[test]
    fn count_then_add_reaches_a_working_target(region in region(), start in date(), target in date()) {
        let cal = calendar(region);
        let target = cal.roll(target, Roll::Following).unwrap();
        let n = cal.count_working_days(start, target).unwrap();
        prop_assume!(n >= 1);
        prop_assert_eq!(cal.add_working_days(start, n as i32).unwrap(), target);
    }

    #[test]
    fn results_are_working_days(region in region(), start in date(), n in -400i32..400) {
        let cal = calendar(region);
        let end = cal.add_working_days(start, n).unwrap();
        prop_assert!(cal.is_working_day(end).unwrap());
        for roll in [Roll::Following, Roll::Preceding] {
            prop_assert!(cal.is_working_day(cal.roll(start, roll).unwrap()).unwrap());
        }
    }

    #[test]
    fn monotonic_in_n_and_in_the_date(region in region(), start in date(), n in -400i32..400, later in 0u64..40) {
        let cal = calendar(region);
        prop_assert!(cal.add_working_days(start, n).unwrap() <= cal.add_working_days(start, n + 1).unwrap());
        prop_assert!(cal.add_working_days(start, n).unwrap() <= cal.add_working_days(start + Days::new(later), n).unwrap());
        if n > 0 {
            prop_assert!(cal.add_working_days(start, n).unwrap() > start);
        }
        if n < 0 {
            prop_assert!(cal.add_working_days(start, n).unwrap() < start);
        }
    }

    #[test]
    fn counts_are_antisymmetric_and_additive(region in region(), a in date(), b in date(), c in date()) {
        let cal = calendar(region);
        let ab = cal.count_working_days(a, b).unwrap();
        prop_assert_eq!(ab, -cal.count_working_days(b, a).unwrap());
        prop_assert_eq!(ab + cal.count_working_days(b, c).unwrap(), cal.count_working_days(a, c).unwrap());
    }

    #[test]
    fn epoch_days_answer_as_their_dates(
        region in region(),
        // Every year of the tables and some either side, the ends included.
        day in (-3_100i64..84_500),
        to in (-3_100i64..84_500),
        n in prop_oneof![-400i32..400, any::<i32>()],
    ) {
        let cal = calendar(region);
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        let date = |day: i64| epoch + chrono::TimeDelta::days(day);
        let epoch_day = |d: NaiveDate| (d - epoch).num_days();
        prop_assert_eq!(
            cal.add_working_days_epoch_day(day, n),
            cal.add_working_days(date(day), n).map(epoch_day)
        );
        prop_assert_eq!(
            cal.count_working_days_epoch_days(day, to),
            cal.count_working_days(date(day), date(to))
        );
    }

    #[test]
    fn columns_answer_as_the_single_operations(
        region in region(),
        days in prop::collection::vec(-400i64..84_500, 1..6),
        n in prop::collection::vec(prop_oneof![-400i64..400, any::<i64>()], 1..6),
    ) {
        use escalation_ladder::ops::{self, AddRequest, CountRequest, Registry};
        static REGISTRY: OnceLock<Registry> = OnceLock::new();
        let registry = REGISTRY.get_or_init(|| Registry::builtin().unwrap());
        let region = Some(region.as_str());
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        let date = |day: i64| epoch + chrono::TimeDelta::days(day);
        let epoch_day = |d: NaiveDate| (d - epoch).num_days();
        // One column of one element pairs it with each of the other's.
        let n = if days.len() == n.len() || n.len() == 1 { n } else { n[..1].to_vec() };
        let pairs: Vec<(i64, i64)> = (0..days.len().max(n.len()))
            .map(|i| (days[i.min(days.len() - 1)], n[i.min(n.len() - 1)]))
            .collect();
        // The single operations, one pair at a time, up to the first refused.
        let single = |i: usize, answer: Result<i64, escalation_ladder::contract::ErrorDocument>| answer.map_err(|mut e| {
            e.message = format!("element {i}: {}", e.message);
            e.fields.insert("index".into(), i.into());
            e
        });
        let added: Result<Vec<i64>, _> = pairs.iter().enumerate().map(|(i, &(day, n))| {
            let request = i32::try_from(n)
                .map_err(|_| ops::parse_working_days("n", &n.to_string()).unwrap_err())
                .map(|n| AddRequest { from: date(day), working_days: n, region: region.map(str::to_string) });
            single(i, request.and_then(|r| ops::add_working_days(registry, &r)).map(|a| epoch_day(a.result)))
        }).collect();
        prop_assert_eq!(ops::add_working_days_columns(registry, region, &days, &n), added);
        let to: Vec<i64> = pairs.iter().map(|&(day, n)| day + n.rem_euclid(800) - 400).collect();
        let counted: Result<Vec<i64>, _> = pairs.iter().zip(&to).enumerate().map(|(i, (&(day, _), &to))| {
            let request = CountRequest { from: date(day), to: date(to), region: region.map(str::to_string) };
            single(i, ops::count_working_days(registry, &request).map(|c| c.working_days))
        }).collect();
        let from: Vec<i64> = pairs.iter().map(|&(day, _)| day).collect();
        prop_assert_eq!(ops::count_working_days_columns(registry, region, &from, &to), counted);
    }

    #[test]
    fn epoch_days_beyond_any_date_are_refused(day in any::<i64>(), n in any::<i32>()) {
        let cal = calendar(Region::EnglandAndWales);
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        let add = cal.add_working_days_epoch_day(day, n);
        match i32::try_from(day).ok().and_then(|d| epoch.checked_add_signed(chrono::TimeDelta::days(d.into()))) {
            Some(date) if (1978..=2199).contains(&chrono::Datelike::year(&date)) => {}
            Some(date) => prop_assert_eq!(add, Err(escalation_ladder::CalendarError::DateOutOfRange { date })),
            None => prop_assert_eq!(add, Err(escalation_ladder::CalendarError::EpochDayOutOfRange { day })),
        }
    }

    #[test]
    fn no_input_panics(region in region(), days in any::<i32>(), ordinal in any::<i32>(), weeks in any::<i32>()) {
        let cal = calendar(region);
        if let Some(date) = NaiveDate::from_num_days_from_ce_opt(ordinal) {
            let _ = cal.add_working_days(date, days);
            let _ = cal.count_working_days(date, date);
            let _ = cal.is_working_day(date);
            let _ = cal.day_kind(date);
            let _ = cal.add_calendar_days(date, days, Roll::Following);
            let _ = cal.add_weeks(date, weeks, Roll::Preceding);
            let _ = cal.roll(date, Roll::Preceding);
        }
    }
}
