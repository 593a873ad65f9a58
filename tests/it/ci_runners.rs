//! CI reaches the private EKS API (issue 16): in every example (and the defaults), every job that
//! talks to an environment's cluster (its deploy, its plans and applies) runs on that
//! environment's CodeBuild runner, whose label names the project the environment's Terraform
//! creates in its VPC's private subnets; the `shared` stack runs on GitHub's runners; the webhook
//! takes queued jobs and holds pull requests from forks; no database admits the runner.

use crate::common::{self, Tree, hcl_attribute as attribute, hcl_block as block};
use serde_json::Value;

/// Every example, plus the defaults.
fn cases() -> Vec<(String, Tree)> {
    let mut cases: Vec<(String, Tree)> = common::examples()
        .into_iter()
        .map(|(name, text)| (format!("{name}.yml"), common::render(&text)))
        .collect();
    let defaults = common::Repo::new().generate();
    let tree: Tree = defaults
        .contents()
        .into_iter()
        .filter(|(path, _)| !path.starts_with(".openedx-devops/"))
        .filter_map(|(path, bytes)| String::from_utf8(bytes).ok().map(|text| (path, text)))
        .collect();
    cases.push(("--defaults".to_owned(), tree));
    cases
}

fn file<'a>(tree: &'a Tree, name: &str, path: &str) -> &'a str {
    tree.get(path)
        .unwrap_or_else(|| panic!("{name}: no `{path}`"))
        .as_str()
}

fn hcl(name: &str, path: &str, text: &str) -> hcl::Body {
    hcl::parse(text).unwrap_or_else(|error| panic!("{name}: `{path}` is not HCL: {error}"))
}

fn yaml(name: &str, path: &str, text: &str) -> Value {
    serde_saphyr::from_str::<Value>(text)
        .unwrap_or_else(|error| panic!("{name}: `{path}` is not YAML: {error}"))
}

/// The source text of an attribute of an HCL body, e.g. `dependency.vpc.outputs.vpc_id`.
fn source(name: &str, body: &hcl::Body, key: &str) -> String {
    attribute(body, key)
        .unwrap_or_else(|| panic!("{name}: no `{key}`"))
        .to_string()
}

/// `(name, resource_prefix)` of each environment, from its env.hcl.
fn environments(name: &str, tree: &Tree) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for (path, text) in tree {
        if path.starts_with("terraform/environments/") && path.ends_with("/env.hcl") {
            let body = hcl(name, path, text);
            let locals = block(&body, "locals", &[]).unwrap();
            let value = |key: &str| source(name, locals, key).trim_matches('"').to_owned();
            found.push((value("name"), value("resource_prefix")));
        }
    }
    assert!(!found.is_empty(), "{name}: no environment");
    found
}

/// The CodeBuild project of an environment, as `_envcommon/ci-runner.hcl` names it.
fn project(resource_prefix: &str) -> String {
    format!("{resource_prefix}-ci-runner")
}

const PLAN_RUNS_ON: &str = "${{ matrix.runner && format('codebuild-{0}-{1}-{2}', matrix.runner, \
                            github.run_id, github.run_attempt) || 'ubuntu-latest' }}";
const DISPATCH_RUNS_ON: &str = "${{ inputs.stack != 'shared' && format('codebuild-{0}-{1}-{2}', \
                                matrix.runner, github.run_id, github.run_attempt) || \
                                'ubuntu-latest' }}";

/// What CodeBuild requires of the label: `codebuild-<project>-<run id>-<run attempt>`.
fn label(project: &str) -> String {
    format!("codebuild-{project}-${{{{ github.run_id }}}}-${{{{ github.run_attempt }}}}")
}

