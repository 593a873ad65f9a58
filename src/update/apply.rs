//! Applying an update all or nothing. New contents are staged first; then each file to replace
//! or delete is moved to a backup folder and the staged one moved into place, with a journal on
//! disk. Any failure rolls back from the backups; an interrupted run is rolled back by the next.

use super::plan::{Effect, FilePlan};
use crate::write::inside;
use anyhow::Context as _;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Work folder of an update in progress, inside the record folder.
const WORK_DIR: &str = ".openedx-devops/.update";

/// What the journal records of each step, so a later run can undo it.
#[derive(Debug, Serialize, Deserialize)]
struct Journal {
    /// Paths (relative) in the order they are replaced; each had a backup if `backed_up`.
    steps: Vec<Step>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Step {
    path: String,
    backed_up: bool,
}

/// Rolls back an update that was interrupted, if its journal is there. Returns whether it did.
pub(crate) fn recover(root: &Path) -> anyhow::Result<bool> {
    let work = root.join(WORK_DIR);
    let journal_path = work.join("journal.json");
    if !journal_path.exists() {
        if work.exists() {
            fs_err::remove_dir_all(&work)?;
        }
        return Ok(false);
    }
    let journal: Journal = serde_json::from_slice(&fs_err::read(&journal_path)?)
        .context("the journal of an interrupted update is unreadable")?;
    roll_back(root, &work, &journal.steps)?;
    fs_err::remove_dir_all(&work)?;
    Ok(true)
}

fn roll_back(root: &Path, work: &Path, steps: &[Step]) -> anyhow::Result<()> {
    for step in steps.iter().rev() {
        let target = root.join(&step.path);
        let backup = work.join("backup").join(&step.path);
        if step.backed_up {
            if backup.exists() {
                if let Some(folder) = target.parent() {
                    fs_err::create_dir_all(folder)?;
                }
                fs_err::rename(&backup, &target)?;
            }
        } else if target.exists() {
            fs_err::remove_file(&target)?;
        }
    }
    Ok(())
}

/// What an update did to the repository.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Applied {
    pub written: usize,
    pub deleted: usize,
}

/// Carries out every effect of the plans (a record file's included) or none. `fail_after`
/// injects a failure after that many steps (tests).
pub(crate) fn apply(
    root: &Path,
    plans: &[&FilePlan],
    fail_after: Option<usize>,
) -> anyhow::Result<Applied> {
    let changes: Vec<&FilePlan> = plans
        .iter()
        .copied()
        .filter(|plan| plan.effect != Effect::Keep)
        .collect();
    let changes = changes.as_slice();
    let work = root.join(WORK_DIR);
    if work.exists() {
        fs_err::remove_dir_all(&work)?;
    }
    let staged = work.join("staged");
    fs_err::create_dir_all(&staged)?;
    // 1. Stage new contents (nothing in the repository changes yet).
    for change in changes {
        inside(root, &change.path)?;
        if let Effect::Write {
            contents,
            executable,
        } = &change.effect
        {
            let file = staged.join(&change.path);
            if let Some(folder) = file.parent() {
                fs_err::create_dir_all(folder)?;
            }
            crate::write::create_file(&file, contents, *executable)?;
        }
    }
    // 2. Journal, then swap file by file.
    let journal = Journal {
        steps: changes
            .iter()
            .map(|change| Step {
                path: change.path.clone(),
                backed_up: root.join(&change.path).exists(),
            })
            .collect(),
    };
    fs_err::write(work.join("journal.json"), serde_json::to_vec(&journal)?)?;
    let result = swap(root, &work, changes, fail_after);
    if let Err(error) = result {
        let done = journal.steps.len().min(error.steps_done);
        roll_back(root, &work, &journal.steps[..done]).context("rolling back the failed update")?;
        fs_err::remove_dir_all(&work)?;
        return Err(error.error);
    }
    fs_err::remove_dir_all(&work)?;
    remove_empty_folders(root, changes)?;
    let deleted = changes
        .iter()
        .filter(|change| change.effect == Effect::Delete)
        .count();
    Ok(Applied {
        written: changes.len() - deleted,
        deleted,
    })
}

struct SwapError {
    steps_done: usize,
    error: anyhow::Error,
}

fn swap(
    root: &Path,
    work: &Path,
    changes: &[&FilePlan],
    fail_after: Option<usize>,
) -> Result<(), SwapError> {
    for (index, change) in changes.iter().enumerate() {
        let fail = |error: anyhow::Error| SwapError {
            steps_done: index + 1,
            error,
        };
        if fail_after == Some(index) {
            return Err(fail(anyhow::anyhow!(
                "injected failure after {index} steps"
            )));
        }
        let target = root.join(&change.path);
        let backup = work.join("backup").join(&change.path);
        if target.exists() {
            if let Some(folder) = backup.parent() {
                fs_err::create_dir_all(folder).map_err(|e| fail(e.into()))?;
            }
            fs_err::rename(&target, &backup).map_err(|e| fail(e.into()))?;
        }
        if let Effect::Write { .. } = change.effect {
            if let Some(folder) = target.parent() {
                fs_err::create_dir_all(folder).map_err(|e| fail(e.into()))?;
            }
            fs_err::rename(work.join("staged").join(&change.path), &target)
                .map_err(|e| fail(e.into()))?;
        }
    }
    Ok(())
}

