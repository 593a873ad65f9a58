//! Entry point: parse the command line, run it, print the error chain, set the exit code.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = openedx_devops::cli::Cli::parse();
    match openedx_devops::app::run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{} {error:#}", console::style("error:").red().bold());
            std::process::ExitCode::from(2)
        }
    }
}