#[test]
fn every_job_that_needs_the_private_api_runs_on_its_environments_runner() {
    for (name, tree) in cases() {
        let environments = environments(&name, &tree);
        let path = ".github/workflows/infrastructure.yml";
        let infrastructure = yaml(&name, path, file(&tree, &name, path));
        assert_eq!(infrastructure["name"], "infrastructure", "{name}: {path}");
        let jobs = &infrastructure["jobs"];

        // Pull requests: one matrix entry per stack; an environment's names its project.
        let plan = &jobs["plan"];
        assert_eq!(plan["runs-on"], PLAN_RUNS_ON, "{name}: {path}: plan");
        let include = plan["strategy"]["matrix"]["include"]
            .as_array()
            .unwrap_or_else(|| panic!("{name}: {path}: the plan matrix lists its stacks"));
        assert_eq!(include.len(), environments.len() + 1, "{name}: {path}");
        for (environment, prefix) in &environments {
            let entry = include
                .iter()
                .find(|entry| entry["stack"] == environment.as_str())
                .unwrap_or_else(|| panic!("{name}: {path}: no plan of `{environment}`"));
            assert_eq!(
                entry["runner"],
                project(prefix).as_str(),
                "{name}: {path}: the plan of `{environment}` runs outside its VPC"
            );
        }

        // Manual plans and applies: the runner of the chosen stack's environment.
        for job_name in ["plan-stack", "apply"] {
            let job = &jobs[job_name];
            assert_eq!(
                job["runs-on"], DISPATCH_RUNS_ON,
                "{name}: {path}: {job_name}"
            );
            let runners = job["strategy"]["matrix"]["runner"].as_array().unwrap();
            assert_eq!(runners.len(), 1, "{name}: {path}: {job_name} is one job");
            let runner = runners[0].as_str().unwrap();
            for (environment, prefix) in &environments {
                assert_eq!(
                    runner.replace("${{ inputs.stack }}", environment),
                    project(prefix),
                    "{name}: {path}: {job_name} of `{environment}` runs outside its VPC"
                );
            }
        }

        // Deploys.
        for (environment, prefix) in &environments {
            let path = format!(".github/workflows/deploy-{environment}.yml");
            let deploy = yaml(&name, &path, file(&tree, &name, &path));
            assert_eq!(deploy["name"], format!("deploy {environment}").as_str());
            assert_eq!(
                deploy["jobs"]["deploy"]["runs-on"],
                label(&project(prefix)).as_str(),
                "{name}: {path}: the deploy runs outside the VPC"
            );
        }

        // No runner variable is left to set.
        for (path, text) in tree.iter().filter(|(p, _)| p.starts_with(".github/")) {
            assert!(!text.contains("vars.DEPLOY_RUNNER"), "{name}: {path}");
            assert!(!text.contains("vars.INFRA_RUNNER"), "{name}: {path}");
        }
    }
}

#[test]
fn each_runner_label_names_a_project_its_environment_creates_in_its_private_subnets() {
    for (name, tree) in cases() {
        let path = "terraform/_envcommon/ci-runner.hcl";
        let common = hcl(&name, path, file(&tree, &name, path));
        let inputs = attribute(&common, "inputs").unwrap();
        let hcl::Expression::Object(inputs) = inputs else {
            panic!("{name}: {path}: inputs is an object");
        };
        let input = |key: &str| {
            inputs
                .iter()
                .find(|(k, _)| k.to_string() == key)
                .map(|(_, value)| value.to_string())
                .unwrap_or_else(|| panic!("{name}: {path}: no input `{key}`"))
        };
        // The project name the labels above are built from.
        assert_eq!(input("name"), "\"${local.env.resource_prefix}-ci-runner\"");
        assert_eq!(input("vpc_id"), "dependency.vpc.outputs.vpc_id");
        assert_eq!(
            input("subnet_ids"),
            "dependency.vpc.outputs.private_subnets"
        );
        let workflows = input("workflow_names");
        for workflow in ["\"deploy ${local.env.name}\"", "\"infrastructure\""] {
            assert!(workflows.contains(workflow), "{name}: {path}: {workflows}");
        }
        let vpc = block(&common, "dependency", &["vpc"]).unwrap();
        assert_eq!(
            source(&name, vpc, "config_path"),
            "\"${get_terragrunt_dir()}/../vpc\"",
            "{name}: {path}: the VPC of the same environment"
        );

        for (environment, _) in environments(&name, &tree) {
            let path = format!("terraform/environments/{environment}/ci-runner/terragrunt.hcl");
            let unit = hcl(&name, &path, file(&tree, &name, &path));
            let envcommon = block(&unit, "include", &["envcommon"]).unwrap();
            assert!(
                source(&name, envcommon, "path").ends_with("/_envcommon/ci-runner.hcl\""),
                "{name}: {path}"
            );
            assert!(
                !file(&tree, &name, &path).contains("name "),
                "{name}: {path}: renames the project its workflows name"
            );
        }

        // The module names the project, and places it, as its inputs say.
        let path = "terraform/modules/ci-runner/main.tf";
        let module = hcl(&name, path, file(&tree, &name, path));
        let project = block(&module, "resource", &["aws_codebuild_project", "runner"]).unwrap();
        assert_eq!(source(&name, project, "name"), "var.name");
        let vpc_config = block(project, "vpc_config", &[]).unwrap();
        assert_eq!(source(&name, vpc_config, "vpc_id"), "var.vpc_id");
        assert_eq!(source(&name, vpc_config, "subnets"), "var.subnet_ids");
        let environment = block(project, "environment", &[]).unwrap();
        assert_eq!(source(&name, environment, "privileged_mode"), "false");
        assert!(
            input("image").contains("aws/codebuild/standard:"),
            "{name}: the runner runs CodeBuild's Ubuntu image"
        );
    }
}

