//! Rendering: minijinja over the planned blueprints -> a [`RenderedTree`] in memory. Templates
//! are parsed once; rendering writes nothing to disk.

use crate::blueprints::{BlueprintSet, is_hidden};
use crate::context::{Context, TemplateValues};
use crate::plan::RenderPlan;
use anyhow::Context as _;
use minijinja::syntax::SyntaxConfig;
use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value};
use std::collections::BTreeMap;

/// One generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedFile {
    pub contents: Vec<u8>,
    pub executable: bool,
}

/// A whole generated repository: target path -> file, sorted.
pub type RenderedTree = BTreeMap<String, RenderedFile>;

/// The template environment all blueprints are rendered in: custom delimiters (so `${{ }}`
/// and `{{ }}` of other tools pass through), strict undefined, no escaping.
pub(crate) fn environment<'source>() -> anyhow::Result<Environment<'source>> {
    let mut environment = Environment::new();
    let syntax = SyntaxConfig::builder()
        .block_delimiters("[%", "%]")
        .variable_delimiters("[[", "]]")
        .comment_delimiters("[#", "#]")
        .trim_blocks(true)
        .lstrip_blocks(true)
        .keep_trailing_newline(true)
        .build()
        .context("template syntax")?;
    environment.set_syntax(syntax);
    environment.set_undefined_behavior(UndefinedBehavior::Strict);
    environment.set_auto_escape_callback(|_| AutoEscape::None);
    environment.add_filter("tojson", tojson);
    environment.add_filter("markdown", markdown);
    Ok(environment)
}

/// Free text made inert in Markdown: HTML's `<`, `>` and `&` as entities (so `<!--` cannot hide
/// the rest of a README on GitHub), Markdown's own signs escaped with a backslash.
fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '*' | '_' | '[' | ']' | '#' | '|' | '~' | '!' | '(' | ')' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

fn tojson(value: Value) -> Result<String, minijinja::Error> {
    serde_json::to_string(&value).map_err(|error| {
        minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, error.to_string())
    })
}

/// Renders every planned file.
pub fn render(
    blueprints: &BlueprintSet,
    plan: &RenderPlan,
    context: &Context,
) -> anyhow::Result<RenderedTree> {
    let mut environment = environment()?;
    let rendered: std::collections::BTreeSet<&str> = plan
        .files
        .iter()
        .filter(|file| file.render)
        .map(|file| file.blueprint.as_str())
        .collect();
    for (path, bytes) in blueprints.iter() {
        if !(rendered.contains(path) || is_hidden(path)) {
            continue;
        }
        let source = std::str::from_utf8(bytes)
            .with_context(|| format!("blueprint `{path}` is not UTF-8 text"))?;
        // Borrowed from the blueprint set: no copy of the sources.
        environment
            .add_template(path, source)
            .map_err(|error| template_error(path, &error))?;
    }
    let values = TemplateValues::new(context);
    let mut tree = RenderedTree::new();
    for file in &plan.files {
        let contents = if file.render {
            let template = environment
                .get_template(&file.blueprint)
                .map_err(|error| template_error(&file.blueprint, &error))?;
            template
                .render(values.get(file.environment))
                .map_err(|error| template_error(&file.blueprint, &error))
                .with_context(|| format!("rendering `{}`", file.target))?
                .into_bytes()
        } else {
            blueprints
                .files
                .get(&file.blueprint)
                .map(|bytes| bytes.to_vec())
                .unwrap_or_default()
        };
        tree.insert(
            file.target.clone(),
            RenderedFile {
                contents,
                executable: file.executable,
            },
        );
    }
    Ok(tree)
}

fn template_error(path: &str, error: &minijinja::Error) -> anyhow::Error {
    let name = error.name().unwrap_or(path);
    let line = error
        .line()
        .map(|line| format!(" line {line}"))
        .unwrap_or_default();
    let detail = error.detail().unwrap_or_default();
    anyhow::anyhow!("blueprint `{name}`{line}: {} {detail}", error.kind())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::{Answers, load};
    use crate::plan::plan;

    fn render_files(files: &[(&str, &str)]) -> anyhow::Result<RenderedTree> {
        let files = files
            .iter()
            .map(|(path, text)| ((*path).to_owned(), text.as_bytes().to_vec()))
            .collect();
        let blueprints = BlueprintSet::from_files(files)?;
        let answers = Answers::validate(&load::demo_defaults()).unwrap();
        let context = Context::new(&answers, blueprints.versions());
        let plan = plan(&blueprints, &context)?;
        render(&blueprints, &plan, &context)
    }

    fn text(tree: &RenderedTree, path: &str) -> String {
        String::from_utf8(tree[path].contents.clone()).unwrap()
    }

    #[test]
    fn foreign_template_syntax_passes_through() {
        let tree = render_files(&[(
            "w.yml",
            "run: echo ${{ github.sha }} {{ LMS_HOST }} ${#x} \"${var.a}\" [[ answers.aws_region ]]\n[% if answers.bastion %]\nbastion: yes\n[% endif %]\n",
        )])
        .unwrap();
        assert_eq!(
            text(&tree, "w.yml"),
            "run: echo ${{ github.sha }} {{ LMS_HOST }} ${#x} \"${var.a}\" us-east-1\nbastion: yes\n"
        );
    }

    #[test]
    fn per_environment_files_see_env_and_partials_are_included() {
        let tree = render_files(&[
            (
                "e/__env__.txt",
                "[[ env.hosts.lms ]] [% include \"_p/x.txt\" %]",
            ),
            ("_p/x.txt", "[[ versions.g.v ]]"),
            ("_versions.yml", "g:\n  v: \"1.2\"\n"),
        ])
        .unwrap();
        assert_eq!(text(&tree, "e/prod.txt"), "courses.yourschool.example 1.2");
        assert!(!tree.contains_key("_p/x.txt"));
    }

    #[test]
    fn an_undefined_name_fails_naming_blueprint_and_line() {
        let error = render_files(&[("a/b.tf", "ok\n[[ answers.regoin ]]\n")]).unwrap_err();
        let message = format!("{error:#}");
        assert!(
            message.contains("a/b.tf") && message.contains("line 2"),
            "{message}"
        );
    }

    #[test]
    fn verbatim_files_are_copied_byte_for_byte() {
        let tree = render_files(&[
            ("s.sh", "if [[ -n \"$x\" ]]; then echo {% x %}; fi\n"),
            (
                "_plan.yml",
                "rules:\n  - path: s.sh\n    render: false\n    executable: true\n",
            ),
        ])
        .unwrap();
        assert_eq!(
            text(&tree, "s.sh"),
            "if [[ -n \"$x\" ]]; then echo {% x %}; fi\n"
        );
        assert!(tree["s.sh"].executable);
    }

    #[test]
    fn markdown_makes_free_text_inert() {
        assert_eq!(markdown("Lake <!-- School"), "Lake &lt;\\!-- School");
        assert_eq!(
            markdown("A & B *bold* [x](y)"),
            "A &amp; B \\*bold\\* \\[x\\]\\(y\\)"
        );
        assert_eq!(markdown("Tutor Labs"), "Tutor Labs");
    }

    #[test]
    fn tojson_quotes_for_hcl() {
        let tree =
            render_files(&[("a.tf", "x = [[ answers.platform_description | tojson ]]\n")]).unwrap();
        assert_eq!(text(&tree, "a.tf"), "x = \"Your School\"\n");
    }
}
