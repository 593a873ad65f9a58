//! Any bytes through what `check` and `update` read from a repository people edited: HCL, YAML
//! and JSON files, the manifest and the compressed base. Errors, never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use openedx_devops::record::{Manifest, decode_base};
use openedx_devops::validate::check_files;

fuzz_target!(|data: &[u8]| {
    for path in ["main.tf", "terragrunt.hcl", "config.yml", "data.json"] {
        let files = [(path.to_owned(), data.to_vec())].into_iter().collect();
        let _ = check_files(&files);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = Manifest::from_json(text);
    }
    let _ = decode_base(data);
});
