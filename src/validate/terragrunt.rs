//! Check 2, the Terragrunt graph. Reads every unit (a `terragrunt.hcl`) merged with the files it
//! includes as Terragrunt merges them (`_envcommon/<unit>.hcl`, `root.hcl`) into a [`Unit`],
//! evaluating paths statically in the unit's context ([`super::eval`]), then checks that every
//! `include`, `read_terragrunt_config` and `dependency` target exists, that an included file
//! does nothing Terragrunt refuses there, that dependencies form no cycle, and that
//! `dependency.X.outputs.Y` names an output of X's local module and a mocked one. A path that
//! cannot be evaluated is information, not an error.

use super::CheckKind;
use super::eval::{self, Scope, Value, show, tree_path};
use super::finding::Finding;
use super::terraform::{Module, Parsed, Site, label, start};
use super::tree::{Tree, parent};
use crate::suggest::did_you_mean;
use hcl::edit::expr::{Expression, FuncCall, Traversal, TraversalOperator};
use hcl::edit::structure::Body;
use hcl::edit::visit::{self, Visit};
use std::collections::{BTreeMap, BTreeSet};

const UNIT_FILE: &str = "terragrunt.hcl";

/// Where a unit's Terraform code comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Source {
    /// A folder of the repository (a tree path).
    Local(String),
    /// `tfr:///namespace/name/provider//modules/x?version=...`.
    Registry {
        address: String,
        submodule: String,
        version: Option<String>,
    },
    /// Git, HTTP, S3, an unknown or unset source: not checked.
    Other,
}

/// The keys of `inputs`, and whether some could not be known.
#[derive(Debug, Default, Clone)]
pub(crate) struct Inputs<'a> {
    pub keys: BTreeMap<String, Site<'a>>,
    /// Why the keys may be incomplete (`merge(local.x, ...)`).
    pub open: Option<String>,
    pub site: Option<Site<'a>>,
}

/// A resolved `dependency` block.
#[derive(Debug, Clone)]
pub(crate) struct Dependency<'a> {
    pub name: String,
    pub site: Site<'a>,
    /// The unit folder it points at, when that was evaluated and exists.
    pub target: Option<String>,
    /// The keys of its `mock_outputs`, when that is an object written out.
    pub mocks: Option<BTreeSet<String>>,
}

/// How an `include` block merges the file it includes (Terragrunt's `merge_strategy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MergeStrategy {
    /// `shallow`, the default: the unit's attributes, blocks of the same label and input keys
    /// replace the included file's.
    Shallow,
    /// `deep`: as shallow, but maps (inputs, `mock_outputs`) are merged key by key.
    Deep,
    /// `no_merge`: the file is only read (for `expose`).
    NoMerge,
}

/// An `include` block of a unit whose file exists.
#[derive(Debug, Clone)]
pub(crate) struct Include<'a> {
    pub label: String,
    /// The included file (a tree path).
    pub path: &'a str,
    pub expose: bool,
    pub merge: MergeStrategy,
}

/// One Terragrunt unit with what its includes add, merged as Terragrunt merges them.
#[derive(Debug, Clone)]
pub(crate) struct Unit<'a> {
    pub path: &'a str,
    pub dir: &'a str,
    pub source: Source,
    pub source_site: Option<Site<'a>>,
    /// The unit's own `inputs`.
    pub inputs: Inputs<'a>,
    /// The `inputs` of each file it includes and merges (Terragrunt adds their keys).
    pub included_inputs: Vec<Inputs<'a>>,
    /// Its `dependency` blocks and those of the files it merges, one per name: the one that wins.
    pub dependencies: Vec<Dependency<'a>>,
    /// Its `include` blocks whose files exist, in the order they are written.
    pub includes: Vec<Include<'a>>,
    /// The unit's file, then the files it merges from the one that wins most (the last include,
    /// as in Terragrunt) to the one that wins least: where its configuration comes from.
    pub merged: Vec<&'a str>,
}

impl<'a> Unit<'a> {
    /// The keys of every merged file's `inputs` but the unit's own.
    pub(crate) fn inherited_keys(&self) -> impl Iterator<Item = (&str, Site<'a>)> + '_ {
        self.included_inputs
            .iter()
            .flat_map(|inputs| inputs.keys.iter())
            .map(|(name, site)| (name.as_str(), *site))
    }

    /// Why the inputs of a merged file may be incomplete, if they may.
    pub(crate) fn inherited_open(&self) -> Option<&String> {
        self.included_inputs
            .iter()
            .find_map(|inputs| inputs.open.as_ref())
    }
}

/// Reads every unit, reporting unresolvable or missing targets along the way.
pub(crate) fn units<'a>(tree: &Tree<'a>, parsed: &Parsed<'a>) -> (Vec<Unit<'a>>, Vec<Finding>) {
    let mut findings = Vec::new();
    let units = parsed
        .files
        .iter()
        .filter(|(path, _)| *path == &UNIT_FILE || path.ends_with(&format!("/{UNIT_FILE}")))
        .map(|(path, file)| read_unit(tree, parsed, path, &file.body, &mut findings))
        .collect();
    (units, findings)
}

