//! Python's ctypes (the standard library, no install) loads the built shared
//! library and applies a real event through the ABI (tests/python/apply.py).

mod support;

use std::process::Command;

use support::{cdylib, crate_dir};

/// The Python to run: `PYTHON`, else the first of python3 and python found.
fn python() -> String {
    if let Ok(python) = std::env::var("PYTHON") {
        return python;
    }
    for name in ["python3", "python"] {
        let found = Command::new(name).arg("--version").output();
        if found.is_ok_and(|o| o.status.success()) {
            return name.to_string();
        }
    }
    panic!("no python3 on PATH (set PYTHON to one): the ctypes test needs CPython 3")
}

#[test]
fn python_ctypes_raises_an_alert_and_reads_the_new_state() {
    let python = python();
    let run = Command::new(&python)
        .arg(crate_dir().join("tests/python/apply.py"))
        .arg(cdylib())
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "apply.py failed:\n{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(
        json["version"]["abi"],
        escalation_ladder_ffi::EL_ABI_VERSION
    );
    let state = &json["applied"]["state"];
    assert_eq!(state["phase"], "awaiting-response");
    assert_eq!(state["stage"], "team-manager");
    assert_eq!(state["respond_by"], "2026-12-30");
    assert_eq!(state["ceiling"], "2027-01-21");
    assert_eq!(
        json["status"]["who_must_act"],
        serde_json::json!(["team-manager"])
    );
    assert_eq!(json["status"]["working_days_left"], 2);
    assert_eq!(json["refused"]["code"], "state.version-conflict");
    assert_eq!(json["refused"]["fields"]["expected"], 7);
    assert_eq!(json["refused"]["fields"]["found"], 1);
    assert_eq!(json["rebased"]["moved"], true);
    assert_eq!(json["rebased"]["after"]["respond_by"], "2027-01-05");
}
