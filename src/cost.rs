//! The idle cost of one environment: takes the validated answers and returns the rows of the
//! generated README's "Idle cost" table, priced from the tables in [`crate::answers::aws`], with
//! the monthly total. Pure arithmetic on embedded data; no I/O, no network.

use crate::answers::aws::{self, Service};
use crate::answers::{Answers, Environment, MongoDb};
use serde::Serialize;

/// Hours in the month AWS bills by (365 × 24 / 12).
const HOURS_PER_MONTH: f64 = 730.0;

/// System nodes (the managed node group, env.hcl: `eks_node_min_size`) of a production
/// environment; the others run one.
pub(crate) const EKS_NODE_MIN_SIZE: u32 = 2;
/// env.hcl: `eks_system_instance_type`, on-demand.
const SYSTEM_INSTANCE_TYPE: &str = "t3.medium";
/// Application nodes (Karpenter's) of the environment's instance type that the platform at rest
/// fills: Open edX, Traefik, cert-manager and monitoring, which the system nodes do not admit.
const APP_NODES_AT_REST: u32 = 2;
/// The disk of each node, GiB (modules/eks for system nodes, the EC2NodeClass for Karpenter's).
const EKS_NODE_DISK_GIB: f64 = 50.0;

/// System nodes of `environment` at rest: as many as Karpenter's controller replicas.
pub(crate) fn system_node_count(environment: &Environment) -> u32 {
    if environment.production {
        EKS_NODE_MIN_SIZE
    } else {
        1
    }
}
/// env.hcl: `mysql_allocated_storage`.
const MYSQL_ALLOCATED_STORAGE_GIB: f64 = 20.0;
/// The MongoDB server's root (20 GiB) and data (env.hcl: `mongodb_volume_size`) disks; its type
/// is an answer (`mongodb_instance_type`).
const MONGODB_DISKS_GIB: f64 = 20.0 + 50.0;
// DocumentDB's class is an answer (`documentdb_instance_class`); env.hcl's
// `documentdb_instance_count` is 2 in production, else 1.
/// env.hcl: `bastion_instance_type`; its root disk, GiB (modules/bastion).
const BASTION_INSTANCE_TYPE: &str = "t3.micro";
const BASTION_DISK_GIB: f64 = 20.0;
/// Route53, KMS, CloudWatch, S3 and CloudFront at rest: a rough figure, not a price.
const SMALL_ITEMS_PRODUCTION: u64 = 15;
const SMALL_ITEMS_OTHER: u64 = 10;

/// One environment's idle cost (`env.cost`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cost {
    pub rows: Vec<CostRow>,
    /// Sum of the priced rows, whole USD a month.
    pub total: u64,
    /// `total` an hour, two decimals.
    pub hourly: String,
    /// Every row has a price: otherwise `total` leaves some out.
    pub complete: bool,
}

/// A row: `item` is the same for every environment, `cell` is this environment's column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CostRow {
    pub item: String,
    pub cell: String,
    /// Whole USD a month; none when a type of the row is not in the price tables.
    pub monthly: Option<u64>,
}

/// Availability zones of the VPC, as global.hcl picks them: two in us-west-1, three elsewhere.
fn zone_count(region: &str) -> u32 {
    if region == "us-west-1" { 2 } else { 3 }
}