fn read_unit<'a>(
    tree: &Tree<'a>,
    parsed: &Parsed<'a>,
    path: &'a str,
    body: &Body,
    findings: &mut Vec<Finding>,
) -> Unit<'a> {
    let dir = parent(path);
    let scope = Scope {
        tree,
        unit_dir: dir,
        file: path,
        body,
    };
    let mut unit = Unit {
        path,
        dir,
        source: Source::Other,
        source_site: None,
        inputs: inputs(scope, path),
        included_inputs: Vec::new(),
        dependencies: Vec::new(),
        includes: read_includes(scope, parsed, findings),
        merged: Vec::new(),
    };
    // Terragrunt merges the last include first: a later include wins over an earlier one, and
    // the unit over all of them. The unit's own blocks replace same-named ones whatever the
    // strategy: it counts as a shallow merge.
    let merges: Vec<(&'a str, MergeStrategy)> = std::iter::once((path, MergeStrategy::Shallow))
        .chain(
            unit.includes
                .iter()
                .rev()
                .filter(|include| include.merge != MergeStrategy::NoMerge)
                .map(|include| (include.path, include.merge)),
        )
        .collect();
    unit.merged = merges.iter().map(|(file, _)| *file).collect();
    for include in &unit.includes {
        let Some(file) = parsed.get(include.path) else {
            continue;
        };
        let included = Scope {
            file: include.path,
            body: &file.body,
            ..scope
        };
        check_reads(included, file.text, dir, findings);
        check_included(included, file.text, findings);
    }
    check_reads(
        scope,
        parsed.get(path).map_or("", |file| file.text),
        dir,
        findings,
    );
    for (file, merge) in merges {
        let Some(parsed_file) = parsed.get(file) else {
            continue;
        };
        let file_scope = Scope {
            file,
            body: &parsed_file.body,
            ..scope
        };
        if file != path {
            unit.included_inputs.push(inputs(file_scope, file));
        }
        if unit.source_site.is_none() {
            read_source(file_scope, file, parsed_file.text, &mut unit, findings);
        }
        read_dependencies(
            file_scope,
            file,
            parsed_file.text,
            merge,
            &mut unit,
            findings,
        );
    }
    unit
}

/// The `include` blocks of a unit whose files exist; a finding for each that points nowhere.
fn read_includes<'a>(
    scope: Scope,
    parsed: &Parsed<'a>,
    findings: &mut Vec<Finding>,
) -> Vec<Include<'a>> {
    let path = scope.file;
    let text = parsed.get(path).map_or("", |file| file.text);
    let mut includes = Vec::new();
    for block in scope.body.get_blocks("include") {
        let Some(attribute) = block.body.get_attribute("path") else {
            continue;
        };
        let site = start(&attribute.value);
        let at = |finding: Finding| finding.at_offset(text, site);
        let name = label(block).unwrap_or("");
        let merge = match block.body.get_attribute("merge_strategy") {
            None => MergeStrategy::Shallow,
            Some(attribute) => match super::terraform::literal(&attribute.value).as_deref() {
                Some("shallow") => MergeStrategy::Shallow,
                Some("deep") => MergeStrategy::Deep,
                Some("no_merge") => MergeStrategy::NoMerge,
                Some(other) => {
                    findings.push(
                        Finding::error(
                            CheckKind::Terragrunt,
                            path,
                            format!(
                                "`include \"{name}\"`: `merge_strategy` is `{other}`; Terragrunt knows `shallow`, `deep` and `no_merge`"
                            ),
                        )
                        .at_offset(text, start(&attribute.value)),
                    );
                    MergeStrategy::Shallow
                }
                None => MergeStrategy::Shallow,
            },
        };
        let expose = block
            .body
            .get_attribute("expose")
            .is_some_and(|attribute| attribute.value.as_bool() == Some(true));
        match eval::string(scope, &attribute.value) {
            Value::Known(value) => match tree_path(&value, scope.unit_dir) {
                Some(target) if scope.tree.is_file(&target) => {
                    if let Some((target, _)) = parsed.files.get_key_value(target.as_str()) {
                        includes.push(Include {
                            label: name.to_owned(),
                            path: target,
                            expose,
                            merge,
                        });
                    }
                }
                Some(target) => {
                    let file_name = target.rsplit('/').next().unwrap_or(&target);
                    let siblings = scope
                        .tree
                        .files_in(parent(&target))
                        .map(|sibling| sibling.rsplit('/').next().unwrap_or(sibling));
                    findings.push(at(Finding::error(
                        CheckKind::Terragrunt,
                        path,
                        format!(
                            "`include \"{name}\"` points at `{target}`, which does not exist{}",
                            did_you_mean(file_name, siblings)
                        ),
                    )));
                }
                None => findings.push(at(Finding::error(
                    CheckKind::Terragrunt,
                    path,
                    format!(
                        "`include \"{name}\"` points at `{}`, outside the repository",
                        show(&value)
                    ),
                ))),
            },
            Value::Missing(why) => findings.push(at(Finding::error(
                CheckKind::Terragrunt,
                path,
                format!("`include \"{name}\"`: {why}"),
            ))),
            Value::Unknown(why) => findings.push(at(Finding::info(
                CheckKind::Terragrunt,
                path,
                format!("`include \"{name}\"` path depends on {why}; not checked"),
            ))),
        }
    }
    includes
}

