//! Validation, one stage for a render in memory (before `new` and `update` write it) and for a
//! repository on disk (`check`): a table of checks ([`CHECKS`]), each a pure function over the
//! files, each with the scopes it runs in. Returns a [`Report`]; its [`Status`] comes from the
//! severities of the findings alone. Needs no network, no Terraform, no credentials; writes
//! nothing, and reads the disk only in [`read_repository`].
//!
//! The checks:
//! 1. [`syntax`]: what each file holds ([`FileKind`]), LF UTF-8 text, HCL, YAML and JSON parse;
//!    in a render, canonical text too.
//! 2. [`terragrunt`]: includes merged as Terragrunt merges them, `read_terragrunt_config`,
//!    dependencies, cycles, dependency outputs and their mocks; [`settings`]: the `local.` and
//!    `include.` names Terragrunt files read.
//! 3. [`wiring`]: unit inputs against module variables; `var.`/`local.`/`module.` references.
//! 4. [`registry`]: terraform-aws-modules calls against the embedded interface catalog.
//! 5. [`workflows`]: GitHub Actions structure, `${{ }}` expressions, no long-lived AWS keys.
//! 6. [`tutor`]: Tutor settings and hosts per environment; no secret values anywhere.
//! 7. [`consistency`]: environment folders and edits against `.openedx-devops/` (repositories).
//! 8. [`conflicts`]: conflict blocks left by `update` in any text file.
//! 9. [`schema`]: `resource` and `data` blocks against the embedded provider schemas.
//! 10. [`security`]: GitHub OIDC roles, the CDN's bucket policy, ElastiCache encryption and
//!     AUTH, database ports open to network ranges (repositories).

mod conflicts;
mod consistency;
mod constraint;
mod eval;
mod finding;
mod interface;
mod registry;
mod schema;
mod security;
mod settings;
mod syntax;
mod terraform;
mod terragrunt;
mod tree;
mod tutor;
mod wiring;
mod workflows;
mod yaml;

pub use conflicts::conflict_lines;
pub use finding::{Counts, Finding, Report, Severity, Status};
pub use syntax::syntax_error;
pub(crate) use terraform::key_name;

use crate::answers::Answers;
use crate::context::{Context, EnvironmentContext};
use crate::record::MANIFEST_PATH;
use crate::render::RenderedTree;
use anyhow::Context as _;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;
use tree::Tree;

/// Which check produced a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckKind {
    /// Reading the folder: size, encoding, permissions.
    Read,
    /// 1: every HCL, YAML and JSON file parses; text is LF UTF-8.
    Syntax,
    /// A render's text is canonical: final newline, no trailing white space.
    Text,
    /// 2: includes, `read_terragrunt_config`, dependencies, cycles, dependency outputs and mocks,
    /// settings read through `local.` and `include.`.
    Terragrunt,
    /// 3: unit inputs against module variables; references inside local modules.
    Wiring,
    /// 4: calls of terraform-aws-modules modules against the embedded catalog.
    Registry,
    /// 5: GitHub Actions workflows.
    Workflow,
    /// 6: Tutor configuration and secrets.
    Tutor,
    /// 7: the repository against its recorded answers and manifest.
    Answers,
    /// 8: conflict blocks an update (or git) left unresolved.
    Conflict,
    /// 9: `resource` and `data` blocks against the pinned providers' schemas.
    Schema,
    /// 10: security posture of the Terraform: OIDC trust, bucket policy, cache, security groups.
    Security,
}

/// What is being validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// A render in memory, before it is written: every finding is a defect of the blueprints.
    Render,
    /// A repository on disk, edited by people.
    Repository,
}

