//! JSON Schemas of the crate's inputs and outputs, for forms and other programs.

use schemars::schema_for;
use serde_json::Value;

use crate::rubric::def::{EditionDef, SheetDef};

/// The schema of a dossier (`ocop score` input). A form may name this schema
/// in a `$schema` field, which the parser accepts and ignores.
pub fn dossier() -> Value {
    let mut schema = serde_json::to_value(schema_for!(crate::Dossier)).unwrap_or(Value::Null);
    if let Some(Value::Object(properties)) = schema.get_mut("properties") {
        properties.insert(
            "$schema".to_string(),
            serde_json::json!({"type": "string", "description": "The schema this document follows; ignored."}),
        );
    }
    schema
}

/// The schema of an assessment (`ocop score --format json` output).
pub fn assessment() -> Value {
    serde_json::to_value(schema_for!(crate::Assessment)).unwrap_or(Value::Null)
}

/// The schemas of the rubric files: `edition.toml` and `sheets/*.toml`.
pub fn rubric() -> Value {
    serde_json::json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "OCOP rubric files",
        "description": "criteria/<edition>/edition.toml is an `edition`; criteria/<edition>/sheets/NN-<key>.toml is a `sheet`.",
        "edition": schema_for!(EditionDef),
        "sheet": schema_for!(SheetDef),
    })
}

/// The schema of an impact crosswalk (`ocop impact --crosswalk`).
pub fn crosswalk() -> Value {
    serde_json::to_value(schema_for!(crate::reform::impact::Crosswalk)).unwrap_or(Value::Null)
}

/// The schema of a register record (`ocop register` input, `ocop register add` output).
pub fn register() -> Value {
    serde_json::to_value(schema_for!(crate::Certificate)).unwrap_or(Value::Null)
}
