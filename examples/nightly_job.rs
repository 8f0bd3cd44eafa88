//! A case system's nightly job: read the night's export of escalation alerts,
//! replay each on its ladder, and print what is due and overdue, per team and
//! worker.
//!
//! ```text
//! cargo run --example nightly_job
//! cargo run --example nightly_job -- --as-of 2026-12-29
//! cargo run --example nightly_job -- --export FILE --ics target/deadlines.ics
//! cargo run --example nightly_job -- --nights 30
//! ```
//!
//! The export (`examples/data/liquidlogic-export.json`) is ILLUSTRATIVE: a shape
//! a children's case system such as Liquid Logic LCS or System C Eclipse might
//! plausibly produce, with its own field names, codes and `dd/mm/yyyy` dates. It
//! is not either vendor's real schema. The job maps it onto the crate's
//! [`CaseRecord`]s (one table per code list: procedures, stages, categories,
//! actions), so the same job works for a real export by changing the tables.
//!
//! The core reads no clock: the date the job works "as at" is the UK date of the
//! export's `generatedAt` (2026-12-22, the Tuesday before Christmas), or
//! `--as-of`. It also checks the export against the replay: the stage it says
//! the alert is at, and the response date it computed (case systems that count
//! Christmas Day as a working day get these wrong).
//!
//! Then it runs the documented recipe for the nights that follow
//! (`--nights N`, 10 by default; docs/scheduling.md): the alerts are kept as
//! a case system's table keeps them ([`Row`]: the state, its version and its
//! indexed `wakes_on`), and each night ([`night`]) selects the rows with
//! `wakes_on <= today`, advances them together (`ops::advance_alerts`) and
//! stores each new state only where the row is still at the version read.

use std::collections::BTreeMap;
use std::error::Error;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate};
use escalation_ladder::calendar::uk_local;
use escalation_ladder::engine::{status, AlertState, Event, EventKind, Phase};
use escalation_ladder::ics::{deadlines_calendar, IcsOptions};
use escalation_ladder::ops::{self, AdvanceAlertsRequest, Registry};
use escalation_ladder::report::{Case, CaseRecord, Procedures};
use serde::Deserialize;

/// The export as the case system writes it (illustrative field names).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Export {
    /// The export run's id.
    pub export_id: String,
    /// When the export ran, in UTC (RFC 3339).
    pub generated_at: String,
    /// The alerts, open and recently closed.
    pub alerts: Vec<Alert>,
}

/// One alert of the export.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Alert {
    pub alert_id: String,
    pub child_id: Option<String>,
    pub allocated_worker: Option<Worker>,
    pub team: Option<Team>,
    /// The procedure's code in the case system (`IRO_ALERT`).
    pub procedure: String,
    /// The category's code, if the procedure has categories.
    pub category: Option<String>,
    /// `OPEN` or `CLOSED`.
    pub status: String,
    pub raised_by: String,
    pub reason: String,
    /// The stage the case system says the alert is at.
    pub current_stage: String,
    /// The response date the case system computed for the current stage.
    pub response_due_date: Option<String>,
    /// What happened, in order.
    pub history: Vec<HistoryEntry>,
}

/// The worker the child's case is allocated to.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Worker {
    pub user_id: String,
    pub display_name: String,
}

/// The team holding the child's case.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Team {
    pub team_code: String,
    pub team_name: String,
}

/// One step of an alert's history.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEntry {
    /// `dd/mm/yyyy`.
    pub date: String,
    /// `RAISED`, `ESCALATED`, `DECISIONS_SENT`, `RESPONSE_RECEIVED`,
    /// `EXTENSION_AGREED`, `REFERRED`, `DEEMED_AGREED`, `CLOSED`, `WITHDRAWN`.
    pub action: String,
    pub by: String,
    /// The stage entered (`RAISED`, `ESCALATED`, `DECISIONS_SENT`).
    pub stage: Option<String>,
    pub note: Option<String>,
    /// `EXTENSION_AGREED`: the new response date.
    pub new_due_date: Option<String>,
    /// `CLOSED`: how it was resolved.
    pub outcome: Option<String>,
    /// `REFERRED`: to whom (`CAFCASS`).
    pub referral: Option<String>,
}

