//! How many pods of each Open edX service an environment runs, and how big they are: derived from
//! the environment's answers (`production`, `lms_min_pods`, `lms_max_pods`) and its node type
//! (`eks_instance_type`, whose capacity [`aws::ec2_capacity`] knows). The Tutor configuration of
//! every environment renders these as `POD_AUTOSCALING_EXTRA_SERVICES` (tutor-contrib-pod-autoscaling),
//! where people can change them. Pure data, no I/O.

use super::aws::{self, Capacity};
use serde::Serialize;

/// The most LMS pods an environment may ask for: beyond this, the database and the cache, not the
/// pods, are what limits a platform, and a typo (`500`) would buy a fleet.
pub const MAX_PODS: u32 = 50;

/// Defaults of `lms_min_pods` and `lms_max_pods`: production keeps two pods (one survives a node
/// drain or a spot interruption), the others one, and every environment can grow.
pub const PRODUCTION_LMS_PODS: (u32, u32) = (2, 8);
pub const OTHER_LMS_PODS: (u32, u32) = (1, 2);

/// What a node keeps for itself before pods get anything: the EKS AMI's kube-reserved CPU (6% of
/// the first core, 1% of the second, 0.5% of the third and fourth, 0.25% of the others) and
/// memory (255 MiB plus 11 MiB per pod, counted here for 58 pods; both from awslabs/amazon-eks-ami,
/// nodeadm/internal/kubelet/config.go, getCPUMillicoresToReserve and
/// getMemoryMebibytesToReserve), the kubelet's hard eviction
/// threshold (100 MiB), and an allowance for the DaemonSets every node runs (VPC CNI, kube-proxy,
/// EBS CSI node, Pod Identity agent, log and metrics agents).
const DAEMONSETS_CPU_MILLI: u32 = 250;
const DAEMONSETS_MEMORY_MIB: u32 = 512;
const KUBE_RESERVED_MEMORY_MIB: u32 = 255 + 11 * 58;
const EVICTION_MEMORY_MIB: u32 = 100;

/// The least memory a node must leave to pods: an LMS pod at its smallest request, a worker and
/// the small services beside it.
pub const MIN_ALLOCATABLE_MEMORY_MIB: u32 = 2048;

/// What the pods of one node can request, in millicores and MiB (an estimate on the safe side).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Allocatable {
    pub cpu_milli: u32,
    pub memory_mib: u32,
}

pub fn allocatable(capacity: Capacity) -> Allocatable {
    let cores = capacity.vcpus;
    // In tenths of a millicore, to keep 0.25% exact.
    let reserved_tenths = 600
        + if cores > 1 { 100 } else { 0 }
        + 50 * cores.clamp(2, 4).saturating_sub(2)
        + 25 * cores.saturating_sub(4);
    let cpu_milli = (cores * 1000)
        .saturating_sub(reserved_tenths.div_ceil(10))
        .saturating_sub(DAEMONSETS_CPU_MILLI);
    let memory_mib = capacity
        .memory_mib
        .saturating_sub(KUBE_RESERVED_MEMORY_MIB + EVICTION_MEMORY_MIB + DAEMONSETS_MEMORY_MIB);
    Allocatable {
        cpu_milli,
        memory_mib,
    }
}

/// The pods of one service (a Deployment of Tutor's, and its container of the same name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceScaling {
    pub name: &'static str,
    pub min_replicas: u32,
    pub max_replicas: u32,
    /// Target average CPU use, in percent of the CPU request, at which the autoscaler adds pods.
    pub avg_cpu: u32,
    /// Kubernetes quantities: cores (`0.5`) and MiB (`1024Mi`).
    pub cpu_request: String,
    pub cpu_limit: String,
    pub memory_request: String,
    pub memory_limit: String,
    pub cpu_request_milli: u32,
    pub memory_request_mib: u32,
    pub cpu_limit_milli: u32,
    pub memory_limit_mib: u32,
    /// Whether a PodDisruptionBudget keeps one pod up during a drain: only where two or more
    /// always run (over a single pod, a budget would block every node drain).
    pub disruption_budget: bool,
}

