//! Issue 16: nodes scale in every environment. Over the option matrix (every example with
//! `spot_instances` true and false), each environment renders a Karpenter unit whose NodePool
//! offers spot and on-demand capacity with spot, on-demand only without; the managed node group
//! holds the system pods only (tainted, and Karpenter's controller tolerates and selects it);
//! and the unit whose Helm releases wait for pods on Karpenter's nodes depends on Karpenter. The
//! upstream facts the checks rely on are constants here, each naming its source.

use crate::common::{
    self, Tree, hcl_attribute as attribute, hcl_block as block, hcl_body, hcl_value as to_json,
};
use hcl::{Expression, ObjectKey};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The karpenter chart's default `tolerations` (aws/karpenter-provider-aws v1.14.1,
/// charts/karpenter/values.yaml): `- key: CriticalAddonsOnly, operator: Exists`.
const CHART_TOLERATION_KEY: &str = "CriticalAddonsOnly";
/// The same file's default `affinity.podAntiAffinity`: required, on `kubernetes.io/hostname`, so
/// each replica needs a node of its own.
const CHART_ANTI_AFFINITY_TOPOLOGY: &str = "kubernetes.io/hostname";

/// (case name, spot_instances, rendered tree): every example with each setting of the option.
fn cases() -> &'static [(String, bool, Tree)] {
    static CASES: OnceLock<Vec<(String, bool, Tree)>> = OnceLock::new();
    CASES.get_or_init(|| {
        let mut cases = Vec::new();
        for (name, text) in common::examples() {
            let bare = text
                .replace("spot_instances: false", "")
                .replace("spot_instances: true", "");
            for spot in [true, false] {
                let answers = format!("{bare}\nspot_instances: {spot}\n");
                cases.push((
                    format!("{name} (spot_instances: {spot})"),
                    spot,
                    common::render(&answers),
                ));
            }
        }
        cases
    })
}

fn file<'a>(tree: &'a Tree, name: &str, path: &str) -> &'a str {
    tree.get(path)
        .unwrap_or_else(|| panic!("{name}: no `{path}`"))
        .as_str()
}

/// Each environment's `locals` of env.hcl, by environment folder.
fn environments(name: &str, tree: &Tree) -> BTreeMap<String, Map<String, Value>> {
    let mut found = BTreeMap::new();
    for (path, text) in tree {
        let Some(rest) = path.strip_prefix("terraform/environments/") else {
            continue;
        };
        let Some(environment) = rest.strip_suffix("/env.hcl") else {
            continue;
        };
        let body = hcl_body(name, path, text);
        let locals = block(&body, "locals", &[]).unwrap();
        let values = locals
            .attributes()
            .map(|attribute| (attribute.key.as_str().to_owned(), to_json(&attribute.expr)))
            .collect();
        found.insert(environment.to_owned(), values);
    }
    assert!(!found.is_empty(), "{name}: no environment");
    found
}

/// The `inputs` of a common unit body, as source text or literals.
fn inputs(name: &str, tree: &Tree, unit: &str) -> Map<String, Value> {
    let path = format!("terraform/_envcommon/{unit}.hcl");
    let body = hcl_body(name, &path, file(tree, name, &path));
    to_json(attribute(&body, "inputs").unwrap_or_else(|| panic!("{name}: {path} has no inputs")))
        .as_object()
        .unwrap()
        .clone()
}

/// The first element of a `helm_release`'s `values`, decoded.
fn release_values(name: &str, tree: &Tree, path: &str, release: &str) -> Value {
    let body = hcl_body(name, path, file(tree, name, path));
    let release = block(&body, "resource", &["helm_release", release])
        .unwrap_or_else(|| panic!("{name}: {path} has no helm_release.{release}"));
    to_json(attribute(release, "values").expect("values"))[0].clone()
}

