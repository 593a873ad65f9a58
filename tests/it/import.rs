//! `openedx-devops import`: repositories rendered by cookiecutter from tests/peer-template (a
//! stand-in of cookiecutter-openedx-devops; .ci/peer.sh proves the fixtures are its real
//! cookiecutter renders) become answers that carry every value, that `new` takes and `check`
//! passes; what cannot be carried is named; anything else is refused.

use crate::common::{bin, checkout};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    let path = checkout(&format!("tests/fixtures/peer/{name}"));
    assert!(path.is_dir(), "no fixture `{}`", path.display());
    path
}

/// Runs `import` on a folder: (answers text, report on stderr).
fn import(dir: &Path) -> (String, String) {
    let output = bin().arg("import").arg(dir).output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(output.status.success(), "import failed: {stderr}");
    (String::from_utf8(output.stdout).unwrap(), stderr)
}

fn parse(text: &str) -> Value {
    serde_saphyr::from_str(text).unwrap()
}

/// `import`, `new` from its answers, `check` of the new repository.
fn round_trip(name: &str) -> (Value, String, tempfile::TempDir) {
    let (text, report) = import(&fixture(name));
    let temp = tempfile::tempdir().unwrap();
    let answers = temp.path().join("answers.yml");
    fs_err::write(&answers, &text).unwrap();
    let repo = temp.path().join("repo");
    bin()
        .arg("new")
        .arg(&repo)
        .arg("--answers")
        .arg(&answers)
        .assert()
        .success();
    bin().arg("check").arg(&repo).assert().success();
    (parse(&text), report, temp)
}

#[test]
fn the_template_defaults_carry_over_and_the_new_repository_checks_clean() {
    let (answers, report, _temp) = round_trip("defaults");
    assert_eq!(answers["platform_name"], "yourschool");
    assert_eq!(answers["platform_description"], "Your School");
    assert_eq!(answers["platform_region"], "global");
    assert_eq!(answers["root_domain"], "yourschool.edu");
    assert_eq!(answers["aws_region"], "us-east-1");
    assert_eq!(answers["aws_account_id"], "123456789012");
    assert_eq!(answers["github_organization"], "lpm0073");
    assert_eq!(answers["github_repository"], "openedx_devops");
    assert_eq!(answers["mongodb"], "ec2");
    assert_eq!(answers["bastion"], true);
    assert_eq!(answers["spot_instances"], true);
    assert_eq!(
        answers["tutor_plugins"],
        serde_json::json!(["notes", "discovery"])
    );
    assert_eq!(
        answers["theme_repository"],
        "https://github.com/cookiecutter-openedx/edx-theme-example.git"
    );
    assert_eq!(answers["theme_ref"], "main");
    let environment = &answers["environments"][0];
    assert_eq!(environment["name"], "prod");
    assert_eq!(environment["subdomain"], "courses");
    assert_eq!(environment["production"], true);
    assert_eq!(environment["eks_instance_type"], "t3.large");
    // db.t2 and cache.t2 are not offered for MySQL 8.4 and current Redis: the t3 of that size.
    assert_eq!(environment["mysql_instance_class"], "db.t3.small");
    assert_eq!(environment["redis_node_type"], "cache.t3.small");
    assert_eq!(environment["mongodb_instance_type"], "t3.medium");
    assert!(report.contains("`db.t2.small`"), "{report}");
    // Deprecated ecommerce, on by default in the template, is named as left out.
    assert!(report.contains("E-Commerce"), "{report}");
    assert!(report.contains("MySQL 5.7.42"), "{report}");
    assert!(report.contains("OpenID Connect"), "{report}");
}

