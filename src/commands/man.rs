//! `openedx-devops man`: the manual page (roff).

use super::{Outcome, output_error};
use crate::cli::Cli;
use std::io::Write;

pub(super) fn run(out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let command = <Cli as clap::CommandFactory>::command();
    clap_mangen::Man::new(command)
        .render(out)
        .map_err(output_error)?;
    Ok(Outcome::Success)
}
