//! What the ABI tests share: calling a function and reading its JSON, and
//! finding the built shared library for the C and Python tests.

#![allow(dead_code)]

use std::ffi::{c_char, CStr, CString};
use std::path::{Path, PathBuf};
use std::process::Command;

use escalation_ladder_ffi::*;

/// The raise of the C, Python and Rust tests: an IRO alert with the team
/// manager on Monday 21 December 2026.
pub const RAISE: &str = r#"{"on":"2026-12-21","actor":"iro","type":"raise","stage":"team-manager","reason":"drift in permanence planning"}"#;

/// A C string of `text` (the caller keeps it alive across the call).
pub fn c(text: &str) -> CString {
    CString::new(text).unwrap()
}

/// Calls `f` with an `out_json`, frees the string, and returns the status
/// and the JSON.
pub fn call(f: impl FnOnce(*mut *mut c_char) -> i32) -> (i32, serde_json::Value) {
    let mut out: *mut c_char = std::ptr::null_mut();
    let status = f(&mut out);
    assert!(!out.is_null(), "status {status} with no output");
    let text = unsafe { CStr::from_ptr(out) }.to_str().unwrap().to_string();
    unsafe { el_string_free(out) };
    let json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    (status, json)
}

/// Asserts an `EL_OK` call and returns its JSON.
pub fn ok(f: impl FnOnce(*mut *mut c_char) -> i32) -> serde_json::Value {
    let (status, json) = call(f);
    assert_eq!(status, EL_OK, "{json}");
    json
}

/// Asserts an `EL_ERROR` call and returns its error document.
pub fn error(f: impl FnOnce(*mut *mut c_char) -> i32) -> serde_json::Value {
    let (status, json) = call(f);
    assert_eq!(status, EL_ERROR, "{json}");
    for key in ["code", "message", "fields"] {
        assert!(json.get(key).is_some(), "{key} missing in {json}");
    }
    json
}

/// A handle of the built-in ladders on their own divisions.
pub struct Handle(pub *mut ElHandle);

// The library's handles are Send + Sync (the point of the thread test).
unsafe impl Send for Handle {}
unsafe impl Sync for Handle {}

impl Handle {
    /// A handle with these arguments (NULL where `None`), or the error.
    pub fn new(
        region: Option<&str>,
        ladder: Option<&str>,
        calendar: Option<&str>,
    ) -> Result<Handle, serde_json::Value> {
        let (region, ladder, calendar) = (region.map(c), ladder.map(c), calendar.map(c));
        let ptr = |s: &Option<CString>| s.as_ref().map_or(std::ptr::null(), |s| s.as_ptr());
        let mut handle: *mut ElHandle = std::ptr::null_mut();
        let (status, json) = call(|out| unsafe {
            el_handle_new(ptr(&region), ptr(&ladder), ptr(&calendar), &mut handle, out)
        });
        if status == EL_OK {
            assert!(!handle.is_null());
            Ok(Handle(handle))
        } else {
            assert!(handle.is_null());
            Err(json)
        }
    }

    /// The built-in ladders on their own divisions.
    pub fn builtin() -> Handle {
        Handle::new(None, None, None).unwrap()
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        unsafe { el_handle_free(self.0) };
    }
}

/// The shared library cargo built beside the test executable
/// (`target/<profile>/`), built first if it is not there.
pub fn cdylib() -> PathBuf {
    let name = format!(
        "{}escalation_ladder_ffi{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    );
    // target/<profile>/deps/<test>-<hash>
    let exe = std::env::current_exe().unwrap();
    let deps = exe.parent().unwrap();
    let profile = deps.parent().unwrap();
    // The newer of the two: `cargo test` writes the library into deps/ only,
    // so a copy an earlier `cargo build` left in the profile may be stale.
    let find = || {
        [profile.join(&name), deps.join(&name)]
            .into_iter()
            .filter_map(|p| Some((p.metadata().ok()?.modified().ok()?, p)))
            .max_by_key(|(modified, _)| *modified)
            .map(|(_, p)| p)
    };
    if let Some(found) = find() {
        return found;
    }
    // Not built with the tests (a `cargo test --test …` of an old cargo):
    // build it into the same target directory.
    let target_dir = profile.parent().unwrap();
    let mut build = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    build
        .args(["build", "-p", "escalation-ladder-ffi", "--lib"])
        .arg("--target-dir")
        .arg(target_dir);
    if profile.file_name().is_some_and(|p| p == "release") {
        build.arg("--release");
    }
    assert!(build.status().unwrap().success(), "cargo build failed");
    find().unwrap_or_else(|| panic!("no {name} in {}", profile.display()))
}

/// The crate's directory (`ffi/`).
pub fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}
