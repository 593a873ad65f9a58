//! The command line as a user runs it: the README's commands, bad input refused with the key
//! named and nothing written, an existing folder never touched, byte-identical output.

use crate::common;

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;

fn bin() -> Command {
    Command::cargo_bin("openedx-devops").expect("the binary builds")
}

#[test]
fn the_readme_command_generates_the_demo_repository() {
    let scratch = tempfile::tempdir().unwrap();
    bin()
        .current_dir(scratch.path())
        .args(["new", "my-platform", "--defaults"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Created `my-platform`"));
    let tree = common::files(&scratch.path().join("my-platform"));
    for path in [
        "README.md",
        "terraform/root.hcl",
        "terraform/environments/prod/env.hcl",
        ".openedx-devops/answers.yml",
        ".openedx-devops/manifest.json",
    ] {
        assert!(tree.contains_key(path), "{path} missing");
    }
    assert!(
        tree.keys()
            .any(|path| path.starts_with(".github/workflows/"))
    );
}

#[test]
fn the_same_answers_give_byte_identical_repositories() {
    let scratch = tempfile::tempdir().unwrap();
    for name in ["one", "two"] {
        bin()
            .current_dir(scratch.path())
            .args(["new", name, "--answers"])
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/seed-like.yml"))
            .assert()
            .success();
    }
    let one = common::files(&scratch.path().join("one"));
    let two = common::files(&scratch.path().join("two"));
    assert!(one.len() > 10);
    assert_eq!(one, two);
}

#[test]
fn answers_written_by_a_new_user_render() {
    let scratch = tempfile::tempdir().unwrap();
    let answers = scratch.path().join("answers.yml");
    std::fs::write(
        &answers,
        "platform_name: riverbend\nplatform_description: Riverbend Community College\n\
         root_domain: riverbend.ac.nz\naws_region: ap-southeast-2\naws_account_id: \"000011112222\"\n\
         mongodb: in_cluster\nbastion: false\nenvironments:\n  - name: live\n    subdomain: learn\n\
         \x20 - name: test\n    subdomain: test-learn\n    eks_instance_type: t3a.medium\n",
    )
    .unwrap();
    bin()
        .current_dir(scratch.path())
        .args(["new", "repo", "--answers", "answers.yml"])
        .assert()
        .success();
    let tree = common::files(&scratch.path().join("repo"));
    assert!(tree.contains_key("terraform/environments/live/env.hcl"));
    assert!(tree.contains_key("terraform/environments/test/env.hcl"));
    let env = String::from_utf8(tree["terraform/environments/test/env.hcl"].0.clone()).unwrap();
    assert!(env.contains("test-learn.riverbend.ac.nz"), "{env}");
    assert!(env.contains("t3a.medium"), "{env}");
    let global = String::from_utf8(tree["terraform/global.hcl"].0.clone()).unwrap();
    assert!(global.contains("ap-southeast-2"), "{global}");
}

#[test]
fn set_overrides_the_answers_file() {
    let scratch = tempfile::tempdir().unwrap();
    bin()
        .current_dir(scratch.path())
        .args(["new", "repo", "--defaults"])
        .args(["--set", "aws_region=eu-north-1"])
        .args(["--set", "environments.0.eks_instance_type=t3.xlarge"])
        .assert()
        .success();
    let tree = common::files(&scratch.path().join("repo"));
    let answers = String::from_utf8(tree[".openedx-devops/answers.yml"].0.clone()).unwrap();
    assert!(answers.contains("aws_region: \"eu-north-1\""), "{answers}");
    assert!(
        answers.contains("eks_instance_type: \"t3.xlarge\""),
        "{answers}"
    );
}

/// Each bad answers file: the text, and what stderr must name.
const BAD_ANSWERS: &[(&str, &str, &[&str])] = &[
    (
        "unknown key",
        "platform_nme: x\n",
        &["`platform_nme`", "did you mean `platform_name`"],
    ),
    (
        "wrong type",
        "bastion: maybe\n",
        &["`bastion`", "true or false"],
    ),
    (
        "impossible region",
        "aws_region: us-middle-1\n",
        &["`aws_region`", "us-middle-1"],
    ),
    (
        "malformed domain",
        "root_domain: \"school..edu\"\n",
        &["`root_domain`", "empty label"],
    ),
    (
        "11-digit account",
        "aws_account_id: \"12345678901\"\n",
        &["`aws_account_id`", "11 digits"],
    ),
    (
        "misspelt instance type",
        "environments:\n  - name: prod\n    eks_instance_type: t3.lage\n",
        &["`environments.0.eks_instance_type`", "t3.lage"],
    ),
    (
        "db. class as redis",
        "environments:\n  - name: prod\n    redis_node_type: db.t3.small\n",
        &["`environments.0.redis_node_type`", "RDS"],
    ),
    (
        "duplicate environments",
        "environments:\n  - name: prod\n  - name: prod\n    subdomain: other\n",
        &["`environments.1.name`", "unique"],
    ),
    (
        "malformed YAML",
        "environments:\n  - name: [prod\n",
        &["answers.yml", "line"],
    ),
];

const REQUIRED: &str = "platform_name: acme\nroot_domain: acme.edu\naws_region: us-east-1\naws_account_id: \"123456789012\"\n";

#[test]
fn bad_answers_are_refused_naming_the_key_and_nothing_is_written() {
    for (what, extra, needles) in BAD_ANSWERS {
        let scratch = tempfile::tempdir().unwrap();
        // A later key replaces an earlier one only by editing: put the bad line in place.
        let mut text = String::new();
        for line in REQUIRED.lines() {
            let key = line.split(':').next().unwrap();
            if !extra.starts_with(&format!("{key}:")) {
                text.push_str(line);
                text.push('\n');
            }
        }
        text.push_str(extra);
        std::fs::write(scratch.path().join("answers.yml"), text).unwrap();
        let output = bin()
            .current_dir(scratch.path())
            .args(["new", "repo", "--answers", "answers.yml"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{what}: accepted");
        for needle in *needles {
            assert!(
                stderr.contains(needle),
                "{what}: stderr lacks {needle:?}:\n{stderr}"
            );
        }
        assert!(
            !scratch.path().join("repo").exists(),
            "{what}: folder created"
        );
        let left: Vec<_> = std::fs::read_dir(scratch.path()).unwrap().collect();
        assert_eq!(
            left.len(),
            1,
            "{what}: something besides the answers file was written"
        );
    }
}

#[test]
fn an_unreadable_answers_file_is_named() {
    let scratch = tempfile::tempdir().unwrap();
    bin()
        .current_dir(scratch.path())
        .args(["new", "repo", "--answers", "missing.yml"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("missing.yml"));
    assert!(!scratch.path().join("repo").exists());
}

#[test]
fn a_bad_set_is_refused_naming_the_key() {
    let scratch = tempfile::tempdir().unwrap();
    bin()
        .current_dir(scratch.path())
        .args([
            "new",
            "repo",
            "--defaults",
            "--set",
            "environments.0.mysql_instance_class=cache.t3.small",
        ])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "environments.0.mysql_instance_class",
        ));
    assert!(!scratch.path().join("repo").exists());
}

#[test]
fn a_non_empty_folder_is_never_touched() {
    let scratch = tempfile::tempdir().unwrap();
    let target = scratch.path().join("repo");
    std::fs::create_dir(&target).unwrap();
    std::fs::write(target.join("notes.txt"), "mine").unwrap();
    bin()
        .current_dir(scratch.path())
        .args(["new", "repo", "--defaults"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("not empty"));
    let tree = common::files(&target);
    assert_eq!(tree.len(), 1);
    assert_eq!(tree["notes.txt"].0, b"mine");
}

#[test]
fn without_answers_and_without_a_terminal_it_says_what_to_give() {
    let scratch = tempfile::tempdir().unwrap();
    bin()
        .current_dir(scratch.path())
        .args(["new", "repo"])
        .write_stdin("")
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("--answers FILE").and(predicate::str::contains("--defaults")),
        );
    assert!(!scratch.path().join("repo").exists());
}

#[test]
fn questions_lists_every_key_with_its_default() {
    let output = bin()
        .arg("questions")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(output).unwrap();
    for key in [
        "platform_name",
        "platform_description",
        "platform_region",
        "root_domain",
        "aws_region",
        "aws_account_id",
        "github_organization",
        "github_repository",
        "mongodb",
        "spot_instances",
        "bastion",
        "environments",
        "environments[].name",
        "environments[].subdomain",
        "environments[].eks_instance_type",
        "environments[].mysql_instance_class",
        "environments[].redis_node_type",
    ] {
        assert!(
            text.contains(&format!("{key}  (")),
            "{key} missing:\n{text}"
        );
    }
    assert!(text.contains("one of: ec2, documentdb, in_cluster"));
    let json = bin()
        .args(["questions", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let rows: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 17);
}

#[test]
fn help_and_version_are_useful() {
    bin()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::contains(env!("CARGO_PKG_VERSION")));
    bin()
        .args(["help", "new"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--answers").and(predicate::str::contains("Examples")));
    bin()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("Open edX"));
}

#[test]
fn versions_completions_and_man_page() {
    let table = bin()
        .arg("versions")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let table = String::from_utf8(table).unwrap();
    assert!(table.contains("tutor") && table.contains("22."), "{table}");
    let json = bin()
        .args(["versions", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert!(json["modules"]["eks"].as_str().unwrap().starts_with("21."));
    for shell in ["bash", "zsh", "fish"] {
        let script = bin()
            .args(["completions", shell])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        assert!(
            String::from_utf8_lossy(&script).contains("update"),
            "{shell}"
        );
    }
    let man = bin()
        .arg("man")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8_lossy(&man).contains(".TH openedx-devops"));
}

#[test]
fn the_answers_reference_in_docs_matches_the_question_table() {
    let generated = bin()
        .args(["questions", "--format", "markdown"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let committed =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/answers.md"))
            .unwrap();
    assert_eq!(
        String::from_utf8(generated).unwrap(),
        committed,
        "docs/answers.md is stale: run `cargo run -- questions --format markdown > docs/answers.md`"
    );
}

#[test]
fn graph_draws_the_seed_like_repository() {
    let scratch = tempfile::tempdir().unwrap();
    bin()
        .current_dir(scratch.path())
        .args(["new", "repo", "--answers"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/seed-like.yml"))
        .assert()
        .success();
    let mermaid = bin()
        .current_dir(scratch.path())
        .args(["graph", "repo"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let mermaid = String::from_utf8(mermaid).unwrap();
    assert!(mermaid.starts_with("flowchart LR\n"));
    // The nested dev zone is delegated from prod's, so prod's dns comes first.
    assert!(
        mermaid.contains("terraform_environments_prod_dns --> terraform_environments_dev_dns"),
        "{mermaid}"
    );
    assert!(
        mermaid.contains("terraform_environments_prod_vpc --> terraform_environments_prod_eks"),
        "{mermaid}"
    );
    let dot = bin()
        .current_dir(scratch.path())
        .args(["graph", "repo", "--format", "dot"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(
        String::from_utf8(dot)
            .unwrap()
            .starts_with("digraph terragrunt {")
    );
    let empty = tempfile::tempdir().unwrap();
    bin()
        .current_dir(empty.path())
        .args(["graph", "."])
        .assert()
        .failure()
        .stderr(predicate::str::contains("no Terragrunt units"));
}
