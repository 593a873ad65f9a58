//! The question table: every answer key with its kind, default, help text and group. The
//! questionnaire, validation, `questions` and the answers reference are all driven from it.

use super::aws::{self, Service};
use super::scaling;
use super::{openedx, plugins};
use serde_json::{Map, Value};

/// What kind of value a question takes; each kind knows how to check a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Lowercase letters, digits and `-`, starting with a letter, at most `max` characters.
    Slug { max: usize },
    /// One line of free text, without characters that would need escaping in HCL or YAML.
    Text,
    /// A DNS name with at least two labels.
    Domain,
    /// One or more DNS labels put in front of the root domain.
    Subdomain,
    /// An AWS region code.
    Region,
    /// A 12-digit AWS account id, as a string.
    AccountId,
    /// A GitHub organization or user name.
    GithubOwner,
    /// A GitHub repository name.
    GithubRepository,
    /// One of a fixed set of words.
    Choice(&'static [&'static str]),
    /// true or false.
    Bool,
    /// An instance type of an AWS service.
    Instance(Service),
    /// An IPv4 `/16` network in a private range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16).
    VpcCidr,
    /// A whole number from `min` to `max`.
    Count { min: u32, max: u32 },
    /// The list of environments (its items have their own questions).
    Environments,
    /// A list of Tutor plugin names (see [`super::plugins`]), each at most once.
    Plugins,
    /// An `https://` URL of a git repository whose last segment names the theme.
    ThemeRepository,
    /// A git branch, tag or commit.
    GitRef,
    /// A list of pip requirement lines.
    PipRequirements,
    /// A Django language code.
    LanguageCode,
    /// An e-mail address.
    Email,
}

