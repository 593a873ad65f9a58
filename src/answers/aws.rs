//! Embedded AWS facts the answers are checked against and the blueprints render from: region
//! codes, the instance families and sizes of EC2, RDS, ElastiCache and DocumentDB, which RDS
//! classes support Performance Insights, and on-demand prices. Pure data and lookups; no network.

use crate::suggest::did_you_mean;

/// Commercial-partition AWS regions (the generated ARNs use the `aws` partition).
pub(crate) const REGIONS: &[&str] = &[
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
];

const BURSTABLE: &[&str] = &[
    "nano", "micro", "small", "medium", "large", "xlarge", "2xlarge",
];
const STANDARD: &[&str] = &[
    "medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge",
    "24xlarge", "32xlarge", "48xlarge", "metal",
];
const FLEX: &[&str] = &[
    "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge",
];

/// EC2 families with arm64 (Graviton) processors: the Open edX image the build workflow makes
/// is amd64, so worker nodes must not be these.
const EC2_ARM_FAMILIES: &[&str] = &[
    "t4g", "m6g", "m6gd", "m7g", "m7gd", "m8g", "c6g", "c6gn", "c7g", "c7gn", "c8g", "r6g", "r7g",
    "r8g",
];

/// x86-64 EC2 families an Open edX cluster can sensibly run on, with the sizes each offers.
const EC2_FAMILIES: &[(&str, &[&str])] = &[
    ("t3", BURSTABLE),
    ("t3a", BURSTABLE),
    ("m5", STANDARD),
    ("m5a", STANDARD),
    ("m6a", STANDARD),
    ("m6i", STANDARD),
    ("m7a", STANDARD),
    ("m7i", STANDARD),
    ("m7i-flex", FLEX),
    ("m8i", STANDARD),
    ("c5", STANDARD),
    ("c5a", STANDARD),
    ("c6a", STANDARD),
    ("c6i", STANDARD),
    ("c7a", STANDARD),
    ("c7i", STANDARD),
    ("c7i-flex", FLEX),
    ("r5", STANDARD),
    ("r5a", STANDARD),
    ("r6a", STANDARD),
    ("r6i", STANDARD),
    ("r7a", STANDARD),
    ("r7i", STANDARD),
];

const DB_BURSTABLE: &[&str] = &["micro", "small", "medium", "large", "xlarge", "2xlarge"];
const DB_STANDARD: &[&str] = &[
    "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge",
];

/// RDS for MySQL instance classes, without the `db.` prefix.
const RDS_FAMILIES: &[(&str, &[&str])] = &[
    ("t3", DB_BURSTABLE),
    ("t4g", DB_BURSTABLE),
    ("m5", DB_STANDARD),
    ("m6g", DB_STANDARD),
    ("m6i", DB_STANDARD),
    ("m7g", DB_STANDARD),
    ("m7i", DB_STANDARD),
    ("m8g", DB_STANDARD),
    ("r5", DB_STANDARD),
    ("r6g", DB_STANDARD),
    ("r6i", DB_STANDARD),
    ("r7g", DB_STANDARD),
    ("r7i", DB_STANDARD),
    ("r8g", DB_STANDARD),
];

/// RDS for MySQL classes on which Performance Insights (now CloudWatch Database Insights) cannot
/// be turned on: CreateDBInstance with it refuses them (`InvalidParameterCombination`). From the
/// AWS RDS User Guide, "Amazon RDS DB engine, Region, and instance class support for Database
/// Insights", row "RDS for MySQL" (docs.aws.amazon.com/AmazonRDS/latest/UserGuide/
/// USER_DatabaseInsights.Engines.html; formerly USER_PerfInsights.Overview.Engines.html).
const RDS_MYSQL_WITHOUT_PERFORMANCE_INSIGHTS: &[&str] = &[
    "db.t2.micro",
    "db.t2.small",
    "db.t3.micro",
    "db.t3.small",
    "db.t4g.micro",
    "db.t4g.small",
];

/// Whether RDS for MySQL accepts `performance_insights_enabled = true` on this instance class.
pub(crate) fn mysql_supports_performance_insights(class: &str) -> bool {
    !RDS_MYSQL_WITHOUT_PERFORMANCE_INSIGHTS.contains(&class)
}

