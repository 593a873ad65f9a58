//! What the expert review of issue 15 found in the cluster, the IAM roles and the CI of a
//! generated repository (M1, M2, M6, M9, M10 and the minors of the same files), each checked as
//! a property of the rendered tree of every example answers file and of a spot and an on-demand
//! variant: the rules of the EKS node security group, who may assume the admin role, session
//! lengths, data lookups fed by mocked outputs, which images ECR's lifecycle policy may expire
//! (simulated), a re-run of the build (the script run with stand-ins for tutor and aws), the order
//! of build and deploy (the workflow's own shell step run), and the EKS, Karpenter and deploy role
//! settings. The upstream facts the checks rely on are constants here, each naming its source.

use crate::common::{
    self, Tree, hcl_body, hcl_key as key, hcl_value as to_json, read_checkout as read,
};
use hcl::{Body, Expression, ObjectKey};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;

/// Every example, plus each with spot instances switched on and off (Karpenter runs either
/// way), so that both settings of `spot_instances` are seen.
fn cases() -> &'static [(String, Tree)] {
    static CASES: OnceLock<Vec<(String, Tree)>> = OnceLock::new();
    CASES.get_or_init(|| {
        let mut sources: Vec<(String, String)> = common::examples()
            .into_iter()
            .map(|(name, text)| (format!("{name}.yml"), text))
            .collect();
        let extra: Vec<(String, String)> = sources
            .iter()
            .flat_map(|(name, text)| {
                [
                    (
                        format!("{name} with spot instances"),
                        format!(
                            "{}\nspot_instances: true\n",
                            text.replace("spot_instances: false", "")
                                .replace("spot_instances: true", "")
                        ),
                    ),
                    (
                        format!("{name} without spot instances"),
                        format!(
                            "{}\nspot_instances: false\n",
                            text.replace("spot_instances: false", "")
                                .replace("spot_instances: true", "")
                        ),
                    ),
                ]
            })
            .collect();
        sources.extend(extra);
        sources
            .into_iter()
            .map(|(name, text)| {
                let tree = common::render(&text);
                (name, tree)
            })
            .collect()
    })
}

// ---------------------------------------------------------------------------------------------
// Helpers: HCL to JSON (literals as values, anything else as its source text), YAML.

fn file<'a>(tree: &'a Tree, name: &str, path: &str) -> &'a str {
    tree.get(path)
        .unwrap_or_else(|| panic!("{name}: no `{path}`"))
        .as_str()
}

use common::{hcl_attribute as attribute, hcl_block as block};

fn yaml(name: &str, path: &str, text: &str) -> Value {
    serde_saphyr::from_str::<Value>(text)
        .unwrap_or_else(|error| panic!("{name}: `{path}` is not YAML: {error}"))
}

fn workflows(tree: &Tree) -> impl Iterator<Item = (&String, &String)> {
    tree.iter()
        .filter(|(path, _)| path.starts_with(".github/workflows/"))
}

/// `(environment name, is production)` from each environment's env.hcl.
fn environments(name: &str, tree: &Tree) -> Vec<(String, bool)> {
    let mut found = Vec::new();
    for (path, text) in tree {
        let Some(rest) = path.strip_prefix("terraform/environments/") else {
            continue;
        };
        if !rest.ends_with("/env.hcl") {
            continue;
        }
        let body = hcl_body(name, path, text);
        let locals = block(&body, "locals", &[]).unwrap();
        let env = to_json(attribute(locals, "name").unwrap());
        let production = to_json(attribute(locals, "is_production").unwrap());
        found.push((
            env.as_str().unwrap().to_owned(),
            production.as_bool().unwrap(),
        ));
    }
    assert!(!found.is_empty(), "{name}: no environment");
    found
}

// ---------------------------------------------------------------------------------------------
// M1: the node security group

/// A rule of the node security group: protocol, ports, and whether it admits the nodes
/// themselves or the cluster (control plane) security group.
#[derive(Debug, Clone)]
struct Rule {
    protocol: String,
    from: i64,
    to: i64,
    from_nodes: bool,
    from_cluster: bool,
}

/// The ingress rules terraform-aws-eks v21.19.0 puts on the node security group
/// (`node_groups.tf`: `node_security_group_rules` and the recommended rules, which default on).
fn upstream_node_rules() -> Vec<Rule> {
    let cluster = |port: i64| Rule {
        protocol: "tcp".into(),
        from: port,
        to: port,
        from_nodes: false,
        from_cluster: true,
    };
    let nodes = |protocol: &str, from: i64, to: i64| Rule {
        protocol: protocol.into(),
        from,
        to,
        from_nodes: true,
        from_cluster: false,
    };
    vec![
        cluster(443),
        cluster(10250),
        nodes("tcp", 53, 53),
        nodes("udp", 53, 53),
        nodes("tcp", 1025, 65535),
        cluster(4443),
        cluster(10251),
        cluster(6443),
        cluster(8443),
        cluster(9443),
    ]
}

/// Ports the API server calls on pods directly (admission webhooks, the metrics API), by the
/// chart that listens there: VPA's admission controller on 8000 (kubernetes/autoscaler
/// charts/vertical-pod-autoscaler, admission-controller deployment `containerPort: 8000`);
/// cert-manager's webhook, metrics-server and the prometheus-operator webhook on 10250 (their
/// charts' defaults).
const CONTROL_PLANE_TO_POD_PORTS: &[(i64, &str)] = &[
    (8000, "the VPA admission webhook"),
    (
        10250,
        "cert-manager's webhook, metrics-server, the prometheus-operator webhook",
    ),
];

/// Ports pods of one node call on pods of another: Traefik -> Caddy on 80, and anything below
/// 1025 that the upstream rules leave out.
const POD_TO_POD_PORTS: &[(i64, &str)] = &[
    (80, "Traefik to Caddy"),
    (8000, "Open edX LMS and CMS (uwsgi)"),
    (443, "any HTTPS service"),
];

fn additional_node_rules(name: &str, tree: &Tree) -> Vec<Rule> {
    let path = "terraform/modules/eks/main.tf";
    let body = hcl_body(name, path, file(tree, name, path));
    let eks = block(&body, "module", &["eks"]).expect("module eks");
    let rules = attribute(eks, "node_security_group_additional_rules")
        .map(to_json)
        .unwrap_or_else(|| json!({}));
    rules
        .as_object()
        .unwrap_or_else(|| panic!("{name}: node_security_group_additional_rules is not an object"))
        .iter()
        .filter(|(_, rule)| rule["type"].as_str().unwrap_or("ingress") == "ingress")
        .map(|(key, rule)| Rule {
            protocol: rule["protocol"].as_str().unwrap_or("tcp").to_owned(),
            from: rule["from_port"]
                .as_i64()
                .unwrap_or_else(|| panic!("{name}: rule {key}: from_port")),
            to: rule["to_port"]
                .as_i64()
                .unwrap_or_else(|| panic!("{name}: rule {key}: to_port")),
            from_nodes: rule["self"] == Value::Bool(true),
            from_cluster: rule["source_cluster_security_group"] == Value::Bool(true),
        })
        .collect()
}