/// How a question's default is found when the answer is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefaultValue {
    /// Required: no default.
    None,
    Text(&'static str),
    Bool(bool),
    /// The value of an earlier question, e.g. the description from the platform name.
    SameAs(&'static str),
    /// One `prod` environment with the environment questions' defaults.
    OneEnvironment,
    /// `true` for the first environment, `false` for the others.
    FirstEnvironment,
    /// The first [`free_vpc_cidr`] not used by another environment of the same answers.
    FreeVpcRange,
    /// Nothing: the key is absent, and what that means is `what` (for tables).
    Nothing(&'static str),
    /// An empty list.
    EmptyList,
    /// A number that depends on the environment's `production` answer.
    ByProduction {
        production: u32,
        other: u32,
    },
}

/// One question of the table.
#[derive(Debug, Clone, Copy)]
pub struct Question {
    pub key: &'static str,
    pub kind: Kind,
    pub default: DefaultValue,
    pub required: bool,
    pub group: &'static str,
    pub help: &'static str,
}

const MONGODB_CHOICES: &[&str] = &["ec2", "documentdb", "in_cluster"];

/// The top-level questions, in the order they are asked and written.
pub const QUESTIONS: &[Question] = &[
    Question {
        key: "platform_name",
        kind: Kind::Slug { max: 30 },
        default: DefaultValue::None,
        required: true,
        group: "platform",
        help: "short name of the platform, used in every resource name (lowercase letters, digits, `-`)",
    },
    Question {
        key: "platform_description",
        kind: Kind::Text,
        default: DefaultValue::SameAs("platform_name"),
        required: false,
        group: "platform",
        help: "the platform's full name as people know it, e.g. `Your School`",
    },
    Question {
        key: "platform_region",
        kind: Kind::Slug { max: 16 },
        default: DefaultValue::Text("global"),
        required: false,
        group: "platform",
        help: "a word for the audience this platform serves, part of resource names (e.g. `global`, `emea`)",
    },
    Question {
        key: "root_domain",
        kind: Kind::Domain,
        default: DefaultValue::None,
        required: true,
        group: "platform",
        help: "the DNS domain you control, whose Route53 hosted zone already exists (e.g. `yourschool.edu`)",
    },
    Question {
        key: "aws_region",
        kind: Kind::Region,
        default: DefaultValue::None,
        required: true,
        group: "aws",
        help: "the AWS region everything is built in (e.g. `us-east-1`)",
    },
    Question {
        key: "aws_account_id",
        kind: Kind::AccountId,
        default: DefaultValue::None,
        required: true,
        group: "aws",
        help: "the 12-digit id of the AWS account: `123456789012`, or `1234-5678-9012` as the AWS console shows it (in a YAML file, quote it: `\"012345678901\"`)",
    },
    Question {
        key: "github_organization",
        kind: Kind::GithubOwner,
        default: DefaultValue::SameAs("platform_name"),
        required: false,
        group: "github",
        help: "the GitHub organization (or user) that will own the generated repository",
    },
    Question {
        key: "github_repository",
        kind: Kind::GithubRepository,
        default: DefaultValue::Text("openedx_devops"),
        required: false,
        group: "github",
        help: "the name of the generated repository on GitHub; its workflows are trusted by AWS through OIDC",
    },
    Question {
        key: "mongodb",
        kind: Kind::Choice(MONGODB_CHOICES),
        default: DefaultValue::Text("ec2"),
        required: false,
        group: "options",
        help: "where MongoDB 7.0 runs: `ec2` (an instance in a private subnet), `documentdb` (managed, no retryable writes) or `in_cluster` (Tutor runs it in Kubernetes)",
    },
    Question {
        key: "spot_instances",
        kind: Kind::Bool,
        default: DefaultValue::Bool(true),
        required: false,
        group: "options",
        help: "Karpenter adds and removes the application nodes in every environment; `true` runs them on EC2 spot instances first (on-demand when spot runs out), at a fraction of the price, `false` on on-demand only",
    },
    Question {
        key: "bastion",
        kind: Kind::Bool,
        default: DefaultValue::Bool(true),
        required: false,
        group: "options",
        help: "create a small bastion instance (SSM Session Manager) for reaching the private databases and cluster",
    },
    Question {
        key: "tutor_plugins",
        kind: Kind::Plugins,
        default: DefaultValue::EmptyList,
        required: false,
        group: "openedx",
        help: "optional Tutor plugins to run in every environment (the MFEs always run): forum, notes, discovery, credentials, xqueue, jupyter, cairn, indigo",
    },
    Question {
        key: "theme_repository",
        kind: Kind::ThemeRepository,
        default: DefaultValue::Nothing("none: the themes of ci/tutor-build/themes/, if any"),
        required: false,
        group: "openedx",
        help: "`https://` URL of a git repository holding an Open edX comprehensive theme (`lms/`, `cms/`); the build clones it (a private one with the GitHub secret PRIVATE_REPOSITORIES_TOKEN) and every deploy makes it the default theme",
    },
    Question {
        key: "theme_ref",
        kind: Kind::GitRef,
        default: DefaultValue::Text("main"),
        required: false,
        group: "openedx",
        help: "the branch, tag or commit of `theme_repository` to build (a tag or commit gives the same image on every rebuild)",
    },
    Question {
        key: "extra_pip_requirements",
        kind: Kind::PipRequirements,
        default: DefaultValue::EmptyList,
        required: false,
        group: "openedx",
        help: "pip requirement lines built into the openedx image (XBlocks, Open edX plugins): `name==version`, or `git+https://host/owner/repo.git@tag` (private ones with the GitHub secret PRIVATE_REPOSITORIES_TOKEN)",
    },
    Question {
        key: "language_code",
        kind: Kind::LanguageCode,
        default: DefaultValue::Text("en"),
        required: false,
        group: "openedx",
        help: "the platform's default language (Django LANGUAGE_CODE): `en`, `fr`, `pt-br`, `es-419`, ...",
    },
    Question {
        key: "contact_email",
        kind: Kind::Email,
        default: DefaultValue::Nothing("support@<the environment's LMS host>"),
        required: false,
        group: "openedx",
        help: "the address learners write to (CONTACT_EMAIL) and the sender of the platform's e-mail; an address outside the environments' domains is verified by Amazon SES, which mails it a link to click once",
    },
    Question {
        key: "environments",
        kind: Kind::Environments,
        default: DefaultValue::OneEnvironment,
        required: false,
        group: "environments",
        help: "the environments to build, each with its own cluster, databases and hosts (prod, dev, ...)",
    },
];

/// The questions asked for each environment.
pub const ENVIRONMENT_QUESTIONS: &[Question] = &[
    Question {
        key: "name",
        kind: Kind::Slug { max: 16 },
        default: DefaultValue::Text("prod"),
        required: false,
        group: "environments",
        help: "the environment's name, part of resource names and hosts (the name carries no meaning: `production` decides)",
    },
    Question {
        key: "subdomain",
        kind: Kind::Subdomain,
        default: DefaultValue::Text("courses"),
        required: false,
        group: "environments",
        help: "DNS labels before the root domain: the LMS is at `<subdomain>.<root_domain>`, Studio at `studio.<subdomain>.<root_domain>`",
    },
    Question {
        key: "production",
        kind: Kind::Bool,
        default: DefaultValue::FirstEnvironment,
        required: false,
        group: "environments",
        help: "whether this environment serves learners: deletion protection, Multi-AZ databases, a NAT gateway per zone, longer backups, and deploys only when someone asks (default: the first environment only)",
    },
    Question {
        key: "vpc_cidr",
        kind: Kind::VpcCidr,
        default: DefaultValue::FreeVpcRange,
        required: false,
        group: "environments",
        help: "the IPv4 range of the environment's VPC, a private `/16`; recorded when first assigned, since changing it replaces the VPC and everything in it",
    },
    Question {
        key: "eks_instance_type",
        kind: Kind::Instance(Service::Ec2),
        default: DefaultValue::Text("t3.large"),
        required: false,
        group: "environments",
        help: "the size of the worker nodes of the applications: Karpenter launches instance types of its size (`large` at least) in families c, m and r, and the cost estimate prices them as this type; the system pods run on small on-demand nodes of their own (x86-64: the Open edX image is built for amd64)",
    },
    Question {
        key: "mysql_instance_class",
        kind: Kind::Instance(Service::Rds),
        default: DefaultValue::Text("db.t3.small"),
        required: false,
        group: "environments",
        help: "the RDS instance class of the MySQL 8.4 database (`db.` types)",
    },
    Question {
        key: "redis_node_type",
        kind: Kind::Instance(Service::ElastiCache),
        default: DefaultValue::Text("cache.t3.small"),
        required: false,
        group: "environments",
        help: "the ElastiCache node type of the Redis-compatible cache (`cache.` types)",
    },
    Question {
        key: "mongodb_instance_type",
        kind: Kind::Instance(Service::Ec2),
        default: DefaultValue::Text("t3.medium"),
        required: false,
        group: "environments",
        help: "the EC2 instance type of the MongoDB server, used when `mongodb` is `ec2` (x86-64)",
    },
    Question {
        key: "documentdb_instance_class",
        kind: Kind::Instance(Service::DocumentDb),
        default: DefaultValue::Text("db.t4g.medium"),
        required: false,
        group: "environments",
        help: "the DocumentDB instance class (`db.t3`/`db.t4g` medium, `db.r5`/`db.r6g`/`db.r8g`), used when `mongodb` is `documentdb`",
    },
    Question {
        key: "lms_min_pods",
        kind: Kind::Count {
            min: 1,
            max: scaling::MAX_PODS,
        },
        default: DefaultValue::ByProduction {
            production: scaling::PRODUCTION_LMS_PODS.0,
            other: scaling::OTHER_LMS_PODS.0,
        },
        required: false,
        group: "environments",
        help: "the fewest LMS pods that always run (the autoscaler adds more under load); 2 or more keeps the site up while a node is replaced, and Studio, the MFEs and Caddy then run 2 as well",
    },
    Question {
        key: "lms_max_pods",
        kind: Kind::Count {
            min: 1,
            max: scaling::MAX_PODS,
        },
        default: DefaultValue::ByProduction {
            production: scaling::PRODUCTION_LMS_PODS.1,
            other: scaling::OTHER_LMS_PODS.1,
        },
        required: false,
        group: "environments",
        help: "the most LMS pods the autoscaler runs under load (at least `lms_min_pods`); Studio, the workers, the MFEs and Caddy may grow to half as many",
    },
];

impl Question {
    /// The default as a value, given the values already resolved (for `SameAs`), for a
    /// top-level question or the first environment.
    pub(crate) fn default_value(&self, resolved: &Map<String, Value>) -> Value {
        self.default_for(resolved, 0)
    }

    /// The default as a value for the environment at `environment` (its index in the list).
    pub(crate) fn default_for(&self, resolved: &Map<String, Value>, environment: usize) -> Value {
        match self.default {
            DefaultValue::FirstEnvironment => Value::Bool(environment == 0),
            // Depends on the other environments: filled in once they are all known.
            DefaultValue::FreeVpcRange | DefaultValue::None => Value::Null,
            DefaultValue::Text(text) => Value::String(text.to_owned()),
            DefaultValue::Bool(flag) => Value::Bool(flag),
            DefaultValue::SameAs(key) => resolved.get(key).cloned().unwrap_or(Value::Null),
            DefaultValue::OneEnvironment | DefaultValue::Nothing(_) => Value::Null,
            DefaultValue::EmptyList => Value::Array(Vec::new()),
            DefaultValue::ByProduction { production, other } => {
                let is_production = resolved
                    .get("production")
                    .and_then(Value::as_bool)
                    .unwrap_or(environment == 0);
                Value::from(if is_production { production } else { other })
            }
        }
    }

    /// A fixed default as text, for tables and simple defaults.
    pub fn default_text(&self) -> Option<String> {
        match self.default {
            DefaultValue::Text(text) => Some(text.to_owned()),
            DefaultValue::Bool(flag) => Some(flag.to_string()),
            DefaultValue::SameAs(key) => Some(format!("the value of `{key}`")),
            DefaultValue::OneEnvironment => Some("one `prod` environment".into()),
            DefaultValue::FirstEnvironment => {
                Some("true for the first environment, false for the others".into())
            }
            DefaultValue::FreeVpcRange => Some(
                "the first `10.N.0.0/16` (N = 10, 20, 30, ...) no other environment uses".into(),
            ),
            DefaultValue::ByProduction { production, other } => Some(format!(
                "{production} in a production environment, {other} in the others"
            )),
            DefaultValue::Nothing(what) => Some(what.to_owned()),
            DefaultValue::EmptyList => Some("none".into()),
            DefaultValue::None => None,
        }
    }
}

impl Kind {
    /// A short name of the type, for tables.
    pub fn type_name(&self) -> &'static str {
        match self {
            Kind::Bool => "boolean",
            Kind::Choice(_) => "choice",
            Kind::Count { .. } => "integer",
            Kind::Environments => "list of environments",
            Kind::Plugins | Kind::PipRequirements => "list of strings",
            _ => "string",
        }
    }

    /// Allowed values, where the set is small enough to list.
    pub fn choices(&self) -> Option<&'static [&'static str]> {
        match self {
            Kind::Choice(choices) => Some(choices),
            Kind::Bool => Some(&["true", "false"]),
            _ => None,
        }
    }

    /// The value in its one recorded form, where a kind accepts several: an account id typed
    /// quoted (`"123456789012"`) or as the AWS console shows it (`1234-5678-9012`) becomes its
    /// 12 digits. Anything else is returned as it is, for [`Kind::check`] to judge.
    pub fn normalize(&self, value: Value) -> Value {
        // `--set tutor_plugins=forum,notes` and the questionnaire give lists as one line; a
        // requirement line may hold commas (`>=1,<2`), so it is one item.
        match (self, &value) {
            (Kind::Plugins, Value::String(text)) => {
                return Value::Array(
                    text.split([',', ' '])
                        .map(str::trim)
                        .filter(|name| !name.is_empty())
                        .map(|name| Value::String(name.to_owned()))
                        .collect(),
                );
            }
            (Kind::PipRequirements, Value::String(text)) => {
                let text = text.trim();
                return Value::Array(if text.is_empty() {
                    Vec::new()
                } else {
                    vec![Value::String(text.to_owned())]
                });
            }
            _ => {}
        }
        if let (Kind::Count { .. }, Value::String(text)) = (self, &value) {
            return text.trim().parse::<u32>().map_or(value, Value::from);
        }
        let Kind::AccountId = self else {
            return value;
        };
        let Some(text) = value.as_str() else {
            return value;
        };
        let trimmed = text.trim();
        let unquoted = ['"', '\'']
            .iter()
            .find_map(|quote| {
                trimmed
                    .strip_prefix(*quote)
                    .and_then(|rest| rest.strip_suffix(*quote))
            })
            .unwrap_or(trimmed);
        let digits: String = unquoted
            .chars()
            .filter(|c| !matches!(c, '-' | ' '))
            .collect();
        if digits.len() == 12 && digits.chars().all(|c| c.is_ascii_digit()) {
            Value::String(digits)
        } else {
            value
        }
    }

    /// Checks one value; the message says what is wrong and what is expected.
    pub fn check(&self, value: &Value) -> Result<(), String> {
        if let Kind::Bool = self {
            return match value {
                Value::Bool(_) => Ok(()),
                _ => Err("expected true or false".into()),
            };
        }
        if let Kind::Environments = self {
            return Ok(());
        }
        if let Kind::Plugins | Kind::PipRequirements = self {
            return check_list(*self, value);
        }
        if let Kind::Count { min, max } = self {
            return match value.as_u64() {
                Some(count) if (u64::from(*min)..=u64::from(*max)).contains(&count) => Ok(()),
                Some(_) => Err(format!("expected a whole number from {min} to {max}")),
                None => Err(format!(
                    "expected a whole number from {min} to {max}, not {}",
                    super::describe(value)
                )),
            };
        }
        let Some(text) = value.as_str() else {
            return Err(match (self, value) {
                (Kind::AccountId, Value::Number(_)) => {
                    "write the account id as a quoted string, e.g. \"012345678901\" (YAML reads digits as a number and drops leading zeros)".into()
                }
                _ => format!("expected a string, not {}", super::describe(value)),
            });
        };
        check_characters(text)?;
        match self {
            Kind::Slug { max } => check_slug(text, *max),
            Kind::Text => check_text(text),
            Kind::Domain => check_domain(text, 2),
            Kind::Subdomain => check_domain(text, 1),
            Kind::Region => check_region(text),
            Kind::AccountId => check_account_id(text),
            Kind::GithubOwner => check_github_owner(text),
            Kind::GithubRepository => check_github_repository(text),
            Kind::Choice(choices) => check_choice(text, choices),
            Kind::Instance(service) => aws::check_instance_type(*service, text),
            Kind::VpcCidr => check_vpc_cidr(text),
            Kind::ThemeRepository => openedx::check_theme_url(text),
            Kind::GitRef => openedx::check_git_ref(text),
            Kind::LanguageCode => openedx::check_language_code(text),
            Kind::Email => openedx::check_email(text),
            Kind::Bool
            | Kind::Count { .. }
            | Kind::Environments
            | Kind::Plugins
            | Kind::PipRequirements => Ok(()),
        }
    }
}

