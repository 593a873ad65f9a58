//! The data tier as rendered for several answers (MongoDB on EC2 or DocumentDB, with and without
//! a bastion, one or two environments): each defect the expert review of issue 15 found in
//! MySQL, DocumentDB, MongoDB on EC2, Valkey, the bastion, the VPC and the backups, asserted on
//! the generated tree so that it cannot come back.

use crate::common::{self, Tree};
use hcl::{Body, Expression};
use std::collections::BTreeSet;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Shape {
    mongodb: &'static str,
    bastion: bool,
}

const SHAPES: &[Shape] = &[
    Shape {
        mongodb: "ec2",
        bastion: true,
    },
    Shape {
        mongodb: "ec2",
        bastion: false,
    },
    Shape {
        mongodb: "documentdb",
        bastion: true,
    },
    Shape {
        mongodb: "documentdb",
        bastion: false,
    },
];

/// A production and a development environment, with the given MySQL classes.
fn answers(shape: Shape, mysql: [&str; 2]) -> String {
    format!(
        "platform_name: campus\nroot_domain: campus.example.org\naws_region: eu-west-1\n\
         aws_account_id: \"210987654321\"\nmongodb: {}\nbastion: {}\nenvironments:\n\
         \x20 - name: prod\n    subdomain: learn\n    mysql_instance_class: {}\n\
         \x20 - name: dev\n    subdomain: dev-learn\n    mysql_instance_class: {}\n",
        shape.mongodb, shape.bastion, mysql[0], mysql[1]
    )
}

/// Each shape rendered once, with the default class in production and a micro one in dev.
fn rendered() -> &'static [(Shape, Tree)] {
    static RENDERED: OnceLock<Vec<(Shape, Tree)>> = OnceLock::new();
    RENDERED.get_or_init(|| {
        SHAPES
            .iter()
            .map(|shape| {
                (
                    *shape,
                    common::render(&answers(*shape, ["db.t3.small", "db.t4g.micro"])),
                )
            })
            .collect()
    })
}

fn file<'a>(tree: &'a Tree, path: &str) -> &'a str {
    tree.get(path)
        .unwrap_or_else(|| panic!("`{path}` is not rendered"))
}

fn parse(tree: &Tree, path: &str) -> Body {
    hcl::parse(file(tree, path)).unwrap_or_else(|error| panic!("`{path}`: {error}"))
}

/// The body of the block `identifier "labels[0]" "labels[1]"` of `body`.
fn block<'a>(body: &'a Body, path: &str, identifier: &str, labels: &[&str]) -> &'a Body {
    common::hcl_block(body, identifier, labels)
        .unwrap_or_else(|| panic!("`{path}` has no `{identifier} {labels:?}`"))
}

fn has_block(body: &Body, identifier: &str, labels: &[&str]) -> bool {
    common::hcl_block(body, identifier, labels).is_some()
}

/// An attribute's expression as HCL text, e.g. `var.performance_insights_enabled`.
fn attribute(body: &Body, name: &str) -> Option<String> {
    common::hcl_attribute(body, name).map(expression)
}

fn expression(expr: &Expression) -> String {
    hcl::format::to_string(expr).unwrap_or_else(|error| panic!("{error}"))
}

fn required(body: &Body, path: &str, name: &str) -> String {
    attribute(body, name).unwrap_or_else(|| panic!("`{path}`: no `{name}`"))
}

/// The `inputs` object of a common unit body, as HCL text.
fn inputs(tree: &Tree, path: &str) -> String {
    required(&parse(tree, path), path, "inputs")
}

/// `local = value` lines of an environment's env.hcl.
fn env_setting(tree: &Tree, environment: &str, name: &str) -> String {
    let path = format!("terraform/environments/{environment}/env.hcl");
    let body = parse(tree, &path);
    let locals = block(&body, &path, "locals", &[]);
    required(locals, &path, name)
}

