//! Static evaluation of the path expressions Terragrunt configurations use: string templates,
//! `local.x`, `find_in_parent_folders`, `get_terragrunt_dir`, `get_repo_root`, `try`, `format`.
//! Whatever needs a real run (other functions, `dependency.*`, variables) is [`Value::Unknown`].
//! Paths are evaluated with the repository root at [`ROOT`], as Terragrunt would see them.

use super::terraform::literal;
use super::tree::{Tree, join, parent};
use hcl::edit::expr::{Expression, TraversalOperator};
use hcl::edit::structure::Body;
use hcl::edit::template::Element;

/// Where the repository root appears in evaluated paths.
pub(crate) const ROOT: &str = "/<repository>";
/// How deep `local.x` references may nest before evaluation gives up.
const MAX_DEPTH: usize = 16;

/// The result of evaluating an expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Value {
    Known(String),
    /// A lookup that Terragrunt would fail on (e.g. `find_in_parent_folders` found nothing).
    Missing(String),
    /// Cannot be known without running Terragrunt: why.
    Unknown(String),
}

/// What an expression is evaluated against: the unit being configured and the file that holds
/// the expression (the unit's own file or one it includes).
#[derive(Clone, Copy)]
pub(crate) struct Scope<'s, 'a> {
    pub tree: &'s Tree<'a>,
    /// The folder of the unit's `terragrunt.hcl`.
    pub unit_dir: &'s str,
    /// The file holding the expression.
    pub file: &'s str,
    /// That file's body, for `local.x`.
    pub body: &'s Body,
}

pub(crate) fn evaluate(scope: Scope, expression: &Expression) -> Value {
    evaluate_at(scope, expression, 0)
}

fn evaluate_at(scope: Scope, expression: &Expression, depth: usize) -> Value {
    if depth > MAX_DEPTH {
        return Value::Unknown("`local` values nest too deep".into());
    }
    match expression {
        Expression::String(text) => Value::Known(text.value().clone()),
        Expression::StringTemplate(template) => {
            let mut text = String::new();
            for element in template.iter() {
                match element {
                    Element::Literal(literal) => text.push_str(literal.value()),
                    Element::Interpolation(interpolation) => {
                        match evaluate_at(scope, &interpolation.expr, depth + 1) {
                            Value::Known(value) => text.push_str(&value),
                            other => return other,
                        }
                    }
                    Element::Directive(_) => {
                        return Value::Unknown("a template directive".into());
                    }
                }
            }
            Value::Known(text)
        }
        Expression::Parenthesis(inner) => evaluate_at(scope, inner.inner(), depth + 1),
        Expression::FuncCall(call) => {
            let name = call.name.name.as_str();
            let arguments: Vec<&Expression> = call.args.iter().collect();
            function(scope, name, &arguments, depth)
        }
        Expression::Traversal(traversal) => {
            let local = match (&traversal.expr, traversal.operators.as_slice()) {
                (Expression::Variable(root), [only]) if root.as_str() == "local" => {
                    match only.value() {
                        TraversalOperator::GetAttr(name) => Some(name.as_str()),
                        _ => None,
                    }
                }
                _ => None,
            };
            match local.and_then(|name| local_value(scope.body, name)) {
                Some(value) => evaluate_at(scope, value, depth + 1),
                None => Value::Unknown(format!("`{}`", expression.to_string().trim())),
            }
        }
        other => Value::Unknown(format!("`{}`", other.to_string().trim())),
    }
}

/// The expression of `local.<name>` in a body's `locals` blocks.
pub(crate) fn local_value<'b>(body: &'b Body, name: &str) -> Option<&'b Expression> {
    body.get_blocks("locals")
        .find_map(|block| block.body.get_attribute(name))
        .map(|attribute| &attribute.value)
}