/// The most items of a list answer (plugins are fewer; requirements rarely reach ten).
const MAX_LIST_ITEMS: usize = 100;

/// A list of strings, each checked and named by its position (`tutor_plugins.1`), none twice.
fn check_list(kind: Kind, value: &Value) -> Result<(), String> {
    let Some(items) = value.as_array() else {
        return Err(format!("expected a list, not {}", super::describe(value)));
    };
    if items.len() > MAX_LIST_ITEMS {
        return Err(format!(
            "lists {} items; at most {MAX_LIST_ITEMS}",
            items.len()
        ));
    }
    let mut seen = std::collections::BTreeSet::new();
    for (index, item) in items.iter().enumerate() {
        let Some(text) = item.as_str() else {
            return Err(format!(
                "item {index} is {}: expected a string",
                super::describe(item)
            ));
        };
        let checked = check_characters(text).and_then(|()| match kind {
            Kind::Plugins => plugins::check_plugin(text).map(|_| ()),
            _ => openedx::check_requirement(text),
        });
        if let Err(message) = checked {
            return Err(format!(
                "item {index} (`{}`): {message}",
                crate::suggest::escape_control(text)
            ));
        }
        if !seen.insert(text.trim()) {
            return Err(format!(
                "item {index} (`{}`) is listed twice",
                crate::suggest::escape_control(text)
            ));
        }
    }
    Ok(())
}

