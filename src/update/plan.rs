//! The update plan: each file classified from its three versions (base = last generated,
//! ours = the repository now, theirs = the new render) into what `update` will do: one
//! [`FilePlan`] per path, with the [`Effect`] that `apply` carries out. Pure: reads no disk.

use super::merge::{Merged, merge, whole_file_conflict};
use super::read::{Disk, OnDisk};
use crate::record::{self, Record};
use crate::render::{RenderedFile, RenderedTree};
use serde::Serialize;
use std::collections::BTreeSet;

/// What `update` does with one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// New in the template; written.
    Create,
    /// Unchanged by you, changed by the template; replaced by the new render.
    Update,
    /// Changed by you and by the template in different places; merged.
    Merge,
    /// Changed by both in the same lines (or a new file where you already have one); needs you.
    Conflict,
    /// No longer produced by the template and unchanged by you; deleted.
    Delete,
    /// No longer produced by the template but changed by you; kept, no longer managed.
    KeepModified,
    /// Changed by you only; kept as it is.
    Modified,
    /// Deleted by you; stays deleted.
    Removed,
    /// Nothing to do.
    Unchanged,
}

impl Action {
    /// Whether the action changes the repository (what `--check` reports as drift).
    pub fn changes_files(self) -> bool {
        matches!(
            self,
            Action::Create
                | Action::Update
                | Action::Merge
                | Action::Conflict
                | Action::Delete
                | Action::KeepModified
        )
    }

    /// What the verb means, for the legend under a plan.
    pub fn meaning(self) -> &'static str {
        match self {
            Action::Create => "new in the template; written",
            Action::Update => "you did not change it, the template did; replaced",
            Action::Merge => "you and the template changed different lines; both kept",
            Action::Conflict => "you and the template changed the same lines; markers to resolve",
            Action::Delete => "the template dropped it and you did not change it; deleted",
            Action::KeepModified => "the template dropped it but you changed it; kept, now yours",
            Action::Modified => "you changed it, the template did not; kept as it is",
            Action::Removed => "you deleted it; stays deleted",
            Action::Unchanged => "nothing to do",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Merge => "merge",
            Action::Conflict => "conflict",
            Action::Delete => "delete",
            Action::KeepModified => "keep-modified",
            Action::Modified => "modified",
            Action::Removed => "removed",
            Action::Unchanged => "unchanged",
        }
    }
}

/// The three versions of one path.
#[derive(Debug, Clone, Copy)]
pub struct Versions<'a> {
    pub path: &'a str,
    /// The hash the manifest recorded (None: the generator never produced this path).
    pub base_hash: Option<&'a str>,
    /// The recorded text, when the base store has it.
    pub base_text: Option<&'a str>,
    pub ours: Option<&'a OnDisk>,
    pub theirs: Option<&'a RenderedFile>,
}

/// What `apply` does at one path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Leave the file as it is.
    Keep,
    /// Write these contents with this executable bit.
    Write { contents: Vec<u8>, executable: bool },
    /// Delete the file.
    Delete,
}

/// The plan for one path: what the three versions say ([`Action`], for people) and what to do
/// ([`Effect`], for `apply`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FilePlan {
    pub path: String,
    pub action: Action,
    #[serde(skip)]
    pub effect: Effect,
    /// Whether the new manifest records this path as generated.
    #[serde(skip)]
    pub recorded: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl FilePlan {
    pub(crate) fn new(path: &str, action: Action) -> FilePlan {
        FilePlan {
            path: path.to_owned(),
            action,
            effect: Effect::Keep,
            recorded: false,
            note: None,
        }
    }

    fn recorded(mut self) -> FilePlan {
        self.recorded = true;
        self
    }

    pub(crate) fn writing(mut self, contents: Vec<u8>, executable: bool) -> FilePlan {
        self.effect = Effect::Write {
            contents,
            executable,
        };
        self
    }

    fn deleting(mut self) -> FilePlan {
        self.effect = Effect::Delete;
        self
    }

    fn noting(mut self, note: impl Into<String>) -> FilePlan {
        self.note = Some(note.into());
        self
    }

    /// The contents this plan writes, if it writes.
    pub fn written(&self) -> Option<&[u8]> {
        match &self.effect {
            Effect::Write { contents, .. } => Some(contents),
            Effect::Keep | Effect::Delete => None,
        }
    }
}

