//! The forms of Phụ lục III (issue 14) and the product code check.

use ocop::Dossier;
use ocop::dossier::Registration;
use ocop::forms::{FormData, FormNumber, product_code_warning};

fn dossier() -> Dossier {
    let mut d =
        Dossier::from_json(&std::fs::read_to_string("examples/dossier.json").unwrap()).unwrap();
    d.kind = Some(Registration::Upgrade);
    d.filed_on = Some(jiff::civil::date(2026, 6, 3));
    d
}

/// A council that differs from the producer `own` on criterion 1.1 alone:
/// the dossier assessed again with that criterion at `option`.
fn council_on_1_1(own: &Dossier, option: u16) -> ocop::Assessment {
    let mut council = own.clone();
    council
        .answers_mut()
        .unwrap()
        .insert("1.1".to_string(), ocop::dossier::Answer::Option(option));
    ocop::assess(&council).unwrap()
}

#[test]
fn product_codes_are_checked_against_the_printed_format() {
    let e26 = ocop::edition("26-2026").unwrap();
    let e1048 = ocop::edition("1048-2019").unwrap();
    let e781 = ocop::edition("781-2020").unwrap();
    let e148 = ocop::edition("148-2023").unwrap();
    assert_eq!(product_code_warning(e26, "83-28756-001-2026"), None);
    assert_eq!(product_code_warning(e26, " 83 - 28756 - 1 - 2026 "), None);
    assert_eq!(product_code_warning(e1048, "83-832-28-2022"), None);
    assert_eq!(product_code_warning(e781, "83-832-28-2022"), None);
    // A district code under 26/2026, a commune code under 1048/2019.
    let w = product_code_warning(e26, "83-832-001-2026").unwrap();
    assert!(
        w.contains("(T)-(X)-(STT)") && w.contains("commune code (X)"),
        "{w}"
    );
    let w = product_code_warning(e1048, "83-28756-001-2022").unwrap();
    assert!(w.contains("(T)-(H)-(STT)") && w.contains("Mã huyện"), "{w}");
    // Bến Tre's five-part codes of 2022 do not match the printed format.
    assert!(product_code_warning(e1048, "83-832-28882-2-2022").is_some());
    assert!(product_code_warning(e26, "83-28756-001-26").is_some());
    assert!(product_code_warning(e26, "AB-28756-001-2026").is_some());
    // 148/2023 prints no format (as the crate holds it): no warning.
    assert_eq!(product_code_warning(e148, "anything"), None);
}

#[test]
fn registration_slip_is_filled_from_the_dossier() {
    let data = FormData::from_dossier(&dossier()).unwrap();
    assert!(data.warnings.is_empty(), "{:?}", data.warnings);
    let md = ocop::forms::markdown(FormNumber::Registration, &data);
    assert!(md.contains("**Bưởi da xanh Mỹ Thạnh**"), "{md}");
    assert!(md.contains("**HTX Nông nghiệp Mỹ Thạnh**"));
    assert!(
        md.contains("Lần đầu □ Nâng hạng: ☑ Đánh giá lại: □"),
        "{md}"
    );
    assert!(md.contains("/PĐK- **83** - **28756** - **2026**"), "{md}");
    assert!(
        md.contains("I. Sản phẩm thực phẩm; 1. Thực phẩm tươi sống; a. Rau, củ, quả, hạt tươi")
    );
    // Blank: dotted lines and the placeholders as printed.
    let blank = ocop::forms::markdown(FormNumber::Registration, &FormData::default());
    assert!(blank.contains("Phiếu số: ……-……. /PĐK- (Mã tỉnh) - (Mã xã) - (Năm)"));
    assert!(blank.contains("- Tên đơn vị: ……"));
    assert!(blank.contains("Lần đầu □ Nâng hạng: □ Đánh giá lại: □"));
    for form in FormNumber::ALL {
        let html = ocop::forms::html(form, &FormData::default());
        assert!(!html.contains("<script"));
        assert!(html.contains(form.title()) || form == FormNumber::CommuneReport);
    }
}

#[test]
fn self_assessment_shows_where_the_council_differs() {
    let own = dossier();
    let council = council_on_1_1(&own, 1);
    let s = ocop::forms::self_assess(&own, Some(&council)).unwrap();
    let figures = s.council.as_ref().unwrap();
    assert_eq!(figures.criteria_differing, 1);
    let line = s.criteria.iter().find(|c| c.criterion == "1.1").unwrap();
    assert_eq!(line.option, Some(2));
    assert_eq!(line.council_option, Some(1));
    assert!(line.difference.unwrap().is_sign_negative());
    assert_eq!(figures.difference, (council.total - s.total).normalize());
    // Another sheet is not this dossier's council.
    let other = ocop::assess(
        &super::corpus::generate(ocop::edition("26-2026").unwrap(), 2, 1)
            .nth(1)
            .unwrap(),
    )
    .unwrap();
    let err = ocop::forms::self_assess(&own, Some(&other)).unwrap_err();
    assert_eq!(err.code(), "invalid-field");
}

