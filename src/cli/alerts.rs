//! `ladder advance --alerts` and `ladder recompute --alerts`: the
//! operations over many stored alerts, streamed from a file (or standard
//! input) to standard output, with a progress line on a terminal.

use std::io::{self, Write};

use crate::ops::{self, AdvanceAlertsRequest, Progress as Read, RecomputeAlertsRequest, Registry};
use crate::sources::label;

use super::alert::{AdvanceArgs, RecomputeArgs};
use super::cases::{open, Progress};
use super::common::{unreadable, Failure};
use super::Io;

pub(crate) fn advance(
    args: AdvanceArgs,
    registry: &Registry,
    io: &mut Io<'_>,
) -> Result<(), Failure> {
    let Some(path) = &args.alerts else {
        unreachable!("clap requires --state or --alerts")
    };
    let request = AdvanceAlertsRequest { as_of: args.as_of };
    let (name, input) = open("alerts file", path, io.stdin)?;
    let terminal = io.stderr_is_terminal.then_some(&mut *io.stderr);
    let mut progress = Progress::new("advance", terminal, args.progress_every);
    let mut stdout = io::BufWriter::with_capacity(1 << 16, &mut *io.stdout);
    let result = ops::advance_alerts(registry, &request, input, &mut stdout, &mut |read: Read| {
        progress.case_read(read.cases, "")
    });
    progress.finish("");
    stdout.flush()?;
    result
        .map(|_| ())
        .map_err(|e| super::cases::in_file(e, &name))
}

pub(crate) fn recompute(
    args: RecomputeArgs,
    registry: &Registry,
    io: &mut Io<'_>,
) -> Result<(), Failure> {
    let Some(path) = &args.alerts else {
        unreachable!("clap requires --state and --trail, or --alerts")
    };
    let request = RecomputeAlertsRequest {
        as_of: args.as_of,
        format: args.format.clone(),
    };
    let mut moved = match &args.moved {
        Some(file) => {
            let name = label(file);
            let created =
                std::fs::File::create(file).map_err(|e| unreadable("moved file", &name, &e))?;
            Some(io::BufWriter::new(created))
        }
        None => None,
    };
    let (name, input) = open("alerts file", path, io.stdin)?;
    let terminal = io.stderr_is_terminal.then_some(&mut *io.stderr);
    let mut progress = Progress::new("recompute", terminal, args.progress_every);
    let mut stdout = io::BufWriter::with_capacity(1 << 16, &mut *io.stdout);
    let result = ops::recompute_alerts(
        registry,
        &request,
        input,
        &mut stdout,
        moved.as_mut().map(|m| m as &mut dyn Write),
        &mut |read: Read| progress.case_read(read.cases, ""),
    );
    progress.finish("");
    stdout.flush()?;
    if let Some(moved) = &mut moved {
        moved.flush()?;
    }
    result
        .map(|_| ())
        .map_err(|e| super::cases::in_file(e, &name))
}