/// One check of the table.
pub(crate) struct Check {
    pub kind: CheckKind,
    /// Runs on a render as well as on a repository (`false`: on a repository only).
    pub on_render: bool,
    pub run: fn(&Input<'_>) -> Vec<Finding>,
}

/// Every check, in the order of the module docs.
pub(crate) const CHECKS: &[Check] = &[
    Check {
        kind: CheckKind::Syntax,
        on_render: true,
        run: |input| {
            let mut findings = syntax::check(input.tree, input.scope == Scope::Render);
            findings.extend(input.parsed.syntax_findings());
            findings
        },
    },
    Check {
        kind: CheckKind::Terragrunt,
        on_render: true,
        run: |input| {
            let mut findings = input.unit_findings.clone();
            findings.extend(terragrunt::check(
                input.parsed,
                &input.units,
                &input.modules,
            ));
            findings.extend(settings::check(input.tree, input.parsed, &input.units));
            findings
        },
    },
    Check {
        kind: CheckKind::Wiring,
        on_render: true,
        run: |input| wiring::check(input.parsed, &input.units, &input.modules),
    },
    Check {
        kind: CheckKind::Registry,
        on_render: true,
        run: |input| registry::check(input.parsed, &input.modules),
    },
    Check {
        kind: CheckKind::Workflow,
        on_render: true,
        run: |input| workflows::check(input.tree),
    },
    Check {
        kind: CheckKind::Tutor,
        on_render: true,
        run: |input| tutor::check(input.tree, input.parsed, input.environments.as_deref()),
    },
    Check {
        kind: CheckKind::Answers,
        on_render: false,
        run: |input| {
            let mut findings = Vec::new();
            match &input.answers {
                Ok(answers) => findings.extend(consistency::environments(input.tree, answers)),
                Err(finding) => findings.push(finding.clone()),
            }
            match consistency::manifest(input.tree) {
                Ok(manifest) => findings.extend(consistency::edits(input.tree, &manifest)),
                Err(finding) => findings.push(finding),
            }
            findings
        },
    },
    Check {
        kind: CheckKind::Conflict,
        on_render: true,
        run: |input| conflicts::check(input.tree),
    },
    Check {
        kind: CheckKind::Schema,
        on_render: true,
        run: |input| schema::check(input.parsed),
    },
    Check {
        kind: CheckKind::Security,
        on_render: true,
        run: |input| security::check(input.parsed, &input.units),
    },
];

/// What the checks read, computed once: the files, their HCL parsed, the local modules and
/// Terragrunt units, the recorded answers.
pub(crate) struct Input<'a> {
    scope: Scope,
    tree: &'a Tree<'a>,
    parsed: &'a terraform::Parsed<'a>,
    modules: BTreeMap<String, terraform::Module<'a>>,
    units: Vec<terragrunt::Unit<'a>>,
    unit_findings: Vec<Finding>,
    answers: Result<Answers, Finding>,
    environments: Option<Vec<EnvironmentContext>>,
}

/// Runs every check of a scope over a tree. The checks only read: they run side by side.
fn run(tree: &Tree<'_>, scope: Scope, unread: Vec<Finding>) -> Report {
    let parsed = terraform::Parsed::parse(tree);
    let modules = terraform::modules(&parsed);
    let (units, unit_findings) = terragrunt::units(tree, &parsed);
    let answers = consistency::answers(tree);
    let environments = answers
        .as_ref()
        .ok()
        .map(|answers| Context::new(answers, &serde_json::Value::Null).environments);
    let input = Input {
        scope,
        tree,
        parsed: &parsed,
        modules,
        units,
        unit_findings,
        answers,
        environments,
    };
    let checks = CHECKS
        .iter()
        .filter(|check| scope == Scope::Repository || check.on_render);
    let mut findings = unread;
    std::thread::scope(|threads| {
        let running: Vec<_> = checks
            .map(|check| (check.kind, threads.spawn(|| (check.run)(&input))))
            .collect();
        for (kind, thread) in running {
            match thread.join() {
                Ok(found) => findings.extend(found),
                Err(_) => findings.push(Finding::fatal(
                    kind,
                    "",
                    format!("the {kind:?} check failed (a bug in openedx-devops)"),
                )),
            }
        }
    });
    Report::new(findings, tree.len())
}

/// Validates a render before it is written. Any error is a defect of the blueprints, never of
/// the answers; warnings are left to `check`.
pub fn check_render(tree: &RenderedTree) -> Report {
    run(&Tree::from_rendered(tree), Scope::Render, Vec::new())
}

/// Validates a repository's files held in memory (path -> bytes), as [`check_repository`] does
/// once it has read them.
pub fn check_files(files: &BTreeMap<String, Vec<u8>>) -> Report {
    run(&Tree::from_files(files), Scope::Repository, Vec::new())
}

/// Reads a repository folder and validates it. An error when the folder cannot be read or holds
/// no record of openedx-devops.
pub fn check_repository(dir: &Path) -> anyhow::Result<Report> {
    let folder = read_repository(dir)?;
    let tree = Tree::from_files(&folder.files);
    let unread = folder.findings.len();
    let mut report = run(&tree, Scope::Repository, folder.findings);
    report.files += unread;
    Ok(report)
}

