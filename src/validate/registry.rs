//! Check 4, registry modules: every call of a terraform-aws-modules module pins a version that
//! the embedded catalog knows, passes only inputs that version declares and every one it
//! requires. The catalog (`interfaces.json`) holds variable names and required flags of the
//! newest release of each major; it is extracted from `../shared/module-interfaces` by the
//! ignored test `regenerate_interfaces_json` below (`cargo test --lib -- --ignored
//! regenerate_interfaces_json`).

use super::CheckKind;
use super::constraint::{Constraint, Version};
use super::finding::Finding;
use super::interface::{Declared, Interface, compare};
use super::terraform::{Module, ModuleCall, Parsed};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The modules whose interfaces are embedded.
#[cfg(test)]
pub(crate) const CATALOGUED: &[&str] = &[
    "eks",
    "vpc",
    "rds",
    "s3-bucket",
    "acm",
    "cloudfront",
    "iam",
    "security-group",
    "elasticache",
    "ec2-instance",
    "kms",
    "route53",
    "eks-pod-identity",
    "ecr",
];
const NAMESPACE: &str = "terraform-aws-modules";

/// The embedded catalog as stored: variable sets shared between module paths, and
/// registry address -> version -> module path (`""` or `modules/x`) -> set index.
#[derive(Debug, Serialize, Deserialize)]
struct CatalogFile {
    about: String,
    sets: Vec<VariableSet>,
    modules: BTreeMap<String, BTreeMap<String, BTreeMap<String, usize>>>,
}

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
struct VariableSet {
    required: Vec<String>,
    optional: Vec<String>,
}

fn catalog() -> &'static CatalogFile {
    static CATALOG: OnceLock<CatalogFile> = OnceLock::new();
    CATALOG.get_or_init(|| {
        serde_json::from_str(include_str!("interfaces.json"))
            .expect("src/validate/interfaces.json is valid (tested)")
    })
}

/// What a registry source and constraint resolve to.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Resolution {
    Found(Interface),
    /// Not a terraform-aws-modules module the catalog holds: not checked.
    NotCatalogued,
    NoVersion {
        newest: String,
    },
    BadConstraint(String),
    NoMatch {
        known: Vec<String>,
    },
    NoSubmodule {
        version: String,
        submodule: String,
        known: Vec<String>,
    },
}

/// `terraform-aws-modules/vpc/aws` and `modules/x` of a module source, if it is a registry one.
pub(crate) fn registry_address(source: &str) -> Option<(String, String)> {
    let source = source
        .strip_prefix("registry.terraform.io/")
        .unwrap_or(source);
    let (address, submodule) = source.split_once("//").unwrap_or((source, ""));
    let parts: Vec<&str> = address.split('/').collect();
    let is_registry = parts.len() == 3
        && parts.iter().all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        });
    is_registry.then(|| (address.to_owned(), submodule.trim_matches('/').to_owned()))
}

/// Resolves a registry module and version constraint to a catalogued interface.
pub(crate) fn resolve(address: &str, submodule: &str, constraint: Option<&str>) -> Resolution {
    let Some(versions) = catalog().modules.get(address) else {
        return Resolution::NotCatalogued;
    };
    let mut known: Vec<(Version, &String)> = versions
        .keys()
        .filter_map(|text| Version::parse(text).map(|(version, _)| (version, text)))
        .collect();
    known.sort();
    let Some(constraint) = constraint else {
        return Resolution::NoVersion {
            newest: known
                .last()
                .map(|(_, text)| (*text).clone())
                .unwrap_or_default(),
        };
    };
    let constraint = match Constraint::parse(constraint) {
        Ok(constraint) => constraint,
        Err(message) => return Resolution::BadConstraint(message),
    };
    let Some((_, version)) = known
        .iter()
        .rev()
        .find(|(version, _)| constraint.matches(*version))
    else {
        return Resolution::NoMatch {
            known: known.iter().map(|(_, text)| (*text).clone()).collect(),
        };
    };
    let paths = &versions[*version];
    let Some(&index) = paths.get(submodule) else {
        return Resolution::NoSubmodule {
            version: (*version).clone(),
            submodule: submodule.to_owned(),
            known: paths
                .keys()
                .filter(|path| !path.is_empty())
                .cloned()
                .collect(),
        };
    };
    let set = &catalog().sets[index];
    let label = if submodule.is_empty() {
        format!("`{address}` {version}")
    } else {
        format!("`{address}//{submodule}` {version}")
    };
    let variables = set
        .required
        .iter()
        .map(|name| {
            (
                name.clone(),
                Declared {
                    required: true,
                    at: None,
                },
            )
        })
        .chain(set.optional.iter().map(|name| {
            (
                name.clone(),
                Declared {
                    required: false,
                    at: None,
                },
            )
        }))
        .collect();
    Resolution::Found(Interface { label, variables })
}