const CACHE_BURSTABLE: &[&str] = &["micro", "small", "medium"];
const CACHE_STANDARD: &[&str] = &[
    "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge",
];

/// ElastiCache node types, without the `cache.` prefix.
const CACHE_FAMILIES: &[(&str, &[&str])] = &[
    ("t3", CACHE_BURSTABLE),
    ("t4g", CACHE_BURSTABLE),
    ("m5", CACHE_STANDARD),
    ("m6g", CACHE_STANDARD),
    ("m7g", CACHE_STANDARD),
    ("r5", CACHE_STANDARD),
    ("r6g", CACHE_STANDARD),
    ("r7g", CACHE_STANDARD),
];

const DOCDB_MEDIUM: &[&str] = &["medium"];
const DOCDB_MEMORY: &[&str] = &[
    "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge",
];
const DOCDB_R5: &[&str] = &[
    "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge",
];

/// DocumentDB instance classes, without the `db.` prefix: the current families of the DocumentDB
/// Developer Guide, "Managing instance classes" (R5, R6G, R8G, T3, T4G; the burstable ones only in
/// `medium`). R4 is left out: a previous generation.
const DOCUMENTDB_FAMILIES: &[(&str, &[&str])] = &[
    ("t3", DOCDB_MEDIUM),
    ("t4g", DOCDB_MEDIUM),
    ("r5", DOCDB_R5),
    ("r6g", DOCDB_MEMORY),
    ("r8g", DOCDB_MEMORY),
];

// Prices. On-demand hourly USD prices in us-east-1 (Linux, no reservations, no free tier), as the
// AWS public price pages list them (aws.amazon.com/ec2/pricing/on-demand, /rds/mysql/pricing,
// /elasticache/pricing, /documentdb/pricing, /eks/pricing, /vpc/pricing, /elasticloadbalancing/
// pricing, /ebs/pricing). Written down without fetching those pages (this tool and its CI have no
// network): an estimate for the README's idle-cost table, to be checked against the pages when
// a price is changed. Other regions differ, most cost up to about 30% more.
// A type missing here is shown as "price not in the table" in the generated README, never
// estimated; add its price here (a test checks the defaults and the examples are priced).