/// Plans one path from its three versions.
pub fn classify(versions: Versions<'_>) -> FilePlan {
    let Versions {
        path,
        base_hash,
        base_text,
        ours,
        theirs,
    } = versions;
    let edited = |disk: &OnDisk| disk.edited(base_hash);
    match (base_hash, ours, theirs) {
        (_, None, None) => FilePlan::new(path, Action::Unchanged),
        // A path the generator never produced.
        (None, None, Some(new)) => FilePlan::new(path, Action::Create)
            .recorded()
            .writing(new.contents.clone(), new.executable),
        (None, Some(disk), Some(new)) if disk.contents == new.contents => {
            let decision = FilePlan::new(path, Action::Unchanged).recorded();
            if disk.executable == new.executable {
                decision
            } else {
                FilePlan::new(path, Action::Update)
                    .recorded()
                    .writing(new.contents.clone(), new.executable)
            }
        }
        (None, Some(_), Some(_)) => FilePlan::new(path, Action::Conflict).noting(
            "the template now generates this file, but you already have one here: yours is kept; move it away and run update again to get the template's",
        ),
        (None, Some(_), None) => FilePlan::new(path, Action::Unchanged),
        // A generated path you deleted.
        (Some(_), None, Some(_)) => FilePlan::new(path, Action::Removed)
            .recorded()
            .noting("you deleted this generated file; it stays deleted"),
        // The template no longer produces it.
        (Some(_), Some(disk), None) => {
            if edited(disk) {
                FilePlan::new(path, Action::KeepModified).noting(
                    "the template no longer produces this file; you changed it, so it is kept and is now yours",
                )
            } else {
                FilePlan::new(path, Action::Delete).deleting()
            }
        }
        (Some(_), Some(disk), Some(new)) => both_present(path, base_text, disk, new, edited(disk)),
    }
}