/// Characters no answer may hold, whatever its kind: control characters (C0, DEL, C1; no kind
/// takes a tab or a line break), Unicode non-characters (U+FDD0..=U+FDEF and the last two code
/// points of every plane: invalid in interchanged text, and later refused by the checks of the
/// rendered files, which then seemed to blame the blueprints) and the bidirectional embedding,
/// override and isolate characters (which make text read differently from what it is).
fn check_characters(text: &str) -> Result<(), String> {
    let Some(bad) = text.chars().find(|&c| {
        c.is_control()
            || is_noncharacter(c)
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    }) else {
        return Ok(());
    };
    let what = if bad.is_control() {
        "a control character"
    } else if is_noncharacter(bad) {
        "a Unicode non-character"
    } else {
        "a bidirectional formatting character"
    };
    Err(format!(
        "holds U+{:04X}, {what}, which no answer may hold",
        u32::from(bad)
    ))
}

/// U+FDD0..=U+FDEF and U+xFFFE, U+xFFFF of every plane.
fn is_noncharacter(c: char) -> bool {
    let code = u32::from(c);
    (0xFDD0..=0xFDEF).contains(&code) || (code & 0xFFFE) == 0xFFFE
}

fn check_slug(text: &str, max: usize) -> Result<(), String> {
    if text.is_empty() {
        return Err("is empty".into());
    }
    if text.chars().any(|c| c.is_ascii_uppercase()) {
        return Err(format!(
            "use lowercase letters (`{}`)",
            text.to_ascii_lowercase()
        ));
    }
    if !text.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Err("must start with a letter".into());
    }
    if let Some(bad) = text
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        return Err(format!(
            "`{bad}` is not allowed: use lowercase letters, digits and `-`"
        ));
    }
    if text.ends_with('-') || text.contains("--") {
        return Err("must not end with `-` or hold `--`".into());
    }
    if text.len() > max {
        return Err(format!("is {} characters long; at most {max}", text.len()));
    }
    Ok(())
}

