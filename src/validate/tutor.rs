//! Check 6, Tutor and secrets: each environment's `ci/tutor-deploy/environments/<env>/config.yml`
//! has the settings a Kubernetes deployment needs, with the hosts the answers give; and no file
//! of the repository holds a secret value (a literal password, secret or key, an AWS access key
//! id, a private key block).

use super::CheckKind;
use super::finding::Finding;
use super::syntax::{is_hcl, is_yaml};
use super::terraform::{Parsed, start};
use super::tree::Tree;
use super::yaml::{self, Node, Yaml, place};
use crate::context::EnvironmentContext;
use hcl::edit::expr::{Expression, ObjectKey, ObjectValue};
use hcl::edit::structure::Attribute;
use hcl::edit::visit::{self, Visit};

/// Where each environment's Tutor configuration lives.
pub(crate) fn config_path(environment: &str) -> String {
    format!("ci/tutor-deploy/environments/{environment}/config.yml")
}

/// Settings every Kubernetes deployment of Open edX needs.
const REQUIRED_SETTINGS: &[&str] = &[
    "PLATFORM_NAME",
    "LMS_HOST",
    "CMS_HOST",
    "K8S_NAMESPACE",
    "ENABLE_HTTPS",
    "DOCKER_IMAGE_OPENEDX",
];

pub(crate) fn check(
    tree: &Tree,
    parsed: &Parsed,
    environments: Option<&[EnvironmentContext]>,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    // A repository without a Tutor deployment folder (a blueprint set without the pipeline) has
    // no configurations to expect.
    let deploys = tree.is_dir("ci/tutor-deploy");
    for environment in environments.unwrap_or_default().iter().filter(|_| deploys) {
        let path = config_path(&environment.name);
        match tree.text(&path) {
            Some(text) => findings.extend(check_config(&path, text, Some(environment))),
            None if !tree.is_file(&path) => findings.push(
                Finding::error(
                    CheckKind::Tutor,
                    path,
                    format!(
                        "is missing: environment `{}` has no Tutor configuration",
                        environment.name
                    ),
                )
                .help("run `openedx-devops update` to generate it"),
            ),
            None => {}
        }
    }
    findings.extend(secrets(tree, parsed));
    findings
}

fn check_config(path: &str, text: &str, environment: Option<&EnvironmentContext>) -> Vec<Finding> {
    let Ok(documents) = yaml::parse(text) else {
        return Vec::new();
    };
    let Some(config) = documents.first() else {
        return vec![Finding::error(CheckKind::Tutor, path, "is empty")];
    };
    let mut findings = Vec::new();
    let error = |node: &Node, message: String| {
        let (line, column) = place(node);
        Finding::error(CheckKind::Tutor, path, message).at(line, column)
    };
    for key in REQUIRED_SETTINGS {
        match config.value.get(key) {
            None => findings.push(error(
                config,
                format!("has no `{key}`, which a Kubernetes deployment needs"),
            )),
            Some(node) if matches!(node.value, Yaml::Null) || node.value.as_str() == Some("") => {
                findings.push(error(node, format!("`{key}` is empty")));
            }
            Some(_) => {}
        }
    }
    if let Some(node) = config.value.get("ENABLE_HTTPS")
        && node.value == Yaml::Bool(false)
    {
        let (line, column) = place(node);
        findings.push(
            Finding::warning(
                CheckKind::Tutor,
                path,
                "`ENABLE_HTTPS` is false: the platform would link to http:// URLs",
            )
            .at(line, column)
            .help("set `ENABLE_HTTPS: true`; TLS ends at the cluster's ingress"),
        );
    }
    let Some(environment) = environment else {
        return findings;
    };
    let expected = [
        ("LMS_HOST", environment.hosts.lms.as_str()),
        ("CMS_HOST", environment.hosts.studio.as_str()),
        ("MFE_HOST", environment.hosts.mfe.as_str()),
        ("K8S_NAMESPACE", environment.namespace.as_str()),
    ];
    for (key, want) in expected {
        let Some(node) = config.value.get(key) else {
            continue;
        };
        let Some(value) = node.value.as_str() else {
            continue;
        };
        if value != want && !value.contains("{{") {
            findings.push(
                error(
                    node,
                    format!(
                        "`{key}` is `{value}`, but the answers give `{want}` for environment `{}`",
                        environment.name
                    ),
                )
                .help(format!(
                    "set `{key}: {want}`, or change the answers and run `openedx-devops update`"
                )),
            );
        }
    }
    findings
}

