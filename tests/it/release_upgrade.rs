//! Release upgrades and the AWS copy of `tutor-generated`, on the rendered tree of every example:
//! the release list the deploy script carries is `_versions.yml`'s, the deploy role reads and
//! writes exactly its environment's Secrets Manager secret (and nothing else may), the secret is
//! encrypted with a key of its own, Terraform never holds its value, and the README says how to
//! move to the next release.

use crate::common::{self, Tree};
use hcl::expr::{Expression, ObjectKey};
use std::collections::BTreeSet;

const SCRIPT: &str = "scripts/tutor-deploy.sh";
const MODULE: &str = "terraform/modules/github-deploy-role/main.tf";
const UNIT: &str = "terraform/_envcommon/github-deploy-role.hcl";

/// The names Tutor 22.0.3 accepts for `tutor k8s upgrade --from` (tutor/__about__.py
/// OPENEDX_RELEASE_NAMES at v22.0.3, as `tutor k8s upgrade --help` prints them).
const TUTOR_22_FROM: &[&str] = &[
    "ironwood", "juniper", "koa", "lilac", "maple", "nutmeg", "olive", "palm", "quince", "redwood",
    "sumac", "teak", "ulmo", "verawood",
];

/// `openedx.releases` as (name, major) pairs.
fn releases() -> Vec<(String, u32)> {
    let versions = common::versions();
    let text = versions["openedx"]["releases"]
        .as_str()
        .expect("openedx.releases is a string");
    text.split(' ')
        .map(|entry| {
            let (name, major) = entry
                .split_once(':')
                .unwrap_or_else(|| panic!("openedx.releases: `{entry}` is not name:major"));
            (name.to_owned(), major.parse().unwrap())
        })
        .collect()
}

fn rendered() -> Vec<(String, Tree)> {
    common::examples()
        .into_iter()
        .map(|(name, text)| (name, common::render(&text)))
        .collect()
}

fn file<'a>(tree: &'a Tree, path: &str) -> &'a str {
    tree.get(path)
        .unwrap_or_else(|| panic!("`{path}` is not rendered"))
}

fn text(expr: &Expression) -> String {
    hcl::format::to_string(expr).unwrap()
}

fn field<'a>(object: &'a Expression, name: &str) -> Option<&'a Expression> {
    let Expression::Object(object) = object else {
        panic!("not an object: {}", text(object))
    };
    object.iter().find_map(|(key, value)| {
        let matches = match key {
            ObjectKey::Identifier(id) => id.as_str() == name,
            ObjectKey::Expression(Expression::String(s)) => s == name,
            _ => false,
        };
        matches.then_some(value)
    })
}

/// A list's items (strings as themselves, other expressions as HCL text); an expression that is
/// not a literal list (`var.ecr_repository_arns`, a conditional) as its one item.
fn strings(expr: &Expression) -> BTreeSet<String> {
    let Expression::Array(items) = expr else {
        return BTreeSet::from([text(expr)]);
    };
    items
        .iter()
        .map(|item| match item {
            Expression::String(s) => s.clone(),
            other => text(other),
        })
        .collect()
}

