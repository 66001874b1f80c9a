//! The JSON Schemas the crate emits, checked with a real validator (issue 13):
//! they are draft 2020-12, valid against their meta-schema, accept every
//! example dossier and a produced assessment, and refuse what the parser
//! refuses.

use std::path::Path;

use jsonschema::Validator;
use serde_json::{Value, json};

const DRAFT_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";

/// A validator for one of our schemas, after checking that the schema says
/// draft 2020-12 and is itself valid against the draft's meta-schema.
fn validator(name: &str, schema: &Value) -> Validator {
    assert_eq!(
        schema["$schema"], DRAFT_2020_12,
        "{name}: not draft 2020-12"
    );
    if let Err(error) = jsonschema::meta::validate(schema) {
        panic!("{name}: not a valid draft 2020-12 schema: {error}");
    }
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(schema)
        .unwrap_or_else(|error| panic!("{name}: the validator refuses the schema: {error}"))
}

/// Every error the validator reports, one a line, for a failure message.
fn errors(validator: &Validator, instance: &Value) -> String {
    validator
        .iter_errors(instance)
        .map(|error| format!("  at `{}`: {error}", error.instance_path()))
        .collect::<Vec<_>>()
        .join("\n")
}

fn assert_valid(validator: &Validator, instance: &Value, label: &str) {
    assert!(
        validator.is_valid(instance),
        "{label}: refused by the schema\n{}",
        errors(validator, instance)
    );
}

/// A golden file's cases (after its `// generated …` first line).
fn cases(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap();
    let json = match text.split_once('\n') {
        Some((first, rest)) if first.starts_with("//") => rest,
        _ => text.as_str(),
    };
    serde_json::from_str(json).unwrap()
}

/// Every example dossier: the golden cases under tests/fixtures/<edition>/,
/// tests/fixtures/781-gate-dossier.json and examples/*.json. None of them is
/// meant to be invalid (the golden tests score each one), so each must pass
/// both the parser and the schema.
fn example_dossiers() -> Vec<(String, Value)> {
    let mut dossiers = Vec::new();
    let mut editions: Vec<_> = std::fs::read_dir("tests/fixtures")
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir() && path.file_name().is_some_and(|name| name != "drafts"))
        .collect();
    editions.sort();
    for dir in editions {
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        for path in files {
            for case in cases(&path) {
                let label = format!("{} {}", path.display(), case["case"]);
                dossiers.push((label, case["dossier"].clone()));
            }
        }
    }
    for file in [
        "tests/fixtures/781-gate-dossier.json",
        "examples/dossier.json",
        "examples/dossier-1048.json",
        "examples/council.json",
    ] {
        let text = std::fs::read_to_string(file).unwrap();
        dossiers.push((file.to_string(), serde_json::from_str(&text).unwrap()));
    }
    dossiers
}

#[test]
fn every_example_dossier_meets_the_dossier_schema() {
    let validator = validator("dossier", &ocop::schema::dossier());
    let dossiers = example_dossiers();
    // 4 editions' golden files (54 sheets, at least 8 cases each) and the examples.
    assert!(dossiers.len() > 54 * 8, "{} dossiers", dossiers.len());
    for (label, dossier) in &dossiers {
        ocop::Dossier::from_value(dossier).unwrap_or_else(|e| panic!("{label}: {e}"));
        assert_valid(&validator, dossier, label);
    }
}

#[test]
fn a_produced_assessment_meets_the_assessment_schema() {
    let validator = validator("assessment", &ocop::schema::assessment());
    // One sheet, a council (the schema's `council` branch) and a capped 781 rank.
    for file in [
        "examples/dossier.json",
        "examples/council.json",
        "tests/fixtures/781-gate-dossier.json",
    ] {
        let text = std::fs::read_to_string(file).unwrap();
        let assessment = ocop::assess(&ocop::Dossier::from_json(&text).unwrap()).unwrap();
        let value = serde_json::to_value(&assessment).unwrap();
        assert_valid(&validator, &value, file);
        // The schema is not a blank cheque: a broken assessment is refused.
        let mut broken = value.clone();
        broken["stars"] = json!("five");
        assert!(
            !validator.is_valid(&broken),
            "{file}: `stars` as text accepted"
        );
        let mut broken = value;
        broken.as_object_mut().unwrap().remove("total");
        assert!(!validator.is_valid(&broken), "{file}: no `total` accepted");
    }
}

