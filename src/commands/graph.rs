//! `openedx-devops graph [DIR]`: the Terragrunt unit dependency graph as Mermaid or DOT.

use super::{Outcome, print};
use crate::cli::{GraphArgs, GraphFormat};
use crate::graph::Format;
use std::io::Write;

pub(super) fn run(args: &GraphArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let units = crate::validate::unit_graph(&args.dir)?;
    if units.is_empty() {
        anyhow::bail!(
            "`{}` has no Terragrunt units (no terragrunt.hcl below it)",
            args.dir.display()
        );
    }
    let format = match args.format {
        GraphFormat::Mermaid => Format::Mermaid,
        GraphFormat::Dot => Format::Dot,
    };
    print(out, &crate::graph::render(&units, format))?;
    Ok(Outcome::Success)
}
