//! Text and JSON views for people and programs; no scoring logic here.

use std::fmt::Write;

use ocop::assess::EditionChoice;
use ocop::rubric::CertificateKind;
use ocop::{Assessment, Criterion, Edition, Sheet};
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
        "band_policy": edition.band_policy().name(),
        "sheets_available": edition.sheets().len(),
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
            "filed_before": rule.filed_before.to_string(),
            "evaluated_until": rule.evaluated_until.to_string(),
            "edition": rule.edition,
            "kinds": rule.kinds,
            "cite": rule.cite,
            "text": rule.text,
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
            edition.sheets().len(),
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
            let kinds: Vec<&str> = rule.kinds.iter().map(|k| k.name()).collect();
            let _ = writeln!(
                out,
                "           transition: filed before {} and evaluated by {}{} stay under {} ({})",
                rule.filed_before,
                rule.evaluated_until,
                if kinds.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", kinds.join(", "))
                },
                rule.edition,
                rule.cite
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
        .iter()
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
        edition.sheets().len(),
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
    match rank {
        0 => "no rank".to_string(),
        n => format!("{n}★"),
    }
}

pub fn sheet(edition: &Edition, sheet: &Sheet) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}. Bộ sản phẩm: {}", sheet.number(), sheet.title());
    let _ = writeln!(
        out,
        "Edition {} ({}), sheet `{}`",
        edition.id(),
        edition.decision(),
        sheet.key()
    );
    if let Some(rule) = sheet.disqualified_when() {
        let _ = writeln!(out, "Hồ sơ bị loại khi: {rule}");
    }
    for part in sheet.parts() {
        let _ = writeln!(
            out,
            "\nPhần {}: {}  [max {}]",
            part.id(),
            part.title(),
            part.max()
        );
        for doubt in part.doubts() {
            let _ = writeln!(out, "  ⚠ {doubt}");
        }
        for section in part.sections() {
            let _ = writeln!(
                out,
                "\n  {}. {}  [max {}]",
                section.id(),
                section.title(),
                section.max()
            );
            for criterion in section.criteria() {
                criterion_text(&mut out, criterion, section.is_direct(), 4);
            }
        }
    }
    let _ = writeln!(out, "\nTỔNG CỘNG  [max {}]", sheet.max());
    if let Some(footnote) = edition.star_footnote() {
        let _ = writeln!(out, "{footnote}");
    }
    out
}

fn criterion_text(out: &mut String, criterion: &Criterion, direct: bool, indent: usize) {
    let pad = " ".repeat(indent);
    if !direct {
        let _ = writeln!(
            out,
            "{pad}{}. {}  [max {}]",
            criterion.id(),
            criterion.title(),
            criterion.max()
        );
    }
    for requirement in criterion.requirements() {
        let _ = writeln!(out, "{pad}  Yêu cầu: {requirement}");
    }
    for note in criterion.notes() {
        let _ = writeln!(out, "{pad}  {note}");
    }
    if let Some(inferred) = criterion.inferred() {
        let _ = writeln!(out, "{pad}  ⚠ inferred: {inferred}");
    }
    for doubt in criterion.doubts() {
        let _ = writeln!(out, "{pad}  ⚠ {doubt}");
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
                let _ = writeln!(out, "{pad}  {}. {}", found.id, found.title);
            }
        }
        let mark = option
            .min_stars()
            .map(|n| format!(" {}", "*".repeat(usize::from(n))))
            .unwrap_or_default();
        let fix = match (option.printed(), option.erratum()) {
            (Some(printed), Some(_)) => format!(" (printed \"{printed}\")"),
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "{pad}  [{}] □ {}{mark}  — {} pts{fix}",
            option.number(),
            option.text(),
            option.points()
        );
    }
    for child in criterion.children() {
        criterion_text(out, child, false, indent + 2);
    }
}

fn certificate(kind: CertificateKind) -> &'static str {
    match kind {
        CertificateKind::None => "no certificate",
        CertificateKind::Province => "certified by the province",
        CertificateKind::Ministry => "certified by the ministry",
    }
}

