//! Answers: the question table, raw answers as read (a YAML/JSON tree), and their validation
//! into typed [`Answers`] that every later stage can trust. Reads and writes no file itself
//! except through [`load`].

pub mod aws;
pub mod load;
pub mod openedx;
pub mod plugins;
pub mod questions;
pub mod scaling;
pub mod schema;

use crate::suggest::escape_control;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeSet;
use std::fmt;

pub use questions::{ENVIRONMENT_QUESTIONS, Kind, QUESTIONS, Question};

/// Version of the answers schema this generator reads and writes.
pub const SCHEMA_VERSION: u32 = 1;

/// The most environments one repository holds. Each is a cluster with its own databases, so
/// more is a mistake (or an attack: 30 000 of them once ran for minutes and aborted at 6 GB).
pub const MAX_ENVIRONMENTS: usize = 50;

/// One thing wrong with the answers: the key path (`environments.1.name`) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub key: String,
    pub message: String,
}

/// Every problem found in a set of answers; validation reports them all at once.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct AnswersError {
    pub problems: Vec<Problem>,
}

impl fmt::Display for AnswersError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.problems.len();
        write!(
            f,
            "the answers have {count} problem{}:",
            if count == 1 { "" } else { "s" }
        )?;
        for problem in &self.problems {
            write!(
                f,
                "\n  - `{}` {}",
                escape_control(&problem.key),
                escape_control(&problem.message)
            )?;
        }
        Ok(())
    }
}

impl AnswersError {
    pub(crate) fn one(key: impl Into<String>, message: impl Into<String>) -> Self {
        AnswersError {
            problems: vec![Problem {
                key: key.into(),
                message: message.into(),
            }],
        }
    }
}

/// Where Open edX's MongoDB runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MongoDb {
    Ec2,
    Documentdb,
    InCluster,
}

/// One deployment target (prod, dev, ...), validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Environment {
    pub name: String,
    pub subdomain: String,
    /// Serves learners: protected, highly available, deployed on request.
    pub production: bool,
    /// The VPC's IPv4 range, a private `/16`, unique across environments.
    pub vpc_cidr: String,
    pub eks_instance_type: String,
    pub mysql_instance_class: String,
    pub redis_node_type: String,
    /// Used when `mongodb` is `ec2`.
    pub mongodb_instance_type: String,
    /// Used when `mongodb` is `documentdb`.
    pub documentdb_instance_class: String,
    /// The fewest and the most LMS pods (the other services follow, see [`scaling`]).
    pub lms_min_pods: u32,
    pub lms_max_pods: u32,
}

/// Validated answers. Only [`Answers::validate`] makes one, so every value in it has been checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Answers {
    pub platform_name: String,
    pub platform_description: String,
    pub platform_region: String,
    pub root_domain: String,
    pub aws_region: String,
    pub aws_account_id: String,
    pub github_organization: String,
    pub github_repository: String,
    pub mongodb: MongoDb,
    pub spot_instances: bool,
    pub bastion: bool,
    /// Optional Tutor plugins, in the order of [`plugins::PLUGINS`] whatever the answers' order.
    pub tutor_plugins: Vec<String>,
    pub theme_repository: Option<String>,
    pub theme_ref: String,
    pub extra_pip_requirements: Vec<String>,
    pub language_code: String,
    /// `None`: each environment's `support@<its LMS host>`.
    pub contact_email: Option<String>,
    pub environments: Vec<Environment>,
    /// Key paths the user gave; the others took their defaults.
    #[serde(skip)]
    pub chosen: BTreeSet<String>,
}

/// Longest resource name prefix (`<platform>-<region>-<env>`): ElastiCache ids stop at 40.
pub const MAX_RESOURCE_PREFIX: usize = 40;
/// Longest host name prefix the blueprints put before an environment's domain.
const LONGEST_HOST_PREFIX: &str = "meilisearch.";
/// The CDN's host before an environment's domain (as `src/context.rs` names it).
const CDN_HOST_PREFIX: &str = "cdn.";

