//! Text and JSON views for people and programs; no scoring logic here.

use std::fmt::Write;

use ocop::report::labels::{self, Label};
use ocop::report::model::{Block, Chosen, CriterionLine, Document, Kind, Part};
use ocop::{Assessment, Edition, Sheet};
use serde_json::{Value, json};

pub fn edition_json(edition: &Edition) -> Value {
    json!({
        "id": edition.id(),
        "title": edition.title(),
        "decision": edition.decision(),
        "signed_on": edition.signed_on().to_string(),
        "in_force_from": edition.in_force_from().to_string(),
        "source": edition.source(),
        "confidence": edition.confidence(),
        "hash": edition.hash(),
        "max_points": edition.max_points(),
        "band_policy": edition.band_reading().name(),
        "sheets_available": edition.sheet_count(),
        "sheets_expected": edition.sheets_expected(),
        "sheets_in_classification": edition.classes().len(),
        "missing_sheets": edition.missing_sheets(),
        "unavailable": edition.unavailable(),
        "extends": edition.extends(),
        "gates": edition.gates(),
        "warnings": edition.warnings(),
        "bands": edition.bands(),
        "levels": edition.levels(),
        "ends": edition.ends().map(|ends| json!({
            "last_day": ends.last_day().to_string(),
            "by": ends.by(),
            "text": ends.text(),
            "cite": ends.cite(),
        })),
        "transitions": edition.transitions().iter().map(|rule| json!({
            "filed_before": rule.filed_before().to_string(),
            "evaluated_until": rule.evaluated_until().to_string(),
            "edition": rule.edition(),
            "kinds": rule.kinds(),
            "cite": rule.cite(),
            "text": rule.text(),
        })).collect::<Vec<_>>(),
    })
}

pub fn editions(editions: &[&Edition]) -> String {
    let mut out = String::new();
    for (index, edition) in editions.iter().enumerate() {
        // In force until the day before the next edition (editions are listed oldest first).
        let until = editions
            .get(index + 1)
            .and_then(|next| next.in_force_from().yesterday().ok())
            .map_or_else(|| "today".to_string(), |day| day.to_string());
        let _ = writeln!(
            out,
            "{:<10} {:<16} in force {} to {}  sheets {}/{}  confidence: {}\n           {}",
            edition.id(),
            edition.decision(),
            edition.in_force_from(),
            until,
            edition.sheet_count(),
            edition
                .classes()
                .len()
                .max(usize::from(edition.sheets_expected())),
            edition.confidence(),
            edition.title(),
        );
        if let Some(base) = edition.extends() {
            let _ = writeln!(
                out,
                "           extends {base}; {} gates of its own",
                edition.gates().len()
            );
        }
        if let Some(ends) = edition.ends() {
            let _ = writeln!(
                out,
                "           ends: its rules apply to transition dossiers until {} ({}: \"{}\")",
                ends.last_day(),
                ends.cite(),
                ends.text()
            );
        }
        for rule in edition.transitions() {
            let kinds: Vec<&str> = rule.kinds().iter().map(|k| k.name()).collect();
            let _ = writeln!(
                out,
                "           transition: filed before {} and evaluated by {}{} stay under {} ({})",
                rule.filed_before(),
                rule.evaluated_until(),
                if kinds.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", kinds.join(", "))
                },
                rule.edition(),
                rule.cite()
            );
        }
        if !edition.levels().is_empty() {
            let levels: Vec<&str> = edition.levels().iter().map(|l| l.level().name()).collect();
            let _ = writeln!(out, "           council levels: {}", levels.join(", "));
        }
    }
    out
}