/// What Helm makes of the NodePool template for `values`: the few Go template actions it uses
/// (`{{ .Values.x }}`, `{{- range .Values.x }}` ... `{{ . }}` ... `{{- end }}`), with Go's
/// whitespace trimming by `{{-`.
fn helm_render(template: &str, values: &Value) -> String {
    fn trim_left(out: &mut String) {
        while out.ends_with(|c: char| c.is_whitespace()) {
            out.pop();
        }
    }
    fn expand(text: &str, values: &Value, dot: Option<&str>, out: &mut String) {
        let mut rest = text;
        while let Some(start) = rest.find("{{") {
            out.push_str(&rest[..start]);
            let end = start + rest[start..].find("}}").expect("closed action");
            let mut action = &rest[start + 2..end];
            if let Some(trimmed) = action.strip_prefix('-') {
                trim_left(out);
                action = trimmed;
            }
            let action = action.trim();
            rest = &rest[end + 2..];
            if let Some(list) = action.strip_prefix("range .Values.") {
                let close = rest.find("{{- end }}").expect("range ends");
                let body = &rest[..close];
                for item in values[list.trim()].as_array().expect("a list value") {
                    expand(body, values, Some(item.as_str().unwrap()), out);
                }
                trim_left(out);
                rest = &rest[close + "{{- end }}".len()..];
            } else if action == "." {
                out.push_str(dot.expect("`.` inside a range"));
            } else if let Some(value) = action.strip_prefix(".Values.") {
                match &values[value] {
                    Value::String(text) => out.push_str(text),
                    other => out.push_str(&other.to_string()),
                }
            } else if action.starts_with("/*") {
            } else {
                panic!("action `{action}` is not one this test renders");
            }
        }
        out.push_str(rest);
    }
    let mut out = String::new();
    expand(template, values, None, &mut out);
    out
}

fn requirement<'a>(pool: &'a Value, label: &str) -> &'a Value {
    pool["spec"]["template"]["spec"]["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|requirement| requirement["key"] == label)
        .unwrap_or_else(|| panic!("no requirement on {label}: {pool}"))
}

#[test]
fn every_environment_has_a_karpenter_unit_whose_capacity_types_follow_spot_instances() {
    for (name, spot, tree) in cases() {
        let expected = if *spot {
            json!(["spot", "on-demand"])
        } else {
            json!(["on-demand"])
        };
        // env.hcl -> the common unit body -> the module -> the NodePool chart's values.
        let inputs = inputs(name, tree, "karpenter");
        for (input, setting) in [
            ("capacity_types", "karpenter_capacity_types"),
            ("instance_sizes", "karpenter_instance_sizes"),
            ("cpu_limit", "karpenter_cpu_limit"),
            ("disruption_budget", "karpenter_disruption_budget"),
            ("replicas", "karpenter_replicas"),
            (
                "min_instance_memory_mib",
                "karpenter_min_instance_memory_mib",
            ),
        ] {
            assert_eq!(
                inputs[input],
                json!(format!("local.env.{setting}")),
                "{name}: _envcommon/karpenter.hcl input {input}"
            );
        }
        let main = "terraform/modules/karpenter/main.tf";
        let chart_values = release_values(name, tree, main, "nodepools");
        assert_eq!(chart_values["capacityTypes"], json!("var.capacity_types"));
        assert_eq!(chart_values["instanceSizes"], json!("var.instance_sizes"));
        assert_eq!(
            chart_values["instanceMemoryGt"],
            json!("tostring(var.min_instance_memory_mib - 1)")
        );
        let template = file(
            tree,
            name,
            "terraform/modules/karpenter/chart/templates/nodepool.yaml",
        );
        for (environment, settings) in environments(name, tree) {
            let unit = format!("terraform/environments/{environment}/karpenter/terragrunt.hcl");
            let text = file(tree, name, &unit);
            assert!(
                text.contains("_envcommon/karpenter.hcl"),
                "{name}: {unit} does not include the common body"
            );
            assert_eq!(
                settings["karpenter_capacity_types"], expected,
                "{name}: {environment}/env.hcl"
            );
            let production = settings["is_production"].as_bool().unwrap();
            // What Helm renders from this environment's settings is a NodePool offering exactly
            // these capacity types, of these sizes, within the limit and budget.
            let values = json!({
                "clusterName": "example",
                "nodeRoleName": "example-karpenter-node",
                "cpuLimit": settings["karpenter_cpu_limit"].to_string(),
                "capacityTypes": settings["karpenter_capacity_types"],
                "instanceSizes": settings["karpenter_instance_sizes"],
                "disruptionBudget": settings["karpenter_disruption_budget"],
                "instanceMemoryGt": (settings["karpenter_min_instance_memory_mib"].as_u64().unwrap() - 1).to_string(),
            });
            let rendered = helm_render(template, &values);
            let pool: Value = serde_saphyr::from_str(&rendered).unwrap_or_else(|error| {
                panic!("{name}: the NodePool renders to no YAML: {error}\n{rendered}")
            });
            assert_eq!(pool["apiVersion"], "karpenter.sh/v1");
            let capacity = requirement(&pool, "karpenter.sh/capacity-type");
            assert_eq!(capacity["operator"], "In");
            assert_eq!(
                capacity["values"], expected,
                "{name}: {environment}\n{rendered}"
            );
            let sizes = requirement(&pool, "karpenter.k8s.aws/instance-size");
            assert_eq!(sizes["values"], settings["karpenter_instance_sizes"]);
            // No node smaller than the pods were sized for (a c family node has half the
            // memory of an m of its size): the label is in MiB, Gt strict.
            let memory = requirement(&pool, "karpenter.k8s.aws/instance-memory");
            assert_eq!(memory["operator"], "Gt");
            assert_eq!(
                memory["values"],
                json!([(settings["karpenter_min_instance_memory_mib"]
                    .as_u64()
                    .unwrap()
                    - 1)
                .to_string()]),
                "{name}: {environment}"
            );
            assert_eq!(pool["spec"]["limits"]["cpu"], json!("64"));
            // Consolidation replaces one production node at a time.
            let budgets = pool["spec"]["disruption"]["budgets"].as_array().unwrap();
            assert_eq!(budgets.len(), 1);
            if production {
                assert_eq!(budgets[0]["nodes"], "1", "{name}: {environment}");
            }
        }
    }
}

