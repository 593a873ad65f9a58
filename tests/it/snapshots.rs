//! Snapshots a reviewer can read (uv's pattern), of the repositories the binary generates from
//! the example answers files:
//!
//! - `snapshots/listing/<example>.snap`: every file of the example with its mode, size and a
//!   short hash of its bytes, so any byte of any file, and any file added or removed, shows;
//! - `snapshots/<example>/<path>.snap`: the text of each file, named by its path, for the
//!   fullest example (`full`) and, for each other example, the files whose bytes no example
//!   before it has at that path (the components `full` leaves out, the values that differ).
//!   `.openedx-devops/manifest.json` and `base.json.gz` are only listed: they are hashes and a
//!   compressed copy of the other files.
//!
//! A snapshot left over for a file no longer generated fails too. Review changes with
//! `cargo insta review`; `INSTA_UPDATE=always cargo test` writes them all.

use crate::common::{self, Repo, example};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

/// The example every file of which has a snapshot; the others follow in name order.
const FULLEST: &str = "full";

/// Files only the listing shows: derived from the others.
const LISTED_ONLY: &[&str] = &[
    ".openedx-devops/manifest.json",
    ".openedx-devops/base.json.gz",
];

/// Where the snapshots are, relative to this file's folder.
const SNAPSHOTS: &str = "snapshots";

type Files = BTreeMap<String, (Vec<u8>, bool)>;

/// Every example's generated files, the fullest first.
fn generated() -> Vec<(String, Files)> {
    let mut names: Vec<String> = common::examples()
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    names.sort_by_key(|name| name != FULLEST);
    assert_eq!(names[0], FULLEST, "examples/{FULLEST}.yml exists");
    names
        .into_iter()
        .map(|name| {
            let files = Repo::new().answers(example(&name)).generate().files();
            (name, files)
        })
        .collect()
}

/// One line a file: mode as git records it, size, the first 12 hex digits of its SHA-256, path.
fn listing(files: &Files) -> String {
    let mut text = String::new();
    for (path, (bytes, executable)) in files {
        let mode = if *executable { "755" } else { "644" };
        let hash = Sha256::digest(bytes);
        let hash: String = hash[..6].iter().map(|byte| format!("{byte:02x}")).collect();
        text.push_str(&format!("{mode} {:>6} {hash} {path}\n", bytes.len()));
    }
    text
}

/// Runs each snapshot assertion, then fails naming all that failed (insta stops at the first).
#[derive(Default)]
struct Assertions {
    failed: Vec<String>,
}

impl Assertions {
    /// `snapshots/<folder>/<name>.snap` holds `text`.
    fn assert(&mut self, folder: &str, name: &str, text: &str) {
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(format!("{SNAPSHOTS}/{folder}"));
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        let asserted = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            settings.bind(|| insta::assert_snapshot!(name, text));
        }));
        if asserted.is_err() {
            self.failed.push(format!("{folder}/{name}"));
        }
    }

    fn finish(self) {
        assert!(
            self.failed.is_empty(),
            "{} snapshots differ (review with `cargo insta review`):\n{}",
            self.failed.len(),
            self.failed.join("\n")
        );
    }
}

/// Every `.snap` file below the snapshot folder, without `.snap`: `full/README.md`.
fn snapshot_files() -> BTreeSet<String> {
    let root = common::checkout(&format!("tests/it/{SNAPSHOTS}"));
    walkdir::WalkDir::new(&root)
        .into_iter()
        .map(|entry| entry.unwrap())
        .filter(|entry| entry.file_type().is_file())
        .filter_map(|entry| {
            let relative = entry.path().strip_prefix(&root).unwrap();
            let relative = relative.to_string_lossy().replace('\\', "/");
            relative.strip_suffix(".snap").map(str::to_owned)
        })
        .collect()
}

#[test]
fn every_generated_file_matches_its_snapshots() {
    let examples = generated();
    let mut assertions = Assertions::default();
    let mut expected = BTreeSet::new();
    for (index, (name, files)) in examples.iter().enumerate() {
        assertions.assert("listing", name, &listing(files));
        expected.insert(format!("listing/{name}"));
        for (path, (bytes, _)) in files {
            let earlier = examples[..index]
                .iter()
                .any(|(_, other)| other.get(path).is_some_and(|(theirs, _)| theirs == bytes));
            if earlier || LISTED_ONLY.contains(&path.as_str()) {
                continue;
            }
            let text = std::str::from_utf8(bytes)
                .unwrap_or_else(|_| panic!("{name}: `{path}` is not text: list it only"));
            let (folder, file) = match path.rsplit_once('/') {
                Some((folder, file)) => (format!("{name}/{folder}"), file),
                None => (name.clone(), path.as_str()),
            };
            assertions.assert(&folder, file, text);
            expected.insert(format!("{name}/{path}"));
        }
    }
    assertions.finish();
    let found = snapshot_files();
    let stale: Vec<&String> = found.difference(&expected).collect();
    assert!(
        stale.is_empty(),
        "snapshots of files no longer generated (delete them): {stale:?}"
    );
}
