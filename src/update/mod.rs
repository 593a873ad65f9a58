//! `update`: brings template upgrades and answer changes into a generated repository by a
//! three-way merge of the last generated output (base, from `.openedx-devops/`), the repository
//! as it is (ours) and a new render (theirs). A pipeline: [`prepare`] reads the record and the
//! files ([`read`]), renders, and plans each file ([`plan`], pure); [`apply`] carries the plan
//! out all or nothing and returns what it did; the caller reports after that.

mod apply;
mod envcommon;
pub mod merge;
mod plan;
mod read;
pub mod report;

pub use apply::Applied;
pub use plan::{Action, Effect, FilePlan, Plan};

use crate::answers::{Answers, QUESTIONS, load};
use crate::blueprints::BlueprintSet;
use crate::record::{self, Record};
use crate::render::RenderedTree;
use std::path::{Path, PathBuf};

/// What to update, as plain options (the command layer builds them from the command line).
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The repository.
    pub dir: PathBuf,
    /// Answers to use instead of the recorded ones.
    pub answers: Option<PathBuf>,
    /// `KEY=VALUE` changes to the answers.
    pub set: Vec<String>,
    /// A blueprint folder to render from instead of the embedded blueprints.
    pub blueprints: Option<PathBuf>,
}

/// Reads the repository and its record, renders the answers, and plans every file. Writes
/// nothing.
pub fn prepare(options: &Options) -> anyhow::Result<Plan> {
    let root = options.dir.as_path();
    let record = Record::read(root)?;
    let (answers, answers_text, notes) = gather_answers(options, &record)?;
    let blueprints = match &options.blueprints {
        Some(folder) => BlueprintSet::from_dir(folder)?,
        None => BlueprintSet::embedded()?,
    };
    let mut theirs = crate::generate::generate(&answers, &blueprints)?;
    keep_answers_text(&mut theirs, answers_text);
    let disk = read::read(root, &record, &theirs)?;
    let mut plan = plan::plan(&record, &disk, &theirs);
    plan.notes.extend(notes);
    Ok(plan)
}

/// Carries out a plan all or nothing, journaled so that an interrupted run is rolled back by the
/// next ([`recover`]). Returns what it wrote and deleted.
pub fn apply(root: &Path, plan: &Plan) -> anyhow::Result<Applied> {
    apply::apply(root, &plan.in_order(), None)
}

/// [`apply`] with a failure injected after `steps` steps: what a crash or a full disk does.
#[doc(hidden)]
pub fn apply_failing_after(root: &Path, plan: &Plan, steps: usize) -> anyhow::Result<Applied> {
    apply::apply(root, &plan.in_order(), Some(steps))
}

/// Rolls back an update that was interrupted, if its journal is there. Returns whether it did.
pub fn recover(root: &Path) -> anyhow::Result<bool> {
    apply::recover(root)
}

/// The answers to render with: recorded, or `--answers`, then `--set`. Returns the answers,
/// the text `answers.yml` should hold, and notes (new questions and their defaults).
fn gather_answers(
    options: &Options,
    record: &Record,
) -> anyhow::Result<(Answers, String, Vec<String>)> {
    let (raw, source_text) = match &options.answers {
        Some(path) => (load::read_file(path)?, None),
        None => (
            load::parse(&record.answers_text)
                .map_err(|message| anyhow::anyhow!("`{}`: {message}", record::ANSWERS_PATH))?,
            Some(record.answers_text.as_str()),
        ),
    };
    let answers = load::settle(raw, &options.set)?;
    let mut notes = Vec::new();
    if let Some(text) = source_text {
        let raw_full = answers.to_raw();
        for question in QUESTIONS {
            if !text.contains(&format!("{}:", question.key)) {
                notes.push(format!(
                    "new question `{}` takes its default {}",
                    question.key,
                    crate::answers::show(&raw_full[question.key])
                ));
            }
        }
    }
    // Keep the user's own text (comments, order) unless the answers changed.
    let text = match source_text {
        Some(text) if options.set.is_empty() && notes.is_empty() => text.to_owned(),
        _ => load::to_yaml(&answers),
    };
    Ok((answers, text, notes))
}

fn keep_answers_text(tree: &mut RenderedTree, text: String) {
    if let Some(file) = tree.get_mut(record::ANSWERS_PATH) {
        file.contents = text.into_bytes();
    }
}
