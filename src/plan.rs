//! The render plan: which blueprint becomes which target path, for which environment, rendered
//! or copied, executable or not. Conditions (`_plan.yml` rules) are decided here. Pure.

use crate::blueprints::{BlueprintSet, Rule, is_hidden};
use crate::context::Context;
use anyhow::Context as _;
use globset::{Glob, GlobMatcher};
use minijinja::Environment;

/// The placeholder in a blueprint path that expands to each environment's name.
pub(crate) const ENV_PLACEHOLDER: &str = "__env__";

/// One file to produce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedFile {
    pub target: String,
    pub blueprint: String,
    /// Index into `Context::environments` for per-environment files.
    pub environment: Option<usize>,
    pub render: bool,
    pub executable: bool,
}

/// Every file to produce, sorted by target path.
#[derive(Debug, Clone, Default)]
pub struct RenderPlan {
    pub files: Vec<PlannedFile>,
}

struct CompiledRule<'a> {
    rule: &'a Rule,
    matcher: GlobMatcher,
    /// The rule's `when`, compiled once.
    condition: Option<minijinja::Expression<'a, 'a>>,
    used: bool,
}

/// Decides the files of a repository for a context.
pub fn plan(blueprints: &BlueprintSet, context: &Context) -> anyhow::Result<RenderPlan> {
    let mut expressions = Environment::new();
    expressions.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    let values = crate::context::TemplateValues::new(context);
    let mut rules = blueprints
        .rules
        .iter()
        .map(|rule| {
            let matcher = globset::GlobBuilder::new(&rule.path)
                .literal_separator(true)
                .build()
                .or_else(|_| Glob::new(&rule.path))
                .with_context(|| {
                    format!(
                        "`{}`: the path `{}` is not a valid glob",
                        rule.origin, rule.path
                    )
                })?
                .compile_matcher();
            let condition = rule
                .when
                .as_deref()
                .map(|condition| {
                    expressions.compile_expression(condition).with_context(|| {
                        format!(
                            "`{}`: the condition `{condition}` for `{}` does not parse",
                            rule.origin, rule.path
                        )
                    })
                })
                .transpose()?;
            Ok(CompiledRule {
                rule,
                matcher,
                condition,
                used: false,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let mut files = Vec::new();
    for (blueprint, bytes) in blueprints.iter() {
        let applying: Vec<usize> = rules
            .iter()
            .enumerate()
            .filter(|(_, compiled)| compiled.matcher.is_match(blueprint))
            .map(|(index, _)| index)
            .collect();
        for &index in &applying {
            rules[index].used = true;
        }
        let applying: Vec<&CompiledRule> = applying.iter().map(|&index| &rules[index]).collect();
        let written = applying
            .iter()
            .any(|compiled| compiled.rule.partial == Some(false));
        if is_hidden(blueprint) && !written {
            continue;
        }
        // A binary blueprint (a logo) is copied as it is: it is no template.
        let render = crate::blueprints::is_text(bytes)
            && applying
                .iter()
                .all(|compiled| compiled.rule.render != Some(false));
        let executable = applying
            .iter()
            .any(|compiled| compiled.rule.executable == Some(true));
        let targets: Vec<(String, Option<usize>)> = if blueprint.contains(ENV_PLACEHOLDER) {
            context
                .environments
                .iter()
                .enumerate()
                .map(|(index, environment)| {
                    (
                        blueprint.replace(ENV_PLACEHOLDER, &environment.name),
                        Some(index),
                    )
                })
                .collect()
        } else {
            vec![(blueprint.to_owned(), None)]
        };
        for (target, environment) in targets {
            if conditions_hold(&applying, &values, environment)? {
                files.push(PlannedFile {
                    target,
                    blueprint: blueprint.to_owned(),
                    environment,
                    render,
                    executable,
                });
            }
        }
    }
    if let Some(unused) = rules.iter().find(|compiled| !compiled.used) {
        anyhow::bail!(
            "`{}`: the rule for `{}` matches no blueprint",
            unused.rule.origin,
            unused.rule.path
        );
    }
    files.sort_by(|a, b| a.target.cmp(&b.target));
    if let Some(pair) = files
        .windows(2)
        .find(|pair| pair[0].target == pair[1].target)
    {
        anyhow::bail!(
            "`{}` and `{}` both produce `{}`",
            pair[0].blueprint,
            pair[1].blueprint,
            pair[0].target
        );
    }
    Ok(RenderPlan { files })
}

fn conditions_hold(
    rules: &[&CompiledRule<'_>],
    values: &crate::context::TemplateValues,
    environment: Option<usize>,
) -> anyhow::Result<bool> {
    for compiled in rules {
        let Some(expression) = &compiled.condition else {
            continue;
        };
        let value = expression.eval(values.get(environment)).with_context(|| {
            format!(
                "`{}`: the condition `{}` for `{}` failed",
                compiled.rule.origin,
                compiled.rule.when.as_deref().unwrap_or_default(),
                compiled.rule.path
            )
        })?;
        if !value.is_true() {
            return Ok(false);
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::{Answers, load};
    use std::collections::BTreeMap;

    fn set(files: &[(&str, &str)]) -> BlueprintSet {
        let files: BTreeMap<String, Vec<u8>> = files
            .iter()
            .map(|(path, text)| ((*path).to_owned(), text.as_bytes().to_vec()))
            .collect();
        BlueprintSet::from_files(files).unwrap()
    }

    fn context(extra: &[&str]) -> Context {
        let mut raw = load::demo_defaults();
        for assignment in extra {
            load::apply_set(&mut raw, assignment).unwrap();
        }
        Context::new(&Answers::validate(&raw).unwrap(), &serde_json::Value::Null)
    }

    fn targets(plan: &RenderPlan) -> Vec<&str> {
        plan.files.iter().map(|file| file.target.as_str()).collect()
    }

    const TREE: &[(&str, &str)] = &[
        ("README.md", ""),
        ("_readme/part.md", ""),
        ("t/__env__/vpc/terragrunt.hcl", ""),
        ("t/__env__/bastion/terragrunt.hcl", ""),
        (
            "t/_plan.yml",
            "rules:\n  - path: \"*/bastion/**\"\n    when: answers.bastion and env.name != \"dev\"\n  - path: \"s/*.sh\"\n    render: false\n    executable: true\n",
        ),
        ("t/s/run.sh", ""),
    ];

    #[test]
    fn expands_environments_and_applies_conditions() {
        let plan = plan(
            &set(TREE),
            &context(&[
                "environments.1.name=dev",
                "environments.1.subdomain=dev.courses",
            ]),
        )
        .unwrap();
        assert_eq!(
            targets(&plan),
            [
                "README.md",
                "t/dev/vpc/terragrunt.hcl",
                "t/prod/bastion/terragrunt.hcl",
                "t/prod/vpc/terragrunt.hcl",
                "t/s/run.sh",
            ]
        );
        let script = plan
            .files
            .iter()
            .find(|f| f.target == "t/s/run.sh")
            .unwrap();
        assert!(script.executable && !script.render);
        assert_eq!(plan.files[1].environment, Some(1));
    }

    #[test]
    fn a_rule_can_write_a_file_whose_folder_starts_with_an_underscore() {
        let tree = [
            ("t/_envcommon/vpc.hcl", ""),
            ("t/_envcommon/_partials/block.hcl", ""),
            ("t/_other/x.hcl", ""),
            (
                "t/_plan.yml",
                "rules:\n  - path: \"_envcommon/*.hcl\"\n    partial: false\n",
            ),
        ];
        let plan = plan(&set(&tree), &context(&[])).unwrap();
        assert_eq!(targets(&plan), ["t/_envcommon/vpc.hcl"]);
    }

    #[test]
    fn a_false_condition_drops_the_file() {
        let plan = plan(&set(TREE), &context(&["bastion=false"])).unwrap();
        assert!(!targets(&plan).iter().any(|t| t.contains("bastion")));
    }

    #[test]
    fn a_rule_matching_nothing_is_an_error() {
        let mut tree = TREE.to_vec();
        tree.push((
            "x/_plan.yml",
            "rules:\n  - path: nothing.tf\n    when: \"true\"\n",
        ));
        let error = plan(&set(&tree), &context(&[])).unwrap_err();
        assert!(error.to_string().contains("x/_plan.yml"), "{error}");
    }

    #[test]
    fn a_condition_naming_an_unknown_value_is_an_error() {
        let tree = [
            ("a.tf", ""),
            (
                "_plan.yml",
                "rules:\n  - path: a.tf\n    when: answers.bastoin.x\n",
            ),
        ];
        let error = plan(&set(&tree), &context(&[])).unwrap_err();
        assert!(format!("{error:#}").contains("bastoin"), "{error:#}");
    }
}