/// The case system's procedure codes and the crate's ladders.
const PROCEDURES: &[(&str, &str)] = &[
    ("IRO_ALERT", "iro-dispute-resolution"),
    ("CP_CONCERN", "cp-conference-concerns"),
    ("REVIEW_DECISIONS", "lac-review-decisions"),
];

/// The case system's stage codes and the ladders' stages.
const STAGES: &[(&str, &str)] = &[
    ("STAGE_1_INFORMAL", "informal"),
    ("STAGE_2_TM", "team-manager"),
    ("STAGE_3_HOS", "head-of-service"),
    ("STAGE_4_DD", "divisional-director"),
    ("STAGE_5_DCE", "deputy-chief-executive"),
    ("LEVEL_1", "level-1"),
    ("LEVEL_2", "level-2"),
    ("LEVEL_3", "level-3"),
    ("LEVEL_4", "level-4"),
    ("LEVEL_5", "level-5"),
    ("LEVEL_6", "level-6"),
    ("DECISIONS_SENT", "decisions-sent"),
    ("TM_RESPONSE", "team-manager-response"),
];

/// The case system's category codes and the ladders' categories.
const CATEGORIES: &[(&str, &str)] = &[
    ("DRIFT_PERMANENCE", "drift-in-permanence-planning"),
    ("FAILURE_TO_VISIT", "failure-to-visit"),
    ("FAILURE_TO_PLAN", "failure-to-plan"),
    ("MISSING_DOCUMENTS", "key-documentation-missing"),
    ("REVIEW_DECISIONS", "review-decisions-not-implemented"),
    (
        "CARE_PLAN_CHANGED_NO_YP",
        "care-plan-changed-without-young-person",
    ),
    ("CARE_PLAN_CHANGED_NO_IRO", "care-plan-changed-without-iro"),
    ("NOT_INFORMED", "iro-not-informed-of-significant-event"),
    ("INADEQUATE_PRACTICE", "inadequate-practice"),
    ("SIGNIFICANT_DRIFT", "significant-drift"),
    ("CP_PLAN_NOT_IMPLEMENTED", "cp-plan-not-implemented"),
    ("DECISION_MAKING", "decision-making"),
    ("SAFEGUARDING_NOT_ADDRESSED", "safeguarding-not-addressed"),
];

/// The case system's referral codes and the ladders' referrals.
const REFERRALS: &[(&str, &str)] = &[("CAFCASS", "cafcass")];

