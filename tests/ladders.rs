//! Integration tests of the ladder files: the built-ins, their TOML round trip,
//! their tables, their docs, and the loader's error messages.

use escalation_ladder::ladder::{builtin, Procedure};

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
