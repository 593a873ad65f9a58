//! Words for messages about what a person typed: "did you mean" suggestions (the closest known
//! name to a misspelt one, if any is close), and [`escape_control`], which makes a value or a
//! name safe to echo on a terminal.

use std::borrow::Cow;

/// Returns the candidate closest to `input` when it is near enough to be a likely typo.
pub(crate) fn closest<'a, I>(input: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let limit = (input.chars().count() / 3).clamp(1, 3);
    candidates
        .into_iter()
        .map(|candidate| (strsim::damerau_levenshtein(input, candidate), candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min()
        .map(|(_, candidate)| candidate)
}

/// ` (did you mean `x`?)` or nothing.
pub(crate) fn did_you_mean<'a, I>(input: &str, candidates: I) -> String
where
    I: IntoIterator<Item = &'a str>,
{
    closest(input, candidates)
        .map(|name| format!(" (did you mean `{name}`?)"))
        .unwrap_or_default()
}

/// `text` made safe to print on a terminal: C0 control characters other than `\n` and `\t`,
/// DEL, C1 control characters and the bidirectional embedding, override and isolate characters
/// (U+202A..=U+202E, U+2066..=U+2069) are shown escaped, as `\u{1b}`; everything else is kept.
/// Borrows when there is nothing to escape.
///
/// A value echoed raw could set the terminal's title, clear the screen, or reorder what a
/// person reads (issue 13).
pub fn escape_control(text: &str) -> Cow<'_, str> {
    let Some(first) = text.find(needs_escape) else {
        return Cow::Borrowed(text);
    };
    let mut escaped = String::with_capacity(text.len() + 16);
    escaped.push_str(&text[..first]);
    for character in text[first..].chars() {
        if needs_escape(character) {
            escaped.extend(character.escape_unicode());
        } else {
            escaped.push(character);
        }
    }
    Cow::Owned(escaped)
}

/// [`escape_control`] for text that must stay on one line (a file name in a report): a newline
/// or tab in it is shown escaped too, so a crafted name cannot forge a line of output.
pub fn escape_line(text: &str) -> Cow<'_, str> {
    if !text.contains(['\n', '\t']) {
        return escape_control(text);
    }
    let joined: String = text
        .chars()
        .map(|character| match character {
            '\n' | '\t' => character.escape_unicode().to_string(),
            other => other.to_string(),
        })
        .collect();
    Cow::Owned(escape_control(&joined).into_owned())
}

/// Whether a terminal could act on `character` rather than show it.
fn needs_escape(character: char) -> bool {
    match character {
        '\n' | '\t' => false,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_escaped() {
        assert_eq!(
            escape_control("a\u{1b}]0;pwned\u{7}b"),
            "a\\u{1b}]0;pwned\\u{7}b"
        );
        assert_eq!(escape_control("line\r\n"), "line\\u{d}\n");
        assert_eq!(
            escape_control("\u{7f}\u{85}\u{9b}"),
            "\\u{7f}\\u{85}\\u{9b}"
        );
    }

    #[test]
    fn bidirectional_overrides_and_isolates_are_shown_escaped() {
        assert_eq!(
            escape_control("admin\u{202e}gpj.exe\u{2066}x\u{2069}"),
            "admin\\u{202e}gpj.exe\\u{2066}x\\u{2069}"
        );
    }

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        for text in [
            "",
            "Your School",
            "tab\tand\nnewline",
            "École, 東京, emoji 🎓, U+200E\u{200e}",
        ] {
            assert!(matches!(escape_control(text), Cow::Borrowed(same) if same == text));
        }
    }

    #[test]
    fn suggests_near_names_only() {
        let names = ["aws_region", "aws_account_id", "bastion"];
        assert_eq!(closest("aws_regoin", names), Some("aws_region"));
        assert_eq!(closest("bastoin", names), Some("bastion"));
        assert_eq!(closest("colour", names), None);
    }
}
