//! Reading a cases file: JSON Lines in, compact [`Case`]s out.

use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::io::BufRead;
use std::sync::{mpsc, Arc};

use chrono::NaiveDate;
use serde::Deserialize;

use crate::engine::{
    advance, advance_for, apply, AlertState, EngineError, Event, EventKind, OwnedTransition, Phase,
};

use crate::input::limits::{check_length, MAX_EVENTS_PER_CASE, MAX_LINE_BYTES, MAX_NAME_BYTES};

use super::case::{Case, CaseRecord, Closure, Departure, MoveKind, StageVisit};
use super::error::{CaseError, RecordError};
use super::intern::{FastMap, Interner};
use super::procedures::{LadderEntry, Procedures};

/// Reads a cases file (JSON Lines, one [`CaseRecord`] a line) and yields one
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
            line: 0,
            buffer: Vec::new(),
            strings: Interner::default(),
            seen: FastMap::default(),
            failed_to_read: false,
        }
    }

    /// Replays only the events dated on or before `date`, and lets time act up
    /// to it ([`advance`]): each case is as it stood at the end of that day.
    /// Later events are checked all the same (replayed, then set aside), so a
    /// record counts only if every one of its events is valid; a record whose
    /// events all come later yields a case not raised
    /// (phase [`Phase::NotRaised`], no visits). Reports read their cases this
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

    /// Reads every record, and hands each case (or the error of each refused
    /// record) to `each` with its line, in the order of the lines, until
    /// `each` returns an error, which is returned. Records are parsed and
    /// replayed on worker threads, one per core, a batch of lines at a time,
    /// while this thread reads the lines, checks case ids for duplicates and
    /// hands the cases on: the cases, the errors and their line numbers are
    /// those the iterator yields, in the same order.
    ///
    /// # Errors
    ///
    /// The first error `each` returns.
    ///
    /// # Example
    ///
    /// ```
    /// use escalation_ladder::report::{CaseReader, Procedures};
    ///
    /// let procedures = Procedures::builtin()?;
    /// let raise = r#"[{"on":"2026-11-02","actor":"iro","type":"raise","reason":"x"}]"#;
    /// let input = format!(
    ///     "{{\"case\":\"A\",\"ladder\":\"iro-dispute-resolution\",\"events\":{raise}}}\n\
    ///      {{\"case\":\"A\",\"ladder\":\"iro-dispute-resolution\",\"events\":{raise}}}\n"
    /// );
    /// let mut seen = Vec::new();
    /// let first_error = CaseReader::new(input.as_bytes(), &procedures).read_each(|line, case| {
    ///     seen.push(line);
    ///     case.map(|_| ())
    /// });
    /// assert_eq!(seen, [1, 2]);
    /// assert_eq!(
    ///     first_error.unwrap_err().to_string(),
    ///     "line 2: case 'A': expected a case id not used before, found one already used on line 1"
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn read_each<E>(
        mut self,
        mut each: impl FnMut(usize, Result<Case, CaseError>) -> Result<(), E>,
    ) -> Result<(), E> {
        let workers = std::thread::available_parallelism()
            .map_or(1, std::num::NonZeroUsize::get)
            .clamp(1, MAX_WORKERS);
        let procedures = self.procedures;
        let until = self.until;
        std::thread::scope(|scope| {
            let mut to_workers = Vec::with_capacity(workers);
            let mut from_workers = Vec::with_capacity(workers);
            for _ in 0..workers {
                let (send_batch, batches) = mpsc::channel::<Batch>();
                let (send_parsed, parsed) = mpsc::channel::<(Vec<Parsed>, Vec<u8>)>();
                scope.spawn(move || {
                    let mut strings = Interner::default();
                    for batch in batches {
                        let out = parse_batch(batch, procedures, until, &mut strings);
                        if send_parsed.send(out).is_err() {
                            break;
                        }
                    }
                });
                to_workers.push(send_batch);
                from_workers.push(parsed);
            }
            // Batches go to the workers in turn and come back in the same
            // turn, so the lines stay in order without sorting.
            let in_flight = workers * BATCHES_IN_FLIGHT;
            let mut reshared = FastMap::default();
            // The batches' buffers, back from the workers for the next lines.
            let mut spare: Vec<Vec<u8>> = Vec::new();
            let (mut sent, mut received) = (0usize, 0usize);
            loop {
                sent = self.send_batches(&to_workers, &mut spare, sent, received + in_flight);
                if sent == received {
                    return Ok(());
                }
                // A worker that is gone panicked: the scope passes its panic on.
                let Ok((batch, data)) = from_workers[received % workers].recv() else {
                    return Ok(());
                };
                received += 1;
                spare.push(data);
                for parsed in batch {
                    let (line, case) = self.settle(parsed, &mut reshared);
                    each(line, case)?;
                }
            }
        })
    }

    /// Reads every record as [`read_each`](Self::read_each) does, but hands
    /// each batch's cases with their lines, in order, to `fold` on the
    /// worker thread that replayed them, with that worker's state (made by
    /// `start`): the cases stay with the worker (dropped there, or kept in
    /// its state). `each` is called on this thread for every non-blank
    /// line in order, with the error of a refused record (a duplicate case id
    /// included) as `read_each` gives it, and `refused` with each error of
    /// `fold`, in the order of the batches, once the batch's lines are handed
    /// on. A batch with a refused record is folded all the same (its other
    /// cases); callers stop at the first error. Returns the workers' states.
    pub(crate) fn fold_batches<W: Send, F: Send, E>(
        mut self,
        start: impl Fn() -> W + Sync,
        fold: impl Fn(&mut W, Vec<(usize, Case)>) -> Result<(), F> + Sync,
        mut each: impl FnMut(usize, Result<(), CaseError>) -> Result<(), E>,
        mut refused: impl FnMut(F),
    ) -> Result<Vec<W>, E> {
        type Done<F> = (Vec<Parsed<Arc<str>>>, Option<F>, Vec<u8>);
        let workers = std::thread::available_parallelism()
            .map_or(1, std::num::NonZeroUsize::get)
            .clamp(1, MAX_WORKERS);
        let procedures = self.procedures;
        let until = self.until;
        let (start, fold) = (&start, &fold);
        std::thread::scope(|scope| {
            let mut to_workers = Vec::with_capacity(workers);
            let mut from_workers = Vec::with_capacity(workers);
            let mut handles = Vec::with_capacity(workers);
            for _ in 0..workers {
                let (send_batch, batches) = mpsc::channel::<Batch>();
                let (send_done, done) = mpsc::channel::<Done<F>>();
                handles.push(scope.spawn(move || {
                    let mut strings = Interner::default();
                    let mut state = start();
                    for batch in batches {
                        let (parsed, data) = parse_batch(batch, procedures, until, &mut strings);
                        let mut cases = Vec::with_capacity(parsed.len());
                        let ids = parsed
                            .into_iter()
                            .map(|parsed| match parsed {
                                Parsed::Record {
                                    line,
                                    result: Ok(case),
                                } => {
                                    let id = Arc::clone(&case.id);
                                    cases.push((line, case));
                                    Parsed::Record {
                                        line,
                                        result: Ok(id),
                                    }
                                }
                                Parsed::Record {
                                    line,
                                    result: Err(error),
                                } => Parsed::Record {
                                    line,
                                    result: Err(error),
                                },
                                Parsed::Failed(error) => Parsed::Failed(error),
                            })
                            .collect();
                        let folded = fold(&mut state, cases).err();
                        if send_done.send((ids, folded, data)).is_err() {
                            break;
                        }
                    }
                    state
                }));
                to_workers.push(send_batch);
                from_workers.push(done);
            }
            let in_flight = workers * BATCHES_IN_FLIGHT;
            let mut spare: Vec<Vec<u8>> = Vec::new();
            let (mut sent, mut received) = (0usize, 0usize);
            loop {
                sent = self.send_batches(&to_workers, &mut spare, sent, received + in_flight);
                if sent == received {
                    break;
                }
                // A worker that is gone panicked: the scope passes its panic on.
                let Ok((ids, folded, data)) = from_workers[received % workers].recv() else {
                    break;
                };
                received += 1;
                spare.push(data);
                for parsed in ids {
                    let (line, result) = self.settle_id(parsed);
                    each(line, result)?;
                }
                if let Some(error) = folded {
                    refused(error);
                }
            }
            // The workers end when their channels close.
            drop(to_workers);
            Ok(handles
                .into_iter()
                .map(|handle| {
                    handle
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
                .collect())
        })
    }

    /// [`settle`](Self::settle) for [`fold_batches`](Self::fold_batches): the
    /// duplicate check alone.
    fn settle_id(&mut self, parsed: Parsed<Arc<str>>) -> (usize, Result<(), CaseError>) {
        let (line, result) = self.first_of_its_id(parsed, Arc::clone);
        (line, result.map(drop))
    }

    /// The check that needs every line before this one: a record whose case
    /// id (`id_of` it) came on an earlier line is refused as a duplicate, and
    /// so is a refused record whose id did (the duplicate is the first thing
    /// wrong with it); a new id is remembered with its line.
    fn first_of_its_id<C>(
        &mut self,
        parsed: Parsed<C>,
        id_of: impl FnOnce(&C) -> Arc<str>,
    ) -> (usize, Result<C, CaseError>) {
        let (line, result) = match parsed {
            Parsed::Failed(error) => return (error.line, Err(error)),
            Parsed::Record { line, result } => (line, result),
        };
        let duplicate = |id: &str, first_line: usize| CaseError {
            line,
            case: Some(id.to_string()),
            reason: RecordError::DuplicateCase { first_line },
        };
        let result = match result {
            Ok(record) => match self.seen.entry(id_of(&record)) {
                Entry::Occupied(first) => Err(duplicate(first.key(), *first.get())),
                Entry::Vacant(slot) => {
                    slot.insert(line);
                    Ok(record)
                }
            },
            Err((id, reason)) => Err(match self.seen.get(id.as_str()) {
                Some(&first_line) => duplicate(&id, first_line),
                None => CaseError {
                    line,
                    case: Some(id),
                    reason,
                },
            }),
        };
        (line, result)
    }

    /// Hands batches of the next lines to the workers in turn (the `sent`-th
    /// to worker `sent % workers`, so they come back in the same turn) until
    /// `up_to` batches have been sent or the input ends; the batches' buffers
    /// are taken from `spare` first. Returns how many have been sent.
    fn send_batches(
        &mut self,
        to_workers: &[mpsc::Sender<Batch>],
        spare: &mut Vec<Vec<u8>>,
        mut sent: usize,
        up_to: usize,
    ) -> usize {
        while sent < up_to {
            let data = spare
                .pop()
                .unwrap_or_else(|| Vec::with_capacity(BATCH_BYTES + BATCH_BYTES / 4));
            let Some(batch) = self.next_batch(data) else {
                break;
            };
            if to_workers[sent % to_workers.len()].send(batch).is_err() {
                break;
            }
            sent += 1;
        }
        sent
    }

    /// The next lines, up to [`BATCH_BYTES`], with blank lines left out, in
    /// `data` (a buffer a worker gave back, or a new one); none once the input
    /// has ended (or failed).
    fn next_batch(&mut self, mut data: Vec<u8>) -> Option<Batch> {
        data.clear();
        let mut batch = Batch {
            data,
            pieces: Vec::new(),
        };
        while batch.data.len() < BATCH_BYTES && !self.failed_to_read {
            let start = batch.data.len();
            self.line += 1;
            let line = self.line;
            match read_line_within(&mut self.input, &mut batch.data, start, MAX_LINE_BYTES) {
                Ok(Line::End) => {
                    self.failed_to_read = true;
                }
                Ok(Line::Read) => {
                    let mut from = start;
                    if line == 1 && batch.data[start..].starts_with(b"\xef\xbb\xbf") {
                        from += 3;
                    }
                    if batch.data[from..].iter().all(u8::is_ascii_whitespace) {
                        batch.data.truncate(start);
                        continue;
                    }
                    let end = batch.data.len();
                    batch.pieces.push(Piece::Line { line, from, end });
                }
                Ok(Line::TooLong) => {
                    batch.data.truncate(start);
                    batch.pieces.push(Piece::Failed(CaseError {
                        line,
                        case: None,
                        reason: RecordError::LineTooLong {
                            limit: MAX_LINE_BYTES,
                        },
                    }));
                }
                Err(e) => {
                    self.failed_to_read = true;
                    batch.pieces.push(Piece::Failed(CaseError {
                        line,
                        case: None,
                        reason: RecordError::Read {
                            message: e.to_string(),
                        },
                    }));
                }
            }
        }
        (!batch.pieces.is_empty()).then_some(batch)
    }

    /// A worker's result for one line, with the checks that need every line
    /// before it: a case id seen before, and the reader's shared strings.
    /// `reshared` maps a worker's shared string (by address: the worker's
    /// interner keeps it alive) to the reader's, so a text is hashed once.
    fn settle(
        &mut self,
        parsed: Parsed,
        reshared: &mut FastMap<usize, Arc<str>>,
    ) -> (usize, Result<Case, CaseError>) {
        let (line, result) = self.first_of_its_id(parsed, |case| Arc::clone(&case.id));
        let strings = &mut self.strings;
        let result = result.map(|mut case| {
            let texts = [&mut case.team, &mut case.worker, &mut case.state.outcome];
            for shared in texts.into_iter().flatten() {
                let address = Arc::as_ptr(shared) as *const u8 as usize;
                let ours = reshared
                    .entry(address)
                    .or_insert_with(|| strings.intern(shared));
                *shared = Arc::clone(ours);
            }
            case
        });
        (line, result)
    }
}

/// How many threads at most parse and replay records for [`CaseReader::read_each`].
const MAX_WORKERS: usize = 8;

/// About how many bytes of lines a batch holds.
const BATCH_BYTES: usize = 256 * 1024;

/// How many batches each worker may have waiting or done and not yet handed on.
const BATCHES_IN_FLIGHT: usize = 4;

/// Lines for a worker: their bytes one after another, and where each is.
struct Batch {
    data: Vec<u8>,
    pieces: Vec<Piece>,
}

/// One non-blank line of a [`Batch`].
enum Piece {
    /// The line numbered `line` is `data[from..end]`.
    Line {
        line: usize,
        from: usize,
        end: usize,
    },
    /// A line that could not be read (too long, or the input failed).
    Failed(CaseError),
}

/// A worker's result for one line.
enum Parsed<C = Case> {
    /// The record was read: its case (or, for [`CaseReader::fold_batches`],
    /// its id), or its case id and why it was refused.
    Record {
        line: usize,
        result: Result<C, (String, RecordError)>,
    },
    /// The line is not a record, or could not be read.
    Failed(CaseError),
}

/// Parses and replays a batch's lines (a worker's part of
/// [`CaseReader::read_each`]).
fn parse_batch(
    batch: Batch,
    procedures: &Procedures,
    until: Option<NaiveDate>,
    strings: &mut Interner,
) -> (Vec<Parsed>, Vec<u8>) {
    let Batch { data, pieces } = batch;
    let mut out = Vec::with_capacity(pieces.len());
    for piece in pieces {
        let (line, from, end) = match piece {
            Piece::Line { line, from, end } => (line, from, end),
            Piece::Failed(error) => {
                out.push(Parsed::Failed(error));
                continue;
            }
        };
        out.push(match parse_line(&data[from..end], line) {
            Err(error) => Parsed::Failed(error),
            Ok(record) => Parsed::Record {
                line,
                result: replay_record(&record.view(), procedures, until, strings)
                    .map_err(|reason| (record.case.0.into_owned(), reason)),
            },
        });
    }
    (out, data)
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

impl Case {
    /// Replays one record's events: the compact case, or why it was refused.
    ///
    /// # Errors
    ///
    /// [`RecordError::UnknownLadder`], [`RecordError::NoEvents`], or
    /// [`RecordError::Event`] for the first event the engine refuses.
    ///
    /// # Example
    ///
    /// A CP conference concern raised on Thursday 24 December 2026: level 1's two
    /// working days skip Christmas Day and the Boxing Day substitute (Monday 28th).
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use escalation_ladder::report::{Case, CaseRecord, Procedures};
    ///
    /// let procedures = Procedures::builtin()?;
    /// let record: CaseRecord = serde_json::from_str(r#"{"case":"CP-1","ladder":"cp-conference-concerns",
    ///   "events":[{"on":"2026-12-24","actor":"chair","type":"raise","reason":"plan not implemented"}]}"#)?;
    /// let case = Case::from_record(&record, &procedures)?;
    /// assert_eq!(case.visits[0].due_as_set, NaiveDate::from_ymd_opt(2026, 12, 30));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_record(record: &CaseRecord, procedures: &Procedures) -> Result<Case, RecordError> {
        replay_record(
            &RecordView::of(record),
            procedures,
            None,
            &mut Interner::default(),
        )
    }

    /// A case replayed as it stood at the end of `as_of`: events dated later are
    /// not replayed, and time acts up to `as_of` ([`advance`]), so review
    /// decisions nobody answered are deemed agreed.
    ///
    /// # Errors
    ///
    /// As [`Case::from_record`].
    ///
    /// # Example
    ///
    /// Review decisions received by the team manager on Friday 18 December 2026
    /// are deemed agreed on Wednesday 30th, after Christmas:
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use escalation_ladder::engine::Phase;
    /// use escalation_ladder::report::{Case, CaseRecord, Procedures};
    ///
    /// let procedures = Procedures::builtin()?;
    /// let record: CaseRecord = serde_json::from_str(r#"{"case":"LAC-1","ladder":"lac-review-decisions",
    ///   "events":[{"on":"2026-12-14","actor":"iro","type":"raise","reason":"review"},
    ///             {"on":"2026-12-18","actor":"iro","type":"escalate","reason":"decisions sent"}]}"#)?;
    /// let before = Case::from_record_as_of(&record, &procedures, NaiveDate::from_ymd_opt(2026, 12, 29).unwrap())?;
    /// assert_eq!(before.state.phase, Phase::AwaitingResponse);
    /// let after = Case::from_record_as_of(&record, &procedures, NaiveDate::from_ymd_opt(2026, 12, 30).unwrap())?;
    /// assert_eq!(after.state.phase, Phase::DeemedAgreed);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_record_as_of(
        record: &CaseRecord,
        procedures: &Procedures,
        as_of: NaiveDate,
    ) -> Result<Case, RecordError> {
        replay_record(
            &RecordView::of(record),
            procedures,
            Some(as_of),
            &mut Interner::default(),
        )
    }
}

