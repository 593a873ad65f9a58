//! Applying an update all or nothing, safe against a crash at any point and against a journal
//! that did not come from this machine.
//!
//! 1. New contents are staged in `.openedx-devops/.update/staged/` (the repository is untouched).
//! 2. The journal is written to a temporary file, synced and renamed into place: the commit
//!    point after which a crash is rolled back. It records, per step, the SHA-256 of the file
//!    before and after, and the identity (device, inode) of the work folder it was written in,
//!    which a clone cannot reproduce.
//! 3. Each file is moved to `backup/` and its new version moved into place.
//! 4. The journal is removed first (the update is then done), then the work folder.
//!
//! Rollback ([`recover`]) refuses a journal from elsewhere, a path outside the policy, and
//! touches no file that changed since the crash: it reports it instead.

use super::plan::{Effect, FilePlan};
use crate::paths::{inside, read_if_present};
use crate::record::sha256_hex;
use anyhow::Context as _;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Work folder of an update in progress, inside the record folder.
pub(crate) const WORK_DIR: &str = ".openedx-devops/.update";
const JOURNAL: &str = "journal.json";
const JOURNAL_TEMPORARY: &str = "journal.json.tmp";
/// The largest file read back while rolling back, and the largest journal.
const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// What the journal records, so that a later run can undo the update.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Journal {
    /// The work folder this journal was written in: a journal found in another folder (a
    /// clone, a copy) is not this machine's interrupted update.
    work_folder: FolderId,
    /// In the order they are carried out.
    steps: Vec<Step>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct FolderId {
    device: u64,
    inode: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Step {
    path: String,
    /// SHA-256 of the file before the update; `None` when it did not exist.
    before: Option<String>,
    /// SHA-256 of what the update puts there; `None` when it deletes the file.
    after: Option<String>,
}

/// What an update did to the repository.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Applied {
    pub written: usize,
    pub deleted: usize,
}

/// Whether an interrupted update waits to be rolled back (its journal is there).
pub(crate) fn pending(root: &Path) -> anyhow::Result<bool> {
    let work = inside(root, WORK_DIR)?;
    Ok(std::fs::symlink_metadata(work.join(JOURNAL)).is_ok())
}

/// Rolls back an update that was interrupted, if its journal is there. Returns whether it did.
pub(crate) fn recover(root: &Path) -> anyhow::Result<bool> {
    let work = work_folder(root)?;
    let Some(work) = work else {
        return Ok(false);
    };
    let journal_path = work.join(JOURNAL);
    let Some(bytes) = read_if_present(&journal_path, MAX_BYTES)
        .map_err(|error| refuse(format!("its journal {error}")))?
    else {
        // No commit point was reached, or the update was done: nothing to undo.
        fs_err::remove_dir_all(&work)?;
        return Ok(false);
    };
    let journal: Journal = serde_json::from_slice(&bytes)
        .map_err(|error| refuse(format!("its journal is not one: {error}")))?;
    if Some(journal.work_folder) != folder_id(&work) {
        return Err(refuse(
            "its journal was not written in this folder by openedx-devops (it may come from a clone or a copy)".into(),
        ));
    }
    let mut undo = Vec::new();
    for step in &journal.steps {
        let target = inside(root, &step.path).map_err(|error| refuse(format!("{error:#}")))?;
        let backup = inside(&work.join("backup"), &step.path)?;
        undo.push((step, target, backup));
    }
    // Decide every step before touching anything.
    let mut actions = Vec::new();
    for (step, target, backup) in &undo {
        actions.push((target, backup, undo_action(step, target, backup)?));
    }
    for (target, backup, action) in actions.into_iter().rev() {
        match action {
            Undo::Nothing => {}
            Undo::Restore { remove_target } => {
                if remove_target {
                    fs_err::remove_file(target)?;
                }
                if let Some(folder) = target.parent() {
                    fs_err::create_dir_all(folder)?;
                }
                fs_err::rename(backup, target)?;
            }
            Undo::Remove => fs_err::remove_file(target)?,
        }
    }
    finish(&work)?;
    Ok(true)
}

/// What undoing one step takes.
enum Undo {
    Nothing,
    /// Move the backup back (removing the new version first when it is there).
    Restore {
        remove_target: bool,
    },
    /// Remove a file the update created.
    Remove,
}

