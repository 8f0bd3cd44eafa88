//! The report's documented properties, over random cases on every built-in ladder.
//!
//! Scale the number of runs with `PROPTEST_CASES` (the default is proptest's 256;
//! CI uses 64).

use std::sync::OnceLock;

use chrono::{Datelike, Days, Months, NaiveDate};
use escalation_ladder::engine::{apply, AlertState, Event, EventKind, Phase};
use escalation_ladder::ladder::Ladder;
use escalation_ladder::report::{
    tracking_csv, Case, CaseReader, CaseRecord, Departure, Period, Procedures, Report,
    ReportOptions, TimelinessCounts,
};
use proptest::prelude::*;

use crate::engine_properties::{concrete, Pick};

pub(crate) fn procedures() -> &'static Procedures {
    static PROCEDURES: OnceLock<Procedures> = OnceLock::new();
    PROCEDURES.get_or_init(|| Procedures::builtin().expect("built-in ladders load"))
}

pub(crate) fn ladders() -> Vec<&'static Ladder> {
    procedures()
        .ids()
        .filter_map(|id| procedures().ladder(id))
        .collect()
}

const TEAMS: [Option<&str>; 4] = [
    Some("North Locality"),
    Some("Leaving Care, 16+"),
    Some("the \"Hub\""),
    None,
];
const WORKERS: [Option<&str>; 3] = [Some("j.smith"), Some("a.okafor"), None];

/// One random alert: a ladder, an entry stage, a raise date in 2025-2027 and a
/// list of (event choice, gap in days).
#[derive(Debug, Clone)]
struct Plan {
    ladder: usize,
    entry: usize,
    category: usize,
    raised: u64,
    team: usize,
    worker: usize,
    steps: Vec<(u8, usize, u64)>,
}

fn plan() -> impl Strategy<Value = Plan> {
    (
        0usize..16,
        0usize..8,
        0usize..10,
        0u64..1000,
        0usize..TEAMS.len(),
        0usize..WORKERS.len(),
        prop::collection::vec((0u8..8, 0usize..4, 0u64..9), 0..8),
    )
        .prop_map(
            |(ladder, entry, category, raised, team, worker, steps)| Plan {
                ladder,
                entry,
                category,
                raised,
                team,
                worker,
                steps,
            },
        )
}

/// The events a plan makes, keeping only those the engine accepts.
fn events(plan: &Plan) -> (&'static Ladder, Vec<Event>) {
    let ladders = ladders();
    let ladder = ladders[plan.ladder % ladders.len()];
    let calendar = procedures().get(&ladder.id).expect("built-in").1;
    let entries = ladder.entry_stages();
    let raised = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + Days::new(plan.raised);
    let raise = Event {
        on: raised,
        actor: "p".into(),
        id: None,
        meta: None,
        kind: EventKind::Raise {
            stage: Some(entries[plan.entry % entries.len()].id.to_string()),
            category: (plan.category < ladder.categories.len())
                .then(|| ladder.categories[plan.category].id.to_string()),
            reason: "property".into(),
        },
    };
    let mut state = apply(ladder, calendar, &AlertState::new(&ladder.id), &raise)
        .expect("a raise at an entry stage")
        .state;
    let mut accepted = vec![raise];
    let mut on = raised;
    for &(choice, index, gap) in &plan.steps {
        on = on + Days::new(gap);
        let event = match choice {
            // Agreed extra time, which the engine's own properties leave out.
            4 => Event {
                on,
                actor: "p".into(),
                id: None,
                meta: None,
                kind: EventKind::Extend {
                    until: state.respond_by.unwrap_or(on) + Days::new(index as u64 + 1),
                    reason: "agreed".into(),
                },
            },
            0 | 1 => concrete(ladder, &state, &Pick::Respond(index), on),
            2 | 3 => concrete(ladder, &state, &Pick::Escalate(index), on),
            5 => concrete(ladder, &state, &Pick::Resolve, on),
            6 => concrete(ladder, &state, &Pick::DeemAgreed, on),
            _ => concrete(ladder, &state, &Pick::Reopen, on),
        };
        if let Ok(t) = apply(ladder, calendar, &state, &event) {
            state = t.state;
            accepted.push(event);
        }
    }
    (ladder, accepted)
}

fn file(plans: &[Plan]) -> String {
    let mut text = String::new();
    for (i, plan) in plans.iter().enumerate() {
        let (ladder, events) = events(plan);
        let record = CaseRecord {
            schema_version: Default::default(),
            case: format!("P-{i}"),
            child: Some(format!("C-{}", i % 3)),
            team: TEAMS[plan.team].map(str::to_string),
            worker: WORKERS[plan.worker].map(str::to_string),
            ladder: ladder.id.to_string(),
            events,
            meta: None,
        };
        text.push_str(&serde_json::to_string(&record).unwrap());
        text.push('\n');
    }
    text
}