/// Reads a generated repository: its record first (a folder without one is refused before
/// anything else is read), then the files the checks read: those whose name says HCL, YAML,
/// JSON or text, the record, and every file the manifest lists (for its hash).
fn read_repository(dir: &Path) -> anyhow::Result<tree::Folder> {
    let metadata =
        fs_err::metadata(dir).with_context(|| format!("cannot check `{}`", dir.display()))?;
    if !metadata.is_dir() {
        anyhow::bail!("cannot check `{}`: it is not a folder", dir.display());
    }
    let manifest_path = crate::paths::inside(dir, MANIFEST_PATH)?;
    if !std::fs::symlink_metadata(&manifest_path).is_ok_and(|metadata| metadata.is_file()) {
        anyhow::bail!(
            "`{}` is not a repository generated by openedx-devops: it has no `{MANIFEST_PATH}` (create one with `openedx-devops new`)",
            dir.display()
        );
    }
    let listed: std::collections::BTreeSet<String> =
        crate::record::read_file(dir, MANIFEST_PATH, 16 * 1024 * 1024)
            .ok()
            .flatten()
            .and_then(|bytes| {
                crate::record::Manifest::from_json(&String::from_utf8_lossy(&bytes)).ok()
            })
            .map(|manifest| manifest.files.into_keys().collect())
            .unwrap_or_default();
    let record_prefix = format!("{}/", crate::record::RECORD_DIR);
    let wanted = |path: &str| {
        if path.starts_with(&record_prefix) {
            // The record's own files; not the work folder or the lock of an update.
            return crate::record::RECORD_FILES.contains(&path);
        }
        syntax::FileKind::by_name(path).is_some() || listed.contains(path)
    };
    tree::read_folder(dir, &wanted)
}

/// The Terragrunt units of a repository folder and the units each depends on (folders relative
/// to the repository root), for `graph`.
pub fn unit_graph(
    root: &Path,
) -> anyhow::Result<BTreeMap<String, std::collections::BTreeSet<String>>> {
    let folder = read_repository(root)?;
    let view = Tree::from_files(&folder.files);
    let parsed = terraform::Parsed::parse(&view);
    let (units, _) = terragrunt::units(&view, &parsed);
    Ok(units
        .iter()
        .map(|unit| {
            let targets = unit
                .dependencies
                .iter()
                .filter_map(|dependency| dependency.target.clone())
                .collect();
            (unit.dir.to_owned(), targets)
        })
        .collect())
}

/// A small, correct repository in memory for the checks' tests to plant defects in.
#[cfg(test)]
pub(crate) mod fixture {
    use std::collections::BTreeMap;

    pub(crate) const ROOT_HCL: &str = "locals {\n  global = read_terragrunt_config(find_in_parent_folders(\"global.hcl\")).locals\n  env    = try(read_terragrunt_config(find_in_parent_folders(\"env.hcl\")).locals, null)\n}\n\ninputs = {\n  tags = local.global.tags\n}\n";
    pub(crate) const GLOBAL_HCL: &str = "locals {\n  tags = {}\n}\n";
    pub(crate) const ENV_HCL: &str = "locals {\n  name = \"prod\"\n}\n";
    pub(crate) const VPC_UNIT: &str = "include \"root\" {\n  path   = find_in_parent_folders(\"root.hcl\")\n  expose = true\n}\n\nterraform {\n  source = \"${get_repo_root()}/terraform/modules/vpc\"\n}\n\ninputs = {\n  name = \"prod\"\n  cidr = \"10.0.0.0/16\"\n}\n";
    pub(crate) const EKS_UNIT: &str = "include \"root\" {\n  path = find_in_parent_folders(\"root.hcl\")\n}\n\nterraform {\n  source = \"${get_terragrunt_dir()}/../../../modules//eks\"\n}\n\ndependency \"vpc\" {\n  config_path = \"../vpc\"\n}\n\ninputs = {\n  vpc_id = dependency.vpc.outputs.vpc_id\n}\n";
    pub(crate) const SHARED_UNIT: &str = "include \"root\" {\n  path = find_in_parent_folders(\"root.hcl\")\n}\n\nterraform {\n  source = \"../../modules/ecr\"\n}\n";
    pub(crate) const VPC_VARIABLES: &str = "variable \"name\" {\n  type = string\n}\n\nvariable \"cidr\" {\n  type = string\n}\n\nvariable \"tags\" {\n  type    = map(string)\n  default = {}\n}\n";
    pub(crate) const VPC_MAIN: &str = "module \"vpc\" {\n  source  = \"terraform-aws-modules/vpc/aws\"\n  version = \"6.6.0\"\n\n  name = var.name\n  cidr = var.cidr\n  tags = var.tags\n\n  enable_nat_gateway = true\n}\n\noutput \"vpc_id\" {\n  value = module.vpc.vpc_id\n}\n";
    pub(crate) const EKS_MAIN: &str = "variable \"vpc_id\" {\n  type = string\n}\n\nlocals {\n  vpc = var.vpc_id\n}\n\noutput \"vpc\" {\n  value = local.vpc\n}\n";
    pub(crate) const ECR_MAIN: &str = "variable \"tags\" {\n  type = map(string)\n}\n";