/// EC2 instances, by instance type.
const EC2_PRICES: &[(&str, f64)] = &[
    ("t3.nano", 0.0052),
    ("t3.micro", 0.0104),
    ("t3.small", 0.0208),
    ("t3.medium", 0.0416),
    ("t3.large", 0.0832),
    ("t3.xlarge", 0.1664),
    ("t3.2xlarge", 0.3328),
    ("t3a.nano", 0.0047),
    ("t3a.micro", 0.0094),
    ("t3a.small", 0.0188),
    ("t3a.medium", 0.0376),
    ("t3a.large", 0.0752),
    ("t3a.xlarge", 0.1504),
    ("t3a.2xlarge", 0.3008),
    ("m5.large", 0.096),
    ("m5.xlarge", 0.192),
    ("m5.2xlarge", 0.384),
    ("m5.4xlarge", 0.768),
    ("m5.8xlarge", 1.536),
    ("m5.12xlarge", 2.304),
    ("m5.16xlarge", 3.072),
    ("m5.24xlarge", 4.608),
    ("m5a.large", 0.086),
    ("m5a.xlarge", 0.172),
    ("m5a.2xlarge", 0.344),
    ("m5a.4xlarge", 0.688),
    ("m6a.large", 0.0864),
    ("m6a.xlarge", 0.1728),
    ("m6a.2xlarge", 0.3456),
    ("m6a.4xlarge", 0.6912),
    ("m6a.8xlarge", 1.3824),
    ("m6i.large", 0.096),
    ("m6i.xlarge", 0.192),
    ("m6i.2xlarge", 0.384),
    ("m6i.4xlarge", 0.768),
    ("m6i.8xlarge", 1.536),
    ("m6i.12xlarge", 2.304),
    ("m6i.16xlarge", 3.072),
    ("m6i.24xlarge", 4.608),
    ("m6i.32xlarge", 6.144),
    ("m7a.medium", 0.05796),
    ("m7a.large", 0.11592),
    ("m7a.xlarge", 0.23184),
    ("m7a.2xlarge", 0.46368),
    ("m7a.4xlarge", 0.92736),
    ("m7i.large", 0.1008),
    ("m7i.xlarge", 0.2016),
    ("m7i.2xlarge", 0.4032),
    ("m7i.4xlarge", 0.8064),
    ("m7i.8xlarge", 1.6128),
    ("m7i.12xlarge", 2.4192),
    ("m7i.16xlarge", 3.2256),
    ("m7i.24xlarge", 4.8384),
    ("m7i.48xlarge", 9.6768),
    ("m7i-flex.large", 0.09576),
    ("m7i-flex.xlarge", 0.19152),
    ("m7i-flex.2xlarge", 0.38304),
    ("m7i-flex.4xlarge", 0.76608),
    ("m7i-flex.8xlarge", 1.53216),
    ("c5.large", 0.085),
    ("c5.xlarge", 0.17),
    ("c5.2xlarge", 0.34),
    ("c5.4xlarge", 0.68),
    ("c5.12xlarge", 2.04),
    ("c5.24xlarge", 4.08),
    ("c5a.large", 0.077),
    ("c5a.xlarge", 0.154),
    ("c5a.2xlarge", 0.308),
    ("c5a.4xlarge", 0.616),
    ("c6a.large", 0.0765),
    ("c6a.xlarge", 0.153),
    ("c6a.2xlarge", 0.306),
    ("c6a.4xlarge", 0.612),
    ("c6i.large", 0.085),
    ("c6i.xlarge", 0.17),
    ("c6i.2xlarge", 0.34),
    ("c6i.4xlarge", 0.68),
    ("c6i.8xlarge", 1.36),
    ("c6i.12xlarge", 2.04),
    ("c6i.16xlarge", 2.72),
    ("c6i.24xlarge", 4.08),
    ("c6i.32xlarge", 5.44),
    ("c7a.medium", 0.05135),
    ("c7a.large", 0.1027),
    ("c7a.xlarge", 0.2054),
    ("c7a.2xlarge", 0.4108),
    ("c7a.4xlarge", 0.8216),
    ("c7i.large", 0.08925),
    ("c7i.xlarge", 0.1785),
    ("c7i.2xlarge", 0.357),
    ("c7i.4xlarge", 0.714),
    ("c7i.8xlarge", 1.428),
    ("c7i.12xlarge", 2.142),
    ("c7i.16xlarge", 2.856),
    ("c7i.24xlarge", 4.284),
    ("c7i.48xlarge", 8.568),
    ("c7i-flex.large", 0.08479),
    ("c7i-flex.xlarge", 0.16957),
    ("c7i-flex.2xlarge", 0.33915),
    ("c7i-flex.4xlarge", 0.6783),
    ("c7i-flex.8xlarge", 1.3566),
    ("r5.large", 0.126),
    ("r5.xlarge", 0.252),
    ("r5.2xlarge", 0.504),
    ("r5.4xlarge", 1.008),
    ("r5.8xlarge", 2.016),
    ("r5.12xlarge", 3.024),
    ("r5.16xlarge", 4.032),
    ("r5.24xlarge", 6.048),
    ("r5a.large", 0.113),
    ("r5a.xlarge", 0.226),
    ("r5a.2xlarge", 0.452),
    ("r5a.4xlarge", 0.904),
    ("r6a.large", 0.1134),
    ("r6a.xlarge", 0.2268),
    ("r6a.2xlarge", 0.4536),
    ("r6a.4xlarge", 0.9072),
    ("r6i.large", 0.126),
    ("r6i.xlarge", 0.252),
    ("r6i.2xlarge", 0.504),
    ("r6i.4xlarge", 1.008),
    ("r6i.8xlarge", 2.016),
    ("r6i.12xlarge", 3.024),
    ("r6i.16xlarge", 4.032),
    ("r6i.24xlarge", 6.048),
    ("r6i.32xlarge", 8.064),
    ("r7a.large", 0.1521),
    ("r7a.xlarge", 0.3042),
    ("r7a.2xlarge", 0.6084),
    ("r7a.4xlarge", 1.2168),
    ("r7i.large", 0.1323),
    ("r7i.xlarge", 0.2646),
    ("r7i.2xlarge", 0.5292),
    ("r7i.4xlarge", 1.0584),
    ("r7i.8xlarge", 2.1168),
];

