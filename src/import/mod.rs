//! `import`: turns a repository that cookiecutter-openedx-devops generated into answers for
//! `new`, each value with a comment naming the file it came from, and a report of what was
//! found, what could not be carried over and what changes by design.

mod adopt;
mod peer;

pub use adopt::{Adoption, adoptions};

use crate::answers::{self, Answers, ENVIRONMENT_QUESTIONS, QUESTIONS};
use peer::{BuildAddition, Fact, Peer, PeerEnvironment};
use serde_json::Value;
use std::fmt::Write as _;
use std::path::Path;

/// Names the template gave its production environment, in the order they are recognised.
const PRODUCTION_NAMES: &[&str] = &["prod", "production", "live", "prd", "main"];

/// The plugins the template's deploy workflows switch on with `ENABLE_<NAME>`, and ours.
const PLUGIN_SWITCHES: &[(&str, &str)] = &[
    ("ENABLE_FORUM", "forum"),
    ("ENABLE_NOTES", "notes"),
    ("ENABLE_DISCOVERY", "discovery"),
    ("ENABLE_CREDENTIALS", "credentials"),
    ("ENABLE_XQUEUE", "xqueue"),
];

/// Switches of the template's deploy workflows that have no counterpart here, and why.
const LEFT_OUT_SWITCHES: &[(&str, &str)] = &[
    (
        "ENABLE_ECOMMERCE",
        "the E-Commerce service (deprecated by Open edX) is not deployed by openedx-devops; sell courses through a storefront of your own, or keep the old service running until you replace it",
    ),
    (
        "ENABLE_LICENSE_MANAGER",
        "License Manager is not deployed by openedx-devops",
    ),
    (
        "ENABLE_CODEJAIL",
        "the codejail service (sandboxed Python problems) is not deployed by openedx-devops; courses with Python-graded problems need it added by hand",
    ),
];

/// Optional units of the template's shared stack with no counterpart here, and why.
const LEFT_OUT_STACK_UNITS: &[(&str, &str)] = &[
    (
        "kubernetes_kubecost",
        "Kubecost: the generated README's cost estimate and AWS Cost Explorer (resources are tagged per environment) take its place",
    ),
    (
        "kubernetes_dashboard",
        "the Kubernetes dashboard: use `kubectl` through the bastion or k9s",
    ),
    (
        "kubernetes_kubeapps",
        "Kubeapps: Helm releases are Terraform's here",
    ),
    (
        "kubernetes_prometheus",
        "the Prometheus/Grafana stack: CloudWatch Container Insights is what the new repository configures; add kube-prometheus-stack yourself if you rely on it",
    ),
];

/// What `import` made of a repository.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The answers file: YAML with a comment on where each value came from.
    pub text: String,
    /// The same answers, validated.
    pub answers: Answers,
    pub report: Report,
    /// Resources of the old repository that continue in the new one (for `--import-existing`).
    pub adoptions: Vec<Adoption>,
}

/// The report `import` prints on standard error.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// What was read: environments, stack, optional parts.
    pub found: Vec<String>,
    /// Values that were changed to fit (an instance class this MySQL no longer offers, ...).
    pub adjusted: Vec<String>,
    /// What the old repository has and the answers cannot carry.
    pub left_out: Vec<String>,
    /// What the new repository does differently on purpose.
    pub by_design: Vec<String>,
}

impl Report {
    /// Drops repeated lines (every environment shares the stack's sizes), keeping the order.
    fn dedup(&mut self) {
        for lines in [
            &mut self.found,
            &mut self.adjusted,
            &mut self.left_out,
            &mut self.by_design,
        ] {
            let mut seen = std::collections::BTreeSet::new();
            lines.retain(|line| seen.insert(line.clone()));
        }
    }

    /// The report as text, one section per kind.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for (title, lines) in [
            ("found", &self.found),
            ("adjusted to fit", &self.adjusted),
            ("not carried over", &self.left_out),
            ("changes by design", &self.by_design),
        ] {
            if lines.is_empty() {
                continue;
            }
            let _ = writeln!(out, "{title}:");
            for line in lines {
                let _ = writeln!(out, "  - {line}");
            }
        }
        out
    }
}