/// Looks a code up in a table, naming the alert, the list and the codes known.
fn lookup(table: &[(&str, &'static str)], list: &str, code: &str) -> Result<&'static str, String> {
    table
        .iter()
        .find(|(from, _)| *from == code)
        .map(|(_, to)| *to)
        .ok_or_else(|| {
            let known: Vec<&str> = table.iter().map(|(from, _)| *from).collect();
            format!(
                "expected a {list} code ({}), found '{code}'",
                known.join(", ")
            )
        })
}

/// Reads a `dd/mm/yyyy` date.
pub fn uk_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%d/%m/%Y")
        .map_err(|_| format!("expected a date dd/mm/yyyy, found '{text}'"))
}

/// Maps one alert onto the crate's record: ids, the ladder, and one event per
/// history entry dated on or before `as_of` (later ones have not happened yet
/// as at that date).
///
/// # Errors
///
/// A message naming the alert and the code or date that could not be mapped.
pub fn to_record(alert: &Alert, as_of: NaiveDate) -> Result<CaseRecord, String> {
    let at = |message: String| format!("alert {}: {message}", alert.alert_id);
    let ladder = lookup(PROCEDURES, "procedure", &alert.procedure).map_err(at)?;
    let category = match &alert.category {
        Some(code) => Some(
            lookup(CATEGORIES, "category", code)
                .map_err(at)?
                .to_string(),
        ),
        None => None,
    };
    let mut events = Vec::with_capacity(alert.history.len());
    for (index, entry) in alert.history.iter().enumerate() {
        let at = |message: String| at(format!("history entry {}: {message}", index + 1));
        let on = uk_date(&entry.date).map_err(at)?;
        if on > as_of {
            break;
        }
        let stage = || -> Result<Option<String>, String> {
            entry
                .stage
                .as_deref()
                .map(|code| lookup(STAGES, "stage", code).map(str::to_string))
                .transpose()
        };
        let note = || entry.note.clone().unwrap_or_default();
        let kind = match entry.action.as_str() {
            "RAISED" => EventKind::Raise {
                stage: stage().map_err(at)?,
                category: category.clone(),
                reason: alert.reason.clone(),
            },
            "ESCALATED" | "DECISIONS_SENT" => EventKind::Escalate {
                to: stage().map_err(at)?,
                reason: match entry.action.as_str() {
                    "DECISIONS_SENT" => "review decisions sent to the team manager".to_string(),
                    _ => note(),
                },
            },
            "RESPONSE_RECEIVED" => EventKind::Respond { outcome: None },
            "EXTENSION_AGREED" => EventKind::Extend {
                until: uk_date(entry.new_due_date.as_deref().unwrap_or_default()).map_err(at)?,
                reason: note(),
            },
            "REFERRED" => EventKind::Refer {
                referral: lookup(REFERRALS, "referral", entry.referral.as_deref().unwrap_or_default())
                    .map_err(at)?
                    .to_string(),
            },
            "DEEMED_AGREED" => EventKind::DeemAgreed,
            "CLOSED" => EventKind::Resolve {
                outcome: entry.outcome.clone().unwrap_or_default(),
            },
            "WITHDRAWN" => EventKind::Withdraw { reason: note() },
            other => {
                return Err(at(format!(
                    "expected an action (RAISED, ESCALATED, DECISIONS_SENT, RESPONSE_RECEIVED, EXTENSION_AGREED, REFERRED, DEEMED_AGREED, CLOSED, WITHDRAWN), found '{other}'"
                )))
            }
        };
        events.push(Event {
            on,
            actor: entry.by.clone(),
            id: None,
            meta: None,
            kind,
        });
    }
    Ok(CaseRecord {
        schema_version: Default::default(),
        case: alert.alert_id.clone(),
        child: alert.child_id.clone(),
        team: alert.team.as_ref().map(|t| t.team_name.clone()),
        worker: alert
            .allocated_worker
            .as_ref()
            .map(|w| format!("{} ({})", w.display_name, w.user_id)),
        ladder: ladder.to_string(),
        events,
        meta: None,
    })
}

/// The date the job works as at: the UK date of the export's `generatedAt`.
///
/// # Errors
///
/// A message when `generatedAt` is not an RFC 3339 instant.
pub fn export_date(export: &Export) -> Result<NaiveDate, Box<dyn Error>> {
    let instant = DateTime::parse_from_rfc3339(&export.generated_at).map_err(|e| {
        format!(
            "generatedAt: expected an RFC 3339 instant, found '{}': {e}",
            export.generated_at
        )
    })?;
    Ok(uk_local(instant.to_utc())?.date())
}

/// Every alert of the export replayed, as at `as_of`.
///
/// # Errors
///
/// The first alert that cannot be mapped or that the engine refuses, named.
pub fn replay(
    export: &Export,
    procedures: &Procedures,
    as_of: NaiveDate,
) -> Result<Vec<Case>, Box<dyn Error>> {
    let mut cases = Vec::with_capacity(export.alerts.len());
    for alert in &export.alerts {
        let record = to_record(alert, as_of)?;
        let case = Case::from_record_as_of(&record, procedures, as_of)
            .map_err(|e| format!("alert {}: {e}", alert.alert_id))?;
        cases.push(case);
    }
    Ok(cases)
}

/// What one open alert needs, as at the date: one line of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// How urgent: overdue first (most overdue first), then by working days left.
    pub urgency: i64,
    pub text: String,
}

/// "1 working day" or "N working days".
fn days(count: i64) -> String {
    match count.unsigned_abs() {
        1 => "1 working day".to_string(),
        n => format!("{n} working days"),
    }
}

/// The report: per team and worker, each open alert with what is due, by whom
/// and when; then the checks against the export.
///
/// # Errors
///
/// The engine's error for an alert it cannot place on its calendar.
pub fn report(
    export: &Export,
    cases: &[Case],
    procedures: &Procedures,
    as_of: NaiveDate,
) -> Result<String, Box<dyn Error>> {
    let long = |date: NaiveDate| date.format("%a %-d %b %Y").to_string();
    let mut by_team: BTreeMap<&str, BTreeMap<&str, Vec<Line>>> = BTreeMap::new();
    let mut checks = Vec::new();
    let mut open = 0;
    let mut overdue = 0;
    for (alert, case) in export.alerts.iter().zip(cases) {
        let Some((ladder, calendar)) = procedures.get(case.ladder()) else {
            return Err(format!("alert {}: no ladder '{}'", alert.alert_id, case.ladder()).into());
        };
        let replayed_stage = case.state.stage.as_deref().unwrap_or("-");
        let exported_stage = lookup(STAGES, "stage", &alert.current_stage).unwrap_or("?");
        if case.is_open() && replayed_stage != exported_stage {
            checks.push(format!(
                "{}: the export says stage {}, the history replays to {replayed_stage}",
                alert.alert_id, alert.current_stage
            ));
        }
        if let (Some(exported), Some(computed)) = (&alert.response_due_date, case.state.respond_by)
        {
            let exported = uk_date(exported)?;
            if case.is_open() && exported != computed {
                checks.push(format!(
                    "{}: the export's response date {} is not the calendar's {} ({} working days from {})",
                    alert.alert_id,
                    long(exported),
                    long(computed),
                    calendar.count_working_days(case.state.stage_entered_on.unwrap_or(computed), computed)?,
                    long(case.state.stage_entered_on.unwrap_or(computed)),
                ));
            }
        }
        if !case.is_open() {
            // Time may have closed what the case system still shows as open.
            if alert.status == "OPEN" {
                checks.push(format!(
                    "{}: the export says OPEN, but the calendar closed it: {} on {}",
                    alert.alert_id,
                    case.state.phase.name(),
                    case.state.last_event_on.map_or_else(String::new, long),
                ));
            }
            continue;
        }
        open += 1;
        let now = status(ladder, calendar, &case.state, as_of)?;
        let who: Vec<&str> = now.who_must_act.iter().map(String::as_str).collect();
        let stage = now.stage.as_deref().unwrap_or("-");
        let mut text = format!(
            "{:<9} child {:<10} {} / {stage}: ",
            alert.alert_id,
            alert.child_id.as_deref().unwrap_or("-"),
            ladder.id
        );
        let urgency;
        match (now.next_deadline, now.working_days_left) {
            (Some(due), Some(left)) if now.overdue => {
                overdue += 1;
                urgency = left.min(0) - 1_000;
                let _ = write!(
                    text,
                    "OVERDUE by {}: response was due {}",
                    days(left),
                    long(due)
                );
                if let Some(action) = now.on_expiry {
                    let _ = write!(text, " ({})", expiry_text(action));
                }
            }
            (Some(due), Some(0)) => {
                urgency = 0;
                let _ = write!(text, "response due TODAY ({})", long(due));
            }
            (Some(due), Some(left)) => {
                urgency = left;
                let _ = write!(text, "response due {} ({} left)", long(due), days(left));
            }
            _ if now.phase == Phase::AwaitingDecision => {
                urgency = 100;
                text.push_str("responded: awaiting the raiser's decision");
            }
            _ => {
                urgency = 200;
                text.push_str("no response date at this stage");
            }
        }
        let _ = write!(text, "; {} to act", who.join(", "));
        if let (Some(ceiling), Some(left)) = (now.ceiling, now.ceiling_working_days_left) {
            if left < 0 {
                let _ = write!(text, "; CEILING PASSED {}", long(ceiling));
            } else {
                let _ = write!(text, "; ceiling {} ({} left)", long(ceiling), days(left));
            }
        }
        if now.breaches.extended_beyond_ceiling {
            text.push_str("; extra time agreed beyond the ceiling");
        }
        let team = case.team.as_deref().unwrap_or("(no team recorded)");
        let worker = case.worker.as_deref().unwrap_or("(unallocated)");
        by_team
            .entry(team)
            .or_default()
            .entry(worker)
            .or_default()
            .push(Line { urgency, text });
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Escalation alerts as at {}: export {} ({} alerts), {open} open, {overdue} overdue",
        as_of.format("%A %-d %B %Y"),
        export.export_id,
        export.alerts.len(),
    );
    for (team, workers) in &mut by_team {
        let _ = writeln!(out, "\n{team}");
        for (worker, lines) in workers {
            let _ = writeln!(out, "  {worker}");
            lines.sort_by(|a, b| a.urgency.cmp(&b.urgency).then_with(|| a.text.cmp(&b.text)));
            for line in lines.iter() {
                let _ = writeln!(out, "    {}", line.text);
            }
        }
    }
    if !checks.is_empty() {
        let _ = writeln!(out, "\nChecks against the export:");
        for check in &checks {
            let _ = writeln!(out, "  {check}");
        }
    }
    Ok(out)
}

/// One stored alert, as the case system's table keeps it: the state, its
/// version (`events_applied`) and its `wakes_on` (indexed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub alert: String,
    pub ladder: String,
    pub state: AlertState,
    pub version: u32,
    pub wakes_on: Option<NaiveDate>,
}

