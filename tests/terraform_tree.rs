//! The generated `terraform/` tree, checked offline for every combination of the answers that
//! shape it (MongoDB ec2 | documentdb | in_cluster, spot or not, bastion or not, one to three
//! environments):
//!
//! - every Terragrunt unit, merged with the `terraform/_envcommon/` file it includes, supplies
//!   each variable its local module requires and nothing the module does not declare, so
//!   `apply` never prompts;
//! - every `dependency` points at a unit that exists, mocks every output the unit reads, and the
//!   module behind it declares those outputs; every `include.root.locals.*` name (and
//!   `local.env.*`/`local.global.*` in `_envcommon/`) exists;
//! - every call of a terraform-aws-modules registry module passes only inputs the pinned version
//!   declares and all the inputs it requires (catalog: `../shared/module-interfaces`);
//! - the optional components exist exactly when the answers ask for them, and hosts and region
//!   come from the answers;
//! - `terraform fmt` would change nothing (when a `terraform` binary is on the PATH).

use hcl::{Body, Expression, ObjectKey, TemplateExpr};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

type Tree = BTreeMap<String, String>;

/// Units every environment has, whatever the answers.
const BASE_UNITS: &[&str] = &[
    "backups",
    "dns",
    "eks",
    "github-deploy-role",
    "kubernetes-addons",
    "mysql",
    "redis",
    "secrets",
    "ses",
    "storage",
    "vpc",
];

/// Account-wide units under `terraform/shared/`.
const SHARED_UNITS: &[&str] = &[
    "ecr",
    "github-build-role",
    "github-infrastructure-role",
    "github-oidc",
];

/// Registry modules the issue asks for; each must be called somewhere.
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
    "terraform-aws-modules/security-group/aws",
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

    fn environment_names(&self) -> Vec<&'static str> {
        ["prod", "dev", "qa"][..self.environments].to_vec()
    }

    fn render(&self) -> Tree {
        openedx_devops::render_yaml(&self.answers())
            .unwrap_or_else(|error| panic!("{self:?} does not render: {error:#}"))
    }
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

fn object_entry<'a>(expression: &'a Expression, name: &str) -> Option<&'a Expression> {
    match expression {
        Expression::Object(object) => object
            .iter()
            .find(|(key, _)| key_name(key) == name)
            .map(|(_, value)| value),
        _ => None,
    }
}

fn attribute<'a>(body: &'a Body, name: &str) -> Option<&'a Expression> {
    body.attributes()
        .find(|attribute| attribute.key.as_str() == name)
        .map(|attribute| &attribute.expr)
}

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

// ---------------------------------------------------------------------------------------------
// Local modules and units

#[derive(Debug, Default)]
struct LocalModule {
    variables: BTreeMap<String, bool>,
    outputs: BTreeSet<String>,
}

fn local_module(tree: &Tree, name: &str) -> LocalModule {
    let folder = format!("terraform/modules/{name}/");
    let mut module = LocalModule::default();
    let files: Vec<_> = tree
        .iter()
        .filter(|(path, _)| {
            path.starts_with(&folder)
                && path.ends_with(".tf")
                && !path[folder.len()..].contains('/')
        })
        .collect();
    assert!(!files.is_empty(), "local module `{folder}` has no .tf file");
    for (path, text) in files {
        let body = parse(path, text);
        for variable in blocks(&body, "variable") {
            let required = attribute(&variable.body, "default").is_none();
            module.variables.insert(label(variable), required);
        }
        for output in blocks(&body, "output") {
            module.outputs.insert(label(output));
        }
    }
    module
}

fn unit_paths(tree: &Tree) -> Vec<&String> {
    tree.keys()
        .filter(|path| path.starts_with("terraform/") && path.ends_with("/terragrunt.hcl"))
        .collect()
}

/// The local module a unit's `terraform.source` names (`.../modules//<name>`).
fn unit_module(path: &str, body: &Body) -> String {
    let terraform = blocks(body, "terraform")
        .next()
        .unwrap_or_else(|| panic!("`{path}` has no terraform block"));
    let source = attribute(&terraform.body, "source")
        .and_then(string_value)
        .unwrap_or_else(|| panic!("`{path}` has no terraform.source string"));
    let (_, name) = source
        .split_once("/modules//")
        .unwrap_or_else(|| panic!("`{path}`: source `{source}` is not a local module"));
    name.to_owned()
}

