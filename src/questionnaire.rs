//! The interactive questionnaire: walks the question table through a [`Prompter`] (dialoguer on
//! a terminal, a scripted one in tests), re-asks invalid answers with the reason, loops over
//! environments and ends with a summary to confirm. Returns a raw answers tree; writes no file.

use crate::answers::{Answers, ENVIRONMENT_QUESTIONS, Kind, QUESTIONS, Question};
use serde_json::{Map, Value};

/// The questionnaire's view of a terminal.
pub trait Prompter {
    /// Asks for text; an empty answer takes `default` when there is one.
    fn input(&mut self, prompt: &str, default: Option<&str>) -> anyhow::Result<String>;
    /// Asks yes or no.
    fn confirm(&mut self, prompt: &str, default: bool) -> anyhow::Result<bool>;
    /// Asks to pick one of `choices`; returns its index.
    fn select(&mut self, prompt: &str, choices: &[&str], default: usize) -> anyhow::Result<usize>;
    /// Shows a line of information (help text, a section title, the summary).
    fn note(&mut self, text: &str);
    /// Shows why an answer was refused.
    fn error(&mut self, text: &str);
}

/// Runs the whole questionnaire; `start` holds answers known already (e.g. from `--set`),
/// which become the offered defaults.
pub fn ask(prompter: &mut dyn Prompter, start: &Value) -> anyhow::Result<Value> {
    let mut known = start.as_object().cloned().unwrap_or_default();
    loop {
        let raw = ask_once(prompter, &known)?;
        match Answers::validate(&raw) {
            Ok(answers) => {
                prompter.note(&summary(&answers));
                if prompter.confirm("Generate the repository with these answers?", true)? {
                    return Ok(raw);
                }
                prompter
                    .note("Let's go through the answers again; your answers are now the defaults.");
                known = raw.as_object().cloned().unwrap_or_default();
                fill_defaults(&mut known, &answers);
            }
            Err(error) => {
                prompter.error(&error.to_string());
                known = raw.as_object().cloned().unwrap_or_default();
            }
        }
    }
}

fn fill_defaults(known: &mut Map<String, Value>, answers: &Answers) {
    let full = answers.to_raw();
    for question in QUESTIONS {
        known
            .entry(question.key.to_owned())
            .or_insert_with(|| full[question.key].clone());
    }
}

fn ask_once(prompter: &mut dyn Prompter, known: &Map<String, Value>) -> anyhow::Result<Value> {
    let mut answers = Map::new();
    let mut group = "";
    for question in QUESTIONS {
        if question.group != group {
            group = question.group;
            prompter.note(&format!("\n== {} ==", group_title(group)));
        }
        if let Kind::Environments = question.kind {
            let environments = ask_environments(prompter, known.get("environments"))?;
            answers.insert("environments".into(), Value::Array(environments));
            continue;
        }
        let suggested = known
            .get(question.key)
            .cloned()
            .unwrap_or_else(|| question.default_value(&answers));
        let value = ask_question(prompter, question, &suggested)?;
        let is_default = !question.required && value == question.default_value(&answers);
        if !is_default || known.contains_key(question.key) {
            answers.insert(question.key.to_owned(), value);
        }
    }
    Ok(Value::Object(answers))
}

fn group_title(group: &str) -> &str {
    match group {
        "platform" => "Platform",
        "aws" => "AWS account",
        "github" => "GitHub repository",
        "options" => "Options",
        "environments" => "Environments",
        other => other,
    }
}

/// Asks one question until the answer passes its check.
fn ask_question(
    prompter: &mut dyn Prompter,
    question: &Question,
    suggested: &Value,
) -> anyhow::Result<Value> {
    prompter.note(&format!("{}: {}", question.key, question.help));
    loop {
        let value = match question.kind {
            Kind::Bool => {
                Value::Bool(prompter.confirm(question.key, suggested.as_bool().unwrap_or(false))?)
            }
            Kind::Choice(choices) => {
                let default = choices
                    .iter()
                    .position(|choice| Some(*choice) == suggested.as_str())
                    .unwrap_or(0);
                let index = prompter.select(question.key, choices, default)?;
                Value::String(choices.get(index).copied().unwrap_or(choices[0]).to_owned())
            }
            _ => {
                let text = prompter.input(question.key, suggested.as_str())?;
                Value::String(text.trim().to_owned())
            }
        };
        match question.kind.check(&value) {
            Ok(()) => return Ok(value),
            Err(message) => prompter.error(&format!(
                "`{}` {}: {message}",
                question.key,
                crate::answers::show(&value)
            )),
        }
    }
}

