//! The questionnaire in a real pseudo-terminal, as a person meets it: prompts with help text,
//! a typo re-asked with the reason, a second environment, the summary, and the repository.

#![cfg(unix)]

use rexpect::session::spawn_command;
use std::process::Command;

const TIMEOUT_MS: u64 = 20_000;
/// The `›` that ends a prompt. rexpect reads the terminal byte by byte, so its three UTF-8
/// bytes arrive as three characters.
const PROMPT_MARK: &str = "\u{e2}\u{80}\u{ba}";

/// Waits for a question (by its help text) and its prompt, then types the reply (and Enter).
fn reply_to(session: &mut rexpect::session::PtySession, prompt: &str, reply: &str, enter: bool) {
    session
        .exp_string(prompt)
        .unwrap_or_else(|e| panic!("no question {prompt:?}: {e}"));
    session
        .exp_string(PROMPT_MARK)
        .unwrap_or_else(|e| panic!("no prompt after {prompt:?}: {e}"));
    // The prompt is drawn before the terminal switches to raw mode; typing too early is lost.
    std::thread::sleep(std::time::Duration::from_millis(150));
    session.send(reply).unwrap();
    if enter {
        session.send("\r").unwrap();
    }
    session.flush().unwrap();
}

#[test]
fn a_new_user_goes_from_questions_to_a_repository_correcting_a_typo() {
    let scratch = tempfile::tempdir().unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_openedx-devops"));
    command
        .current_dir(scratch.path())
        .args(["new", "my-platform"])
        .env("TERM", "xterm")
        .env("NO_COLOR", "1");
    let mut session = spawn_command(command, Some(TIMEOUT_MS)).expect("spawns under a pty");
    let mut answer = |prompt: &str, reply: &str| reply_to(&mut session, prompt, reply, true);
    answer("short name of the platform", "Lake School");
    // The typo is refused with the reason, and the question comes again.
    answer("use lowercase", "lakeschool");
    answer("the platform's full name", "Lake School");
    answer("a word for the audience", "");
    answer("the DNS domain you control", "lakeschool.edu");
    answer("the AWS region everything", "eu-west-1");
    answer("the 12-digit id", "109876543210");
    answer("the GitHub organization", "");
    answer("the name of the generated repository", "");
    answer("where MongoDB 7.0 runs", ""); // the menu's default
    // Yes/no questions take Enter, as every other question does: the Enter after `n` must not
    // answer the next question (the environment's name) with its default.
    reply_to(&mut session, "spot instances", "y", true);
    reply_to(&mut session, "create a small bastion", "n", true);
    // Plugins: a menu of many; space picks (forum), the down arrow moves on, space picks notes.
    reply_to(&mut session, "optional Tutor plugins", " \u{1b}[B ", true);
    reply_to(
        &mut session,
        "comprehensive theme",
        "https://github.com/lakeschool/lake-theme.git",
        true,
    );
    reply_to(&mut session, "the branch, tag or commit", "v1.0.0", true);
    reply_to(
        &mut session,
        "pip requirement lines",
        "xblock-poll==1.14.0",
        true,
    );
    reply_to(&mut session, "one requirement; empty: done", "", true);
    reply_to(&mut session, "default language", "fr", true);
    reply_to(&mut session, "the address learners write to", "", true);
    let environment = |session: &mut rexpect::session::PtySession, name: &str| {
        for (prompt, reply) in [
            ("the environment's name", name),
            ("DNS labels before", ""),
            ("whether this environment serves learners", ""),
            ("the IPv4 range of the environment's VPC", ""),
            ("worker nodes", ""),
            ("MySQL 8.4", ""),
            ("Redis-compatible", ""),
            ("the MongoDB server", ""),
            ("the DocumentDB instance class", ""),
            ("the fewest LMS pods", ""),
            ("the most LMS pods", ""),
        ] {
            reply_to(session, prompt, reply, true);
        }
    };
    environment(&mut session, "prod");
    reply_to(&mut session, "Add another environment?", "y", true);
    environment(&mut session, "dev");
    reply_to(&mut session, "Add another environment?", "n", true);
    session
        .exp_string("https://studio.dev-courses.lakeschool.edu")
        .unwrap();
    reply_to(
        &mut session,
        "Generate the repository with these answers?",
        "y",
        true,
    );
    session.exp_string("Created `my-platform`").unwrap();
    session.exp_eof().unwrap();
    let answers = std::fs::read_to_string(
        scratch
            .path()
            .join("my-platform/.openedx-devops/answers.yml"),
    )
    .unwrap();
    assert!(
        answers.contains("platform_name: \"lakeschool\""),
        "{answers}"
    );
    assert!(answers.contains("bastion: false"), "{answers}");
    assert!(
        answers.contains("tutor_plugins: [\"forum\", \"notes\"]"),
        "{answers}"
    );
    assert!(
        answers.contains("extra_pip_requirements: [\"xblock-poll==1.14.0\"]"),
        "{answers}"
    );
    assert!(answers.contains("theme_ref: \"v1.0.0\""), "{answers}");
    assert!(answers.contains("language_code: \"fr\""), "{answers}");
    assert!(answers.contains("# contact_email: null"), "{answers}");
    assert!(answers.contains("subdomain: \"dev-courses\""), "{answers}");
    // The questionnaire offers each environment the first free range, recorded.
    assert!(answers.contains("vpc_cidr: \"10.20.0.0/16\""), "{answers}");
    assert!(
        scratch
            .path()
            .join("my-platform/terraform/environments/dev")
            .is_dir()
    );
}

#[test]
fn ctrl_c_leaves_nothing_behind() {
    let scratch = tempfile::tempdir().unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_openedx-devops"));
    command
        .current_dir(scratch.path())
        .args(["new", "my-platform"])
        .env("TERM", "xterm");
    let mut session = spawn_command(command, Some(TIMEOUT_MS)).unwrap();
    session.exp_string(PROMPT_MARK).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(150));
    session.send("half").unwrap();
    session.send_control('c').unwrap();
    session.exp_eof().unwrap();
    assert_eq!(std::fs::read_dir(scratch.path()).unwrap().count(), 0);
}