#[test]
fn the_shared_stack_has_no_cluster_and_no_runner() {
    for (name, tree) in cases() {
        assert!(
            !tree
                .keys()
                .any(|path| path.starts_with("terraform/shared/ci-runner/")),
            "{name}: a runner in the shared stack"
        );
        let path = ".github/workflows/infrastructure.yml";
        let infrastructure = yaml(&name, path, file(&tree, &name, path));
        let include = infrastructure["jobs"]["plan"]["strategy"]["matrix"]["include"]
            .as_array()
            .unwrap();
        let shared = include
            .iter()
            .find(|entry| entry["stack"] == "shared")
            .unwrap();
        // No `runner`: the plan's runs-on falls back to ubuntu-latest.
        assert!(shared.get("runner").is_none(), "{name}: {path}: {shared}");
        assert!(DISPATCH_RUNS_ON.starts_with("${{ inputs.stack != 'shared' && "));
        // The connection it does hold is the one every runner uses.
        let path = "terraform/shared/github-connection/terragrunt.hcl";
        assert!(
            file(&tree, &name, path).contains("modules//github-connection\""),
            "{name}: {path}"
        );
    }
}

#[test]
fn the_webhook_takes_queued_jobs_and_holds_pull_requests_from_forks() {
    for (name, tree) in cases() {
        let path = "terraform/modules/ci-runner/main.tf";
        let module = hcl(&name, path, file(&tree, &name, path));
        let webhook = block(&module, "resource", &["aws_codebuild_webhook", "runner"]).unwrap();
        assert_eq!(source(&name, webhook, "build_type"), "\"BUILD\"");
        let group = block(webhook, "filter_group", &[]).unwrap();
        let filters: Vec<(String, String)> = group
            .blocks()
            .filter(|block| block.identifier.as_str() == "filter")
            .map(|filter| {
                (
                    source(&name, &filter.body, "type"),
                    source(&name, &filter.body, "pattern"),
                )
            })
            .collect();
        assert!(
            filters.contains(&("\"EVENT\"".to_owned(), "\"WORKFLOW_JOB_QUEUED\"".to_owned())),
            "{name}: {path}: {filters:?}"
        );
        assert!(
            filters.iter().any(|(kind, _)| kind == "\"WORKFLOW_NAME\""),
            "{name}: {path}: any workflow of the repository starts a build: {filters:?}"
        );
        let policy = block(webhook, "pull_request_build_policy", &[]).unwrap();
        assert_eq!(
            source(&name, policy, "requires_comment_approval"),
            "\"FORK_PULL_REQUESTS\"",
            "{name}: {path}"
        );
        // Only those who may push approve: reading the repository is not enough.
        let approvers = source(&name, policy, "approver_roles");
        for weak in ["GITHUB_READ", "GITHUB_TRIAGE"] {
            assert!(!approvers.contains(weak), "{name}: {path}: {approvers}");
        }
        // The GitHub credential is the account's connection, no token.
        let project = block(&module, "resource", &["aws_codebuild_project", "runner"]).unwrap();
        let auth = block(block(project, "source", &[]).unwrap(), "auth", &[]).unwrap();
        assert_eq!(source(&name, auth, "type"), "\"CODECONNECTIONS\"");
        assert_eq!(source(&name, auth, "resource"), "var.connection_arn");
    }
}

