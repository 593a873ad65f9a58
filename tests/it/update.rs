//! `update` end to end, in temporary folders: answer changes, environments added and removed,
//! edits merged or in conflict, own files, deleted files, `--check` and `--dry-run`, and a
//! template upgrade simulated with a second blueprint folder.

use crate::common::{self, Repo, bin};
use predicates::prelude::*;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

fn write(root: &Path, path: &str, text: &str) {
    let file = root.join(path);
    fs_err::create_dir_all(file.parent().unwrap()).unwrap();
    fs_err::write(file, text).unwrap();
}

/// A small blueprint set of our own, so the upgrade path can be driven precisely.
fn blueprints(dir: &Path, version: u32) -> PathBuf {
    let root = dir.join(format!("blueprints-v{version}"));
    write(
        &root,
        "_versions.yml",
        &format!("openedx:\n  tutor: \"22.0.{version}\"\n"),
    );
    write(
        &root,
        "README.md",
        "# [[ answers.platform_description ]]\n\nIntro.\n\nTutor [[ versions.openedx.tutor ]].\n\nEnd.\n",
    );
    write(
        &root,
        "terraform/environments/__env__/env.hcl",
        "locals {\n  environment = \"[[ env.name ]]\"\n  domain      = \"[[ env.domain ]]\"\n\n  eks_instance_type = \"[[ env.eks_instance_type ]]\"\n\n  redis_node_type = \"[[ env.redis_node_type ]]\"\n}\n",
    );
    write(
        &root,
        "terraform/environments/__env__/vpc/terragrunt.hcl",
        "inputs = {\n  name = \"[[ env.resource_prefix ]]\"\n}\n",
    );
    let bucket = if version == 1 { "media" } else { "assets" };
    write(
        &root,
        "terraform/modules/storage/main.tf",
        &format!("resource \"aws_s3_bucket\" \"{bucket}\" {{\n  bucket = \"x\"\n}}\n"),
    );
    if version == 1 {
        write(&root, "docs/old.md", "Retired in version 2.\n");
        write(&root, "docs/edited-old.md", "Also retired in version 2.\n");
    } else {
        write(
            &root,
            "docs/new.md",
            "Added in version [[ versions.openedx.tutor ]].\n",
        );
    }
    write(&root, "scripts/run.sh", "#!/usr/bin/env bash\necho run\n");
    write(
        &root,
        "scripts/_plan.yml",
        &format!(
            "rules:\n  - path: run.sh\n    render: false\n    executable: {}\n",
            version == 2
        ),
    );
    root
}

const ANSWERS: &str = "platform_name: harbor\nplatform_description: Harbor Institute\nroot_domain: harbor.ac.uk\naws_region: eu-west-2\naws_account_id: \"555566667777\"\nenvironments:\n  - name: prod\n    subdomain: learn\n  - name: dev\n    subdomain: dev.learn\n    eks_instance_type: t3.medium\n";

/// A repository generated from blueprint set 1, and both sets to update it with.
struct Scenario {
    repo: Repo,
    /// Blueprint sets 1 and 2.
    blueprints: [PathBuf; 2],
    _folder: tempfile::TempDir,
}

impl Scenario {
    fn new() -> Scenario {
        let folder = tempfile::tempdir().unwrap();
        let blueprints = [1, 2].map(|version| blueprints(folder.path(), version));
        let repo = Repo::new()
            .answers_text(ANSWERS)
            .blueprints(&blueprints[0])
            .generate();
        Scenario {
            repo,
            blueprints,
            _folder: folder,
        }
    }

    /// `update` in the repository with blueprint set `version`: the exit code, and what it
    /// printed on stdout and stderr.
    fn update(&self, version: usize, extra: &[&str]) -> (i32, String) {
        let mut arguments: Vec<OsString> = vec!["update".into(), "--blueprints".into()];
        arguments.push(self.blueprints[version - 1].clone().into());
        arguments.extend(extra.iter().map(OsString::from));
        let ran = self.repo.run(arguments);
        let code = ran.get_output().status.code().unwrap_or(-1);
        (code, common::printed(&ran))
    }
}