/// Dossiers the parser refuses before it needs the rubric: the schema must
/// refuse each of them too.
#[test]
fn the_dossier_schema_refuses_what_the_parser_refuses() {
    let validator = validator("dossier", &ocop::schema::dossier());
    let good = json!({
        "edition": "26-2026",
        "evaluated_on": "2026-06-01",
        "sheet": "rau-cu-qua-hat-tuoi",
        "answers": {"1.1": 2, "1.2": [1, 3]},
    });
    assert_valid(&validator, &good, "the base dossier");
    let with = |change: &dyn Fn(&mut serde_json::Map<String, Value>)| {
        let mut dossier = good.clone();
        change(dossier.as_object_mut().unwrap());
        dossier
    };
    let members = json!([{"member": "A", "answers": {"1.1": 2}}]);
    let refused = [
        (
            "an unknown field",
            with(&|d| {
                d.insert("colour".into(), json!("red"));
            }),
        ),
        (
            "an answer of the wrong type (text)",
            with(&|d| {
                d.insert("answers".into(), json!({"1.1": "2"}));
            }),
        ),
        (
            "a negative option",
            with(&|d| {
                d.insert("answers".into(), json!({"1.1": -1}));
            }),
        ),
        (
            "a date not written YYYY-MM-DD",
            with(&|d| {
                d.insert("evaluated_on".into(), json!("01/06/2026"));
            }),
        ),
        (
            "a day that is not in the calendar",
            with(&|d| {
                d.insert("filed_on".into(), json!("2026-02-30"));
            }),
        ),
        (
            "no sheet",
            with(&|d| {
                d.remove("sheet");
            }),
        ),
        (
            "members together with answers",
            with(&|d| {
                d.insert("members".into(), members.clone());
            }),
        ),
        (
            "neither answers nor members",
            with(&|d| {
                d.remove("answers");
            }),
        ),
        (
            "a member with an unknown field",
            with(&|d| {
                d.remove("answers");
                d.insert(
                    "members".into(),
                    json!([{"member": "A", "answers": {}, "score": 3}]),
                );
            }),
        ),
        (
            "a member without a name",
            with(&|d| {
                d.remove("answers");
                d.insert("members".into(), json!([{"answers": {"1.1": 2}}]));
            }),
        ),
    ];
    for (what, dossier) in &refused {
        assert!(
            ocop::Dossier::from_value(dossier).is_err(),
            "{what}: the parser accepts it, so the case is wrong"
        );
        assert!(
            !validator.is_valid(dossier),
            "{what}: the schema accepts {dossier}"
        );
    }
    // And a council dossier, `answers` null beside `members`, is accepted by both.
    let council = with(&|d| {
        d.insert("answers".into(), Value::Null);
        d.insert("members".into(), members.clone());
    });
    ocop::Dossier::from_value(&council).unwrap();
    assert_valid(&validator, &council, "a council with `answers: null`");
}

/// The embedded rubric files, read as TOML, meet the rubric schema: each
/// edition.toml its `edition` part, each sheet file its `sheet` part.
#[test]
fn every_rubric_file_meets_the_rubric_schema() {
    let schema = ocop::schema::rubric();
    let whole = validator("rubric", &schema);
    let mut parts = Vec::new();
    for part in ["edition", "sheet"] {
        let mut one = schema["$defs"][part].clone();
        assert_eq!(one["$schema"], DRAFT_2020_12, "{part}");
        // Standalone, as a tool would take it out of the file.
        one.as_object_mut().unwrap().remove("$id");
        parts.push(validator(part, &one));
    }
    let mut count = 0;
    for edition in std::fs::read_dir("criteria").unwrap() {
        let dir = edition.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        let mut files = vec![(0, dir.join("edition.toml"))];
        for sheet in std::fs::read_dir(dir.join("sheets")).unwrap() {
            files.push((1, sheet.unwrap().path()));
        }
        for (part, path) in files {
            let text = std::fs::read_to_string(&path).unwrap();
            let value: Value = toml::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"));
            let label = path.display().to_string();
            assert_valid(&parts[part], &value, &label);
            assert_valid(&whole, &value, &label);
            assert!(
                !parts[1 - part].is_valid(&value),
                "{label}: meets the other part too"
            );
            count += 1;
        }
    }
    assert!(count > 50, "{count} rubric files");
    // An unknown key is refused, as the compiler refuses it.
    let mut sheet: Value =
        toml::from_str(&std::fs::read_to_string("criteria/26-2026/sheets/23-hoa.toml").unwrap())
            .unwrap();
    sheet["colour"] = json!("red");
    assert!(!whole.is_valid(&sheet));
}

#[test]
fn the_crosswalk_schema_is_draft_2020_12() {
    let validator = validator("crosswalk", &ocop::schema::crosswalk());
    let crosswalk = ocop::reform::impact::Crosswalk::default();
    assert_valid(
        &validator,
        &serde_json::to_value(&crosswalk).unwrap(),
        "an empty crosswalk",
    );
}
