//! The Open edX layer of a generated repository, over the rendered tree of every example (and
//! each MongoDB option): what the media bucket shows through the CDN, how Open edX gets its AWS
//! credentials, Redis over TLS, cookies per environment, ORA2's S3 client, the ACME account and
//! the documents the tree points at. `.ci/check-pipeline.sh` proves the Tutor side of the same
//! facts with the real Tutor (rendered settings, manifests, the deploy script's image tags).

use crate::common::{self, Tree};
use serde_json::Value;
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// (name, answers as parsed, tree) for every example, and the seed-like example with each
/// MongoDB option.
fn cases() -> &'static [(String, Value, Tree)] {
    static CASES: OnceLock<Vec<(String, Value, Tree)>> = OnceLock::new();
    CASES.get_or_init(|| {
        let mut sources: Vec<(String, String)> = common::examples();
        let seed = sources
            .iter()
            .find(|(name, _)| name == "seed-like")
            .expect("examples/seed-like.yml")
            .1
            .clone();
        for mongodb in ["in_cluster", "documentdb"] {
            sources.push((
                format!("seed-like with mongodb {mongodb}"),
                seed.replace("mongodb: ec2", &format!("mongodb: {mongodb}")),
            ));
        }
        sources
            .into_iter()
            .map(|(name, text)| {
                let answers = serde_saphyr::from_str::<Value>(&text).unwrap();
                let tree = common::render(&text);
                (name, answers, tree)
            })
            .collect()
    })
}

fn file<'a>(name: &str, tree: &'a Tree, path: &str) -> &'a str {
    tree.get(path)
        .unwrap_or_else(|| panic!("{name}: no {path}"))
        .as_str()
}

/// The environments' folder names under ci/tutor-deploy/environments/.
fn environments(tree: &Tree) -> Vec<String> {
    let names: BTreeSet<String> = tree
        .keys()
        .filter_map(|path| {
            path.strip_prefix("ci/tutor-deploy/environments/")
                .and_then(|rest| rest.strip_suffix("/config.yml"))
                .map(str::to_owned)
        })
        .collect();
    assert!(!names.is_empty());
    names.into_iter().collect()
}

/// The text of the first `block "label" ...` of a Terraform file, up to the `}` that closes it
/// at column 0.
fn tf_block<'a>(text: &'a str, header: &str) -> &'a str {
    let start = text.find(header).unwrap_or_else(|| panic!("no `{header}`"));
    let end = text[start..]
        .find("\n}\n")
        .map_or(text.len(), |end| start + end + 2);
    &text[start..end]
}

/// The string values of `key = "..."`, `key="..."` and `"key": "..."` in the Tutor plugin.
fn plugin_values(plugin: &str, key: &str) -> Vec<String> {
    let mut values = Vec::new();
    for (at, _) in plugin.match_indices(key) {
        let before = plugin[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // part of a longer name
        }
        let rest = plugin[at + key.len()..].trim_start_matches('"');
        let Some(rest) = rest
            .trim_start()
            .strip_prefix(['=', ':'])
            .map(str::trim_start)
        else {
            continue;
        };
        if let Some(value) = rest.strip_prefix('"').and_then(|v| v.split('"').next()) {
            values.push(value.to_owned());
        }
    }
    values
}