/// Compares the target and its backup with the hashes the journal recorded. A state the update
/// cannot have left means someone changed the file since: refuse, touching nothing.
fn undo_action(step: &Step, target: &Path, backup: &Path) -> anyhow::Result<Undo> {
    let hash = |path: &Path| -> anyhow::Result<Option<String>> {
        Ok(read_if_present(path, MAX_BYTES)
            .map_err(|error| anyhow::anyhow!("`{}` {error}", path.display()))?
            .map(|bytes| sha256_hex(&bytes)))
    };
    let now = hash(target)?;
    let saved = hash(backup)?;
    let action = match (&step.before, &saved) {
        // Not reached yet, or nothing to save: the target is as it was, or as the update made it.
        (before, None) if now == *before => Some(Undo::Nothing),
        (None, None) if now == step.after => Some(Undo::Remove),
        // Saved: the target is missing (moved away) or holds the new version.
        (Some(before), Some(saved)) if before == saved && now.is_none() => Some(Undo::Restore {
            remove_target: false,
        }),
        (Some(before), Some(saved)) if before == saved && now == step.after => {
            Some(Undo::Restore {
                remove_target: true,
            })
        }
        _ => None,
    };
    action.ok_or_else(|| {
        refuse(format!(
            "`{}` changed since the update was interrupted, so nothing was rolled back: compare it with `{WORK_DIR}/backup/{}`, keep what you want",
            crate::suggest::escape_control(&step.path),
            crate::suggest::escape_control(&step.path)
        ))
    })
}

/// The error for a work folder `update` will not roll back, with how to clear it.
fn refuse(reason: String) -> anyhow::Error {
    anyhow::anyhow!(
        "`{WORK_DIR}` holds an interrupted update that openedx-devops will not roll back: {reason}. Check `git status`, then delete the folder `{WORK_DIR}` and run update again"
    )
}

/// The work folder when it exists, through the path policy. An error when it is not a folder.
fn work_folder(root: &Path) -> anyhow::Result<Option<PathBuf>> {
    let work = inside(root, WORK_DIR)?;
    match std::fs::symlink_metadata(&work) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(error).with_context(|| format!("cannot read `{WORK_DIR}`")),
        Ok(metadata) if metadata.is_dir() => Ok(Some(work)),
        Ok(_) => Err(refuse("it is not a folder".into())),
    }
}

#[cfg(unix)]
fn folder_id(path: &Path) -> Option<FolderId> {
    use std::os::unix::fs::MetadataExt;
    let metadata = std::fs::symlink_metadata(path).ok()?;
    Some(FolderId {
        device: metadata.dev(),
        inode: metadata.ino(),
    })
}

#[cfg(not(unix))]
fn folder_id(_path: &Path) -> Option<FolderId> {
    None
}

/// Carries out every effect of the plans (a record file's included) or none. `fail_after`
/// injects a failure after that many steps, as a crash or a full disk would (tests).
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
    if let Some(work) = work_folder(root)? {
        if work.join(JOURNAL).exists() {
            return Err(refuse("it was not rolled back first".into()));
        }
        fs_err::remove_dir_all(&work)?;
    }
    let work = inside(root, WORK_DIR)?;
    fs_err::create_dir(&work)?;
    let result = stage_and_swap(root, &work, &changes, fail_after);
    match result {
        Ok(()) => {
            finish(&work)?;
            remove_empty_folders(root, &changes)?;
            let deleted = changes
                .iter()
                .filter(|change| change.effect == Effect::Delete)
                .count();
            Ok(Applied {
                written: changes.len() - deleted,
                deleted,
            })
        }
        Err(error) => {
            // Roll back what was swapped: the same code path a later run takes after a crash.
            recover(root).context("rolling back the failed update")?;
            let _ = fs_err::remove_dir_all(&work);
            Err(error)
        }
    }
}

