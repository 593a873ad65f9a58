//! "Did you mean" suggestions: the closest known name to a misspelt one, if any is close.

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

/// Text made safe to print on a terminal: control characters (but `\n` and `\t`) and bidi
/// overrides shown escaped, everything else unchanged.
pub(crate) fn escape_control(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    text.chars()
        .map(|c| {
            if unsafe_char(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_names_only() {
        let names = ["aws_region", "aws_account_id", "bastion"];
        assert_eq!(closest("aws_regoin", names), Some("aws_region"));
        assert_eq!(closest("bastoin", names), Some("bastion"));
        assert_eq!(closest("colour", names), None);
    }
}
