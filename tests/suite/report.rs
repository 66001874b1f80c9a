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

/// Renders the report in headless Chromium and reads the figures back from the DOM.
/// Needs `chromium` on the PATH (Debian's package): without it the test fails
/// when `CI` is set (.ci/run sets it) and is skipped with a message otherwise.
#[test]
fn browser_renders_the_report_with_the_json_figures() {
    let chromium = std::process::Command::new("chromium")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !super::needs(chromium, "chromium (headless browser)") {
        return;
    }
    let a = ocop::assess(&council()).unwrap();
    let json = serde_json::to_value(&a).unwrap();
    let dir = std::env::temp_dir().join(format!("ocop-browser-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let page = dir.join("report.html");
    std::fs::write(&page, ocop::report::assessment_html(&a)).unwrap();
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
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg(format!(
            "--print-to-pdf={}",
            dir.join("report.pdf").display()
        ))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&output.stdout);
    let f = fields(&dom);
    assert!(
        !f.is_empty(),
        "no figures in the rendered DOM: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let get = |name: &str| {
        f.iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap()
    };
    let two = |v: &serde_json::Value| ocop::report::points(v.as_str().unwrap().parse().unwrap());
    assert_eq!(get("total"), two(&json["total"]));
    for part in json["parts"].as_array().unwrap() {
        assert_eq!(
            get(&format!("part-{}", part["id"].as_str().unwrap())),
            two(&part["points"])
        );
    }
    assert!(
        dir.join("report.pdf")
            .metadata()
            .map(|m| m.len() > 1000)
            .unwrap_or(false)
    );
}
