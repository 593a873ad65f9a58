//! Any bytes through what `check` and `update` read from a repository people edited: HCL, YAML
//! and JSON files, the manifest and the compressed base. Errors, never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use openedx_devops::manifest::{Manifest, decode_base};
use openedx_devops::validate::check_file;

fuzz_target!(|data: &[u8]| {
    for path in ["main.tf", "terragrunt.hcl", "config.yml", "data.json"] {
        let _ = check_file(path, data);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = Manifest::from_json(text);
    }
    let _ = decode_base(data);
});