/// RDS for MySQL, Single-AZ, by instance class; Multi-AZ (one standby) costs twice as much.
const RDS_PRICES: &[(&str, f64)] = &[
    ("db.t3.micro", 0.017),
    ("db.t3.small", 0.034),
    ("db.t3.medium", 0.068),
    ("db.t3.large", 0.136),
    ("db.t3.xlarge", 0.272),
    ("db.t3.2xlarge", 0.544),
    ("db.t4g.micro", 0.016),
    ("db.t4g.small", 0.032),
    ("db.t4g.medium", 0.065),
    ("db.t4g.large", 0.129),
    ("db.t4g.xlarge", 0.258),
    ("db.t4g.2xlarge", 0.517),
    ("db.m5.large", 0.171),
    ("db.m5.xlarge", 0.342),
    ("db.m5.2xlarge", 0.684),
    ("db.m5.4xlarge", 1.368),
    ("db.m5.8xlarge", 2.736),
    ("db.m5.12xlarge", 4.104),
    ("db.m5.16xlarge", 5.472),
    ("db.m5.24xlarge", 8.208),
    ("db.m6g.large", 0.152),
    ("db.m6g.xlarge", 0.304),
    ("db.m6g.2xlarge", 0.608),
    ("db.m6g.4xlarge", 1.216),
    ("db.m6g.8xlarge", 2.432),
    ("db.m6g.12xlarge", 3.648),
    ("db.m6g.16xlarge", 4.864),
    ("db.m6i.large", 0.171),
    ("db.m6i.xlarge", 0.342),
    ("db.m6i.2xlarge", 0.684),
    ("db.m6i.4xlarge", 1.368),
    ("db.m6i.8xlarge", 2.736),
    ("db.m6i.12xlarge", 4.104),
    ("db.m6i.16xlarge", 5.472),
    ("db.m6i.24xlarge", 8.208),
    ("db.m7g.large", 0.168),
    ("db.m7g.xlarge", 0.336),
    ("db.m7g.2xlarge", 0.672),
    ("db.m7g.4xlarge", 1.344),
    ("db.r5.large", 0.24),
    ("db.r5.xlarge", 0.48),
    ("db.r5.2xlarge", 0.96),
    ("db.r5.4xlarge", 1.92),
    ("db.r6g.large", 0.215),
    ("db.r6g.xlarge", 0.43),
    ("db.r6g.2xlarge", 0.86),
    ("db.r6g.4xlarge", 1.72),
    ("db.r6i.large", 0.24),
    ("db.r6i.xlarge", 0.48),
    ("db.r6i.2xlarge", 0.96),
    ("db.r6i.4xlarge", 1.92),
    ("db.r7g.large", 0.239),
    ("db.r7g.xlarge", 0.478),
    ("db.r7g.2xlarge", 0.956),
    ("db.r7g.4xlarge", 1.912),
];

/// ElastiCache nodes running Redis OSS, by node type. The generated cache runs Valkey, which
/// AWS prices [`VALKEY_FACTOR`] times these.
const CACHE_PRICES: &[(&str, f64)] = &[
    ("cache.t3.micro", 0.017),
    ("cache.t3.small", 0.034),
    ("cache.t3.medium", 0.068),
    ("cache.t4g.micro", 0.016),
    ("cache.t4g.small", 0.032),
    ("cache.t4g.medium", 0.065),
    ("cache.m5.large", 0.156),
    ("cache.m5.xlarge", 0.311),
    ("cache.m5.2xlarge", 0.623),
    ("cache.m5.4xlarge", 1.245),
    ("cache.m6g.large", 0.149),
    ("cache.m6g.xlarge", 0.297),
    ("cache.m6g.2xlarge", 0.595),
    ("cache.m6g.4xlarge", 1.19),
    ("cache.m7g.large", 0.158),
    ("cache.m7g.xlarge", 0.315),
    ("cache.m7g.2xlarge", 0.63),
    ("cache.m7g.4xlarge", 1.26),
    ("cache.r5.large", 0.216),
    ("cache.r5.xlarge", 0.431),
    ("cache.r5.2xlarge", 0.862),
    ("cache.r5.4xlarge", 1.724),
    ("cache.r6g.large", 0.206),
    ("cache.r6g.xlarge", 0.411),
    ("cache.r6g.2xlarge", 0.821),
    ("cache.r6g.4xlarge", 1.642),
    ("cache.r7g.large", 0.219),
    ("cache.r7g.xlarge", 0.437),
    ("cache.r7g.2xlarge", 0.873),
    ("cache.r7g.4xlarge", 1.747),
];

