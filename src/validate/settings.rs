//! Check 2, the settings Terragrunt files read: in a unit and in every file it includes, each
//! `local.x` is defined in that file, and each setting read through a local that holds
//! `read_terragrunt_config(...)` (`local.env.x`, `include.root.locals.env.x`) exists in the file
//! read, evaluated for the unit (each environment's `env.hcl` on its own). Pure.

use super::CheckKind;
use super::eval::{self, Scope, Value, tree_path};
use super::finding::Finding;
use super::terraform::{Parsed, key_name, label, start};
use super::terragrunt::Unit;
use super::tree::Tree;
use crate::suggest::did_you_mean;
use hcl::edit::expr::{Expression, Traversal, TraversalOperator};
use hcl::edit::structure::Body;
use hcl::edit::visit::{self, Visit};

/// The settings of every unit and the files it includes.
pub(crate) fn check(tree: &Tree, parsed: &Parsed, units: &[Unit]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for unit in units {
        let files = std::iter::once(unit.path).chain(unit.includes.iter().map(|i| i.path));
        for path in files {
            let Some(file) = parsed.get(path) else {
                continue;
            };
            let scope = Scope {
                tree,
                unit_dir: unit.dir,
                file: path,
                body: &file.body,
            };
            let mut references = References::default();
            references.visit_body(&file.body);
            for (offset, root, names) in references.found {
                let at = |finding: Finding| finding.at_offset(file.text, offset);
                let found = match root {
                    Root::Local => local(scope, parsed, &names),
                    Root::Include if path == unit.path => include(scope, parsed, unit, &names),
                    // Reading `include.*` in an included file is reported with the includes.
                    Root::Include => None,
                };
                if let Some(message) = found {
                    findings.push(at(Finding::error(CheckKind::Terragrunt, path, message)));
                }
            }
        }
    }
    findings
}

/// `local.<name>...` in the file of `scope`: what is wrong with it, if anything.
fn local(scope: Scope, parsed: &Parsed, names: &[String]) -> Option<String> {
    let name = names.first()?;
    let Some(value) = eval::local_value(scope.body, name) else {
        return Some(format!(
            "`local.{name}`: no `locals` block of this file defines `{name}`{}",
            did_you_mean(name, local_names(scope.body))
        ));
    };
    setting(scope, parsed, value, &format!("local.{name}"), &names[1..])
}

/// `include.<label>...` in a unit's own file.
fn include(scope: Scope, parsed: &Parsed, unit: &Unit, names: &[String]) -> Option<String> {
    let wanted = names.first()?;
    let labels: Vec<&str> = scope
        .body
        .get_blocks("include")
        .filter_map(|block| label(block))
        .collect();
    if !labels.contains(&wanted.as_str()) {
        return Some(format!(
            "`include.{wanted}`: there is no `include \"{wanted}\"` block{}",
            did_you_mean(wanted, labels)
        ));
    }
    // An include whose file is missing is reported where it is read.
    let included = unit.includes.iter().find(|i| &i.label == wanted)?;
    if !included.expose {
        return Some(format!(
            "`include.{wanted}`: the `include \"{wanted}\"` block does not set `expose = true`, so its values cannot be read"
        ));
    }
    let [_, locals, name, rest @ ..] = names else {
        return None;
    };
    if locals != "locals" {
        return None;
    }
    let file = parsed.get(included.path)?;
    let Some(value) = eval::local_value(&file.body, name) else {
        return Some(format!(
            "`include.{wanted}.locals.{name}`: `{}` defines no local `{name}`{}",
            included.path,
            did_you_mean(name, local_names(&file.body))
        ));
    };
    let included_scope = Scope {
        file: included.path,
        body: &file.body,
        ..scope
    };
    setting(
        included_scope,
        parsed,
        value,
        &format!("include.{wanted}.locals.{name}"),
        rest,
    )
}

/// `<reference>.<rest>` where `<reference>` is `value`: when that value reads a Terragrunt file,
/// the first name of `rest` (after `locals`) must be one of its locals, and the second a key of
/// that local when it is an object written out.
fn setting(
    scope: Scope,
    parsed: &Parsed,
    value: &Expression,
    reference: &str,
    rest: &[String],
) -> Option<String> {
    let (read, with_locals) = read_config(scope, value, false)?;
    let keys = if with_locals {
        rest
    } else {
        match rest {
            [locals, keys @ ..] if locals == "locals" => keys,
            _ => return None,
        }
    };
    let key = keys.first()?;
    // A file read inside `try` may be missing on purpose (root.hcl's `env` in shared units, used
    // behind `local.env == null ? ...`): nothing to check then.
    let Read::File(path) = read else {
        return None;
    };
    let body = &parsed.get(&path)?.body;
    let Some(value) = eval::local_value(body, key) else {
        return Some(format!(
            "`{reference}.{key}`: `{path}` defines no local `{key}`{}",
            did_you_mean(key, local_names(body))
        ));
    };
    let (Some(sub), Expression::Object(object)) = (keys.get(1), value) else {
        return None;
    };
    let entries: Vec<String> = object
        .iter()
        .filter_map(|(name, _)| key_name(name))
        .collect();
    (!entries.contains(sub)).then(|| {
        format!(
            "`{reference}.{key}.{sub}`: `{key}` in `{path}` has no key `{sub}`{}",
            did_you_mean(sub, entries.iter().map(String::as_str))
        )
    })
}

