//! Reports over hand-made cases, with every figure worked out by hand from the
//! real bank holidays: Christmas 2026 (Friday 25 December, and Monday 28th as
//! the Boxing Day substitute), New Year's Day 2027 (Friday), Easter 2027 (Good
//! Friday 26 March, Easter Monday 29 March).

use chrono::NaiveDate;
use escalation_ladder::engine::Phase;
use escalation_ladder::ladder::{builtin, ExpiryAction};
use escalation_ladder::report::{
    read_cases, tracking_csv, Case, CaseReader, Closure, MoveKind, Period, Procedures, Report,
    ReportError, ReportOptions, TRACKING_COLUMNS,
};
use escalation_ladder::Region;

use crate::calendar::d;

/// One cases-file line.
fn record(case: &str, team: Option<&str>, ladder: &str, events: &[String]) -> String {
    let team = team.map_or(String::new(), |t| format!(r#""team":"{t}","#));
    format!(
        r#"{{"case":"{case}",{team}"ladder":"{ladder}","events":[{}]}}"#,
        events.join(",")
    )
}

fn event(on: &str, kind: &str, fields: &str) -> String {
    let fields = if fields.is_empty() {
        String::new()
    } else {
        format!(",{fields}")
    };
    format!(r#"{{"on":"{on}","actor":"someone","type":"{kind}"{fields}}}"#)
}

fn raise(on: &str, fields: &str) -> String {
    let fields = if fields.is_empty() {
        r#""reason":"r""#.to_string()
    } else {
        format!(r#""reason":"r",{fields}"#)
    };
    event(on, "raise", &fields)
}

fn load(lines: &[String], as_of: NaiveDate) -> (Procedures, Vec<Case>) {
    let procedures = Procedures::builtin().unwrap();
    let text = lines.join("\n");
    let cases = CaseReader::new(text.as_bytes(), &procedures)
        .events_until(as_of)
        .read_all()
        .unwrap();
    (procedures, cases)
}

fn options(period: &str) -> ReportOptions {
    ReportOptions {
        period: period.parse().unwrap(),
        ..ReportOptions::default()
    }
}

/// IRO alert raised Friday 18 December 2026 at the team-manager stage: 5
/// working days are 21, 22, 23, 24 and 29 December (25th and 28th are bank
/// holidays): due Tuesday 29th. As at Monday 4 January 2027 it is 3 working
/// days overdue (30th, 31st, 4th: New Year's Day is skipped), open 8 working
/// days; its ceiling, 20 working days, is Wednesday 20 January 2027.
#[test]
fn overdue_across_christmas_and_new_year() {
    let as_of = d(2027, 1, 4);
    let (procedures, cases) = load(
        &[record(
            "IRO-1",
            Some("North"),
            "iro-dispute-resolution",
            &[raise("2026-12-18", r#""stage":"team-manager""#)],
        )],
        as_of,
    );
    let report = Report::build(&procedures, &cases, as_of, &options("month")).unwrap();
    assert_eq!(report.period.label, "December 2026");
    assert_eq!(report.overdue.count, 1);
    let overdue = &report.overdue.alerts[0];
    assert_eq!(overdue.due, d(2026, 12, 29));
    assert_eq!(overdue.working_days_overdue, 3);
    assert_eq!(overdue.on_expiry, Some(ExpiryAction::EscalationDue));
    assert_eq!(report.due_soon.count, 0);
    assert_eq!(report.open_longer.count, 0);
    assert!(report.ceiling_breaches.alerts.is_empty());
    // The response fell due in December and was missed.
    assert_eq!(report.timeliness.overall.missed, 1);
    assert_eq!(report.timeliness.overall.percent_on_time, Some(0.0));

    // As at Monday 25 January 2027 the ceiling (20 January) is passed by 3
    // working days: 21st, 22nd and 25th. Open 23 working days: 7 in December
    // after the 18th, then 4 to 8, 11 to 15, 18 to 22 and 25 January.
    let as_of = d(2027, 1, 25);
    let report = Report::build(&procedures, &cases, as_of, &options("month")).unwrap();
    let breach = &report.ceiling_breaches.alerts[0];
    assert_eq!(breach.ceiling, Some(d(2027, 1, 20)));
    assert!(breach.ceiling_breached);
    assert_eq!(breach.working_days_past_ceiling, Some(3));
    assert_eq!(report.open_longer.alerts[0].open_working_days, 23);
    assert_eq!(report.overdue.alerts[0].working_days_overdue, 18);
}

/// CP conference concern raised at level 3 on Monday 22 March 2027: 10 working
/// days are 23, 24, 25, 30, 31 March and 1, 2, 5, 6, 7 April (Good Friday and
/// Easter Monday skipped): due Wednesday 7 April. As at Friday 9 April, 2
/// working days overdue; as at Tuesday 6 April, due soon with 1 working day
/// left and 9 of 10 working days used (90%).
#[test]
fn overdue_and_due_soon_across_easter() {
    let lines = [record(
        "CP-1",
        Some("South"),
        "cp-conference-concerns",
        &[raise("2027-03-22", r#""stage":"level-3""#)],
    )];
    let (procedures, cases) = load(&lines, d(2027, 4, 9));
    let report = Report::build(&procedures, &cases, d(2027, 4, 9), &options("month")).unwrap();
    assert_eq!(report.overdue.alerts[0].due, d(2027, 4, 7));
    assert_eq!(report.overdue.alerts[0].working_days_overdue, 2);

    let report = Report::build(&procedures, &cases, d(2027, 4, 6), &options("month")).unwrap();
    assert_eq!(report.overdue.count, 0);
    let soon = &report.due_soon.alerts[0];
    assert_eq!(soon.working_days_left, 1);
    assert_eq!(soon.window_used_percent, 90);
    assert!(soon.within_due_days && soon.over_warning_percent);

    // On Wednesday 31 March, 5 of 10 days used and 5 left: not due soon.
    let report = Report::build(&procedures, &cases, d(2027, 3, 31), &options("month")).unwrap();
    assert_eq!(report.due_soon.count, 0);
}

/// An IRO alert raised on Wednesday 23 December 2026 at the team-manager stage
/// is due Monday 4 January 2027 (24, 29, 30, 31 December, 4 January). As at
/// Thursday 31 December it has 1 working day left and used 4 of 5 (80%):
/// listed for both reasons. With the tests turned off, it is not listed.
#[test]
fn due_soon_by_days_left_or_window_used() {
    let as_of = d(2026, 12, 31);
    let (procedures, cases) = load(
        &[record(
            "IRO-2",
            None,
            "iro-dispute-resolution",
            &[raise("2026-12-23", r#""stage":"team-manager""#)],
        )],
        as_of,
    );
    let report = Report::build(&procedures, &cases, as_of, &options("month")).unwrap();
    let soon = &report.due_soon.alerts[0];
    assert_eq!(soon.due, d(2027, 1, 4));
    assert_eq!((soon.working_days_left, soon.window_used_percent), (1, 80));
    let only_percent = ReportOptions {
        due_within_working_days: None,
        ..options("month")
    };
    let report = Report::build(&procedures, &cases, as_of, &only_percent).unwrap();
    assert!(!report.due_soon.alerts[0].within_due_days);
    assert!(report.due_soon.alerts[0].over_warning_percent);
    let stricter = ReportOptions {
        due_within_working_days: Some(0),
        warn_at_percent_used: Some(81),
        ..options("month")
    };
    let report = Report::build(&procedures, &cases, as_of, &stricter).unwrap();
    assert_eq!(report.due_soon.count, 0);
}

/// A Birmingham notification raised on Tuesday 1 December 2026 is open 21
/// working days as at Monday 4 January 2027 (17 in December to the 24th, then
/// 29, 30, 31 December and 4 January): over the report's 20 and the ladder's
/// own open threshold of 20.
#[test]
fn open_longer_than_twenty_working_days() {
    let as_of = d(2027, 1, 4);
    let (procedures, cases) = load(
        &[record(
            "BCT-1",
            Some("East"),
            "birmingham-cp-notification",
            &[raise("2026-12-01", r#""stage":"stage-1""#)],
        )],
        as_of,
    );
    let report = Report::build(&procedures, &cases, as_of, &options("month")).unwrap();
    let long = &report.open_longer.alerts[0];
    assert_eq!(long.open_working_days, 21);
    assert!(long.over_report_threshold);
    assert_eq!(long.ladder_threshold, Some(20));
    assert!(long.over_ladder_threshold);
    // A day earlier, Thursday 31 December: 20 working days, not over.
    let report = Report::build(&procedures, &cases, d(2026, 12, 31), &options("month")).unwrap();
    assert_eq!(report.open_longer.count, 0);
    // A report threshold of 10 lists it, though the ladder's 20 is not passed.
    let ten = ReportOptions {
        open_longer_than_working_days: 10,
        ..options("month")
    };
    let report = Report::build(&procedures, &cases, d(2026, 12, 31), &ten).unwrap();
    assert!(report.open_longer.alerts[0].over_report_threshold);
    assert!(!report.open_longer.alerts[0].over_ladder_threshold);
}

/// Every way a response can go, for responses due in March 2027.
#[test]
fn timeliness_counts_each_kind_of_response() {
    let tm = r#""stage":"team-manager""#;
    let lines = [
        // Raised Mon 1 March: due Mon 8 March. Responded on the 8th: on time.
        record(
            "ON-TIME",
            Some("A"),
            "iro-dispute-resolution",
            &[raise("2027-03-01", tm), event("2027-03-08", "respond", "")],
        ),
        // Responded on the 9th: late.
        record(
            "LATE",
            Some("A"),
            "iro-dispute-resolution",
            &[raise("2027-03-01", tm), event("2027-03-09", "respond", "")],
        ),
        // Escalated on the 9th without a response: missed.
        record(
            "MISSED",
            Some("B"),
            "iro-dispute-resolution",
            &[
                raise("2027-03-01", tm),
                event("2027-03-09", "escalate", r#""reason":"no response""#),
            ],
        ),
        // Escalated on the 3rd, before the date: left before due, not measured.
        record(
            "EARLY",
            Some("B"),
            "iro-dispute-resolution",
            &[
                raise("2027-03-01", tm),
                event("2027-03-03", "escalate", r#""reason":"urgent""#),
            ],
        ),
        // Extended on the 5th to the 10th; responded on the 10th: on time,
        // but only by the extension.
        record(
            "EXTENDED",
            None,
            "iro-dispute-resolution",
            &[
                raise("2027-03-01", tm),
                event(
                    "2027-03-05",
                    "extend",
                    r#""until":"2027-03-10","reason":"agreed""#,
                ),
                event("2027-03-10", "respond", ""),
            ],
        ),
        // Raised Thu 18 March: due Thu 25 March; no response as at Wed 31
        // March: missed (still waiting past the date).
        record(
            "WAITING",
            Some("B"),
            "iro-dispute-resolution",
            &[raise("2027-03-18", tm)],
        ),
        // Raised Mon 22 March: due Wed 31 March (23, 24, 25, 30, 31: Good
        // Friday and Easter Monday skipped), the as-of date: pending, not
        // measured.
        record(
            "PENDING",
            Some("A"),
            "iro-dispute-resolution",
            &[raise("2027-03-22", tm)],
        ),
    ];
    let as_of = d(2027, 3, 31);
    let (procedures, cases) = load(&lines, as_of);
    assert_eq!(cases[6].visits[0].due_in_force, Some(d(2027, 3, 31)));
    let report = Report::build(&procedures, &cases, as_of, &options("month")).unwrap();
    assert_eq!(report.period.label, "March 2027");
    let overall = report.timeliness.overall;
    // The head-of-service visits of MISSED (entered the 9th, due the 16th) and
    // EARLY (entered the 3rd, due the 10th) fall due in March too, with no
    // response: missed.
    assert_eq!(
        (
            overall.measured,
            overall.on_time,
            overall.late,
            overall.missed,
            overall.left_before_due,
            overall.pending,
            overall.extended,
            overall.on_time_by_extension
        ),
        (7, 2, 1, 4, 1, 1, 1, 1)
    );
    assert_eq!(overall.percent_on_time, Some(28.6));
    let teams: Vec<(Option<&str>, u64, u64, Option<f64>)> = report
        .timeliness
        .by_team
        .iter()
        .map(|t| {
            (
                t.team,
                t.counts.measured,
                t.counts.on_time,
                t.counts.percent_on_time,
            )
        })
        .collect();
    assert_eq!(
        teams,
        [
            (Some("A"), 2, 1, Some(50.0)),
            (Some("B"), 4, 0, Some(0.0)),
            (None, 1, 1, Some(100.0)),
        ]
    );
    let stages: Vec<(&str, u64, u64)> = report
        .timeliness
        .by_stage
        .iter()
        .map(|s| (s.stage, s.counts.measured, s.counts.missed))
        .collect();
    assert_eq!(stages, [("team-manager", 5, 2), ("head-of-service", 2, 2)]);
}

/// Closures and moves are counted in the period they happen in; time taken
/// is (raised, closed] in working days.
#[test]
fn closures_escalations_and_raised_by_period() {
    let lines = [
        // Raised Thu 25 March 2027, resolved Thu 1 April: 30, 31 March, 1 April
        // = 3 working days (Good Friday and Easter Monday skipped).
        record(
            "EASTER",
            Some("A"),
            "oxfordshire-resolution-escalation",
            &[
                raise("2027-03-25", r#""stage":"stage-2","category":"practice""#),
                event("2027-03-25", "refer", r#""referral":"cafcass""#),
                event("2027-04-01", "resolve", r#""outcome":"agreed""#),
            ],
        ),
        // Raised Mon 1 March, bypassed to stage 4 on the 2nd, escalated to
        // stage 5 on the 15th, resolved Fri 9 April: 27 working days, past the
        // ceiling (20 working days, Easter skipped: Wed 31 March).
        record(
            "LONG",
            Some("B"),
            "oxfordshire-resolution-escalation",
            &[
                raise("2027-03-01", r#""category":"strategic-issues""#),
                event(
                    "2027-03-02",
                    "escalate",
                    r#""to":"stage-4","reason":"serious""#,
                ),
                event("2027-03-15", "escalate", r#""reason":"no progress""#),
                event("2027-04-09", "resolve", r#""outcome":"settled""#),
            ],
        ),
        // Raised and withdrawn in April.
        record(
            "WITHDRAWN",
            None,
            "cp-conference-concerns",
            &[
                raise("2027-04-12", r#""category":"decision-making""#),
                event("2027-04-13", "withdraw", r#""reason":"duplicate""#),
            ],
        ),
        // LAC review decisions raised Thu 1 April and sent Thu 8 April (the
        // first stage's 5 working days: 2, 5, 6, 7, 8); the team manager's 5
        // run to Thu 15 April; deemed agreed Fri 16 April: 11 working days
        // after 1 April.
        record(
            "DEEMED",
            None,
            "lac-review-decisions",
            &[
                raise("2027-04-01", ""),
                event("2027-04-08", "escalate", r#""reason":"sent""#),
                event("2027-04-16", "deem-agreed", ""),
            ],
        ),
    ];
    let as_of = d(2027, 4, 30);
    let (procedures, cases) = load(&lines, as_of);
    // April 2027: the month ends on the as-of date.
    let report = Report::build(&procedures, &cases, as_of, &options("month")).unwrap();
    assert_eq!(report.period.label, "April 2027");
    let closed: Vec<(&str, Closure, i64, Option<bool>)> = report
        .closed
        .alerts
        .iter()
        .map(|c| {
            (
                &*c.alert.case().id,
                c.closure,
                c.working_days,
                c.within_ceiling,
            )
        })
        .collect();
    assert_eq!(
        closed,
        [
            ("EASTER", Closure::Resolved, 3, Some(true)),
            ("LONG", Closure::Resolved, 27, Some(false)),
            ("WITHDRAWN", Closure::Withdrawn, 1, None),
            ("DEEMED", Closure::DeemedAgreed, 11, None),
        ]
    );
    let summary = report.closed.summary;
    assert_eq!(
        (
            summary.count,
            summary.resolved,
            summary.deemed_agreed,
            summary.withdrawn
        ),
        (4, 2, 1, 1)
    );
    // 1, 3, 11, 27: the mean of the middle two.
    assert_eq!(summary.median_working_days, Some(7.0));
    assert_eq!(summary.max_working_days, Some(27));
    assert_eq!(cases[1].state.ceiling, Some(d(2027, 3, 31)));
    assert_eq!((summary.with_ceiling, summary.within_ceiling), (2, 1));
    // LONG closed after its ceiling: listed as a closed breach.
    assert_eq!(report.ceiling_breaches.count, 1);
    assert_eq!(
        report.ceiling_breaches.alerts[0].closed_on,
        Some(d(2027, 4, 9))
    );
    // Moves in April: the LAC decisions sent.
    assert_eq!(report.escalations.escalated, 1);
    assert_eq!(report.raised.total, 2);

    // The quarter January to March 2027: LONG's bypass and escalation, and the
    // raising of EASTER and LONG, by category.
    let quarter = Report::build(&procedures, &cases, as_of, &options("quarter")).unwrap();
    assert_eq!(quarter.period.label, "January to March 2027");
    let routes: Vec<(&str, &str, MoveKind, u64)> = quarter
        .escalations
        .by_route
        .iter()
        .map(|r| (r.from, r.to, r.kind, r.count))
        .collect();
    assert_eq!(
        routes,
        [
            ("stage-1", "stage-4", MoveKind::Bypassed, 1),
            ("stage-4", "stage-5", MoveKind::Escalated, 1)
        ]
    );
    assert_eq!(
        (quarter.escalations.escalated, quarter.escalations.bypassed),
        (1, 1)
    );
    assert_eq!(quarter.closed.summary.count, 0);
    let categories: Vec<(Option<&str>, u64)> = quarter
        .raised
        .by_category
        .iter()
        .map(|c| (c.category, c.count))
        .collect();
    // In the ladder's order of categories.
    assert_eq!(
        categories,
        [(Some("practice"), 1), (Some("strategic-issues"), 1)]
    );

    // An explicit range over Easter.
    let easter = Report::build(
        &procedures,
        &cases,
        as_of,
        &options("2027-03-26..2027-04-01"),
    )
    .unwrap();
    // EASTER closed on 1 April; DEEMED was raised that day.
    assert_eq!(easter.closed.summary.count, 1);
    assert_eq!(easter.raised.total, 1);
}

/// Counts by ladder, stage, category, team and worker, in a stable order.
#[test]
fn open_alerts_are_grouped_and_ordered() {
    let text = [
        r#"{"case":"A","team":"North","worker":"w.two","ladder":"birmingham-cp-notification","events":[{"on":"2026-11-02","actor":"c","type":"raise","stage":"stage-2","reason":"r"}]}"#,
        r#"{"case":"B","team":"South","worker":"w.one","ladder":"iro-dispute-resolution","events":[{"on":"2026-11-02","actor":"c","type":"raise","category":"failure-to-plan","reason":"r"}]}"#,
        r#"{"case":"C","worker":"w.one","ladder":"iro-dispute-resolution","events":[{"on":"2026-11-03","actor":"c","type":"raise","stage":"team-manager","category":"drift-in-permanence-planning","reason":"r"}]}"#,
        r#"{"case":"D","team":"North","ladder":"iro-dispute-resolution","events":[{"on":"2026-11-03","actor":"c","type":"raise","stage":"team-manager","reason":"r"}]}"#,
        r#"{"case":"E","team":"North","ladder":"iro-dispute-resolution","events":[{"on":"2026-11-03","actor":"c","type":"raise","reason":"r"},{"on":"2026-11-04","actor":"c","type":"resolve","outcome":"done"}]}"#,
    ]
    .join("\n");
    let procedures = Procedures::builtin().unwrap();
    let cases = read_cases(text.as_bytes(), &procedures).unwrap();
    let report = Report::build(&procedures, &cases, d(2026, 11, 23), &options("month")).unwrap();
    assert_eq!(
        (report.cases.read, report.cases.open, report.cases.closed),
        (5, 4, 1)
    );
    let ladders: Vec<(&str, u64)> = report
        .open
        .by_ladder
        .iter()
        .map(|l| (l.ladder, l.count))
        .collect();
    assert_eq!(
        ladders,
        [
            ("iro-dispute-resolution", 3),
            ("birmingham-cp-notification", 1)
        ]
    );
    let stages: Vec<(&str, u64)> = report
        .open
        .by_stage
        .iter()
        .map(|s| (s.stage, s.count))
        .collect();
    assert_eq!(
        stages,
        [("informal", 1), ("team-manager", 2), ("stage-2", 1)]
    );
    let categories: Vec<(Option<&str>, u64)> = report
        .open
        .by_category
        .iter()
        .map(|c| (c.category, c.count))
        .collect();
    assert_eq!(
        categories,
        [
            (Some("drift-in-permanence-planning"), 1),
            (Some("failure-to-plan"), 1),
            (None, 1),
            (None, 1)
        ]
    );
    let teams: Vec<(Option<&str>, u64)> = report
        .open
        .by_team
        .iter()
        .map(|t| (t.team, t.count))
        .collect();
    assert_eq!(teams, [(Some("North"), 2), (Some("South"), 1), (None, 1)]);
    let workers: Vec<(Option<&str>, u64)> = report
        .open
        .by_worker
        .iter()
        .map(|w| (w.worker, w.count))
        .collect();
    assert_eq!(workers, [(Some("w.one"), 2), (Some("w.two"), 1), (None, 1)]);
}

#[test]
fn a_report_refuses_cases_it_cannot_place() {
    let procedures = Procedures::builtin().unwrap();
    let line = record(
        "LATER",
        None,
        "iro-dispute-resolution",
        &[
            raise("2026-11-02", ""),
            event("2026-11-25", "withdraw", r#""reason":"r""#),
        ],
    );
    let cases = read_cases(line.as_bytes(), &procedures).unwrap();
    let mut messages = Vec::new();
    let as_of = d(2026, 11, 23);
    let err = Report::build(&procedures, &cases, as_of, &options("month")).unwrap_err();
    assert!(matches!(err, ReportError::EventsAfterAsOf { .. }));
    messages.push(err.to_string());
    messages.push(
        tracking_csv(&procedures, &cases, as_of)
            .unwrap_err()
            .to_string(),
    );
    let fewer = Procedures::new();
    let err = Report::build(&fewer, &cases, d(2026, 11, 30), &options("month")).unwrap_err();
    messages.push(err.to_string());
    let err = Report::build(
        &procedures,
        &cases,
        d(2026, 11, 30),
        &options("2026-11-01..2026-12-01"),
    )
    .unwrap_err();
    messages.push(err.to_string());
    let err = Report::build(&procedures, &cases, d(2200, 1, 1), &options("month")).unwrap_err();
    assert!(matches!(err, ReportError::Calendar(_)));
    messages.push(err.to_string());
    insta::assert_snapshot!(messages.join("\n"));
}

/// Read up to the as-of date, the same file gives the report as it stood then.
#[test]
fn cases_read_up_to_the_as_of_date() {
    let line = record(
        "LATER",
        None,
        "iro-dispute-resolution",
        &[
            raise("2026-11-02", ""),
            event("2026-11-25", "withdraw", r#""reason":"r""#),
        ],
    );
    let not_yet = line
        .replace("LATER", "LATER-2")
        .replace("2026-11-02", "2026-11-24");
    let (procedures, cases) = load(&[line, not_yet], d(2026, 11, 23));
    assert_eq!(cases[0].state.phase, Phase::AwaitingResponse);
    let report = Report::build(&procedures, &cases, d(2026, 11, 23), &options("month")).unwrap();
    assert_eq!(
        (
            report.cases.open,
            report.cases.closed,
            report.cases.not_raised
        ),
        (1, 0, 1)
    );
}

/// A council's own ladder in Scotland counts St Andrew's Day (Monday 30
/// November 2026) as a holiday: raised Monday 23 November at stage 2, 5
/// working days are 24, 25, 26, 27 November and 1 December.
#[test]
fn each_ladder_counts_on_its_own_division() {
    let mut procedures = Procedures::builtin().unwrap();
    let mut scottish = builtin::ladder("oxfordshire-resolution-escalation").unwrap();
    scottish.id = "highland-resolution".into();
    scottish.working_days.region = Region::Scotland;
    procedures.insert(scottish);
    let lines = [
        record(
            "SCOT",
            None,
            "highland-resolution",
            &[raise("2026-11-23", r#""stage":"stage-2""#)],
        ),
        record(
            "ENG",
            None,
            "oxfordshire-resolution-escalation",
            &[raise("2026-11-23", r#""stage":"stage-2""#)],
        ),
    ];
    let cases = read_cases(lines.join("\n").as_bytes(), &procedures).unwrap();
    assert_eq!(cases[0].visits[0].due_as_set, Some(d(2026, 12, 1)));
    assert_eq!(cases[1].visits[0].due_as_set, Some(d(2026, 11, 30)));
    let as_of = d(2026, 12, 2);
    let report = Report::build(&procedures, &cases, as_of, &options("month")).unwrap();
    let overdue: Vec<(&str, i64)> = report
        .overdue
        .alerts
        .iter()
        .map(|o| (&*o.alert.case().id, o.working_days_overdue))
        .collect();
    // ENG: 1 and 2 December; SCOT: 2 December.
    assert_eq!(overdue, [("ENG", 2), ("SCOT", 1)]);
}

/// The tracking spreadsheet: a header, then per case an alert row and one row
/// per move; quoting where a field needs it.
#[test]
fn tracking_spreadsheet_rows() {
    let lines = [
        r#"{"case":"IRO-9","child":"C-1","team":"Leaving Care, 16+","worker":"o'neil","ladder":"iro-dispute-resolution","events":[{"on":"2026-12-18","actor":"iro","type":"raise","stage":"team-manager","category":"failure-to-plan","reason":"r"},{"on":"2026-12-30","actor":"iro","type":"escalate","reason":"no response"},{"on":"2027-01-05","actor":"iro","type":"escalate","to":"deputy-chief-executive","reason":"urgent"},{"on":"2027-01-06","actor":"iro","type":"refer","referral":"cafcass"},{"on":"2027-01-08","actor":"dce","type":"resolve","outcome":"agreed, with \"conditions\""}]}"#.to_string(),
        record("NOT-YET", None, "iro-dispute-resolution", &[raise("2027-02-01", "")]),
    ];
    let (procedures, cases) = load(&lines, d(2027, 1, 11));
    let csv = tracking_csv(&procedures, &cases, d(2027, 1, 11)).unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows[0], TRACKING_COLUMNS.join(","));
    assert_eq!(
        &rows[1..],
        [
            // Open from 18 December to 8 January: 21, 22, 23, 24, 29, 30, 31
            // December, 4, 5, 6, 7, 8 January = 12 working days.
            r#"alert,IRO-9,C-1,"Leaving Care, 16+",o'neil,iro-dispute-resolution,failure-to-plan,2026-12-18,deputy-chief-executive,,,2027-01-05,,,,2027-01-08,resolved,"agreed, with ""conditions""",,12,cafcass"#,
            "escalation,IRO-9,C-1,\"Leaving Care, 16+\",o'neil,iro-dispute-resolution,failure-to-plan,2026-12-18,,team-manager,head-of-service,2026-12-18,2026-12-29,,2026-12-30,,escalated,,,6,",
            // Head of service from 30 December, due 7 January, bypassed on the
            // 5th: 31 December, 4 and 5 January = 3 working days.
            "escalation,IRO-9,C-1,\"Leaving Care, 16+\",o'neil,iro-dispute-resolution,failure-to-plan,2026-12-18,,head-of-service,deputy-chief-executive,2026-12-30,2027-01-07,,2027-01-05,,bypassed,,,3,",
        ]
    );
}

/// The shipped sample: every record loads, over every built-in ladder.
#[test]
fn the_sample_cases_file_loads() {
    let procedures = Procedures::builtin().unwrap();
    let file = std::fs::File::open("examples/data/cases.jsonl").unwrap();
    let cases = read_cases(std::io::BufReader::new(file), &procedures).unwrap();
    assert_eq!(cases.len(), 41);
    let mut ladders: Vec<&str> = cases.iter().map(|c| &**c.ladder()).collect();
    ladders.sort_unstable();
    ladders.dedup();
    assert_eq!(ladders.len(), procedures.len());
    assert!(cases
        .iter()
        .all(|c| c.state.last_event_on <= Some(d(2026, 11, 23))));
    assert!(cases
        .iter()
        .any(|c| c.state.breaches.extended_beyond_ceiling));
    assert!(cases.iter().any(|c| !c.state.referrals.is_empty()));
    assert!(cases
        .iter()
        .any(|c| c.moves().any(|m| m.kind == MoveKind::Bypassed)));
    let period = Period::Month.dates(d(2026, 11, 23)).unwrap();
    assert_eq!(period.label, "October 2026");
}

/// Cases built one by one hold their own copies of team, ladder and stage
/// names; the report still groups them by text.
#[test]
fn cases_built_separately_group_by_text() {
    let procedures = Procedures::builtin().unwrap();
    let cases: Vec<Case> = ["A", "B", "C"]
        .iter()
        .map(|id| {
            let line = record(
                id,
                Some("North"),
                "iro-dispute-resolution",
                &[raise("2026-11-02", r#""stage":"team-manager""#)],
            );
            let record = serde_json::from_str(&line).unwrap();
            let mut case = Case::from_record(&record, &procedures).unwrap();
            // Unshare the ladder and stage ids too.
            case.state.ladder = std::sync::Arc::from(&*case.state.ladder);
            case.state.stage = case.state.stage.as_deref().map(std::sync::Arc::from);
            case
        })
        .collect();
    assert!(!std::sync::Arc::ptr_eq(
        cases[0].team.as_ref().unwrap(),
        cases[1].team.as_ref().unwrap()
    ));
    let november = options("2026-11-01..2026-11-23");
    let report = Report::build(&procedures, &cases, d(2026, 11, 23), &november).unwrap();
    assert_eq!(report.open.by_team.len(), 1);
    assert_eq!(report.open.by_team[0].count, 3);
    assert_eq!(report.open.by_ladder.len(), 1);
    assert_eq!(report.open.by_stage.len(), 1);
    assert_eq!(report.open.by_stage[0].count, 3);
    // Due Monday 9 November, no response: missed, in one team row.
    assert_eq!(report.timeliness.by_team.len(), 1);
    assert_eq!(report.timeliness.by_team[0].counts.missed, 3);
}

/// Nottingham: a concern logged on Friday 25 December 2026 (Christmas Day) with
/// emergency removal of the children started the same day: an immediate duty,
/// due on Christmas Day itself. As at Tuesday 29 December it is 4 calendar days
/// overdue and 1 working day (Tuesday 29th; the 26th to 28th are a weekend and
/// the Boxing Day substitute). A second alert whose removal was done that day
/// owes nothing.
#[test]
fn overdue_duties_are_listed_in_calendar_and_working_days() {
    let as_of = d(2026, 12, 29);
    let (procedures, cases) = load(
        &[
            record(
                "NPC-1",
                Some("Placements"),
                "nottingham-provider-concerns",
                &[
                    raise("2026-12-25", ""),
                    event("2026-12-25", "start-duty", r#""duty":"emergency-removal""#),
                ],
            ),
            record(
                "NPC-2",
                Some("Placements"),
                "nottingham-provider-concerns",
                &[
                    raise("2026-12-25", ""),
                    event("2026-12-25", "start-duty", r#""duty":"emergency-removal""#),
                    event(
                        "2026-12-25",
                        "complete-duty",
                        r#""duty":"emergency-removal""#,
                    ),
                ],
            ),
        ],
        as_of,
    );
    let report = Report::build(&procedures, &cases, as_of, &options("month")).unwrap();
    assert_eq!(report.overdue_duties.count, 1);
    let overdue = &report.overdue_duties.alerts[0];
    assert_eq!(&*overdue.alert.case().id, "NPC-1");
    assert_eq!(overdue.duty, "emergency-removal");
    assert_eq!(overdue.due, d(2026, 12, 25));
    assert_eq!(overdue.calendar_days_overdue, 4);
    assert_eq!(overdue.working_days_overdue, 1);
    let text = report.to_text();
    assert!(text.contains("Duties overdue: 1\n"), "{text}");
    // On the day itself it is due, not overdue.
    let on_the_day = d(2026, 12, 25);
    let (procedures, cases) = load(
        &[record(
            "NPC-1",
            None,
            "nottingham-provider-concerns",
            &[
                raise("2026-12-25", ""),
                event("2026-12-25", "start-duty", r#""duty":"emergency-removal""#),
            ],
        )],
        on_the_day,
    );
    let report = Report::build(&procedures, &cases, on_the_day, &options("month")).unwrap();
    assert_eq!(report.overdue_duties.count, 0);
}

/// Review decisions handed over on Friday 18 December 2026 are due Tuesday
/// 29th (21, 22, 23, 24, 29) and deemed agreed on Wednesday 30th. In December's
/// timeliness, the silent team manager counts as missed; one who answers on
/// Monday 4 January 2027, after the deemed agreement, counts as late (the
/// report is as at 11 January, the period December 2026). Both alerts stay
/// closed as deemed agreed.
#[test]
fn deemed_agreement_counts_as_missed_and_a_later_answer_as_late() {
    let as_of = d(2027, 1, 11);
    let handed = [
        raise("2026-12-14", ""),
        event("2026-12-18", "escalate", r#""reason":"decisions sent""#),
    ];
    let mut answered = handed.to_vec();
    answered.push(event(
        "2027-01-04",
        "respond",
        r#""outcome":"unable-to-agree""#,
    ));
    let (procedures, cases) = load(
        &[
            record("LAC-1", None, "lac-review-decisions", &handed),
            record("LAC-2", None, "lac-review-decisions", &answered),
        ],
        as_of,
    );
    for case in &cases {
        assert_eq!(case.state.phase, Phase::DeemedAgreed, "{}", case.id);
    }
    let range = ReportOptions {
        period: "2026-12-01..2026-12-31".parse().unwrap(),
        ..ReportOptions::default()
    };
    let report = Report::build(&procedures, &cases, as_of, &range).unwrap();
    let stage = report
        .timeliness
        .by_stage
        .iter()
        .find(|s| s.stage == "team-manager-response")
        .unwrap();
    assert_eq!((stage.counts.missed, stage.counts.late), (1, 1));
}
