//! Reports for people: the one-page result a council secretary prints, and the
//! blank scoring form ("phiếu đánh giá") council members fill in on paper.
//!
//! Both come as Markdown and as self-contained HTML (inline CSS, no external
//! assets, A4 print layout). Every text that comes from a dossier is escaped.

use std::fmt::Write;

use rust_decimal::Decimal;
use serde_json::Value;

use crate::assess::{Assessment, assess_with};
use crate::dossier::Dossier;
use crate::error::Error;
use crate::rubric::{CertificateKind, Criterion, Edition, Sheet};

/// Reads what `ocop report` is given: a dossier (scored now), or an assessment
/// written by `ocop score --format json` (re-scored from the dossier and
/// policies it records, so the report always shows figures this crate stands by).
pub fn load(value: &Value) -> Result<Assessment, Error> {
    if value.get("edition_hash").is_some() {
        let dossier = value.get("dossier").ok_or_else(|| Error::InvalidField {
            field: "dossier".to_string(),
            value: "nothing (the field is missing)".to_string(),
            expected: "an assessment that records its dossier".to_string(),
        })?;
        let options = crate::verify::options_of(value.get("policies").unwrap_or(&Value::Null))?;
        return assess_with(&Dossier::from_value(dossier)?, options);
    }
    crate::assess(&Dossier::from_value(value)?)
}

/// Escapes text for HTML element content and attribute values. Controls
/// (but line breaks and tabs) and bidirectional overrides and isolates are
/// shown as escapes (`\u{202e}`), so a product name cannot reorder or hide
/// the text around it.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\r' | '\t' => out.push(c),
            c if crate::error::is_unsafe_char(c) => visible(&mut out, c),
            _ => out.push(c),
        }
    }
    out
}

/// An unsafe character as its visible escape, e.g. `\u{202e}`.
fn visible(out: &mut String, c: char) {
    out.push_str(&crate::error::escape_controls(c.encode_utf8(&mut [0; 4])));
}

/// Escapes text for a Markdown table cell or line.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' | '\\' | '*' | '_' | '`' | '<' | '>' | '[' | ']' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c if crate::error::is_unsafe_char(c) => visible(&mut out, c),
            _ => out.push(c),
        }
    }
    out
}

/// A decimal as printed for people: at most two places.
pub fn points(value: Decimal) -> String {
    value
        .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        .normalize()
        .to_string()
}

fn stars(rank: u8) -> String {
    match rank {
        0 => "không xếp hạng (no rank)".to_string(),
        n => format!("{n} sao ({})", "★".repeat(usize::from(n))),
    }
}

fn certificate(kind: CertificateKind) -> &'static str {
    match kind {
        CertificateKind::None => "không cấp giấy chứng nhận",
        CertificateKind::Province => "UBND cấp tỉnh công nhận",
        CertificateKind::Ministry => "Bộ công nhận",
    }
}

/// The rows every report shows, as (label, value) text.
fn summary(a: &Assessment) -> Vec<(&'static str, String)> {
    let mut rows = Vec::new();
    if let Some(product) = &a.product {
        if let Some(name) = &product.name {
            rows.push(("Tên sản phẩm (product)", name.clone()));
        }
        if let Some(code) = &product.code {
            rows.push(("Mã số sản phẩm (code)", code.clone()));
        }
        if let Some(producer) = &product.producer {
            rows.push(("Chủ thể (producer)", producer.clone()));
        }
    }
    rows.push((
        "Bộ sản phẩm (sheet)",
        format!("{}. {} ({})", a.sheet_number, a.sheet_title, a.sheet),
    ));
    rows.push((
        "Bộ tiêu chí (edition)",
        format!("{} — QĐ {}", a.edition, a.decision),
    ));
    rows.push(("Mã dữ liệu (rubric hash)", a.edition_hash.clone()));
    rows
}