fn check_text(text: &str) -> Result<(), String> {
    if text.trim().is_empty() {
        return Err("is empty".into());
    }
    if let Some(bad) = text
        .chars()
        .find(|c| matches!(c, '"' | '\\' | '$' | '{' | '}' | '`'))
    {
        return Err(format!(
            "`{}` is not allowed here (one line of text without quotes, backslashes, `$`, braces or backticks)",
            bad.escape_default()
        ));
    }
    if text.chars().count() > 100 {
        return Err("is longer than 100 characters".into());
    }
    Ok(())
}

/// RFC 1123 host name with at least `min_labels` labels.
pub(crate) fn check_domain(text: &str, min_labels: usize) -> Result<(), String> {
    if text.is_empty() {
        return Err("is empty".into());
    }
    if text.chars().any(|c| c.is_ascii_uppercase()) {
        return Err(format!("use lowercase (`{}`)", text.to_ascii_lowercase()));
    }
    if text.len() > 253 {
        return Err("is longer than 253 characters".into());
    }
    let labels: Vec<&str> = text.split('.').collect();
    for label in &labels {
        if label.is_empty() {
            return Err("has an empty label (two dots in a row, or a dot at an end)".into());
        }
        if label.len() > 63 {
            return Err(format!("the label `{label}` is longer than 63 characters"));
        }
        if let Some(bad) = label
            .chars()
            .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
        {
            return Err(format!(
                "`{bad}` is not allowed in a DNS name (letters, digits, `-` and dots)"
            ));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(format!("the label `{label}` starts or ends with a hyphen"));
        }
    }
    if labels.len() < min_labels {
        return Err(format!(
            "is not a full domain: expected at least two labels, as in `{text}.edu`"
        ));
    }
    if min_labels >= 2
        && labels
            .last()
            .is_some_and(|tld| tld.chars().all(|c| c.is_ascii_digit()))
    {
        return Err("ends in a number: an IP address is not a domain".into());
    }
    Ok(())
}

