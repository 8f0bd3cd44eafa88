//! The calendar against published dates and a naive day-by-day reference.

use chrono::{Datelike, Days, NaiveDate, NaiveTime, TimeZone, Utc};
use escalation_ladder::calendar::{
    bank_holidays, Cutoff, DayEnd, DayKind, HolidayKind, FIRST_YEAR, LAST_YEAR,
};
use escalation_ladder::{Region, Roll, WorkingCalendar};

use crate::naive::Naive;

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn holiday_dates(region: Region, year: i32) -> Vec<(NaiveDate, String)> {
    bank_holidays(region, year)
        .unwrap()
        .into_iter()
        .map(|h| (h.date, h.name))
        .collect()
}

#[test]
fn tables_agree_with_the_naive_reference_over_the_whole_range() {
    let first = d(FIRST_YEAR, 1, 1);
    let last = d(LAST_YEAR, 12, 31);
    for region in Region::ALL {
        let calendar = WorkingCalendar::new(region);
        let naive = Naive::new(region);
        let mut date = first;
        while date <= last {
            assert_eq!(
                calendar.is_working_day(date).unwrap(),
                naive.is_working(date),
                "{region} {date}"
            );
            for n in [-7, -1, 0, 1, 5, 10, 20] {
                let near_start = date < d(FIRST_YEAR, 1, 20);
                let near_end = date > d(LAST_YEAR, 11, 1);
                if near_start || near_end {
                    continue;
                }
                assert_eq!(
                    calendar.add_working_days(date, n).unwrap(),
                    naive.add(date, n),
                    "{region} {date} {n}"
                );
            }
            if date > d(FIRST_YEAR, 1, 20) && date < d(LAST_YEAR, 11, 1) {
                assert_eq!(calendar.roll(date, Roll::Following), Ok(naive.add(date, 0)));
                assert_eq!(
                    calendar.roll(date, Roll::Preceding),
                    Ok(naive.preceding(date))
                );
                // "Within 2 weeks", and a calendar-day offset back, as ladders use them.
                assert_eq!(
                    calendar.add_weeks(date, 2, Roll::Preceding),
                    Ok(naive.preceding(date + Days::new(14))),
                    "{region} {date}"
                );
                assert_eq!(
                    calendar.add_calendar_days(date, -10, Roll::Following),
                    Ok(naive.add(date - Days::new(10), 0)),
                    "{region} {date}"
                );
            }
            if date.day() == 1 {
                let to = date + Days::new(45);
                if to <= last {
                    assert_eq!(
                        calendar.count_working_days(date, to).unwrap(),
                        naive.count(date, to),
                        "{region} {date}"
                    );
                }
            }
            date = date + Days::new(1);
        }
    }
}

