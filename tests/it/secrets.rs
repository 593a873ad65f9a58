//! No secret in any generated file: every example (and every combination of options) is
//! scanned for secret-shaped values — AWS access keys, private keys, literal passwords and
//! tokens in configuration. Secrets are made by Terraform at apply time and live in Kubernetes.

use crate::common;

/// A literal that looks like a credential, with the reason.
fn secret_in(path: &str, text: &str) -> Option<String> {
    for (number, line) in text.lines().enumerate() {
        let at = |what: &str| Some(format!("{path}:{}: {what}: {}", number + 1, line.trim()));
        if let Some(index) = line.find("AKIA").or_else(|| line.find("ASIA")) {
            let candidate: String = line[index..].chars().take(20).collect();
            if candidate.len() == 20
                && candidate
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            {
                return at("an AWS access key id");
            }
        }
        if line.contains("-----BEGIN") && line.contains("PRIVATE KEY-----") {
            return at("a private key");
        }
        let yaml = path.ends_with(".yml") || path.ends_with(".yaml");
        if let Some(value) = literal_assignment(line, yaml) {
            return at(&format!("a literal credential `{value}`"));
        }
    }
    None
}

/// `password = "hunter2"`, `SECRET_KEY: abc123...`: a key named like a credential given a literal
/// (not a reference, a variable, an expression or an empty value).
fn literal_assignment(line: &str, yaml: bool) -> Option<String> {
    let trimmed = line.trim_start().trim_start_matches("- ");
    let (key, value) = trimmed.split_once(['=', ':'])?;
    let key = key.trim().trim_matches('"').to_ascii_lowercase();
    let credential = [
        "password",
        "secret",
        "token",
        "private_key",
        "secret_key",
        "access_key",
    ]
    .iter()
    .any(|word| key.ends_with(word))
        && !key.contains("length")
        && !key.contains("arn")
        && !key.contains("name")
        && !key.contains("version")
        && !key.contains("ref");
    if !credential {
        return None;
    }
    let value = value.trim().trim_end_matches(',');
    let quoted = (value.starts_with('"') && value.ends_with('"') && value.len() > 2)
        || (yaml && !value.is_empty() && !value.contains(' '));
    let inner = value.trim_matches('"');
    let reference = inner.is_empty()
        || inner.contains("${")
        || inner.contains("{{")
        || inner.contains("$(")
        || inner.starts_with('$')
        || inner.starts_with("var.")
        || inner.starts_with("local.")
        || inner.starts_with("random_")
        || inner.starts_with("module.")
        || inner.starts_with("data.")
        || inner.starts_with("dependency.")
        || inner.starts_with("aws_")
        || inner.starts_with("kubernetes_")
        || inner.starts_with("try(")
        || inner.starts_with("null")
        || inner == "true"
        || inner == "false"
        || inner == "{"
        || inner == "["
        || inner.starts_with('#');
    // Names of secrets (`tutor-generated`) are words; credentials have digits or mixed case.
    let random_looking = inner.chars().any(|c| c.is_ascii_digit())
        || (inner.chars().any(|c| c.is_ascii_uppercase())
            && inner.chars().any(|c| c.is_ascii_lowercase()));
    (quoted && !reference && inner.len() >= 6 && random_looking).then(|| inner.to_owned())
}

#[test]
fn the_scanner_finds_what_it_looks_for() {
    assert!(secret_in("a.tf", "  password = \"hunter2hunter2\"\n").is_some());
    assert!(secret_in("a.yml", "MYSQL_ROOT_PASSWORD: \"s3cretpass\"\n").is_some());
    assert!(secret_in("a.sh", "key=AKIAABCDEFGHIJKLMNOP\n").is_some());
    assert!(secret_in("a.yml", "OPENEDX_MYSQL_PASSWORD: Xy7plainText\n").is_some());
    assert!(secret_in("a.pem", "-----BEGIN RSA PRIVATE KEY-----\n").is_some());
    assert!(secret_in("a.tf", "  password = random_password.mysql.result\n").is_none());
    assert!(secret_in("a.tf", "  password_length = 32\n").is_none());
    assert!(secret_in("a.yml", "  token: ${{ secrets.GITHUB_TOKEN }}\n").is_none());
    assert!(secret_in("a.sh", "generated_secret=\"tutor-generated\"\n").is_none());
}

#[test]
fn no_generated_file_of_any_example_holds_a_secret() {
    let mut scanned = 0;
    for (_, text) in common::examples() {
        for (path, contents) in common::render(&text) {
            if let Some(finding) = secret_in(&path, &contents) {
                panic!("secret-shaped value in generated output: {finding}");
            }
            scanned += 1;
        }
    }
    assert!(scanned > 50, "scanned {scanned} files");
}

#[test]
fn the_questionnaire_asks_for_no_secret() {
    for question in openedx_devops::answers::QUESTIONS
        .iter()
        .chain(openedx_devops::answers::ENVIRONMENT_QUESTIONS)
    {
        for word in ["password", "secret", "token", "key"] {
            assert!(
                !question.key.contains(word),
                "the question `{}` asks for a secret",
                question.key
            );
        }
    }
}
