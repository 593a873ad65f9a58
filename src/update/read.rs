//! Reading what `update` needs of the repository before it plans: every path the base or the
//! new render knows, each checked against the path policy (the record files come read with the
//! [`Record`]). The only part
//! of planning that touches the disk.

use crate::record::{self, Record, sha256_hex};
use crate::render::RenderedTree;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The largest file `update` reads from the repository.
const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

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

/// The repository as `update` read it.
#[derive(Debug, Default)]
pub(crate) struct Disk {
    /// Every path the manifest or the new render names (record files aside): `None` when absent.
    pub files: BTreeMap<String, Option<OnDisk>>,
}

/// Reads the files the plan compares. An error (nothing written) for a file `update` cannot
/// merge: not a regular file, too large, or an edited generated file that is not LF text.
pub(crate) fn read(root: &Path, record: &Record, theirs: &RenderedTree) -> anyhow::Result<Disk> {
    let record_prefix = format!("{}/", record::RECORD_DIR);
    let paths: BTreeSet<&str> = record
        .manifest
        .files
        .keys()
        .map(String::as_str)
        .chain(
            theirs
                .keys()
                .map(String::as_str)
                .filter(|path| !path.starts_with(&record_prefix)),
        )
        .collect();
    let mut disk = Disk::default();
    for path in paths {
        let ours = read_one(root, path)?;
        if let (Some(entry), Some(file)) = (record.manifest.files.get(path), &ours) {
            refuse_unmergeable(path, &entry.sha256, file)?;
        }
        disk.files.insert(path.to_owned(), ours);
    }
    Ok(disk)
}

/// An edited generated file must still be LF text for a line merge; say how to fix it if not.
fn refuse_unmergeable(path: &str, base_hash: &str, disk: &OnDisk) -> anyhow::Result<()> {
    if !disk.edited(Some(base_hash)) {
        return Ok(());
    }
    let Ok(text) = std::str::from_utf8(&disk.contents) else {
        anyhow::bail!(
            "`{path}` is not UTF-8 text, but openedx-devops generated text there: restore it or move it away, then run update again (nothing was written)"
        );
    };
    if text.contains("\r\n") {
        anyhow::bail!(
            "`{path}` has CRLF line endings; the generator writes LF: convert it (`dos2unix {path}`, or `git config core.autocrlf input` and check out again), then run update again (nothing was written)"
        );
    }
    Ok(())
}

fn read_one(root: &Path, path: &str) -> anyhow::Result<Option<OnDisk>> {
    let full = crate::paths::inside(root, path)?;
    let metadata = match fs_err::symlink_metadata(&full) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(error.into()),
    };
    let contents = match crate::paths::read_no_follow(&full, MAX_FILE_BYTES) {
        Ok(contents) => contents,
        Err(crate::paths::ReadError::TooLarge { limit }) => anyhow::bail!(
            "`{path}` is larger than any generated file ({limit} bytes at most); move it away and run update again"
        ),
        Err(error) => {
            anyhow::bail!("`{path}` {error}; move it away and run update again")
        }
    };
    #[cfg(unix)]
    let executable = {
        use std::os::unix::fs::PermissionsExt;
        metadata.permissions().mode() & 0o111 != 0
    };
    #[cfg(not(unix))]
    let executable = {
        let _ = metadata;
        false
    };
    Ok(Some(OnDisk::new(contents, executable)))
}
