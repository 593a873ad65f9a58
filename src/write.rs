//! Writing a rendered tree to disk atomically: everything goes into a staging folder beside the
//! target, which is then renamed into place. On any failure no partial repository remains.

use crate::render::RenderedTree;
use anyhow::Context as _;
use std::path::{Component, Path, PathBuf};

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

/// Checks that a tree path is relative and stays inside the repository (no `..`, no root).
pub(crate) fn safe_relative(path: &str) -> anyhow::Result<PathBuf> {
    let relative = Path::new(path);
    let safe = !path.is_empty()
        && relative
            .components()
            .all(|component| matches!(component, Component::Normal(_)));
    if !safe {
        anyhow::bail!("refusing the path `{path}`: it leaves the repository");
    }
    Ok(relative.to_path_buf())
}

/// The one policy for a path that comes from a repository or a render (manifest, base, plan):
/// relative, inside `root`, never through a symbolic link. Returns the full path.
pub(crate) fn inside(root: &Path, path: &str) -> anyhow::Result<PathBuf> {
    let relative = safe_relative(path)?;
    let mut current = root.to_path_buf();
    for component in relative.components() {
        current.push(component);
        if let Ok(metadata) = std::fs::symlink_metadata(&current)
            && metadata.file_type().is_symlink()
        {
            anyhow::bail!(
                "refusing to follow the symbolic link `{}`",
                current.strip_prefix(root).unwrap_or(&current).display()
            );
        }
    }
    Ok(root.join(relative))
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
    check_target(target)?;
    let parent = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs_err::create_dir_all(&parent)?;
    let staging = tempfile::Builder::new()
        .prefix(".openedx-devops-staging-")
        .tempdir_in(&parent)
        .with_context(|| {
            format!(
                "failed to create a staging folder in `{}`",
                parent.display()
            )
        })?;
    write_tree(staging.path(), tree)?;
    if target.exists() {
        // An empty folder: rename(2) replaces it. Check again, it may have filled meanwhile.
        check_target(target)?;
    }
    let staged = staging.keep();
    if let Err(error) = fs_err::rename(&staged, target) {
        let _ = fs_err::remove_dir_all(&staged);
        return Err(error).context("failed to move the generated repository into place");
    }
    Ok(())
}

/// Writes every file of a tree below `root` (which exists), with its mode. Each folder is
/// created once and each file's mode is set as it is created (no extra `chmod`).
pub(crate) fn write_tree(root: &Path, tree: &RenderedTree) -> anyhow::Result<()> {
    let mut folders = std::collections::BTreeSet::new();
    for path in tree.keys() {
        let relative = safe_relative(path)?;
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
    fn paths_that_leave_the_target_are_refused() {
        for path in ["../x", "/etc/x", "a/../../x", ""] {
            assert!(safe_relative(path).is_err(), "{path}");
        }
        assert!(safe_relative("a/b/c.txt").is_ok());
    }
}