#[test]
fn check_is_clean_right_after_new_and_after_update() {
    let scenario = Scenario::new();
    let (code, text) = scenario.update(1, &["--check"]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("up to date"), "{text}");
    let bigger = ["--set", "environments.0.eks_instance_type=t3.xlarge"];
    let (code, text) = scenario.update(1, &[&["--check"], &bigger[..]].concat());
    assert_eq!(code, 1, "{text}");
    let (code, text) = scenario.update(1, &bigger);
    assert_eq!(code, 0, "{text}");
    let (code, text) = scenario.update(1, &["--check"]);
    assert_eq!(code, 0, "{text}");
}

#[test]
fn an_answer_edited_in_the_record_is_drift_until_applied() {
    let scenario = Scenario::new();
    let repo = &scenario.repo;
    repo.edit(
        ".openedx-devops/answers.yml",
        "eks_instance_type: \"t3.medium\"",
        "eks_instance_type: \"t3.2xlarge\"",
    );
    let (code, text) = scenario.update(1, &["--check"]);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("update") && text.contains("terraform/environments/dev/env.hcl"),
        "{text}"
    );
    let (code, text) = scenario.update(1, &[]);
    assert_eq!(code, 0, "{text}");
    assert!(
        repo.read("terraform/environments/dev/env.hcl")
            .contains("t3.2xlarge")
    );
    assert!(
        repo.read(".openedx-devops/answers.yml")
            .contains("t3.2xlarge"),
        "the user's answers file is kept"
    );
}

#[test]
fn dry_run_changes_no_byte() {
    let scenario = Scenario::new();
    let repo = &scenario.repo;
    repo.edit("README.md", "Intro.", "Our intro.");
    let before = repo.contents();
    let (code, text) = scenario.update(2, &["--dry-run", "--set", "environments.1.name=qa"]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("nothing was written"), "{text}");
    assert_eq!(repo.contents(), before);
}

#[test]
fn instance_size_change_keeps_every_edit() {
    let scenario = Scenario::new();
    let repo = &scenario.repo;
    // An edit far from the size line, and a file of our own.
    let env = "terraform/environments/prod/env.hcl";
    repo.edit(env, "  domain ", "  # our note\n  domain ");
    repo.write("terraform/environments/prod/extra.tf", "# ours\n");
    let (code, text) = scenario.update(1, &["--set", "environments.0.eks_instance_type=m7i.large"]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("merge") && text.contains(env), "{text}");
    let merged = repo.read(env);
    assert!(
        merged.contains("# our note") && merged.contains("m7i.large"),
        "{merged}"
    );
    assert_eq!(
        repo.read("terraform/environments/prod/extra.tf"),
        "# ours\n"
    );
}

#[test]
fn the_same_line_changed_on_both_sides_gives_markers_and_exit_1() {
    let scenario = Scenario::new();
    let repo = &scenario.repo;
    let path = "terraform/environments/dev/env.hcl";
    repo.edit(path, "t3.medium", "t3.small");
    let (code, text) = scenario.update(1, &["--set", "environments.1.eks_instance_type=t3.xlarge"]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("conflict") && text.contains(path), "{text}");
    let merged = repo.read(path);
    assert!(
        merged.contains("<<<<<<< yours") && merged.contains(">>>>>>> template"),
        "{merged}"
    );
    assert!(merged.contains("t3.small") && merged.contains("t3.xlarge"));
    // Left unresolved, the markers fail `update --check` and `check`, naming the line (they
    // passed both before: the file counted as an edit).
    let (code, text) = scenario.update(1, &["--check"]);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains(&format!("unresolved conflict from update: {path}:")),
        "{text}"
    );
    repo.run(["check"])
        .code(1)
        .stdout(predicates::str::contains(format!("{path}:")))
        .stdout(predicates::str::contains(
            "error: unresolved conflict from update",
        ));
    // The record moved on: once resolved, the repository is up to date.
    let resolved = merged
        .lines()
        .filter(|line| {
            !line.starts_with("<<<<<<<")
                && !line.starts_with("=======")
                && !line.starts_with(">>>>>>>")
                && !line.contains("t3.small")
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n";
    repo.write(path, resolved);
    let (code, text) = scenario.update(1, &["--check"]);
    assert_eq!(code, 0, "{text}");
}

#[test]
fn removing_an_environment_deletes_its_unedited_files_and_keeps_edited_ones() {
    let scenario = Scenario::new();
    let repo = &scenario.repo;
    repo.append("terraform/environments/dev/env.hcl", "# tuned\n");
    repo.write("terraform/environments/dev/notes.md", "ours\n");
    let prod_only = ANSWERS.split("  - name: dev").next().unwrap();
    let prod_only = repo.write_beside("prod-only.yml", prod_only);
    let (code, text) = scenario.update(1, &["--answers", prod_only.to_str().unwrap()]);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("delete") && text.contains("terraform/environments/dev/vpc/terragrunt.hcl"),
        "{text}"
    );
    assert!(
        text.contains("keep-modified") && text.contains("terraform/environments/dev/env.hcl"),
        "{text}"
    );
    assert!(
        !repo.exists("terraform/environments/dev/vpc"),
        "emptied folders go too"
    );
    assert!(repo.exists("terraform/environments/dev/env.hcl"));
    assert_eq!(repo.read("terraform/environments/dev/notes.md"), "ours\n");
    let manifest = repo.read(".openedx-devops/manifest.json");
    assert!(!manifest.contains("environments/dev/"), "{manifest}");
    // No file the generator still manages mentions the removed environment's hosts.
    for (path, bytes) in repo.contents() {
        if path.starts_with("terraform/environments/dev/") || path.ends_with(".gz") {
            continue;
        }
        assert!(
            !String::from_utf8_lossy(&bytes).contains("dev.learn.harbor.ac.uk"),
            "{path}"
        );
    }
    // Removed again: nothing left to do.
    let (code, text) = scenario.update(1, &["--check"]);
    assert_eq!(code, 0, "{text}");
}

