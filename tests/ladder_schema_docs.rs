//! `docs/ladder-schema.md` cannot drift from the schema: its complete examples
//! load, every key the built-in ladders use and every field the schema has is
//! documented, every enumerated value is named, and the limits it states are
//! the crate's.
//!
//! A ```` ```toml ```` block preceded by a `<!-- complete -->` line is a whole
//! procedure file and must load; every other TOML or JSON block is a fragment
//! and must at least parse.

use std::collections::BTreeMap;

use escalation_ladder::input::limits;
use escalation_ladder::ladder::{
    builtin, ClockStart, Convention, DutyAvailability, ExpiryAction, OutcomeNext, Procedure,
    ProcedureKind, Provenance, WindowUnit, MAX_CALENDAR_DAYS, MAX_SCHEDULE_DAY, MAX_STARTS,
    MAX_WEEKS, MAX_WORKING_DAYS,
};
use escalation_ladder::Region;

/// The marker line that makes the next ```` ```toml ```` block a complete file.
const COMPLETE: &str = "<!-- complete -->";

fn doc() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/ladder-schema.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A fenced block of the document.
struct Block {
    /// The language after the opening fence (`toml`, `json`, `sh`).
    lang: String,
    /// The 1-based line of the opening fence.
    line: usize,
    /// Whether the line before the fence is [`COMPLETE`].
    complete: bool,
    text: String,
}

fn blocks(doc: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let lines: Vec<&str> = doc.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        if let Some(lang) = lines[i].strip_prefix("```") {
            let start = i;
            let mut text = String::new();
            i += 1;
            while i < lines.len() && !lines[i].starts_with("```") {
                text.push_str(lines[i]);
                text.push('\n');
                i += 1;
            }
            assert!(i < lines.len(), "unclosed block at line {}", start + 1);
            out.push(Block {
                lang: lang.trim().to_string(),
                line: start + 1,
                complete: start > 0 && lines[start - 1].trim() == COMPLETE,
                text,
            });
        }
        i += 1;
    }
    out
}

/// Every complete TOML block loads, as TOML and as the same keys in JSON, to
/// the same procedure; the marker is on nothing but TOML blocks; every
/// fragment parses.
#[test]
fn complete_examples_load_and_fragments_parse() {
    let doc = doc();
    let blocks = blocks(&doc);
    let mut complete = Vec::new();
    for b in &blocks {
        let at = format!("docs/ladder-schema.md:{}", b.line);
        match b.lang.as_str() {
            "toml" if b.complete => {
                let p = Procedure::from_toml_str(&b.text, &at).unwrap_or_else(|e| panic!("{e}"));
                let value: toml::Value = toml::from_str(&b.text).unwrap();
                let json = serde_json::to_string(&value).unwrap();
                let back = Procedure::from_json_str(&json, &at).unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(back, p, "{at}");
                complete.push(p);
            }
            "toml" => {
                toml::from_str::<toml::Value>(&b.text)
                    .unwrap_or_else(|e| panic!("{at}: a TOML fragment that does not parse: {e}"));
            }
            "json" => {
                assert!(!b.complete, "{at}: only TOML blocks are marked complete");
                serde_json::from_str::<serde_json::Value>(&b.text)
                    .unwrap_or_else(|e| panic!("{at}: a JSON fragment that does not parse: {e}"));
            }
            _ => assert!(!b.complete, "{at}: only TOML blocks are marked complete"),
        }
    }
    // The minimal ladder (a ceiling, two or three stages), the fuller one and
    // the schedule.
    assert_eq!(complete.len(), 3, "complete examples");
    let minimal = complete
        .iter()
        .filter_map(Procedure::as_ladder)
        .find(|l| (2..=3).contains(&l.stages.len()) && l.ceiling.is_some())
        .expect("a minimal ladder with a ceiling and 2 or 3 stages");
    assert!(complete.iter().any(|p| p.as_schedule().is_some()));

    // What the page says `ladder validate` answers for the minimal ladder is
    // what it would answer.
    let summary = format!(
        "ok: '{}' ({}): ladder, {} stages, ceiling {} working days, {} assumptions",
        minimal.id,
        minimal.title,
        minimal.stages.len(),
        minimal.ceiling.as_ref().map_or(0, |c| c.working_days),
        minimal.assumptions().len()
    );
    let flat = doc.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains(&summary),
        "the page should quote `ladder validate`: {summary}"
    );
}