#[test]
fn england_and_wales_published_special_cases() {
    let ew = |y| holiday_dates(Region::EnglandAndWales, y);
    // 1995: Early May bank holiday moved to 8 May for VE Day.
    assert!(ew(1995).contains(&(d(1995, 5, 8), "Early May bank holiday".into())));
    assert!(!ew(1995).iter().any(|(date, _)| *date == d(1995, 5, 1)));
    // 1981 royal wedding, 1999 millennium.
    assert!(ew(1981).iter().any(|(date, _)| *date == d(1981, 7, 29)));
    assert!(ew(1999).iter().any(|(date, _)| *date == d(1999, 12, 31)));
    // 2002: Spring moved to Tuesday 4 June, Golden Jubilee on Monday 3 June.
    let y2002: Vec<NaiveDate> = ew(2002).into_iter().map(|(d, _)| d).collect();
    assert!(y2002.contains(&d(2002, 6, 3)) && y2002.contains(&d(2002, 6, 4)));
    assert!(!y2002.contains(&d(2002, 5, 27)));
    // 2012: Spring moved to 4 June, Diamond Jubilee 5 June.
    let y2012: Vec<NaiveDate> = ew(2012).into_iter().map(|(d, _)| d).collect();
    assert!(y2012.contains(&d(2012, 6, 4)) && y2012.contains(&d(2012, 6, 5)));
    assert!(!y2012.contains(&d(2012, 5, 28)));
    // 2020: Early May moved to Friday 8 May.
    assert_eq!(
        ew(2020)[3],
        (d(2020, 5, 8), "Early May bank holiday (VE day)".into())
    );
    // 2020: Boxing Day on a Saturday, substitute Monday 28 December.
    assert_eq!(
        ew(2020).last().unwrap(),
        &(d(2020, 12, 28), "Boxing Day (substitute day)".into())
    );
    // 2027: Christmas on a Saturday: Monday 27 and Tuesday 28 December.
    let y2027 = ew(2027);
    assert_eq!(
        &y2027[y2027.len() - 2..],
        &[
            (d(2027, 12, 27), "Christmas Day (substitute day)".into()),
            (d(2027, 12, 28), "Boxing Day (substitute day)".into()),
        ]
    );
    // Every year has each of the eight regular days once, by name (itself, moved,
    // or as a substitute day): New Year's Day has been a bank holiday since 1974.
    let regular = [
        "New Year's Day",
        "Good Friday",
        "Easter Monday",
        "Early May bank holiday",
        "Spring bank holiday",
        "Summer bank holiday",
        "Christmas Day",
        "Boxing Day",
    ];
    for year in FIRST_YEAR..=LAST_YEAR {
        let days = ew(year);
        for name in regular {
            let found = days.iter().filter(|(_, n)| n.starts_with(name)).count();
            assert_eq!(found, 1, "{year} {name}: {days:?}");
        }
    }
}

#[test]
fn scotland_special_cases() {
    let sc = |y| holiday_dates(Region::Scotland, y);
    // No Easter Monday; summer holiday on the first Monday of August.
    assert!(!sc(2026).iter().any(|(_, n)| n == "Easter Monday"));
    assert!(sc(2026).contains(&(d(2026, 8, 3), "Summer bank holiday".into())));
    // New Year 2023: 1 January a Sunday, so 2 January keeps Monday and New Year's Day moves to Tuesday.
    assert_eq!(
        &sc(2023)[..2],
        &[
            (d(2023, 1, 2), "2nd January".into()),
            (d(2023, 1, 3), "New Year's Day (substitute day)".into()),
        ]
    );
    // 2021: 2 January a Saturday, substitute Monday 4 January.
    assert_eq!(
        sc(2021)[1],
        (d(2021, 1, 4), "2nd January (substitute day)".into())
    );
    // St Andrew's Day only from 2007; 30 November 2013 a Saturday.
    assert!(!sc(2006).iter().any(|(_, n)| n.starts_with("St Andrew")));
    assert!(sc(2007).contains(&(d(2007, 11, 30), "St Andrew's Day".into())));
    assert!(sc(2013).contains(&(d(2013, 12, 2), "St Andrew's Day (substitute day)".into())));
}

#[test]
fn northern_ireland_special_cases() {
    let ni = |y| holiday_dates(Region::NorthernIreland, y);
    assert!(ni(2026).contains(&(d(2026, 3, 17), "St Patrick's Day".into())));
    // 17 March 2024 a Sunday.
    assert!(ni(2024).contains(&(d(2024, 3, 18), "St Patrick's Day (substitute day)".into())));
    // 12 July 2020 a Sunday; 12 July 2025 a Saturday.
    assert!(ni(2020).contains(&(
        d(2020, 7, 13),
        "Battle of the Boyne (Orangemen's Day) (substitute day)".into()
    )));
    assert!(ni(2025).contains(&(
        d(2025, 7, 14),
        "Battle of the Boyne (Orangemen's Day) (substitute day)".into()
    )));
    assert!(ni(2026).contains(&(d(2026, 4, 6), "Easter Monday".into())));
}