/// The one-page result, as Markdown.
pub fn assessment_markdown(a: &Assessment) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Kết quả đánh giá, phân hạng sản phẩm OCOP\n");
    for (label, value) in summary(a) {
        let _ = writeln!(out, "- **{label}:** {}", md(&value));
    }
    if let Some(council) = &a.council {
        let _ = writeln!(
            out,
            "\n## Điểm của thành viên hội đồng ({} members)\n",
            council.size
        );
        let _ = writeln!(
            out,
            "| Thành viên | Tổng điểm | Hạng theo điểm | Hạng |\n|---|---:|---|---|"
        );
        for m in &council.members {
            let _ = writeln!(
                out,
                "| {} | {} | {}★ | {}★ |",
                md(m.member.as_deref().unwrap_or("")),
                points(m.total),
                m.band_stars,
                m.stars
            );
        }
        if let Some(spread) = &council.spread {
            let _ = writeln!(
                out,
                "\nChênh lệch (spread): {} points, limit {}: {}",
                points(spread.difference),
                points(spread.limit),
                if spread.tripped {
                    "**exceeded: the council should re-score**"
                } else {
                    "within the limit"
                }
            );
        }
    }
    let _ = writeln!(
        out,
        "\n## Điểm theo phần\n\n| Phần | Điểm | Tối đa |\n|---|---:|---:|"
    );
    for part in &a.parts {
        let _ = writeln!(
            out,
            "| {}: {} | {} | {} |",
            part.id,
            md(&part.title),
            points(part.points),
            points(part.max)
        );
    }
    let label = if a.council.is_some() {
        "Tổng điểm trung bình (mean)"
    } else {
        "Tổng điểm"
    };
    let _ = writeln!(
        out,
        "| **{label}** | **{}** | {} |",
        points(a.total),
        points(a.max)
    );
    let _ = writeln!(
        out,
        "\n- **Hạng theo thang điểm (band):** {}",
        stars(a.band_stars)
    );
    let _ = writeln!(
        out,
        "- **Hạng (final rank):** {} — {}",
        stars(a.stars),
        certificate(a.certificate)
    );
    if let Some(d) = &a.disqualified {
        let _ = writeln!(
            out,
            "- **Hồ sơ bị loại (disqualified):** {}",
            md(&disqualified_line(d))
        );
    }
    if !a.unmet_marks.is_empty() {
        let _ = writeln!(
            out,
            "\n## Tiêu chí chưa đạt mức tối thiểu (unmet star marks)\n"
        );
        let _ = writeln!(
            out,
            "| Tiêu chí | Hạng | Yêu cầu | Cần | Có |\n|---|---|---|---:|---:|"
        );
        for m in &a.unmet_marks {
            let _ = writeln!(
                out,
                "| {} | {}★ | {} | {} | {} |",
                md(&m.criterion),
                m.min_stars,
                md(&m.option_text),
                points(m.required),
                points(m.actual)
            );
        }
    }
    if !a.warnings.is_empty() {
        let _ = writeln!(out, "\n## Lưu ý (warnings)\n");
        for w in &a.warnings {
            let _ = writeln!(out, "- {}", md(w));
        }
    }
    let _ = writeln!(
        out,
        "\n_Policies: bands {}, rounding {}, star marks {}. {}._",
        a.policies.band_policy,
        a.policies.rounding,
        a.policies.gate_reading,
        md(&a.engine)
    );
    out
}

const STYLE: &str = "@page{size:A4;margin:14mm}\
body{font-family:'Times New Roman',serif;font-size:11pt;color:#000;max-width:182mm;margin:0 auto}\
h1{font-size:15pt;text-align:center;margin:0 0 8pt}h2{font-size:12pt;margin:10pt 0 4pt}\
table{border-collapse:collapse;width:100%;margin:4pt 0}th,td{border:1px solid #000;padding:2pt 4pt;vertical-align:top}\
th{background:#eee}td.n{text-align:right;white-space:nowrap}.meta td{border:none;padding:1pt 4pt}\
.rank{font-size:13pt;font-weight:bold}.warn{font-size:9.5pt}.small{font-size:9pt;color:#333}\
.part td{font-weight:bold;background:#f2f2f2}.section td{font-weight:bold}.box{font-family:sans-serif}\
.sign{display:flex;justify-content:flex-end;margin-top:16pt}.sign div{text-align:center;width:70mm;height:30mm}\
@media print{h2{break-after:avoid}tr{break-inside:avoid}}";

fn html_page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        escape(title)
    )
}

