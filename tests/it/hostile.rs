//! A repository is untrusted input (a clone, a pull request in CI): the attacks of issue 13 on
//! the real binary. Each names what it did on the release that had the hole.

use crate::common::{Repo, bin, example};
use predicates::prelude::*;
use std::time::Duration;

/// Runs the binary in the repository, killed after 20 s: a hang fails instead of blocking.
fn within(repo: &Repo, arguments: &[&str]) -> assert_cmd::assert::Assert {
    bin()
        .current_dir(repo.path())
        .args(arguments)
        .timeout(Duration::from_secs(20))
        .assert()
}

fn repo() -> Repo {
    Repo::new().answers(example("minimal")).generate()
}

/// A journal as a hostile clone would commit it (the work folder's identity cannot be forged,
/// so the best it can do is guess).
fn plant_journal(repo: &Repo, steps: serde_json::Value) {
    let journal = serde_json::json!({
        "work_folder": {"device": 1, "inode": 1},
        "steps": steps,
    });
    repo.write(".openedx-devops/.update/journal.json", journal.to_string());
}

#[test]
fn a_committed_journal_cannot_delete_or_move_files_outside_the_repository() {
    // Was: a plain `update` deleted files outside the repository, and moved the repository's
    // `.bashrc` over the user's.
    let repo = repo();
    let outside = repo.write_beside("victim.txt", "mine\n");
    repo.write(".openedx-devops/.update/backup/.bashrc", "evil\n");
    plant_journal(
        &repo,
        serde_json::json!([
            {"path": "../victim.txt", "before": null, "after": null},
            {"path": outside.to_str().unwrap(), "before": null, "after": null},
        ]),
    );
    repo.run(["update"])
        .code(2)
        .stderr(predicate::str::contains("will not roll back"))
        .stderr(predicate::str::contains("delete the folder"));
    assert_eq!(fs_err::read_to_string(&outside).unwrap(), "mine\n");
    // --check says so too, and writes nothing.
    repo.run(["update", "--check"])
        .code(1)
        .stderr(predicate::str::contains("an interrupted update is pending"));
}

#[test]
fn a_manifest_entry_in_git_is_refused() {
    // Was: a manifest entry for `.git/HEAD` (predictable content) made `update` delete it.
    let repo = repo();
    repo.write(".git/HEAD", "ref: refs/heads/main\n");
    let manifest = repo.read(".openedx-devops/manifest.json");
    let sha = openedx_devops::record::sha256_hex(b"ref: refs/heads/main\n");
    let manifest = manifest.replacen(
        "\"files\": {",
        &format!("\"files\": {{\n    \".git/HEAD\": {{\"sha256\": \"{sha}\"}},"),
        1,
    );
    repo.write(".openedx-devops/manifest.json", manifest);
    repo.run(["update"])
        .code(2)
        .stderr(predicate::str::contains("version-control folder"));
    assert_eq!(repo.read(".git/HEAD"), "ref: refs/heads/main\n");
}

#[cfg(unix)]
#[test]
fn record_files_are_never_followed_through_links_or_blocked_on() {
    // Was: `answers.yml` linked to ~/.aws/credentials printed the secret in a YAML error; a
    // link to /dev/zero read until memory ran out; a FIFO blocked forever.
    let repo = repo();
    let secret = repo.write_beside("credentials", "aws_secret_access_key = SECRETSECRET\n");
    let answers = repo.path().join(".openedx-devops/answers.yml");
    for target in [secret.as_path(), std::path::Path::new("/dev/zero")] {
        fs_err::remove_file(&answers).unwrap();
        std::os::unix::fs::symlink(target, &answers).unwrap();
        within(&repo, &["update", "--check"])
            .code(2)
            .stderr(predicate::str::contains("symbolic link"))
            .stderr(predicate::str::contains("SECRETSECRET").not())
            .stdout(predicate::str::contains("SECRETSECRET").not());
    }
    fs_err::remove_file(&answers).unwrap();
    let name = std::ffi::CString::new(answers.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
    within(&repo, &["update", "--check"])
        .code(2)
        .stderr(predicate::str::contains("not a regular file"));
}

#[cfg(unix)]
#[test]
fn a_linked_record_folder_is_refused_and_what_it_points_to_is_untouched() {
    // Was: `.openedx-devops` as a link made recovery delete files in the folder it points to.
    let repo = repo();
    let elsewhere = repo.beside("elsewhere");
    fs_err::create_dir_all(elsewhere.join(".update")).unwrap();
    fs_err::write(elsewhere.join(".update/precious"), "keep\n").unwrap();
    let record = repo.path().join(".openedx-devops");
    fs_err::rename(&record, elsewhere.join("record")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, &record).unwrap();
    for arguments in [&["update"][..], &["update", "--check"], &["check"]] {
        repo.run(arguments)
            .code(2)
            .stderr(predicate::str::contains("symbolic link"));
    }
    assert!(elsewhere.join(".update/precious").exists());
}

#[test]
fn a_second_update_waits_then_refuses_while_the_first_holds_the_lock() {
    // Was: two concurrent updates both exited 0 and left the answers and files disagreeing.
    let repo = repo();
    let held = std::fs::File::open(repo.path().join(".openedx-devops")).unwrap();
    held.lock().unwrap();
    repo.run(["update", "--set", "aws_region=eu-west-1"])
        .code(2)
        .stderr(predicate::str::contains(
            "another `openedx-devops update` is running",
        ));
    drop(held);
    repo.run(["update", "--set", "aws_region=eu-west-1"])
        .success();
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_standard_output_is_an_error_not_a_panic() {
    // Was: `> /dev/full` made every subcommand abort (SIGABRT, 134).
    let repo = repo();
    let path = repo.path().to_str().unwrap().to_owned();
    for arguments in [
        vec!["versions"],
        vec!["questions", "--format", "json-schema"],
        vec!["man"],
        vec!["completions", "bash"],
        vec!["check", path.as_str()],
        vec!["update", "--dry-run", path.as_str()],
        vec!["graph", path.as_str()],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let output = std::process::Command::new(assert_cmd::cargo::cargo_bin("openedx-devops"))
            .args(&arguments)
            .stdout(full)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{arguments:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("cannot write the output"),
            "{arguments:?}: {stderr}"
        );
    }
}

#[test]
fn check_refuses_a_folder_without_a_record_before_reading_it() {
    // Was: `check /` read 8.8 GB before looking for a manifest; `check /usr` took 7.9 s.
    for folder in ["/", "/usr"] {
        bin()
            .args(["check", folder])
            .timeout(Duration::from_secs(5))
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "not a repository generated by openedx-devops",
            ));
    }
    bin()
        .args(["graph", "/usr"])
        .timeout(Duration::from_secs(5))
        .assert()
        .code(2);
}

