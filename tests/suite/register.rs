//! The register's CLI contract: `ocop register status|due|add`, `ocop rounds`,
//! `ocop schema register`. Every output line is asserted exactly.

use std::process::Output;

use serde_json::Value;

const JSONL: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/register/register.jsonl"
);
const CSV: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/register/register.csv"
);

fn ocop(args: &[&str], stdin: Option<&[u8]>) -> Output {
    super::cli::ocop_bytes(args, stdin)
}

fn lines(output: &Output) -> Vec<String> {
    String::from_utf8(output.stdout.clone())
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

/// The records of both fixtures on 2027-03-10, without their line numbers.
const STATUS: [&str; 6] = [
    r#""code":"HN-01-001-2026","stars":4,"issued_on":"2026-06-15","valid_until":"2029-06-15","status":"valid","rerating_window":{"opens":"2028-12-17","closes":"2029-02-15"},"days_left":828}"#,
    r#""code":"HN-02-014-2023","stars":3,"issued_on":"2023-08-31","valid_until":"2026-08-31","status":"expired","rerating_window":{"opens":"2026-03-04","closes":"2026-05-03"},"days_left":-191}"#,
    r#""code":"HN-03-007-2026","stars":5,"issued_on":"2026-07-01","valid_until":"2029-07-01","status":"revoked","revoked_on":"2026-11-20","rerating_window":{"opens":"2029-01-02","closes":"2029-03-03"},"days_left":null}"#,
    r#""code":"HN-04-022-2024","stars":4,"issued_on":"2024-02-29","valid_until":"2027-02-28","status":"extended","extended_until":"2027-08-27","rerating_window":{"opens":"2026-09-01","closes":"2026-10-31"},"days_left":170}"#,
    r#""code":"HN-05-003-2024","stars":4,"issued_on":"2024-03-15","valid_until":"2027-06-30","status":"valid","rerating_window":{"opens":"2027-01-01","closes":"2027-03-02"},"days_left":112}"#,
    r#""code":"HN-06-009-2024","stars":3,"issued_on":"2024-03-15","valid_until":"2027-03-15","status":"valid","rerating_window":{"opens":"2026-09-16","closes":"2026-11-15"},"days_left":5}"#,
];

#[test]
fn status_of_a_jsonl_register_one_line_per_record() {
    let out = ocop(&["register", "status", "--on", "2027-03-10", JSONL], None);
    let mut expected: Vec<String> = STATUS
        .iter()
        .enumerate()
        .map(|(i, rest)| format!("{{\"line\":{},{rest}", i + 1))
        .collect();
    expected.push(
        r#"{"line":7,"error":{"code":"invalid-json","message":"dossier is not valid JSON: EOF while parsing a value at line 1 column 67"}}"#
            .to_string(),
    );
    assert_eq!(lines(&out), expected);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("1 of 7 records"), "{stderr}");
}

#[test]
fn status_of_a_csv_register_and_of_standard_input() {
    let out = ocop(&["register", "status", "--on", "2027-03-10", CSV], None);
    let mut expected: Vec<String> = STATUS
        .iter()
        .enumerate()
        .map(|(i, rest)| format!("{{\"line\":{},{rest}", i + 2))
        .collect();
    expected.push(
        r#"{"line":8,"error":{"code":"invalid-certificate","message":"certificate field `stars`: invalid type: string \"bốn\", expected u8"}}"#
            .to_string(),
    );
    assert_eq!(lines(&out), expected);
    assert_eq!(out.status.code(), Some(1));
    // A CSV on standard input is known by its header line.
    let stdin = std::fs::read(CSV).unwrap();
    let piped = ocop(
        &["register", "status", "--on", "2027-03-10", "-"],
        Some(&stdin),
    );
    assert_eq!(lines(&piped), expected);
    // All records read: exit 0.
    let good: Vec<&str> = std::str::from_utf8(&stdin)
        .unwrap()
        .lines()
        .take(3)
        .collect();
    let ok = ocop(
        &["register", "status", "--on", "2027-03-10", "-"],
        Some(good.join("\n").as_bytes()),
    );
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert_eq!(lines(&ok).len(), 2);
}