/// Removes the folders that deleting files left empty (no residue), up to the root.
fn remove_empty_folders(root: &Path, changes: &[&FilePlan]) -> anyhow::Result<()> {
    for change in changes {
        if change.effect != Effect::Delete {
            continue;
        }
        let mut folder = root.join(&change.path);
        while folder.pop() && folder != root {
            let empty = fs_err::read_dir(&folder).is_ok_and(|mut entries| entries.next().is_none());
            if !empty {
                break;
            }
            fs_err::remove_dir(&folder)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        fs_err::create_dir_all(dir.path().join(".openedx-devops")).unwrap();
        fs_err::create_dir_all(dir.path().join("env/dev")).unwrap();
        fs_err::write(dir.path().join("a.txt"), "old a").unwrap();
        fs_err::write(dir.path().join("env/dev/b.txt"), "old b").unwrap();
        dir
    }

    fn changes() -> Vec<FilePlan> {
        use super::super::plan::Action;
        let mut delete = FilePlan::new("env/dev/b.txt", Action::Delete);
        delete.effect = Effect::Delete;
        vec![
            FilePlan::new("a.txt", Action::Update).writing(b"new a".to_vec(), false),
            FilePlan::new("new/c.txt", Action::Create).writing(b"c".to_vec(), true),
            delete,
            FilePlan::new("kept.txt", Action::Modified),
        ]
    }

    fn refs(plans: &[FilePlan]) -> Vec<&FilePlan> {
        plans.iter().collect()
    }

    fn read(root: &Path, path: &str) -> Option<String> {
        fs_err::read_to_string(root.join(path)).ok()
    }

    #[test]
    fn applies_everything_and_leaves_no_residue() {
        let dir = repo();
        let applied = apply(dir.path(), &refs(&changes()), None).unwrap();
        assert_eq!(
            applied,
            Applied {
                written: 2,
                deleted: 1
            }
        );
        assert_eq!(read(dir.path(), "a.txt").as_deref(), Some("new a"));
        assert_eq!(read(dir.path(), "new/c.txt").as_deref(), Some("c"));
        assert!(
            !dir.path().join("env").exists(),
            "emptied folders are removed"
        );
        assert!(!dir.path().join(WORK_DIR).exists());
    }

    #[test]
    fn a_failure_at_any_step_leaves_the_repository_as_it_was() {
        for step in 0..3 {
            let dir = repo();
            assert!(apply(dir.path(), &refs(&changes()), Some(step)).is_err());
            assert_eq!(
                read(dir.path(), "a.txt").as_deref(),
                Some("old a"),
                "step {step}"
            );
            assert_eq!(
                read(dir.path(), "env/dev/b.txt").as_deref(),
                Some("old b"),
                "step {step}"
            );
            assert!(!dir.path().join("new/c.txt").exists(), "step {step}");
            assert!(!dir.path().join(WORK_DIR).exists(), "step {step}");
        }
    }

    #[test]
    fn an_interrupted_update_is_rolled_back_by_the_next_run() {
        let dir = repo();
        let root = dir.path();
        // Simulate a crash after two swaps: journal and backups stay behind.
        let work = root.join(WORK_DIR);
        let all = changes();
        fs_err::create_dir_all(work.join("staged/new")).unwrap();
        fs_err::write(work.join("staged/new/c.txt"), "c").unwrap();
        let journal = Journal {
            steps: all
                .iter()
                .filter(|c| c.effect != Effect::Keep)
                .map(|c| Step {
                    path: c.path.clone(),
                    backed_up: root.join(&c.path).exists(),
                })
                .collect(),
        };
        fs_err::write(
            work.join("journal.json"),
            serde_json::to_vec(&journal).unwrap(),
        )
        .unwrap();
        fs_err::create_dir_all(work.join("backup")).unwrap();
        fs_err::rename(root.join("a.txt"), work.join("backup/a.txt")).unwrap();
        fs_err::write(root.join("a.txt"), "new a").unwrap();
        fs_err::create_dir_all(root.join("new")).unwrap();
        fs_err::rename(work.join("staged/new/c.txt"), root.join("new/c.txt")).unwrap();
        assert!(recover(root).unwrap());
        assert_eq!(read(root, "a.txt").as_deref(), Some("old a"));
        assert_eq!(read(root, "env/dev/b.txt").as_deref(), Some("old b"));
        assert!(!root.join("new/c.txt").exists());
        assert!(!work.exists());
        assert!(!recover(root).unwrap());
    }

    #[test]
    fn paths_leaving_the_repository_or_through_links_are_refused() {
        let dir = repo();
        for path in ["../x", "/etc/passwd", "a/../../x", ""] {
            assert!(inside(dir.path(), path).is_err(), "{path}");
        }
        #[cfg(unix)]
        {
            let outside = tempfile::tempdir().unwrap();
            std::os::unix::fs::symlink(outside.path(), dir.path().join("link")).unwrap();
            assert!(inside(dir.path(), "link/x.txt").is_err());
            let error = apply(
                dir.path(),
                &[
                    &FilePlan::new("link/x.txt", super::super::plan::Action::Create)
                        .writing(vec![], false),
                ],
                None,
            )
            .unwrap_err();
            assert!(error.to_string().contains("symbolic link"));
            assert_eq!(fs_err::read_dir(outside.path()).unwrap().count(), 0);
        }
    }
}