impl Answers {
    /// Checks a raw answers tree (as read from YAML, `--set` or the questionnaire): unknown
    /// keys, types, values, defaults for what is missing, and rules across keys.
    pub fn validate(raw: &Value) -> Result<Answers, AnswersError> {
        let mut problems = Vec::new();
        let Some(map) = raw.as_object() else {
            return Err(AnswersError::one(
                "(top level)",
                format!(
                    "is {}: the answers must be a mapping of keys to values",
                    describe(raw)
                ),
            ));
        };
        let mut chosen = BTreeSet::new();
        report_unknown_keys(map, QUESTIONS, "", &mut problems);
        let top = resolve(map, QUESTIONS, "", 0, &mut problems, &mut chosen);
        let environments = match map.get("environments") {
            None | Some(Value::Null) => vec![default_environment()],
            Some(Value::Array(items)) if items.is_empty() => {
                problems.push(Problem {
                    key: "environments".into(),
                    message: "is empty: give at least one environment".into(),
                });
                vec![]
            }
            Some(Value::Array(items)) if items.len() > MAX_ENVIRONMENTS => {
                // Refused before any of them is looked at: the answers stop here.
                return Err(AnswersError::one(
                    "environments",
                    format!(
                        "lists {} environments; at most {MAX_ENVIRONMENTS} are allowed",
                        items.len()
                    ),
                ));
            }
            Some(Value::Array(items)) => {
                chosen.insert("environments".into());
                let mut environments: Vec<Environment> = Vec::new();
                for (index, item) in items.iter().enumerate() {
                    let item = with_sibling_subdomain(item, index, items);
                    if let Some(environment) = environment(&item, index, &mut problems, &mut chosen)
                    {
                        environments.push(environment);
                    }
                }
                environments
            }
            Some(other) => {
                problems.push(Problem {
                    key: "environments".into(),
                    message: format!("is {}: expected a list of environments", describe(other)),
                });
                vec![]
            }
        };
        if !problems.is_empty() {
            return Err(AnswersError { problems });
        }
        let mut environments = environments;
        assign_vpc_ranges(&mut environments, &mut chosen)?;
        let text = |key: &str| top[key].as_str().unwrap_or_default().to_owned();
        let answers = Answers {
            platform_name: text("platform_name"),
            platform_description: text("platform_description"),
            platform_region: text("platform_region"),
            root_domain: text("root_domain"),
            aws_region: text("aws_region"),
            aws_account_id: text("aws_account_id"),
            github_organization: text("github_organization"),
            github_repository: text("github_repository"),
            mongodb: match top["mongodb"].as_str() {
                Some("documentdb") => MongoDb::Documentdb,
                Some("in_cluster") => MongoDb::InCluster,
                _ => MongoDb::Ec2,
            },
            spot_instances: top["spot_instances"].as_bool().unwrap_or(true),
            bastion: top["bastion"].as_bool().unwrap_or(true),
            tutor_plugins: plugins::PLUGINS
                .iter()
                .map(|plugin| plugin.name)
                .filter(|name| strings(top.get("tutor_plugins")).any(|chosen| chosen == *name))
                .map(str::to_owned)
                .collect(),
            theme_repository: top
                .get("theme_repository")
                .and_then(Value::as_str)
                .map(str::to_owned),
            theme_ref: text("theme_ref"),
            extra_pip_requirements: strings(top.get("extra_pip_requirements"))
                .map(|line| line.trim().to_owned())
                .collect(),
            language_code: text("language_code"),
            contact_email: top
                .get("contact_email")
                .and_then(Value::as_str)
                .map(str::to_owned),
            environments,
            chosen,
        };
        answers.check_across_keys()?;
        Ok(answers)
    }