/// The one-page result, as self-contained HTML. Figures carry `data-field`
/// attributes so a program can read them back from the rendered page.
pub fn assessment_html(a: &Assessment) -> String {
    let mut b = String::new();
    let _ = writeln!(
        b,
        "<h1>Kết quả đánh giá, phân hạng sản phẩm OCOP</h1>\n<table class=\"meta\">"
    );
    for (label, value) in summary(a) {
        let _ = writeln!(
            b,
            "<tr><td>{}</td><td><b>{}</b></td></tr>",
            escape(label),
            escape(&value)
        );
    }
    let _ = writeln!(b, "</table>");
    if let Some(council) = &a.council {
        let _ = writeln!(
            b,
            "<h2>Điểm của thành viên hội đồng ({} thành viên)</h2>\n<table><tr><th>Thành viên</th><th>Tổng điểm</th><th>Hạng theo điểm</th><th>Hạng</th></tr>",
            council.size
        );
        for (i, m) in council.members.iter().enumerate() {
            let _ = writeln!(
                b,
                "<tr><td>{}</td><td class=\"n\" data-field=\"member-total-{i}\">{}</td><td>{}★</td><td>{}★</td></tr>",
                escape(m.member.as_deref().unwrap_or("")),
                points(m.total),
                m.band_stars,
                m.stars
            );
        }
        let _ = writeln!(b, "</table>");
        if let Some(spread) = &council.spread {
            let _ = writeln!(
                b,
                "<p>Chênh lệch giữa các thành viên (spread): <span data-field=\"spread\">{}</span> điểm, giới hạn {}: {}</p>",
                points(spread.difference),
                points(spread.limit),
                if spread.tripped {
                    "<b>vượt giới hạn, hội đồng cần chấm lại (exceeded)</b>"
                } else {
                    "trong giới hạn"
                }
            );
        }
    }
    let _ = writeln!(
        b,
        "<h2>Điểm theo phần</h2>\n<table><tr><th>Phần</th><th>Điểm</th><th>Tối đa</th></tr>"
    );
    for part in &a.parts {
        let _ = writeln!(
            b,
            "<tr><td>{}: {}</td><td class=\"n\" data-field=\"part-{}\">{}</td><td class=\"n\">{}</td></tr>",
            escape(&part.id),
            escape(&part.title),
            escape(&part.id),
            points(part.points),
            points(part.max)
        );
    }
    let label = if a.council.is_some() {
        "Tổng điểm trung bình"
    } else {
        "Tổng điểm"
    };
    let _ = writeln!(
        b,
        "<tr><td><b>{label}</b></td><td class=\"n\"><b data-field=\"total\">{}</b></td><td class=\"n\">{}</td></tr>\n</table>",
        points(a.total),
        points(a.max)
    );
    let _ = writeln!(
        b,
        "<p>Hạng theo thang điểm: <span data-field=\"band-stars\" data-value=\"{}\">{}</span></p>\n<p class=\"rank\">Hạng: <span data-field=\"stars\" data-value=\"{}\">{}</span> — {}</p>",
        a.band_stars,
        escape(&stars(a.band_stars)),
        a.stars,
        escape(&stars(a.stars)),
        escape(certificate(a.certificate))
    );
    if let Some(d) = &a.disqualified {
        let _ = writeln!(
            b,
            "<p><b>Hồ sơ bị loại:</b> {}</p>",
            escape(&disqualified_line(d))
        );
    }
    if !a.unmet_marks.is_empty() {
        let _ = writeln!(
            b,
            "<h2>Tiêu chí chưa đạt mức tối thiểu</h2>\n<table><tr><th>Tiêu chí</th><th>Hạng</th><th>Yêu cầu</th><th>Cần</th><th>Có</th></tr>"
        );
        for m in &a.unmet_marks {
            let _ = writeln!(
                b,
                "<tr><td>{}</td><td>{}★</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                escape(&m.criterion),
                m.min_stars,
                escape(&m.option_text),
                points(m.required),
                points(m.actual)
            );
        }
        let _ = writeln!(b, "</table>");
    }
    if !a.warnings.is_empty() {
        let _ = writeln!(b, "<h2>Lưu ý</h2>\n<ul class=\"warn\">");
        for w in &a.warnings {
            let _ = writeln!(b, "<li>{}</li>", escape(w));
        }
        let _ = writeln!(b, "</ul>");
    }
    let _ = writeln!(
        b,
        "<p class=\"small\">Bands {}, rounding {}, star marks {}. {}.</p>\n<div class=\"sign\"><div>THƯ KÝ HỘI ĐỒNG<br><i>(Ký, ghi rõ họ tên)</i></div></div>",
        escape(&a.policies.band_policy.to_string()),
        escape(&a.policies.rounding.to_string()),
        escape(&a.policies.gate_reading),
        escape(&a.engine)
    );
    let title = match a.product.as_ref().and_then(|p| p.name.as_deref()) {
        Some(name) => format!("OCOP: {name}"),
        None => format!("OCOP: {}", a.sheet_title),
    };
    html_page(&title, &b)
}