/// A unit as Terragrunt sees it: its own file merged with the `terraform/_envcommon/` file it
/// includes (shallow merge: the unit's blocks and input keys win).
struct Merged {
    /// The file holding the `terraform` block.
    terraform: Body,
    terraform_path: String,
    dependencies: Vec<hcl::Block>,
    inputs: BTreeSet<String>,
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
    let mut inputs = attribute(&body, "inputs")
        .map(object_keys)
        .unwrap_or_default();
    let mut text = tree[path].clone();
    let mut dependencies: Vec<hcl::Block> = blocks(&body, "dependency").cloned().collect();
    let (terraform, terraform_path) = match common {
        None => (body.clone(), path.to_owned()),
        Some(common) => {
            let common_text = tree
                .get(&common)
                .unwrap_or_else(|| panic!("`{path}` includes `{common}`, which is missing"));
            let common_body = parse(&common, common_text);
            inputs.extend(
                attribute(&common_body, "inputs")
                    .map(object_keys)
                    .unwrap_or_default(),
            );
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
        inputs,
        text,
    }
}

/// A `config_path` as a tree path: relative to the unit, or from `get_terragrunt_dir()` or the
/// Terragrunt root (`dirname(find_in_parent_folders("root.hcl"))`).
fn dependency_target(unit_dir: &Path, config_path: &str) -> PathBuf {
    if let Some(rest) = config_path.strip_prefix("${get_terragrunt_dir()}/") {
        normalize(&unit_dir.join(rest))
    } else if let Some(rest) =
        config_path.strip_prefix("${dirname(find_in_parent_folders(\"root.hcl\"))}/")
    {
        normalize(&Path::new("terraform").join(rest))
    } else {
        normalize(&unit_dir.join(config_path))
    }
}

fn locals_keys(tree: &Tree, path: &str) -> BTreeMap<String, Expression> {
    let text = tree
        .get(path)
        .unwrap_or_else(|| panic!("`{path}` is missing"));
    let body = parse(path, text);
    blocks(&body, "locals")
        .flat_map(|block| block.body.attributes())
        .map(|attribute| (attribute.key.as_str().to_owned(), attribute.expr.clone()))
        .collect()
}

/// Checks every unit of one rendered tree; returns what it found wrong.
fn check_units(tree: &Tree) -> Vec<String> {
    let mut problems = Vec::new();
    let global = locals_keys(tree, "terraform/global.hcl");
    for path in unit_paths(tree) {
        let body = parse(path, &tree[path]);
        let merged = merged_unit(tree, path);
        let text = &merged.text;
        let unit_dir = Path::new(path).parent().expect("a unit has a folder");

        // The root include, exposed: units read settings through it.
        let include = blocks(&body, "include").find(|block| label(block) == "root");
        match include {
            Some(block) => {
                let expose = attribute(&block.body, "expose");
                if !matches!(expose, Some(Expression::Bool(true))) {
                    problems.push(format!("{path}: include \"root\" must set expose = true"));
                }
            }
            None => problems.push(format!("{path}: no include \"root\"")),
        }

        // Inputs against the module's variables.
        let module_name = unit_module(&merged.terraform_path, &merged.terraform);
        let module = local_module(tree, &module_name);
        let inputs = &merged.inputs;
        for (variable, required) in &module.variables {
            if *required && !inputs.contains(variable) {
                problems.push(format!(
                    "{path}: module `{module_name}` requires `{variable}`, not in inputs"
                ));
            }
        }
        for input in inputs {
            if !module.variables.contains_key(input) {
                problems.push(format!(
                    "{path}: input `{input}` is not a variable of module `{module_name}`"
                ));
            }
        }

        // Dependencies: they exist, they mock what is read, their modules output it.
        let mut dependencies = BTreeMap::new();
        for dependency in &merged.dependencies {
            let name = label(dependency);
            let Some(config_path) =
                attribute(&dependency.body, "config_path").and_then(string_value)
            else {
                problems.push(format!(
                    "{path}: dependency `{name}` has no config_path string"
                ));
                continue;
            };
            let target = dependency_target(unit_dir, &config_path).join("terragrunt.hcl");
            let target = target.to_string_lossy().into_owned();
            if !tree.contains_key(&target) {
                problems.push(format!(
                    "{path}: dependency `{name}` points at `{config_path}`, which has no unit"
                ));
                continue;
            }
            let target_unit = merged_unit(tree, &target);
            let target_module = local_module(
                tree,
                &unit_module(&target_unit.terraform_path, &target_unit.terraform),
            );
            let mocks = attribute(&dependency.body, "mock_outputs")
                .map(object_keys)
                .unwrap_or_default();
            let commands = attribute(&dependency.body, "mock_outputs_allowed_terraform_commands");
            let allows_plan = matches!(commands, Some(Expression::Array(items))
                if items.iter().any(|item| string_value(item).as_deref() == Some("plan")));
            if !allows_plan {
                problems.push(format!(
                    "{path}: dependency `{name}` does not mock for plan"
                ));
            }
            dependencies.insert(name, (mocks, target_module.outputs));
        }
        for reference in references(text, "dependency.") {
            let [name, outputs, output, ..] = reference.as_slice() else {
                continue;
            };
            if outputs != "outputs" {
                continue;
            }
            match dependencies.get(name) {
                None => problems.push(format!("{path}: `dependency.{name}` is not declared")),
                Some((mocks, declared)) => {
                    if !mocks.contains(output) {
                        problems.push(format!(
                            "{path}: dependency `{name}` reads `{output}` without a mock"
                        ));
                    }
                    if !declared.contains(output) {
                        problems.push(format!(
                            "{path}: dependency `{name}`'s module has no output `{output}`"
                        ));
                    }
                }
            }
        }

        // Settings read through the root include exist.
        let env_file = if path.starts_with("terraform/environments/") {
            Some(
                normalize(&unit_dir.join(".."))
                    .join("env.hcl")
                    .to_string_lossy()
                    .into_owned(),
            )
        } else {
            None
        };
        let env = env_file.as_deref().map(|file| locals_keys(tree, file));
        for reference in references(text, "include.root.locals.") {
            let (scope, rest) = reference.split_first().expect("a non-empty reference");
            let settings = match scope.as_str() {
                "global" => &global,
                "env" => match &env {
                    Some(env) => env,
                    None => {
                        problems.push(format!("{path}: reads `env` outside an environment"));
                        continue;
                    }
                },
                other => {
                    problems.push(format!("{path}: reads unknown root local `{other}`"));
                    continue;
                }
            };
            let Some(first) = rest.first() else { continue };
            match settings.get(first) {
                None => problems.push(format!("{path}: `{scope}.{first}` is not a setting")),
                Some(value) => {
                    if let Some(second) = rest.get(1)
                        && matches!(value, Expression::Object(_))
                        && object_entry(value, second).is_none()
                    {
                        problems.push(format!(
                            "{path}: `{scope}.{first}.{second}` is not a setting"
                        ));
                    }
                }
            }
        }
    }
    problems
}

// ---------------------------------------------------------------------------------------------
// Registry module calls against the interface catalog

struct Catalog {
    folder: PathBuf,
    loaded: BTreeMap<String, serde_json::Value>,
}

impl Catalog {
    fn new() -> Catalog {
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/module-interfaces");
        assert!(
            folder.is_dir(),
            "the module interface catalog is missing at `{}`",
            folder.display()
        );
        Catalog {
            folder,
            loaded: BTreeMap::new(),
        }
    }

