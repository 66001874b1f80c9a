//! The HTML printer: one self-contained page for A4 paper (inline CSS, no
//! scripts, no external resources).

use std::fmt::Write;

use super::labels::{self, Label, stars_vi};
use super::markdown::{chosen, mark};
use super::model::{Block, CriterionLine, Document, Kind, Section};
use super::{escape, points};

const STYLE: &str = "@page{size:A4;margin:12mm 13mm}\
*{box-sizing:border-box}\
body{font-family:'Times New Roman','Liberation Serif','DejaVu Serif',serif;font-size:10.5pt;line-height:1.2;color:#000;background:#fff;max-width:184mm;margin:6mm auto}\
h1{font-size:13.5pt;text-align:center;text-transform:uppercase;margin:0 0 5pt}h2{font-size:11pt;margin:6pt 0 2pt}\
p{margin:2pt 0}table{border-collapse:collapse;width:100%;margin:2pt 0}\
th,td{border:1px solid #000;padding:1pt 3pt;vertical-align:top;text-align:left}\
th{background:#eee;font-weight:bold;text-align:center}td.n{text-align:right;white-space:nowrap}td.c{text-align:center;white-space:nowrap}\
table.meta{font-size:10pt}table.meta td{border:none;padding:0 3pt}table.meta td:first-child{width:34mm;white-space:nowrap}\
table.crit{font-size:9pt;line-height:1.15}table.crit td.o{font-size:8.5pt}\
.part td{font-weight:bold;background:#f2f2f2}.section td{font-weight:bold}.section td.o{font-weight:normal}.box{font-family:'DejaVu Sans',sans-serif}\
.missed{font-weight:bold;background:#e6e6e6}.rank{font-size:12pt;font-weight:bold}.warn{font-size:9pt;margin:1pt 0;padding-left:14pt}.small{font-size:8.5pt;color:#333}\
.date{text-align:right;font-style:italic;margin-top:8pt}\
.sign{display:flex;justify-content:flex-end;margin-top:3pt;break-inside:avoid}.sign.two{justify-content:space-between}.sign div{text-align:center;width:70mm;height:26mm}\
@media print{body{margin:0 auto}h2{break-after:avoid}tr{break-inside:avoid}.date{break-after:avoid}}";

