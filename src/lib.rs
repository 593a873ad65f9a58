//! `openedx-devops` generates, checks and updates the devops repository of a production Open edX
//! platform on AWS (Terragrunt/Terraform, GitHub Actions, Tutor).
//!
//! `new` is a pipeline of small stages: answers (a file, `--set`, the questionnaire) are
//! validated into [`answers::Answers`]; [`context`] derives hosts and names; [`plan`] decides
//! which blueprint becomes which file; [`render`] runs minijinja over the embedded
//! [`blueprints`]; [`validate`] parses every generated file in memory; [`write`] puts the tree
//! in place atomically. Only the questionnaire and `write` touch the terminal or the disk.

pub mod answers;
pub mod blueprints;
pub mod cli;
pub mod commands;
pub mod context;
pub mod cost;
pub mod generate;
pub mod graph;
pub mod import;
mod paths;
pub mod plan;
pub mod questionnaire;
pub mod record;
pub mod render;
mod suggest;
pub mod update;
pub mod validate;
pub mod write;

use std::collections::BTreeMap;

/// Renders the whole repository for an answers file's text with the embedded blueprints:
/// relative path -> contents. For tests and tools that inspect the output without writing it.
pub fn render_yaml(answers_yaml: &str) -> anyhow::Result<BTreeMap<String, String>> {
    let raw = answers::load::parse(answers_yaml).map_err(anyhow::Error::msg)?;
    let answers = answers::load::settle(raw, &[])?;
    let blueprints = blueprints::BlueprintSet::embedded()?;
    let tree = generate::generate(&answers, &blueprints)?;
    Ok(tree
        .into_iter()
        .map(|(path, file)| (path, String::from_utf8_lossy(&file.contents).into_owned()))
        .collect())
}

/// Text made safe to print on a terminal (control characters escaped); for the binary's error
/// printer.
pub fn escape_control(text: &str) -> std::borrow::Cow<'_, str> {
    suggest::escape_control(text)
}
