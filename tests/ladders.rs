//! Integration tests of the ladder files: the built-ins, their TOML round trip,
//! their tables, their docs, and the loader's error messages.

use escalation_ladder::ladder::{builtin, Ladder, LadderError, Procedure, ProcedureKind, Schedule};

#[test]
fn every_builtin_loads() {
    let procedures = builtin::try_procedures().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(procedures.len(), builtin::IDS.len());
    for (p, id) in procedures.iter().zip(builtin::IDS) {
        assert_eq!(p.id(), *id);
    }
}

#[test]
fn every_builtin_round_trips_through_toml() {
    for p in builtin::procedures() {
        let text = p.to_toml_string().unwrap_or_else(|e| panic!("{e}"));
        let back =
            Procedure::from_toml_str(&text, p.id()).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(back, p, "{}", p.id());
    }
}

/// Collapses every run of whitespace to one space, so quotes match text that
/// the document breaks across lines, pages or table cells.
fn normalize(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every quote of a procedure file: `source` provenance and `omitted` passages.
fn sources_in(value: &toml::Value, out: &mut Vec<String>) {
    match value {
        toml::Value::Table(t) => {
            for (k, v) in t {
                match (k.as_str(), v) {
                    ("source", toml::Value::String(s)) => out.push(s.clone()),
                    ("omitted", toml::Value::Array(items)) => {
                        for item in items {
                            if let Some(text) = item.get("text").and_then(|t| t.as_str()) {
                                out.push(text.to_string());
                            }
                        }
                    }
                    _ => sources_in(v, out),
                }
            }
        }
        toml::Value::Array(a) => a.iter().for_each(|v| sources_in(v, out)),
        _ => {}
    }
}

/// The source documents, as shipped in `ladders/sources/`.
fn source_document(reference: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("ladders/sources")
        .join(reference);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every built-in's quotes, grouped by the document they quote.
fn quotes_by_document() -> std::collections::BTreeMap<String, Vec<String>> {
    let mut by_document = std::collections::BTreeMap::<String, Vec<String>>::new();
    for id in builtin::IDS {
        let value: toml::Value = toml::from_str(builtin::source(id).unwrap()).unwrap();
        let reference = value["source"]["reference"].as_str().unwrap().to_string();
        sources_in(&value, by_document.entry(reference).or_default());
    }
    by_document
}

/// Every quote (a `source` or an `omitted` passage) is real text of its
/// document (up to whitespace).
#[test]
fn every_source_quote_is_in_its_document() {
    for (reference, quotes) in quotes_by_document() {
        let document = normalize(&source_document(&reference));
        assert!(!quotes.is_empty());
        for quote in quotes {
            assert!(
                document.contains(&normalize(&quote)),
                "quote not found in {reference}: {quote:?}"
            );
        }
    }
}

/// The sentences of a document: its lines, split after '.', '?' or '!' followed
/// by a space, with list markers and section numbers taken off; fragments of
/// fewer than three words (headings, single category words inside longer
/// quotes) are left out.
fn sentences(document: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in document.lines() {
        let mut rest = line.trim();
        while !rest.is_empty() {
            let end = rest
                .char_indices()
                .find(|&(i, c)| {
                    matches!(c, '.' | '?' | '!') && rest[i + 1..].starts_with(char::is_whitespace)
                })
                .map_or(rest.len(), |(i, _)| i + 1);
            let sentence = rest[..end]
                .trim_start_matches(|c: char| c == '-' || c == '•' || c == '*' || c.is_whitespace())
                .trim();
            let sentence = normalize(sentence);
            if sentence.split_whitespace().count() >= 3 {
                out.push(sentence);
            }
            rest = rest[end..].trim_start();
        }
    }
    out
}

/// Whether a rule's or an omission's quote covers the sentence: the sentence
/// is part of the quote, or the quote (a clause of at least 25 characters) is
/// part of the sentence.
fn covered(sentence: &str, quotes: &[String]) -> bool {
    let trim = |s: &str| s.trim_end_matches(['.', ':', ';', ',']).to_string();
    let sentence = trim(sentence);
    quotes.iter().any(|q| {
        let q = trim(&normalize(q));
        q.contains(&sentence) || (q.len() >= 25 && sentence.contains(&q))
    })
}

/// Every sentence of every source document maps to a rule (a `source` quote)
/// or to a stated omission (`[[omitted]]`, with its reason) of a built-in
/// procedure written from it: nothing a document says is lost silently.
#[test]
fn every_sentence_of_every_source_maps_to_a_rule_or_an_omission() {
    let mut uncovered = Vec::new();
    for (reference, quotes) in quotes_by_document() {
        for sentence in sentences(&source_document(&reference)) {
            if !covered(&sentence, &quotes) {
                uncovered.push(format!("{reference}: {sentence}"));
            }
        }
    }
    assert!(
        uncovered.is_empty(),
        "{} sentences map to no rule and no omission:\n{}",
        uncovered.len(),
        uncovered.join("\n")
    );
}

#[test]
fn stage_tables() {
    for p in builtin::procedures() {
        let table = match &p {
            Procedure::Ladder(l) => l.stage_table(),
            Procedure::Schedule(s) => s.milestone_table(),
        };
        insta::assert_snapshot!(format!("table_{}", p.id()), table);
    }
}

/// `docs/ladders.md` is generated; run with `UPDATE_LADDER_DOCS=1` to rewrite it.
#[test]
fn docs_are_generated() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/ladders.md");
    let generated = builtin::docs_markdown();
    if std::env::var_os("UPDATE_LADDER_DOCS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &generated).unwrap();
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == generated,
        "docs/ladders.md is out of date: run `UPDATE_LADDER_DOCS=1 cargo test --test ladders docs`"
    );
}

/// `docs/diagrams/ID.svg`, each built-in ladder's diagram (`ladder show ID
/// --format svg`), which docs/ladders.md embeds, is generated too: run with
/// `UPDATE_LADDER_DOCS=1` to rewrite them.
#[test]
fn docs_diagrams_are_generated() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/diagrams");
    let update = std::env::var_os("UPDATE_LADDER_DOCS").is_some();
    let mut expected = Vec::new();
    for procedure in builtin::procedures() {
        let Some(ladder) = procedure.as_ladder() else {
            continue;
        };
        let path = dir.join(format!("{}.svg", ladder.id));
        let svg = ladder.to_svg();
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &svg).unwrap();
        }
        let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            on_disk == svg,
            "{} is out of date: run `UPDATE_LADDER_DOCS=1 cargo test --test ladders docs`",
            path.display()
        );
        expected.push(format!("{}.svg", ladder.id));
    }
    // No diagram of a ladder that is gone.
    let mut found: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    found.sort();
    expected.sort();
    assert_eq!(found, expected);
}

