//! The record a generated repository keeps in `.openedx-devops/`: the answers, a manifest of
//! what was generated (generator version, a SHA-256 of every generated file) and the compressed
//! base of the next merge. Builds it for `new` and `update`, reads and validates it for
//! `update` ([`Record::read`]) and `check` alike.

use crate::render::{RenderedFile, RenderedTree};
use anyhow::Context as _;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;

/// The folder at the repository root that holds the record.
pub const RECORD_DIR: &str = ".openedx-devops";
/// The answers the repository was generated from.
pub const ANSWERS_PATH: &str = ".openedx-devops/answers.yml";
/// The manifest.
pub const MANIFEST_PATH: &str = ".openedx-devops/manifest.json";
/// The JSON Schema of the answers file, for editors.
pub const SCHEMA_PATH: &str = ".openedx-devops/answers.schema.json";
/// The last generated output, compressed: the merge base of the next `update`.
pub const BASE_PATH: &str = ".openedx-devops/base.json.gz";
/// gzip level of the base: 6 compresses the fullest example's base to within a few per cent of
/// level 9 at a third of the time (measured in benches/pipeline.rs).
const BASE_COMPRESSION: u32 = 6;
/// The largest base `update` reads once decompressed.
const MAX_BASE_BYTES: u64 = 256 * 1024 * 1024;

/// One generated file as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestEntry {
    pub sha256: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub executable: bool,
}

/// What generated a repository and what it generated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub generator: String,
    pub version: String,
    pub answers_schema: u32,
    pub files: BTreeMap<String, ManifestEntry>,
}

impl Manifest {
    /// The manifest of a rendered tree (its record files excluded).
    pub fn of(tree: &RenderedTree) -> Manifest {
        let files = tree
            .iter()
            .filter(|(path, _)| !path.starts_with(&format!("{RECORD_DIR}/")))
            .map(|(path, file)| {
                (
                    path.clone(),
                    ManifestEntry {
                        sha256: sha256_hex(&file.contents),
                        executable: file.executable,
                    },
                )
            })
            .collect();
        Manifest {
            generator: env!("CARGO_PKG_NAME").to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
            answers_schema: crate::answers::SCHEMA_VERSION,
            files,
        }
    }

    /// Pretty JSON with a final newline; keys sorted, so the same tree gives the same bytes.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    pub fn from_json(text: &str) -> Result<Manifest, serde_json::Error> {
        serde_json::from_str(text)
    }
}

/// Lowercase hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The base store: every generated file's text, as one gzip-compressed JSON object. Same tree,
/// same bytes (sorted keys, no timestamp in the gzip header).
pub fn encode_base(tree: &RenderedTree) -> Vec<u8> {
    use std::io::Write as _;
    let files: BTreeMap<&str, String> = tree
        .iter()
        .filter(|(path, _)| !path.starts_with(&format!("{RECORD_DIR}/")))
        .map(|(path, file)| {
            (
                path.as_str(),
                String::from_utf8_lossy(&file.contents).into_owned(),
            )
        })
        .collect();
    let json = serde_json::to_vec(&serde_json::json!({ "files": files })).unwrap_or_default();
    let mut encoder = flate2::GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), flate2::Compression::new(BASE_COMPRESSION));
    let _ = encoder.write_all(&json);
    encoder.finish().unwrap_or_default()
}

/// Reads a base store back: path -> text.
pub fn decode_base(bytes: &[u8]) -> anyhow::Result<BTreeMap<String, String>> {
    use std::io::Read as _;
    let mut json = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .take(MAX_BASE_BYTES + 1)
        .read_to_end(&mut json)
        .map_err(|error| anyhow::anyhow!("`{BASE_PATH}` is not a gzip file: {error}"))?;
    if json.len() as u64 > MAX_BASE_BYTES {
        anyhow::bail!("`{BASE_PATH}` is larger than {MAX_BASE_BYTES} bytes once decompressed");
    }
    #[derive(Deserialize)]
    struct Base {
        files: BTreeMap<String, String>,
    }
    let base: Base = serde_json::from_slice(&json)
        .map_err(|error| anyhow::anyhow!("`{BASE_PATH}` does not hold a base: {error}"))?;
    Ok(base.files)
}

/// What a repository recorded when it was last generated, read and validated.
#[derive(Debug)]
pub struct Record {
    pub manifest: Manifest,
    /// The last generated text of every generated file: the merge base.
    pub base: BTreeMap<String, String>,
    /// `answers.yml` as it is, comments and all.
    pub answers_text: String,
    /// The record files as read (answers, base, manifest): what an update compares its new
    /// record with, so that they are read once.
    pub(crate) files: BTreeMap<&'static str, Vec<u8>>,
}