fn stage_and_swap(
    root: &Path,
    work: &Path,
    changes: &[&FilePlan],
    fail_after: Option<usize>,
) -> anyhow::Result<()> {
    // 1. Stage new contents and note what each step finds and leaves.
    let staged = work.join("staged");
    let mut steps = Vec::new();
    for change in changes {
        let target = inside(root, &change.path)?;
        let before = read_if_present(&target, MAX_BYTES)
            .map_err(|error| anyhow::anyhow!("`{}` {error}", change.path))?
            .map(|bytes| sha256_hex(&bytes));
        let after = match &change.effect {
            Effect::Write {
                contents,
                executable,
            } => {
                let file = staged.join(&change.path);
                if let Some(folder) = file.parent() {
                    fs_err::create_dir_all(folder)?;
                }
                crate::write::create_file(&file, contents, *executable)?;
                Some(sha256_hex(contents))
            }
            Effect::Delete | Effect::Keep => None,
        };
        steps.push(Step {
            path: change.path.clone(),
            before,
            after,
        });
    }
    // 2. The commit point: the journal, whole or not at all.
    let journal = Journal {
        work_folder: folder_id(work).unwrap_or(FolderId {
            device: 0,
            inode: 0,
        }),
        steps,
    };
    let temporary = work.join(JOURNAL_TEMPORARY);
    crate::write::create_file(&temporary, &serde_json::to_vec(&journal)?, false)?;
    sync(&temporary)?;
    fs_err::rename(&temporary, work.join(JOURNAL))?;
    sync(work)?;
    // 3. Swap file by file.
    for (index, change) in changes.iter().enumerate() {
        if fail_after == Some(index) {
            anyhow::bail!("injected failure after {index} steps");
        }
        let target = inside(root, &change.path)?;
        let backup = work.join("backup").join(&change.path);
        if std::fs::symlink_metadata(&target).is_ok() {
            if let Some(folder) = backup.parent() {
                fs_err::create_dir_all(folder)?;
            }
            fs_err::rename(&target, &backup)?;
        }
        if let Effect::Write { .. } = change.effect {
            if let Some(folder) = target.parent() {
                fs_err::create_dir_all(folder)?;
            }
            fs_err::rename(staged.join(&change.path), &target)?;
        }
    }
    if fail_after == Some(changes.len()) {
        anyhow::bail!("injected failure after {} steps", changes.len());
    }
    Ok(())
}

/// Ends an update (done or rolled back): the journal first, so that from then on nothing is
/// rolled back, then the work folder.
fn finish(work: &Path) -> anyhow::Result<()> {
    let journal = work.join(JOURNAL);
    if std::fs::symlink_metadata(&journal).is_ok() {
        fs_err::remove_file(&journal)?;
        sync(work)?;
    }
    fs_err::remove_dir_all(work)?;
    Ok(())
}