fn admits(rules: &[Rule], port: i64, source: fn(&Rule) -> bool) -> bool {
    rules.iter().any(|rule| {
        source(rule)
            && (rule.protocol == "-1"
                || rule.protocol == "all"
                || (rule.protocol == "tcp" && rule.from <= port && port <= rule.to))
    })
}

#[test]
fn nodes_admit_each_other_and_the_control_planes_webhooks() {
    let upstream = upstream_node_rules();
    // The upstream rules alone are what the review found broken.
    assert!(!admits(&upstream, 80, |rule| rule.from_nodes));
    assert!(!admits(&upstream, 8000, |rule| rule.from_cluster));
    for (name, tree) in cases() {
        let mut rules = upstream.clone();
        rules.extend(additional_node_rules(name, tree));
        for (port, what) in POD_TO_POD_PORTS {
            assert!(
                admits(&rules, *port, |rule| rule.from_nodes),
                "{name}: the node security group does not admit other nodes on {port} ({what})"
            );
        }
        for (port, what) in CONTROL_PLANE_TO_POD_PORTS {
            assert!(
                admits(&rules, *port, |rule| rule.from_cluster),
                "{name}: the node security group does not admit the control plane on {port} ({what})"
            );
        }
    }
}

#[test]
fn karpenter_nodes_get_the_node_security_group() {
    let mut seen = false;
    for (name, tree) in cases() {
        let path = "terraform/modules/karpenter/chart/templates/ec2nodeclass.yaml";
        let Some(text) = tree.get(path) else { continue };
        seen = true;
        let class = yaml(name, path, text);
        let terms = class["spec"]["securityGroupSelectorTerms"]
            .as_array()
            .unwrap_or_else(|| panic!("{name}: no securityGroupSelectorTerms"));
        let selected: BTreeSet<String> = terms
            .iter()
            .flat_map(|term| term["tags"].as_object().unwrap().keys().cloned())
            .collect();
        let main = "terraform/modules/eks/main.tf";
        let body = hcl_body(name, main, file(tree, name, main));
        let eks = block(&body, "module", &["eks"]).unwrap();
        let tags = to_json(attribute(eks, "node_security_group_tags").expect("tags"));
        let tagged: BTreeSet<String> = tags.as_object().unwrap().keys().cloned().collect();
        assert!(
            !selected.is_empty() && selected.is_subset(&tagged),
            "{name}: the EC2NodeClass selects security groups by {selected:?}, the node security group has {tagged:?}"
        );
    }
    assert!(seen, "no case renders Karpenter");
}

// ---------------------------------------------------------------------------------------------
// M2: the infrastructure roles

/// A unit of `terraform/shared/` built from modules/github-role.
#[derive(Debug)]
struct GithubRole {
    unit: String,
    /// What the role's name ends with after the shared prefix, e.g. `-github-plan`.
    name_suffix: String,
    contexts: Vec<String>,
    policies: Vec<String>,
    inline: Value,
    max_session_duration: Option<i64>,
}

fn github_roles(name: &str, tree: &Tree) -> Vec<GithubRole> {
    let mut roles = Vec::new();
    for (path, text) in tree {
        if !(path.starts_with("terraform/shared/") && path.ends_with("/terragrunt.hcl")) {
            continue;
        }
        let body = hcl_body(name, path, text);
        let source = block(&body, "terraform", &[])
            .and_then(|terraform| attribute(terraform, "source"))
            .map(to_json)
            .unwrap_or_default();
        if !source
            .as_str()
            .is_some_and(|s| s.ends_with("modules//github-role"))
        {
            continue;
        }
        let inputs = to_json(attribute(&body, "inputs").expect("inputs"));
        let role_name = inputs["name"].as_str().unwrap();
        roles.push(GithubRole {
            unit: path.clone(),
            name_suffix: role_name.rsplit('}').next().unwrap().to_owned(),
            contexts: inputs["github_contexts"]
                .as_array()
                .unwrap_or_else(|| panic!("{name}: {path}: github_contexts is not a list"))
                .iter()
                .map(|context| context.as_str().unwrap().to_owned())
                .collect(),
            policies: inputs["policies"]
                .as_object()
                .map(|policies| {
                    policies
                        .values()
                        .map(|arn| arn.as_str().unwrap().to_owned())
                        .collect()
                })
                .unwrap_or_default(),
            inline: inputs["inline_permissions"].clone(),
            max_session_duration: inputs["max_session_duration"].as_i64(),
        });
    }
    roles
}

fn is_admin(role: &GithubRole) -> bool {
    role.policies
        .iter()
        .any(|arn| arn.ends_with(":policy/AdministratorAccess") || arn.ends_with("/IAMFullAccess"))
}

/// `(job name, environment, role name)` of each job of a workflow that assumes a role.
fn role_jobs(workflow: &Value) -> Vec<(String, Option<String>, String, Value)> {
    let mut found = Vec::new();
    for (job_name, job) in workflow["jobs"].as_object().unwrap() {
        let environment = match &job["environment"] {
            Value::String(name) => Some(name.clone()),
            Value::Object(object) => object["name"].as_str().map(str::to_owned),
            _ => None,
        };
        for step in job["steps"].as_array().into_iter().flatten() {
            if step["uses"]
                .as_str()
                .is_some_and(|uses| uses.starts_with("aws-actions/configure-aws-credentials@"))
            {
                let role = step["with"]["role-to-assume"].as_str().unwrap();
                let role = role.rsplit('/').next().unwrap().to_owned();
                found.push((job_name.clone(), environment.clone(), role, job.clone()));
            }
        }
    }
    found
}