/// What Terragrunt refuses in an included file: an `include` of its own (one level only), and
/// reading `include.*`, which only the unit that declares the includes can.
fn check_included(scope: Scope, text: &str, findings: &mut Vec<Finding>) {
    for block in scope.body.get_blocks("include") {
        findings.push(
            Finding::error(
                CheckKind::Terragrunt,
                scope.file,
                format!(
                    "`include \"{}\"` in a file that units include: Terragrunt supports one level of `include`",
                    label(block).unwrap_or("")
                ),
            )
            .at_offset(text, start(block))
            .help("include both files from the unit instead"),
        );
    }
    let mut references = IncludeReferences::default();
    references.visit_body(scope.body);
    for (offset, reference) in references.found {
        findings.push(
            Finding::error(
                CheckKind::Terragrunt,
                scope.file,
                format!(
                    "`{reference}` in a file that units include: only the unit that declares an `include` block can read it"
                ),
            )
            .at_offset(text, offset)
            .help("read the settings here with `read_terragrunt_config(find_in_parent_folders(\"env.hcl\"))` in `locals`"),
        );
    }
}

#[derive(Default)]
struct IncludeReferences {
    found: Vec<(usize, String)>,
}

impl Visit for IncludeReferences {
    fn visit_traversal(&mut self, node: &Traversal) {
        if let Expression::Variable(root) = &node.expr
            && root.as_str() == "include"
        {
            let mut reference = String::from("include");
            for operator in node.operators.iter().take(3) {
                match operator.value() {
                    TraversalOperator::GetAttr(name) => {
                        reference.push('.');
                        reference.push_str(name.as_str());
                    }
                    _ => break,
                }
            }
            self.found.push((start(node), reference));
        }
        visit::visit_traversal(self, node);
    }
}

/// The `dependency` and `dependencies` blocks of one merged file, in the unit's context. A
/// block whose name a file that wins more already gave is replaced (shallow merge) or adds its
/// mocks (deep merge).
fn read_dependencies<'a>(
    scope: Scope,
    file: &'a str,
    text: &str,
    merge: MergeStrategy,
    unit: &mut Unit<'a>,
    findings: &mut Vec<Finding>,
) {
    for block in scope.body.get_blocks("dependency") {
        let name = label(block).unwrap_or("").to_owned();
        let mocks = block
            .body
            .get_attribute("mock_outputs")
            .and_then(|attribute| match &attribute.value {
                Expression::Object(object) => Some(
                    object
                        .iter()
                        .filter_map(|(key, _)| super::terraform::key_name(key))
                        .collect::<BTreeSet<String>>(),
                ),
                _ => None,
            });
        if let Some(winner) = unit.dependencies.iter_mut().find(|d| d.name == name) {
            if merge == MergeStrategy::Deep
                && let (Some(winning), Some(mocks)) = (&mut winner.mocks, mocks)
            {
                winning.extend(mocks);
            }
            continue;
        }
        let site = Site {
            path: file,
            offset: start(block),
        };
        let target = block
            .body
            .get_attribute("config_path")
            .and_then(|attribute| {
                unit_target(
                    scope,
                    &attribute.value,
                    &format!("`dependency \"{name}\"`"),
                    text,
                    findings,
                )
            });
        unit.dependencies.push(Dependency {
            name,
            site,
            target,
            mocks,
        });
    }
    for block in scope.body.get_blocks("dependencies") {
        let Some(Expression::Array(paths)) = block
            .body
            .get_attribute("paths")
            .map(|attribute| &attribute.value)
        else {
            continue;
        };
        for expression in paths.iter() {
            let target = unit_target(scope, expression, "`dependencies`", text, findings);
            unit.dependencies.push(Dependency {
                name: String::new(),
                site: Site {
                    path: file,
                    offset: start(expression),
                },
                target,
                mocks: None,
            });
        }
    }
}

/// A `config_path` or `dependencies` path: the unit folder it names, or a finding.
fn unit_target(
    scope: Scope,
    expression: &Expression,
    what: &str,
    text: &str,
    findings: &mut Vec<Finding>,
) -> Option<String> {
    let from = included_by(scope);
    let at = |finding: Finding| finding.at_offset(text, start(expression));
    let value = match eval::string(scope, expression) {
        Value::Known(value) => value,
        Value::Missing(why) => {
            findings.push(at(Finding::error(
                CheckKind::Terragrunt,
                scope.file,
                format!("{what}: {why}{from}"),
            )));
            return None;
        }
        Value::Unknown(why) => {
            findings.push(at(Finding::info(
                CheckKind::Terragrunt,
                scope.file,
                format!("{what} path depends on {why}; not checked"),
            )));
            return None;
        }
    };
    let target = tree_path(&value, scope.unit_dir);
    match &target {
        Some(dir) if scope.tree.is_file(&format!("{dir}/{UNIT_FILE}")) => return target,
        Some(dir) if scope.tree.is_dir(dir) => findings.push(at(Finding::error(
            CheckKind::Terragrunt,
            scope.file,
            format!("{what} points at `{dir}`, which has no `{UNIT_FILE}`{from}"),
        ))),
        Some(dir) => {
            let siblings: Vec<&str> = scope
                .tree
                .subdirs(parent(dir))
                .into_iter()
                .filter(|name| {
                    scope
                        .tree
                        .is_file(&format!("{}/{name}/{UNIT_FILE}", parent(dir)))
                })
                .collect();
            let name = dir.rsplit('/').next().unwrap_or(dir);
            findings.push(at(Finding::error(
                CheckKind::Terragrunt,
                scope.file,
                format!(
                    "{what} points at `{dir}`, which does not exist{}{from}",
                    did_you_mean(name, siblings)
                ),
            )));
        }
        None => findings.push(at(Finding::error(
            CheckKind::Terragrunt,
            scope.file,
            format!(
                "{what} points at `{}`, outside the repository{from}",
                show(&value)
            ),
        ))),
    }
    None
}