#[test]
fn cloudfront_reads_only_the_public_prefixes_where_open_edx_puts_public_media() {
    // Was: CloudFront could GetObject `bucket/*`, so grade reports (private/grades, keys derived
    // from public course ids), ORA2 uploads and course exports were fetchable unsigned.
    for (name, _, tree) in cases() {
        let storage = file(name, tree, "terraform/modules/storage/main.tf");
        let grant = tf_block(
            storage,
            r#"data "aws_iam_policy_document" "cloudfront_read""#,
        );
        assert!(grant.contains("cloudfront.amazonaws.com"), "{name}");
        assert!(
            !grant.contains("${var.bucket_name}/*\"") && !grant.contains("s3_bucket_arn}/*\""),
            "{name}: CloudFront may read the whole bucket:\n{grant}"
        );
        assert!(
            grant.contains(r#"for prefix in var.public_prefixes : "arn:aws:s3:::${var.bucket_name}/${prefix}*""#),
            "{name}: {grant}"
        );
        let variables = file(name, tree, "terraform/modules/storage/variables.tf");
        let public_prefixes = tf_block(variables, r#"variable "public_prefixes""#);
        assert!(
            public_prefixes.contains(r#"default     = ["media/"]"#),
            "{name}: {public_prefixes}"
        );
        let public = ["media/"];

        // Where the plugin stores what: public storages under `media/`, private ones outside it.
        let plugin = file(name, tree, "ci/tutor-plugins/devops.py");
        let locations = plugin_values(plugin, "location");
        assert!(locations.len() >= 6, "{name}: {locations:?}");
        let private_prefix = plugin_values(plugin, "FILE_UPLOAD_STORAGE_PREFIX");
        assert_eq!(private_prefix, ["private/ora2"], "{name}");
        for location in locations.iter().chain(&private_prefix) {
            let key = format!("{}/", location.trim_end_matches('/'));
            let served = public.iter().any(|prefix| key.starts_with(prefix));
            assert_eq!(
                served,
                !key.starts_with("private/"),
                "{name}: location `{location}` is {} but {} the CDN",
                if key.starts_with("private/") {
                    "private"
                } else {
                    "public"
                },
                if served {
                    "reachable through"
                } else {
                    "hidden from"
                }
            );
        }
        // Course import/export archives go to the bucket's top level, not under a public prefix.
        assert!(
            plugin.contains("ImportExportS3Storage"),
            "{name}: course archives on S3"
        );
    }
}

#[test]
fn open_edx_reaches_s3_through_pod_identity_without_an_access_key() {
    // Was: an IAM user's static key in the `s3` secret, and a dead DEVOPS_SERVICE_ACCOUNT path.
    for (name, _, tree) in cases() {
        let storage = file(name, tree, "terraform/modules/storage/main.tf");
        for dead in ["aws_iam_user", "aws_iam_access_key", "aws_iam_group"] {
            assert!(!storage.contains(dead), "{name}: storage still has {dead}");
        }
        let association = tf_block(
            storage,
            r#"resource "aws_eks_pod_identity_association" "openedx""#,
        );
        for line in [
            "cluster_name    = var.cluster_name",
            "namespace       = var.namespace",
            "service_account = var.service_account",
            "role_arn        = module.openedx_role.arn",
        ] {
            assert!(association.contains(line), "{name}: {association}");
        }
        let role = tf_block(storage, r#"module "openedx_role""#);
        assert!(role.contains("pods.eks.amazonaws.com"), "{name}");
        assert!(
            role.contains(r#"actions = ["sts:AssumeRole", "sts:TagSession"]"#),
            "{name}: Pod Identity needs both"
        );
        let storage_unit = file(name, tree, "terraform/_envcommon/storage.hcl");
        assert!(
            storage_unit.contains(r#"dependency "eks""#)
                && storage_unit.contains("cluster_name = dependency.eks.outputs.cluster_name")
                && storage_unit.contains("namespace    = local.env.namespace"),
            "{name}: {storage_unit}"
        );
        let eks = file(name, tree, "terraform/modules/eks/main.tf");
        assert!(
            eks.contains("eks-pod-identity-agent"),
            "{name}: the agent add-on"
        );

        // The same service account in Terraform (created, bound) and in the plugin (set).
        let secrets = file(name, tree, "terraform/modules/secrets/main.tf");
        let account = tf_block(
            secrets,
            r#"resource "kubernetes_service_account_v1" "openedx""#,
        );
        assert!(
            account.contains("name      = var.service_account"),
            "{name}"
        );
        let variables = file(name, tree, "terraform/modules/storage/variables.tf");
        assert!(
            tf_block(variables, r#"variable "service_account""#)
                .contains(r#"default     = "openedx""#),
            "{name}"
        );
        let secrets_unit = file(name, tree, "terraform/_envcommon/secrets.hcl");
        assert!(
            secrets_unit.contains("service_account = dependency.storage.outputs.service_account"),
            "{name}"
        );
        let plugin = file(name, tree, "ci/tutor-plugins/devops.py");
        assert!(
            plugin.contains(r#"("DEVOPS_SERVICE_ACCOUNT", "openedx"),"#),
            "{name}"
        );
        assert!(
            plugin.contains(r#"name: "^(lms|cms|lms-worker|cms-worker)$""#)
                && plugin.contains(r#"name: "^(lms|cms)-job$""#),
            "{name}: the web pods, workers and init jobs run as the account"
        );

        // No key anywhere between Terraform and Tutor.
        for path in [
            "terraform/modules/storage/outputs.tf",
            "terraform/modules/secrets/main.tf",
            "terraform/modules/secrets/variables.tf",
            "terraform/_envcommon/secrets.hcl",
            "ci/tutor-deploy/cluster-secrets.txt",
        ] {
            let text = file(name, tree, path);
            for word in ["access_key", "OPENEDX_AWS_"] {
                assert!(!text.contains(word), "{name}: {path} mentions {word}");
            }
        }
        assert!(plugin.contains("AWS_ACCESS_KEY_ID = None"), "{name}");
    }
}

#[test]
fn the_media_lifecycle_rule_applies_to_every_object() {
    // Was: `filter = {}`, for which the s3-bucket module (5.15.4 main.tf) writes no filter block
    // at all (its empty-filter branch needs the key to be absent): deprecated by the provider.
    for (name, _, tree) in cases() {
        let storage = file(name, tree, "terraform/modules/storage/main.tf");
        let rules = storage.split("lifecycle_rule").nth(1).expect("a rule");
        let empty_filter = storage.lines().any(|line| {
            let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
            compact == "filter={}"
        });
        assert!(!empty_filter, "{name}: filter = {{}}");
        assert!(
            rules.contains("noncurrent_version_expiration"),
            "{name}: the rule is still there"
        );
    }
}

#[test]
fn every_redis_client_speaks_tls_with_the_auth_token() {
    // Was: the `redis` secret had an empty password and no TLS flag, and Tutor's URLs are
    // redis:// (with the password only when a username is set too).
    for (name, _, tree) in cases() {
        let secrets = file(name, tree, "terraform/modules/secrets/main.tf");
        let redis = tf_block(secrets, r#"resource "kubernetes_secret_v1" "redis""#);
        assert!(
            redis.contains("password = var.redis.auth_token"),
            "{name}: {redis}"
        );
        assert!(
            redis.contains("ssl      = tostring(var.redis.tls_enabled)"),
            "{name}: {redis}"
        );
        let unit = file(name, tree, "terraform/_envcommon/secrets.hcl");
        assert!(
            unit.contains("auth_token  = dependency.redis.outputs.auth_token")
                && unit.contains("tls_enabled = dependency.redis.outputs.tls_enabled"),
            "{name}"
        );
        let table = file(name, tree, "ci/tutor-deploy/cluster-secrets.txt");
        let rows: BTreeSet<Vec<&str>> = table
            .lines()
            .filter(|l| l.starts_with("redis "))
            .map(|l| l.split_whitespace().collect())
            .collect();
        assert!(
            rows.contains(&vec!["redis", "password", "REDIS_PASSWORD", "str"]),
            "{name}: the token is required: {rows:?}"
        );
        assert!(
            rows.contains(&vec!["redis", "ssl", "DEVOPS_REDIS_USE_SSL", "bool"]),
            "{name}: {rows:?}"
        );

        let plugin = file(name, tree, "ci/tutor-plugins/devops.py");
        let block = plugin
            .split("# ---- devops plugin: Amazon ElastiCache")
            .nth(1)
            .and_then(|rest| rest.split("\n# ---- devops plugin").next())
            .unwrap_or_else(|| panic!("{name}: no ElastiCache block"));
        for needle in [
            r#"("DEVOPS_REDIS_USE_SSL", True),"#,
            "{% if DEVOPS_REDIS_USE_SSL %}rediss{% else %}redis{% endif %}://",
            "?ssl_cert_reqs=required",
            r#"_devops_cache["LOCATION"] = _devops_redis"#,
            "BROKER_URL = _devops_redis",
            "EVENT_BUS_REDIS_CONNECTION_URL = _devops_redis",
        ] {
            assert!(
                block.contains(needle) || plugin.contains(needle),
                "{name}: no `{needle}`"
            );
        }
        // kombu falls back to CERT_NONE for a rediss:// broker without ssl options.
        assert!(
            plugin.contains(r#"BROKER_USE_SSL = {"ssl_cert_reqs": _devops_ssl.CERT_REQUIRED}"#),
            "{name}"
        );
        let code: Vec<&str> = block
            .lines()
            .filter(|line| !line.trim_start().starts_with('#'))
            .collect();
        assert!(
            !code.iter().any(|line| line.contains("\"redis://")),
            "{name}: a plain redis:// URL is left: {code:#?}"
        );
    }
}

#[test]
fn every_environment_but_production_has_cookie_names_of_its_own() {
    // Was: only an environment nested under another got a prefix, Studio's session cookie kept
    // its name (Tutor sets it after the common settings) and the MFEs read the default JWT name.
    for (name, _, tree) in cases() {
        let mut others = 0;
        for env in environments(tree) {
            let path = format!("ci/tutor-deploy/environments/{env}/config.yml");
            let config: Value = serde_saphyr::from_str(file(name, tree, &path)).unwrap();
            let env_hcl = file(name, tree, &format!("terraform/environments/{env}/env.hcl"));
            if env_hcl.contains("is_production   = false") {
                others += 1;
                assert_eq!(
                    config["DEVOPS_COOKIE_PREFIX"],
                    Value::String(env.clone()),
                    "{name}: {path}"
                );
            }
        }
        assert!(
            others > 0 || name == "minimal",
            "{name}: no non-production environment to check"
        );
        let plugin = file(name, tree, "ci/tutor-plugins/devops.py");
        for needle in [
            r#"SESSION_COOKIE_NAME = "{{ DEVOPS_COOKIE_PREFIX }}-studio_session_id""#,
            r#"MFE_CONFIG["ACCESS_TOKEN_COOKIE_NAME"] = JWT_AUTH["JWT_AUTH_COOKIE_HEADER_PAYLOAD"]"#,
            r#"MFE_CONFIG["USER_INFO_COOKIE_NAME"] = EDXMKTG_USER_INFO_COOKIE_NAME"#,
            // tutor-mfe 22.1's frontend-base site reads FRONTEND_SITE_CONFIG, not MFE_CONFIG.
            r#"FRONTEND_SITE_CONFIG["accessTokenCookieName"] = JWT_AUTH["JWT_AUTH_COOKIE_HEADER_PAYLOAD"]"#,
            r#"FRONTEND_SITE_CONFIG["userInfoCookieName"] = EDXMKTG_USER_INFO_COOKIE_NAME"#,
            r#"JWT_AUTH["JWT_AUTH_COOKIE_SIGNATURE"] = "{{ DEVOPS_COOKIE_PREFIX }}-edx-jwt-cookie-signature""#,
        ] {
            assert!(plugin.contains(needle), "{name}: no `{needle}`");
        }
        let studio = plugin
            .split(r#""openedx-cms-common-settings","#)
            .nth(1)
            .unwrap();
        assert!(
            studio
                .split("\"\"\",")
                .next()
                .unwrap()
                .contains("studio_session_id"),
            "{name}: Studio's cookie is renamed in the CMS patch, after Tutor's common_cms.py"
        );
    }
}

#[test]
fn ora2_gets_the_region_and_endpoint_of_the_bucket() {
    // Was (per the review): ORA2's own boto3 client (openassessment/fileupload/backends/s3.py,
    // ora2 6.17) reads AWS_S3_ENDPOINT_URL and AWS_S3_REGION_NAME; without an endpoint it signs
    // for the global endpoint, which fails outside us-east-1.
    for (name, answers, tree) in cases() {
        let plugin = file(name, tree, "ci/tutor-plugins/devops.py");
        let s3 = plugin
            .split("{% if DEVOPS_S3_BUCKET %}")
            .nth(1)
            .unwrap_or_else(|| panic!("{name}: no S3 block"));
        assert!(
            s3.contains(r#"AWS_S3_REGION_NAME = "{{ DEVOPS_S3_REGION }}""#),
            "{name}"
        );
        assert!(
            s3.contains(
                r#"AWS_S3_ENDPOINT_URL = "https://s3.{{ DEVOPS_S3_REGION }}.amazonaws.com""#
            ),
            "{name}"
        );
        assert!(s3.contains(r#"ORA2_FILEUPLOAD_BACKEND = "s3""#), "{name}");
        // Found in the second review: ORA2's client reads no region setting; boto3 takes it from
        // the environment, which Pod Identity leaves without one.
        assert!(
            s3.contains(
                r#"_devops_os.environ.setdefault("AWS_DEFAULT_REGION", AWS_S3_REGION_NAME)"#
            ),
            "{name}"
        );
        let region = answers["aws_region"].as_str().unwrap();
        assert!(
            plugin.contains(&format!(r#"("DEVOPS_S3_REGION", "{region}"),"#)),
            "{name}"
        );
    }
}

#[test]
fn the_acme_account_has_a_contact_address() {
    for (name, answers, tree) in cases() {
        let issuers = file(
            name,
            tree,
            "terraform/modules/kubernetes-addons/chart/templates/clusterissuers.yaml",
        );
        let servers = issuers.matches("server: https://acme").count();
        assert_eq!(servers, 2, "{name}");
        assert_eq!(
            issuers
                .matches(r#"email: "{{ .Values.acmeEmail }}""#)
                .count(),
            servers,
            "{name}: every ClusterIssuer has the account e-mail"
        );
        let addons = file(name, tree, "terraform/modules/kubernetes-addons/main.tf");
        assert!(addons.contains("acmeEmail = var.acme_email"), "{name}");
        let unit = file(name, tree, "terraform/_envcommon/kubernetes-addons.hcl");
        assert!(unit.contains("= local.env.acme_email"), "{name}");
        let root = answers["root_domain"].as_str().unwrap();
        for env in environments(tree) {
            let env_hcl = file(name, tree, &format!("terraform/environments/{env}/env.hcl"));
            assert!(
                env_hcl.contains(&format!(r#"acme_email = "devops@{root}""#)),
                "{name}: {env}"
            );
        }
    }
}

/// With the forum, the LMS init switches the forum's MySQL store on for everyone when no one has
/// decided (openedx-forum before 0.4.3 otherwise keeps each course's posts in MongoDB, which
/// its Meilisearch index never reads), and leaves a flag that exists as it is. The task runs
/// here against a stand-in `manage.py` that keeps the flags in a file.
#[test]
fn the_forum_init_turns_the_mysql_store_on_unless_a_flag_exists() {
    let mut with_forum = 0;
    for (name, answers, tree) in cases() {
        let plugin = file(name, tree, "ci/tutor-plugins/devops.py");
        let forum = answers["tutor_plugins"]
            .as_array()
            .is_some_and(|plugins| plugins.iter().any(|plugin| plugin == "forum"));
        let Some(start) =
            plugin.find("hooks.Filters.CLI_DO_INIT_TASKS.add_item(\n    (\n        \"lms\",\n")
        else {
            assert!(!forum, "{name}: the forum runs without the flag task");
            continue;
        };
        assert!(forum, "{name}: the flag task without the forum");
        with_forum += 1;
        // The task: the Python string literals that follow the service name, joined.
        let body = &plugin[start..];
        let body = &body[..body.find("\n    )\n)").unwrap()];
        let task: String = body
            .lines()
            .skip(3)
            .map(|line| {
                let line = line.trim().trim_end_matches(',');
                line.strip_prefix('"')
                    .and_then(|l| l.strip_suffix('"'))
                    .unwrap()
            })
            .collect();
        let temp = tempfile::tempdir().unwrap();
        let manage = temp.path().join("manage.py");
        fs_err::write(
            &manage,
            "#!/bin/sh\n# manage.py lms waffle_flag --list | --create --everyone NAME\n\
             shift 2\n\
             if [ \"$1\" = --list ]; then echo Flags:; cat flags 2>/dev/null; exit 0; fi\n\
             echo \"NAME: $3\" >> flags; echo \"created $3 $2\" >> calls\n",
        )
        .unwrap();
        std::fs::set_permissions(&manage, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
        let run = || {
            let status = std::process::Command::new("sh")
                .args(["-e", "-c", &task])
                .current_dir(temp.path())
                .status()
                .unwrap();
            assert!(status.success(), "{name}: {task}");
            fs_err::read_to_string(temp.path().join("calls")).unwrap_or_default()
        };
        assert_eq!(
            run(),
            "created forum_v2.enable_mysql_backend --everyone\n",
            "{name}: no flag yet"
        );
        assert_eq!(
            run(),
            "created forum_v2.enable_mysql_backend --everyone\n",
            "{name}: the flag exists, the second init leaves it"
        );
    }
    assert!(with_forum >= 1, "no example runs the forum");
}

#[test]
fn documents_the_tree_points_at_exist() {
    // Was: comments and READMEs sent readers to docs/... files and sections that are not
    // generated (e.g. docs/decisions/mongodb.md, a "Names the workflows rely on" section).
    for (name, _, tree) in cases() {
        for (path, text) in tree {
            if path.starts_with(".openedx-devops/") {
                continue;
            }
            for (at, _) in text.match_indices("docs/") {
                let before = text[..at].chars().next_back();
                if before.is_some_and(|c| !(c.is_whitespace() || "(`\"'/".contains(c))) {
                    continue; // a URL or a longer path (e.g. https://host/docs/...)
                }
                if text[..at].ends_with("://")
                    || text[..at]
                        .rsplit(char::is_whitespace)
                        .next()
                        .is_some_and(|w| w.contains("://"))
                {
                    continue;
                }
                let target: String = text[at..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || "_./-".contains(*c))
                    .collect();
                let target = target.trim_end_matches(['.', ')']);
                assert!(
                    tree.contains_key(target)
                        || tree.keys().any(|p| p.starts_with(&format!("{target}/"))),
                    "{name}: {path} points at {target}, which is not in the tree"
                );
            }
            assert!(
                !text.contains("(docs:"),
                "{name}: {path} points at docs that do not exist"
            );
        }
    }
}