/// One answer and where it came from.
#[derive(Debug, Clone)]
struct Item {
    key: &'static str,
    value: Value,
    source: String,
}

/// Reads the repository at `dir` (and the replay file, if any) and makes answers of it.
pub fn import(dir: &Path, replay: Option<&Path>) -> anyhow::Result<Imported> {
    let peer = peer::read(dir, replay)?;
    let mut report = Report::default();
    let mut environments = peer.environments.clone();
    // Production first: the first environment is production unless told otherwise.
    environments.sort_by_key(|environment| !is_production(environment));
    let stack = peer.stacks.first();
    describe(&peer, &environments, &mut report);

    let mut top = Vec::new();
    let global = &peer.global;
    carry_text(
        &mut top,
        "platform_name",
        global.text("platform_name"),
        &mut report,
        resource_name,
    );
    let description = first_setting(&environments, "PLATFORM_DESCRIPTION")
        .or_else(|| cookiecutter_text(&peer, "global_platform_description"));
    carry_text(
        &mut top,
        "platform_description",
        description,
        &mut report,
        same,
    );
    carry_text(
        &mut top,
        "platform_region",
        global.text("platform_region"),
        &mut report,
        resource_name,
    );
    carry_text(
        &mut top,
        "root_domain",
        global.text("root_domain"),
        &mut report,
        same,
    );
    carry_text(
        &mut top,
        "aws_region",
        global.text("aws_region"),
        &mut report,
        same,
    );
    carry_text(
        &mut top,
        "aws_account_id",
        global.text("account_id"),
        &mut report,
        same,
    );
    let owner = fact_text(peer.github_owner.as_ref())
        .or_else(|| cookiecutter_text(&peer, "github_account_name"));
    carry_text(&mut top, "github_organization", owner, &mut report, same);
    let repository = fact_text(peer.github_repository.as_ref())
        .or_else(|| cookiecutter_text(&peer, "github_repo_name"));
    carry_text(&mut top, "github_repository", repository, &mut report, same);
    let mongodb = mongodb_placement(&peer, &environments);
    push(
        &mut top,
        "mongodb",
        Value::String(mongodb.0.to_owned()),
        mongodb.1,
        &mut report,
    );
    if let Some(spot) = &peer.spot {
        push(
            &mut top,
            "spot_instances",
            spot.value.clone(),
            spot.source.clone(),
            &mut report,
        );
    }
    let bastion = bastion(&peer);
    push(
        &mut top,
        "bastion",
        Value::Bool(bastion.0),
        bastion.1,
        &mut report,
    );
    let (plugins, plugin_source) = plugins(&environments, &mut report);
    if let Some(source) = plugin_source {
        push(&mut top, "tutor_plugins", plugins, source, &mut report);
    }
    build_additions(&peer, &mut top, &mut report);
    let language = first_setting(&environments, "LANGUAGE_CODE")
        .or_else(|| cookiecutter_text(&peer, "global_language_code"));
    carry_text(&mut top, "language_code", language, &mut report, same);
    let contact = first_setting(&environments, "CONTACT_EMAIL");
    carry_text(&mut top, "contact_email", contact, &mut report, same);

    let mut rows = Vec::new();
    for (index, environment) in environments.iter().enumerate() {
        rows.push(environment_items(
            &peer,
            stack,
            environment,
            index,
            &mut report,
        ));
    }
    left_out(&peer, &environments, &mut report);
    by_design(&peer, &environments, &mut report);
    report.dedup();

    let text = emit(&top, &rows);
    let raw = answers::load::parse(&text).map_err(|message| {
        anyhow::anyhow!("internal error: the imported answers do not parse: {message}")
    })?;
    let answers = answers::load::settle(raw, &[]).map_err(|error| {
        anyhow::anyhow!(
            "{error}\nthese values came from the repository (each with its source in the answers: run with `-o FILE` and read the comments), so fix them there or in the written answers"
        )
    })?;
    let adoptions = adopt::adoptions(&peer, &answers);
    Ok(Imported {
        text,
        answers,
        report,
        adoptions,
    })
}