/// A resolution problem as a message and a fix; `None` when there is an interface or nothing
/// to say.
pub(crate) fn problem(address: &str, resolution: &Resolution) -> Option<(String, String)> {
    match resolution {
        Resolution::Found(_) | Resolution::NotCatalogued => None,
        Resolution::NoVersion { newest } => Some((
            format!("`{address}` has no version constraint"),
            format!("pin it, e.g. `version = \"{newest}\"`"),
        )),
        Resolution::BadConstraint(message) => Some((message.clone(), "fix the constraint".into())),
        Resolution::NoMatch { known } => Some((
            format!(
                "the version constraint matches no release of `{address}` the catalog knows ({})",
                known.join(", ")
            ),
            format!(
                "pin a catalogued release, e.g. `{}`",
                known.last().map_or("", String::as_str)
            ),
        )),
        Resolution::NoSubmodule {
            version,
            submodule,
            known,
        } => Some((
            format!(
                "`{address}` {version} has no submodule `{submodule}`{}",
                crate::suggest::did_you_mean(submodule, known.iter().map(String::as_str))
            ),
            "use one of the module's `modules/` folders".into(),
        )),
    }
}

/// Check 4 over every module call in the local modules.
pub(crate) fn check(parsed: &Parsed, modules: &BTreeMap<String, Module>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for module in modules.values() {
        for call in &module.calls {
            findings.extend(check_call(parsed, call));
        }
    }
    findings
}