/// ElastiCache for Valkey nodes cost 20% less than the same Redis OSS nodes.
/// ACM refuses a certificate whose first domain name (its Common Name) is longer than 64
/// characters (RFC 5280; ACM RequestCertificate, `DomainName`). The CDN's certificate is for
/// `cdn.<environment domain>` alone, so that host must fit.
pub(crate) const ACM_COMMON_NAME_MAX: usize = 64;

pub(crate) const VALKEY_FACTOR: f64 = 0.8;

/// DocumentDB instances (standard storage configuration), by instance class.
const DOCUMENTDB_PRICES: &[(&str, f64)] = &[
    ("db.t3.medium", 0.078),
    ("db.t4g.medium", 0.078),
    ("db.r6g.large", 0.249),
    ("db.r6g.xlarge", 0.497),
];

/// An EKS cluster's control plane, standard support.
pub(crate) const EKS_CONTROL_PLANE_HOURLY: f64 = 0.10;
/// A NAT gateway, before data processing.
pub(crate) const NAT_GATEWAY_HOURLY: f64 = 0.045;
/// A Network Load Balancer, before capacity units.
pub(crate) const NETWORK_LOAD_BALANCER_HOURLY: f64 = 0.0225;
/// EBS gp3 storage, per GiB and month.
pub(crate) const EBS_GP3_GIB_MONTHLY: f64 = 0.08;
/// RDS gp3 storage, Single-AZ, per GiB and month; Multi-AZ costs twice as much.
pub(crate) const RDS_GP3_GIB_MONTHLY: f64 = 0.115;

/// The hourly on-demand price of an instance type, node type or instance class of `service`, if
/// the table above has it.
pub(crate) fn hourly_price(service: Service, name: &str) -> Option<f64> {
    let (table, factor) = match service {
        Service::Ec2 => (EC2_PRICES, 1.0),
        Service::Rds => (RDS_PRICES, 1.0),
        Service::ElastiCache => (CACHE_PRICES, VALKEY_FACTOR),
        Service::DocumentDb => (DOCUMENTDB_PRICES, 1.0),
    };
    lookup(table, name).map(|price| price * factor)
}

/// The hourly on-demand price of a DocumentDB instance class, if the table above has it.
pub(crate) fn documentdb_hourly_price(class: &str) -> Option<f64> {
    lookup(DOCUMENTDB_PRICES, class)
}

fn lookup(table: &[(&str, f64)], name: &str) -> Option<f64> {
    table
        .iter()
        .find(|(known, _)| *known == name)
        .map(|(_, price)| *price)
}

/// Which AWS service an instance type is for; each has its own prefix and catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    Ec2,
    Rds,
    ElastiCache,
    DocumentDb,
}

/// Every service, in the order a misplaced type is looked up in the others' catalogues.
const SERVICES: [Service; 4] = [
    Service::Rds,
    Service::ElastiCache,
    Service::DocumentDb,
    Service::Ec2,
];

impl Service {
    pub(crate) fn prefix(self) -> &'static str {
        match self {
            Service::Ec2 => "",
            Service::Rds | Service::DocumentDb => "db.",
            Service::ElastiCache => "cache.",
        }
    }

    fn families(self) -> &'static [(&'static str, &'static [&'static str])] {
        match self {
            Service::Ec2 => EC2_FAMILIES,
            Service::Rds => RDS_FAMILIES,
            Service::ElastiCache => CACHE_FAMILIES,
            Service::DocumentDb => DOCUMENTDB_FAMILIES,
        }
    }

    fn what(self) -> &'static str {
        match self {
            Service::Ec2 => "an EC2 instance type",
            Service::Rds => "an RDS instance class",
            Service::ElastiCache => "an ElastiCache node type",
            Service::DocumentDb => "a DocumentDB instance class",
        }
    }

    /// Every valid type of this service, e.g. `db.t3.small`.
    pub(crate) fn all_types(self) -> impl Iterator<Item = String> {
        self.families().iter().flat_map(move |(family, sizes)| {
            sizes
                .iter()
                .map(move |size| format!("{}{family}.{size}", self.prefix()))
        })
    }
}

