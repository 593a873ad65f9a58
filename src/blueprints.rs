//! The blueprint set: template files by path, the `_plan.yml` rules beside them and the pinned
//! versions. Embedded in the binary at build time; a folder can stand in (tests, blueprint work).

use anyhow::Context as _;
use include_dir::{Dir, include_dir};
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

static EMBEDDED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/blueprints");

/// Name of the rule files that may sit in any blueprint folder.
pub(crate) const RULES_FILE: &str = "_plan.yml";
/// Name of the pinned versions file at the blueprint root.
pub(crate) const VERSIONS_FILE: &str = "_versions.yml";

/// One rule of a `_plan.yml`, with its glob made relative to the blueprint root.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Rule {
    pub path: String,
    #[serde(default)]
    pub when: Option<String>,
    #[serde(default)]
    pub render: Option<bool>,
    #[serde(default)]
    pub executable: Option<bool>,
    /// `false`: the file is written although a segment of its path starts with one underscore
    /// (Terragrunt's `_envcommon/`), instead of being a partial.
    #[serde(default)]
    pub partial: Option<bool>,
    /// The rule file this rule comes from, for messages.
    #[serde(skip)]
    pub origin: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    #[serde(default)]
    rules: Vec<Rule>,
}

/// A complete set of blueprints: files (without rule and version files), rules and versions.
#[derive(Debug, Clone)]
pub struct BlueprintSet {
    /// Borrowed from the binary for the embedded set; owned when read from elsewhere.
    pub(crate) files: BTreeMap<String, Cow<'static, [u8]>>,
    pub(crate) rules: Vec<Rule>,
    pub(crate) versions: serde_json::Value,
}

impl BlueprintSet {
    /// The blueprints built into this binary.
    pub fn embedded() -> anyhow::Result<BlueprintSet> {
        let mut files = BTreeMap::new();
        collect_embedded(&EMBEDDED, &mut files);
        BlueprintSet::from_cow_files(files).context("the embedded blueprints are broken (a bug)")
    }

    /// Blueprints read from a folder laid out like `blueprints/`.
    pub fn from_dir(root: &Path) -> anyhow::Result<BlueprintSet> {
        let mut files = BTreeMap::new();
        collect_dir(root, root, &mut files)?;
        BlueprintSet::from_files(files)
            .with_context(|| format!("blueprints in `{}`", root.display()))
    }

    /// Splits raw files (path -> bytes) into templates, rules and versions.
    pub fn from_files(files: BTreeMap<String, Vec<u8>>) -> anyhow::Result<BlueprintSet> {
        BlueprintSet::from_cow_files(
            files
                .into_iter()
                .map(|(path, bytes)| (path, Cow::Owned(bytes)))
                .collect(),
        )
    }

    fn from_cow_files(
        mut files: BTreeMap<String, Cow<'static, [u8]>>,
    ) -> anyhow::Result<BlueprintSet> {
        let versions = match files.remove(VERSIONS_FILE) {
            Some(bytes) => {
                let text = std::str::from_utf8(&bytes).context("`_versions.yml` is not UTF-8")?;
                serde_saphyr::from_str(text)
                    .map_err(|error| anyhow::anyhow!("`{VERSIONS_FILE}`: {error}"))?
            }
            None => serde_json::Value::Object(Default::default()),
        };
        let rule_paths: Vec<String> = files
            .keys()
            .filter(|path| file_name(path) == RULES_FILE)
            .cloned()
            .collect();
        let mut rules = Vec::new();
        for rule_path in rule_paths {
            let bytes = files.remove(&rule_path).unwrap_or_default();
            let text = std::str::from_utf8(&bytes)
                .with_context(|| format!("`{rule_path}` is not UTF-8"))?;
            let parsed: RuleFile = serde_saphyr::from_str(text)
                .map_err(|error| anyhow::anyhow!("`{rule_path}`: {error}"))?;
            let folder = rule_path
                .strip_suffix(RULES_FILE)
                .unwrap_or_default()
                .to_owned();
            for mut rule in parsed.rules {
                if rule.partial == Some(true) {
                    anyhow::bail!(
                        "`{rule_path}`: the rule for `{}` says `partial: true`; a file is a partial by its name (one leading underscore), a rule can only say `partial: false`",
                        rule.path
                    );
                }
                rule.path = format!("{folder}{}", rule.path);
                rule.origin = rule_path.clone();
                rules.push(rule);
            }
        }
        Ok(BlueprintSet {
            files,
            rules,
            versions,
        })
    }