#[test]
fn performance_insights_is_on_only_where_rds_for_mysql_supports_it() {
    // B1: `performance_insights_enabled = true` on every class made CreateDBInstance fail
    // (InvalidParameterCombination) on the default db.t3.small. The classes without it are
    // those of the AWS RDS User Guide's table (db.t2/t3/t4g micro and small), written out here
    // independently of the generator's table.
    let unsupported = ["db.t3.micro", "db.t3.small", "db.t4g.micro", "db.t4g.small"];
    for pair in [
        ["db.t3.small", "db.t4g.micro"],
        ["db.t4g.medium", "db.t3.micro"],
        ["db.m7g.large", "db.t4g.small"],
        ["db.r6i.xlarge", "db.t3.medium"],
    ] {
        let tree = common::render(&answers(SHAPES[0], pair));
        for (environment, class) in ["prod", "dev"].into_iter().zip(pair) {
            let expected = !unsupported.contains(&class);
            assert_eq!(
                env_setting(&tree, environment, "mysql_performance_insights"),
                expected.to_string(),
                "{environment} with {class}"
            );
        }
        let path = "terraform/modules/mysql/main.tf";
        let body = parse(&tree, path);
        let rds = block(&body, path, "module", &["rds"]);
        assert_eq!(
            required(rds, path, "performance_insights_enabled"),
            "var.performance_insights_enabled"
        );
        assert!(
            inputs(&tree, "terraform/_envcommon/mysql.hcl")
                .contains("performance_insights_enabled = local.env.mysql_performance_insights"),
        );
    }
}

