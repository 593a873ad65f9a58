//! One short function per subcommand, each reading like the pipeline it runs.

use crate::answers::{Answers, ENVIRONMENT_QUESTIONS, QUESTIONS, Question, load};
use crate::blueprints::BlueprintSet;
use crate::cli::{
    Cli, Command, NewArgs, QuestionsArgs, QuestionsFormat, ReportFormat, VersionsArgs,
};
use crate::questionnaire::{self, TerminalPrompter};
use crate::render::RenderedTree;
use std::io::IsTerminal;

/// How a command ended, as the process exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Done, or nothing to do (exit 0).
    Success,
    /// Done, but something needs a person: findings, conflicts, pending changes (exit 1).
    Attention,
}

/// Runs a parsed command line. An error means exit status 2.
pub fn run(cli: Cli) -> anyhow::Result<Outcome> {
    match cli.command {
        Command::New(args) => new(&args).map(|()| Outcome::Success),
        Command::Update(args) => crate::update::run(&args),
        Command::Check(args) => crate::check::run(&args),
        Command::Questions(args) => questions(&args).map(|()| Outcome::Success),
        Command::Versions(args) => versions(&args).map(|()| Outcome::Success),
        Command::Completions(args) => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(
                args.shell,
                &mut command,
                "openedx-devops",
                &mut std::io::stdout(),
            );
            Ok(Outcome::Success)
        }
        Command::Man => {
            let command = <Cli as clap::CommandFactory>::command();
            clap_mangen::Man::new(command).render(&mut std::io::stdout())?;
            Ok(Outcome::Success)
        }
    }
}

fn versions(args: &VersionsArgs) -> anyhow::Result<()> {
    let blueprints = BlueprintSet::embedded()?;
    let versions = blueprints.versions();
    match args.format {
        ReportFormat::Json => println!("{}", serde_json::to_string_pretty(versions)?),
        ReportFormat::Text => {
            let Some(groups) = versions.as_object() else {
                return Ok(());
            };
            println!("{:<14} {:<30} version", "group", "name");
            for (group, entries) in groups {
                for (name, version) in entries.as_object().into_iter().flatten() {
                    let version = version
                        .as_str()
                        .map(str::to_owned)
                        .unwrap_or_else(|| version.to_string());
                    println!("{group:<14} {name:<30} {version}");
                }
            }
        }
    }
    Ok(())
}

fn new(args: &NewArgs) -> anyhow::Result<()> {
    crate::write::check_target(&args.dir)?;
    let answers = gather_answers(args)?;
    let blueprints = match &args.blueprints {
        Some(folder) => BlueprintSet::from_dir(folder)?,
        None => BlueprintSet::embedded()?,
    };
    let tree = crate::generate::generate(&answers, &blueprints)?;
    crate::write::write_new(&args.dir, &tree)?;
    print_created(args, &answers, &tree);
    Ok(())
}

/// Answers from the file, the demo defaults or the questionnaire, then `--set`, validated.
fn gather_answers(args: &NewArgs) -> anyhow::Result<Answers> {
    let mut raw = if let Some(path) = &args.answers {
        load::read_file(path)?
    } else if args.defaults {
        load::demo_defaults()
    } else if std::io::stdin().is_terminal() && std::io::stderr().is_terminal() {
        let mut start = serde_json::Value::Object(Default::default());
        for assignment in &args.set {
            load::apply_set(&mut start, assignment)?;
        }
        questionnaire::ask(&mut TerminalPrompter::default(), &start)?
    } else {
        anyhow::bail!(
            "no answers: give `--answers FILE` or `--defaults` (the questions are asked only on a terminal)"
        );
    };
    load::take_schema_version(&mut raw)?;
    for assignment in &args.set {
        load::apply_set(&mut raw, assignment)?;
    }
    let answers = Answers::validate(&raw)?;
    Ok(answers)
}

fn print_created(args: &NewArgs, answers: &Answers, tree: &RenderedTree) {
    let mut kinds: std::collections::BTreeMap<&str, usize> = Default::default();
    for path in tree.keys() {
        let kind = match path.split('/').next().unwrap_or_default() {
            "terraform" => "Terraform and Terragrunt",
            ".github" => "GitHub Actions workflows",
            "ci" => "Tutor configuration",
            ".openedx-devops" => "generator record",
            _ => "other",
        };
        *kinds.entry(kind).or_default() += 1;
    }
    println!(
        "Created `{}`: {} files for {} environment{}.",
        args.dir.display(),
        tree.len(),
        answers.environments.len(),
        if answers.environments.len() == 1 {
            ""
        } else {
            "s"
        }
    );
    for (kind, count) in kinds {
        println!("  {count:>4}  {kind}");
    }
    println!(
        "Next: read {}/README.md, section \"First apply\".",
        args.dir.display()
    );
}

fn questions(args: &QuestionsArgs) -> anyhow::Result<()> {
    match args.format {
        QuestionsFormat::Text => {
            for question in QUESTIONS {
                print_question(question, "");
            }
            for question in ENVIRONMENT_QUESTIONS {
                print_question(question, "environments[].");
            }
        }
        QuestionsFormat::JsonSchema => {
            println!(
                "{}",
                serde_json::to_string_pretty(&crate::answers::schema::answers_schema())?
            );
        }
        QuestionsFormat::Json => {
            let rows: Vec<serde_json::Value> = QUESTIONS
                .iter()
                .map(|q| question_json(q, ""))
                .chain(
                    ENVIRONMENT_QUESTIONS
                        .iter()
                        .map(|q| question_json(q, "environments[].")),
                )
                .collect();
            println!("{}", serde_json::to_string_pretty(&rows)?);
        }
    }
    Ok(())
}

fn print_question(question: &Question, prefix: &str) {
    let default = match (question.required, question.default_text()) {
        (true, _) | (_, None) => "required".to_owned(),
        (false, Some(text)) => format!("default {text}"),
    };
    println!(
        "{prefix}{}  ({}, {default})",
        question.key,
        question.kind.type_name()
    );
    println!("    {}", question.help);
    if let Some(choices) = question.kind.choices() {
        println!("    one of: {}", choices.join(", "));
    }
}

fn question_json(question: &Question, prefix: &str) -> serde_json::Value {
    serde_json::json!({
        "key": format!("{prefix}{}", question.key),
        "type": question.kind.type_name(),
        "required": question.required,
        "default": question.default_text(),
        "choices": question.kind.choices(),
        "help": question.help,
    })
}