/// The table of the replayed cases, each as at the export's date.
pub fn table(cases: &[Case]) -> Vec<Row> {
    cases
        .iter()
        .map(|case| Row {
            alert: case.id.to_string(),
            ladder: case.ladder().to_string(),
            version: case.state.events_applied,
            wakes_on: case.state.wakes_on,
            state: case.state.clone(),
        })
        .collect()
}

/// What one night did to an alert it woke.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Woken {
    pub alert: String,
    /// What time did (`deem-agreed on 2026-12-23`), if anything.
    pub actions: Vec<String>,
    /// The phase now.
    pub phase: Phase,
    /// When it wakes next.
    pub wakes_on: Option<NaiveDate>,
}

/// One night of the recipe: select the rows with `wakes_on <= today`,
/// advance them to today in one batch, and store each new state (with its
/// `wakes_on`) only where the row is still at the version the batch read.
///
/// # Errors
///
/// The batch's own error (a date out of range), or an alert it could not
/// advance (a state to recompute first), named.
pub fn night(
    registry: &Registry,
    table: &mut [Row],
    today: NaiveDate,
) -> Result<Vec<Woken>, Box<dyn Error>> {
    // SELECT alert, ladder, state FROM alerts WHERE wakes_on <= :today
    let mut lines = String::new();
    for row in table
        .iter()
        .filter(|r| r.wakes_on.is_some_and(|w| w <= today))
    {
        let line =
            serde_json::json!({"alert": row.alert, "ladder": row.ladder, "state": row.state});
        lines.push_str(&line.to_string());
        lines.push('\n');
    }
    let mut out = Vec::new();
    let request = AdvanceAlertsRequest { as_of: today };
    ops::advance_alerts(registry, &request, lines.as_bytes(), &mut out, &mut |_| {})
        .map_err(|e| e.into_document())?;
    let mut woken = Vec::new();
    for line in out.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        let answer: serde_json::Value = serde_json::from_slice(line)?;
        if !answer["error"].is_null() {
            return Err(format!("{}", answer["error"]["message"]).into());
        }
        let state: AlertState = serde_json::from_value(answer["state"].clone())?;
        let alert = answer["alert"].as_str().unwrap_or_default();
        // UPDATE alerts SET state = :state, version = :new, wakes_on = :wakes_on
        //  WHERE alert = :alert AND version = :expect_version
        let Some(row) = table.iter_mut().find(|r| {
            r.alert == alert && Some(u64::from(r.version)) == answer["expect_version"].as_u64()
        }) else {
            continue;
        };
        let actions = answer["transitions"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|t| {
                let event = &t["audit"]["event"];
                format!(
                    "{} on {}",
                    event["type"].as_str().unwrap_or("?"),
                    event["on"].as_str().unwrap_or("?")
                )
            })
            .collect();
        row.version = state.events_applied;
        row.wakes_on = state.wakes_on;
        woken.push(Woken {
            alert: alert.to_string(),
            actions,
            phase: state.phase,
            wakes_on: state.wakes_on,
        });
        row.state = state;
    }
    Ok(woken)
}