#[test]
fn a_non_default_name_domain_region_and_environment_carry_over() {
    let (answers, report, temp) = round_trip("custom");
    assert_eq!(answers["platform_name"], "northwind-academy");
    assert_eq!(answers["platform_description"], "Northwind Academy");
    assert_eq!(answers["platform_region"], "europe");
    assert_eq!(answers["root_domain"], "northwind.de");
    assert_eq!(answers["aws_region"], "eu-central-1");
    assert_eq!(answers["aws_account_id"], "210987654321");
    assert_eq!(answers["github_organization"], "northwind-edu");
    assert_eq!(answers["github_repository"], "academy_devops");
    assert_eq!(answers["language_code"], "de");
    assert_eq!(answers["mongodb"], "in_cluster");
    assert_eq!(
        answers["bastion"], false,
        "the left-behind ec2_bastion unit is no bastion"
    );
    assert_eq!(
        answers["tutor_plugins"],
        serde_json::json!(["forum", "notes", "discovery", "credentials"])
    );
    assert_eq!(
        answers["theme_repository"],
        "https://github.com/northwind-edu/northwind-theme.git"
    );
    assert_eq!(answers["theme_ref"], "v2.1.0");
    let environment = &answers["environments"][0];
    assert_eq!(environment["name"], "live");
    assert_eq!(environment["subdomain"], "learn");
    assert_eq!(environment["production"], true);
    assert_eq!(environment["eks_instance_type"], "t3.xlarge");
    assert_eq!(environment["mysql_instance_class"], "db.t3.medium");
    assert_eq!(environment["redis_node_type"], "cache.t3.small");
    assert!(environment.get("mongodb_instance_type").is_none());
    assert!(report.contains("`Northwind_Academy`"), "{report}");
    assert!(report.contains("Studio's host `authoring."), "{report}");
    assert!(report.contains("MySQL 8.0.35"), "{report}");
    assert!(
        !report.contains("E-Commerce"),
        "ecommerce was off: {report}"
    );
    // The new repository is where the hosts and names land.
    let env_hcl =
        fs_err::read_to_string(temp.path().join("repo/terraform/environments/live/env.hcl"))
            .unwrap();
    assert!(env_hcl.contains("learn.northwind.de"), "{env_hcl}");
}

#[test]
fn every_option_on_names_what_is_left_out() {
    let (answers, report, _temp) = round_trip("all-on");
    assert_eq!(
        answers["tutor_plugins"],
        serde_json::json!(["forum", "notes", "discovery", "credentials", "xqueue"])
    );
    for left_out in [
        "WordPress",
        "Kubecost",
        "Kubernetes dashboard",
        "Kubeapps",
        "Prometheus",
        "License Manager",
        "codejail",
        "ora2",
    ] {
        assert!(report.contains(left_out), "no `{left_out}` in {report}");
    }
    assert!(report.contains("backup plugin"), "{report}");
    assert!(
        report.contains("Amazon SES identity of courses.yourschool.edu"),
        "{report}"
    );
    // The WordPress folder's env.hcl is no Open edX environment.
    assert_eq!(answers["environments"].as_array().unwrap().len(), 1);
}

#[test]
fn every_option_off_runs_the_databases_in_the_cluster_then_on_aws() {
    let (answers, report, _temp) = round_trip("all-off");
    assert_eq!(answers["mongodb"], "in_cluster");
    assert_eq!(answers["bastion"], false);
    assert_eq!(answers["tutor_plugins"], serde_json::json!([]));
    let environment = &answers["environments"][0];
    assert!(environment.get("mysql_instance_class").is_none());
    assert!(report.contains("ran in the cluster"), "{report}");
    for absent in ["WordPress", "Kubecost", "E-Commerce", "SES identity"] {
        assert!(!report.contains(absent), "`{absent}` was off: {report}");
    }
}

#[test]
fn every_value_says_where_it_came_from() {
    let (text, _) = import(&fixture("custom"));
    let lines: Vec<&str> = text.lines().collect();
    for (index, line) in lines.iter().enumerate() {
        let value_line = !line.trim_start().starts_with('#')
            && line.contains(": ")
            && !line.starts_with("schema_version");
        if value_line {
            let above = lines[index - 1].trim_start();
            assert!(above.starts_with("# from "), "no source above `{line}`");
        }
    }
    assert!(text.contains("# from terraform/global.hcl: locals.root_domain\nroot_domain:"));
}