    /// path -> text of the good repository.
    pub(crate) fn files() -> BTreeMap<String, String> {
        [
            ("terraform/root.hcl", ROOT_HCL),
            ("terraform/global.hcl", GLOBAL_HCL),
            ("terraform/environments/prod/env.hcl", ENV_HCL),
            ("terraform/environments/prod/vpc/terragrunt.hcl", VPC_UNIT),
            ("terraform/environments/prod/eks/terragrunt.hcl", EKS_UNIT),
            ("terraform/shared/ecr/terragrunt.hcl", SHARED_UNIT),
            ("terraform/modules/vpc/variables.tf", VPC_VARIABLES),
            ("terraform/modules/vpc/main.tf", VPC_MAIN),
            ("terraform/modules/eks/main.tf", EKS_MAIN),
            ("terraform/modules/ecr/main.tf", ECR_MAIN),
        ]
        .into_iter()
        .map(|(path, text)| (path.to_owned(), text.to_owned()))
        .collect()
    }

    /// The `eks` component written once, in `_envcommon/` (Gruntwork's layout), for the units of
    /// `prod` and of a second environment, `dev`.
    pub(crate) const ENVCOMMON_EKS: &str = "locals {\n  env = read_terragrunt_config(find_in_parent_folders(\"env.hcl\")).locals\n}\n\nterraform {\n  source = \"${dirname(find_in_parent_folders(\"root.hcl\"))}/modules//eks\"\n}\n\ndependency \"vpc\" {\n  config_path = \"${get_terragrunt_dir()}/../vpc\"\n  mock_outputs = {\n    vpc_id = \"vpc-${local.env.name}\"\n  }\n}\n\ninputs = {\n  vpc_id = dependency.vpc.outputs.vpc_id\n}\n";
    pub(crate) const SHORT_EKS_UNIT: &str = "include \"root\" {\n  path   = find_in_parent_folders(\"root.hcl\")\n  expose = true\n}\n\ninclude \"envcommon\" {\n  path = \"${dirname(find_in_parent_folders(\"root.hcl\"))}/_envcommon/eks.hcl\"\n}\n\ninputs = {\n}\n";

    /// The good repository in the `_envcommon/` layout, with two environments.
    pub(crate) fn envcommon_files() -> BTreeMap<String, String> {
        let mut files = files();
        for (path, text) in [
            ("terraform/_envcommon/eks.hcl", ENVCOMMON_EKS),
            (
                "terraform/environments/prod/eks/terragrunt.hcl",
                SHORT_EKS_UNIT,
            ),
            (
                "terraform/environments/dev/env.hcl",
                "locals {\n  name = \"dev\"\n}\n",
            ),
            ("terraform/environments/dev/vpc/terragrunt.hcl", VPC_UNIT),
            (
                "terraform/environments/dev/eks/terragrunt.hcl",
                SHORT_EKS_UNIT,
            ),
        ] {
            files.insert(path.to_owned(), text.to_owned());
        }
        files
    }

    /// The `_envcommon/` repository with one file replaced (or added).
    pub(crate) fn envcommon_with(path: &str, text: &str) -> BTreeMap<String, Vec<u8>> {
        let mut files = envcommon_files();
        files.insert(path.to_owned(), text.to_owned());
        bytes(files)
    }