fn both_present(
    path: &str,
    base_text: Option<&str>,
    disk: &OnDisk,
    new: &RenderedFile,
    edited: bool,
) -> FilePlan {
    let same_content = disk.contents == new.contents;
    if same_content && disk.executable == new.executable {
        return FilePlan::new(path, Action::Unchanged).recorded();
    }
    if same_content || !edited {
        return FilePlan::new(path, Action::Update)
            .recorded()
            .writing(new.contents.clone(), new.executable);
    }
    let template_changed = base_text.is_none_or(|base| base.as_bytes() != new.contents.as_slice());
    if !template_changed {
        let decision = FilePlan::new(path, Action::Modified).recorded();
        return if disk.executable == new.executable {
            decision
        } else {
            decision.writing(disk.contents.clone(), new.executable)
        };
    }
    let (Ok(ours), Ok(theirs)) = (
        std::str::from_utf8(&disk.contents),
        std::str::from_utf8(&new.contents),
    ) else {
        return FilePlan::new(path, Action::Conflict).noting(
            "you and the template both changed this file and it is not text; yours is kept",
        );
    };
    let Some(base) = base_text else {
        return FilePlan::new(path, Action::Conflict)
            .recorded()
            .writing(whole_file_conflict(ours, theirs).into_bytes(), new.executable)
            .noting("you and the template both changed this file and the merge base is missing: both versions are shown whole");
    };
    if let Some((text, inputs)) = super::envcommon::carry_edits(path, base, ours, theirs) {
        return FilePlan::new(path, Action::Merge)
            .recorded()
            .writing(text.into_bytes(), new.executable)
            .noting(format!(
                "the unit's body moved to terraform/_envcommon/; the inputs you changed ({}) are now this unit's own, where they win over the common file's",
                inputs
                    .iter()
                    .map(|name| format!("`{name}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
    }
    match merge(path, base, ours, theirs) {
        Merged::Clean(text) => FilePlan::new(path, Action::Merge)
            .recorded()
            .writing(text.into_bytes(), new.executable),
        Merged::Conflict { text, reason } => FilePlan::new(path, Action::Conflict)
            .recorded()
            .writing(text.into_bytes(), new.executable)
            .noting(format!("{reason}: resolve the conflict markers")),
    }
}

/// Everything `update` will do, decided before anything is written.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub from_version: String,
    pub to_version: String,
    /// One plan per generated path (record files aside), sorted by path.
    pub files: Vec<FilePlan>,
    /// The record files (answers, base, manifest), written last.
    #[serde(skip)]
    pub record: Vec<FilePlan>,
    pub notes: Vec<String>,
    /// `path:line` of every conflict block left in a file the generator manages.
    pub unresolved: Vec<String>,
}

impl Plan {
    /// Whether applying would change any file besides the record (what `--check` reports).
    pub fn changes_files(&self) -> bool {
        self.files.iter().any(|file| file.action.changes_files())
    }

    /// Whether applying would write anything at all, the record included.
    pub fn writes(&self) -> bool {
        self.files
            .iter()
            .chain(&self.record)
            .any(|file| file.effect != Effect::Keep)
    }

    pub fn conflicts(&self) -> Vec<&str> {
        self.files
            .iter()
            .filter(|file| file.action == Action::Conflict)
            .map(|file| file.path.as_str())
            .collect()
    }

    /// Every plan in the order `apply` carries them out: files, then the record.
    pub(crate) fn in_order(&self) -> Vec<&FilePlan> {
        self.files.iter().chain(&self.record).collect()
    }
}

/// Plans every path the base or the new render knows from what was read; the record files
/// follow from the new render and the paths it records.
pub(crate) fn plan(record: &Record, disk: &Disk, theirs: &RenderedTree) -> Plan {
    let mut recorded = RenderedTree::new();
    let files: Vec<FilePlan> = disk
        .files
        .iter()
        .map(|(path, ours)| {
            let entry = record.manifest.files.get(path);
            let new = theirs.get(path);
            let file = classify(Versions {
                path,
                base_hash: entry.map(|entry| entry.sha256.as_str()),
                base_text: record.base.get(path).map(String::as_str),
                ours: ours.as_ref(),
                theirs: new,
            });
            if file.recorded
                && let Some(new) = new
            {
                recorded.insert(path.clone(), new.clone());
            }
            file
        })
        .collect();
    // The new manifest and base describe what the template produced.
    let answers_text = theirs
        .get(record::ANSWERS_PATH)
        .map(|file| String::from_utf8_lossy(&file.contents).into_owned())
        .unwrap_or_default();
    record::add_record(&mut recorded, answers_text);
    let record_plans = [
        record::ANSWERS_PATH,
        record::BASE_PATH,
        record::MANIFEST_PATH,
    ]
    .into_iter()
    .map(|path| {
        let new = &recorded[path];
        let current = record.files.get(path).map(Vec::as_slice);
        if current == Some(new.contents.as_slice()) {
            FilePlan::new(path, Action::Unchanged)
        } else {
            FilePlan::new(path, Action::Update).writing(new.contents.clone(), false)
        }
    })
    .collect();
    Plan {
        from_version: record.manifest.version.clone(),
        to_version: env!("CARGO_PKG_VERSION").to_owned(),
        notes: terraform_notes(record, theirs),
        unresolved: unresolved(disk),
        files,
        record: record_plans,
    }
}

/// The conflict blocks an earlier update left in the files as they are now.
fn unresolved(disk: &Disk) -> Vec<String> {
    disk.files
        .iter()
        .filter_map(|(path, file)| {
            Some((path, std::str::from_utf8(&file.as_ref()?.contents).ok()?))
        })
        .flat_map(|(path, text)| {
            crate::validate::conflict_lines(text)
                .into_iter()
                .map(move |line| format!("{path}:{line}"))
        })
        .collect()
}

/// Warnings about Terraform state: units that move or disappear, resource addresses renamed.
fn terraform_notes(record: &Record, theirs: &RenderedTree) -> Vec<String> {
    let units = |paths: &mut dyn Iterator<Item = &str>| -> BTreeSet<String> {
        paths
            .filter(|path| path.starts_with("terraform/") && path.ends_with("/terragrunt.hcl"))
            .filter_map(|path| path.strip_suffix("/terragrunt.hcl").map(str::to_owned))
            .collect()
    };
    let before = units(&mut record.manifest.files.keys().map(String::as_str));
    let after = units(&mut theirs.keys().map(String::as_str));
    let mut notes = Vec::new();
    for gone in before.difference(&after) {
        notes.push(format!(
            "the Terragrunt unit `{gone}` is no longer generated: its resources stay in AWS, unmanaged, until you run `terragrunt destroy` in that folder (from the commit before this update)"
        ));
    }
    for (path, base_text) in &record.base {
        if !path.ends_with(".tf") {
            continue;
        }
        // Only a file the template changed can rename what it declares.
        let Some(new) = theirs
            .get(path)
            .filter(|new| new.contents != base_text.as_bytes())
        else {
            continue;
        };
        let old_addresses = addresses(base_text);
        let new_addresses = addresses(&String::from_utf8_lossy(&new.contents));
        let removed: Vec<_> = old_addresses.difference(&new_addresses).cloned().collect();
        let added: Vec<_> = new_addresses.difference(&old_addresses).cloned().collect();
        if !removed.is_empty() && !added.is_empty() {
            notes.push(format!(
                "`{path}` renames Terraform addresses ({} -> {}): plan before apply; add `moved {{ from = ... to = ... }}` blocks where a resource was renamed rather than replaced",
                removed.join(", "),
                added.join(", ")
            ));
        }
    }
    notes
}

/// `resource.type.name`, `data.type.name` and `module.name` addresses declared in HCL text.
fn addresses(text: &str) -> BTreeSet<String> {
    let Ok(body) = hcl::parse(text) else {
        return BTreeSet::new();
    };
    body.blocks()
        .filter_map(|block| {
            let labels: Vec<&str> = block.labels().iter().map(|label| label.as_str()).collect();
            match (block.identifier(), labels.as_slice()) {
                ("resource", [kind, name]) => Some(format!("{kind}.{name}")),
                ("data", [kind, name]) => Some(format!("data.{kind}.{name}")),
                ("module", [name]) => Some(format!("module.{name}")),
                _ => None,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::sha256_hex;

    fn disk(text: &str) -> OnDisk {
        OnDisk::new(text.as_bytes().to_vec(), false)
    }

    fn rendered(text: &str) -> RenderedFile {
        RenderedFile {
            contents: text.as_bytes().to_vec(),
            executable: false,
        }
    }

    fn decide(base: Option<&str>, ours: Option<&str>, theirs: Option<&str>) -> FilePlan {
        let hash = base.map(|text| sha256_hex(text.as_bytes()));
        let ours = ours.map(disk);
        let theirs = theirs.map(rendered);
        classify(Versions {
            path: "f.txt",
            base_hash: hash.as_deref(),
            base_text: base,
            ours: ours.as_ref(),
            theirs: theirs.as_ref(),
        })
    }

    const BASE: &str = "one\ntwo\nthree\nfour\nfive\n";
    const OURS: &str = "one\nTWO\nthree\nfour\nfive\n";
    const THEIRS: &str = "one\ntwo\nthree\nfour\nFIVE\n";

    #[test]
    fn unchanged_by_you_takes_the_new_render() {
        let decision = decide(Some(BASE), Some(BASE), Some(THEIRS));
        assert_eq!(decision.action, Action::Update);
        assert_eq!(decision.written(), Some(THEIRS.as_bytes()));
    }

    #[test]
    fn changed_by_you_only_is_kept() {
        let decision = decide(Some(BASE), Some(OURS), Some(BASE));
        assert_eq!(decision.action, Action::Modified);
        assert!(decision.effect == Effect::Keep && decision.recorded);
    }

    #[test]
    fn changed_by_both_apart_is_merged() {
        let decision = decide(Some(BASE), Some(OURS), Some(THEIRS));
        assert_eq!(decision.action, Action::Merge);
        assert_eq!(
            decision.written(),
            Some(b"one\nTWO\nthree\nfour\nFIVE\n".as_slice())
        );
    }

    #[test]
    fn changed_by_both_in_the_same_line_is_a_conflict() {
        let decision = decide(
            Some(BASE),
            Some(OURS),
            Some("one\nzwei\nthree\nfour\nfive\n"),
        );
        assert_eq!(decision.action, Action::Conflict);
        let text = String::from_utf8(decision.written().unwrap().to_vec()).unwrap();
        assert!(text.contains("TWO") && text.contains("zwei") && text.contains("<<<<<<<"));
    }

    #[test]
    fn dropped_by_the_template() {
        let untouched = decide(Some(BASE), Some(BASE), None);
        assert_eq!(untouched.action, Action::Delete);
        assert!(untouched.effect == Effect::Delete && !untouched.recorded);
        let edited = decide(Some(BASE), Some(OURS), None);
        assert_eq!(edited.action, Action::KeepModified);
        assert!(edited.effect == Effect::Keep && !edited.recorded);
    }

    #[test]
    fn new_files_never_overwrite_yours() {
        let fresh = decide(None, None, Some(THEIRS));
        assert_eq!(fresh.action, Action::Create);
        let clash = decide(None, Some(OURS), Some(THEIRS));
        assert_eq!(clash.action, Action::Conflict);
        assert!(clash.effect == Effect::Keep && !clash.recorded);
        let same = decide(None, Some(THEIRS), Some(THEIRS));
        assert_eq!(same.action, Action::Unchanged);
        assert!(same.recorded);
    }

    #[test]
    fn a_file_you_deleted_stays_deleted() {
        let decision = decide(Some(BASE), None, Some(THEIRS));
        assert_eq!(decision.action, Action::Removed);
        assert!(decision.effect == Effect::Keep && decision.recorded);
    }

    #[test]
    fn files_you_never_generated_are_never_touched() {
        let decision = decide(None, Some(OURS), None);
        assert_eq!(decision.action, Action::Unchanged);
        assert!(decision.effect == Effect::Keep && !decision.recorded);
    }

    #[test]
    fn addresses_are_read_from_hcl() {
        let found = addresses(
            "resource \"aws_s3_bucket\" \"media\" {}\nmodule \"vpc\" {}\ndata \"aws_caller_identity\" \"me\" {}\n",
        );
        assert_eq!(
            found.into_iter().collect::<Vec<_>>(),
            [
                "aws_s3_bucket.media",
                "data.aws_caller_identity.me",
                "module.vpc"
            ]
        );
    }

    #[test]
    fn the_executable_bit_follows_the_template() {
        let ours = disk(BASE);
        let mut theirs = rendered(BASE);
        theirs.executable = true;
        let hash = sha256_hex(BASE.as_bytes());
        let decision = classify(Versions {
            path: "run.sh",
            base_hash: Some(&hash),
            base_text: Some(BASE),
            ours: Some(&ours),
            theirs: Some(&theirs),
        });
        assert_eq!(decision.action, Action::Update);
        assert!(matches!(
            decision.effect,
            Effect::Write {
                executable: true,
                ..
            }
        ));
    }
}
