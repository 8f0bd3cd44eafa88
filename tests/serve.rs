//! `ladder serve`: the real binary on 127.0.0.1 port 0, called over HTTP.
//!
//! Each test starts its own server (a [`Server`] guard kills it when dropped,
//! also when the test fails), reads the bound address from its first line on
//! standard output, and calls it with a real HTTP client. Expected dates are
//! the ones the CLI tests assert (tests/cli_alert.rs, `timeline_as_json` and
//! the Christmas 2026 closures) and the crate's doc example (src/lib.rs).
#![cfg(feature = "server")]

use std::io::{BufRead, BufReader, Read};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};

/// A running `ladder serve`, killed when dropped.
struct Server {
    child: Child,
    base: String,
    port: u16,
}

impl Server {
    fn start(args: &[&str]) -> Server {
        Server::start_with(args, &[], None)
    }

    /// With environment variables, and standard error (the logs) to a file.
    fn start_with(args: &[&str], env: &[(&str, &str)], log: Option<&std::path::Path>) -> Server {
        let stderr = match log {
            Some(path) => Stdio::from(std::fs::File::create(path).unwrap()),
            None => Stdio::null(),
        };
        let mut command = Command::new(env!("CARGO_BIN_EXE_ladder"));
        command.arg("serve");
        for (option, default) in [("--listen", "127.0.0.1:0"), ("--log-level", "warn")] {
            if !args.contains(&option) {
                command.args([option, default]);
            }
        }
        command
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr);
        for (name, value) in env {
            command.env(name, value);
        }
        let mut child = command.spawn().expect("ladder serve starts");
        let mut line = String::new();
        let stdout = child.stdout.take().expect("stdout is piped");
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("reads the address");
        let base = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| {
                let _ = child.kill();
                panic!("expected 'listening on http://…', found {line:?}")
            })
            .to_string();
        let port = base
            .rsplit(':')
            .next()
            .unwrap()
            .trim_end_matches('/')
            .parse()
            .unwrap();
        Server { child, base, port }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn get(&self, path: &str) -> (u16, String) {
        answer(ureq::get(&self.url(path)).call())
    }

    /// Posts `body` with the media type the endpoint reads: a cases file as
    /// JSON Lines, a procedure file as TOML, anything else as JSON.
    fn post(&self, path: &str, body: &str) -> (u16, String) {
        let media = if path.starts_with("/v1/report") || path.starts_with("/v1/ics") {
            "application/x-ndjson"
        } else if path.starts_with("/v1/ladders/validate") {
            "application/toml"
        } else {
            "application/json"
        };
        answer(
            ureq::post(&self.url(path))
                .set("Content-Type", media)
                .send_string(body),
        )
    }

    fn post_json(&self, path: &str, body: &Value) -> (u16, Value) {
        let (status, text) = self.post(path, &body.to_string());
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    fn get_json(&self, path: &str) -> (u16, Value) {
        let (status, text) = self.get(path);
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn answer(result: Result<ureq::Response, ureq::Error>) -> (u16, String) {
    match result {
        Ok(response) => (response.status(), response.into_string().unwrap()),
        Err(ureq::Error::Status(status, response)) => {
            let content_type = response.content_type().to_string();
            let body = response.into_string().unwrap();
            assert_eq!(content_type, "application/json", "{status}: {body}");
            let doc: Value = serde_json::from_str(&body).unwrap();
            for key in ["code", "message", "fields"] {
                assert!(doc.get(key).is_some(), "{status}: {body}");
            }
            (status, body)
        }
        Err(e) => panic!("transport error: {e}"),
    }
}

const IRO: &str = "/v1/ladders/iro-dispute-resolution";

/// Checks a served document against the contract's committed JSON Schema
/// (schema/NAME.schema.json), as the OpenAPI components describe it.
fn assert_valid(name: &str, document: &Value) {
    let text = std::fs::read_to_string(format!("schema/{name}.schema.json")).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let errors: Vec<String> = validator
        .iter_errors(document)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{name}: {errors:#?}\n{document:#}");
}

/// The raise on Monday 21 December 2026, at the team manager.
fn raise_on_21st() -> Value {
    json!({"id": "evt-1", "on": "2026-12-21", "actor": "iro", "type": "raise",
           "stage": "team-manager", "reason": "no permanence plan"})
}

#[test]
fn alerts_across_christmas() {
    let server = Server::start(&[]);
    // README: raised Monday 21st, the team manager's 5 working days are 22, 23,
    // 24, (Christmas Day Friday 25th and the Boxing Day substitute Monday 28th
    // skipped) 29 and 30 December; the ceiling of 20 is 21 January 2027.
    let (status, applied) =
        server.post_json(&format!("{IRO}/apply"), &json!({"event": raise_on_21st()}));
    assert_eq!(status, 200, "{applied}");
    let state = applied["state"].clone();
    assert_eq!(state["respond_by"], "2026-12-30");
    assert_eq!(state["ceiling"], "2027-01-21");
    assert_eq!(state["events_applied"], 1);
    assert_eq!(applied["transitions"].as_array().unwrap().len(), 1);
    assert_valid("alert-state", &state);
    assert_valid("transition", &applied["transitions"][0]);
    // The same as `ladder apply --json` prints.
    let cli = Command::new(env!("CARGO_BIN_EXE_ladder"))
        .args(["apply", "iro-dispute-resolution", "--json", "--event"])
        .arg(raise_on_21st().to_string())
        .output()
        .unwrap();
    let cli: Value = serde_json::from_slice(&cli.stdout).unwrap();
    assert_eq!(cli, applied);

    // Status on Thursday 24th: 29 and 30 December left.
    let (status, now) = server.post_json(
        &format!("{IRO}/status"),
        &json!({"state": state, "as_of": "2026-12-24"}),
    );
    assert_eq!(status, 200, "{now}");
    assert_eq!(now["next_deadline"], "2026-12-30");
    assert_eq!(now["working_days_left"], 2);
    assert_eq!(now["who_must_act"], json!(["team-manager"]));
    assert_valid("status", &now);

    // The team manager responds on the 29th with the version read.
    let respond = json!({"id": "evt-2", "on": "2026-12-29", "actor": "tm", "type": "respond"});
    let (status, moved) = server.post_json(
        &format!("{IRO}/apply"),
        &json!({"state": state, "event": respond, "expect_version": 1}),
    );
    assert_eq!(status, 200, "{moved}");
    assert_eq!(moved["state"]["events_applied"], 2);
    // A second writer that read version 1 is refused: 409.
    let resolve =
        json!({"on": "2026-12-30", "actor": "iro", "type": "resolve", "outcome": "agreed"});
    let (status, conflict) = server.post_json(
        &format!("{IRO}/apply"),
        &json!({"state": moved["state"], "event": resolve, "expect_version": 1}),
    );
    assert_eq!(status, 409);
    assert_eq!(conflict["code"], "state.version-conflict");
    assert_eq!(conflict["fields"]["found"], 2);
    assert_valid("error", &conflict);
    // A refused event: 422 with the engine's code.
    let (status, refused) = server.post_json(
        &format!("{IRO}/apply"),
        &json!({"event": {"on": "2026-12-21", "actor": "iro", "type": "raise",
                          "stage": "nowhere", "reason": "drift"}}),
    );
    assert_eq!(status, 422);
    assert_eq!(refused["code"], "refused.unknown-stage");
    assert_eq!(refused["fields"]["reason"]["stage"], "nowhere");

    // Advance: nothing acts by itself on this ladder's team-manager stage by
    // 4 January; the state comes back as it was.
    let (status, advanced) = server.post_json(
        &format!("{IRO}/advance"),
        &json!({"state": state, "as_of": "2027-01-04"}),
    );
    assert_eq!(status, 200, "{advanced}");
    assert_eq!(advanced["state"]["respond_by"], "2026-12-30");

    // Recompute on the same calendar: nothing moved.
    let trail: Vec<Value> = applied["transitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["audit"].clone())
        .collect();
    let (status, rebased) = server.post_json(
        &format!("{IRO}/recompute"),
        &json!({"state": state, "trail": trail}),
    );
    assert_eq!(status, 200, "{rebased}");
    assert_eq!(rebased["moved"], false);

    // Status as of a date before the raise, a date out of range: 400.
    let (status, early) = server.post_json(
        &format!("{IRO}/status"),
        &json!({"state": state, "as_of": "2026-12-08"}),
    );
    assert_eq!(status, 400);
    assert_eq!(early["code"], "status.as-of-before-raise");
    let (status, bad) = server.post_json(
        &format!("{IRO}/status"),
        &json!({"state": state, "as_of": "2026-12-8"}),
    );
    assert_eq!(status, 400);
    assert_eq!(bad["code"], "request.invalid-document");
    // The date's field and the format expected are named in the fields.
    assert_eq!(bad["fields"]["field"], "as_of");
    assert_eq!(bad["fields"]["found"], "2026-12-8");
}

#[test]
fn ladders_calendars_and_service_endpoints() {
    let server = Server::start(&[]);
    let (status, health) = server.get_json("/healthz");
    assert_eq!((status, health), (200, json!({"status": "ok"})));
    let (status, ready) = server.get_json("/readyz");
    assert_eq!(status, 200);
    assert_eq!(ready["generation"], 1);

    let (status, list) = server.get_json("/v1/ladders");
    assert_eq!(status, 200);
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"iro-dispute-resolution"), "{ids:?}");
    assert!(ids.contains(&"nottinghamshire-inspection"), "{ids:?}");

    let (status, shown) = server.get_json(IRO);
    assert_eq!(status, 200);
    assert_eq!(shown["id"], "iro-dispute-resolution");
    assert_eq!(shown["stages"].as_array().unwrap().len(), 5);

    // The timeline as `ladder timeline --json` prints it (tests/cli_alert.rs).
    let (status, timeline) = server.get_json(&format!("{IRO}/timeline?raised=2026-12-21"));
    assert_eq!(status, 200);
    assert_eq!(timeline["ceiling"], "2027-01-21");
    assert_eq!(timeline["stages"][1]["stage"], "team-manager");
    assert_eq!(timeline["stages"][1]["respond_by"], "2026-12-30");
    let (status, schedule) =
        server.get_json("/v1/ladders/nottinghamshire-inspection/timeline?raised=2026-12-21");
    assert_eq!(status, 200, "{schedule}");
    assert_eq!(schedule["day_one"], "2026-12-21");

    // Validate: a built-in's TOML back in.
    let toml = std::fs::read_to_string("ladders/iro-dispute-resolution.toml").unwrap();
    let (status, text) = server.post("/v1/ladders/validate", &toml);
    assert_eq!(status, 200, "{text}");
    let valid: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(valid["stages"], 5);
    assert_eq!(valid["ceiling_working_days"], 20);
    let (status, text) = server.post("/v1/ladders/validate", "id = 3\n");
    assert_eq!(status, 422, "{text}");

    // Holidays, add, count, explain (as tests/cli.rs asserts them).
    let (status, holidays) = server.get_json("/v1/holidays?from=2026");
    assert_eq!(status, 200);
    let boxing = holidays
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["date"] == "2026-12-28")
        .unwrap();
    assert_eq!(boxing["kind"], "substitute");
    let (status, scotland) = server.get_json("/v1/holidays?region=scotland&from=2026&to=2027");
    assert_eq!(status, 200);
    assert!(scotland
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["date"] == "2026-01-02"));
    let (_, added) = server.get_json("/v1/working-days/add?from=2025-12-19&working_days=5");
    assert_eq!(
        added,
        json!({"from": "2025-12-19", "working_days": 5, "result": "2025-12-30", "region": "england-and-wales"})
    );
    let (_, counted) = server.get_json("/v1/working-days/count?from=2025-12-19&to=2025-12-30");
    assert_eq!(counted["working_days"], 5);
    let (status, explained) =
        server.get_json("/v1/working-days/explain?from=2025-12-24&working_days=3");
    assert_eq!(status, 200);
    // tests/cli.rs, explain_json.
    assert_eq!(explained["result"], "2025-12-31");
    assert_eq!(explained["walked"][0]["kind"]["name"], "Christmas Day");

    // Bad input: 400 with the parameter named; unknown ladder 404; unknown path
    // 404; wrong method 405.
    let (status, bad) = server.get_json("/v1/working-days/add?from=2026-02-30&working_days=5");
    assert_eq!(status, 400);
    assert_eq!(bad["code"], "request.invalid-document");
    assert_eq!(bad["fields"]["field"], "from");
    let (status, bad) =
        server.get_json("/v1/working-days/add?from=2026-02-03&working_days=5&colour=red");
    assert_eq!(
        (status, bad["code"].as_str()),
        (400, Some("request.invalid-document"))
    );
    let (status, range) = server.get_json("/v1/working-days/add?from=1977-06-07&working_days=1");
    assert_eq!(
        (status, range["code"].as_str()),
        (400, Some("calendar.out-of-range"))
    );
    let (status, unknown) = server.get_json("/v1/ladders/nowhere/timeline?raised=2026-12-21");
    assert_eq!(
        (status, unknown["code"].as_str()),
        (404, Some("ladder.unknown"))
    );
    let (status, unknown) = server.post_json(
        "/v1/ladders/nowhere/apply",
        &json!({"event": raise_on_21st()}),
    );
    assert_eq!(
        (status, unknown["code"].as_str()),
        (404, Some("ladder.unknown"))
    );
    let (status, missing) = server.get_json("/v2/nothing");
    assert_eq!(
        (status, missing["code"].as_str()),
        (404, Some("http.not-found"))
    );
    let (status, method) = answer(ureq::delete(&server.url("/v1/ladders")).call());
    assert_eq!(status, 405, "{method}");

    // Malformed JSON, an unknown field.
    let (status, text) = server.post(&format!("{IRO}/apply"), "{\"event\": ");
    assert_eq!(status, 400);
    assert!(text.contains("request.malformed-json"), "{text}");
    let (status, text) = server.post(
        &format!("{IRO}/apply"),
        &json!({"event": raise_on_21st(), "colour": "red"}).to_string(),
    );
    assert_eq!(status, 400);
    assert!(text.contains("unknown field"), "{text}");
    // A body too large: body_limits_are_per_endpoint (small limits, so that
    // the client has written the whole body before the 413 closes the
    // connection).

    // The OpenAPI document: served, committed, and naming every route.
    let (status, served) = server.get_json("/openapi.json");
    assert_eq!(status, 200);
    let committed: Value =
        serde_json::from_str(&std::fs::read_to_string("schema/openapi.json").unwrap()).unwrap();
    assert_eq!(
        served, committed,
        "schema/openapi.json is stale: run `ladder serve --print-openapi > schema/openapi.json`"
    );
    assert_eq!(served["openapi"], "3.1.0");
    for path in [
        "/v1/ladders/{id}/apply",
        "/v1/ladders/{id}/advance",
        "/v1/ladders/{id}/status",
        "/v1/report",
        "/v1/ics",
        "/v1/admin/reload",
    ] {
        assert!(served["paths"].get(path).is_some(), "{path}");
    }
}

