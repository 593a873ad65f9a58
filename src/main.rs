//! Entry point: parse the command line, run it, print the error chain, set the exit code.

use clap::Parser;

fn main() -> std::process::ExitCode {
    restore_sigpipe();
    use openedx_devops::commands::{self, Outcome};
    use std::io::Write as _;
    let cli = openedx_devops::cli::Cli::parse();
    let mut out = std::io::stdout().lock();
    match commands::run(cli, &mut out) {
        Ok(Outcome::Success) => std::process::ExitCode::SUCCESS,
        Ok(Outcome::Attention) => std::process::ExitCode::from(1),
        Err(error) => {
            // Even a failed write to standard error must not panic.
            let message = format!("{error:#}");
            let _ = writeln!(
                std::io::stderr(),
                "{} {}",
                console::style("error:").red().bold(),
                openedx_devops::escape_control(&message)
            );
            std::process::ExitCode::from(2)
        }
    }
}

/// Rust ignores SIGPIPE, so printing into a closed pipe (`openedx-devops man | head`) would
/// panic; restore the default so the process ends quietly, like other command-line tools.
fn restore_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any thread starts; SIG_DFL is always valid.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
