//! The update plan: each file classified from its three versions (base = last generated,
//! ours = the repository now, theirs = the new render) into what `update` will do. Pure.

use super::merge::{Merged, merge, whole_file_conflict};
use crate::manifest::sha256_hex;
use crate::render::RenderedFile;
use serde::Serialize;

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

/// A file on disk as `update` read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnDisk {
    pub contents: Vec<u8>,
    pub executable: bool,
    /// SHA-256 of `contents`, computed once when read.
    pub sha256: String,
}

impl OnDisk {
    pub fn new(contents: Vec<u8>, executable: bool) -> OnDisk {
        let sha256 = sha256_hex(&contents);
        OnDisk {
            contents,
            executable,
            sha256,
        }
    }

    /// Whether the file differs from the recorded base.
    pub fn edited(&self, base_hash: Option<&str>) -> bool {
        Some(self.sha256.as_str()) != base_hash
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

/// The decision for one path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub path: String,
    pub action: Action,
    /// What to write at the path, with its executable bit.
    #[serde(skip)]
    pub write: Option<(Vec<u8>, bool)>,
    #[serde(skip)]
    pub delete: bool,
    /// Whether the new manifest records this path as generated.
    #[serde(skip)]
    pub record: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Decision {
    fn new(path: &str, action: Action) -> Decision {
        Decision {
            path: path.to_owned(),
            action,
            write: None,
            delete: false,
            record: false,
            note: None,
        }
    }

    fn recorded(mut self) -> Decision {
        self.record = true;
        self
    }

    fn writing(mut self, contents: Vec<u8>, executable: bool) -> Decision {
        self.write = Some((contents, executable));
        self
    }

    fn noting(mut self, note: impl Into<String>) -> Decision {
        self.note = Some(note.into());
        self
    }
}

/// Decides what to do with one path.
pub fn classify(versions: Versions<'_>) -> Decision {
    let Versions {
        path,
        base_hash,
        base_text,
        ours,
        theirs,
    } = versions;
    let edited = |disk: &OnDisk| disk.edited(base_hash);
    match (base_hash, ours, theirs) {
        (_, None, None) => Decision::new(path, Action::Unchanged),
        // A path the generator never produced.
        (None, None, Some(new)) => Decision::new(path, Action::Create)
            .recorded()
            .writing(new.contents.clone(), new.executable),
        (None, Some(disk), Some(new)) if disk.contents == new.contents => {
            let decision = Decision::new(path, Action::Unchanged).recorded();
            if disk.executable == new.executable {
                decision
            } else {
                Decision::new(path, Action::Update)
                    .recorded()
                    .writing(new.contents.clone(), new.executable)
            }
        }
        (None, Some(_), Some(_)) => Decision::new(path, Action::Conflict).noting(
            "the template now generates this file, but you already have one here: yours is kept; move it away and run update again to get the template's",
        ),
        (None, Some(_), None) => Decision::new(path, Action::Unchanged),
        // A generated path you deleted.
        (Some(_), None, Some(_)) => Decision::new(path, Action::Removed)
            .recorded()
            .noting("you deleted this generated file; it stays deleted"),
        // The template no longer produces it.
        (Some(_), Some(disk), None) => {
            if edited(disk) {
                Decision::new(path, Action::KeepModified).noting(
                    "the template no longer produces this file; you changed it, so it is kept and is now yours",
                )
            } else {
                let mut decision = Decision::new(path, Action::Delete);
                decision.delete = true;
                decision
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
) -> Decision {
    let same_content = disk.contents == new.contents;
    if same_content && disk.executable == new.executable {
        return Decision::new(path, Action::Unchanged).recorded();
    }
    if same_content || !edited {
        return Decision::new(path, Action::Update)
            .recorded()
            .writing(new.contents.clone(), new.executable);
    }
    let template_changed = base_text.is_none_or(|base| base.as_bytes() != new.contents.as_slice());
    if !template_changed {
        let decision = Decision::new(path, Action::Modified).recorded();
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
        return Decision::new(path, Action::Conflict).noting(
            "you and the template both changed this file and it is not text; yours is kept",
        );
    };
    let Some(base) = base_text else {
        return Decision::new(path, Action::Conflict)
            .recorded()
            .writing(whole_file_conflict(ours, theirs).into_bytes(), new.executable)
            .noting("you and the template both changed this file and the merge base is missing: both versions are shown whole");
    };
    match merge(path, base, ours, theirs) {
        Merged::Clean(text) => Decision::new(path, Action::Merge)
            .recorded()
            .writing(text.into_bytes(), new.executable),
        Merged::Conflict { text, reason } => Decision::new(path, Action::Conflict)
            .recorded()
            .writing(text.into_bytes(), new.executable)
            .noting(format!("{reason}: resolve the conflict markers")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn disk(text: &str) -> OnDisk {
        OnDisk::new(text.as_bytes().to_vec(), false)
    }

    fn rendered(text: &str) -> RenderedFile {
        RenderedFile {
            contents: text.as_bytes().to_vec(),
            executable: false,
        }
    }

    fn decide(base: Option<&str>, ours: Option<&str>, theirs: Option<&str>) -> Decision {
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
        assert_eq!(decision.write.unwrap().0, THEIRS.as_bytes());
    }

    #[test]
    fn changed_by_you_only_is_kept() {
        let decision = decide(Some(BASE), Some(OURS), Some(BASE));
        assert_eq!(decision.action, Action::Modified);
        assert!(decision.write.is_none() && decision.record);
    }

    #[test]
    fn changed_by_both_apart_is_merged() {
        let decision = decide(Some(BASE), Some(OURS), Some(THEIRS));
        assert_eq!(decision.action, Action::Merge);
        assert_eq!(decision.write.unwrap().0, b"one\nTWO\nthree\nfour\nFIVE\n");
    }

    #[test]
    fn changed_by_both_in_the_same_line_is_a_conflict() {
        let decision = decide(
            Some(BASE),
            Some(OURS),
            Some("one\nzwei\nthree\nfour\nfive\n"),
        );
        assert_eq!(decision.action, Action::Conflict);
        let text = String::from_utf8(decision.write.unwrap().0).unwrap();
        assert!(text.contains("TWO") && text.contains("zwei") && text.contains("<<<<<<<"));
    }

    #[test]
    fn dropped_by_the_template() {
        let untouched = decide(Some(BASE), Some(BASE), None);
        assert_eq!(untouched.action, Action::Delete);
        assert!(untouched.delete && !untouched.record);
        let edited = decide(Some(BASE), Some(OURS), None);
        assert_eq!(edited.action, Action::KeepModified);
        assert!(!edited.delete && !edited.record && edited.write.is_none());
    }

    #[test]
    fn new_files_never_overwrite_yours() {
        let fresh = decide(None, None, Some(THEIRS));
        assert_eq!(fresh.action, Action::Create);
        let clash = decide(None, Some(OURS), Some(THEIRS));
        assert_eq!(clash.action, Action::Conflict);
        assert!(clash.write.is_none() && !clash.record);
        let same = decide(None, Some(THEIRS), Some(THEIRS));
        assert_eq!(same.action, Action::Unchanged);
        assert!(same.record);
    }

    #[test]
    fn a_file_you_deleted_stays_deleted() {
        let decision = decide(Some(BASE), None, Some(THEIRS));
        assert_eq!(decision.action, Action::Removed);
        assert!(decision.write.is_none() && decision.record);
    }

    #[test]
    fn files_you_never_generated_are_never_touched() {
        let decision = decide(None, Some(OURS), None);
        assert_eq!(decision.action, Action::Unchanged);
        assert!(decision.write.is_none() && !decision.delete && !decision.record);
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
        assert!(decision.write.unwrap().1);
    }
}