/// The idle cost of `environment`, with its sizes and whether it is production.
pub(crate) fn idle_cost(answers: &Answers, environment: &Environment) -> Cost {
    let production = environment.production;
    let copies = |in_production: u32| if production { in_production } else { 1 };
    let mut rows = vec![
        fixed(
            "EKS control plane",
            aws::EKS_CONTROL_PLANE_HOURLY * HOURS_PER_MONTH,
        ),
        priced_fixed(
            &format!(
                "system nodes {SYSTEM_INSTANCE_TYPE} on demand (two in production, one otherwise), {EKS_NODE_DISK_GIB} GiB disk each"
            ),
            aws::hourly_price(Service::Ec2, SYSTEM_INSTANCE_TYPE)
                .map(|hourly| f64::from(system_node_count(environment)) * node_monthly(hourly)),
        ),
        priced(
            &format!(
                "{APP_NODES_AT_REST} application nodes (Karpenter) of the environment's instance type, at the on-demand price, {EKS_NODE_DISK_GIB} GiB disk each"
            ),
            &environment.eks_instance_type,
            aws::hourly_price(Service::Ec2, &environment.eks_instance_type)
                .map(|hourly| f64::from(APP_NODES_AT_REST) * node_monthly(hourly)),
        ),
        fixed(
            "NAT gateways (one per zone in production, one otherwise)",
            f64::from(copies(zone_count(&answers.aws_region)))
                * aws::NAT_GATEWAY_HOURLY
                * HOURS_PER_MONTH,
        ),
        fixed(
            "Network Load Balancer",
            aws::NETWORK_LOAD_BALANCER_HOURLY * HOURS_PER_MONTH,
        ),
        priced(
            &format!("RDS MySQL (Multi-AZ in production) and {MYSQL_ALLOCATED_STORAGE_GIB} GiB"),
            &environment.mysql_instance_class,
            aws::hourly_price(Service::Rds, &environment.mysql_instance_class).map(|hourly| {
                f64::from(copies(2))
                    * (hourly * HOURS_PER_MONTH
                        + MYSQL_ALLOCATED_STORAGE_GIB * aws::RDS_GP3_GIB_MONTHLY)
            }),
        ),
        priced(
            "ElastiCache Valkey (with a replica in production)",
            &environment.redis_node_type,
            aws::hourly_price(Service::ElastiCache, &environment.redis_node_type)
                .map(|hourly| f64::from(copies(2)) * hourly * HOURS_PER_MONTH),
        ),
    ];
    match answers.mongodb {
        MongoDb::Ec2 => rows.push(priced_fixed(
            &format!(
                "MongoDB on {} with {MONGODB_DISKS_GIB} GiB",
                environment.mongodb_instance_type
            ),
            aws::hourly_price(Service::Ec2, &environment.mongodb_instance_type).map(|hourly| {
                hourly * HOURS_PER_MONTH + MONGODB_DISKS_GIB * aws::EBS_GP3_GIB_MONTHLY
            }),
        )),
        MongoDb::Documentdb => rows.push(priced_fixed(
            &format!(
                "DocumentDB {} (two instances in production)",
                environment.documentdb_instance_class
            ),
            aws::documentdb_hourly_price(&environment.documentdb_instance_class)
                .map(|hourly| f64::from(copies(2)) * hourly * HOURS_PER_MONTH),
        )),
        MongoDb::InCluster => {}
    }
    if answers.bastion {
        rows.push(priced_fixed(
            &format!("bastion {BASTION_INSTANCE_TYPE} with {BASTION_DISK_GIB} GiB"),
            aws::hourly_price(Service::Ec2, BASTION_INSTANCE_TYPE).map(|hourly| {
                hourly * HOURS_PER_MONTH + BASTION_DISK_GIB * aws::EBS_GP3_GIB_MONTHLY
            }),
        ));
    }
    // CodeBuild bills the minutes a build runs: the runner costs nothing at rest.
    rows.push(CostRow {
        item: "CI runner (CodeBuild, per build minute)".to_owned(),
        cell: "$0 at rest".to_owned(),
        monthly: Some(0),
    });
    let small_items = if production {
        SMALL_ITEMS_PRODUCTION
    } else {
        SMALL_ITEMS_OTHER
    };
    rows.push(CostRow {
        item: "Route53 zone, KMS keys, CloudWatch logs, S3, CloudFront".to_owned(),
        cell: format!("about ${small_items}"),
        monthly: Some(small_items),
    });
    let total = rows.iter().filter_map(|row| row.monthly).sum::<u64>();
    Cost {
        complete: rows.iter().all(|row| row.monthly.is_some()),
        hourly: format!("{:.2}", total as f64 / HOURS_PER_MONTH),
        total,
        rows,
    }
}

/// One node a month: the instance and its disk.
fn node_monthly(hourly: f64) -> f64 {
    hourly * HOURS_PER_MONTH + EKS_NODE_DISK_GIB * aws::EBS_GP3_GIB_MONTHLY
}

