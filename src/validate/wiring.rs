//! Check 3, module wiring: the inputs of each Terragrunt unit (its own and those merged from the
//! files it includes) against the variables of its module, local or catalogued; the arguments
//! of calls between local modules; and, inside every local module, that each `var.x` is
//! declared and each `local.x` and `module.x` exists. Pure.

use super::CheckKind;
use super::finding::Finding;
use super::interface::{Interface, compare};
use super::registry::{self, Resolution};
use super::terraform::{Module, Parsed, ReferenceKind, Site};
use super::terragrunt::{Source, Unit};
use super::tree::{join, parent};
use crate::suggest::did_you_mean;
use std::collections::{BTreeMap, BTreeSet};

/// Check 3.
pub(crate) fn check(
    parsed: &Parsed,
    units: &[Unit],
    modules: &BTreeMap<String, Module>,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut included: BTreeMap<(&str, &str), IncludedInput> = BTreeMap::new();
    for unit in units {
        let (found, interface) = check_unit(parsed, unit, modules);
        findings.extend(found);
        for inputs in &unit.included_inputs {
            for (name, site) in &inputs.keys {
                let entry = included
                    .entry((site.path, name.as_str()))
                    .or_insert_with(|| IncludedInput {
                        site: *site,
                        declared: false,
                        unknown_interface: false,
                        labels: BTreeSet::new(),
                        candidates: BTreeSet::new(),
                    });
                match &interface {
                    Some(interface) => {
                        entry.declared |= interface.variables.contains_key(name);
                        entry.labels.insert(interface.label.clone());
                        entry.candidates.extend(interface.variables.keys().cloned());
                    }
                    None => entry.unknown_interface = true,
                }
            }
        }
    }
    findings.extend(undeclared_included_inputs(parsed, &included));
    for module in modules.values() {
        findings.extend(check_references(parsed, module));
        findings.extend(check_local_calls(parsed, module, modules));
    }
    findings
}

fn text_of<'a>(parsed: &Parsed<'a>, path: &str) -> &'a str {
    parsed.get(path).map_or("", |file| file.text)
}

/// An input key of a file that units include, as the modules of those units see it.
struct IncludedInput<'a> {
    site: Site<'a>,
    /// Some unit's module declares it.
    declared: bool,
    /// Some unit's module is not known (a remote source): nothing can be said.
    unknown_interface: bool,
    labels: BTreeSet<String>,
    candidates: BTreeSet<String>,
}

/// An input of an included file that no module of the units including it declares: Terraform
/// ignores it everywhere (a typo in `_envcommon/<unit>.hcl`). A file such as `root.hcl` may set
/// inputs that only some of its units use; those are declared somewhere and pass.
fn undeclared_included_inputs(
    parsed: &Parsed,
    included: &BTreeMap<(&str, &str), IncludedInput>,
) -> Vec<Finding> {
    included
        .iter()
        .filter(|(_, input)| {
            !input.declared && !input.unknown_interface && !input.labels.is_empty()
        })
        .map(|((path, name), input)| {
            let labels: Vec<&str> = input.labels.iter().map(String::as_str).collect();
            let suggestion = did_you_mean(name, input.candidates.iter().map(String::as_str));
            let what = match labels.as_slice() {
                [label] => {
                    format!("{label}, which every unit that includes this file runs{suggestion}")
                }
                _ => format!(
                    "any module the units that include this file run ({}){suggestion}",
                    labels.join(", ")
                ),
            };
            Finding::error(
                CheckKind::Wiring,
                *path,
                format!("input `{name}` is not a variable of {what}; Terraform would ignore it"),
            )
            .at_offset(text_of(parsed, path), input.site.offset)
        })
        .collect()
}