/// Each data store's module, its engine and port, and the argument that attaches its group.
type DataStore = (
    &'static str,
    &'static str,
    &'static str,
    (&'static str, &'static [&'static str]),
);
const DATA_STORES: &[DataStore] = &[
    ("mysql", "MySQL", "3306", ("module", &["rds"])),
    (
        "documentdb",
        "DocumentDB",
        "27017",
        ("resource", &["aws_docdb_cluster", "this"]),
    ),
    ("mongodb-ec2", "MongoDB", "27017", ("module", &["instance"])),
];

/// The blocks `resource "<kind>" "..."` of a body: (name, body).
fn resources<'a>(body: &'a Body, kind: &str) -> Vec<(String, &'a Body)> {
    body.blocks()
        .filter(|block| {
            block.identifier.as_str() == "resource"
                && block.labels.first().map(|label| label.as_str()) == Some(kind)
        })
        .map(|block| {
            let name = block.labels.get(1).map(|label| label.as_str().to_owned());
            (name.unwrap_or_default(), &block.body)
        })
        .collect()
}

#[test]
fn database_security_groups_admit_only_the_node_and_bastion_groups() {
    // Found in review: every database admitted the VPC's whole range, public subnets included.
    for (shape, tree) in rendered() {
        let mut modules = vec!["mysql", "redis"];
        modules.push(if shape.mongodb == "ec2" {
            "mongodb-ec2"
        } else {
            "documentdb"
        });
        for module in modules {
            let path = format!("terraform/modules/{module}/main.tf");
            let text = file(tree, &path);
            // MongoDB on EC2 reaches package repositories out through the NAT: its egress rules
            // are to 0.0.0.0/0, its ingress rule below is read for CIDRs instead.
            let words: &[&str] = if module == "mongodb-ec2" {
                &["vpc_cidr_block"]
            } else {
                &["cidr_blocks", "cidr_ipv4", "vpc_cidr_block", "0.0.0.0/0"]
            };
            for word in words {
                assert!(!text.contains(word), "{shape:?}: `{path}` has `{word}`");
            }
            let variables = format!("terraform/modules/{module}/variables.tf");
            let body = parse(tree, &variables);
            block(&body, &variables, "variable", &["node_security_group_id"]);
            block(
                &body,
                &variables,
                "variable",
                &["bastion_security_group_id"],
            );
            if module == "redis" {
                let redis = block(&parse(tree, &path), &path, "module", &["redis"]).clone();
                let rules = required(&redis, &path, "security_group_rules");
                assert!(rules.contains("referenced_security_group_id"), "{rules}");
            } else {
                data_store_group(&format!("{shape:?}"), tree, module);
            }
        }
        for unit in ["mysql", "redis", "mongodb"] {
            let path = format!("terraform/_envcommon/{unit}.hcl");
            let body = parse(tree, &path);
            let inputs = required(&body, &path, "inputs");
            assert!(
                inputs.contains(
                    "node_security_group_id = dependency.eks.outputs.node_security_group_id"
                ),
                "{shape:?} {path}: {inputs}"
            );
            assert_eq!(
                inputs.contains(
                    "bastion_security_group_id = dependency.bastion.outputs.security_group_id"
                ),
                shape.bastion,
                "{shape:?} {path}: {inputs}"
            );
            assert_eq!(
                has_block(&body, "dependency", &["bastion"]),
                shape.bastion,
                "{shape:?} {path}"
            );
        }
        if shape.bastion {
            let path = "terraform/modules/bastion/outputs.tf";
            let output = block(&parse(tree, path), path, "output", &["security_group_id"]).clone();
            assert_eq!(
                required(&output, path, "value"),
                "aws_security_group.bastion.id"
            );
        }
    }
}

/// Issue 18: the group of MySQL, DocumentDB or MongoDB on EC2 is a plain `aws_security_group`
/// (terraform-aws-modules/security-group 6 is a rewrite), the one it replaces is moved to it, and
/// it admits the engine's port from `local.clients` (the nodes' and the bastion's groups) only.
fn data_store_group(shape: &str, tree: &Tree, module: &str) {
    let (_, engine, port, attached) = DATA_STORES
        .iter()
        .find(|(name, ..)| *name == module)
        .unwrap_or_else(|| panic!("`{module}` is not a data store"));
    let path = format!("terraform/modules/{module}/main.tf");
    let body = parse(tree, &path);
    let groups = resources(&body, "aws_security_group");
    let names: Vec<&str> = groups.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["this"], "{shape} {path}");
    let group = groups[0].1;
    assert_eq!(
        required(group, &path, "description"),
        format!("\"{engine} from the EKS nodes and the bastion\"")
    );
    assert_eq!(required(group, &path, "vpc_id"), "var.vpc_id");
    assert!(!has_block(group, "ingress", &[]), "{shape} {path}");

    // The module's group (`aws_security_group.this[0]` when `use_name_prefix = false`, v5.3.1
    // main.tf) and its rules (lists over `local.clients` in key order, and mongodb-ec2's
    // `egress_rules`) keep their place in the state, unchanged: no database is cut off.
    let moved: BTreeSet<(String, String)> = body
        .blocks()
        .filter(|block| block.identifier.as_str() == "moved")
        .map(|block| {
            (
                required(&block.body, &path, "from"),
                required(&block.body, &path, "to"),
            )
        })
        .filter(|(from, _)| from.starts_with("module.security_group."))
        .collect();
    let old_rule = "module.security_group.aws_security_group_rule";
    let mut expected = BTreeSet::from([
        (
            "module.security_group.aws_security_group.this[0]".to_owned(),
            "aws_security_group.this".to_owned(),
        ),
        (
            format!("{old_rule}.ingress_with_source_security_group_id[0]"),
            "aws_security_group_rule.clients[\"EKS nodes\"]".to_owned(),
        ),
        (
            format!("{old_rule}.ingress_with_source_security_group_id[1]"),
            "aws_security_group_rule.clients[\"bastion\"]".to_owned(),
        ),
    ]);
    if module == "mongodb-ec2" {
        expected.insert((
            format!("{old_rule}.egress_rules[0]"),
            "aws_security_group_rule.outbound[\"HTTPS\"]".to_owned(),
        ));
        expected.insert((
            format!("{old_rule}.egress_rules[1]"),
            "aws_security_group_rule.outbound[\"HTTP\"]".to_owned(),
        ));
    }
    assert_eq!(moved, expected, "{shape} {path}");

    // The rule type the module made, so that the moves above change nothing.
    for kind in [
        "aws_vpc_security_group_ingress_rule",
        "aws_vpc_security_group_egress_rule",
    ] {
        assert!(resources(&body, kind).is_empty(), "{shape} {path}: {kind}");
    }
    let rules = resources(&body, "aws_security_group_rule");
    let rule = rules
        .iter()
        .find(|(name, _)| name == "clients")
        .unwrap_or_else(|| panic!("{shape} {path}: no aws_security_group_rule.clients"))
        .1;
    for (name, value) in [
        ("for_each", "local.clients"),
        ("type", "\"ingress\""),
        ("security_group_id", "aws_security_group.this.id"),
        ("source_security_group_id", "each.value"),
        ("protocol", "\"tcp\""),
        ("from_port", port),
        ("to_port", port),
    ] {
        assert_eq!(required(rule, &path, name), value, "{shape} {path}: {name}");
    }
    for source in ["cidr_blocks", "ipv6_cidr_blocks", "prefix_list_ids", "self"] {
        assert!(
            attribute(rule, source).is_none(),
            "{shape} {path}: {source}"
        );
    }
    let locals = block(&body, &path, "locals", &[]);
    let clients = required(locals, &path, "clients");
    for client in [
        "\"EKS nodes\" = var.node_security_group_id",
        "bastion = var.bastion_security_group_id",
    ] {
        assert!(clients.contains(client), "{shape} {path}: {clients}");
    }

    // Only MongoDB on EC2 goes out, to HTTPS and HTTP (the module's https-443-tcp, http-80-tcp).
    let egress: Vec<_> = rules.iter().filter(|(name, _)| name != "clients").collect();
    if module == "mongodb-ec2" {
        assert_eq!(egress.len(), 1, "{shape} {path}");
        let outbound = egress[0].1;
        assert_eq!(required(outbound, &path, "type"), "\"egress\"");
        let ports = required(outbound, &path, "for_each");
        assert!(
            ports.contains("HTTPS = 443") && ports.contains("HTTP = 80"),
            "{ports}"
        );
        let cidrs: String = required(outbound, &path, "cidr_blocks")
            .split_whitespace()
            .collect();
        assert_eq!(cidrs, "[\"0.0.0.0/0\"]");
        assert_eq!(required(outbound, &path, "from_port"), "each.value");
    } else {
        assert!(egress.is_empty(), "{shape} {path}");
    }

    // The database uses the group.
    let (identifier, labels) = attached;
    let user = block(&body, &path, identifier, labels);
    let ids = required(user, &path, "vpc_security_group_ids");
    let ids: String = ids.split_whitespace().collect();
    assert_eq!(ids, "[aws_security_group.this.id]", "{shape} {path}");
}

