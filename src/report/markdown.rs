//! The Markdown printer.

use std::fmt::Write;

use super::labels::{self, Label, stars_vi};
use super::model::{Block, Chosen, CriterionLine, Document, Kind, Section};
use super::{md, points};

/// Prints a document as Markdown.
pub(crate) fn print(doc: &Document) -> String {
    let mut out = String::new();
    for block in &doc.blocks {
        match block {
            Block::Heading(h) => match &h.group {
                Some((group, subgroup, cite)) => {
                    let _ = writeln!(
                        out,
                        "# {}. {}: {}\n",
                        h.number,
                        Label::ProductSet.vi(),
                        md(&h.title)
                    );
                    let _ = writeln!(
                        out,
                        "_({}: {}{})_\n",
                        Label::ProductGroup.vi(),
                        md(group),
                        subgroup
                            .as_deref()
                            .map(|s| format!(". {}: {}", Label::Subgroup.vi(), md(s)))
                            .unwrap_or_default()
                    );
                    let _ = writeln!(
                        out,
                        "{} {} (QĐ {}); {}\n",
                        Label::Edition.vi(),
                        md(&h.edition),
                        md(&h.decision),
                        md(cite)
                    );
                }
                None => {
                    let _ = writeln!(out, "# {}\n", Label::ResultTitle.vi());
                }
            },
            Block::Details(rows) => {
                for row in rows {
                    let _ = writeln!(
                        out,
                        "- **{}:** {}",
                        row.label.vi(),
                        md(&labels::value(&row.value, false))
                    );
                }
            }
            Block::FillIn(blanks) => {
                for blank in blanks {
                    let _ = writeln!(out, "- {}: ……………………………………………", blank.vi());
                }
            }
            Block::Members(m) => {
                let _ = writeln!(
                    out,
                    "\n## {} ({} {})\n",
                    Label::Members.vi(),
                    m.size,
                    Label::MembersCount.vi()
                );
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} |\n|---|---:|---|---|",
                    Label::Member.vi(),
                    Label::MemberTotal.vi(),
                    Label::BandRank.vi(),
                    Label::FinalRank.vi()
                );
                for row in &m.rows {
                    let _ = writeln!(
                        out,
                        "| {} | {} | {}★ | {}★ |",
                        md(&row.name),
                        points(row.total),
                        row.band_stars,
                        row.stars
                    );
                }
                if let Some((difference, limit, tripped)) = m.spread {
                    let _ = writeln!(
                        out,
                        "\n{}: {} {}, {} {}: {}",
                        Label::Spread.vi(),
                        points(difference),
                        Label::PointsUnit.vi(),
                        Label::Limit.vi(),
                        points(limit),
                        if tripped {
                            format!("**{}**", Label::Exceeded.vi())
                        } else {
                            Label::WithinLimit.vi().to_string()
                        }
                    );
                }
            }
            Block::DisqualifiedWhen(rule) => {
                let _ = writeln!(out, "\n**{}:** {}", Label::DisqualifiedWhen.vi(), md(rule));
            }
            Block::Part(part) => {
                if first_part(doc, part) {
                    table_head(&mut out, doc.kind);
                }
                let name = match doc.kind {
                    Kind::Form => md(part.heading.as_deref().unwrap_or(&part.title)),
                    Kind::Result => {
                        format!("{} {}: {}", Label::Part.vi(), part.id, md(&part.title))
                    }
                };
                match part.points {
                    Some(p) => {
                        let _ = writeln!(
                            out,
                            "| **{name}** | | **{}** | **{}** | |",
                            points(p),
                            points(part.max)
                        );
                    }
                    None => {
                        let _ = writeln!(out, "| **{name}** | **{}** | |", points(part.max));
                    }
                }
            }
            Block::Section(section) => section_row(&mut out, doc.kind, section),
            Block::Criterion(line) => match doc.kind {
                Kind::Form => {
                    if !line.direct {
                        let _ = writeln!(
                            out,
                            "| {}. {} | {} | |",
                            md(&line.id),
                            md(&line.title),
                            points(line.max)
                        );
                    }
                    form_notes(&mut out, line);
                }
                Kind::Result => {
                    let indent = "  ".repeat(line.depth);
                    let _ = writeln!(
                        out,
                        "| {indent}{} {} | {} | {} | {} | {} |",
                        md(&line.id),
                        md(&line.title),
                        md(&chosen(line)),
                        line.points.map(points).unwrap_or_default(),
                        points(line.max),
                        mark(line)
                    );
                }
            },
            Block::Case(case) => {
                let _ = writeln!(out, "| _{}. {}_ | | |", md(&case.id), md(&case.title));
            }
            Block::Choice(choice) => {
                let mark = choice
                    .min_stars
                    .map(|n| format!(" {}", "\\*".repeat(usize::from(n))))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "| □ {}{mark} | {} | |",
                    md(&choice.text),
                    points(choice.points)
                );
            }
            Block::Total(total) => match total.points {
                Some(p) => {
                    let label = if total.mean {
                        Label::MeanTotal
                    } else {
                        Label::Total
                    };
                    let _ = writeln!(
                        out,
                        "| **{}** | | **{}** | {} | |",
                        label.vi(),
                        points(p),
                        points(total.max)
                    );
                }
                None => {
                    let _ = writeln!(
                        out,
                        "| **{}** | **{}** | |",
                        Label::GrandTotal.vi(),
                        points(total.max)
                    );
                }
            },
            Block::Footnote(text) => {
                let _ = writeln!(out, "\n_{}_", md(text));
            }
            Block::Rank(rank) => {
                let _ = writeln!(
                    out,
                    "\n- **{}:** {}",
                    Label::BandRank.vi(),
                    stars_vi(rank.band_stars)
                );
                let _ = writeln!(
                    out,
                    "- **{}:** {} — {}",
                    Label::FinalRank.vi(),
                    stars_vi(rank.stars),
                    Label::certificate(rank.certificate).vi()
                );
                if let Some(lowered) = &rank.lowered {
                    let _ = writeln!(
                        out,
                        "- **{}:** {}",
                        Label::LoweredBy.vi(),
                        labels::lowered(lowered, false)
                    );
                }
            }
            Block::Marks(marks) => {
                let _ = writeln!(out, "\n## {}\n", Label::UnmetMarks.vi());
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} |\n|---|---|---|---:|---:|",
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
                        .map(|g| format!(" ({}: {})", Label::GateOutside.vi(), md(g)))
                        .unwrap_or_default();
                    let _ = writeln!(
                        out,
                        "| {} | {}★ | {}{gate} | {} | {} |",
                        md(&m.criterion),
                        m.min_stars,
                        md(&m.option_text),
                        points(m.required),
                        points(m.actual)
                    );
                }
            }
            Block::Rules(rules) => {
                let _ = writeln!(out, "\n## {}\n", Label::Rules.vi());
                if let Some(d) = &rules.disqualified {
                    let _ = writeln!(out, "- {}", md(&labels::disqualified(d, false)));
                }
                for n in &rules.not_applicable {
                    let _ = writeln!(
                        out,
                        "- {}: {} {} {}: \"{}\"",
                        Label::NotApplicable.vi(),
                        md(&n.criterion),
                        Label::Because.vi(),
                        md(&n.because),
                        md(&n.rule)
                    );
                }
            }
            Block::Warnings(warnings) => {
                let _ = writeln!(out, "\n## {}\n", Label::Warnings.vi());
                for w in warnings {
                    let _ = writeln!(out, "- {}", md(w));
                }
            }
            Block::Outcome(o) => {
                let _ = writeln!(
                    out,
                    "\n**{}:** {}",
                    Label::Outcome.vi(),
                    md(&labels::outcome(o, false))
                );
            }
            Block::Policies(p, engine) => {
                let _ = writeln!(
                    out,
                    "\n_{}: {} {}, {} {}, {} {}. {}._",
                    Label::Policies.vi(),
                    Label::Bands.vi(),
                    p.band_policy,
                    Label::Rounding.vi(),
                    p.rounding,
                    Label::MarkReading.vi(),
                    md(&p.gate_reading),
                    md(engine)
                );
            }
            Block::Comment => {
                let _ = writeln!(out, "\n**{}:** …………………………………………………………", Label::Comment.vi());
            }
            Block::Signatures(s) => {
                if s.dated {
                    let _ = writeln!(out, "\n{}", Label::PlaceDate.vi());
                }
                for role in &s.roles {
                    let _ = writeln!(out, "\n**{}** _{}_", role.vi(), Label::SignHere.vi());
                }
            }
        }
    }
    out
}