fn ask_environments(
    prompter: &mut dyn Prompter,
    known: Option<&Value>,
) -> anyhow::Result<Vec<Value>> {
    let known: Vec<Value> = known.and_then(Value::as_array).cloned().unwrap_or_default();
    let mut environments: Vec<Value> = Vec::new();
    loop {
        let index = environments.len();
        prompter.note(&format!("-- environment {} --", index + 1));
        let previous = known.get(index).and_then(Value::as_object);
        let mut environment = Map::new();
        for question in ENVIRONMENT_QUESTIONS {
            let suggested = previous
                .and_then(|map| map.get(question.key))
                .cloned()
                .unwrap_or_else(|| environment_default(question, index, &environments));
            let value = loop {
                let value = ask_question(prompter, question, &suggested)?;
                if let Some(message) = clash(question.key, &value, &environments) {
                    prompter.error(&message);
                    continue;
                }
                break value;
            };
            environment.insert(question.key.to_owned(), value);
        }
        environments.push(Value::Object(environment));
        let more_known = known.len() > environments.len();
        if !prompter.confirm("Add another environment?", more_known)? {
            return Ok(environments);
        }
    }
}

/// Defaults for the n-th environment: `prod` on `courses`, then `dev` on `dev.courses`, ...
fn environment_default(question: &Question, index: usize, earlier: &[Value]) -> Value {
    let base = question.default_value(&Map::new());
    if index == 0 {
        return base;
    }
    let first_subdomain = earlier
        .first()
        .and_then(|first| first["subdomain"].as_str())
        .unwrap_or("courses")
        .to_owned();
    let name = match index {
        1 => "dev".to_owned(),
        2 => "staging".to_owned(),
        n => format!("env{n}"),
    };
    match question.key {
        "name" => Value::String(name),
        "subdomain" => Value::String(format!("{name}.{first_subdomain}")),
        _ => earlier
            .last()
            .map(|last| last[question.key].clone())
            .unwrap_or(base),
    }
}

fn clash(key: &str, value: &Value, earlier: &[Value]) -> Option<String> {
    if !matches!(key, "name" | "subdomain") {
        return None;
    }
    earlier
        .iter()
        .any(|environment| environment[key] == *value)
        .then(|| {
            format!(
                "`{key}` {} is taken by an earlier environment; each needs its own",
                crate::answers::show(value)
            )
        })
}

