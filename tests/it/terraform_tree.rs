//! The generated `terraform/` tree, checked offline for every combination of the answers that
//! shape it (MongoDB ec2 | documentdb | in_cluster, spot or not, bastion or not, one to three
//! environments):
//!
//! - every combination renders, and rendering runs the validation stage that
//!   `openedx-devops check` runs: HCL parses, each unit's inputs match its module's variables,
//!   every `dependency` points at a unit whose module declares the outputs read, registry calls
//!   match the embedded catalog (`check.rs` plants each of those defects and sees it caught);
//! - what that stage does not look at: every unit includes `root` exposed, every dependency
//!   mocks for `plan` each output the unit reads, every `include.root.locals.*` read is set;
//! - every terraform-aws-modules call, against the full interface of its pinned version
//!   vendored in `tests/data/module-interfaces/`: names, required inputs, and literal values
//!   against each variable's `type`;
//! - the optional components exist exactly when the `_plan.yml` rules say the answers ask for
//!   them, for every unit and module folder of the blueprints;
//! - hosts and region come from the answers, sensitive outputs are marked, and `terraform fmt`
//!   would change nothing.

use crate::common::{self, Tree};
use hcl::{Body, Expression, ObjectKey, TemplateExpr};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;

/// Registry modules the platform is built from; each must be called somewhere.
const EXPECTED_REGISTRY_MODULES: &[&str] = &[
    "terraform-aws-modules/acm/aws",
    "terraform-aws-modules/cloudfront/aws",
    "terraform-aws-modules/ec2-instance/aws",
    "terraform-aws-modules/eks/aws",
    "terraform-aws-modules/eks/aws//modules/karpenter",
    "terraform-aws-modules/elasticache/aws",
    "terraform-aws-modules/iam/aws//modules/iam-oidc-provider",
    "terraform-aws-modules/iam/aws//modules/iam-role",
    "terraform-aws-modules/rds/aws",
    "terraform-aws-modules/s3-bucket/aws",
    "terraform-aws-modules/vpc/aws",
];

/// Arguments of a `module` block that are not input variables.
const META_ARGUMENTS: &[&str] = &[
    "source",
    "version",
    "providers",
    "count",
    "for_each",
    "depends_on",
];

#[derive(Debug, Clone, Copy)]
struct Combination {
    mongodb: &'static str,
    spot: bool,
    bastion: bool,
    environments: usize,
}

impl Combination {
    /// All 36.
    fn all() -> Vec<Combination> {
        let mut all = Vec::new();
        for mongodb in ["ec2", "documentdb", "in_cluster"] {
            for spot in [true, false] {
                for bastion in [true, false] {
                    for environments in 1..=3 {
                        all.push(Combination {
                            mongodb,
                            spot,
                            bastion,
                            environments,
                        });
                    }
                }
            }
        }
        all
    }

    /// Answers as a new user would write them: a domain and region of their own, a nested
    /// `dev` environment under `prod`'s domain and a `qa` one beside it.
    fn answers(&self) -> String {
        let mut text = format!(
            "platform_name: campus\n\
             platform_description: Campus Online\n\
             root_domain: campus.example.ac.nz\n\
             aws_region: ap-southeast-2\n\
             aws_account_id: \"210987654321\"\n\
             github_organization: campus-it\n\
             github_repository: campus-devops\n\
             mongodb: {}\n\
             spot_instances: {}\n\
             bastion: {}\n\
             environments:\n",
            self.mongodb, self.spot, self.bastion
        );
        let environments = [
            (
                "prod",
                "learn",
                "m7i.xlarge",
                "db.t4g.medium",
                "cache.t4g.small",
            ),
            (
                "dev",
                "dev.learn",
                "t3.large",
                "db.t4g.micro",
                "cache.t4g.micro",
            ),
            (
                "qa",
                "qa-learn",
                "t3.large",
                "db.t4g.micro",
                "cache.t4g.micro",
            ),
        ];
        for (name, subdomain, eks, mysql, redis) in &environments[..self.environments] {
            text.push_str(&format!(
                "  - name: {name}\n    subdomain: {subdomain}\n    eks_instance_type: {eks}\n    \
                 mysql_instance_class: {mysql}\n    redis_node_type: {redis}\n"
            ));
        }
        text
    }
}

/// Every combination with its rendered tree, rendered once for all the tests here. Rendering
/// runs the validation stage: a tree here has passed it.
fn rendered() -> &'static [(Combination, Tree)] {
    static RENDERED: OnceLock<Vec<(Combination, Tree)>> = OnceLock::new();
    RENDERED.get_or_init(|| {
        Combination::all()
            .into_iter()
            .map(|combination| (combination, common::render(&combination.answers())))
            .collect()
    })
}

