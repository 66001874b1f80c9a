//! The CLI contract: forms, JSON shapes and exit codes.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// Runs the CLI with `args`, feeding `stdin` if given.
pub(super) fn ocop_bytes(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ocop"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input).unwrap();
    } else {
        drop(child.stdin.take());
    }
    child.wait_with_output().unwrap()
}

fn ocop(args: &[&str], stdin: Option<&str>) -> Output {
    ocop_bytes(args, stdin.map(str::as_bytes))
}

fn json(output: &Output) -> Value {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn score_json_contract() {
    let out = json(&ocop(
        &["score", "--format", "json", "examples/dossier.json"],
        None,
    ));
    assert_eq!(out["edition"], "26-2026");
    assert_eq!(
        out["edition_hash"],
        ocop::edition("26-2026").unwrap().hash()
    );
    assert_eq!(out["sheet"], "rau-cu-qua-hat-tuoi");
    assert_eq!(out["total"], "67");
    assert_eq!(out["band_stars"], 3);
    assert_eq!(out["stars"], 3);
    assert_eq!(
        out["parts"][0],
        serde_json::json!({"id":"A","title":"SẢN PHẨM VÀ SỨC MẠNH CỦA CỘNG ĐỒNG","points":"31","max":"40"})
    );
    assert!(out["criteria"].as_array().unwrap().len() >= 32);
    assert!(out["unmet_marks"].as_array().unwrap().is_empty());
    assert_eq!(out["product"]["name"], "Bưởi da xanh Mỹ Thạnh");
}

#[test]
fn score_reads_standard_input_and_prints_text() {
    let dossier = std::fs::read_to_string("examples/dossier.json").unwrap();
    let out = ocop(&["score", "-"], Some(&dossier));
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("TỔNG CỘNG: 67 / 100"), "{text}");
    assert!(text.contains("Final rank: 3★"), "{text}");
}

#[test]
fn exit_codes() {
    let bad = ocop(
        &["score", "-"],
        Some(r#"{"edition":"26-2026","sheet":"hoa","answers":{"1.1":99}}"#),
    );
    assert_eq!(bad.status.code(), Some(1));
    let stderr = String::from_utf8(bad.stderr).unwrap();
    assert!(
        stderr.starts_with("error[option-out-of-range]:")
            || stderr.starts_with("error[unanswered]:"),
        "{stderr}"
    );
    assert!(bad.stdout.is_empty());

    let missing = ocop(&["score", "no/such/file.json"], None);
    assert_eq!(missing.status.code(), Some(1));

    let usage = ocop(&["score", "--format", "yaml", "x"], None);
    assert_eq!(usage.status.code(), Some(2));
    assert_eq!(ocop(&["frobnicate"], None).status.code(), Some(2));

    let unknown = ocop(&["show", "--edition", "26-2026", "--sheet", "nope"], None);
    assert_eq!(unknown.status.code(), Some(1));
}

#[test]
fn show_json_nests_parts_sections_criteria_options() {
    let out = json(&ocop(
        &[
            "show",
            "--edition",
            "26-2026",
            "--sheet",
            "che-tuoi-che-che-bien",
            "--format",
            "json",
        ],
        None,
    ));
    let part_c = &out["parts"][2];
    assert_eq!(part_c["id"], "C");
    assert_eq!(part_c["max"], "35");
    let sensory = &part_c["sections"][0];
    assert_eq!(sensory["id"], "6");
    let c61 = &sensory["criteria"][0];
    assert_eq!(c61["id"], "6.1");
    let c611 = &c61["children"][0];
    assert_eq!(c611["id"], "6.1.1");
    assert_eq!(
        c611["options"][1],
        serde_json::json!({
            "number": 2, "points": "1", "min_stars": null, "text": "Có rất ít tạp chất, chấp nhận được",
            "printed": "11", "erratum": "printed 11, above the criterion maximum 2; the options run 0, 1, 2"
        })
    );
    assert_eq!(c611["options"][2]["min_stars"], 4);
}

#[test]
fn editions_and_sheets_json() {
    let editions = json(&ocop(&["editions", "--format", "json"], None));
    let current = editions
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "26-2026")
        .unwrap();
    assert_eq!(current["sheets_available"], 26);
    assert_eq!(current["sheets_expected"], 26);
    let sheets = json(&ocop(
        &["sheets", "--edition", "26-2026", "--format", "json"],
        None,
    ));
    assert_eq!(sheets["sheets"].as_array().unwrap().len(), 26);
    assert_eq!(sheets["sheets"][22]["key"], "hoa");
}