/// The unit's findings, and its module's interface when it is known.
fn check_unit(
    parsed: &Parsed,
    unit: &Unit,
    modules: &BTreeMap<String, Module>,
) -> (Vec<Finding>, Option<Interface>) {
    let interface = match &unit.source {
        Source::Local(dir) => match modules.get(dir) {
            Some(module) => Interface::of_local(parsed, module),
            None => return (Vec::new(), None),
        },
        Source::Registry {
            address,
            submodule,
            version,
        } => match registry::resolve(address, submodule, version.as_deref()) {
            Resolution::Found(interface) => interface,
            resolution => {
                let findings = registry::problem(address, &resolution)
                    .zip(unit.source_site)
                    .map(|((message, help), site)| {
                        Finding::error(CheckKind::Registry, site.path, message)
                            .at_offset(text_of(parsed, site.path), site.offset)
                            .help(help.replace("`version = ", "`?version="))
                    })
                    .into_iter()
                    .collect();
                return (findings, None);
            }
        },
        Source::Other => return (Vec::new(), None),
    };
    let text = text_of(parsed, unit.path);
    let mut findings = Vec::new();
    // Only the unit's own inputs are reported when undeclared: shared inputs from root.hcl may
    // serve other units.
    let own = compare(
        &interface,
        unit.inputs
            .keys
            .iter()
            .map(|(name, site)| (name.as_str(), *site)),
    );
    for (name, site, suggestion) in own.unknown {
        findings.push(
            Finding::error(
                CheckKind::Wiring,
                site.path,
                format!(
                    "input `{name}` is not a variable of {}{suggestion}; Terraform would ignore it",
                    interface.label
                ),
            )
            .at_offset(text_of(parsed, site.path), site.offset),
        );
    }
    let open = unit.inputs.open.as_ref().or(unit.inherited_open());
    if let Some(why) = open {
        findings.push(
            Finding::info(
                CheckKind::Wiring,
                unit.path,
                format!(
                    "inputs depend on {why}; required variables of {} not checked",
                    interface.label
                ),
            )
            .at_offset(text, unit.inputs.site.map_or(0, |site| site.offset)),
        );
        return (findings, Some(interface));
    }
    let all_keys = unit
        .inputs
        .keys
        .iter()
        .map(|(name, site)| (name.as_str(), *site))
        .chain(unit.inherited_keys());
    let offset = unit
        .inputs
        .site
        .or(unit.source_site.filter(|site| site.path == unit.path))
        .map_or(0, |site| site.offset);
    for name in compare(&interface, all_keys).missing {
        let declared = interface.variables[&name]
            .at
            .as_ref()
            .map(|at| format!(" (declared at {at})"))
            .unwrap_or_default();
        findings.push(
            Finding::error(
                CheckKind::Wiring,
                unit.path,
                format!(
                    "{} requires variable `{name}`{declared}, which no input of this unit sets",
                    interface.label
                ),
            )
            .at_offset(text, offset)
            .help(format!(
                "add `{name} = ...` to `inputs`, or give the variable a `default`"
            )),
        );
    }
    (findings, Some(interface))
}

/// `var.x` declared, `local.x` and `module.x` defined, inside one local module.
fn check_references(parsed: &Parsed, module: &Module) -> Vec<Finding> {
    let call_names: BTreeSet<&str> = module.calls.iter().map(|call| call.name.as_str()).collect();
    let mut findings = Vec::new();
    for reference in &module.references {
        let name = reference.name.as_str();
        let (known, what, candidates): (bool, &str, Vec<&str>) = match reference.kind {
            ReferenceKind::Var => (
                module.variables.contains_key(name),
                "no `variable` block declares",
                module.variables.keys().map(String::as_str).collect(),
            ),
            ReferenceKind::Local => (
                module.locals.contains_key(name),
                "no `locals` block defines",
                module.locals.keys().map(String::as_str).collect(),
            ),
            ReferenceKind::Module => (
                call_names.contains(name),
                "no `module` block is named",
                call_names.iter().copied().collect(),
            ),
        };
        if known {
            continue;
        }
        let prefix = match reference.kind {
            ReferenceKind::Var => "var",
            ReferenceKind::Local => "local",
            ReferenceKind::Module => "module",
        };
        findings.push(
            Finding::error(
                CheckKind::Wiring,
                reference.site.path,
                format!(
                    "`{prefix}.{name}`: {what} `{name}` in module `{}`{}",
                    module.dir,
                    did_you_mean(name, candidates)
                ),
            )
            .at_offset(text_of(parsed, reference.site.path), reference.site.offset),
        );
    }
    findings
}