/// A record as read from its line: texts borrowed from the line where they
/// have no escapes, the same fields (and the same errors) as [`CaseRecord`].
#[derive(Deserialize)]
pub(super) struct LineRecord<'a> {
    /// Read to refuse a later version than this reader knows.
    #[serde(default)]
    #[allow(dead_code)]
    pub(super) schema_version:
        crate::version::SchemaVersion<{ crate::version::CASE_RECORD_SCHEMA_VERSION }>,
    #[serde(borrow)]
    pub(super) case: Text<'a>,
    #[serde(default, borrow)]
    pub(super) child: Option<Text<'a>>,
    #[serde(default, borrow)]
    pub(super) team: Option<Text<'a>>,
    #[serde(default, borrow)]
    pub(super) worker: Option<Text<'a>>,
    #[serde(borrow)]
    pub(super) ladder: Text<'a>,
    pub(super) events: Vec<Event>,
}

impl LineRecord<'_> {
    pub(super) fn view(&self) -> RecordView<'_> {
        RecordView {
            case: &self.case.0,
            child: self.child.as_ref().map(|t| &*t.0),
            team: self.team.as_ref().map(|t| &*t.0),
            worker: self.worker.as_ref().map(|t| &*t.0),
            ladder: &self.ladder.0,
            events: &self.events,
        }
    }
}