#[test]
fn schemas_are_json() {
    for which in ["dossier", "assessment", "rubric"] {
        let schema = json(&ocop(&["schema", which], None));
        assert!(schema.is_object(), "{which}");
    }
    let dossier = json(&ocop(&["schema", "dossier"], None));
    assert!(dossier["properties"]["answers"].is_object());
}

#[test]
fn output_is_byte_identical_run_after_run() {
    for file in ["examples/dossier.json", "examples/council.json"] {
        let first = ocop(&["score", "--format", "json", file], None);
        assert!(first.status.success());
        for _ in 0..2 {
            assert_eq!(
                ocop(&["score", "--format", "json", file], None).stdout,
                first.stdout,
                "{file}"
            );
        }
    }
}

#[test]
fn verify_untouched_tampered_and_changed_rubric() {
    let stored = ocop(
        &[
            "score",
            "--format",
            "json",
            "--spread-limit",
            "10",
            "examples/council.json",
        ],
        None,
    );
    let text = String::from_utf8(stored.stdout).unwrap();
    let ok = ocop(&["verify", "-"], Some(&text));
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).starts_with("OK"));

    // A tampered member answer: the member's figures and the means no longer match.
    let mut value: Value = serde_json::from_str(&text).unwrap();
    value["council"]["members"][1]["total"] = "80".into();
    let bad = ocop(
        &["verify", "--format", "json", "-"],
        Some(&value.to_string()),
    );
    assert_eq!(bad.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&bad.stdout).unwrap();
    assert_eq!(report["matches"], false);
    assert_eq!(report["differences"][0]["path"], "council.members[1].total");

    // A recorded hash that is not the embedded one: the rubric changed since.
    let mut value: Value = serde_json::from_str(&text).unwrap();
    value["edition_hash"] = "0".repeat(64).into();
    let changed = ocop(&["verify", "-"], Some(&value.to_string()));
    assert_eq!(changed.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&changed.stdout)
            .contains("rubric data of edition 26-2026 changed since")
    );
}

#[test]
fn verify_skips_only_the_top_level_engine_string() {
    let stored = ocop(
        &["score", "--format", "json", "examples/dossier.json"],
        None,
    );
    let text = String::from_utf8(stored.stdout).unwrap();
    let verify = |value: &Value| {
        ocop(
            &["verify", "--format", "json", "-"],
            Some(&value.to_string()),
        )
    };

    // Another crate version at the top: still verifies.
    let mut newer: Value = serde_json::from_str(&text).unwrap();
    newer["engine"] = "ocop 9.9.9".into();
    assert_eq!(verify(&newer).status.code(), Some(0));

    // An `engine` anywhere else is data: forging it fails the check.
    let mut forged: Value = serde_json::from_str(&text).unwrap();
    forged["product"]["engine"] = "forged".into();
    let out = verify(&forged);
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["differences"][0]["path"], "product.engine");

    let mut deep: Value = serde_json::from_str(&text).unwrap();
    deep["criteria"][0]["engine"] = "forged".into();
    assert_eq!(verify(&deep).status.code(), Some(1));

    // The top-level engine must be a string (the crate version).
    let mut object: Value = serde_json::from_str(&text).unwrap();
    object["engine"] = serde_json::json!({"total": "100"});
    assert_eq!(verify(&object).status.code(), Some(1));
}