#[test]
fn status_as_csv_and_text() {
    let out = ocop(
        &[
            "register",
            "status",
            "--on",
            "2027-03-10",
            "--format",
            "csv",
            CSV,
        ],
        None,
    );
    assert_eq!(
        lines(&out),
        [
            "line,code,stars,issued_on,valid_until,status,extended_until,revoked_on,rerating_opens,rerating_closes,days_left,error_code,error_message",
            "2,HN-01-001-2026,4,2026-06-15,2029-06-15,valid,,,2028-12-17,2029-02-15,828,,",
            "3,HN-02-014-2023,3,2023-08-31,2026-08-31,expired,,,2026-03-04,2026-05-03,-191,,",
            "4,HN-03-007-2026,5,2026-07-01,2029-07-01,revoked,,2026-11-20,2029-01-02,2029-03-03,,,",
            "5,HN-04-022-2024,4,2024-02-29,2027-02-28,extended,2027-08-27,,2026-09-01,2026-10-31,170,,",
            "6,HN-05-003-2024,4,2024-03-15,2027-06-30,valid,,,2027-01-01,2027-03-02,112,,",
            "7,HN-06-009-2024,3,2024-03-15,2027-03-15,valid,,,2026-09-16,2026-11-15,5,,",
            r#"8,,,,,,,,,,,invalid-certificate,"certificate field `stars`: invalid type: string ""bốn"", expected u8""#,
        ]
    );
    let text = ocop(
        &[
            "register",
            "status",
            "--on",
            "2027-03-10",
            "--format",
            "text",
            JSONL,
        ],
        None,
    );
    let text = lines(&text);
    assert_eq!(text.len(), 7);
    assert_eq!(
        text[1],
        "line 2: HN-02-014-2023 3★ issued 2023-08-31 valid until 2026-08-31: expired, 191 days ago; re-rating filing 2026-03-04 to 2026-05-03"
    );
    assert_eq!(
        text[3],
        "line 4: HN-04-022-2024 4★ issued 2024-02-29 valid until 2027-02-28: extended (extended until 2027-08-27, Điều 12.3), 170 days left; re-rating filing 2026-09-01 to 2026-10-31"
    );
}

#[test]
fn status_defaults_to_today() {
    let out = ocop(&["register", "status", JSONL], None);
    assert_eq!(lines(&out).len(), 7);
    let usage = ocop(&["register", "status", "--on", "10/03/2027", JSONL], None);
    assert_eq!(usage.status.code(), Some(2));
}

#[test]
fn due_lists_the_events_soonest_first() {
    let out = ocop(
        &[
            "register",
            "due",
            "--on",
            "2026-08-01",
            "--within",
            "240",
            JSONL,
        ],
        None,
    );
    assert_eq!(
        lines(&out),
        [
            r#"{"line":2,"code":"HN-02-014-2023","event":"expires","date":"2026-08-31","days":30}"#,
            r#"{"line":4,"code":"HN-04-022-2024","event":"rerating-opens","date":"2026-09-01","days":31}"#,
            r#"{"line":6,"code":"HN-06-009-2024","event":"rerating-opens","date":"2026-09-16","days":46}"#,
            r#"{"line":4,"code":"HN-04-022-2024","event":"rerating-closes","date":"2026-10-31","days":91}"#,
            r#"{"line":6,"code":"HN-06-009-2024","event":"rerating-closes","date":"2026-11-15","days":106}"#,
            r#"{"line":5,"code":"HN-05-003-2024","event":"rerating-opens","date":"2027-01-01","days":153}"#,
            r#"{"line":5,"code":"HN-05-003-2024","event":"rerating-closes","date":"2027-03-02","days":213}"#,
            r#"{"line":6,"code":"HN-06-009-2024","event":"expires","date":"2027-03-15","days":226}"#,
            r#"{"line":7,"error":{"code":"invalid-json","message":"dossier is not valid JSON: EOF while parsing a value at line 1 column 67"}}"#,
        ]
    );
    assert_eq!(out.status.code(), Some(1));
    // The revoked 5★ certificate (line 3) has nothing due; the extension's end is the expiry.
    let later = ocop(
        &[
            "register",
            "due",
            "--on",
            "2027-08-01",
            "--within",
            "30",
            JSONL,
        ],
        None,
    );
    assert_eq!(
        lines(&later)[0],
        r#"{"line":4,"code":"HN-04-022-2024","event":"expires","date":"2027-08-27","days":26}"#
    );
}

