//! Reading answers (a YAML file, `--set KEY=VALUE` overrides, the embedded demo defaults) into a
//! raw tree, and writing validated answers back as a commented `answers.yml`.

use super::{Answers, AnswersError, ENVIRONMENT_QUESTIONS, Kind, QUESTIONS, Question, show};
use crate::suggest::escape_control;
use serde_json::{Map, Value};
use std::fmt::Write as _;
use std::io::Read;
use std::path::Path;

/// The largest answers file read; anything bigger is not an answers file.
const MAX_ANSWERS_BYTES: u64 = 1024 * 1024;

/// Answers for `new --defaults`: a demo platform on a placeholder domain and account.
pub fn demo_defaults() -> Value {
    serde_json::json!({
        "platform_name": "yourschool",
        "platform_description": "Your School",
        "root_domain": "yourschool.example",
        "aws_region": "us-east-1",
        "aws_account_id": "123456789012",
    })
}

/// Reads an answers file (YAML or JSON) into a raw tree; `-` reads standard input. Errors name
/// the file and say why (missing, a folder, not a regular file, too large, not UTF-8), or give
/// the line and column of a syntax error.
///
/// A path given by the user may be a symbolic link (it is their own path), but only to a
/// regular file: the file is opened without blocking (a FIFO would wait for a writer forever),
/// checked on the open file, and read up to a hard limit, whatever size the file claims (files
/// in `/proc` claim 0).
pub fn read_file(path: &Path) -> anyhow::Result<Value> {
    let (text, name) = if path == Path::new("-") {
        let text = read_limited(std::io::stdin().lock()).map_err(|reason| {
            anyhow::anyhow!("cannot read answers from standard input: {reason}")
        })?;
        (text, "standard input".to_owned())
    } else {
        let name = format!("`{}`", escape_control(&path.display().to_string()));
        let text = read_regular_file(path)
            .map_err(|reason| anyhow::anyhow!("cannot read the answers file {name}: {reason}"))?;
        (text, name)
    };
    parse(&text).map_err(|message| anyhow::anyhow!("{name}: {message}"))
}