#[test]
fn adding_an_environment_creates_its_files() {
    let scenario = Scenario::new();
    let repo = &scenario.repo;
    let (code, text) = scenario.update(
        1,
        &[
            "--set",
            "environments.2.name=qa",
            "--set",
            "environments.2.subdomain=qa.learn",
        ],
    );
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("create") && text.contains("terraform/environments/qa/env.hcl"),
        "{text}"
    );
    assert!(
        repo.read("terraform/environments/qa/env.hcl")
            .contains("qa.learn.harbor.ac.uk")
    );
    assert!(
        repo.read(".openedx-devops/answers.yml")
            .contains("qa.learn")
    );
}

#[test]
fn a_template_upgrade_merges_deletes_creates_and_respects_deletions() {
    let scenario = Scenario::new();
    let repo = &scenario.repo;
    // Edits: README in a place v2 does not change; a retired file edited; a generated file deleted.
    repo.edit("README.md", "Intro.", "Our own intro.");
    repo.write("docs/edited-old.md", "We rely on this.\n");
    repo.remove("terraform/environments/prod/vpc/terragrunt.hcl");
    // A file of ours where v2 puts a new one.
    repo.write("docs/new.md", "Our own new.md\n");
    let (code, text) = scenario.update(2, &[]);
    assert_eq!(
        code, 1,
        "the clash with our docs/new.md is a conflict: {text}"
    );
    let readme = repo.read("README.md");
    assert!(
        readme.contains("Our own intro.") && readme.contains("Tutor 22.0.2"),
        "{readme}"
    );
    assert!(!repo.exists("docs/old.md"), "retired and unedited: deleted");
    assert_eq!(repo.read("docs/edited-old.md"), "We rely on this.\n");
    assert_eq!(
        repo.read("docs/new.md"),
        "Our own new.md\n",
        "never overwritten"
    );
    assert!(
        !repo.exists("terraform/environments/prod/vpc/terragrunt.hcl"),
        "stays deleted"
    );
    assert!(text.contains("removed"), "{text}");
    assert!(
        text.contains("renames Terraform addresses (aws_s3_bucket.media -> aws_s3_bucket.assets)"),
        "{text}"
    );
    #[cfg(unix)]
    assert!(
        repo.is_executable("scripts/run.sh"),
        "the executable bit follows the template"
    );
    // Once our file moves away, the template's arrives.
    repo.remove("docs/new.md");
    let (code, text) = scenario.update(2, &[]);
    assert_eq!(code, 0, "{text}");
    assert_eq!(repo.read("docs/new.md"), "Added in version 22.0.2.\n");
    let (code, text) = scenario.update(2, &["--check"]);
    assert_eq!(code, 0, "{text}");
}

#[test]
fn json_plan_lists_every_file_with_counts() {
    let scenario = Scenario::new();
    let (code, text) = scenario.update(2, &["--dry-run", "--format", "json"]);
    assert_eq!(code, 0, "{text}");
    let plan: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(plan["counts"]["create"], 1);
    assert_eq!(plan["counts"]["delete"], 2);
    assert!(
        plan["files"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["path"] == "docs/new.md" && f["action"] == "create")
    );
    assert_eq!(plan["applied"], false);
}

