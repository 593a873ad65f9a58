//! `update` carries a repository of the old layout (every Terragrunt unit written out in full in
//! each environment, openedx-devops 0.1.0) to `terraform/_envcommon/`. The repository is rebuilt
//! from the vendored record `tests/data/v0.1-seed-like/.openedx-devops/`, whose base holds every
//! file it generated; a user's edits are planted; this binary updates it.

use assert_cmd::Command;
use openedx_devops::record::{self, Manifest};
use std::collections::BTreeMap;
use std::path::Path;

const RECORD: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/v0.1-seed-like/.openedx-devops"
);
const MYSQL: &str = "terraform/environments/prod/mysql/terragrunt.hcl";
const ENV: &str = "terraform/environments/prod/env.hcl";
const REDIS: &str = "terraform/environments/dev/redis/terragrunt.hcl";

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

fn edit(root: &Path, path: &str, from: &str, to: &str) {
    let text = read(root, path);
    assert!(text.contains(from), "`{path}` has no `{from}`");
    write(root, path, &text.replacen(from, to, 1));
}

/// The repository the old binary generated: every file of its base (with the modes of its
/// manifest), then its record.
fn materialise(root: &Path) {
    let record_dir = root.join(record::RECORD_DIR);
    std::fs::create_dir_all(&record_dir).unwrap();
    for entry in std::fs::read_dir(RECORD).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), record_dir.join(entry.file_name())).unwrap();
    }
    let base = record::decode_base(&std::fs::read(root.join(record::BASE_PATH)).unwrap()).unwrap();
    let manifest = Manifest::from_json(&read(root, record::MANIFEST_PATH)).unwrap();
    assert_eq!(manifest.version, "0.1.0");
    assert_eq!(
        base.keys().collect::<Vec<_>>(),
        manifest.files.keys().collect::<Vec<_>>()
    );
    for (path, text) in &base {
        write(root, path, text);
        #[cfg(unix)]
        if manifest.files[path].executable {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(root.join(path), std::fs::Permissions::from_mode(0o755))
                .unwrap();
        }
    }
    assert!(
        !root.join("terraform/_envcommon").exists(),
        "the old layout has no _envcommon/"
    );
}

/// Every file below `root`, record aside: path -> text.
fn files(root: &Path) -> BTreeMap<String, String> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(|entry| entry.unwrap())
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            let path = entry.path().strip_prefix(root).unwrap();
            (path.to_string_lossy().replace('\\', "/"), entry)
        })
        .filter(|(path, _)| !path.starts_with(".openedx-devops/"))
        .map(|(path, entry)| (path, std::fs::read_to_string(entry.path()).unwrap()))
        .collect()
}

fn run(args: &[&str], dir: &Path) -> (i32, String) {
    let output = bin().args(args).arg(dir).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code().unwrap_or(-1), text)
}