    /// Rules that involve several keys: unique names and hosts, name lengths.
    fn check_across_keys(&self) -> Result<(), AnswersError> {
        let mut problems = Vec::new();
        if self.theme_repository.is_some()
            && let Some(theme) = self
                .tutor_plugins
                .iter()
                .filter_map(|name| plugins::plugin(name))
                .find(|plugin| plugin.theme)
        {
            problems.push(Problem {
                key: "theme_repository".into(),
                message: format!(
                    "is set, and `tutor_plugins` lists `{}`, a theme too: the platform has one default theme; drop one of them",
                    theme.name
                ),
            });
        }
        let mut names = BTreeSet::new();
        let mut domains = BTreeSet::new();
        let mut ranges = BTreeSet::new();
        for (index, environment) in self.environments.iter().enumerate() {
            // Every range is a canonical, aligned `/16`: two overlap exactly when they are equal.
            if !ranges.insert(environment.vpc_cidr.as_str()) {
                problems.push(Problem {
                    key: format!("environments.{index}.vpc_cidr"),
                    message: format!(
                        "is `{}`, which an earlier environment already uses: each environment's VPC needs its own range",
                        environment.vpc_cidr
                    ),
                });
            }
            if !names.insert(environment.name.as_str()) {
                problems.push(Problem {
                    key: format!("environments.{index}.name"),
                    message: format!(
                        "is `{}`, which an earlier environment already uses: names must be unique",
                        environment.name
                    ),
                });
            }
            let domain = self.environment_domain(environment);
            if !domains.insert(domain.clone()) {
                problems.push(Problem {
                    key: format!("environments.{index}.subdomain"),
                    message: format!(
                        "is `{}`, which an earlier environment already uses: each environment needs its own host (`{domain}` is taken)",
                        environment.subdomain
                    ),
                });
            }
            if domain.len() + LONGEST_HOST_PREFIX.len() > 253 {
                problems.push(Problem {
                    key: format!("environments.{index}.subdomain"),
                    message: format!(
                        "makes the host `{LONGEST_HOST_PREFIX}{domain}` longer than DNS allows (253 characters)"
                    ),
                });
            }
            let cdn_host = format!("{CDN_HOST_PREFIX}{domain}");
            if cdn_host.len() > aws::ACM_COMMON_NAME_MAX {
                problems.push(Problem {
                    key: format!("environments.{index}.subdomain"),
                    message: format!(
                        "makes the CDN host `{cdn_host}` {} characters long; ACM issues its certificate only for a name of at most {} characters: choose a shorter subdomain (or root_domain)",
                        cdn_host.len(),
                        aws::ACM_COMMON_NAME_MAX
                    ),
                });
            }
            if environment.lms_min_pods > environment.lms_max_pods {
                problems.push(Problem {
                    key: format!("environments.{index}.lms_max_pods"),
                    message: format!(
                        "is {}, fewer than `lms_min_pods` ({}): the autoscaler needs room between the two",
                        environment.lms_max_pods, environment.lms_min_pods
                    ),
                });
            }
            if let Some(capacity) = aws::ec2_capacity(&environment.eks_instance_type) {
                let node = scaling::allocatable(capacity);
                if node.memory_mib < scaling::MIN_ALLOCATABLE_MEMORY_MIB {
                    problems.push(Problem {
                        key: format!("environments.{index}.eks_instance_type"),
                        message: format!(
                            "is `{}`, whose {} MiB leave pods about {} MiB once Kubernetes has taken its share; an LMS pod and a worker need {} MiB: pick a type with at least 4 GiB, such as `t3.medium` or `t3.large`",
                            environment.eks_instance_type,
                            capacity.memory_mib,
                            node.memory_mib,
                            scaling::MIN_ALLOCATABLE_MEMORY_MIB
                        ),
                    });
                }
            }
            let prefix = self.resource_prefix(environment);
            if prefix.len() > MAX_RESOURCE_PREFIX {
                problems.push(Problem {
                    key: format!("environments.{index}.name"),
                    message: format!(
                        "makes the resource name prefix `{prefix}` {} characters long; AWS limits some names, so `platform_name`, `platform_region` and the environment name together must stay within {MAX_RESOURCE_PREFIX}",
                        prefix.len()
                    ),
                });
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(AnswersError { problems })
        }
    }

    /// What works but deserves a word: a non-production environment whose host sits under a
    /// production environment's domain receives that environment's cookies; MongoDB on one EC2
    /// instance serving production.
    pub fn warnings(&self) -> Vec<String> {
        let mut warnings = Vec::new();
        if self.theme_repository.is_none() && self.chosen.contains("theme_ref") {
            warnings.push(
                "`theme_ref` is set but `theme_repository` is not: the ref has nothing to pick"
                    .into(),
            );
        }
        for (index, line) in self.extra_pip_requirements.iter().enumerate() {
            if !openedx::requirement_is_pinned(line) {
                warnings.push(format!(
                    "`extra_pip_requirements.{index}` (`{line}`) pins no version: each rebuild of the image may install a different one; pin it (`==1.2.3`, or `@<tag or commit>` for git)"
                ));
            }
        }
        if let Some(email) = &self.contact_email {
            let domain = email.rsplit_once('@').map_or("", |(_, domain)| domain);
            let outside: Vec<&str> = self
                .environments
                .iter()
                .filter(|environment| {
                    let own = self.environment_domain(environment);
                    domain != own && !domain.ends_with(&format!(".{own}"))
                })
                .map(|environment| environment.name.as_str())
                .collect();
            if !outside.is_empty() {
                warnings.push(format!(
                    "`contact_email` (`{email}`) is outside the domain of {}: Amazon SES sends from it only once someone clicks the link SES mails to that address after the `ses` unit is applied (see the README)",
                    outside.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", ")
                ));
            }
        }
        if self.mongodb == MongoDb::Ec2
            && let Some(production) = self.environments.iter().find(|e| e.production)
        {
            warnings.push(format!(
                "`mongodb` is `ec2`: production (`{}`) gets one MongoDB instance without TLS or failover, restored from snapshots taken every few hours; `mongodb: documentdb` (managed, TLS, a standby instance, point-in-time restore) is the recommended placement for production",
                production.name
            ));
        }
        for (index, environment) in self.environments.iter().enumerate() {
            if environment.production && environment.lms_min_pods < 2 {
                warnings.push(format!(
                    "`environments.{index}.lms_min_pods` is {}: production (`{}`) runs one LMS pod and one Studio pod, so every node drain, upgrade or spot interruption takes the site down until a new pod starts; 2 keeps one running",
                    environment.lms_min_pods, environment.name
                ));
            }
            if environment.production {
                continue;
            }
            let domain = self.environment_domain(environment);
            for production in self.environments.iter().filter(|other| other.production) {
                let parent = self.environment_domain(production);
                if domain.ends_with(&format!(".{parent}")) {
                    warnings.push(format!(
                        "`environments.{index}.subdomain` puts `{}` under the production environment `{}` (`{parent}`): browsers send production's session and JWT cookies to `{domain}`; a sibling such as `{}-{}` keeps them apart",
                        environment.name,
                        production.name,
                        environment.name,
                        production.subdomain
                    ));
                }
            }
        }
        warnings
    }

