//! `openedx-devops man [COMMAND] [--out-dir DIR]`: the manual pages (roff): the main page, one
//! subcommand's, or all of them written into a folder, so every page the main one lists exists.

use super::{Outcome, output_error};
use crate::cli::{Cli, ManArgs};
use anyhow::Context as _;
use std::io::Write;

pub(super) fn run(args: &ManArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    // Without clap's `help` subcommand, as clap_mangen writes the pages: every page the main page
    // lists is one `--out-dir` writes.
    let mut command = <Cli as clap::CommandFactory>::command().disable_help_subcommand(true);
    if let Some(dir) = &args.out_dir {
        fs_err::create_dir_all(dir)?;
        clap_mangen::generate_to(command, dir).with_context(|| {
            format!("failed to write the manual pages into `{}`", dir.display())
        })?;
        return Ok(Outcome::Success);
    }
    // Built, so that a subcommand's page is titled `openedx-devops-<name>` as the list says.
    command.build();
    let page = match &args.command {
        None => command,
        Some(name) => {
            let Some(subcommand) = command.find_subcommand(name) else {
                let names: Vec<&str> = command
                    .get_subcommands()
                    .map(|sub| sub.get_name())
                    .collect();
                anyhow::bail!(
                    "`{name}` is not a subcommand (one of: {})",
                    names.join(", ")
                );
            };
            subcommand.clone()
        }
    };
    clap_mangen::Man::new(page)
        .render(out)
        .map_err(output_error)?;
    Ok(Outcome::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_the_main_page_lists_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let args = ManArgs {
            command: None,
            out_dir: Some(dir.path().to_path_buf()),
        };
        run(&args, &mut Vec::new()).unwrap();
        let mut main = Vec::new();
        run(
            &ManArgs {
                command: None,
                out_dir: None,
            },
            &mut main,
        )
        .unwrap();
        let main = String::from_utf8(main).unwrap();
        let listed: Vec<String> = main
            .lines()
            .filter_map(|line| line.strip_suffix("(1)"))
            .map(|name| name.replace("\\-", "-"))
            .collect();
        assert!(listed.len() >= 7, "{main}");
        for name in listed {
            assert!(
                dir.path().join(format!("{name}.1")).is_file(),
                "{name}.1 is missing"
            );
        }
    }

    #[test]
    fn one_subcommand_page_and_a_typo() {
        let mut page = Vec::new();
        let args = |command: &str| ManArgs {
            command: Some(command.into()),
            out_dir: None,
        };
        run(&args("update"), &mut page).unwrap();
        assert!(
            String::from_utf8(page)
                .unwrap()
                .contains("openedx\\-devops\\-update")
        );
        assert!(run(&args("updat"), &mut Vec::new()).is_err());
    }
}