/// Prints a document as an HTML page.
pub(crate) fn print(doc: &Document) -> String {
    let mut b = String::new();
    let mut title = String::new();
    let mut in_table = false;
    for block in &doc.blocks {
        match block {
            Block::Heading(h) => match &h.group {
                Some((group, subgroup, cite)) => {
                    title = format!("{}. {}: {}", h.number, Label::ProductSet.vi(), h.title);
                    let _ = writeln!(
                        b,
                        "<h1>{}. {}: {}</h1>\n<p style=\"text-align:center\"><i>({}: {}{})</i></p>\n<p class=\"small\">{} {} (QĐ {}); {}</p>",
                        h.number,
                        Label::ProductSet.vi(),
                        escape(&h.title),
                        Label::ProductGroup.vi(),
                        escape(group),
                        subgroup
                            .as_deref()
                            .map(|s| format!(". {}: {}", Label::Subgroup.vi(), escape(s)))
                            .unwrap_or_default(),
                        Label::Edition.vi(),
                        escape(&h.edition),
                        escape(&h.decision),
                        escape(cite)
                    );
                }
                None => {
                    title = format!("OCOP: {}", h.title);
                    let _ = writeln!(b, "<h1>{}</h1>", Label::ResultTitle.vi());
                }
            },
            Block::Details(rows) => {
                let _ = writeln!(b, "<table class=\"meta\">");
                for row in rows {
                    let value = labels::value(&row.value, false);
                    if row.label == Label::Product {
                        title = format!("OCOP: {value}");
                    }
                    let _ = writeln!(
                        b,
                        "<tr><td>{}:</td><td><b>{}</b></td></tr>",
                        row.label.vi(),
                        escape(&value)
                    );
                }
                let _ = writeln!(b, "</table>");
            }
            Block::FillIn(blanks) => {
                let _ = writeln!(b, "<table class=\"meta\">");
                for blank in blanks {
                    let _ = writeln!(
                        b,
                        "<tr><td>{}:</td><td>……………………………………………………………………</td></tr>",
                        blank.vi()
                    );
                }
                let _ = writeln!(b, "</table>");
            }
            Block::Members(m) => {
                let _ = writeln!(
                    b,
                    "<h2>{} ({} {})</h2>\n<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
                    Label::Members.vi(),
                    m.size,
                    Label::MembersCount.vi(),
                    Label::Member.vi(),
                    Label::MemberTotal.vi(),
                    Label::BandRank.vi(),
                    Label::FinalRank.vi()
                );
                for (i, row) in m.rows.iter().enumerate() {
                    let _ = writeln!(
                        b,
                        "<tr><td>{}</td><td class=\"n\" data-field=\"member-total-{i}\">{}</td><td class=\"c\">{}★</td><td class=\"c\">{}★</td></tr>",
                        escape(&row.name),
                        points(row.total),
                        row.band_stars,
                        row.stars
                    );
                }
                let _ = writeln!(b, "</table>");
                if let Some((difference, limit, tripped)) = m.spread {
                    let _ = writeln!(
                        b,
                        "<p>{}: <span data-field=\"spread\">{}</span> {}, {} {}: {}</p>",
                        Label::Spread.vi(),
                        points(difference),
                        Label::PointsUnit.vi(),
                        Label::Limit.vi(),
                        points(limit),
                        if tripped {
                            format!("<b>{}</b>", Label::Exceeded.vi())
                        } else {
                            Label::WithinLimit.vi().to_string()
                        }
                    );
                }
            }
            Block::DisqualifiedWhen(rule) => {
                let _ = writeln!(
                    b,
                    "<p><b>{}:</b> {}</p>",
                    Label::DisqualifiedWhen.vi(),
                    escape(rule)
                );
            }
            Block::Part(part) => {
                if !in_table {
                    in_table = true;
                    table_head(&mut b, doc.kind);
                }
                match part.points {
                    Some(p) => {
                        let _ = writeln!(
                            b,
                            "<tr class=\"part\"><td colspan=\"2\">{} {}: {}</td><td class=\"n\" data-field=\"part-{}\">{}</td><td class=\"n\">{}</td><td></td></tr>",
                            Label::Part.vi(),
                            escape(&part.id),
                            escape(&part.title),
                            escape(&part.id),
                            points(p),
                            points(part.max)
                        );
                    }
                    None => {
                        let _ = writeln!(
                            b,
                            "<tr class=\"part\"><td>{}</td><td class=\"n\">{}</td><td></td></tr>",
                            escape(part.heading.as_deref().unwrap_or(&part.title)),
                            points(part.max)
                        );
                    }
                }
            }
            Block::Section(section) => section_row(&mut b, doc.kind, section),
            Block::Criterion(line) => match doc.kind {
                Kind::Form => {
                    if !line.direct {
                        let _ = writeln!(
                            b,
                            "<tr><td><b>{}. {}</b></td><td class=\"n\">{}</td><td></td></tr>",
                            escape(&line.id),
                            escape(&line.title),
                            points(line.max)
                        );
                    }
                    form_notes(&mut b, line);
                }
                Kind::Result => result_row(&mut b, line, None),
            },
            Block::Case(case) => {
                let _ = writeln!(
                    b,
                    "<tr><td><i>{}. {}</i></td><td></td><td></td></tr>",
                    escape(&case.id),
                    escape(&case.title)
                );
            }
            Block::Choice(choice) => {
                let mark = choice
                    .min_stars
                    .map(|n| format!(" {}", "*".repeat(usize::from(n))))
                    .unwrap_or_default();
                let _ = writeln!(
                    b,
                    "<tr><td><span class=\"box\">□</span> {}{mark}</td><td class=\"n\">{}</td><td></td></tr>",
                    escape(&choice.text),
                    points(choice.points)
                );
            }
            Block::Total(total) => {
                in_table = false;
                match total.points {
                    Some(p) => {
                        let label = if total.mean {
                            Label::MeanTotal
                        } else {
                            Label::Total
                        };
                        let _ = writeln!(
                            b,
                            "<tr class=\"part\"><td colspan=\"2\">{}</td><td class=\"n\" data-field=\"total\">{}</td><td class=\"n\">{}</td><td></td></tr>\n</table>",
                            label.vi(),
                            points(p),
                            points(total.max)
                        );
                    }
                    None => {
                        let _ = writeln!(
                            b,
                            "<tr class=\"part\"><td>{}</td><td class=\"n\">{}</td><td></td></tr>\n</table>",
                            Label::GrandTotal.vi(),
                            points(total.max)
                        );
                    }
                }
            }
            Block::Footnote(text) => {
                let _ = writeln!(b, "<p class=\"small\"><i>{}</i></p>", escape(text));
            }
            Block::Rank(rank) => {
                let _ = writeln!(
                    b,
                    "<p>{}: <span data-field=\"band-stars\" data-value=\"{}\">{}</span></p>\n<p class=\"rank\">{}: <span data-field=\"stars\" data-value=\"{}\">{}</span> — {}</p>",
                    Label::BandRank.vi(),
                    rank.band_stars,
                    stars_vi(rank.band_stars),
                    Label::FinalRank.vi(),
                    rank.stars,
                    stars_vi(rank.stars),
                    Label::certificate(rank.certificate).vi()
                );
                if let Some(lowered) = &rank.lowered {
                    let _ = writeln!(
                        b,
                        "<p><b>{}:</b> {}</p>",
                        Label::LoweredBy.vi(),
                        labels::lowered(lowered, false)
                    );
                }
            }
            Block::Marks(marks) => {
                let _ = writeln!(
                    b,
                    "<h2>{}</h2>\n<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
                    Label::UnmetMarks.vi(),
                    Label::Criteria.vi(),
                    Label::MarkRank.vi(),
                    Label::Required.vi(),
                    Label::Needs.vi(),
                    Label::Has.vi()
                );
                for m in marks {
                    let gate = m
                        .gate
                        .as_deref()
                        .map(|g| format!("<br><i>{}: {}</i>", Label::GateOutside.vi(), escape(g)))
                        .unwrap_or_default();
                    let _ = writeln!(
                        b,
                        "<tr><td>{}</td><td class=\"c\">{}★</td><td>{}{gate}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                        escape(&m.criterion),
                        m.min_stars,
                        escape(&m.option_text),
                        points(m.required),
                        points(m.actual)
                    );
                }
                let _ = writeln!(b, "</table>");
            }
            Block::Rules(rules) => {
                let _ = writeln!(b, "<h2>{}</h2>\n<ul class=\"warn\">", Label::Rules.vi());
                if let Some(d) = &rules.disqualified {
                    let _ = writeln!(
                        b,
                        "<li data-field=\"disqualified\"><b>{}</b></li>",
                        escape(&labels::disqualified(d, false))
                    );
                }
                for n in &rules.not_applicable {
                    let _ = writeln!(
                        b,
                        "<li>{}: {} {} {}: “{}”</li>",
                        Label::NotApplicable.vi(),
                        escape(&n.criterion),
                        Label::Because.vi(),
                        escape(&n.because),
                        escape(&n.rule)
                    );
                }
                let _ = writeln!(b, "</ul>");
            }
            Block::Warnings(warnings) => {
                let _ = writeln!(b, "<h2>{}</h2>\n<ul class=\"warn\">", Label::Warnings.vi());
                for w in warnings {
                    let _ = writeln!(b, "<li>{}</li>", escape(w));
                }
                let _ = writeln!(b, "</ul>");
            }
            Block::Outcome(o) => {
                let _ = writeln!(
                    b,
                    "<p><b>{}:</b> {}</p>",
                    Label::Outcome.vi(),
                    escape(&labels::outcome(o, false))
                );
            }
            Block::Policies(p, engine) => {
                let _ = writeln!(
                    b,
                    "<p class=\"small\">{}: {} {}, {} {}, {} {}. {}.</p>",
                    Label::Policies.vi(),
                    Label::Bands.vi(),
                    escape(&p.band_policy.to_string()),
                    Label::Rounding.vi(),
                    escape(&p.rounding.to_string()),
                    Label::MarkReading.vi(),
                    escape(&p.gate_reading),
                    escape(engine)
                );
            }
            Block::Comment => {
                let _ = writeln!(
                    b,
                    "<p><b>{}:</b> …………………………………………………………………………………………</p>",
                    Label::Comment.vi()
                );
            }
            Block::Signatures(s) => {
                if s.dated {
                    let _ = writeln!(b, "<p class=\"date\">{}</p>", Label::PlaceDate.vi());
                }
                let two = if s.roles.len() > 1 { " two" } else { "" };
                let _ = write!(b, "<div class=\"sign{two}\">");
                for role in &s.roles {
                    let _ = write!(
                        b,
                        "<div><b>{}</b><br><i>{}</i></div>",
                        role.vi(),
                        Label::SignHere.vi()
                    );
                }
                let _ = writeln!(b, "</div>");
            }
        }
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{b}</body>\n</html>\n",
        escape(&title)
    )
}