    /// Variables (name -> required) of `registry` at `version`, module path `path`.
    fn variables(
        &mut self,
        registry: &str,
        version: &str,
        path: &str,
    ) -> Result<BTreeMap<String, bool>, String> {
        if !self.loaded.contains_key(registry) {
            let file = self
                .folder
                .join(format!("{}.json", registry.replace('/', "__")));
            let text = std::fs::read_to_string(&file)
                .map_err(|error| format!("no catalog for `{registry}` ({error})"))?;
            let json = serde_json::from_str(&text)
                .map_err(|error| format!("`{}`: {error}", file.display()))?;
            self.loaded.insert(registry.to_owned(), json);
        }
        let versions = &self.loaded[registry]["versions"];
        let module = versions
            .get(version)
            .ok_or_else(|| {
                let known: Vec<_> = versions
                    .as_object()
                    .map(|map| map.keys().cloned().collect())
                    .unwrap_or_default();
                format!("`{registry}` version `{version}` is not catalogued (known: {known:?})")
            })?
            .get(path)
            .ok_or_else(|| format!("`{registry}` {version} has no module path `{path}`"))?;
        Ok(module["vars"]
            .as_object()
            .map(|vars| {
                vars.iter()
                    .map(|(name, facts)| (name.clone(), facts["required"] == true))
                    .collect()
            })
            .unwrap_or_default())
    }
}

/// Checks every registry module call in `terraform/modules/`; returns problems and the calls
/// checked (`<source>@<version>` in `<file>`).
fn check_registry_calls(tree: &Tree, catalog: &mut Catalog) -> (Vec<String>, Vec<String>) {
    let mut problems = Vec::new();
    let mut checked = Vec::new();
    for (path, text) in tree {
        if !(path.starts_with("terraform/modules/") && path.ends_with(".tf")) {
            continue;
        }
        let body = parse(path, text);
        for module in blocks(&body, "module") {
            let name = label(module);
            let Some(source) = attribute(&module.body, "source").and_then(string_value) else {
                problems.push(format!("{path}: module `{name}` has no source string"));
                continue;
            };
            if !source.starts_with("terraform-aws-modules/") {
                continue;
            }
            let (registry, module_path) = match source.split_once("//") {
                Some((registry, sub)) => (registry.to_owned(), sub.to_owned()),
                None => (source.clone(), String::new()),
            };
            let Some(version) = attribute(&module.body, "version").and_then(string_value) else {
                problems.push(format!("{path}: module `{name}` ({source}) has no version"));
                continue;
            };
            let variables = match catalog.variables(&registry, &version, &module_path) {
                Ok(variables) => variables,
                Err(problem) => {
                    problems.push(format!("{path}: module `{name}`: {problem}"));
                    continue;
                }
            };
            let arguments: BTreeSet<String> = module
                .body
                .attributes()
                .map(|attribute| attribute.key.as_str().to_owned())
                .filter(|key| !META_ARGUMENTS.contains(&key.as_str()))
                .collect();
            for argument in &arguments {
                if !variables.contains_key(argument) {
                    problems.push(format!(
                        "{path}: module `{name}` passes `{argument}`, which {source} {version} \
                         does not declare"
                    ));
                }
            }
            for (variable, required) in &variables {
                if *required && !arguments.contains(variable) {
                    problems.push(format!(
                        "{path}: module `{name}` does not pass `{variable}`, which {source} \
                         {version} requires"
                    ));
                }
            }
            if let Some(block) = module.body.blocks().next() {
                problems.push(format!(
                    "{path}: module `{name}` has a `{}` block; module inputs are attributes",
                    block.identifier.as_str()
                ));
            }
            checked.push(format!("{source}@{version} in {path}"));
        }
    }
    (problems, checked)
}

// ---------------------------------------------------------------------------------------------
// Tests

fn environment_units(tree: &Tree, environment: &str) -> BTreeSet<String> {
    let prefix = format!("terraform/environments/{environment}/");
    tree.keys()
        .filter_map(|path| path.strip_prefix(&prefix))
        .filter_map(|rest| rest.strip_suffix("/terragrunt.hcl"))
        .map(str::to_owned)
        .collect()
}

fn expected_units(combination: &Combination) -> BTreeSet<String> {
    let mut units: BTreeSet<String> = BASE_UNITS.iter().map(|unit| unit.to_string()).collect();
    if combination.mongodb != "in_cluster" {
        units.insert("mongodb".into());
    }
    if combination.spot {
        units.insert("karpenter".into());
    }
    if combination.bastion {
        units.insert("bastion".into());
    }
    units
}

#[test]
fn every_unit_gets_its_variables_and_dependencies_for_every_combination() {
    let mut problems = BTreeSet::new();
    let mut units = 0;
    for combination in Combination::all() {
        let tree = combination.render();
        units += unit_paths(&tree).len();
        for problem in check_units(&tree) {
            problems.insert(format!("{combination:?}: {problem}"));
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.into_iter().collect::<Vec<_>>().join("\n")
    );
    eprintln!("checked {units} units in 36 combinations");
}

#[test]
fn registry_module_calls_match_the_pinned_interfaces() {
    let mut catalog = Catalog::new();
    let mut problems = BTreeSet::new();
    let mut calls = BTreeSet::new();
    for combination in Combination::all() {
        let tree = combination.render();
        let (found, checked) = check_registry_calls(&tree, &mut catalog);
        problems.extend(found);
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
    eprintln!("checked {} distinct registry module calls", calls.len());
}

#[test]
fn components_exist_exactly_when_the_answers_ask_for_them() {
    for combination in Combination::all() {
        let tree = combination.render();
        let expected = expected_units(&combination);
        let environments: BTreeSet<String> = tree
            .keys()
            .filter_map(|path| path.strip_prefix("terraform/environments/"))
            .filter_map(|rest| rest.split('/').next())
            .map(str::to_owned)
            .collect();
        let names: BTreeSet<String> = combination
            .environment_names()
            .into_iter()
            .map(str::to_owned)
            .collect();
        assert_eq!(environments, names, "{combination:?}: environment folders");
        for environment in combination.environment_names() {
            assert_eq!(
                environment_units(&tree, environment),
                expected,
                "{combination:?}: units of `{environment}`"
            );
            assert!(
                tree.contains_key(&format!("terraform/environments/{environment}/env.hcl")),
                "{combination:?}: `{environment}` has no env.hcl"
            );
        }
        let shared: BTreeSet<String> = tree
            .keys()
            .filter_map(|path| path.strip_prefix("terraform/shared/"))
            .filter_map(|rest| rest.strip_suffix("/terragrunt.hcl"))
            .map(str::to_owned)
            .collect();
        let expected_shared: BTreeSet<String> =
            SHARED_UNITS.iter().map(|unit| unit.to_string()).collect();
        assert_eq!(shared, expected_shared, "{combination:?}: shared units");

        let has_module =
            |name: &str| tree.contains_key(&format!("terraform/modules/{name}/main.tf"));
        assert_eq!(has_module("mongodb-ec2"), combination.mongodb == "ec2");
        assert_eq!(
            has_module("documentdb"),
            combination.mongodb == "documentdb"
        );
        assert_eq!(has_module("karpenter"), combination.spot, "{combination:?}");
        assert_eq!(
            has_module("bastion"),
            combination.bastion,
            "{combination:?}"
        );

        // No local module is left without a unit that uses it.
        let used: BTreeSet<String> = unit_paths(&tree)
            .into_iter()
            .map(|path| {
                let merged = merged_unit(&tree, path);
                unit_module(&merged.terraform_path, &merged.terraform)
            })
            .collect();
        let modules: BTreeSet<String> = tree
            .keys()
            .filter_map(|path| path.strip_prefix("terraform/modules/"))
            .filter_map(|rest| rest.split('/').next())
            .map(str::to_owned)
            .collect();
        assert_eq!(
            modules, used,
            "{combination:?}: local modules without a unit"
        );
    }
}

#[test]
fn hosts_region_and_names_come_from_the_answers() {
    let combination = Combination {
        mongodb: "ec2",
        spot: true,
        bastion: true,
        environments: 3,
    };
    let tree = combination.render();
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
    let tree = Combination {
        mongodb: "ec2",
        spot: true,
        bastion: true,
        environments: 1,
    }
    .render();
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
    for (index, combination) in Combination::all().into_iter().enumerate() {
        for (path, text) in combination.render() {
            if !(path.starts_with("terraform/")
                && (path.ends_with(".tf") || path.ends_with(".hcl")))
            {
                continue;
            }
            // terraform fmt formats only .tf files: every file gets a .tf name of its own.
            let name = format!("{index:02}_{}.tf", path.replace('/', "_"));
            std::fs::write(folder.path().join(&name), &text).expect("write a copy");
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