/// Whether `part` is the document's first part (it opens the table).
fn first_part(doc: &Document, part: &super::model::Part) -> bool {
    doc.blocks
        .iter()
        .find_map(|b| match b {
            Block::Part(p) => Some(std::ptr::eq(p, part)),
            _ => None,
        })
        .unwrap_or(false)
}

fn table_head(out: &mut String, kind: Kind) {
    match kind {
        Kind::Form => {
            let _ = writeln!(
                out,
                "\n| {} | {} | {} |\n|---|---:|---:|",
                Label::Criteria.vi(),
                Label::Scale.vi(),
                Label::Points.vi()
            );
        }
        Kind::Result => {
            let _ = writeln!(
                out,
                "\n## {}\n\n| {} | {} | {} | {} | {} |\n|---|---|---:|---:|---|",
                Label::Criteria.vi(),
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
fn section_row(out: &mut String, kind: Kind, s: &Section) {
    match (kind, s.points) {
        (Kind::Result, Some(p)) => {
            let (choice, mark) = s
                .line
                .as_ref()
                .map(|l| (chosen(l), mark(l)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "| **{}. {}** | {} | **{}** | **{}** | {} |",
                md(&s.id),
                md(&s.title),
                md(&choice),
                points(p),
                points(s.max),
                mark
            );
        }
        _ => {
            let _ = writeln!(
                out,
                "| **{}. {}** | **{}** | |",
                md(&s.id),
                md(&s.title),
                points(s.max)
            );
        }
    }
    if let (Kind::Form, Some(line)) = (kind, &s.line) {
        form_notes(out, line);
    }
}

fn form_notes(out: &mut String, line: &CriterionLine) {
    for requirement in &line.requirements {
        let _ = writeln!(
            out,
            "| _{}: {}_ | | |",
            Label::Requirement.vi(),
            md(requirement)
        );
    }
    for note in &line.notes {
        let _ = writeln!(out, "| _{}_ | | |", md(note));
    }
}

/// The option chosen, in Vietnamese.
pub(crate) fn chosen(line: &CriterionLine) -> String {
    match &line.chosen {
        Chosen::Nothing => String::new(),
        Chosen::Option(0) => format!("0: {}", Label::NoneApplies.vi()),
        Chosen::Option(n) => match &line.option_text {
            Some(text) => format!("{n}: {text}"),
            None => n.to_string(),
        },
        Chosen::Boxes(boxes) => {
            let list: Vec<String> = boxes.iter().map(u16::to_string).collect();
            format!("{}: {}", Label::Boxes.vi(), list.join(", "))
        }
        Chosen::Members(options) => {
            let list: Vec<String> = options
                .iter()
                .map(|o| o.map_or_else(|| "–".to_string(), |n| n.to_string()))
                .collect();
            format!("{}: {}", Label::Mean.vi(), list.join(" · "))
        }
    }
}

/// The star mark of a line, in Vietnamese.
pub(crate) fn mark(line: &CriterionLine) -> String {
    if let Some(kind) = line.fired {
        return Label::disqualification(kind).vi().to_string();
    }
    match line.mark {
        Some(m) if m.met => format!("{}★ {}", m.stars, Label::MarkMet.vi()),
        Some(m) => format!("{}★ {}", m.stars, Label::MarkMissed.vi()),
        None => String::new(),
    }
}
