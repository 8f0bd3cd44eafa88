//! A Java 17 program (tests/java/Apply.java) calls the built shared library
//! through JNA: Debian's libjna-java, which `.ci/run` installs where it is
//! missing. `JNA_JAR` names another jar; the test fails (it does not skip)
//! when there is no `javac` or no JNA, so that CI cannot pass without it.

mod support;

use std::path::PathBuf;
use std::process::Command;

use support::{cdylib, crate_dir};

/// The JNA jar: `JNA_JAR`, else Debian's.
fn jna() -> PathBuf {
    let jar = std::env::var("JNA_JAR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from("/usr/share/java/jna.jar"));
    assert!(
        jar.exists(),
        "no JNA at {} (apt-get install libjna-java, or set JNA_JAR)",
        jar.display()
    );
    jar
}

#[test]
fn java_through_jna_raises_rebases_and_reports() {
    let jar = jna();
    let classes = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("java-jna");
    std::fs::create_dir_all(&classes).unwrap();
    let compiled = Command::new("javac")
        .arg("-cp")
        .arg(&jar)
        .arg("-d")
        .arg(&classes)
        .arg(crate_dir().join("tests/java/Apply.java"))
        .output()
        .expect("javac runs (a JDK 17 or later is needed for this test)");
    assert!(
        compiled.status.success(),
        "javac failed:\n{}",
        String::from_utf8_lossy(&compiled.stderr)
    );
    let library = cdylib();
    let classpath = format!("{}:{}", jar.display(), classes.display());
    // Only the library found above (see c_program.rs).
    let run = Command::new("java")
        .env_remove("LD_LIBRARY_PATH")
        .arg("-cp")
        .arg(classpath)
        .arg(format!(
            "-Djna.library.path={}",
            library.parent().unwrap().display()
        ))
        .arg("-Djna.encoding=UTF-8")
        .arg("Apply")
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "Apply.java failed:\n{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(json["applied"]["state"]["respond_by"], "2026-12-30");
    // 22, 23, 24 December, then 4 and 5 January (29-31 closed, New Year's Day).
    assert_eq!(json["rebased"]["after"]["respond_by"], "2027-01-05");
    assert_eq!(json["rebased"]["before"]["respond_by"], "2026-12-30");
    assert_eq!(json["refused"]["code"], "state.calendar-changed");
}
