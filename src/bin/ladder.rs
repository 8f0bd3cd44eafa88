//! `ladder`: UK working-day calendars and escalation ladders on the command
//! line. The program is [`escalation_ladder::cli`]; this file only picks its
//! allocator.

/// mimalloc for the tool's allocations: reading a large cases file allocates
/// and frees a few texts per event on every worker thread.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    escalation_ladder::cli::main()
}
