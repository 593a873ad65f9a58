//! `check`: offline validation of a generated repository, beyond syntax.

use crate::app::Outcome;
use crate::cli::CheckArgs;

/// Runs `check` on a repository folder.
pub fn run(args: &CheckArgs) -> anyhow::Result<Outcome> {
    anyhow::bail!("`check` of `{}` is not built yet", args.dir.display())
}
