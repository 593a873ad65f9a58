//! Answers from a hostile source (issue 13): too many environments, characters no answer may
//! hold, control characters echoed in messages, and `--answers` paths that are not regular files
//! or claim a wrong size. Each test names what it pins.

use assert_cmd::Command;
use openedx_devops::answers::load;
use predicates::prelude::*;
use std::fmt::Write as _;
use std::path::Path;

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

/// The parser quotes the lines around a syntax error; YAML lets a file hold a bidirectional
/// override or a C1 control, which would then reach the terminal raw. (serde-saphyr already
/// replaces them in its snippet; `parse` escapes what any parser quotes.)
#[test]
fn the_lines_a_syntax_error_quotes_have_their_control_characters_escaped() {
    let error = load::parse("platform_name: \u{202e}evil\u{85}x: [\n").unwrap_err();
    assert!(error.contains("line"), "{error}");
    assert!(
        !error.contains('\u{202e}') && !error.contains('\u{85}'),
        "{error:?}"
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

fn read_error(path: &Path) -> String {
    format!(
        "{:#}",
        load::read_file(path).expect_err("the file is refused")
    )
}

/// Pins issue 13: a missing file said "failed to query resolved metadata".
#[test]
fn a_missing_answers_file_is_named_and_said_to_be_missing() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("answers.yml");
    let error = read_error(&path);
    assert!(
        error.contains(&format!("`{}`", path.display())) && error.contains("no such file"),
        "{error}"
    );
}

#[test]
fn a_folder_is_not_an_answers_file() {
    let folder = tempfile::tempdir().unwrap();
    let error = read_error(folder.path());
    assert!(
        error.contains(&format!("`{}`", folder.path().display())) && error.contains("folder"),
        "{error}"
    );
}

#[test]
fn a_file_larger_than_the_limit_is_refused_and_one_in_it_is_read() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("answers.yml");
    std::fs::write(&path, format!("{MINIMAL}{}", "#\n".repeat(600 * 1024))).unwrap();
    let error = read_error(&path);
    assert!(
        error.contains("answers.yml") && error.contains("1048576 bytes"),
        "{error}"
    );
    std::fs::write(&path, MINIMAL).unwrap();
    assert!(load::read_file(&path).is_ok());
}

#[test]
fn a_file_that_is_not_utf8_is_named() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("answers.yml");
    std::fs::write(&path, b"platform_name: \xff\n").unwrap();
    let error = read_error(&path);
    assert!(
        error.contains("answers.yml") && error.contains("UTF-8"),
        "{error}"
    );
}

/// Runs `read_file` on another thread and gives up after a while, so that a read that blocks
/// fails the test instead of hanging it.
#[cfg(unix)]
fn read_error_within_seconds(path: &Path) -> String {
    let (sender, receiver) = std::sync::mpsc::channel();
    let owned = path.to_owned();
    std::thread::spawn(move || {
        let _ = sender.send(load::read_file(&owned).map_err(|error| format!("{error:#}")));
    });
    match receiver.recv_timeout(std::time::Duration::from_secs(10)) {
        Ok(Err(error)) => error,
        Ok(Ok(raw)) => panic!("`{}` was read as answers: {raw}", path.display()),
        Err(_) => panic!("reading `{}` blocked", path.display()),
    }
}

/// Pins issue 13: a FIFO blocks a reader that opens it without `O_NONBLOCK` until a writer
/// comes, which may be never.
#[cfg(unix)]
#[test]
fn a_fifo_is_refused_at_once() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("answers.yml");
    let c_path = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: `c_path` is a valid NUL-terminated string that outlives the call.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
    let error = read_error_within_seconds(&path);
    assert!(
        error.contains("answers.yml") && error.contains("not a regular file"),
        "{error}"
    );
}

/// A link the user gives is followed (it is their own path), but only to a regular file.
#[cfg(unix)]
#[test]
fn a_link_to_a_device_is_refused_and_a_link_to_a_file_is_read() {
    let folder = tempfile::tempdir().unwrap();
    let link = folder.path().join("answers.yml");
    std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
    let error = read_error_within_seconds(&link);
    assert!(error.contains("not a regular file"), "{error}");
    let target = folder.path().join("real.yml");
    std::fs::write(&target, MINIMAL).unwrap();
    let link = folder.path().join("link.yml");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    assert!(load::read_file(&link).is_ok());
}

/// Pins issue 13: the size limit trusted `metadata().len()`, and files in `/proc` report 0. A
/// child started with 1.2 MB of environment has an `environ` file that says 0 and holds more.
#[cfg(target_os = "linux")]
#[test]
fn a_file_that_claims_to_be_empty_is_still_read_with_the_limit() {
    let value = "a".repeat(120_000);
    let mut child = std::process::Command::new("sleep")
        .arg("30")
        .env_clear()
        .envs((0..10).map(|index| (format!("V{index}"), value.clone())))
        .spawn()
        .expect("`sleep` starts");
    let path = std::path::PathBuf::from(format!("/proc/{}/environ", child.id()));
    let claimed = std::fs::metadata(&path).map(|metadata| metadata.len());
    let error = read_error_within_seconds(&path);
    child.kill().ok();
    child.wait().ok();
    if claimed.is_err() {
        eprintln!("SKIPPED: `{}` cannot be inspected here", path.display());
        return;
    }
    assert_eq!(
        claimed.unwrap(),
        0,
        "the test relies on /proc claiming 0 bytes"
    );
    assert!(error.contains("1048576 bytes"), "{error}");
}

fn bin() -> Command {
    Command::cargo_bin("openedx-devops").expect("the binary builds")
}

/// `--answers -` reads the answers from standard input.
#[test]
fn answers_from_standard_input() {
    let scratch = tempfile::tempdir().unwrap();
    bin()
        .current_dir(scratch.path())
        .args(["new", "from-stdin", "--answers", "-"])
        .write_stdin(MINIMAL)
        .assert()
        .success();
    let answers = std::fs::read_to_string(
        scratch
            .path()
            .join("from-stdin/.openedx-devops/answers.yml"),
    )
    .unwrap();
    assert!(
        answers.contains("root_domain: \"yourschool.edu\""),
        "{answers}"
    );
}

#[test]
fn standard_input_larger_than_the_limit_is_refused() {
    let scratch = tempfile::tempdir().unwrap();
    bin()
        .current_dir(scratch.path())
        .args(["new", "from-stdin", "--answers", "-"])
        .write_stdin(format!("{MINIMAL}{}", "#\n".repeat(600 * 1024)))
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("standard input")
                .and(predicate::str::contains("1048576 bytes")),
        );
    assert!(!scratch.path().join("from-stdin").exists());
}