/// The cases file of tests/cli.rs's report tests.
fn cases() -> String {
    std::fs::read_to_string("examples/data/cases.jsonl").unwrap()
}

#[test]
fn report_and_ics_over_a_posted_cases_file() {
    let server = Server::start(&[]);
    let body = cases();
    // The same report as `ladder report --format json`.
    let (status, text) = server.post("/v1/report?as_of=2026-11-23&period=quarter", &body);
    assert_eq!(status, 200, "{text}");
    let served: Value = serde_json::from_str(&text).unwrap();
    let cli = Command::new(env!("CARGO_BIN_EXE_ladder"))
        .args([
            "report",
            "--as-of",
            "2026-11-23",
            "--period",
            "quarter",
            "--format",
            "json",
            "--cases",
            "examples/data/cases.jsonl",
        ])
        .output()
        .unwrap();
    assert!(cli.status.success());
    let cli: Value = serde_json::from_slice(&cli.stdout).unwrap();
    assert_eq!(served, cli);
    assert_valid("report", &served);

    for (format, first) in [
        ("csv", "row,case,"),
        ("summary-csv", "section,ladder,group,measure,number,date"),
        (
            "csv&table=escalations&bom=true",
            "\u{feff}case,child,team,worker,ladder,category,raised,from_stage,",
        ),
        ("html", "<!DOCTYPE html>"),
    ] {
        let (status, text) = server.post(
            &format!("/v1/report?as_of=2026-11-23&format={format}"),
            &body,
        );
        assert_eq!(status, 200, "{text}");
        assert!(
            text.starts_with(first),
            "{format}: {}",
            &text[..80.min(text.len())]
        );
    }
    // The page is the CLI's, byte for byte (one operation under both doors).
    let (_, page) = server.post("/v1/report?as_of=2026-11-23&format=html", &body);
    let cli = Command::new(env!("CARGO_BIN_EXE_ladder"))
        .args([
            "report",
            "--as-of",
            "2026-11-23",
            "--format",
            "html",
            "--cases",
        ])
        .arg("examples/data/cases.jsonl")
        .output()
        .unwrap();
    assert_eq!(page.as_bytes(), cli.stdout);
    // The workbook is binary, served as such.
    let response = ureq::post(&server.url("/v1/report?as_of=2026-11-23&format=xlsx"))
        .send_string(&body)
        .unwrap();
    assert_eq!(
        response.content_type(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let mut book = Vec::new();
    response.into_reader().read_to_end(&mut book).unwrap();
    assert_eq!(&book[..4], b"PK\x03\x04");
    let (status, ics) = server.post("/v1/ics?as_of=2026-11-23", &body);
    assert_eq!(status, 200);
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"), "{ics}");
    assert!(ics.contains("BEGIN:VEVENT"));

    // A bad record names its line; a bad query is refused before reading.
    let (status, text) = server.post("/v1/report?as_of=2026-11-23", "{\"case\":\"A\"}\n");
    assert_eq!(status, 400, "{text}");
    let bad: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(bad["fields"]["line"], 1);
    let (status, text) = server.post("/v1/report?as_of=2026-11-23&period=fortnight", &body);
    assert_eq!(status, 400, "{text}");
    let (status, _) = server.post("/v1/ics", &body);
    assert_eq!(status, 400);
}

#[test]
fn concurrent_requests_reload_and_graceful_shutdown() {
    let dir = std::env::temp_dir().join(format!("ladder-serve-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let holidays = dir.join("holidays.txt");
    std::fs::write(&holidays, "# none yet\n").unwrap();
    let mut server = Server::start(&["--holidays", holidays.to_str().unwrap()]);
    let add = "/v1/working-days/add?from=2026-12-18&working_days=5";
    assert_eq!(server.get_json(add).1["result"], "2026-12-29");

    // 8 clients at once, 40 applies each, every answer right.
    let base = server.base.clone();
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let base = base.clone();
            std::thread::spawn(move || {
                let body = json!({"event": raise_on_21st()}).to_string();
                for _ in 0..40 {
                    let response = ureq::post(&format!("{base}{IRO}/apply"))
                        .set("Content-Type", "application/json")
                        .send_string(&body)
                        .unwrap();
                    let applied: Value = response.into_json().unwrap();
                    assert_eq!(applied["state"]["respond_by"], "2026-12-30");
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }

    // A Christmas shutdown on the 29th added to the file: the endpoint reloads it.
    std::fs::write(&holidays, "2026-12-29 Christmas shutdown\n").unwrap();
    let (status, summary) = server.post_json("/v1/admin/reload", &json!({}));
    assert_eq!(status, 200, "{summary}");
    assert_eq!(summary["generation"], 2);
    assert_eq!(server.get_json(add).1["result"], "2026-12-30");
    // A file that no longer parses: 500, and the service keeps what it had.
    std::fs::write(&holidays, "2026-13-01 nonsense\n").unwrap();
    let (status, failed) = server.post_json("/v1/admin/reload", &json!({}));
    assert_eq!(status, 500);
    assert_eq!(failed["code"], "http.reload-failed");
    assert_eq!(server.get_json(add).1["result"], "2026-12-30");
    // SIGHUP reloads too: the shutdown removed again.
    std::fs::write(&holidays, "# none\n").unwrap();
    server.signal("HUP");
    let mut reloaded = false;
    for _ in 0..100 {
        if server.get_json("/readyz").1["generation"] == 3 {
            reloaded = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(reloaded, "SIGHUP did not reload");
    assert_eq!(server.get_json(add).1["result"], "2026-12-29");

    // SIGTERM while a request is half sent: it is still answered in full,
    // then the process exits cleanly and nothing listens on the port.
    use std::io::Write;
    let body = json!({"event": raise_on_21st()}).to_string();
    let (first, rest) = body.split_at(body.len() / 2);
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    write!(
        stream,
        "POST {IRO}/apply HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{first}",
        body.len()
    )
    .unwrap();
    stream.flush().unwrap();
    std::thread::sleep(Duration::from_millis(200));
    server.signal("TERM");
    std::thread::sleep(Duration::from_millis(200));
    stream.write_all(rest.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
    assert!(answer.contains("\"respond_by\":\"2026-12-30\""), "{answer}");
    let status = server.child.wait().unwrap();
    assert!(status.success(), "{status}");
    assert!(TcpStream::connect(("127.0.0.1", server.port)).is_err());
    let _ = std::fs::remove_dir_all(&dir);
}

/// Sends only the head of a POST declaring a body of `length` bytes and
/// reads the answer: a body too large is refused before it is read.
fn declared(server: &Server, path: &str, length: usize) -> (u16, Value) {
    use std::io::Write;
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
         Content-Length: {length}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    // No body follows: the server sees the end of the request early.
    stream.shutdown(std::net::Shutdown::Write).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let status = answer[9..12].parse().unwrap();
    let body = answer.split("\r\n\r\n").nth(1).unwrap_or("");
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

/// The report and iCalendar endpoints take bodies up to `--bulk-body-limit`,
/// the others up to `--body-limit` (2 MiB and 256 MiB by default).
#[test]
fn body_limits_are_per_endpoint() {
    let server = Server::start(&["--body-limit", "4096", "--bulk-body-limit", "20000"]);
    let body = cases();
    assert!(body.len() > 4096 && body.len() < 20000);
    let (status, text) = server.post("/v1/report?as_of=2026-11-23", &body);
    assert_eq!(status, 200, "{text}");
    let (status, doc) = declared(&server, "/v1/ics?as_of=2026-11-23", 20001);
    assert_eq!(status, 413, "{doc}");
    assert_eq!(doc["code"], "http.body-too-large");
    assert_eq!(doc["fields"]["limit"], 20000);
    let (status, doc) = declared(&server, &format!("{IRO}/apply"), 4097);
    assert_eq!(
        (status, doc["code"].as_str()),
        (413, Some("http.body-too-large"))
    );
    let (status, _) = declared(&server, &format!("{IRO}/apply"), 4096);
    assert_eq!(status, 400, "a body cut short is not too large");
    // The defaults.
    let server = Server::start(&[]);
    let (status, _) = declared(&server, &format!("{IRO}/apply"), (2 << 20) + 1);
    assert_eq!(status, 413);
    let (status, _) = declared(&server, "/v1/report?as_of=2026-11-23", (256 << 20) + 1);
    assert_eq!(status, 413);
}

/// The Python client in examples/ against the real service, where Python 3
/// is installed.
#[test]
fn the_python_example_calls_the_service() {
    if Command::new("python3").arg("--version").output().is_err() {
        eprintln!("python3 not installed: skipped");
        return;
    }
    let server = Server::start(&[]);
    let mut child = Command::new("python3")
        .arg("examples/python/ladder_client.py")
        .arg(&server.base)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    assert!(child.wait().unwrap().success(), "{out}");
    assert_eq!(
        out,
        "respond_by 2026-12-30\nceiling 2027-01-21\nworking_days_left 2\nrefused 409 state.version-conflict\n"
    );
}

/// A scratch folder of this test process, removed when dropped.
struct Scratch(std::path::PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("ladder-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn file(&self, name: &str, text: &str) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_string()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Waits up to `limit` for the server to exit; its exit status, or `None`.
fn exits_within(server: &mut Server, limit: Duration) -> Option<std::process::ExitStatus> {
    let start = std::time::Instant::now();
    while start.elapsed() < limit {
        if let Some(status) = server.child.try_wait().unwrap() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

/// Reads what the server sends until it closes the connection (or 10 s).
fn read_all(stream: &mut TcpStream) -> String {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Issue 18's first fault: a connection that sent half a request head, then
/// SIGTERM. The process exits within the shutdown deadline (here 2 s; the
/// head's own timeout is 30 s), where before it ran on until killed.
#[test]
fn a_half_sent_head_does_not_hold_shutdown() {
    use std::io::Write;
    let mut server = Server::start(&["--shutdown-deadline", "2", "--header-timeout", "30"]);
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    // And a request still being answered: a body still to come.
    let mut slow = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    write!(
        slow,
        "POST {IRO}/apply HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{{"
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let asked = std::time::Instant::now();
    server.signal("TERM");
    let status = exits_within(&mut server, Duration::from_secs(10)).expect("the process exits");
    assert!(status.success(), "{status}");
    assert!(
        asked.elapsed() < Duration::from_secs(6),
        "{:?}",
        asked.elapsed()
    );
    assert!(TcpStream::connect(("127.0.0.1", server.port)).is_err());
}

/// A head not sent within --header-timeout is answered 408 with an error
/// document, and the connection closed; a body not sent within
/// --body-timeout likewise.
#[test]
fn heads_and_bodies_sent_too_slowly_are_answered_408() {
    use std::io::Write;
    let server = Server::start(&["--header-timeout", "1", "--body-timeout", "1"]);
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHo").unwrap();
    let answer = read_all(&mut stream);
    assert!(answer.starts_with("HTTP/1.1 408 "), "{answer}");
    assert!(
        answer.contains("content-type: application/json"),
        "{answer}"
    );
    let body: Value = serde_json::from_str(answer.split("\r\n\r\n").nth(1).unwrap()).unwrap();
    assert_eq!(body["code"], "http.header-timeout");

    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    write!(
        stream,
        "POST {IRO}/apply HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
         Content-Length: 100\r\nConnection: close\r\n\r\n{{"
    )
    .unwrap();
    let answer = read_all(&mut stream);
    assert!(answer.starts_with("HTTP/1.1 408 "), "{answer}");
    let body: Value = serde_json::from_str(answer.split("\r\n\r\n").nth(1).unwrap()).unwrap();
    assert_eq!(body["code"], "http.body-timeout");
    // An idle kept-alive connection is closed without an answer.
    let mut idle = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    assert_eq!(read_all(&mut idle), "");
}

/// Issue 18's second fault: 1,030 clients each send a POST's head
/// declaring 100 bytes of body and then one byte, and stop. At the default
/// settings (1,024 permits) `/healthz`, `/readyz` and a real apply are still
/// answered at once: a request takes a permit only once its body is in.
#[test]
fn a_thousand_slow_bodies_do_not_starve_health() {
    use std::io::Write;
    let server = Server::start(&["--body-timeout", "20"]);
    let mut trickling = Vec::new();
    for _ in 0..1030 {
        let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
        write!(
            stream,
            "POST {IRO}/apply HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
             Content-Length: 100\r\n\r\n{{"
        )
        .unwrap();
        trickling.push(stream);
    }
    std::thread::sleep(Duration::from_millis(500));
    let agent = ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(3))
        .build();
    for path in ["/healthz", "/readyz"] {
        let started = std::time::Instant::now();
        let response = agent.get(&server.url(path)).call().unwrap();
        assert_eq!(response.status(), 200, "{path}");
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{path}: {:?}",
            started.elapsed()
        );
    }
    let response = agent
        .post(&server.url(&format!("{IRO}/apply")))
        .set("Content-Type", "application/json")
        .send_string(&json!({"event": raise_on_21st()}).to_string())
        .unwrap();
    assert_eq!(response.status(), 200);
    // The metrics see them waiting for their bodies.
    let metrics = agent
        .get(&server.url("/metrics"))
        .call()
        .unwrap()
        .into_string()
        .unwrap();
    let in_flight = metrics
        .lines()
        .find_map(|l| l.strip_prefix("ladder_http_requests_in_flight "))
        .unwrap();
    assert!(
        in_flight.trim().parse::<f64>().unwrap() >= 1000.0,
        "{in_flight}"
    );
    drop(trickling);
}

/// Every error the HTTP layer itself gives is an error document: a path
/// that is not UTF-8, an unknown route, a wrong method, a body of another
/// type, a body too large.
#[test]
fn the_http_layers_errors_are_documents() {
    let server = Server::start(&["--body-limit", "4096"]);
    type Case<'a> = (&'a str, &'a str, &'a str, Option<&'a str>, u16, &'a str);
    let cases: [Case; 6] = [
        ("GET", "/v1/ladders/%FF", "", None, 400, "http.bad-path"),
        (
            "GET",
            "/v1/ladders/%FF/timeline?raised=2026-12-21",
            "",
            None,
            400,
            "http.bad-path",
        ),
        ("GET", "/v1/nowhere", "", None, 404, "http.not-found"),
        (
            "DELETE",
            "/v1/ladders",
            "",
            None,
            405,
            "http.method-not-allowed",
        ),
        (
            "POST",
            "/v1/ladders/iro-dispute-resolution/apply",
            "event=1",
            Some("application/x-www-form-urlencoded"),
            415,
            "http.unsupported-media-type",
        ),
        (
            "GET",
            "/v1/working-days/add?from=%FF&working_days=1",
            "",
            None,
            400,
            "request.invalid-document",
        ),
    ];
    for (method, path, body, media, status, code) in cases {
        let mut request = ureq::request(method, &server.url(path));
        if let Some(media) = media {
            request = request.set("Content-Type", media);
        }
        let (got, text) = answer(if body.is_empty() {
            request.call()
        } else {
            request.send_string(body)
        });
        let doc: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            (got, doc["code"].as_str().unwrap()),
            (status, code),
            "{method} {path}: {text}"
        );
    }
    let (status, doc) = server.post_json(
        &format!("{IRO}/apply"),
        &json!({"event": {"reason": "x".repeat(5000)}}),
    );
    assert_eq!(
        (status, doc["code"].as_str()),
        (413, Some("http.body-too-large"))
    );
    // A 405 names the methods the path takes, and is counted under its
    // route's template.
    let not_allowed = ureq::put(&server.url(&format!("{IRO}/apply"))).call();
    let Err(ureq::Error::Status(405, response)) = not_allowed else {
        panic!("expected 405, got {not_allowed:?}");
    };
    assert_eq!(response.header("allow"), Some("POST"));
    let metrics = ureq::get(&server.url("/metrics"))
        .call()
        .unwrap()
        .into_string()
        .unwrap();
    assert!(
        metrics.contains(
            r#"ladder_http_requests_total{route="/v1/ladders/:id/apply",method="PUT",status="405"} 1"#
        ),
        "{metrics}"
    );
}

/// Bearer tokens: 401 without one (or with an unknown one), 403 for an API
/// token on an admin endpoint, health and readiness open; JSON access-log
/// lines with the route template and the request id, never the token; the
/// request id echoed; and the metrics as Prometheus reads them.
#[test]
fn tokens_access_logs_and_metrics() {
    let scratch = Scratch::new("auth");
    let client = "client-0123456789abcdef";
    let admin = "admin-0123456789abcdef";
    let tokens = scratch.file("tokens", &format!("# the case system\n{client}\n"));
    let admin_tokens = scratch.file("admin-tokens", &format!("{admin}\n"));
    let log = scratch.0.join("log.jsonl");
    let mut server = Server::start_with(
        &[
            "--tokens",
            &tokens,
            "--admin-tokens",
            &admin_tokens,
            "--log-format",
            "json",
            "--log-level",
            "info",
        ],
        &[],
        Some(&log),
    );
    let apply = server.url(&format!("{IRO}/apply"));
    let body = json!({"event": raise_on_21st()}).to_string();
    let post = |token: Option<&str>| -> Result<ureq::Response, Box<ureq::Error>> {
        let mut request = ureq::post(&apply).set("Content-Type", "application/json");
        if let Some(token) = token {
            request = request.set("Authorization", &format!("Bearer {token}"));
        }
        request.send_string(&body).map_err(Box::new)
    };
    match post(None).map_err(|e| *e) {
        Err(ureq::Error::Status(401, response)) => {
            assert_eq!(
                response.header("www-authenticate"),
                Some("Bearer realm=\"ladder\"")
            );
            let doc: Value = response.into_json().unwrap();
            assert_eq!(doc["code"], "http.unauthorized");
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        post(Some("client-0123456789abcdeX")).map_err(|e| *e),
        Err(ureq::Error::Status(401, _))
    ));
    let ok = post(Some(client)).unwrap();
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.header("x-request-id").map(str::len), Some(16));
    let given = ureq::post(&apply)
        .set("Content-Type", "application/json")
        .set("Authorization", &format!("Bearer {admin}"))
        .set("X-Request-Id", "case-system-42")
        .send_string(&body)
        .unwrap();
    assert_eq!(given.header("x-request-id"), Some("case-system-42"));
    let unsafe_id = ureq::get(&server.url("/healthz"))
        .set("X-Request-Id", "two words")
        .call()
        .unwrap();
    assert_ne!(unsafe_id.header("x-request-id"), Some("two words"));
    let reload = |token: &str| -> Result<ureq::Response, Box<ureq::Error>> {
        ureq::post(&server.url("/v1/admin/reload"))
            .set("Authorization", &format!("Bearer {token}"))
            .call()
            .map_err(Box::new)
    };
    match reload(client).map_err(|e| *e) {
        Err(ureq::Error::Status(403, response)) => {
            assert_eq!(
                response.into_json::<Value>().unwrap()["code"],
                "http.forbidden"
            )
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(reload(admin).unwrap().status(), 200);
    assert_eq!(server.get("/readyz").0, 200);
    assert!(matches!(
        ureq::get(&server.url("/metrics")).call(),
        Err(ureq::Error::Status(401, _))
    ));

    let text = ureq::get(&server.url("/metrics"))
        .set("Authorization", &format!("Bearer {client}"))
        .call()
        .unwrap()
        .into_string()
        .unwrap();
    let scrape = prometheus_parse::Scrape::parse(text.lines().map(|l| Ok(l.to_string()))).unwrap();
    let value = |name: &str, labels: &[(&str, &str)]| -> Option<f64> {
        scrape
            .samples
            .iter()
            .find(|s| s.metric == name && labels.iter().all(|(k, v)| s.labels.get(k) == Some(*v)))
            .map(|s| match &s.value {
                prometheus_parse::Value::Counter(v)
                | prometheus_parse::Value::Gauge(v)
                | prometheus_parse::Value::Untyped(v) => *v,
                prometheus_parse::Value::Histogram(h) => {
                    h.iter().map(|c| c.count).fold(0.0, f64::max)
                }
                _ => f64::NAN,
            })
    };
    let route = "/v1/ladders/:id/apply";
    assert_eq!(
        value(
            "ladder_http_requests_total",
            &[("route", route), ("status", "200"), ("method", "POST")]
        ),
        Some(2.0)
    );
    assert_eq!(
        value(
            "ladder_http_requests_total",
            &[("route", route), ("status", "401")]
        ),
        Some(2.0)
    );
    assert_eq!(
        value(
            "ladder_http_requests_total",
            &[("route", "/v1/admin/reload"), ("status", "403")]
        ),
        Some(1.0)
    );
    assert!(value("ladder_http_request_duration_seconds", &[("route", route)]).unwrap() >= 4.0);
    assert_eq!(value("ladder_reload_generation", &[]), Some(2.0));
    assert_eq!(value("ladder_http_requests_in_flight", &[]), Some(1.0)); // this one
    assert_eq!(
        value(
            "ladder_ladder_info",
            &[("procedure", "iro-dispute-resolution")]
        ),
        Some(1.0)
    );
    assert!(value("ladder_calendar_info", &[("region", "england-and-wales")]).is_some());

    server.signal("TERM");
    assert!(exits_within(&mut server, Duration::from_secs(10))
        .unwrap()
        .success());
    let log = std::fs::read_to_string(&log).unwrap();
    assert!(
        !log.contains("0123456789abcdef"),
        "a token was logged:\n{log}"
    );
    let access: Vec<Value> = log
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|l| l["target"] == "access")
        .collect();
    let line = access
        .iter()
        .find(|l| l["request_id"] == "case-system-42")
        .unwrap_or_else(|| panic!("{log}"));
    assert_eq!(line["method"], "POST");
    assert_eq!(line["route"], "/v1/ladders/{id}/apply");
    assert_eq!(line["status"], 200);
    assert!(line["duration_ms"].as_f64().unwrap() > 0.0);
    assert_eq!(access.len(), 10, "{log}");
}

/// Without tokens the service listens on loopback only, unless told.
#[test]
fn no_tokens_means_loopback_unless_told() {
    let out = Command::new(env!("CARGO_BIN_EXE_ladder"))
        .args(["serve", "--listen", "0.0.0.0:0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("without tokens"), "{stderr}");
    let scratch = Scratch::new("open");
    let log = scratch.0.join("log");
    let server = Server::start_with(
        &["--listen", "0.0.0.0:0", "--allow-unauthenticated"],
        &[],
        Some(&log),
    );
    let port = server.port;
    let (status, _) = answer(ureq::get(&format!("http://127.0.0.1:{port}/healthz")).call());
    assert_eq!(status, 200);
    // It says at start that anyone may call it.
    let mut said = String::new();
    for _ in 0..100 {
        said = std::fs::read_to_string(&log).unwrap();
        if said.contains("authentication off") {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(said.contains("authentication off"), "{said}");
}

/// HTTPS with a certificate made here, called by a real TLS client (rustls)
/// that trusts only that certificate.
#[test]
fn tls() {
    let scratch = Scratch::new("tls");
    let made =
        rcgen::generate_simple_self_signed(vec!["localhost".to_string(), "127.0.0.1".to_string()])
            .unwrap();
    let cert = scratch.file("cert.pem", &made.cert.pem());
    let key = scratch.file("key.pem", &made.key_pair.serialize_pem());
    let server = Server::start(&["--tls-cert", &cert, "--tls-key", &key]);
    assert!(
        server.base.starts_with("https://127.0.0.1:"),
        "{}",
        server.base
    );
    let mut roots = rustls::RootCertStore::empty();
    roots.add(made.cert.der().clone()).unwrap();
    let config = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
        #[allow(deprecated)]
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    let agent = ureq::AgentBuilder::new()
        .tls_config(std::sync::Arc::new(config))
        .build();
    let response = agent
        .post(&server.url(&format!("{IRO}/apply")))
        .set("Content-Type", "application/json")
        .send_string(&json!({"event": raise_on_21st()}).to_string())
        .unwrap();
    let applied: Value = response.into_json().unwrap();
    assert_eq!(applied["state"]["respond_by"], "2026-12-30");
    // Plain HTTP on the TLS port gets no answer.
    assert!(
        ureq::get(&format!("http://127.0.0.1:{}/healthz", server.port))
            .call()
            .is_err()
    );
    // A certificate the client does not trust is refused.
    assert!(ureq::get(&server.url("/healthz")).call().is_err());
}

/// The options from a TOML file, the environment and flags, in that order
/// of precedence; closures from a file that a reload reads again.
#[test]
fn config_file_environment_and_closures_file() {
    let scratch = Scratch::new("config");
    let closures = scratch.file("closures.txt", "# none yet\n");
    let config = scratch.file(
        "serve.toml",
        "body_limit = 4096\ntimeout = 30\nclosures = [\"closures.txt\"]\n",
    );
    let _ = closures;
    let server = Server::start_with(
        &["--config", &config],
        &[("LADDER_BODY_LIMIT", "8192")],
        None,
    );
    // The environment (8192) over the file (4096).
    assert_eq!(declared(&server, &format!("{IRO}/apply"), 6000).0, 400);
    assert_eq!(declared(&server, &format!("{IRO}/apply"), 9000).0, 413);
    let add = "/v1/working-days/add?from=2026-12-18&working_days=5";
    assert_eq!(server.get_json(add).1["result"], "2026-12-29");
    scratch.file("closures.txt", "2026-12-29 Christmas shutdown\n");
    let (status, _) = server.post_json("/v1/admin/reload", &json!({}));
    assert_eq!(status, 200);
    assert_eq!(server.get_json(add).1["result"], "2026-12-30");
    let (_, explained) = server.get_json("/v1/working-days/explain?from=2026-12-28&working_days=1");
    assert!(
        explained.to_string().contains("Christmas shutdown"),
        "{explained}"
    );
    // A flag over the environment.
    let server = Server::start_with(
        &["--config", &config, "--body-limit", "5000"],
        &[("LADDER_BODY_LIMIT", "8192")],
        None,
    );
    assert_eq!(declared(&server, &format!("{IRO}/apply"), 6000).0, 413);
    // An unknown key is refused, naming it.
    let bad = scratch.file("bad.toml", "body_limits = 1\n");
    let out = Command::new(env!("CARGO_BIN_EXE_ladder"))
        .args(["serve", "--config", &bad])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("body_limits"));
}