#[test]
fn the_instance_size_follows_the_answer_and_never_goes_below_large() {
    for (answer, sizes) in [
        ("t3.large", json!(["large"])),
        ("m7i.xlarge", json!(["xlarge"])),
        ("t3.2xlarge", json!(["2xlarge"])),
        ("t3.medium", json!(["large"])),
    ] {
        let tree = common::render(&format!(
            "platform_name: lakeside\nroot_domain: lakeside-college.org\naws_region: us-west-2\naws_account_id: \"210987654321\"\nenvironments:\n  - name: prod\n    eks_instance_type: {answer}\n"
        ));
        let settings = &environments(answer, &tree)["prod"];
        assert_eq!(settings["karpenter_instance_sizes"], sizes, "{answer}");
        // The pods are sized for the answer's memory, so no node may have less: t3.medium's 4 GiB
        // admits c*.large, the others' 8 GiB or more do not.
        let memory = openedx_devops::answers::aws::ec2_capacity(answer)
            .unwrap()
            .memory_mib;
        assert_eq!(
            settings["karpenter_min_instance_memory_mib"],
            json!(memory),
            "{answer}"
        );
    }
}

#[test]
fn the_system_nodes_are_tainted_and_only_system_pods_tolerate_them() {
    for (name, _, tree) in cases() {
        let main = "terraform/modules/eks/main.tf";
        let body = hcl_body(name, main, file(tree, name, main));
        let eks = to_json(&Expression::Object(
            block(&body, "module", &["eks"])
                .unwrap()
                .attributes()
                .map(|attribute| {
                    (
                        ObjectKey::Identifier(attribute.key.clone()),
                        attribute.expr.clone(),
                    )
                })
                .collect(),
        ));
        let groups = eks["eks_managed_node_groups"].as_object().unwrap();
        assert_eq!(groups.len(), 1, "{name}: one managed node group");
        let group = groups.values().next().unwrap();
        assert_eq!(group["capacity_type"], "ON_DEMAND");
        assert_eq!(group["instance_types"], json!(["var.instance_type"]));
        let taints: Vec<&Value> = group["taints"].as_object().unwrap().values().collect();
        assert_eq!(
            taints,
            [&json!({"key": CHART_TOLERATION_KEY, "value": "true", "effect": "NO_SCHEDULE"})],
            "{name}"
        );
        assert_eq!(group["labels"]["karpenter.sh/controller"], "true");

        // CoreDNS tolerates it explicitly; the other add-ons by their upstream defaults.
        let coredns = &eks["addons"]["coredns"]["configuration_values"]["tolerations"];
        assert!(
            coredns
                .as_array()
                .unwrap()
                .iter()
                .any(|toleration| toleration["key"] == CHART_TOLERATION_KEY
                    && toleration["operator"] == "Exists"),
            "{name}: CoreDNS does not tolerate the system nodes: {coredns}"
        );

        // Karpenter's controller selects the label and keeps the chart's default tolerations.
        let controller = release_values(
            name,
            tree,
            "terraform/modules/karpenter/main.tf",
            "karpenter",
        );
        assert_eq!(
            controller["nodeSelector"]["karpenter.sh/controller"], "true",
            "{name}"
        );
        assert!(
            controller.get("tolerations").is_none(),
            "{name}: the chart's tolerations ({CHART_TOLERATION_KEY}) are replaced"
        );
        assert!(
            controller.get("affinity").is_none(),
            "{name}: the chart's affinity ({CHART_ANTI_AFFINITY_TOPOLOGY}) is replaced"
        );
        assert_eq!(controller["replicas"], "var.replicas");

        // One replica per node (the chart's anti-affinity): enough system nodes for them.
        for (environment, settings) in environments(name, tree) {
            let replicas = settings["karpenter_replicas"].as_u64().unwrap();
            let nodes = settings["eks_node_min_size"].as_u64().unwrap();
            assert!(
                replicas <= nodes,
                "{name}: {environment} runs {replicas} Karpenter replicas on {nodes} system nodes"
            );
            let production = settings["is_production"].as_bool().unwrap();
            assert_eq!(
                replicas,
                if production { 2 } else { 1 },
                "{name}: {environment}"
            );
            assert_eq!(
                settings["eks_system_instance_type"], "t3.medium",
                "{name}: {environment}"
            );
        }
        let eks_inputs = inputs(name, tree, "eks");
        assert_eq!(
            eks_inputs["instance_type"],
            json!("local.env.eks_system_instance_type")
        );

        // The cluster services do not tolerate the taint: they run on Karpenter's nodes.
        let addons = "terraform/modules/kubernetes-addons/main.tf";
        assert!(
            !file(tree, name, addons).contains(CHART_TOLERATION_KEY),
            "{name}: {addons} tolerates the system nodes; then the README and the idle cost are wrong"
        );
    }
}