    /// The LMS host of an environment, e.g. `courses.yourschool.edu`.
    pub fn environment_domain(&self, environment: &Environment) -> String {
        format!("{}.{}", environment.subdomain, self.root_domain)
    }

    /// `<platform_name>-<platform_region>-<environment>`, the stem of every AWS resource name.
    pub fn resource_prefix(&self, environment: &Environment) -> String {
        format!(
            "{}-{}-{}",
            self.platform_name, self.platform_region, environment.name
        )
    }

    /// The answers as a raw tree again (what `answers.yml` records).
    pub fn to_raw(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// The strings of a list value (none for anything else).
fn strings(value: Option<&Value>) -> impl Iterator<Item = &str> {
    value
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
}

/// Gives each environment without a `vpc_cidr` the first range no other environment uses, and
/// marks every environment's range and `production` as chosen: a range is recorded when first assigned, so a
/// later change to the list (an environment removed) never moves another one's VPC.
fn assign_vpc_ranges(
    environments: &mut [Environment],
    chosen: &mut BTreeSet<String>,
) -> Result<(), AnswersError> {
    let mut taken: BTreeSet<String> = environments
        .iter()
        .map(|environment| environment.vpc_cidr.clone())
        .filter(|cidr| !cidr.is_empty())
        .collect();
    let listed = chosen.contains("environments");
    for (index, environment) in environments.iter_mut().enumerate() {
        if environment.vpc_cidr.is_empty() {
            let Some(cidr) = questions::free_vpc_cidr(&taken) else {
                return Err(AnswersError::one(
                    format!("environments.{index}.vpc_cidr"),
                    "has no free `10.N.0.0/16` left: give it a range of 172.16.0.0/12 or 192.168.0.0/16",
                ));
            };
            taken.insert(cidr.clone());
            environment.vpc_cidr = cidr;
        }
        // The one default environment (no list given) is written as comments with the list.
        // `production` is recorded too: its default follows the list position, and reordering
        // the list must never turn production into a non-production environment.
        if listed {
            chosen.insert(format!("environments.{index}.vpc_cidr"));
            chosen.insert(format!("environments.{index}.production"));
        }
    }
    Ok(())
}

fn default_environment() -> Environment {
    let default = |key: &str| {
        ENVIRONMENT_QUESTIONS
            .iter()
            .find(|question| question.key == key)
            .and_then(|question| question.default_text())
            .unwrap_or_default()
    };
    Environment {
        name: default("name"),
        subdomain: default("subdomain"),
        production: true,
        // Assigned with the others' in `assign_vpc_ranges`.
        vpc_cidr: String::new(),
        eks_instance_type: default("eks_instance_type"),
        mysql_instance_class: default("mysql_instance_class"),
        redis_node_type: default("redis_node_type"),
        mongodb_instance_type: default("mongodb_instance_type"),
        documentdb_instance_class: default("documentdb_instance_class"),
        lms_min_pods: scaling::PRODUCTION_LMS_PODS.0,
        lms_max_pods: scaling::PRODUCTION_LMS_PODS.1,
    }
}

/// An environment after the first that names no subdomain gets a free sibling of the first
/// one's: `dev` beside `courses` is `dev-courses`. A sibling, not `dev.courses`: a host under
/// production's domain would receive production's session and JWT cookies.
fn with_sibling_subdomain(item: &Value, index: usize, items: &[Value]) -> Value {
    let mut item = item.clone();
    let Some(map) = item.as_object_mut() else {
        return item;
    };
    if index == 0 || map.get("subdomain").is_some_and(|value| !value.is_null()) {
        return item;
    }
    let subdomain_of = |other: &Value| {
        other
            .get("subdomain")
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let first = items
        .first()
        .and_then(subdomain_of)
        .unwrap_or_else(|| "courses".to_owned());
    let name = map
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or("env")
        .to_owned();
    let taken: BTreeSet<String> = items.iter().filter_map(subdomain_of).collect();
    let subdomain = sibling_subdomain(&name, &first, &taken);
    map.insert("subdomain".into(), Value::String(subdomain));
    item
}

/// `<name>-<first>`, or with a number when that is taken.
pub(crate) fn sibling_subdomain(name: &str, first: &str, taken: &BTreeSet<String>) -> String {
    let (label, rest) = first
        .split_once('.')
        .map_or((first, ""), |(label, rest)| (label, rest));
    let with = |suffix: String| {
        let label = format!("{name}-{label}{suffix}");
        if rest.is_empty() {
            label
        } else {
            format!("{label}.{rest}")
        }
    };
    (1..)
        .map(|n| {
            with(if n == 1 {
                String::new()
            } else {
                format!("-{n}")
            })
        })
        .find(|candidate| !taken.contains(candidate))
        .unwrap_or_default()
}

fn environment(
    item: &Value,
    index: usize,
    problems: &mut Vec<Problem>,
    chosen: &mut BTreeSet<String>,
) -> Option<Environment> {
    let prefix = format!("environments.{index}.");
    let Some(map) = item.as_object() else {
        problems.push(Problem {
            key: format!("environments.{index}"),
            message: format!(
                "is {}: expected a mapping with `name`, `subdomain`, ...",
                describe(item)
            ),
        });
        return None;
    };
    let before = problems.len();
    // An environment given in a list is identified by its name, chosen or not.
    chosen.insert(format!("{prefix}name"));
    report_unknown_keys(map, ENVIRONMENT_QUESTIONS, &prefix, problems);
    let values = resolve(map, ENVIRONMENT_QUESTIONS, &prefix, index, problems, chosen);
    if problems.len() > before {
        return None;
    }
    let text = |key: &str| values[key].as_str().unwrap_or_default().to_owned();
    let count = |key: &str| {
        values[key]
            .as_u64()
            .and_then(|value| u32::try_from(value).ok())
            .unwrap_or(1)
    };
    Some(Environment {
        name: text("name"),
        subdomain: text("subdomain"),
        production: values["production"].as_bool().unwrap_or(index == 0),
        // Empty when not given: assigned once every environment is known.
        vpc_cidr: values
            .get("vpc_cidr")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        eks_instance_type: text("eks_instance_type"),
        mysql_instance_class: text("mysql_instance_class"),
        redis_node_type: text("redis_node_type"),
        mongodb_instance_type: text("mongodb_instance_type"),
        documentdb_instance_class: text("documentdb_instance_class"),
        lms_min_pods: count("lms_min_pods"),
        lms_max_pods: count("lms_max_pods"),
    })
}

fn report_unknown_keys(
    map: &Map<String, Value>,
    questions: &[Question],
    prefix: &str,
    problems: &mut Vec<Problem>,
) {
    for key in map.keys() {
        if !questions.iter().any(|question| question.key == key) {
            let hint = crate::suggest::did_you_mean(key, questions.iter().map(|q| q.key));
            problems.push(Problem {
                key: format!("{prefix}{}", escape_control(key)),
                message: format!("is not a known answer{hint}"),
            });
        }
    }
}

/// Checks each question's value (or fills its default) and returns the resolved values by key.
fn resolve(
    map: &Map<String, Value>,
    questions: &[Question],
    prefix: &str,
    environment: usize,
    problems: &mut Vec<Problem>,
    chosen: &mut BTreeSet<String>,
) -> Map<String, Value> {
    let mut resolved = Map::new();
    for question in questions {
        if matches!(question.kind, Kind::Environments) {
            continue;
        }
        let key_path = format!("{prefix}{}", question.key);
        let value = match map.get(question.key) {
            Some(Value::Null) | None => {
                if question.required {
                    problems.push(Problem {
                        key: key_path,
                        message: format!("is required: {}", question.help),
                    });
                    continue;
                }
                match question.default_for(&resolved, environment) {
                    // Derived from an answer that is itself missing: that one is reported.
                    Value::Null => continue,
                    value => value,
                }
            }
            Some(given) => {
                chosen.insert(key_path.clone());
                question.kind.normalize(given.clone())
            }
        };
        match question.kind.check(&value) {
            Ok(()) => {
                resolved.insert(question.key.to_owned(), value);
            }
            Err(message) => problems.push(Problem {
                key: key_path,
                message: format!("is {}: {message}", show(&value)),
            }),
        }
    }
    resolved
}

/// A value as the user wrote it, for messages: strings in backticks (control characters
/// escaped), others by kind.
pub(crate) fn show(value: &Value) -> String {
    match value {
        Value::String(text) => format!("`{}`", escape_control(text)),
        Value::Number(number) => format!("the number `{number}`"),
        Value::Bool(flag) => format!("`{flag}`"),
        other => describe(other),
    }
}

/// What kind of YAML value this is, for messages.
pub(crate) fn describe(value: &Value) -> String {
    match value {
        Value::Null => "empty".into(),
        Value::Bool(_) => "a boolean".into(),
        Value::Number(_) => "a number".into(),
        Value::String(_) => "a string".into(),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "a mapping".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Value {
        serde_saphyr::from_str(text).expect("test YAML parses")
    }

    const MINIMAL: &str = "platform_name: yourschool\nroot_domain: yourschool.edu\naws_region: us-east-1\naws_account_id: \"123456789012\"\n";

    #[test]
    fn minimal_answers_take_every_default() {
        let answers = Answers::validate(&yaml(MINIMAL)).unwrap();
        assert_eq!(answers.platform_region, "global");
        assert_eq!(answers.platform_description, "yourschool");
        assert_eq!(answers.github_organization, "yourschool");
        assert_eq!(answers.mongodb, MongoDb::Ec2);
        assert!(answers.spot_instances && answers.bastion);
        assert_eq!(answers.environments.len(), 1);
        assert_eq!(answers.environments[0].name, "prod");
        assert_eq!(
            answers.environment_domain(&answers.environments[0]),
            "courses.yourschool.edu"
        );
        assert_eq!(
            answers
                .chosen
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>(),
            [
                "aws_account_id",
                "aws_region",
                "platform_name",
                "root_domain"
            ]
        );
    }

    /// One row per bad value: the key path that must be named, and a word the message must hold.
    #[test]
    fn each_bad_value_is_refused_naming_its_key() {
        let rows: &[(&str, &str, &str)] = &[
            (
                "aws_regoin: us-east-1",
                "aws_regoin",
                "did you mean `aws_region`",
            ),
            (
                "aws_region: eu-west-9",
                "aws_region",
                "did you mean `eu-west-",
            ),
            ("aws_region: 12", "aws_region", "expected"),
            (
                "aws_account_id: \"12345678901\"",
                "aws_account_id",
                "11 digits",
            ),
            ("aws_account_id: 123456789012", "aws_account_id", "quoted"),
            ("root_domain: yourschool", "root_domain", "two labels"),
            ("root_domain: -bad.edu", "root_domain", "hyphen"),
            ("root_domain: your_school.edu", "root_domain", "`_`"),
            ("platform_name: YourSchool", "platform_name", "lowercase"),
            (
                "platform_name: 1school",
                "platform_name",
                "start with a letter",
            ),
            (
                "platform_name: averyveryveryveryverylongschoolname",
                "platform_name",
                "30",
            ),
            ("mongodb: atlas", "mongodb", "documentdb"),
            ("spot_instances: \"yes\"", "spot_instances", "true or false"),
            ("bastion: 1", "bastion", "true or false"),
            (
                "platform_description: \"say ${hi}\"",
                "platform_description",
                "`$`",
            ),
            ("github_organization: -org", "github_organization", "hyphen"),
            (
                "platform_description: \"Your\\uFFFESchool\"",
                "platform_description",
                "U+FFFE, a Unicode non-character",
            ),
            (
                "platform_description: \"Your\\eSchool\"",
                "platform_description",
                "U+001B, a control character",
            ),
            (
                "platform_description: \"Your\\u202ESchool\"",
                "platform_description",
                "bidirectional",
            ),
            ("environments: []", "environments", "at least one"),
            ("environments: prod", "environments", "list"),
            (
                "environments: [{name: prod, colour: red}]",
                "environments.0.colour",
                "not a known",
            ),
            (
                "environments: [{name: Prod}]",
                "environments.0.name",
                "lowercase",
            ),
            (
                "environments: [{name: prod, eks_instance_type: t3.larg}]",
                "environments.0.eks_instance_type",
                "`larg`",
            ),
            (
                "environments: [{name: prod, mysql_instance_class: t3.small}]",
                "environments.0.mysql_instance_class",
                "`db.`",
            ),
            (
                "environments: [{name: prod, redis_node_type: db.t3.small}]",
                "environments.0.redis_node_type",
                "RDS instance class",
            ),
            (
                "environments: [{name: prod, documentdb_instance_class: cache.r6g.large}]",
                "environments.0.documentdb_instance_class",
                "did you mean `db.r6g.large`?",
            ),
            (
                "environments: [{name: prod, documentdb_instance_class: db.t3.small}]",
                "environments.0.documentdb_instance_class",
                "medium",
            ),
            (
                "environments: [{name: prod, mongodb_instance_type: db.t3.medium}]",
                "environments.0.mongodb_instance_type",
                "did you mean `t3.medium`?",
            ),
            (
                "environments: [{name: prod, redis_node_type: db.t3.small}]",
                "environments.0.redis_node_type",
                "did you mean `cache.t3.small`?",
            ),
            (
                "environments: [{name: prod, subdomain: \"courses.\"}]",
                "environments.0.subdomain",
                "empty label",
            ),
            (
                "environments: [{name: prod, subdomain: averyveryveryveryveryverylongsubdomainforthecourses}]",
                "environments.0.subdomain",
                "at most 64 characters",
            ),
            (
                "environments: [{name: prod}, {name: prod, subdomain: dev}]",
                "environments.1.name",
                "unique",
            ),
            (
                "environments: [{name: prod}, {name: dev, subdomain: courses}]",
                "environments.1.subdomain",
                "own host",
            ),
            (
                "environments: [{name: prod, vpc_cidr: 10.10.0.0/24}]",
                "environments.0.vpc_cidr",
                "`/16`",
            ),
            (
                "environments: [{name: prod, vpc_cidr: 52.10.0.0/16}]",
                "environments.0.vpc_cidr",
                "private",
            ),
            (
                "environments: [{name: prod, vpc_cidr: ten}]",
                "environments.0.vpc_cidr",
                "expected a private IPv4",
            ),
            (
                "environments: [{name: prod, vpc_cidr: 10.10.1.0/16}]",
                "environments.0.vpc_cidr",
                "host bits",
            ),
            (
                "environments: [{name: prod, vpc_cidr: 10.20.0.0/16}, {name: dev, subdomain: dev, vpc_cidr: 10.20.0.0/16}]",
                "environments.1.vpc_cidr",
                "already uses",
            ),
            (
                "platform_region: northern-europe1\nenvironments: [{name: production-east}]",
                "environments.0.name",
                "40",
            ),
        ];
        for (override_yaml, key, needle) in rows {
            let mut raw = yaml(MINIMAL);
            let changes = yaml(override_yaml);
            for (name, value) in changes.as_object().unwrap() {
                raw[name] = value.clone();
            }
            let error = Answers::validate(&raw).expect_err(override_yaml);
            let problem = error
                .problems
                .iter()
                .find(|problem| problem.key == *key)
                .unwrap_or_else(|| panic!("{override_yaml}: no problem names `{key}`: {error}"));
            assert!(
                problem.message.contains(needle),
                "{override_yaml}: `{}` lacks `{needle}`",
                problem.message
            );
        }
    }

    #[test]
    fn missing_required_keys_are_all_reported() {
        let error = Answers::validate(&yaml("platform_description: x")).unwrap_err();
        let keys: Vec<&str> = error.problems.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "platform_name",
                "root_domain",
                "aws_region",
                "aws_account_id"
            ]
        );
    }

    #[test]
    fn a_list_at_the_top_is_refused() {
        let error = Answers::validate(&yaml("- a\n- b")).unwrap_err();
        assert!(error.to_string().contains("mapping"), "{error}");
    }

    #[test]
    fn an_environment_named_by_set_gets_a_free_sibling_subdomain() {
        // Pins the bug where `--set environments.1.name=dev` failed (it took `courses`, already
        // used) and a third environment landed on the first one's host.
        let mut raw = yaml(MINIMAL);
        raw["environments"] = yaml(
            "[{name: prod, subdomain: learn}, {name: staging}, {name: dev, subdomain: staging-learn}, {name: qa}]",
        );
        let answers = Answers::validate(&raw).unwrap();
        let subdomains: Vec<&str> = answers
            .environments
            .iter()
            .map(|e| e.subdomain.as_str())
            .collect();
        assert_eq!(
            subdomains,
            ["learn", "staging-learn-2", "staging-learn", "qa-learn"]
        );
        assert!(
            answers.warnings().iter().all(|w| !w.contains("subdomain")),
            "{:?}",
            answers.warnings()
        );
        // Nesting under production stays possible, with a warning that says why not.
        raw["environments"] =
            yaml("[{name: prod, subdomain: learn}, {name: dev, subdomain: dev.learn}]");
        raw["mongodb"] = Value::String("documentdb".into());
        let warnings = Answers::validate(&raw).unwrap().warnings();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].contains("production's session and JWT cookies"),
            "{warnings:?}"
        );
    }