fn check_region(text: &str) -> Result<(), String> {
    if aws::REGIONS.contains(&text) {
        return Ok(());
    }
    let hint = crate::suggest::did_you_mean(text, aws::REGIONS.iter().copied());
    Err(format!(
        "not an AWS region{hint}; expected a code such as `us-east-1`"
    ))
}

fn check_account_id(text: &str) -> Result<(), String> {
    if !text.chars().all(|c| c.is_ascii_digit()) {
        return Err("an AWS account id has digits only".into());
    }
    if text.len() != 12 {
        return Err(format!(
            "has {} digits; an AWS account id has exactly 12",
            text.len()
        ));
    }
    Ok(())
}

fn check_github_owner(text: &str) -> Result<(), String> {
    if text.is_empty() || text.len() > 39 {
        return Err("a GitHub owner name has 1 to 39 characters".into());
    }
    if let Some(bad) = text
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
    {
        return Err(format!(
            "`{bad}` is not allowed in a GitHub owner name (letters, digits and `-`)"
        ));
    }
    if text.starts_with('-') || text.ends_with('-') {
        return Err("a GitHub owner name does not start or end with a hyphen".into());
    }
    Ok(())
}

fn check_github_repository(text: &str) -> Result<(), String> {
    if text.is_empty() || text.len() > 100 || text == "." || text == ".." {
        return Err("a GitHub repository name has 1 to 100 characters".into());
    }
    if let Some(bad) = text
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        return Err(format!(
            "`{bad}` is not allowed in a GitHub repository name (letters, digits, `-`, `_`, `.`)"
        ));
    }
    Ok(())
}

