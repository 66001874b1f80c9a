//! Reports for people: the one-page result a council secretary prints, and the
//! blank scoring form ("phiếu đánh giá") council members fill in on paper.
//!
//! One walk builds a [`model::Document`] from a sheet (the blank form) or an
//! assessment (the result); the printers are functions of it: Markdown, and
//! self-contained HTML (inline CSS, no scripts, no external resources, A4
//! print layout); the command line prints its text view from the same model.
//! Words come from one table, [`labels`]. Every text that comes from a
//! dossier or a rubric is escaped.

mod html;
pub mod labels;
mod markdown;
pub mod model;

use rust_decimal::Decimal;
use serde_json::Value;

use crate::assess::{Assessment, assess_with};
use crate::dossier::Dossier;
use crate::error::Error;
use crate::rubric::{Edition, Sheet};

pub use model::Document;

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
pub(crate) fn md(text: &str) -> String {
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

/// The one-page result, as Markdown.
pub fn assessment_markdown(a: &Assessment) -> String {
    markdown::print(&Document::result(a))
}

/// The result a council prints, as self-contained HTML for A4 paper. Figures
/// carry `data-field` attributes so a program can read them back from the
/// rendered page: `total`, `part-A`, `criterion-1.1`, `member-total-0`,
/// `spread`, `band-stars`, `stars`.
pub fn assessment_html(a: &Assessment) -> String {
    html::print(&Document::result(a))
}

/// The blank scoring form of a sheet, as Markdown.
pub fn blank_sheet_markdown(edition: &Edition, sheet: &Sheet) -> String {
    markdown::print(&Document::form(edition, sheet))
}

/// The blank scoring form of a sheet, as self-contained HTML for A4 paper.
pub fn blank_sheet_html(edition: &Edition, sheet: &Sheet) -> String {
    html::print(&Document::form(edition, sheet))
}

/// A disqualification in one line (Vietnamese): the rule that fired or the
/// council's reason.
pub fn disqualified_line(d: &crate::assess::Disqualification) -> String {
    labels::disqualified(d, false)
}