    #[test]
    fn production_is_an_answer_not_a_name() {
        // Pins the bug where only an environment named `prod` got deletion protection,
        // Multi-AZ and manual deploys: `production` or `live` silently got none.
        let mut raw = yaml(MINIMAL);
        raw["environments"] = yaml(
            "[{name: live, subdomain: learn}, {name: qa, subdomain: qa-learn}, {name: prod, subdomain: other}]",
        );
        let answers = Answers::validate(&raw).unwrap();
        let production: Vec<bool> = answers.environments.iter().map(|e| e.production).collect();
        assert_eq!(production, [true, false, false]);
        raw["environments"][1]["production"] = serde_json::Value::Bool(true);
        raw["environments"][0]["production"] = serde_json::Value::Bool(false);
        let answers = Answers::validate(&raw).unwrap();
        let production: Vec<bool> = answers.environments.iter().map(|e| e.production).collect();
        assert_eq!(production, [false, true, false]);
        raw["environments"][1]["production"] = serde_json::Value::String("yes".into());
        let error = Answers::validate(&raw).unwrap_err();
        assert!(
            error
                .problems
                .iter()
                .any(|problem| problem.key == "environments.1.production"),
            "{error}"
        );
    }

    #[test]
    fn vpc_ranges_default_to_the_first_free_and_are_recorded() {
        let mut raw = yaml(MINIMAL);
        raw["environments"] = yaml(
            "[{name: prod, subdomain: a}, {name: staging, subdomain: b}, {name: dev, subdomain: c}]",
        );
        let answers = Answers::validate(&raw).unwrap();
        let ranges: Vec<&str> = answers
            .environments
            .iter()
            .map(|e| e.vpc_cidr.as_str())
            .collect();
        assert_eq!(ranges, ["10.10.0.0/16", "10.20.0.0/16", "10.30.0.0/16"]);
        // Derived, yet recorded as a value: a later list change must not move it, nor turn
        // production into another environment (found in review: reordering did).
        assert!(answers.chosen.contains("environments.2.vpc_cidr"));
        assert!(answers.chosen.contains("environments.0.production"));
        assert!(answers.chosen.contains("environments.2.production"));
        // A range given elsewhere is skipped by the defaults, wherever it is in the list.
        raw["environments"] = yaml(
            "[{name: prod, subdomain: a}, {name: dev, subdomain: c, vpc_cidr: 10.10.0.0/16}, {name: qa, subdomain: d, vpc_cidr: 172.16.0.0/16}]",
        );
        let answers = Answers::validate(&raw).unwrap();
        let ranges: Vec<&str> = answers
            .environments
            .iter()
            .map(|e| e.vpc_cidr.as_str())
            .collect();
        assert_eq!(ranges, ["10.20.0.0/16", "10.10.0.0/16", "172.16.0.0/16"]);
        // The one default environment gets today's range.
        let answers = Answers::validate(&yaml(MINIMAL)).unwrap();
        assert_eq!(answers.environments[0].vpc_cidr, "10.10.0.0/16");
    }

