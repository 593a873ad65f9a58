//! Entry point: parse the command line, run it, print the error chain, set the exit code.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = openedx_devops::cli::Cli::parse();
    match openedx_devops::app::run(cli) {
        Ok(openedx_devops::app::Outcome::Success) => std::process::ExitCode::SUCCESS,
        Ok(openedx_devops::app::Outcome::Attention) => std::process::ExitCode::from(1),
        Err(error) => {
            eprintln!("{} {error:#}", console::style("error:").red().bold());
            std::process::ExitCode::from(2)
        }
    }
}
