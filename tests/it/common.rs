//! Helpers the integration tests share: reading a generated tree back from disk.

use std::collections::BTreeMap;
use std::path::Path;

/// Every file below `root`: path -> (bytes, executable).
pub fn files(root: &Path) -> BTreeMap<String, (Vec<u8>, bool)> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(|entry| entry.expect("readable"))
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            let relative = entry.path().strip_prefix(root).unwrap();
            #[cfg(unix)]
            let executable = {
                use std::os::unix::fs::PermissionsExt;
                entry.metadata().unwrap().permissions().mode() & 0o111 != 0
            };
            #[cfg(not(unix))]
            let executable = false;
            (
                relative.to_string_lossy().into_owned(),
                (std::fs::read(entry.path()).unwrap(), executable),
            )
        })
        .collect()
}

/// Every file below `root`: path -> bytes.
pub fn contents(root: &Path) -> BTreeMap<String, Vec<u8>> {
    files(root)
        .into_iter()
        .map(|(path, (bytes, _))| (path, bytes))
        .collect()
}
