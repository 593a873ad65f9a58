//! CRDs on upgrade (issue 18): Helm installs a chart's `crds/` folder on the first install only
//! and never upgrades it, so a chart bump whose CRDs changed would leave the old ones. Every
//! `helm_release` of a remote chart in the generated tree of every example carries a decision
//! from `DECISIONS` and its rendered attributes follow it; a chart added without a decision
//! fails here, naming it. The facts behind each decision are in each entry's comment (charts at
//! the tags of `_versions.yml` `charts:`).

use crate::common::{self, hcl_attribute, hcl_value};
use hcl::Body;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// How a chart's CRDs move on upgrade.
#[derive(Debug)]
enum Crds {
    /// The chart has its CRDs in templates behind this switch (on), so every upgrade upgrades
    /// them; `keep` is the switch that annotates them `helm.sh/resource-policy: keep`, on by
    /// default, which the values must not turn off.
    Templated {
        switch: &'static str,
        keep: &'static str,
    },
    /// The CRDs come from the release of `chart` (a `CrdChart`) in the same module: this release
    /// skips its own (`skip_crds`, and these values off) and depends on that one.
    FromRelease {
        chart: &'static str,
        off: &'static [&'static str],
    },
    /// A chart of CRDs only, as templates: it adopts the CRDs an older release installed from a
    /// `crds/` folder (`take_ownership`) and annotates them to be kept through the value at
    /// `annotations`, so that destroying it never deletes the custom resources.
    CrdChart { annotations: &'static str },
    /// The CRDs are not used: `skip_crds` and the switch of what reads them off.
    Unused { off: &'static [&'static str] },
    /// The chart ships no CRD.
    Absent,
    /// CRDs in `crds/` and no CRD chart upstream: the operator applies them on a bump, as the
    /// chart's README says; the comment of the release gives the command.
    Manual,
}

/// Each remote chart the generated repository installs, by chart name.
const DECISIONS: &[(&str, Crds)] = &[
    // cert-manager v1.21.1: templates/crd-*.yaml behind crds.enabled, keep annotation behind
    // crds.keep (default true).
    (
        "cert-manager",
        Crds::Templated {
            switch: "/crds/enabled",
            keep: "/crds/keep",
        },
    ),
    // karpenter 1.14.1: crds/ in the controller chart; the karpenter-crd chart of the same
    // release has them as templates (upgrade guide, "CRD Upgrades").
    (
        "karpenter",
        Crds::FromRelease {
            chart: "karpenter-crd",
            off: &[],
        },
    ),
    // karpenter-crd 1.14.1: values.yaml `additionalAnnotations` on every CRD.
    (
        "karpenter-crd",
        Crds::CrdChart {
            annotations: "/additionalAnnotations",
        },
    ),
    // kube-prometheus-stack 88.5.3: CRDs in the crds/ of its `crds` subchart (condition
    // crds.enabled); prometheus-operator-crds has the same ones as templates.
    (
        "kube-prometheus-stack",
        Crds::FromRelease {
            chart: "prometheus-operator-crds",
            off: &["/crds/enabled"],
        },
    ),
    // prometheus-operator-crds 31.0.1: values.yaml `crds.annotations` on every CRD; its README:
    // uninstalling deletes the CRDs and every Prometheus, ServiceMonitor...
    (
        "prometheus-operator-crds",
        Crds::CrdChart {
            annotations: "/crds/annotations",
        },
    ),
    // traefik 41.3.0: only the kubernetesCRD provider (and the hub, off by default) reads
    // traefik.io resources (_podtemplate.tpl, rbac/clusterrole.yaml); routing is Ingress only.
    (
        "traefik",
        Crds::Unused {
            off: &["/providers/kubernetesCRD/enabled"],
        },
    ),
    // metrics-server 3.13.1: no crds/ and no CustomResourceDefinition in templates.
    ("metrics-server", Crds::Absent),
    // vertical-pod-autoscaler 0.11.0: crds/vpa-v1-crd-gen.yaml; README "Custom Resource
    // Definitions": kubectl apply --server-side from the upstream repository at appVersion.
    ("vertical-pod-autoscaler", Crds::Manual),
];

/// The appVersion (Prometheus Operator version) of each pinned chart whose CRDs must match
/// kube-prometheus-stack's, from each chart's Chart.yaml at its tag: a bump of one without the
/// other fails here until both are read and recorded.
const OPERATOR_VERSIONS: &[(&str, &str, &str)] = &[
    ("kube-prometheus-stack", "88.5.3", "v0.93.1"),
    ("prometheus-operator-crds", "31.0.1", "v0.93.1"),
];

