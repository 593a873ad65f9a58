//! The pipeline part of a generated repository, checked without external tools: GitHub workflows
//! (permissions, concurrency, OIDC only, pinned actions, `${{ }}` expressions intact, one deploy
//! per environment), the Tutor configuration of each environment (hosts, external services per
//! MongoDB option, no secrets), the local Tutor plugin and the helper scripts.
//! `.ci/check-pipeline.sh` proves the same tree against the real Tutor, kubectl, shellcheck,
//! yamllint and action-validator.

use crate::common::{self, Tree, read_checkout as read};
use serde_json::Value;
use std::collections::BTreeSet;
use std::sync::OnceLock;

fn yaml(name: &str, text: &str) -> Value {
    serde_saphyr::from_str::<Value>(text).unwrap_or_else(|error| panic!("{name}: {error}"))
}

/// Every example answers file, plus variants that cover each MongoDB option and a bastion-less
/// platform, with the answers as parsed.
fn cases() -> &'static [(String, Value, Tree)] {
    static CASES: OnceLock<Vec<(String, Value, Tree)>> = OnceLock::new();
    CASES.get_or_init(render_cases)
}

fn render_cases() -> Vec<(String, Value, Tree)> {
    let mut sources: Vec<(String, String)> = common::examples()
        .into_iter()
        .map(|(name, text)| (format!("{name}.yml"), text))
        .collect();
    let seed = sources
        .iter()
        .find(|(name, _)| name == "seed-like.yml")
        .expect("examples/seed-like.yml")
        .1
        .clone();
    for mongodb in ["in_cluster", "documentdb"] {
        sources.push((
            format!("seed-like.yml with mongodb {mongodb}"),
            seed.replace("mongodb: ec2", &format!("mongodb: {mongodb}"))
                .replace("bastion: true", "bastion: false"),
        ));
    }
    sources
        .into_iter()
        .map(|(name, text)| {
            let tree = common::render(&text);
            let answers = yaml(&name, &text);
            (name, answers, tree)
        })
        .collect()
}

fn mongodb(answers: &Value) -> &str {
    answers["mongodb"].as_str().unwrap_or("ec2")
}

fn environments(answers: &Value) -> Vec<(String, String)> {
    match answers["environments"].as_array() {
        Some(list) => list
            .iter()
            .map(|e| {
                (
                    e["name"].as_str().unwrap().to_owned(),
                    e["subdomain"].as_str().unwrap_or("courses").to_owned(),
                )
            })
            .collect(),
        None => vec![("prod".to_owned(), "courses".to_owned())],
    }
}

fn platform(answers: &Value) -> String {
    format!(
        "{}-{}",
        answers["platform_name"].as_str().unwrap(),
        answers["platform_region"].as_str().unwrap_or("global")
    )
}

fn text_of(value: &Value) -> String {
    serde_json::to_string(value).unwrap()
}

fn workflows(tree: &Tree) -> Vec<(&String, &String)> {
    tree.iter()
        .filter(|(path, _)| path.starts_with(".github/workflows/"))
        .collect()
}

/// `owner/repo@ref` of every step that uses an action.
fn uses(workflow: &Value) -> Vec<String> {
    let mut found = Vec::new();
    for job in workflow["jobs"].as_object().unwrap().values() {
        for step in job["steps"].as_array().into_iter().flatten() {
            if let Some(action) = step["uses"].as_str() {
                found.push(action.to_owned());
            }
        }
    }
    found
}

