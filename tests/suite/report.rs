//! Reports and blank forms: content, escaping, and (opt-in) a real browser.

use ocop::Dossier;

fn council() -> Dossier {
    Dossier::from_json(&std::fs::read_to_string("examples/council.json").unwrap()).unwrap()
}

/// Every `data-field="…"` figure of a rendered report.
fn fields(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for piece in html.split("data-field=\"").skip(1) {
        let (name, rest) = piece.split_once('"').unwrap();
        let value = rest.split_once('>').unwrap().1.split_once('<').unwrap().0;
        out.push((name.to_string(), value.to_string()));
    }
    out
}

#[test]
fn html_report_shows_the_figures_of_the_assessment() {
    let a = ocop::assess(&council()).unwrap();
    let html = ocop::report::assessment_html(&a);
    let f = fields(&html);
    let get = |name: &str| {
        f.iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap()
    };
    assert_eq!(get("total"), "69.67");
    assert_eq!(get("part-A"), "40");
    assert_eq!(get("member-total-1"), "69");
    assert!(html.contains("data-value=\"3\""));
    assert!(!html.contains("http://") && !html.contains("https://") && !html.contains("<script"));
    assert!(html.contains("@page{size:A4"));
}

#[test]
fn dossier_text_is_escaped() {
    let mut dossier = council();
    let product = dossier.product.as_mut().unwrap();
    product.name = Some("<script>alert('x')</script> & \"Bún\"".into());
    dossier.members_mut().unwrap()[0].member = "<img src=x onerror=alert(1)>".into();
    let a = ocop::assess(&dossier).unwrap();
    let html = ocop::report::assessment_html(&a);
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(!html.contains("<img"));
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Bún&quot;"));
    let md = ocop::report::assessment_markdown(&a);
    assert!(md.contains("\\<script\\>"));
}

#[test]
fn bidi_overrides_and_controls_in_dossier_text_are_shown_escaped() {
    let mut dossier = council();
    let product = dossier.product.as_mut().unwrap();
    product.name = Some("Bưởi \u{202e}ihp\u{202c} \u{1b}31m".into());
    product.code = Some("A\u{7}\u{85}\u{2066}B".into());
    dossier.members_mut().unwrap()[0].member = "An\u{200f}\u{61c}\u{0}".into();
    let a = ocop::assess(&dossier).unwrap();
    for (format, text) in [
        ("html", ocop::report::assessment_html(&a)),
        ("md", ocop::report::assessment_markdown(&a)),
    ] {
        let raw: Vec<char> = text
            .chars()
            .filter(|&c| ocop::error::is_unsafe_char(c) && c != '\n')
            .collect();
        assert!(raw.is_empty(), "{format}: raw {raw:?}");
        for escaped in [
            "\\u{202e}ihp\\u{202c}",
            "\\u{1b}31m",
            "A\\u{7}\\u{85}\\u{2066}B",
            "An\\u{200f}\\u{61c}\\u{0}",
        ] {
            assert!(text.contains(escaped), "{format}: no {escaped}");
        }
    }
}

#[test]
fn report_reads_an_assessment_too() {
    let a = ocop::assess(&council()).unwrap();
    let value = serde_json::to_value(&a).unwrap();
    let again = ocop::report::load(&value).unwrap();
    assert_eq!(again.total, a.total);
    let md = ocop::report::assessment_markdown(&again);
    assert!(md.contains("| Trần Thị Bình | 69 | 3★ | 3★ |"), "{md}");
    assert!(md.contains("**69.67**"));
}

#[test]
fn blank_form_has_every_option_the_marks_and_the_signature() {
    let edition = ocop::edition("26-2026").unwrap();
    for sheet in edition.sheets() {
        let html = ocop::report::blank_sheet_html(edition, sheet);
        let md = ocop::report::blank_sheet_markdown(edition, sheet);
        for criterion in sheet.criteria() {
            for option in criterion.options() {
                assert!(
                    html.contains(&ocop::report::escape(option.text())),
                    "{} {}",
                    sheet.key(),
                    criterion.id()
                );
            }
        }
        let boxes = sheet.criteria().map(|c| c.options().len()).sum::<usize>();
        assert_eq!(html.matches("□</span>").count(), boxes, "{}", sheet.key());
        assert_eq!(md.matches("| □ ").count(), boxes, "{}", sheet.key());
        assert!(html.contains("NGƯỜI ĐÁNH GIÁ") && html.contains("Ý kiến của người đánh giá"));
        assert!(html.contains("TỔNG CỘNG</td><td class=\"n\">100</td>"));
        if sheet.number() < 26 {
            assert!(html.contains("Dấu sao là yêu cầu tối thiểu"));
        }
    }
}

