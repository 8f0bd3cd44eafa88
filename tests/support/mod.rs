//! Running the `ladder` binary from the CLI tests (`tests/cli.rs`,
//! `tests/cli_ics.rs`).
#![allow(dead_code)] // each test crate uses its own part

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Runs `ladder` with `args` and `stdin`, in `dir` when given.
pub fn ladder_in(dir: Option<&Path>, args: &[&str], stdin: &str) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ladder"));
    if let Some(dir) = dir {
        command.current_dir(dir);
    }
    let mut child = command
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ladder runs");
    let mut input = child.stdin.take().expect("stdin is piped");
    // A failing command may exit before reading all of its input.
    let _ = input.write_all(stdin.as_bytes());
    drop(input);
    child.wait_with_output().expect("ladder finishes")
}

/// Checks a run that must succeed silently and returns its standard output.
pub fn succeeded(args: &[&str], output: Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{args:?} failed: {stderr}");
    assert_eq!(stderr, "", "{args:?} wrote to stderr");
    String::from_utf8(output.stdout).expect("stdout is UTF-8")
}

/// Checks a run that must fail with `code` and exactly one line on stderr, and
/// returns that line.
pub fn failed(args: &[&str], output: &Output, code: i32) -> String {
    let stderr = String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8");
    assert_eq!(output.status.code(), Some(code), "{args:?}: {stderr}");
    assert!(!stderr.contains("panicked"), "{args:?} panicked: {stderr}");
    assert!(!stderr.contains("RUST_BACKTRACE"), "{args:?}: {stderr}");
    assert!(stderr.starts_with("ladder: "), "{args:?}: {stderr}");
    assert!(stderr.ends_with('\n'), "{args:?}: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
    stderr.trim_end().to_string()
}

/// Runs a shell command under a pseudo-terminal (util-linux `script`) in `dir`
/// and returns what the terminal showed, with `\r\n` as `\n`; `None` when
/// `script` is not installed.
pub fn on_a_terminal(dir: &Path, command: &str) -> Option<String> {
    Command::new("script").arg("--version").output().ok()?;
    let output = Command::new("script")
        .args(["-qec", command, "/dev/null"])
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("script runs");
    assert!(output.status.success(), "{output:?}");
    Some(String::from_utf8_lossy(&output.stdout).replace("\r\n", "\n"))
}

/// A path quoted for the shell.
pub fn shell_quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// Compact JSON laid out as serde_json's pretty printer lays it out (two
/// spaces, `": "`, `[]` and `{}` when empty), keeping the order of the keys:
/// what a snapshot of a one-line answer shows, so that it stays readable.
pub fn pretty(json: &str) -> String {
    let mut out = String::with_capacity(json.len() * 2);
    let mut depth = 0usize;
    let (mut in_string, mut escaped) = (false, false);
    let mut chars = json.chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.extend(std::iter::repeat("  ").take(depth));
    };
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                let close = if c == '{' { '}' } else { ']' };
                if chars.peek() == Some(&close) {
                    out.push(chars.next().unwrap());
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth -= 1;
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c => out.push(c),
        }
    }
    out
}
