//! `openedx-devops update [DIR]`: recover an interrupted run, prepare the plan, apply it (unless
//! `--dry-run` or `--check`), then report what was done.

use super::{Outcome, print};
use crate::cli::{ReportFormat, UpdateArgs};
use crate::update::{self, Plan, report::Done};
use std::io::Write;

pub(super) fn run(args: &UpdateArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let options = update::Options {
        dir: args.dir.clone(),
        answers: args.answers.clone(),
        set: args.set.clone(),
        blueprints: args.blueprints.clone(),
    };
    let writing = !(args.dry_run || args.check);
    execute(&options, writing, args, out, |plan| {
        update::apply(&options.dir, plan)
    })
}

/// The command with its apply step given, so a test can make it fail.
fn execute(
    options: &update::Options,
    writing: bool,
    args: &UpdateArgs,
    out: &mut dyn Write,
    apply: impl FnOnce(&Plan) -> anyhow::Result<update::Applied>,
) -> anyhow::Result<Outcome> {
    let _lock = update::lock(&options.dir, writing)?;
    let mut pending = false;
    if writing {
        if update::recover(&options.dir)? {
            super::note("rolled back an interrupted update first");
        }
    } else if update::pending(&options.dir)? {
        pending = true;
        super::note(
            "an interrupted update is pending: `openedx-devops update` rolls it back first (this run wrote nothing)",
        );
    }
    let plan = update::prepare(options)?;
    let done = if writing && plan.writes() {
        Done::Applied(apply(&plan)?)
    } else {
        Done::NotWritten
    };
    let text = match args.format {
        ReportFormat::Text => update::report::text(&plan, done),
        ReportFormat::Json => update::report::json(&plan, done),
    };
    print(out, &text)?;
    let unresolved = !plan.unresolved.is_empty();
    Ok(Outcome::attention_if(if args.check {
        plan.changes_files() || pending || unresolved
    } else {
        !plan.conflicts().is_empty() || unresolved
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn args(dir: PathBuf) -> UpdateArgs {
        UpdateArgs {
            dir,
            answers: None,
            set: vec!["environments.0.eks_instance_type=t3.2xlarge".into()],
            dry_run: false,
            check: false,
            format: ReportFormat::Text,
            blueprints: None,
        }
    }

    #[test]
    fn a_failing_apply_reports_nothing_as_applied_and_changes_nothing() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("repo");
        let answers = crate::answers::load::demo_defaults();
        let answers = crate::answers::load::settle(answers, &[]).unwrap();
        let blueprints = crate::blueprints::BlueprintSet::embedded().unwrap();
        let tree = crate::generate::generate(&answers, &blueprints).unwrap();
        crate::write::write_new(&dir, &tree).unwrap();
        let before = std::fs::read(dir.join("terraform/environments/prod/env.hcl")).unwrap();
        let args = args(dir.clone());
        let options = update::Options {
            dir: dir.clone(),
            set: args.set.clone(),
            ..Default::default()
        };
        let mut out = Vec::new();
        let result = execute(&options, true, &args, &mut out, |plan| {
            update::apply_failing_after(&dir, plan, 1)
        });
        assert!(result.is_err());
        let printed = String::from_utf8(out).unwrap();
        assert!(!printed.contains("applied"), "{printed}");
        let after = std::fs::read(dir.join("terraform/environments/prod/env.hcl")).unwrap();
        assert_eq!(before, after);
    }
}