fn check_call(parsed: &Parsed, call: &ModuleCall) -> Vec<Finding> {
    let Some((address, submodule)) = call.source.as_deref().and_then(registry_address) else {
        return Vec::new();
    };
    if !address.starts_with(&format!("{NAMESPACE}/")) {
        return Vec::new();
    }
    let Some(file) = parsed.get(call.site.path) else {
        return Vec::new();
    };
    let text = file.text;
    let constraint = call.version.as_ref().map(|(version, _)| version.as_str());
    let resolution = resolve(&address, &submodule, constraint);
    if resolution == Resolution::NotCatalogued {
        return vec![
            Finding::info(
                CheckKind::Registry,
                call.site.path,
                format!("module `{}`: `{address}` is not in the embedded catalog; its inputs are not checked", call.name),
            )
            .at_offset(text, call.site.offset),
        ];
    }
    if let Some((message, help)) = problem(&address, &resolution) {
        let offset = call
            .version
            .as_ref()
            .map_or(call.site.offset, |(_, site)| site.offset);
        return vec![
            Finding::error(
                CheckKind::Registry,
                call.site.path,
                format!("module `{}`: {message}", call.name),
            )
            .at_offset(text, offset)
            .help(help),
        ];
    }
    let Resolution::Found(interface) = resolution else {
        return Vec::new();
    };
    let comparison = compare(
        &interface,
        call.arguments
            .iter()
            .map(|(name, site)| (name.as_str(), *site)),
    );
    let mut findings: Vec<Finding> = comparison
        .unknown
        .into_iter()
        .map(|(name, site, suggestion)| {
            Finding::error(
                CheckKind::Registry,
                site.path,
                format!(
                    "`{name}` is not an input of {}{suggestion}",
                    interface.label
                ),
            )
            .at_offset(text, site.offset)
        })
        .collect();
    for name in comparison.missing {
        findings.push(
            Finding::error(
                CheckKind::Registry,
                call.site.path,
                format!(
                    "module `{}` does not set `{name}`, which {} requires",
                    call.name, interface.label
                ),
            )
            .at_offset(text, call.site.offset)
            .help(format!("add `{name} = ...` to the module block")),
        );
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::tree::Tree;

    fn run(main_tf: &str) -> Vec<Finding> {
        let files: BTreeMap<String, Vec<u8>> =
            [("m/main.tf".to_owned(), main_tf.as_bytes().to_vec())].into();
        let tree = Tree::from_files(&files);
        let parsed = Parsed::parse(&tree);
        let modules = super::super::terraform::modules(&parsed);
        check(&parsed, &modules)
    }

    fn vpc(version: &str, arguments: &str) -> String {
        format!(
            "module \"vpc\" {{\n  source  = \"terraform-aws-modules/vpc/aws\"\n  {version}\n  count   = 1\n{arguments}}}\n"
        )
    }

    #[test]
    fn the_embedded_catalog_parses_and_covers_every_module() {
        for name in CATALOGUED {
            let address = format!("{NAMESPACE}/{name}/aws");
            assert!(catalog().modules.contains_key(&address), "{address}");
        }
        assert!(
            catalog()
                .sets
                .iter()
                .all(|set| !(set.required.is_empty() && set.optional.is_empty()))
        );
    }

    #[test]
    fn the_pinned_blueprint_versions_are_catalogued() {
        let versions: serde_json::Value =
            serde_saphyr::from_str(include_str!("../../blueprints/_versions.yml")).unwrap();
        for (key, version) in versions["modules"].as_object().unwrap() {
            let address = format!("{NAMESPACE}/{}/aws", key.replace('_', "-"));
            let resolution = resolve(&address, "", version.as_str());
            assert!(
                matches!(
                    resolution,
                    Resolution::Found(_) | Resolution::NoSubmodule { .. }
                ),
                "{address} {version}: {resolution:?}"
            );
        }
    }

    #[test]
    fn a_clean_call_passes() {
        let findings = run(&vpc(
            "version = \"~> 6.6\"",
            "  name = \"x\"\n  enable_nat_gateway = true\n  providers = {}\n",
        ));
        assert!(findings.is_empty(), "{findings:?}");
    }

    #[test]
    fn an_undeclared_argument_is_named_with_a_suggestion() {
        let findings = run(&vpc("version = \"6.6.0\"", "  enable_nat_gatway = true\n"));
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].line, Some(5));
        assert!(
            findings[0]
                .message
                .contains("(did you mean `enable_nat_gateway`?)"),
            "{}",
            findings[0].message
        );
    }

    #[test]
    fn versions_must_be_pinned_and_catalogued() {
        let missing = run(&vpc("", ""));
        assert!(
            missing[0].message.contains("no version constraint"),
            "{missing:?}"
        );
        assert_eq!(
            missing[0].help.as_deref(),
            Some("pin it, e.g. `version = \"6.6.0\"`")
        );
        let unknown = run(&vpc("version = \"6.5.0\"", ""));
        assert!(
            unknown[0].message.contains("matches no release"),
            "{unknown:?}"
        );
        assert_eq!(unknown[0].line, Some(3));
        let bad = run(&vpc("version = \"latest\"", ""));
        assert!(
            bad[0].message.contains("not a version constraint"),
            "{bad:?}"
        );
        let range = run(&vpc("version = \">= 5.0, < 6.0\"", "  name = \"x\"\n"));
        assert!(range.is_empty(), "{range:?}");
    }

    #[test]
    fn required_inputs_and_submodules_are_checked() {
        let findings = run(
            "module \"db\" {\n  source  = \"terraform-aws-modules/rds/aws\"\n  version = \"7.2.0\"\n}\nmodule \"role\" {\n  source  = \"terraform-aws-modules/iam/aws//modules/iam-rolee\"\n  version = \"6.5.0\"\n}\nmodule \"other\" {\n  source = \"someone/thing/aws\"\n}\n",
        );
        assert_eq!(findings.len(), 2, "{findings:?}");
        assert!(
            findings[0].message.contains("does not set `identifier`"),
            "{findings:?}"
        );
        assert!(
            findings[1]
                .message
                .contains("did you mean `modules/iam-role`?"),
            "{findings:?}"
        );
    }

    #[test]
    fn registry_addresses_are_told_from_paths() {
        assert_eq!(
            registry_address("terraform-aws-modules/iam/aws//modules/iam-role"),
            Some((
                "terraform-aws-modules/iam/aws".into(),
                "modules/iam-role".into()
            ))
        );
        assert_eq!(registry_address("../modules/vpc"), None);
        assert_eq!(registry_address("git::https://x/y.git"), None);
    }

    /// Regenerates `src/validate/interfaces.json` from `../shared/module-interfaces` (see its
    /// README.md): names and required flags only, identical variable sets stored once.
    #[test]
    #[ignore = "regenerates src/validate/interfaces.json from ../shared/module-interfaces"]
    fn regenerate_interfaces_json() {
        #[derive(Deserialize)]
        struct SourceFile {
            registry: String,
            versions: BTreeMap<String, BTreeMap<String, SourcePath>>,
        }
        #[derive(Deserialize)]
        struct SourcePath {
            vars: BTreeMap<String, SourceVariable>,
        }
        #[derive(Deserialize)]
        struct SourceVariable {
            required: bool,
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let source = root.join("../shared/module-interfaces");
        let mut sets: Vec<VariableSet> = Vec::new();
        let mut modules = BTreeMap::new();
        for name in CATALOGUED {
            let path = source.join(format!("{NAMESPACE}__{name}__aws.json"));
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
            let file: SourceFile = serde_json::from_str(&text).unwrap();
            let mut versions = BTreeMap::new();
            for (version, paths) in file.versions {
                let mut indexes = BTreeMap::new();
                for (module_path, interface) in paths {
                    let (required, optional) = interface
                        .vars
                        .iter()
                        .partition::<Vec<_>, _>(|(_, variable)| variable.required);
                    let set = VariableSet {
                        required: required.into_iter().map(|(name, _)| name.clone()).collect(),
                        optional: optional.into_iter().map(|(name, _)| name.clone()).collect(),
                    };
                    let index = sets
                        .iter()
                        .position(|known| *known == set)
                        .unwrap_or_else(|| {
                            sets.push(set);
                            sets.len() - 1
                        });
                    indexes.insert(module_path, index);
                }
                versions.insert(version, indexes);
            }
            modules.insert(file.registry, versions);
        }
        // One set or module per line: small diffs when the catalog is re-extracted.
        let mut text = String::from("{\n");
        text.push_str(&format!(
            "\"about\": {},\n",
            serde_json::to_string(
                "Variable names and required flags of terraform-aws-modules modules, extracted from ../shared/module-interfaces by `cargo test --lib -- --ignored regenerate_interfaces_json`. Do not edit."
            )
            .unwrap()
        ));
        text.push_str("\"sets\": [\n");
        for (index, set) in sets.iter().enumerate() {
            let comma = if index + 1 < sets.len() { "," } else { "" };
            text.push_str(&format!("{}{comma}\n", serde_json::to_string(set).unwrap()));
        }
        text.push_str("],\n\"modules\": {\n");
        let count = modules.len();
        for (index, (address, versions)) in modules.iter().enumerate() {
            let comma = if index + 1 < count { "," } else { "" };
            text.push_str(&format!(
                "{}: {}{comma}\n",
                serde_json::to_string(address).unwrap(),
                serde_json::to_string(versions).unwrap()
            ));
        }
        text.push_str("}\n}\n");
        let parsed: CatalogFile = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed.modules.len(), CATALOGUED.len());
        std::fs::write(root.join("src/validate/interfaces.json"), text).unwrap();
    }
}
