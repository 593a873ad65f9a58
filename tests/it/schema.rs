//! The answers JSON Schema that editors use: every example answers file and every answers file
//! the generator writes validates against it; bad files do not.

use assert_cmd::Command;
use std::path::Path;

fn schema() -> serde_json::Value {
    let output = Command::cargo_bin("openedx-devops")
        .unwrap()
        .args(["questions", "--format", "json-schema"])
        .output()
        .unwrap();
    assert!(output.status.success());
    serde_json::from_slice(&output.stdout).expect("the schema is JSON")
}

fn yaml(text: &str) -> serde_json::Value {
    serde_saphyr::from_str(text).expect("test YAML parses")
}

#[test]
fn examples_validate_and_bad_files_do_not() {
    let schema = schema();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    let validator = jsonschema::draft202012::new(&schema).expect("a valid draft 2020-12 schema");
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut count = 0;
    for entry in std::fs::read_dir(examples).unwrap() {
        let path = entry.unwrap().path();
        let answers = yaml(&std::fs::read_to_string(&path).unwrap());
        let errors: Vec<String> = validator
            .iter_errors(&answers)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
        count += 1;
    }
    assert!(count >= 3);
    let good = "platform_name: acme\nroot_domain: acme.edu\naws_region: us-east-1\naws_account_id: \"123456789012\"\n";
    assert!(validator.is_valid(&yaml(good)));
    for (what, bad) in [
        ("missing required key", "platform_name: acme\n"),
        ("unknown key", &format!("{good}colour: red\n")),
        ("bad region", &good.replace("us-east-1", "us-middle-1")),
        (
            "account as number",
            &good.replace("\"123456789012\"", "123456789012"),
        ),
        ("short account", &good.replace("123456789012", "12345")),
        ("bad domain", &good.replace("acme.edu", "acme")),
        ("bad choice", &format!("{good}mongodb: atlas\n")),
        ("bool as text", &format!("{good}bastion: \"yes\"\n")),
        (
            "rds class as cache",
            &format!("{good}environments:\n  - name: prod\n    redis_node_type: db.t3.small\n"),
        ),
        ("empty environments", &format!("{good}environments: []\n")),
        (
            "uppercase slug",
            &good.replace("platform_name: acme", "platform_name: Acme"),
        ),
    ] {
        assert!(!validator.is_valid(&yaml(bad)), "{what} was accepted");
    }
}

#[test]
fn the_answers_file_the_generator_writes_validates_and_points_at_its_schema() {
    let scratch = tempfile::tempdir().unwrap();
    Command::cargo_bin("openedx-devops")
        .unwrap()
        .current_dir(scratch.path())
        .args([
            "new",
            "repo",
            "--defaults",
            "--set",
            "environments.1.name=dev",
            "--set",
            "environments.1.subdomain=dev.courses",
        ])
        .assert()
        .success();
    let record = scratch.path().join("repo/.openedx-devops");
    let text = std::fs::read_to_string(record.join("answers.yml")).unwrap();
    assert!(text.starts_with("# yaml-language-server: $schema=answers.schema.json\n"));
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(record.join("answers.schema.json")).unwrap())
            .unwrap();
    assert_eq!(written, schema());
    let validator = jsonschema::draft202012::new(&written).unwrap();
    assert!(validator.is_valid(&yaml(&text)));
}
