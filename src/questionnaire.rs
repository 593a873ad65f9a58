//! The interactive questionnaire: walks the question table through a [`Prompter`] (dialoguer on
//! a terminal, a scripted one in tests), re-asks invalid answers with the reason, loops over
//! environments and ends with a summary to confirm. Returns a raw answers tree; writes no file.

use crate::answers::plugins::PLUGINS;
use crate::answers::questions::DefaultValue;
use crate::answers::{Answers, ENVIRONMENT_QUESTIONS, Kind, QUESTIONS, Question};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, VecDeque};

/// The key of "Add another environment?", asked after each environment.
pub const ADD_ENVIRONMENT: &str = "add_environment";
/// The key of "Generate the repository with these answers?", asked after the summary.
pub const CONFIRM: &str = "confirm";

/// The questionnaire's view of a terminal. Every question comes with its key: the answers key
/// (`platform_name`, `environments.1.subdomain`, as `--set` spells it) or [`ADD_ENVIRONMENT`]
/// or [`CONFIRM`]; `prompt` is the text a person is shown.
pub trait Prompter {
    /// Asks for text; an empty answer takes `default` when there is one.
    fn input(&mut self, key: &str, prompt: &str, default: Option<&str>) -> anyhow::Result<String>;
    /// Asks yes or no.
    fn confirm(&mut self, key: &str, prompt: &str, default: bool) -> anyhow::Result<bool>;
    /// Asks to pick one of `choices`; returns its index.
    fn select(
        &mut self,
        key: &str,
        prompt: &str,
        choices: &[&str],
        default: usize,
    ) -> anyhow::Result<usize>;
    /// Asks to pick any of `choices` (`defaults` says which start picked); returns their indexes.
    fn multi_select(
        &mut self,
        key: &str,
        prompt: &str,
        choices: &[String],
        defaults: &[bool],
    ) -> anyhow::Result<Vec<usize>>;
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
                if prompter.confirm(CONFIRM, "Generate the repository with these answers?", true)? {
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
            let value_of = |key: &str| {
                answers
                    .get(key)
                    .cloned()
                    .or_else(|| {
                        QUESTIONS
                            .iter()
                            .find(|question| question.key == key)
                            .map(|question| question.default_value(&answers))
                    })
                    .and_then(|value| value.as_str().map(str::to_owned))
                    .unwrap_or_default()
            };
            let stem = format!(
                "{}-{}",
                value_of("platform_name"),
                value_of("platform_region")
            );
            let environments = ask_environments(prompter, known.get("environments"), &stem)?;
            answers.insert("environments".into(), Value::Array(environments));
            continue;
        }
        // A ref of no repository means nothing: not asked.
        if question.key == "theme_ref" && !answers.contains_key("theme_repository") {
            continue;
        }
        let suggested = known
            .get(question.key)
            .cloned()
            .unwrap_or_else(|| question.default_value(&answers));
        let value = ask_question(prompter, question.key, question, &suggested)?;
        // An optional answer left empty is no answer (`theme_repository`, `contact_email`).
        if value.is_null() {
            continue;
        }
        // Only what differs from the default is recorded: a default stays a commented line in
        // answers.yml that follows the generator's defaults on `update`.
        let is_default = !question.required && value == question.default_value(&answers);
        if !is_default {
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
        "openedx" => "Open edX",
        "environments" => "Environments",
        other => other,
    }
}