/// ` (included by `<unit>`)` when the scope's file is not the unit's own, else nothing.
fn included_by(scope: Scope) -> String {
    if scope.file == format!("{}/{UNIT_FILE}", scope.unit_dir) {
        String::new()
    } else {
        format!(" (included by `{}/{UNIT_FILE}`)", scope.unit_dir)
    }
}

/// Every `read_terragrunt_config(...)` of a file reads an existing file (inside `try`, or with
/// a default, a missing file is fine).
fn check_reads(scope: Scope, text: &str, unit_dir: &str, findings: &mut Vec<Finding>) {
    let mut calls = ReadCalls::default();
    calls.visit_body(scope.body);
    let from = included_by(scope);
    for (offset, argument, tolerant) in calls.found {
        let at = |finding: Finding| finding.at_offset(text, offset);
        match eval::string(scope, &argument) {
            Value::Known(value) => {
                let target = tree_path(&value, unit_dir);
                if !target
                    .as_deref()
                    .is_some_and(|target| scope.tree.is_file(target))
                    && !tolerant
                {
                    findings.push(at(Finding::error(
                        CheckKind::Terragrunt,
                        scope.file,
                        format!(
                            "`read_terragrunt_config` reads `{}`, which does not exist{from}",
                            target.unwrap_or_else(|| show(&value))
                        ),
                    )));
                }
            }
            Value::Missing(why) if !tolerant => findings.push(at(Finding::error(
                CheckKind::Terragrunt,
                scope.file,
                format!("`read_terragrunt_config`: {why}{from}"),
            ))),
            Value::Missing(_) => {}
            Value::Unknown(why) => findings.push(at(Finding::info(
                CheckKind::Terragrunt,
                scope.file,
                format!("`read_terragrunt_config` path depends on {why}; not checked"),
            ))),
        }
    }
}

#[derive(Default)]
struct ReadCalls {
    /// Offset, path argument, and whether a missing file is tolerated.
    found: Vec<(usize, Expression, bool)>,
    inside_try: usize,
}

impl Visit for ReadCalls {
    fn visit_func_call(&mut self, node: &FuncCall) {
        let name = node.name.name.as_str();
        if name == "read_terragrunt_config"
            && let Some(argument) = node.args.iter().next()
        {
            let tolerant = self.inside_try > 0 || node.args.len() > 1;
            self.found.push((start(node), argument.clone(), tolerant));
        }
        let is_try = name == "try";
        self.inside_try += usize::from(is_try);
        visit::visit_func_call(self, node);
        self.inside_try -= usize::from(is_try);
    }
}

/// The unit's `terraform { source = ... }`, from the first file that sets it.
fn read_source<'a>(
    scope: Scope,
    file: &'a str,
    text: &str,
    unit: &mut Unit<'a>,
    findings: &mut Vec<Finding>,
) {
    let Some(attribute) = scope
        .body
        .get_blocks("terraform")
        .find_map(|block| block.body.get_attribute("source"))
    else {
        return;
    };
    let offset = start(&attribute.value);
    unit.source_site = Some(Site { path: file, offset });
    let at = |finding: Finding| finding.at_offset(text, offset);
    match eval::string(scope, &attribute.value) {
        Value::Known(value) => match classify_source(&value, scope.unit_dir) {
            Ok(Source::Local(dir))
                if !scope.tree.files_in(&dir).any(|path| path.ends_with(".tf")) =>
            {
                findings.push(at(Finding::error(
                    CheckKind::Terragrunt,
                    file,
                    format!("`terraform` `source` is `{dir}`, which holds no `.tf` file"),
                )));
            }
            Ok(source) => unit.source = source,
            Err(message) => findings.push(at(Finding::error(CheckKind::Terragrunt, file, message))),
        },
        Value::Missing(why) => findings.push(at(Finding::error(
            CheckKind::Terragrunt,
            file,
            format!("`terraform` `source`: {why}"),
        ))),
        Value::Unknown(why) => findings.push(at(Finding::info(
            CheckKind::Terragrunt,
            file,
            format!("`terraform` `source` depends on {why}; not checked"),
        ))),
    }
}