fn table_head(b: &mut String, kind: Kind) {
    match kind {
        Kind::Form => {
            let _ = writeln!(
                b,
                "<table><tr><th>{}</th><th>{}</th><th>{}</th></tr>",
                Label::Criteria.vi(),
                Label::Scale.vi(),
                Label::Points.vi()
            );
        }
        Kind::Result => {
            let _ = writeln!(
                b,
                "<table class=\"crit\"><colgroup><col style=\"width:36%\"><col><col style=\"width:8%\"><col style=\"width:8%\"><col style=\"width:11%\"></colgroup>\n<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
                Label::Criteria.vi(),
                Label::OptionChosen.vi(),
                Label::Points.vi(),
                Label::Max.vi(),
                Label::StarMark.vi()
            );
        }
    }
}

/// A section's row; a section scored directly has its criterion's in it.
fn section_row(b: &mut String, kind: Kind, s: &Section) {
    match (kind, s.points, &s.line) {
        (Kind::Result, Some(_), Some(line)) => result_row(b, line, Some(s)),
        (Kind::Result, Some(p), None) => {
            let _ = writeln!(
                b,
                "<tr class=\"section\"><td colspan=\"2\">{}. {}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td></td></tr>",
                escape(&s.id),
                escape(&s.title),
                points(p),
                points(s.max)
            );
        }
        _ => {
            let _ = writeln!(
                b,
                "<tr class=\"section\"><td>{}. {}</td><td class=\"n\">{}</td><td></td></tr>",
                escape(&s.id),
                escape(&s.title),
                points(s.max)
            );
        }
    }
    if let (Kind::Form, Some(line)) = (kind, &s.line) {
        form_notes(b, line);
    }
}

