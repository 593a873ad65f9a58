//! The whole pipeline from validated answers to a checked tree in memory:
//! context -> plan -> render -> record -> validate. Writes nothing.

use crate::answers::{Answers, load};
use crate::blueprints::BlueprintSet;
use crate::context::Context;
use crate::record;
use crate::render::{RenderedFile, RenderedTree};
use crate::validate::Finding;

/// Rendered output failed validation: a defect of the blueprints, never of the answers.
#[derive(Debug, thiserror::Error)]
pub struct BlueprintDefect {
    pub findings: Vec<Finding>,
}

impl std::fmt::Display for BlueprintDefect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the generated repository failed its checks, so nothing was written. This is a bug in openedx-devops's blueprints; please report it with these findings:"
        )?;
        for finding in &self.findings {
            write!(f, "\n  - {finding}")?;
        }
        Ok(())
    }
}

/// Renders and checks the whole repository for validated answers.
pub fn generate(answers: &Answers, blueprints: &BlueprintSet) -> anyhow::Result<RenderedTree> {
    let context = Context::new(answers, blueprints.versions());
    let plan = crate::plan::plan(blueprints, &context)?;
    let mut tree = crate::render::render(blueprints, &plan, &context)?;
    tree.insert(
        record::ANSWERS_PATH.to_owned(),
        RenderedFile {
            contents: load::to_yaml(answers).into_bytes(),
            executable: false,
        },
    );
    // The checks and the record (hashes, compressed base) only read the tree: run them side
    // by side.
    let (findings, record) = std::thread::scope(|scope| {
        let record = scope.spawn(|| record::derived_record(&tree));
        let report = crate::validate::check_render(&tree);
        (report.findings, record.join())
    });
    let findings: Vec<Finding> = findings
        .into_iter()
        .filter(|finding| finding.severity.is_error())
        .collect();
    if !findings.is_empty() {
        return Err(BlueprintDefect { findings }.into());
    }
    let record = record.map_err(|_| anyhow::anyhow!("computing the record failed (a bug)"))?;
    tree.extend(record);
    Ok(tree)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_binary_blueprint_is_copied_byte_for_byte_and_passes_validation() {
        // Pins the bug where a theme logo in the blueprints made `new` fail as "a bug in
        // openedx-devops's blueprints" while `check` accepted the same file.
        let logo: Vec<u8> = vec![
            0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0xff,
        ];
        let mut files: std::collections::BTreeMap<String, Vec<u8>> = Default::default();
        files.insert(
            "README.md".into(),
            b"# [[ answers.platform_name ]]\n".to_vec(),
        );
        files.insert("ci/themes/logo.png".into(), logo.clone());
        let blueprints = BlueprintSet::from_files(files).unwrap();
        let answers = load::settle(load::demo_defaults(), &[]).unwrap();
        let tree = generate(&answers, &blueprints).unwrap();
        assert_eq!(tree["ci/themes/logo.png"].contents, logo);
    }
}