/// A JSON string, borrowed from the input when it has no escapes; its errors
/// are a `String`'s ("expected a string").
pub(super) struct Text<'a>(pub(super) Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> serde::de::Visitor<'de> for TextVisitor {
            type Value = Cow<'de, str>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: serde::de::Error>(
                self,
                v: &'de str,
            ) -> Result<Self::Value, E> {
                Ok(Cow::Borrowed(v))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Cow::Owned(v.to_string()))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Cow::Owned(v))
            }
        }
        deserializer.deserialize_string(TextVisitor).map(Text)
    }
}

/// Parses one line as a record, or the error for its line (see
/// [`fast`](super::fast) for the common shape). serde would also
/// read a struct from a JSON array; a record must be an object.
fn parse_line(bytes: &[u8], line: usize) -> Result<LineRecord<'_>, CaseError> {
    // The common shape first; anything else (and every error) is serde's.
    if let Some(record) = super::fast::read_record(bytes) {
        return Ok(record);
    }
    let parsed = match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') | None => serde_json::from_slice(bytes),
        Some(_) => {
            let found = String::from_utf8_lossy(bytes);
            let found: String = found.trim().chars().take(20).collect();
            Err(serde::de::Error::custom(format!(
                "expected a JSON object, found '{found}'"
            )))
        }
    };
    parsed.map_err(|source| CaseError {
        line,
        case: case_id_of(bytes),
        reason: RecordError::Json { source },
    })
}