#[derive(Debug)]
struct Release {
    file: String,
    name: String,
    chart: String,
    version: Value,
    skip_crds: bool,
    take_ownership: bool,
    values: Value,
    depends_on: BTreeSet<String>,
}

fn helm_releases(tree: &BTreeMap<String, String>) -> Vec<Release> {
    let mut releases = Vec::new();
    for (path, text) in tree {
        if !(path.starts_with("terraform/") && path.ends_with(".tf")) {
            continue;
        }
        let body: Body = common::hcl_body("tree", path, text);
        for block in body.blocks() {
            let labels: Vec<&str> = block.labels.iter().map(|label| label.as_str()).collect();
            if block.identifier.as_str() != "resource" || labels.first() != Some(&"helm_release") {
                continue;
            }
            let attribute = |name: &str| hcl_attribute(&block.body, name).map(hcl_value);
            let flag = |name: &str| attribute(name) == Some(Value::Bool(true));
            // Local charts (`${path.module}/chart`) are ours: none has a crds/ folder (asserted
            // below), so only remote ones need a decision.
            if attribute("repository").is_none() {
                continue;
            }
            let values = match attribute("values") {
                Some(Value::Array(items)) => {
                    assert!(items.len() <= 1, "{path}: {labels:?} has several values");
                    items.into_iter().next().unwrap_or(Value::Null)
                }
                None => Value::Null,
                Some(other) => panic!("{path}: {labels:?} values is {other}"),
            };
            let depends_on = match attribute("depends_on") {
                Some(Value::Array(items)) => items
                    .into_iter()
                    .map(|item| item.as_str().unwrap().to_owned())
                    .collect(),
                _ => BTreeSet::new(),
            };
            releases.push(Release {
                file: path.clone(),
                name: labels[1].to_owned(),
                chart: attribute("chart").unwrap().as_str().unwrap().to_owned(),
                version: attribute("version").unwrap_or(Value::Null),
                skip_crds: flag("skip_crds"),
                take_ownership: flag("take_ownership"),
                values,
                depends_on,
            });
        }
    }
    releases
}

fn decision(chart: &str) -> &'static Crds {
    DECISIONS
        .iter()
        .find(|(name, _)| *name == chart)
        .map(|(_, crds)| crds)
        .unwrap_or_else(|| {
            panic!(
                "chart `{chart}` has no CRD decision: read its crds/ and templates at the pinned \
                 version and add it to DECISIONS in tests/it/chart_crds.rs"
            )
        })
}

/// Every rule a release's decision makes, as a list of broken rules.
fn broken(release: &Release, all: &[Release]) -> Vec<String> {
    let mut broken = Vec::new();
    let value = |pointer: &str| release.values.pointer(pointer).cloned();
    match decision(&release.chart) {
        Crds::Templated { switch, keep } => {
            if value(switch) != Some(Value::Bool(true)) {
                broken.push(format!("{switch} is not true"));
            }
            if value(keep) == Some(Value::Bool(false)) {
                broken.push(format!("{keep} is false"));
            }
        }
        Crds::FromRelease { chart, off } => {
            if !release.skip_crds {
                broken.push("skip_crds is not true".into());
            }
            for pointer in *off {
                if value(pointer) != Some(Value::Bool(false)) {
                    broken.push(format!("{pointer} is not false"));
                }
            }
            let sources: Vec<&Release> = all
                .iter()
                .filter(|other| other.file == release.file && other.chart == *chart)
                .collect();
            match sources.as_slice() {
                [source] => {
                    let reference = format!("helm_release.{}", source.name);
                    if !release.depends_on.contains(&reference) {
                        broken.push(format!("does not depend on {reference}"));
                    }
                }
                _ => broken.push(format!(
                    "{} releases of `{chart}` in {}",
                    sources.len(),
                    release.file
                )),
            }
        }
        Crds::CrdChart { annotations } => {
            if !release.take_ownership {
                broken.push("take_ownership is not true".into());
            }
            let keep = value(annotations)
                .and_then(|annotations| annotations.get("helm.sh/resource-policy").cloned());
            if keep != Some(Value::String("keep".into())) {
                broken.push(format!(
                    "{annotations} does not hold helm.sh/resource-policy: keep"
                ));
            }
        }
        Crds::Unused { off } => {
            if !release.skip_crds {
                broken.push("skip_crds is not true".into());
            }
            for pointer in *off {
                if value(pointer) != Some(Value::Bool(false)) {
                    broken.push(format!("{pointer} is not false"));
                }
            }
        }
        Crds::Absent | Crds::Manual => {}
    }
    broken
}