impl Record {
    /// Reads the record of the repository at `root`. Refuses a folder without one, a manifest
    /// written by a newer generator, and a manifest that lists a path outside the repository or
    /// through a symbolic link.
    pub fn read(root: &Path) -> anyhow::Result<Record> {
        if !root.is_dir() {
            anyhow::bail!("`{}` is not a folder", root.display());
        }
        let manifest_bytes = read_file(root, MANIFEST_PATH, MAX_MANIFEST_BYTES)?.ok_or_else(|| {
            anyhow::anyhow!(
                "`{}` is not a repository generated by openedx-devops: it has no `{MANIFEST_PATH}`",
                root.display(),
            )
        })?;
        let manifest = std::str::from_utf8(&manifest_bytes)
            .map_err(anyhow::Error::from)
            .and_then(|text| Ok(Manifest::from_json(text)?))
            .with_context(|| format!("`{MANIFEST_PATH}` is not a valid manifest"))?;
        if newer(&manifest.version, env!("CARGO_PKG_VERSION")) {
            anyhow::bail!(
                "this repository was generated by openedx-devops {}, newer than this one ({}): update the tool first",
                crate::suggest::escape_control(&manifest.version),
                env!("CARGO_PKG_VERSION")
            );
        }
        let record_prefix = format!("{RECORD_DIR}/");
        for path in manifest.files.keys() {
            crate::paths::inside(root, path)
                .with_context(|| format!("`{MANIFEST_PATH}` lists a bad path"))?;
            if path.starts_with(&record_prefix) {
                anyhow::bail!(
                    "`{MANIFEST_PATH}` lists `{}`, inside the record itself: restore the manifest from version control",
                    crate::suggest::escape_control(path)
                );
            }
        }
        let mut files = BTreeMap::new();
        let base = match read_file(root, BASE_PATH, MAX_BASE_FILE_BYTES)? {
            Some(bytes) => {
                let base = decode_base(&bytes)?;
                files.insert(BASE_PATH, bytes);
                base
            }
            None => BTreeMap::new(),
        };
        let answers_bytes = read_file(root, ANSWERS_PATH, MAX_ANSWERS_BYTES)?;
        if let Some(bytes) = &answers_bytes {
            files.insert(ANSWERS_PATH, bytes.clone());
        }
        files.insert(MANIFEST_PATH, manifest_bytes);
        let answers_text = answers_bytes
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "`{ANSWERS_PATH}` is missing or not UTF-8: restore it, or give `--answers FILE`"
                )
            })?;
        Ok(Record {
            manifest,
            base,
            answers_text,
            files,
        })
    }
}

/// The largest manifest, answers file and compressed base a record may hold.
const MAX_MANIFEST_BYTES: u64 = 16 * 1024 * 1024;
const MAX_ANSWERS_BYTES: u64 = 1024 * 1024;
const MAX_BASE_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// A record file: through the path policy, no link followed, at most `limit` bytes. `None` when
/// it does not exist.
pub(crate) fn read_file(root: &Path, path: &str, limit: u64) -> anyhow::Result<Option<Vec<u8>>> {
    let full = crate::paths::inside(root, path)?;
    crate::paths::read_if_present(&full, limit).map_err(|error| anyhow::anyhow!("`{path}` {error}"))
}

/// True when version `a` is newer than `b` (dotted numbers).
fn newer(a: &str, b: &str) -> bool {
    let parse = |v: &str| -> Vec<u64> { v.split('.').map(|n| n.parse().unwrap_or(0)).collect() };
    parse(a) > parse(b)
}

/// Every record file, in the order they are written (the manifest last).
pub const RECORD_FILES: [&str; 4] = [ANSWERS_PATH, SCHEMA_PATH, BASE_PATH, MANIFEST_PATH];

/// Adds the record files (answers and their schema, base, manifest) to a rendered tree.
pub fn add_record(tree: &mut RenderedTree, answers_yaml: String) {
    let derived = derived_record(tree);
    tree.insert(ANSWERS_PATH.to_owned(), text_file(answers_yaml));
    tree.extend(derived);
}

/// The record files computed from the generated files alone (schema, base, manifest); the
/// answers are added by the caller. Reads the tree only, so it can run beside the checks.
pub fn derived_record(tree: &RenderedTree) -> Vec<(String, RenderedFile)> {
    let manifest = Manifest::of(tree);
    let mut schema =
        serde_json::to_string_pretty(&crate::answers::schema::answers_schema()).unwrap_or_default();
    schema.push('\n');
    vec![
        (SCHEMA_PATH.to_owned(), text_file(schema)),
        (
            BASE_PATH.to_owned(),
            RenderedFile {
                contents: encode_base(tree),
                executable: false,
            },
        ),
        (MANIFEST_PATH.to_owned(), text_file(manifest.to_json())),
    ]
}

fn text_file(text: String) -> RenderedFile {
    RenderedFile {
        contents: text.into_bytes(),
        executable: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str, executable: bool) -> RenderedFile {
        RenderedFile {
            contents: text.as_bytes().to_vec(),
            executable,
        }
    }

    #[test]
    fn records_hashes_and_reads_back() {
        let mut tree = RenderedTree::new();
        tree.insert("a.txt".into(), file("a\n", false));
        tree.insert("s.sh".into(), file("echo\n", true));
        add_record(&mut tree, "platform_name: x\n".into());
        let text = String::from_utf8(tree[MANIFEST_PATH].contents.clone()).unwrap();
        let manifest = Manifest::from_json(&text).unwrap();
        assert_eq!(manifest.files.len(), 2);
        assert_eq!(
            manifest.files["a.txt"].sha256,
            "87428fc522803d31065e7bce3cf03fe475096631e5e07bbd7a0fde60c4cf25c7"
        );
        assert!(manifest.files["s.sh"].executable);
        assert!(tree.contains_key(ANSWERS_PATH));
        let base = decode_base(&tree[BASE_PATH].contents).unwrap();
        assert_eq!(base.keys().collect::<Vec<_>>(), ["a.txt", "s.sh"]);
        assert_eq!(base["s.sh"], "echo\n");
    }

    #[test]
    fn versions_compare_numerically() {
        assert!(newer("0.10.0", "0.9.1"));
        assert!(!newer("0.1.0", "0.1.0"));
        assert!(!newer("0.1.0", "1.0.0"));
    }

    #[test]
    fn the_base_is_deterministic_and_a_broken_one_is_an_error() {
        let mut tree = RenderedTree::new();
        tree.insert("a.txt".into(), file("a\n", false));
        assert_eq!(encode_base(&tree), encode_base(&tree));
        assert!(decode_base(b"not gzip").is_err());
    }
}