/// Every key path of a TOML value, arrays of tables entered without an index
/// (`stages.window.unit`); `X.provenance.source` and `X.provenance.assumption`
/// are `X.provenance` (their two forms are documented once).
fn key_paths(value: &toml::Value, path: &str, out: &mut BTreeMap<String, ()>) {
    match value {
        toml::Value::Table(table) => {
            for (key, v) in table {
                if path.ends_with("provenance") && (key == "source" || key == "assumption") {
                    continue;
                }
                let here = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                out.insert(here.clone(), ());
                key_paths(v, &here, out);
            }
        }
        toml::Value::Array(items) => items.iter().for_each(|v| key_paths(v, path, out)),
        _ => {}
    }
}

/// Every key used anywhere in the built-in procedures is documented, by its
/// full path in backticks.
#[test]
fn every_key_of_the_builtins_is_documented() {
    let doc = doc();
    let mut paths = BTreeMap::new();
    for id in builtin::IDS {
        let value: toml::Value = toml::from_str(builtin::source(id).unwrap()).unwrap();
        key_paths(&value, "", &mut paths);
    }
    assert!(paths.len() > 100, "{}", paths.len());
    let missing: Vec<&String> = paths
        .keys()
        .filter(|p| !doc.contains(&format!("`{p}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "keys of ladders/*.toml missing from docs/ladder-schema.md: {missing:?}"
    );
    for form in ["provenance.source", "provenance.assumption"] {
        assert!(doc.contains(&format!("`{form}`")), "{form}");
    }
}

/// Tables whose one key chooses a kind (an enum), not a struct's fields.
const ONE_KEY_TABLES: &[&str] = &["provenance", "from", "then", "available"];

/// Every struct table of a JSON value: (key path, JSON pointer to one of them).
fn struct_tables(
    value: &serde_json::Value,
    path: &str,
    pointer: &str,
    out: &mut BTreeMap<String, String>,
) {
    match value {
        serde_json::Value::Object(map) => {
            let last = path.rsplit('.').next().unwrap_or_default();
            if ONE_KEY_TABLES.contains(&last) {
                return;
            }
            out.entry(path.to_string())
                .or_insert_with(|| pointer.to_string());
            for (key, v) in map {
                let here = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                struct_tables(v, &here, &format!("{pointer}/{key}"), out);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                struct_tables(v, path, &format!("{pointer}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// The field names the schema allows in a table, as the loader's "unknown
/// field" error lists them: "expected one of `a`, `b`", "expected `a` or `b`".
fn allowed_fields(message: &str) -> Vec<String> {
    let after = message
        .split_once("expected")
        .map_or("", |(_, rest)| rest)
        .to_string();
    after
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// Every field of every table the schema has is documented, taken from the
/// schema itself: for each table of the built-ins, an unknown key is put in
/// and the loader's refusal lists the fields allowed there. Fields no built-in
/// uses (`duties.window.max_working_days`, `duties.window.from`) are covered
/// too.
#[test]
fn every_field_of_the_schema_is_documented() {
    let doc = doc();
    let mut missing = Vec::new();
    let mut checked = 0;
    for id in builtin::IDS {
        let value: toml::Value = toml::from_str(builtin::source(id).unwrap()).unwrap();
        let json = serde_json::to_value(&value).unwrap();
        let mut tables = BTreeMap::new();
        struct_tables(&json, "", "", &mut tables);
        for (path, pointer) in tables {
            let mut changed = json.clone();
            changed
                .pointer_mut(&pointer)
                .and_then(serde_json::Value::as_object_mut)
                .unwrap()
                .insert("zz-not-a-key".into(), serde_json::Value::Bool(true));
            let message = Procedure::from_json_str(&changed.to_string(), id)
                .unwrap_err()
                .to_string();
            assert!(
                message.contains("unknown field `zz-not-a-key`"),
                "{id} {path}: {message}"
            );
            let fields = allowed_fields(&message);
            assert!(!fields.is_empty(), "{message}");
            for field in fields {
                let full = if path.is_empty() {
                    field
                } else {
                    format!("{path}.{field}")
                };
                checked += 1;
                if !doc.contains(&format!("`{full}`")) {
                    missing.push(full);
                }
            }
        }
    }
    assert!(checked > 100, "{checked}");
    missing.sort();
    missing.dedup();
    assert!(
        missing.is_empty(),
        "fields of the schema missing from docs/ladder-schema.md: {missing:?}"
    );
}

/// A value as its name in a file (`"working-days"`), or, for a variant that
/// carries data, its key (`{ step = `).
fn written(value: impl serde::Serialize) -> String {
    match serde_json::to_value(value).unwrap() {
        serde_json::Value::String(name) => format!("`\"{name}\"`"),
        serde_json::Value::Object(map) => {
            let key = map.keys().next().unwrap();
            format!("{{ {key} = ")
        }
        other => panic!("unexpected {other}"),
    }
}

/// Every enumerated value of the schema is named in the page. The matches
/// list every variant, so a new one fails to compile here until it is added
/// (and documented).
#[test]
fn every_enumerated_value_is_documented() {
    let mut names = Vec::new();
    for unit in [
        WindowUnit::WorkingDays,
        WindowUnit::CalendarDays,
        WindowUnit::Weeks,
        WindowUnit::Immediately,
        WindowUnit::AgreedDate,
        WindowUnit::NoneStated,
    ] {
        match unit {
            WindowUnit::WorkingDays
            | WindowUnit::CalendarDays
            | WindowUnit::Weeks
            | WindowUnit::Immediately
            | WindowUnit::AgreedDate
            | WindowUnit::NoneStated => names.push(written(unit)),
        }
    }
    for action in [
        ExpiryAction::EscalationDue,
        ExpiryAction::EscalatesAutomatically,
        ExpiryAction::DeemedAgreed,
        ExpiryAction::FlagOnly,
    ] {
        match action {
            ExpiryAction::EscalationDue
            | ExpiryAction::EscalatesAutomatically
            | ExpiryAction::DeemedAgreed
            | ExpiryAction::FlagOnly => names.push(written(action)),
        }
    }
    for kind in [ProcedureKind::Ladder, ProcedureKind::Schedule] {
        match kind {
            ProcedureKind::Ladder | ProcedureKind::Schedule => names.push(written(kind)),
        }
    }
    match Convention::ReceiptIsDayZero {
        c @ Convention::ReceiptIsDayZero => names.push(written(c)),
    }
    for region in Region::ALL {
        names.push(written(region));
    }
    for available in [
        DutyAvailability::AnyOpenStage,
        DutyAvailability::Stages(vec!["x".into()]),
        DutyAvailability::ByRule,
    ] {
        match &available {
            DutyAvailability::AnyOpenStage
            | DutyAvailability::Stages(_)
            | DutyAvailability::ByRule => names.push(written(&available)),
        }
    }
    for then in [OutcomeNext::Resolve, OutcomeNext::Stage("x".into())] {
        match &then {
            OutcomeNext::Resolve | OutcomeNext::Stage(_) => names.push(written(&then)),
        }
    }
    for from in [ClockStart::Step("x".into()), ClockStart::Stages(vec![])] {
        match &from {
            ClockStart::Step(_) | ClockStart::Stages(_) => names.push(written(&from)),
        }
    }
    for p in [
        Provenance::Source("x".into()),
        Provenance::Assumption("x".into()),
    ] {
        match &p {
            Provenance::Source(_) | Provenance::Assumption(_) => names.push(written(&p)),
        }
    }
    let doc = doc();
    let missing: Vec<&String> = names.iter().filter(|n| !doc.contains(n.as_str())).collect();
    assert!(
        missing.is_empty(),
        "values missing from docs/ladder-schema.md: {missing:?}"
    );
}

/// 1000 as "1,000".
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The limits the page states are the crate's: the row that names each
/// constant gives its value.
#[test]
fn the_limits_are_the_crates() {
    let doc = doc();
    let rows = [
        (
            "MAX_LADDER_FILE_BYTES",
            format!("{} MiB", limits::MAX_LADDER_FILE_BYTES >> 20),
        ),
        ("MAX_STAGES", thousands(limits::MAX_STAGES)),
        ("MAX_LIST_ITEMS", thousands(limits::MAX_LIST_ITEMS)),
        (
            "MAX_NAME_BYTES",
            format!("{} bytes", thousands(limits::MAX_NAME_BYTES)),
        ),
        (
            "MAX_TEXT_BYTES",
            format!("{} bytes", thousands(limits::MAX_TEXT_BYTES)),
        ),
        ("MAX_STARTS", thousands(MAX_STARTS)),
        ("MAX_WORKING_DAYS", thousands(MAX_WORKING_DAYS as usize)),
        ("MAX_CALENDAR_DAYS", thousands(MAX_CALENDAR_DAYS as usize)),
        ("MAX_WEEKS", thousands(MAX_WEEKS as usize)),
        ("MAX_SCHEDULE_DAY", thousands(MAX_SCHEDULE_DAY as usize)),
    ];
    assert_eq!(limits::MAX_LADDER_FILE_BYTES % (1 << 20), 0);
    for (name, value) in rows {
        let row = doc
            .lines()
            .find(|l| l.starts_with('|') && l.contains(&format!("`{name}`")))
            .unwrap_or_else(|| panic!("no row of the limits names {name}"));
        let last = row.trim_end_matches('|').rsplit('|').next().unwrap();
        assert!(last.contains(&value), "{name}: expected {value} in {row}");
    }
}
