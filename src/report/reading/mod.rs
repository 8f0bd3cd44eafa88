//! Reading: a cases file into replayed cases.
//!
//! A line is read within its limit ([`line`]), parsed by the scanner of the
//! common shape ([`fast`]) or by serde ([`record`]), and its events are
//! replayed with the engine ([`replay`]); the stage visits a case keeps come
//! from the transitions the engine returns ([`visits`]). [`CaseReader`] does
//! this line by line as an iterator, or on worker threads a batch of lines at
//! a time ([`threads`]); team and worker texts are shared through an
//! [`Interner`].
//!
//! Imports run one way: `mod` (the reader) and `threads` use `line` and
//! `replay`; `line` uses `fast` and `record`; `fast` uses `record`; `replay`
//! uses `record` and `visits`.

use std::io::BufRead;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::input::limits::MAX_LINE_BYTES;

use super::case::Case;
use super::error::{CaseError, RecordError};
use super::intern::{FastMap, Interner};
use super::procedures::Procedures;

mod fast;
mod line;
mod record;
mod replay;
mod threads;
mod visits;

use line::parse_line;
pub(crate) use line::{read_line_within, Line};
use replay::replay_record;

/// Reads a cases file (JSON Lines, one [`CaseRecord`](crate::report::CaseRecord) a line) and yields one
/// [`Case`] per record, replaying its events with the engine as it goes.
///
/// Blank lines are skipped. A record that is not JSON, names an unknown ladder,
/// has no events, repeats an earlier case id or has an event the engine refuses
/// yields a [`CaseError`] with its line; reading then goes on with the next line
/// (collect into `Result<Vec<Case>, CaseError>` to stop at the first error). A
/// failure to read the input ends the iteration after its error.
///
/// A UTF-8 byte-order mark at the start of the input (as Windows tools write)
/// is skipped.
///
/// Team, worker and outcome texts are shared between cases while the reader
/// lives, and ladder, stage, category and referral ids point at the
/// [`Procedures`]' own copies, so a million cases hold one copy of each. Case
/// and child ids, nearly all distinct, are kept per case.
///
/// # Example
///
/// ```
/// use chrono::NaiveDate;
/// use escalation_ladder::report::{CaseReader, Procedures};
///
/// let procedures = Procedures::builtin()?;
/// let input = r#"
/// {"case":"IRO-1","team":"North","ladder":"iro-dispute-resolution","events":[{"on":"2026-12-18","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"}]}
/// {"case":"IRO-2","team":"North","ladder":"iro-dispute-resolution","events":[{"on":"2026-12-21","actor":"iro","type":"raise","reason":"drift"}]}
/// "#;
/// let cases = CaseReader::new(input.as_bytes(), &procedures).read_all()?;
/// assert_eq!(cases.len(), 2);
/// // Christmas Day and the Boxing Day substitute (Monday 28th) are skipped.
/// assert_eq!(cases[0].state.respond_by, NaiveDate::from_ymd_opt(2026, 12, 29));
/// // One shared copy of the team's name.
/// assert!(std::sync::Arc::ptr_eq(cases[0].team.as_ref().unwrap(), cases[1].team.as_ref().unwrap()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct CaseReader<'p, R> {
    input: R,
    procedures: &'p Procedures,
    until: Option<NaiveDate>,
    /// An earlier date the cases are also taken at (the previous period's
    /// report), for [`fold_batches`](Self::fold_batches).
    earlier: Option<NaiveDate>,
    line: usize,
    buffer: Vec<u8>,
    strings: Interner,
    seen: FastMap<Arc<str>, usize>,
    failed_to_read: bool,
}