#[test]
fn no_tree_calls_the_security_group_module() {
    // Issue 18: the module's 6.0 rewrite replaces every rule; the groups are plain resources.
    let calls = |name: &str, tree: &Tree| {
        for (path, text) in tree {
            assert!(
                !text.contains("terraform-aws-modules/security-group"),
                "{name}: `{path}` calls terraform-aws-modules/security-group"
            );
        }
    };
    for (name, answers) in common::examples() {
        calls(&name, &common::render(&answers));
    }
    for (shape, tree) in rendered() {
        calls(&format!("{shape:?}"), tree);
    }
}

#[test]
fn the_cache_requires_tls_and_an_auth_token() {
    // M4: sessions and the Celery broker went over plain TCP, without AUTH.
    let tree = &rendered()[0].1;
    let path = "terraform/modules/redis/main.tf";
    let body = parse(tree, path);
    let redis = &block(&body, path, "module", &["redis"]);
    assert_eq!(required(redis, path, "transit_encryption_enabled"), "true");
    assert_eq!(
        required(redis, path, "transit_encryption_mode"),
        "\"required\""
    );
    assert_eq!(required(redis, path, "at_rest_encryption_enabled"), "true");
    assert_eq!(
        required(redis, path, "auth_token"),
        "random_password.auth_token.result"
    );
    assert!(!file(tree, path).contains("checkov:skip=CKV_AWS_30"));
    let token = &block(&body, path, "resource", &["random_password", "auth_token"]);
    let length: u32 = required(token, path, "length").parse().unwrap();
    // ElastiCache: 16 to 128 printable characters, few specials allowed: none are used.
    assert!((16..=128).contains(&length), "{length}");
    assert_eq!(required(token, path, "special"), "false");

    let outputs = "terraform/modules/redis/outputs.tf";
    let body = parse(tree, outputs);
    let auth = &block(&body, outputs, "output", &["auth_token"]);
    assert_eq!(required(auth, outputs, "sensitive"), "true");
    let tls = &block(&body, outputs, "output", &["tls_enabled"]);
    assert_eq!(required(tls, outputs, "value"), "true");
    // TLS verifies the name the certificate carries: the endpoint, not our CNAME.
    let host = &block(&body, outputs, "output", &["host"]);
    assert_eq!(
        required(host, outputs, "value"),
        "module.redis.replication_group_primary_endpoint_address"
    );
    block(&body, outputs, "output", &["port"]);
}