/// The nights from the day after `as_of`, one line per alert woken.
///
/// # Errors
///
/// As [`night`].
pub fn nights(
    registry: &Registry,
    table: &mut [Row],
    as_of: NaiveDate,
    count: u64,
) -> Result<String, Box<dyn Error>> {
    let mut out = String::new();
    for n in 1..=count {
        let today = as_of + chrono::Days::new(n);
        let woken = night(registry, table, today)?;
        let _ = writeln!(
            out,
            "{}: {} woken",
            today.format("%a %-d %b %Y"),
            woken.len()
        );
        for w in woken {
            let next = w.wakes_on.map_or_else(
                || "never".to_string(),
                |d| d.format("%a %-d %b %Y").to_string(),
            );
            let did = match w.actions.is_empty() {
                true => "status changed".to_string(),
                false => w.actions.join(", "),
            };
            let _ = writeln!(
                out,
                "  {:<9} {did}; now {}, wakes next {next}",
                w.alert,
                w.phase.name()
            );
        }
    }
    Ok(out)
}

fn expiry_text(action: escalation_ladder::ladder::ExpiryAction) -> &'static str {
    use escalation_ladder::ladder::ExpiryAction;
    match action {
        ExpiryAction::EscalationDue => "escalation due",
        ExpiryAction::EscalatesAutomatically => "escalates automatically",
        ExpiryAction::DeemedAgreed => "deemed agreed: record it",
        ExpiryAction::FlagOnly => "flagged",
    }
}