#[test]
fn the_release_list_is_ordered_and_names_the_pinned_release() {
    let versions = common::versions();
    let releases = releases();
    let majors: Vec<u32> = releases.iter().map(|(_, major)| *major).collect();
    assert!(
        majors.windows(2).all(|pair| pair[1] == pair[0] + 1),
        "one Tutor major per release, in order: {majors:?}"
    );
    let tutor_major: u32 = versions["openedx"]["tutor_major"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let tutor = versions["openedx"]["tutor"].as_str().unwrap();
    assert!(tutor.starts_with(&format!("{tutor_major}.")), "{tutor}");
    let position = releases
        .iter()
        .position(|(_, major)| *major == tutor_major)
        .expect("the pinned Tutor's major is in the list");
    assert_eq!(releases[position].0, versions["openedx"]["release"]);
    assert!(
        versions["openedx"]["release_tag"]
            .as_str()
            .unwrap()
            .contains(&releases[position].0)
    );
    // Every release up to the pinned one is a `--from` the pinned Tutor accepts.
    for (name, _) in &releases[..=position] {
        assert!(TUTOR_22_FROM.contains(&name.as_str()), "{name}");
    }
    // The upgrade path needs the previous release, the skip refusal the one before.
    assert!(position >= 2, "the list starts at least two releases back");
}

#[test]
fn the_deploy_script_carries_the_release_list_and_each_environments_secret() {
    let list = common::versions()["openedx"]["releases"]
        .as_str()
        .unwrap()
        .to_owned();
    for (example, tree) in rendered() {
        let script = file(&tree, SCRIPT);
        assert!(
            script.contains(&format!("\nRELEASES=\"{list}\"\n")),
            "{example}: {SCRIPT} does not carry openedx.releases `{list}`"
        );
        let environments: Vec<&str> = tree
            .keys()
            .filter_map(|path| {
                path.strip_prefix("terraform/environments/")?
                    .strip_suffix("/env.hcl")
            })
            .collect();
        assert!(!environments.is_empty());
        for environment in environments {
            let env_hcl = file(
                &tree,
                &format!("terraform/environments/{environment}/env.hcl"),
            );
            let prefix = env_hcl
                .lines()
                .find_map(|line| line.trim().strip_prefix("resource_prefix = "))
                .unwrap()
                .trim_matches('"');
            let line = format!("  {environment}) aws_secret=\"{prefix}/tutor-generated\" ;;");
            assert!(
                script.lines().any(|l| l == line),
                "{example}: {SCRIPT} lacks `{line}`"
            );
        }
        // The Terraform names the secret the same way.
        let unit = file(&tree, UNIT);
        assert!(
            unit.contains(
                "tutor_generated_secret_name = \"${local.env.resource_prefix}/tutor-generated\""
            ),
            "{example}: {UNIT}"
        );
        // The value reaches the CLI from a file, never as an argument; the release record is
        // applied server-side, which `tutor k8s start --prune-configmaps` does not prune.
        assert!(script.contains("--secret-string \"file://$work/aws-new.json\""));
        assert_eq!(script.matches("--secret-string").count(), 1, "{example}");
        assert!(
            script.contains("apply --server-side --field-manager=tutor-deploy"),
            "{example}"
        );
        // The upgrade runs before the manifests are applied.
        let upgrade = script.find("tutor k8s upgrade --from=").unwrap();
        let start = script.find("\ntutor k8s start").unwrap();
        assert!(upgrade < start, "{example}: upgrade after start");
    }
}

#[test]
fn the_deploy_role_reads_and_writes_exactly_its_secret() {
    for (example, tree) in rendered() {
        let body = hcl::parse(file(&tree, MODULE)).unwrap();
        let role = common::hcl_block(&body, "module", &["role"]).expect("module role");
        let permissions = common::hcl_attribute(role, "inline_policy_permissions").unwrap();
        let Expression::Object(statements) = permissions else {
            panic!("{example}: inline_policy_permissions is not an object")
        };
        let mut secret_statements = 0;
        for (name, statement) in statements.iter() {
            let actions = strings(field(statement, "actions").unwrap());
            let resources = strings(field(statement, "resources").unwrap());
            assert!(
                !resources.contains("*"),
                "{example}: {name:?} names every resource"
            );
            if actions.iter().any(|a| a.starts_with("secretsmanager:")) {
                secret_statements += 1;
                assert_eq!(
                    actions,
                    BTreeSet::from(
                        [
                            "secretsmanager:DescribeSecret",
                            "secretsmanager:GetSecretValue",
                            "secretsmanager:PutSecretValue"
                        ]
                        .map(String::from)
                    ),
                    "{example}"
                );
                assert_eq!(
                    resources,
                    BTreeSet::from(["aws_secretsmanager_secret.tutor_generated.arn".to_owned()]),
                    "{example}"
                );
            }
            if resources.contains("aws_kms_key.tutor_generated.arn") {
                assert_eq!(resources.len(), 1);
                assert_eq!(
                    actions,
                    BTreeSet::from(["kms:Decrypt", "kms:GenerateDataKey"].map(String::from))
                );
                let condition = text(field(statement, "condition").expect("a condition"));
                assert!(condition.contains("kms:ViaService"), "{condition}");
                assert!(condition.contains("secretsmanager."), "{condition}");
            }
        }
        assert_eq!(secret_statements, 1, "{example}");
    }
}

#[test]
fn the_copy_has_a_key_of_its_own_no_value_in_terraform_and_a_recovery_window() {
    for (example, tree) in rendered() {
        let main = file(&tree, MODULE);
        let body = hcl::parse(main).unwrap();
        let secret = common::hcl_block(
            &body,
            "resource",
            &["aws_secretsmanager_secret", "tutor_generated"],
        )
        .expect("the secret");
        let attribute = |name| common::hcl_attribute(secret, name).map(text);
        assert_eq!(
            attribute("kms_key_id").as_deref(),
            Some("aws_kms_key.tutor_generated.arn")
        );
        assert_eq!(attribute("recovery_window_in_days").as_deref(), Some("30"));
        assert_eq!(
            attribute("name").as_deref(),
            Some("var.tutor_generated_secret_name")
        );
        let key = common::hcl_block(&body, "resource", &["aws_kms_key", "tutor_generated"])
            .expect("its key");
        assert_eq!(
            common::hcl_attribute(key, "enable_key_rotation")
                .map(text)
                .as_deref(),
            Some("true")
        );
        // The key policy names the account alone (a path-less IAM Identity Center role ARN in
        // it would be refused: MalformedPolicyDocumentException); the account administers the key
        // without using it or granting use, and uses it only through Secrets Manager for this
        // secret, IAM deciding who (the deploy role's policy above).
        let policy = common::hcl_value(common::hcl_attribute(key, "policy").unwrap());
        let statements = policy["Statement"].as_array().expect("statements");
        assert_eq!(statements.len(), 2, "{example}: {policy}");
        let root = "arn:${local.partition}:iam::${local.account_id}:root";
        let actions = |statement: &serde_json::Value| -> BTreeSet<String> {
            let list = &statement["Action"];
            list.as_array()
                .map(|items| {
                    items
                        .iter()
                        .map(|a| a.as_str().unwrap().to_owned())
                        .collect()
                })
                .unwrap_or_else(|| BTreeSet::from([list.as_str().unwrap().to_owned()]))
        };
        for statement in statements {
            assert_eq!(
                statement["Principal"],
                serde_json::json!({ "AWS": root }),
                "{example}: a key policy principal other than the account"
            );
        }
        let sid = |name: &str| {
            statements
                .iter()
                .find(|s| s["Sid"] == name)
                .unwrap_or_else(|| panic!("{example}: no statement {name}"))
        };
        let admin = actions(sid("AccountAdministersKey"));
        for action in &admin {
            // Wildcards match as IAM does: `kms:Create*` would allow kms:CreateGrant.
            let prefix = action.trim_end_matches('*');
            for forbidden in [
                "kms:Decrypt",
                "kms:Encrypt",
                "kms:GenerateDataKey",
                "kms:ReEncryptFrom",
                "kms:CreateGrant",
            ] {
                let matches = if action.ends_with('*') {
                    forbidden.starts_with(prefix)
                } else {
                    forbidden == action
                };
                assert!(
                    !matches,
                    "{example}: the admin statement allows {forbidden} ({action})"
                );
            }
        }
        let use_ = sid("AccountUsesThroughSecretsManager");
        assert_eq!(
            actions(use_),
            BTreeSet::from(["kms:Decrypt", "kms:GenerateDataKey"].map(String::from))
        );
        let condition = &use_["Condition"];
        assert_eq!(
            condition["StringEquals"]["kms:ViaService"],
            "secretsmanager.${data.aws_region.current.region}.amazonaws.com",
            "{example}: {condition}"
        );
        assert_eq!(
            condition["StringEquals"]["kms:CallerAccount"], "local.account_id",
            "{example}: {condition}"
        );
        assert_eq!(
            condition["StringLike"]["kms:EncryptionContext:SecretARN"],
            "local.tutor_generated_arn_pattern",
            "{example}: {condition}"
        );
        assert!(main.contains(
            "tutor_generated_arn_pattern = \"arn:${local.partition}:secretsmanager:${data.aws_region.current.region}:${local.account_id}:secret:${var.tutor_generated_secret_name}-??????\""
        ), "{example}");
        // No ARN hard-codes the partition (GovCloud, China).
        assert!(
            !main.contains("\"arn:aws:"),
            "{example}: {MODULE} hard-codes arn:aws:"
        );
        // Terraform never writes a value: none sits in the state for the plan role to read.
        for (path, content) in &tree {
            if path.starts_with("terraform/") {
                assert!(
                    !content.contains("aws_secretsmanager_secret_version"),
                    "{example}: {path} writes a secret value"
                );
                if path != MODULE {
                    assert!(
                        !content.contains("secretsmanager:"),
                        "{example}: {path} grants Secrets Manager access"
                    );
                }
            }
        }
        // No list of principals reaches the key: the module takes none and the unit passes none.
        let variables = file(&tree, "terraform/modules/github-deploy-role/variables.tf");
        assert!(!variables.contains("principal"), "{example}: {variables}");
        let unit = file(&tree, UNIT);
        assert!(!unit.contains("principal_arns"), "{example}: {UNIT}");
    }
}

#[test]
fn the_readme_has_the_runbook_for_the_next_release() {
    let versions = common::versions();
    let releases = releases();
    let current = versions["openedx"]["release"].as_str().unwrap();
    let position = releases
        .iter()
        .position(|(name, _)| name == current)
        .unwrap();
    let (next, next_major) = releases
        .get(position + 1)
        .expect("the list names the next release");
    let capitalised = |name: &str| name[..1].to_uppercase() + &name[1..];
    for (example, tree) in rendered() {
        let readme = file(&tree, "README.md");
        for needle in [
            "## Upgrading to the next Open edX release".to_owned(),
            format!("{} to {}", capitalised(current), capitalised(next)),
            format!("tutor=={next_major}."),
            "openedx-devops update".to_owned(),
            "tutor k8s upgrade --from=".to_owned(),
            "scripts/backup.sh".to_owned(),
            "--running-release".to_owned(),
            "tutor-generated".to_owned(),
        ] {
            assert!(
                readme.contains(&needle),
                "{example}: README lacks `{needle}`"
            );
        }
    }
}
