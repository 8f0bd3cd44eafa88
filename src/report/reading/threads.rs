//! Reading on threads: the calling thread reads lines into batches and deals
//! them to workers, one per core, which parse and replay them; the results
//! come back in the same turn, so cases and errors keep the order of the lines.

use std::collections::hash_map::Entry;
use std::io::BufRead;
use std::sync::{mpsc, Arc};

use chrono::NaiveDate;

use crate::input::limits::MAX_LINE_BYTES;

use super::super::case::Case;
use super::super::error::{CaseError, RecordError};
use super::super::intern::{FastMap, Interner};
use super::super::procedures::Procedures;
use super::line::{parse_line, read_line_within, Line};
use super::replay::replay_record_twice;
use super::CaseReader;

impl<R: BufRead> CaseReader<'_, R> {
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
                        let (parsed, data) =
                            parse_batch(batch, procedures, until, None, &mut strings);
                        let parsed = parsed.into_iter().map(|p| p.map(|(case, _)| case));
                        if send_parsed.send((parsed.collect(), data)).is_err() {
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
    /// With [`events_until_and_at`](Self::events_until_and_at), each case
    /// comes with the case as it stood at the earlier date.
    pub(crate) fn fold_batches<W: Send, F: Send, E>(
        mut self,
        start: impl Fn() -> W + Sync,
        fold: impl Fn(&mut W, Vec<(usize, Case, Option<Case>)>) -> Result<(), F> + Sync,
        mut each: impl FnMut(usize, Result<(), CaseError>) -> Result<(), E>,
        mut refused: impl FnMut(F),
    ) -> Result<Vec<W>, E> {
        type Done<F> = (Vec<Parsed<Arc<str>>>, Option<F>, Vec<u8>);
        let workers = std::thread::available_parallelism()
            .map_or(1, std::num::NonZeroUsize::get)
            .clamp(1, MAX_WORKERS);
        let procedures = self.procedures;
        let (until, earlier) = (self.until, self.earlier);
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
                        let (parsed, data) =
                            parse_batch(batch, procedures, until, earlier, &mut strings);
                        let mut cases = Vec::with_capacity(parsed.len());
                        let ids = parsed
                            .into_iter()
                            .map(|parsed| match parsed {
                                Parsed::Record {
                                    line,
                                    result: Ok((case, then)),
                                } => {
                                    let id = Arc::clone(&case.id);
                                    cases.push((line, case, then));
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

impl<C> Parsed<C> {
    /// The same result with its record's case mapped.
    fn map<D>(self, f: impl FnOnce(C) -> D) -> Parsed<D> {
        match self {
            Parsed::Record { line, result } => Parsed::Record {
                line,
                result: result.map(f),
            },
            Parsed::Failed(error) => Parsed::Failed(error),
        }
    }
}

/// A case, and the case as it stood at an earlier date when one was asked for.
type Replayed = (Case, Option<Case>);

/// Parses and replays a batch's lines (a worker's part of
/// [`CaseReader::read_each`]).
fn parse_batch(
    batch: Batch,
    procedures: &Procedures,
    until: Option<NaiveDate>,
    earlier: Option<NaiveDate>,
    strings: &mut Interner,
) -> (Vec<Parsed<Replayed>>, Vec<u8>) {
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
                result: replay_record_twice(&record.view(), procedures, until, earlier, strings)
                    .map_err(|reason| (record.case.0.into_owned(), reason)),
            },
        });
    }
    (out, data)
}