fn local_names(body: &Body) -> Vec<&str> {
    body.get_blocks("locals")
        .flat_map(|block| block.body.attributes())
        .map(|attribute| attribute.key.as_str())
        .collect()
}

/// The file a `read_terragrunt_config` reads.
enum Read {
    File(String),
    /// Not found, and tolerated (inside `try`, or with a default).
    Missing,
}

/// When `value` is `read_terragrunt_config(path)`, its `.locals`, or either inside `try(...)`:
/// the file read, and whether `.locals` was taken already. `tolerant`: inside `try`.
fn read_config(scope: Scope, value: &Expression, tolerant: bool) -> Option<(Read, bool)> {
    match value {
        Expression::Parenthesis(inner) => read_config(scope, inner.inner(), tolerant),
        Expression::FuncCall(call) if call.name.name.as_str() == "try" => {
            read_config(scope, call.args.iter().next()?, true)
        }
        Expression::FuncCall(call) if call.name.name.as_str() == "read_terragrunt_config" => {
            let argument = call.args.iter().next()?;
            let tolerant = tolerant || call.args.len() > 1;
            let read = match eval::string(scope, argument) {
                Value::Known(value) => match tree_path(&value, scope.unit_dir) {
                    Some(path) if scope.tree.is_file(&path) => Read::File(path),
                    // A missing file is reported with the reads.
                    _ => return None,
                },
                Value::Missing(_) if tolerant => Read::Missing,
                Value::Missing(_) | Value::Unknown(_) => return None,
            };
            Some((read, false))
        }
        Expression::Traversal(traversal) => match traversal.operators.as_slice() {
            [only] if matches!(only.value(), TraversalOperator::GetAttr(name) if name.as_str() == "locals") =>
            {
                let (read, with_locals) = read_config(scope, &traversal.expr, tolerant)?;
                (!with_locals).then_some((read, true))
            }
            _ => None,
        },
        _ => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Root {
    Local,
    Include,
}

/// Every `local.a.b...` and `include.a.b...`: offset, root, the names after it.
#[derive(Default)]
struct References {
    found: Vec<(usize, Root, Vec<String>)>,
}

impl Visit for References {
    fn visit_traversal(&mut self, node: &Traversal) {
        let root = match &node.expr {
            Expression::Variable(variable) if variable.as_str() == "local" => Some(Root::Local),
            Expression::Variable(variable) if variable.as_str() == "include" => Some(Root::Include),
            _ => None,
        };
        if let Some(root) = root {
            let names: Vec<String> = node
                .operators
                .iter()
                .map_while(|operator| match operator.value() {
                    TraversalOperator::GetAttr(name) => Some(name.as_str().to_owned()),
                    _ => None,
                })
                .collect();
            if !names.is_empty() {
                self.found.push((start(node), root, names));
            }
        }
        visit::visit_traversal(self, node);
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::fixture::{self, messages};

    const VPC: &str = "terraform/environments/prod/vpc/terragrunt.hcl";

    #[test]
    fn settings_read_through_the_root_include_must_exist() {
        let files = fixture::with(
            VPC,
            &fixture::VPC_UNIT.replace("name = \"prod\"", "name = include.root.locals.env.nmae"),
        );
        assert_eq!(
            messages(&files),
            [format!(
                "{VPC}:11: `include.root.locals.env.nmae`: `terraform/environments/prod/env.hcl` defines no local `nmae` (did you mean `name`?)"
            )]
        );
    }

    #[test]
    fn an_include_read_without_expose_or_label_is_named() {
        let eks = "terraform/environments/prod/eks/terragrunt.hcl";
        let files = fixture::with(
            eks,
            &fixture::EKS_UNIT.replace(
                "vpc_id = dependency.vpc.outputs.vpc_id",
                "vpc_id = dependency.vpc.outputs.vpc_id\n  x      = include.root.locals.env.name\n  y      = include.roots.locals",
            ),
        );
        let found = messages(&files);
        assert!(
            found.iter().any(|m| m.contains(
                "`include.root`: the `include \"root\"` block does not set `expose = true`"
            )),
            "{found:#?}"
        );
        assert!(
            found.iter().any(|m| m.contains(
                "`include.roots`: there is no `include \"roots\"` block (did you mean `root`?)"
            )),
            "{found:#?}"
        );
    }

    #[test]
    fn a_local_a_file_does_not_define_is_named() {
        let files = fixture::with(
            "terraform/root.hcl",
            &fixture::ROOT_HCL.replace("local.global.tags", "local.globl.tags"),
        );
        let found = messages(&files);
        assert!(
            found
                .iter()
                .all(|m| m == "terraform/root.hcl:7: `local.globl`: no `locals` block of this file defines `globl` (did you mean `global`?)"),
            "{found:#?}"
        );
        assert!(!found.is_empty());
    }
}