#[test]
fn cli_forms_and_self_assess() {
    let out = super::cli::ocop_bytes(
        &[
            "form",
            "01",
            "--dossier",
            "examples/dossier.json",
            "--format",
            "md",
        ],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Bưởi da xanh Mỹ Thạnh"));
    let out = super::cli::ocop_bytes(&["form", "04"], None);
    assert!(!out.status.success());
    let out = super::cli::ocop_bytes(
        &[
            "self-assess",
            "examples/dossier.json",
            "--council",
            "examples/dossier.json",
            "--format",
            "json",
        ],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["self_assessment"]["council"]["criteria_differing"], 0);
    assert_eq!(v["self_assessment"]["total"], "67");
}

#[test]
fn browser_renders_the_forms_with_the_dossier_data() {
    let own = dossier();
    let council = council_on_1_1(&own, 1);
    let mut data = FormData::from_dossier(&own).unwrap();
    data.self_assessment = Some(ocop::forms::self_assess(&own, Some(&council)).unwrap());
    for form in FormNumber::ALL {
        let html = ocop::forms::html(form, &data);
        let name = format!("form-{}", form.number());
        let Some(dom) = super::summary::render(&html, &name) else {
            return;
        };
        let field = |n: &str| super::summary::field(&dom, n);
        assert_eq!(
            field("producer").unwrap(),
            "HTX Nông nghiệp Mỹ Thạnh",
            "{name}"
        );
        match form {
            FormNumber::Registration => {
                assert_eq!(field("product").unwrap(), "Bưởi da xanh Mỹ Thạnh");
                assert_eq!(field("slip-province").unwrap(), "83");
                assert_eq!(field("slip-commune").unwrap(), "28756");
                assert_eq!(field("slip-year").unwrap(), "2026");
                assert_eq!(field("received").unwrap(), "03/06/2026");
                assert!(
                    dom.contains("Nâng hạng: <span class=\"box\" data-checked=\"true\">☑</span>")
                );
                assert!(dom.contains("PHIẾU ĐĂNG KÝ"));
            }
            FormNumber::SelfAssessment => {
                let s = data.self_assessment.as_ref().unwrap();
                assert_eq!(field("self-total").unwrap(), ocop::report::points(s.total));
                assert_eq!(
                    field("council-total").unwrap(),
                    ocop::report::points(council.total)
                );
                assert_eq!(field("criteria-differing").unwrap(), "1");
                assert!(
                    field("self-1.1")
                        .unwrap()
                        .starts_with(&ocop::report::points(
                            s.criteria
                                .iter()
                                .find(|c| c.criterion == "1.1")
                                .unwrap()
                                .points
                        ))
                );
                assert!(dom.contains("BÁO CÁO TỰ ĐÁNH GIÁ VỀ SẢN PHẨM"));
            }
            FormNumber::CommuneReport => {
                assert_eq!(field("product").unwrap(), "Bưởi da xanh Mỹ Thạnh");
                assert!(dom.contains("T.M ỦY BAN NHÂN DÂN XÃ...."));
            }
        }
    }
}

/// The number of `|` in a Markdown line that are not escaped: cell borders.
fn borders(line: &str) -> usize {
    let mut count = 0;
    let mut escaped = false;
    for c in line.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '|' if !escaped => count += 1,
            _ => escaped = false,
        }
    }
    count
}

#[test]
fn hostile_names_are_escaped_and_score_rows_fill_every_column() {
    let mut own = dossier();
    let product = own.product.as_mut().unwrap();
    product.name = Some("Bưởi <script>x</script> | *b* `c` \n# h \u{202e}evil\u{7}".to_string());
    product.producer = Some("HTX | <b>\u{202e}</b>".to_string());
    product.code = Some("83-<i>-\u{202e}-2026".to_string());
    let council = council_on_1_1(&own, 3);
    let mut data = FormData::from_dossier(&own).unwrap();
    assert_eq!(data.warnings.len(), 1, "{:?}", data.warnings);
    data.self_assessment = Some(ocop::forms::self_assess(&own, Some(&council)).unwrap());
    for form in FormNumber::ALL {
        let html = ocop::forms::html(form, &data);
        let md = ocop::forms::markdown(form, &data);
        for page in [&html, &md] {
            assert!(
                !page.contains('\u{202e}') && !page.contains('\u{7}'),
                "{page}"
            );
            assert!(page.contains("\\u{202e}"), "{page}");
        }
        assert!(
            !html.contains("<script") && !html.contains("<b>\\u"),
            "{html}"
        );
        assert!(
            !md.replace("\\<", "").contains("<script") && md.contains("\\<script\\>"),
            "{md}"
        );
        assert!(!md.contains("\n# h"), "{md}");
    }
    // Mẫu 02 with a council: a header, a rule and every row of the score
    // table have the six columns' seven borders.
    let md = ocop::forms::markdown(FormNumber::SelfAssessment, &data);
    let head = md.find("| Tiêu chí |").unwrap();
    let table: Vec<&str> = md[head..]
        .lines()
        .take_while(|l| l.starts_with('|'))
        .collect();
    let s = data.self_assessment.as_ref().unwrap();
    assert_eq!(table.len(), s.criteria.len() + 3);
    for line in &table {
        assert_eq!(borders(line), 7, "{line}");
    }
    assert!(
        table[2].starts_with("| 1.1 |") && table[2].ends_with("| +1 |"),
        "{}",
        table[2]
    );
    let html = ocop::forms::html(FormNumber::SelfAssessment, &data);
    assert!(html.contains("<td class=\"n\" data-field=\"difference-1.1\">+1</td>"));
    assert!(html.contains("<span data-field=\"council-total\">"));
}