fn function(scope: Scope, name: &str, arguments: &[&Expression], depth: usize) -> Value {
    let argument = |index: usize| {
        arguments
            .get(index)
            .map(|expression| evaluate_at(scope, expression, depth + 1))
    };
    match name {
        "get_terragrunt_dir" | "get_original_terragrunt_dir" => {
            Value::Known(absolute(scope.unit_dir))
        }
        "get_repo_root" => Value::Known(ROOT.to_owned()),
        "get_path_from_repo_root" => Value::Known(scope.unit_dir.to_owned()),
        "get_path_to_repo_root" => {
            let depth = scope
                .unit_dir
                .split('/')
                .filter(|part| !part.is_empty())
                .count();
            Value::Known(if depth == 0 {
                ".".to_owned()
            } else {
                vec![".."; depth].join("/")
            })
        }
        "get_parent_terragrunt_dir"
            if scope.file != format!("{}/terragrunt.hcl", scope.unit_dir) =>
        {
            Value::Known(absolute(parent(scope.file)))
        }
        "find_in_parent_folders" => {
            let wanted = match argument(0) {
                None => "terragrunt.hcl".to_owned(),
                Some(Value::Known(wanted)) => wanted,
                Some(other) => return other,
            };
            match find_in_parent_folders(scope.tree, scope.unit_dir, &wanted) {
                Some(found) => Value::Known(absolute(&found)),
                None => match argument(1) {
                    Some(fallback) => fallback,
                    None => Value::Missing(format!(
                        "`find_in_parent_folders(\"{wanted}\")` finds no `{wanted}` above `{}`",
                        scope.unit_dir
                    )),
                },
            }
        }
        "dirname" | "basename" | "abspath" => {
            let value = match argument(0) {
                Some(Value::Known(value)) => value,
                Some(other) => return other,
                None => return Value::Unknown(format!("`{name}()` without an argument")),
            };
            let trimmed = value.trim_end_matches('/');
            Value::Known(match name {
                "dirname" => trimmed
                    .rsplit_once('/')
                    .map_or(".", |(dir, _)| dir)
                    .to_owned(),
                "basename" => trimmed.rsplit('/').next().unwrap_or_default().to_owned(),
                _ if value.starts_with('/') => value,
                _ => join(scope.unit_dir, &value).map_or(value, |path| absolute(&path)),
            })
        }
        "try" => {
            for index in 0..arguments.len() {
                match argument(index) {
                    Some(Value::Missing(_)) => continue,
                    Some(value) => return value,
                    None => break,
                }
            }
            Value::Unknown("`try` with no argument that evaluates".into())
        }
        "format" => {
            let Some(Value::Known(pattern)) = argument(0) else {
                return Value::Unknown("`format` with an unknown pattern".into());
            };
            let mut values = Vec::new();
            for index in 1..arguments.len() {
                match argument(index) {
                    Some(Value::Known(value)) => values.push(value),
                    Some(other) => return other,
                    None => {}
                }
            }
            format_strings(&pattern, &values).map_or_else(
                || Value::Unknown("`format` beyond `%s`".into()),
                Value::Known,
            )
        }
        other => Value::Unknown(format!("`{other}()`")),
    }
}

/// Terragrunt's `find_in_parent_folders`: the first `<folder>/<wanted>` from the unit's parent
/// folder up to the root, as a tree path.
pub(crate) fn find_in_parent_folders(tree: &Tree, unit_dir: &str, wanted: &str) -> Option<String> {
    let mut dir = unit_dir;
    while !dir.is_empty() {
        dir = parent(dir);
        let candidate = join(dir, wanted)?;
        if tree.exists(&candidate) {
            return Some(candidate);
        }
    }
    None
}

fn format_strings(pattern: &str, values: &[String]) -> Option<String> {
    let mut text = String::new();
    let mut values = values.iter();
    let mut rest = pattern;
    while let Some(index) = rest.find('%') {
        text.push_str(&rest[..index]);
        let after = &rest[index + 1..];
        if let Some(tail) = after.strip_prefix('s') {
            text.push_str(values.next()?);
            rest = tail;
        } else if let Some(tail) = after.strip_prefix('%') {
            text.push('%');
            rest = tail;
        } else {
            return None;
        }
    }
    text.push_str(rest);
    Some(text)
}

fn absolute(path: &str) -> String {
    if path.is_empty() {
        ROOT.to_owned()
    } else {
        format!("{ROOT}/{path}")
    }
}

/// An evaluated path as a tree path: relative paths are relative to `base_dir`; `None` when
/// it is absolute outside the repository or climbs above its root.
pub(crate) fn tree_path(value: &str, base_dir: &str) -> Option<String> {
    if let Some(rest) = value.strip_prefix(ROOT)
        && (rest.is_empty() || rest.starts_with('/'))
    {
        return join("", rest);
    }
    if value.starts_with('/') {
        return None;
    }
    join(base_dir, value)
}

/// A finished path for messages: tree paths as they are, else the text.
pub(crate) fn show(value: &str) -> String {
    value
        .strip_prefix(ROOT)
        .map(|rest| rest.trim_start_matches('/').to_owned())
        .unwrap_or_else(|| value.to_owned())
}

