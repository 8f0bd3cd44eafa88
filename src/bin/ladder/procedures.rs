//! `ladder ladders`, `ladder show` and `ladder validate`: the procedures as data.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use escalation_ladder::escape::Escaped;
use escalation_ladder::ladder::{builtin, LadderError, Procedure};

use crate::common::{label, Failure};

impl From<LadderError> for Failure {
    fn from(e: LadderError) -> Self {
        Failure::Data(e.to_string())
    }
}

/// Which procedure: a built-in id, or a TOML or JSON file.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct ProcedureArg {
    /// A built-in procedure's id (see `ladder ladders`)
    #[arg(value_name = "ID")]
    pub id: Option<String>,

    /// A procedure file: TOML, or JSON if its name ends in .json (the schema,
    /// key by key: docs/ladder-schema.md)
    #[arg(long, value_name = "FILE")]
    pub file: Option<PathBuf>,
}

impl ProcedureArg {
    /// Loads and validates the procedure.
    pub fn load(&self) -> Result<Procedure, Failure> {
        match (&self.id, &self.file) {
            (Some(id), _) => Ok(builtin::procedure(id)?),
            (None, Some(path)) => Ok(Procedure::from_path(path)?),
            (None, None) => Err(Failure::Data(
                "expected a procedure ID or --file FILE".into(),
            )),
        }
    }
}

/// List the built-in procedures, one `id<TAB>title` line each.
#[derive(Debug, Args)]
pub struct LaddersArgs {}

/// Print a procedure's stage table (or a schedule's milestones) for people.
///
/// With --json or --toml, print the whole procedure instead; either loads back
/// unchanged (`ladder validate`, `--file`; JSON from a file named .json).
#[derive(Debug, Args)]
#[command(after_help = "Example: ladder show iro-dispute-resolution")]
pub struct ShowArgs {
    #[command(flatten)]
    pub procedure: ProcedureArg,

    /// Print the whole procedure as JSON
    #[arg(long, conflicts_with = "toml")]
    pub json: bool,

    /// Print the whole procedure as TOML
    #[arg(long)]
    pub toml: bool,
}

/// Check a procedure file, TOML or (named .json) JSON: a summary on success,
/// the first error (file, line, stage, field) on failure. The schema, key by
/// key: docs/ladder-schema.md.
#[derive(Debug, Args)]
#[command(after_help = "Example: ladder validate ladders/iro-dispute-resolution.toml")]
pub struct ValidateArgs {
    /// The procedure file: TOML, or JSON if its name ends in .json
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

pub fn run_ladders(_args: LaddersArgs, out: &mut impl Write) -> Result<(), Failure> {
    for procedure in builtin::try_procedures()? {
        writeln!(out, "{}\t{}", procedure.id(), procedure.title())?;
    }
    Ok(())
}

pub fn run_show(args: ShowArgs, out: &mut impl Write) -> Result<(), Failure> {
    let procedure = args.procedure.load()?;
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &procedure)?;
        writeln!(out)?;
    } else if args.toml {
        write!(out, "{}", procedure.to_toml_string()?)?;
    } else {
        match &procedure {
            Procedure::Ladder(ladder) => write!(out, "{}", ladder.stage_table())?,
            Procedure::Schedule(schedule) => write!(out, "{}", schedule.milestone_table())?,
        }
    }
    Ok(())
}

pub fn run_validate(args: ValidateArgs, out: &mut impl Write) -> Result<(), Failure> {
    let procedure = Procedure::from_path(&args.file)?;
    let assumptions = procedure.assumptions().len();
    let shape = match &procedure {
        Procedure::Ladder(ladder) => {
            let ceiling = ladder
                .ceiling
                .as_ref()
                .map(|c| format!(", ceiling {} working days", c.working_days))
                .unwrap_or_default();
            format!("ladder, {} stages{ceiling}", ladder.stages.len())
        }
        Procedure::Schedule(schedule) => {
            format!("schedule, {} milestones", schedule.milestones.len())
        }
    };
    writeln!(
        out,
        "{}: ok: '{}' ({}): {shape}, {assumptions} assumptions",
        label(&args.file),
        Escaped(procedure.id()),
        Escaped(procedure.title())
    )?;
    Ok(())
}