/// What [`read_line_within`] found.
enum Line {
    /// A line (with its newline, if it had one) is in the buffer.
    Read,
    /// The input has ended.
    End,
    /// The line was longer than the limit: it was read past and dropped, and the
    /// buffer holds only its start.
    TooLong,
}

/// Reads one line onto the end of `buffer` (which held `start` bytes before
/// it), but never more than `limit` bytes of it: a
/// longer line is consumed to its end without being kept, so one huge line
/// costs time in proportion to its length and no memory.
fn read_line_within(
    input: &mut impl BufRead,
    buffer: &mut Vec<u8>,
    start: usize,
    limit: usize,
) -> std::io::Result<Line> {
    let mut too_long = false;
    let mut any = false;
    loop {
        let available = match input.fill_buf() {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            break;
        }
        any = true;
        let (chunk, done) = match super::fast::newline(available) {
            Some(at) => (&available[..=at], true),
            None => (available, false),
        };
        let used = chunk.len();
        if !too_long {
            if buffer.len() - start + used > limit + 1 {
                too_long = true;
            } else {
                buffer.extend_from_slice(chunk);
            }
        }
        input.consume(used);
        if done {
            break;
        }
    }
    Ok(match (any, too_long) {
        (false, _) => Line::End,
        (true, false) => Line::Read,
        (true, true) => Line::TooLong,
    })
}

