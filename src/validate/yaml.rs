//! YAML read into a small tree that keeps the line and column of every key and value
//! (serde-saphyr's `Spanned`), for checks that must point at a place. Pure.

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;

/// A YAML node with its place.
pub(crate) type Node = Spanned<Yaml>;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Yaml {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Sequence(Vec<Node>),
    /// Keys as text (`on` reads as `true` in YAML 1.1; callers decide).
    Mapping(Vec<(Spanned<String>, Node)>),
}

impl Yaml {
    pub(crate) fn get<'s>(&'s self, key: &str) -> Option<&'s Node> {
        match self {
            Yaml::Mapping(entries) => entries
                .iter()
                .find(|(name, _)| name.value == key)
                .map(|(_, value)| value),
            _ => None,
        }
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Yaml::String(text) => Some(text),
            _ => None,
        }
    }

    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Yaml::Null => "empty",
            Yaml::Bool(_) => "a boolean",
            Yaml::Number(_) => "a number",
            Yaml::String(_) => "a string",
            Yaml::Sequence(_) => "a list",
            Yaml::Mapping(_) => "a mapping",
        }
    }
}

/// Line and column (from 1) of a node.
pub(crate) fn place<T>(node: &Spanned<T>) -> (Option<usize>, Option<usize>) {
    let line = node.referenced.line() as usize;
    let column = node.referenced.column() as usize;
    if line == 0 {
        (None, None)
    } else {
        (Some(line), Some(column))
    }
}

/// Every document of a YAML text.
pub(crate) fn parse(text: &str) -> Result<Vec<Node>, String> {
    serde_saphyr::from_multiple::<Node>(text).map_err(|error| error.to_string())
}

impl<'de> Deserialize<'de> for Yaml {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(YamlVisitor)
    }
}

struct YamlVisitor;

impl<'de> Visitor<'de> for YamlVisitor {
    type Value = Yaml;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Yaml, E> {
        Ok(Yaml::Null)
    }
    fn visit_none<E>(self) -> Result<Yaml, E> {
        Ok(Yaml::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Yaml, D::Error> {
        Yaml::deserialize(deserializer)
    }
    fn visit_bool<E>(self, value: bool) -> Result<Yaml, E> {
        Ok(Yaml::Bool(value))
    }
    fn visit_i64<E>(self, value: i64) -> Result<Yaml, E> {
        Ok(Yaml::Number(value.to_string()))
    }
    fn visit_u64<E>(self, value: u64) -> Result<Yaml, E> {
        Ok(Yaml::Number(value.to_string()))
    }
    fn visit_f64<E>(self, value: f64) -> Result<Yaml, E> {
        Ok(Yaml::Number(value.to_string()))
    }
    fn visit_str<E>(self, value: &str) -> Result<Yaml, E> {
        Ok(Yaml::String(value.to_owned()))
    }
    fn visit_string<E>(self, value: String) -> Result<Yaml, E> {
        Ok(Yaml::String(value))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut sequence: A) -> Result<Yaml, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = sequence.next_element()? {
            items.push(item);
        }
        Ok(Yaml::Sequence(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Yaml, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<Yaml>>()? {
            let value = map.next_value()?;
            let text = match key.value {
                Yaml::String(text) | Yaml::Number(text) => text,
                Yaml::Bool(value) => value.to_string(),
                Yaml::Null => "null".to_owned(),
                other => format!("{other:?}"),
            };
            entries.push((Spanned::new(text, key.referenced, key.defined), value));
        }
        Ok(Yaml::Mapping(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_places_of_keys_and_values() {
        let documents =
            parse("# c\non:\n  push: {}\njobs:\n  a:\n    steps:\n      - run: x\n").unwrap();
        let root = &documents[0].value;
        let Yaml::Mapping(entries) = root else {
            panic!()
        };
        assert_eq!(entries[0].0.value, "true");
        assert_eq!(place(&entries[1].0), (Some(4), Some(1)));
        let step = &root
            .get("jobs")
            .unwrap()
            .value
            .get("a")
            .unwrap()
            .value
            .get("steps")
            .unwrap()
            .value;
        let Yaml::Sequence(steps) = step else {
            panic!()
        };
        assert_eq!(place(&steps[0]).0, Some(7));
        assert_eq!(steps[0].value.get("run").unwrap().value.as_str(), Some("x"));
    }
}
