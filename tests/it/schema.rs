//! The answers JSON Schema that editors use: every example answers file and every answers file
//! the generator writes validates against it; bad files do not.

use crate::common::{self, Repo, bin};

fn schema() -> serde_json::Value {
    common::json(
        &bin()
            .args(["questions", "--format", "json-schema"])
            .assert()
            .success(),
    )
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
    for (name, text) in common::examples() {
        let errors: Vec<String> = validator
            .iter_errors(&yaml(&text))
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:?}");
    }
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
    let repo = Repo::new()
        .set("environments.1.name=dev")
        .set("environments.1.subdomain=dev.courses")
        .generate();
    let text = repo.read(".openedx-devops/answers.yml");
    assert!(text.starts_with("# yaml-language-server: $schema=answers.schema.json\n"));
    let written: serde_json::Value =
        serde_json::from_str(&repo.read(".openedx-devops/answers.schema.json")).unwrap();
    assert_eq!(written, schema());
    let validator = jsonschema::draft202012::new(&written).unwrap();
    assert!(validator.is_valid(&yaml(&text)));
}
