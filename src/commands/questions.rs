//! `openedx-devops questions`: every question of the answers file, as text, JSON, JSON Schema
//! or the Markdown reference (docs/answers.md).

use super::{Outcome, print};
use crate::answers::{ENVIRONMENT_QUESTIONS, QUESTIONS, Question};
use crate::cli::{QuestionsArgs, QuestionsFormat};
use std::io::Write;

pub(super) fn run(args: &QuestionsArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let text = render(args.format)?;
    print(out, &text)?;
    Ok(Outcome::Success)
}

fn render(format: QuestionsFormat) -> anyhow::Result<String> {
    let mut text = String::new();
    match format {
        QuestionsFormat::Text => {
            for question in QUESTIONS {
                text.push_str(&describe(question, ""));
            }
            for question in ENVIRONMENT_QUESTIONS {
                text.push_str(&describe(question, "environments[]."));
            }
        }
        QuestionsFormat::Markdown => text = answers_reference(),
        QuestionsFormat::JsonSchema => {
            text = serde_json::to_string_pretty(&crate::answers::schema::answers_schema())?;
            text.push('\n');
        }
        QuestionsFormat::Json => {
            let rows: Vec<serde_json::Value> = QUESTIONS
                .iter()
                .map(|q| question_json(q, ""))
                .chain(
                    ENVIRONMENT_QUESTIONS
                        .iter()
                        .map(|q| question_json(q, "environments[].")),
                )
                .collect();
            text = serde_json::to_string_pretty(&rows)?;
            text.push('\n');
        }
    }
    Ok(text)
}

/// The answers reference, generated from the question table (docs/answers.md).
pub fn answers_reference() -> String {
    let mut out = String::from(
        "# Answers reference\n\nGenerated from the question table by `openedx-devops questions --format markdown`;\na test keeps this file in step with it.\n\nAn answers file is YAML. Keys without a default are required.\n\n",
    );
    let table = |out: &mut String, questions: &[Question], prefix: &str| {
        out.push_str("| key | type | default | help |\n| --- | --- | --- | --- |\n");
        for question in questions {
            let default = match (question.required, question.default_text()) {
                (true, _) | (_, None) => "required".to_owned(),
                (false, Some(text)) => text.replace('`', ""),
            };
            let kind = match question.kind.choices() {
                Some(choices) if question.kind.type_name() == "choice" => choices.join(" \\| "),
                _ => question.kind.type_name().to_owned(),
            };
            out.push_str(&format!(
                "| `{prefix}{}` | {kind} | {default} | {} |\n",
                question.key,
                question.help.replace('|', "\\|")
            ));
        }
    };
    table(&mut out, QUESTIONS, "");
    out.push_str("\n## Each environment (`environments[]`)\n\n");
    table(&mut out, ENVIRONMENT_QUESTIONS, "");
    out.push_str(
        "\n## Rules across keys\n\n- Environment names are unique, and so are their hosts (`<subdomain>.<root_domain>`).\n- `<platform_name>-<platform_region>-<environment name>`, the stem of every AWS resource name, has at most 40 characters.\n- Instance types are checked against catalogues of EC2, RDS (`db.`) and ElastiCache (`cache.`) families and sizes; run `openedx-devops questions --format json-schema` for the full lists.\n- `lms_max_pods` is at least `lms_min_pods`, and `eks_instance_type` leaves the pods of a node at least 2 GiB (t3.medium or larger).\n- `theme_repository` and a theme plugin (`indigo`) exclude each other: a platform has one default theme.\n- Each plugin host (`notes.`, `discovery.`, `credentials.`, `xqueue.`, `jupyter.`, `data.`) is put before every environment's LMS host, in its certificate and DNS.\n",
    );
    out
}

fn describe(question: &Question, prefix: &str) -> String {
    let default = match (question.required, question.default_text()) {
        (true, _) | (_, None) => "required".to_owned(),
        (false, Some(text)) => format!("default {text}"),
    };
    let mut text = format!(
        "{prefix}{}  ({}, {default})\n    {}\n",
        question.key,
        question.kind.type_name(),
        question.help
    );
    if let Some(choices) = question.kind.choices() {
        text.push_str(&format!("    one of: {}\n", choices.join(", ")));
    }
    text
}

fn question_json(question: &Question, prefix: &str) -> serde_json::Value {
    serde_json::json!({
        "key": format!("{prefix}{}", question.key),
        "type": question.kind.type_name(),
        "required": question.required,
        "default": question.default_text(),
        "choices": question.kind.choices(),
        "help": question.help,
    })
}