#[test]
fn rounds_of_a_year_across_the_year_boundary() {
    let out = ocop(&["rounds", "--year", "2026", "--format", "json"], None);
    assert!(out.status.success());
    let rounds: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows: Vec<(String, u64, String, String)> = rounds
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["level"].as_str().unwrap().to_string(),
                r["round"].as_u64().unwrap(),
                r["proposed_before"].as_str().unwrap().to_string(),
                r["evaluated_before"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let row = |l: &str, n, p: &str, e: &str| (l.to_string(), n, p.to_string(), e.to_string());
    assert_eq!(
        rows,
        [
            row("province", 1, "2026-04-30", "2026-06-30"),
            row("province", 2, "2026-10-30", "2026-12-30"),
            row("central", 1, "2026-07-30", "2026-09-30"),
            row("central", 2, "2027-01-30", "2027-03-30"),
        ]
    );
    let central = ocop(&["rounds", "--year", "2027", "--level", "central"], None);
    assert_eq!(
        lines(&central),
        [
            "Rounds of 2027, edition 26-2026 (26/2026/QĐ-TTg); \"before\" excludes the day named",
            "level     round  proposed before  evaluated before  cite",
            "central   1      2027-07-30       2027-09-30        QĐ 26/2026/QĐ-TTg, Điều 5.2",
            "central   2      2028-01-30       2028-03-30        QĐ 26/2026/QĐ-TTg, Điều 5.2 (read: in the year after round 1, see above)",
        ]
    );
    // 2025 is under 148-2023, whose text gives no rounds.
    let none = ocop(&["rounds", "--year", "2025"], None);
    assert_eq!(none.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&none.stderr);
    assert!(
        stderr.starts_with("error[rule-not-in-edition]: edition 148-2023"),
        "{stderr}"
    );
}

fn scored(dossier: &str) -> Vec<u8> {
    let out = ocop(
        &["score", "--format", "json", "-"],
        Some(dossier.as_bytes()),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn add(assessment: &[u8]) -> Output {
    ocop(
        &[
            "register",
            "add",
            "--issued-on",
            "2026-12-01",
            "--decision",
            "1500/QĐ-UBND",
            "-",
        ],
        Some(assessment),
    )
}

#[test]
fn add_makes_the_record_of_a_verified_assessment() {
    let dossier = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/dossier.json"
    ))
    .unwrap();
    let assessment = scored(&dossier);
    let out = add(&assessment);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        lines(&out),
        [
            r#"{"code":"83-28756-001-2026","name":"Bưởi da xanh Mỹ Thạnh","producer":"HTX Nông nghiệp Mỹ Thạnh","sheet":"rau-cu-qua-hat-tuoi","edition":"26-2026","stars":3,"issued_on":"2026-12-01","decision":"1500/QĐ-UBND","authority":"province"}"#
        ]
    );
    // The record reads back as a register line.
    let status = ocop(
        &["register", "status", "--on", "2026-12-01", "-"],
        Some(&out.stdout),
    );
    assert_eq!(
        lines(&status),
        [
            r#"{"line":1,"code":"83-28756-001-2026","stars":3,"issued_on":"2026-12-01","valid_until":"2029-12-01","status":"valid","rerating_window":{"opens":"2029-06-04","closes":"2029-08-03"},"days_left":1096}"#
        ]
    );

    let refused = |assessment: &[u8], reason: &str| {
        let out = add(assessment);
        assert_eq!(out.status.code(), Some(1));
        assert!(out.stdout.is_empty());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.starts_with("error[not-certifiable]"), "{stderr}");
        assert!(stderr.contains(reason), "{reason}: {stderr}");
    };
    // Tampered: the re-computation does not match.
    let mut value: Value = serde_json::from_slice(&assessment).unwrap();
    value["stars"] = 5.into();
    refused(value.to_string().as_bytes(), "does not match");
    // An outcome other than recognise (the field may be absent, as above).
    let mut value: Value = serde_json::from_slice(&assessment).unwrap();
    value["outcome"] = serde_json::json!({"action": "reject"});
    refused(value.to_string().as_bytes(), "`reject`");
    // Disqualified.
    let mut dq: Value = serde_json::from_str(&dossier).unwrap();
    dq["disqualified"] = "hồ sơ giả mạo".into();
    refused(&scored(&dq.to_string()), "disqualified");
    // Below 3★.
    let mut low: Value = serde_json::from_str(&dossier).unwrap();
    for (_, option) in low["answers"].as_object_mut().unwrap() {
        *option = 1.into();
    }
    let low = scored(&low.to_string());
    let stars = serde_json::from_slice::<Value>(&low).unwrap()["stars"]
        .as_u64()
        .unwrap();
    assert!(stars < 3);
    refused(&low, "gets no certificate");
}

#[test]
fn schema_register_describes_the_record() {
    let out = ocop(&["schema", "register"], None);
    assert!(out.status.success());
    let schema: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(schema["title"], "Certificate");
    assert_eq!(schema["additionalProperties"], false);
    let required: Vec<&str> = schema["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let mut required = required;
    required.sort_unstable();
    assert_eq!(
        required,
        ["code", "decision", "edition", "issued_on", "stars"]
    );
    assert!(schema["properties"]["revocation"].is_object());
}