    #[test]
    fn nested_environments_can_share_a_parent_domain() {
        let mut raw = yaml(MINIMAL);
        raw["environments"] =
            yaml("[{name: prod, subdomain: courses}, {name: dev, subdomain: dev.courses}]");
        let answers = Answers::validate(&raw).unwrap();
        assert_eq!(
            answers.environment_domain(&answers.environments[1]),
            "dev.courses.yourschool.edu"
        );
    }

    #[test]
    fn mongodb_on_ec2_in_production_is_warned_about() {
        // M8: one instance, no TLS, no failover: DocumentDB is the recommended placement.
        let warnings = Answers::validate(&yaml(MINIMAL)).unwrap().warnings();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].contains("`mongodb` is `ec2`") && warnings[0].contains("documentdb"),
            "{warnings:?}"
        );
        for mongodb in ["documentdb", "in_cluster"] {
            let mut raw = yaml(MINIMAL);
            raw["mongodb"] = Value::String(mongodb.into());
            assert!(
                Answers::validate(&raw).unwrap().warnings().is_empty(),
                "{mongodb}"
            );
        }
        // No production environment: nothing to warn about.
        let mut raw = yaml(MINIMAL);
        raw["environments"] = yaml("[{name: dev, production: false}]");
        assert!(Answers::validate(&raw).unwrap().warnings().is_empty());
    }
}
