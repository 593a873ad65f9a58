//! Writing a rendered tree to disk: everything goes into a staging folder, which is then renamed
//! into place (a new target) or whose entries are (an empty folder, such as `new .`). On any
//! failure no partial repository remains; a staging folder an interrupted run left behind is
//! removed by the next run in the same folder, which holds a lock on that folder meanwhile.

use crate::render::RenderedTree;
use anyhow::Context as _;
use std::path::{Component, Path, PathBuf};

/// The prefix of staging folders.
const STAGING_PREFIX: &str = ".openedx-devops-staging-";

/// The target as the file system will see it: `.` and `..` resolved (`new .`, `new a/..`),
/// so the staging folder goes beside the real folder and nothing is created on the way.
pub fn resolve_target(target: &Path) -> anyhow::Result<PathBuf> {
    let special = target
        .components()
        .any(|component| matches!(component, Component::CurDir | Component::ParentDir));
    if !special {
        return Ok(target.to_path_buf());
    }
    fs_err::canonicalize(target).with_context(|| {
        format!(
            "cannot resolve `{}`: give a folder that exists, or a new folder's name",
            target.display()
        )
    })
}

/// Refuses a target that exists and is not an empty folder. Touches nothing.
pub fn check_target(target: &Path) -> anyhow::Result<()> {
    match fs_err::symlink_metadata(target) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(error.into()),
        Ok(metadata) if metadata.file_type().is_symlink() => {
            anyhow::bail!(
                "`{}` is a symbolic link; give a real folder",
                target.display()
            )
        }
        Ok(metadata) if !metadata.is_dir() => {
            anyhow::bail!("`{}` exists and is not a folder", target.display())
        }
        Ok(_) => {
            if fs_err::read_dir(target)?.next().is_some() {
                anyhow::bail!(
                    "`{}` is not empty; give a new or empty folder (nothing was written)",
                    target.display()
                );
            }
            Ok(())
        }
    }
}

/// Creates a new file with its contents and mode (0755 or 0644, less the umask) in one go.
pub(crate) fn create_file(
    destination: &Path,
    contents: &[u8],
    executable: bool,
) -> anyhow::Result<()> {
    let mut options = fs_err::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use fs_err::os::unix::fs::OpenOptionsExt;
        options.mode(if executable { 0o755 } else { 0o644 });
    }
    #[cfg(not(unix))]
    let _ = executable;
    let mut handle = options.open(destination)?;
    std::io::Write::write_all(&mut handle, contents)
        .with_context(|| format!("failed to write `{}`", destination.display()))
}

/// Writes the tree to `target` (which must be new or empty) through a staging folder.
pub fn write_new(target: &Path, tree: &RenderedTree) -> anyhow::Result<()> {
    let target = resolve_target(target)?;
    check_target(&target)?;
    let parent = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs_err::create_dir_all(&parent)?;
    // One `new` at a time in this folder: stale staging folders are then surely stale.
    let _lock = crate::paths::lock_folder(
        &parent,
        true,
        &format!(
            "another `openedx-devops new` is writing in `{}`: wait for it to finish",
            parent.display()
        ),
    )?;
    sweep_staging(&parent);
    let existing = target.exists();
    // Into an empty folder (perhaps the current one): stage inside it, so it stays the same
    // folder for the shell that is in it.
    let staging_parent = if existing { &target } else { &parent };
    let staging = tempfile::Builder::new()
        .prefix(STAGING_PREFIX)
        .tempdir_in(staging_parent)
        .with_context(|| {
            format!(
                "failed to create a staging folder in `{}`",
                staging_parent.display()
            )
        })?;
    write_tree(staging.path(), tree)?;
    if existing {
        return move_entries(staging.path(), &target);
    }
    let staged = staging.keep();
    if let Err(error) = fs_err::rename(&staged, &target) {
        let _ = fs_err::remove_dir_all(&staged);
        return Err(error).context("failed to move the generated repository into place");
    }
    Ok(())
}

/// Moves every entry of the staging folder into the (empty) target, the record last; on failure
/// moves back what was moved.
fn move_entries(staging: &Path, target: &Path) -> anyhow::Result<()> {
    let mut names: Vec<std::ffi::OsString> = fs_err::read_dir(staging)?
        .map(|entry| entry.map(|entry| entry.file_name()))
        .collect::<Result<_, _>>()?;
    names.sort_by_key(|name| (name == crate::record::RECORD_DIR, name.clone()));
    for (index, name) in names.iter().enumerate() {
        if let Err(error) = fs_err::rename(staging.join(name), target.join(name)) {
            for moved in &names[..index] {
                let _ = fs_err::rename(target.join(moved), staging.join(moved));
            }
            return Err(error).context("failed to move the generated repository into place");
        }
    }
    Ok(())
}

