//! A C program (tests/c/apply.c), compiled with the system's `cc` against the
//! committed header and linked with the built shared library, applies a real
//! event through the ABI.

mod support;

use std::process::Command;

use support::{cdylib, crate_dir};

#[test]
fn a_c_program_raises_an_alert_and_reads_the_new_state() {
    let library = cdylib();
    let dir = library.parent().unwrap();
    let exe = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("el_apply_c");
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let compiled = Command::new(&cc)
        .args(["-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic"])
        .arg("-I")
        .arg(crate_dir().join("include"))
        .arg(crate_dir().join("tests/c/apply.c"))
        .arg("-o")
        .arg(&exe)
        .arg(format!("-L{}", dir.display()))
        .arg("-lescalation_ladder_ffi")
        .arg(format!("-Wl,-rpath,{}", dir.display()))
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cc}: {e}"));
    assert!(
        compiled.status.success(),
        "{cc} failed:\n{}",
        String::from_utf8_lossy(&compiled.stderr)
    );
    // Only the library found above: cargo's LD_LIBRARY_PATH would put a copy
    // an earlier `cargo build` left in target/<profile> first.
    let run = Command::new(&exe)
        .env_remove("LD_LIBRARY_PATH")
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "apply.c failed:\n{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let state = &json["applied"]["state"];
    assert_eq!(state["stage"], "team-manager");
    assert_eq!(state["raised_on"], "2026-12-21");
    assert_eq!(state["respond_by"], "2026-12-30");
    assert_eq!(state["ceiling"], "2027-01-21");
    assert_eq!(json["status"]["next_deadline"], "2026-12-30");
    assert_eq!(json["status"]["working_days_left"], 2);
    assert_eq!(json["refused"]["code"], "ffi.null-pointer");
    assert_eq!(json["refused"]["fields"]["argument"], "event_json");
    assert_eq!(json["rebased"]["moved"], true);
    assert_eq!(json["rebased"]["after"]["respond_by"], "2027-01-05");
}