/// The blank scoring form of a sheet, as Markdown.
pub fn blank_sheet_markdown(edition: &Edition, sheet: &Sheet) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {}. Bộ sản phẩm: {}\n",
        sheet.number(),
        md(sheet.title())
    );
    let _ = writeln!(
        out,
        "_(Sản phẩm: {}{})_\n",
        md(sheet.group()),
        sheet
            .subgroup()
            .map(|s| format!(". Nhóm: {}", md(s)))
            .unwrap_or_default()
    );
    let _ = writeln!(
        out,
        "Bộ tiêu chí {} (QĐ {}); {}\n",
        edition.id(),
        md(edition.decision()),
        md(sheet.cite())
    );
    for blank in BLANKS {
        let _ = writeln!(out, "- {blank}: ……………………………………………");
    }
    if let Some(rule) = sheet.disqualified_when() {
        let _ = writeln!(out, "\n**Hồ sơ bị loại khi:** {}", md(rule));
    }
    let _ = writeln!(
        out,
        "\n| Các tiêu chí | Thang điểm | Điểm |\n|---|---:|---:|"
    );
    for part in sheet.parts() {
        let _ = writeln!(
            out,
            "| **{}** | **{}** | |",
            md(part.heading().unwrap_or(part.title())),
            points(part.max())
        );
        for section in part.sections() {
            let _ = writeln!(
                out,
                "| **{}. {}** | **{}** | |",
                md(section.id()),
                md(section.title()),
                points(section.max())
            );
            for criterion in section.criteria() {
                criterion_md(&mut out, criterion, section.is_direct());
            }
        }
    }
    let _ = writeln!(out, "| **TỔNG CỘNG** | **{}** | |", points(sheet.max()));
    if let Some(footnote) = edition.star_footnote() {
        let _ = writeln!(out, "\n_{}_", md(footnote));
    }
    let _ = writeln!(
        out,
        "\n**Ý kiến của người đánh giá:** …………………………………………………………\n\n**NGƯỜI ĐÁNH GIÁ** _(Ký, ghi rõ họ tên)_"
    );
    out
}

const BLANKS: [&str; 5] = [
    "Tên sản phẩm",
    "Mã số sản phẩm (T)-(X)-(STT)-20…",
    "Tên chủ thể sản xuất",
    "Số điện thoại",
    "Địa chỉ",
];

fn criterion_md(out: &mut String, criterion: &Criterion, direct: bool) {
    if !direct {
        let _ = writeln!(
            out,
            "| {}. {} | {} | |",
            md(criterion.id()),
            md(criterion.title()),
            points(criterion.max())
        );
    }
    for requirement in criterion.requirements() {
        let _ = writeln!(out, "| _Yêu cầu: {}_ | | |", md(requirement));
    }
    for note in criterion.notes() {
        let _ = writeln!(out, "| _{}_ | | |", md(note));
    }
    let mut case = None;
    for option in criterion.options() {
        if option.case() != case {
            case = option.case();
            if let Some(found) = criterion
                .cases()
                .iter()
                .find(|c| Some(c.id.as_str()) == case)
            {
                let _ = writeln!(out, "| _{}. {}_ | | |", md(&found.id), md(&found.title));
            }
        }
        let mark = option
            .min_stars()
            .map(|n| format!(" {}", "\\*".repeat(usize::from(n))))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "| □ {}{mark} | {} | |",
            md(option.text()),
            points(option.points())
        );
    }
    for child in criterion.children() {
        criterion_md(out, child, false);
    }
}

