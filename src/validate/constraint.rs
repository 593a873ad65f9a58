//! Terraform version constraints (`6.6.0`, `= 6.6.0`, `~> 6.6`, `~> 6.6.0`, `>= 5, < 7`,
//! `!= 6.1.0`) parsed and matched against release versions. Pure.

use std::fmt;

/// A release version `major.minor.patch`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Version(pub u64, pub u64, pub u64);

impl Version {
    /// `1`, `1.2` or `1.2.3` (a leading `v` allowed); also how many parts were written.
    pub(crate) fn parse(text: &str) -> Option<(Version, usize)> {
        let text = text.trim();
        let text = text.strip_prefix('v').unwrap_or(text);
        let parts: Vec<u64> = text
            .split('.')
            .map(|part| part.parse().ok())
            .collect::<Option<_>>()?;
        match parts.as_slice() {
            [major] => Some((Version(*major, 0, 0), 1)),
            [major, minor] => Some((Version(*major, *minor, 0), 2)),
            [major, minor, patch] => Some((Version(*major, *minor, *patch), 3)),
            _ => None,
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.0, self.1, self.2)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operator {
    Equal,
    NotEqual,
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
    Pessimistic,
}

/// A constraint: every part must hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Constraint {
    parts: Vec<(Operator, Version, usize)>,
}

impl Constraint {
    pub(crate) fn parse(text: &str) -> Result<Constraint, String> {
        let mut parts = Vec::new();
        for part in text.split(',') {
            let part = part.trim();
            let (operator, rest) = [
                ("~>", Operator::Pessimistic),
                (">=", Operator::GreaterOrEqual),
                ("<=", Operator::LessOrEqual),
                ("!=", Operator::NotEqual),
                (">", Operator::Greater),
                ("<", Operator::Less),
                ("=", Operator::Equal),
            ]
            .into_iter()
            .find_map(|(symbol, operator)| part.strip_prefix(symbol).map(|rest| (operator, rest)))
            .unwrap_or((Operator::Equal, part));
            let Some((version, written)) = Version::parse(rest) else {
                return Err(format!(
                    "`{text}` is not a version constraint (write e.g. `6.6.0`, `~> 6.6` or `>= 6.0, < 7.0`)"
                ));
            };
            parts.push((operator, version, written));
        }
        Ok(Constraint { parts })
    }

    pub(crate) fn matches(&self, version: Version) -> bool {
        self.parts
            .iter()
            .all(|&(operator, bound, written)| match operator {
                Operator::Equal => version == bound,
                Operator::NotEqual => version != bound,
                Operator::Greater => version > bound,
                Operator::GreaterOrEqual => version >= bound,
                Operator::Less => version < bound,
                Operator::LessOrEqual => version <= bound,
                Operator::Pessimistic => {
                    let upper = match written {
                        1 | 2 => Version(bound.0 + 1, 0, 0),
                        _ => Version(bound.0, bound.1 + 1, 0),
                    };
                    version >= bound && version < upper
                }
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(constraint: &str, version: &str) -> bool {
        let (version, _) = Version::parse(version).unwrap();
        Constraint::parse(constraint).unwrap().matches(version)
    }

    #[test]
    fn each_supported_form_matches_as_terraform_does() {
        let table = [
            ("6.6.0", "6.6.0", true),
            ("6.6.0", "6.6.1", false),
            ("= 6.6.0", "6.6.0", true),
            ("~> 6.6", "6.9.2", true),
            ("~> 6.6", "6.5.0", false),
            ("~> 6.6", "7.0.0", false),
            ("~> 6.6.0", "6.6.9", true),
            ("~> 6.6.0", "6.7.0", false),
            ("~> 6", "6.99.0", true),
            (">= 5, < 7", "6.6.0", true),
            (">= 5, < 7", "7.0.0", false),
            (">=5.0,<6.0", "5.21.0", true),
            ("!= 6.6.0", "6.6.0", false),
            ("> 6.6.0", "6.6.0", false),
            ("<= 6.6.0", "6.6.0", true),
            ("v6.6.0", "6.6.0", true),
        ];
        for (constraint, version, expected) in table {
            assert_eq!(
                matches(constraint, version),
                expected,
                "{constraint} vs {version}"
            );
        }
    }

    #[test]
    fn nonsense_is_refused_with_examples() {
        for text in ["", "latest", "~> 6.x", ">= 6, "] {
            let error = Constraint::parse(text).unwrap_err();
            assert!(error.contains("~> 6.6"), "{error}");
        }
    }
}
