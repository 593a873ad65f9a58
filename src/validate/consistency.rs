//! Check 7, the repository against its record (`.openedx-devops/`): the recorded answers are
//! valid, the environment folders are the recorded environments, and the manifest's hashes
//! tell which generated files were edited or deleted since (information, not errors).

use super::CheckKind;
use super::finding::Finding;
use super::tree::Tree;
use crate::answers::{Answers, load};
use crate::record::{ANSWERS_PATH, MANIFEST_PATH, Manifest, sha256_hex};
use std::collections::BTreeSet;

/// Folders that hold one subfolder per environment.
const ENVIRONMENT_FOLDERS: &[&str] = &["terraform/environments", "ci/tutor-deploy/environments"];

/// The recorded answers, validated, or the finding that says why not.
pub(crate) fn answers(tree: &Tree) -> Result<Answers, Finding> {
    let Some(text) = tree.text(ANSWERS_PATH) else {
        return Err(Finding::error(
            CheckKind::Answers,
            ANSWERS_PATH,
            "is missing or not UTF-8: the answers this repository was generated from are unknown",
        )
        .help("restore it from version control"));
    };
    let invalid = |message: String| {
        Finding::error(CheckKind::Answers, ANSWERS_PATH, message)
            .help("fix the answers, then run `openedx-devops update`")
    };
    let raw = load::parse(text).map_err(invalid)?;
    load::settle(raw, &[]).map_err(|error| invalid(error.to_string()))
}

/// Environment folders against the answers' environments.
pub(crate) fn environments(tree: &Tree, answers: &Answers) -> Vec<Finding> {
    let recorded: BTreeSet<&str> = answers
        .environments
        .iter()
        .map(|environment| environment.name.as_str())
        .collect();
    let mut findings = Vec::new();
    for folder in ENVIRONMENT_FOLDERS {
        if !tree.is_dir(folder) {
            continue;
        }
        let present = tree.subdirs(folder);
        for name in recorded.difference(&present) {
            findings.push(
                Finding::error(
                    CheckKind::Answers,
                    format!("{folder}/{name}"),
                    format!("is missing: the answers record environment `{name}`"),
                )
                .help("run `openedx-devops update` to generate it, or remove the environment from the answers"),
            );
        }
        for name in present.difference(&recorded) {
            findings.push(
                Finding::warning(
                    CheckKind::Answers,
                    format!("{folder}/{name}"),
                    format!(
                        "environment `{name}` is not in the answers ({}){}",
                        recorded.iter().copied().collect::<Vec<_>>().join(", "),
                        crate::suggest::did_you_mean(name, recorded.iter().copied())
                    ),
                )
                .help(format!("add it to `{ANSWERS_PATH}` and run `openedx-devops update`, or remove the folder")),
            );
        }
    }
    findings
}

/// Generated files edited or deleted since generation (information).
pub(crate) fn edits(tree: &Tree, manifest: &Manifest) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (path, entry) in &manifest.files {
        match tree.bytes(path) {
            None => findings.push(Finding::info(
                CheckKind::Answers,
                path.as_str(),
                "generated, then deleted",
            )),
            Some(bytes) if sha256_hex(bytes) != entry.sha256 => findings.push(Finding::info(
                CheckKind::Answers,
                path.as_str(),
                "generated, then edited (`openedx-devops update` keeps the edit)",
            )),
            Some(_) => {}
        }
    }
    findings
}

/// The manifest, or why it cannot be read.
pub(crate) fn manifest(tree: &Tree) -> Result<Manifest, Finding> {
    let text = tree
        .text(MANIFEST_PATH)
        .ok_or_else(|| Finding::error(CheckKind::Answers, MANIFEST_PATH, "is not UTF-8 text"))?;
    Manifest::from_json(text).map_err(|error| {
        Finding::error(
            CheckKind::Answers,
            MANIFEST_PATH,
            format!("does not hold a manifest: {error}"),
        )
        .at(Some(error.line()), Some(error.column()))
        .help("restore it from version control")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn tree_of(files: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
        files
            .iter()
            .map(|(path, text)| ((*path).to_owned(), text.as_bytes().to_vec()))
            .collect()
    }

    const ANSWERS: &str = "platform_name: yourschool\nroot_domain: yourschool.example\naws_region: us-east-1\naws_account_id: \"123456789012\"\n";

    #[test]
    fn environment_folders_match_the_answers() {
        let files = tree_of(&[
            (ANSWERS_PATH, ANSWERS),
            ("terraform/environments/prod/env.hcl", "\n"),
            ("terraform/environments/prd/env.hcl", "\n"),
            ("ci/tutor-deploy/environments/prod/config.yml", "\n"),
        ]);
        let tree = Tree::from_files(&files);
        let answers = answers(&tree).unwrap();
        let findings = environments(&tree, &answers);
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].path, "terraform/environments/prd");
        assert!(
            findings[0].message.contains("did you mean `prod`?"),
            "{findings:?}"
        );
        let files = tree_of(&[
            (ANSWERS_PATH, ANSWERS),
            ("terraform/environments/dev/env.hcl", "\n"),
        ]);
        let findings = environments(&Tree::from_files(&files), &answers);
        assert_eq!(findings[0].path, "terraform/environments/prod");
        assert!(findings[0].message.starts_with("is missing"));
    }

    #[test]
    fn invalid_answers_are_an_error_naming_the_key() {
        let files = tree_of(&[(ANSWERS_PATH, &ANSWERS.replace("us-east-1", "us-east-9"))]);
        let finding = answers(&Tree::from_files(&files)).unwrap_err();
        assert!(finding.message.contains("aws_region"), "{finding:?}");
        assert!(answers(&Tree::default()).is_err());
    }

    #[test]
    fn edits_and_deletions_are_information() {
        let mut rendered = crate::render::RenderedTree::new();
        for (path, text) in [("a.txt", "a\n"), ("b.txt", "b\n"), ("c.txt", "c\n")] {
            rendered.insert(
                path.into(),
                crate::render::RenderedFile {
                    contents: text.as_bytes().to_vec(),
                    executable: false,
                },
            );
        }
        let manifest = Manifest::of(&rendered);
        let files = tree_of(&[("a.txt", "a\n"), ("b.txt", "edited\n")]);
        let findings = edits(&Tree::from_files(&files), &manifest);
        let summary: Vec<_> = findings
            .iter()
            .map(|f| (f.path.as_str(), f.severity, f.message.as_str()))
            .collect();
        assert_eq!(
            summary,
            [
                (
                    "b.txt",
                    super::super::finding::Severity::Info,
                    "generated, then edited (`openedx-devops update` keeps the edit)"
                ),
                (
                    "c.txt",
                    super::super::finding::Severity::Info,
                    "generated, then deleted"
                ),
            ]
        );
    }
}
