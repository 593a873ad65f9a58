//! The Open edX app tier stays up and scales (issue 16): every environment's Tutor configuration
//! enables the pod-autoscaling plugin with an entry per service, production runs two or more LMS
//! and Studio pods (behind the devops plugin's PodDisruptionBudgets), the others one of each with
//! room to grow, every request fits the node type, and the answers `lms_min_pods` and
//! `lms_max_pods` decide the defaults. `.ci/check-pipeline.sh` proves the same on the manifests
//! the real Tutor renders.

use crate::common::{self, Repo, Tree};
use openedx_devops::answers::{Answers, aws, load, scaling};
use serde_json::Value;

const MINIMAL: &str = "platform_name: yourschool\nroot_domain: yourschool.edu\naws_region: us-east-1\naws_account_id: \"123456789012\"\n";

const SERVICES: [&str; 6] = ["lms", "cms", "lms-worker", "cms-worker", "mfe", "caddy"];

fn answers(text: &str) -> Answers {
    load::settle(load::parse(text).unwrap(), &[]).unwrap()
}

fn config(tree: &Tree, environment: &str) -> Value {
    let path = format!("ci/tutor-deploy/environments/{environment}/config.yml");
    let text = tree.get(&path).unwrap_or_else(|| panic!("no {path}"));
    serde_saphyr::from_str(text).unwrap()
}

/// `0.45` cores or `1536Mi` as millicores or MiB.
fn milli(value: &Value) -> u32 {
    let cores = value
        .as_f64()
        .or_else(|| value.as_str().and_then(|text| text.parse().ok()))
        .unwrap_or_else(|| panic!("{value} is not a number of cores"));
    (cores * 1000.0).round() as u32
}

fn mib(value: &Value) -> u32 {
    value
        .as_str()
        .and_then(|text| text.strip_suffix("Mi"))
        .and_then(|number| number.parse().ok())
        .unwrap_or_else(|| panic!("{value} is not in Mi"))
}

/// Every service's entry of an environment, checked for the keys the plugin's templates read
/// (it subscripts them: a missing one fails the render).
fn services(config: &Value, environment: &str) -> serde_json::Map<String, Value> {
    let services = config["POD_AUTOSCALING_EXTRA_SERVICES"]
        .as_object()
        .unwrap_or_else(|| panic!("{environment}: no POD_AUTOSCALING_EXTRA_SERVICES"))
        .clone();
    for name in SERVICES {
        let entry = &services
            .get(name)
            .unwrap_or_else(|| panic!("{environment}: no entry for {name}"));
        for key in [
            "enable_hpa",
            "min_replicas",
            "max_replicas",
            "avg_cpu",
            "avg_memory",
            "cpu_request",
            "cpu_limit",
            "memory_request",
            "memory_limit",
            "enable_vpa",
        ] {
            assert!(
                !entry[key].is_null(),
                "{environment}: {name} has no {key}: {entry}"
            );
        }
        assert_eq!(
            entry["enable_hpa"],
            Value::Bool(true),
            "{environment}: {name}"
        );
    }
    services
}

fn replicas(services: &serde_json::Map<String, Value>, name: &str) -> (u64, u64) {
    let entry = &services[name];
    (
        entry["min_replicas"].as_u64().unwrap(),
        entry["max_replicas"].as_u64().unwrap(),
    )
}

