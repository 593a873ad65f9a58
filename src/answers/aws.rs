//! Embedded AWS facts the answers are checked against: region codes and the instance families
//! and sizes of EC2, RDS and ElastiCache. Pure data and lookups; no network.

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

/// Which AWS service an instance type is for; each has its own prefix and catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    Ec2,
    Rds,
    ElastiCache,
}

impl Service {
    pub(crate) fn prefix(self) -> &'static str {
        match self {
            Service::Ec2 => "",
            Service::Rds => "db.",
            Service::ElastiCache => "cache.",
        }
    }

    fn families(self) -> &'static [(&'static str, &'static [&'static str])] {
        match self {
            Service::Ec2 => EC2_FAMILIES,
            Service::Rds => RDS_FAMILIES,
            Service::ElastiCache => CACHE_FAMILIES,
        }
    }

    fn what(self) -> &'static str {
        match self {
            Service::Ec2 => "an EC2 instance type",
            Service::Rds => "an RDS instance class",
            Service::ElastiCache => "an ElastiCache node type",
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

/// Checks an instance type against the service's catalogue. The error says what is wrong
/// (prefix, family or size) and what is allowed.
pub(crate) fn check_instance_type(service: Service, value: &str) -> Result<(), String> {
    for other in [Service::Rds, Service::ElastiCache] {
        if other != service && value.starts_with(other.prefix()) {
            return Err(format!(
                "this is {}, but {} is expected here{}",
                other.what(),
                service.what(),
                match service {
                    Service::Ec2 => String::new(),
                    _ => format!(" (they start with `{}`)", service.prefix()),
                }
            ));
        }
    }
    let Some(rest) = value.strip_prefix(service.prefix()) else {
        return Err(format!(
            "{} starts with `{}`, as in `{}t3.small`",
            service.what(),
            service.prefix(),
            service.prefix()
        ));
    };
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
    let Some((_, sizes)) = service.families().iter().find(|(name, _)| *name == family) else {
        let known: Vec<&str> = service.families().iter().map(|(name, _)| *name).collect();
        return Err(format!(
            "`{family}` is not a family of {} this generator knows (known: {})",
            service.what(),
            known.join(", ")
        ));
    };
    if !sizes.contains(&size) {
        return Err(format!(
            "`{family}` has no size `{size}` (sizes: {})",
            sizes.join(", ")
        ));
    }
    Ok(())
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
        for service in [Service::Ec2, Service::Rds, Service::ElastiCache] {
            for name in service.all_types() {
                assert!(check_instance_type(service, &name).is_ok(), "{name}");
            }
        }
    }
}