#[test]
fn united_kingdom_is_the_union() {
    for year in [1981, 1999, 2022, 2023, 2026, 2027, 2100] {
        let mut union: Vec<NaiveDate> = [
            Region::EnglandAndWales,
            Region::Scotland,
            Region::NorthernIreland,
        ]
        .into_iter()
        .flat_map(|r| holiday_dates(r, year).into_iter().map(|(d, _)| d))
        .collect();
        union.sort();
        union.dedup();
        let uk: Vec<NaiveDate> = holiday_dates(Region::UnitedKingdom, year)
            .into_iter()
            .map(|(d, _)| d)
            .collect();
        assert_eq!(uk, union, "{year}");
    }
    let uk2026 = holiday_dates(Region::UnitedKingdom, 2026);
    assert!(uk2026.contains(&(d(2026, 3, 17), "St Patrick's Day [northern-ireland]".into())));
    assert!(uk2026.contains(&(d(2026, 12, 25), "Christmas Day".into())));
}

#[test]
fn kinds_are_recorded() {
    let y2022 = bank_holidays(Region::EnglandAndWales, 2022).unwrap();
    let kind = |date| y2022.iter().find(|h| h.date == date).unwrap().kind;
    assert_eq!(kind(d(2022, 6, 2)), HolidayKind::Moved);
    assert_eq!(kind(d(2022, 6, 3)), HolidayKind::Proclaimed);
    assert_eq!(kind(d(2022, 12, 27)), HolidayKind::Substitute);
    assert_eq!(kind(d(2022, 4, 15)), HolidayKind::Regular);
}

#[test]
fn out_of_range_is_an_error_never_a_wrong_answer() {
    let calendar = WorkingCalendar::new(Region::EnglandAndWales);
    insta::assert_snapshot!(bank_holidays(Region::Scotland, 1977).unwrap_err(), @"year 1977 is outside the supported range 1978..=2199");
    insta::assert_snapshot!(bank_holidays(Region::Scotland, 2200).unwrap_err(), @"year 2200 is outside the supported range 1978..=2199");
    insta::assert_snapshot!(calendar.add_working_days(d(2199, 12, 30), 5).unwrap_err(), @"5 working days from 2199-12-30 falls outside the supported range 1978-01-01..=2199-12-31");
    insta::assert_snapshot!(calendar.add_working_days(d(1978, 1, 3), -5).unwrap_err(), @"-5 working days from 1978-01-03 falls outside the supported range 1978-01-01..=2199-12-31");
    insta::assert_snapshot!(calendar.count_working_days(d(2026, 1, 1), d(2200, 1, 1)).unwrap_err(), @"date 2200-01-01 is outside the supported range 1978-01-01..=2199-12-31");
    insta::assert_snapshot!("unknown".parse::<Region>().unwrap_err(), @"unknown region 'unknown': expected one of england-and-wales, scotland, northern-ireland, united-kingdom");
    assert!(calendar.add_working_days(d(2026, 1, 1), i32::MAX).is_err());
    assert!(calendar.add_working_days(d(2026, 1, 1), i32::MIN).is_err());
    assert!(calendar
        .add_calendar_days(d(2199, 12, 1), i32::MAX, Roll::Following)
        .is_err());
    assert!(calendar
        .add_weeks(d(2026, 1, 1), i32::MAX, Roll::None)
        .is_err());
    // Calendar-day and week offsets name their unit and the caller's start, also
    // when it is the roll that leaves the range: a day before Monday 2 January
    // 1978 is Sunday 1 January, and the working day preceding it is before 1978.
    insta::assert_snapshot!(calendar.add_calendar_days(d(2199, 12, 1), 100, Roll::None).unwrap_err(), @"100 calendar days from 2199-12-01 falls outside the supported range 1978-01-01..=2199-12-31");
    insta::assert_snapshot!(calendar.add_weeks(d(2199, 12, 1), 5, Roll::Following).unwrap_err(), @"35 calendar days from 2199-12-01 falls outside the supported range 1978-01-01..=2199-12-31");
    insta::assert_snapshot!(calendar.add_calendar_days(d(1978, 1, 2), -1, Roll::Preceding).unwrap_err(), @"-1 calendar days from 1978-01-02 falls outside the supported range 1978-01-01..=2199-12-31");
    assert_eq!(
        calendar.add_working_days(d(2199, 12, 29), 2).unwrap(),
        d(2199, 12, 31)
    );
}

