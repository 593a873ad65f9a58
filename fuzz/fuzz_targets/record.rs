//! Any bytes as a repository's record folder (journal, manifest, answers): `update`'s recovery
//! and the record reader return errors, never panic, and never touch a file outside the
//! repository or in `.git/`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use openedx_devops::{record::Record, update};

fuzz_target!(|data: &[u8]| {
    let scratch = tempfile::tempdir().expect("a temporary folder");
    let root = scratch.path().join("repo");
    let outside = scratch.path().join("victim");
    std::fs::create_dir_all(root.join(".openedx-devops/.update/backup")).unwrap();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    std::fs::write(&outside, "mine").unwrap();
    std::fs::write(root.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    std::fs::write(root.join("a.txt"), "a").unwrap();
    // Three files from one input: journal | manifest | answers, split at 0xff bytes.
    let mut parts = data.splitn(3, |byte| *byte == 0xff);
    let journal = parts.next().unwrap_or_default();
    let manifest = parts.next().unwrap_or_default();
    let answers = parts.next().unwrap_or_default();
    std::fs::write(root.join(".openedx-devops/.update/journal.json"), journal).unwrap();
    std::fs::write(root.join(".openedx-devops/manifest.json"), manifest).unwrap();
    std::fs::write(root.join(".openedx-devops/answers.yml"), answers).unwrap();
    let _ = update::recover(&root);
    let _ = Record::read(&root);
    assert_eq!(std::fs::read(&outside).unwrap(), b"mine");
    assert_eq!(
        std::fs::read(root.join(".git/HEAD")).unwrap(),
        b"ref: refs/heads/main\n"
    );
});