/// The shipped export.
pub fn shipped_export() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data/liquidlogic-export.json")
}

/// Reads an export file.
///
/// # Errors
///
/// The file cannot be read or is not an export.
pub fn read_export(path: &Path) -> Result<Export, Box<dyn Error>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the export '{}': {e}", path.display()))?;
    Ok(serde_json::from_str(&text)
        .map_err(|e| format!("'{}' is not an export: {e}", path.display()))?)
}

fn main() -> Result<(), Box<dyn Error>> {
    let mut export_path = shipped_export();
    let mut as_of = None;
    let mut ics_path = None;
    let mut count = 10;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--export" => export_path = PathBuf::from(value()?),
            "--as-of" => as_of = Some(value()?.parse::<NaiveDate>()?),
            "--ics" => ics_path = Some(PathBuf::from(value()?)),
            "--nights" => count = value()?.parse()?,
            other => {
                return Err(format!(
                    "expected --export FILE, --as-of YYYY-MM-DD, --ics FILE or --nights N, found '{other}'"
                )
                .into())
            }
        }
    }
    let export = read_export(&export_path)?;
    let as_of = match as_of {
        Some(date) => date,
        None => export_date(&export)?,
    };
    let procedures = Procedures::builtin()?;
    let cases = replay(&export, &procedures, as_of)?;
    print!("{}", report(&export, &cases, &procedures, as_of)?);
    if let Some(path) = ics_path {
        let ics = deadlines_calendar(&cases, &procedures, as_of, IcsOptions::default())?;
        std::fs::write(&path, ics)?;
        println!("\nCalendar of deadlines written to {}", path.display());
    }
    let registry = Registry::builtin()?;
    let mut rows = table(&cases);
    println!("\nThe nights after (select wakes_on <= today, advance, store at the version read):");
    print!("{}", nights(&registry, &mut rows, as_of, count)?);
    Ok(())
}
