//! The command line, declared with clap; doc comments are the help text.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Generate, check and update the devops repository of a production Open edX platform on AWS:
/// Terragrunt/Terraform for the infrastructure, GitHub Actions workflows that build and deploy
/// Open edX with Tutor, and the Tutor configuration of every environment.
#[derive(Debug, Parser)]
#[command(name = "openedx-devops", version, about, long_about = None)]
#[command(
    after_help = "Start with `openedx-devops new my-platform` (it asks the questions), or \
`openedx-devops new my-platform --defaults` for a demo repository."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Generate a new repository from answers.
    ///
    /// Without `--answers` or `--defaults`, and on a terminal, asks the questions one by one.
    /// Every answer is checked before anything is written; the folder is created only when the
    /// whole repository rendered and passed its checks.
    #[command(
        after_help = "Examples:\n  openedx-devops new my-platform\n  openedx-devops new my-platform --defaults\n  openedx-devops new my-platform --answers answers.yml --set environments.0.eks_instance_type=t3.xlarge"
    )]
    New(NewArgs),
    /// Bring template upgrades and answer changes into a generated repository by a three-way
    /// merge, keeping every edit made to it.
    ///
    /// The merge base is the repository's last generated output, recorded in `.openedx-devops/`.
    /// Exit status: 0 applied cleanly or nothing to do, 1 conflicts left to resolve (or, with
    /// `--check`, changes pending), 2 error (nothing written).
    #[command(
        after_help = "Examples:\n  openedx-devops update\n  openedx-devops update --set environments.0.eks_instance_type=t3.xlarge --dry-run\n  openedx-devops update --check    # in CI: exit 1 when the repository drifted from its answers"
    )]
    Update(UpdateArgs),
    /// Validate a generated repository offline: syntax, the Terragrunt graph, module wiring,
    /// registry module interfaces, workflows, Tutor configuration, consistency with the answers.
    ///
    /// Needs no network, no Terraform and no credentials. Exit status: 0 clean, 1 findings,
    /// 2 error.
    #[command(
        after_help = "Examples:\n  openedx-devops check\n  openedx-devops check path/to/repo --format json"
    )]
    Check(CheckArgs),
    /// Print every question: key, type, default, allowed values and help.
    #[command(
        after_help = "Examples:\n  openedx-devops questions\n  openedx-devops questions --format json-schema > answers.schema.json"
    )]
    Questions(QuestionsArgs),
    /// Print every version the generated repository pins: Open edX and Tutor, Terraform,
    /// providers, modules, Helm charts, GitHub Actions.
    #[command(
        after_help = "Examples:\n  openedx-devops versions\n  openedx-devops versions --format json"
    )]
    Versions(VersionsArgs),
    /// Draw the Terragrunt unit dependency graph of a generated repository (Mermaid or DOT):
    /// the order `terragrunt run --all apply` follows.
    #[command(
        after_help = "Examples:\n  openedx-devops graph > graph.mmd\n  openedx-devops graph path/to/repo --format dot | dot -Tsvg > graph.svg"
    )]
    Graph(GraphArgs),
    /// Read a repository that cookiecutter-openedx-devops generated and print answers for
    /// `new`, each with a comment naming the file it came from.
    ///
    /// Standard error lists what was found, what could not be carried over and what the new
    /// repository does differently; docs/migrate-from-cookiecutter.md is the runbook for moving
    /// a live platform. Reads the old repository only; never writes into it.
    #[command(
        after_help = "Examples:\n  openedx-devops import ../openedx_devops -o answers.yml\n  openedx-devops new my-platform --answers answers.yml\n  openedx-devops import ../openedx_devops --import-existing my-platform -o /dev/null"
    )]
    Import(ImportArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(
        after_help = "Examples:\n  openedx-devops completions bash > ~/.local/share/bash-completion/completions/openedx-devops\n  openedx-devops completions zsh > ~/.zfunc/_openedx-devops"
    )]
    Completions(CompletionsArgs),
    /// Print a manual page (roff), or write every page into a folder.
    ///
    /// The main page lists one page per subcommand (`openedx-devops-new(1)`, ...): `--out-dir`
    /// writes them all, `openedx-devops man new` prints one.
    #[command(
        after_help = "Examples:\n  openedx-devops man | man -l -\n  openedx-devops man update | man -l -\n  openedx-devops man --out-dir ~/.local/share/man/man1"
    )]
    Man(ManArgs),
}

#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// The folder to create; it must not exist or be empty.
    pub dir: PathBuf,
    /// Read the answers from this YAML file (as `openedx-devops questions` describes); `-` reads
    /// standard input.
    #[arg(long, value_name = "FILE", conflicts_with = "defaults")]
    pub answers: Option<PathBuf>,
    /// Override one answer: `--set aws_region=eu-west-2`, `--set environments.0.name=prod`.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Use the embedded demo answers (placeholder domain and account); asks nothing.
    #[arg(long)]
    pub defaults: bool,
    /// Render from this blueprint folder instead of the embedded blueprints (for blueprint work).
    #[arg(long, value_name = "DIR", hide = true)]
    pub blueprints: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct UpdateArgs {
    /// The generated repository (default: the current folder).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Replace the recorded answers with this file's (`-`: standard input).
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
    /// Change one answer: `--set aws_region=eu-west-2`.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Print the plan and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Print the plan, write nothing, exit 1 if anything would change (a CI drift check).
    #[arg(long, conflicts_with = "dry_run")]
    pub check: bool,
    /// Output format of the plan.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// Render from this blueprint folder instead of the embedded blueprints (for blueprint work).
    #[arg(long, value_name = "DIR", hide = true)]
    pub blueprints: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The repository cookiecutter-openedx-devops generated.
    pub dir: PathBuf,
    /// Write the answers to this new file instead of standard output (never replaces a file).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also read this cookiecutter replay file (`~/.cookiecutter_replay/cookiecutter-openedx-devops.json`)
    /// for what the repository's files do not say (a `.cookiecutter.json` or `.cruft.json` in the
    /// repository is read without it).
    #[arg(long, value_name = "FILE")]
    pub replay: Option<PathBuf>,
    /// Write the `import {}` blocks of the resources that continue (an Amazon SES identity of
    /// the same domain) into this repository, generated by `new` from the imported answers.
    #[arg(long, value_name = "REPO")]
    pub import_existing: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The repository to check (default: the current folder).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Output format of the findings.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
}

/// How a report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Readable lines.
    Text,
    /// One JSON document.
    Json,
}

#[derive(Debug, clap::Args)]
pub struct QuestionsArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = QuestionsFormat::Text)]
    pub format: QuestionsFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum QuestionsFormat {
    /// A readable table.
    Text,
    /// JSON, one object per question.
    Json,
    /// The JSON Schema (draft 2020-12) of an answers file, for editors.
    JsonSchema,
    /// The answers reference in Markdown (docs/answers.md).
    Markdown,
}

#[derive(Debug, clap::Args)]
pub struct VersionsArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
}

#[derive(Debug, clap::Args)]
pub struct GraphArgs {
    /// The repository (default: the current folder).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = GraphFormat::Mermaid)]
    pub format: GraphFormat,
}

/// How `graph` draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// A Mermaid flowchart (GitHub renders it in Markdown).
    Mermaid,
    /// Graphviz DOT.
    Dot,
}

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    pub shell: clap_complete::Shell,
}

#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// The subcommand whose page to print (default: the main page).
    #[arg(conflicts_with = "out_dir")]
    pub command: Option<String>,
    /// Write `openedx-devops.1` and one page per subcommand into this folder.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}