/// Tells a local folder, a registry module and other sources apart.
pub(crate) fn classify_source(value: &str, unit_dir: &str) -> Result<Source, String> {
    if let Some(rest) = value.strip_prefix("tfr://") {
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let path = path.split_once('/').map_or(path, |(_, path)| path);
        let (address, submodule) = path.split_once("//").unwrap_or((path, ""));
        let version = query
            .split('&')
            .find_map(|pair| pair.strip_prefix("version="))
            .map(str::to_owned);
        return Ok(Source::Registry {
            address: address.trim_matches('/').to_owned(),
            submodule: submodule.trim_matches('/').to_owned(),
            version,
        });
    }
    let is_remote = value.contains("::")
        || value.contains("://")
        || value.starts_with("git@")
        || value.starts_with("github.com/")
        || value.starts_with("bitbucket.org/");
    if is_remote {
        return Ok(Source::Other);
    }
    let path = value.split_once('?').map_or(value, |(path, _)| path);
    let joined = if let Some(rest) = path.strip_prefix(eval::ROOT) {
        format!("{}{}", eval::ROOT, rest.replace("//", "/"))
    } else {
        path.replace("//", "/")
    };
    tree_path(&joined, unit_dir)
        .map(Source::Local)
        .ok_or_else(|| {
            format!(
                "`terraform` `source` `{}` lies outside the repository",
                show(value)
            )
        })
}

/// The keys of a file's `inputs`.
fn inputs<'a>(scope: Scope, path: &'a str) -> Inputs<'a> {
    let Some(attribute) = scope.body.get_attribute("inputs") else {
        return Inputs::default();
    };
    let mut inputs = Inputs {
        site: Some(Site {
            path,
            offset: start(&attribute.key),
        }),
        ..Inputs::default()
    };
    object_keys(scope, path, &attribute.value, &mut inputs, 0);
    inputs
}

fn object_keys<'a>(
    scope: Scope,
    path: &'a str,
    expression: &Expression,
    inputs: &mut Inputs<'a>,
    depth: usize,
) {
    if depth > 8 {
        inputs.open = Some("deeply nested `local` values".into());
        return;
    }
    match expression {
        Expression::Object(object) => {
            for (key, _) in object.iter() {
                match super::terraform::key_name(key) {
                    Some(name) => {
                        inputs.keys.insert(
                            name,
                            Site {
                                path,
                                offset: start(key),
                            },
                        );
                    }
                    None => inputs.open = Some("a computed key".into()),
                }
            }
        }
        Expression::FuncCall(call) if call.name.name.as_str() == "merge" => {
            for argument in call.args.iter() {
                object_keys(scope, path, argument, inputs, depth + 1);
            }
        }
        Expression::Traversal(traversal) => match (&traversal.expr, traversal.operators.as_slice())
        {
            (Expression::Variable(root), [name]) if root.as_str() == "local" => {
                let value = match name.value() {
                    TraversalOperator::GetAttr(name) => {
                        eval::local_value(scope.body, name.as_str())
                    }
                    _ => None,
                };
                match value {
                    Some(value) => object_keys(scope, path, value, inputs, depth + 1),
                    None => inputs.open = Some(format!("`{}`", expression.to_string().trim())),
                }
            }
            // `include.root.inputs`: merged in anyway.
            (Expression::Variable(root), [_, last])
                if root.as_str() == "include"
                    && matches!(last.value(), TraversalOperator::GetAttr(name) if name.as_str() == "inputs") =>
                {}
            _ => inputs.open = Some(format!("`{}`", expression.to_string().trim())),
        },
        other => inputs.open = Some(format!("`{}`", other.to_string().trim())),
    }
}

/// Check 2 over the units read by [`units`]: cycles and dependency outputs.
pub(crate) fn check(
    parsed: &Parsed,
    units: &[Unit],
    modules: &BTreeMap<String, Module>,
) -> Vec<Finding> {
    let mut findings = cycles(parsed, units);
    findings.extend(outputs(parsed, units, modules));
    findings
}

fn cycles(parsed: &Parsed, units: &[Unit]) -> Vec<Finding> {
    let by_dir: BTreeMap<&str, &Unit> = units.iter().map(|unit| (unit.dir, unit)).collect();
    let mut findings = Vec::new();
    let mut reported: BTreeSet<Vec<&str>> = BTreeSet::new();
    // Depth-first search from every unit; a dependency on a unit still on the stack closes a cycle.
    for start_unit in units {
        let mut stack: Vec<(&str, usize)> = vec![(start_unit.dir, 0)];
        let mut on_path: Vec<&str> = vec![start_unit.dir];
        let mut done: BTreeSet<&str> = BTreeSet::new();
        while let Some((dir, index)) = stack.pop() {
            let targets: Vec<&str> = by_dir
                .get(dir)
                .map(|unit| {
                    unit.dependencies
                        .iter()
                        .filter_map(|d| d.target.as_deref())
                        .collect()
                })
                .unwrap_or_default();
            if index >= targets.len() {
                done.insert(dir);
                on_path.pop();
                continue;
            }
            stack.push((dir, index + 1));
            let next = targets[index];
            if let Some(position) = on_path.iter().position(|on| *on == next) {
                let cycle: Vec<&str> = on_path[position..].to_vec();
                let mut key = cycle.clone();
                key.sort_unstable();
                if reported.insert(key) {
                    let unit = by_dir[cycle[0]];
                    let dependency = unit
                        .dependencies
                        .iter()
                        .find(|d| {
                            d.target.as_deref() == Some(cycle.get(1).copied().unwrap_or(cycle[0]))
                        })
                        .map(|d| d.site);
                    let mut chain = cycle.join(" -> ");
                    chain.push_str(&format!(" -> {}", cycle[0]));
                    let mut finding = Finding::error(
                        CheckKind::Terragrunt,
                        dependency.map_or(unit.path, |site| site.path),
                        format!("dependency cycle: {chain}"),
                    )
                    .help("Terragrunt cannot order these units; remove one of the dependencies");
                    if let Some(site) = dependency
                        && let Some(file) = parsed.get(site.path)
                    {
                        finding = finding.at_offset(file.text, site.offset);
                    }
                    findings.push(finding);
                }
            } else if !done.contains(next) && by_dir.contains_key(next) {
                on_path.push(next);
                stack.push((next, 0));
            }
        }
    }
    findings
}