#[test]
fn bad_input_is_exit_2_and_writes_nothing() {
    let scenario = Scenario::new();
    let repo = &scenario.repo;
    let before = repo.contents();
    let (code, text) = scenario.update(1, &["--set", "aws_region=mars-1"]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("aws_region"), "{text}");
    assert_eq!(repo.contents(), before);
    repo.remove(".openedx-devops/manifest.json");
    let (code, text) = scenario.update(1, &[]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("manifest.json"), "{text}");
}

#[test]
fn a_manifest_path_leaving_the_repository_is_refused() {
    let scenario = Scenario::new();
    let repo = &scenario.repo;
    repo.edit(
        ".openedx-devops/manifest.json",
        "\"README.md\"",
        "\"../outside.md\"",
    );
    let (code, text) = scenario.update(1, &[]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("leaves the repository"), "{text}");
    assert!(!repo.beside("outside.md").exists());
}

#[test]
fn the_embedded_blueprints_update_cleanly_after_an_answer_change() {
    let repo = Repo::new().answers_text(ANSWERS).generate();
    // The folder as an argument, from elsewhere.
    bin()
        .args(["update", "--check"])
        .arg(repo.path())
        .assert()
        .code(0);
    repo.run([
        "update",
        "--set",
        "environments.0.mysql_instance_class=db.r7g.large",
    ])
    .code(0);
    let all: String = repo
        .contents()
        .into_iter()
        .filter(|(path, _)| path.starts_with("terraform/environments/prod/"))
        .map(|(_, bytes)| String::from_utf8_lossy(&bytes).into_owned())
        .collect();
    assert!(all.contains("db.r7g.large"));
    repo.run(["update", "--check"])
        .code(0)
        .stdout(predicate::str::contains("up to date"));
}

#[test]
fn untrusted_files_are_refused_with_exit_2_and_nothing_written() {
    let scenario = Scenario::new();
    let repo = &scenario.repo;
    let path = "terraform/environments/prod/env.hcl";
    let original = repo.read(path);
    for (what, contents, needle) in [
        ("CRLF", original.replace('\n', "\r\n").into_bytes(), "CRLF"),
        ("binary", vec![0xff, 0xfe, 0x00, 0x01], "not UTF-8"),
        (
            "huge",
            vec![b'#'; 5 * 1024 * 1024],
            "larger than any generated file",
        ),
    ] {
        repo.write(path, &contents);
        let before = repo.contents();
        let (code, text) = scenario.update(2, &[]);
        assert_eq!(code, 2, "{what}: {text}");
        assert!(
            text.contains(needle) && text.contains(path),
            "{what}: {text}"
        );
        assert_eq!(repo.contents(), before, "{what}: something was written");
    }
    repo.write(path, original);
    repo.write(".openedx-devops/base.json.gz", b"garbage");
    let (code, text) = scenario.update(2, &[]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("base.json.gz"), "{text}");
}

#[test]
fn update_set_edits_the_answers_in_place_keeping_comments() {
    // Was: `update --set` rewrote answers.yml and dropped the comments a user wrote.
    let repo = Repo::new().answers(common::example("seed-like")).generate();
    let text = repo.read(".openedx-devops/answers.yml");
    let commented = text.replacen(
        "\nenvironments:\n",
        "\n# Sizes agreed with finance in March.\nenvironments:\n",
        1,
    );
    repo.write(".openedx-devops/answers.yml", &commented);
    repo.run([
        "update",
        "--set",
        "environments.0.eks_instance_type=t3.2xlarge",
        "--set",
        "bastion=false",
        "--set",
        "environments.2.name=qa",
    ])
    .success();
    let after = repo.read(".openedx-devops/answers.yml");
    assert!(
        after.contains("# Sizes agreed with finance in March.\n"),
        "{after}"
    );
    assert!(
        after.contains("    eks_instance_type: \"t3.2xlarge\"\n"),
        "{after}"
    );
    assert!(after.contains("\nbastion: false\n"), "{after}");
    // The new environment, with the network range it was given, recorded.
    assert!(
        after.contains("  - name: \"qa\"\n    vpc_cidr: \"10.30.0.0/16\"\n"),
        "{after}"
    );
    // The rest of the text is as the user left it.
    let unchanged = |line: &&str| {
        !line.contains("eks_instance_type")
            && !line.starts_with("bastion")
            && !line.contains("\"qa\"")
            && !line.contains("10.30.0.0/16")
    };
    let before_lines: Vec<&str> = commented.lines().filter(unchanged).collect();
    let after_lines: Vec<&str> = after.lines().filter(unchanged).collect();
    assert_eq!(before_lines, after_lines);
    repo.run(["update", "--check"]).success();
}