#[test]
fn several_environments_copied_by_hand_become_environments_production_first() {
    let temp = tempfile::tempdir().unwrap();
    let repo = temp.path().join("old");
    copy_tree(&fixture("defaults"), &repo);
    // Operators add environments by copying the folder and editing env.hcl.
    let dev = repo.join("terraform/environments/dev");
    copy_tree(&repo.join("terraform/environments/prod"), &dev);
    let env_hcl = fs_err::read_to_string(dev.join("env.hcl")).unwrap();
    fs_err::write(
        dev.join("env.hcl"),
        env_hcl
            .replace("\"prod\"", "\"dev\"")
            .replace("\"courses\"", "\"dev-courses\""),
    )
    .unwrap();
    let (text, _) = import(&repo);
    let answers = parse(&text);
    let environments = answers["environments"].as_array().unwrap();
    let names: Vec<&str> = environments
        .iter()
        .map(|environment| environment["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["prod", "dev"]);
    assert_eq!(environments[1]["subdomain"], "dev-courses");
    let answers_file = temp.path().join("answers.yml");
    fs_err::write(&answers_file, &text).unwrap();
    bin()
        .arg("new")
        .arg(temp.path().join("new"))
        .arg("--answers")
        .arg(&answers_file)
        .assert()
        .success();
}

#[test]
fn import_existing_writes_the_ses_identity_import_into_the_new_repository() {
    let (text, _) = import(&fixture("defaults"));
    let temp = tempfile::tempdir().unwrap();
    let answers = temp.path().join("answers.yml");
    fs_err::write(&answers, &text).unwrap();
    let repo = temp.path().join("repo");
    bin()
        .arg("new")
        .arg(&repo)
        .arg("--answers")
        .arg(&answers)
        .assert()
        .success();
    let runs = std::cell::Cell::new(0);
    let run = || {
        runs.set(runs.get() + 1);
        bin()
            .arg("import")
            .arg(fixture("defaults"))
            .arg("--import-existing")
            .arg(&repo)
            .arg("-o")
            .arg(temp.path().join(format!("again-{}.yml", runs.get())))
            .assert()
    };
    run().success();
    let imports = repo.join("terraform/environments/prod/ses/imports.tf");
    let block = fs_err::read_to_string(&imports).unwrap();
    assert!(
        block.contains("to = aws_sesv2_email_identity.domain"),
        "{block}"
    );
    assert!(block.contains("id = \"courses.yourschool.edu\""), "{block}");
    // The zone and its delegation, which the old `vpc` unit made, continue in the `dns` unit.
    let dns =
        fs_err::read_to_string(repo.join("terraform/environments/prod/dns/imports.tf")).unwrap();
    assert!(dns.contains("to = aws_route53_zone.this"), "{dns}");
    assert!(
        dns.contains("name         = \"courses.yourschool.edu\""),
        "{dns}"
    );
    assert!(
        dns.contains(
            "id = \"${data.aws_route53_zone.adopted_parent.zone_id}_courses.yourschool.edu_NS\""
        ) && dns.contains("name         = \"yourschool.edu\""),
        "{dns}"
    );
    let zone = fs_err::read_to_string(repo.join("terraform/modules/dns-zone/main.tf")).unwrap();
    for declared in [
        "resource \"aws_route53_zone\" \"this\"",
        "resource \"aws_route53_record\" \"delegation\"",
    ] {
        assert!(
            zone.contains(declared),
            "the dns-zone module lacks `{declared}`"
        );
    }
    // The address is the resource the new `ses` module declares.
    let module = fs_err::read_to_string(repo.join("terraform/modules/ses/main.tf")).unwrap();
    assert!(module.contains("resource \"aws_sesv2_email_identity\" \"domain\""));
    // Idempotent; the repository still checks clean with the file in it.
    run().success();
    bin().arg("check").arg(&repo).assert().success();
    // A different file of that name is never overwritten.
    fs_err::write(&imports, "# mine\n").unwrap();
    let refused = run().failure().code(2);
    assert!(String::from_utf8_lossy(&refused.get_output().stderr).contains("other contents"));
    assert_eq!(fs_err::read_to_string(&imports).unwrap(), "# mine\n");
}

#[test]
fn folders_that_are_not_such_repositories_are_refused() {
    let temp = tempfile::tempdir().unwrap();
    let empty = temp.path().join("empty");
    fs_err::create_dir(&empty).unwrap();
    let refused = bin().arg("import").arg(&empty).assert().failure().code(2);
    let stderr = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert!(stderr.contains("is not a repository generated by cookiecutter-openedx-devops"));
    assert!(stderr.contains("terraform/global.hcl"), "{stderr}");
    assert!(refused.get_output().stdout.is_empty());

    // One of ours: told to use `update`.
    let ours = temp.path().join("ours");
    bin()
        .arg("new")
        .arg(&ours)
        .arg("--defaults")
        .assert()
        .success();
    let refused = bin().arg("import").arg(&ours).assert().failure().code(2);
    assert!(
        String::from_utf8_lossy(&refused.get_output().stderr).contains("openedx-devops update")
    );

    // A global.hcl but no environment.
    let bare = temp.path().join("bare");
    fs_err::create_dir_all(bare.join("terraform")).unwrap();
    fs_err::write(
        bare.join("terraform/global.hcl"),
        "locals {\n  platform_name = \"x\"\n  root_domain = \"x.edu\"\n}\n",
    )
    .unwrap();
    let refused = bin().arg("import").arg(&bare).assert().failure().code(2);
    assert!(String::from_utf8_lossy(&refused.get_output().stderr).contains("env.hcl"));

    // Broken HCL names the file.
    fs_err::write(bare.join("terraform/global.hcl"), "locals {\n").unwrap();
    let refused = bin().arg("import").arg(&bare).assert().failure().code(2);
    assert!(
        String::from_utf8_lossy(&refused.get_output().stderr)
            .contains("`terraform/global.hcl` is not valid HCL")
    );
}

#[test]
fn links_in_the_old_repository_are_not_followed_and_answers_files_are_not_replaced() {
    let temp = tempfile::tempdir().unwrap();
    let repo = temp.path().join("old");
    copy_tree(&fixture("defaults"), &repo);
    let secret = temp.path().join("secret.hcl");
    fs_err::write(
        &secret,
        "locals {\n  platform_name = \"stolen\"\n  root_domain = \"x\"\n}\n",
    )
    .unwrap();
    fs_err::remove_file(repo.join("terraform/global.hcl")).unwrap();
    std::os::unix::fs::symlink(&secret, repo.join("terraform/global.hcl")).unwrap();
    let refused = bin().arg("import").arg(&repo).assert().failure().code(2);
    let stderr = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert!(stderr.contains("symbolic link"), "{stderr}");

    let existing = temp.path().join("answers.yml");
    fs_err::write(&existing, "mine\n").unwrap();
    bin()
        .arg("import")
        .arg(fixture("defaults"))
        .arg("-o")
        .arg(&existing)
        .assert()
        .failure()
        .code(2);
    assert_eq!(fs_err::read_to_string(&existing).unwrap(), "mine\n");
}

#[test]
fn a_replay_file_fills_what_the_files_do_not_say() {
    let temp = tempfile::tempdir().unwrap();
    let repo = temp.path().join("old");
    copy_tree(&fixture("defaults"), &repo);
    // Without its settings file and deploy workflow, the description and owner are unknown...
    fs_err::remove_file(repo.join("ci/tutor-deploy/environments/prod/settings_merge.yml")).unwrap();
    fs_err::remove_file(repo.join(".github/workflows/deploy-prod.yml")).unwrap();
    let (text, _) = import(&repo);
    assert!(!text.contains("Your School"));
    // ...until the replay file cookiecutter wrote is given.
    let replay = temp.path().join("replay.json");
    fs_err::write(
        &replay,
        r#"{"cookiecutter": {"global_platform_name": "yourschool", "global_platform_description": "Our School", "github_account_name": "our-org", "global_language_code": "fr"}}"#,
    )
    .unwrap();
    let output = bin()
        .arg("import")
        .arg(&repo)
        .arg("--replay")
        .arg(&replay)
        .output()
        .unwrap();
    assert!(output.status.success());
    let answers = parse(&String::from_utf8(output.stdout).unwrap());
    assert_eq!(answers["platform_description"], "Our School");
    assert_eq!(answers["github_organization"], "our-org");
    assert_eq!(answers["language_code"], "fr");
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs_err::create_dir_all(&target).unwrap();
        } else {
            fs_err::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The runbook is tried as far as this machine allows: every shell block parses, every file of
/// the new repository it names (`$NEW/...`, with `prod` for the environment) exists in a
/// repository generated from imported answers, and the `openedx-devops` commands it shows are
/// ones this binary accepts.
#[test]
fn the_migration_runbook_parses_and_names_files_that_exist() {
    let runbook = crate::common::read_checkout("docs/migrate-from-cookiecutter.md");
    let blocks: Vec<&str> = runbook
        .split("```shell\n")
        .skip(1)
        .map(|rest| rest.split("\n```").next().unwrap())
        .collect();
    assert!(blocks.len() >= 8, "{} shell blocks", blocks.len());
    for block in &blocks {
        let parsed = std::process::Command::new("bash")
            .args(["-n", "-c", block])
            .output()
            .unwrap();
        assert!(
            parsed.status.success(),
            "does not parse: {}\n{block}",
            String::from_utf8_lossy(&parsed.stderr)
        );
    }
    // The repository the runbook's first step makes, with the import blocks of the second.
    let (text, _) = import(&fixture("defaults"));
    let temp = tempfile::tempdir().unwrap();
    let answers = temp.path().join("answers.yml");
    fs_err::write(&answers, &text).unwrap();
    let repo = temp.path().join("new");
    bin()
        .arg("new")
        .arg(&repo)
        .arg("--answers")
        .arg(&answers)
        .arg("--set")
        .arg("github_repository=openedx-platform")
        .assert()
        .success();
    bin()
        .arg("import")
        .arg(fixture("defaults"))
        .arg("--import-existing")
        .arg(&repo)
        .arg("-o")
        .arg(temp.path().join("again.yml"))
        .assert()
        .success();
    assert_names_exist(&runbook, "$NEW/", &repo, 4);
    for file in ["scripts/restore.sh", "README.md"] {
        assert!(repo.join(file).is_file());
        assert!(runbook.contains(file.trim_end_matches(".md")), "{file}");
    }
    // Every file of the old repository it names exists in a peer render with every option on,
    // and every Terraform address it hands to `state rm` or `-target` is declared by the module
    // of the unit it `cd`s into, on either side.
    let old = fixture("all-on");
    assert_names_exist(&runbook, "$OLD/", &old, 6);
    let addresses = assert_addresses_declared(&blocks, &old, &repo);
    assert!(addresses >= 11, "{addresses} addresses checked");
    // Every `openedx-devops <command> ...` line runs with these options (`--help` stops short
    // of doing anything).
    for line in blocks.iter().flat_map(|block| block.lines()) {
        let Some(rest) = line.trim().strip_prefix("openedx-devops ") else {
            continue;
        };
        let command = rest.split_whitespace().next().unwrap();
        let help = bin().args([command, "--help"]).output().unwrap();
        let help = String::from_utf8_lossy(&help.stdout).into_owned();
        for option in rest
            .split_whitespace()
            .filter(|word| word.starts_with("--"))
        {
            assert!(
                help.contains(option),
                "`openedx-devops {command}` has no `{option}`"
            );
        }
    }
}

/// Every Terraform address a shell block hands to `terragrunt state rm` or `-target=` is declared
/// by the module of the unit the block last `cd`'d into (`$OLD/...` under `old`, `$NEW/...` under
/// `new`); returns how many were checked.
fn assert_addresses_declared(blocks: &[&str], old: &Path, new: &Path) -> usize {
    let mut addresses = 0;
    for block in blocks {
        let mut unit: Option<PathBuf> = None;
        for line in block.lines().map(str::trim) {
            if let Some(dir) = line.strip_prefix("cd \"") {
                let dir = dir.split('"').next().unwrap();
                unit = [("$OLD/", old), ("$NEW/", new)]
                    .iter()
                    .find_map(|(prefix, root)| {
                        dir.strip_prefix(prefix).map(|rest| root.join(rest))
                    });
                continue;
            }
            let words: Vec<&str> = if let Some(rest) = line.strip_prefix("terragrunt state rm ") {
                rest.split_whitespace().collect()
            } else {
                line.split_whitespace()
                    .filter_map(|word| word.strip_prefix("-target="))
                    .collect()
            };
            for address in words {
                let address = address.trim_matches('\'');
                let unit = unit
                    .as_ref()
                    .unwrap_or_else(|| panic!("`{line}` outside a unit"));
                let module = unit_module(unit);
                let (kind, name) = address.split_once('.').unwrap();
                let declaration = if kind == "module" {
                    format!("module \"{name}\"")
                } else {
                    format!("resource \"{kind}\" \"{name}\"")
                };
                let declared = walkdir::WalkDir::new(&module).into_iter().any(|entry| {
                    let entry = entry.unwrap();
                    entry.path().extension().is_some_and(|ext| ext == "tf")
                        && fs_err::read_to_string(entry.path())
                            .unwrap()
                            .contains(&declaration)
                });
                assert!(
                    declared,
                    "`{line}`: {} declares no `{declaration}`",
                    module.display()
                );
                addresses += 1;
            }
        }
    }
    addresses
}

/// Every `<variable>/path` the runbook names exists under `root`, and there are at least `least`.
fn assert_names_exist(runbook: &str, variable: &str, root: &Path, least: usize) {
    let mut named = 0;
    for (start, _) in runbook.match_indices(variable) {
        let path: String = runbook[start + variable.len()..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || "/._-".contains(*c))
            .collect();
        let path = path.trim_end_matches(['.', '/']);
        assert!(
            root.join(path).exists(),
            "the runbook names `{variable}{path}`, which {} lacks",
            root.display()
        );
        named += 1;
    }
    assert!(named >= least, "{named} files named after {variable}");
}

/// The module folder a Terragrunt unit folder applies: its `terraform.source`, in the unit's
/// `terragrunt.hcl` (the peer's units) or the common file it includes (ours, `_envcommon/`).
fn unit_module(unit: &Path) -> PathBuf {
    let read = |path: PathBuf| fs_err::read_to_string(path).ok();
    let name = unit.file_name().unwrap().to_string_lossy().into_owned();
    let terraform = unit
        .ancestors()
        .find(|dir| dir.ends_with("terraform"))
        .unwrap();
    let sources = [
        read(unit.join("terragrunt.hcl")),
        read(terraform.join("_envcommon").join(format!("{name}.hcl"))),
    ];
    let module = sources
        .iter()
        .flatten()
        .find_map(|text| {
            let (_, rest) = text.split_once("modules//")?;
            Some(rest.split('"').next().unwrap().to_owned())
        })
        .unwrap_or_else(|| panic!("{}: no module source", unit.display()));
    [
        unit.join("../../modules").join(&module),
        terraform.join("modules").join(&module),
    ]
    .into_iter()
    .find(|dir| dir.is_dir())
    .unwrap_or_else(|| panic!("{}: module `{module}` not found", unit.display()))
}