/// Reads just the case id of a line that failed to load, for its error message.
fn case_id_of(line: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    struct JustTheId {
        case: String,
    }
    serde_json::from_slice::<JustTheId>(line)
        .ok()
        .map(|r| r.case)
}

/// A record's fields, borrowed from a [`CaseRecord`] or from the line itself.
pub(super) struct RecordView<'r> {
    pub(super) case: &'r str,
    pub(super) child: Option<&'r str>,
    pub(super) team: Option<&'r str>,
    pub(super) worker: Option<&'r str>,
    pub(super) ladder: &'r str,
    pub(super) events: &'r [Event],
}

impl<'r> RecordView<'r> {
    fn of(record: &'r CaseRecord) -> RecordView<'r> {
        RecordView {
            case: &record.case,
            child: record.child.as_deref(),
            team: record.team.as_deref(),
            worker: record.worker.as_deref(),
            ladder: &record.ladder,
            events: &record.events,
        }
    }
}

/// Replays a record's events (up to `until`) and builds its compact case.
fn replay_record(
    record: &RecordView<'_>,
    procedures: &Procedures,
    until: Option<NaiveDate>,
    strings: &mut Interner,
) -> Result<Case, RecordError> {
    let names = [
        ("case", Some(record.case)),
        ("ladder", Some(record.ladder)),
        ("child", record.child),
        ("team", record.team),
        ("worker", record.worker),
    ];
    for (field, text) in names {
        if let Some(text) = text {
            check_length(field, text, MAX_NAME_BYTES)
                .map_err(|message| RecordError::TooLong { message })?;
        }
    }
    let entry = procedures
        .entry(record.ladder)
        .ok_or_else(|| RecordError::UnknownLadder {
            ladder: record.ladder.to_string(),
            known: procedures.id_list(),
        })?;
    if record.events.is_empty() {
        return Err(RecordError::NoEvents);
    }
    if record.events.len() > MAX_EVENTS_PER_CASE {
        return Err(RecordError::TooManyEvents {
            count: record.events.len(),
            limit: MAX_EVENTS_PER_CASE,
        });
    }
    let calendar = procedures.calendar_of(entry);
    let mut state = AlertState::new(&entry.ladder.id);
    let mut visits: Vec<StageVisit> = Vec::new();
    let count = record.events.len();
    let fail = |index: usize, source: EngineError| RecordError::Event {
        number: index + 1,
        count,
        source: Box::new(source),
    };
    // What time does by itself is recorded in the visits like any other event.
    let timed = |visits: &mut Vec<StageVisit>, t: OwnedTransition| {
        record_visit(
            entry,
            visits,
            &t.audit.event.kind,
            &t.state,
            t.audit.event.on,
        );
    };
    // Every event is replayed, also those after `until`, so that a record
    // counts only if all of it is valid (dates in order and in range, stages
    // that exist, events the engine accepts). The case is taken as it stood at
    // the end of `until`; the later events change nothing in it.
    let mut as_of: Option<(AlertState, Vec<StageVisit>)> = None;
    // An event whose id came earlier in the record is a re-delivery: it is
    // skipped, however far back the first one was.
    let mut ids: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for (index, event) in record.events.iter().enumerate() {
        if let Some(id) = event.id.as_deref() {
            if !ids.insert(id) {
                continue;
            }
        }
        if let Some(until) = until.filter(|&until| event.on > until && as_of.is_none()) {
            // The case as it stood at the end of `until`; the check of the
            // later events goes on from the state before time acted, as a
            // replay of the whole record would (a later event may itself be
            // the action time would take).
            let advanced =
                advance(&entry.ladder, calendar, &state, until).map_err(|e| fail(index, e))?;
            let state_then = advanced.state.into_owned();
            for t in advanced.transitions {
                timed(&mut visits, t);
            }
            as_of = Some((state_then, std::mem::take(&mut visits)));
        }
        let advanced =
            advance_for(&entry.ladder, calendar, &state, event).map_err(|e| fail(index, e))?;
        if !advanced.transitions.is_empty() {
            let state_after = advanced.state.into_owned();
            if as_of.is_none() {
                for t in advanced.transitions {
                    timed(&mut visits, t);
                }
            }
            state = state_after;
        }
        let next = apply(&entry.ladder, calendar, &state, event)
            .map_err(|e| fail(index, e))?
            .state;
        if as_of.is_none() {
            record_visit(entry, &mut visits, &event.kind, &next, event.on);
        }
        state = next;
    }
    match (as_of, until) {
        (Some((state_then, visits_then)), _) => {
            state = state_then;
            visits = visits_then;
        }
        (None, Some(until)) => {
            let advanced =
                advance(&entry.ladder, calendar, &state, until).map_err(|e| fail(count - 1, e))?;
            // Borrowed: time did nothing, and the state needs no copy.
            if let Cow::Owned(state_after) = advanced.state {
                for t in advanced.transitions {
                    timed(&mut visits, t);
                }
                state = state_after;
            }
        }
        (None, None) => {}
    }
    share_strings(&mut state, entry, strings);
    Ok(Case {
        id: Arc::from(record.case),
        child: record.child.map(Arc::from),
        team: record.team.map(|t| strings.intern(t)),
        worker: record.worker.map(|t| strings.intern(t)),
        state,
        visits: visits.into_boxed_slice(),
    })
}

/// Updates the visits for one applied event. `next` is the state after it.
fn record_visit(
    entry: &LadderEntry,
    visits: &mut Vec<StageVisit>,
    kind: &EventKind,
    next: &AlertState,
    on: NaiveDate,
) {
    let enter = |visits: &mut Vec<StageVisit>| {
        if let (Some(stage), Some(entered_on)) = (&next.stage, next.stage_entered_on) {
            visits.push(StageVisit {
                stage: entry.shared_stage(stage),
                entered_on,
                due_as_set: next.respond_by,
                due_in_force: next.respond_by,
                extended_on: None,
                responded_on: None,
                left_on: None,
                departure: Departure::StillThere,
            });
        }
    };
    let leave = |visits: &mut Vec<StageVisit>, departure: Departure| {
        if let Some(current) = visits.last_mut() {
            current.left_on = Some(on);
            current.departure = departure;
        }
    };
    match kind {
        EventKind::Raise { .. } | EventKind::Reopen { .. } => enter(visits),
        EventKind::Respond { .. } => {
            // A response after the alert closed: after a deemed agreement it
            // is recorded as late (the visit keeps its departure); otherwise it
            // changes no visit.
            if let Some(current) = visits.last_mut().filter(|v| v.left_on.is_some()) {
                if current.departure == Departure::Closed(Closure::DeemedAgreed) {
                    current.responded_on = current.responded_on.or(Some(on));
                }
                return;
            }
            // The first response counts: a second one (with the outcome, after
            // a decision) does not make the first later.
            if let Some(current) = visits.last_mut() {
                current.responded_on = current.responded_on.or(Some(on));
            }
            if let Some(closure) = Closure::of_phase(next.phase) {
                leave(visits, Departure::Closed(closure));
            } else if next.phase == Phase::AwaitingResponse {
                // Only a branch outcome that enters a stage leaves a response
                // awaiting one: the alert was routed on.
                leave(visits, Departure::Moved(MoveKind::Routed));
                enter(visits);
            }
        }
        EventKind::Escalate { .. } => {
            let next_stage = visits
                .last()
                .and_then(|visit| entry.ladder.stage(&visit.stage))
                .and_then(|stage| stage.next.as_ref())
                .map(|route| &*route.to);
            let how = if next_stage.is_some() && next_stage == next.stage.as_deref() {
                MoveKind::Escalated
            } else {
                MoveKind::Bypassed
            };
            leave(visits, Departure::Moved(how));
            enter(visits);
        }
        EventKind::Extend { .. } => {
            if let Some(current) = visits.last_mut() {
                current.due_in_force = next.respond_by;
                current.extended_on = Some(on);
            }
        }
        EventKind::Resolve { .. } | EventKind::DeemAgreed | EventKind::Withdraw { .. } => {
            if let Some(closure) = Closure::of_phase(next.phase) {
                leave(visits, Departure::Closed(closure));
            }
        }
        EventKind::Step { .. } => {
            // A step may start the stage's clock: the response date appears.
            if let Some(current) = visits.last_mut() {
                if current.due_as_set.is_none() {
                    current.due_as_set = next.respond_by;
                    current.due_in_force = next.respond_by;
                }
            }
        }
        EventKind::Refer { .. } | EventKind::StartDuty { .. } | EventKind::CompleteDuty { .. } => {}
    }
}

/// Points the state's ids at the ladder's shared copies, and its outcome at the
/// reader's, dropping the copies the engine made.
fn share_strings(state: &mut AlertState, entry: &LadderEntry, strings: &mut Interner) {
    state.ladder = Arc::clone(&entry.id);
    if let Some(stage) = &state.stage {
        state.stage = Some(entry.shared_stage(stage));
    }
    if let Some(category) = &state.category {
        if let Some(i) = entry.category_position(category) {
            state.category = Some(Arc::clone(&entry.categories[i]));
        }
    }
    for referral in &mut state.referrals {
        if let Some(shared) = entry.referrals.iter().find(|r| ***r == **referral) {
            *referral = Arc::clone(shared);
        }
    }
    if let Some(outcome) = &state.outcome {
        state.outcome = Some(strings.intern(outcome));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Phase;

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
    fn blank_lines_crlf_and_unknown_fields_are_accepted() {
        let procedures = procedures();
        let input = "\n   \r\n{\"case\":\"A\",\"ladder\":\"birmingham-cp-notification\",\"priority\":\"high\",\"events\":[{\"on\":\"2026-11-02\",\"actor\":\"chair\",\"type\":\"raise\",\"reason\":\"x\"}]}\r\n\n";
        let mut reader = CaseReader::new(input.as_bytes(), &procedures);
        let case = reader.next().unwrap().unwrap();
        assert_eq!(reader.line(), 3);
        assert!(reader.next().is_none());
        assert_eq!(case.team, None);
        assert_eq!(case.worker, None);
        assert_eq!(case.child, None);
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
