//! `graph`: the Terragrunt unit dependency graph of a repository as Mermaid or DOT, so people
//! see the apply order. Reads the folder through `check`'s Terragrunt reader.

use crate::cli::{GraphArgs, GraphFormat};
use std::collections::{BTreeMap, BTreeSet};

/// Prints the graph of a repository folder.
pub fn run(args: &GraphArgs) -> anyhow::Result<()> {
    let graph = crate::check::unit_graph(&args.dir)?;
    if graph.is_empty() {
        anyhow::bail!(
            "`{}` has no Terragrunt units (no terragrunt.hcl below it)",
            args.dir.display()
        );
    }
    print!("{}", render(&graph, args.format));
    Ok(())
}

/// The text of the graph: an edge from each unit to each unit it depends on.
pub fn render(graph: &BTreeMap<String, BTreeSet<String>>, format: GraphFormat) -> String {
    let ids: BTreeMap<&str, String> = graph
        .keys()
        .chain(graph.values().flatten())
        .map(|unit| (unit.as_str(), node_id(unit)))
        .collect();
    let label = |unit: &str| unit.strip_prefix("terraform/").unwrap_or(unit).to_owned();
    let mut out = String::new();
    match format {
        GraphFormat::Mermaid => {
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
        GraphFormat::Dot => {
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
        let mermaid = render(&graph, GraphFormat::Mermaid);
        assert!(
            mermaid.contains("terraform_prod_vpc --> terraform_prod_eks"),
            "{mermaid}"
        );
        assert!(
            mermaid.contains("terraform_prod_eks[\"prod/eks\"]"),
            "{mermaid}"
        );
        let dot = render(&graph, GraphFormat::Dot);
        assert!(
            dot.contains("terraform_prod_vpc -> terraform_prod_eks;"),
            "{dot}"
        );
    }
}