fn rendered_one(mongodb: &str, spot: bool, bastion: bool, environments: usize) -> &'static Tree {
    rendered()
        .iter()
        .find(|(c, _)| {
            (c.mongodb, c.spot, c.bastion, c.environments) == (mongodb, spot, bastion, environments)
        })
        .map(|(_, tree)| tree)
        .expect("a combination of the sweep")
}

// ---------------------------------------------------------------------------------------------
// HCL helpers

fn parse(path: &str, text: &str) -> Body {
    hcl::parse(text).unwrap_or_else(|error| panic!("`{path}` does not parse as HCL: {error}"))
}

fn string_value(expression: &Expression) -> Option<String> {
    match expression {
        Expression::String(text) => Some(text.clone()),
        Expression::TemplateExpr(template) => match template.as_ref() {
            TemplateExpr::QuotedString(text) => Some(text.clone()),
            TemplateExpr::Heredoc(heredoc) => Some(heredoc.template.clone()),
        },
        _ => None,
    }
}

fn key_name(key: &ObjectKey) -> String {
    match key {
        ObjectKey::Identifier(identifier) => identifier.as_str().to_owned(),
        ObjectKey::Expression(expression) => {
            string_value(expression).unwrap_or_else(|| format!("{expression:?}"))
        }
        other => format!("{other:?}"),
    }
}

fn object_keys(expression: &Expression) -> BTreeSet<String> {
    match expression {
        Expression::Object(object) => object.keys().map(key_name).collect(),
        _ => BTreeSet::new(),
    }
}

use common::hcl_attribute as attribute;

fn blocks<'a>(body: &'a Body, identifier: &'a str) -> impl Iterator<Item = &'a hcl::Block> + 'a {
    body.blocks()
        .filter(move |block| block.identifier.as_str() == identifier)
}

fn label(block: &hcl::Block) -> String {
    block
        .labels
        .first()
        .map(|label| label.as_str().to_owned())
        .unwrap_or_default()
}

/// Dotted names that follow `prefix` in `text`: `dependency.vpc.outputs.vpc_id` with prefix
/// `dependency.` gives `["vpc", "outputs", "vpc_id"]`.
fn references(text: &str, prefix: &str) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(position) = rest.find(prefix) {
        let before = rest[..position].chars().last();
        rest = &rest[position + prefix.len()..];
        if before.is_some_and(|character| character.is_alphanumeric() || character == '_') {
            continue;
        }
        let end = rest
            .find(|character: char| !(character.is_alphanumeric() || "_-.".contains(character)))
            .unwrap_or(rest.len());
        let path: Vec<String> = rest[..end]
            .split('.')
            .filter(|part| !part.is_empty())
            .map(str::to_owned)
            .collect();
        if !path.is_empty() {
            found.push(path);
        }
    }
    found
}

fn normalize(path: &Path) -> PathBuf {
    let mut normalized = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                normalized.pop();
            }
            Component::CurDir => {}
            other => normalized.push(other),
        }
    }
    normalized
}

fn unit_paths(tree: &Tree) -> impl Iterator<Item = &String> {
    tree.keys()
        .filter(|path| path.starts_with("terraform/") && path.ends_with("/terragrunt.hcl"))
}

/// The local module a unit's `terraform.source` names (`.../modules//<name>`).
fn unit_module(path: &str, body: &Body) -> String {
    let source = blocks(body, "terraform")
        .next()
        .and_then(|terraform| attribute(&terraform.body, "source"))
        .and_then(string_value)
        .unwrap_or_else(|| panic!("`{path}` has no terraform.source string"));
    let (_, name) = source
        .split_once("/modules//")
        .unwrap_or_else(|| panic!("`{path}`: source `{source}` is not a local module"));
    name.to_owned()
}