#[test]
fn workflows_are_least_privilege_and_use_oidc_only() {
    for (name, _, tree) in cases() {
        let files = workflows(tree);
        assert!(files.len() >= 3, "{name}: too few workflows: {files:?}");
        for (path, text) in files {
            let doc = yaml(path, text);
            assert!(doc["name"].is_string(), "{name}: {path}: no name");
            assert_eq!(
                doc["permissions"],
                serde_json::json!({}),
                "{name}: {path}: top-level permissions must be empty"
            );
            assert!(
                doc["concurrency"]["group"].is_string(),
                "{name}: {path}: no concurrency group"
            );
            for lower in [
                "aws-access-key-id",
                "aws-secret-access-key",
                "aws-session-token",
            ] {
                assert!(!text.contains(lower), "{name}: {path}: {lower}");
            }
            for upper in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "secrets.AWS"] {
                assert!(!text.contains(upper), "{name}: {path}: {upper}");
            }
            for (job_name, job) in doc["jobs"].as_object().unwrap() {
                let permissions = job["permissions"].as_object().unwrap_or_else(|| {
                    panic!("{name}: {path}: job {job_name} declares no permissions")
                });
                for (scope, level) in permissions {
                    let allowed = (scope == "contents" && level == "read")
                        || (scope == "id-token" && level == "write");
                    assert!(allowed, "{name}: {path}: job {job_name}: {scope}: {level}");
                }
                assert!(
                    job["timeout-minutes"].is_number(),
                    "{name}: {path}: job {job_name}: no timeout"
                );
                let steps = job["steps"].as_array().unwrap();
                // A job without an OIDC token (the deploy's `changes`) reads the checkout only.
                if permissions.get("id-token").is_none() {
                    assert_eq!(permissions.len(), 1, "{name}: {path}: job {job_name}");
                    assert!(
                        !text_of(job).contains("configure-aws-credentials"),
                        "{name}: {path}: job {job_name} gets AWS credentials without id-token"
                    );
                    continue;
                }
                let aws: Vec<&Value> = steps
                    .iter()
                    .filter(|s| {
                        s["uses"].as_str().is_some_and(|u| {
                            u.starts_with("aws-actions/configure-aws-credentials@")
                        })
                    })
                    .collect();
                assert!(
                    !aws.is_empty(),
                    "{name}: {path}: job {job_name} never gets AWS credentials"
                );
                assert_eq!(
                    permissions.get("id-token").and_then(Value::as_str),
                    Some("write")
                );
                for step in aws {
                    let role = step["with"]["role-to-assume"].as_str().unwrap_or_else(|| {
                        panic!("{name}: {path}: configure-aws-credentials without role-to-assume")
                    });
                    assert!(
                        role.starts_with("arn:aws:iam::"),
                        "{name}: {path}: role {role}"
                    );
                    assert!(step["with"]["aws-region"].is_string());
                }
                for step in steps {
                    if step["uses"]
                        .as_str()
                        .is_some_and(|u| u.starts_with("actions/checkout@"))
                    {
                        assert_eq!(
                            step["with"]["persist-credentials"],
                            Value::Bool(false),
                            "{name}: {path}"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn every_action_is_pinned_to_a_major_from_the_versions_file() {
    let versions = crate::common::versions();
    let pins = versions["actions"].as_object().expect("an `actions` group");
    let key_of = |repository: &str| match repository {
        "actions/checkout" => "checkout",
        "actions/setup-python" => "setup_python",
        "actions/cache" => "cache",
        "aws-actions/configure-aws-credentials" => "configure_aws_credentials",
        "aws-actions/amazon-ecr-login" => "amazon_ecr_login",
        "docker/setup-buildx-action" => "setup_buildx",
        other => panic!("action {other} has no pin in blueprints/_versions.yml `actions`"),
    };
    let mut seen = BTreeSet::new();
    for (name, _, tree) in cases() {
        for (path, text) in workflows(tree) {
            for action in uses(&yaml(path, text)) {
                let (repository, reference) = action
                    .split_once('@')
                    .unwrap_or_else(|| panic!("{name}: {path}: {action} is not pinned"));
                let pin = pins[key_of(repository)].as_str().unwrap();
                assert_eq!(reference, pin, "{name}: {path}: {action}");
                assert!(
                    reference.starts_with('v')
                        && reference[1..].chars().all(|c| c.is_ascii_digit()),
                    "{name}: {path}: {action}: pin a major version (vN)"
                );
                seen.insert(repository.to_owned());
            }
        }
    }
    for needed in [
        "actions/checkout",
        "aws-actions/configure-aws-credentials",
        "aws-actions/amazon-ecr-login",
    ] {
        assert!(seen.contains(needed), "no workflow uses {needed}");
    }
}

/// `${{ ... }}` expressions of a text, in order.
fn expressions(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${{") {
        let after = &rest[start..];
        let end = after
            .find("}}")
            .unwrap_or_else(|| panic!("unclosed expression: {after:.60}"));
        let expression = &after[..end + 2];
        assert!(
            !expression.contains('\n'),
            "expression across lines: {expression}"
        );
        found.push(expression.to_owned());
        rest = &after[end + 2..];
    }
    found
}

#[test]
fn expressions_survive_rendering() {
    for (name, answers, tree) in cases() {
        let envs = environments(answers);
        for (blueprint, rendered) in [
            (
                ".github/workflows/build.yml",
                vec![".github/workflows/build.yml".to_owned()],
            ),
            (
                ".github/workflows/infrastructure.yml",
                vec![".github/workflows/infrastructure.yml".to_owned()],
            ),
            (
                ".github/workflows/deploy-__env__.yml",
                envs.iter()
                    .map(|(env, _)| format!(".github/workflows/deploy-{env}.yml"))
                    .collect(),
            ),
        ] {
            let source = expressions(&read(&format!("blueprints/{blueprint}")));
            assert!(!source.is_empty(), "{blueprint} has no expression");
            for path in rendered {
                let text = tree
                    .get(&path)
                    .unwrap_or_else(|| panic!("{name}: no {path}"));
                // Every expression comes out unchanged and in order; a deploy workflow leaves
                // out those of the blocks only non-production environments have.
                let out = expressions(text);
                if blueprint.contains("__env__") {
                    let mut rest = source.iter();
                    for expression in &out {
                        assert!(
                            rest.any(|s| s == expression),
                            "{name}: {path}: `{expression}` is not in the blueprint, or out of order"
                        );
                    }
                    if text.contains("workflow_run:") {
                        assert_eq!(out, source, "{name}: {path}");
                    }
                } else {
                    assert_eq!(out, source, "{name}: {path}");
                }
                for marker in ["[[", "]]", "[%", "%]", "[#", "#]"] {
                    assert!(
                        !text.contains(marker),
                        "{name}: {path}: template syntax {marker} left"
                    );
                }
            }
        }
    }
}

#[test]
fn one_deploy_workflow_per_environment() {
    for (name, answers, tree) in cases() {
        let platform = platform(answers);
        let account = answers["aws_account_id"].as_str().unwrap();
        let root = answers["root_domain"].as_str().unwrap();
        let envs = environments(answers);
        let deploys: BTreeSet<String> = tree
            .keys()
            .filter_map(|p| p.strip_prefix(".github/workflows/deploy-"))
            .map(|p| p.trim_end_matches(".yml").to_owned())
            .collect();
        let expected: BTreeSet<String> = envs.iter().map(|(env, _)| env.clone()).collect();
        assert_eq!(deploys, expected, "{name}");
        for (env, subdomain) in &envs {
            let path = format!(".github/workflows/deploy-{env}.yml");
            let text = &tree[&path];
            let doc = yaml(&path, text);
            let job = &doc["jobs"]["deploy"];
            assert_eq!(
                job["environment"]["name"],
                Value::String(env.clone()),
                "{name}: {path}"
            );
            assert_eq!(
                job["environment"]["url"],
                Value::String(format!("https://{subdomain}.{root}"))
            );
            let prefix = format!("{platform}-{env}");
            assert!(
                text.contains(&format!(
                    "role-to-assume: arn:aws:iam::{account}:role/{prefix}-github-deploy"
                )),
                "{name}: {path}"
            );
            assert!(
                text.contains(&format!(
                    "aws eks update-kubeconfig --region {} --name {prefix}",
                    answers["aws_region"].as_str().unwrap()
                )),
                "{name}: {path}"
            );
            assert!(
                text.contains(&format!("scripts/tutor-deploy.sh \"${{args[@]}}\" {env}")),
                "{name}: {path}"
            );
            assert_eq!(
                doc["concurrency"]["cancel-in-progress"],
                Value::Bool(false),
                "{name}: {path}: never cancel a deploy"
            );
            let triggers = doc["on"].as_object().unwrap();
            assert!(triggers.contains_key("workflow_dispatch"));
            if env == "prod" {
                assert_eq!(triggers.len(), 1, "{name}: production deploys only by hand");
            } else {
                assert!(
                    triggers.contains_key("workflow_run"),
                    "{name}: {path}: follows the build"
                );
            }
        }
        let build = &tree[".github/workflows/build.yml"];
        assert!(
            build.contains(&format!("role/{platform}-github-build")),
            "{name}"
        );
        assert!(build.contains("scripts/tutor-build.sh --push"), "{name}");
        let infrastructure = yaml(
            "infrastructure.yml",
            &tree[".github/workflows/infrastructure.yml"],
        );
        assert!(
            infrastructure["on"]["pull_request"]["paths"]
                .as_array()
                .unwrap()
                .contains(&Value::String("terraform/**".into()))
        );
        let options: Vec<&str> =
            infrastructure["on"]["workflow_dispatch"]["inputs"]["stack"]["options"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
        let mut wanted = vec!["shared"];
        wanted.extend(envs.iter().map(|(env, _)| env.as_str()));
        assert_eq!(options, wanted, "{name}");
        let text = &tree[".github/workflows/infrastructure.yml"];
        assert!(text.contains("terragrunt run --all -- plan"), "{name}");
        assert!(
            text.contains("terragrunt run --all --backend-bootstrap \"${exclude[@]}\" -- apply"),
            "{name}"
        );
        assert!(text.contains("TG_NON_INTERACTIVE"), "{name}");
        assert!(
            text.contains(&format!("role/{platform}-github-infrastructure")),
            "{name}"
        );
    }
}

#[test]
fn tutor_configuration_per_environment() {
    for (name, answers, tree) in cases() {
        let platform = platform(answers);
        let root = answers["root_domain"].as_str().unwrap();
        let registry = format!(
            "{}.dkr.ecr.{}.amazonaws.com",
            answers["aws_account_id"].as_str().unwrap(),
            answers["aws_region"].as_str().unwrap()
        );
        let mongo = mongodb(answers);
        for (env, subdomain) in environments(answers) {
            let path = format!("ci/tutor-deploy/environments/{env}/config.yml");
            let text = tree
                .get(&path)
                .unwrap_or_else(|| panic!("{name}: no {path}"));
            let config = yaml(&path, text);
            let lms = format!("{subdomain}.{root}");
            let expect = |key: &str, value: Value| {
                assert_eq!(config[key], value, "{name}: {path}: {key}");
            };
            let s = |v: &str| Value::String(v.to_owned());
            expect("LMS_HOST", s(&lms));
            expect("CMS_HOST", s(&format!("studio.{lms}")));
            expect("MFE_HOST", s(&format!("apps.{lms}")));
            expect("ENABLE_HTTPS", Value::Bool(true));
            expect("ENABLE_WEB_PROXY", Value::Bool(false));
            expect("K8S_NAMESPACE", s("openedx"));
            expect(
                "DOCKER_IMAGE_OPENEDX",
                s(&format!("{registry}/{platform}-openedx:22.0.3")),
            );
            expect(
                "MFE_DOCKER_IMAGE",
                s(&format!("{registry}/{platform}-openedx-mfe:22.0.3")),
            );
            for key in ["RUN_MYSQL", "RUN_REDIS", "RUN_SMTP"] {
                expect(key, Value::Bool(false));
            }
            expect("MYSQL_HOST", s(&format!("mysql.{lms}")));
            expect("REDIS_HOST", s(&format!("redis.{lms}")));
            expect("RUN_MEILISEARCH", Value::Bool(true));
            expect("DEVOPS_S3_CUSTOM_DOMAIN", s(&format!("cdn.{lms}")));
            let plugins = config["PLUGINS"].as_array().unwrap();
            assert!(
                plugins.contains(&s("devops")) && plugins.contains(&s("mfe")),
                "{name}: {path}"
            );
            match mongo {
                "in_cluster" => {
                    expect("RUN_MONGODB", Value::Bool(true));
                    assert!(config.get("MONGODB_HOST").is_none(), "{name}: {path}");
                }
                "documentdb" => {
                    expect("RUN_MONGODB", Value::Bool(false));
                    expect("MONGODB_HOST", s(&format!("mongodb.{lms}")));
                    expect("MONGODB_USE_SSL", Value::Bool(true));
                    expect("MONGODB_REPLICA_SET", s("rs0"));
                }
                _ => {
                    expect("RUN_MONGODB", Value::Bool(false));
                    expect("MONGODB_HOST", s(&format!("mongodb.{lms}")));
                    assert!(config.get("MONGODB_USE_SSL").is_none(), "{name}: {path}");
                }
            }
            for key in config.as_object().unwrap().keys() {
                for secret in ["PASSWORD", "SECRET", "ACCESS_KEY", "JWT_RSA", "ID"] {
                    assert!(
                        !key.ends_with(secret) && key != "ID",
                        "{name}: {path}: secret key {key} in config.yml"
                    );
                }
            }
            // An environment whose host sits under another's, and every environment but
            // production, keeps its cookies apart (production keeps Open edX's names).
            let nested = environments(answers)
                .iter()
                .any(|(other, sub)| other != &env && lms.ends_with(&format!(".{sub}.{root}")));
            let production = tree[&format!("terraform/environments/{env}/env.hcl")]
                .contains("is_production   = true");
            assert_eq!(
                config.get("DEVOPS_COOKIE_PREFIX").is_some(),
                nested || !production,
                "{name}: {path}"
            );
        }
    }
}

#[test]
fn plugin_secrets_map_and_scripts_follow_the_answers() {
    for (name, answers, tree) in cases() {
        let mongo = mongodb(answers);
        let plugin = &tree["ci/tutor-plugins/devops.py"];
        assert!(plugin.contains("from tutor import hooks"), "{name}");
        assert!(
            plugin.contains("STORAGES[\"default\"]"),
            "{name}: Django 5 STORAGES"
        );
        assert!(
            !plugin.contains("DEFAULT_FILE_STORAGE"),
            "{name}: removed in Django 5.1"
        );
        assert!(plugin.contains("EVENT_BUS_REDIS_CONNECTION_URL"), "{name}");
        assert_eq!(
            plugin.contains("retryWrites"),
            mongo == "documentdb",
            "{name}: retryWrites only for DocumentDB"
        );
        assert_eq!(
            plugin.contains("rds-ca-bundle.pem"),
            mongo == "documentdb",
            "{name}"
        );
        for marker in ["[[", "[%", "[#"] {
            assert!(
                !plugin.contains(marker),
                "{name}: template syntax left in the plugin"
            );
        }

        let table = &tree["ci/tutor-deploy/cluster-secrets.txt"];
        let rows: Vec<Vec<&str>> = table
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .map(|l| l.split_whitespace().collect())
            .collect();
        assert!(
            rows.iter()
                .all(|r| r.len() == 4 && ["str", "str?", "int", "bool"].contains(&r[3])),
            "{name}: {rows:?}"
        );
        let secrets: BTreeSet<&str> = rows.iter().map(|r| r[0]).collect();
        let mut expected: BTreeSet<&str> = ["mysql-root", "redis", "smtp", "s3"].into();
        if mongo != "in_cluster" {
            expected.insert("mongodb");
        }
        assert_eq!(secrets, expected, "{name}");
        let keys: BTreeSet<&str> = rows.iter().map(|r| r[2]).collect();
        for key in [
            "MYSQL_ROOT_PASSWORD",
            "SMTP_PASSWORD",
            "DEVOPS_S3_BUCKET",
            "REDIS_PASSWORD",
        ] {
            assert!(keys.contains(key), "{name}: {key}");
        }
        // Open edX reaches S3 through EKS Pod Identity: no access key reaches Tutor.
        assert!(
            !keys.iter().any(|k| k.starts_with("OPENEDX_AWS_")),
            "{name}: {keys:?}"
        );
        assert_eq!(
            keys.contains("MONGODB_PASSWORD"),
            mongo != "in_cluster",
            "{name}"
        );

        for script in [
            "tutor-deploy.sh",
            "tutor-build.sh",
            "install-kubectl.sh",
            "install-iac-tools.sh",
            "backup.sh",
            "restore.sh",
        ] {
            let text = tree
                .get(&format!("scripts/{script}"))
                .unwrap_or_else(|| panic!("{name}: no scripts/{script}"));
            assert!(
                text.starts_with("#!/usr/bin/env bash\n"),
                "{name}: {script}"
            );
            assert!(text.contains("set -euo pipefail"), "{name}: {script}");
        }
        assert_eq!(
            tree.contains_key("scripts/bastion-setup.sh"),
            answers["bastion"].as_bool().unwrap_or(true),
            "{name}: bastion-setup.sh only with a bastion"
        );
        let readme = &tree["README.md"];
        assert!(
            readme.contains("## Build and deploy"),
            "{name}: the pipeline section is in the README"
        );
    }
}

#[test]
fn production_follows_the_answer_whatever_the_name() {
    // Was: only `prod` was production; `live` got no deletion protection and auto-deploys.
    let text = "platform_name: lake\nroot_domain: lake.edu\naws_region: eu-west-1\naws_account_id: \"123456789012\"\nenvironments:\n  - name: live\n    subdomain: learn\n  - name: qa\n    subdomain: qa-learn\n";
    let tree = crate::common::render(text);
    let live = &tree["terraform/environments/live/env.hcl"];
    let qa = &tree["terraform/environments/qa/env.hcl"];
    assert!(live.contains("is_production   = true"), "{live}");
    assert!(
        live.contains("mysql_deletion_protection   = true"),
        "{live}"
    );
    assert!(qa.contains("is_production   = false"), "{qa}");
    assert!(qa.contains("mysql_multi_az              = false"), "{qa}");
    let deploy_live = &tree[".github/workflows/deploy-live.yml"];
    let deploy_qa = &tree[".github/workflows/deploy-qa.yml"];
    // Production deploys only when someone asks; the others follow every build of main.
    assert!(
        !deploy_live.contains("\n  workflow_run:\n"),
        "{deploy_live}"
    );
    assert!(deploy_qa.contains("\n  workflow_run:\n"), "{deploy_qa}");
}

/// yamllint (`.ci/yamllint.yml`) allows 160 characters a line. CI lints the examples only, so a
/// line that grows with the answers (a repository name written twice, say) passes there and fails
/// the user's own lint: render the longest names the answers allow, and measure every line.
#[test]
fn yaml_lines_stay_within_yamllint_for_the_longest_names() {
    // 27 + 1 + 7 + 1 + 4 characters: the 40 that the resource prefix allows.
    let answers = "platform_name: abcdefghijklmnopqrstuvwxyza\nplatform_region: emeanor\n\
        root_domain: a-rather-long-school-name.example\naws_region: ap-southeast-2\n\
        aws_account_id: \"123456789012\"\ngithub_organization: an-organization-with-a-long-name\n\
        github_repository: a-repository-with-a-long-name-too\nenvironments:\n\
        \x20 - name: prod\n  - name: stag\n";
    let tree = common::render(answers);
    let config = read(".ci/yamllint.yml");
    assert!(
        config.contains("max: 160"),
        "the limit moved: update this test"
    );
    let mut long = Vec::new();
    for (path, text) in &tree {
        if path.starts_with("terraform/") || !(path.ends_with(".yml") || path.ends_with(".yaml")) {
            continue;
        }
        for (index, line) in text.lines().enumerate() {
            if line.chars().count() > 160 {
                long.push(format!(
                    "{path}:{}: {} characters",
                    index + 1,
                    line.chars().count()
                ));
            }
        }
    }
    assert!(long.is_empty(), "{long:#?}");
}
