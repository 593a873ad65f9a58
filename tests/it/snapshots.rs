//! One snapshot of the whole generated tree per example answers file: any change to any file,
//! and any file added or removed, shows up in review.

use crate::common;

#[test]
fn every_example_renders_to_its_snapshot() {
    for (name, text) in common::examples() {
        let tree = common::render(&text);
        let mut dump = String::new();
        for (file, contents) in &tree {
            if file.ends_with(".gz") {
                // The compressed update base: its text is every other file of this dump.
                dump.push_str(&format!("=== {file} === (compressed base, not shown)\n"));
            } else {
                dump.push_str(&format!("=== {file} ===\n{contents}"));
            }
        }
        insta::assert_snapshot!(name, dump);
    }
}