/// The blank scoring form of a sheet, as self-contained HTML for A4 paper.
pub fn blank_sheet_html(edition: &Edition, sheet: &Sheet) -> String {
    let mut b = String::new();
    let _ = writeln!(
        b,
        "<h1>{}. Bộ sản phẩm: {}</h1>\n<p style=\"text-align:center\"><i>(Sản phẩm: {}{})</i></p>\n<p class=\"small\">Bộ tiêu chí {} (QĐ {}); {}</p>",
        sheet.number(),
        escape(sheet.title()),
        escape(sheet.group()),
        sheet
            .subgroup()
            .map(|s| format!(". Nhóm: {}", escape(s)))
            .unwrap_or_default(),
        escape(edition.id()),
        escape(edition.decision()),
        escape(sheet.cite())
    );
    let _ = writeln!(b, "<table class=\"meta\">");
    for blank in BLANKS {
        let _ = writeln!(
            b,
            "<tr><td>{blank}:</td><td>……………………………………………………………………</td></tr>"
        );
    }
    let _ = writeln!(b, "</table>");
    if let Some(rule) = sheet.disqualified_when() {
        let _ = writeln!(b, "<p><b>Hồ sơ bị loại khi:</b> {}</p>", escape(rule));
    }
    let _ = writeln!(
        b,
        "<table><tr><th>Các tiêu chí</th><th>Thang điểm</th><th>Điểm</th></tr>"
    );
    for part in sheet.parts() {
        let _ = writeln!(
            b,
            "<tr class=\"part\"><td>{}</td><td class=\"n\">{}</td><td></td></tr>",
            escape(part.heading().unwrap_or(part.title())),
            points(part.max())
        );
        for section in part.sections() {
            let _ = writeln!(
                b,
                "<tr class=\"section\"><td>{}. {}</td><td class=\"n\">{}</td><td></td></tr>",
                escape(section.id()),
                escape(section.title()),
                points(section.max())
            );
            for criterion in section.criteria() {
                criterion_html(&mut b, criterion, section.is_direct());
            }
        }
    }
    let _ = writeln!(
        b,
        "<tr class=\"part\"><td>TỔNG CỘNG</td><td class=\"n\">{}</td><td></td></tr>\n</table>",
        points(sheet.max())
    );
    if let Some(footnote) = edition.star_footnote() {
        let _ = writeln!(b, "<p class=\"small\"><i>{}</i></p>", escape(footnote));
    }
    let _ = writeln!(
        b,
        "<p><b>Ý kiến của người đánh giá:</b> …………………………………………………………………………………………</p>\n<div class=\"sign\"><div><b>NGƯỜI ĐÁNH GIÁ</b><br><i>(Ký, ghi rõ họ tên)</i></div></div>"
    );
    html_page(
        &format!("{}. Bộ sản phẩm: {}", sheet.number(), sheet.title()),
        &b,
    )
}

fn criterion_html(b: &mut String, criterion: &Criterion, direct: bool) {
    if !direct {
        let _ = writeln!(
            b,
            "<tr><td><b>{}. {}</b></td><td class=\"n\">{}</td><td></td></tr>",
            escape(criterion.id()),
            escape(criterion.title()),
            points(criterion.max())
        );
    }
    for requirement in criterion.requirements() {
        let _ = writeln!(
            b,
            "<tr><td><b><i>Yêu cầu: {}</i></b></td><td></td><td></td></tr>",
            escape(requirement)
        );
    }
    for note in criterion.notes() {
        let _ = writeln!(
            b,
            "<tr><td><i>{}</i></td><td></td><td></td></tr>",
            escape(note)
        );
    }
    let mut case = None;
    for option in criterion.options() {
        if option.case() != case {
            case = option.case();
            if let Some(found) = criterion
                .cases()
                .iter()
                .find(|c| Some(c.id.as_str()) == case)
            {
                let _ = writeln!(
                    b,
                    "<tr><td><i>{}. {}</i></td><td></td><td></td></tr>",
                    escape(&found.id),
                    escape(&found.title)
                );
            }
        }
        let mark = option
            .min_stars()
            .map(|n| format!(" {}", "*".repeat(usize::from(n))))
            .unwrap_or_default();
        let _ = writeln!(
            b,
            "<tr><td><span class=\"box\">□</span> {}{mark}</td><td class=\"n\">{}</td><td></td></tr>",
            escape(option.text()),
            points(option.points())
        );
    }
    for child in criterion.children() {
        criterion_html(b, child, false);
    }
}

/// A disqualification in one line: the rule that fired or the council's reason.
pub fn disqualified_line(d: &crate::assess::Disqualification) -> String {
    let kind = match d.kind {
        crate::assess::DisqualificationKind::Dossier => "hồ sơ bị loại",
        crate::assess::DisqualificationKind::KnockOut => "bị loại (knock-out)",
        crate::assess::DisqualificationKind::Stop => "dừng đánh giá (stop)",
    };
    let mut line = kind.to_string();
    if let Some(criterion) = &d.criterion {
        line.push_str(&format!(", tiêu chí {criterion}"));
    }
    if let Some(rule) = &d.rule {
        line.push_str(&format!(": \"{rule}\""));
    }
    if let Some(reason) = &d.reason {
        line.push_str(&format!(" — {reason}"));
    }
    if let Some(cite) = &d.cite {
        line.push_str(&format!(" ({cite})"));
    }
    line
}
