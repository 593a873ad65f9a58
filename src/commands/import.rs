//! `openedx-devops import DIR`: read a repository that cookiecutter-openedx-devops generated,
//! print (or write) answers for `new`, report what was found, left out and changed by design;
//! with `--import-existing REPO`, write the `import {}` blocks of what continues into the
//! repository `new` generated from those answers.

use super::Outcome;
use crate::cli::ImportArgs;
use crate::import::{self, Adoption};
use std::io::Write;
use std::path::Path;

pub(super) fn run(args: &ImportArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let imported = import::import(&args.dir, args.replay.as_deref())?;
    if let Some(repository) = &args.import_existing {
        // Checked before anything is written, so a wrong folder leaves the answers unwritten too.
        check_generated(repository)?;
    }
    match &args.output {
        Some(file) => write_answers(file, &imported.text)?,
        None => super::print(out, &imported.text)?,
    }
    let mut report = imported.report.clone();
    if let Some(repository) = &args.import_existing {
        for adoption in &imported.adoptions {
            write_adoption(repository, adoption)?;
            report.found.push(format!(
                "wrote {}: {} continues in the new repository",
                adoption.file, adoption.what
            ));
        }
        if imported.adoptions.is_empty() {
            report.found.push(
                "--import-existing: nothing of the old repository continues under the same name"
                    .to_owned(),
            );
        }
    } else if !imported.adoptions.is_empty() {
        let what: Vec<&str> = imported.adoptions.iter().map(|a| a.what.as_str()).collect();
        report.found.push(format!(
            "continues in the new repository (after `new`, run `openedx-devops import {} --import-existing <new repository>` to write its import blocks): {}",
            crate::suggest::escape_control(&args.dir.display().to_string()),
            what.join("; ")
        ));
    }
    for warning in imported.answers.warnings() {
        report.adjusted.push(warning);
    }
    let _ = write!(
        std::io::stderr(),
        "{}",
        crate::suggest::escape_control(&report.to_text())
    );
    Ok(Outcome::Success)
}

/// Writes the answers to a new file; an existing file is never replaced.
fn write_answers(file: &Path, text: &str) -> anyhow::Result<()> {
    let name = crate::suggest::escape_control(&file.display().to_string()).into_owned();
    if std::fs::symlink_metadata(file).is_ok() {
        anyhow::bail!("`{name}` exists: give a new file name (nothing was written)");
    }
    crate::write::create_file(file, text.as_bytes(), false)
        .map_err(|error| anyhow::anyhow!("cannot write the answers to `{name}`: {error:#}"))
}

/// The folder must be a repository openedx-devops generated.
fn check_generated(repository: &Path) -> anyhow::Result<()> {
    let manifest = crate::paths::inside(repository, crate::record::MANIFEST_PATH)?;
    if !manifest.is_file() {
        anyhow::bail!(
            "`{}` is not a repository openedx-devops generated (it has no `{}`): run `openedx-devops new` with the imported answers first",
            crate::suggest::escape_control(&repository.display().to_string()),
            crate::record::MANIFEST_PATH
        );
    }
    Ok(())
}

/// Writes one `imports.tf` into its unit, which must exist; an identical file is left as it
/// is, a different one is refused.
fn write_adoption(repository: &Path, adoption: &Adoption) -> anyhow::Result<()> {
    let unit = adoption
        .file
        .rsplit_once('/')
        .map_or("", |(folder, _)| folder);
    let folder = crate::paths::inside(repository, unit)?;
    if !folder.is_dir() {
        anyhow::bail!(
            "`{unit}` is not a folder of the new repository: was it generated from the imported answers?"
        );
    }
    let path = crate::paths::inside(repository, &adoption.file)?;
    match crate::paths::read_if_present(&path, 1024 * 1024) {
        Ok(Some(existing)) if existing == adoption.text.as_bytes() => Ok(()),
        Ok(Some(_)) => anyhow::bail!(
            "`{}` exists with other contents: delete it to have it written again",
            adoption.file
        ),
        Ok(None) => crate::write::create_file(&path, adoption.text.as_bytes(), false),
        Err(error) => anyhow::bail!("`{}` {error}", adoption.file),
    }
}