#[test]
fn assumptions_are_listed_with_where_they_are() {
    let ladder = builtin::ladder("iro-dispute-resolution").unwrap();
    let places: Vec<String> = ladder.assumptions().into_iter().map(|(p, _)| p).collect();
    assert!(places.contains(&"stages[informal].window".to_string()));
    assert!(places.contains(&"working_days".to_string()));
    for p in builtin::procedures() {
        for (place, reason) in p.assumptions() {
            assert!(!reason.trim().is_empty(), "{}: {place}", p.id());
        }
    }
}

#[test]
fn lookups() {
    let ladder = builtin::ladder("iro-dispute-resolution").unwrap();
    assert_eq!(ladder.stage_index("head-of-service"), Some(2));
    assert_eq!(
        ladder.stage("divisional-director").map(|s| s.window.count),
        Some(Some(3))
    );
    assert!(ladder.role("qa-dhos").is_some());
    assert!(ladder.category("failure-to-visit").is_some());
    assert_eq!(ladder.entry_stages().len(), 5);
    assert_eq!(ladder.default_path().len(), 5);
    assert_eq!(ladder.default_path_working_days(), 13);
    let birmingham = builtin::ladder("birmingham-cp-notification").unwrap();
    let entries: Vec<&str> = birmingham.entry_stages().iter().map(|s| &*s.id).collect();
    assert_eq!(
        entries,
        [
            "informal",
            "stage-1",
            "stage-2",
            "stage-3",
            "immediate-safety-discussion",
            "immediate-safety"
        ]
    );
    assert!(builtin::ladder("nottinghamshire-inspection").is_err());
    assert!(builtin::procedure("nottinghamshire-inspection")
        .unwrap()
        .as_schedule()
        .is_some());
    let err = builtin::ladder("nope").unwrap_err();
    assert!(err
        .to_string()
        .starts_with("unknown built-in ladder 'nope': expected one of "));
}

/// A small valid ladder that the error tests break in one place each.
const BASE: &str = r#"kind = "ladder"
id = "small"
title = "Small ladder"
authority = "Test council"
source = { title = "Test", reference = "test.txt" }
scope = { text = "Tests", provenance = { assumption = "test" } }
working_days = { region = "england-and-wales", convention = "receipt-is-day-zero", provenance = { assumption = "test" } }