/// A criterion's row of a result; `section` for a section scored directly
/// (the row is the section's, in bold).
fn result_row(b: &mut String, line: &CriterionLine, section: Option<&Section>) {
    let (class, name) = match section {
        Some(s) => (" class=\"section\"", format!("{}. {}", s.id, s.title)),
        None => ("", format!("{} {}", line.id, line.title)),
    };
    let pad = if line.depth > 0 {
        format!(" style=\"padding-left:{}pt\"", 4 + 10 * line.depth)
    } else {
        String::new()
    };
    let mark_class = match (line.fired, line.mark) {
        (Some(_), _) => " missed",
        (None, Some(m)) if !m.met => " missed",
        _ => "",
    };
    let _ = writeln!(
        b,
        "<tr{class}><td{pad}>{}</td><td class=\"o\">{}</td><td class=\"n\" data-field=\"criterion-{}\">{}</td><td class=\"n\">{}</td><td class=\"c{mark_class}\">{}</td></tr>",
        escape(&name),
        escape(&chosen(line)),
        escape(&line.id),
        line.points.map(points).unwrap_or_default(),
        points(line.max),
        mark(line)
    );
}

fn form_notes(b: &mut String, line: &CriterionLine) {
    for requirement in &line.requirements {
        let _ = writeln!(
            b,
            "<tr><td><b><i>{}: {}</i></b></td><td></td><td></td></tr>",
            Label::Requirement.vi(),
            escape(requirement)
        );
    }
    for note in &line.notes {
        let _ = writeln!(
            b,
            "<tr><td><i>{}</i></td><td></td><td></td></tr>",
            escape(note)
        );
    }
}