impl<'p, R: BufRead> CaseReader<'p, R> {
    /// A reader of `input` whose records name ladders of `procedures`.
    pub fn new(input: R, procedures: &'p Procedures) -> CaseReader<'p, R> {
        CaseReader {
            input,
            procedures,
            until: None,
            earlier: None,
            line: 0,
            buffer: Vec::new(),
            strings: Interner::default(),
            seen: FastMap::default(),
            failed_to_read: false,
        }
    }

    /// Replays only the events dated on or before `date`, and lets time act up
    /// to it ([`advance`](crate::engine::advance)): each case is as it stood at the end of that day.
    /// Later events are checked all the same (replayed, then set aside), so a
    /// record counts only if every one of its events is valid; a record whose
    /// events all come later yields a case not raised
    /// (phase [`Phase::NotRaised`](crate::engine::Phase::NotRaised), no visits). Reports read their cases this
    /// way, up to the as-of date.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use escalation_ladder::engine::Phase;
    /// use escalation_ladder::report::{CaseReader, Procedures};
    ///
    /// let procedures = Procedures::builtin()?;
    /// let input = concat!(
    ///     r#"{"case":"L-1","ladder":"lac-review-decisions","events":["#,
    ///     r#"{"on":"2026-11-02","actor":"iro","type":"raise","reason":"decisions sent"},"#,
    ///     r#"{"on":"2026-11-12","actor":"iro","type":"escalate","reason":"to the team manager"}]}"#,
    /// );
    /// let until = NaiveDate::from_ymd_opt(2026, 11, 11).unwrap();
    /// let cases = CaseReader::new(input.as_bytes(), &procedures).events_until(until).read_all()?;
    /// assert_eq!(cases[0].state.phase, Phase::AwaitingResponse);
    /// assert_eq!(cases[0].visits.len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn events_until(mut self, date: NaiveDate) -> CaseReader<'p, R> {
        self.until = Some(date);
        self
    }

    /// As [`events_until`](Self::events_until) `date`, each case also taken
    /// as it stood at the end of `earlier` (on or before `date`), from the
    /// same replay: what [`ReportBuilder`](crate::report::ReportBuilder)
    /// counts the previous period's report from.
    pub(crate) fn events_until_and_at(
        mut self,
        date: NaiveDate,
        earlier: NaiveDate,
    ) -> CaseReader<'p, R> {
        self.until = Some(date);
        self.earlier = Some(earlier);
        self
    }

    /// The 1-based number of the last line read (0 before the first).
    pub fn line(&self) -> usize {
        self.line
    }

    /// Reads every record, stopping at the first error.
    ///
    /// # Errors
    ///
    /// The first [`CaseError`].
    pub fn read_all(self) -> Result<Vec<Case>, CaseError> {
        let mut cases: Vec<Case> = Vec::new();
        self.read_each(|_, case| {
            cases.push(case?);
            Ok(())
        })?;
        cases.shrink_to_fit();
        Ok(cases)
    }

    fn read_record(&mut self) -> Option<Result<Case, CaseError>> {
        loop {
            if self.failed_to_read {
                return None;
            }
            self.buffer.clear();
            self.line += 1;
            match read_line_within(&mut self.input, &mut self.buffer, 0, MAX_LINE_BYTES) {
                Ok(Line::End) => return None,
                Ok(Line::Read) => {}
                Ok(Line::TooLong) => {
                    return Some(Err(CaseError {
                        line: self.line,
                        case: None,
                        reason: RecordError::LineTooLong {
                            limit: MAX_LINE_BYTES,
                        },
                    }))
                }
                Err(e) => {
                    self.failed_to_read = true;
                    return Some(Err(CaseError {
                        line: self.line,
                        case: None,
                        reason: RecordError::Read {
                            message: e.to_string(),
                        },
                    }));
                }
            }
            // A UTF-8 byte-order mark starts the file, not the first record.
            if self.line == 1 && self.buffer.starts_with(b"\xef\xbb\xbf") {
                self.buffer.drain(..3);
            }
            if self.buffer.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return Some(self.parse_and_replay());
        }
    }

    fn parse_and_replay(&mut self) -> Result<Case, CaseError> {
        let line = self.line;
        let record = parse_line(&self.buffer, line)?;
        if let Some(&first_line) = self.seen.get(&*record.case.0) {
            return Err(CaseError {
                line,
                case: Some(record.case.0.into_owned()),
                reason: RecordError::DuplicateCase { first_line },
            });
        }
        let case = replay_record(
            &record.view(),
            self.procedures,
            self.until,
            &mut self.strings,
        )
        .map_err(|reason| CaseError {
            line,
            case: Some(record.case.0.to_string()),
            reason,
        })?;
        self.seen.insert(Arc::clone(&case.id), line);
        Ok(case)
    }
}

impl<R: BufRead> Iterator for CaseReader<'_, R> {
    type Item = Result<Case, CaseError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.read_record()
    }
}

