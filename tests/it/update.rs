//! `update` end to end, in temporary folders: answer changes, environments added and removed,
//! edits merged or in conflict, own files, deleted files, `--check` and `--dry-run`, and a
//! template upgrade simulated with a second blueprint folder.

use crate::common;

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn bin() -> Command {
    Command::cargo_bin("openedx-devops").expect("the binary builds")
}

fn read(root: &Path, path: &str) -> String {
    std::fs::read_to_string(root.join(path)).unwrap_or_else(|_| panic!("{path} missing"))
}

fn write(root: &Path, path: &str, text: &str) {
    let file = root.join(path);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(file, text).unwrap();
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

/// A repository generated with blueprint set `version`, in `dir/repo`.
fn generate(dir: &Path, version: u32) -> PathBuf {
    write(dir, "answers.yml", ANSWERS);
    let blueprints = blueprints(dir, version);
    bin()
        .current_dir(dir)
        .args(["new", "repo", "--answers", "answers.yml", "--blueprints"])
        .arg(&blueprints)
        .assert()
        .success();
    dir.join("repo")
}

fn update(dir: &Path, version: u32, extra: &[&str]) -> (i32, String) {
    let blueprints = blueprints(dir, version);
    let output = bin()
        .current_dir(dir)
        .args(["update", "repo", "--blueprints"])
        .arg(blueprints)
        .args(extra)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code().unwrap_or(-1), text)
}

#[test]
fn check_is_clean_right_after_new_and_after_update() {
    let scratch = tempfile::tempdir().unwrap();
    generate(scratch.path(), 1);
    let (code, text) = update(scratch.path(), 1, &["--check"]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("up to date"), "{text}");
    let (code, text) = update(
        scratch.path(),
        1,
        &[
            "--check",
            "--set",
            "environments.0.eks_instance_type=t3.xlarge",
        ],
    );
    assert_eq!(code, 1, "{text}");
    let (code, _) = update(
        scratch.path(),
        1,
        &["--set", "environments.0.eks_instance_type=t3.xlarge"],
    );
    assert_eq!(code, 0);
    let (code, text) = update(scratch.path(), 1, &["--check"]);
    assert_eq!(code, 0, "{text}");
}

#[test]
fn an_answer_edited_in_the_record_is_drift_until_applied() {
    let scratch = tempfile::tempdir().unwrap();
    let repo = generate(scratch.path(), 1);
    let answers =
        read(&repo, ".openedx-devops/answers.yml").replace("\"t3.medium\"", "\"t3.2xlarge\"");
    write(&repo, ".openedx-devops/answers.yml", &answers);
    let (code, text) = update(scratch.path(), 1, &["--check"]);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("update") && text.contains("terraform/environments/dev/env.hcl"),
        "{text}"
    );
    let (code, _) = update(scratch.path(), 1, &[]);
    assert_eq!(code, 0);
    assert!(read(&repo, "terraform/environments/dev/env.hcl").contains("t3.2xlarge"));
    assert!(
        read(&repo, ".openedx-devops/answers.yml").contains("t3.2xlarge"),
        "the user's answers file is kept"
    );
}

#[test]
fn dry_run_changes_no_byte() {
    let scratch = tempfile::tempdir().unwrap();
    let repo = generate(scratch.path(), 1);
    write(
        &repo,
        "README.md",
        &read(&repo, "README.md").replace("Intro.", "Our intro."),
    );
    let before = common::contents(&repo);
    let (code, text) = update(
        scratch.path(),
        2,
        &["--dry-run", "--set", "environments.1.name=qa"],
    );
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("nothing was written"), "{text}");
    assert_eq!(common::contents(&repo), before);
}

#[test]
fn instance_size_change_keeps_every_edit() {
    let scratch = tempfile::tempdir().unwrap();
    let repo = generate(scratch.path(), 1);
    // An edit far from the size line, and a file of our own.
    let env = read(&repo, "terraform/environments/prod/env.hcl")
        .replace("  domain ", "  # our note\n  domain ");
    write(&repo, "terraform/environments/prod/env.hcl", &env);
    write(&repo, "terraform/environments/prod/extra.tf", "# ours\n");
    let (code, text) = update(
        scratch.path(),
        1,
        &["--set", "environments.0.eks_instance_type=m7i.large"],
    );
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("merge") && text.contains("terraform/environments/prod/env.hcl"),
        "{text}"
    );
    let env = read(&repo, "terraform/environments/prod/env.hcl");
    assert!(
        env.contains("# our note") && env.contains("m7i.large"),
        "{env}"
    );
    assert_eq!(
        read(&repo, "terraform/environments/prod/extra.tf"),
        "# ours\n"
    );
}