pub fn assessment(a: &Assessment) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "OCOP assessment: {}. {} (`{}`)",
        a.sheet_number, a.sheet_title, a.sheet
    );
    let _ = writeln!(
        out,
        "Edition {} ({}), data hash {}",
        a.edition, a.decision, &a.edition_hash
    );
    let why = match &a.edition_choice {
        EditionChoice::Explicit => "named by the dossier".to_string(),
        EditionChoice::Date { evaluated_on } => format!("in force on {evaluated_on}"),
        EditionChoice::Transition {
            evaluated_on,
            filed_on,
            cite,
        } => {
            format!("filed {filed_on}, evaluated {evaluated_on}: transition rule of {cite}")
        }
        _ => "other".to_string(),
    };
    let _ = writeln!(
        out,
        "Edition chosen: {why}; bands {}, rounding {}, star marks: {}",
        a.policies.band_policy, a.policies.rounding, a.policies.gate_reading
    );
    if let Some(product) = &a.product {
        for (label, value) in [
            ("Product", &product.name),
            ("Code", &product.code),
            ("Producer", &product.producer),
        ] {
            if let Some(value) = value {
                let _ = writeln!(out, "{label}: {value}");
            }
        }
    }
    let _ = writeln!(out);
    let mut section = String::new();
    for line in &a.criteria {
        if line.section != section {
            section.clone_from(&line.section);
            if let Some(s) = a.sections.iter().find(|s| s.id == section) {
                let _ = writeln!(
                    out,
                    "{:>5}. {:<60} {:>5} / {}",
                    s.id,
                    clip(&s.title, 60),
                    num(s.points),
                    num(s.max)
                );
            }
        }
        if a.sections.iter().any(|s| s.id == line.id) {
            // A section scored directly: its line is the section's.
            if let Some(option) = line.option {
                let _ = writeln!(
                    out,
                    "         option {option}: {}",
                    clip(line.option_text.as_deref().unwrap_or("(none applies)"), 70)
                );
            }
            if let Some(boxes) = &line.boxes {
                let list: Vec<String> = boxes.iter().map(u16::to_string).collect();
                let _ = writeln!(out, "         boxes ticked: [{}]", list.join(", "));
            }
            continue;
        }
        let indent = if line.parent.is_some() { "    " } else { "  " };
        let choice = match (line.option, &line.boxes) {
            (Some(0), _) => "option 0 (none applies)".to_string(),
            (Some(n), _) => format!("option {n}"),
            (None, Some(boxes)) if boxes.is_empty() => "no box ticked".to_string(),
            (None, Some(boxes)) => {
                let list: Vec<String> = boxes.iter().map(u16::to_string).collect();
                format!("boxes {}", list.join(", "))
            }
            (None, None) => String::new(),
        };
        let _ = writeln!(
            out,
            "{indent}{:>7} {:<51} {:>5} / {}  {choice}",
            line.id,
            clip(&line.title, 51),
            num(line.points),
            num(line.max)
        );
    }
    let _ = writeln!(out);
    if let Some(council) = &a.council {
        let _ = writeln!(
            out,
            "Council of {} members (rank on the mean total):",
            council.size
        );
        for member in &council.members {
            let _ = writeln!(
                out,
                "  {:<40} {:>6}  band {}  rank {}",
                clip(member.member.as_deref().unwrap_or("?"), 40),
                num(member.total),
                stars(member.band_stars),
                stars(member.stars)
            );
        }
        if let Some(spread) = &council.spread {
            let _ = writeln!(
                out,
                "  Spread {} points (limit {}): {}",
                num(spread.difference),
                num(spread.limit),
                if spread.tripped {
                    "EXCEEDED, the council should re-score"
                } else {
                    "within the limit"
                }
            );
        }
        let _ = writeln!(out);
    }
    for part in &a.parts {
        let _ = writeln!(
            out,
            "Phần {}: {:<50} {:>5} / {}",
            part.id,
            clip(&part.title, 50),
            num(part.points),
            num(part.max)
        );
    }
    let _ = writeln!(out, "TỔNG CỘNG: {} / {}", num(a.total), num(a.max));
    let _ = writeln!(
        out,
        "Band rank: {}   Final rank: {}   ({})",
        stars(a.band_stars),
        stars(a.stars),
        certificate(a.certificate)
    );
    if !a.unmet_marks.is_empty() {
        let _ = writeln!(out, "\nUnmet star marks:");
        for mark in &a.unmet_marks {
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
                let _ = writeln!(out, "      minimum set outside the sheet: {gate}");
            }
        }
    }
    if let Some(d) = &a.disqualified {
        let _ = writeln!(
            out,
            "\nDISQUALIFIED: {}",
            ocop::report::disqualified_line(d)
        );
        if let Some(rule) = &d.rule {
            let _ = writeln!(out, "  Hồ sơ bị loại khi: {rule}");
        }
    }
    if !a.warnings.is_empty() {
        let _ = writeln!(out, "\nWarnings:");
        for warning in &a.warnings {
            let _ = writeln!(out, "  - {warning}");
        }
    }
    out
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
        stars(a.stars)
    );
    if let Some(note) = &a.note {
        let _ = writeln!(out, "{note}");
        return out;
    }
    if let Some(target) = a.target {
        let _ = writeln!(
            out,
            "To reach {}: change {} criteria, +{} points (total {}, rank {} when re-scored).",
            stars(target),
            a.criteria_changed,
            num(a.points_gained),
            num(a.new_total),
            stars(a.reaches)
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
