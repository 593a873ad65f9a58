//! Answers from a hostile source (issue 13): too many environments, characters no answer may
//! hold, control characters echoed in messages, and `--answers` paths that are not regular files
//! or claim a wrong size. Each test names what it pins.

use openedx_devops::answers::load;
use std::fmt::Write as _;

const MINIMAL: &str = "platform_name: yourschool\nroot_domain: yourschool.edu\naws_region: us-east-1\naws_account_id: \"123456789012\"\n";

/// Validates answers text as every command does; the error as the user reads it.
fn settle(text: &str) -> Result<(), String> {
    let raw = load::parse(text)?;
    load::settle(raw, &[])
        .map(|_| ())
        .map_err(|error| error.to_string())
}

/// `MINIMAL` with `key` set to `value` (YAML), in place of its own value if it has one.
fn with(key: &str, value: &str) -> String {
    let mut text: String = MINIMAL
        .lines()
        .filter(|line| !line.starts_with(&format!("{key}:")))
        .map(|line| format!("{line}\n"))
        .collect();
    let _ = writeln!(text, "{key}: {value}");
    text
}

/// `MINIMAL` with `count` environments, each with its own name and subdomain, in flow style
/// and numbered in base 36 so that 30 000 of them stay under the 1 MiB an answers file may hold.
fn with_environments(count: usize) -> String {
    let mut text = format!("{MINIMAL}environments:\n");
    for index in 0..count {
        let mut number = String::new();
        let mut rest = index;
        loop {
            number.insert(0, char::from_digit((rest % 36) as u32, 36).unwrap());
            rest /= 36;
            if rest == 0 {
                break;
            }
        }
        let _ = writeln!(text, "- {{name: e{number}, subdomain: s{number}}}");
    }
    text
}

/// Pins issue 13: 30 000 environments (a 1 MiB file) ran 5.5 minutes and aborted at 6 GB.
#[test]
fn thirty_thousand_environments_are_refused_naming_the_key_and_the_count() {
    let text = with_environments(30_000);
    assert!(text.len() < 1024 * 1024, "{} bytes", text.len());
    let error = settle(&text).expect_err("30 000 environments are refused");
    assert!(error.contains("`environments`"), "{error}");
    assert!(error.contains("30000") && error.contains("50"), "{error}");
}

#[test]
fn fifty_environments_validate_and_fifty_one_do_not() {
    assert_eq!(settle(&with_environments(50)), Ok(()));
    let error = settle(&with_environments(51)).unwrap_err();
    assert!(
        error.contains("`environments`") && error.contains("51"),
        "{error}"
    );
}

/// Pins issue 13: U+FFFE in a description passed validation and was then blamed on the
/// blueprints. One row per character no answer may hold, in the free-text answer and others.
#[test]
fn characters_no_answer_may_hold_are_refused_naming_the_key() {
    let characters = [
        '\u{fffe}',
        '\u{ffff}',
        '\u{fdd0}',
        '\u{fdef}',
        '\u{1fffe}',
        '\u{10ffff}',
        '\u{0}',
        '\u{7}',
        '\u{1b}',
        '\t',
        '\n',
        '\r',
        '\u{7f}',
        '\u{85}',
        '\u{9b}',
        '\u{202e}',
        '\u{2067}',
    ];
    for character in characters {
        for key in ["platform_description", "github_repository", "root_domain"] {
            let text = with(key, &format!("\"ab{}cd.edu\"", yaml_escape(character)));
            let error = settle(&text).expect_err(&format!("{character:?} in {key}"));
            assert!(
                error.contains(&format!("`{key}`")),
                "{character:?} in {key}: {error}"
            );
        }
    }
}

/// `character` as a YAML double-quoted escape, so that the parser, not the text, holds it.
fn yaml_escape(character: char) -> String {
    match u32::from(character) {
        code @ 0..=0xFFFF => format!("\\u{code:04X}"),
        code => format!("\\U{code:08X}"),
    }
}

#[test]
fn a_noncharacter_names_its_code_point() {
    let error = settle(&format!(
        "{MINIMAL}platform_description: \"Your\\uFFFESchool\"\n"
    ))
    .unwrap_err();
    assert!(
        error.contains("`platform_description`") && error.contains("U+FFFE"),
        "{error}"
    );
}

/// Pins issue 13: an ESC or BEL in an answer was echoed raw, so the message could set the
/// terminal's title or clear the screen.
#[test]
fn control_characters_in_values_and_keys_are_escaped_in_messages() {
    let text = with("aws_region", "\"eu\\e[2J\"");
    let error = settle(&format!(
        "{text}platform_description: \"x\\e]0;pwned\\a\"\n\"bad\\e[2Jkey\": 1\n"
    ))
    .unwrap_err();
    assert!(
        !error.contains('\u{1b}') && !error.contains('\u{7}'),
        "{error:?}"
    );
    assert!(
        error.contains("\\u{1b}]0;pwned\\u{7}") && error.contains("bad\\u{1b}[2Jkey"),
        "{error}"
    );
}

#[test]
fn the_error_of_a_set_assignment_escapes_its_key() {
    let mut raw = load::demo_defaults();
    let error = load::apply_set(&mut raw, "aws\u{1b}[2J=x").unwrap_err();
    let message = error.to_string();
    assert!(
        !message.contains('\u{1b}') && message.contains("aws\\u{1b}[2J"),
        "{message:?}"
    );
}
