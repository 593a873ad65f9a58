//! One snapshot of the whole generated tree per example answers file: any change to any file,
//! and any file added or removed, shows up in review.

use std::path::Path;

#[test]
fn every_example_renders_to_its_snapshot() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut names: Vec<_> = std::fs::read_dir(&examples)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yml"))
        .collect();
    names.sort();
    assert!(names.len() >= 3, "examples/ holds the example answers");
    for path in names {
        let text = std::fs::read_to_string(&path).unwrap();
        let tree = openedx_devops::render_yaml(&text)
            .unwrap_or_else(|error| panic!("{}: {error:#}", path.display()));
        let mut dump = String::new();
        for (file, contents) in &tree {
            if file.ends_with(".gz") {
                // The compressed update base: its text is every other file of this dump.
                dump.push_str(&format!("=== {file} === (compressed base, not shown)\n"));
            } else {
                dump.push_str(&format!("=== {file} ===\n{contents}"));
            }
        }
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        insta::assert_snapshot!(name, dump);
    }
}