    /// The good repository with one file replaced (or added).
    pub(crate) fn with(path: &str, text: &str) -> BTreeMap<String, Vec<u8>> {
        let mut files = files();
        files.insert(path.to_owned(), text.to_owned());
        bytes(files)
    }

    pub(crate) fn bytes(files: BTreeMap<String, String>) -> BTreeMap<String, Vec<u8>> {
        files
            .into_iter()
            .map(|(path, text)| (path, text.into_bytes()))
            .collect()
    }

    /// The findings of checks 2-4 as `path:line: message` lines, for asserting on.
    pub(crate) fn messages(files: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
        terraform_findings(files)
            .iter()
            .map(|f| format!("{}:{}: {}", f.path, f.line.unwrap_or(0), f.message))
            .collect()
    }

    /// Checks 2-4 on a tree.
    pub(crate) fn terraform_findings(files: &BTreeMap<String, Vec<u8>>) -> Vec<super::Finding> {
        let tree = super::Tree::from_files(files);
        let parsed = super::terraform::Parsed::parse(&tree);
        let modules = super::terraform::modules(&parsed);
        let (units, mut findings) = super::terragrunt::units(&tree, &parsed);
        findings.extend(super::terragrunt::check(&parsed, &units, &modules));
        findings.extend(super::settings::check(&tree, &parsed, &units));
        findings.extend(super::wiring::check(&parsed, &units, &modules));
        findings.extend(super::registry::check(&parsed, &modules));
        super::Report::new(findings, 0).findings
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::RenderedFile;

    fn render_of(files: &[(&str, &[u8])]) -> RenderedTree {
        files
            .iter()
            .map(|(path, bytes)| {
                (
                    (*path).to_owned(),
                    RenderedFile {
                        contents: bytes.to_vec(),
                        executable: false,
                    },
                )
            })
            .collect()
    }

    #[test]
    fn the_fixture_is_clean() {
        let findings = fixture::terraform_findings(&fixture::bytes(fixture::files()));
        assert!(findings.is_empty(), "{findings:#?}");
    }

    #[test]
    fn the_envcommon_fixture_is_clean() {
        let findings = fixture::terraform_findings(&fixture::bytes(fixture::envcommon_files()));
        assert!(findings.is_empty(), "{findings:#?}");
    }

    #[test]
    fn a_render_reports_broken_hcl_once_and_canonical_text() {
        let tree = render_of(&[
            ("terraform/a.tf", b"locals {\n  a =\n}\n"),
            ("README.md", b"trailing \n"),
        ]);
        let report = check_render(&tree);
        let broken: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.path == "terraform/a.tf")
            .collect();
        assert_eq!(broken.len(), 1, "{report:?}");
        assert!(broken[0].message.contains("HCL does not parse"));
        assert!(report.findings.iter().any(|f| f.path == "README.md"));
    }

    #[test]
    fn a_binary_file_passes_in_a_render_as_in_a_repository() {
        // Pins the bug where a theme logo made `new` fail while `check` accepted it.
        let logo: &[u8] = &[
            0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d,
        ];
        let report = check_render(&render_of(&[("ci/themes/logo.png", logo)]));
        assert!(report.findings.is_empty(), "{report:?}");
    }

    #[test]
    fn the_status_comes_from_severities_not_from_messages() {
        let with = |severity: Severity| {
            Report::new(
                vec![Finding::new(
                    severity,
                    CheckKind::Syntax,
                    "a",
                    "any words at all",
                )],
                1,
            )
            .status()
        };
        assert_eq!(with(Severity::Fatal), Status::Incomplete);
        assert_eq!(with(Severity::Error), Status::Findings);
        assert_eq!(with(Severity::Warning), Status::Findings);
        assert_eq!(with(Severity::Info), Status::Clean);
    }

    #[test]
    fn every_check_kind_but_reading_is_in_the_table_once() {
        let kinds: Vec<CheckKind> = CHECKS.iter().map(|check| check.kind).collect();
        let mut unique = kinds.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(kinds.len(), unique.len(), "{kinds:?}");
        assert!(!kinds.contains(&CheckKind::Read));
    }

    #[test]
    fn a_folder_without_a_manifest_is_not_a_repository() {
        let root = tempfile::tempdir().unwrap();
        std::fs::write(root.path().join("a.txt"), "a\n").unwrap();
        let error = check_repository(root.path()).unwrap_err();
        assert!(format!("{error}").contains("not a repository generated by openedx-devops"));
    }
}