fn is_production(environment: &PeerEnvironment) -> bool {
    let name = environment
        .locals
        .text("environment")
        .map_or(environment.folder.clone(), |(name, _)| name);
    PRODUCTION_NAMES.contains(&name.to_ascii_lowercase().as_str())
}

fn fact_text(fact: Option<&Fact>) -> Option<(String, String)> {
    let fact = fact?;
    Some((fact.text()?, fact.source.clone()))
}

fn cookiecutter_text(peer: &Peer, key: &str) -> Option<(String, String)> {
    fact_text(peer.cookiecutter.get(key))
}

/// A setting of the Tutor configuration, from the first environment that has it.
fn first_setting(environments: &[PeerEnvironment], key: &str) -> Option<(String, String)> {
    environments
        .iter()
        .find_map(|environment| fact_text(environment.settings.get(key)))
}

fn same(text: &str) -> String {
    text.to_owned()
}

/// A name that goes into resource names: lowercase, words joined by `-`.
fn resource_name(text: &str) -> String {
    text.trim()
        .to_ascii_lowercase()
        .chars()
        .map(|c| if matches!(c, ' ' | '_' | '.') { '-' } else { c })
        .collect()
}

/// Carries a text value through `fit` (noting when it changed it).
fn carry_text(
    items: &mut Vec<Item>,
    key: &'static str,
    found: Option<(String, String)>,
    report: &mut Report,
    fit: fn(&str) -> String,
) {
    let Some((text, source)) = found else {
        return;
    };
    let fitted = fit(&text);
    if fitted != text {
        report.adjusted.push(format!(
            "`{key}`: `{text}` ({source}) becomes `{fitted}`: resource names take lowercase letters, digits and `-`"
        ));
    }
    push(items, key, Value::String(fitted), source, report);
}

/// Adds an answer after checking it as its question does; a value the question refuses is left
/// out with the reason (the default takes its place).
fn push(
    items: &mut Vec<Item>,
    key: &'static str,
    value: Value,
    source: String,
    report: &mut Report,
) {
    let question = QUESTIONS
        .iter()
        .chain(ENVIRONMENT_QUESTIONS)
        .find(|question| question.key == key);
    if let Some(question) = question {
        let value = question.kind.normalize(value);
        if let Err(reason) = question.kind.check(&value) {
            report.left_out.push(format!(
                "`{key}` = {} ({source}): {reason}; the default takes its place",
                short(&value)
            ));
            return;
        }
        items.push(Item { key, value, source });
    }
}

fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 80 {
        format!("{}...", text.chars().take(80).collect::<String>())
    } else {
        text
    }
}