#[test]
fn the_documentdb_final_snapshot_name_is_new_for_each_cluster() {
    // Found in review: `<name>-final` collided when a cluster was destroyed a second time.
    for (shape, tree) in rendered().iter().filter(|(s, _)| s.mongodb == "documentdb") {
        let path = "terraform/modules/documentdb/main.tf";
        let body = parse(tree, path);
        let cluster = &block(&body, path, "resource", &["aws_docdb_cluster", "this"]);
        let name = required(cluster, path, "final_snapshot_identifier");
        assert!(
            name.contains("random_id.final_snapshot.hex"),
            "{shape:?}: {name}"
        );
        assert_eq!(required(cluster, path, "skip_final_snapshot"), "false");
        let suffix = &block(&body, path, "resource", &["random_id", "final_snapshot"]);
        assert!(attribute(suffix, "byte_length").is_some());
    }
}

#[test]
fn mongodb_on_ec2_listens_privately_runs_as_an_application_user_and_is_snapshotted() {
    // M8: bound to 0.0.0.0, Open edX as root, a daily dump the only backup.
    for (shape, tree) in rendered().iter().filter(|(s, _)| s.mongodb == "ec2") {
        let template = file(
            tree,
            "terraform/modules/mongodb-ec2/templates/user-data.sh.tftpl",
        );
        assert!(!template.contains("0.0.0.0"), "{shape:?}");
        assert!(template.contains(r#"write_config enabled "127.0.0.1,$private_ip""#));
        assert!(template.contains("meta-data/local-ipv4"));
        // The data disk by its volume id, never by guessing from names or partitions.
        assert!(template.contains("/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_"));
        assert!(!template.contains("PARTTYPE"));
        assert!(template.contains("set -euo pipefail") && template.contains("retry "));
        assert!(template.contains("db.updateUser(user, { pwd, roles })"));
        assert!(template.contains(r#"role = "readWrite""#));

        let main = "terraform/modules/mongodb-ec2/main.tf";
        let body = parse(tree, main);
        let locals = &block(&body, main, "locals", &[]);
        let databases = required(locals, main, "app_databases");
        assert!(
            databases.contains("\"openedx\"") && databases.contains("\"cs_comments_service\""),
            "{databases}"
        );
        let policy = &block(
            &body,
            main,
            "resource",
            &["aws_dlm_lifecycle_policy", "snapshots"],
        );
        let details = policy
            .blocks()
            .find(|b| b.identifier.as_str() == "policy_details")
            .expect("policy_details");
        assert_eq!(
            required(&details.body, main, "target_tags"),
            "local.snapshot_tag"
        );
        let instance = &block(&body, main, "module", &["instance"]);
        assert!(required(instance, main, "ebs_volumes").contains("tags = local.snapshot_tag"));

        let outputs = "terraform/modules/mongodb-ec2/outputs.tf";
        let body = parse(tree, outputs);
        let username = &block(&body, outputs, "output", &["username"]);
        assert_eq!(required(username, outputs, "value"), "\"openedx\"");
        let password = &block(&body, outputs, "output", &["password"]);
        assert_eq!(
            required(password, outputs, "value"),
            "random_password.users[\"openedx\"].result"
        );

        // Hours between snapshots: every few hours in production, all values DLM accepts.
        let hours: Vec<u32> = ["prod", "dev"]
            .iter()
            .map(|env| {
                env_setting(tree, env, "mongodb_snapshot_interval_hours")
                    .parse()
                    .unwrap()
            })
            .collect();
        assert!(hours[0] <= 4, "{hours:?}");
        assert!(hours.iter().all(|h| [1, 2, 3, 4, 6, 8, 12, 24].contains(h)));
        assert!(
            inputs(tree, "terraform/_envcommon/mongodb.hcl")
                .contains("snapshot_interval_hours = local.env.mongodb_snapshot_interval_hours")
        );
    }
}

#[test]
fn the_bastion_plans_before_its_vpc_exists() {
    // M6: the instance module's own security group came with a `data "aws_subnet"` lookup of
    // the mocked subnet id, which failed `terragrunt run --all plan` on an empty account.
    for (shape, tree) in rendered().iter().filter(|(s, _)| s.bastion) {
        let path = "terraform/modules/bastion/main.tf";
        let body = parse(tree, path);
        assert!(
            !body
                .blocks()
                .any(|b| b.identifier.as_str() == "data" && b.labels[0].as_str() == "aws_subnet"),
            "{shape:?}"
        );
        let instance = &block(&body, path, "module", &["instance"]);
        assert_eq!(required(instance, path, "create_security_group"), "false");
        assert!(
            required(instance, path, "vpc_security_group_ids")
                .contains("aws_security_group.bastion.id")
        );
        let bootstrap = file(
            tree,
            "terraform/modules/bastion/templates/user-data.sh.tftpl",
        );
        assert!(bootstrap.contains("set -euo pipefail"));
        assert!(bootstrap.contains("retry 5 dnf install"));
        assert!(
            !bootstrap.contains("\ndnf install"),
            "every install is retried"
        );
        let setup = file(tree, "scripts/bastion-setup.sh");
        assert!(setup.contains("set -euo pipefail"));
        assert!(setup.contains("retry aws eks update-kubeconfig"), "{setup}");
    }
}

#[test]
fn the_vpc_has_an_s3_gateway_and_flow_logs_kept_per_environment() {
    let tree = &rendered()[0].1;
    let path = "terraform/modules/vpc/main.tf";
    let body = parse(tree, path);
    let endpoint = &block(&body, path, "resource", &["aws_vpc_endpoint", "s3"]);
    assert_eq!(required(endpoint, path, "vpc_endpoint_type"), "\"Gateway\"");
    assert_eq!(
        required(endpoint, path, "route_table_ids"),
        "module.vpc.private_route_table_ids"
    );
    let vpc = &block(&body, path, "module", &["vpc"]);
    assert_eq!(
        required(vpc, path, "flow_log_cloudwatch_log_group_retention_in_days"),
        "var.flow_log_retention_days"
    );
    assert_eq!(env_setting(tree, "prod", "flow_log_retention_days"), "90");
    assert_eq!(env_setting(tree, "dev", "flow_log_retention_days"), "14");
    assert!(
        inputs(tree, "terraform/_envcommon/vpc.hcl")
            .contains("flow_log_retention_days = local.env.flow_log_retention_days")
    );
}

#[test]
fn backups_dump_mongodb_as_the_backup_user_and_expire_with_a_real_filter() {
    for (shape, tree) in rendered() {
        let path = "terraform/modules/backups/main.tf";
        let body = parse(tree, path);
        let bucket = &block(&body, path, "module", &["bucket"]);
        // s3-bucket 5.15.4 writes no filter at all for `filter = {}`; without the key it writes
        // the empty `filter {}` block the aws provider 6 docs give for a rule over every object.
        let rules = required(bucket, path, "lifecycle_rule");
        assert!(!rules.contains("filter"), "{shape:?}: {rules}");
        let unit = inputs(tree, "terraform/_envcommon/backups.hcl");
        assert_eq!(
            unit.contains("username = dependency.mongodb.outputs.backup_username"),
            shape.mongodb == "ec2",
            "{shape:?}: {unit}"
        );
        if shape.mongodb == "ec2" {
            let outputs = "terraform/modules/mongodb-ec2/outputs.tf";
            let outputs = parse(tree, outputs);
            assert!(has_block(&outputs, "output", &["backup_username"]));
            assert!(has_block(&outputs, "output", &["backup_password"]));
            assert!(file(tree, path).contains("\"mongodb-backup\""));
            // A restore goes into Open edX's databases only, as Open edX's user.
            let restore = file(tree, "scripts/restore.sh");
            assert!(restore.contains(r#"--nsInclude="openedx.*""#), "{restore}");
        }
    }
}

#[test]
fn mongodb_and_documentdb_sizes_are_answers_checked_against_their_catalogues() {
    // The MongoDB instance type and DocumentDB class were fixed in env.hcl, out of reach of
    // the answers' validation; now they are answers, rendered per environment.
    let text = answers(SHAPES[2], ["db.t3.small", "db.t3.small"]).replace(
        "  - name: dev\n",
        "    documentdb_instance_class: db.r6g.large\n    mongodb_instance_type: m7i.large\n  - name: dev\n",
    );
    let tree = common::render(&text);
    assert_eq!(
        env_setting(&tree, "prod", "documentdb_instance_class"),
        "\"db.r6g.large\""
    );
    assert_eq!(
        env_setting(&tree, "dev", "documentdb_instance_class"),
        "\"db.t4g.medium\""
    );
    let tree = common::render(&text.replace("mongodb: documentdb", "mongodb: ec2"));
    assert_eq!(
        env_setting(&tree, "prod", "mongodb_instance_type"),
        "\"m7i.large\""
    );
    let refused = openedx_devops::render_yaml(&text.replace("db.r6g.large", "db.m5.large"))
        .expect_err("db.m5.large is no DocumentDB class");
    let message = format!("{refused:#}");
    assert!(
        message.contains("environments.0.documentdb_instance_class") && message.contains("`m5`"),
        "{message}"
    );
}

/// Second review: the passwords sat under the AWS-managed aws/ssm key, which every role holding
/// AmazonSSMManagedInstanceCore (bastion, EKS nodes) may use through SSM; they need their own key
/// that only the MongoDB instance is granted.
#[test]
fn mongodb_passwords_are_encrypted_with_a_key_only_the_instance_may_use() {
    for (shape, tree) in rendered().iter().filter(|(s, _)| s.mongodb == "ec2") {
        let path = "terraform/modules/mongodb-ec2/main.tf";
        let body = parse(tree, path);
        block(&body, path, "resource", &["aws_kms_key", "passwords"]);
        let parameter = &block(&body, path, "resource", &["aws_ssm_parameter", "password"]);
        assert_eq!(
            required(parameter, path, "key_id"),
            "aws_kms_key.passwords.arn",
            "{shape:?}"
        );
        let text = file(tree, path);
        assert!(!text.contains("CKV_AWS_337"), "{shape:?}: the skip is gone");
        let policy = &block(
            &body,
            path,
            "data",
            &["aws_iam_policy_document", "instance"],
        );
        assert!(
            policy.blocks().any(|statement| {
                let flat = |name: &str| {
                    attribute(&statement.body, name)
                        .unwrap_or_default()
                        .split_whitespace()
                        .collect::<String>()
                };
                flat("actions") == "[\"kms:Decrypt\"]"
                    && flat("resources") == "[aws_kms_key.passwords.arn]"
            }),
            "{shape:?}: the instance may decrypt its passwords"
        );
    }
}

/// Second review: the backup upload's AWS CLI had no region, so its first request went to
/// us-east-1 (around the VPC's S3 gateway endpoint) before S3 redirected it.
#[test]
fn the_backup_upload_knows_its_region() {
    for (shape, tree) in rendered() {
        let text = file(tree, "terraform/modules/backups/main.tf");
        assert!(
            text.contains("name  = \"AWS_DEFAULT_REGION\"\n                value = data.aws_region.current.region"),
            "{shape:?}"
        );
    }
}

/// Second review: a class edited alone in env.hcl to a micro or small burstable one, with
/// Performance Insights still on, failed only at CreateDBInstance; the module refuses it first.
#[test]
fn the_mysql_module_refuses_performance_insights_on_classes_without_it() {
    let (_, tree) = &rendered()[0];
    let path = "terraform/modules/mysql/variables.tf";
    let body = parse(tree, path);
    let variable = &block(&body, path, "variable", &["performance_insights_enabled"]);
    let validation = &block(variable, path, "validation", &[]);
    let condition = required(validation, path, "condition");
    assert!(
        condition.contains("var.instance_class") && condition.contains("micro|small"),
        "{condition}"
    );
}
