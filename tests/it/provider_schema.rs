//! Check 9 (provider schemas) over whole rendered repositories: every example's `resource` and
//! `data` blocks match the embedded schemas of the pinned providers, and a defect planted in a
//! rendered module is reported at its file and line. (`schema.rs` is the answers JSON Schema.)

use crate::common;
use openedx_devops::validate::{CheckKind, Finding, check_files};
use std::collections::BTreeMap;

/// The providers whose schemas are embedded: only their types are checked.
const PROVIDERS: &[&str] = &["aws_", "kubernetes_", "helm_", "random_"];

fn bytes(tree: &common::Tree) -> BTreeMap<String, Vec<u8>> {
    tree.iter()
        .map(|(path, text)| (path.clone(), text.clone().into_bytes()))
        .collect()
}

fn schema_findings(files: &BTreeMap<String, Vec<u8>>) -> Vec<Finding> {
    check_files(files)
        .findings
        .into_iter()
        .filter(|finding| finding.check == CheckKind::Schema)
        .collect()
}

/// `resource "x"` and `data "x"` blocks of the checked providers in a tree's `.tf` files.
fn checked_blocks(tree: &common::Tree) -> usize {
    tree.iter()
        .filter(|(path, _)| path.ends_with(".tf"))
        .flat_map(|(_, text)| text.lines())
        .filter(|line| {
            ["resource \"", "data \""].iter().any(|start| {
                line.strip_prefix(start)
                    .is_some_and(|rest| PROVIDERS.iter().any(|p| rest.starts_with(p)))
            })
        })
        .count()
}

#[test]
fn every_example_renders_clean_against_the_provider_schemas() {
    for (name, answers) in common::examples() {
        // Rendering runs the validation stage, check 9 included: an error fails `render`.
        let tree = common::render(&answers);
        let blocks = checked_blocks(&tree);
        assert!(blocks >= 20, "{name}: only {blocks} checked blocks");
        let findings = schema_findings(&bytes(&tree));
        assert!(findings.is_empty(), "{name}: {findings:#?}");
    }
}

/// Issue 15: the documentdb module set `copy_tags_to_snapshot` on `aws_docdb_cluster`, which
/// has no such argument (its instances have). Planted back into a rendered tree, it is found.
#[test]
fn copy_tags_to_snapshot_on_the_documentdb_cluster_is_reported() {
    let tree = common::render(&common::read_checkout("examples/full.yml"));
    let path = "terraform/modules/documentdb/main.tf";
    let text = &tree[path];
    let anchor = "  skip_final_snapshot             = false\n";
    assert!(text.contains(anchor), "{text}");
    let planted = text.replacen(
        anchor,
        &format!("{anchor}  copy_tags_to_snapshot           = true\n"),
        1,
    );
    let line = planted[..planted.find("copy_tags_to_snapshot").unwrap()]
        .matches('\n')
        .count()
        + 1;
    let mut files = bytes(&tree);
    files.insert(path.to_owned(), planted.into_bytes());
    let found: Vec<String> = schema_findings(&files)
        .iter()
        .map(|f| format!("{}:{}: {}", f.path, f.line.unwrap_or(0), f.message))
        .collect();
    assert_eq!(
        found,
        [format!(
            "{path}:{line}: `copy_tags_to_snapshot` is not an argument of `aws_docdb_cluster.this`"
        )]
    );
}

/// `new` refuses to write a tree that fails the check: a `helm_release` in the helm 2 `set { }`
/// syntax, planted in a rendered tree, is an error of the render scope too.
#[test]
fn a_planted_defect_in_a_module_is_an_error() {
    let tree = common::render(&common::read_checkout("examples/seed-like.yml"));
    let path = "terraform/modules/kubernetes-addons/main.tf";
    let mut files = bytes(&tree);
    let text = format!(
        "{}\nresource \"helm_release\" \"planted\" {{\n  name  = \"x\"\n  chart = \"y\"\n  set {{\n    name  = \"a\"\n    value = \"b\"\n  }}\n}}\n",
        tree[path]
    );
    let line = text.lines().count() - 4;
    files.insert(path.to_owned(), text.into_bytes());
    let findings = schema_findings(&files);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0].line, Some(line));
    assert!(findings[0].severity.is_error());
    assert_eq!(
        findings[0].message,
        "`set` is an argument of `helm_release.planted`, not a block"
    );
}