/// The stopped dossier of the issue: sheet 16 of 26-2026 at its best options
/// but 6.1 = 1 ("Có tạp chất", 0 points), whose stop rule ends the evaluation.
fn stopped() -> Dossier {
    let text = std::fs::read_to_string(
        "tests/fixtures/26-2026/16-nuoc-khoang-thien-nhien-nuoc-uong-dong-chai.json",
    )
    .unwrap();
    let json: String = text
        .lines()
        .filter(|l| !l.starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let cases: serde_json::Value = serde_json::from_str(&json).unwrap();
    let mut dossier = cases[0]["dossier"].clone();
    dossier["answers"]["6.1"] = 1.into();
    dossier["level"] = "province".into();
    dossier["product"] =
        serde_json::json!({"name": "Nước khoáng Suối Ngọc", "producer": "Công ty Suối Ngọc"});
    Dossier::from_value(&dossier).unwrap()
}

fn single() -> Dossier {
    Dossier::from_json(&std::fs::read_to_string("examples/dossier.json").unwrap()).unwrap()
}

#[test]
fn markdown_and_html_say_the_same_things() {
    for a in [
        ocop::assess(&council()).unwrap(),
        ocop::assess(&single()).unwrap(),
        ocop::assess(&stopped()).unwrap(),
    ] {
        let html = ocop::report::assessment_html(&a);
        let md = ocop::report::assessment_markdown(&a);
        for words in [
            "Kết quả đánh giá, phân hạng sản phẩm OCOP",
            "THƯ KÝ HỘI ĐỒNG",
            "CHỦ TỊCH HỘI ĐỒNG",
            "(Ký, ghi rõ họ tên)",
            "ngày …… tháng …… năm ……",
            "Phương án đã chọn",
            "Dấu sao",
        ] {
            assert!(html.contains(words) && md.contains(words), "{words}");
        }
        if a.council.is_some() {
            assert!(html.contains("(3 thành viên)") && md.contains("(3 thành viên)"));
        }
        for line in &a.criteria {
            assert!(
                html.contains(&format!("data-field=\"criterion-{}\"", line.id)),
                "{}",
                line.id
            );
        }
    }
}

#[test]
fn a_stopped_dossier_says_which_rule_stopped_it() {
    let a = ocop::assess(&stopped()).unwrap();
    assert_eq!(a.stars, 0);
    let html = ocop::report::assessment_html(&a);
    let md = ocop::report::assessment_markdown(&a);
    for text in [&html, &md] {
        assert!(text.contains("dừng đánh giá, tiêu chí 6.1"), "{text}");
        assert!(text.contains("không xếp hạng"));
        assert!(text.contains("Kết quả xử lý"));
    }
    // 7, 8, 9 and 10 are scored directly: the result says so.
    let direct: Vec<&str> = a
        .sections
        .iter()
        .filter(|s| s.direct)
        .map(|s| s.id.as_str())
        .collect();
    assert_eq!(direct, ["7", "8", "9", "10"]);
    let json = serde_json::to_value(&a).unwrap();
    assert_eq!(json["sections"][0].get("direct"), None);
    assert_eq!(json["sections"][6]["direct"], true);
}

#[test]
fn the_model_is_one_walk_for_every_printer() {
    use ocop::report::model::{Block, Chosen, Document};
    let a = ocop::assess(&council()).unwrap();
    let doc = Document::result(&a);
    // Every criterion's line once: a section scored directly carries its own.
    let lines: Vec<_> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Criterion(line) => Some(line),
            Block::Section(section) => section.line.as_ref(),
            _ => None,
        })
        .collect();
    assert_eq!(lines.len(), a.criteria.len());
    let ids: Vec<&str> = lines.iter().map(|l| l.id.as_str()).collect();
    let expected: Vec<&str> = a.criteria.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, expected);
    assert!(
        lines
            .iter()
            .any(|l| matches!(&l.chosen, Chosen::Members(o) if o.len() == 3))
    );
    let edition = ocop::edition("26-2026").unwrap();
    let sheet = edition.sheet("hoa").unwrap();
    let form = Document::form(edition, sheet);
    let choices = form
        .blocks
        .iter()
        .filter(|b| matches!(b, Block::Choice(_)))
        .count();
    assert_eq!(
        choices,
        sheet.criteria().map(|c| c.options().len()).sum::<usize>()
    );
}