fn sum(counts: impl Iterator<Item = TimelinessCounts>) -> [u64; 8] {
    counts.fold([0; 8], |mut total, c| {
        for (t, v) in total.iter_mut().zip(fields(&c)) {
            *t += v;
        }
        total
    })
}

fn fields(c: &TimelinessCounts) -> [u64; 8] {
    [
        c.measured,
        c.on_time,
        c.late,
        c.missed,
        c.extended,
        c.on_time_by_extension,
        c.left_before_due,
        c.pending,
    ]
}

fn check_visits(case: &Case) -> Result<(), TestCaseError> {
    let visits = &case.visits;
    prop_assert_eq!(visits.is_empty(), case.state.phase == Phase::NotRaised);
    let Some(last) = visits.last() else {
        return Ok(());
    };
    prop_assert_eq!(Some(&last.stage), case.state.stage.as_ref());
    prop_assert_eq!(last.due_in_force, case.state.respond_by);
    prop_assert_eq!(last.departure == Departure::StillThere, case.is_open());
    prop_assert_eq!(case.closed().is_some(), !case.is_open());
    for (i, visit) in visits.iter().enumerate() {
        if let Some(left) = visit.left_on {
            prop_assert!(left >= visit.entered_on);
        }
        prop_assert_eq!(
            visit.left_on.is_none(),
            visit.departure == Departure::StillThere
        );
        if i + 1 < visits.len() {
            prop_assert!(visit.departure != Departure::StillThere);
            match visit.departure {
                // A move enters the next stage the same day.
                Departure::Moved(_) => {
                    prop_assert_eq!(visit.left_on, Some(visits[i + 1].entered_on))
                }
                // A reopening starts a new visit on the day it reopens.
                _ => prop_assert!(visit.left_on <= Some(visits[i + 1].entered_on)),
            }
        }
        if visit.extended_on.is_none() {
            prop_assert_eq!(visit.due_in_force, visit.due_as_set);
        }
    }
    Ok(())
}