/// The network address of a private IPv4 `/16` written canonically (`10.30.0.0/16`), or why not.
pub(crate) fn parse_vpc_cidr(text: &str) -> Result<std::net::Ipv4Addr, String> {
    let expected = "expected a private IPv4 `/16` such as `10.40.0.0/16`";
    let Some((address, length)) = text.split_once('/') else {
        return Err(format!("has no `/16`: {expected}"));
    };
    let address: std::net::Ipv4Addr = address
        .parse()
        .map_err(|_| format!("is not an IPv4 address with a prefix length: {expected}"))?;
    if length != "16" {
        return Err(format!(
            "is a `/{length}`: each environment's VPC is a `/16` (its subnets are carved out of it); {expected}"
        ));
    }
    let [a, b, c, d] = address.octets();
    if c != 0 || d != 0 {
        return Err(format!("has host bits set: did you mean `{a}.{b}.0.0/16`?"));
    }
    if !(a == 10 || (a == 172 && (16..=31).contains(&b)) || (a == 192 && b == 168)) {
        return Err(format!(
            "is not in a private range (10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16); {expected}"
        ));
    }
    Ok(address)
}

fn check_vpc_cidr(text: &str) -> Result<(), String> {
    parse_vpc_cidr(text).map(|_| ())
}

/// The default VPC range: the first `10.N.0.0/16` with N = 10, 20, ..., 250, then any other
/// `10.N.0.0/16`, that `taken` does not hold.
pub(crate) fn free_vpc_cidr(taken: &std::collections::BTreeSet<String>) -> Option<String> {
    (1..=25u32)
        .map(|step| step * 10)
        .chain((0..=255).filter(|n| n % 10 != 0 || *n == 0))
        .map(|n| format!("10.{n}.0.0/16"))
        .find(|cidr| !taken.contains(cidr))
}

