//! The catalogue of hostile input: one row per case, each with the exact answer
//! it gets. Dossiers (JSON, councils, batch lines) are data,
//! tests/data/hostile-dossiers.toml, each run through the library, `ocop score`
//! and the batch path; CSV rows and the nesting limit are here.

use ocop::batch::{LineScorer, Outcome};
use ocop::{Dossier, Error};

/// A valid hoa dossier's answers, as JSON.
fn hoa_answers() -> String {
    let sheet = ocop::edition("26-2026").unwrap().sheet("hoa").unwrap();
    let pairs: Vec<String> = sheet
        .leaf_ids()
        .iter()
        .map(|id| format!("\"{id}\":1"))
        .collect();
    format!("{{{}}}", pairs.join(","))
}

/// The code a dossier's bytes get: `ok` or the error code.
fn dossier_code(bytes: &[u8]) -> String {
    match Dossier::from_slice(bytes).and_then(|d| ocop::assess(&d)) {
        Ok(_) => "ok".into(),
        Err(err) => {
            // Every error names something and stays short.
            assert!(err.to_string().len() < 4000, "{}", err.code());
            err.code().into()
        }
    }
}

/// One case of tests/data/hostile-dossiers.toml.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    dossier: String,
    code: String,
    field: Option<String>,
    batch: Option<String>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Catalogue {
    case: Vec<Case>,
}

const CATALOGUE: &str = "tests/data/hostile-dossiers.toml";

/// A case's input, its `${…}` expanded (see the catalogue's header).
fn expand(text: &str) -> Vec<u8> {
    let answers = hoa_answers();
    let others = answers
        .strip_prefix("{\"1.1\":1,")
        .and_then(|rest| rest.strip_suffix('}'))
        .expect("1.1 is hoa's first criterion");
    let member = |name: &str| format!(r#"{{"member":"{name}","answers":{answers}}}"#);
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.extend_from_slice(&rest.as_bytes()[..start]);
        let end = start + rest[start..].find('}').expect("an unclosed ${");
        let inner = &rest[start + 2..end];
        if inner == "answers" {
            out.extend_from_slice(answers.as_bytes());
        } else if inner == "others" {
            out.extend_from_slice(others.as_bytes());
        } else if let Some(name) = inner.strip_prefix("member:") {
            out.extend_from_slice(member(name).as_bytes());
        } else if let Some(n) = inner.strip_prefix("members:") {
            let n: usize = n.parse().unwrap();
            let all: Vec<String> = (0..n).map(|i| member(&format!("m{i}"))).collect();
            out.extend_from_slice(all.join(",").as_bytes());
        } else if let Some(hex) = inner.strip_prefix("0x") {
            out.push(u8::from_str_radix(hex, 16).unwrap());
        } else if let Some((n, piece)) = inner.split_once('*') {
            out.extend_from_slice(piece.repeat(n.parse().unwrap()).as_bytes());
        } else {
            panic!("unknown expansion ${{{inner}}}");
        }
        rest = &rest[end + 1..];
    }
    out.extend_from_slice(rest.as_bytes());
    out
}

/// The field an `invalid-field` error names (inside a council member's error too).
fn field_of(err: &Error) -> Option<&str> {
    match err {
        Error::InvalidField { field, .. } => Some(field),
        Error::InMember { error, .. } => field_of(error),
        _ => None,
    }
}

