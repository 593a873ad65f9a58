//! Check 5, GitHub Actions workflows (`.github/workflows/*.yml`): the structure GitHub requires
//! (`on`, `jobs`, each job `runs-on` or `uses`, each step `uses` or `run`), balanced `${{ }}`
//! expressions, and no long-lived AWS keys (workflows assume roles through OpenID Connect).

use super::CheckKind;
use super::finding::Finding;
use super::tree::Tree;
use super::yaml::{self, Node, Yaml, place};

const FOLDER: &str = ".github/workflows/";

/// Text that means long-lived AWS keys; `secrets.AWS_...KEY...` is matched separately.
const AWS_KEY_NAMES: &[&str] = &[
    "aws-access-key-id",
    "aws-secret-access-key",
    "AWS_SECRET_ACCESS_KEY",
];

pub(crate) fn check(tree: &Tree) -> Vec<Finding> {
    let mut findings = Vec::new();
    for path in tree.paths() {
        let Some(name) = path.strip_prefix(FOLDER) else {
            continue;
        };
        if name.contains('/') || !(name.ends_with(".yml") || name.ends_with(".yaml")) {
            continue;
        }
        let Some(text) = tree.text(path) else {
            continue;
        };
        findings.extend(check_workflow(path, text));
    }
    findings
}

fn check_workflow(path: &str, text: &str) -> Vec<Finding> {
    let mut findings = expressions(path, text);
    findings.extend(aws_keys(path, text));
    // A YAML syntax error is check 1's.
    let Ok(documents) = yaml::parse(text) else {
        return findings;
    };
    let mut structure = Structure {
        path,
        findings: Vec::new(),
    };
    match documents.as_slice() {
        [document] => structure.workflow(document),
        _ => structure.error(None, "must hold exactly one YAML document"),
    }
    findings.extend(structure.findings);
    findings
}

struct Structure<'p> {
    path: &'p str,
    findings: Vec<Finding>,
}

impl Structure<'_> {
    fn error(&mut self, node: Option<(Option<usize>, Option<usize>)>, message: impl Into<String>) {
        let (line, column) = node.unwrap_or((None, None));
        self.findings
            .push(Finding::error(CheckKind::Workflow, self.path, message).at(line, column));
    }

    fn workflow(&mut self, document: &Node) {
        let Yaml::Mapping(entries) = &document.value else {
            self.error(
                Some(place(document)),
                "a workflow is a mapping with `on` and `jobs`",
            );
            return;
        };
        // `on` unquoted is the boolean `true` in YAML 1.1.
        if !entries
            .iter()
            .any(|(key, _)| key.value == "on" || key.value == "true")
        {
            self.error(
                Some(place(document)),
                "has no `on`: nothing would trigger this workflow",
            );
        }
        match document.value.get("jobs") {
            None => self.error(Some(place(document)), "has no `jobs`"),
            Some(jobs) => match &jobs.value {
                Yaml::Mapping(jobs) if !jobs.is_empty() => {
                    for (name, job) in jobs {
                        self.job(&name.value, place(name), job);
                    }
                }
                _ => self.error(Some(place(jobs)), "`jobs` must map job ids to jobs"),
            },
        }
    }

    fn job(&mut self, name: &str, key: (Option<usize>, Option<usize>), job: &Node) {
        if !matches!(job.value, Yaml::Mapping(_)) {
            self.error(Some(key), format!("job `{name}` must be a mapping"));
            return;
        }
        let runs_on = job.value.get("runs-on");
        let uses = job.value.get("uses");
        match (runs_on, uses) {
            (None, None) => self.error(
                Some(key),
                format!("job `{name}` has neither `runs-on` nor `uses`"),
            ),
            (Some(_), Some(_)) => self.error(
                Some(key),
                format!("job `{name}` has both `runs-on` and `uses` (a reusable workflow call has no runner)"),
            ),
            _ => {}
        }
        let Some(steps) = job.value.get("steps") else {
            if uses.is_none() {
                self.error(Some(key), format!("job `{name}` has no `steps`"));
            }
            return;
        };
        let Yaml::Sequence(steps) = &steps.value else {
            self.error(
                Some(place(steps)),
                format!("`steps` of job `{name}` must be a list"),
            );
            return;
        };
        for (index, step) in steps.iter().enumerate() {
            self.step(name, index + 1, step);
        }
    }

    fn step(&mut self, job: &str, number: usize, step: &Node) {
        let at = Some(place(step));
        if !matches!(step.value, Yaml::Mapping(_)) {
            self.error(
                at,
                format!("step {number} of job `{job}` must be a mapping"),
            );
            return;
        }
        match (step.value.get("uses"), step.value.get("run")) {
            (None, None) => self.error(at, format!("step {number} of job `{job}` has neither `uses` nor `run`")),
            (Some(_), Some(_)) => self.error(at, format!("step {number} of job `{job}` has both `uses` and `run`")),
            (Some(uses), None) => match uses.value.as_str() {
                Some(action) if valid_action(action) => {}
                Some(action) => self.error(
                    Some(place(uses)),
                    format!("`uses: {action}`: an action is `owner/repo@ref`, `./path` or `docker://image`"),
                ),
                None => self.error(Some(place(uses)), format!("`uses` is {}, not an action", uses.value.kind())),
            },
            (None, Some(_)) => {}
        }
    }
}

fn valid_action(action: &str) -> bool {
    if action.starts_with("./") || action.starts_with("docker://") {
        return true;
    }
    action
        .split_once('@')
        .is_some_and(|(name, reference)| name.contains('/') && !reference.is_empty())
}

