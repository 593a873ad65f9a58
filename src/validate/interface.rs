//! A module's variables as its callers see them (a local module's or a catalogued one's), and a
//! call's arguments compared with them: what checks 3 and 4 share. Pure.

use super::terraform::{Module, Parsed, Site};
use crate::suggest::did_you_mean;
use std::collections::{BTreeMap, BTreeSet};

/// A variable as a caller sees it: required or not, and where it is declared, when local.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Declared {
    pub required: bool,
    /// `path:line` of the declaration.
    pub at: Option<String>,
}

/// The variables of a module, named for messages (`module `terraform/modules/vpc``).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Interface {
    pub label: String,
    pub variables: BTreeMap<String, Declared>,
}

impl Interface {
    pub(crate) fn of_local(parsed: &Parsed, module: &Module) -> Interface {
        let variables = module
            .variables
            .iter()
            .map(|(name, variable)| {
                let at = variable.site.and_then(|site| {
                    let file = parsed.get(site.path)?;
                    let (line, _) = super::finding::line_column(file.text, site.offset);
                    Some(format!("{}:{line}", site.path))
                });
                (
                    name.clone(),
                    Declared {
                        required: variable.required,
                        at,
                    },
                )
            })
            .collect();
        Interface {
            label: format!("module `{}`", module.dir),
            variables,
        }
    }
}

/// Arguments a module does not declare (with a suggestion) and required ones not given.
#[derive(Debug, Default)]
pub(crate) struct Comparison<'a> {
    pub unknown: Vec<(String, Site<'a>, String)>,
    pub missing: Vec<String>,
}

pub(crate) fn compare<'a>(
    interface: &Interface,
    arguments: impl IntoIterator<Item = (&'a str, Site<'a>)>,
) -> Comparison<'a> {
    let mut given = BTreeSet::new();
    let mut comparison = Comparison::default();
    for (name, site) in arguments {
        given.insert(name);
        if !interface.variables.contains_key(name) {
            let suggestion = did_you_mean(name, interface.variables.keys().map(String::as_str));
            comparison.unknown.push((name.to_owned(), site, suggestion));
        }
    }
    comparison.missing = interface
        .variables
        .iter()
        .filter(|(name, declared)| declared.required && !given.contains(name.as_str()))
        .map(|(name, _)| name.clone())
        .collect();
    comparison
}