/// A key whose value must never be written in the repository.
fn looks_secret(key: &str) -> bool {
    let normalized = key.to_ascii_uppercase().replace('-', "_");
    let words = split_camel(key).to_ascii_uppercase().replace('-', "_");
    if normalized.ends_with("PUBLIC_KEY") || words.ends_with("PUBLIC_KEY") {
        return false;
    }
    if normalized.ends_with("PASSWORD") {
        return true;
    }
    let env_style = key
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && key.contains(|c: char| c.is_ascii_uppercase());
    let credential = [
        "SECRET_KEY",
        "ACCESS_KEY",
        "PRIVATE_KEY",
        "API_KEY",
        "CLIENT_SECRET",
    ]
    .iter()
    .any(|suffix| words.ends_with(suffix));
    credential || (env_style && (normalized.ends_with("SECRET") || normalized.ends_with("KEY")))
}

/// `secretAccessKey` -> `secret_Access_Key`.
fn split_camel(key: &str) -> String {
    let mut text = String::new();
    let mut previous_lower = false;
    for c in key.chars() {
        if c.is_ascii_uppercase() && previous_lower {
            text.push('_');
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        text.push(c);
    }
    text
}

/// Values that stand for a secret without being one: placeholders, and the names of the keys
/// a secret is read from (`MYSQL_PASSWORD = "password"`).
const PLACEHOLDERS: &[&str] = &[
    "mock",
    "password",
    "secret",
    "key",
    "changeme",
    "change-me",
    "change_me",
    "xxx",
    "todo",
    "redacted",
    "dummy",
    "example",
    "placeholder",
];

/// A value that only refers to a secret kept elsewhere, or stands in for one.
fn is_reference(value: &str) -> bool {
    let value = value.trim();
    value.contains("{{")
        || value.contains("${")
        || value.contains("$(")
        || value.starts_with('$')
        || PLACEHOLDERS.contains(&value.to_ascii_lowercase().as_str())
}

fn secrets(tree: &Tree, parsed: &Parsed) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (path, _) in tree.iter() {
        if path.starts_with(".openedx-devops/") {
            continue;
        }
        let Some(text) = tree.text(path) else {
            continue;
        };
        findings.extend(secret_text(path, text));
        if is_yaml(path) {
            if let Ok(documents) = yaml::parse(text) {
                for document in &documents {
                    secret_yaml(path, document, &mut findings);
                }
            }
        } else if is_hcl(path)
            && let Some(file) = parsed.get(path)
        {
            let mut visitor = HclSecrets {
                path,
                text,
                findings: Vec::new(),
            };
            visitor.visit_body(&file.body);
            findings.extend(visitor.findings);
        }
    }
    findings
}

fn secret_finding(path: &str, key: &str) -> Finding {
    Finding::error(
        CheckKind::Tutor,
        path,
        format!("`{key}` holds a literal secret value; secrets never go in the repository"),
    )
    .help("keep it in AWS Secrets Manager or a Kubernetes secret (as scripts/tutor-deploy.sh reads them), or in GitHub secrets")
}