#[test]
fn no_database_admits_the_runner_and_the_cluster_api_does() {
    for (name, tree) in cases() {
        // The runner's group has no inbound rule and only HTTPS out.
        let path = "terraform/modules/ci-runner/main.tf";
        let text = file(&tree, &name, path);
        assert!(
            !text.contains("aws_vpc_security_group_ingress_rule"),
            "{name}: {path}"
        );
        assert!(!text.contains("ingress {"), "{name}: {path}");
        // No other unit reads the runner (its security group included): the databases admit
        // the nodes' and the bastion's groups by id, never the VPC's range.
        for (path, text) in &tree {
            if path.starts_with("terraform/")
                && !path.starts_with("terraform/modules/ci-runner/")
                && !path.ends_with("/ci-runner/terragrunt.hcl")
                && path != "terraform/_envcommon/ci-runner.hcl"
            {
                // A `dependency` on a ci-runner unit, or a read of its outputs.
                assert!(
                    !text.contains("ci-runner\"") && !text.contains("ci_runner."),
                    "{name}: {path} reads the CI runner"
                );
            }
        }
        for module in ["mysql", "redis", "mongodb-ec2", "documentdb"] {
            let path = format!("terraform/modules/{module}/main.tf");
            if let Some(text) = tree.get(&path) {
                assert!(
                    !text.contains("vpc_cidr"),
                    "{name}: {path} admits the VPC's range"
                );
            }
        }
        // The API admits HTTPS from the VPC, where the runner's builds are.
        let eks = file(&tree, &name, "terraform/modules/eks/main.tf");
        let start = eks.find("security_group_additional_rules").unwrap();
        let rules = &eks[start..start + eks[start..].find("\n  }\n").unwrap()];
        for needed in ["from_port   = 443", "cidr_blocks = [var.vpc_cidr_block]"] {
            assert!(rules.contains(needed), "{name}: eks: {rules}");
        }
    }
}

