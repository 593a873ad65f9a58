//! The repository as the checks see it: relative path (`/`-separated) -> bytes, in memory, from
//! a render or from a folder ([`read_folder`]). Path helpers answer "does this file or folder
//! exist" the way Terragrunt would ask the disk. Only [`read_folder`] touches the disk.

use super::CheckKind;
use super::finding::Finding;
use crate::render::RenderedTree;
use anyhow::Context as _;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;
use std::path::Path;

/// Folders never read besides version control's: tool caches, dependencies.
const SKIPPED_FOLDERS: &[&str] = &[".terraform", ".terragrunt-cache", "node_modules", ".venv"];
/// The most entries (files and folders) a repository may have, and the most bytes read of it:
/// far above any generated repository, far below a home folder given by mistake.
const MAX_ENTRIES: usize = 50_000;
const MAX_TOTAL_BYTES: u64 = 256 * 1024 * 1024;
/// Files larger than this are reported, not read.
pub(crate) const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// A repository in memory.
#[derive(Debug, Default)]
pub(crate) struct Tree<'a> {
    files: BTreeMap<&'a str, &'a [u8]>,
}

impl<'a> Tree<'a> {
    pub(crate) fn from_rendered(tree: &'a RenderedTree) -> Tree<'a> {
        Tree {
            files: tree
                .iter()
                .map(|(path, file)| (path.as_str(), file.contents.as_slice()))
                .collect(),
        }
    }

    pub(crate) fn from_files(files: &'a BTreeMap<String, Vec<u8>>) -> Tree<'a> {
        Tree {
            files: files
                .iter()
                .map(|(path, bytes)| (path.as_str(), bytes.as_slice()))
                .collect(),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.files.len()
    }

    pub(crate) fn paths(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.files.keys().copied()
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&'a str, &'a [u8])> + '_ {
        self.files.iter().map(|(path, bytes)| (*path, *bytes))
    }

    /// The file's text, when it exists and is UTF-8.
    pub(crate) fn text(&self, path: &str) -> Option<&'a str> {
        self.files
            .get(path)
            .and_then(|bytes| std::str::from_utf8(bytes).ok())
    }

    pub(crate) fn bytes(&self, path: &str) -> Option<&'a [u8]> {
        self.files.get(path).copied()
    }

    pub(crate) fn is_file(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    /// A folder exists when a file lies below it; `""` is the root.
    pub(crate) fn is_dir(&self, path: &str) -> bool {
        if path.is_empty() {
            return true;
        }
        let prefix = format!("{path}/");
        self.files
            .range::<str, _>((Bound::Included(prefix.as_str()), Bound::Unbounded))
            .next()
            .is_some_and(|(file, _)| file.starts_with(&prefix))
    }

    pub(crate) fn exists(&self, path: &str) -> bool {
        self.is_file(path) || self.is_dir(path)
    }

    /// Files directly in a folder (`""` is the root).
    pub(crate) fn files_in(&self, dir: &str) -> impl Iterator<Item = &'a str> + use<'a> {
        let prefix = folder_prefix(dir);
        let found: Vec<&'a str> = self
            .files
            .range::<str, _>((Bound::Included(prefix.as_str()), Bound::Unbounded))
            .map(|(path, _)| *path)
            .take_while(|path| path.starts_with(&prefix))
            .filter(|path| !path[prefix.len()..].contains('/'))
            .collect();
        found.into_iter()
    }

    /// Names of the folders directly in a folder.
    pub(crate) fn subdirs(&self, dir: &str) -> BTreeSet<&'a str> {
        let prefix = folder_prefix(dir);
        self.files
            .range::<str, _>((Bound::Included(prefix.as_str()), Bound::Unbounded))
            .map(|(path, _)| *path)
            .take_while(|path| path.starts_with(&prefix))
            .filter_map(|path| path[prefix.len()..].split_once('/').map(|(name, _)| name))
            .collect()
    }
}

fn folder_prefix(dir: &str) -> String {
    if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    }
}

