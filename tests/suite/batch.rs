//! Bulk scoring: every input record yields exactly one output record, in order.

use serde_json::Value;

fn batch(args: &[&str], input: &[u8]) -> (Vec<String>, String, Option<i32>) {
    let args: Vec<&str> = std::iter::once("batch")
        .chain(args.iter().copied())
        .collect();
    let out = super::cli::ocop_bytes(&args, Some(input));
    let text = String::from_utf8(out.stdout).unwrap();
    (
        text.lines().map(str::to_string).collect(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code(),
    )
}

fn corpus(n: usize) -> Vec<String> {
    let edition = ocop::edition("26-2026").unwrap();
    super::corpus::generate(edition, n, 11)
        .map(|d| serde_json::to_string(&d).unwrap())
        .collect()
}

#[test]
fn one_line_out_per_line_in_with_errors_in_place() {
    let mut lines = corpus(30);
    lines.insert(3, String::new()); // blank line
    lines.insert(7, "{not json".into());
    lines.insert(
        9,
        r#"{"edition":"26-2026","sheet":"hoa","answers":{"1.1":99}}"#.into(),
    );
    lines.insert(11, "[1,2,3]".into());
    let mut input = lines.join("\n").into_bytes();
    input.extend_from_slice(b"\n\xff\xfe not utf8"); // last line: invalid UTF-8, no newline
    let (out, stderr, code) = batch(&["--summary"], &input);
    assert_eq!(code, Some(0));
    assert_eq!(out.len(), lines.len() + 1, "{stderr}");
    for (i, line) in out.iter().enumerate() {
        let value: Value = serde_json::from_str(line).unwrap();
        assert_eq!(value["line"], i + 1, "{line}");
    }
    let code_at =
        |i: usize| serde_json::from_str::<Value>(&out[i]).unwrap()["error"]["code"].clone();
    assert_eq!(code_at(3), "empty-line");
    assert_eq!(code_at(7), "invalid-json");
    assert_eq!(code_at(9), "option-out-of-range");
    assert_eq!(code_at(11), "invalid-field");
    assert_eq!(code_at(out.len() - 1), "invalid-utf8");
    assert!(
        stderr.contains("scored") && stderr.contains("5 errors"),
        "{stderr}"
    );
}

#[test]
fn summary_lines_agree_with_full_assessments_and_pass_ids_through() {
    let lines = corpus(52);
    let input = lines.join("\n");
    let (summary, _, _) = batch(&["--summary"], input.as_bytes());
    let (full, _, _) = batch(&[], input.as_bytes());
    let (parallel, _, _) = batch(&["--summary", "--jobs", "2"], input.as_bytes());
    assert_eq!(
        summary, parallel,
        "two jobs give the same lines in the same order"
    );
    for (i, (s, f)) in summary.iter().zip(&full).enumerate() {
        let s: Value = serde_json::from_str(s).unwrap();
        let f: Value = serde_json::from_str(f).unwrap();
        assert_eq!(s["id"], format!("d{i}"));
        assert_eq!(s["id"], f["id"]);
        assert_eq!(s["total"], f["total"]);
        assert_eq!(s["stars"], f["stars"]);
        assert_eq!(s["band_stars"], f["band_stars"]);
        assert_eq!(s["unmet_marks"], f["unmet_marks"].as_array().unwrap().len());
        assert_eq!(s["parts"]["B"], f["parts"][1]["points"]);
    }
}

#[test]
fn the_fast_path_and_the_full_path_give_the_same_summary() {
    // Reordered keys, escapes, a date and a council all leave the fast path.
    let lines = [
        r#"{"sheet":"hoa","answers":{"1.1":1},"edition":"26-2026"}"#,
        r#"{"edition":"26-2026","sheet":"hoa","answers":{"1.1":1}}"#,
    ];
    let (out, _, _) = batch(&["--summary"], lines.join("\n").as_bytes());
    let a: Value = serde_json::from_str(&out[0]).unwrap();
    let b: Value = serde_json::from_str(&out[1]).unwrap();
    assert_eq!(a["error"], b["error"]);
    assert_eq!(a["error"]["code"], "unanswered");
    let council = std::fs::read_to_string("examples/council.json").unwrap();
    let council: Value = serde_json::from_str(&council).unwrap();
    let (out, _, _) = batch(&["--summary"], council.to_string().as_bytes());
    let line: Value = serde_json::from_str(&out[0]).unwrap();
    assert_eq!(
        line["total"],
        ocop::assess(&ocop::Dossier::from_value(&council).unwrap())
            .unwrap()
            .total
            .to_string()
    );
    assert_eq!(line["stars"], 3);
}

#[test]
fn input_without_a_final_newline_and_empty_input() {
    let lines = corpus(3);
    let (out, _, _) = batch(&["--summary"], lines.join("\n").as_bytes());
    assert_eq!(out.len(), 3);
    let (out, stderr, code) = batch(&["--summary"], b"");
    assert!(out.is_empty());
    assert_eq!(code, Some(0));
    assert!(stderr.contains("0 records"), "{stderr}");
}

#[test]
fn a_line_over_the_limit_is_an_error_line_not_a_crash() {
    let long = format!(
        r#"{{"sheet":"{}"}}"#,
        "x".repeat(ocop::batch::MAX_LINE + 10)
    );
    let input = format!("{long}\n{}\n", corpus(1)[0]);
    let (out, _, _) = batch(&["--summary"], input.as_bytes());
    assert_eq!(out.len(), 2);
    assert!(out[0].contains("line-too-long"));
    assert!(out[1].contains("\"stars\""));
}

#[test]
fn csv_in_and_out() {
    let dossier =
        ocop::Dossier::from_json(&std::fs::read_to_string("examples/dossier.json").unwrap())
            .unwrap();
    let ids: Vec<&String> = dossier.answers().unwrap().keys().collect();
    let mut csv = format!(
        "id,edition,sheet,name,{}\n",
        ids.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(",")
    );
    let row: Vec<String> = dossier
        .answers()
        .unwrap()
        .values()
        .map(|v| v.to_string())
        .collect();
    csv.push_str(&format!(
        "p1,26-2026,rau-cu-qua-hat-tuoi,\"Bưởi, da xanh\",{}\n",
        row.join(",")
    ));
    csv.push_str(&format!(
        "p2,26-2026,rau-cu-qua-hat-tuoi,Thiếu,{}\n",
        row[..5].join(",")
    ));
    csv.push_str("p3,26-2026,no-such-sheet,X\n");
    let (out, stderr, code) = batch(&["--format", "csv"], csv.as_bytes());
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(out.len(), 4, "{out:?}");
    assert_eq!(
        out[0],
        "line,id,edition,sheet,total,A,B,C,band_stars,stars,unmet_marks,error_code,error_message,name,code,producer"
    );
    assert!(out[1].ends_with(",,,\"Bưởi, da xanh\",,"), "{}", out[1]);
    assert!(
        out[1].starts_with("2,p1,26-2026,rau-cu-qua-hat-tuoi,67,31,14,22,3,3,0,,"),
        "{}",
        out[1]
    );
    // Error rows keep the id.
    assert!(
        out[2].starts_with("3,p2,,,,,,,,,,unanswered,"),
        "{}",
        out[2]
    );
    assert!(out[3].contains("unknown-sheet"), "{}", out[3]);
}

/// A CSV record over 1 MiB is a `line-too-long` row, read without holding it
/// (the cell is cut as it streams in), and the next record keeps its physical
/// line: 1,000,000 quoted newlines later.
#[test]
fn a_huge_csv_cell_is_cut_as_it_is_read() {
    let mut input = String::from("id,edition,sheet,1.1\n\"a\",26-2026,hoa,\"");
    input.push_str(&"x\n".repeat(1_000_000));
    input.push_str("\"\nb,26-2026,hoa,1\n");
    let (lines, _, _) = batch(&["--format", "csv"], input.as_bytes());
    assert_eq!(lines.len(), 3, "{:?}", &lines[..lines.len().min(3)]);
    assert!(lines[1].starts_with("2,a,"), "{}", lines[1]);
    assert!(lines[1].contains(",line-too-long,"), "{}", lines[1]);
    assert!(lines[2].starts_with("1000003,b,"), "{}", lines[2]);
}
