//! The operations on procedures: list, show, validate and timeline.

use crate::contract::ErrorDocument;
use crate::engine::{schedule_dates, worst_case_timeline, LadderTimeline, ScheduleTimeline};
use crate::ladder::Procedure;

use super::answer::{Answer, Listed, MediaType, Timeline, Validated};
use super::request::{
    invalid_value, required_id, LaddersRequest, ShowRequest, TimelineRequest, ValidateRequest,
};
use super::Registry;

/// The name `validate` gives a procedure file in its messages when the
/// request names none.
pub const UNNAMED_PROCEDURE: &str = "procedure";

/// Every procedure the registry holds, built-in and the caller's, in list
/// order.
///
/// # Example
///
/// ```
/// use escalation_ladder::ops::{self, LaddersRequest, Registry};
///
/// let registry = Registry::builtin()?;
/// let listed = ops::ladders(&registry, &LaddersRequest {});
/// assert!(listed.iter().any(|p| p.id == "iro-dispute-resolution"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn ladders<'r>(registry: &'r Registry, _request: &LaddersRequest) -> Vec<Listed<'r>> {
    registry
        .procedures()
        .iter()
        .map(|p| Listed {
            id: p.id(),
            title: p.title(),
            kind: p.kind(),
        })
        .collect()
}

/// A procedure as data; its JSON loads back unchanged.
///
/// # Errors
///
/// `ladder.unknown`.
///
/// # Example
///
/// ```
/// use escalation_ladder::ops::{self, Registry, ShowRequest};
///
/// let registry = Registry::builtin()?;
/// let shown = ops::show(&registry, &ShowRequest { procedure: "iro-dispute-resolution".into(), format: None })?;
/// assert_eq!(shown.title(), "IRO Dispute Resolution: IRO Alert");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn show<'r>(
    registry: &'r Registry,
    request: &ShowRequest,
) -> Result<&'r Procedure, ErrorDocument> {
    registry.procedure(required_id("procedure", &request.procedure)?)
}

/// Checks a procedure file (TOML, or JSON) and says what it holds.
///
/// # Errors
///
/// `request.invalid-value` for a format other than `toml` or `json`, or a
/// file that is not UTF-8; the ladder error (`ladder.*`) naming the file's
/// line, stage and field.
///
/// # Example
///
/// ```
/// use escalation_ladder::ops::{self, Registry, ValidateRequest};
///
/// let registry = Registry::builtin()?;
/// let text = std::fs::read("ladders/iro-dispute-resolution.toml")?;
/// let validated = ops::validate(&registry, &ValidateRequest::default(), &text)?;
/// assert_eq!(validated.stages, Some(5));
/// assert_eq!(validated.ceiling_working_days, Some(20));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn validate(
    _registry: &Registry,
    request: &ValidateRequest,
    text: &[u8],
) -> Result<Validated, ErrorDocument> {
    let name = request.name.as_deref().unwrap_or(UNNAMED_PROCEDURE);
    let text = std::str::from_utf8(text).map_err(|e| {
        invalid_value(
            "procedure",
            "expected the procedure as UTF-8 text",
            &format!("a byte that is not UTF-8 after {} bytes", e.valid_up_to()),
        )
    })?;
    let text = text.trim_start_matches('\u{feff}');
    let procedure = match request.format.as_deref().unwrap_or("toml") {
        "toml" => Procedure::from_toml_str(text, name),
        "json" => Procedure::from_json_str(text, name),
        other => return Err(invalid_value("format", "expected toml or json", other)),
    }
    .map_err(|e| ErrorDocument::from(&e))?;
    let (stages, milestones, ceiling) = match &procedure {
        Procedure::Ladder(l) => (
            Some(l.stages.len()),
            None,
            l.ceiling.as_ref().map(|c| c.working_days),
        ),
        Procedure::Schedule(s) => (None, Some(s.milestones.len()), None),
    };
    Ok(Validated {
        id: procedure.id().to_string(),
        title: procedure.title().to_string(),
        kind: procedure.kind(),
        stages,
        milestones,
        ceiling_working_days: ceiling,
        assumptions: procedure.assumptions().len(),
    })
}

/// A ladder's worst case (each stage on the default path, entered and due,
/// with nobody responding, and the ceiling), or a schedule's dates from day 1.
///
/// # Errors
///
/// `ladder.unknown`; a date out of range.
///
/// # Example
///
/// ```
/// use escalation_ladder::ops::{self, Registry, Timeline, TimelineRequest};
///
/// let registry = Registry::builtin()?;
/// let request = TimelineRequest { procedure: "iro-dispute-resolution".into(), raised: "2026-12-21".parse()?, format: None };
/// let Timeline::Ladder(timeline) = ops::timeline(&registry, &request)? else { unreachable!() };
/// assert_eq!(timeline.ceiling.unwrap().to_string(), "2027-01-21");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn timeline(registry: &Registry, request: &TimelineRequest) -> Result<Timeline, ErrorDocument> {
    let procedure = registry.procedure(required_id("procedure", &request.procedure)?)?;
    let calendar = registry.calendar_of(procedure)?;
    let raised = request.raised;
    let engine_error = |e: crate::engine::EngineError| ErrorDocument::from(&e);
    Ok(match procedure {
        Procedure::Ladder(ladder) => {
            let (stages, ceiling) =
                worst_case_timeline(ladder, calendar, raised).map_err(engine_error)?;
            Timeline::Ladder(LadderTimeline {
                procedure: ladder.id.to_string(),
                raised,
                stages,
                ceiling,
            })
        }
        Procedure::Schedule(schedule) => {
            let milestones = schedule_dates(schedule, calendar, raised).map_err(engine_error)?;
            Timeline::Schedule(ScheduleTimeline {
                procedure: schedule.id.to_string(),
                day_one: raised,
                milestones,
            })
        }
    })
}