/// The `vpc_cidr` line of an environment's `env.hcl`.
fn vpc_line(repo: &Repo, environment: &str) -> String {
    repo.read(&format!("terraform/environments/{environment}/env.hcl"))
        .lines()
        .find(|line| line.trim_start().starts_with("vpc_cidr"))
        .unwrap_or_else(|| panic!("{environment}/env.hcl has no vpc_cidr"))
        .to_owned()
}

#[test]
fn removing_an_environment_moves_no_other_environments_network() {
    // Pins the bug where ranges followed list positions: removing `staging` moved `dev` from
    // 10.30.0.0/16 to 10.20.0.0/16, and AWS would have replaced dev's VPC and all in it.
    let answers = "platform_name: harbor\nroot_domain: harbor.ac.uk\naws_region: eu-west-2\naws_account_id: \"555566667777\"\nenvironments:\n  - name: prod\n    subdomain: learn\n  - name: staging\n    subdomain: staging-learn\n  - name: dev\n    subdomain: dev-learn\n";
    let repo = Repo::new().answers_text(answers).generate();
    assert!(vpc_line(&repo, "dev").contains("\"10.30.0.0/16\""));
    let recorded = repo.read(".openedx-devops/answers.yml");
    assert!(
        recorded.contains("    vpc_cidr: \"10.30.0.0/16\"\n"),
        "the assigned range is recorded as a value:\n{recorded}"
    );
    // Remove staging from the recorded answers, as a user would.
    let start = recorded.find("  - name: \"staging\"").unwrap();
    let end = recorded.find("  - name: \"dev\"").unwrap();
    let without = format!("{}{}", &recorded[..start], &recorded[end..]);
    repo.write(".openedx-devops/answers.yml", &without);
    repo.run(["update"]).success();
    assert!(!repo.exists("terraform/environments/staging/vpc"));
    assert!(
        vpc_line(&repo, "dev").contains("\"10.30.0.0/16\""),
        "{}",
        vpc_line(&repo, "dev")
    );
    assert!(vpc_line(&repo, "prod").contains("\"10.10.0.0/16\""));
    // A new environment takes the first free range, and it is recorded too.
    let ran = repo
        .run([
            "update",
            "--set",
            "environments.2.name=qa",
            "--set",
            "environments.2.subdomain=qa-learn",
        ])
        .success();
    assert!(vpc_line(&repo, "qa").contains("\"10.20.0.0/16\""));
    let recorded = repo.read(".openedx-devops/answers.yml");
    assert!(
        recorded.contains("  - name: \"qa\"") && recorded.contains("vpc_cidr: \"10.20.0.0/16\""),
        "{recorded}\n{}",
        common::printed(&ran)
    );
    repo.run(["update", "--check"]).success();
}

#[test]
fn an_environment_added_by_hand_has_its_free_range_recorded() {
    let repo = Repo::new().answers_text(ANSWERS).generate();
    repo.append(
        ".openedx-devops/answers.yml",
        "  - name: qa\n    subdomain: qa-learn\n",
    );
    let ran = repo.run(["update"]).success();
    let printed = common::printed(&ran);
    assert!(printed.contains("`10.30.0.0/16`"), "{printed}");
    assert!(vpc_line(&repo, "qa").contains("\"10.30.0.0/16\""));
    let recorded = repo.read(".openedx-devops/answers.yml");
    assert!(
        recorded.contains("vpc_cidr: \"10.30.0.0/16\""),
        "{recorded}"
    );
}

#[test]
fn production_is_recorded_so_reordering_the_list_keeps_it() {
    // Found in review: `production` defaulted by list position and stayed a comment, so putting
    // `dev` first turned the real prod into a non-production environment on the next update.
    let repo = Repo::new().answers(common::example("seed-like")).generate();
    let answers = repo.read(".openedx-devops/answers.yml");
    assert!(answers.contains("\n    production: true\n"), "{answers}");
    assert!(answers.contains("\n    production: false\n"), "{answers}");
}