/// Reads every record of a cases file, stopping at the first error: a
/// shorthand for [`CaseReader::new`] and [`CaseReader::read_all`].
///
/// # Errors
///
/// The first [`CaseError`].
///
/// # Example
///
/// ```
/// use escalation_ladder::report::{read_cases, Procedures};
///
/// let procedures = Procedures::builtin()?;
/// let input = "{\"case\":\"B-1\",\"ladder\":\"birmingham-cp-notification\",\"events\":[]}\n";
/// let err = read_cases(input.as_bytes(), &procedures).unwrap_err();
/// assert_eq!(err.to_string(), "line 1: case 'B-1': expected at least one event (the raise), found none");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_cases(input: impl BufRead, procedures: &Procedures) -> Result<Vec<Case>, CaseError> {
    CaseReader::new(input, procedures).read_all()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Phase;
    use crate::report::{CaseRecord, Closure, Departure, MoveKind, StageVisit};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn procedures() -> Procedures {
        Procedures::builtin().unwrap()
    }

    /// One record, written over several lines for reading.
    fn one(record: &str) -> Case {
        let procedures = procedures();
        let line = record.replace('\n', "");
        let mut cases = read_cases(line.as_bytes(), &procedures).unwrap();
        assert_eq!(cases.len(), 1);
        cases.remove(0)
    }

    /// Raised on Friday 18 December 2026 at the team-manager stage: 5 working
    /// days skip Christmas Day (Friday) and the Boxing Day substitute (Monday
    /// 28th), so the response is due Tuesday 29 December; the ceiling, 20
    /// working days, is Wednesday 20 January 2027.
    #[test]
    fn visits_follow_escalations_extensions_and_closure() {
        let case = one(
            r#"{"case":"IRO-1","child":"C-1","team":"North","worker":"j.smith","ladder":"iro-dispute-resolution","events":[
            {"on":"2026-12-18","actor":"iro","type":"raise","stage":"team-manager","category":"failure-to-plan","reason":"no plan"},
            {"on":"2026-12-30","actor":"iro","type":"escalate","reason":"no response"},
            {"on":"2027-01-05","actor":"hos","type":"extend","until":"2027-01-22","reason":"agreed by the DD"},
            {"on":"2027-01-21","actor":"hos","type":"respond"},
            {"on":"2027-01-22","actor":"iro","type":"resolve","outcome":"plan agreed"}]}"#,
        );
        assert_eq!(&*case.id, "IRO-1");
        assert_eq!(case.ladder().as_ref(), "iro-dispute-resolution");
        assert_eq!(case.state.ceiling, Some(d(2027, 1, 20)));
        assert_eq!(case.state.phase, Phase::Resolved);
        assert_eq!(case.closed(), Some((Closure::Resolved, d(2027, 1, 22))));
        assert_eq!(
            case.visits.as_ref(),
            [
                StageVisit {
                    stage: "team-manager".into(),
                    entered_on: d(2026, 12, 18),
                    due_as_set: Some(d(2026, 12, 29)),
                    due_in_force: Some(d(2026, 12, 29)),
                    extended_on: None,
                    responded_on: None,
                    left_on: Some(d(2026, 12, 30)),
                    departure: Departure::Moved(MoveKind::Escalated),
                },
                StageVisit {
                    stage: "head-of-service".into(),
                    entered_on: d(2026, 12, 30),
                    // 5 working days from 30 December: 31st, 4, 5, 6, 7 January
                    // (New Year's Day is skipped).
                    due_as_set: Some(d(2027, 1, 7)),
                    due_in_force: Some(d(2027, 1, 22)),
                    extended_on: Some(d(2027, 1, 5)),
                    responded_on: Some(d(2027, 1, 21)),
                    left_on: Some(d(2027, 1, 22)),
                    departure: Departure::Closed(Closure::Resolved),
                },
            ]
        );
        assert!(case.visits[1].was_extended());
        assert!(case.state.breaches.extended_beyond_ceiling);
        assert!(case.state.breaches.ceiling_breached);
        let moves: Vec<_> = case.moves().map(|m| (m.on, m.kind)).collect();
        assert_eq!(moves, [(d(2026, 12, 30), MoveKind::Escalated)]);
    }

    /// Nottingham: an unsatisfactory response routes the concern to a provider
    /// meeting (2 weeks, rolled back to a working day); a suspension is
    /// considered and the provider reinstated.
    #[test]
    fn outcomes_route_and_resolve() {
        let case = one(
            r#"{"case":"N-1","ladder":"nottingham-provider-concerns","events":[
            {"on":"2026-09-01","actor":"co","type":"raise","stage":"suspension","reason":"serious"},
            {"on":"2026-09-01","actor":"psm","type":"step","step":"report-passed"},
            {"on":"2026-09-10","actor":"hoc","type":"respond","outcome":"suspended"},
            {"on":"2026-09-10","actor":"qa","type":"step","step":"follow-up-report"},
            {"on":"2026-09-24","actor":"hoc","type":"respond","outcome":"reinstated"}]}"#,
        );
        let summary: Vec<_> = case
            .visits
            .iter()
            .map(|v| {
                (
                    &*v.stage,
                    v.entered_on,
                    v.due_as_set,
                    v.responded_on,
                    v.departure,
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                (
                    "suspension",
                    d(2026, 9, 1),
                    Some(d(2026, 9, 15)),
                    Some(d(2026, 9, 10)),
                    Departure::Moved(MoveKind::Routed)
                ),
                (
                    "reinstatement",
                    d(2026, 9, 10),
                    Some(d(2026, 9, 24)),
                    Some(d(2026, 9, 24)),
                    Departure::Closed(Closure::Resolved)
                ),
            ]
        );
        assert_eq!(case.state.outcome.as_deref(), Some("reinstated"));
    }

    #[test]
    fn bypass_reopen_deemed_agreement_and_withdrawal() {
        let case = one(
            r#"{"case":"OX-1","ladder":"oxfordshire-resolution-escalation","events":[
            {"on":"2026-10-05","actor":"iro","type":"raise","reason":"drift"},
            {"on":"2026-10-06","actor":"iro","type":"escalate","to":"stage-4","reason":"serious"},
            {"on":"2026-10-07","actor":"iro","type":"refer","referral":"cafcass"},
            {"on":"2026-10-08","actor":"iro","type":"withdraw","reason":"resolved in court"},
            {"on":"2026-10-12","actor":"iro","type":"reopen","reason":"not resolved after all"}]}"#,
        );
        let departures: Vec<_> = case.visits.iter().map(|v| v.departure).collect();
        assert_eq!(
            departures,
            [
                Departure::Moved(MoveKind::Bypassed),
                Departure::Closed(Closure::Withdrawn),
                Departure::StillThere
            ]
        );
        assert_eq!(&*case.visits[2].stage, "stage-4");
        assert_eq!(case.visits[2].entered_on, d(2026, 10, 12));
        assert!(case.is_open());
        assert_eq!(case.closed(), None);
        assert_eq!(case.state.referrals.len(), 1);
        assert_eq!(case.current_visit().map(|v| v.left_on), Some(None));

        // Review decisions sent on 2 November; the team manager has 5 working
        // days from the 10th and does not answer: deemed agreed on the 18th.
        let lac = one(r#"{"case":"L-1","ladder":"lac-review-decisions","events":[
            {"on":"2026-11-02","actor":"iro","type":"raise","reason":"decisions"},
            {"on":"2026-11-10","actor":"iro","type":"escalate","reason":"sent"},
            {"on":"2026-11-18","actor":"iro","type":"deem-agreed"}]}"#);
        assert_eq!(lac.visits[1].due_as_set, Some(d(2026, 11, 17)));
        assert_eq!(lac.closed(), Some((Closure::DeemedAgreed, d(2026, 11, 18))));
    }

    #[test]
    fn strings_are_shared_with_the_ladder_and_between_cases() {
        let procedures = procedures();
        let input = r#"{"case":"A","team":"T","worker":"W","ladder":"iro-dispute-resolution","events":[{"on":"2026-11-02","actor":"iro","type":"raise","category":"failure-to-plan","reason":"x"}]}
{"case":"B","team":"T","worker":"W","ladder":"iro-dispute-resolution","events":[{"on":"2026-11-03","actor":"iro","type":"raise","category":"failure-to-plan","reason":"y"}]}"#;
        let cases = read_cases(input.as_bytes(), &procedures).unwrap();
        let entry = procedures.entry("iro-dispute-resolution").unwrap();
        for case in &cases {
            assert!(Arc::ptr_eq(&case.state.ladder, &entry.id));
            assert!(Arc::ptr_eq(&case.visits[0].stage, &entry.stages[0]));
            assert!(Arc::ptr_eq(
                case.state.stage.as_ref().unwrap(),
                &entry.stages[0]
            ));
            assert!(Arc::ptr_eq(
                case.state.category.as_ref().unwrap(),
                &entry.categories[2]
            ));
        }
        assert!(Arc::ptr_eq(
            cases[0].team.as_ref().unwrap(),
            cases[1].team.as_ref().unwrap()
        ));
        assert!(Arc::ptr_eq(
            cases[0].worker.as_ref().unwrap(),
            cases[1].worker.as_ref().unwrap()
        ));
    }

    #[test]
    fn blank_lines_crlf_and_meta_are_accepted_and_unknown_fields_refused() {
        let procedures = procedures();
        let input = "\n   \r\n{\"case\":\"A\",\"ladder\":\"birmingham-cp-notification\",\"meta\":{\"priority\":\"high\"},\"events\":[{\"on\":\"2026-11-02\",\"actor\":\"chair\",\"type\":\"raise\",\"reason\":\"x\"}]}\r\n\n";
        let mut reader = CaseReader::new(input.as_bytes(), &procedures);
        let case = reader.next().unwrap().unwrap();
        assert_eq!(reader.line(), 3);
        assert!(reader.next().is_none());
        assert_eq!(case.team, None);
        assert_eq!(case.worker, None);
        assert_eq!(case.child, None);
        // The case system's own field outside `meta` is refused, named, with
        // where it goes.
        let outside = input.replace(r#""meta":{"priority":"high"}"#, r#""priority":"high""#);
        let err = CaseReader::new(outside.as_bytes(), &procedures)
            .next()
            .unwrap()
            .unwrap_err();
        assert_eq!(err.line, 3);
        let message = err.to_string();
        assert!(message.contains("unknown field `priority`"), "{message}");
        assert!(message.contains("goes in \"meta\""), "{message}");
    }

    #[test]
    fn events_after_the_cut_off_are_not_replayed() {
        let procedures = procedures();
        let input = r#"{"case":"A","ladder":"birmingham-cp-notification","events":[{"on":"2026-11-02","actor":"chair","type":"raise","reason":"x"},{"on":"2026-11-20","actor":"chair","type":"escalate","reason":"y"},{"on":"2026-11-10","actor":"chair","type":"nonsense-after-the-cut-off"}]}
{"case":"B","ladder":"birmingham-cp-notification","events":[{"on":"2026-11-24","actor":"chair","type":"raise","reason":"x"}]}"#;
        let err = read_cases(input.as_bytes(), &procedures).unwrap_err();
        assert_eq!(err.line, 1);
        let cases = CaseReader::new(input.as_bytes(), &procedures)
            .events_until(d(2026, 11, 19))
            .read_all();
        // The third event is malformed JSON for an event, so the record fails
        // to parse whatever the cut-off: events must all be events.
        assert!(cases.is_err());
        let input = input.replace(
            r#",{"on":"2026-11-10","actor":"chair","type":"nonsense-after-the-cut-off"}"#,
            "",
        );
        let cases = CaseReader::new(input.as_bytes(), &procedures)
            .events_until(d(2026, 11, 19))
            .read_all()
            .unwrap();
        assert_eq!(cases[0].visits.len(), 1);
        assert_eq!(cases[0].state.events_applied, 1);
        assert_eq!(cases[1].state.phase, Phase::NotRaised);
        assert!(cases[1].visits.is_empty());
        assert_eq!(cases[1].raised_on(), None);
    }

    /// Every kind of bad record, each with its line and (when known) its case.
    #[test]
    fn errors_name_the_line_the_case_and_the_reason() {
        let procedures = procedures();
        let raise = r#"{"on":"2026-11-02","actor":"iro","type":"raise","reason":"x"}"#;
        let input = [
            format!(r#"{{"case":"OK-1","ladder":"iro-dispute-resolution","events":[{raise}]}}"#),
            String::new(),
            "{not json".to_string(),
            r#"{"case":"NO-LADDER","events":[]}"#.to_string(),
            r#"{"case":"BAD-LADDER","ladder":"iro","events":[]}"#.to_string(),
            r#"{"case":"NO-EVENTS","ladder":"iro-dispute-resolution","events":[]}"#.to_string(),
            format!(r#"{{"case":"OK-1","ladder":"iro-dispute-resolution","events":[{raise}]}}"#),
            format!(
                r#"{{"case":"REFUSED","ladder":"iro-dispute-resolution","events":[{raise},{{"on":"2026-11-03","actor":"iro","type":"escalate","to":"nowhere","reason":"x"}}]}}"#
            ),
            format!(
                r#"{{"case":"BACKWARDS","ladder":"iro-dispute-resolution","events":[{raise},{{"on":"2026-11-01","actor":"tm","type":"respond"}}]}}"#
            ),
            r#"{"case":"BAD-EVENT","ladder":"iro-dispute-resolution","events":[{"on":"2026-11-02","type":"raise"}]}"#.to_string(),
            r#"{"case":"BAD-DATE","ladder":"iro-dispute-resolution","events":[{"on":"2026-02-30","actor":"iro","type":"raise","reason":"x"}]}"#.to_string(),
            r#"{"case":"OUT-OF-RANGE","ladder":"iro-dispute-resolution","events":[{"on":"2200-01-06","actor":"iro","type":"raise","reason":"x"}]}"#.to_string(),
            r#"["not","an","object"]"#.to_string(),
        ]
        .join("\n");
        let messages: Vec<String> = CaseReader::new(input.as_bytes(), &procedures)
            .filter_map(Result::err)
            .map(|e| e.to_string())
            .collect();
        insta::assert_snapshot!(messages.join("\n"));
    }

    /// The threaded reader hands on exactly what the iterator yields: the same
    /// cases, errors and line numbers, in the same order, over many batches,
    /// with errors in the middle (a duplicate case across batches, JSON that is
    /// not a record, a line over the limit, escapes, blank lines, a byte-order
    /// mark).
    #[test]
    fn threads_yield_what_the_iterator_yields() {
        let procedures = procedures();
        let ladders = [
            "iro-dispute-resolution",
            "birmingham-cp-notification",
            "lac-review-decisions",
        ];
        let mut input = String::from("\u{feff}");
        for n in 0..6_000 {
            let ladder = ladders[n % ladders.len()];
            let line = match n {
                1_234 => "{not json".to_string(),
                2_345 => format!(r#"{{"case":"C-{}","ladder":"{ladder}","events":[]}}"#, 17),
                3_000 => format!("{{\"case\":\"{}\"}}", "x".repeat(MAX_LINE_BYTES)),
                3_001 => r#"{"case":"ESC-\u00e9","team":"T\"1","ladder":"iro-dispute-resolution","events":[{"on":"2026-11-02","actor":"iro","type":"raise","reason":"r\n"}]}"#.to_string(),
                4_000 => r#"{"case":"BAD","ladder":"iro-dispute-resolution","events":[{"on":"2026-11-02","on":"2026-11-03","actor":"iro","type":"raise","reason":"x"}]}"#.to_string(),
                n if n % 97 == 0 => String::new(),
                n => format!(
                    r#"{{"case":"C-{n}","team":"Team {}","worker":"w{}","ladder":"{ladder}","events":[{{"on":"2026-11-{:02}","actor":"iro","type":"raise","reason":"x"}},{{"on":"2026-11-20","actor":"iro","type":"withdraw","reason":"y"}}]}}"#,
                    n % 7,
                    n % 13,
                    1 + n % 19
                ),
            };
            input.push_str(&line);
            input.push('\n');
        }
        let until = d(2026, 11, 15);
        let mut sequential = Vec::new();
        let mut reader = CaseReader::new(input.as_bytes(), &procedures).events_until(until);
        while let Some(case) = reader.next() {
            sequential.push((reader.line(), case.map_err(|e| e.to_string())));
        }
        let mut threaded = Vec::new();
        CaseReader::new(input.as_bytes(), &procedures)
            .events_until(until)
            .read_each(|line, case| {
                threaded.push((line, case.map_err(|e| e.to_string())));
                Ok::<(), ()>(())
            })
            .unwrap();
        let errors: Vec<_> = sequential.iter().filter(|(_, c)| c.is_err()).collect();
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert_eq!(sequential.len(), threaded.len());
        for (a, b) in sequential.iter().zip(&threaded) {
            assert_eq!(a, b);
        }
        // Teams are shared between cases parsed on different threads.
        let cases: Vec<&Case> = threaded
            .iter()
            .filter_map(|(_, c)| c.as_ref().ok())
            .collect();
        let first = cases[0].team.as_ref().unwrap();
        assert!(cases
            .iter()
            .filter(|c| c.team.as_deref() == Some(&**first))
            .all(|c| Arc::ptr_eq(c.team.as_ref().unwrap(), first)));
        // read_all stops at the first error, as the iterator would.
        let first_error = read_cases(input.as_bytes(), &procedures).unwrap_err();
        assert_eq!(first_error.line, 1_235);
        assert_eq!(
            Err(first_error.to_string()),
            errors[0].1.clone().map(|_| ())
        );
    }

    /// The reader follows the engine on re-delivered events: a case's state
    /// is the one `engine::replay` gives for its events, whatever the
    /// engine's rule for ids (here an escalation re-delivered after 40 other
    /// events), and a re-delivery it recognises changes no visit.
    #[test]
    fn the_reader_follows_the_engine_on_re_deliveries() {
        use crate::engine::replay;
        let procedures = procedures();
        let refer = |n: usize| {
            format!(
                r#"{{"id":"r{n}","on":"2026-10-07","actor":"iro","type":"refer","referral":"cafcass"}}"#
            )
        };
        let escalate =
            r#"{"id":"up","on":"2026-10-07","actor":"iro","type":"escalate","reason":"x"}"#;
        let raise = r#"{"id":"a","on":"2026-10-05","actor":"iro","type":"raise","reason":"drift"}"#;
        for between in [0, 40] {
            let mut events = vec![raise.to_string(), escalate.to_string()];
            events.extend((0..between).map(refer));
            events.push(escalate.to_string());
            let line = format!(
                r#"{{"case":"OX-1","ladder":"oxfordshire-resolution-escalation","events":[{}]}}"#,
                events.join(",")
            );
            let record: CaseRecord = serde_json::from_str(&line).unwrap();
            let (ladder, calendar) = procedures.get(&record.ladder).unwrap();
            let engine =
                replay(ladder, calendar, &record.events).map(|(state, trail)| (state, trail.len()));
            let read = read_cases(line.as_bytes(), &procedures);
            match (engine, read) {
                (Ok((state, applied)), Ok(cases)) => {
                    assert_eq!(cases[0].state, state);
                    assert_eq!(cases[0].state.events_applied as usize, applied);
                    // One visit per stage entered: the raise's, then one per
                    // escalation the engine applied.
                    let moves = cases[0].moves().count();
                    assert_eq!(cases[0].visits.len(), moves + 1);
                    if between == 0 {
                        assert_eq!(moves, 1);
                    }
                }
                (Err(engine), Err(read)) => {
                    assert!(read.to_string().contains(&engine.to_string()), "{read}");
                }
                (engine, read) => panic!("the engine gives {engine:?}, the reader {read:?}"),
            }
        }
    }

    /// A step sets the date "as set" only when it starts the stage's clock:
    /// extra time agreed at a stage whose window sets no date (Birmingham's
    /// discussion with the Child Protection line manager), then a step,
    /// leaves it unset.
    #[test]
    fn only_a_step_that_starts_the_clock_sets_the_date() {
        let case = one(
            r#"{"case":"B-1","ladder":"birmingham-cp-notification","events":[
            {"on":"2026-11-02","actor":"chair","type":"raise","reason":"x"},
            {"on":"2026-11-03","actor":"chair","type":"escalate","reason":"y"},
            {"on":"2026-11-04","actor":"m","type":"extend","until":"2026-11-10","reason":"agreed"},
            {"on":"2026-11-05","actor":"m","type":"step","step":"reflective-practice-discussion"}]}"#,
        );
        let visit = &case.visits[1];
        assert_eq!(&*visit.stage, "cp-line-manager");
        assert_eq!(visit.due_as_set, None);
        assert_eq!(visit.due_in_force, Some(d(2026, 11, 10)));
        assert_eq!(visit.extended_on, Some(d(2026, 11, 4)));
    }

    #[test]
    fn a_read_failure_ends_the_iteration() {
        struct Broken;
        impl std::io::Read for Broken {
            fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
                Err(std::io::Error::other("disk on fire"))
            }
        }
        let procedures = procedures();
        let mut reader = CaseReader::new(std::io::BufReader::new(Broken), &procedures);
        let err = reader.next().unwrap().unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 1: cannot read the line: disk on fire"
        );
        assert!(reader.next().is_none());
    }

    #[test]
    fn invalid_utf8_is_a_json_error_with_its_line() {
        let procedures = procedures();
        let input = b"\n{\"case\":\"\xff\"}\n";
        let err = read_cases(&input[..], &procedures).unwrap_err();
        assert_eq!(err.line, 2);
        assert_eq!(err.case, None);
        assert!(matches!(err.reason, RecordError::Json { .. }));
    }
}