/// Flushes a file or folder to the disk.
fn sync(path: &Path) -> anyhow::Result<()> {
    fs_err::File::open(path)?
        .sync_all()
        .with_context(|| format!("failed to sync `{}`", path.display()))
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
    use crate::update::plan::Action;

    fn repo() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        fs_err::create_dir_all(dir.path().join(".openedx-devops")).unwrap();
        fs_err::create_dir_all(dir.path().join("env/dev")).unwrap();
        fs_err::write(dir.path().join("a.txt"), "old a").unwrap();
        fs_err::write(dir.path().join("env/dev/b.txt"), "old b").unwrap();
        dir
    }

    fn changes() -> Vec<FilePlan> {
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

    fn assert_as_before(root: &Path, context: &str) {
        assert_eq!(read(root, "a.txt").as_deref(), Some("old a"), "{context}");
        assert_eq!(
            read(root, "env/dev/b.txt").as_deref(),
            Some("old b"),
            "{context}"
        );
        assert!(!root.join("new/c.txt").exists(), "{context}");
        assert!(!root.join(WORK_DIR).exists(), "{context}");
    }

    /// Runs an update that stops after `step` swaps as a crash would: the work folder stays.
    fn crash_after(root: &Path, step: usize) {
        let changes = changes();
        let plans: Vec<&FilePlan> = changes
            .iter()
            .filter(|change| change.effect != Effect::Keep)
            .collect();
        let work = root.join(WORK_DIR);
        fs_err::create_dir(&work).unwrap();
        let error = stage_and_swap(root, &work, &plans, Some(step)).unwrap_err();
        assert!(error.to_string().contains("injected"), "{error}");
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
        for step in 0..=3 {
            let dir = repo();
            assert!(apply(dir.path(), &refs(&changes()), Some(step)).is_err());
            assert_as_before(dir.path(), &format!("step {step}"));
        }
    }

    #[test]
    fn a_crash_at_any_step_is_rolled_back_by_the_next_run() {
        for step in 0..=3 {
            let dir = repo();
            crash_after(dir.path(), step);
            assert!(pending(dir.path()).unwrap(), "step {step}");
            assert!(recover(dir.path()).unwrap(), "step {step}");
            assert_as_before(dir.path(), &format!("step {step}"));
            assert!(!recover(dir.path()).unwrap());
        }
    }

    #[test]
    fn a_crash_before_the_commit_point_or_during_cleanup_undoes_nothing() {
        // Staged files but no journal: nothing in the repository changed yet.
        let dir = repo();
        let work = dir.path().join(WORK_DIR);
        fs_err::create_dir_all(work.join("staged")).unwrap();
        fs_err::write(work.join(JOURNAL_TEMPORARY), "").unwrap();
        assert!(!recover(dir.path()).unwrap());
        assert_as_before(dir.path(), "before the commit point");
        // All swapped, journal removed, backups still there (killed while cleaning up): the
        // update is done and stays done.
        let dir = repo();
        crash_after(dir.path(), 3);
        fs_err::remove_file(dir.path().join(WORK_DIR).join(JOURNAL)).unwrap();
        assert!(!recover(dir.path()).unwrap());
        assert_eq!(read(dir.path(), "a.txt").as_deref(), Some("new a"));
        assert!(!dir.path().join(WORK_DIR).exists());
    }

    #[test]
    fn rollback_never_overwrites_an_edit_made_after_the_crash() {
        let dir = repo();
        crash_after(dir.path(), 2);
        fs_err::write(dir.path().join("a.txt"), "edited after the crash").unwrap();
        let error = recover(dir.path()).unwrap_err().to_string();
        assert!(error.contains("`a.txt` changed since"), "{error}");
        assert!(error.contains("delete the folder"), "{error}");
        assert_eq!(
            read(dir.path(), "a.txt").as_deref(),
            Some("edited after the crash")
        );
        // Nothing else was rolled back either.
        assert_eq!(read(dir.path(), "new/c.txt").as_deref(), Some("c"));
    }

    #[test]
    fn a_journal_from_a_clone_is_refused_and_touches_nothing() {
        // A committed journal with paths out of the repository and a backed-up `.bashrc`.
        let outside = tempfile::tempdir().unwrap();
        fs_err::write(outside.path().join("victim"), "mine").unwrap();
        let dir = repo();
        let work = dir.path().join(WORK_DIR);
        fs_err::create_dir_all(work.join("backup")).unwrap();
        fs_err::write(work.join("backup/.bashrc"), "evil").unwrap();
        let victim = outside.path().join("victim");
        for steps in [
            serde_json::json!([{"path": victim.to_str().unwrap(), "before": null, "after": sha256_hex(b"mine")}]),
            serde_json::json!([{"path": "../victim", "before": null, "after": sha256_hex(b"mine")}]),
            serde_json::json!([{"path": ".git/HEAD", "before": null, "after": null}]),
        ] {
            let id = folder_id(&work).unwrap();
            let journal = serde_json::json!({
                "work_folder": {"device": id.device, "inode": id.inode},
                "steps": steps,
            });
            fs_err::write(work.join(JOURNAL), journal.to_string()).unwrap();
            assert!(recover(dir.path()).is_err(), "{journal}");
            assert_eq!(read(outside.path(), "victim").as_deref(), Some("mine"));
        }
        // A well-formed journal written elsewhere (another inode) is refused too.
        let journal = serde_json::json!({
            "work_folder": {"device": 1, "inode": 2},
            "steps": [{"path": "a.txt", "before": sha256_hex(b"evil"), "after": sha256_hex(b"old a")}],
        });
        fs_err::write(work.join(JOURNAL), journal.to_string()).unwrap();
        let error = recover(dir.path()).unwrap_err().to_string();
        assert!(error.contains("not written in this folder"), "{error}");
        assert_eq!(read(dir.path(), "a.txt").as_deref(), Some("old a"));
        // So is an empty one (killed before writing, in the old design).
        fs_err::write(work.join(JOURNAL), "").unwrap();
        assert!(
            recover(dir.path())
                .unwrap_err()
                .to_string()
                .contains("delete the folder")
        );
    }

    #[cfg(unix)]
    #[test]
    fn paths_through_links_are_refused_and_a_linked_record_folder_is_not_followed() {
        let dir = repo();
        let outside = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("link")).unwrap();
        let error = apply(
            dir.path(),
            &[&FilePlan::new("link/x.txt", Action::Create).writing(vec![], false)],
            None,
        )
        .unwrap_err();
        assert!(error.to_string().contains("symbolic link"), "{error}");
        assert_eq!(fs_err::read_dir(outside.path()).unwrap().count(), 0);
        // `.openedx-devops` itself a link to a folder with an `.update` inside.
        let dir = tempfile::tempdir().unwrap();
        fs_err::create_dir_all(outside.path().join(".update")).unwrap();
        fs_err::write(outside.path().join(".update/keep"), "x").unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join(".openedx-devops")).unwrap();
        assert!(recover(dir.path()).is_err());
        assert!(outside.path().join(".update/keep").exists());
    }
}