/// The services of one environment, in the order Tutor's configuration lists them, with the
/// allocatable estimate they were sized for; `None` for a node type without known capacity.
pub fn environment_services(
    instance_type: &str,
    lms_min: u32,
    lms_max: u32,
) -> Option<(Allocatable, Vec<ServiceScaling>)> {
    let node = allocatable(aws::ec2_capacity(instance_type)?);
    let half = lms_max.div_ceil(2).max(2);
    let studio_min = lms_min.min(2);
    // Web pods (uWSGI) get a third of a node's memory, within [768 MiB, 2 GiB] (Tutor's own
    // request is 2 GiB), and a quarter of its CPU within [250m, 1 core]; workers (Celery) less.
    let web = Size {
        cpu: clamp(node.cpu_milli / 4, 250, 1000, 50),
        memory: clamp(node.memory_mib / 3, 768, 2048, 64),
    };
    let worker = Size {
        cpu: clamp(node.cpu_milli / 8, 100, 500, 50),
        memory: clamp(node.memory_mib / 4, 512, 1536, 64),
    };
    let burst_cpu = node.cpu_milli.min(2000);
    let service = |name, min: u32, max: u32, avg_cpu, request: Size, limit: Size| ServiceScaling {
        name,
        min_replicas: min,
        max_replicas: max.max(min),
        avg_cpu,
        cpu_request: cores(request.cpu),
        cpu_limit: cores(limit.cpu.max(request.cpu)),
        memory_request: format!("{}Mi", request.memory),
        memory_limit: format!("{}Mi", limit.memory.max(request.memory)),
        cpu_request_milli: request.cpu,
        memory_request_mib: request.memory,
        cpu_limit_milli: limit.cpu.max(request.cpu),
        memory_limit_mib: limit.memory.max(request.memory),
        disruption_budget: min >= 2,
    };
    let services = vec![
        service(
            "lms",
            lms_min,
            lms_max,
            75,
            web,
            Size {
                cpu: burst_cpu,
                memory: node.memory_mib.min((web.memory * 2).max(3072)),
            },
        ),
        service(
            "cms",
            studio_min,
            half,
            75,
            web,
            Size {
                cpu: burst_cpu,
                memory: node.memory_mib.min((web.memory * 2).max(3072)),
            },
        ),
        service(
            "lms-worker",
            1,
            half,
            90,
            worker,
            Size {
                cpu: burst_cpu,
                memory: node.memory_mib.min((worker.memory * 2).max(2048)),
            },
        ),
        service(
            "cms-worker",
            1,
            half,
            90,
            worker,
            Size {
                cpu: burst_cpu,
                memory: node.memory_mib.min((worker.memory * 2).max(2048)),
            },
        ),
        // The micro-frontends' static files and Tutor's internal router (Caddy, in front of the
        // LMS, Studio and the MFEs): small and fixed, as many as Studio so neither is alone.
        service(
            "mfe",
            studio_min,
            half,
            80,
            Size {
                cpu: 50,
                memory: 128,
            },
            Size {
                cpu: 500,
                memory: 256,
            },
        ),
        service(
            "caddy",
            studio_min,
            half,
            80,
            Size {
                cpu: 100,
                memory: 128,
            },
            Size {
                cpu: 1000,
                memory: 512,
            },
        ),
    ];
    Some((node, services))
}

/// Celery prefork processes of one worker pod (`--concurrency`): without it Celery starts one per
/// CPU of the node, not of the pod, and four LMS processes (a few hundred MiB each, more for the
/// large tasks of the high_mem queue) outgrow the worker's memory limit on an xlarge node. One per
/// core of its CPU limit, and no more than one per GiB of its memory limit; at least one.
pub fn worker_concurrency(services: &[ServiceScaling]) -> u32 {
    per_pod(services, "lms-worker", 1000, 1024)
}

/// uWSGI processes of one LMS or Studio pod (`OPENEDX_LMS_UWSGI_WORKERS`, Tutor's default 2): each
/// serves one request at a time and holds about half a GiB, so a pod whose two processes are busy
/// with slow requests fails its readiness probe. One per GiB of the memory limit, one more per core
/// of the CPU limit at most, between 2 and 4.
pub fn uwsgi_workers(services: &[ServiceScaling]) -> u32 {
    per_pod(services, "lms", 500, 1024).clamp(2, 4)
}

fn per_pod(
    services: &[ServiceScaling],
    name: &str,
    cpu_milli_each: u32,
    memory_mib_each: u32,
) -> u32 {
    let Some(service) = services.iter().find(|service| service.name == name) else {
        return 1;
    };
    let by_cpu = service.cpu_limit_milli / cpu_milli_each;
    let by_memory = service.memory_limit_mib / memory_mib_each;
    by_cpu.min(by_memory).max(1)
}

#[derive(Debug, Clone, Copy)]
struct Size {
    cpu: u32,
    memory: u32,
}

/// `value` within [low, high], rounded down to a multiple of `step` (50 millicores, 64 MiB).
fn clamp(value: u32, low: u32, high: u32, step: u32) -> u32 {
    (value.clamp(low, high) / step * step).max(low)
}

/// Millicores as cores: `0.25`, `1`, `1.65`.
fn cores(milli: u32) -> String {
    if milli.is_multiple_of(1000) {
        return (milli / 1000).to_string();
    }
    let text = format!("{}.{:03}", milli / 1000, milli % 1000);
    text.trim_end_matches('0').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cores_read_as_kubernetes_quantities() {
        assert_eq!(cores(250), "0.25");
        assert_eq!(cores(1000), "1");
        assert_eq!(cores(1650), "1.65");
        assert_eq!(cores(50), "0.05");
    }

    #[test]
    fn a_two_core_node_leaves_pods_most_of_it() {
        let node = allocatable(aws::ec2_capacity("t3.large").unwrap());
        assert_eq!(node.cpu_milli, 2000 - 70 - 250);
        assert_eq!(node.memory_mib, 8192 - 893 - 100 - 512);
        let big = allocatable(aws::ec2_capacity("m7i.2xlarge").unwrap());
        // 6% + 1% + 2 × 0.5% + 4 × 0.25% of a core.
        assert_eq!(big.cpu_milli, 8000 - 90 - 250);
    }

    #[test]
    fn every_request_fits_the_node_it_was_sized_for() {
        for instance_type in aws::Service::Ec2.all_types() {
            let Some((node, services)) = environment_services(&instance_type, 2, 8) else {
                panic!("{instance_type}");
            };
            if node.memory_mib < MIN_ALLOCATABLE_MEMORY_MIB {
                continue; // refused by the answers
            }
            let names: Vec<&str> = services.iter().map(|service| service.name).collect();
            // The README's table reads the first two as the LMS and Studio.
            assert_eq!(
                names,
                ["lms", "cms", "lms-worker", "cms-worker", "mfe", "caddy"]
            );
            for service in &services {
                assert!(
                    service.cpu_request_milli <= node.cpu_milli
                        && service.memory_request_mib <= node.memory_mib,
                    "{instance_type}: {service:?} on {node:?}"
                );
                assert!(service.min_replicas >= 1 && service.max_replicas >= service.min_replicas);
            }
        }
    }
}