/// Removes the staging folders an interrupted `new` left in `folder` (the caller holds the
/// folder's lock, so no other run is using them). Best effort.
fn sweep_staging(folder: &Path) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let is_staging = entry
            .file_name()
            .to_string_lossy()
            .starts_with(STAGING_PREFIX);
        if is_staging && entry.file_type().is_ok_and(|kind| kind.is_dir()) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Writes every file of a tree below `root` (which exists), with its mode. Each folder is
/// created once and each file's mode is set as it is created (no extra `chmod`).
pub(crate) fn write_tree(root: &Path, tree: &RenderedTree) -> anyhow::Result<()> {
    let mut folders = std::collections::BTreeSet::new();
    for path in tree.keys() {
        let relative = crate::paths::relative(path)?;
        if let Some(folder) = relative.parent().filter(|f| !f.as_os_str().is_empty()) {
            folders.insert(folder.to_path_buf());
        }
    }
    for folder in &folders {
        fs_err::create_dir_all(root.join(folder))?;
    }
    for (path, file) in tree {
        create_file(&root.join(path), &file.contents, file.executable)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::RenderedFile;

    fn tree(paths: &[&str]) -> RenderedTree {
        paths
            .iter()
            .map(|path| {
                (
                    (*path).to_owned(),
                    RenderedFile {
                        contents: b"x\n".to_vec(),
                        executable: path.ends_with(".sh"),
                    },
                )
            })
            .collect()
    }

    #[test]
    fn writes_into_a_new_or_empty_folder() {
        let scratch = tempfile::tempdir().unwrap();
        let target = scratch.path().join("repo");
        write_new(&target, &tree(&["a/b.txt", "run.sh"])).unwrap();
        assert_eq!(fs_err::read(target.join("a/b.txt")).unwrap(), b"x\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs_err::metadata(target.join("run.sh"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o755);
        }
        let empty = scratch.path().join("empty");
        fs_err::create_dir(&empty).unwrap();
        write_new(&empty, &tree(&["a.txt"])).unwrap();
        assert!(empty.join("a.txt").exists());
        let leftovers: Vec<_> = fs_err::read_dir(scratch.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 2, "no staging folder is left behind");
    }

    #[test]
    fn a_non_empty_folder_is_never_touched() {
        let scratch = tempfile::tempdir().unwrap();
        fs_err::write(scratch.path().join("keep.txt"), "mine").unwrap();
        let error = write_new(scratch.path(), &tree(&["a.txt"])).unwrap_err();
        assert!(error.to_string().contains("not empty"));
        assert!(!scratch.path().join("a.txt").exists());
        assert_eq!(
            fs_err::read_to_string(scratch.path().join("keep.txt")).unwrap(),
            "mine"
        );
    }

    #[test]
    fn a_failure_while_writing_leaves_no_target_and_no_staging() {
        let scratch = tempfile::tempdir().unwrap();
        let target = scratch.path().join("repo");
        // `a` is a file and then a folder: the second write fails half-way.
        let error = write_new(&target, &tree(&["a", "a/b.txt"])).unwrap_err();
        assert!(!error.to_string().is_empty());
        assert!(!target.exists());
        assert_eq!(fs_err::read_dir(scratch.path()).unwrap().count(), 0);
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_as_the_target_is_refused_and_not_followed() {
        let scratch = tempfile::tempdir().unwrap();
        let elsewhere = scratch.path().join("elsewhere");
        fs_err::create_dir(&elsewhere).unwrap();
        let link = scratch.path().join("repo");
        std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
        let error = write_new(&link, &tree(&["a.txt"])).unwrap_err();
        assert!(error.to_string().contains("symbolic link"), "{error}");
        assert_eq!(fs_err::read_dir(&elsewhere).unwrap().count(), 0);
    }

    #[test]
    fn the_current_folder_and_dot_dot_are_resolved_before_anything_is_created() {
        let scratch = tempfile::tempdir().unwrap();
        let empty = scratch.path().join("here");
        fs_err::create_dir(&empty).unwrap();
        // `new here/.`: an empty folder is fine, and stays the same folder.
        write_new(&empty.join("."), &tree(&["a.txt"])).unwrap();
        assert!(empty.join("a.txt").exists());
        let leftovers = fs_err::read_dir(&empty).unwrap().count();
        assert_eq!(leftovers, 1, "no staging folder inside");
        // `new nothere/..` creates nothing.
        let error = write_new(&scratch.path().join("nothere/.."), &tree(&["b.txt"])).unwrap_err();
        assert!(error.to_string().contains("cannot resolve"), "{error}");
        assert!(!scratch.path().join("nothere").exists());
    }

    #[test]
    fn stale_staging_folders_are_swept_by_the_next_run() {
        let scratch = tempfile::tempdir().unwrap();
        let stale = scratch.path().join(format!("{STAGING_PREFIX}killed"));
        fs_err::create_dir_all(stale.join("terraform")).unwrap();
        write_new(&scratch.path().join("repo"), &tree(&["a.txt"])).unwrap();
        assert!(!stale.exists());
    }
}