/// `dependency.X.outputs.Y` in a unit or a file it merges: X is a dependency of the unit, Y an
/// output of X's local module, and a key of X's `mock_outputs` when it has some.
fn outputs(parsed: &Parsed, units: &[Unit], modules: &BTreeMap<String, Module>) -> Vec<Finding> {
    let by_dir: BTreeMap<&str, &Unit> = units.iter().map(|unit| (unit.dir, unit)).collect();
    let mut findings = Vec::new();
    for unit in units {
        for path in &unit.merged {
            let Some(file) = parsed.get(path) else {
                continue;
            };
            let mut collector = DependencyReferences::default();
            collector.visit_body(&file.body);
            for (offset, name, output) in collector.found {
                let at = |finding: Finding| finding.at_offset(file.text, offset);
                let from = if *path == unit.path {
                    String::new()
                } else {
                    format!(" (included by `{}`)", unit.path)
                };
                let Some(dependency) = unit.dependencies.iter().find(|d| d.name == name) else {
                    let names = unit.dependencies.iter().map(|d| d.name.as_str());
                    findings.push(at(Finding::error(
                        CheckKind::Terragrunt,
                        *path,
                        format!(
                            "`dependency.{name}`: there is no `dependency \"{name}\"` block{}{from}",
                            did_you_mean(&name, names)
                        ),
                    )));
                    continue;
                };
                let Some(output) = output else { continue };
                let module = dependency
                    .target
                    .as_deref()
                    .and_then(|target| by_dir.get(target))
                    .and_then(|target| match &target.source {
                        Source::Local(dir) => modules.get(dir),
                        _ => None,
                    });
                if let Some(module) = module
                    && !module.outputs.contains_key(&output)
                {
                    findings.push(at(Finding::error(
                        CheckKind::Terragrunt,
                        *path,
                        format!(
                            "`dependency.{name}.outputs.{output}`: module `{}` has no output `{output}`{}",
                            module.dir,
                            did_you_mean(&output, module.outputs.keys().map(String::as_str))
                        ),
                    )));
                } else if let Some(mocks) = &dependency.mocks
                    && !mocks.contains(&output)
                {
                    findings.push(
                        at(Finding::error(
                            CheckKind::Terragrunt,
                            *path,
                            format!(
                                "`dependency.{name}.outputs.{output}`: `dependency \"{name}\"` has no mock of `{output}`{}, so a plan before `{name}` is applied fails",
                                did_you_mean(&output, mocks.iter().map(String::as_str))
                            ),
                        ))
                        .help(format!("add `{output} = ...` to its `mock_outputs`")),
                    );
                }
            }
        }
    }
    findings
}

#[derive(Default)]
struct DependencyReferences {
    /// Offset, dependency name, output name (when the reference goes as far).
    found: Vec<(usize, String, Option<String>)>,
}