#[test]
fn every_remote_chart_upgrades_its_crds_or_does_without() {
    let mut seen = BTreeSet::new();
    for (example, answers) in common::examples() {
        let tree = common::render(&answers);
        let releases = helm_releases(&tree);
        assert!(!releases.is_empty(), "{example}: no helm_release");
        for release in &releases {
            seen.insert(release.chart.clone());
            let broken = broken(release, &releases);
            assert!(
                broken.is_empty(),
                "{example}: {} helm_release.{} (chart {}): {}",
                release.file,
                release.name,
                release.chart,
                broken.join("; ")
            );
        }
        // The CRD chart of the controller is of the same release (upstream publishes both at
        // one version), so the two move together.
        let version_of = |chart: &str| {
            releases
                .iter()
                .find(|release| release.chart == chart)
                .map(|release| release.version.clone())
        };
        assert_eq!(
            version_of("karpenter"),
            version_of("karpenter-crd"),
            "{example}"
        );
        for (chart, version, _) in OPERATOR_VERSIONS {
            assert_eq!(
                version_of(chart),
                Some(Value::String((*version).into())),
                "{example}: `{chart}` is not at the version whose appVersion OPERATOR_VERSIONS \
                 records; read its Chart.yaml at the new tag and record it"
            );
        }
        let local_crds: Vec<&String> = tree
            .keys()
            .filter(|path| path.starts_with("terraform/") && path.contains("/chart/crds/"))
            .collect();
        assert!(local_crds.is_empty(), "{example}: {local_crds:?}");
    }
    // No decision is left for a chart no longer installed (the test would check nothing).
    let decided: BTreeSet<String> = DECISIONS.iter().map(|(name, _)| (*name).into()).collect();
    assert_eq!(decided, seen);
    let operator: BTreeSet<&str> = OPERATOR_VERSIONS.iter().map(|(_, _, app)| *app).collect();
    assert_eq!(operator.len(), 1, "{OPERATOR_VERSIONS:?}");
}

/// A release without its decision's rule is caught: each rule dropped from a rendered tree fails.
#[test]
fn a_release_without_its_crd_rule_is_caught() {
    let tree = common::render(&common::read_checkout("examples/full.yml"));
    let addons = "terraform/modules/kubernetes-addons/main.tf";
    let karpenter = "terraform/modules/karpenter/main.tf";
    for (file, from, to, expected) in [
        (
            karpenter,
            "  take_ownership = true\n",
            "",
            "take_ownership is not true",
        ),
        (
            karpenter,
            "  skip_crds = true\n",
            "",
            "skip_crds is not true",
        ),
        (
            karpenter,
            "depends_on = [module.karpenter, helm_release.karpenter_crd]",
            "depends_on = [module.karpenter]",
            "does not depend on helm_release.karpenter_crd",
        ),
        (
            karpenter,
            "\"helm.sh/resource-policy\" = \"keep\"",
            "\"example.com/x\" = \"keep\"",
            "/additionalAnnotations does not hold",
        ),
        (
            addons,
            "      kubernetesCRD = {\n        enabled = false\n",
            "      kubernetesCRD = {\n        enabled = true\n",
            "/providers/kubernetesCRD/enabled is not false",
        ),
        (
            addons,
            "    crds = {\n      enabled = false\n",
            "    crds = {\n      enabled = true\n",
            "/crds/enabled is not false",
        ),
        (
            addons,
            "    crds = {\n      enabled = true\n",
            "    crds = {\n      enabled = false\n",
            "/crds/enabled is not true",
        ),
    ] {
        let mut edited = tree.clone();
        let text = edited.get_mut(file).unwrap();
        assert!(text.contains(from), "{file} has no `{from}`");
        *text = text.replacen(from, to, 1);
        let releases = helm_releases(&edited);
        let problems: Vec<String> = releases
            .iter()
            .flat_map(|release| broken(release, &releases))
            .collect();
        assert!(
            problems.iter().any(|problem| problem.contains(expected)),
            "{file}: `{from}` -> `{to}` gave {problems:?}"
        );
    }
}

#[test]
#[should_panic(expected = "chart `ingress-nginx` has no CRD decision")]
fn a_chart_without_a_decision_is_refused() {
    decision("ingress-nginx");
}