#[test]
fn counting_convention_examples() {
    let calendar = WorkingCalendar::new(Region::EnglandAndWales);
    // Received on Saturday 20 December 2025: Monday 22nd is day 1.
    assert_eq!(
        calendar.add_working_days(d(2025, 12, 20), 1).unwrap(),
        d(2025, 12, 22)
    );
    // N = 0 on a bank holiday gives the next working day.
    assert_eq!(
        calendar.add_working_days(d(2025, 12, 25), 0).unwrap(),
        d(2025, 12, 29)
    );
    // N = 0 on a working day gives the day itself.
    assert_eq!(
        calendar.add_working_days(d(2025, 12, 24), 0).unwrap(),
        d(2025, 12, 24)
    );
    // The IRO ceiling: 20 working days from Monday 1 December 2025.
    // 1 December 2025 + 20: three full weeks, 22-24 December, then 29-31 December.
    assert_eq!(
        calendar.add_working_days(d(2025, 12, 1), 20).unwrap(),
        d(2025, 12, 31)
    );
    // Count (FROM, TO]: from a Friday to the next Monday is 1.
    assert_eq!(
        calendar
            .count_working_days(d(2026, 11, 20), d(2026, 11, 23))
            .unwrap(),
        1
    );
    assert_eq!(
        calendar
            .count_working_days(d(2026, 11, 23), d(2026, 11, 23))
            .unwrap(),
        0
    );
}

#[test]
fn adjustments_closures_added_holidays_and_opened_days() {
    let calendar = WorkingCalendar::builder(Region::EnglandAndWales)
        .closure(d(2026, 12, 29), "council shutdown")
        .bank_holiday(d(2027, 6, 7), "A day proclaimed after this release")
        .open(d(2026, 12, 28), "the service works Boxing Day's substitute")
        .build()
        .unwrap();
    assert_eq!(
        calendar.day_kind(d(2026, 12, 29)).unwrap(),
        DayKind::Closure("council shutdown".into())
    );
    assert!(!calendar.is_working_day(d(2027, 6, 7)).unwrap());
    assert!(calendar.is_working_day(d(2026, 12, 28)).unwrap());
    // Friday 25 December 2026 is Christmas; Monday 28 is open; Tuesday 29 closed.
    assert_eq!(
        calendar.add_working_days(d(2026, 12, 24), 2).unwrap(),
        d(2026, 12, 30)
    );
    // Order of adjustments does not change the fingerprint; content does.
    let same = WorkingCalendar::builder(Region::EnglandAndWales)
        .open(d(2026, 12, 28), "x")
        .bank_holiday(d(2027, 6, 7), "y")
        .closure(d(2026, 12, 29), "z")
        .build()
        .unwrap();
    assert_eq!(calendar.fingerprint(), same.fingerprint());
    assert_ne!(
        calendar.fingerprint(),
        WorkingCalendar::new(Region::EnglandAndWales).fingerprint()
    );
    // A closure out of range is refused at build.
    let err = WorkingCalendar::builder(Region::Scotland)
        .closure(d(2200, 1, 3), "too late")
        .build()
        .unwrap_err();
    insta::assert_snapshot!(err, @"date 2200-01-03 is outside the supported range 1978-01-01..=2199-12-31");
}