fn secret_yaml(path: &str, node: &Node, findings: &mut Vec<Finding>) {
    match &node.value {
        Yaml::Mapping(entries) => {
            for (key, value) in entries {
                let literal = match &value.value {
                    Yaml::String(text) => !text.trim().is_empty() && !is_reference(text),
                    Yaml::Number(_) => true,
                    _ => false,
                };
                if literal && looks_secret(&key.value) {
                    let (line, column) = place(value);
                    findings.push(secret_finding(path, &key.value).at(line, column));
                }
                secret_yaml(path, value, findings);
            }
        }
        Yaml::Sequence(items) => {
            for item in items {
                secret_yaml(path, item, findings);
            }
        }
        _ => {}
    }
}

struct HclSecrets<'p> {
    path: &'p str,
    text: &'p str,
    findings: Vec<Finding>,
}

impl HclSecrets<'_> {
    fn consider(&mut self, key: &str, value: &Expression) {
        let literal = match value {
            Expression::String(text) => {
                !text.value().trim().is_empty() && !is_reference(text.value())
            }
            _ => false,
        };
        if literal && looks_secret(key) {
            self.findings
                .push(secret_finding(self.path, key).at_offset(self.text, start(value)));
        }
    }
}

impl Visit for HclSecrets<'_> {
    fn visit_attr(&mut self, node: &Attribute) {
        // Terragrunt's stand-in outputs of a dependency, used only before it is applied.
        if node.key.as_str() == "mock_outputs" {
            return;
        }
        self.consider(node.key.as_str(), &node.value);
        visit::visit_attr(self, node);
    }

    fn visit_object_item(&mut self, key: &ObjectKey, value: &ObjectValue) {
        let name = match key {
            ObjectKey::Ident(ident) => Some(ident.as_str().to_owned()),
            ObjectKey::Expression(expression) => super::terraform::literal(expression),
        };
        if let Some(name) = name {
            self.consider(&name, value.expr());
        }
        visit::visit_object_item(self, key, value);
    }
}