/// The settings of a `locals` file (`global.hcl`, `env.hcl`).
fn locals(tree: &Tree, path: &str) -> BTreeMap<String, Expression> {
    let text = tree
        .get(path)
        .unwrap_or_else(|| panic!("`{path}` is missing"));
    blocks(&parse(path, text), "locals")
        .flat_map(|block| block.body.attributes())
        .map(|attribute| (attribute.key.as_str().to_owned(), attribute.expr.clone()))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// What Terragrunt needs of a unit beyond the validation stage

/// A unit as Terragrunt sees it: its own file merged with the `terraform/_envcommon/` file it
/// includes (shallow merge: the unit's blocks and input keys win).
struct Merged {
    /// The file holding the `terraform` block.
    terraform: Body,
    terraform_path: String,
    dependencies: Vec<hcl::Block>,
    /// The unit's text and the common file's, with the common file's `local.env.` and
    /// `local.global.` written as the unit would read them (`include.root.locals.env.`).
    text: String,
}

fn merged_unit(tree: &Tree, path: &str) -> Merged {
    let body = parse(path, &tree[path]);
    let common = blocks(&body, "include")
        .filter_map(|block| attribute(&block.body, "path").and_then(string_value))
        .find_map(|include| {
            include
                .split_once("/_envcommon/")
                .map(|(_, name)| format!("terraform/_envcommon/{name}"))
        });
    let mut text = tree[path].clone();
    let mut dependencies: Vec<hcl::Block> = blocks(&body, "dependency").cloned().collect();
    let (terraform, terraform_path) = match common {
        None => (body.clone(), path.to_owned()),
        Some(common) => {
            let common_text = tree
                .get(&common)
                .unwrap_or_else(|| panic!("`{path}` includes `{common}`, which is missing"));
            let common_body = parse(&common, common_text);
            for dependency in blocks(&common_body, "dependency") {
                if !dependencies
                    .iter()
                    .any(|own| label(own) == label(dependency))
                {
                    dependencies.push(dependency.clone());
                }
            }
            text.push_str(
                &common_text
                    .replace("local.env.", "include.root.locals.env.")
                    .replace("local.global.", "include.root.locals.global."),
            );
            if blocks(&body, "terraform").next().is_some() {
                (body.clone(), path.to_owned())
            } else {
                (common_body, common)
            }
        }
    };
    Merged {
        terraform,
        terraform_path,
        dependencies,
        text,
    }
}

/// A unit reads its settings through the exposed root include, plans with mocked dependency
/// outputs, and reads only settings that exist.
fn unit_problems(tree: &Tree) -> Vec<String> {
    let global = locals(tree, "terraform/global.hcl");
    let mut problems = Vec::new();
    for path in unit_paths(tree) {
        let body = parse(path, &tree[path]);
        let merged = merged_unit(tree, path);
        let text = &merged.text;
        let unit_dir = Path::new(path).parent().expect("a unit has a folder");
        let exposed = blocks(&body, "include")
            .find(|block| label(block) == "root")
            .map(|root| {
                matches!(
                    attribute(&root.body, "expose"),
                    Some(Expression::Bool(true))
                )
            });
        if exposed != Some(true) {
            problems.push(format!("{path}: no include \"root\" with expose = true"));
        }

        let mut mocks = BTreeMap::new();
        for dependency in &merged.dependencies {
            let name = label(dependency);
            let commands = attribute(&dependency.body, "mock_outputs_allowed_terraform_commands");
            let plans = matches!(commands, Some(Expression::Array(items))
                if items.iter().any(|item| string_value(item).as_deref() == Some("plan")));
            if !plans {
                problems.push(format!(
                    "{path}: dependency `{name}` does not mock for plan"
                ));
            }
            let mocked = attribute(&dependency.body, "mock_outputs").map(object_keys);
            mocks.insert(name, mocked.unwrap_or_default());
        }
        for reference in references(text, "dependency.") {
            if let [name, outputs, output, ..] = reference.as_slice()
                && outputs == "outputs"
                && !mocks
                    .get(name)
                    .is_some_and(|mocked| mocked.contains(output))
            {
                problems.push(format!("{path}: reads `{name}.{output}` without a mock"));
            }
        }

        let env = path.starts_with("terraform/environments/").then(|| {
            let file = normalize(&unit_dir.join("../env.hcl"));
            locals(tree, &file.to_string_lossy())
        });
        for reference in references(text, "include.root.locals.") {
            let (scope, rest) = reference.split_first().expect("a non-empty reference");
            let settings = match (scope.as_str(), &env) {
                ("global", _) => &global,
                ("env", Some(env)) => env,
                _ => {
                    problems.push(format!(
                        "{path}: reads root local `{scope}`, which it has not"
                    ));
                    continue;
                }
            };
            let Some(first) = rest.first() else { continue };
            match (settings.get(first), rest.get(1)) {
                (None, _) => problems.push(format!("{path}: `{scope}.{first}` is not a setting")),
                (Some(Expression::Object(object)), Some(second))
                    if !object.keys().any(|key| key_name(key) == *second) =>
                {
                    problems.push(format!(
                        "{path}: `{scope}.{first}.{second}` is not a setting"
                    ));
                }
                _ => {}
            }
        }
    }
    problems
}

#[test]
fn every_combination_passes_validation_and_plans_with_mocks() {
    let mut problems = BTreeSet::new();
    let mut units = 0;
    for (combination, tree) in rendered() {
        units += unit_paths(tree).count();
        for problem in unit_problems(tree) {
            problems.insert(format!("{combination:?}: {problem}"));
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.into_iter().collect::<Vec<_>>().join("\n")
    );
    assert!(units >= 36 * 12, "checked only {units} units");
}

/// One rendered tree with `from` replaced by `to` in one file (which must hold it).
fn planted(path: &str, from: &str, to: &str) -> Tree {
    let mut tree = rendered_one("ec2", true, true, 1).clone();
    let text = tree.get_mut(path).expect("a generated file");
    assert!(text.contains(from), "`{path}` has no `{from}`");
    *text = text.replacen(from, to, 1);
    tree
}

#[test]
fn the_unit_oracle_finds_what_it_looks_for() {
    let eks = "terraform/environments/prod/eks/terragrunt.hcl";
    // What every environment shares is planted in the common file; the unit reports it.
    let common = "terraform/_envcommon/eks.hcl";
    for (file, from, to, problem) in [
        (
            eks,
            "  expose = true\n",
            "",
            "no include \"root\" with expose = true",
        ),
        (
            common,
            "\"plan\", ",
            "",
            "dependency `vpc` does not mock for plan",
        ),
        (
            common,
            "dependency.vpc.outputs.vpc_cidr_block",
            "dependency.vpc.outputs.vpc_cidr_blocks",
            "reads `vpc.vpc_cidr_blocks` without a mock",
        ),
        (
            common,
            "local.env.eks_system_instance_type",
            "local.env.eks_system_instance_typ",
            "`env.eks_system_instance_typ` is not a setting",
        ),
        (
            common,
            "local.env.eks_system_instance_type",
            "include.root.locals.regional.eks_system_instance_type",
            "reads root local `regional`",
        ),
    ] {
        let problems = unit_problems(&planted(file, from, to));
        assert!(
            problems
                .iter()
                .any(|found| found.starts_with(&format!("{eks}: {problem}"))),
            "`{from}` -> `{to}`: {problems:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Registry module calls against the vendored interfaces

/// `tests/data/module-interfaces/`: registry address -> its catalogue file.
fn catalog() -> &'static BTreeMap<String, Value> {
    static CATALOG: OnceLock<BTreeMap<String, Value>> = OnceLock::new();
    CATALOG.get_or_init(|| {
        fs_err::read_dir(common::checkout("tests/data/module-interfaces"))
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
            .map(|path| {
                let json: Value = serde_json::from_str(&fs_err::read_to_string(&path).unwrap())
                    .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
                (json["registry"].as_str().unwrap().to_owned(), json)
            })
            .collect()
    })
}

/// Whether a value can be what a variable's `type` says, as far as a literal shows: Terraform
/// converts between string, number and bool where the text allows, never between a collection
/// and a single value. References, calls and conditionals are taken on trust.
fn fits(value: &Expression, kind: &str) -> bool {
    let kind = kind.trim();
    let inner = |prefix: &str| {
        kind.strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix(')'))
    };
    let sequence = inner("list(").or(inner("set("));
    let map = inner("map(");
    let single = matches!(kind, "string" | "number" | "bool");
    let text = |text: &str| match kind {
        "number" => text.parse::<f64>().is_ok(),
        "bool" => text == "true" || text == "false",
        _ => kind == "string" || kind == "any",
    };
    match value {
        Expression::Null => true,
        Expression::Bool(_) => matches!(kind, "bool" | "string" | "any"),
        Expression::Number(_) => matches!(kind, "number" | "string" | "any"),
        Expression::String(literal) => text(literal),
        Expression::TemplateExpr(_) => single || kind == "any",
        Expression::Array(items) => match sequence {
            Some(element) => items.iter().all(|item| fits(item, element)),
            None => kind == "any" || kind.starts_with("tuple("),
        },
        Expression::Object(object) => match map {
            Some(element) => object.values().all(|item| fits(item, element)),
            None => kind == "any" || kind.starts_with("object("),
        },
        _ => true,
    }
}

/// Every registry call in `terraform/modules/` against the catalogue; returns the problems and
/// the calls checked (`<source>@<version>`).
fn registry_problems(tree: &Tree) -> (Vec<String>, BTreeSet<String>) {
    let mut problems = Vec::new();
    let mut calls = BTreeSet::new();
    let module_files = tree
        .iter()
        .filter(|(path, _)| path.starts_with("terraform/modules/") && path.ends_with(".tf"));
    for (path, text) in module_files {
        for module in blocks(&parse(path, text), "module") {
            let name = format!("{path}: module `{}`", label(module));
            let source = attribute(&module.body, "source").and_then(string_value);
            let Some(source) = source.filter(|source| source.starts_with("terraform-aws-modules/"))
            else {
                continue;
            };
            let (registry, module_path) = source.split_once("//").unwrap_or((&source, ""));
            let Some(version) = attribute(&module.body, "version").and_then(string_value) else {
                problems.push(format!("{name}: {source} has no version"));
                continue;
            };
            calls.insert(format!("{source}@{version}"));
            let Some(variables) = catalog()
                .get(registry)
                .and_then(|json| json["versions"][&version][module_path]["vars"].as_object())
            else {
                problems.push(format!("{name}: {source} {version} is not catalogued"));
                continue;
            };
            let arguments: BTreeMap<&str, &Expression> = module
                .body
                .attributes()
                .map(|attribute| (attribute.key.as_str(), &attribute.expr))
                .filter(|(key, _)| !META_ARGUMENTS.contains(key))
                .collect();
            for (argument, value) in &arguments {
                match variables.get(*argument) {
                    None => problems.push(format!(
                        "{name}: `{argument}` is not an input of {source} {version}"
                    )),
                    Some(variable) => {
                        let kind = variable["type"].as_str().unwrap_or("any");
                        if !fits(value, kind) {
                            problems.push(format!("{name}: `{argument}` is no `{kind}`"));
                        }
                    }
                }
            }
            for (variable, facts) in variables {
                if facts["required"] == true && !arguments.contains_key(variable.as_str()) {
                    problems.push(format!(
                        "{name}: {source} {version} requires `{variable}`, not given"
                    ));
                }
            }
            if let Some(block) = module.body.blocks().next() {
                problems.push(format!(
                    "{name}: a `{}` block; module inputs are attributes",
                    block.identifier.as_str()
                ));
            }
        }
    }
    (problems, calls)
}

#[test]
fn literal_values_are_checked_against_variable_types() {
    let parse_value = |text: &str| hcl::parse(&format!("a = {text}\n")).unwrap();
    let value = |text: &str| attribute(&parse_value(text), "a").unwrap().clone();
    assert!(fits(&value("true"), "bool") && fits(&value("true"), "string"));
    assert!(!fits(&value("true"), "number") && !fits(&value("true"), "list(string)"));
    assert!(fits(&value("\"10\""), "number") && !fits(&value("\"ten\""), "number"));
    assert!(fits(&value("[\"a\", \"b\"]"), "list(string)"));
    assert!(!fits(&value("[[\"a\"]]"), "list(string)"));
    assert!(!fits(&value("\"a\""), "list(string)"));
    assert!(fits(&value("{ a = 1 }"), "map(number)") && !fits(&value("{ a = [] }"), "map(number)"));
    assert!(!fits(&value("{ a = 1 }"), "string"));
    assert!(fits(&value("var.x"), "list(string)") && fits(&value("\"${var.x}\""), "string"));
    assert!(!fits(&value("\"${var.x}\""), "map(string)"));
}

#[test]
fn the_registry_oracle_finds_what_it_looks_for() {
    let vpc = "terraform/modules/vpc/main.tf";
    let mysql = "terraform/modules/mysql/main.tf";
    for (path, from, to, problem) in [
        (
            vpc,
            "  enable_nat_gateway     = true",
            "  enable_nat_gateway     = [true]",
            "`enable_nat_gateway` is no `bool`",
        ),
        (
            vpc,
            "  enable_nat_gateway ",
            "  enable_nat_gatway ",
            "`enable_nat_gatway` is not an input of terraform-aws-modules/vpc/aws 6.6.0",
        ),
        (
            mysql,
            "  identifier = var.identifier\n",
            "",
            "terraform-aws-modules/rds/aws 7.2.0 requires `identifier`, not given",
        ),
        (
            vpc,
            "\"6.6.0\"",
            "\"6.5.0\"",
            "terraform-aws-modules/vpc/aws 6.5.0 is not catalogued",
        ),
    ] {
        let (problems, _) = registry_problems(&planted(path, from, to));
        assert!(
            problems
                .iter()
                .any(|found| found.starts_with(path) && found.ends_with(problem)),
            "`{from}` -> `{to}`: {problems:?}"
        );
    }
}

#[test]
fn registry_module_calls_match_the_pinned_interfaces() {
    let mut problems = BTreeSet::new();
    let mut calls = BTreeSet::new();
    for (combination, tree) in rendered() {
        let (found, checked) = registry_problems(tree);
        problems.extend(found.into_iter().map(|p| format!("{combination:?}: {p}")));
        calls.extend(checked);
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.into_iter().collect::<Vec<_>>().join("\n")
    );
    for expected in EXPECTED_REGISTRY_MODULES {
        assert!(
            calls
                .iter()
                .any(|call| call.starts_with(&format!("{expected}@"))),
            "no call of `{expected}` in any combination"
        );
    }
    // The vendored catalogue holds exactly the registry modules the blueprints call.
    let called: BTreeSet<String> = calls
        .iter()
        .map(|call| call.split(['@', '/']).take(3).collect::<Vec<_>>().join("/"))
        .collect();
    let vendored: BTreeSet<String> = catalog().keys().cloned().collect();
    assert_eq!(
        vendored, called,
        "tests/data/module-interfaces/ is stale: run tests/data/module-interfaces/update.sh"
    );
}

// ---------------------------------------------------------------------------------------------
// Optional components, from the `_plan.yml` rules

/// A `_plan.yml` rule with a condition: the glob (from the blueprint root) and its `when`.
struct Condition {
    glob: globset::GlobMatcher,
    rule: String,
    when: String,
}

/// Every conditional rule of every `_plan.yml` under `blueprints/`.
fn conditions() -> Vec<Condition> {
    let root = common::checkout("blueprints");
    let mut conditions = Vec::new();
    for entry in walkdir::WalkDir::new(&root) {
        let entry = entry.unwrap();
        if entry.file_name() != "_plan.yml" {
            continue;
        }
        let folder = entry.path().parent().unwrap().strip_prefix(&root).unwrap();
        let folder = folder.to_string_lossy().replace('\\', "/");
        let text = fs_err::read_to_string(entry.path()).unwrap();
        let rules: Value = serde_saphyr::from_str(&text).unwrap();
        for rule in rules["rules"].as_array().unwrap() {
            let Some(when) = rule["when"].as_str() else {
                continue;
            };
            let path = rule["path"].as_str().unwrap();
            let glob = [folder.as_str(), path].join("/");
            let glob = glob.trim_start_matches('/').to_owned();
            conditions.push(Condition {
                glob: globset::GlobBuilder::new(&glob)
                    .literal_separator(true)
                    .build()
                    .unwrap()
                    .compile_matcher(),
                rule: format!("{folder}/_plan.yml: {path}"),
                when: when.to_owned(),
            });
        }
    }
    conditions
}

/// Where the components are: a blueprint folder whose every sub-folder holding `file` is one
/// (`__env__` stands for each environment), hidden ones (`_partials`, `_dependencies`) aside.
const COMPONENTS: &[(&str, &str)] = &[
    ("terraform/environments/__env__", "terragrunt.hcl"),
    ("terraform/shared", "terragrunt.hcl"),
    ("terraform/modules", "main.tf"),
];

/// The component folders of `blueprints/<dir>`.
fn blueprint_folders(dir: &str, file: &str) -> BTreeSet<String> {
    fs_err::read_dir(common::checkout(&format!("blueprints/{dir}")))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.join(file).is_file())
        .map(|path| path.file_name().unwrap().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with('_'))
        .collect()
}

/// The folders of `dir` in a rendered tree that hold a `file`.
fn rendered_folders(tree: &Tree, dir: &str, file: &str) -> BTreeSet<String> {
    tree.keys()
        .filter_map(|path| path.strip_prefix(&format!("{dir}/")))
        .filter_map(|rest| rest.strip_suffix(&format!("/{file}")))
        .filter(|name| !name.contains('/'))
        .map(str::to_owned)
        .collect()
}

/// Decides the `_plan.yml` conditions on answers (and an environment), independently of the
/// library, and keeps what each came out as.
struct Decider {
    conditions: Vec<Condition>,
    expressions: minijinja::Environment<'static>,
    outcomes: BTreeMap<String, BTreeSet<bool>>,
}

impl Decider {
    fn new() -> Decider {
        let mut expressions = minijinja::Environment::new();
        expressions.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        Decider {
            conditions: conditions(),
            expressions,
            outcomes: BTreeMap::new(),
        }
    }

    /// Whether every condition matching the blueprint `path` holds.
    fn wanted(&mut self, path: &str, answers: &Value, env: &Value) -> bool {
        let values = serde_json::json!({ "answers": answers, "env": env });
        let values = minijinja::Value::from(minijinja::value::Serde(values));
        let mut wanted = true;
        for condition in self.conditions.iter().filter(|c| c.glob.is_match(path)) {
            let holds = self
                .expressions
                .compile_expression(&condition.when)
                .and_then(|expression| expression.eval(&values))
                .unwrap_or_else(|error| panic!("{}: `{}`: {error}", condition.rule, condition.when))
                .is_true();
            let outcomes = self.outcomes.entry(condition.rule.clone()).or_default();
            outcomes.insert(holds);
            wanted &= holds;
        }
        wanted
    }
}

#[test]
fn components_exist_exactly_when_the_answers_ask_for_them() {
    let mut decider = Decider::new();
    for (combination, tree) in rendered() {
        let raw = openedx_devops::answers::load::parse(&combination.answers()).unwrap();
        let answers = openedx_devops::answers::Answers::validate(&raw).unwrap();
        let answers = answers.to_raw();
        let environments = answers["environments"].as_array().unwrap();
        let names: BTreeSet<String> = environments
            .iter()
            .map(|env| env["name"].as_str().unwrap().to_owned())
            .collect();
        let folders: BTreeSet<String> = tree
            .keys()
            .filter_map(|path| path.strip_prefix("terraform/environments/"))
            .filter_map(|rest| rest.split_once('/').map(|(folder, _)| folder.to_owned()))
            .collect();
        assert_eq!(folders, names, "{combination:?}: environment folders");
        assert_eq!(
            rendered_folders(tree, "terraform/environments", "env.hcl"),
            names,
            "{combination:?}: environments with an env.hcl"
        );
        for (dir, file) in COMPONENTS {
            let scopes = match dir.contains("__env__") {
                true => environments.iter().collect(),
                false => vec![&Value::Null],
            };
            for env in scopes {
                let target = dir.replace("__env__", env["name"].as_str().unwrap_or_default());
                let expected: BTreeSet<String> = blueprint_folders(dir, file)
                    .into_iter()
                    .filter(|name| decider.wanted(&format!("{dir}/{name}/{file}"), &answers, env))
                    .collect();
                assert_eq!(
                    rendered_folders(tree, &target, file),
                    expected,
                    "{combination:?}: the folders of `{target}`"
                );
            }
        }
        // Each local module serves a unit.
        let used: BTreeSet<String> = unit_paths(tree)
            .map(|path| {
                let merged = merged_unit(tree, path);
                unit_module(&merged.terraform_path, &merged.terraform)
            })
            .collect();
        assert_eq!(
            used,
            rendered_folders(tree, "terraform/modules", "main.tf"),
            "{combination:?}: local modules without a unit"
        );
    }
    // The sweep shows every optional component both present and absent.
    assert!(decider.outcomes.len() >= 3, "{:?}", decider.outcomes);
    for (rule, outcomes) in &decider.outcomes {
        assert_eq!(outcomes.len(), 2, "{rule}: always {outcomes:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Values from the answers

#[test]
fn hosts_region_and_names_come_from_the_answers() {
    let tree = rendered_one("ec2", true, true, 3);
    let global = &tree["terraform/global.hcl"];
    for line in [
        "aws_region           = \"ap-southeast-2\"",
        "aws_account_id       = \"210987654321\"",
        "root_domain          = \"campus.example.ac.nz\"",
        "github_organization  = \"campus-it\"",
        "github_repository    = \"campus-devops\"",
    ] {
        assert!(
            global.contains(line),
            "global.hcl lacks `{line}`:\n{global}"
        );
    }
    let hosts = [
        ("prod", "learn.campus.example.ac.nz"),
        ("dev", "dev.learn.campus.example.ac.nz"),
        ("qa", "qa-learn.campus.example.ac.nz"),
    ];
    for (environment, domain) in hosts {
        let env = &tree[&format!("terraform/environments/{environment}/env.hcl")];
        for (key, host) in [
            ("lms", domain.to_owned()),
            ("studio", format!("studio.{domain}")),
            ("mfe", format!("apps.{domain}")),
            ("meilisearch", format!("meilisearch.{domain}")),
            ("cdn", format!("cdn.{domain}")),
            ("grafana", format!("grafana.{domain}")),
            ("mysql", format!("mysql.{domain}")),
            ("mongodb", format!("mongodb.{domain}")),
            ("redis", format!("redis.{domain}")),
            ("bastion", format!("bastion.{domain}")),
        ] {
            assert!(
                env.lines().any(|line| line.trim_start().starts_with(key)
                    && line.contains(&format!("\"{host}\""))),
                "{environment}/env.hcl: `{key}` is not `{host}`"
            );
        }
        assert!(env.contains(&format!(
            "resource_prefix = \"campus-global-{environment}\""
        )));
    }

    // `dev.learn` is delegated from prod's zone, `qa-learn` from the root zone.
    let dev_dns = &tree["terraform/environments/dev/dns/terragrunt.hcl"];
    assert!(
        dev_dns.contains("config_path = \"../../prod/dns\""),
        "{dev_dns}"
    );
    assert!(dev_dns.contains("parent_zone_id"));
    let qa_dns = &tree["terraform/environments/qa/dns/terragrunt.hcl"];
    assert!(!qa_dns.contains("dependency"), "{qa_dns}");
    assert!(
        tree["terraform/environments/qa/env.hcl"]
            .contains("dns_parent_zone = \"campus.example.ac.nz\"")
    );

    // No region but the answers' appears, except us-east-1 where AWS requires it (CloudFront's
    // certificate, the public ECR registry of the Karpenter chart).
    for (path, text) in tree
        .iter()
        .filter(|(path, _)| path.starts_with("terraform/"))
    {
        for region in region_names(text) {
            assert!(
                region == "ap-southeast-2" || region == "us-east-1",
                "{path} names region `{region}`"
            );
        }
    }
}

/// Words shaped like an AWS region code (`eu-west-2`, `ap-southeast-2`).
fn region_names(text: &str) -> BTreeSet<String> {
    text.split(|character: char| !(character.is_ascii_alphanumeric() || character == '-'))
        .filter(|word| {
            let parts: Vec<&str> = word.split('-').collect();
            parts.len() == 3
                && parts[0].len() == 2
                && parts[0].chars().all(|c| c.is_ascii_lowercase())
                && [
                    "east",
                    "west",
                    "north",
                    "south",
                    "central",
                    "northeast",
                    "southeast",
                    "northwest",
                    "southwest",
                ]
                .contains(&parts[1])
                && parts[2].len() == 1
                && parts[2].chars().all(|c| c.is_ascii_digit())
        })
        .map(str::to_owned)
        .collect()
}

#[test]
fn sensitive_outputs_are_marked_and_no_secret_is_written() {
    let tree = rendered_one("ec2", true, true, 1);
    for (path, text) in tree
        .iter()
        .filter(|(path, _)| path.starts_with("terraform/modules/") && path.ends_with(".tf"))
    {
        let body = parse(path, text);
        for output in blocks(&body, "output") {
            let name = label(output);
            if name.contains("password") || name.ends_with("secret_access_key") {
                assert!(
                    matches!(
                        attribute(&output.body, "sensitive"),
                        Some(Expression::Bool(true))
                    ),
                    "{path}: output `{name}` must be sensitive"
                );
            }
        }
        for attribute in body
            .blocks()
            .flat_map(|block| block.body.attributes())
            .filter(|attribute| attribute.key.as_str().contains("password"))
        {
            assert!(
                !matches!(attribute.expr, Expression::String(_)),
                "{path}: `{}` is a literal string",
                attribute.key.as_str()
            );
        }
    }
}

#[test]
fn terraform_fmt_changes_nothing() {
    let terraform = std::env::var_os("TERRAFORM").unwrap_or_else(|| "terraform".into());
    let available = std::process::Command::new(&terraform)
        .arg("version")
        .output()
        .is_ok_and(|output| output.status.success());
    if !available {
        // In CI HashiCorp's own formatter is the proof: its absence there is a failure.
        assert!(
            std::env::var_os("CI").is_none(),
            "CI needs a `terraform` binary for this test (set TERRAFORM or put it on the PATH)"
        );
        eprintln!("skipped: no `terraform` binary (set TERRAFORM or put it on the PATH)");
        return;
    }
    let folder = tempfile::tempdir().expect("a temporary folder");
    let mut names = BTreeMap::new();
    for (index, (combination, tree)) in rendered().iter().enumerate() {
        for (path, text) in tree {
            if !(path.starts_with("terraform/")
                && (path.ends_with(".tf") || path.ends_with(".hcl")))
            {
                continue;
            }
            // terraform fmt formats only .tf files: every file gets a .tf name of its own.
            let name = format!("{index:02}_{}.tf", path.replace('/', "_"));
            fs_err::write(folder.path().join(&name), text).expect("write a copy");
            names.insert(name, format!("{combination:?}: {path}"));
        }
    }
    let output = std::process::Command::new(&terraform)
        .args(["fmt", "-check", "-list=true"])
        .arg(folder.path())
        .output()
        .expect("run terraform fmt");
    let listed = String::from_utf8_lossy(&output.stdout);
    let unformatted: Vec<&String> = listed
        .lines()
        .filter_map(|line| Path::new(line).file_name())
        .filter_map(|name| names.get(name.to_string_lossy().as_ref()))
        .collect();
    assert!(
        unformatted.is_empty() && output.status.success(),
        "terraform fmt would change:\n{}\n{}",
        unformatted
            .iter()
            .map(|name| name.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
        String::from_utf8_lossy(&output.stderr)
    );
}