proptest! {
    /// Cases read back from their records keep the visit invariants, and the
    /// report's figures add up: every open alert is counted once in each
    /// grouping, timeliness totals equal the sums of their rows, moves equal the
    /// sum of their routes, the tracking spreadsheet has one row per alert and
    /// per move.
    #[test]
    fn report_figures_add_up(
        plans in prop::collection::vec(plan(), 1..24),
        as_of_offset in 0u64..1100,
        period in 0usize..4,
    ) {
        let text = file(&plans);
        let as_of = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + Days::new(as_of_offset);
        let cases = CaseReader::new(text.as_bytes(), procedures())
            .events_until(as_of)
            .read_all()
            .unwrap();
        prop_assert_eq!(cases.len(), plans.len());
        for case in &cases {
            check_visits(case)?;
        }
        let period = match period {
            0 => Period::Month,
            1 => Period::Quarter,
            2 => Period::HalfYear,
            _ => Period::Range { from: as_of - Days::new(60), to: as_of },
        };
        let options = ReportOptions { period, ..ReportOptions::default() };
        let report = Report::build(procedures(), &cases, as_of, &options).unwrap();

        let c = report.cases;
        prop_assert_eq!(c.read, c.open + c.closed + c.not_raised);
        // Figures counted again straight from the cases, not from the report.
        let open = cases.iter().filter(|c| c.is_open()).count() as u64;
        prop_assert_eq!(report.open.total, open);
        prop_assert_eq!(c.open, open);
        let total = |counts: Vec<u64>| counts.into_iter().sum::<u64>();
        prop_assert_eq!(total(report.open.by_ladder.iter().map(|r| r.count).collect()), c.open);
        prop_assert_eq!(total(report.open.by_stage.iter().map(|r| r.count).collect()), c.open);
        prop_assert_eq!(total(report.open.by_category.iter().map(|r| r.count).collect()), c.open);
        prop_assert_eq!(total(report.open.by_team.iter().map(|r| r.count).collect()), c.open);
        prop_assert_eq!(total(report.open.by_worker.iter().map(|r| r.count).collect()), c.open);
        prop_assert!(report.overdue.count as u64 <= c.open);
        // 0 working days overdue is possible: an as-of date on a weekend or
        // bank holiday right after the due date.
        prop_assert!(report.overdue.alerts.iter().all(|o| o.working_days_overdue >= 0 && o.due < as_of));
        prop_assert!(report.due_soon.alerts.iter().all(|s| s.working_days_left >= 0 && s.due >= as_of));
        prop_assert!(report.due_soon.alerts.iter().all(|s| (0..=100).contains(&s.window_used_percent)));

        let overall = report.timeliness.overall;
        prop_assert_eq!(overall.measured, overall.on_time + overall.late + overall.missed);
        // Every visit whose response date in force falls in the period is counted
        // once, and on time when answered by then.
        let due_in_period: Vec<_> = cases
            .iter()
            .flat_map(|c| c.visits.iter())
            .filter_map(|v| v.due_in_force.filter(|d| report.period.contains(*d)).map(|d| (v, d)))
            .collect();
        prop_assert_eq!(
            overall.measured + overall.left_before_due + overall.pending,
            due_in_period.len() as u64
        );
        prop_assert_eq!(
            overall.on_time,
            due_in_period.iter().filter(|(v, d)| v.responded_on.is_some_and(|r| r <= *d)).count() as u64
        );
        prop_assert!(overall.on_time_by_extension <= overall.on_time);
        prop_assert!(overall.percent_on_time.map_or(true, |p| (0.0..=100.0).contains(&p)));
        prop_assert_eq!(sum(report.timeliness.by_stage.iter().map(|s| s.counts)), fields(&overall));
        prop_assert_eq!(sum(report.timeliness.by_team.iter().map(|s| s.counts)), fields(&overall));

        let e = &report.escalations;
        prop_assert_eq!(e.escalated + e.bypassed + e.routed, total(e.by_route.iter().map(|r| r.count).collect()));
        let moves_in_period = cases
            .iter()
            .flat_map(|c| c.moves())
            .filter(|m| report.period.contains(m.on))
            .count() as u64;
        prop_assert_eq!(e.escalated + e.bypassed + e.routed, moves_in_period);
        let closed = &report.closed;
        prop_assert_eq!(closed.summary.count as usize, closed.alerts.len());
        // Closures, counted from the visits: an alert resolved and reopened in the
        // period still closed once in it.
        let closed_in_period = cases
            .iter()
            .flat_map(|c| c.visits.iter())
            .filter(|v| matches!(v.departure, Departure::Closed(_)))
            .filter(|v| v.left_on.is_some_and(|on| report.period.contains(on)))
            .count();
        prop_assert_eq!(closed.alerts.len(), closed_in_period);
        prop_assert!(closed.summary.within_ceiling <= closed.summary.with_ceiling);
        prop_assert!(closed.alerts.iter().all(|a| a.working_days >= 0 && report.period.contains(a.closed_on)));
        if let (Some(median), Some(max)) = (closed.summary.median_working_days, closed.summary.max_working_days) {
            prop_assert!(median <= max as f64);
        }
        prop_assert_eq!(total(closed.by_ladder.iter().map(|l| l.summary.count).collect()), closed.summary.count);
        prop_assert_eq!(total(report.raised.by_category.iter().map(|r| r.count).collect()), report.raised.total);
        prop_assert_eq!(total(report.raised.by_team.iter().map(|r| r.count).collect()), report.raised.total);

        let raised = cases.iter().filter(|c| c.raised_on().is_some()).count();
        let moves: usize = cases.iter().map(|c| c.moves().count()).sum();
        let csv = tracking_csv(procedures(), &cases, as_of).unwrap();
        // Fields never hold a line break here, so rows are lines.
        prop_assert_eq!(csv.lines().count(), 1 + raised + moves);
        let json = serde_json::to_value(&report).unwrap();
        prop_assert_eq!(json["open"]["total"].as_u64(), Some(c.open));
        let text = report.to_text();
        let open_heading = format!("Open alerts: {}\n", c.open);
        prop_assert!(text.contains(&open_heading));
        prop_assert!(report.to_summary_csv().starts_with("section,ladder,group,measure,value\n"));
    }

    /// A record replayed alone gives the case the reader gives.
    #[test]
    fn from_record_agrees_with_the_reader(plan in plan()) {
        let text = file(std::slice::from_ref(&plan));
        let read = CaseReader::new(text.as_bytes(), procedures()).read_all().unwrap();
        let record: CaseRecord = serde_json::from_str(text.trim_end()).unwrap();
        let alone = Case::from_record(&record, procedures()).unwrap();
        prop_assert_eq!(&read[0], &alone);
    }

    /// A month, quarter or half-year is the most recent complete one: it ends on
    /// or before the as-of date, and the next one of its kind ends after it.
    #[test]
    fn periods_are_the_last_complete_ones(day in 0u64..80_000, kind in 0usize..3) {
        let as_of = NaiveDate::from_ymd_opt(1979, 1, 1).unwrap() + Days::new(day);
        let (period, months, starts) = match kind {
            0 => (Period::Month, 1, &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12][..]),
            1 => (Period::Quarter, 3, &[1, 4, 7, 10][..]),
            _ => (Period::HalfYear, 6, &[4, 10][..]),
        };
        let dates = period.dates(as_of).unwrap();
        prop_assert!(dates.from <= dates.to && dates.to <= as_of);
        prop_assert_eq!(dates.from.day(), 1);
        prop_assert!(starts.contains(&dates.from.month()));
        let next_from = dates.to + Days::new(1);
        prop_assert_eq!(dates.from + Months::new(months), next_from);
        let next_to = next_from + Months::new(months) - Days::new(1);
        prop_assert!(next_to > as_of);
    }
}