/// Calls from one local module to another (`source = "../x"`): arguments against variables.
fn check_local_calls(
    parsed: &Parsed,
    module: &Module,
    modules: &BTreeMap<String, Module>,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for call in &module.calls {
        let Some(source) = call.source.as_deref() else {
            continue;
        };
        if !(source.starts_with("./") || source.starts_with("../")) {
            continue;
        }
        let text = text_of(parsed, call.site.path);
        let target = join(parent(call.site.path), source);
        let Some(target) = target.as_deref().and_then(|dir| modules.get(dir)) else {
            findings.push(
                Finding::error(
                    CheckKind::Wiring,
                    call.site.path,
                    format!(
                        "module `{}`: `source = \"{source}\"` is not a folder with `.tf` files",
                        call.name
                    ),
                )
                .at_offset(text, call.site.offset),
            );
            continue;
        };
        let interface = Interface::of_local(parsed, target);
        let comparison = compare(
            &interface,
            call.arguments
                .iter()
                .map(|(name, site)| (name.as_str(), *site)),
        );
        for (name, site, suggestion) in comparison.unknown {
            findings.push(
                Finding::error(
                    CheckKind::Wiring,
                    site.path,
                    format!(
                        "`{name}` is not a variable of {}{suggestion}",
                        interface.label
                    ),
                )
                .at_offset(text, site.offset),
            );
        }
        for name in comparison.missing {
            findings.push(
                Finding::error(
                    CheckKind::Wiring,
                    call.site.path,
                    format!(
                        "module `{}` does not set `{name}`, which {} requires",
                        call.name, interface.label
                    ),
                )
                .at_offset(text, call.site.offset),
            );
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use crate::validate::fixture::{self, messages, terraform_findings};

    const VPC: &str = "terraform/environments/prod/vpc/terragrunt.hcl";

    #[test]
    fn a_required_variable_no_unit_supplies_is_named_in_each_unit() {
        let variables = format!(
            "{}\nvariable \"azs\" {{\n  type = list(string)\n}}\n",
            fixture::VPC_VARIABLES
        );
        let files = fixture::with("terraform/modules/vpc/variables.tf", &variables);
        assert_eq!(
            messages(&files),
            [format!(
                "{VPC}:10: module `terraform/modules/vpc` requires variable `azs` (declared at terraform/modules/vpc/variables.tf:14), which no input of this unit sets"
            )]
        );
    }

    #[test]
    fn inputs_from_included_files_count_and_unknown_own_inputs_are_named() {
        // `tags` of the ecr module comes from root.hcl's inputs.
        let clean = terraform_findings(&fixture::bytes(fixture::files()));
        assert!(clean.is_empty(), "{clean:#?}");
        let files = fixture::with(VPC, &fixture::VPC_UNIT.replace("  cidr = ", "  cidrr = "));
        assert_eq!(
            messages(&files),
            [
                format!(
                    "{VPC}:10: module `terraform/modules/vpc` requires variable `cidr` (declared at terraform/modules/vpc/variables.tf:5), which no input of this unit sets"
                ),
                format!(
                    "{VPC}:12: input `cidrr` is not a variable of module `terraform/modules/vpc` (did you mean `cidr`?); Terraform would ignore it"
                ),
            ]
        );
    }

    #[test]
    fn a_typo_in_an_envcommon_input_is_named_once_and_a_root_input_some_module_uses_is_not() {
        let common = "terraform/_envcommon/eks.hcl";
        let files = fixture::envcommon_with(
            common,
            &fixture::ENVCOMMON_EKS.replace("  vpc_id = dependency", "  vpcid = dependency"),
        );
        assert_eq!(
            messages(&files),
            [
                format!(
                    "{common}:17: input `vpcid` is not a variable of module `terraform/modules/eks`, which every unit that includes this file runs (did you mean `vpc_id`?); Terraform would ignore it"
                ),
                "terraform/environments/dev/eks/terragrunt.hcl:10: module `terraform/modules/eks` requires variable `vpc_id` (declared at terraform/modules/eks/main.tf:1), which no input of this unit sets".to_owned(),
                "terraform/environments/prod/eks/terragrunt.hcl:10: module `terraform/modules/eks` requires variable `vpc_id` (declared at terraform/modules/eks/main.tf:1), which no input of this unit sets".to_owned(),
            ]
        );
        // root.hcl's `tags` is a variable of the vpc and ecr modules, not of eks: no finding.
        let clean = terraform_findings(&fixture::bytes(fixture::envcommon_files()));
        assert!(clean.is_empty(), "{clean:#?}");
    }

    #[test]
    fn an_input_set_in_the_unit_satisfies_what_the_envcommon_file_leaves_out() {
        let common =
            fixture::ENVCOMMON_EKS.replace("  vpc_id = dependency.vpc.outputs.vpc_id\n", "");
        let unit = fixture::SHORT_EKS_UNIT.replace(
            "inputs = {\n}",
            "dependency \"vpc\" {\n  config_path = \"../vpc\"\n}\n\ninputs = {\n  vpc_id = dependency.vpc.outputs.vpc_id\n}",
        );
        let mut files = fixture::envcommon_files();
        files.insert("terraform/_envcommon/eks.hcl".into(), common);
        files.insert(
            "terraform/environments/prod/eks/terragrunt.hcl".into(),
            unit,
        );
        let found = messages(&fixture::bytes(files));
        // Only dev, whose unit sets nothing, lacks `vpc_id`.
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(found[0].starts_with("terraform/environments/dev/eks/terragrunt.hcl:10: module `terraform/modules/eks` requires variable `vpc_id`"), "{found:#?}");
    }

    #[test]
    fn computed_inputs_skip_the_required_check_as_information() {
        let files = fixture::with(
            VPC,
            &fixture::VPC_UNIT
                .replace(
                    "inputs = {",
                    "locals {\n  extra = jsondecode(file(\"extra.json\"))\n}\n\ninputs = merge(local.extra, {",
                )
                .replace("16\"\n}", "16\"\n})"),
        );
        let findings = terraform_findings(&files);
        assert_eq!(findings.len(), 1, "{findings:#?}");
        assert_eq!(findings[0].severity, crate::validate::Severity::Info);
    }

    #[test]
    fn undeclared_references_inside_a_module_are_named() {
        let main = fixture::EKS_MAIN
            .replace("var.vpc_id", "var.vpcid")
            .replace("local.vpc\n", "local.vcp\n");
        let files = fixture::with(
            "terraform/modules/eks/main.tf",
            &format!("{main}\noutput \"x\" {{\n  value = module.nothing.id\n}}\n"),
        );
        let found = messages(&files);
        assert_eq!(
            found,
            [
                "terraform/modules/eks/main.tf:6: `var.vpcid`: no `variable` block declares `vpcid` in module `terraform/modules/eks` (did you mean `vpc_id`?)",
                "terraform/modules/eks/main.tf:10: `local.vcp`: no `locals` block defines `vcp` in module `terraform/modules/eks` (did you mean `vpc`?)",
                "terraform/modules/eks/main.tf:14: `module.nothing`: no `module` block is named `nothing` in module `terraform/modules/eks`",
            ]
        );
    }

    #[test]
    fn calls_between_local_modules_are_checked() {
        let call =
            "module \"network\" {\n  source = \"../vpc\"\n  name   = \"x\"\n  cidrr  = \"y\"\n}\n";
        let files = fixture::with("terraform/modules/eks/network.tf", call);
        let found = messages(&files);
        assert_eq!(
            found,
            [
                "terraform/modules/eks/network.tf:1: module `network` does not set `cidr`, which module `terraform/modules/vpc` requires",
                "terraform/modules/eks/network.tf:4: `cidrr` is not a variable of module `terraform/modules/vpc` (did you mean `cidr`?)",
            ]
        );
    }
}