#[test]
fn control_characters_in_file_names_are_escaped_in_findings() {
    // Was: an ESC or BEL in a file name set the terminal title or cleared the screen.
    let repo = repo();
    repo.write(
        "terraform/title\u{1b}]0;owned\u{7}.tf",
        "locals {\n  a =\n}\n",
    );
    let output = repo.run(["check"]).code(1).get_output().stdout.clone();
    let text = String::from_utf8(output).unwrap();
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "{text:?}"
    );
    assert!(text.contains("\\u{1b}"), "{text}");
    // A newline in a name cannot forge a finding of its own (tried beyond the list).
    let repo = self::repo();
    repo.write(
        "terraform/x\nterraform/global.hcl:1:1: error: FORGED/y.tf",
        "a =\n",
    );
    let output = repo.run(["check"]).code(1).get_output().stdout.clone();
    let text = String::from_utf8(output).unwrap();
    assert!(
        !text
            .lines()
            .any(|line| line.starts_with("terraform/global.hcl:1:1: error: FORGED")),
        "{text}"
    );
}

#[test]
fn new_into_the_current_empty_folder_and_through_dot_dot() {
    // Was: `new .` in an empty folder failed ("not empty"), `new nothere/..` created `nothere/`.
    let scratch = tempfile::tempdir().unwrap();
    let here = scratch.path().join("here");
    fs_err::create_dir(&here).unwrap();
    bin()
        .current_dir(&here)
        .args(["new", ".", "--defaults"])
        .assert()
        .success();
    assert!(here.join(".openedx-devops/manifest.json").is_file());
    bin()
        .current_dir(scratch.path())
        .args(["new", "nothere/..", "--defaults"])
        .assert()
        .code(2);
    assert!(!scratch.path().join("nothere").exists());
}

#[test]
fn a_staging_folder_left_by_an_interrupted_new_is_swept_by_the_next() {
    // Was: an interrupted `new` left `.openedx-devops-staging-*` behind forever.
    let scratch = tempfile::tempdir().unwrap();
    let stale = scratch.path().join(".openedx-devops-staging-AbC123");
    fs_err::create_dir_all(stale.join("terraform")).unwrap();
    bin()
        .current_dir(scratch.path())
        .args(["new", "repo", "--defaults"])
        .assert()
        .success();
    assert!(!stale.exists());
}

#[test]
fn free_text_cannot_hide_the_generated_readme() {
    // Was: `platform_description` with `<!--` hid most of the generated README on GitHub.
    let repo = Repo::new()
        .answers(example("minimal"))
        .set("platform_description=Lake <!-- School")
        .generate();
    let readme = repo.read("README.md");
    assert!(!readme.contains("<!--"), "{readme}");
    assert!(
        readme.starts_with("# Lake &lt;\\!-- School: Open edX on AWS\n"),
        "{readme}"
    );
}

#[cfg(unix)]
#[test]
fn a_generated_file_hard_linked_to_a_file_outside_is_replaced_not_written_through() {
    // Tried beyond the list: `update` replaces files by rename, so a hard link in a
    // clone cannot make it write into the file the link shares.
    let repo = repo();
    let outside = repo.write_beside("outside.txt", "mine\n");
    let inside = repo.path().join("terraform/environments/prod/env.hcl");
    fs_err::remove_file(&inside).unwrap();
    std::fs::hard_link(&outside, &inside).unwrap();
    repo.run([
        "update",
        "--set",
        "environments.0.eks_instance_type=t3.2xlarge",
    ]);
    assert_eq!(fs_err::read_to_string(&outside).unwrap(), "mine\n");
}