/// `ocop score -` on `input`: `ok` or the code of `error[code]`, and stderr.
fn cli_code(input: &[u8]) -> (String, String) {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_ocop"))
        .args(["score", "--format", "json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    // The CLI stops reading past its size limit: a broken pipe is its answer, not ours.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let code = match out.status.code() {
        Some(0) => {
            serde_json::from_slice::<serde_json::Value>(&out.stdout).expect("an assessment");
            "ok".to_string()
        }
        Some(1) => stderr
            .strip_prefix("error[")
            .and_then(|s| s.split_once(']'))
            .map_or_else(
                || format!("no error[…] in: {stderr}"),
                |(c, _)| c.to_string(),
            ),
        other => format!("exit {other:?}: {stderr}"),
    };
    (code, stderr)
}

#[test]
fn hostile_dossiers() {
    let text = std::fs::read_to_string(CATALOGUE).unwrap();
    let cases = toml::from_str::<Catalogue>(&text)
        .unwrap_or_else(|e| panic!("{CATALOGUE}: {e}"))
        .case;
    assert!(cases.len() >= 90, "{} cases", cases.len());
    let mut scorer = LineScorer::new(ocop::assess::Options::default(), true);
    for (i, case) in cases.iter().enumerate() {
        let name = &case.name;
        let bytes = expand(&case.dossier);

        // The library: the byte reader, the text reader, then assess.
        let read = Dossier::from_slice(&bytes).and_then(|d| ocop::assess(&d).map(|_| ()));
        assert_eq!(dossier_code(&bytes), case.code, "case {name}: from_slice");
        if let Ok(text) = std::str::from_utf8(&bytes) {
            let from_json = Dossier::from_json(text).and_then(|d| ocop::assess(&d).map(|_| ()));
            let code = from_json.as_ref().map_or_else(|e| e.code(), |()| "ok");
            assert_eq!(code, case.code, "case {name}: from_json");
        }
        let err = read.as_ref().err();
        assert_eq!(
            err.and_then(field_of),
            case.field.as_deref(),
            "case {name}: field"
        );

        // The CLI.
        let (code, stderr) = cli_code(&bytes);
        assert_eq!(code, case.code, "case {name}: ocop score");
        if let Some(field) = &case.field {
            assert!(
                stderr.contains(&format!("`{field}`")),
                "case {name}: {stderr}"
            );
        }

        // The batch path, one line.
        let expected = case.batch.as_deref().unwrap_or(&case.code);
        let line = std::str::from_utf8(&bytes)
            .ok()
            .filter(|l| !l.contains('\n'));
        let Some(line) = line else {
            assert_eq!(expected, "not-a-line", "case {name}: not one line of text");
            continue;
        };
        assert_ne!(expected, "not-a-line", "case {name} is one line of text");
        let mut out = String::new();
        let outcome = scorer.score_line(i + 1, line, &mut out);
        let value: serde_json::Value =
            serde_json::from_str(&out).unwrap_or_else(|_| panic!("{name}: {out}"));
        assert_eq!(value["line"], i + 1, "{name}");
        let got = match outcome {
            Outcome::Scored(_) => "ok".to_string(),
            Outcome::Failed => value["error"]["code"].as_str().unwrap().to_string(),
        };
        assert_eq!(got, expected, "case {name}: batch: {out}");
    }
}

#[test]
fn hostile_csv_rows() {
    let headers = ["id", "edition", "sheet", "1.1", "1.2"];
    let cases: Vec<(&str, Vec<&str>, &str)> = vec![
        (
            "no sheet",
            vec!["a", "26-2026", "", "1", "1"],
            "invalid-field",
        ),
        (
            "an option that is text",
            vec!["a", "26-2026", "hoa", "abc", "1"],
            "invalid-field",
        ),
        (
            "an option that is negative",
            vec!["a", "26-2026", "hoa", "-1", "1"],
            "invalid-field",
        ),
        ("a short row", vec!["a", "26-2026", "hoa"], "unanswered"),
        (
            "only two of the criteria",
            vec!["a", "26-2026", "hoa", "1", "1"],
            "unanswered",
        ),
        (
            "an unknown sheet",
            vec!["a", "26-2026", "nope", "1", "1"],
            "unknown-sheet",
        ),
    ];
    for (name, fields, expected) in cases {
        let got = ocop::batch::dossier_from_record(&headers, &fields)
            .and_then(|d| ocop::assess(&d))
            .map_or_else(|e: Error| e.code().to_string(), |_| "ok".to_string());
        assert_eq!(got, expected, "case: {name}");
    }
    let dated =
        ocop::batch::dossier_from_record(&["sheet", "evaluated_on"], &["hoa", "2023-02-30"]);
    assert_eq!(dated.unwrap_err().code(), "invalid-field");
}

/// JSON nesting: serde_json refuses the 128th level, so a dossier (itself one
/// level) may nest 126 arrays in `id`, not 127. README.md says the same.
#[test]
fn json_nesting_limit_is_127_levels() {
    let dossier = std::fs::read_to_string("examples/dossier.json").unwrap();
    let with_id = |depth: usize| {
        let body = dossier.trim_end().strip_suffix('}').unwrap();
        format!(
            "{body}, \"id\": {}{}}}",
            "[".repeat(depth),
            "]".repeat(depth)
        )
    };
    for (depth, code) in [
        (125, "ok"),
        (126, "ok"),
        (127, "invalid-json"),
        (128, "invalid-json"),
    ] {
        assert_eq!(
            dossier_code(with_id(depth).as_bytes()),
            code,
            "{depth} arrays in id"
        );
        let parsed = ocop::dossier::parse_json(&with_id(depth));
        assert_eq!(parsed.is_ok(), code == "ok", "{depth}");
    }
    let err = ocop::dossier::parse_json(&with_id(127)).unwrap_err();
    assert!(
        err.to_string().contains("recursion limit exceeded"),
        "{err}"
    );
}
