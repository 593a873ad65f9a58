//! The JSON Schema (draft 2020-12) of an answers file, generated from the question table, so
//! editors with the YAML language server validate and complete answers files.

use super::aws::{REGIONS, Service};
use super::{ENVIRONMENT_QUESTIONS, Kind, QUESTIONS, Question, SCHEMA_VERSION};
use serde_json::{Map, Value, json};

/// A DNS label: letters and digits, inner hyphens, 1 to 63 characters.
const LABEL: &str = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";

/// The whole schema.
pub fn answers_schema() -> Value {
    let mut properties = Map::new();
    properties.insert(
        "schema_version".into(),
        json!({ "description": "version of the answers schema", "const": SCHEMA_VERSION }),
    );
    for question in QUESTIONS {
        properties.insert(question.key.into(), property(question));
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "openedx-devops answers",
        "description": "Answers from which openedx-devops generates an Open edX on AWS repository.",
        "type": "object",
        "additionalProperties": false,
        "required": required(QUESTIONS),
        "properties": properties,
    })
}

fn required(questions: &[Question]) -> Vec<&'static str> {
    questions
        .iter()
        .filter(|question| question.required)
        .map(|question| question.key)
        .collect()
}

fn property(question: &Question) -> Value {
    let mut schema = kind_schema(&question.kind);
    let object = schema.as_object_mut().expect("kind schemas are objects");
    object.insert(
        "description".into(),
        Value::String(question.help.to_owned()),
    );
    match question.default {
        super::questions::DefaultValue::Text(text) => {
            object.insert("default".into(), Value::String(text.to_owned()));
        }
        super::questions::DefaultValue::Bool(flag) => {
            object.insert("default".into(), Value::Bool(flag));
        }
        _ => {}
    }
    schema
}

fn kind_schema(kind: &Kind) -> Value {
    match kind {
        Kind::Slug { max } => json!({
            "type": "string",
            "pattern": "^[a-z](?:[a-z0-9]|-(?=[a-z0-9]))*$",
            "maxLength": max,
        }),
        Kind::Text => {
            json!({ "type": "string", "minLength": 1, "maxLength": 100, "pattern": "^[^\"\\\\${}`\\u0000-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069\\ufdd0-\\ufdef\\ufffe\\uffff]+$" })
        }
        Kind::Domain => json!({
            "type": "string",
            "maxLength": 253,
            "pattern": format!("^(?:{LABEL}\\.)+{LABEL}$"),
        }),
        Kind::Subdomain => json!({
            "type": "string",
            "maxLength": 240,
            "pattern": format!("^(?:{LABEL}\\.)*{LABEL}$"),
        }),
        Kind::Region => json!({ "type": "string", "enum": REGIONS }),
        Kind::AccountId => {
            json!({ "type": "string", "pattern": "^ *[0-9]{4}[- ]?[0-9]{4}[- ]?[0-9]{4} *$" })
        }
        Kind::GithubOwner => json!({
            "type": "string",
            "pattern": "^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$",
        }),
        Kind::GithubRepository => json!({
            "type": "string",
            "pattern": "^[A-Za-z0-9._-]{1,100}$",
        }),
        Kind::Choice(choices) => json!({ "type": "string", "enum": choices }),
        Kind::Bool => json!({ "type": "boolean" }),
        Kind::Count { min, max } => json!({ "type": "integer", "minimum": min, "maximum": max }),
        Kind::Instance(service) => instance_schema(*service),
        Kind::VpcCidr => json!({
            "type": "string",
            "pattern": "^(?:10\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])|172\\.(?:1[6-9]|2[0-9]|3[01])|192\\.168)\\.0\\.0/16$",
        }),
        Kind::Plugins => json!({
            "type": "array",
            "uniqueItems": true,
            "items": {
                "type": "string",
                "enum": crate::answers::plugins::PLUGINS.iter().map(|plugin| plugin.name).collect::<Vec<_>>(),
            },
        }),
        Kind::ThemeRepository => {
            json!({ "type": "string", "pattern": "^https://[^@/?#\\s]+/[^?#\\s]+$" })
        }
        Kind::GitRef => {
            json!({ "type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[^-/. ~^:?*\\[][^ ~^:?*\\[]*$" })
        }
        Kind::PipRequirements => json!({
            "type": "array",
            "uniqueItems": true,
            "maxItems": 100,
            "items": { "type": "string", "minLength": 1, "maxLength": 500, "pattern": "^[^-#'\\\\`${}<>|&!]" },
        }),
        Kind::LanguageCode => {
            json!({ "type": "string", "pattern": "^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$" })
        }
        Kind::Email => {
            json!({ "type": "string", "pattern": "^[A-Za-z0-9._%+-]{1,64}@(?:[a-z0-9-]+\\.)+[a-z0-9-]+$" })
        }
        Kind::Environments => {
            let mut properties = Map::new();
            for question in ENVIRONMENT_QUESTIONS {
                properties.insert(question.key.into(), property(question));
            }
            json!({
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "properties": properties,
                },
            })
        }
    }
}

fn instance_schema(service: Service) -> Value {
    let types: Vec<String> = service.all_types().collect();
    json!({ "type": "string", "enum": types })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_question_has_a_property_and_required_keys_are_listed() {
        let schema = answers_schema();
        for question in QUESTIONS {
            assert!(
                schema["properties"][question.key].is_object(),
                "{}",
                question.key
            );
        }
        assert_eq!(
            schema["required"],
            json!([
                "platform_name",
                "root_domain",
                "aws_region",
                "aws_account_id"
            ])
        );
        let environment = &schema["properties"]["environments"]["items"]["properties"];
        assert!(
            environment["redis_node_type"]["enum"]
                .as_array()
                .unwrap()
                .contains(&json!("cache.t3.small"))
        );
    }
}