impl Visit for DependencyReferences {
    fn visit_traversal(&mut self, node: &Traversal) {
        if let Expression::Variable(root) = &node.expr
            && root.as_str() == "dependency"
        {
            let names: Vec<&str> = node
                .operators
                .iter()
                .map(|operator| match operator.value() {
                    TraversalOperator::GetAttr(name) => name.as_str(),
                    _ => "",
                })
                .collect();
            if let Some(name) = names.first().filter(|name| !name.is_empty()) {
                let output = match names.get(1..3) {
                    Some(["outputs", output]) if !output.is_empty() => Some((*output).to_owned()),
                    _ => None,
                };
                self.found.push((start(node), (*name).to_owned(), output));
            }
        }
        visit::visit_traversal(self, node);
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::finding::Severity;
    use crate::validate::fixture::{self, terraform_findings};

    const EKS: &str = "terraform/environments/prod/eks/terragrunt.hcl";
    const VPC: &str = "terraform/environments/prod/vpc/terragrunt.hcl";

    fn messages(files: &std::collections::BTreeMap<String, Vec<u8>>) -> Vec<String> {
        terraform_findings(files)
            .iter()
            .map(|f| {
                format!(
                    "{}:{}: {}: {}",
                    f.path,
                    f.line.unwrap_or(0),
                    f.severity.as_str(),
                    f.message
                )
            })
            .collect()
    }

    #[test]
    fn a_dependency_on_a_missing_folder_is_named() {
        let files = fixture::with(EKS, &fixture::EKS_UNIT.replace("\"../vpc\"", "\"../vcp\""));
        assert_eq!(
            messages(&files),
            [format!(
                "{EKS}:10: error: `dependency \"vpc\"` points at `terraform/environments/prod/vcp`, which does not exist (did you mean `vpc`?)"
            )]
        );
    }

    #[test]
    fn a_missing_include_and_read_are_named_but_try_is_tolerated() {
        let mut files = fixture::files();
        files.remove("terraform/global.hcl");
        files.remove("terraform/environments/prod/env.hcl");
        let found = messages(&fixture::bytes(files));
        // One finding per unit that includes root.hcl; env.hcl is read inside `try`.
        assert_eq!(found.len(), 3, "{found:#?}");
        assert!(found.iter().all(|m| m.starts_with("terraform/root.hcl:2: error: `read_terragrunt_config`: `find_in_parent_folders(\"global.hcl\")` finds no `global.hcl`")), "{found:#?}");
        let files = fixture::with(
            VPC,
            &fixture::VPC_UNIT.replace("\"root.hcl\"", "\"base.hcl\""),
        );
        let found = messages(&files);
        assert!(
            found[0].starts_with(&format!(
                "{VPC}:2: error: `include \"root\"`: `find_in_parent_folders(\"base.hcl\")`"
            )),
            "{found:#?}"
        );
    }

    #[test]
    fn cycles_are_reported_once() {
        let vpc = fixture::VPC_UNIT.replace(
            "inputs = {",
            "dependency \"eks\" {\n  config_path = \"../eks\"\n}\n\ninputs = {",
        );
        let files = fixture::with(VPC, &vpc);
        let found = messages(&files);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(
            found[0].contains("dependency cycle: terraform/environments/prod/"),
            "{found:#?}"
        );
    }

    #[test]
    fn dependency_outputs_must_exist() {
        let files = fixture::with(
            EKS,
            &fixture::EKS_UNIT.replace("outputs.vpc_id", "outputs.vpcid"),
        );
        assert_eq!(
            messages(&files),
            [format!(
                "{EKS}:14: error: `dependency.vpc.outputs.vpcid`: module `terraform/modules/vpc` has no output `vpcid` (did you mean `vpc_id`?)"
            )]
        );
        let files = fixture::with(
            EKS,
            &fixture::EKS_UNIT.replace("dependency.vpc.outputs", "dependency.network.outputs"),
        );
        assert!(messages(&files)[0].contains("there is no `dependency \"network\"` block"));
    }

    #[test]
    fn unresolvable_paths_are_information() {
        let files = fixture::with(
            EKS,
            &fixture::EKS_UNIT.replace("\"../vpc\"", "run_cmd(\"pick\")"),
        );
        let findings = terraform_findings(&files);
        assert_eq!(findings.len(), 1, "{findings:#?}");
        assert_eq!(findings[0].severity, Severity::Info);
        assert!(findings[0].message.contains("`run_cmd()`"), "{findings:#?}");
    }

    const COMMON: &str = "terraform/_envcommon/eks.hcl";

    #[test]
    fn a_unit_takes_source_dependencies_and_inputs_from_its_envcommon_file() {
        let files = fixture::bytes(fixture::envcommon_files());
        let tree = crate::validate::Tree::from_files(&files);
        let parsed = crate::validate::terraform::Parsed::parse(&tree);
        let (units, findings) = super::units(&tree, &parsed);
        assert!(findings.is_empty(), "{findings:#?}");
        let dev = units
            .iter()
            .find(|unit| unit.dir == "terraform/environments/dev/eks")
            .unwrap();
        assert_eq!(
            dev.source,
            super::Source::Local("terraform/modules/eks".into())
        );
        assert_eq!(dev.merged, [DEV_EKS, COMMON, "terraform/root.hcl"]);
        let targets: Vec<_> = dev
            .dependencies
            .iter()
            .map(|d| d.target.as_deref())
            .collect();
        assert_eq!(targets, [Some("terraform/environments/dev/vpc")]);
        assert!(
            dev.inherited_keys()
                .any(|(name, site)| name == "vpc_id" && site.path == COMMON)
        );
    }

    const DEV_EKS: &str = "terraform/environments/dev/eks/terragrunt.hcl";

    #[test]
    fn a_dependency_of_an_envcommon_file_on_a_missing_unit_is_named_for_each_unit() {
        let files = fixture::envcommon_with(
            COMMON,
            &fixture::ENVCOMMON_EKS.replace("/../vpc\"", "/../vcp\""),
        );
        assert_eq!(
            messages(&files),
            [
                format!(
                    "{COMMON}:10: error: `dependency \"vpc\"` points at `terraform/environments/dev/vcp`, which does not exist (did you mean `vpc`?) (included by `{DEV_EKS}`)"
                ),
                format!(
                    "{COMMON}:10: error: `dependency \"vpc\"` points at `terraform/environments/prod/vcp`, which does not exist (did you mean `vpc`?) (included by `{EKS}`)"
                ),
            ]
        );
    }

    #[test]
    fn a_unit_that_includes_a_missing_envcommon_file_is_named() {
        let files = fixture::envcommon_with(
            EKS,
            &fixture::SHORT_EKS_UNIT.replace("_envcommon/eks.hcl", "_envcommon/eksc.hcl"),
        );
        let found = messages(&files);
        assert!(
            found.contains(&format!(
                "{EKS}:7: error: `include \"envcommon\"` points at `terraform/_envcommon/eksc.hcl`, which does not exist (did you mean `eks.hcl`?)"
            )),
            "{found:#?}"
        );
    }

    #[test]
    fn outputs_and_mocks_read_in_an_envcommon_file_are_checked_once() {
        let files = fixture::envcommon_with(
            COMMON,
            &fixture::ENVCOMMON_EKS.replace("outputs.vpc_id", "outputs.vpcid"),
        );
        assert_eq!(
            messages(&files),
            [format!(
                "{COMMON}:17: error: `dependency.vpc.outputs.vpcid`: module `terraform/modules/vpc` has no output `vpcid` (did you mean `vpc_id`?)"
            )]
        );
        let files = fixture::envcommon_with(
            COMMON,
            &fixture::ENVCOMMON_EKS.replace("    vpc_id = \"vpc-", "    vpcid = \"vpc-"),
        );
        assert_eq!(
            messages(&files),
            [format!(
                "{COMMON}:17: error: `dependency.vpc.outputs.vpc_id`: `dependency \"vpc\"` has no mock of `vpc_id` (did you mean `vpcid`?), so a plan before `vpc` is applied fails"
            )]
        );
    }

    #[test]
    fn a_unit_block_replaces_the_envcommon_block_of_the_same_name() {
        // prod's eks depends on dev's vpc: its own block wins over the common one.
        let unit = fixture::SHORT_EKS_UNIT.replace(
            "inputs = {",
            "dependency \"vpc\" {\n  config_path = \"../../dev/vpc\"\n}\n\ninputs = {",
        );
        let files = fixture::envcommon_with(EKS, &unit);
        assert!(messages(&files).is_empty(), "{:#?}", messages(&files));
        let tree = crate::validate::Tree::from_files(&files);
        let parsed = crate::validate::terraform::Parsed::parse(&tree);
        let (units, _) = super::units(&tree, &parsed);
        let prod = units.iter().find(|unit| unit.path == EKS).unwrap();
        assert_eq!(prod.dependencies.len(), 1);
        assert_eq!(
            prod.dependencies[0].target.as_deref(),
            Some("terraform/environments/dev/vpc")
        );
        // Its block has no mocks, so the common file's reading of `vpc_id` is not checked
        // against any.
        assert!(prod.dependencies[0].mocks.is_none());
    }

    #[test]
    fn what_terragrunt_refuses_in_an_included_file_is_named() {
        let common = fixture::ENVCOMMON_EKS
            .replace("${local.env.name}", "${include.root.locals.env.name}")
            .replace(
                "terraform {",
                "include \"root\" {\n  path = find_in_parent_folders(\"root.hcl\")\n}\n\nterraform {",
            );
        let found = messages(&fixture::envcommon_with(COMMON, &common));
        assert!(
            found.contains(&format!("{COMMON}:5: error: `include \"root\"` in a file that units include: Terragrunt supports one level of `include`")),
            "{found:#?}"
        );
        assert!(
            found.contains(&format!("{COMMON}:16: error: `include.root.locals.env` in a file that units include: only the unit that declares an `include` block can read it")),
            "{found:#?}"
        );
    }

    #[test]
    fn a_setting_an_envcommon_file_reads_must_exist_in_each_environment() {
        let files = fixture::envcommon_with(
            "terraform/environments/dev/env.hcl",
            "locals {\n  nmae = \"dev\"\n}\n",
        );
        assert_eq!(
            messages(&files),
            [format!(
                "{COMMON}:12: error: `local.env.name`: `terraform/environments/dev/env.hcl` defines no local `name` (did you mean `nmae`?)"
            )]
        );
    }

    #[test]
    fn a_no_merge_include_adds_nothing_and_a_wrong_strategy_is_named() {
        let unit = fixture::SHORT_EKS_UNIT.replace(
            "/_envcommon/eks.hcl\"",
            "/_envcommon/eks.hcl\"\n  merge_strategy = \"no_merge\"",
        );
        let found = messages(&fixture::envcommon_with(EKS, &unit));
        assert!(found.is_empty(), "{found:#?}");
        let files = fixture::envcommon_with(EKS, &unit);
        let tree = crate::validate::Tree::from_files(&files);
        let parsed = crate::validate::terraform::Parsed::parse(&tree);
        let (units, _) = super::units(&tree, &parsed);
        let prod = units.iter().find(|unit| unit.path == EKS).unwrap();
        assert!(prod.dependencies.is_empty() && prod.source == super::Source::Other);
        let unit = fixture::SHORT_EKS_UNIT.replace(
            "/_envcommon/eks.hcl\"",
            "/_envcommon/eks.hcl\"\n  merge_strategy = \"deeep\"",
        );
        let found = messages(&fixture::envcommon_with(EKS, &unit));
        assert_eq!(
            found,
            [format!(
                "{EKS}:8: error: `include \"envcommon\"`: `merge_strategy` is `deeep`; Terragrunt knows `shallow`, `deep` and `no_merge`"
            )]
        );
    }

    #[test]
    fn sources_are_classified() {
        use super::{Source, classify_source};
        assert_eq!(
            classify_source(
                "tfr:///terraform-aws-modules/vpc/aws//modules/x?version=6.6.0",
                "a"
            ),
            Ok(Source::Registry {
                address: "terraform-aws-modules/vpc/aws".into(),
                submodule: "modules/x".into(),
                version: Some("6.6.0".into())
            })
        );
        assert_eq!(
            classify_source("git::https://example.com/m.git?ref=v1", "a"),
            Ok(Source::Other)
        );
        assert_eq!(
            classify_source("../../modules//vpc", "t/e/p"),
            Ok(Source::Local("t/modules/vpc".into()))
        );
        assert!(classify_source("../../../..", "a").is_err());
    }
}