#[test]
fn the_admin_role_is_trusted_by_one_protected_environment_that_no_deploy_uses() {
    for (name, tree) in cases() {
        let roles = github_roles(name, tree);
        assert!(roles.len() >= 2, "{name}: roles {roles:?}");
        let deploy_environments: BTreeSet<String> = workflows(tree)
            .filter(|(path, _)| path.contains("/deploy-"))
            .flat_map(|(path, text)| role_jobs(&yaml(name, path, text)))
            .filter_map(|(_, environment, _, _)| environment)
            .collect();
        let infrastructure = ".github/workflows/infrastructure.yml";
        let workflow = yaml(name, infrastructure, file(tree, name, infrastructure));
        let jobs = role_jobs(&workflow);
        for role in &roles {
            for context in &role.contexts {
                assert!(
                    !context.contains('*') && !context.contains('?'),
                    "{name}: {}: context `{context}` has a wildcard",
                    role.unit
                );
            }
            let assumed_by: Vec<&(String, Option<String>, String, Value)> = jobs
                .iter()
                .filter(|(_, _, role_name, _)| role_name.ends_with(&role.name_suffix))
                .collect();
            if !is_admin(role) {
                continue;
            }
            assert!(!role.contexts.is_empty(), "{name}: {}", role.unit);
            for context in &role.contexts {
                let environment = context.strip_prefix("environment:").unwrap_or_else(|| {
                    panic!(
                        "{name}: {}: the admin role trusts `{context}`, not a protected environment",
                        role.unit
                    )
                });
                assert!(
                    !deploy_environments.contains(environment),
                    "{name}: {}: the admin role trusts `{context}`, which a deploy job runs in",
                    role.unit
                );
            }
            assert!(
                !assumed_by.is_empty(),
                "{name}: no job assumes {}",
                role.unit
            );
            for (job, environment, _, _) in assumed_by {
                let context = format!("environment:{}", environment.clone().unwrap_or_default());
                assert!(
                    role.contexts.contains(&context),
                    "{name}: job {job} assumes the admin role outside its environment"
                );
            }
        }
        // Pull requests plan with a role that is not admin.
        let plan = &workflow["jobs"]["plan"];
        assert!(
            plan["if"].as_str().unwrap().contains("pull_request"),
            "{name}: the plan job is not the pull request one"
        );
        for (job, _, role_name, _) in &jobs {
            let role = roles
                .iter()
                .find(|role| role_name.ends_with(&role.name_suffix))
                .unwrap_or_else(|| panic!("{name}: job {job} assumes `{role_name}`: no unit"));
            if role
                .contexts
                .iter()
                .any(|context| context == "pull_request")
            {
                assert!(
                    !is_admin(role),
                    "{name}: {} is admin and trusts pull_request",
                    role.unit
                );
            }
        }
    }
}

/// IAM action verbs that change or delete something.
const WRITE_VERBS: &[&str] = &[
    "Put",
    "Delete",
    "Create",
    "Update",
    "Attach",
    "Detach",
    "Modify",
    "Tag",
    "Untag",
    "Set",
    "Remove",
    "Add",
    "Replace",
    "Restore",
    "Start",
    "Stop",
    "Terminate",
    "Reboot",
];