/// AWS access key ids and private key blocks, in any text.
fn secret_text(path: &str, text: &str) -> Vec<Finding> {
    let mut findings = Vec::new();
    for prefix in ["AKIA", "ASIA"] {
        let mut from = 0;
        while let Some(found) = text[from..].find(prefix) {
            let index = from + found;
            from = index + prefix.len();
            let candidate = &text[index..];
            let id: String = candidate.chars().take(20).collect();
            let is_key_id = id.len() == 20
                && id
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
                && !candidate[20..].starts_with(|c: char| c.is_ascii_alphanumeric())
                && (index == 0 || !text[..index].ends_with(|c: char| c.is_ascii_alphanumeric()));
            if is_key_id && !id.contains("EXAMPLE") {
                findings.push(
                    Finding::error(CheckKind::Tutor, path, format!("holds an AWS access key id (`{}...`)", &id[..8]))
                        .at_offset(text, index)
                        .help("remove it and deactivate the key in IAM; workflows use OpenID Connect roles"),
                );
            }
        }
    }
    let mut from = 0;
    while let Some(found) = text[from..].find("-----BEGIN ") {
        let index = from + found;
        from = index + 1;
        let header = text[index..].lines().next().unwrap_or_default();
        if header.contains("PRIVATE KEY-----") {
            findings.push(
                Finding::error(CheckKind::Tutor, path, "holds a private key block")
                    .at_offset(text, index)
                    .help("remove it, replace the key, and keep keys in a secret store"),
            );
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::{Answers, load};
    use crate::context::Context;
    use std::collections::BTreeMap;

    fn environments() -> Vec<EnvironmentContext> {
        let answers = Answers::validate(&load::demo_defaults()).unwrap();
        Context::new(&answers, &serde_json::Value::Null).environments
    }

    const GOOD: &str = "PLATFORM_NAME: \"Your School\"\nLMS_HOST: courses.yourschool.example\nCMS_HOST: studio.courses.yourschool.example\nMFE_HOST: apps.courses.yourschool.example\nK8S_NAMESPACE: openedx\nENABLE_HTTPS: true\nDOCKER_IMAGE_OPENEDX: 1.dkr.ecr.us-east-1.amazonaws.com/x:1\nSECRET_KEY: \"\"\nSMTP_PASSWORD: \"{{ SMTP_PASSWORD }}\"\n";

    fn run(files: &[(&str, &str)], with_answers: bool) -> Vec<Finding> {
        let files: BTreeMap<String, Vec<u8>> = files
            .iter()
            .map(|(path, text)| ((*path).to_owned(), text.as_bytes().to_vec()))
            .collect();
        let tree = Tree::from_files(&files);
        let parsed = Parsed::parse(&tree);
        let environments = environments();
        check(
            &tree,
            &parsed,
            with_answers.then_some(environments.as_slice()),
        )
    }

    #[test]
    fn a_good_configuration_passes() {
        let findings = run(&[(&config_path("prod"), GOOD)], true);
        assert!(findings.is_empty(), "{findings:?}");
    }

    #[test]
    fn missing_settings_and_wrong_hosts_are_named() {
        let text = GOOD
            .replace("K8S_NAMESPACE: openedx\n", "")
            .replace("CMS_HOST: studio.courses", "CMS_HOST: cms.courses");
        let findings = run(&[(&config_path("prod"), &text)], true);
        let messages: Vec<_> = findings
            .iter()
            .map(|f| (f.line, f.message.as_str()))
            .collect();
        assert_eq!(
            messages,
            [
                (
                    Some(1),
                    "has no `K8S_NAMESPACE`, which a Kubernetes deployment needs"
                ),
                (
                    Some(3),
                    "`CMS_HOST` is `cms.courses.yourschool.example`, but the answers give `studio.courses.yourschool.example` for environment `prod`"
                ),
            ]
        );
        let missing = run(&[(&config_path("dev"), GOOD)], true);
        assert!(missing[0].message.starts_with("is missing"), "{missing:?}");
        assert!(
            run(&[], true).is_empty(),
            "no Tutor deployment folder: nothing to expect"
        );
    }

    #[test]
    fn literal_secrets_are_refused_anywhere() {
        let findings = run(
            &[
                (
                    "a.yml",
                    "MYSQL_ROOT_PASSWORD: hunter2\nnested:\n  - OPENEDX_SECRET_KEY: abc\nexistingSecret: grafana-admin\nJWT_PUBLIC_KEY: x\n",
                ),
                (
                    "b.tf",
                    "resource \"x\" \"y\" {\n  password = \"hunter2\"\n  mock_outputs = { password = \"p4ss\" }\n  env = { DB_PASSWORD = \"password\" }\n  key = \"state.tfstate\"\n  tls_secret = \"openedx-tls\"\n  tags = { api_key = \"k\" }\n}\n",
                ),
                (
                    "c.sh",
                    "export ID=AKIAABCDEFGHIJKLMNOP\nexample=AKIAIOSFODNN7EXAMPLE\n",
                ),
                (
                    "d.md",
                    "-----BEGIN RSA PRIVATE KEY-----\n-----BEGIN CERTIFICATE-----\n",
                ),
            ],
            false,
        );
        let places: Vec<_> = findings.iter().map(|f| (f.path.as_str(), f.line)).collect();
        assert_eq!(
            places,
            [
                ("a.yml", Some(1)),
                ("a.yml", Some(3)),
                ("b.tf", Some(2)),
                ("b.tf", Some(7)),
                ("c.sh", Some(1)),
                ("d.md", Some(1)),
            ],
            "{findings:#?}"
        );
    }

    #[test]
    fn secret_names_are_recognised() {
        for key in [
            "SMTP_PASSWORD",
            "admin-password",
            "OPENEDX_SECRET_KEY",
            "secretAccessKey",
            "aws_secret_access_key",
            "MY_API_KEY",
            "CLIENT_SECRET",
        ] {
            assert!(looks_secret(key), "{key}");
        }
        for key in [
            "key",
            "tls_secret",
            "existingSecret",
            "JWT_PUBLIC_KEY",
            "kms_key_id",
            "SECRET_KEY_ID",
        ] {
            assert!(!looks_secret(key), "{key}");
        }
    }
}