/// Runs headless Chromium on a page with `args`; its standard output.
fn chromium(dir: &std::path::Path, page: &std::path::Path, args: &[String]) -> String {
    let output = std::process::Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(
        output.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Pages of a PDF that Chromium printed: its `/Type /Page` objects.
fn pdf_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    text.matches("/Type /Page").count() - text.matches("/Type /Pages").count()
}

/// Renders the reports of a single sheet, a council and a stopped dossier in
/// headless Chromium, reads the figures back from the DOM and compares them
/// with the JSON, takes A4-sized screenshots and prints each to PDF (1 to 3
/// pages). Needs `chromium` on the PATH (Debian's package): without it the
/// test fails when `CI` is set (.ci/run sets it) and is skipped with a message
/// otherwise. The PNGs and PDFs stay in `target/tmp/report-browser/`.
#[test]
fn browser_renders_the_report_with_the_json_figures() {
    let present = std::process::Command::new("chromium")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !super::needs(present, "chromium (headless browser)") {
        return;
    }
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-browser");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, dossier) in [
        ("single", single()),
        ("council", council()),
        ("stopped", stopped()),
    ] {
        let a = ocop::assess(&dossier).unwrap();
        let json = serde_json::to_value(&a).unwrap();
        let page = dir.join(format!("{name}.html"));
        std::fs::write(&page, ocop::report::assessment_html(&a)).unwrap();

        let dom = chromium(&dir, &page, &["--dump-dom".to_string()]);
        let f = fields(&dom);
        assert!(!f.is_empty(), "{name}: no figures in the rendered DOM");
        let get = |field: &str| {
            f.iter()
                .find(|(n, _)| n == field)
                .map(|(_, v)| v.clone())
                .unwrap_or_else(|| panic!("{name}: no {field} in the DOM"))
        };
        let two =
            |v: &serde_json::Value| ocop::report::points(v.as_str().unwrap().parse().unwrap());
        assert_eq!(get("total"), two(&json["total"]), "{name}");
        for part in json["parts"].as_array().unwrap() {
            let id = part["id"].as_str().unwrap();
            assert_eq!(get(&format!("part-{id}")), two(&part["points"]), "{name}");
        }
        for line in json["criteria"].as_array().unwrap() {
            let id = line["id"].as_str().unwrap();
            assert_eq!(
                get(&format!("criterion-{id}")),
                two(&line["points"]),
                "{name} {id}"
            );
        }
        for (field, key) in [("stars", "stars"), ("band-stars", "band_stars")] {
            assert!(
                dom.contains(&format!(
                    "data-field=\"{field}\" data-value=\"{}\"",
                    json[key]
                )),
                "{name}: {field}"
            );
        }
        if let Some(members) = json["council"]["members"].as_array() {
            for (i, m) in members.iter().enumerate() {
                assert_eq!(get(&format!("member-total-{i}")), two(&m["total"]));
            }
        }
        if name == "stopped" {
            assert!(dom.contains("dừng đánh giá, tiêu chí 6.1"));
        }

        let png = dir.join(format!("{name}.png"));
        chromium(
            &dir,
            &page,
            &[
                format!("--screenshot={}", png.display()),
                "--window-size=794,1123".to_string(),
            ],
        );
        let image = std::fs::read(&png).unwrap();
        assert!(
            image.starts_with(b"\x89PNG") && image.len() > 10_000,
            "{name}"
        );

        let pdf = dir.join(format!("{name}.pdf"));
        chromium(
            &dir,
            &page,
            &[
                "--no-pdf-header-footer".to_string(),
                format!("--print-to-pdf={}", pdf.display()),
            ],
        );
        let pages = pdf_pages(&std::fs::read(&pdf).unwrap());
        assert!((1..=3).contains(&pages), "{name}: {pages} pages");
        eprintln!(
            "{name}: {} ({pages} pages), {}",
            pdf.display(),
            png.display()
        );
    }
}