/// Every `${{` is closed by `}}` before the next `${{`, and holds an expression.
fn expressions(path: &str, text: &str) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut rest = 0;
    while let Some(found) = text[rest..].find("${{") {
        let open = rest + found;
        let inside = open + 3;
        let close = text[inside..].find("}}").map(|index| inside + index);
        let next_open = text[inside..].find("${{").map(|index| inside + index);
        match close {
            Some(close) if next_open.is_none_or(|next| close < next) => {
                if text[inside..close].trim().is_empty() {
                    findings.push(
                        Finding::error(CheckKind::Workflow, path, "empty `${{ }}` expression")
                            .at_offset(text, open),
                    );
                }
                rest = close + 2;
            }
            _ => {
                findings.push(
                    Finding::error(CheckKind::Workflow, path, "`${{` is not closed by `}}`")
                        .at_offset(text, open)
                        .help("close the expression: `${{ ... }}`"),
                );
                rest = inside;
            }
        }
    }
    findings
}

/// Lines (not comments) that use long-lived AWS keys.
fn aws_keys(path: &str, text: &str) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let code = line.trim_start();
        if !code.starts_with('#') {
            let hit = AWS_KEY_NAMES
                .iter()
                .filter_map(|name| line.find(name).map(|index| (index, (*name).to_owned())))
                .chain(secret_key_reference(line))
                .min();
            if let Some((index, name)) = hit {
                findings.push(
                    Finding::error(
                        CheckKind::Workflow,
                        path,
                        format!("uses long-lived AWS keys (`{name}`)"),
                    )
                    .at_offset(text, offset + index)
                    .help("assume a role through OpenID Connect: `role-to-assume` in aws-actions/configure-aws-credentials, with `permissions: id-token: write`"),
                );
            }
        }
        offset += line.len();
    }
    findings
}

/// `secrets.AWS_<...>KEY<...>` in a line.
fn secret_key_reference(line: &str) -> Option<(usize, String)> {
    let mut start = 0;
    while let Some(found) = line[start..].find("secrets.AWS_") {
        let index = start + found;
        let name: String = line[index + "secrets.".len()..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if name.contains("KEY") {
            return Some((index, format!("secrets.{name}")));
        }
        start = index + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "name: build\non:\n  push:\n    branches: [main]\npermissions:\n  id-token: write\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v5\n      - name: Build\n        run: echo ${{ github.sha }}\n  call:\n    uses: ./.github/workflows/other.yml\n";

    fn messages(text: &str) -> Vec<String> {
        check_workflow(".github/workflows/w.yml", text)
            .into_iter()
            .map(|finding| format!("{}: {}", finding.line.unwrap_or(0), finding.message))
            .collect()
    }

    #[test]
    fn a_good_workflow_passes() {
        assert!(messages(GOOD).is_empty(), "{:?}", messages(GOOD));
    }

    #[test]
    fn structure_defects_are_named_with_their_line() {
        let text = "on: push\njobs:\n  a:\n    steps:\n      - name: nothing\n      - uses: checkout\n  b:\n    runs-on: x\n    steps: run\n";
        assert_eq!(
            messages(text),
            [
                "3: job `a` has neither `runs-on` nor `uses`",
                "5: step 1 of job `a` has neither `uses` nor `run`",
                "6: `uses: checkout`: an action is `owner/repo@ref`, `./path` or `docker://image`",
                "9: `steps` of job `b` must be a list",
            ]
        );
        assert_eq!(
            messages("name: x\njobs: {}\n")[0],
            "1: has no `on`: nothing would trigger this workflow"
        );
    }

    #[test]
    fn unbalanced_expressions_are_caught() {
        let text = "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo ${{ github.sha }\n      - run: echo ${{ }}\n";
        assert_eq!(
            messages(text),
            [
                "6: `${{` is not closed by `}}`",
                "7: empty `${{ }}` expression"
            ]
        );
    }

    #[test]
    fn long_lived_aws_keys_are_refused_outside_comments() {
        let text = "on: push\n# never AWS_SECRET_ACCESS_KEY\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: aws-actions/configure-aws-credentials@v6\n        with:\n          aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}\n          aws-secret-access-key: ${{ secrets.AWS_SECRET_KEY }}\n";
        assert_eq!(
            messages(text),
            [
                "9: uses long-lived AWS keys (`aws-access-key-id`)",
                "10: uses long-lived AWS keys (`aws-secret-access-key`)",
            ]
        );
        assert_eq!(
            messages(
                "on: push\njobs:\n  a:\n    runs-on: x\n    env:\n      K: ${{ secrets.AWS_DEPLOY_KEY }}\n    steps:\n      - run: x\n"
            ),
            ["6: uses long-lived AWS keys (`secrets.AWS_DEPLOY_KEY`)"]
        );
    }

    #[test]
    fn only_workflow_files_are_checked() {
        let files: std::collections::BTreeMap<String, Vec<u8>> = [
            (".github/workflows/a.yml".to_owned(), b"jobs: {}\n".to_vec()),
            (
                ".github/dependabot.yml".to_owned(),
                b"version: 2\n".to_vec(),
            ),
        ]
        .into();
        let findings = check(&Tree::from_files(&files));
        assert!(findings.iter().all(|f| f.path == ".github/workflows/a.yml"));
        assert_eq!(findings.len(), 2, "{findings:?}");
    }
}