/// Why an answers file could not be read, in words that complete "cannot read ...: ".
#[derive(Debug, thiserror::Error)]
enum ReadError {
    #[error("there is no such file")]
    Missing,
    #[error("it is a folder, not a file")]
    Folder,
    #[error("it is not a regular file (a FIFO, socket or device)")]
    NotRegular,
    #[error("it is larger than {MAX_ANSWERS_BYTES} bytes, the most an answers file may hold")]
    TooLarge,
    #[error("it is not UTF-8 text")]
    NotUtf8,
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

fn read_regular_file(path: &Path) -> Result<String, ReadError> {
    let file = open_without_blocking(path).map_err(|error| match error.kind() {
        std::io::ErrorKind::NotFound => ReadError::Missing,
        std::io::ErrorKind::IsADirectory => ReadError::Folder,
        _ => ReadError::Io(error),
    })?;
    let kind = file.metadata()?.file_type();
    if kind.is_dir() {
        return Err(ReadError::Folder);
    }
    if !kind.is_file() {
        return Err(ReadError::NotRegular);
    }
    read_limited(file)
}

/// Opens `path` for reading; on unix with `O_NONBLOCK`, so that opening a FIFO returns at once
/// (reading a regular file is not affected by the flag).
fn open_without_blocking(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// Reads at most [`MAX_ANSWERS_BYTES`] from `reader` as UTF-8 text.
fn read_limited(reader: impl Read) -> Result<String, ReadError> {
    let mut bytes = Vec::new();
    reader.take(MAX_ANSWERS_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_ANSWERS_BYTES {
        return Err(ReadError::TooLarge);
    }
    String::from_utf8(bytes).map_err(|_| ReadError::NotUtf8)
}

/// Parses answers text; the error carries the parser's line and column.
pub fn parse(text: &str) -> Result<Value, String> {
    if text.trim().is_empty() {
        return Ok(Value::Object(Map::new()));
    }
    // The parser's message quotes the file's lines around the error: escape what it keeps.
    serde_saphyr::from_str::<Value>(text)
        .map_err(|error| format!("not valid YAML: {}", escape_control(&error.to_string())))
}

/// Applies one `--set KEY=VALUE`. The key is a path (`environments.0.eks_instance_type`);
/// the value is read as the key's type (`true`/`false` for booleans, text otherwise).
/// `environments.N.*` with N equal to the number of environments adds one.
pub fn apply_set(raw: &mut Value, assignment: &str) -> Result<(), AnswersError> {
    let Some((path, text)) = assignment.split_once('=') else {
        return Err(AnswersError::one(
            assignment,
            "has no `=`: write `--set KEY=VALUE`, e.g. `--set aws_region=eu-west-2`",
        ));
    };
    let path = path.trim();
    let segments: Vec<&str> = path.split('.').collect();
    if !raw.is_object() {
        *raw = Value::Object(Map::new());
    }
    let top = raw.as_object_mut().expect("made an object above");
    let question = find_question(QUESTIONS, segments[0], segments[0])?;
    if !matches!(question.kind, Kind::Environments) {
        if segments.len() != 1 {
            return Err(AnswersError::one(
                path,
                "has no parts: `.` after it is not allowed",
            ));
        }
        top.insert(question.key.to_owned(), typed(question, text));
        return Ok(());
    }
    let (Some(index), Some(key), None) = (segments.get(1), segments.get(2), segments.get(3)) else {
        return Err(AnswersError::one(
            path,
            "sets one value of one environment: write `environments.<index>.<key>`, e.g. `environments.0.eks_instance_type`",
        ));
    };
    let index: usize = index.parse().map_err(|_| {
        AnswersError::one(
            path,
            format!("`{index}` is not an environment index (0, 1, ...)"),
        )
    })?;
    let question = find_question(ENVIRONMENT_QUESTIONS, key, path)?;
    let environments = top
        .entry("environments")
        .or_insert_with(|| serde_json::json!([{}]));
    let Value::Array(items) = environments else {
        return Err(AnswersError::one(
            "environments",
            "is not a list, so `--set` cannot index it",
        ));
    };
    if index > items.len() {
        return Err(AnswersError::one(
            path,
            format!(
                "names environment {index}, but there are {}: add environments in order",
                items.len()
            ),
        ));
    }
    if index == items.len() {
        items.push(Value::Object(Map::new()));
    }
    let Value::Object(item) = &mut items[index] else {
        return Err(AnswersError::one(
            format!("environments.{index}"),
            "is not a mapping, so `--set` cannot change it",
        ));
    };
    item.insert(question.key.to_owned(), typed(question, text));
    Ok(())
}

fn find_question(
    table: &'static [Question],
    key: &str,
    path: &str,
) -> Result<&'static Question, AnswersError> {
    table
        .iter()
        .find(|question| question.key == key)
        .ok_or_else(|| {
            let hint = crate::suggest::did_you_mean(key, table.iter().map(|q| q.key));
            AnswersError::one(path, format!("is not a known answer{hint}"))
        })
}

fn typed(question: &Question, text: &str) -> Value {
    match (question.kind, text) {
        (Kind::Bool, "true") => Value::Bool(true),
        (Kind::Bool, "false") => Value::Bool(false),
        (Kind::Count { .. }, _) => question.kind.normalize(Value::String(text.to_owned())),
        _ => Value::String(text.to_owned()),
    }
}

/// `answers.yml` as the repository records it: chosen answers as values, defaults as comments
/// (so they follow newer defaults on `update`, and people see what they could set).
pub fn to_yaml(answers: &Answers) -> String {
    let raw = answers.to_raw();
    let mut out = String::new();
    out.push_str("# yaml-language-server: $schema=answers.schema.json\n");
    out.push_str(
        "# Answers for openedx-devops. Edit them, then run `openedx-devops update` to apply.\n",
    );
    out.push_str(
        "# A commented key takes the generator's default; uncomment it to choose a value.\n",
    );
    let _ = writeln!(out, "schema_version: {}", super::SCHEMA_VERSION);
    for question in QUESTIONS {
        let value = &raw[question.key];
        let chosen = answers.chosen.contains(question.key);
        if let Kind::Environments = question.kind {
            write_environments(&mut out, answers, value, chosen);
            continue;
        }
        let comment = if chosen { "" } else { "# " };
        let _ = writeln!(out, "{comment}{}: {}", question.key, scalar(value));
    }
    out
}

fn write_environments(out: &mut String, answers: &Answers, value: &Value, chosen: bool) {
    let list_comment = if chosen { "" } else { "# " };
    let _ = writeln!(out, "{list_comment}environments:");
    let items = value.as_array().cloned().unwrap_or_default();
    for (index, item) in items.iter().enumerate() {
        for (position, question) in ENVIRONMENT_QUESTIONS.iter().enumerate() {
            let path = format!("environments.{index}.{}", question.key);
            // The first key carries the list dash; a list item needs at least one real key.
            let keep = chosen && (position == 0 || answers.chosen.contains(&path));
            let comment = if keep { "" } else { "# " };
            let dash = if position == 0 { "- " } else { "  " };
            let _ = writeln!(
                out,
                "{comment}  {dash}{}: {}",
                question.key,
                scalar(&item[question.key])
            );
        }
    }
}

pub(crate) fn scalar(value: &Value) -> String {
    match value {
        Value::String(text) => serde_json::to_string(text).unwrap_or_default(),
        // A flow list with a space after each comma, as YAML style (and yamllint) wants it.
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(scalar).collect::<Vec<_>>().join(", ")
        ),
        other => other.to_string(),
    }
}

/// `answers.yml` with `--set` assignments written into its own text, comments and order kept:
/// the line of the key (or its commented default) gets the new value, a key an environment
/// lacks is added under its first line, a new environment is appended. `None` when the text is
/// not laid out the way this can edit safely; the caller then writes the answers anew. The
/// caller checks the result reads back as the same answers.
pub fn set_in_text(text: &str, assignments: &[String]) -> Option<String> {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    for assignment in assignments {
        let (path, value) = assignment.split_once('=')?;
        let segments: Vec<&str> = path.trim().split('.').collect();
        let question = QUESTIONS
            .iter()
            .find(|question| question.key == segments[0])?;
        match segments.as_slice() {
            [key] if !matches!(question.kind, Kind::Environments) => {
                let line = format!("{key}: {}", scalar(&typed(question, value)));
                let at = lines.iter().position(|candidate| {
                    candidate.starts_with(&format!("{key}:"))
                        || candidate.starts_with(&format!("# {key}:"))
                })?;
                lines[at] = line;
            }
            ["environments", index, key] => {
                let index: usize = index.parse().ok()?;
                let question = ENVIRONMENT_QUESTIONS
                    .iter()
                    .find(|question| question.key == *key)?;
                let value = scalar(&typed(question, value));
                set_environment_key(&mut lines, index, key, &value)?;
            }
            _ => return None,
        }
    }
    let mut edited = lines.join("\n");
    edited.push('\n');
    Some(edited)
}

/// Sets `key` of the environment at `index` in answers.yml lines laid out as `to_yaml` writes
/// them (`environments:`, items opened by `  - `, keys indented by four spaces).
fn set_environment_key(
    lines: &mut Vec<String>,
    index: usize,
    key: &str,
    value: &str,
) -> Option<()> {
    let start = lines.iter().position(|line| line == "environments:")?;
    let end = lines[start + 1..]
        .iter()
        .position(|line| !(line.starts_with("  ") || line.starts_with("#   ") || line.is_empty()))
        .map_or(lines.len(), |offset| start + 1 + offset);
    let items: Vec<usize> = (start + 1..end)
        .filter(|&at| lines[at].starts_with("  - "))
        .collect();
    if index == items.len() {
        lines.insert(end, format!("  - {key}: {value}"));
        return Some(());
    }
    let item = *items.get(index)?;
    let item_end = items.get(index + 1).copied().unwrap_or(end);
    let matches = |line: &str| {
        [
            format!("  - {key}:"),
            format!("    {key}:"),
            format!("#     {key}:"),
            format!("#   - {key}:"),
        ]
        .iter()
        .any(|prefix| line.starts_with(prefix.as_str()))
    };
    match (item..item_end).find(|&at| matches(&lines[at])) {
        Some(at) if lines[at].starts_with("  - ") => lines[at] = format!("  - {key}: {value}"),
        Some(at) if lines[at].starts_with("#   - ") => return None,
        Some(at) => lines[at] = format!("    {key}: {value}"),
        None => lines.insert(item + 1, format!("    {key}: {value}")),
    }
    Some(())
}

/// The steps every source of answers ends with: drop the recorded schema version, apply the
/// `--set` assignments in order, validate.
pub fn settle(mut raw: Value, assignments: &[String]) -> Result<Answers, AnswersError> {
    take_schema_version(&mut raw)?;
    for assignment in assignments {
        apply_set(&mut raw, assignment)?;
    }
    Answers::validate(&raw)
}

/// Reads `schema_version` off a raw tree (answers files written by the generator carry it)
/// and refuses a version this generator does not know.
pub fn take_schema_version(raw: &mut Value) -> Result<(), AnswersError> {
    let Some(map) = raw.as_object_mut() else {
        return Ok(());
    };
    match map.remove("schema_version") {
        None => Ok(()),
        Some(Value::Number(number))
            if number.as_u64() == Some(u64::from(super::SCHEMA_VERSION)) =>
        {
            Ok(())
        }
        Some(other) => Err(AnswersError::one(
            "schema_version",
            format!(
                "is {}: this generator reads schema version {}",
                show(&other),
                super::SCHEMA_VERSION
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn validated(raw: &Value) -> Answers {
        Answers::validate(raw).expect("valid answers")
    }

    #[test]
    fn set_overrides_and_adds_environments() {
        let mut raw = demo_defaults();
        apply_set(&mut raw, "aws_region=eu-west-2").unwrap();
        apply_set(&mut raw, "bastion=false").unwrap();
        apply_set(&mut raw, "environments.0.eks_instance_type=t3.xlarge").unwrap();
        apply_set(&mut raw, "environments.1.name=dev").unwrap();
        apply_set(&mut raw, "environments.1.subdomain=dev.courses").unwrap();
        let answers = validated(&raw);
        assert_eq!(answers.aws_region, "eu-west-2");
        assert!(!answers.bastion);
        assert_eq!(answers.environments[0].eks_instance_type, "t3.xlarge");
        assert_eq!(answers.environments[0].name, "prod");
        assert_eq!(answers.environments[1].name, "dev");
    }

    #[test]
    fn set_names_bad_keys() {
        let mut raw = demo_defaults();
        let error = apply_set(&mut raw, "aws_regoin=eu-west-2").unwrap_err();
        assert_eq!(error.problems[0].key, "aws_regoin");
        assert!(error.to_string().contains("did you mean `aws_region`"));
        let error = apply_set(&mut raw, "environments.0.size=x").unwrap_err();
        assert_eq!(error.problems[0].key, "environments.0.size");
        let error = apply_set(&mut raw, "environments.5.name=x").unwrap_err();
        assert!(error.to_string().contains("in order"));
        let error = apply_set(&mut raw, "bastion").unwrap_err();
        assert!(error.to_string().contains("`=`"));
    }

    #[test]
    fn a_bool_given_as_other_text_stays_text_and_is_refused() {
        let mut raw = demo_defaults();
        apply_set(&mut raw, "bastion=yes").unwrap();
        let error = Answers::validate(&raw).unwrap_err();
        assert_eq!(error.problems[0].key, "bastion");
    }

    #[test]
    fn written_answers_read_back_the_same() {
        let mut raw = demo_defaults();
        apply_set(&mut raw, "environments.0.subdomain=learn").unwrap();
        apply_set(&mut raw, "environments.1.name=dev").unwrap();
        apply_set(&mut raw, "environments.1.subdomain=dev.learn").unwrap();
        let answers = validated(&raw);
        let text = to_yaml(&answers);
        let mut reread = parse(&text).unwrap();
        take_schema_version(&mut reread).unwrap();
        let again = validated(&reread);
        assert_eq!(again, answers);
        assert_eq!(again.chosen, answers.chosen);
        assert!(text.contains("# platform_region: \"global\"\n"), "{text}");
        assert!(
            text.contains("  - name: \"dev\"\n    subdomain: \"dev.learn\"\n"),
            "{text}"
        );
    }

    #[test]
    fn unchosen_environments_are_written_as_comments() {
        let answers = validated(&demo_defaults());
        let text = to_yaml(&answers);
        assert!(
            text.contains("# environments:\n#   - name: \"prod\"\n"),
            "{text}"
        );
        let mut reread = parse(&text).unwrap();
        take_schema_version(&mut reread).unwrap();
        assert_eq!(validated(&reread), answers);
    }

    #[test]
    fn yaml_errors_carry_a_line() {
        let error = parse("platform_name: a\n  bad: [").unwrap_err();
        assert!(error.contains("line 2"), "{error}");
    }

    #[test]
    fn duplicate_keys_are_refused() {
        assert!(parse("bastion: true\nbastion: false\n").is_err());
    }

    #[test]
    fn an_unknown_schema_version_is_refused() {
        let mut raw = parse("schema_version: 7\nplatform_name: a\n").unwrap();
        let error = take_schema_version(&mut raw).unwrap_err();
        assert_eq!(error.problems[0].key, "schema_version");
    }
}