fn describe(peer: &Peer, environments: &[PeerEnvironment], report: &mut Report) {
    let names = environments
        .iter()
        .map(|environment| format!("`{}`", environment.folder))
        .collect::<Vec<_>>()
        .join(", ");
    report.found.push(format!(
        "{} environment{} under terraform/environments: {names}",
        environments.len(),
        if environments.len() == 1 { "" } else { "s" }
    ));
    for (name, _, units) in &peer.stacks {
        report.found.push(format!(
            "the shared stack `{name}` (terraform/stacks/{name}) with the units {}",
            units.join(", ")
        ));
    }
    if peer.stacks.len() > 1 {
        report.found.push(format!(
            "more than one stack: the sizes come from `{}`, the first",
            peer.stacks[0].0
        ));
    }
    for environment in environments {
        match &environment.deploy_file {
            Some(file) => report
                .found
                .push(format!("`{}` is deployed by {file}", environment.folder)),
            None => report.found.push(format!(
                "no deploy workflow names `{}` in ENVIRONMENT_ID: its Tutor plugins are not read",
                environment.folder
            )),
        }
    }
    if !peer.cookiecutter.is_empty() {
        let files: std::collections::BTreeSet<_> = peer
            .cookiecutter
            .values()
            .filter_map(|fact| fact.source.split(": ").next())
            .collect();
        report.found.push(format!(
            "the cookiecutter answers in {} (used where the repository's files say nothing)",
            files.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
}

/// Where MongoDB runs: a `mongodb` unit in the stack is the template's EC2 instance; a
/// DocumentDB host in the Tutor configuration is DocumentDB; neither is Tutor's own MongoDB.
fn mongodb_placement(peer: &Peer, environments: &[PeerEnvironment]) -> (&'static str, String) {
    for environment in environments {
        for fact in environment
            .config
            .values()
            .chain(environment.settings.values())
        {
            if fact
                .text()
                .is_some_and(|text| text.contains(".docdb.amazonaws.com"))
            {
                return ("documentdb", format!("{}: a DocumentDB host", fact.source));
            }
        }
    }
    if let Some((name, _, _)) = peer
        .stacks
        .iter()
        .find(|(_, _, units)| units.iter().any(|unit| unit == "mongodb"))
    {
        return (
            "ec2",
            format!("terraform/stacks/{name}/mongodb: MongoDB on an EC2 instance"),
        );
    }
    (
        "in_cluster",
        "no terraform/stacks/*/mongodb unit: Tutor ran MongoDB in the cluster".to_owned(),
    )
}

fn bastion(peer: &Peer) -> (bool, String) {
    // The template's post-generation hook leaves `stacks/<id>/ec2_bastion` behind when the
    // bastion is declined; its module folder and the stack's instance type are what tell.
    if peer.stack_modules.iter().any(|name| name == "ec2_bastion") {
        return (
            true,
            "terraform/stacks/modules/ec2_bastion: the bastion module".to_owned(),
        );
    }
    if let Some((_, locals, _)) = peer.stacks.first()
        && let Some(fact) = locals.get("bastion_instance_type")
    {
        return (true, fact.source.clone());
    }
    (
        false,
        "no terraform/stacks/modules/ec2_bastion: the repository has no bastion".to_owned(),
    )
}

fn switch_on(fact: &Fact) -> bool {
    match &fact.value {
        Value::Bool(flag) => *flag,
        Value::String(text) => text.trim().eq_ignore_ascii_case("true"),
        _ => false,
    }
}

/// The Tutor plugins the deploy workflows switch on, in any environment.
fn plugins(environments: &[PeerEnvironment], report: &mut Report) -> (Value, Option<String>) {
    let mut chosen = Vec::new();
    let mut sources = Vec::new();
    for (switch, plugin) in PLUGIN_SWITCHES {
        let on: Vec<&PeerEnvironment> = environments
            .iter()
            .filter(|environment| environment.deploy.get(*switch).is_some_and(switch_on))
            .collect();
        if on.is_empty() {
            continue;
        }
        chosen.push(Value::String((*plugin).to_owned()));
        if let Some(file) = &on[0].deploy_file {
            sources.push(format!("{file}: {switch}"));
        }
        let deployed = environments
            .iter()
            .filter(|environment| environment.deploy_file.is_some())
            .count();
        if on.len() < deployed {
            report.adjusted.push(format!(
                "`{plugin}` ran in {} of {deployed} environments; the new repository runs Tutor plugins in every environment",
                on.len()
            ));
        }
    }
    let any_deploy = environments
        .iter()
        .any(|environment| environment.deploy_file.is_some());
    let source = if !sources.is_empty() {
        Some(sources.join(", "))
    } else if any_deploy {
        Some("the deploy workflows switch on no optional Tutor plugin".to_owned())
    } else {
        None
    };
    (Value::Array(chosen), source)
}

/// The theme and the requirements the build workflow adds to the image.
fn build_additions(peer: &Peer, top: &mut Vec<Item>, report: &mut Report) {
    let mut requirements = Vec::new();
    let mut sources = Vec::new();
    let mut theme_seen = false;
    for addition in &peer.build {
        match addition {
            BuildAddition::Theme {
                organization,
                repository,
                reference,
                source,
            } => {
                if theme_seen {
                    report.left_out.push(format!(
                        "the theme {organization}/{repository} ({source}): the new repository builds one theme"
                    ));
                    continue;
                }
                theme_seen = true;
                let url = format!("https://github.com/{organization}/{repository}.git");
                push(
                    top,
                    "theme_repository",
                    Value::String(url),
                    source.clone(),
                    report,
                );
                push(
                    top,
                    "theme_ref",
                    Value::String(reference.clone()),
                    source.clone(),
                    report,
                );
            }
            BuildAddition::GitRequirement {
                organization,
                repository,
                reference,
                source,
            } => {
                requirements.push(format!(
                    "git+https://github.com/{organization}/{repository}.git@{reference}"
                ));
                sources.push(source.clone());
                if organization == "cookiecutter-openedx" {
                    report.adjusted.push(format!(
                        "the requirement {organization}/{repository} ({source}) is the template's example: delete it from `extra_pip_requirements` unless you use it"
                    ));
                }
            }
            BuildAddition::PipRequirement {
                package,
                version,
                source,
            } => {
                if package == "ora2" {
                    report.left_out.push(format!(
                        "the requirement ora2 {} ({source}): edx-platform pins the ora2 of its own release, and an older one breaks the build",
                        version.as_deref().unwrap_or("")
                    ));
                    continue;
                }
                requirements.push(match version {
                    Some(version) => format!("{package}=={version}"),
                    None => package.clone(),
                });
                sources.push(source.clone());
                if package == "cookiecutter-openedx-plugin" {
                    report.adjusted.push(format!(
                        "the requirement {package} ({source}) is the template's example: delete it from `extra_pip_requirements` unless you use it"
                    ));
                }
            }
        }
    }
    if !requirements.is_empty() {
        let value = Value::Array(requirements.into_iter().map(Value::String).collect());
        push(
            top,
            "extra_pip_requirements",
            value,
            sources.join(", "),
            report,
        );
    }
}

/// The answers of one environment: name, subdomain, production, sizes from the shared stack.
fn environment_items(
    peer: &Peer,
    stack: Option<&(String, peer::Locals, Vec<String>)>,
    environment: &PeerEnvironment,
    index: usize,
    report: &mut Report,
) -> Vec<Item> {
    let mut items = Vec::new();
    let name = environment.locals.text("environment").unwrap_or_else(|| {
        (
            environment.folder.clone(),
            format!("the folder terraform/environments/{}", environment.folder),
        )
    });
    carry_text(&mut items, "name", Some(name), report, resource_name);
    carry_text(
        &mut items,
        "subdomain",
        environment.locals.text("environment_subdomain"),
        report,
        same,
    );
    let production = is_production(environment);
    if production || index == 0 {
        push(
            &mut items,
            "production",
            Value::Bool(production),
            format!(
                "the environment's name{}",
                if production {
                    " (a production name)"
                } else {
                    " (not a production name)"
                }
            ),
            report,
        );
    }
    if let Some((_, locals, units)) = stack {
        let instance = locals
            .text("eks_service_group_instance_type")
            .or_else(|| locals.text("eks_hosting_group_instance_type"));
        carry_text(&mut items, "eks_instance_type", instance, report, same);
        let has = |unit: &str| {
            units.iter().any(|name| name == unit)
                || environment.units.iter().any(|name| name == unit)
        };
        if has("mysql") {
            carry_size(
                &mut items,
                "mysql_instance_class",
                locals.text("mysql_instance_class"),
                report,
            );
        }
        if has("redis") {
            carry_size(
                &mut items,
                "redis_node_type",
                locals.text("redis_node_type"),
                report,
            );
        }
        if has("mongodb") {
            carry_size(
                &mut items,
                "mongodb_instance_type",
                locals.text("mongodb_instance_type"),
                report,
            );
        }
    }
    if let (Some(min), Some(max)) = &peer.lms_replicas {
        push(
            &mut items,
            "lms_min_pods",
            min.value.clone(),
            min.source.clone(),
            report,
        );
        push(
            &mut items,
            "lms_max_pods",
            max.value.clone(),
            max.source.clone(),
            report,
        );
    }
    items
}

/// An instance size; a previous-generation `t2` the new services no longer take becomes the
/// `t3` of the same size.
fn carry_size(
    items: &mut Vec<Item>,
    key: &'static str,
    found: Option<(String, String)>,
    report: &mut Report,
) {
    let Some((text, source)) = found else {
        return;
    };
    let question = ENVIRONMENT_QUESTIONS
        .iter()
        .find(|question| question.key == key);
    let fits = |candidate: &str| {
        question.is_none_or(|question| {
            question
                .kind
                .check(&Value::String(candidate.to_owned()))
                .is_ok()
        })
    };
    let value = if fits(&text) {
        text
    } else if let Some(newer) =
        Some(text.replacen(".t2.", ".t3.", 1)).filter(|newer| *newer != text && fits(newer))
    {
        report.adjusted.push(format!(
            "`{key}`: `{text}` ({source}) becomes `{newer}`: the previous-generation t2 classes are not offered for the new engine versions"
        ));
        newer
    } else {
        text
    };
    push(items, key, Value::String(value), source, report);
}

/// What the old repository has that the answers cannot carry.
fn left_out(peer: &Peer, environments: &[PeerEnvironment], report: &mut Report) {
    if peer
        .other_environments
        .iter()
        .any(|folder| folder == "wordpress")
        || peer
            .environment_modules
            .iter()
            .any(|name| name == "wordpress")
    {
        report.left_out.push(
            "the WordPress site (terraform/environments/wordpress): openedx-devops builds Open edX only; keep the old repository's WordPress units, or move the site before the old cluster goes".to_owned(),
        );
    }
    for (name, _, units) in &peer.stacks {
        for (unit, why) in LEFT_OUT_STACK_UNITS {
            if units.iter().any(|found| found == unit) {
                report
                    .left_out
                    .push(format!("{why} (terraform/stacks/{name}/{unit})"));
            }
        }
        if units.iter().any(|found| found == "ec2_bastion")
            && !peer
                .stack_modules
                .iter()
                .any(|module| module == "ec2_bastion")
        {
            report.found.push(format!(
                "terraform/stacks/{name}/ec2_bastion has no module (the template leaves it behind when the bastion is declined): no bastion"
            ));
        }
    }
    for (switch, why) in LEFT_OUT_SWITCHES {
        let on: Vec<&str> = environments
            .iter()
            .filter(|environment| environment.deploy.get(*switch).is_some_and(switch_on))
            .map(|environment| environment.folder.as_str())
            .collect();
        if !on.is_empty() {
            report
                .left_out
                .push(format!("{why} ({switch} in {})", on.join(", ")));
        }
    }
    if let Some(fact) = peer.cookiecutter.get("global_aws_route53_hosted_zone_id") {
        report.left_out.push(format!(
            "the hosted zone id ({}): the new repository finds the root domain's zone by name and gives every environment a zone of its own, delegated from it",
            fact.source
        ));
    }
    if let Some((_, locals, _)) = peer.stacks.first() {
        for key in [
            "mysql_allocated_storage",
            "kubernetes_version",
            "bastion_instance_type",
        ] {
            if let Some(fact) = locals.get(key) {
                report.left_out.push(format!(
                    "`{key}` = {} ({}): the new repository sets it itself",
                    short(&fact.value),
                    fact.source
                ));
            }
        }
    }
    for environment in environments {
        if let Some((studio, source)) = environment.locals.text("environment_studio_subdomain")
            && studio != "studio"
        {
            report.left_out.push(format!(
                "Studio's host `{studio}.<environment domain>` ({source}): Studio is at `studio.<environment domain>` in the new repository"
            ));
        }
    }
}

/// What the new repository does differently on purpose.
fn by_design(peer: &Peer, environments: &[PeerEnvironment], report: &mut Report) {
    if let Some((name, _, _)) = peer.stacks.first() {
        report.by_design.push(format!(
            "one EKS cluster, MySQL and Redis shared by every environment as namespaces (terraform/stacks/{name}) becomes a cluster, VPC, MySQL and Redis per environment: the cluster and databases are rebuilt, not moved (docs/migrate-from-cookiecutter.md)"
        ));
    }
    let in_stack = |unit: &str| {
        peer.stacks
            .iter()
            .any(|(_, _, units)| units.iter().any(|name| name == unit))
    };
    let in_cluster: Vec<&str> = [("mysql", "MySQL"), ("redis", "Redis")]
        .into_iter()
        .filter(|(unit, _)| !in_stack(unit))
        .map(|(_, name)| name)
        .collect();
    if !in_cluster.is_empty() {
        report.by_design.push(format!(
            "{} ran in the cluster (Tutor's own, no terraform/stacks/*/{{mysql,redis}} unit): the new repository runs them on Amazon RDS and ElastiCache",
            in_cluster.join(" and ")
        ));
    }
    report.by_design.push(match &peer.mysql_version {
        Some(fact) => format!(
            "MySQL {} ({}) becomes RDS for MySQL 8.4: the data moves by dump and restore",
            fact.text().unwrap_or_default(),
            fact.source
        ),
        None => "MySQL becomes RDS for MySQL 8.4: the data moves by dump and restore".to_owned(),
    });
    if let Some(file) = &peer.static_keys {
        report.by_design.push(format!(
            "static AWS keys in GitHub secrets ({file}) give way to OpenID Connect roles: delete the old IAM user's keys once the old repository is retired"
        ));
    }
    if peer
        .stacks
        .iter()
        .any(|(_, _, units)| units.iter().any(|unit| unit == "kubernetes_karpenter"))
    {
        report
            .by_design
            .push("Karpenter is part of every environment (no answer needed)".to_owned());
    }
    if environments.iter().any(|environment| {
        environment
            .deploy
            .get("ENABLE_BACKUP")
            .is_some_and(switch_on)
    }) {
        report.by_design.push(
            "the backup plugin gives way to the new repository's daily MySQL and MongoDB dumps to S3".to_owned(),
        );
    }
    report.by_design.push(
        "the Open edX release, Tutor and every module version are the generator's: `openedx-devops versions` lists them".to_owned(),
    );
}

/// The answers file: the header, then every imported value after a comment naming its source.
fn emit(top: &[Item], environments: &[Vec<Item>]) -> String {
    let mut out = String::new();
    out.push_str("# yaml-language-server: $schema=answers.schema.json\n");
    out.push_str(
        "# Answers imported by `openedx-devops import` from a repository that\n# cookiecutter-openedx-devops generated. Each value says where it came from; what is not\n# here takes the generator's default (`openedx-devops questions` lists them all).\n# Review them, then: openedx-devops new <folder> --answers <this file>\n",
    );
    let _ = writeln!(out, "schema_version: {}", answers::SCHEMA_VERSION);
    for question in QUESTIONS {
        if question.key == "environments" {
            out.push_str("environments:\n");
            for items in environments {
                for (position, item) in items.iter().enumerate() {
                    let (dash, indent) = if position == 0 {
                        ("- ", "")
                    } else {
                        ("  ", "  ")
                    };
                    let _ = writeln!(out, "  {indent}# from {}", comment(&item.source));
                    let _ = writeln!(
                        out,
                        "  {dash}{}: {}",
                        item.key,
                        answers::load::scalar(&item.value)
                    );
                }
            }
            continue;
        }
        if let Some(item) = top.iter().find(|item| item.key == question.key) {
            let _ = writeln!(out, "# from {}", comment(&item.source));
            let _ = writeln!(out, "{}: {}", item.key, answers::load::scalar(&item.value));
        }
    }
    out
}

/// A source as one comment line.
fn comment(source: &str) -> String {
    crate::suggest::escape_control(source).replace(['\n', '\r'], " ")
}
