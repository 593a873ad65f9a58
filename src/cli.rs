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
    /// Print every question: key, type, default, allowed values and help.
    #[command(after_help = "Example:\n  openedx-devops questions")]
    Questions(QuestionsArgs),
}

#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// The folder to create; it must not exist or be empty.
    pub dir: PathBuf,
    /// Read the answers from this YAML file (as `openedx-devops questions` describes).
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
}