/// Asks one question (known to the prompter as `key`) until the answer passes its check.
fn ask_question(
    prompter: &mut dyn Prompter,
    key: &str,
    question: &Question,
    suggested: &Value,
) -> anyhow::Result<Value> {
    prompter.note(&format!("{}: {}", question.key, question.help));
    match question.kind {
        Kind::Plugins => return ask_plugins(prompter, key, question, suggested),
        Kind::PipRequirements => return ask_requirements(prompter, key, question, suggested),
        _ => {}
    }
    let optional = matches!(question.default, DefaultValue::Nothing(_));
    loop {
        let value = match question.kind {
            Kind::Bool => Value::Bool(prompter.confirm(
                key,
                question.key,
                suggested.as_bool().unwrap_or(false),
            )?),
            Kind::Choice(choices) => {
                let default = choices
                    .iter()
                    .position(|choice| Some(*choice) == suggested.as_str())
                    .unwrap_or(0);
                let index = prompter.select(key, question.key, choices, default)?;
                Value::String(choices.get(index).copied().unwrap_or(choices[0]).to_owned())
            }
            _ => {
                // A count is suggested as its digits.
                let suggestion = match suggested {
                    Value::Number(number) => Some(number.to_string()),
                    other => other.as_str().map(str::to_owned),
                };
                let suggestion = suggestion.or_else(|| optional.then(String::new));
                let text = prompter.input(key, question.key, suggestion.as_deref())?;
                if optional && text.trim().is_empty() {
                    return Ok(Value::Null);
                }
                question
                    .kind
                    .normalize(Value::String(text.trim().to_owned()))
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

/// The strings of a list answer.
fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

/// The plugins, as one pick of many, each shown with its line of help.
fn ask_plugins(
    prompter: &mut dyn Prompter,
    key: &str,
    question: &Question,
    suggested: &Value,
) -> anyhow::Result<Value> {
    let picked = strings(suggested);
    let choices: Vec<String> = PLUGINS
        .iter()
        .map(|plugin| format!("{:<12} {}", plugin.name, plugin.help))
        .collect();
    let defaults: Vec<bool> = PLUGINS
        .iter()
        .map(|plugin| picked.contains(&plugin.name))
        .collect();
    let indexes = prompter.multi_select(key, question.key, &choices, &defaults)?;
    Ok(Value::Array(
        indexes
            .into_iter()
            .filter_map(|index| PLUGINS.get(index))
            .map(|plugin| Value::String(plugin.name.to_owned()))
            .collect(),
    ))
}

/// Requirement lines one at a time until an empty one; those known already are offered first.
fn ask_requirements(
    prompter: &mut dyn Prompter,
    key: &str,
    question: &Question,
    suggested: &Value,
) -> anyhow::Result<Value> {
    let mut lines: Vec<Value> = Vec::new();
    let known = strings(suggested);
    if !known.is_empty()
        && prompter.confirm(
            &format!("{key}.keep"),
            &format!("Keep {}?", known.join(", ")),
            true,
        )?
    {
        lines.extend(known.iter().map(|line| Value::String((*line).to_owned())));
    }
    loop {
        let text = prompter.input(
            key,
            &format!("{} (one requirement; empty: done)", question.key),
            Some(""),
        )?;
        let text = text.trim();
        if text.is_empty() {
            return Ok(Value::Array(lines));
        }
        lines.push(Value::String(text.to_owned()));
        if let Err(message) = question.kind.check(&Value::Array(lines.clone())) {
            prompter.error(&format!("`{}`: {message}", question.key));
            lines.pop();
        }
    }
}

/// The environments, one after the other; `stem` is `<platform_name>-<platform_region>`, so a
/// name that makes resource names too long is re-asked at once, alone.
fn ask_environments(
    prompter: &mut dyn Prompter,
    known: Option<&Value>,
    stem: &str,
) -> anyhow::Result<Vec<Value>> {
    let known: Vec<Value> = known.and_then(Value::as_array).cloned().unwrap_or_default();
    // Every value of the environments so far (for defaults and clashes), and what is recorded.
    let mut full: Vec<Value> = Vec::new();
    let mut recorded: Vec<Value> = Vec::new();
    loop {
        let index = full.len();
        prompter.note(&format!("-- environment {} --", index + 1));
        let previous = known.get(index).and_then(Value::as_object);
        let mut environment = Map::new();
        let mut kept = Map::new();
        for question in ENVIRONMENT_QUESTIONS {
            let key = format!("environments.{index}.{}", question.key);
            let derived = environment_default(question, index, &full, &environment);
            let suggested = previous
                .and_then(|map| map.get(question.key))
                .cloned()
                .unwrap_or_else(|| derived.clone());
            let value = loop {
                let value = ask_question(prompter, &key, question, &suggested)?;
                if let Some(message) = clash(question.key, &value, &full) {
                    prompter.error(&message);
                    continue;
                }
                if let Some(message) = too_long(question.key, &value, stem) {
                    prompter.error(&message);
                    continue;
                }
                break value;
            };
            // The name identifies the environment; the rest is recorded when it differs from
            // what `Answers::validate` would derive anyway.
            let answers_default = if question.key == "subdomain" && index > 0 {
                derived
            } else {
                // Defaults that follow this environment's earlier answers (`production`).
                question.default_for(&environment, index)
            };
            // A network range is recorded always: it must never move with the list.
            if matches!(question.key, "name" | "vpc_cidr") || value != answers_default {
                kept.insert(question.key.to_owned(), value.clone());
            }
            environment.insert(question.key.to_owned(), value);
        }
        full.push(Value::Object(environment));
        recorded.push(Value::Object(kept));
        let more_known = known.len() > full.len();
        if !prompter.confirm(ADD_ENVIRONMENT, "Add another environment?", more_known)? {
            return Ok(recorded);
        }
    }
}

/// Defaults for the n-th environment: `prod` on `courses`, then `dev` on `dev-courses`
/// (a free sibling of the first one's host, named after the name just given), ...; the first
/// only is production; the sizes follow the environment before.
fn environment_default(
    question: &Question,
    index: usize,
    earlier: &[Value],
    this: &Map<String, Value>,
) -> Value {
    if question.key == "vpc_cidr" {
        let taken = earlier
            .iter()
            .filter_map(|environment| environment["vpc_cidr"].as_str())
            .map(str::to_owned)
            .collect();
        return crate::answers::questions::free_vpc_cidr(&taken)
            .map(Value::String)
            .unwrap_or(Value::Null);
    }
    let base = question.default_for(&Map::new(), index);
    // The pod counts follow this environment's `production`, not the environment before.
    if let crate::answers::questions::DefaultValue::ByProduction { .. } = question.default {
        return question.default_for(this, index);
    }
    if index == 0 {
        return base;
    }
    let first_subdomain = earlier
        .first()
        .and_then(|first| first["subdomain"].as_str())
        .unwrap_or("courses")
        .to_owned();
    let default_name = match index {
        1 => "dev".to_owned(),
        2 => "staging".to_owned(),
        n => format!("env{n}"),
    };
    match question.key {
        "name" => Value::String(default_name),
        "production" => Value::Bool(false),
        "subdomain" => {
            let name = this
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or(&default_name);
            let taken = earlier
                .iter()
                .filter_map(|other| other["subdomain"].as_str().map(str::to_owned))
                .collect();
            Value::String(crate::answers::sibling_subdomain(
                name,
                &first_subdomain,
                &taken,
            ))
        }
        _ => earlier
            .last()
            .map(|last| last[question.key].clone())
            .unwrap_or(base),
    }
}

/// The resource name rule (`<platform>-<region>-<environment>` within the limit), checked as
/// soon as the environment's name is known instead of after the last question.
fn too_long(key: &str, value: &Value, stem: &str) -> Option<String> {
    let name = value.as_str().filter(|_| key == "name")?;
    let prefix = format!("{stem}-{name}");
    (prefix.len() > crate::answers::MAX_RESOURCE_PREFIX).then(|| {
        format!(
            "`{name}` makes the resource name prefix `{prefix}` {} characters long; at most {} fit: choose a shorter name",
            prefix.len(),
            crate::answers::MAX_RESOURCE_PREFIX
        )
    })
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
    fn input(&mut self, _key: &str, prompt: &str, default: Option<&str>) -> anyhow::Result<String> {
        let mut input = dialoguer::Input::<String>::with_theme(&self.theme).with_prompt(prompt);
        if let Some(default) = default.filter(|text| !text.is_empty()) {
            input = input.default(default.to_owned());
        }
        if default == Some("") {
            // An optional answer: Enter alone leaves it unset.
            input = input.allow_empty(true);
        }
        Ok(input.interact_text()?)
    }

    fn confirm(&mut self, _key: &str, prompt: &str, default: bool) -> anyhow::Result<bool> {
        Ok(dialoguer::Confirm::with_theme(&self.theme)
            .with_prompt(prompt)
            .default(default)
            // `n` then Enter answers this question only; without it the Enter went on to
            // answer the next question with its default, unseen.
            .wait_for_newline(true)
            .interact()?)
    }

    fn select(
        &mut self,
        _key: &str,
        prompt: &str,
        choices: &[&str],
        default: usize,
    ) -> anyhow::Result<usize> {
        Ok(dialoguer::Select::with_theme(&self.theme)
            .with_prompt(prompt)
            .items(choices)
            .default(default)
            .interact()?)
    }

    fn multi_select(
        &mut self,
        _key: &str,
        prompt: &str,
        choices: &[String],
        defaults: &[bool],
    ) -> anyhow::Result<Vec<usize>> {
        Ok(dialoguer::MultiSelect::with_theme(&self.theme)
            .with_prompt(format!("{prompt} (space picks, Enter accepts)"))
            .items(choices)
            .defaults(defaults)
            .interact()?)
    }

    fn note(&mut self, text: &str) {
        eprintln!("{}", console::style(text).dim());
    }

    fn error(&mut self, text: &str) {
        eprintln!("{} {text}", console::style("error:").red().bold());
    }
}

/// A prompter that answers from a script keyed by question, for tests. Each key has its replies
/// in order: a key asked again (after a refused answer, or on a second pass) takes the next one.
/// A question the script does not answer, or has no replies left for, takes its default; an
/// empty reply means the default too. A question without a default that the script does not
/// answer is an error naming its key. Dropped with replies left over, it panics: a script that
/// names a question never asked is a broken test.
#[derive(Debug)]
pub struct ScriptedPrompter {
    replies: BTreeMap<String, VecDeque<String>>,
    /// Every key asked, in order.
    pub asked: Vec<String>,
    pub errors: Vec<String>,
    pub notes: Vec<String>,
}

/// More questions than this and the script is taken to loop for ever.
const MOST_QUESTIONS: usize = 500;

impl ScriptedPrompter {
    /// A script: (key, its replies in order).
    pub fn new(script: &[(&str, &[&str])]) -> Self {
        let mut replies = BTreeMap::new();
        for (key, list) in script {
            let list = list.iter().map(|reply| (*reply).to_owned()).collect();
            let earlier = replies.insert((*key).to_owned(), list);
            assert!(earlier.is_none(), "the script names `{key}` twice");
        }
        ScriptedPrompter {
            replies,
            asked: Vec::new(),
            errors: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// The next scripted reply for `key`; `None` takes the default.
    fn next(&mut self, key: &str) -> anyhow::Result<Option<String>> {
        self.asked.push(key.to_owned());
        if self.asked.len() > MOST_QUESTIONS {
            anyhow::bail!(
                "{MOST_QUESTIONS} questions asked, the last `{key}`: the script never ends"
            );
        }
        Ok(self
            .replies
            .get_mut(key)
            .and_then(VecDeque::pop_front)
            .filter(|reply| !reply.is_empty()))
    }

    /// Replies no question took: key -> what is left.
    pub fn unused(&self) -> BTreeMap<&str, &VecDeque<String>> {
        self.replies
            .iter()
            .filter(|(_, left)| !left.is_empty())
            .map(|(key, left)| (key.as_str(), left))
            .collect()
    }
}

impl Drop for ScriptedPrompter {
    fn drop(&mut self) {
        let unused = self.unused();
        if !unused.is_empty() && !std::thread::panicking() {
            panic!(
                "scripted replies never asked for: {unused:?}; the questions asked: {:?}",
                self.asked
            );
        }
    }
}

impl Prompter for ScriptedPrompter {
    fn input(&mut self, key: &str, _prompt: &str, default: Option<&str>) -> anyhow::Result<String> {
        match (self.next(key)?, default) {
            (Some(reply), _) => Ok(reply),
            (None, Some(default)) => Ok(default.to_owned()),
            (None, None) => {
                anyhow::bail!("the script has no reply for `{key}`, which has no default")
            }
        }
    }

    fn confirm(&mut self, key: &str, _prompt: &str, default: bool) -> anyhow::Result<bool> {
        match self.next(key)?.as_deref() {
            None => Ok(default),
            Some("y" | "yes") => Ok(true),
            Some("n" | "no") => Ok(false),
            Some(other) => anyhow::bail!("the script answers `{key}` with `{other}`, not y or n"),
        }
    }

    fn select(
        &mut self,
        key: &str,
        _prompt: &str,
        choices: &[&str],
        default: usize,
    ) -> anyhow::Result<usize> {
        match self.next(key)? {
            None => Ok(default),
            Some(reply) => choices
                .iter()
                .position(|choice| *choice == reply)
                .ok_or_else(|| {
                    anyhow::anyhow!(
                        "the script answers `{key}` with `{reply}`, not one of {choices:?}"
                    )
                }),
        }
    }

    /// A reply lists the picked names (the first word of each choice), comma-separated;
    /// `none` picks nothing.
    fn multi_select(
        &mut self,
        key: &str,
        _prompt: &str,
        choices: &[String],
        defaults: &[bool],
    ) -> anyhow::Result<Vec<usize>> {
        let Some(reply) = self.next(key)? else {
            return Ok((0..choices.len())
                .filter(|&index| defaults[index])
                .collect());
        };
        if reply == "none" {
            return Ok(Vec::new());
        }
        reply
            .split(',')
            .map(|name| {
                let name = name.trim();
                choices
                    .iter()
                    .position(|choice| choice.split_whitespace().next() == Some(name))
                    .ok_or_else(|| {
                        anyhow::anyhow!("the script picks `{name}` for `{key}`, which is no choice")
                    })
            })
            .collect()
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

    /// What every script needs: the questions without a default.
    const REQUIRED: &[(&str, &[&str])] = &[
        ("platform_name", &["uni"]),
        ("root_domain", &["uni.edu"]),
        ("aws_region", &["us-west-2"]),
        ("aws_account_id", &["111122223333"]),
    ];

    /// `REQUIRED` with `script`'s keys replacing or joining it.
    fn with_required<'a>(script: &[(&'a str, &'a [&'a str])]) -> Vec<(&'a str, &'a [&'a str])> {
        let mut full: Vec<_> = REQUIRED
            .iter()
            .filter(|(key, _)| !script.iter().any(|(own, _)| own == key))
            .copied()
            .collect();
        full.extend_from_slice(script);
        full
    }

    fn run(script: &[(&str, &[&str])]) -> (Answers, ScriptedPrompter) {
        let mut prompter = ScriptedPrompter::new(script);
        let raw = ask(&mut prompter, &Value::Null).expect("questionnaire completes");
        (Answers::validate(&raw).unwrap(), prompter)
    }

    #[test]
    fn a_name_too_long_for_resource_names_is_re_asked_at_once_and_alone() {
        // Pins the bug where the 40-character rule was checked after the last question and the
        // questionnaire started again from question 1.
        let (answers, prompter) = run(&[
            ("platform_name", &["a-rather-long-platform-name"]),
            ("platform_region", &["europe"]),
            ("root_domain", &["lake.edu"]),
            ("aws_region", &["eu-west-1"]),
            ("aws_account_id", &["210987654321"]),
            ("environments.0.name", &["production", "prod"]),
        ]);
        assert_eq!(answers.environments[0].name, "prod");
        let times = |key: &str| prompter.asked.iter().filter(|asked| *asked == key).count();
        assert_eq!(times("environments.0.name"), 2);
        assert_eq!(times("platform_name"), 1, "not asked again");
        assert!(
            prompter
                .errors
                .iter()
                .any(|error| error.contains("choose a shorter name"))
        );
    }

    #[test]
    fn only_answers_that_differ_from_the_defaults_are_recorded() {
        // Pins the bug where every accepted default was written into answers.yml as a value,
        // so those settings stopped following the generator's defaults on `update`.
        let mut prompter = ScriptedPrompter::new(&[
            ("platform_name", &["lake"]),
            ("root_domain", &["lake.edu"]),
            ("aws_region", &["eu-west-1"]),
            ("aws_account_id", &["210987654321"]),
            ("add_environment", &["y", "n"]),
            ("environments.1.name", &["qa"]),
            ("environments.1.eks_instance_type", &["t3.xlarge"]),
        ]);
        let raw = ask(&mut prompter, &Value::Null).unwrap();
        let keys: Vec<&str> = raw
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "aws_account_id",
                "aws_region",
                "environments",
                "platform_name",
                "root_domain"
            ]
        );
        // The network range is recorded always, so it never moves with the list.
        assert_eq!(
            raw["environments"][0],
            serde_json::json!({"name": "prod", "vpc_cidr": "10.10.0.0/16"})
        );
        assert_eq!(
            raw["environments"][1],
            serde_json::json!({"name": "qa", "vpc_cidr": "10.20.0.0/16", "eks_instance_type": "t3.xlarge"})
        );
        let answers = Answers::validate(&raw).unwrap();
        assert_eq!(answers.environments[1].subdomain, "qa-courses");
        assert!(!answers.environments[1].production);
        let yaml = crate::answers::load::to_yaml(&answers);
        assert!(yaml.contains("# platform_region: "), "{yaml}");
        assert!(yaml.contains("# mongodb: "), "{yaml}");
    }

    #[test]
    fn typos_are_re_asked_and_environments_loop() {
        let (answers, prompter) = run(&[
            ("platform_name", &["Bad Name", "stateu"]),
            ("root_domain", &["state.edu"]),
            ("aws_region", &["eu-west-9", "eu-west-1"]),
            ("aws_account_id", &["12345", "210987654321"]),
            ("mongodb", &["in_cluster"]),
            ("spot_instances", &["n"]),
            (ADD_ENVIRONMENT, &["y", "n"]),
            ("environments.1.eks_instance_type", &["m7i.xlarge"]),
            (CONFIRM, &["y"]),
        ]);
        assert_eq!(prompter.errors.len(), 3, "{:?}", prompter.errors);
        assert!(
            prompter.errors[1].contains("did you mean `eu-west-1`")
                || prompter.errors[1].contains("eu-west-9")
        );
        let times = |key: &str| prompter.asked.iter().filter(|asked| *asked == key).count();
        assert_eq!(times("platform_name"), 2, "re-asked after the typo");
        assert_eq!(answers.platform_name, "stateu");
        assert_eq!(answers.aws_region, "eu-west-1");
        assert!(!answers.spot_instances && answers.bastion);
        assert_eq!(answers.environments.len(), 2);
        assert_eq!(answers.environments[1].name, "dev");
        assert_eq!(answers.environments[1].subdomain, "dev-courses");
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
                .any(|note| note.contains("https://studio.dev-courses.state.edu"))
        );
    }

    #[test]
    fn declining_the_summary_goes_round_again_with_answers_as_defaults() {
        // The second pass changes only the region and keeps everything else.
        let (answers, prompter) = run(&with_required(&[
            ("aws_region", &["us-west-2", "eu-north-1"]),
            (CONFIRM, &["n", "y"]),
        ]));
        assert_eq!(answers.platform_name, "uni");
        assert_eq!(answers.aws_region, "eu-north-1");
        assert_eq!(answers.aws_account_id, "111122223333");
        let times = |key: &str| prompter.asked.iter().filter(|asked| *asked == key).count();
        assert_eq!(times("aws_account_id"), 2, "every question comes again");
    }

    #[test]
    fn a_clashing_environment_name_is_re_asked() {
        let (answers, prompter) = run(&with_required(&[
            (ADD_ENVIRONMENT, &["y", "n"]),
            ("environments.1.name", &["prod", "qa"]),
            ("environments.1.subdomain", &["qa.courses"]),
        ]));
        assert_eq!(answers.environments[1].name, "qa");
        assert_eq!(answers.environments[1].subdomain, "qa.courses");
        assert!(prompter.errors[0].contains("taken"));
    }

    #[test]
    fn plugins_are_picked_and_requirements_asked_one_by_one() {
        let (answers, prompter) = run(&with_required(&[
            ("tutor_plugins", &["notes, forum"]),
            (
                "theme_repository",
                &[
                    "git@github.com:uni/theme.git",
                    "https://github.com/uni/theme.git",
                ],
            ),
            ("theme_ref", &["v2.0.0"]),
            (
                "extra_pip_requirements",
                &[
                    "xblock-poll==1.14.0",
                    "--index-url https://x.example",
                    "git+https://github.com/uni/xblock-x.git@v1",
                    "",
                ],
            ),
            ("contact_email", &["help@uni.edu"]),
        ]));
        // Catalogue order, whatever order they were picked in.
        assert_eq!(answers.tutor_plugins, ["forum", "notes"]);
        assert_eq!(
            answers.theme_repository.as_deref(),
            Some("https://github.com/uni/theme.git")
        );
        assert_eq!(answers.theme_ref, "v2.0.0");
        assert_eq!(
            answers.extra_pip_requirements,
            [
                "xblock-poll==1.14.0",
                "git+https://github.com/uni/xblock-x.git@v1"
            ]
        );
        assert_eq!(answers.contact_email.as_deref(), Some("help@uni.edu"));
        assert!(
            prompter.errors.iter().any(|error| error.contains("HTTPS")),
            "{:?}",
            prompter.errors
        );
        assert!(
            prompter
                .errors
                .iter()
                .any(|error| error.contains("pip option")),
            "{:?}",
            prompter.errors
        );
    }

    #[test]
    fn optional_answers_left_empty_are_not_recorded() {
        let raw = ask(
            &mut ScriptedPrompter::new(&with_required(&[])),
            &Value::Null,
        )
        .unwrap();
        for key in [
            "tutor_plugins",
            "theme_repository",
            "theme_ref",
            "extra_pip_requirements",
            "contact_email",
        ] {
            assert!(raw.get(key).is_none(), "{key} recorded: {raw}");
        }
    }

    #[test]
    fn each_question_is_asked_by_its_key_in_table_order() {
        let (_, prompter) = run(REQUIRED);
        let mut expected: Vec<String> = QUESTIONS
            .iter()
            .filter(|question| !matches!(question.kind, Kind::Environments))
            // Asked only with a theme repository.
            .filter(|question| question.key != "theme_ref")
            .map(|question| question.key.to_owned())
            .collect();
        expected.extend(
            ENVIRONMENT_QUESTIONS
                .iter()
                .map(|question| format!("environments.0.{}", question.key)),
        );
        expected.extend([ADD_ENVIRONMENT.to_owned(), CONFIRM.to_owned()]);
        assert_eq!(prompter.asked, expected);
        for fixed in [ADD_ENVIRONMENT, CONFIRM] {
            assert!(
                QUESTIONS.iter().all(|question| question.key != fixed),
                "`{fixed}` is an answers key too"
            );
        }
    }

    #[test]
    #[should_panic(expected = "scripted replies never asked for: {\"environments.1.name\"")]
    fn a_scripted_question_never_asked_fails_the_test() {
        // Without "add another environment", there is no second environment to name.
        run(&with_required(&[("environments.1.name", &["qa"])]));
    }

    #[test]
    fn a_question_without_a_default_needs_a_reply() {
        let mut prompter = ScriptedPrompter::new(&[]);
        let error = ask(&mut prompter, &Value::Null).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the script has no reply for `platform_name`, which has no default"
        );
    }

    #[test]
    fn a_reply_that_is_no_choice_is_an_error() {
        let mut prompter = ScriptedPrompter::new(&with_required(&[("mongodb", &["atlas"])]));
        let error = ask(&mut prompter, &Value::Null).unwrap_err();
        assert!(
            error.to_string().contains("`mongodb` with `atlas`"),
            "{error}"
        );
    }
}