[ceiling]
working_days = 20
provenance = { assumption = "test" }

[[roles]]
id = "raiser"
name = "Raiser"
provenance = { assumption = "test" }

[[roles]]
id = "manager"
name = "Manager"
provenance = { assumption = "test" }

[[stages]]
id = "stage-1"
name = "Stage 1"
raised_by = "raiser"
responders = ["manager"]
window = { unit = "working-days", count = 5, provenance = { assumption = "test" } }
on_expiry = { action = "escalation-due", provenance = { assumption = "test" } }
next = { to = "stage-2", provenance = { assumption = "test" } }

[[stages]]
id = "stage-2"
name = "Stage 2"
raised_by = "raiser"
responders = ["manager"]
window = { unit = "working-days", count = 5, provenance = { assumption = "test" } }
on_expiry = { action = "escalation-due", provenance = { assumption = "test" } }
next = { to = "stage-3", provenance = { assumption = "test" } }

[[stages]]
id = "stage-3"
name = "Stage 3"
raised_by = "raiser"
responders = ["manager"]
window = { unit = "working-days", count = 5, provenance = { assumption = "test" } }
on_expiry = { action = "flag-only", provenance = { assumption = "test" } }
"#;

/// BASE with `from` replaced by `to` (which must occur), loaded, as an error message.
fn broken(from: &str, to: &str) -> String {
    assert!(BASE.contains(from), "{from:?} is not in BASE");
    let text = BASE.replacen(from, to, 1);
    match Procedure::from_toml_str(&text, "ladders/small.toml") {
        Ok(_) => panic!("loaded without error:\n{text}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn base_is_valid() {
    Procedure::from_toml_str(BASE, "ladders/small.toml").unwrap();
}

#[test]
fn error_malformed_toml() {
    insta::assert_snapshot!(broken("name = \"Stage 2\"", "name = \"Stage 2"));
}

#[test]
fn error_unknown_field() {
    insta::assert_snapshot!(broken(
        "name = \"Stage 2\"",
        "name = \"Stage 2\"\ncolour = \"red\""
    ));
}

#[test]
fn error_missing_field() {
    insta::assert_snapshot!(broken("responders = [\"manager\"]\nwindow = { unit = \"working-days\", count = 5, provenance = { assumption = \"test\" } }\non_expiry = { action = \"flag-only\"", "responders = [\"manager\"]\non_expiry = { action = \"flag-only\""));
}

#[test]
fn error_wrong_kind() {
    insta::assert_snapshot!(broken("kind = \"ladder\"", "kind = \"rota\""));
}

#[test]
fn error_duplicate_id() {
    insta::assert_snapshot!(broken("id = \"stage-3\"", "id = \"stage-1\""));
}

#[test]
fn error_unknown_route_target() {
    insta::assert_snapshot!(broken(
        "next = { to = \"stage-3\"",
        "next = { to = \"stage-9\""
    ));
}

#[test]
fn error_unknown_role() {
    insta::assert_snapshot!(broken(
        "responders = [\"manager\"]",
        "responders = [\"boss\"]"
    ));
}

#[test]
fn error_empty_responders() {
    insta::assert_snapshot!(broken("responders = [\"manager\"]", "responders = []"));
}

#[test]
fn error_unreachable_stage() {
    insta::assert_snapshot!(broken(
        "next = { to = \"stage-3\", provenance = { assumption = \"test\" } }\n",
        ""
    ));
}

#[test]
fn error_cycle() {
    insta::assert_snapshot!(broken(
        "on_expiry = { action = \"flag-only\", provenance = { assumption = \"test\" } }\n",
        "on_expiry = { action = \"flag-only\", provenance = { assumption = \"test\" } }\nnext = { to = \"stage-2\", provenance = { assumption = \"test\" } }\n"
    ));
}

#[test]
fn error_bypass_not_later() {
    insta::assert_snapshot!(broken(
        "on_expiry = { action = \"flag-only\", provenance = { assumption = \"test\" } }\n",
        "on_expiry = { action = \"flag-only\", provenance = { assumption = \"test\" } }\nbypass = { to = [\"stage-1\"], condition = \"any\", provenance = { assumption = \"test\" } }\n"
    ));
}

#[test]
fn error_absurd_window() {
    insta::assert_snapshot!(broken("count = 5, provenance = { assumption = \"test\" } }\non_expiry = { action = \"flag-only\"", "count = 400, provenance = { assumption = \"test\" } }\non_expiry = { action = \"flag-only\""));
}

#[test]
fn error_zero_window() {
    insta::assert_snapshot!(broken("count = 5", "count = 0"));
}

#[test]
fn error_missing_window_count() {
    insta::assert_snapshot!(broken(
        "unit = \"working-days\", count = 5,",
        "unit = \"weeks\","
    ));
}

#[test]
fn error_count_for_immediately() {
    insta::assert_snapshot!(broken(
        "unit = \"working-days\", count = 5,",
        "unit = \"immediately\", count = 5,"
    ));
}

#[test]
fn error_default_path_over_ceiling() {
    insta::assert_snapshot!(broken("working_days = 20\n", "working_days = 12\n"));
}

#[test]
fn error_no_stages() {
    let text = match BASE.find("[[stages]]") {
        Some(i) => &BASE[..i],
        None => unreachable!(),
    };
    let err = Procedure::from_toml_str(text, "ladders/small.toml").unwrap_err();
    insta::assert_snapshot!(err.to_string());
}

#[test]
fn error_empty_text() {
    insta::assert_snapshot!(broken("name = \"Stage 2\"", "name = \"  \""));
}

const SCHEDULE: &str = r#"kind = "schedule"
id = "timeline"
title = "Timeline"
authority = "Test council"
source = { title = "Test", reference = "test.txt" }
scope = { text = "Tests", provenance = { assumption = "test" } }
working_days = { region = "england-and-wales", convention = "receipt-is-day-zero", provenance = { assumption = "test" } }

[[milestones]]
id = "start"
name = "Start"
day = 1
provenance = { assumption = "test" }

[[milestones]]
id = "work"
name = "Work"
day = 3
until_day = 10
provenance = { assumption = "test" }

[[milestones]]
id = "end"
name = "End"
day = 12
provenance = { assumption = "test" }
"#;

fn broken_schedule(from: &str, to: &str) -> String {
    assert!(SCHEDULE.contains(from), "{from:?} is not in SCHEDULE");
    let text = SCHEDULE.replacen(from, to, 1);
    match Procedure::from_toml_str(&text, "ladders/timeline.toml") {
        Ok(_) => panic!("loaded without error:\n{text}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn schedule_base_is_valid() {
    let p = Procedure::from_toml_str(SCHEDULE, "ladders/timeline.toml").unwrap();
    assert_eq!(p.as_schedule().map(|s| s.milestones.len()), Some(3));
}

#[test]
fn error_schedule_until_before_day() {
    insta::assert_snapshot!(broken_schedule("until_day = 10", "until_day = 2"));
}

#[test]
fn error_schedule_out_of_order() {
    insta::assert_snapshot!(broken_schedule("day = 12", "day = 2"));
}

#[test]
fn error_schedule_no_milestones() {
    let text = match SCHEDULE.find("[[milestones]]") {
        Some(i) => &SCHEDULE[..i],
        None => unreachable!(),
    };
    let err = Procedure::from_toml_str(text, "ladders/timeline.toml").unwrap_err();
    insta::assert_snapshot!(err.to_string());
}

#[test]
fn error_schedule_duplicate_id() {
    insta::assert_snapshot!(broken_schedule("id = \"end\"", "id = \"start\""));
}

#[test]
fn error_io() {
    let err = Procedure::from_path("/nonexistent/ladder.toml").unwrap_err();
    assert!(err
        .to_string()
        .starts_with("/nonexistent/ladder.toml: cannot read the file: "));
}

#[test]
fn ladder_loader_refuses_a_schedule() {
    let err = escalation_ladder::ladder::Ladder::from_toml_str(SCHEDULE, "t.toml").unwrap_err();
    assert_eq!(
        err.to_string(),
        "t.toml:1: field 'kind': expected 'ladder', found 'schedule'"
    );
}

#[test]
fn error_empty_stages_list() {
    let text = match BASE.find("[[stages]]") {
        Some(i) => format!("stages = []\n{}", &BASE[..i]),
        None => unreachable!(),
    };
    let err = Procedure::from_toml_str(&text, "ladders/small.toml").unwrap_err();
    insta::assert_snapshot!(err.to_string());
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Property: loading never panics on arbitrary text.
        #[test]
        fn on_arbitrary_strings(text in any::<String>()) {
            let _ = Procedure::from_toml_str(&text, "arbitrary.toml");
        }

        /// Property: loading never panics on TOML-ish text.
        #[test]
        fn on_tomlish_strings(text in "[\\[\\]a-z_=\"{}, .\n0-9-]{0,200}") {
            let _ = Procedure::from_toml_str(&text, "tomlish.toml");
        }

        /// Property: loading JSON never panics on arbitrary text, nor on a
        /// built-in written as JSON with bytes deleted and inserted at random;
        /// whatever still loads round-trips.
        #[test]
        fn on_arbitrary_and_mutated_json(
            text in any::<String>(),
            which in 0..builtin::IDS.len(),
            edits in proptest::collection::vec((any::<bool>(), any::<prop::sample::Index>(), any::<u8>()), 1..8),
        ) {
            let _ = Procedure::from_json_str(&text, "arbitrary.json");
            let p = builtin::procedure(builtin::IDS[which]).unwrap();
            let mut bytes = serde_json::to_vec(&p).unwrap();
            for (delete, at, byte) in edits {
                if bytes.is_empty() {
                    break;
                }
                let i = at.index(bytes.len());
                if delete {
                    bytes.remove(i);
                } else {
                    bytes.insert(i, byte);
                }
            }
            let text = String::from_utf8_lossy(&bytes);
            if let Ok(p) = Procedure::from_json_str(&text, "mutated.json") {
                let again = serde_json::to_string(&p).ok().and_then(|t| Procedure::from_json_str(&t, "again.json").ok());
                prop_assert_eq!(again, Some(p));
            }
        }

        /// Property: loading never panics on a built-in file with bytes deleted
        /// and inserted at random places.
        #[test]
        fn on_mutated_builtins(
            which in 0..builtin::IDS.len(),
            edits in proptest::collection::vec((any::<bool>(), any::<prop::sample::Index>(), any::<u8>()), 1..8),
        ) {
            let mut bytes = builtin::source(builtin::IDS[which]).unwrap_or_default().as_bytes().to_vec();
            for (delete, at, byte) in edits {
                if bytes.is_empty() {
                    break;
                }
                let i = at.index(bytes.len());
                if delete {
                    bytes.remove(i);
                } else {
                    bytes.insert(i, byte);
                }
            }
            let text = String::from_utf8_lossy(&bytes);
            if let Ok(p) = Procedure::from_toml_str(&text, "mutated.toml") {
                // Whatever still loads also renders and round-trips.
                let _ = p.to_markdown();
                let again = p.to_toml_string().ok().and_then(|t| Procedure::from_toml_str(&t, "again.toml").ok());
                prop_assert_eq!(again, Some(p));
            }
        }
    }
}

#[test]
fn loaded_routes_share_their_target_stage_ids() {
    let ladder = builtin::ladder("oxfordshire-resolution-escalation").unwrap();
    for stage in &ladder.stages {
        let targets = stage
            .next
            .iter()
            .map(|r| &r.to)
            .chain(stage.bypass.iter().flat_map(|b| b.to.iter()));
        for target in targets {
            let own = &ladder.stage(target).unwrap().id;
            assert!(std::sync::Arc::ptr_eq(target, own), "{target}");
        }
    }
}

/// The rules for what the documents say beyond plain windows, each refused with
/// the file, line, stage and field: one snapshot line per broken rule.
#[test]
fn errors_of_steps_duties_clocks_and_time() {
    let duty = |body: &str| {
        format!(
            "{BASE}\n[[duties]]\nid = \"act\"\nname = \"Act\"\n{body}\nprovenance = {{ assumption = \"test\" }}\n"
        )
    };
    let load = |text: String| match Procedure::from_toml_str(&text, "ladders/small.toml") {
        Ok(_) => panic!("loaded without error:\n{text}"),
        Err(e) => e.to_string(),
    };
    let lines = [
        // An agreed date is for duties only.
        broken(
            "window = { unit = \"working-days\", count = 5, provenance = { assumption = \"test\" } }\non_expiry = { action = \"escalation-due\", provenance = { assumption = \"test\" } }\nnext = { to = \"stage-2\"",
            "window = { unit = \"agreed-date\", provenance = { assumption = \"test\" } }\non_expiry = { action = \"escalation-due\", provenance = { assumption = \"test\" } }\nnext = { to = \"stage-2\"",
        ),
        // A clock that waits for a step the stage does not have.
        broken(
            "count = 5, provenance = { assumption = \"test\" } }\non_expiry = { action = \"escalation-due\", provenance = { assumption = \"test\" } }\nnext = { to = \"stage-2\"",
            "count = 5, from = { step = \"report\" }, provenance = { assumption = \"test\" } }\non_expiry = { action = \"escalation-due\", provenance = { assumption = \"test\" } }\nnext = { to = \"stage-2\"",
        ),
        // Extra time capped below the window itself.
        broken(
            "count = 5, provenance = { assumption = \"test\" } }\non_expiry = { action = \"escalation-due\", provenance = { assumption = \"test\" } }\nnext = { to = \"stage-2\"",
            "count = 5, max_working_days = 3, provenance = { assumption = \"test\" } }\non_expiry = { action = \"escalation-due\", provenance = { assumption = \"test\" } }\nnext = { to = \"stage-2\"",
        ),
        // Time cannot escalate from the top of the ladder.
        broken(
            "on_expiry = { action = \"flag-only\", provenance = { assumption = \"test\" } }",
            "on_expiry = { action = \"escalates-automatically\", provenance = { assumption = \"test\" } }",
        ),
        // A duty with nobody to carry it out, one naming a stage the ladder
        // lacks, one starting a duty the ladder lacks.
        load(duty("owners = []\nwindow = { unit = \"immediately\", provenance = { assumption = \"test\" } }\navailable = \"any-open-stage\"")),
        load(duty("owners = [\"manager\"]\nwindow = { unit = \"immediately\", provenance = { assumption = \"test\" } }\navailable = { stages = [\"stage-9\"] }")),
        load(duty("owners = [\"manager\"]\nwindow = { unit = \"immediately\", provenance = { assumption = \"test\" } }\navailable = \"by-rule\"\nthen_starts = [\"nothing\"]")),
        // A rule cannot start a duty whose date must be agreed, and an
        // immediate window has no room for extra time.
        load(duty("owners = [\"manager\"]\nwindow = { unit = \"agreed-date\", provenance = { assumption = \"test\" } }\navailable = \"by-rule\"\nthen_starts = [\"act\"]")),
        load(duty("owners = [\"manager\"]\nwindow = { unit = \"immediately\", max_working_days = 2, provenance = { assumption = \"test\" } }\navailable = \"any-open-stage\"")),
    ];
    insta::assert_snapshot!(lines.join("\n"));
}

// ---- JSON ladders and validation ---------------------------------------------

/// A TOML text as the equivalent JSON text (the same keys and values).
fn toml_to_json(text: &str) -> String {
    let value: toml::Value = toml::from_str(text).unwrap();
    serde_json::to_string_pretty(&value).unwrap()
}

/// BASE as JSON, with `from` replaced by `to` in its TOML first.
fn broken_json(from: &str, to: &str) -> String {
    assert!(BASE.contains(from), "{from:?} is not in BASE");
    let json = toml_to_json(&BASE.replacen(from, to, 1));
    match Procedure::from_json_str(&json, "ladders/small.json") {
        Ok(_) => panic!("loaded without error:\n{json}"),
        Err(e) => e.to_string(),
    }
}

/// What `ladder show ID --json` writes (the procedure through `serde_json`)
/// loads back equal, with its routes linked as the TOML loader links them.
#[test]
fn every_builtin_round_trips_through_json() {
    for p in builtin::procedures() {
        let json = serde_json::to_string_pretty(&p).unwrap();
        let back = Procedure::from_json_str(&json, p.id()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, p, "{}", p.id());
        // The TOML file, written as JSON key for key, loads equal too.
        let json = toml_to_json(builtin::source(p.id()).unwrap());
        let back = Procedure::from_json_str(&json, p.id()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, p, "{}", p.id());
    }
    let ladder = Ladder::from_json_str(
        &serde_json::to_string(&builtin::ladder("oxfordshire-resolution-escalation").unwrap())
            .unwrap(),
        "ox.json",
    )
    .unwrap();
    for stage in &ladder.stages {
        if let Some(next) = &stage.next {
            assert!(std::sync::Arc::ptr_eq(
                &next.to,
                &ladder.stage(&next.to).unwrap().id
            ));
        }
    }
}

/// JSON goes through exactly the rules TOML does: the same message, without
/// the line (the locator reads TOML layout).
#[test]
fn json_is_validated_as_toml_is() {
    let cases: &[(&str, &str)] = &[
        ("next = { to = \"stage-3\"", "next = { to = \"stage-9\""),
        ("responders = [\"manager\"]", "responders = [\"boss\"]"),
        ("count = 5", "count = 0"),
        ("working_days = 20\n", "working_days = 12\n"),
        ("name = \"Stage 2\"", "name = \"  \""),
        (
            "on_expiry = { action = \"flag-only\", provenance = { assumption = \"test\" } }\n",
            "on_expiry = { action = \"flag-only\", provenance = { assumption = \"test\" } }\nnext = { to = \"stage-2\", provenance = { assumption = \"test\" } }\n",
        ),
    ];
    for (from, to) in cases {
        let toml = broken(from, to);
        let json = broken_json(from, to);
        let (place, rest) = toml.split_once(": ").unwrap();
        assert!(place.starts_with("ladders/small.toml:"), "{toml}");
        assert_eq!(json, format!("ladders/small.json: {rest}"));
    }
    Procedure::from_json_str(&toml_to_json(BASE), "small.json").unwrap();
    Procedure::from_json_str(&toml_to_json(SCHEDULE), "timeline.json").unwrap();
    let schedule = toml_to_json(&SCHEDULE.replacen("day = 12", "day = 2", 1));
    assert_eq!(
        Procedure::from_json_str(&schedule, "timeline.json")
            .unwrap_err()
            .to_string(),
        "timeline.json: field 'milestones[end].day': expected day 3 or later (milestones are in day order; 'work' comes before on day 3), found 2"
    );
}

/// JSON syntax and schema errors name the line and column; `kind` is read
/// first, as in TOML.
#[test]
fn json_errors_of_syntax_schema_and_kind() {
    let err = |text: &str| Procedure::from_json_str(text, "x.json").unwrap_err();
    let e = err("{\"kind\": \"ladder\",\n \"id\": [");
    assert!(matches!(e, LadderError::Json { line: 2, .. }), "{e:?}");
    assert_eq!(e.line(), Some(2));
    let json = toml_to_json(BASE).replacen("\"name\": \"Stage 2\"", "\"colour\": \"red\"", 1);
    let e = err(&json);
    assert!(matches!(e, LadderError::Json { .. }), "{e:?}");
    assert!(
        e.to_string()
            .contains("unknown field `colour`, expected one of"),
        "{e}"
    );
    assert!(!e.to_string().contains(" at line "), "{e}");
    assert_eq!(
        err("[1, 2]").to_string(),
        "x.json:1:1: invalid type: sequence, expected a map"
    );
    assert_eq!(
        err("{\"id\": \"x\"}").to_string(),
        "x.json: field 'kind': expected 'ladder' or 'schedule', found no 'kind' field"
    );
    assert_eq!(
        err("{\"kind\": 3}").to_string(),
        "x.json: field 'kind': expected 'ladder' or 'schedule', found a value of type number"
    );
    assert_eq!(
        Ladder::from_json_str(&toml_to_json(SCHEDULE), "t.json")
            .unwrap_err()
            .to_string(),
        "t.json: field 'kind': expected 'ladder', found 'schedule'"
    );
    assert_eq!(
        Schedule::from_json_str(&toml_to_json(BASE), "s.json")
            .unwrap_err()
            .to_string(),
        "s.json: field 'kind': expected 'schedule', found 'ladder'"
    );
}

/// The size limit holds for JSON text and `.json` files as for TOML.
#[test]
fn json_keeps_the_size_limit() {
    use escalation_ladder::input::limits::MAX_LADDER_FILE_BYTES;
    let big = format!(
        "{{\"kind\": \"ladder\", \"pad\": \"{}\"}}",
        " ".repeat(MAX_LADDER_FILE_BYTES)
    );
    let e = Procedure::from_json_str(&big, "big.json").unwrap_err();
    assert!(matches!(e, LadderError::TooLarge { .. }), "{e:?}");
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("big-ladder.json");
    std::fs::write(&path, &big).unwrap();
    let e = Procedure::from_path(&path).unwrap_err();
    assert!(matches!(e, LadderError::TooLarge { .. }), "{e:?}");
}

/// `from_path` reads a `.json` file (any case) as JSON and anything else as TOML.
#[test]
fn from_path_reads_json_by_extension() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    let json = toml_to_json(BASE);
    for name in ["small-ladder.json", "small-ladder.JSON"] {
        let path = dir.join(name);
        std::fs::write(&path, &json).unwrap();
        let p = Procedure::from_path(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p, Procedure::from_toml_str(BASE, "small.toml").unwrap());
        assert_eq!(Ladder::from_path(&path).unwrap(), *p.as_ladder().unwrap());
    }
    // JSON text in a file not named .json is read as TOML, and refused.
    let path = dir.join("small-ladder-json.toml");
    std::fs::write(&path, &json).unwrap();
    assert!(matches!(
        Procedure::from_path(&path).unwrap_err(),
        LadderError::Toml { .. }
    ));
}

/// Deserializing a ladder or a schedule with serde, in any format, runs the
/// same validation: there is no way in that skips it.
#[test]
fn deserializing_validates() {
    let ladder: Ladder = toml::from_str(BASE).unwrap();
    assert_eq!(ladder, Ladder::from_toml_str(BASE, "small.toml").unwrap());
    let ladder: Ladder = serde_json::from_str(&toml_to_json(BASE)).unwrap();
    assert_eq!(ladder, Ladder::from_toml_str(BASE, "small.toml").unwrap());
    // Linked as the loaders link it.
    let next = ladder.stages[0].next.as_ref().unwrap();
    assert!(std::sync::Arc::ptr_eq(&next.to, &ladder.stages[1].id));

    let cyclic = BASE.replacen(
        "on_expiry = { action = \"flag-only\", provenance = { assumption = \"test\" } }\n",
        "on_expiry = { action = \"flag-only\", provenance = { assumption = \"test\" } }\nnext = { to = \"stage-2\", provenance = { assumption = \"test\" } }\n",
        1,
    );
    let err = serde_json::from_str::<Ladder>(&toml_to_json(&cyclic)).unwrap_err();
    assert!(
        err.to_string().starts_with(
            "ladder 'small': stage 'stage-3', field 'next.to': expected a route that does not lead back"
        ),
        "{err}"
    );
    let err = toml::from_str::<Ladder>(&cyclic).unwrap_err();
    assert!(
        err.to_string().contains("ladder 'small': stage 'stage-3'"),
        "{err}"
    );
    // A schedule's kind is refused by a ladder's rules, and the other way round.
    let err = serde_json::from_str::<Schedule>(&toml_to_json(SCHEDULE).replacen(
        "\"schedule\"",
        "\"ladder\"",
        1,
    ))
    .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("schedule 'timeline': field 'kind': expected 'schedule', found 'ladder'"),
        "{err}"
    );
    let schedule: Schedule = toml::from_str(SCHEDULE).unwrap();
    assert_eq!(schedule.milestones.len(), 3);
    let err = toml::from_str::<Schedule>(&SCHEDULE.replacen("day = 12", "day = 2", 1));
    assert!(err.is_err());
}

/// `validate` checks a ladder built or changed in code by the same rules.
#[test]
fn validate_checks_ladders_changed_in_code() {
    for p in builtin::procedures() {
        p.validate().unwrap_or_else(|e| panic!("{e}"));
    }
    let mut ladder = Ladder::from_toml_str(BASE, "small.toml").unwrap();
    ladder.stages[2].next = ladder.stages[0].next.clone();
    assert_eq!(
        ladder.validate().unwrap_err().to_string(),
        "ladder 'small': stage 'stage-3', field 'next.to': expected a route that does not lead back to this stage (a cycle could escalate forever), found 'stage-2', closing the cycle stage-2 -> stage-3 -> stage-2"
    );
    let mut ladder = Ladder::from_toml_str(BASE, "small.toml").unwrap();
    ladder.kind = ProcedureKind::Schedule;
    assert_eq!(
        ladder.validate().unwrap_err().to_string(),
        "ladder 'small': field 'kind': expected 'ladder', found 'schedule'"
    );
    let mut ladder = Ladder::from_toml_str(BASE, "small.toml").unwrap();
    ladder.stages.clear();
    assert!(Procedure::Ladder(ladder).validate().is_err());
}

/// A duty's record and the resolution's record are checked as a stage's is:
/// a blank field or system is refused.
#[test]
fn every_record_is_checked_alike() {
    let duty = format!(
        "{BASE}\n[[duties]]\nid = \"act\"\nname = \"Act\"\nowners = [\"manager\"]\nwindow = {{ unit = \"immediately\", provenance = {{ assumption = \"test\" }} }}\navailable = \"any-open-stage\"\nrecord = {{ form = \"Form\", system = \" \", provenance = {{ assumption = \"test\" }} }}\nprovenance = {{ assumption = \"test\" }}\n"
    );
    assert_eq!(
        Procedure::from_toml_str(&duty, "small.toml")
            .unwrap_err()
            .to_string(),
        "small.toml:55: field 'duties[act].record.system': expected a non-empty text, found ' '"
    );
    let resolve = format!(
        "{BASE}\n[on_resolve]\nrecord = {{ form = \"Note\", fields = [\"\"], provenance = {{ assumption = \"test\" }} }}\nprovenance = {{ assumption = \"test\" }}\n"
    );
    assert_eq!(
        Procedure::from_toml_str(&resolve, "small.toml")
            .unwrap_err()
            .to_string(),
        "small.toml:50: field 'on_resolve.record.fields[0]': expected a non-empty text, found ''"
    );
}
