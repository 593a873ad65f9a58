//! The whole pipeline from validated answers to a checked tree in memory:
//! context -> plan -> render -> record -> validate. Writes nothing.

use crate::answers::{Answers, load};
use crate::blueprints::BlueprintSet;
use crate::context::Context;
use crate::manifest;
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
        manifest::ANSWERS_PATH.to_owned(),
        RenderedFile {
            contents: load::to_yaml(answers).into_bytes(),
            executable: false,
        },
    );
    // The checks and the record (hashes, compressed base) only read the tree: run them side
    // by side.
    let (findings, record) = std::thread::scope(|scope| {
        let record = scope.spawn(|| manifest::derived_record(&tree));
        let findings = crate::check::check_tree(&tree);
        (findings, record.join())
    });
    if !findings.is_empty() {
        return Err(BlueprintDefect { findings }.into());
    }
    let record = record.map_err(|_| anyhow::anyhow!("computing the record failed (a bug)"))?;
    tree.extend(record);
    Ok(tree)
}