#[test]
fn the_build_role_creates_and_deletes_network_interfaces_in_its_vpc_only() {
    for (name, tree) in cases() {
        let path = "terraform/modules/ci-runner/main.tf";
        let text = file(&tree, &name, path);
        let module = hcl(&name, path, text);
        let role = block(&module, "module", &["role"]).unwrap();
        let permissions = common::hcl_value(attribute(role, "inline_policy_permissions").unwrap());
        let mut scoped = 0;
        for (sid, statement) in permissions.as_object().unwrap() {
            let actions: Vec<&str> = statement["actions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap())
                .collect();
            let resources = statement["resources"].to_string();
            // EC2 authorizes Describe* on "*" only; nothing else may name every resource.
            if resources.contains("\"*\"") {
                for action in &actions {
                    assert!(
                        action.starts_with("ec2:Describe"),
                        "{name}: {path}: {sid} allows {action} on every resource"
                    );
                }
            }
            if actions
                .iter()
                .any(|a| *a == "ec2:CreateNetworkInterface" || *a == "ec2:DeleteNetworkInterface")
            {
                scoped += 1;
                let condition = statement["condition"].to_string();
                assert!(
                    condition.contains("ec2:Vpc") && condition.contains("local.vpc_arn"),
                    "{name}: {path}: {sid} is not limited to the VPC: {condition}"
                );
            }
        }
        assert_eq!(scoped, 1, "{name}: {path}: {permissions}");
        assert!(
            text.contains(
                "vpc_arn    = \"arn:${local.partition}:ec2:${local.region}:${local.account_id}:vpc/${var.vpc_id}\""
            ),
            "{name}: {path}"
        );
    }
}

#[test]
fn the_readme_says_write_access_is_code_execution_in_the_vpcs() {
    for (name, tree) in cases() {
        let readme = file(&tree, &name, "README.md");
        let start = readme.find("### CI runners inside the VPCs").unwrap();
        let section = &readme[start..start + 1 + readme[start + 1..].find("\n### ").unwrap()];
        for needed in [
            "Write access to the repository is code execution inside each VPC",
            "keep\nthe repository private",
            "`.github/workflows/**`",
            "`CODEOWNERS`",
            "cd terraform/environments/<environment>/ci-runner",
        ] {
            assert!(section.contains(needed), "{name}: README lacks `{needed}`");
        }
    }
}

/// The shell of the `infrastructure` apply job, run with a stand-in `terragrunt` that records
/// where it runs and its arguments.
fn run_apply_step(name: &str, tree: &Tree, stack: &str) -> (String, String) {
    let path = ".github/workflows/infrastructure.yml";
    let workflow = yaml(name, path, file(tree, name, path));
    let steps = workflow["jobs"]["apply"]["steps"].as_array().unwrap();
    let script = steps
        .iter()
        .find(|step| step["name"] == "terragrunt run --all apply")
        .and_then(|step| step["run"].as_str())
        .unwrap_or_else(|| panic!("{name}: {path}: no apply step"));
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::create_dir_all(dir.path().join("terraform/shared")).unwrap();
    std::fs::create_dir_all(dir.path().join(format!("terraform/environments/{stack}"))).unwrap();
    let log = dir.path().join("terragrunt.log");
    let fake = bin.join("terragrunt");
    std::fs::write(
        &fake,
        format!(
            "#!/bin/bash\n{{ pwd; printf '<%s>' \"$@\"; echo; }} > '{}'\n",
            log.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    // GitHub runs a `run` step with `bash -e {0}`.
    let output = std::process::Command::new("bash")
        .args(["-e", "-c", script])
        .current_dir(dir.path())
        .env("STACK", stack)
        .env(
            "PATH",
            format!("{}:{}", bin.display(), std::env::var("PATH").unwrap()),
        )
        .output()
        .unwrap();
    assert!(output.status.success(), "{name}: {stack}: {output:?}");
    let recorded = std::fs::read_to_string(&log).unwrap();
    let (cwd, args) = recorded.trim_end().split_once('\n').unwrap();
    let cwd = cwd
        .strip_prefix(dir.path().canonicalize().unwrap().to_str().unwrap())
        .unwrap_or(cwd)
        .to_owned();
    (
        format!("{cwd} {args}"),
        String::from_utf8(output.stdout).unwrap(),
    )
}

#[test]
fn the_ci_apply_of_an_environment_leaves_out_the_runner_it_runs_on() {
    for (name, tree) in cases() {
        for (environment, _) in environments(&name, &tree) {
            let (call, printed) = run_apply_step(&name, &tree, &environment);
            assert_eq!(
                call,
                format!(
                    "/terraform/environments/{environment} <run><--all><--backend-bootstrap>\
                     <--filter><!./ci-runner><--><apply><-no-color><-lock-timeout=10m>"
                ),
                "{name}"
            );
            assert!(
                printed.contains(&format!(
                    "Not applied here: terraform/environments/{environment}/ci-runner"
                )),
                "{name}: {printed}"
            );
            // The unit excluded is the one that exists (Terragrunt matches the path).
            assert!(
                tree.contains_key(&format!(
                    "terraform/environments/{environment}/ci-runner/terragrunt.hcl"
                )),
                "{name}: {environment}"
            );
        }
        // `shared` has no runner: everything in it is applied.
        let (call, printed) = run_apply_step(&name, &tree, "shared");
        assert_eq!(
            call,
            "/terraform/shared <run><--all><--backend-bootstrap><--><apply><-no-color><-lock-timeout=10m>",
            "{name}"
        );
        assert!(!printed.contains("Not applied here"), "{name}: {printed}");
    }
}
