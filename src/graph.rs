//! The Terragrunt unit dependency graph (unit -> the units it depends on, as the validation
//! stage reads it) drawn as Mermaid or DOT, so people see the apply order. Pure.

use std::collections::{BTreeMap, BTreeSet};

/// How the graph is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A Mermaid flowchart (GitHub renders it in Markdown).
    Mermaid,
    /// Graphviz DOT.
    Dot,
}

/// The text of the graph: an edge from each unit to each unit it depends on.
pub fn render(graph: &BTreeMap<String, BTreeSet<String>>, format: Format) -> String {
    let ids: BTreeMap<&str, String> = graph
        .keys()
        .chain(graph.values().flatten())
        .map(|unit| (unit.as_str(), node_id(unit)))
        .collect();
    let label = |unit: &str| unit.strip_prefix("terraform/").unwrap_or(unit).to_owned();
    let mut out = String::new();
    match format {
        Format::Mermaid => {
            out.push_str("flowchart LR\n");
            for (unit, id) in &ids {
                out.push_str(&format!("  {id}[\"{}\"]\n", label(unit)));
            }
            for (unit, dependencies) in graph {
                for dependency in dependencies {
                    out.push_str(&format!(
                        "  {} --> {}\n",
                        ids[dependency.as_str()],
                        ids[unit.as_str()]
                    ));
                }
            }
        }
        Format::Dot => {
            out.push_str("digraph terragrunt {\n  rankdir=LR;\n  node [shape=box];\n");
            for (unit, id) in &ids {
                out.push_str(&format!("  {id} [label=\"{}\"];\n", label(unit)));
            }
            for (unit, dependencies) in graph {
                for dependency in dependencies {
                    out.push_str(&format!(
                        "  {} -> {};\n",
                        ids[dependency.as_str()],
                        ids[unit.as_str()]
                    ));
                }
            }
            out.push_str("}\n");
        }
    }
    out
}

fn node_id(unit: &str) -> String {
    unit.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edges_point_from_a_dependency_to_its_dependent() {
        let mut graph = BTreeMap::new();
        graph.insert("terraform/prod/vpc".to_owned(), BTreeSet::new());
        graph.insert(
            "terraform/prod/eks".to_owned(),
            BTreeSet::from(["terraform/prod/vpc".to_owned()]),
        );
        let mermaid = render(&graph, Format::Mermaid);
        assert!(
            mermaid.contains("terraform_prod_vpc --> terraform_prod_eks"),
            "{mermaid}"
        );
        assert!(
            mermaid.contains("terraform_prod_eks[\"prod/eks\"]"),
            "{mermaid}"
        );
        let dot = render(&graph, Format::Dot);
        assert!(
            dot.contains("terraform_prod_vpc -> terraform_prod_eks;"),
            "{dot}"
        );
    }
}