// Capacity. vCPUs and memory of the EC2 types above, from the AWS "Amazon EC2 Instance Types"
// specifications (docs.aws.amazon.com/ec2/latest/instancetypes/gp.html for t3, t3a and m*,
// co.html for c*, mo.html for r*): within a family, a size has the same vCPUs everywhere (medium
// 1, large 2, xlarge 4, Nxlarge 4N), and memory per vCPU is 4 GiB for the general-purpose
// families, 2 GiB for the compute-optimised ones and 8 GiB for the memory-optimised ones. The
// burstable t3 and t3a families are the exception, listed one by one. `.metal` differs by family
// (96 to 192 vCPUs): the smallest, m5/c5/r5.metal's 96, is used, a lower bound.

/// t3 and t3a: (size, vCPUs, memory in GiB; nano is half a GiB, written as 0).
const BURSTABLE_CAPACITY: &[(&str, u32, u32)] = &[
    ("nano", 2, 0),
    ("micro", 2, 1),
    ("small", 2, 2),
    ("medium", 2, 4),
    ("large", 2, 8),
    ("xlarge", 4, 16),
    ("2xlarge", 8, 32),
];

/// vCPUs of a size of the m, c and r families.
const SIZE_VCPUS: &[(&str, u32)] = &[
    ("medium", 1),
    ("large", 2),
    ("xlarge", 4),
    ("2xlarge", 8),
    ("4xlarge", 16),
    ("8xlarge", 32),
    ("12xlarge", 48),
    ("16xlarge", 64),
    ("24xlarge", 96),
    ("32xlarge", 128),
    ("48xlarge", 192),
    ("metal", 96),
];

/// What one EC2 instance offers: vCPUs and memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capacity {
    pub vcpus: u32,
    pub memory_mib: u32,
}

/// The vCPUs and memory of an EC2 instance type of the catalogue; `None` for another type.
pub fn ec2_capacity(instance_type: &str) -> Option<Capacity> {
    if !knows(Service::Ec2, instance_type) {
        return None;
    }
    let (family, size) = instance_type.split_once('.')?;
    if family == "t3" || family == "t3a" {
        let (_, vcpus, gib) = BURSTABLE_CAPACITY.iter().find(|(name, ..)| *name == size)?;
        let memory_mib = if *gib == 0 { 512 } else { gib * 1024 };
        return Some(Capacity {
            vcpus: *vcpus,
            memory_mib,
        });
    }
    let (_, vcpus) = SIZE_VCPUS.iter().find(|(name, _)| *name == size)?;
    let gib_per_vcpu = match family.chars().next()? {
        'c' => 2,
        'r' => 8,
        _ => 4,
    };
    Some(Capacity {
        vcpus: *vcpus,
        memory_mib: vcpus * gib_per_vcpu * 1024,
    })
}

/// Whether `value` is in the service's catalogue.
fn knows(service: Service, value: &str) -> bool {
    value
        .strip_prefix(service.prefix())
        .and_then(|rest| rest.split_once('.'))
        .is_some_and(|(family, size)| {
            service
                .families()
                .iter()
                .any(|(name, sizes)| *name == family && sizes.contains(&size))
        })
}

/// The same family and size as `value` in the service's catalogue, e.g. `cache.t3.small` for
/// `db.t3.small` when a node type is expected: what was probably meant.
fn counterpart(service: Service, value: &str) -> Option<String> {
    let bare = ["db.", "cache."]
        .iter()
        .find_map(|prefix| value.strip_prefix(prefix))
        .unwrap_or(value);
    let candidate = format!("{}{bare}", service.prefix());
    knows(service, &candidate).then_some(candidate)
}

