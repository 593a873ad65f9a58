//! The one policy for paths that come from a repository (manifest, base, journal, a render) and
//! the one way to read a file a repository holds: relative, normalised, inside the root, never
//! through a symbolic link, never into `.git/` or another version-control folder; opened without
//! following a link or blocking on a special file, and read with a hard size limit.

use std::io::Read as _;
use std::path::{Component, Path, PathBuf};

/// Folders of version-control systems: never read, written or deleted through a repository's
/// own record.
pub(crate) const VCS_FOLDERS: &[&str] = &[".git", ".hg", ".svn", ".bzr", "_darcs", ".jj"];

/// Checks that a path is relative, normalised (no `.`, `..` or empty segment), and names no
/// version-control folder; returns it as a relative path.
pub(crate) fn relative(path: &str) -> anyhow::Result<PathBuf> {
    let candidate = Path::new(path);
    let normal = !path.is_empty()
        && !path.contains('\\')
        && path
            .split('/')
            .all(|segment| !segment.is_empty() && segment != "." && segment != "..")
        && candidate
            .components()
            .all(|component| matches!(component, Component::Normal(_)));
    if !normal {
        anyhow::bail!(
            "refusing the path `{}`: it leaves the repository or is not a plain relative path",
            crate::suggest::escape_control(path)
        );
    }
    if let Some(folder) = path.split('/').find(|segment| {
        VCS_FOLDERS
            .iter()
            .any(|vcs| segment.eq_ignore_ascii_case(vcs))
    }) {
        anyhow::bail!(
            "refusing the path `{}`: openedx-devops never touches the version-control folder `{folder}`",
            crate::suggest::escape_control(path)
        );
    }
    Ok(candidate.to_path_buf())
}

/// [`relative`], then joined to `root` with no symbolic link on the way (the root itself may be
/// one, as the user named it). Returns the full path.
pub(crate) fn inside(root: &Path, path: &str) -> anyhow::Result<PathBuf> {
    let relative = relative(path)?;
    let mut current = root.to_path_buf();
    for component in relative.components() {
        current.push(component);
        if let Ok(metadata) = std::fs::symlink_metadata(&current)
            && metadata.file_type().is_symlink()
        {
            anyhow::bail!(
                "refusing to follow the symbolic link `{}`",
                crate::suggest::escape_control(
                    &current
                        .strip_prefix(root)
                        .unwrap_or(&current)
                        .display()
                        .to_string()
                )
            );
        }
    }
    Ok(root.join(relative))
}

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ReadError {
    #[error("does not exist")]
    Missing,
    #[error("is a symbolic link; openedx-devops does not follow links in a repository")]
    Link,
    #[error("is not a regular file")]
    NotAFile,
    #[error("is larger than {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("cannot be read: {0}")]
    Io(std::io::Error),
}

/// Reads a regular file without following a symbolic link at its last component, without
/// blocking on a FIFO or device, and never more than `limit` bytes (the size the file claims is
/// not trusted: files in /proc say 0). Callers check the folders above with [`inside`].
pub(crate) fn read_no_follow(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = match options.open(path) {
        Ok(file) => file,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Err(ReadError::Missing);
        }
        #[cfg(unix)]
        Err(error) if error.raw_os_error() == Some(libc::ELOOP) => return Err(ReadError::Link),
        Err(error) => return Err(ReadError::Io(error)),
    };
    let metadata = file.metadata().map_err(ReadError::Io)?;
    if !metadata.is_file() {
        return Err(ReadError::NotAFile);
    }
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(bytes)
}

/// [`read_no_follow`] of a file that may be absent: `Ok(None)` when it does not exist.
pub(crate) fn read_if_present(path: &Path, limit: u64) -> Result<Option<Vec<u8>>, ReadError> {
    match read_no_follow(path, limit) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(ReadError::Missing) => Ok(None),
        Err(error) => Err(error),
    }
}

/// Locks a folder for one run, exclusive (to write) or shared (to read), on the folder itself so
/// that no lock file is left behind. Waits up to two seconds for another run, then refuses with
/// `busy` as the message. Held until the returned handle is dropped.
pub(crate) fn lock_folder(
    folder: &Path,
    exclusive: bool,
    busy: &str,
) -> anyhow::Result<std::fs::File> {
    let handle = std::fs::File::open(folder)
        .map_err(|error| anyhow::anyhow!("cannot open `{}`: {error}", folder.display()))?;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
    loop {
        let attempt = if exclusive {
            handle.try_lock()
        } else {
            handle.try_lock_shared()
        };
        match attempt {
            Ok(()) => return Ok(handle),
            Err(std::fs::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            Err(std::fs::TryLockError::WouldBlock) => anyhow::bail!("{busy}"),
            Err(std::fs::TryLockError::Error(error)) => {
                anyhow::bail!("cannot lock `{}`: {error}", folder.display())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_paths_outside_version_control_pass() {
        for path in [
            "../x",
            "/etc/passwd",
            "a/../../x",
            "",
            "a//b",
            "./a",
            "a/./b",
            ".git/HEAD",
            "sub/.git/config",
            ".GIT/HEAD",
            ".hg/store",
            "a\\..\\b",
        ] {
            assert!(relative(path).is_err(), "{path:?} passed");
        }
        for path in [
            "a.txt",
            ".github/workflows/build.yml",
            ".gitignore",
            "a/b/c",
        ] {
            assert!(relative(path).is_ok(), "{path:?} refused");
        }
    }

    #[cfg(unix)]
    #[test]
    fn links_fifos_and_long_files_are_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let secret = dir.path().join("secret");
        std::fs::write(&secret, "key").unwrap();
        std::os::unix::fs::symlink(&secret, dir.path().join("link")).unwrap();
        assert!(matches!(
            read_no_follow(&dir.path().join("link"), 100),
            Err(ReadError::Link)
        ));
        let fifo = dir.path().join("fifo");
        let name = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path; mkfifo has no other precondition.
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
        assert!(matches!(
            read_no_follow(&fifo, 100),
            Err(ReadError::NotAFile)
        ));
        assert!(matches!(
            read_no_follow(Path::new("/dev/zero"), 100),
            Err(ReadError::NotAFile)
        ));
        assert!(matches!(
            read_no_follow(&secret, 2),
            Err(ReadError::TooLarge { limit: 2 })
        ));
        assert_eq!(read_no_follow(&secret, 3).unwrap(), b"key");
        assert!(
            read_if_present(&dir.path().join("none"), 3)
                .unwrap()
                .is_none()
        );
        std::os::unix::fs::symlink(dir.path(), dir.path().join("folder-link")).unwrap();
        assert!(inside(dir.path(), "folder-link/secret").is_err());
    }
}