#[test]
fn the_pull_request_role_reads_and_writes_only_its_lock_files() {
    for (name, tree) in cases() {
        let root = file(tree, name, "terraform/root.hcl");
        assert!(
            root.contains("use_lockfile = true"),
            "{name}: S3 native locking expected"
        );
        let roles = github_roles(name, tree);
        let plan_role = roles
            .iter()
            .find(|role| role.name_suffix == "-github-plan")
            .unwrap_or_else(|| panic!("{name}: no plan role"));
        assert_eq!(
            plan_role.policies,
            vec!["arn:aws:iam::aws:policy/ReadOnlyAccess".to_owned()],
            "{name}: {}",
            plan_role.unit
        );
        let mut lock = false;
        for (key, statement) in plan_role.inline.as_object().into_iter().flatten() {
            if statement["effect"].as_str() == Some("Deny") {
                continue;
            }
            let actions: Vec<&str> = statement["actions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|action| action.as_str().unwrap())
                .collect();
            let resources: Vec<&str> = statement["resources"]
                .as_array()
                .unwrap()
                .iter()
                .map(|resource| resource.as_str().unwrap())
                .collect();
            for action in &actions {
                let verb = action.split(':').nth(1).unwrap_or(action);
                if WRITE_VERBS.iter().any(|write| verb.starts_with(write)) || verb == "*" {
                    assert!(
                        resources
                            .iter()
                            .all(|resource| resource.ends_with("/*.tflock")
                                && resource.contains("state_bucket")),
                        "{name}: {}: statement {key} allows `{action}` on {resources:?}",
                        plan_role.unit
                    );
                    lock = true;
                }
            }
        }
        assert!(
            lock,
            "{name}: the plan role cannot write the state lock files"
        );
    }
}

#[test]
fn role_sessions_last_as_long_as_the_roles_allow_and_the_jobs_run() {
    let deploy_default: i64 = {
        let text = read("blueprints/terraform/modules/github-deploy-role/variables.tf");
        let body = hcl::parse(&text).unwrap();
        // Without the variable, the IAM default of one hour.
        block(&body, "variable", &["max_session_duration"])
            .and_then(|variable| attribute(variable, "default"))
            .and_then(|default| to_json(default).as_i64())
            .unwrap_or(3600)
    };
    for (name, tree) in cases() {
        let roles = github_roles(name, tree);
        for (path, text) in workflows(tree) {
            for (job_name, _, role_name, job) in role_jobs(&yaml(name, path, text)) {
                let maximum = if role_name.ends_with("-github-deploy") {
                    deploy_default
                } else {
                    let role = roles
                        .iter()
                        .find(|role| role_name.ends_with(&role.name_suffix))
                        .unwrap_or_else(|| panic!("{name}: {path}: `{role_name}`: no unit"));
                    role.max_session_duration.unwrap_or(3600)
                };
                let step = job["steps"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|step| step["with"]["role-to-assume"].is_string())
                    .unwrap();
                let duration = step["with"]["role-duration-seconds"]
                    .as_i64()
                    .unwrap_or(3600);
                assert_eq!(
                    duration, maximum,
                    "{name}: {path}: job {job_name}: role-duration-seconds of `{role_name}`"
                );
                let timeout = job["timeout-minutes"].as_i64().unwrap() * 60;
                assert!(
                    timeout <= duration,
                    "{name}: {path}: job {job_name} may run {timeout}s, its session lasts {duration}s"
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// M6: no data lookup is keyed by a dependency's (mocked at plan) output

#[test]
fn no_data_lookup_reads_a_mocked_dependency_output() {
    for (name, tree) in cases() {
        for (path, text) in tree {
            let unit = (path.starts_with("terraform/_envcommon/") && path.ends_with(".hcl"))
                || (path.starts_with("terraform/shared/") && path.ends_with("/terragrunt.hcl"));
            if !unit {
                continue;
            }
            let body = hcl_body(name, path, text);
            let Some(source) = block(&body, "terraform", &[])
                .and_then(|terraform| attribute(terraform, "source"))
                .map(to_json)
            else {
                continue;
            };
            let module = source
                .as_str()
                .unwrap()
                .rsplit("//")
                .next()
                .unwrap()
                .to_owned();
            let Some(inputs) = attribute(&body, "inputs") else {
                continue;
            };
            let fed: Vec<String> = to_json(inputs)
                .as_object()
                .unwrap()
                .iter()
                .filter(|(_, value)| value.to_string().contains("dependency."))
                .map(|(input, _)| input.clone())
                .collect();
            for (module_path, module_text) in tree {
                if !module_path.starts_with(&format!("terraform/modules/{module}/"))
                    || !module_path.ends_with(".tf")
                {
                    continue;
                }
                let module_body = hcl_body(name, module_path, module_text);
                for data in module_body
                    .blocks()
                    .filter(|b| b.identifier.as_str() == "data")
                {
                    // A lookup that depends on a resource still to be created is read at apply
                    // (kubernetes-addons' load balancer, after the Traefik release).
                    if attribute(&data.body, "depends_on").is_some() {
                        continue;
                    }
                    let text = hcl::format::to_string(&data.body).unwrap();
                    for input in &fed {
                        assert!(
                            !text.contains(&format!("var.{input}")),
                            "{name}: {module_path}: data {:?} reads var.{input}, which {path} \
                             feeds from a dependency: a plan on an empty account sees its mock",
                            data.labels
                        );
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// M9: ECR lifecycle, simulated

#[derive(Debug, Clone)]
struct Image {
    tags: Vec<String>,
}

/// ECR's evaluation (Amazon ECR User Guide, "Lifecycle policy evaluation rules"): rules in
/// priority order; an image whose tags match a rule's selection is never expired by a rule of a
/// lower priority, which still "identifies them as if they haven't been expired" (counts them);
/// `imageCountMoreThan` keeps the newest N of the images a rule selects; a list of prefixes or
/// patterns selects an image only if each matches one of its tags. Images are given oldest
/// first. Returns the indexes expired.
fn expired(rules: &[Value], images: &[Image], keep_images: i64) -> BTreeSet<usize> {
    let mut rules: Vec<&Value> = rules.iter().collect();
    rules.sort_by_key(|rule| rule["rulePriority"].as_i64().unwrap());
    let mut claimed = BTreeSet::new();
    let mut expired = BTreeSet::new();
    for rule in rules {
        let selection = &rule["selection"];
        let status = selection["tagStatus"].as_str().unwrap();
        let prefixes: Vec<&str> = selection["tagPrefixList"]
            .as_array()
            .map(|list| list.iter().map(|p| p.as_str().unwrap()).collect())
            .unwrap_or_default();
        let patterns: Vec<&str> = selection["tagPatternList"]
            .as_array()
            .map(|list| list.iter().map(|p| p.as_str().unwrap()).collect())
            .unwrap_or_default();
        let selects = |image: &Image| match status {
            "any" => true,
            "untagged" => image.tags.is_empty(),
            "tagged" => {
                !image.tags.is_empty()
                    && prefixes
                        .iter()
                        .all(|prefix| image.tags.iter().any(|tag| tag.starts_with(prefix)))
                    && patterns.iter().all(|pattern| {
                        image.tags.iter().any(|tag| {
                            pattern == &"*" || tag.starts_with(pattern.trim_end_matches('*'))
                        })
                    })
            }
            other => panic!("tagStatus {other}"),
        };
        let selected: Vec<usize> = (0..images.len())
            .filter(|index| selects(&images[*index]))
            .collect();
        assert_eq!(
            selection["countType"].as_str(),
            Some("imageCountMoreThan"),
            "the simulation knows imageCountMoreThan only: {rule}"
        );
        let keep = match &selection["countNumber"] {
            Value::Number(number) => number.as_i64().unwrap(),
            Value::String(text) if text == "var.keep_images" => keep_images,
            other => panic!("countNumber {other}"),
        };
        let count = selected.len() as i64;
        for (rank, index) in selected.iter().rev().enumerate() {
            if (rank as i64) >= keep && count > keep && !claimed.contains(index) {
                expired.insert(*index);
            }
        }
        claimed.extend(selected);
    }
    expired
}

fn lifecycle_rules(name: &str, tree: &Tree) -> (Vec<Value>, i64) {
    let path = "terraform/modules/ecr/main.tf";
    let body = hcl_body(name, path, file(tree, name, path));
    let policy = block(&body, "resource", &["aws_ecr_lifecycle_policy", "this"]).unwrap();
    let rules = to_json(attribute(policy, "policy").unwrap())["rules"]
        .as_array()
        .unwrap_or_else(|| panic!("{name}: the lifecycle policy has no rules"))
        .clone();
    let variables = "terraform/modules/ecr/variables.tf";
    let variables = hcl_body(name, variables, file(tree, name, variables));
    let keep = to_json(
        attribute(
            block(&variables, "variable", &["keep_images"]).unwrap(),
            "default",
        )
        .unwrap(),
    )
    .as_i64()
    .unwrap();
    (rules, keep)
}

#[test]
fn ecr_never_expires_what_production_runs() {
    // The policy the review found: the newest 50 of any tag.
    let old = vec![json!({
        "rulePriority": 2,
        "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 50}
    })];
    for (name, tree) in cases() {
        let (rules, keep) = lifecycle_rules(name, tree);
        // Production deployed build 0, and its mark; then a year of merges, each deployed to dev.
        let mut images = vec![Image {
            tags: vec![
                "22.0.3-aaaaaaaaaaaa".into(),
                "deployed-prod-22.0.3-aaaaaaaaaaaa".into(),
            ],
        }];
        for build in 1..=400 {
            images.push(Image {
                tags: vec![format!("22.0.3-{build:012}")],
            });
            images.push(Image {
                tags: vec![format!("buildcache-22.0.3-{build:012}")],
            });
            // The platform and attestation manifests of the image index, untagged.
            images.push(Image { tags: vec![] });
        }
        assert!(
            expired(&old, &images, keep).contains(&0),
            "the simulation sees the old defect"
        );
        let gone = expired(&rules, &images, keep);
        assert!(
            !gone.contains(&0),
            "{name}: the image production runs expires"
        );
        assert!(
            !gone.contains(&(images.len() - 3)),
            "{name}: the newest image (dev runs it) expires"
        );
        for (index, image) in images.iter().enumerate() {
            if image.tags.is_empty() {
                assert!(
                    !gone.contains(&index),
                    "{name}: an index's untagged manifest expires"
                );
            }
        }
        assert!(
            gone.len() > 600,
            "{name}: old builds and caches never expire ({} expired)",
            gone.len()
        );
        // Platform review 2, m7: keep_images builds are kept, the caches not counted among them.
        let kept_builds = |gone: &BTreeSet<usize>| {
            (1..images.len())
                .filter(|index| {
                    images[*index].tags.iter().any(|tag| tag.starts_with("22."))
                        && !gone.contains(index)
                })
                .count() as i64
        };
        let star = vec![json!({
            "rulePriority": 3,
            "selection": {"tagStatus": "tagged", "tagPatternList": ["*"],
                          "countType": "imageCountMoreThan", "countNumber": "var.keep_images"}
        })];
        let before: Vec<Value> = rules[..2].iter().cloned().chain(star).collect();
        assert!(
            kept_builds(&expired(&before, &images, keep)) < keep,
            "the simulation sees the `*` rule count the caches"
        );
        assert_eq!(
            kept_builds(&gone),
            keep,
            "{name}: the caches count among the newest {keep} builds"
        );
        // Production's deploy marks what it runs with the tag the policy keeps, and may.
        for (environment, production) in environments(name, tree) {
            let path = format!(".github/workflows/deploy-{environment}.yml");
            let text = file(tree, name, &path);
            assert_eq!(
                text.contains("put-image") && text.contains("deployed-"),
                production,
                "{name}: {path}: production alone marks its images `deployed-`"
            );
        }
        let unit = file(tree, name, "terraform/_envcommon/github-deploy-role.hcl");
        assert!(
            unit.contains("mark_deployed_images = local.env.is_production"),
            "{name}"
        );
    }
}

/// A stand-in for a command: a shell script that logs its arguments to `$STANDIN_LOG`.
#[cfg(unix)]
fn standin(dir: &Path, command: &str, body: &str) {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join(command);
    std::fs::write(
        &path,
        format!("#!/usr/bin/env bash\necho \"{command} $*\" >> \"$STANDIN_LOG\"\n{body}\n"),
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// What the `aws ecr describe-images` stand-in answers for the tag.
#[cfg(unix)]
const IN_ECR: &str = "exit 0";
#[cfg(unix)]
const NOT_IN_ECR: &str = "echo 'An error occurred (ImageNotFoundException) when calling the \
    DescribeImages operation: The image requested does not exist' >&2; exit 254";
#[cfg(unix)]
const ECR_THROTTLES: &str = "echo 'An error occurred (ThrottlingException) when calling the \
    DescribeImages operation: Rate exceeded' >&2; exit 254";

/// Runs the generated scripts/tutor-build.sh with tutor, aws and python stand-ins; `ecr` is what
/// ECR answers about the tag. Returns (success, the commands run, outputs and stderr).
#[cfg(unix)]
fn run_build(tree: &Tree, ecr: &str) -> (bool, String, String) {
    let repo = tempfile::tempdir().unwrap();
    for path in [
        "scripts/tutor-build.sh",
        "ci/tutor-build/config.yml",
        "ci/tutor-build/requirements.txt",
    ] {
        let target = repo.path().join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(&target, tree.get(path).map(String::as_str).unwrap_or("")).unwrap();
    }
    let bin = repo.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let image = "210987654321.dkr.ecr.eu-west-1.amazonaws.com/campus-global-openedx:22.0.3-abc";
    standin(
        &bin,
        "tutor",
        &format!(
            "case \"$1 $2\" in\n  \"--version \") echo 'tutor, version 22.0.3' ;;\n  \
             \"config printvalue\") echo '{image}' ;;\nesac\nexit 0"
        ),
    );
    standin(&bin, "python", "cat > /dev/null; exit 0");
    standin(
        &bin,
        "aws",
        &format!("case \"$*\" in\n  *imageTag=22.0.3-abc*) {ecr} ;;\n  *) {NOT_IN_ECR} ;;\nesac"),
    );
    let log = repo.path().join("log");
    let output = repo.path().join("output");
    let result = Command::new("bash")
        .arg(repo.path().join("scripts/tutor-build.sh"))
        .args(["--push", "--tag", "22.0.3-abc", "openedx"])
        .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
        .env("STANDIN_LOG", &log)
        .env("GITHUB_OUTPUT", &output)
        .env("TUTOR_ROOT", repo.path().join("tutor"))
        .output()
        .unwrap();
    (
        result.status.success(),
        std::fs::read_to_string(&log).unwrap_or_default(),
        std::fs::read_to_string(&output).unwrap_or_default()
            + &String::from_utf8_lossy(&result.stderr),
    )
}

#[cfg(unix)]
#[test]
fn a_rerun_of_the_build_pushes_nothing_when_the_tag_exists() {
    let (name, tree) = &cases()[0];
    let (ok, commands, output) = run_build(tree, IN_ECR);
    assert!(ok, "{name}: the re-run fails: {output}");
    assert!(
        !commands.contains("tutor images build"),
        "{name}: the re-run builds and pushes the immutable tag again:\n{commands}"
    );
    assert!(
        output.contains("image=210987654321.dkr.ecr"),
        "{name}: {output}"
    );
    let (ok, commands, output) = run_build(tree, NOT_IN_ECR);
    assert!(ok, "{name}: a first build fails: {output}");
    assert!(
        commands.contains("tutor images build") && commands.contains("--cache-to="),
        "{name}: a new tag is not built and pushed:\n{commands}"
    );
    // Platform review 2, m6: an ECR error is not "no such tag".
    let (ok, commands, output) = run_build(tree, ECR_THROTTLES);
    assert!(
        !ok && !commands.contains("tutor images build"),
        "{name}: a throttled look-up rebuilds the image:\n{commands}"
    );
    assert!(output.contains("ThrottlingException"), "{name}: {output}");
}

// ---------------------------------------------------------------------------------------------
// M10 and platform review 2 M1: each deploy takes the newest main with the image of its build inputs

/// A git repository with the rendered files the image tag and the deploy step read, and a stand-in
/// `tutor` (version 22.0.3) and `aws` (ECR has the tags in `$PRESENT`; `$AWS_FAILS` makes every
/// call fail with that error).
#[cfg(unix)]
struct Checkout {
    dir: tempfile::TempDir,
}

#[cfg(unix)]
impl Checkout {
    fn new(tree: &Tree) -> Checkout {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in tree {
            if path.starts_with("scripts/")
                || path.starts_with("ci/")
                || path.starts_with(".github/")
            {
                let target = dir.path().join(path);
                std::fs::create_dir_all(target.parent().unwrap()).unwrap();
                std::fs::write(&target, text).unwrap();
                if path.ends_with(".sh") {
                    use std::os::unix::fs::PermissionsExt;
                    let mode = std::fs::Permissions::from_mode(0o755);
                    std::fs::set_permissions(&target, mode).unwrap();
                }
            }
        }
        let bin = dir.path().join(".bin");
        std::fs::create_dir_all(&bin).unwrap();
        standin(&bin, "tutor", "echo 'tutor, version 22.0.3'");
        standin(
            &bin,
            "aws",
            "if [ -n \"$AWS_FAILS\" ]; then echo \"$AWS_FAILS\" >&2; exit 254; fi\n\
             for tag in $PRESENT; do case \"$*\" in *\"imageTag=$tag\"*) exit 0 ;; esac; done\n\
             echo 'An error occurred (ImageNotFoundException) when calling the DescribeImages \
             operation: The image requested does not exist' >&2; exit 254",
        );
        std::fs::write(dir.path().join(".gitignore"), ".bin/\nlog\noutput\n").unwrap();
        let checkout = Checkout { dir };
        checkout.git(&["init", "-q", "-b", "main"]);
        checkout.commit("initial");
        checkout
    }

    fn git(&self, args: &[&str]) -> String {
        let output = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .unwrap();
        assert!(output.status.success(), "git {args:?}: {output:?}");
        String::from_utf8(output.stdout).unwrap().trim().to_owned()
    }

    /// Changes `path` (appends a line) and commits; returns the commit.
    fn change(&self, path: &str) -> String {
        let target = self.dir.path().join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        let mut text = std::fs::read_to_string(&target).unwrap_or_default();
        text.push_str("\n# changed\n");
        std::fs::write(&target, text).unwrap();
        self.commit(path)
    }

    fn commit(&self, message: &str) -> String {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", message]);
        self.git(&["rev-parse", "HEAD"])
    }

    /// Runs `script` (a step's `run`) in the checkout; returns (success, its outputs, stderr).
    fn run(&self, script: &str, env: &[(&str, &str)]) -> (bool, String, String) {
        let output = self.dir.path().join("output");
        let _ = std::fs::remove_file(&output);
        let result = Command::new("bash")
            .args(["-e", "-c", script])
            .current_dir(self.dir.path())
            .env(
                "PATH",
                format!("{}:/usr/bin:/bin", self.dir.path().join(".bin").display()),
            )
            .env("STANDIN_LOG", self.dir.path().join("log"))
            .env("GITHUB_OUTPUT", &output)
            .envs(env.iter().copied())
            .output()
            .unwrap();
        (
            result.status.success(),
            std::fs::read_to_string(&output).unwrap_or_default(),
            String::from_utf8_lossy(&result.stdout).into_owned()
                + &String::from_utf8_lossy(&result.stderr),
        )
    }
}

#[cfg(unix)]
fn tag_of(commit: &str) -> String {
    format!("22.0.3-{}", &commit[..12])
}

#[cfg(unix)]
#[test]
fn every_deploy_runs_the_newest_main_on_the_image_of_its_build_inputs() {
    for (name, tree) in cases() {
        let build = yaml(
            name,
            "build.yml",
            file(tree, name, ".github/workflows/build.yml"),
        );
        let build_paths: Vec<String> = build["on"]["push"]["paths"]
            .as_array()
            .unwrap()
            .iter()
            .map(|path| path.as_str().unwrap().replace("**", "a/file.txt"))
            .collect();
        let checkout_depth = &build["jobs"]["image"]["steps"][0]["with"]["fetch-depth"];
        assert_eq!(
            checkout_depth,
            &json!(0),
            "{name}: build.yml: a shallow clone"
        );
        // The shell runs (git commits) take time: once per example, in its first environment
        // (every deploy workflow has the same step).
        let mut simulated = !name.ends_with(".yml");
        for (environment, production) in environments(name, tree) {
            let path = format!(".github/workflows/deploy-{environment}.yml");
            let workflow = yaml(name, &path, file(tree, name, &path));
            let on = &workflow["on"];
            if production {
                assert!(
                    on["push"].is_null() && on["workflow_run"].is_null(),
                    "{name}: {path}"
                );
            } else {
                assert_eq!(on["workflow_run"]["workflows"], json!(["build"]), "{name}");
            }
            assert_eq!(workflow["concurrency"]["cancel-in-progress"], json!(false));
            assert_eq!(
                workflow["concurrency"]["group"],
                json!(format!("deploy-{environment}"))
            );
            let deploy = &workflow["jobs"]["deploy"];
            let steps = deploy["steps"].as_array().unwrap();
            let checkout = &steps[0]["with"];
            assert_eq!(checkout["fetch-depth"], json!(0), "{name}: {path}");
            if !production {
                // Whatever commit started it, an automatic deploy checks out the newest main.
                assert_eq!(
                    checkout["ref"],
                    json!(
                        "${{ github.event_name == 'workflow_dispatch' && github.sha || 'main' }}"
                    ),
                    "{name}: {path}"
                );
            }
            let choose = steps
                .iter()
                .find(|step| step["id"] == json!("image"))
                .unwrap_or_else(|| panic!("{name}: {path}: no step `image`"));
            let script = choose["run"].as_str().unwrap();
            for step in steps
                .iter()
                .skip_while(|step| step["id"] != json!("image"))
                .skip(1)
            {
                if step["name"] != json!("Remove the rendered configuration") {
                    assert_eq!(
                        step["if"],
                        json!("steps.image.outputs.deploy == 'true'"),
                        "{name}: {path}: step {} runs when nothing is to be deployed",
                        step["name"]
                    );
                }
            }
            assert_eq!(
                steps
                    .iter()
                    .find(|step| step["name"] == json!("Deploy"))
                    .unwrap()["env"]["IMAGE_TAG"],
                json!("${{ steps.image.outputs.tag }}")
            );

            if simulated {
                continue;
            }
            simulated = true;
            let repo = Checkout::new(tree);
            let base = repo.git(&["rev-parse", "HEAD"]);
            let config = format!("ci/tutor-deploy/environments/{environment}/config.yml");
            // The review's sequence: A changes what the image is built from, B only configuration.
            let a = repo.change("ci/tutor-requirements.txt");
            let b = repo.change(&config);
            assert_ne!(a, b);
            let push = [("EVENT", "push"), ("PRESENT", "")];
            let present_base = tag_of(&base);
            // B's push while A's build runs: nothing is deployed (not B's Tutor on the old image).
            let (ok, outputs, log) = repo.run(
                script,
                &[
                    ("EVENT", "push"),
                    ("PRESENT", &present_base),
                    ("IMAGE_TAG", ""),
                ],
            );
            assert!(ok, "{name}: {path}: {log}");
            assert!(
                outputs.contains("deploy=false") && log.contains("::notice::"),
                "{name}: {path}: B deploys before A's image exists: {outputs}"
            );
            // A's build done: the deploy (on B, the newest main) takes A's image.
            let both = format!("{} {}", present_base, tag_of(&a));
            let (ok, outputs, log) = repo.run(
                script,
                &[
                    ("EVENT", "workflow_run"),
                    ("PRESENT", &both),
                    ("IMAGE_TAG", ""),
                ],
            );
            assert!(ok, "{name}: {path}: {log}");
            assert_eq!(
                outputs,
                format!("tag={}\ndeploy=true\n", tag_of(&a)),
                "{name}: {path}"
            );
            // Any other ECR error fails the deploy rather than skipping it.
            let (ok, _, log) = repo.run(
                script,
                &[
                    ("EVENT", "push"),
                    ("PRESENT", &both),
                    ("IMAGE_TAG", ""),
                    ("AWS_FAILS", "An error occurred (AccessDeniedException)"),
                ],
            );
            assert!(!ok, "{name}: {path}: an ECR error skips the deploy: {log}");
            // A manual run deploys the tag asked for.
            let (ok, outputs, _) = repo.run(
                script,
                &[("EVENT", "workflow_dispatch"), ("IMAGE_TAG", "22.0.3-abc")],
            );
            assert!(
                ok && outputs.contains("tag=22.0.3-abc\ndeploy=true"),
                "{name}"
            );
            // Every path of the build's trigger moves the image tag; configuration does not.
            for sample in &build_paths {
                let commit = repo.change(sample);
                let (ok, outputs, log) = repo.run(script, &push);
                assert!(ok, "{name}: {log}");
                assert!(
                    outputs.contains("deploy=false"),
                    "{name}: {path}: a change of {sample} deploys before its build: {outputs}"
                );
                let tag = repo.run("scripts/tutor-build.sh --print-tag", &[]).2;
                assert_eq!(tag.trim(), tag_of(&commit), "{name}: {sample}");
                repo.change(&config);
                let tag = repo.run("scripts/tutor-build.sh --print-tag", &[]).2;
                assert_eq!(tag.trim(), tag_of(&commit), "{name}: {sample}");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Minors

#[test]
fn eks_is_on_standard_support_with_fixed_key_admins_and_set_log_retention() {
    for (name, tree) in cases() {
        let path = "terraform/modules/eks/main.tf";
        let body = hcl_body(name, path, file(tree, name, path));
        let eks = block(&body, "module", &["eks"]).unwrap();
        assert_eq!(
            attribute(eks, "upgrade_policy").map(to_json),
            Some(json!({"support_type": "STANDARD"})),
            "{name}: EKS bills extended support by default"
        );
        let admins = attribute(eks, "kms_key_administrators")
            .map(to_json)
            .unwrap_or_else(|| panic!("{name}: the key's admins are whoever applies"));
        assert!(
            admins.to_string().contains("var.infrastructure_role_arn"),
            "{name}: {admins}"
        );
        assert_eq!(
            attribute(eks, "cloudwatch_log_group_retention_in_days").map(to_json),
            Some(json!("var.log_retention_days")),
            "{name}"
        );
        for (environment, production) in environments(name, tree) {
            let env_path = format!("terraform/environments/{environment}/env.hcl");
            let env = hcl_body(name, &env_path, file(tree, name, &env_path));
            let days = attribute(
                block(&env, "locals", &[]).unwrap(),
                "eks_log_retention_days",
            )
            .map(to_json)
            .unwrap_or_else(|| panic!("{name}: {env_path}: no eks_log_retention_days"));
            assert_eq!(
                days,
                json!(if production { 90 } else { 14 }),
                "{name}: {env_path}"
            );
        }
        // EKS Auto's node role is not the managed node group's.
        let outputs = file(tree, name, "terraform/modules/eks/outputs.tf");
        assert!(!outputs.contains("module.eks.node_iam_role_name"), "{name}");
    }
}

#[test]
fn karpenter_waits_for_its_pod_identity_and_pins_its_ami() {
    let versions = crate::common::versions();
    let release = versions["services"]["eks_node_ami"].as_str().expect(
        "_versions.yml: services.eks_node_ami, the pinned AMI release of Karpenter's nodes",
    );
    assert!(
        release.starts_with('v') && release[1..].chars().all(|c| c.is_ascii_digit()),
        "services.eks_node_ami `{release}`: an amazon-eks-ami release tag, vYYYYMMDD"
    );
    for (name, tree) in cases() {
        let path = "terraform/modules/karpenter/main.tf";
        let Some(text) = tree.get(path) else { continue };
        let body = hcl_body(name, path, text);
        let controller = block(&body, "resource", &["helm_release", "karpenter"]).unwrap();
        let depends = attribute(controller, "depends_on")
            .map(to_json)
            .unwrap_or_default();
        assert!(
            depends.to_string().contains("module.karpenter"),
            "{name}: the controller starts before its Pod Identity association: {depends}"
        );
        let class_path = "terraform/modules/karpenter/chart/templates/ec2nodeclass.yaml";
        let class = yaml(name, class_path, file(tree, name, class_path));
        assert_eq!(
            class["spec"]["amiSelectorTerms"],
            json!([{"alias": format!("al2023@{release}")}]),
            "{name}"
        );
    }
}

#[test]
fn deploy_roles_administer_their_namespace_only() {
    for (name, tree) in cases() {
        let path = "terraform/modules/github-deploy-role/main.tf";
        let body = hcl_body(name, path, file(tree, name, path));
        let associations: BTreeMap<String, (String, Value)> = body
            .blocks()
            .filter(|b| {
                b.identifier.as_str() == "resource"
                    && b.labels[0].as_str() == "aws_eks_access_policy_association"
            })
            .map(|b| {
                let policy = to_json(attribute(&b.body, "policy_arn").unwrap());
                let scope = b
                    .body
                    .blocks()
                    .find(|inner| inner.identifier.as_str() == "access_scope")
                    .map(|scope| {
                        let object: Map<String, Value> = scope
                            .body
                            .attributes()
                            .map(|a| (a.key.as_str().to_owned(), to_json(&a.expr)))
                            .collect();
                        Value::Object(object)
                    })
                    .unwrap();
                (
                    b.labels[1].as_str().to_owned(),
                    (policy.as_str().unwrap().to_owned(), scope),
                )
            })
            .collect();
        assert!(!associations.is_empty(), "{name}");
        for (label, (policy, scope)) in &associations {
            let read_only = policy.ends_with("/AmazonEKSViewPolicy");
            assert!(
                read_only || scope["type"] == json!("namespace"),
                "{name}: {path}: {label}: `{policy}` over the whole cluster"
            );
        }
        let unit = file(tree, name, "terraform/_envcommon/github-deploy-role.hcl");
        assert!(
            unit.contains("namespaces") && unit.contains("[local.env.namespace]"),
            "{name}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Platform review 2, m1: statement ids

/// IAM (User Guide, "IAM JSON policy elements: Sid"): a Sid has ASCII letters and digits only,
/// otherwise MalformedPolicyDocument.
fn valid_sid(sid: &str) -> bool {
    !sid.is_empty() && sid.chars().all(|c| c.is_ascii_alphanumeric())
}

/// A map of policy statements: an object whose values are objects with `actions` or
/// `not_actions`. terraform-aws-iam v6.5.0 (modules/iam-role, iam-role-for-service-accounts,
/// iam-user, iam-group main.tf: `sid = try(coalesce(statement.value.sid, statement.key))`) makes
/// each key the statement's Sid, unless the statement sets `sid`.
fn statement_map_keys(object: &hcl::Object<ObjectKey, Expression>) -> Vec<String> {
    let statements = object.values().all(|value| match value {
        Expression::Object(statement) => statement
            .keys()
            .any(|k| matches!(key(k).as_str(), "actions" | "not_actions")),
        _ => false,
    });
    if object.is_empty() || !statements {
        return vec![];
    }
    object
        .iter()
        .filter(|(_, value)| match value {
            Expression::Object(statement) => !statement.keys().any(|k| key(k) == "sid"),
            _ => true,
        })
        .map(|(k, _)| key(k))
        .collect()
}

fn sids_in_expression(expression: &Expression, found: &mut Vec<String>) {
    match expression {
        Expression::Object(object) => {
            found.extend(statement_map_keys(object));
            for (k, value) in object {
                if key(k) == "sid" {
                    found.push(to_json(value).as_str().unwrap_or("").to_owned());
                }
                sids_in_expression(value, found);
            }
        }
        Expression::Array(items) => items
            .iter()
            .for_each(|item| sids_in_expression(item, found)),
        Expression::FuncCall(call) => call.args.iter().for_each(|a| sids_in_expression(a, found)),
        Expression::Parenthesis(inner) => sids_in_expression(inner, found),
        Expression::Conditional(conditional) => {
            sids_in_expression(&conditional.true_expr, found);
            sids_in_expression(&conditional.false_expr, found);
        }
        Expression::ForExpr(for_expr) => {
            sids_in_expression(&for_expr.collection_expr, found);
            sids_in_expression(&for_expr.value_expr, found);
        }
        _ => {}
    }
}

fn sids_in_body(body: &Body, found: &mut Vec<String>) {
    for attribute in body.attributes() {
        if attribute.key.as_str() == "sid" {
            // A literal, or the upstream module's own expression (skipped).
            if let Value::String(sid) = to_json(&attribute.expr)
                && !sid.contains("statement.")
            {
                found.push(sid);
            }
        }
        sids_in_expression(&attribute.expr, found);
    }
    for block in body.blocks() {
        sids_in_body(&block.body, found);
    }
}

#[test]
fn every_statement_id_is_letters_and_digits() {
    // The keys the review found (modules/github-role before the fix) are seen as Sids.
    let old = hcl::parse(
        "locals {\n  ecr = { for k, s in { ecr_login = { actions = [\"ecr:GetAuthorizationToken\"] \
         } } : k => s if true }\n}\n",
    )
    .unwrap();
    let mut found = vec![];
    sids_in_body(&old, &mut found);
    assert_eq!(found, ["ecr_login"], "the walk finds a statement map key");
    for (name, tree) in cases() {
        let mut count = 0;
        for (path, text) in tree {
            if !(path.starts_with("terraform/")
                && (path.ends_with(".tf") || path.ends_with(".hcl")))
            {
                continue;
            }
            let mut found = vec![];
            sids_in_body(&hcl_body(name, path, text), &mut found);
            count += found.len();
            for sid in found {
                assert!(
                    valid_sid(&sid),
                    "{name}: {path}: statement id `{sid}` is not letters and digits only \
                     (IAM: MalformedPolicyDocument)"
                );
            }
        }
        assert!(count > 15, "{name}: only {count} statement ids seen");
    }
}

// ---------------------------------------------------------------------------------------------
// Platform review 2, M2 and B1: who may assume the plan role; where infrastructure jobs run

/// The context of the OIDC subject GitHub gives a job of infrastructure.yml (GitHub docs, "OpenID
/// Connect reference", example subject claims): its environment's when it has one, else the
/// event's (`pull_request`), else the branch's (the dispatch jobs run on main only).
fn job_context(job: &Value, environment: &Option<String>) -> String {
    match environment {
        Some(environment) => format!("environment:{environment}"),
        None if job["if"].as_str().unwrap_or("").contains("'pull_request'") => {
            "pull_request".to_owned()
        }
        None => "ref:refs/heads/main".to_owned(),
    }
}

#[test]
fn no_pull_request_reaches_the_state_without_a_reviewer() {
    for (name, tree) in cases() {
        let roles = github_roles(name, tree);
        for role in &roles {
            assert!(
                !role
                    .contexts
                    .iter()
                    .any(|context| context == "pull_request"),
                "{name}: {} trusts any pull request: whoever can push a branch reads what the \
                 role reads (the plan role: the state's passwords)",
                role.unit
            );
        }
        let plan_role = roles
            .iter()
            .find(|role| role.name_suffix == "-github-plan")
            .unwrap_or_else(|| panic!("{name}: no plan role"));
        assert_eq!(
            plan_role.contexts,
            ["environment:plan", "ref:refs/heads/main"],
            "{name}: {}",
            plan_role.unit
        );
        let path = ".github/workflows/infrastructure.yml";
        let workflow = yaml(name, path, file(tree, name, path));
        assert_eq!(
            workflow["jobs"]["plan"]["environment"],
            json!("plan"),
            "{name}: {path}: the pull request plan runs outside the environment `plan`"
        );
        let jobs = role_jobs(&workflow);
        assert!(jobs.len() >= 3, "{name}: {path}: {} jobs", jobs.len());
        for (job_name, environment, role_name, job) in jobs {
            let role = roles
                .iter()
                .find(|role| role_name.ends_with(&role.name_suffix))
                .unwrap_or_else(|| panic!("{name}: job {job_name} assumes `{role_name}`"));
            let context = job_context(&job, &environment);
            assert!(
                role.contexts.contains(&context),
                "{name}: {path}: job {job_name} ({context}) cannot assume {role_name}, which \
                 trusts {:?}",
                role.contexts
            );
            // Where each job runs (inside the VPC) is tested in ci_runners.
        }
        let readme = file(tree, name, "README.md");
        for needed in [
            "`plan` and `infrastructure`",
            "authorise the GitHub connection",
        ] {
            assert!(readme.contains(needed), "{name}: README.md lacks {needed}");
        }
    }
}

/// With spot capacity, the first apply creates the EC2 Spot service-linked role once: the
/// Karpenter controller's policy (terraform-aws-eks v21.19.0 `modules/karpenter`) has no
/// `iam:CreateServiceLinkedRole`, and without the role every spot launch fails
/// (`ServiceLinkedRoleCreationNotPermitted`, Karpenter's troubleshooting page). On-demand only
/// needs no such step.
#[test]
fn spot_capacity_gets_the_spot_service_linked_role_in_the_first_apply() {
    const STEP: &str = "aws iam create-service-linked-role --aws-service-name spot.amazonaws.com";
    for (name, tree) in cases() {
        let spot = tree.iter().any(|(path, text)| {
            path.starts_with("terraform/environments/")
                && path.ends_with("/env.hcl")
                && text.contains("karpenter_capacity_types = [\"spot\"")
        });
        let readme = file(tree, name, "README.md");
        let first_apply = &readme[readme.find("### First apply").unwrap()..];
        let first_apply = &first_apply[..first_apply[1..].find("\n### ").unwrap()];
        if spot {
            let step = first_apply
                .find(STEP)
                .unwrap_or_else(|| panic!("{name}: spot without `{STEP}`"));
            // Before the environments (and so Karpenter) are applied.
            assert!(
                step < first_apply.find("**Apply the environments**").unwrap(),
                "{name}"
            );
        } else {
            assert!(!readme.contains(STEP), "{name}");
        }
    }
    assert!(
        cases()
            .iter()
            .any(|(_, tree)| tree["README.md"].contains(STEP)),
        "no case with spot"
    );
}