/// Closing any one of the last working days of December changes the fingerprint,
/// in years whose empty 366th slot once made the hash skip them (1981, 2001,
/// 2025, 2029: common years three after a multiple of four from 1978) and in a
/// leap year. Closing 29-31 December 2025 moves a deadline from Monday 29
/// December to Friday 2 January 2026, so the two calendars must not share an id.
#[test]
fn closing_a_late_december_day_changes_the_fingerprint() {
    let plain = WorkingCalendar::new(Region::EnglandAndWales).fingerprint();
    for (year, days) in [
        (1981, [29, 30, 31]),
        (2001, [27, 28, 31]),
        (2025, [29, 30, 31]),
        (2028, [27, 28, 29]),
        (2029, [27, 28, 31]),
    ] {
        for day in days {
            let closed = WorkingCalendar::builder(Region::EnglandAndWales)
                .closure(d(year, 12, day), "office closed")
                .build()
                .unwrap();
            assert!(closed.is_working_day(d(year, 12, day)) == Ok(false));
            assert_ne!(closed.fingerprint(), plain, "closing {year}-12-{day}");
        }
    }
    let closed = WorkingCalendar::builder(Region::EnglandAndWales)
        .closure(d(2025, 12, 29), "x")
        .closure(d(2025, 12, 30), "x")
        .closure(d(2025, 12, 31), "x")
        .build()
        .unwrap();
    assert_eq!(
        closed.add_working_days(d(2025, 12, 24), 1),
        Ok(d(2026, 1, 2))
    );
    assert_ne!(closed.fingerprint(), plain);
}

#[test]
fn fingerprints_are_stable_across_releases() {
    // A change here means every stored deadline's calendar id changes: do it only
    // deliberately, with a CHANGELOG entry.
    let prints: Vec<String> = Region::ALL
        .into_iter()
        .map(|r| format!("{r} {}", WorkingCalendar::new(r).fingerprint()))
        .collect();
    insta::assert_snapshot!(prints.join("\n"));
}

#[test]
fn calendar_and_week_offsets_with_roll() {
    let calendar = WorkingCalendar::new(Region::EnglandAndWales);
    // A provider meeting "within 2 weeks" of Friday 11 December 2026 falls on
    // Christmas Day; Preceding keeps it within the two weeks.
    assert_eq!(
        calendar
            .add_weeks(d(2026, 12, 11), 2, Roll::Preceding)
            .unwrap(),
        d(2026, 12, 24)
    );
    assert_eq!(
        calendar
            .add_weeks(d(2026, 12, 11), 2, Roll::Following)
            .unwrap(),
        d(2026, 12, 29)
    );
    assert_eq!(
        calendar.add_weeks(d(2026, 12, 11), 2, Roll::None).unwrap(),
        d(2026, 12, 25)
    );
    assert_eq!(
        calendar
            .add_calendar_days(d(2026, 1, 1), -1, Roll::None)
            .unwrap(),
        d(2025, 12, 31)
    );
}