#[test]
fn every_example_runs_two_lms_and_studio_pods_in_production_and_one_elsewhere() {
    for (name, text) in common::examples() {
        let tree = common::render(&text);
        let answers = answers(&text);
        assert!(
            tree["ci/tutor-requirements.txt"].contains("\ntutor-contrib-pod-autoscaling==22.1.0\n"),
            "{name}: the plugin is not pinned"
        );
        for environment in &answers.environments {
            let context = format!("{name}/{}", environment.name);
            let config = config(&tree, &environment.name);
            let plugins: Vec<&str> = config["PLUGINS"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(Value::as_str)
                .collect();
            assert!(
                plugins.contains(&"pod-autoscaling"),
                "{context}: {plugins:?}"
            );
            let services = services(&config, &context);
            for service in SERVICES {
                let (min, max) = replicas(&services, service);
                assert!(max > min || max >= 2, "{context}: {service} cannot scale");
                if environment.production {
                    if ["lms", "cms", "mfe", "caddy"].contains(&service) {
                        assert!(min >= 2, "{context}: {service} runs {min} pod(s)");
                    }
                } else {
                    assert_eq!(min, 1, "{context}: {service}");
                }
            }
        }
        let build = &tree["ci/tutor-build/config.yml"];
        assert!(
            build.contains("  - pod-autoscaling\n"),
            "{name}: build PLUGINS"
        );
    }
}

#[test]
fn every_request_fits_what_a_node_of_the_environment_can_allocate() {
    let mut seen = Vec::new();
    for (name, text) in common::examples() {
        let tree = common::render(&text);
        for environment in &answers(&text).environments {
            let context = format!("{name}/{}", environment.name);
            let capacity = aws::ec2_capacity(&environment.eks_instance_type).unwrap();
            let node = scaling::allocatable(capacity);
            assert!(node.cpu_milli < capacity.vcpus * 1000);
            let config = config(&tree, &environment.name);
            let services = services(&config, &context);
            let (mut cpu, mut memory) = (0, 0);
            for (service, entry) in &services {
                let (request_cpu, request_memory) =
                    (milli(&entry["cpu_request"]), mib(&entry["memory_request"]));
                assert!(
                    request_cpu <= node.cpu_milli && request_memory <= node.memory_mib,
                    "{context}: {service} requests {request_cpu}m/{request_memory}Mi, a {} node allocates {node:?}",
                    environment.eks_instance_type
                );
                assert!(
                    milli(&entry["cpu_limit"]) >= request_cpu,
                    "{context}: {service}"
                );
                assert!(
                    mib(&entry["memory_limit"]) >= request_memory,
                    "{context}: {service}"
                );
                assert!(
                    mib(&entry["memory_limit"]) <= node.memory_mib,
                    "{context}: {service}"
                );
                cpu += request_cpu;
                memory += request_memory;
            }
            // One pod of every service fits on two nodes: the smallest cluster can start.
            assert!(
                cpu <= 2 * node.cpu_milli && memory <= 2 * node.memory_mib,
                "{context}: one pod each needs {cpu}m/{memory}Mi"
            );
            seen.push((
                context,
                environment.eks_instance_type.clone(),
                services["lms"]["cpu_request"].clone(),
            ));
        }
    }
    // The node type decides: the examples' 4-core nodes get more CPU per LMS pod than 2-core ones.
    let lms_cpu = |instance_type: &str| {
        seen.iter()
            .find(|(_, kind, _)| kind == instance_type)
            .map(|(_, _, cpu)| milli(cpu))
            .unwrap_or_else(|| panic!("no example runs {instance_type} nodes"))
    };
    assert!(lms_cpu("m7i.xlarge") > lms_cpu("t3.large"), "{seen:?}");
}

#[test]
fn the_answers_decide_the_pods_and_the_node_type_their_size() {
    let text = format!(
        "{MINIMAL}environments:\n  - name: prod\n    lms_min_pods: 3\n    lms_max_pods: 12\n    eks_instance_type: m7i.2xlarge\n  - name: dev\n    subdomain: dev-courses\n    eks_instance_type: t3.medium\n  - name: qa\n    subdomain: qa-courses\n    lms_min_pods: 2\n    lms_max_pods: 3\n"
    );
    let tree = common::render(&text);
    let prod = services(&config(&tree, "prod"), "prod");
    assert_eq!(replicas(&prod, "lms"), (3, 12));
    assert_eq!(
        replicas(&prod, "cms"),
        (2, 6),
        "Studio: at most 2 always, half the LMS at most"
    );
    assert_eq!(replicas(&prod, "lms-worker"), (1, 6));
    let dev = services(&config(&tree, "dev"), "dev");
    assert_eq!(replicas(&dev, "lms"), (1, 2), "non-production defaults");
    assert_eq!(replicas(&dev, "cms"), (1, 2));
    let qa = services(&config(&tree, "qa"), "qa");
    assert_eq!(replicas(&qa, "lms"), (2, 3));
    assert_eq!(replicas(&qa, "caddy"), (2, 2));
    // An 8-core, 32 GiB node against a 2-core, 4 GiB one.
    assert!(milli(&prod["lms"]["cpu_request"]) > milli(&dev["lms"]["cpu_request"]));
    assert!(mib(&prod["lms"]["memory_request"]) > mib(&dev["lms"]["memory_request"]));
    let small = scaling::allocatable(aws::ec2_capacity("t3.medium").unwrap());
    assert!(mib(&dev["lms"]["memory_request"]) <= small.memory_mib);
    // The config says what the sizes were made for, so a person changing them knows the bound.
    let prod_text = &tree["ci/tutor-deploy/environments/prod/config.yml"];
    assert!(
        prod_text.contains("Sized for `m7i.2xlarge` nodes (8 vCPU, 32 GiB)"),
        "{prod_text}"
    );
}

#[test]
fn a_later_production_environment_gets_production_defaults() {
    let answers = answers(&format!(
        "{MINIMAL}environments:\n  - name: dev\n    production: false\n  - name: live\n    subdomain: live\n    production: true\n"
    ));
    let pods = |index: usize| {
        let environment = &answers.environments[index];
        (environment.lms_min_pods, environment.lms_max_pods)
    };
    assert_eq!(pods(0), scaling::OTHER_LMS_PODS);
    assert_eq!(pods(1), scaling::PRODUCTION_LMS_PODS);
}

#[test]
fn bad_pod_counts_and_too_small_nodes_are_refused_naming_the_key_and_nothing_is_written() {
    for (environment, key, needles) in [
        (
            "lms_min_pods: 0",
            "environments.0.lms_min_pods",
            &["1 to 50"][..],
        ),
        (
            "lms_max_pods: 500",
            "environments.0.lms_max_pods",
            &["500", "1 to 50"],
        ),
        (
            "lms_min_pods: two",
            "environments.0.lms_min_pods",
            &["`two`", "whole number"],
        ),
        (
            "lms_min_pods: 1.5",
            "environments.0.lms_min_pods",
            &["whole number"],
        ),
        (
            "lms_min_pods: -1",
            "environments.0.lms_min_pods",
            &["whole number"],
        ),
        (
            "lms_min_pods: 4\n    lms_max_pods: 3",
            "environments.0.lms_max_pods",
            &["fewer than `lms_min_pods` (4)"],
        ),
        (
            "eks_instance_type: t3.small",
            "environments.0.eks_instance_type",
            &["`t3.small`", "t3.medium"],
        ),
    ] {
        let text = format!("{MINIMAL}environments:\n  - name: prod\n    {environment}\n");
        let printed = common::printed(&Repo::new().answers_text(&text).refused());
        assert!(
            printed.contains(&format!("`{key}`")),
            "{environment}: {printed}"
        );
        for needle in needles {
            assert!(
                printed.contains(needle),
                "{environment}: {printed} lacks {needle}"
            );
        }
    }
}

#[test]
fn one_lms_pod_in_production_works_with_a_warning() {
    let answers = answers(&format!(
        "{MINIMAL}environments:\n  - name: prod\n    lms_min_pods: 1\n"
    ));
    let warnings = answers.warnings();
    assert!(
        warnings
            .iter()
            .any(|warning| warning.contains("`environments.0.lms_min_pods` is 1")),
        "{warnings:?}"
    );
    let tree = common::render(&format!(
        "{MINIMAL}environments:\n  - name: prod\n    lms_min_pods: 1\n"
    ));
    let prod = services(&config(&tree, "prod"), "prod");
    assert_eq!(replicas(&prod, "lms"), (1, 8));
    assert_eq!(replicas(&prod, "cms"), (1, 4));
}

#[test]
fn pod_counts_are_recorded_and_set_as_numbers() {
    let repo = Repo::new()
        .set("environments.0.lms_min_pods=3")
        .set("environments.0.lms_max_pods=9")
        .generate();
    let recorded = repo.read(".openedx-devops/answers.yml");
    assert!(recorded.contains("    lms_min_pods: 3\n"), "{recorded}");
    assert!(recorded.contains("    lms_max_pods: 9\n"), "{recorded}");
    let config = repo.read("ci/tutor-deploy/environments/prod/config.yml");
    assert!(
        config.contains("  lms:\n    enable_hpa: true\n    min_replicas: 3\n    max_replicas: 9\n"),
        "{config}"
    );
    let schema = common::json(
        &common::bin()
            .args(["questions", "--format", "json-schema"])
            .assert()
            .success(),
    );
    let property = &schema["properties"]["environments"]["items"]["properties"]["lms_max_pods"];
    assert_eq!(property["type"], "integer");
    assert_eq!(property["minimum"], 1);
    assert_eq!(property["maximum"], u64::from(scaling::MAX_PODS));
}

#[test]
fn the_devops_plugin_budgets_only_services_that_keep_two_pods_and_never_blocks_a_drain() {
    let tree = common::render(MINIMAL);
    let plugin = &tree["ci/tutor-plugins/devops.py"];
    let budget = plugin
        .split("\"k8s-deployments\",")
        .nth(1)
        .expect("a k8s-deployments patch");
    for needle in [
        "service.get(\"min_replicas\", 1) >= 2",
        "kind: PodDisruptionBudget",
        "maxUnavailable: 1",
        "unhealthyPodEvictionPolicy: AlwaysAllow",
        // Tutor labels every pod of a Deployment with its name (k8s/deployments.yml).
        "matchLabels:\n      app.kubernetes.io/name: {{ name }}",
    ] {
        assert!(budget.contains(needle), "the PDB patch lacks {needle}");
    }
    assert!(
        !budget.contains("minAvailable"),
        "minAvailable over a single pod blocks drains"
    );
    // Probes: Django only answers a Host of ALLOWED_HOSTS ("lms", "cms" in Tutor's settings).
    for needle in [
        "(\"lms\", 8000, \"lms\"), (\"cms\", 8000, \"cms\")",
        "- name: Host",
        "/spec/template/spec/containers/0/livenessProbe\n      value:\n        tcpSocket:",
        "startupProbe",
    ] {
        assert!(plugin.contains(needle), "the probe patch lacks {needle}");
    }
}

/// Processes inside the pods follow their limits: Celery gets a --concurrency (its default is one
/// per CPU of the node, which outgrows the worker's memory limit), uWSGI more than Tutor's 2 where
/// the LMS limit allows, never more than one per GiB of it.
#[test]
fn worker_concurrency_and_uwsgi_processes_follow_the_limits() {
    let mut seen = std::collections::BTreeSet::new();
    for (name, text) in common::examples() {
        let tree = common::render(&text);
        for environment in &answers(&text).environments {
            let context = format!("{name}/{}", environment.name);
            let config = config(&tree, &environment.name);
            let services = services(&config, &context);
            let worker = &services["lms-worker"];
            let concurrency = config["DEVOPS_WORKER_CONCURRENCY"]
                .as_u64()
                .unwrap_or_else(|| {
                    panic!(
                        "{context}: no DEVOPS_WORKER_CONCURRENCY: {}",
                        tree[&format!(
                            "ci/tutor-deploy/environments/{}/config.yml",
                            environment.name
                        )]
                    )
                }) as u32;
            assert!(concurrency >= 1, "{context}");
            assert!(
                concurrency * 1024 <= mib(&worker["memory_limit"])
                    && concurrency * 1000 <= milli(&worker["cpu_limit"]).max(1000),
                "{context}: {concurrency} Celery processes in {worker}"
            );
            let node = aws::ec2_capacity(&environment.eks_instance_type).unwrap();
            assert!(concurrency < node.vcpus || node.vcpus <= 2, "{context}");
            for key in ["OPENEDX_LMS_UWSGI_WORKERS", "OPENEDX_CMS_UWSGI_WORKERS"] {
                let processes = config[key]
                    .as_u64()
                    .unwrap_or_else(|| panic!("{context}: no {key}"))
                    as u32;
                assert!((2..=4).contains(&processes), "{context}: {key} {processes}");
                assert!(
                    processes * 1024 <= mib(&services["lms"]["memory_limit"]).max(2048),
                    "{context}: {key} {processes}"
                );
            }
            seen.insert((environment.eks_instance_type.clone(), concurrency));
        }
    }
    // A 4-vCPU node's worker runs more processes than a 2-vCPU node's, and fewer than 4.
    assert!(seen.contains(&("m7i.xlarge".to_owned(), 2)), "{seen:?}");
    assert!(seen.contains(&("t3.large".to_owned(), 1)), "{seen:?}");
}

/// The runtime survives disruption: init jobs are never consolidated away mid-migration and
/// request memory; readiness outlasts an RDS failover; web pods stop gracefully; pods of a
/// service that runs two or more never share a node. `.ci/check-pipeline.sh` checks the
/// manifests Tutor renders.
#[test]
fn the_devops_plugin_keeps_jobs_rollouts_and_failovers_undisturbed() {
    let tree = common::render(MINIMAL);
    let plugin = &tree["ci/tutor-plugins/devops.py"];
    for needle in [
        "kind: Job\n  patch: |-\n    apiVersion: batch/v1",
        "karpenter.sh/do-not-disrupt: \"true\"",
        "path: /spec/template/spec/containers/0/resources",
        "memory: \"{{ DEVOPS_JOB_MEMORY_REQUEST }}\"",
        "timeoutSeconds: {% if probe == \"startupProbe\" %}5{% else %}10{% endif %}",
        "failureThreshold: {% if probe == \"startupProbe\" %}120{% else %}12{% endif %}",
        "preStop:\n          sleep:\n            seconds: {{ DEVOPS_PRESTOP_SECONDS }}",
        "value: {{ DEVOPS_PRESTOP_SECONDS + 30 }}",
        "value: \"--concurrency={{ DEVOPS_WORKER_CONCURRENCY }}\"",
        "value: {{ DEVOPS_WORKER_GRACE_SECONDS }}",
        "whenUnsatisfiable: {% if devops_spread and key == \"kubernetes.io/hostname\" %}DoNotSchedule{% else %}ScheduleAnyway{% endif %}",
        "matchLabelKeys:\n            - pod-template-hash",
    ] {
        assert!(plugin.contains(needle), "the devops plugin lacks {needle}");
    }
}