/// [`show`] in the request's format: `json` (the procedure as data, the
/// default), `svg` (a ladder as a diagram: [`Ladder::to_svg`](crate::ladder::Ladder::to_svg)) or `mermaid`
/// (the same as a Mermaid flowchart: [`Ladder::to_mermaid`](crate::ladder::Ladder::to_mermaid)). What every
/// door answers.
///
/// # Errors
///
/// As [`show`]; `request.invalid-value` for another format, or a diagram of
/// a schedule (a timetable, not a ladder: its timeline is its picture).
///
/// # Example
///
/// ```
/// use escalation_ladder::ops::{self, MediaType, Registry, ShowRequest};
///
/// let registry = Registry::builtin()?;
/// let request = ShowRequest { procedure: "cp-conference-concerns".into(), format: Some("mermaid".into()) };
/// let answer = ops::show_as(&registry, &request)?;
/// assert_eq!(answer.media_type, MediaType::Text);
/// assert!(String::from_utf8(answer.body)?.starts_with("flowchart TD"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn show_as(registry: &Registry, request: &ShowRequest) -> Result<Answer, ErrorDocument> {
    let format = request.format.as_deref().unwrap_or("json");
    let diagram = match format {
        "json" => return Answer::json(show(registry, request)?),
        "svg" | "mermaid" => format,
        other => {
            return Err(invalid_value(
                "format",
                "expected json, svg or mermaid",
                other,
            ))
        }
    };
    let procedure = show(registry, request)?;
    let Procedure::Ladder(ladder) = procedure else {
        return Err(invalid_value(
            "format",
            "expected json for a schedule (a diagram is drawn of a ladder; a schedule's picture is its timeline)",
            diagram,
        ));
    };
    Ok(match diagram {
        "svg" => Answer {
            media_type: MediaType::Svg,
            body: ladder.to_svg().into_bytes(),
        },
        _ => Answer {
            media_type: MediaType::Text,
            body: ladder.to_mermaid().into_bytes(),
        },
    })
}

/// [`timeline`] in the request's format: `json` (the default), `svg` (a
/// ladder's worst case as a picture: [`picture::timeline_svg`](crate::picture::timeline_svg)) or `html`
/// (the picture on a page with its dates as a table). What every door
/// answers.
///
/// # Errors
///
/// As [`timeline`]; `request.invalid-value` for another format, or a picture
/// of a schedule's timeline (its dates are the JSON's).
///
/// # Example
///
/// ```
/// use escalation_ladder::ops::{self, MediaType, Registry, TimelineRequest};
///
/// let registry = Registry::builtin()?;
/// let request = TimelineRequest { procedure: "iro-dispute-resolution".into(), raised: "2026-12-21".parse()?, format: Some("html".into()) };
/// let answer = ops::timeline_as(&registry, &request)?;
/// assert_eq!(answer.media_type, MediaType::Html);
/// // The ceiling, 20 working days after the raise, skipping Christmas and New Year.
/// assert!(String::from_utf8(answer.body)?.contains(r#"data-date="2027-01-21""#));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn timeline_as(
    registry: &Registry,
    request: &TimelineRequest,
) -> Result<Answer, ErrorDocument> {
    let format = super::request::picture_format(request.format.as_deref())?;
    let answer = timeline(registry, request)?;
    let Timeline::Ladder(worst) = &answer else {
        if format == "json" {
            return Answer::json(&answer);
        }
        return Err(invalid_value(
            "format",
            "expected json for a schedule (its dates are the answer)",
            format,
        ));
    };
    if format == "json" {
        return Answer::json(&answer);
    }
    let procedure = registry.procedure(&request.procedure)?;
    let calendar = registry.calendar_of(procedure)?;
    let Procedure::Ladder(ladder) = procedure else {
        return Answer::json(&answer);
    };
    let svg = crate::picture::timeline_svg(ladder, calendar, worst);
    Ok(match format {
        "svg" => Answer {
            media_type: MediaType::Svg,
            body: svg.into_bytes(),
        },
        _ => Answer {
            media_type: MediaType::Html,
            body: crate::picture::page(
                &format!("{}: the worst case", ladder.title),
                &svg,
                &["Stage", "Entered", "Response due"],
                &crate::picture::timeline_rows(ladder, worst),
            )
            .into_bytes(),
        },
    })
}