fn check_choice(text: &str, choices: &[&str]) -> Result<(), String> {
    if choices.contains(&text) {
        return Ok(());
    }
    let hint = crate::suggest::did_you_mean(text, choices.iter().copied());
    Err(format!("expected one of {}{hint}", quote_list(choices)))
}

fn quote_list(items: &[&str]) -> String {
    items
        .iter()
        .map(|item| format!("`{item}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_id_is_taken_as_typed_and_stored_as_twelve_digits() {
        // Pins the bug where the help said "quoted string" but a quoted id typed at the prompt,
        // and the console's `1234-5678-9012`, were refused.
        for typed in [
            "123456789012",
            "\"123456789012\"",
            "'123456789012'",
            "1234-5678-9012",
            " 1234 5678 9012 ",
        ] {
            let value = Kind::AccountId.normalize(Value::String(typed.into()));
            assert_eq!(value, Value::String("123456789012".into()), "{typed:?}");
            assert!(Kind::AccountId.check(&value).is_ok(), "{typed:?}");
        }
        for wrong in ["1234-5678-901", "12345678901a", "\"123456789012"] {
            let value = Kind::AccountId.normalize(Value::String(wrong.into()));
            assert!(Kind::AccountId.check(&value).is_err(), "{wrong:?}");
        }
    }

    #[test]
    fn keys_are_unique_and_defaults_precede_their_use() {
        for table in [QUESTIONS, ENVIRONMENT_QUESTIONS] {
            for (index, question) in table.iter().enumerate() {
                assert!(
                    !table[..index].iter().any(|q| q.key == question.key),
                    "{} twice",
                    question.key
                );
                if let DefaultValue::SameAs(source) = question.default {
                    assert!(table[..index].iter().any(|q| q.key == source));
                }
                assert_eq!(question.required, question.default == DefaultValue::None);
            }
        }
    }

    #[test]
    fn every_text_default_passes_its_own_check() {
        for question in QUESTIONS.iter().chain(ENVIRONMENT_QUESTIONS) {
            let value = question.default_value(&Map::new());
            if !value.is_null() {
                assert_eq!(question.kind.check(&value), Ok(()), "{}", question.key);
            }
        }
    }

    #[test]
    fn vpc_ranges() {
        for good in [
            "10.10.0.0/16",
            "10.0.0.0/16",
            "172.31.0.0/16",
            "192.168.0.0/16",
        ] {
            assert_eq!(check_vpc_cidr(good), Ok(()), "{good}");
        }
        for (bad, needle) in [
            ("10.10.0.0/24", "`/24`"),
            ("10.10.0.0", "no `/16`"),
            ("10.10.5.0/16", "did you mean `10.10.0.0/16`"),
            ("8.8.0.0/16", "private"),
            ("172.32.0.0/16", "private"),
            ("10.300.0.0/16", "IPv4"),
            ("010.10.0.0/16", "IPv4"),
            ("10.10.0.0/016", "`/016`"),
        ] {
            let message = check_vpc_cidr(bad).unwrap_err();
            assert!(message.contains(needle), "{bad}: {message}");
        }
        let mut taken = std::collections::BTreeSet::new();
        assert_eq!(free_vpc_cidr(&taken).as_deref(), Some("10.10.0.0/16"));
        taken.insert("10.10.0.0/16".to_owned());
        taken.insert("10.30.0.0/16".to_owned());
        assert_eq!(free_vpc_cidr(&taken).as_deref(), Some("10.20.0.0/16"));
        let all: std::collections::BTreeSet<String> =
            (0..=255).map(|n| format!("10.{n}.0.0/16")).collect();
        assert_eq!(free_vpc_cidr(&all), None);
    }

    #[test]
    fn domains() {
        assert!(check_domain("yourschool.edu", 2).is_ok());
        assert!(check_domain("a-b.c.example", 2).is_ok());
        assert!(check_domain("dev.courses", 1).is_ok());
        assert!(check_domain("10.0.0.1", 2).is_err());
        assert!(check_domain(&format!("{}.edu", "a".repeat(64)), 2).is_err());
    }
}
