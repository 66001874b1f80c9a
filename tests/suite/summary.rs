//! The province summary (issue 14): counts equal the batch's, exact shares,
//! products in summary lines, and (opt-in) the HTML in a real browser.

use ocop::Dossier;
use ocop::dossier::{Level, Product};
use ocop::summary::{By, Options, Record, Summary};
use serde_json::Value;

/// A corpus of 26/2026 dossiers with products, codes in four communes, some
/// rejected by the council and some at the provincial level.
fn corpus(n: usize) -> Vec<Dossier> {
    let edition = ocop::edition("26-2026").unwrap();
    super::corpus::generate(edition, n, 14)
        .enumerate()
        .map(|(i, mut d)| {
            d.product = Some(Product {
                name: Some(format!("Sản phẩm {i}")),
                code: Some(format!("83-{:05}-{:03}-2026", 28756 + i % 4, i + 1)),
                producer: Some(format!("HTX {}", i % 7)),
                ..Product::default()
            });
            if i % 17 == 5 {
                d.disqualified = Some("Giả mạo hồ sơ".to_string());
            }
            if i % 3 == 0 {
                d.level = Some(Level::Province);
            }
            d
        })
        .collect()
}

fn jsonl(dossiers: &[Dossier]) -> String {
    dossiers
        .iter()
        .map(|d| serde_json::to_string(d).unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

fn run(args: &[&str], input: &[u8]) -> (String, String) {
    let out = super::cli::ocop_bytes(args, Some(input));
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The per-rank counts `ocop batch` prints on stderr: [0★, 1★, …, 5★].
fn batch_counts(stderr: &str) -> [u64; 6] {
    let number_after = |label: &str| -> u64 {
        let at = stderr.find(label).unwrap() + label.len();
        stderr[at..]
            .trim_start()
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    [
        number_after("disqualified"),
        number_after("1★"),
        number_after("2★"),
        number_after("3★"),
        number_after("4★"),
        number_after("5★"),
    ]
}

fn ranks(summary: &Value) -> [u64; 6] {
    std::array::from_fn(|s| summary["ranks"][s.to_string()].as_u64().unwrap())
}

#[test]
fn summary_counts_equal_the_batch_counts() {
    let dossiers = corpus(130);
    let mut input = jsonl(&dossiers);
    input.push_str("\n{not json\n");
    let (full, stderr) = run(&["batch"], input.as_bytes());
    let (lines, stderr_lines) = run(&["batch", "--summary", "--jobs", "2"], input.as_bytes());
    let counts = batch_counts(&stderr);
    assert_eq!(counts, batch_counts(&stderr_lines));
    assert!(counts[0] > 0 && counts[3] > 0, "{stderr}");
    for results in [&full, &lines] {
        let (json, _) = run(
            &["summary", "--by", "district", "--format", "json"],
            results.as_bytes(),
        );
        let s: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(ranks(&s), counts, "{stderr}");
        assert_eq!(s["records"], 131);
        assert_eq!(s["scored"], 130);
        assert_eq!(s["errors"], 1);
        assert_eq!(s["error_codes"]["invalid-json"], 1);
        assert_eq!(
            s["disqualified"].as_array().unwrap().len() as u64,
            counts[0]
        );
        let at_least_3: u64 = counts[3..].iter().sum();
        assert_eq!(s["three_or_more"]["count"], at_least_3);
        assert_eq!(s["three_or_more"]["of"], 130);
        // Four communes, their counts adding up to the whole.
        let groups = s["groups"].as_array().unwrap();
        assert_eq!(groups.len(), 4, "{groups:?}");
        assert_eq!(groups[0]["key"], "83-28756");
        for stars in 0..=5 {
            let sum: u64 = groups
                .iter()
                .map(|g| g["ranks"][stars.to_string()].as_u64().unwrap())
                .sum();
            assert_eq!(sum, counts[stars]);
        }
    }
    // Full assessments name the rule and the marks; summary lines cannot.
    let (json, _) = run(&["summary", "--format", "json"], full.as_bytes());
    let s: Value = serde_json::from_str(&json).unwrap();
    let d = &s["disqualified"][0];
    assert_eq!(d["kind"], "dossier");
    assert_eq!(d["reason"], "Giả mạo hồ sơ");
    assert!(d["product"]["code"].as_str().unwrap().starts_with("83-"));
    // Proposed: the province's outcome proposes, or 5★ without an outcome.
    let proposed = s["proposed_central"].as_array().unwrap();
    let expected = dossiers
        .iter()
        .filter(|d| ocop::assess(d).unwrap().stars == 5)
        .count();
    assert_eq!(proposed.len(), expected);
    let costly: u64 = s["unmet_marks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["count"].as_u64().unwrap())
        .sum();
    let below: usize = dossiers
        .iter()
        .map(|d| ocop::assess(d).unwrap())
        .filter(|a| a.disqualified.is_none() && a.stars < a.band_stars)
        .map(|a| a.unmet_marks.len())
        .sum();
    assert_eq!(costly, below as u64);
}

#[test]
fn summary_lines_carry_the_product_name_code_and_producer() {
    let dossiers = corpus(3);
    let (lines, _) = run(&["batch", "--summary"], jsonl(&dossiers).as_bytes());
    let first: Value = serde_json::from_str(lines.lines().next().unwrap()).unwrap();
    assert_eq!(first["product"]["name"], "Sản phẩm 0");
    assert_eq!(first["product"]["code"], "83-28756-001-2026");
    assert_eq!(first["product"]["producer"], "HTX 0");
    // The fields before it keep their order.
    let keys: Vec<&String> = first.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "line",
            "id",
            "edition",
            "sheet",
            "total",
            "parts",
            "band_stars",
            "stars",
            "unmet_marks",
            "product"
        ]
    );
    // No product, no key.
    let mut bare = dossiers[1].clone();
    bare.product = None;
    let (lines, _) = run(
        &["batch", "--summary"],
        serde_json::to_string(&bare).unwrap().as_bytes(),
    );
    assert!(!lines.contains("\"product\""), "{lines}");
}

#[test]
fn the_share_is_exact_and_the_target_is_checked_on_the_fraction() {
    let line = |n: usize, stars: u8| {
        Record::from_value(serde_json::json!({
            "line": n, "edition": "26-2026", "sheet": "hoa", "total": "60",
            "parts": {}, "band_stars": stars.max(1), "stars": stars, "unmet_marks": 0
        }))
        .unwrap()
    };
    let records = vec![line(1, 3), line(2, 4), line(3, 3), line(4, 5), line(5, 2)];
    let s = Summary::build(records.clone(), Options::default()).unwrap();
    assert_eq!(s.three_or_more.count, 4);
    assert_eq!(s.three_or_more.of, 5);
    assert_eq!(s.three_or_more.share.unwrap().to_string(), "0.8");
    assert!(s.target.met, "4 of 5 is exactly 80%");
    let strict = Options {
        by: Some(By::Sheet),
        target: "0.81".parse().unwrap(),
    };
    let s = Summary::build(records, strict).unwrap();
    assert!(!s.target.met);
    assert_eq!(s.groups[0].label, "23. Hoa");
    let third =
        Summary::build(vec![line(1, 3), line(2, 1), line(3, 1)], Options::default()).unwrap();
    assert_eq!(third.three_or_more.share.unwrap().to_string(), "0.3333");
    // A line that is no result is an error naming it, not a dropped record.
    let err =
        ocop::summary::read_results("{\"line\":1,\"error\":{\"code\":\"x\"}}\n[1]\n").unwrap_err();
    assert!(err.to_string().contains("results line 2"), "{err}");
}

#[test]
fn a_stored_assessment_file_is_a_result() {
    let (json, _) = run(&["score", "examples/dossier.json", "--format", "json"], b"");
    let (summary, _) = run(
        &["summary", "--by", "group", "--format", "json"],
        json.as_bytes(),
    );
    let s: Value = serde_json::from_str(&summary).unwrap();
    assert_eq!(s["records"], 1);
    assert_eq!(s["ranks"]["3"], 1);
    assert_eq!(s["groups"][0]["key"], "I. Sản phẩm thực phẩm");
}

/// Headless Chromium: the page's DOM, and a screenshot in
/// `target/screenshots/<name>.png` to look at. `None` (skipped) without
/// chromium, unless `CI` is set, when the test fails.
pub(super) fn render(html: &str, name: &str) -> Option<String> {
    let chromium = std::process::Command::new("chromium")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !super::needs(chromium, "chromium (headless browser)") {
        return None;
    }
    let dir = std::env::temp_dir().join(format!("ocop-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let page = dir.join(format!("{name}.html"));
    std::fs::write(&page, html).unwrap();
    let shots = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let browser = |extra: &[String]| {
        std::process::Command::new("chromium")
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ])
            .arg(format!("--user-data-dir={}", dir.join("profile").display()))
            .args(extra)
            .arg(format!("file://{}", page.display()))
            .output()
            .expect("chromium runs")
    };
    let dom = browser(&["--dump-dom".to_string()]);
    let shot = shots.join(format!("{name}.png"));
    let _ = std::fs::remove_file(&shot);
    let out = browser(&[
        format!("--screenshot={}", shot.display()),
        "--window-size=1000,1414".to_string(),
        "--hide-scrollbars".to_string(),
    ]);
    assert!(
        shot.metadata().is_ok_and(|m| m.len() > 1000),
        "no screenshot: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8_lossy(&dom.stdout).into_owned())
}

/// The text of the element carrying `data-field="name"` in a DOM.
pub(super) fn field(dom: &str, name: &str) -> Option<String> {
    let marker = format!("data-field=\"{name}\"");
    let at = dom.find(&marker)?;
    let rest = &dom[at..];
    let start = rest.find('>')? + 1;
    let end = rest[start..].find('<')? + start;
    Some(rest[start..end].to_string())
}

#[test]
fn browser_renders_the_summary_with_the_json_counts() {
    let dossiers = corpus(78);
    let (full, _) = run(&["batch"], jsonl(&dossiers).as_bytes());
    let records = ocop::summary::read_results(&full).unwrap();
    let options = Options {
        by: Some(By::Group),
        ..Options::default()
    };
    let s = Summary::build(records, options).unwrap();
    let html = ocop::summary::html(&s);
    assert!(!html.contains("<script"), "no JavaScript");
    assert!(html.contains("<svg"), "charts as inline SVG");
    let Some(dom) = render(&html, "summary") else {
        return;
    };
    let json = serde_json::to_value(&s).unwrap();
    for stars in 0..=5u8 {
        assert_eq!(
            field(&dom, &format!("rank-{stars}")).unwrap(),
            json["ranks"][stars.to_string()].to_string()
        );
    }
    assert_eq!(field(&dom, "scored").unwrap(), json["scored"].to_string());
    for (i, group) in s.groups.iter().enumerate() {
        assert_eq!(field(&dom, &format!("group-{i}")).unwrap(), group.label);
        for stars in 0..=5u8 {
            assert_eq!(
                field(&dom, &format!("group-{i}-rank-{stars}")).unwrap(),
                group.ranks.get(stars).to_string()
            );
        }
    }
    assert_eq!(
        field(&dom, "proposed-central").unwrap(),
        s.proposed_central.len().to_string()
    );
}