#[test]
fn instants_across_british_summer_time() {
    let calendar = WorkingCalendar::new(Region::EnglandAndWales);
    // Clocks went forward at 01:00 UTC on Sunday 29 March 2026.
    let before = Utc.with_ymd_and_hms(2026, 3, 28, 23, 30, 0).unwrap();
    assert_eq!(
        calendar.receipt_date(before, Cutoff::None).unwrap(),
        d(2026, 3, 28)
    );
    let after = Utc.with_ymd_and_hms(2026, 3, 29, 23, 30, 0).unwrap();
    assert_eq!(
        calendar.receipt_date(after, Cutoff::None).unwrap(),
        d(2026, 3, 30)
    );
    // A 17:00 cut-off in summer is 16:00 UTC.
    let five = Cutoff::At(NaiveTime::from_hms_opt(17, 0, 0).unwrap());
    let summer_1630 = Utc.with_ymd_and_hms(2026, 7, 1, 16, 30, 0).unwrap();
    assert_eq!(
        calendar.receipt_date(summer_1630, five).unwrap(),
        d(2026, 7, 2)
    );
    let winter_1630 = Utc.with_ymd_and_hms(2026, 12, 1, 16, 30, 0).unwrap();
    assert_eq!(
        calendar.receipt_date(winter_1630, five).unwrap(),
        d(2026, 12, 1)
    );
    // After the cut-off on Christmas Eve 2026 (a Thursday): next working day is Tuesday 29th.
    let eve = Utc.with_ymd_and_hms(2026, 12, 24, 17, 5, 0).unwrap();
    assert_eq!(calendar.receipt_date(eve, five).unwrap(), d(2026, 12, 29));
    // End of day: midnight on the last day of BST (Saturday 24 October 2026) is 23:00 UTC.
    assert_eq!(
        calendar
            .deadline_instant(d(2026, 10, 24), DayEnd::Midnight)
            .unwrap(),
        Utc.with_ymd_and_hms(2026, 10, 24, 23, 0, 0).unwrap()
    );
    // The day the clocks go back (25 October 2026) ends at midnight GMT.
    assert_eq!(
        calendar
            .deadline_instant(d(2026, 10, 25), DayEnd::Midnight)
            .unwrap(),
        Utc.with_ymd_and_hms(2026, 10, 26, 0, 0, 0).unwrap()
    );
    // 01:30 on 25 October 2026 happened twice: the later instant is taken.
    let twice = DayEnd::At(NaiveTime::from_hms_opt(1, 30, 0).unwrap());
    assert_eq!(
        calendar.deadline_instant(d(2026, 10, 25), twice).unwrap(),
        Utc.with_ymd_and_hms(2026, 10, 25, 1, 30, 0).unwrap()
    );
    // 01:30 on 29 March 2026 never happened.
    let err = calendar
        .deadline_instant(d(2026, 3, 29), twice)
        .unwrap_err();
    insta::assert_snapshot!(err, @"local time 01:30:00 does not exist on 2026-03-29 in Europe/London (clocks go forward)");
    // Instants outside the range are refused.
    let far = Utc.with_ymd_and_hms(2300, 1, 1, 0, 0, 0).unwrap();
    assert!(calendar.receipt_date(far, Cutoff::None).is_err());
}

#[test]
fn explanation_lists_each_skipped_day() {
    let calendar = WorkingCalendar::new(Region::EnglandAndWales);
    let explained = calendar
        .explain_add_working_days(d(2026, 12, 23), 3)
        .unwrap();
    insta::assert_snapshot!(explained.to_string());
    let closures = WorkingCalendar::builder(Region::Scotland)
        .closure(d(2027, 1, 5), "office move")
        .build()
        .unwrap();
    let back = closures
        .explain_add_working_days(d(2027, 1, 6), -2)
        .unwrap();
    insta::assert_snapshot!(back.to_string());
    let zero = calendar
        .explain_add_working_days(d(2026, 12, 26), 0)
        .unwrap();
    assert_eq!(zero.result, d(2026, 12, 29));
    assert_eq!(zero.skipped().count(), 3);
}

#[test]
fn holidays_of_telling_years() {
    for region in Region::ALL {
        for year in [1995, 2020, 2022, 2023, 2027] {
            let lines: Vec<String> = bank_holidays(region, year)
                .unwrap()
                .into_iter()
                .map(|h| format!("{}\t{}", h.date, h.name))
                .collect();
            insta::assert_snapshot!(format!("holidays_{region}_{year}"), lines.join("\n"));
        }
    }
}

/// README and the goal: the tables take about 300 KiB a division, well
/// under 1 MB.
#[test]
fn tables_take_about_300_kib_a_division() {
    for region in Region::ALL {
        let bytes = WorkingCalendar::new(region).table_bytes();
        assert!(
            (290 * 1024..310 * 1024).contains(&bytes),
            "{region}: {bytes}"
        );
    }
}
