//! The command line as a user runs it: the README's commands, bad input refused with the key
//! named and nothing written, an existing folder never touched, byte-identical output.

use crate::common::{self, Repo, bin, example};
use predicates::prelude::*;

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
    let generate = || Repo::new().answers(example("seed-like")).generate().files();
    let (one, two) = (generate(), generate());
    assert!(one.len() > 10);
    assert_eq!(one, two);
}

#[test]
fn answers_written_by_a_new_user_render() {
    let repo = Repo::new()
        .answers_text(
            "platform_name: riverbend\nplatform_description: Riverbend Community College\n\
         root_domain: riverbend.ac.nz\naws_region: ap-southeast-2\naws_account_id: \"000011112222\"\n\
         mongodb: in_cluster\nbastion: false\nenvironments:\n  - name: live\n    subdomain: learn\n\
         \x20 - name: test\n    subdomain: test-learn\n    eks_instance_type: t3a.medium\n",
        )
        .generate();
    assert!(repo.exists("terraform/environments/live/env.hcl"));
    let env = repo.read("terraform/environments/test/env.hcl");
    assert!(env.contains("test-learn.riverbend.ac.nz"), "{env}");
    assert!(env.contains("t3a.medium"), "{env}");
    let global = repo.read("terraform/global.hcl");
    assert!(global.contains("ap-southeast-2"), "{global}");
}

#[test]
fn set_overrides_the_answers_file() {
    let repo = Repo::new()
        .set("aws_region=eu-north-1")
        .set("environments.0.eks_instance_type=t3.xlarge")
        .generate();
    let answers = repo.read(".openedx-devops/answers.yml");
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
        let refused = Repo::new().answers_text(&text).refused();
        let stderr = String::from_utf8_lossy(&refused.get_output().stderr);
        for needle in *needles {
            assert!(
                stderr.contains(needle),
                "{what}: stderr lacks {needle:?}:\n{stderr}"
            );
        }
    }
}

#[test]
fn an_unreadable_answers_file_is_named() {
    Repo::new()
        .answers("missing.yml")
        .refused()
        .stderr(predicate::str::contains("missing.yml"));
}

#[test]
fn a_bad_set_is_refused_naming_the_key() {
    Repo::new()
        .set("environments.0.mysql_instance_class=cache.t3.small")
        .refused()
        .stderr(predicate::str::contains(
            "environments.0.mysql_instance_class",
        ));
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
    let text = common::stdout(&bin().arg("questions").assert().success());
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
        "environments[].vpc_cidr",
        "environments[].eks_instance_type",
        "environments[].mysql_instance_class",
        "environments[].redis_node_type",
        "environments[].mongodb_instance_type",
        "environments[].documentdb_instance_class",
        "environments[].lms_min_pods",
        "environments[].lms_max_pods",
    ] {
        assert!(
            text.contains(&format!("{key}  (")),
            "{key} missing:\n{text}"
        );
    }
    assert!(text.contains("one of: ec2, documentdb, in_cluster"));
    let rows = common::json(
        &bin()
            .args(["questions", "--format", "json"])
            .assert()
            .success(),
    );
    assert_eq!(rows.as_array().unwrap().len(), 29);
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
    bin()
        .arg("versions")
        .assert()
        .success()
        .stdout(predicate::str::contains("tutor").and(predicate::str::contains("22.")));
    let json = common::json(
        &bin()
            .args(["versions", "--format", "json"])
            .assert()
            .success(),
    );
    assert!(json["modules"]["eks"].as_str().unwrap().starts_with("21."));
    for shell in ["bash", "zsh", "fish"] {
        bin()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains("update"));
    }
    bin()
        .arg("man")
        .assert()
        .success()
        .stdout(predicate::str::contains(".TH openedx-devops"));
}

#[test]
fn the_answers_reference_in_docs_matches_the_question_table() {
    let generated = bin()
        .args(["questions", "--format", "markdown"])
        .assert()
        .success();
    assert_eq!(
        common::stdout(&generated),
        common::read_checkout("docs/answers.md"),
        "docs/answers.md is stale: run `cargo run -- questions --format markdown > docs/answers.md`"
    );
}

#[test]
fn graph_draws_the_seed_like_repository() {
    let repo = Repo::new().answers(example("seed-like")).generate();
    // The folder as an argument, from elsewhere.
    let mermaid = common::stdout(&bin().arg("graph").arg(repo.path()).assert().success());
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
    // The current folder, by default.
    repo.run(["graph", "--format", "dot"])
        .success()
        .stdout(predicate::str::starts_with("digraph terragrunt {"));
    let empty = tempfile::tempdir().unwrap();
    bin()
        .current_dir(empty.path())
        .args(["graph", "."])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "not a repository generated by openedx-devops",
        ));
}

#[test]
fn an_account_id_in_the_consoles_form_is_recorded_as_twelve_digits() {
    // Was: `1234-5678-9012` (as the AWS console shows it) was refused.
    let repo = Repo::new()
        .answers(example("minimal"))
        .set("aws_account_id=1234-5678-9012")
        .generate();
    assert!(
        repo.read(".openedx-devops/answers.yml")
            .contains("aws_account_id: \"123456789012\"")
    );
}

#[test]
fn an_environment_added_by_set_takes_a_free_sibling_host() {
    // Was: `new X --defaults --set environments.1.name=dev` failed (`courses` taken), and
    // `update --set environments.1.name=staging` put staging on the first one's host.
    let repo = Repo::new().set("environments.1.name=dev").generate();
    let answers = repo.read(".openedx-devops/answers.yml");
    assert!(answers.contains("subdomain: \"dev-courses\""), "{answers}");
    let repo = Repo::new()
        .answers(example("minimal"))
        .set("environments.0.subdomain=learn")
        .generate();
    repo.run(["update", "--set", "environments.1.name=staging"])
        .success();
    let config = repo.read("ci/tutor-deploy/environments/staging/config.yml");
    assert!(config.contains("staging-learn."), "{config}");
}

#[test]
fn the_readme_says_how_to_install_before_anything_else() {
    // Was: no install step in the README (docs/getting-started.md had one, linked from nowhere).
    let readme = common::read_checkout("README.md");
    let install = readme
        .find("cargo install --locked --path .")
        .expect("an install step");
    assert!(
        install < readme.find("## ").unwrap_or(readme.len()),
        "before the first section"
    );
}