/// The folder of a path (`""` for a file at the root).
pub(crate) fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// `dir` joined with a relative path, `.` and `..` resolved; `None` when it leaves the root.
pub(crate) fn join(dir: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = if relative.starts_with('/') {
        Vec::new()
    } else {
        dir.split('/').filter(|part| !part.is_empty()).collect()
    };
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// What reading a folder gave: the files, and findings about files it could not use.
#[derive(Debug, Default)]
pub(crate) struct Folder {
    pub files: BTreeMap<String, Vec<u8>>,
    pub findings: Vec<Finding>,
}

/// Reads the files below `root` that `wanted` names, skipping version control,
/// [`SKIPPED_FOLDERS`] and symbolic links, within a budget of entries and bytes. A file that is
/// too large or unreadable is a finding; an unreadable root or a blown budget is an error.
pub(crate) fn read_folder(root: &Path, wanted: &dyn Fn(&str) -> bool) -> anyhow::Result<Folder> {
    let metadata =
        fs_err::metadata(root).with_context(|| format!("cannot check `{}`", root.display()))?;
    if !metadata.is_dir() {
        anyhow::bail!("`{}` is not a folder", root.display());
    }
    let mut folder = Folder::default();
    let mut entries_seen = 0usize;
    let mut bytes_read = 0u64;
    let mut pending = vec![(root.to_path_buf(), String::new())];
    while let Some((dir, relative)) = pending.pop() {
        let entries = match fs_err::read_dir(&dir) {
            Ok(entries) => entries,
            Err(error) if relative.is_empty() => {
                return Err(error).with_context(|| format!("cannot check `{}`", root.display()));
            }
            Err(error) => {
                folder.findings.push(Finding::fatal(
                    CheckKind::Read,
                    relative.clone(),
                    format!("cannot read this folder: {}", error.kind()),
                ));
                continue;
            }
        };
        for entry in entries {
            let entry = entry.with_context(|| format!("cannot list `{}`", dir.display()))?;
            entries_seen += 1;
            if entries_seen > MAX_ENTRIES || bytes_read > MAX_TOTAL_BYTES {
                anyhow::bail!(
                    "`{}` holds more than {MAX_ENTRIES} files or {} MiB to check: give the root of the generated repository",
                    root.display(),
                    MAX_TOTAL_BYTES / 1024 / 1024
                );
            }
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = if relative.is_empty() {
                name.clone()
            } else {
                format!("{relative}/{name}")
            };
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                let skipped = SKIPPED_FOLDERS.contains(&name.as_str())
                    || crate::paths::VCS_FOLDERS.contains(&name.as_str());
                if !skipped {
                    pending.push((entry.path(), path));
                }
            } else if kind.is_file()
                && wanted(&path)
                && let Some(bytes) = read_one(&entry.path(), &path, &mut folder)
            {
                bytes_read += bytes.len() as u64;
                folder.files.insert(path, bytes);
            }
        }
    }
    Ok(folder)
}

fn read_one(file: &Path, path: &str, folder: &mut Folder) -> Option<Vec<u8>> {
    use crate::paths::ReadError;
    let finding = match crate::paths::read_no_follow(file, MAX_FILE_BYTES) {
        Ok(bytes) => return Some(bytes),
        Err(ReadError::TooLarge { .. }) => Finding::fatal(
            CheckKind::Read,
            path,
            "is larger than the 4 MiB `check` reads; not checked",
        )
        .help("keep large or generated artifacts out of the repository"),
        Err(error) => Finding::fatal(
            CheckKind::Read,
            path,
            format!("cannot read this file: it {error}"),
        ),
    };
    folder.findings.push(finding);
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(paths: &[&str]) -> BTreeMap<String, Vec<u8>> {
        paths
            .iter()
            .map(|path| ((*path).to_owned(), b"x\n".to_vec()))
            .collect()
    }

    #[test]
    fn folders_exist_when_files_lie_below_them() {
        let files = files(&["a/b/c.tf", "a/bc/d.tf", "e.txt"]);
        let tree = Tree::from_files(&files);
        assert!(tree.is_dir("a") && tree.is_dir("a/b") && tree.is_dir(""));
        assert!(!tree.is_dir("a/b/c.tf") && !tree.is_dir("a/x"));
        assert!(tree.exists("e.txt") && !tree.exists("e"));
        assert_eq!(
            tree.subdirs("a").into_iter().collect::<Vec<_>>(),
            ["b", "bc"]
        );
        assert_eq!(tree.files_in("a/b").collect::<Vec<_>>(), ["a/b/c.tf"]);
        assert_eq!(tree.files_in("").collect::<Vec<_>>(), ["e.txt"]);
    }

    #[test]
    fn joins_resolve_dots_and_refuse_to_leave_the_root() {
        assert_eq!(join("a/b", "../c").as_deref(), Some("a/c"));
        assert_eq!(join("a/b", "./c//d").as_deref(), Some("a/b/c/d"));
        assert_eq!(join("a", "../.."), None);
        assert_eq!(parent("a/b/c.hcl"), "a/b");
        assert_eq!(parent("c.hcl"), "");
    }

    #[test]
    fn reading_skips_caches_and_reports_large_files() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join(".terragrunt-cache/x")).unwrap();
        std::fs::write(root.path().join(".terragrunt-cache/x/a.tf"), "x").unwrap();
        std::fs::create_dir_all(root.path().join("sub")).unwrap();
        std::fs::write(root.path().join("sub/a.tf"), "a = 1\n").unwrap();
        let big = vec![b'a'; (MAX_FILE_BYTES + 1) as usize];
        std::fs::write(root.path().join("big.json"), big).unwrap();
        let folder = read_folder(root.path(), &|_| true).unwrap();
        assert_eq!(folder.files.keys().collect::<Vec<_>>(), ["sub/a.tf"]);
        assert_eq!(folder.findings.len(), 1);
        assert_eq!(folder.findings[0].path, "big.json");
    }

    #[test]
    fn a_missing_root_is_an_error() {
        let error = read_folder(Path::new("/nonexistent/for/sure"), &|_| true).unwrap_err();
        assert!(format!("{error:#}").contains("cannot check"), "{error:#}");
    }
}