#[test]
fn the_same_line_changed_on_both_sides_gives_markers_and_exit_1() {
    let scratch = tempfile::tempdir().unwrap();
    let repo = generate(scratch.path(), 1);
    let path = "terraform/environments/dev/env.hcl";
    write(
        &repo,
        path,
        &read(&repo, path).replace("t3.medium", "t3.small"),
    );
    let (code, text) = update(
        scratch.path(),
        1,
        &["--set", "environments.1.eks_instance_type=t3.xlarge"],
    );
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("conflict") && text.contains(path), "{text}");
    let merged = read(&repo, path);
    assert!(
        merged.contains("<<<<<<< yours") && merged.contains(">>>>>>> template"),
        "{merged}"
    );
    assert!(merged.contains("t3.small") && merged.contains("t3.xlarge"));
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
    write(&repo, path, &resolved);
    let (code, text) = update(scratch.path(), 1, &["--check"]);
    assert_eq!(code, 0, "{text}");
}

#[test]
fn removing_an_environment_deletes_its_unedited_files_and_keeps_edited_ones() {
    let scratch = tempfile::tempdir().unwrap();
    let repo = generate(scratch.path(), 1);
    write(
        &repo,
        "terraform/environments/dev/env.hcl",
        &format!(
            "{}# tuned\n",
            read(&repo, "terraform/environments/dev/env.hcl")
        ),
    );
    write(&repo, "terraform/environments/dev/notes.md", "ours\n");
    let prod_only = ANSWERS.split("  - name: dev").next().unwrap();
    write(scratch.path(), "prod-only.yml", prod_only);
    let (code, text) = update(scratch.path(), 1, &["--answers", "prod-only.yml"]);
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
        !repo.join("terraform/environments/dev/vpc").exists(),
        "emptied folders go too"
    );
    assert!(repo.join("terraform/environments/dev/env.hcl").exists());
    assert_eq!(read(&repo, "terraform/environments/dev/notes.md"), "ours\n");
    let manifest = read(&repo, ".openedx-devops/manifest.json");
    assert!(!manifest.contains("environments/dev/"), "{manifest}");
    // No file the generator still manages mentions the removed environment's hosts.
    for (path, bytes) in common::contents(&repo) {
        if path.starts_with("terraform/environments/dev/") || path.ends_with(".gz") {
            continue;
        }
        assert!(
            !String::from_utf8_lossy(&bytes).contains("dev.learn.harbor.ac.uk"),
            "{path}"
        );
    }
    // Removed again: nothing left to do.
    let (code, text) = update(scratch.path(), 1, &["--check"]);
    assert_eq!(code, 0, "{text}");
}