/// A table of every answer and the hosts it produces.
pub fn summary(answers: &Answers) -> String {
    let raw = answers.to_raw();
    let mut lines = vec!["\nSummary".to_owned()];
    for question in QUESTIONS {
        if let Kind::Environments = question.kind {
            continue;
        }
        let value = match &raw[question.key] {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        lines.push(format!("  {:<22} {value}", question.key));
    }
    for environment in &answers.environments {
        let domain = answers.environment_domain(environment);
        lines.push(format!(
            "  environment {:<10} nodes {}, MySQL {}, cache {}",
            environment.name,
            environment.eks_instance_type,
            environment.mysql_instance_class,
            environment.redis_node_type
        ));
        for (what, host) in [
            ("LMS", domain.clone()),
            ("Studio", format!("studio.{domain}")),
            ("MFE", format!("apps.{domain}")),
            ("CDN", format!("cdn.{domain}")),
            ("Grafana", format!("grafana.{domain}")),
        ] {
            lines.push(format!("    {what:<8} https://{host}"));
        }
    }
    lines.join("\n")
}

/// The real terminal, through dialoguer.
#[derive(Default)]
pub struct TerminalPrompter {
    theme: dialoguer::theme::ColorfulTheme,
}

impl Prompter for TerminalPrompter {
    fn input(&mut self, prompt: &str, default: Option<&str>) -> anyhow::Result<String> {
        let mut input = dialoguer::Input::<String>::with_theme(&self.theme).with_prompt(prompt);
        if let Some(default) = default.filter(|text| !text.is_empty()) {
            input = input.default(default.to_owned());
        }
        Ok(input.interact_text()?)
    }

    fn confirm(&mut self, prompt: &str, default: bool) -> anyhow::Result<bool> {
        Ok(dialoguer::Confirm::with_theme(&self.theme)
            .with_prompt(prompt)
            .default(default)
            .interact()?)
    }

    fn select(&mut self, prompt: &str, choices: &[&str], default: usize) -> anyhow::Result<usize> {
        Ok(dialoguer::Select::with_theme(&self.theme)
            .with_prompt(prompt)
            .items(choices)
            .default(default)
            .interact()?)
    }

    fn note(&mut self, text: &str) {
        eprintln!("{}", console::style(text).dim());
    }

    fn error(&mut self, text: &str) {
        eprintln!("{} {text}", console::style("error:").red().bold());
    }
}

/// A prompter that answers from a script, for tests. An empty input answer takes the default.
#[derive(Debug, Default)]
pub struct ScriptedPrompter {
    pub replies: std::collections::VecDeque<String>,
    pub errors: Vec<String>,
    pub notes: Vec<String>,
}

impl ScriptedPrompter {
    pub fn new(replies: &[&str]) -> Self {
        ScriptedPrompter {
            replies: replies.iter().map(|reply| (*reply).to_owned()).collect(),
            ..Default::default()
        }
    }

    fn next(&mut self, prompt: &str) -> anyhow::Result<String> {
        self.replies
            .pop_front()
            .ok_or_else(|| anyhow::anyhow!("the script has no reply for `{prompt}`"))
    }
}

impl Prompter for ScriptedPrompter {
    fn input(&mut self, prompt: &str, default: Option<&str>) -> anyhow::Result<String> {
        let reply = self.next(prompt)?;
        Ok(if reply.is_empty() {
            default.unwrap_or_default().to_owned()
        } else {
            reply
        })
    }

    fn confirm(&mut self, prompt: &str, default: bool) -> anyhow::Result<bool> {
        Ok(match self.next(prompt)?.as_str() {
            "" => default,
            "y" | "yes" => true,
            _ => false,
        })
    }

    fn select(&mut self, prompt: &str, choices: &[&str], default: usize) -> anyhow::Result<usize> {
        let reply = self.next(prompt)?;
        Ok(choices
            .iter()
            .position(|choice| *choice == reply)
            .unwrap_or(default))
    }

    fn note(&mut self, text: &str) {
        self.notes.push(text.to_owned());
    }

    fn error(&mut self, text: &str) {
        self.errors.push(text.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(replies: &[&str]) -> (Answers, ScriptedPrompter) {
        let mut prompter = ScriptedPrompter::new(replies);
        let raw = ask(&mut prompter, &Value::Null).expect("questionnaire completes");
        assert!(
            prompter.replies.is_empty(),
            "unused replies: {:?}",
            prompter.replies
        );
        (Answers::validate(&raw).unwrap(), prompter)
    }

    #[test]
    fn typos_are_re_asked_and_environments_loop() {
        let (answers, prompter) = run(&[
            "Bad Name",
            "stateu", // platform_name: refused, then accepted
            "",
            "", // description (default: the name), platform_region
            "state.edu",
            "eu-west-9",
            "eu-west-1", // region: refused, then accepted
            "12345",
            "210987654321", // account: refused, then accepted
            "",
            "", // github organization, repository
            "in_cluster",
            "n",
            "", // mongodb, spot, bastion
            "",
            "",
            "",
            "",
            "",
            "y", // environment 1: defaults, add another
            "",
            "",
            "m7i.xlarge",
            "",
            "",
            "n", // environment 2: dev on dev.courses
            "y", // confirm the summary
        ]);
        assert_eq!(prompter.errors.len(), 3, "{:?}", prompter.errors);
        assert!(
            prompter.errors[1].contains("did you mean `eu-west-1`")
                || prompter.errors[1].contains("eu-west-9")
        );
        assert_eq!(answers.platform_name, "stateu");
        assert_eq!(answers.aws_region, "eu-west-1");
        assert!(!answers.spot_instances && answers.bastion);
        assert_eq!(answers.environments.len(), 2);
        assert_eq!(answers.environments[1].name, "dev");
        assert_eq!(answers.environments[1].subdomain, "dev.courses");
        assert_eq!(answers.environments[1].eks_instance_type, "m7i.xlarge");
        assert!(
            !answers.chosen.contains("platform_region"),
            "defaults stay defaults"
        );
        assert!(answers.chosen.contains("spot_instances"));
        assert!(
            prompter
                .notes
                .iter()
                .any(|note| note.contains("https://studio.dev.courses.state.edu"))
        );
    }

    #[test]
    fn declining_the_summary_goes_round_again_with_answers_as_defaults() {
        let first_pass = [
            "uni",
            "",
            "",
            "uni.edu",
            "us-west-2",
            "111122223333",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "n",
        ];
        let mut replies: Vec<&str> = first_pass.to_vec();
        replies.push("n"); // decline the summary
        // second pass: change only the region, keep everything else
        replies.extend([
            "",
            "",
            "",
            "",
            "eu-north-1",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "n",
            "y",
        ]);
        let (answers, _) = run(&replies);
        assert_eq!(answers.platform_name, "uni");
        assert_eq!(answers.aws_region, "eu-north-1");
        assert_eq!(answers.aws_account_id, "111122223333");
    }

    #[test]
    fn a_clashing_environment_name_is_re_asked() {
        let replies = [
            "uni",
            "",
            "",
            "uni.edu",
            "us-west-2",
            "111122223333",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "y", // prod
            "prod",
            "qa",
            "qa.courses",
            "",
            "",
            "",
            "n", // name clash, then qa
            "y",
        ];
        let (answers, prompter) = run(&replies);
        assert_eq!(answers.environments[1].name, "qa");
        assert!(prompter.errors[0].contains("taken"));
    }
}