#[test]
fn update_moves_an_old_repository_to_envcommon_and_keeps_every_edit() {
    let scratch = tempfile::tempdir().unwrap();
    let repo = scratch.path().join("repo");
    materialise(&repo);
    // What the same answers give today, for comparison.
    let fresh = scratch.path().join("fresh");
    bin()
        .args(["new"])
        .arg(&fresh)
        .arg("--answers")
        .arg(repo.join(record::ANSWERS_PATH))
        .assert()
        .success();

    // A user's edits: an input of one unit, a setting of one env.hcl, and a mock (not an input)
    // of another unit.
    edit(
        &repo,
        MYSQL,
        "allocated_storage     = include.root.locals.env.mysql_allocated_storage",
        "allocated_storage     = 100",
    );
    edit(
        &repo,
        ENV,
        "mysql_max_allocated_storage = 200",
        "mysql_max_allocated_storage = 400",
    );
    edit(
        &repo,
        REDIS,
        "vpc_cidr_block             = \"10.0.0.0/16\"",
        "vpc_cidr_block             = \"10.1.0.0/16\"",
    );

    let (code, text) = run(&["update", "--format", "json"], &repo);
    assert_eq!(code, 1, "a conflict needs attention:\n{text}");
    let report: serde_json::Value = serde_json::from_str(&text).unwrap();
    let actions: BTreeMap<&str, &str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|file| {
            (
                file["path"].as_str().unwrap(),
                file["action"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(report["applied"], true, "{text}");

    // The common bodies are created, one per component.
    let common: Vec<&str> = actions
        .iter()
        .filter(|(path, _)| path.starts_with("terraform/_envcommon/"))
        .map(|(path, action)| {
            assert_eq!(*action, "create", "{path}");
            *path
        })
        .collect();
    assert_eq!(common.len(), 15, "{common:#?}");
    let fresh_files = files(&fresh);
    let after = files(&repo);
    for path in &common {
        assert_eq!(after.get(*path), fresh_files.get(*path), "{path}");
    }

    // Each environment's unit is the short form: rewritten (update), merged or in conflict.
    let units: Vec<&str> = after
        .keys()
        .map(String::as_str)
        .filter(|path| {
            path.starts_with("terraform/environments/") && path.ends_with("/terragrunt.hcl")
        })
        .collect();
    assert_eq!(units.len(), 30);
    for unit in &units {
        let expected = match *unit {
            MYSQL => "merge",
            REDIS => "conflict",
            // Newer than the old repository (issue 16).
            _ if unit.ends_with("/ci-runner/terragrunt.hcl") => "create",
            _ => "update",
        };
        assert_eq!(actions[unit], expected, "{unit}");
        if *unit != REDIS {
            let text = &after[*unit];
            assert!(
                text.contains("include \"envcommon\"") && text.lines().count() <= 25,
                "{unit} is not the short form:\n{text}"
            );
        }
    }

    // The input edit now lives in the short unit, where it wins over the common file's.
    let mysql = &after[MYSQL];
    assert!(
        mysql.contains("inputs = {\n  allocated_storage = 100\n}\n"),
        "{mysql}"
    );
    assert!(!mysql.contains("include.root.locals.env.mysql_allocated_storage"));
    // The env.hcl edit is kept; the template changed the file's header comment meanwhile, so the
    // two are merged.
    assert_eq!(actions[ENV], "merge");
    assert!(after[ENV].contains("mysql_max_allocated_storage = 400"));
    assert!(after[ENV].contains("terraform/_envcommon/ read them"));
    // The edit the short form cannot hold is shown beside the template's version.
    let redis = &after[REDIS];
    assert!(
        redis.contains("<<<<<<< yours (this repository)")
            && redis.contains(">>>>>>> template (openedx-devops update)")
            && redis.contains("\"10.1.0.0/16\"")
            && redis.contains("include \"envcommon\""),
        "{redis}"
    );

    // Nothing else is lost or different from what the same answers give today.
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        fresh_files.keys().collect::<Vec<_>>()
    );
    for (path, text) in &after {
        if ![MYSQL, ENV, REDIS].contains(&path.as_str()) {
            assert_eq!(Some(text), fresh_files.get(path), "{path}");
        }
    }
    let manifest = Manifest::from_json(&read(&repo, record::MANIFEST_PATH)).unwrap();
    assert_eq!(manifest.version, env!("CARGO_PKG_VERSION"));

    // check finds the conflict alone; resolved the template's way, the repository is clean and
    // up to date.
    let (code, text) = run(&["check"], &repo);
    assert_eq!(code, 1, "{text}");
    for line in text.lines().filter(|line| line.contains(": error:")) {
        assert!(line.starts_with(&format!("{REDIS}:")), "{text}");
    }
    write(&repo, REDIS, &fresh_files[REDIS]);
    let (code, text) = run(&["check"], &repo);
    assert_eq!(code, 0, "{text}");
    let (code, text) = run(&["update", "--check"], &repo);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("up to date"), "{text}");
}

/// The `vpc_cidr` line of an environment's `env.hcl`.
fn vpc_line(root: &Path, environment: &str) -> String {
    read(
        root,
        &format!("terraform/environments/{environment}/env.hcl"),
    )
    .lines()
    .find(|line| line.trim_start().starts_with("vpc_cidr"))
    .unwrap_or_else(|| panic!("{environment}/env.hcl has no vpc_cidr"))
    .to_owned()
}

#[test]
fn update_records_the_network_ranges_an_old_repository_had_by_position() {
    // The old record has no `vpc_cidr`: its ranges came from list positions. They are written
    // down, so that removing `prod` afterwards leaves `dev` on 10.20.0.0/16.
    let scratch = tempfile::tempdir().unwrap();
    let repo = scratch.path().join("repo");
    materialise(&repo);
    assert!(!read(&repo, record::ANSWERS_PATH).contains("vpc_cidr"));
    let (code, text) = run(&["update"], &repo);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("`environments.1.vpc_cidr` is `10.20.0.0/16` for `dev`"),
        "{text}"
    );
    assert!(vpc_line(&repo, "prod").contains("\"10.10.0.0/16\""));
    assert!(vpc_line(&repo, "dev").contains("\"10.20.0.0/16\""));
    let answers = read(&repo, record::ANSWERS_PATH);
    assert!(
        answers.contains("    vpc_cidr: \"10.10.0.0/16\"\n")
            && answers.contains("    vpc_cidr: \"10.20.0.0/16\"\n"),
        "{answers}"
    );
    // Remove `prod`: `dev` keeps its range.
    let start = answers.find("  - name: \"prod\"").unwrap();
    let end = answers.find("  - name: \"dev\"").unwrap();
    write(
        &repo,
        record::ANSWERS_PATH,
        &format!("{}{}", &answers[..start], &answers[end..]),
    );
    let (code, text) = run(&["update"], &repo);
    assert_eq!(code, 0, "{text}");
    assert!(
        vpc_line(&repo, "dev").contains("\"10.20.0.0/16\""),
        "{text}"
    );
}
