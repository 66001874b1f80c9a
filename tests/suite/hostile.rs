//! The catalogue of hostile input: one row per case, each with the exact answer
//! it gets. `ok` rows are decisions too (a byte-order mark is skipped, unknown
//! product fields are kept).

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

fn dossier(fields: &str) -> String {
    format!(
        r#"{{"edition":"26-2026","sheet":"hoa","answers":{}{fields}}}"#,
        hoa_answers()
    )
}

fn with_answer(id: &str, value: &str) -> String {
    let answers = hoa_answers().replacen(&format!("\"{id}\":1"), &format!("\"{id}\":{value}"), 1);
    format!(r#"{{"edition":"26-2026","sheet":"hoa","answers":{answers}}}"#)
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

#[test]
fn hostile_dossiers() {
    let answers = hoa_answers();
    let nfd_id = with_answer("1.1", "1").replacen("\"1.1\"", "\"1.1\u{0065}\u{0302}\u{0301}\"", 1);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty input", b"".to_vec(), "invalid-json"),
        ("only spaces", b"   \n ".to_vec(), "invalid-json"),
        (
            "truncated JSON",
            dossier("").as_bytes()[..40].to_vec(),
            "invalid-json",
        ),
        (
            "UTF-8 byte-order mark is skipped",
            [b"\xEF\xBB\xBF".as_slice(), dossier("").as_bytes()].concat(),
            "ok",
        ),
        (
            "invalid UTF-8",
            b"{\"sheet\":\"h\xffa\"}".to_vec(),
            "invalid-utf8",
        ),
        ("an array", b"[1,2,3]".to_vec(), "invalid-field"),
        ("a number", b"42".to_vec(), "invalid-field"),
        ("a string", b"\"hoa\"".to_vec(), "invalid-field"),
        ("null", b"null".to_vec(), "invalid-field"),
        (
            "trailing garbage",
            format!("{} x", dossier("")).into_bytes(),
            "invalid-json",
        ),
        (
            "two objects",
            format!("{}{}", dossier(""), dossier("")).into_bytes(),
            "invalid-json",
        ),
        (
            "duplicate top-level key",
            dossier(r#","sheet":"hoa""#).into_bytes(),
            "duplicate-key",
        ),
        (
            "duplicate answer key",
            with_answer("1.1", "1,\"1.1\":2").into_bytes(),
            "duplicate-key",
        ),
        (
            "unknown top-level field (an error, documented)",
            dossier(r#","answer":{}"#).into_bytes(),
            "invalid-field",
        ),
        (
            "$schema is allowed",
            dossier(r#","$schema":"x""#).into_bytes(),
            "ok",
        ),
        (
            "id of any JSON type passes through",
            dossier(r#","id":[1,{"a":null}]"#).into_bytes(),
            "ok",
        ),
        (
            "edition not a string",
            dossier(r#","edition":7"#)
                .replacen(r#""edition":"26-2026","#, "", 1)
                .into_bytes(),
            "invalid-field",
        ),
        (
            "sheet not a string",
            format!(r#"{{"edition":"26-2026","sheet":5,"answers":{answers}}}"#).into_bytes(),
            "invalid-field",
        ),
        (
            "sheet missing",
            format!(r#"{{"edition":"26-2026","answers":{answers}}}"#).into_bytes(),
            "invalid-field",
        ),
        (
            "answers missing",
            br#"{"edition":"26-2026","sheet":"hoa"}"#.to_vec(),
            "invalid-field",
        ),
        (
            "answers an array",
            br#"{"edition":"26-2026","sheet":"hoa","answers":[1,2]}"#.to_vec(),
            "invalid-field",
        ),
        (
            "answers null",
            br#"{"edition":"26-2026","sheet":"hoa","answers":null}"#.to_vec(),
            "invalid-field",
        ),
        (
            "product not an object",
            dossier(r#","product":"x""#).into_bytes(),
            "invalid-field",
        ),
        (
            "product name not a string",
            dossier(r#","product":{"name":5}"#).into_bytes(),
            "invalid-field",
        ),
        (
            "product extra fields are kept",
            dossier(r#","product":{"ward":"Phường 1"}"#).into_bytes(),
            "ok",
        ),
        (
            "disqualified not a string",
            dossier(r#","disqualified":true"#).into_bytes(),
            "invalid-field",
        ),
        (
            "evaluated_on not a date",
            dossier(r#","evaluated_on":"soon""#).into_bytes(),
            "invalid-field",
        ),
        (
            "evaluated_on 2023-02-30",
            dossier(r#","evaluated_on":"2023-02-30""#).into_bytes(),
            "invalid-field",
        ),
        (
            "evaluated_on a number",
            dossier(r#","evaluated_on":20230201"#).into_bytes(),
            "invalid-field",
        ),
        (
            "filed_on 2026-13-01",
            dossier(r#","filed_on":"2026-13-01""#).into_bytes(),
            "invalid-field",
        ),
        (
            "option negative",
            with_answer("1.1", "-1").into_bytes(),
            "invalid-field",
        ),
        (
            "option fractional",
            with_answer("1.1", "1.5").into_bytes(),
            "invalid-field",
        ),
        (
            "option 1.0",
            with_answer("1.1", "1.0").into_bytes(),
            "invalid-field",
        ),
        (
            "option huge",
            with_answer("1.1", "99999999999999999999999").into_bytes(),
            "invalid-field",
        ),
        (
            "option 65536",
            with_answer("1.1", "65536").into_bytes(),
            "invalid-field",
        ),
        (
            "option a string",
            with_answer("1.1", "\"2\"").into_bytes(),
            "invalid-field",
        ),
        (
            "option null",
            with_answer("1.1", "null").into_bytes(),
            "invalid-field",
        ),
        (
            "option true",
            with_answer("1.1", "true").into_bytes(),
            "invalid-field",
        ),
        (
            "option out of range",
            with_answer("1.1", "9").into_bytes(),
            "option-out-of-range",
        ),
        (
            "option 65535",
            with_answer("1.1", "65535").into_bytes(),
            "option-out-of-range",
        ),
        (
            "criterion id with spaces",
            with_answer("1.1", "1")
                .replacen("\"1.1\"", "\" 1.1 \"", 1)
                .into_bytes(),
            "unknown-criterion",
        ),
        (
            "criterion id in NFD with a combining accent",
            nfd_id.into_bytes(),
            "unknown-criterion",
        ),
        (
            "criterion of another sheet",
            with_answer("1.1", "1")
                .replacen("\"1.1\"", "\"2.4\"", 1)
                .into_bytes(),
            "unknown-criterion",
        ),
        (
            "empty criterion id",
            with_answer("1.1", "1")
                .replacen("\"1.1\"", "\"\"", 1)
                .into_bytes(),
            "unknown-criterion",
        ),
        (
            "a criterion left unanswered",
            with_answer("1.1", "1")
                .replacen("\"1.1\":1,", "", 1)
                .into_bytes(),
            "unanswered",
        ),
        (
            "unknown edition",
            dossier("").replacen("26-2026", "26-2027", 1).into_bytes(),
            "unknown-edition",
        ),
        (
            "unknown sheet",
            dossier("")
                .replacen("\"hoa\"", "\"hoa-qua\"", 1)
                .into_bytes(),
            "unknown-sheet",
        ),
        (
            "sheet key in upper case",
            dossier("").replacen("\"hoa\"", "\"HOA\"", 1).into_bytes(),
            "unknown-sheet",
        ),
        (
            "a 148-2023 sheet",
            dossier("").replacen("26-2026", "148-2023", 1).into_bytes(),
            "sheet-not-available",
        ),
        (
            "date before any edition",
            format!(r#"{{"evaluated_on":"2019-01-01","sheet":"hoa","answers":{answers}}}"#)
                .into_bytes(),
            "no-edition-in-force",
        ),
        (
            "neither edition nor date",
            format!(r#"{{"sheet":"hoa","answers":{answers}}}"#).into_bytes(),
            "invalid-field",
        ),
        (
            "10,000 levels of nesting",
            format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)).into_bytes(),
            "invalid-json",
        ),
        (
            "nesting inside the id",
            dossier(&format!(
                r#","id":{}{}"#,
                "[".repeat(10_000),
                "]".repeat(10_000)
            ))
            .into_bytes(),
            "invalid-json",
        ),
        (
            "a 100 MB string",
            format!(r#"{{"sheet":"{}"}}"#, "x".repeat(100 << 20)).into_bytes(),
            "too-large",
        ),
        (
            "a 1 MB product name",
            dossier(&format!(
                r#","product":{{"name":"{}"}}"#,
                "ế".repeat(1 << 19)
            ))
            .into_bytes(),
            "ok",
        ),
        (
            "a control character in a string",
            dossier(",\"id\":\"a\u{1}b\"").into_bytes(),
            "invalid-json",
        ),
        (
            "a lone surrogate escape",
            dossier(r#","id":"\ud800""#).into_bytes(),
            "invalid-json",
        ),
    ];
    for (name, bytes, expected) in &cases {
        assert_eq!(dossier_code(bytes), *expected, "case: {name}");
    }
    assert!(cases.len() >= 50);
}

#[test]
fn hostile_councils() {
    let answers = hoa_answers();
    let council =
        |members: &str| format!(r#"{{"edition":"26-2026","sheet":"hoa","members":{members}}}"#);
    let member = |name: &str| format!(r#"{{"member":"{name}","answers":{answers}}}"#);
    let thousand: Vec<String> = (0..1000).map(|i| member(&format!("m{i}"))).collect();
    let hundred: Vec<String> = (0..100).map(|i| member(&format!("m{i}"))).collect();
    let cases: Vec<(&str, String, &str)> = vec![
        ("no members", council("[]"), "invalid-council"),
        (
            "a thousand members",
            council(&format!("[{}]", thousand.join(","))),
            "invalid-council",
        ),
        (
            "a hundred members (the limit)",
            council(&format!("[{}]", hundred.join(","))),
            "ok",
        ),
        ("members not an array", council("{}"), "invalid-field"),
        ("a member not an object", council("[1]"), "invalid-field"),
        (
            "duplicate member names",
            council(&format!("[{},{}]", member("A"), member("A"))),
            "invalid-council",
        ),
        (
            "an empty member name",
            council(&format!("[{}]", member(" "))),
            "invalid-field",
        ),
        (
            "a member without a name",
            council(&format!(r#"[{{"answers":{answers}}}]"#)),
            "invalid-field",
        ),
        (
            "a member without answers",
            council(r#"[{"member":"A"}]"#),
            "invalid-field",
        ),
        (
            "a member with an unknown field",
            council(&format!(
                r#"[{{"member":"A","answer":{{}},"answers":{answers}}}]"#
            )),
            "invalid-field",
        ),
        (
            "a member on another sheet",
            council(&format!(
                r#"[{{"member":"A","sheet":"cay-canh","answers":{answers}}}]"#
            )),
            "invalid-council",
        ),
        (
            "a member's bad option",
            council(&format!(
                "[{}]",
                member("A").replacen("\"1.1\":1", "\"1.1\":9", 1)
            )),
            "option-out-of-range",
        ),
        (
            "answers beside members",
            format!(
                r#"{{"edition":"26-2026","sheet":"hoa","answers":{answers},"members":[{}]}}"#,
                member("A")
            ),
            "invalid-field",
        ),
    ];
    for (name, text, expected) in &cases {
        assert_eq!(dossier_code(text.as_bytes()), *expected, "case: {name}");
    }
}

#[test]
fn hostile_batch_lines() {
    let mut scorer = LineScorer::new(ocop::assess::Options::default(), true);
    let good = dossier("");
    let cases: Vec<(&str, String, &str)> = vec![
        ("a good line", good.clone(), "ok"),
        ("a blank line", String::new(), "empty-line"),
        ("spaces only", "   \t ".into(), "empty-line"),
        ("a carriage return ends the line", format!("{good}\r"), "ok"),
        ("not JSON", "hello".into(), "invalid-json"),
        ("a JSON array", "[]".into(), "invalid-field"),
        (
            "duplicate keys",
            dossier(r#","sheet":"hoa""#),
            "duplicate-key",
        ),
        (
            "answers before the sheet (full path)",
            format!(
                r#"{{"answers":{},"edition":"26-2026","sheet":"hoa"}}"#,
                hoa_answers()
            ),
            "ok",
        ),
        (
            "an escaped key (full path)",
            good.replacen("\"1.1\"", "\"1\\u002e1\"", 1),
            "ok",
        ),
        (
            "a criterion answered twice",
            with_answer("1.1", "1,\"1.1\":1"),
            "duplicate-key",
        ),
        (
            "an unknown criterion",
            with_answer("1.1", "1").replacen("\"1.1\"", "\"9.9\"", 1),
            "unknown-criterion",
        ),
        (
            "a line over the limit",
            format!(r#"{{"id":"{}"}}"#, "x".repeat(ocop::batch::MAX_LINE)),
            "line-too-long",
        ),
    ];
    for (i, (name, line, expected)) in cases.iter().enumerate() {
        let mut out = String::new();
        let outcome = scorer.score_line(i + 1, line, &mut out);
        let value: serde_json::Value =
            serde_json::from_str(&out).unwrap_or_else(|_| panic!("{name}: {out}"));
        assert_eq!(value["line"], i + 1, "{name}");
        let got = match outcome {
            Outcome::Scored(_) => "ok".to_string(),
            Outcome::Failed => value["error"]["code"].as_str().unwrap().to_string(),
        };
        assert_eq!(got, *expected, "case: {name}: {out}");
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
