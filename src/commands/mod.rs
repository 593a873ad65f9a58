//! The command layer: one module per subcommand, each turning its command-line arguments into
//! the plain options of the stages it runs, running them in pipeline order, and printing the
//! result. Owns [`Outcome`], the exit status; the stages below know nothing of it or of clap.

mod check;
mod completions;
mod graph;
mod import;
mod man;
mod new;
mod questions;
mod update;
mod versions;

pub use questions::answers_reference;

use crate::cli::{Cli, Command};
use std::io::Write;

/// How a command ended, as the process exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Done, or nothing to do (exit 0).
    Success,
    /// Done, but something needs a person: findings, conflicts, pending changes (exit 1).
    Attention,
}

impl Outcome {
    /// `Attention` when `needs_attention`, else `Success`.
    fn attention_if(needs_attention: bool) -> Outcome {
        if needs_attention {
            Outcome::Attention
        } else {
            Outcome::Success
        }
    }
}

/// Runs a parsed command line, printing to `out`. An error means exit status 2.
pub fn run(cli: Cli, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let outcome = match cli.command {
        Command::New(args) => new::run(&args, out)?,
        Command::Update(args) => update::run(&args, out)?,
        Command::Check(args) => check::run(&args, out)?,
        Command::Questions(args) => questions::run(&args, out)?,
        Command::Versions(args) => versions::run(&args, out)?,
        Command::Graph(args) => graph::run(&args, out)?,
        Command::Import(args) => import::run(&args, out)?,
        Command::Completions(args) => completions::run(&args, out)?,
        Command::Man(args) => man::run(&args, out)?,
    };
    out.flush().map_err(output_error)?;
    Ok(outcome)
}

/// The error of a failed write to standard output (a full disk, a closed file).
fn output_error(error: std::io::Error) -> anyhow::Error {
    anyhow::anyhow!("cannot write the output: {error}")
}

/// A note for the person on standard error. A failed write to it is not worth failing for, and
/// never panics.
fn note(text: &str) {
    let _ = writeln!(
        std::io::stderr(),
        "note: {}",
        crate::suggest::escape_control(text)
    );
}

/// Writes text to the output, with the error a person can act on.
/// Control characters in it (from values, keys or file names) are shown escaped.
fn print(out: &mut dyn Write, text: &str) -> anyhow::Result<()> {
    out.write_all(crate::suggest::escape_control(text).as_bytes())
        .map_err(output_error)
}