/// Whole dollars: each row is rounded once, and the total is the sum of what the rows show.
fn dollars(monthly: f64) -> u64 {
    // Prices are small positive numbers: the cast neither truncates nor wraps.
    monthly.round() as u64
}

/// A row whose price does not depend on the answers' sizes.
fn fixed(item: &str, monthly: f64) -> CostRow {
    priced_fixed(item, Some(monthly))
}

/// A row of a type the generator fixes (named in `item`), priced when the tables have it.
fn priced_fixed(item: &str, monthly: Option<f64>) -> CostRow {
    let monthly = monthly.map(dollars);
    CostRow {
        item: item.to_owned(),
        cell: match monthly {
            Some(monthly) => format!("${monthly}"),
            None => "price not in the table".to_owned(),
        },
        monthly,
    }
}

/// A row of the environment's chosen type, named in its cell.
fn priced(item: &str, type_name: &str, monthly: Option<f64>) -> CostRow {
    let monthly = monthly.map(dollars);
    CostRow {
        item: item.to_owned(),
        cell: match monthly {
            Some(monthly) => format!("${monthly} ({type_name})"),
            None => format!("price not in the table ({type_name})"),
        },
        monthly,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::{ENVIRONMENT_QUESTIONS, load};

    fn answers(extra: &[&str]) -> Answers {
        let mut raw = load::demo_defaults();
        for assignment in extra {
            load::apply_set(&mut raw, assignment).unwrap();
        }
        Answers::validate(&raw).unwrap()
    }

    fn cost_of(answers: &Answers, index: usize) -> Cost {
        idle_cost(answers, &answers.environments[index])
    }

    fn cell<'a>(cost: &'a Cost, starts_with: &str) -> &'a CostRow {
        cost.rows
            .iter()
            .find(|row| row.item.starts_with(starts_with))
            .unwrap()
    }

    /// Pins the bug of issue 14, item 12: the table priced every environment's nodes as t3.large.
    #[test]
    fn larger_nodes_cost_more() {
        let large = cost_of(&answers(&["environments.0.eks_instance_type=t3.large"]), 0);
        let xlarge = cost_of(&answers(&["environments.0.eks_instance_type=t3.xlarge"]), 0);
        assert!(xlarge.total > large.total, "{xlarge:?} vs {large:?}");
        let nodes = cell(&xlarge, "2 application nodes");
        assert_eq!(nodes.cell, "$251 (t3.xlarge)");
        assert_eq!(cell(&large, "2 application nodes").cell, "$129 (t3.large)");
        // The system nodes do not follow the answer.
        assert_eq!(
            cell(&xlarge, "system nodes").monthly,
            cell(&large, "system nodes").monthly
        );
    }

    #[test]
    fn the_total_is_the_sum_of_the_rows() {
        for answers in [
            answers(&[]),
            answers(&["mongodb=documentdb", "bastion=false"]),
            answers(&[
                "mongodb=in_cluster",
                "environments.1.name=dev",
                "environments.1.subdomain=dev",
            ]),
        ] {
            for index in 0..answers.environments.len() {
                let cost = cost_of(&answers, index);
                let sum: u64 = cost.rows.iter().map(|row| row.monthly.unwrap()).sum();
                assert_eq!(cost.total, sum);
                assert!(cost.complete);
                assert_eq!(cost.hourly, format!("{:.2}", sum as f64 / HOURS_PER_MONTH));
            }
        }
    }

    #[test]
    fn production_has_a_nat_gateway_per_zone_and_doubled_databases() {
        let answers = answers(&[
            "mongodb=documentdb",
            "environments.1.name=dev",
            "environments.1.subdomain=dev",
        ]);
        let production = cost_of(&answers, 0);
        let other = cost_of(&answers, 1);
        let monthly = |cost: &Cost, item: &str| cell(cost, item).monthly.unwrap();
        assert_eq!(monthly(&production, "NAT"), 3 * monthly(&other, "NAT"));
        assert_eq!(monthly(&other, "NAT"), 33);
        // db.t3.small: 2 × (0.034 × 730 + 20 × 0.115) Multi-AZ, once otherwise.
        assert_eq!(monthly(&production, "RDS"), 54);
        assert_eq!(monthly(&other, "RDS"), 27);
        assert_eq!(monthly(&production, "ElastiCache"), 40);
        assert_eq!(monthly(&other, "ElastiCache"), 20);
        assert_eq!(monthly(&production, "DocumentDB"), 114);
        assert_eq!(monthly(&other, "DocumentDB"), 57);
        assert_eq!(monthly(&production, "EKS"), monthly(&other, "EKS"));
        // t3.medium: 0.0416 × 730 + 50 × 0.08 a node; two in production (Karpenter's two
        // replicas), one otherwise.
        assert_eq!(monthly(&production, "system nodes"), 69);
        assert_eq!(monthly(&other, "system nodes"), 34);
        assert!(production.total > other.total);
        let items = |cost: &Cost| {
            cost.rows
                .iter()
                .map(|row| row.item.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(items(&production), items(&other), "one table row per item");
    }

    #[test]
    fn us_west_1_has_two_zones() {
        let cost = cost_of(&answers(&["aws_region=us-west-1"]), 0);
        assert_eq!(cell(&cost, "NAT").monthly, Some(66));
    }

    #[test]
    fn an_unpriced_type_is_said_so_and_left_out_of_the_total() {
        let answers = answers(&["environments.0.eks_instance_type=m5.metal"]);
        let cost = cost_of(&answers, 0);
        let nodes = cell(&cost, "2 application nodes");
        assert_eq!(nodes.cell, "price not in the table (m5.metal)");
        assert_eq!(nodes.monthly, None);
        assert!(!cost.complete);
    }

    /// Every default size, every size of the examples and every size the generator fixes has a
    /// price: a README from them never says "price not in the table".
    #[test]
    fn defaults_and_examples_are_priced() {
        for question in ENVIRONMENT_QUESTIONS {
            if let crate::answers::Kind::Instance(service) = question.kind {
                let default = question.default_text().unwrap();
                assert!(aws::hourly_price(service, &default).is_some(), "{default}");
            }
        }
        assert!(aws::hourly_price(Service::Ec2, BASTION_INSTANCE_TYPE).is_some());
        assert!(aws::hourly_price(Service::Ec2, SYSTEM_INSTANCE_TYPE).is_some());
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
        let mut examples = 0;
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|extension| extension != "yml") {
                continue;
            }
            examples += 1;
            let raw = load::read_file(&path).unwrap();
            let answers = Answers::validate(&raw).unwrap();
            for index in 0..answers.environments.len() {
                let cost = cost_of(&answers, index);
                assert!(cost.complete, "{}: {cost:?}", path.display());
            }
        }
        assert!(examples >= 3);
    }

    /// The sizes this module prices are the ones env.hcl sets.
    #[test]
    fn fixed_sizes_match_env_hcl() {
        let env_hcl = include_str!("../blueprints/terraform/environments/__env__/env.hcl");
        let settings: Vec<String> = env_hcl
            .lines()
            .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        for expected in [
            "eks_node_min_size = [[ env.eks_node_min_size if env.is_production else 1 ]]"
                .to_owned(),
            format!("eks_system_instance_type = \"{SYSTEM_INSTANCE_TYPE}\""),
            "karpenter_replicas = [[ 2 if env.is_production else 1 ]]".to_owned(),
            format!("mysql_allocated_storage = {MYSQL_ALLOCATED_STORAGE_GIB}"),
            "mongodb_instance_type = \"[[ env.mongodb_instance_type ]]\"".to_owned(),
            format!("mongodb_volume_size = {}", MONGODB_DISKS_GIB - 20.0),
            "documentdb_instance_class = \"[[ env.documentdb_instance_class ]]\"".to_owned(),
            "documentdb_instance_count = [[ 2 if env.is_production else 1 ]]".to_owned(),
            format!("bastion_instance_type = \"{BASTION_INSTANCE_TYPE}\""),
            "single_nat_gateway = [[ (not env.is_production) | tojson ]]".to_owned(),
            "mysql_multi_az = [[ env.is_production | tojson ]]".to_owned(),
        ] {
            assert!(settings.contains(&expected), "env.hcl has `{expected}`");
        }
    }
}