#[test]
fn the_addons_unit_depends_on_karpenter() {
    for (name, _, tree) in cases() {
        let path = "terraform/_envcommon/kubernetes-addons.hcl";
        let body = hcl_body(name, path, file(tree, name, path));
        let paths = block(&body, "dependencies", &[])
            .and_then(|dependencies| attribute(dependencies, "paths"))
            .map(to_json)
            .unwrap_or_else(|| panic!("{name}: {path} has no dependencies block"));
        assert!(
            paths.as_array().unwrap().iter().any(|path| path
                .as_str()
                .unwrap()
                .ends_with("/../karpenter\"")
                || path.as_str().unwrap().ends_with("/../karpenter")),
            "{name}: {paths}"
        );
        // Every environment has the unit it names, and its releases wait for their pods.
        for environment in environments(name, tree).keys() {
            assert!(tree.contains_key(&format!(
                "terraform/environments/{environment}/karpenter/terragrunt.hcl"
            )));
        }
        let addons = file(tree, name, "terraform/modules/kubernetes-addons/main.tf");
        assert!(
            !addons.contains("wait = false") && !addons.contains("wait             = false"),
            "{name}: a release no longer waits; the dependency may be revisited"
        );
    }
}

/// The dependency is in the graph Terragrunt orders by: `openedx-devops graph` of a generated
/// repository has the edge karpenter -> kubernetes-addons in every environment.
#[test]
fn the_graph_orders_karpenter_before_the_addons() {
    for example in ["full", "seed-like"] {
        let repo = common::Repo::new()
            .answers(common::example(example))
            .generate();
        let text = common::stdout(
            &common::bin()
                .arg("graph")
                .arg(repo.path())
                .assert()
                .success(),
        );
        let tree = common::render(&fs_err::read_to_string(common::example(example)).unwrap());
        for environment in environments(example, &tree).keys() {
            let id = environment.replace('-', "_");
            let edge = format!(
                "terraform_environments_{id}_karpenter --> terraform_environments_{id}_kubernetes_addons"
            );
            assert!(text.contains(&edge), "{example}: no `{edge}` in\n{text}");
        }
    }
}
