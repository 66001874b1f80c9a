//! JSON Schemas (draft 2020-12) of the crate's inputs and outputs, for forms
//! and other programs.

use schemars::schema_for;
use serde_json::{Map, Value};

use crate::rubric::def::{EditionFile, SheetDef};

/// The schema of a dossier (`ocop score` input). A form may name this schema
/// in a `$schema` field, which the parser accepts and ignores.
///
/// It refuses what the parser refuses without the rubric: an unknown field, a
/// value of the wrong type, a date not written `YYYY-MM-DD`, a missing `sheet`,
/// and `answers` and `members` together (or neither).
pub fn dossier() -> Value {
    let mut schema = to_value(schema_for!(crate::Dossier));
    if let Value::Object(object) = &mut schema {
        // Exactly one of `answers` (an object) and `members` (an array); a
        // `null` one counts as absent, as the parser reads it.
        object.insert(
            "oneOf".to_string(),
            serde_json::json!([
                {"required": ["answers"], "properties": {"answers": {"type": "object"}}},
                {"required": ["members"], "properties": {"members": {"type": "array"}}},
            ]),
        );
    }
    schema
}

/// The schema of an assessment (`ocop score --format json` output).
pub fn assessment() -> Value {
    to_value(schema_for!(crate::Assessment))
}

/// The schemas of the rubric files: `edition.toml` and `sheets/*.toml`, each
/// under `$defs` as a schema of its own (with its own `$id` and `$defs`).
pub fn rubric() -> Value {
    let part = |mut schema: Value, id: &str| {
        if let Value::Object(object) = &mut schema {
            let mut with_id = Map::new();
            with_id.insert("$id".to_string(), Value::from(id));
            with_id.append(object);
            *object = with_id;
        }
        schema
    };
    serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "OCOP rubric files",
        "description": "criteria/<edition>/edition.toml is an `edition`; criteria/<edition>/sheets/NN-<key>.toml is a `sheet`.",
        "anyOf": [{"$ref": "#/$defs/edition"}, {"$ref": "#/$defs/sheet"}],
        "$defs": {
            "edition": part(to_value(schema_for!(EditionFile)), "urn:ocop:schema:rubric:edition"),
            "sheet": part(to_value(schema_for!(SheetDef)), "urn:ocop:schema:rubric:sheet"),
        },
    })
}

/// The schema of an impact crosswalk (`ocop impact --crosswalk`).
pub fn crosswalk() -> Value {
    to_value(schema_for!(crate::reform::impact::Crosswalk))
}

/// A generated schema as JSON, its descriptions as prose: the lines of a doc
/// comment's paragraph joined by spaces, paragraphs kept apart.
fn to_value(schema: schemars::Schema) -> Value {
    let mut value = schema.to_value();
    join_description_lines(&mut value);
    value
}

fn join_description_lines(value: &mut Value) {
    match value {
        Value::Object(object) => {
            for (key, item) in object.iter_mut() {
                match (key.as_str(), item) {
                    ("description" | "title", Value::String(text)) => *text = prose(text),
                    // Data, not schemas.
                    ("const" | "default" | "enum" | "examples", _) => {}
                    (_, item) => join_description_lines(item),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(join_description_lines),
        _ => {}
    }
}

fn prose(text: &str) -> String {
    text.split("\n\n")
        .map(|paragraph| {
            paragraph
                .lines()
                .map(str::trim)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The schema of a register record (`ocop register` input, `ocop register add` output).
pub fn register() -> Value {
    serde_json::to_value(schema_for!(crate::Certificate)).unwrap_or(Value::Null)
}