    /// Blueprint paths and contents, sorted.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files
            .iter()
            .map(|(path, bytes)| (path.as_str(), bytes.as_ref()))
    }

    /// The pinned versions, grouped (`versions.<group>.<name>`).
    pub fn versions(&self) -> &serde_json::Value {
        &self.versions
    }
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Text: UTF-8 without NUL bytes. The one rule for text against binary, for blueprints (a binary
/// one is copied, not rendered), renders and repositories alike.
pub(crate) fn is_text(bytes: &[u8]) -> bool {
    !bytes.contains(&0) && std::str::from_utf8(bytes).is_ok()
}

/// True for metadata and partials: a segment that starts with exactly one underscore. A rule
/// with `partial: false` makes such a file an ordinary one (see `plan`).
pub(crate) fn is_hidden(path: &str) -> bool {
    path.split('/')
        .any(|segment| segment.starts_with('_') && !segment.starts_with("__"))
}

fn collect_embedded(dir: &'static Dir<'static>, files: &mut BTreeMap<String, Cow<'static, [u8]>>) {
    for file in dir.files() {
        let path = file.path().to_string_lossy().replace('\\', "/");
        files.insert(path, Cow::Borrowed(file.contents()));
    }
    for child in dir.dirs() {
        collect_embedded(child, files);
    }
}

fn collect_dir(
    root: &Path,
    dir: &Path,
    files: &mut BTreeMap<String, Vec<u8>>,
) -> anyhow::Result<()> {
    for entry in fs_err::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            collect_dir(root, &path, files)?;
        } else {
            let relative = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            files.insert(relative, fs_err::read(&path)?);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_blueprints_load_with_versions_and_rules() {
        let set = BlueprintSet::embedded().unwrap();
        assert!(set.files.contains_key("README.md"));
        assert!(set.versions["openedx"]["tutor"].is_string());
        assert!(!set.files.keys().any(|path| path.ends_with(RULES_FILE)));
    }

    /// `openedx-devops versions` lists `_versions.yml` as what the repository pins: a version no
    /// blueprint uses would be a claim the output does not keep.
    #[test]
    fn every_pinned_version_is_used_by_a_blueprint() {
        let set = BlueprintSet::embedded().unwrap();
        let text: String = set
            .iter()
            .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
            .collect();
        for (group, entries) in set.versions.as_object().unwrap() {
            for name in entries.as_object().unwrap().keys() {
                let reference = format!("versions.{group}.{name}");
                assert!(
                    text.contains(&reference),
                    "`{reference}` is pinned but no blueprint uses it"
                );
            }
        }
    }

    #[test]
    fn hidden_paths() {
        assert!(is_hidden("_readme/x.md"));
        assert!(is_hidden("a/_plan.yml"));
        assert!(!is_hidden("ci/plugin/__init__.py"));
        assert!(!is_hidden(
            "terraform/environments/__env__/vpc/terragrunt.hcl"
        ));
    }

    #[test]
    fn rules_are_rooted_at_their_folder() {
        let mut files = BTreeMap::new();
        files.insert(
            "terraform/_plan.yml".to_owned(),
            b"rules:\n  - path: \"x/**\"\n    when: answers.bastion\n".to_vec(),
        );
        files.insert("terraform/x/a.tf".to_owned(), b"\n".to_vec());
        let set = BlueprintSet::from_files(files).unwrap();
        assert_eq!(set.rules[0].path, "terraform/x/**");
        assert_eq!(set.rules[0].origin, "terraform/_plan.yml");
    }

    #[test]
    fn only_partial_false_is_a_rule() {
        let mut files = BTreeMap::new();
        files.insert(
            "t/_plan.yml".to_owned(),
            b"rules:\n  - path: \"x.hcl\"\n    partial: true\n".to_vec(),
        );
        let error = BlueprintSet::from_files(files).unwrap_err();
        assert!(format!("{error:#}").contains("partial: false"), "{error:#}");
    }

    #[test]
    fn a_misspelt_rule_field_is_refused() {
        let mut files = BTreeMap::new();
        files.insert(
            "_plan.yml".to_owned(),
            b"rules:\n  - path: a\n    wehn: x\n".to_vec(),
        );
        let error = BlueprintSet::from_files(files).unwrap_err();
        assert!(format!("{error:#}").contains("_plan.yml"), "{error:#}");
    }
}
