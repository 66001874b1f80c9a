//! Re-computing a stored assessment: the auditor's check that nothing changed.
//!
//! An assessment carries the dossier it scored and the policies it applied, so
//! it can be scored again and compared figure by figure. The crate version
//! (the top-level `engine` string) may differ without failing the check; any other difference fails
//! it, and a changed rubric hash is reported as such.

use serde::Serialize;
use serde_json::Value;

use crate::assess::{Options, assess_with};
use crate::dossier::Dossier;
use crate::error::Error;

/// The outcome of re-computing a stored assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Verification {
    /// Every figure matches.
    pub matches: bool,
    /// The edition the stored assessment names.
    pub edition: String,
    /// Set when the embedded edition's data hash is not the recorded one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rubric_changed: Option<RubricChange>,
    /// The crate versions: recorded, and the one re-computing.
    pub engine: Engines,
    /// Every difference, by JSON path.
    pub differences: Vec<Difference>,
}

/// The crate version that made an assessment and the one re-computing it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Engines {
    /// The version the stored assessment records.
    pub recorded: String,
    /// This crate's version.
    pub current: String,
}

/// The rubric data changed since the assessment was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RubricChange {
    /// The hash recorded in the assessment.
    pub recorded: String,
    /// The hash of the embedded edition now.
    pub current: String,
}

/// One figure that differs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Difference {
    /// JSON path, e.g. `parts[0].points`.
    pub path: String,
    /// The stored value (`null` when absent).
    pub recorded: Value,
    /// The re-computed value (`null` when absent).
    pub recomputed: Value,
}

/// Re-computes a stored assessment (as JSON) from the dossier it contains.
///
/// ```
/// let dossier = ocop::Dossier::from_json(&std::fs::read_to_string("examples/dossier.json").unwrap())?;
/// let stored = serde_json::to_value(ocop::assess(&dossier)?).unwrap();
/// assert!(ocop::verify::verify(&stored)?.matches);
///
/// let mut tampered = stored.clone();
/// tampered["total"] = "99".into();
/// let check = ocop::verify::verify(&tampered)?;
/// assert!(!check.matches);
/// assert_eq!(check.differences[0].path, "total");
/// # Ok::<(), ocop::Error>(())
/// ```
pub fn verify(stored: &Value) -> Result<Verification, Error> {
    let field = |name: &str| stored.get(name).cloned().unwrap_or(Value::Null);
    let dossier_value = stored.get("dossier").ok_or_else(|| Error::InvalidField {
        field: "dossier".to_string(),
        value: "nothing (the field is missing)".to_string(),
        expected: "an assessment written by `ocop score --format json`, which records its dossier"
            .to_string(),
    })?;
    let dossier = Dossier::from_value(dossier_value)?;
    let options = options_of(&field("policies"))?;
    let recomputed =
        serde_json::to_value(assess_with(&dossier, options)?).map_err(|err| Error::Json {
            message: err.to_string(),
        })?;
    let edition = field("edition").as_str().unwrap_or_default().to_string();
    let rubric_changed = match (crate::edition(&edition), field("edition_hash").as_str()) {
        (Ok(current), Some(recorded)) if current.hash() != recorded => Some(RubricChange {
            recorded: recorded.to_string(),
            current: current.hash().to_string(),
        }),
        _ => None,
    };
    let mut differences = Vec::new();
    compare("", stored, &recomputed, &mut differences);
    Ok(Verification {
        matches: differences.is_empty() && rubric_changed.is_none(),
        edition,
        rubric_changed,
        engine: Engines {
            recorded: field("engine").as_str().unwrap_or_default().to_string(),
            current: concat!("ocop ", env!("CARGO_PKG_VERSION")).to_string(),
        },
        differences,
    })
}

/// The options an assessment records in its `policies`.
pub(crate) fn options_of(policies: &Value) -> Result<Options, Error> {
    let round = policies.get("rounding").and_then(Value::as_str) == Some("half-up-to-whole-point");
    let spread = match policies.get("spread_limit") {
        None | Some(Value::Null) => None,
        Some(Value::String(text)) => Some(text.parse().map_err(|_| Error::InvalidField {
            field: "policies.spread_limit".to_string(),
            value: crate::error::echo(text),
            expected: "a decimal number of points".to_string(),
        })?),
        Some(other) => {
            return Err(Error::InvalidField {
                field: "policies.spread_limit".to_string(),
                value: crate::error::echo(&other.to_string()),
                expected: "a decimal number of points, as a string".to_string(),
            });
        }
    };
    let reading = match policies.get("council_gate_reading") {
        None | Some(Value::Null) => crate::rank::MarkReading::default(),
        Some(Value::String(text)) => {
            crate::rank::MarkReading::parse(text).ok_or_else(|| Error::InvalidField {
                field: "policies.council_gate_reading".to_string(),
                value: crate::error::echo(text),
                expected: "a mark reading: mean, majority or every".to_string(),
            })?
        }
        Some(other) => {
            return Err(Error::InvalidField {
                field: "policies.council_gate_reading".to_string(),
                value: crate::error::echo(&other.to_string()),
                expected: "a mark reading's name, as a string".to_string(),
            });
        }
    };
    Ok(Options::default()
        .round_half_up(round)
        .spread_limit(spread)
        .mark_reading(reading))
}

/// Walks both values and records every difference; the top-level `engine`
/// string (the crate version) is skipped.
fn compare(path: &str, stored: &Value, recomputed: &Value, out: &mut Vec<Difference>) {
    match (stored, recomputed) {
        (Value::Object(a), Value::Object(b)) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                // Only the crate version at the top may differ, and only as a
                // string: an `engine` anywhere else is data like any other.
                if path.is_empty() && key == "engine" && a.get(key).is_some_and(Value::is_string) {
                    continue;
                }
                let child = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                compare(
                    &child,
                    a.get(key).unwrap_or(&Value::Null),
                    b.get(key).unwrap_or(&Value::Null),
                    out,
                );
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (index, (x, y)) in a.iter().zip(b).enumerate() {
                compare(&format!("{path}[{index}]"), x, y, out);
            }
        }
        (a, b) if a != b => out.push(Difference {
            path: path.to_string(),
            recorded: a.clone(),
            recomputed: b.clone(),
        }),
        _ => {}
    }
}