pub fn sheets_json(edition: &Edition) -> Value {
    let sheets: Vec<Value> = edition
        .sheets()
        .map(|sheet| {
            json!({
                "number": sheet.number(),
                "key": sheet.key(),
                "title": sheet.title(),
                "group": sheet.group(),
                "subgroup": sheet.subgroup(),
                "criteria": sheet.leaf_ids().len(),
                "source": sheet.source(),
                "confidence": sheet.confidence(),
                "gaps": sheet.gaps(),
                "parts": sheet.parts().iter().map(|p| json!({"id": p.id(), "max": p.max()})).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "edition": edition.id(),
        "hash": edition.hash(),
        "source": edition.source(),
        "confidence": edition.confidence(),
        "missing_sheets": edition.missing_sheets(),
        "unavailable": edition.unavailable(),
        "sheets": sheets,
    })
}

pub fn sheets(edition: &Edition) -> String {
    let mut out = format!(
        "Edition {} ({}): {} sheets\nSource: {}\nConfidence: {}\n",
        edition.id(),
        edition.decision(),
        edition.sheet_count(),
        edition.source(),
        edition.confidence()
    );
    let missing = edition.missing_sheets();
    if !missing.is_empty() {
        let _ = writeln!(out, "Not available: {}", missing.join(", "));
        if let Some(why) = edition.unavailable() {
            let _ = writeln!(out, "  ({why})");
        }
    }
    for sheet in edition.sheets() {
        let parts: Vec<String> = sheet
            .parts()
            .iter()
            .map(|p| format!("{} {}", p.id(), p.max()))
            .collect();
        let _ = writeln!(
            out,
            "{:>2}  {:<60}  {:>2} criteria  {}\n    {}",
            sheet.number(),
            sheet.key(),
            sheet.leaf_ids().len(),
            parts.join(" / "),
            sheet.title()
        );
        if let Some(source) = sheet.source() {
            let confidence = sheet.confidence().unwrap_or(edition.confidence());
            let _ = writeln!(out, "    source: {source} (confidence: {confidence})");
        }
        for gap in sheet.gaps() {
            let _ = writeln!(out, "    ⚠ {gap}");
        }
    }
    out
}

fn stars(rank: u8) -> String {
    ocop::report::labels::stars_en(rank)
}

/// `ocop show`: the blank form of a sheet, as text.
pub fn sheet(edition: &Edition, sheet: &Sheet) -> String {
    print(&Document::form(edition, sheet))
}

/// `ocop score`: an assessment, as text.
pub fn assessment(a: &Assessment) -> String {
    print(&Document::result(a))
}

/// The text printer: one pass over the document model the report printers use.
fn print(doc: &Document) -> String {
    let mut out = String::new();
    let mut parts: Vec<&Part> = Vec::new();
    for block in &doc.blocks {
        match (doc.kind, block) {
            (Kind::Form, Block::Heading(h)) => {
                let _ = writeln!(out, "{}. {}: {}", h.number, Label::ProductSet.vi(), h.title);
                let _ = writeln!(
                    out,
                    "Edition {} ({}), sheet `{}`",
                    h.edition, h.decision, h.key
                );
            }
            (Kind::Result, Block::Heading(h)) => {
                let _ = writeln!(
                    out,
                    "{}: {}. {} (`{}`)",
                    Label::ResultTitle.en(),
                    h.number,
                    h.title,
                    h.key
                );
            }
            (_, Block::Details(rows)) => {
                for row in rows {
                    let _ = writeln!(
                        out,
                        "{}: {}",
                        row.label.en(),
                        labels::value(&row.value, true)
                    );
                }
            }
            (_, Block::Members(m)) => {
                let _ = writeln!(
                    out,
                    "\nCouncil of {} {} (rank on the mean total):",
                    m.size,
                    Label::MembersCount.en()
                );
                for row in &m.rows {
                    let name = if row.name.is_empty() { "?" } else { &row.name };
                    let _ = writeln!(
                        out,
                        "  {:<40} {:>6}  band {}  rank {}",
                        clip(name, 40),
                        num(row.total),
                        stars(row.band_stars),
                        stars(row.stars)
                    );
                }
                if let Some((difference, limit, tripped)) = m.spread {
                    let _ = writeln!(
                        out,
                        "  {} {} {} ({} {}): {}",
                        Label::Spread.en(),
                        num(difference),
                        Label::PointsUnit.en(),
                        Label::Limit.en(),
                        num(limit),
                        if tripped {
                            Label::Exceeded.en()
                        } else {
                            Label::WithinLimit.en()
                        }
                    );
                }
            }
            (_, Block::DisqualifiedWhen(rule)) => {
                let _ = writeln!(out, "{}: {rule}", Label::DisqualifiedWhen.en());
            }
            (Kind::Form, Block::Part(part)) => {
                let _ = writeln!(
                    out,
                    "\n{} {}: {}  [max {}]",
                    Label::Part.en(),
                    part.id,
                    part.title,
                    part.max
                );
                for doubt in &part.doubts {
                    let _ = writeln!(out, "  ⚠ {doubt}");
                }
            }
            (Kind::Result, Block::Part(part)) => {
                if parts.is_empty() {
                    out.push('\n');
                }
                parts.push(part);
            }
            (Kind::Form, Block::Section(s)) => {
                let _ = writeln!(out, "\n  {}. {}  [max {}]", s.id, s.title, s.max);
                if let Some(line) = &s.line {
                    form_criterion(&mut out, line);
                }
            }
            (Kind::Result, Block::Section(s)) => {
                let _ = writeln!(
                    out,
                    "{:>5}. {:<60} {:>5} / {}",
                    s.id,
                    clip(&s.title, 60),
                    s.points.map(num).unwrap_or_default(),
                    num(s.max)
                );
                if let Some(line) = &s.line {
                    direct_line(&mut out, line);
                }
            }
            (Kind::Form, Block::Criterion(line)) => form_criterion(&mut out, line),
            (Kind::Result, Block::Criterion(line)) => result_line(&mut out, line),
            (_, Block::Case(case)) => {
                let pad = " ".repeat(4 + 2 * case.depth);
                let _ = writeln!(out, "{pad}  {}. {}", case.id, case.title);
            }
            (_, Block::Choice(c)) => {
                let pad = " ".repeat(4 + 2 * c.depth);
                let mark = c
                    .min_stars
                    .map(|n| format!(" {}", "*".repeat(usize::from(n))))
                    .unwrap_or_default();
                let fix = c
                    .printed
                    .as_deref()
                    .map(|printed| format!(" (printed \"{printed}\")"))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "{pad}  [{}] □ {}{mark}  — {} pts{fix}",
                    c.number, c.text, c.points
                );
            }
            (_, Block::Total(total)) => match total.points {
                None => {
                    let _ = writeln!(out, "\n{}  [max {}]", Label::GrandTotal.en(), total.max);
                }
                Some(points) => {
                    out.push('\n');
                    for part in &parts {
                        let _ = writeln!(
                            out,
                            "{} {}: {:<50} {:>5} / {}",
                            Label::Part.en(),
                            part.id,
                            clip(&part.title, 50),
                            part.points.map(num).unwrap_or_default(),
                            num(part.max)
                        );
                    }
                    let _ = writeln!(
                        out,
                        "{}: {} / {}",
                        Label::GrandTotal.en(),
                        num(points),
                        num(total.max)
                    );
                }
            },
            (_, Block::Footnote(text)) => {
                let _ = writeln!(out, "{text}");
            }
            (_, Block::Rank(rank)) => {
                let _ = writeln!(
                    out,
                    "{}: {}   {}: {}   ({})",
                    Label::BandRank.en(),
                    stars(rank.band_stars),
                    Label::FinalRank.en(),
                    stars(rank.stars),
                    Label::certificate(rank.certificate).en()
                );
                if let Some(lowered) = &rank.lowered {
                    let _ = writeln!(
                        out,
                        "{}: {}",
                        Label::LoweredBy.en(),
                        labels::lowered(lowered, true)
                    );
                }
            }
            (_, Block::Marks(marks)) => {
                let _ = writeln!(out, "\n{}:", Label::UnmetMarks.en());
                for mark in marks {
                    let _ = writeln!(
                        out,
                        "  {} needs {} pts for {} and above (has {}): option {} \"{}\"",
                        mark.criterion,
                        num(mark.required),
                        stars(mark.min_stars),
                        num(mark.actual),
                        mark.option,
                        clip(&mark.option_text, 60)
                    );
                    if let Some(gate) = &mark.gate {
                        let _ = writeln!(out, "      {}: {gate}", Label::GateOutside.en());
                    }
                }
            }
            (_, Block::Rules(rules)) => {
                let _ = writeln!(out, "\n{}:", Label::Rules.en());
                if let Some(d) = &rules.disqualified {
                    let _ = writeln!(out, "  - {}", labels::disqualified(d, true));
                }
                for n in &rules.not_applicable {
                    let _ = writeln!(
                        out,
                        "  - {}: {} {} {}: \"{}\"",
                        Label::NotApplicable.en(),
                        n.criterion,
                        Label::Because.en(),
                        n.because,
                        n.rule
                    );
                }
            }
            (_, Block::Warnings(warnings)) => {
                let _ = writeln!(out, "\n{}:", Label::Warnings.en());
                for warning in warnings {
                    let _ = writeln!(out, "  - {warning}");
                }
            }
            (_, Block::Outcome(o)) => {
                let _ = writeln!(
                    out,
                    "\n{}: {}",
                    Label::Outcome.en(),
                    labels::outcome(o, true)
                );
            }
            (_, Block::Policies(p, engine)) => {
                let _ = writeln!(
                    out,
                    "\n{}: {} {}, {} {}, {}: {}. {engine}",
                    Label::Policies.en(),
                    Label::Bands.en(),
                    p.band_policy,
                    Label::Rounding.en(),
                    p.rounding,
                    Label::MarkReading.en(),
                    p.gate_reading
                );
            }
            // Fill-in lines, the comment line and signatures are for paper.
            _ => {}
        }
    }
    out
}

fn form_criterion(out: &mut String, line: &CriterionLine) {
    let pad = " ".repeat(4 + 2 * line.depth);
    if !line.direct {
        let _ = writeln!(out, "{pad}{}. {}  [max {}]", line.id, line.title, line.max);
    }
    for requirement in &line.requirements {
        let _ = writeln!(out, "{pad}  {}: {requirement}", Label::Requirement.en());
    }
    for note in &line.notes {
        let _ = writeln!(out, "{pad}  {note}");
    }
    if let Some(inferred) = &line.inferred {
        let _ = writeln!(out, "{pad}  ⚠ inferred: {inferred}");
    }
    for doubt in &line.doubts {
        let _ = writeln!(out, "{pad}  ⚠ {doubt}");
    }
}

/// The line of a section scored directly: the section's line names it.
fn direct_line(out: &mut String, line: &CriterionLine) {
    match &line.chosen {
        Chosen::Option(option) => {
            let text = match (*option, &line.option_text) {
                (_, Some(text)) => text.as_str(),
                (0, None) => "(none applies)",
                (_, None) => "",
            };
            let _ = writeln!(out, "         option {option}: {}", clip(text, 70));
        }
        Chosen::Boxes(boxes) => {
            let list: Vec<String> = boxes.iter().map(u16::to_string).collect();
            let _ = writeln!(out, "         boxes ticked: [{}]", list.join(", "));
        }
        _ => {}
    }
}

fn result_line(out: &mut String, line: &CriterionLine) {
    let indent = "  ".repeat(line.depth + 1);
    let choice = match &line.chosen {
        Chosen::Option(0) => "option 0 (none applies)".to_string(),
        Chosen::Option(n) => format!("option {n}"),
        Chosen::Boxes(boxes) if boxes.is_empty() => "no box ticked".to_string(),
        Chosen::Boxes(boxes) => {
            let list: Vec<String> = boxes.iter().map(u16::to_string).collect();
            format!("boxes {}", list.join(", "))
        }
        Chosen::Members(options) => {
            let list: Vec<String> = options
                .iter()
                .map(|o| o.map_or_else(|| "–".to_string(), |n| n.to_string()))
                .collect();
            format!("{} {}", Label::Mean.en(), list.join(" · "))
        }
        _ => String::new(),
    };
    let mark = match line.mark {
        Some(m) if !m.met => format!("  {}★ mark {}", m.stars, Label::MarkMissed.en()),
        _ => String::new(),
    };
    let _ = writeln!(
        out,
        "{indent}{:>7} {:<51} {:>5} / {}  {choice}{mark}",
        line.id,
        clip(&line.title, 51),
        line.points.map(num).unwrap_or_default(),
        num(line.max)
    );
}

/// A decimal as a person reads it: at most two places, exact value kept in JSON.
fn num(value: rust_decimal::Decimal) -> String {
    ocop::report::points(value)
}

fn clip(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

pub fn verification(v: &ocop::verify::Verification) -> String {
    let mut out = String::new();
    if v.matches {
        let _ = writeln!(
            out,
            "OK: every figure of the stored assessment matches its re-computation (edition {}).",
            v.edition
        );
    } else {
        let _ = writeln!(
            out,
            "MISMATCH: the stored assessment does not match its re-computation (edition {}).",
            v.edition
        );
    }
    if let Some(change) = &v.rubric_changed {
        let _ = writeln!(
            out,
            "The rubric data of edition {} changed since: recorded hash {}, embedded hash {}.",
            v.edition, change.recorded, change.current
        );
    }
    if v.engine.recorded != v.engine.current {
        let _ = writeln!(
            out,
            "Made by {}, re-computed by {}.",
            v.engine.recorded, v.engine.current
        );
    }
    for d in &v.differences {
        let _ = writeln!(
            out,
            "  {}: recorded {}, re-computed {}",
            d.path, d.recorded, d.recomputed
        );
    }
    out
}

pub fn advice(a: &ocop::advise::Advice) -> String {
    let mut out = format!(
        "Sheet `{}` (edition {}): {} points, {} now.\n",
        a.sheet,
        a.edition,
        num(a.total),
        stars(a.stars.get())
    );
    if let Some(note) = &a.note {
        let _ = writeln!(out, "{note}");
        return out;
    }
    if let Some(target) = a.target {
        let _ = writeln!(
            out,
            "To reach {}: change {} criteria, +{} points (total {}, rank {} when re-scored).",
            stars(target.get()),
            a.criteria_changed,
            num(a.points_gained),
            num(a.new_total),
            stars(a.reaches.get())
        );
    }
    for step in &a.steps {
        let why = match step.reason {
            ocop::advise::StepReason::Mark => "star mark of the target rank",
            ocop::advise::StepReason::Applies => "makes a marked criterion apply",
            _ => "points for the band",
        };
        let _ = writeln!(
            out,
            "  {:>7} {:<45} option {} → {} (+{}; {why})\n          {}",
            step.criterion,
            clip(&step.title, 45),
            step.from_option,
            step.to_option,
            num(step.gained),
            clip(&step.to_text, 90)
        );
    }
    out
}

pub fn lint(l: &ocop::reform::lint::Lint) -> String {
    let mut out = String::new();
    if l.problems.is_empty() {
        if let Some(ocop::reform::lint::Linted { id, sheets, hash }) = &l.edition {
            let _ = writeln!(
                out,
                "{}: clean — edition {id}, {sheets} sheets, hash {hash}",
                l.folder
            );
        }
        for w in &l.warnings {
            let _ = writeln!(out, "{}/{}: warning: {}", l.folder, w.file, w.message);
        }
        return out;
    }
    let _ = writeln!(out, "{}: {} problems", l.folder, l.problems.len());
    for p in &l.problems {
        match p.line {
            Some(line) => {
                let _ = writeln!(out, "{}/{}:{}: {}", l.folder, p.file, line, p.message);
            }
            None => {
                let _ = writeln!(out, "{}/{}: {}", l.folder, p.file, p.message);
            }
        }
    }
    out
}

/// `ocop diff`: the data of the library, as text for people.
pub fn diff(d: &ocop::reform::diff::Diff) -> String {
    let mut out = format!("Edition {} → {}\n", d.from, d.to);
    if d.bands.is_empty()
        && d.sheets_added.is_empty()
        && d.sheets_removed.is_empty()
        && d.sheets.is_empty()
    {
        out.push_str("No structural difference.\n");
        return out;
    }
    for band in &d.bands {
        let _ = writeln!(out, "band: {band}");
    }
    for key in &d.sheets_added {
        let _ = writeln!(out, "sheet added: {key}");
    }
    for key in &d.sheets_removed {
        let _ = writeln!(out, "sheet removed: {key}");
    }
    for sheet in &d.sheets {
        let _ = writeln!(out, "\nsheet `{}`:", sheet.sheet);
        for m in &sheet.maxima {
            let _ = writeln!(out, "  maximum of {m}");
        }
        for id in &sheet.criteria_added {
            let _ = writeln!(out, "  criterion {id} added");
        }
        for id in &sheet.criteria_removed {
            let _ = writeln!(out, "  criterion {id} removed");
        }
        for c in &sheet.criteria {
            let name = if c.from_id == c.to_id {
                format!("criterion {}", c.from_id)
            } else {
                format!(
                    "criterion {} → {} (matched by {})",
                    c.from_id, c.to_id, c.matched_by
                )
            };
            let _ = writeln!(out, "  {name}:");
            if let Some((x, y)) = &c.renamed {
                let _ = writeln!(out, "    renamed: \"{x}\" → \"{y}\"");
            }
            if let Some((x, y)) = &c.max {
                let _ = writeln!(out, "    maximum {x} → {y}");
            }
            for (n, text, x, y) in &c.options_repointed {
                let _ = writeln!(out, "    option {n} \"{text}\": {x} → {y} points");
            }
            for (n, text, p) in &c.options_added {
                let _ = writeln!(out, "    option {n} added: \"{text}\" ({p} points)");
            }
            for (n, text, p) in &c.options_removed {
                let _ = writeln!(out, "    option {n} removed: \"{text}\" ({p} points)");
            }
            for (stars, x, y) in &c.marks_moved {
                let _ = writeln!(
                    out,
                    "    {stars}★ mark: {} → {}",
                    x.as_deref()
                        .map_or("none".to_string(), |t| format!("\"{t}\"")),
                    y.as_deref()
                        .map_or("none".to_string(), |t| format!("\"{t}\""))
                );
            }
        }
    }
    out
}

/// `ocop impact`: the data of the library, as text for people (the changed
/// products are listed up to 50).
pub fn impact(d: &ocop::reform::impact::Impact) -> String {
    let mut out = format!(
        "Impact of {} (reform) against {} (baseline)\n{} dossiers read, {} scored under both, {} not scorable.\n\n",
        d.reform.0,
        d.baseline.0,
        d.read,
        d.scored,
        d.not_scorable.len()
    );
    let _ = writeln!(out, "Rank transitions (rows: baseline, columns: reform):");
    let _ = write!(out, "{:>14}", "");
    for label in ocop::reform::impact::RANKS {
        let _ = write!(out, "{label:>14}");
    }
    out.push('\n');
    for (label, row) in ocop::reform::impact::RANKS.iter().zip(&d.matrix) {
        let _ = write!(out, "{label:>14}");
        for cell in row {
            let _ = write!(out, "{cell:>14}");
        }
        out.push('\n');
    }
    let _ = writeln!(out, "\nTotal-point changes (reform − baseline):");
    for (delta, n) in &d.total_changes {
        let _ = writeln!(out, "  {:>+8}: {n}", delta.to_string());
    }
    let _ = writeln!(out, "\nPer sheet (read / scored / up / down):");
    for (sheet, c) in &d.sheets {
        let _ = writeln!(
            out,
            "  {sheet:<60} {:>6} {:>6} {:>6} {:>6}",
            c.read, c.scored, c.up, c.down
        );
    }
    let _ = writeln!(out, "\n{} products change rank:", d.changed.len());
    for change in d.changed.iter().take(50) {
        let id = change
            .id
            .as_ref()
            .map_or(String::new(), |v| format!(" {}", v.get()));
        let _ = writeln!(
            out,
            "  line {}{id} `{}`: {} pts {}★ → {} pts {}★ — {}",
            change.line,
            change.sheet,
            change.baseline.0,
            change.baseline.1,
            change.reform.0,
            change.reform.1,
            change.causes.join("; ")
        );
    }
    if d.changed.len() > 50 {
        let _ = writeln!(
            out,
            "  … and {} more (see --format json)",
            d.changed.len() - 50
        );
    }
    if !d.not_scorable.is_empty() {
        let _ = writeln!(out, "\nNot scorable:");
        for n in d.not_scorable.iter().take(50) {
            let _ = writeln!(out, "  line {}: {}", n.line, n.reason);
        }
    }
    out
}
