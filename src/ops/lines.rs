//! Many alerts, one a line: JSON Lines read on worker threads, one per core,
//! a batch of lines at a time, each line's answer written in the order of
//! the lines. The report's reader works the same way
//! (`report/reading/threads.rs`): the calling thread reads the lines into
//! batches and deals them to the workers in turn, and takes the answers
//! back in the same turn, so nothing is sorted and memory stays bounded by
//! the batches in flight, whatever the length of the input.

use std::io::{self, BufRead, Write};
use std::sync::mpsc;

use crate::input::limits::MAX_LINE_BYTES;
use crate::report::{read_line_within, Line};

/// A line as the map is given it.
pub(crate) enum LineIn<'a> {
    /// The line's bytes (without its line break).
    Text(&'a [u8]),
    /// The line was longer than [`MAX_LINE_BYTES`]; it was read past unkept.
    TooLong,
}

/// Why [`map_lines`] stopped before the end of the input.
#[derive(Debug)]
pub(crate) enum LinesError {
    /// The input could not be read at this line; the lines before it were
    /// answered.
    Read { line: usize, error: io::Error },
    /// The answers could not be written.
    Write(io::Error),
}

/// How many threads at most answer lines.
const MAX_WORKERS: usize = 8;

/// About how many bytes of lines a batch holds.
const BATCH_BYTES: usize = 256 * 1024;

/// How many batches each worker may have waiting or done and not yet written.
const BATCHES_IN_FLIGHT: usize = 4;

/// Lines for a worker: their bytes one after another, and where each is.
struct Batch {
    data: Vec<u8>,
    /// Each line's number (from 1) and its bytes' place in `data` (`None`:
    /// too long).
    lines: Vec<(usize, Option<(usize, usize)>)>,
}