/// The literal text of an expression, or its evaluation.
pub(crate) fn string(scope: Scope, expression: &Expression) -> Value {
    literal(expression).map_or_else(|| evaluate(scope, expression), Value::Known)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn tree(paths: &[&str]) -> BTreeMap<String, Vec<u8>> {
        paths
            .iter()
            .map(|path| ((*path).to_owned(), b"\n".to_vec()))
            .collect()
    }

    fn run(files: &BTreeMap<String, Vec<u8>>, locals: &str, expression: &str) -> Value {
        let tree = Tree::from_files(files);
        let body = hcl::edit::parser::parse_body(locals).unwrap();
        let expression = hcl::edit::parser::parse_expr(expression).unwrap();
        let scope = Scope {
            tree: &tree,
            unit_dir: "terraform/environments/prod/vpc",
            file: "terraform/environments/prod/vpc/terragrunt.hcl",
            body: &body,
        };
        evaluate(scope, &expression)
    }

    fn known(path: &str) -> Value {
        Value::Known(path.to_owned())
    }

    #[test]
    fn the_common_path_functions_evaluate() {
        let files = tree(&[
            "terraform/root.hcl",
            "terraform/environments/prod/env.hcl",
            "terraform/environments/prod/vpc/terragrunt.hcl",
        ]);
        let root = format!("{ROOT}/terraform/root.hcl");
        assert_eq!(
            run(&files, "", "find_in_parent_folders(\"root.hcl\")"),
            known(&root)
        );
        assert_eq!(
            run(&files, "", "find_in_parent_folders(\"env.hcl\")"),
            known(&format!("{ROOT}/terraform/environments/prod/env.hcl"))
        );
        assert_eq!(
            run(&files, "", "\"${get_terragrunt_dir()}/../x\""),
            known(&format!("{ROOT}/terraform/environments/prod/vpc/../x"))
        );
        assert_eq!(
            run(&files, "", "\"${get_repo_root()}/terraform/modules/vpc\""),
            known(&format!("{ROOT}/terraform/modules/vpc"))
        );
        assert_eq!(
            run(&files, "", "get_path_to_repo_root()"),
            known("../../../..")
        );
        assert_eq!(
            run(
                &files,
                "locals {\n  m = \"${get_repo_root()}/m\"\n}\n",
                "\"${local.m}/vpc\""
            ),
            known(&format!("{ROOT}/m/vpc"))
        );
        assert_eq!(run(&files, "", "format(\"%s/x\", \"a\")"), known("a/x"));
        assert_eq!(
            run(
                &files,
                "",
                "\"${dirname(find_in_parent_folders(\"root.hcl\"))}/modules//eks\""
            ),
            known(&format!("{ROOT}/terraform/modules//eks"))
        );
        assert_eq!(
            run(&files, "", "basename(get_terragrunt_dir())"),
            known("vpc")
        );
    }

    #[test]
    fn missing_and_unknown_are_told_apart() {
        let files = tree(&["terraform/environments/prod/vpc/terragrunt.hcl"]);
        assert!(matches!(
            run(&files, "", "find_in_parent_folders(\"env.hcl\")"),
            Value::Missing(message) if message.contains("env.hcl")
        ));
        assert_eq!(
            run(
                &files,
                "",
                "try(find_in_parent_folders(\"env.hcl\"), \"x\")"
            ),
            known("x")
        );
        assert_eq!(
            run(&files, "", "find_in_parent_folders(\"env.hcl\", \"y\")"),
            known("y")
        );
        assert!(matches!(
            run(&files, "", "run_cmd(\"x\")"),
            Value::Unknown(_)
        ));
        assert!(matches!(
            run(&files, "", "dependency.vpc.outputs.id"),
            Value::Unknown(_)
        ));
        assert!(matches!(
            run(&files, "locals {\n  a = local.a\n}\n", "local.a"),
            Value::Unknown(_)
        ));
    }

    #[test]
    fn tree_paths_resolve_relative_and_rooted_values() {
        assert_eq!(
            tree_path(&format!("{ROOT}/a/../b"), "x").as_deref(),
            Some("b")
        );
        assert_eq!(
            tree_path("../vpc", "e/prod/eks").as_deref(),
            Some("e/prod/vpc")
        );
        assert_eq!(tree_path("/etc/passwd", "x"), None);
        assert_eq!(tree_path("../../..", "a/b"), None);
        assert_eq!(show(&format!("{ROOT}/a/b")), "a/b");
    }
}