/// Checks an instance type against the service's catalogue. The error says what is wrong
/// (another service's type, prefix, family or size), what is allowed, and what was probably
/// meant.
pub(crate) fn check_instance_type(service: Service, value: &str) -> Result<(), String> {
    if knows(service, value) {
        return Ok(());
    }
    let meant = counterpart(service, value)
        .map(|name| format!(" (did you mean `{name}`?)"))
        .unwrap_or_default();
    if let Some(other) = SERVICES
        .into_iter()
        // RDS and DocumentDB share `db.`: between them, the family or size is what is wrong.
        .find(|other| other.prefix() != service.prefix() && knows(*other, value))
    {
        return Err(format!(
            "this is {}, but {} is expected here{}{meant}",
            other.what(),
            service.what(),
            match service {
                Service::Ec2 => String::new(),
                _ => format!(" (they start with `{}`)", service.prefix()),
            }
        ));
    }
    let Some(rest) = value.strip_prefix(service.prefix()) else {
        return Err(format!(
            "{} starts with `{}`, as in `{}t3.{}`{meant}",
            service.what(),
            service.prefix(),
            service.prefix(),
            if service == Service::DocumentDb {
                "medium"
            } else {
                "small"
            },
        ));
    };
    if service == Service::Ec2 && ["db.", "cache."].iter().any(|p| value.starts_with(p)) {
        return Err(format!(
            "{} has no `db.` or `cache.` prefix, as in `t3.large`{meant}",
            service.what()
        ));
    }
    let Some((family, size)) = rest.split_once('.') else {
        return Err(format!(
            "{} has the form `{}FAMILY.SIZE`, as in `{}t3.large`",
            service.what(),
            service.prefix(),
            service.prefix()
        ));
    };
    if service == Service::Ec2 && EC2_ARM_FAMILIES.contains(&family) {
        return Err(format!(
            "`{family}` is an arm64 (Graviton) family, but the Open edX image is built for amd64: pick an x86 family such as `t3`, `m7i` or `c7i`"
        ));
    }
    let families = service.families().iter().map(|(name, _)| *name);
    let Some((_, sizes)) = service.families().iter().find(|(name, _)| *name == family) else {
        return Err(format!(
            "`{family}` is not a family of {} this generator knows{} (known: {})",
            service.what(),
            did_you_mean(family, families.clone()),
            families.collect::<Vec<_>>().join(", ")
        ));
    };
    Err(format!(
        "`{family}` has no size `{size}`{} (sizes: {})",
        did_you_mean(size, sizes.iter().copied()),
        sizes.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_known_types_of_each_service() {
        assert!(check_instance_type(Service::Ec2, "t3.large").is_ok());
        assert!(check_instance_type(Service::Ec2, "m7i-flex.xlarge").is_ok());
        assert!(check_instance_type(Service::Rds, "db.r7g.2xlarge").is_ok());
        assert!(check_instance_type(Service::ElastiCache, "cache.t4g.micro").is_ok());
    }

    #[test]
    fn names_what_is_wrong() {
        let wrong_service = check_instance_type(Service::ElastiCache, "db.t3.small").unwrap_err();
        assert!(
            wrong_service.contains("RDS instance class"),
            "{wrong_service}"
        );
        let family = check_instance_type(Service::Ec2, "t9.large").unwrap_err();
        assert!(family.contains("`t9`"), "{family}");
        let arm = check_instance_type(Service::Ec2, "m7g.large").unwrap_err();
        assert!(arm.contains("arm64"), "{arm}");
        assert!(
            check_instance_type(Service::Rds, "db.m7g.large").is_ok(),
            "RDS runs Graviton fine"
        );
        let size = check_instance_type(Service::Ec2, "t3.huge").unwrap_err();
        assert!(size.contains("`huge`"), "{size}");
        let prefix = check_instance_type(Service::Rds, "t3.small").unwrap_err();
        assert!(prefix.contains("`db.`"), "{prefix}");
    }

    #[test]
    fn every_listed_type_is_accepted() {
        for service in SERVICES {
            for name in service.all_types() {
                assert!(check_instance_type(service, &name).is_ok(), "{name}");
            }
        }
    }

    #[test]
    fn every_priced_type_is_one_the_catalogues_accept() {
        for (service, table) in [
            (Service::Ec2, EC2_PRICES),
            (Service::Rds, RDS_PRICES),
            (Service::ElastiCache, CACHE_PRICES),
            (Service::DocumentDb, DOCUMENTDB_PRICES),
        ] {
            for (name, price) in table {
                assert!(check_instance_type(service, name).is_ok(), "{name}");
                assert!(*price > 0.0 && *price < 20.0, "{name}");
                assert_eq!(
                    table.iter().filter(|(other, _)| other == name).count(),
                    1,
                    "{name} once"
                );
            }
        }
        assert_eq!(
            hourly_price(Service::ElastiCache, "cache.t3.small"),
            Some(0.034 * 0.8)
        );
        assert_eq!(hourly_price(Service::Ec2, "m5.metal"), None);
    }

    #[test]
    fn a_type_of_another_service_is_named_with_what_was_meant() {
        for (service, value, needles) in [
            (
                Service::ElastiCache,
                "db.t3.small",
                &["RDS instance class", "did you mean `cache.t3.small`?"][..],
            ),
            (
                Service::Rds,
                "cache.t4g.micro",
                &["ElastiCache node type", "did you mean `db.t4g.micro`?"],
            ),
            (
                Service::Rds,
                "t3.small",
                &["EC2 instance type", "`db.`", "did you mean `db.t3.small`?"],
            ),
            (
                Service::Ec2,
                "db.t3.large",
                &["RDS instance class", "did you mean `t3.large`?"],
            ),
            (
                Service::DocumentDb,
                "db.t3.small",
                &["`t3` has no size `small`", "medium"],
            ),
            (
                Service::DocumentDb,
                "cache.r6g.large",
                &["ElastiCache", "did you mean `db.r6g.large`?"],
            ),
            (Service::DocumentDb, "db.m5.large", &["`m5`", "r6g"]),
            (Service::Rds, "db.t4.small", &["did you mean `t3`?"]),
            (Service::Rds, "db.t3.smal", &["did you mean `small`?"]),
        ] {
            let message = check_instance_type(service, value).unwrap_err();
            for needle in needles {
                assert!(
                    message.contains(needle),
                    "{value}: {message} lacks {needle}"
                );
            }
        }
        assert!(check_instance_type(Service::DocumentDb, "db.t4g.medium").is_ok());
        assert!(check_instance_type(Service::DocumentDb, "db.r8g.2xlarge").is_ok());
    }

    #[test]
    fn every_ec2_type_of_the_catalogue_has_its_capacity() {
        for name in Service::Ec2.all_types() {
            let capacity = ec2_capacity(&name).unwrap_or_else(|| panic!("{name}"));
            assert!(capacity.vcpus >= 1 && capacity.memory_mib >= 512, "{name}");
        }
        let of = |name: &str| ec2_capacity(name).map(|c| (c.vcpus, c.memory_mib));
        assert_eq!(of("t3.large"), Some((2, 8192)));
        assert_eq!(of("t3a.medium"), Some((2, 4096)));
        assert_eq!(of("t3.nano"), Some((2, 512)));
        assert_eq!(of("m7i.xlarge"), Some((4, 16384)));
        assert_eq!(of("m7i-flex.2xlarge"), Some((8, 32768)));
        assert_eq!(of("c7i.large"), Some((2, 4096)));
        assert_eq!(of("r6i.xlarge"), Some((4, 32768)));
        assert_eq!(of("db.t3.large"), None);
    }

    #[test]
    fn performance_insights_is_off_exactly_on_the_small_burstable_mysql_classes() {
        // Pins B1: `performance_insights_enabled = true` on db.t3.small (the default) failed
        // CreateDBInstance with InvalidParameterCombination.
        for class in ["db.t3.micro", "db.t3.small", "db.t4g.micro", "db.t4g.small"] {
            assert!(check_instance_type(Service::Rds, class).is_ok(), "{class}");
            assert!(!mysql_supports_performance_insights(class), "{class}");
        }
        for class in [
            "db.t3.medium",
            "db.t4g.large",
            "db.m7g.large",
            "db.r6i.xlarge",
        ] {
            assert!(mysql_supports_performance_insights(class), "{class}");
        }
        // Every listed exception is an RDS class (t2 is too old for the catalogue).
        for class in RDS_MYSQL_WITHOUT_PERFORMANCE_INSIGHTS {
            assert!(
                class.starts_with("db.t2.") || check_instance_type(Service::Rds, class).is_ok(),
                "{class}"
            );
        }
    }
}