#[test]
fn adding_an_environment_creates_its_files() {
    let scratch = tempfile::tempdir().unwrap();
    let repo = generate(scratch.path(), 1);
    let (code, text) = update(
        scratch.path(),
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
    assert!(read(&repo, "terraform/environments/qa/env.hcl").contains("qa.learn.harbor.ac.uk"));
    assert!(read(&repo, ".openedx-devops/answers.yml").contains("qa.learn"));
}

#[test]
fn a_template_upgrade_merges_deletes_creates_and_respects_deletions() {
    let scratch = tempfile::tempdir().unwrap();
    let repo = generate(scratch.path(), 1);
    // Edits: README in a place v2 does not change; a retired file edited; a generated file deleted.
    write(
        &repo,
        "README.md",
        &read(&repo, "README.md").replace("Intro.", "Our own intro."),
    );
    write(&repo, "docs/edited-old.md", "We rely on this.\n");
    std::fs::remove_file(repo.join("terraform/environments/prod/vpc/terragrunt.hcl")).unwrap();
    // A file of ours where v2 puts a new one.
    write(&repo, "docs/new.md", "Our own new.md\n");
    let (code, text) = update(scratch.path(), 2, &[]);
    assert_eq!(
        code, 1,
        "the clash with our docs/new.md is a conflict: {text}"
    );
    let readme = read(&repo, "README.md");
    assert!(
        readme.contains("Our own intro.") && readme.contains("Tutor 22.0.2"),
        "{readme}"
    );
    assert!(
        !repo.join("docs/old.md").exists(),
        "retired and unedited: deleted"
    );
    assert_eq!(read(&repo, "docs/edited-old.md"), "We rely on this.\n");
    assert_eq!(
        read(&repo, "docs/new.md"),
        "Our own new.md\n",
        "never overwritten"
    );
    assert!(
        !repo
            .join("terraform/environments/prod/vpc/terragrunt.hcl")
            .exists(),
        "stays deleted"
    );
    assert!(text.contains("removed"), "{text}");
    assert!(
        text.contains("renames Terraform addresses (aws_s3_bucket.media -> aws_s3_bucket.assets)"),
        "{text}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(repo.join("scripts/run.sh"))
            .unwrap()
            .permissions()
            .mode();
        assert_ne!(mode & 0o111, 0, "the executable bit follows the template");
    }
    // Once our file moves away, the template's arrives.
    std::fs::remove_file(repo.join("docs/new.md")).unwrap();
    let (code, text) = update(scratch.path(), 2, &[]);
    assert_eq!(code, 0, "{text}");
    assert_eq!(read(&repo, "docs/new.md"), "Added in version 22.0.2.\n");
    let (code, text) = update(scratch.path(), 2, &["--check"]);
    assert_eq!(code, 0, "{text}");
}

#[test]
fn json_plan_lists_every_file_with_counts() {
    let scratch = tempfile::tempdir().unwrap();
    generate(scratch.path(), 1);
    let (code, text) = update(scratch.path(), 2, &["--dry-run", "--format", "json"]);
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
    let scratch = tempfile::tempdir().unwrap();
    let repo = generate(scratch.path(), 1);
    let before = common::contents(&repo);
    let (code, text) = update(scratch.path(), 1, &["--set", "aws_region=mars-1"]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("aws_region"), "{text}");
    assert_eq!(common::contents(&repo), before);
    std::fs::remove_file(repo.join(".openedx-devops/manifest.json")).unwrap();
    let (code, text) = update(scratch.path(), 1, &[]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("manifest.json"), "{text}");
}

#[test]
fn a_manifest_path_leaving_the_repository_is_refused() {
    let scratch = tempfile::tempdir().unwrap();
    let repo = generate(scratch.path(), 1);
    let manifest =
        read(&repo, ".openedx-devops/manifest.json").replace("\"README.md\"", "\"../outside.md\"");
    write(&repo, ".openedx-devops/manifest.json", &manifest);
    let (code, text) = update(scratch.path(), 1, &[]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("leaves the repository"), "{text}");
    assert!(!scratch.path().join("outside.md").exists());
}

#[test]
fn the_embedded_blueprints_update_cleanly_after_an_answer_change() {
    let scratch = tempfile::tempdir().unwrap();
    write(scratch.path(), "answers.yml", ANSWERS);
    bin()
        .current_dir(scratch.path())
        .args(["new", "repo", "--answers", "answers.yml"])
        .assert()
        .success();
    let repo = scratch.path().join("repo");
    bin()
        .current_dir(scratch.path())
        .args(["update", "repo", "--check"])
        .assert()
        .code(0);
    bin()
        .current_dir(scratch.path())
        .args([
            "update",
            "repo",
            "--set",
            "environments.0.mysql_instance_class=db.r7g.large",
        ])
        .assert()
        .code(0);
    let all: String = common::contents(&repo)
        .into_iter()
        .filter(|(path, _)| path.starts_with("terraform/environments/prod/"))
        .map(|(_, bytes)| String::from_utf8_lossy(&bytes).into_owned())
        .collect();
    assert!(all.contains("db.r7g.large"));
    bin()
        .current_dir(scratch.path())
        .args(["update", "repo", "--check"])
        .assert()
        .code(0);
}

#[test]
fn untrusted_files_are_refused_with_exit_2_and_nothing_written() {
    let scratch = tempfile::tempdir().unwrap();
    let repo = generate(scratch.path(), 1);
    let path = "terraform/environments/prod/env.hcl";
    let original = read(&repo, path);
    for (what, contents, needle) in [
        ("CRLF", original.replace('\n', "\r\n").into_bytes(), "CRLF"),
        ("binary", vec![0xff, 0xfe, 0x00, 0x01], "not UTF-8"),
        (
            "huge",
            vec![b'#'; 5 * 1024 * 1024],
            "larger than any generated file",
        ),
    ] {
        std::fs::write(repo.join(path), &contents).unwrap();
        let before = common::contents(&repo);
        let (code, text) = update(scratch.path(), 2, &[]);
        assert_eq!(code, 2, "{what}: {text}");
        assert!(
            text.contains(needle) && text.contains(path),
            "{what}: {text}"
        );
        assert_eq!(
            common::contents(&repo),
            before,
            "{what}: something was written"
        );
    }
    std::fs::write(repo.join(path), original).unwrap();
    std::fs::write(repo.join(".openedx-devops/base.json.gz"), b"garbage").unwrap();
    let (code, text) = update(scratch.path(), 2, &[]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("base.json.gz"), "{text}");
}