/// Reads `input` a line at a time (a UTF-8 byte-order mark at its start and
/// blank lines skipped), gives each line with its number (from 1) to `map`
/// on a worker thread, which appends the line's answer (if any) to the
/// first buffer it is given and anything for `side` to the second, and
/// writes the answers onto `out` (and `side`) in the order of the lines.
/// `progress` is told the lines answered so far after each batch. Returns
/// how many lines were answered.
///
/// # Errors
///
/// [`LinesError::Read`] when the input fails (the lines before it are
/// answered and written), [`LinesError::Write`] when `out` does.
pub(crate) fn map_lines<R, F>(
    mut input: R,
    map: &F,
    out: &mut dyn Write,
    mut side: Option<&mut dyn Write>,
    progress: &mut dyn FnMut(usize),
) -> Result<usize, LinesError>
where
    R: BufRead,
    F: Fn(usize, LineIn<'_>, &mut Vec<u8>, &mut Vec<u8>) + Sync,
{
    let workers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .clamp(1, MAX_WORKERS);
    let mut reader = Reader {
        line: 0,
        failed: None,
        ended: false,
    };
    std::thread::scope(|scope| {
        let mut to_workers = Vec::with_capacity(workers);
        let mut from_workers = Vec::with_capacity(workers);
        for _ in 0..workers {
            let (send_batch, batches) = mpsc::channel::<Batch>();
            let (send_done, done) = mpsc::channel::<Done>();
            scope.spawn(move || {
                for batch in batches {
                    let mut answers = Vec::with_capacity(batch.data.len() * 2);
                    let mut beside = Vec::new();
                    for &(line, at) in &batch.lines {
                        let given = match at {
                            Some((from, end)) => LineIn::Text(&batch.data[from..end]),
                            None => LineIn::TooLong,
                        };
                        map(line, given, &mut answers, &mut beside);
                    }
                    let done = Done {
                        answers,
                        beside,
                        data: batch.data,
                        lines: batch.lines.len(),
                    };
                    if send_done.send(done).is_err() {
                        break;
                    }
                }
            });
            to_workers.push(send_batch);
            from_workers.push(done);
        }
        let in_flight = workers * BATCHES_IN_FLIGHT;
        let mut spare: Vec<Vec<u8>> = Vec::new();
        let (mut sent, mut received, mut answered) = (0usize, 0usize, 0usize);
        let mut written: Result<(), io::Error> = Ok(());
        loop {
            while sent < received + in_flight && written.is_ok() {
                let data = spare
                    .pop()
                    .unwrap_or_else(|| Vec::with_capacity(BATCH_BYTES + BATCH_BYTES / 4));
                let Some(batch) = reader.next_batch(&mut input, data) else {
                    break;
                };
                if to_workers[sent % workers].send(batch).is_err() {
                    break;
                }
                sent += 1;
            }
            if sent == received {
                break;
            }
            // A worker that is gone panicked: the scope passes its panic on.
            let Ok(done) = from_workers[received % workers].recv() else {
                break;
            };
            received += 1;
            spare.push(done.data);
            // After a failed write, the batches in flight are taken back
            // and dropped.
            if written.is_ok() {
                written = out.write_all(&done.answers);
                if let (Ok(()), Some(side)) = (&written, side.as_deref_mut()) {
                    written = side.write_all(&done.beside);
                }
                answered += done.lines;
                progress(answered);
            }
        }
        drop(to_workers);
        written.map_err(LinesError::Write)?;
        match reader.failed.take() {
            Some((line, error)) => Err(LinesError::Read { line, error }),
            None => Ok(answered),
        }
    })
}

/// A worker's answers to a batch, and the batch's buffer for the next lines.
struct Done {
    answers: Vec<u8>,
    beside: Vec<u8>,
    data: Vec<u8>,
    lines: usize,
}

/// The calling thread's side: the line reached, and how reading ended.
struct Reader {
    line: usize,
    failed: Option<(usize, io::Error)>,
    ended: bool,
}

impl Reader {
    /// The next lines, up to [`BATCH_BYTES`], blank lines left out, in
    /// `data`; none once the input has ended or failed.
    fn next_batch(&mut self, input: &mut impl BufRead, mut data: Vec<u8>) -> Option<Batch> {
        data.clear();
        let mut batch = Batch {
            data,
            lines: Vec::new(),
        };
        while batch.data.len() < BATCH_BYTES && !self.ended {
            let start = batch.data.len();
            self.line += 1;
            match read_line_within(input, &mut batch.data, start, MAX_LINE_BYTES) {
                Ok(Line::End) => self.ended = true,
                Ok(Line::TooLong) => {
                    batch.data.truncate(start);
                    batch.lines.push((self.line, None));
                }
                Ok(Line::Read) => {
                    let mut from = start;
                    if self.line == 1 && batch.data[start..].starts_with(b"\xef\xbb\xbf") {
                        from += 3;
                    }
                    let mut end = batch.data.len();
                    while end > from && matches!(batch.data[end - 1], b'\n' | b'\r') {
                        end -= 1;
                    }
                    if batch.data[from..end].iter().all(u8::is_ascii_whitespace) {
                        batch.data.truncate(start);
                        continue;
                    }
                    batch.lines.push((self.line, Some((from, end))));
                }
                Err(error) => {
                    self.ended = true;
                    self.failed = Some((self.line, error));
                }
            }
        }
        (!batch.lines.is_empty()).then_some(batch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upper(_: usize, line: LineIn<'_>, out: &mut Vec<u8>, _: &mut Vec<u8>) {
        match line {
            LineIn::Text(text) => out.extend(text.to_ascii_uppercase()),
            LineIn::TooLong => out.extend_from_slice(b"(too long)"),
        }
        out.push(b'\n');
    }

    /// Every line answered once, in the order of the lines, blank lines and
    /// a byte-order mark left out, over many batches.
    #[test]
    fn answers_keep_the_order_of_the_lines() {
        let mut input = b"\xef\xbb\xbf".to_vec();
        let mut expected = Vec::new();
        for n in 0..40_000 {
            input.extend(format!("line {n:05} {}\r\n", "x".repeat(n % 50)).bytes());
            expected.extend(format!("LINE {n:05} {}\n", "X".repeat(n % 50)).bytes());
            if n % 1000 == 0 {
                input.extend_from_slice(b"  \n");
            }
        }
        let mut out = Vec::new();
        let mut seen = 0;
        let answered = map_lines(&input[..], &upper, &mut out, None, &mut |n| seen = n).unwrap();
        assert_eq!(answered, 40_000);
        assert_eq!(seen, 40_000);
        assert_eq!(out, expected);
    }

    #[test]
    fn a_line_over_the_limit_is_told_and_reading_goes_on() {
        let mut input = b"first\n".to_vec();
        input.extend(vec![b'a'; MAX_LINE_BYTES + 10]);
        input.extend_from_slice(b"\nlast");
        let mut out = Vec::new();
        map_lines(&input[..], &upper, &mut out, None, &mut |_| {}).unwrap();
        assert_eq!(out, b"FIRST\n(too long)\nLAST\n");
    }
}
