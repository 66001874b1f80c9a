//! Bulk scoring: one output record per input record, in input order, never a
//! dropped record.
//!
//! A JSON Lines batch feeds each line to a [`LineScorer`], which writes either
//! the full assessment, a compact summary line, or an error line carrying the
//! line number and the same typed error the library gives. Every line goes
//! through the one dossier reader and the one kernel; the summary form borrows
//! from the line and reuses its buffers, so it allocates little.
//!
//! Limits: a line longer than [`MAX_LINE`] bytes is an error line (its bytes are
//! skipped, not stored); a blank line yields an error line with code
//! `empty-line`, so output lines always equal input lines.

use std::fmt::Write;

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::assess::{Law, Options, choose_edition, score_sheet};
use crate::dossier::{Dossier, DossierIn, FilledIn};
use crate::error::Error;
use crate::kernel::{Pick, Scored};

/// The longest input line or CSV record accepted, in bytes.
pub const MAX_LINE: usize = 1 << 20;

/// One input record as read off a stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A line of text (without its newline).
    Line(String),
    /// A line longer than [`MAX_LINE`]: its length in bytes (the bytes are not kept).
    TooLong(usize),
    /// A line that is not valid UTF-8.
    NotUtf8,
}

/// Reads one line of at most [`MAX_LINE`] bytes from `input`; a longer line is
/// consumed to its end but not stored. `None` at the end of the input. A last
/// line without a newline is a line; a final newline does not start another.
pub fn read_input(
    input: &mut impl std::io::BufRead,
    buf: &mut Vec<u8>,
) -> std::io::Result<Option<Input>> {
    buf.clear();
    let mut seen = 0usize;
    let mut any = false;
    loop {
        let chunk = input.fill_buf()?;
        if chunk.is_empty() {
            break;
        }
        any = true;
        let (take, done) = match chunk.iter().position(|&b| b == b'\n') {
            Some(at) => (at + 1, true),
            None => (chunk.len(), false),
        };
        let body = chunk.get(..take - usize::from(done)).unwrap_or(&[]);
        seen += body.len();
        if seen <= MAX_LINE {
            buf.extend_from_slice(body);
        }
        input.consume(take);
        if done {
            break;
        }
    }
    if !any {
        return Ok(None);
    }
    if seen > MAX_LINE {
        return Ok(Some(Input::TooLong(seen)));
    }
    Ok(Some(match String::from_utf8(std::mem::take(buf)) {
        Ok(line) => Input::Line(line),
        Err(_) => Input::NotUtf8,
    }))
}

/// Scores a chunk of records numbered from `first`, appending one output line
/// per record (newline-terminated, in order) to `out` and its outcome to
/// `outcomes`.
pub fn score_chunk(
    scorer: &mut LineScorer,
    records: &[Input],
    first: usize,
    out: &mut String,
    outcomes: &mut Vec<Outcome>,
) {
    for (i, record) in records.iter().enumerate() {
        outcomes.push(scorer.score_input(first + i, record, out));
        out.push('\n');
    }
}

/// A run of consecutive output lines and their outcomes, scored on one thread.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Piece {
    /// Newline-terminated output lines, in input order.
    pub text: String,
    /// One outcome per line.
    pub outcomes: Vec<Outcome>,
}

/// [`score_chunk`] on the current rayon pool's threads: the chunk is cut in
/// contiguous pieces, each scored into its own buffer; the pieces come back in
/// input order, to be written one after the other.
#[cfg(feature = "parallel")]
pub fn score_chunk_parallel(
    options: Options,
    summary: bool,
    records: &[Input],
    first: usize,
) -> Vec<Piece> {
    use rayon::prelude::*;
    // Small pieces: balanced across threads, and buffers well under the
    // allocator's mmap threshold.
    let pieces = rayon::current_num_threads().max(1) * 16;
    let size = records.len().div_ceil(pieces).max(1);
    records
        .par_chunks(size)
        .enumerate()
        .map_init(
            || LineScorer::new(options, summary),
            |scorer, (k, part)| {
                let mut piece = Piece {
                    text: String::with_capacity(part.len() * 200),
                    outcomes: Vec::with_capacity(part.len()),
                };
                score_chunk(
                    scorer,
                    part,
                    first + k * size,
                    &mut piece.text,
                    &mut piece.outcomes,
                );
                piece
            },
        )
        .collect()
}

/// What one input record gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Scored, with its final rank (0: disqualified).
    Scored(u8),
    /// An error line was written.
    Failed,
}

/// Scores JSON lines, reusing its buffers from one line to the next.
///
/// Every line is read by the one dossier reader and scored by the one kernel;
/// the summary form writes its line straight from the kernel's result, the
/// full form from the assessment view, whose `parts`, `sections` and
/// `criteria` lines a single sheet's writes from the sheet's pre-rendered
/// fragments and the kernel's result (the same bytes serde writes).
#[derive(Debug, Clone, Default)]
pub struct LineScorer {
    options: Options,
    summary: bool,
    picks: Vec<Pick>,
    scored: Scored,
}

impl LineScorer {
    /// A scorer writing full assessments, or summary lines when `summary`.
    pub fn new(options: Options, summary: bool) -> Self {
        LineScorer {
            options,
            summary,
            ..LineScorer::default()
        }
    }

    /// Scores one record read by [`read_input`].
    pub fn score_input(&mut self, number: usize, record: &Input, out: &mut String) -> Outcome {
        match record {
            Input::Line(line) => self.score_line(number, line, out),
            Input::TooLong(bytes) => {
                let message = format!("line of {bytes} bytes; at most {MAX_LINE} are accepted");
                error_line(out, number, None, "line-too-long", &message);
                Outcome::Failed
            }
            Input::NotUtf8 => {
                error_line(
                    out,
                    number,
                    None,
                    "invalid-utf8",
                    "the line is not valid UTF-8",
                );
                Outcome::Failed
            }
        }
    }

    /// Scores line `number` (1-based) and appends one output line, without the
    /// newline, to `out`.
    pub fn score_line(&mut self, number: usize, line: &str, out: &mut String) -> Outcome {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            error_line(
                out,
                number,
                None,
                "empty-line",
                "blank input line: nothing to score",
            );
            return Outcome::Failed;
        }
        if line.len() > MAX_LINE {
            let message = format!(
                "line of {} bytes; at most {MAX_LINE} are accepted",
                line.len()
            );
            error_line(out, number, None, "line-too-long", &message);
            return Outcome::Failed;
        }
        let dossier = match crate::dossier::read(line) {
            Ok(dossier) => dossier,
            Err(error) => {
                let id = id_of(line);
                error_line(out, number, id, error.code(), &error.to_string());
                return Outcome::Failed;
            }
        };
        let id = dossier.id.map(RawValue::get);
        let mark = out.len();
        match self.score_read(number, &dossier, out) {
            Ok(stars) => Outcome::Scored(stars),
            Err(error) => {
                out.truncate(mark);
                error_line(out, number, id, error.code(), &error.to_string());
                Outcome::Failed
            }
        }
    }

    /// Scores a dossier as read and writes its line.
    fn score_read(
        &mut self,
        number: usize,
        dossier: &DossierIn<'_>,
        out: &mut String,
    ) -> Result<u8, Error> {
        let filled = dossier.check()?;
        let chosen = choose_edition(
            dossier.edition.as_deref(),
            dossier.evaluated_on(),
            dossier.filed_on(),
            dossier.kind(),
        )?;
        let edition = chosen.edition;
        if let (true, FilledIn::Answers(answers)) = (self.summary, &filled) {
            let sheet = edition.sheet(&dossier.sheet)?;
            let law = Law::read(dossier);
            score_sheet(
                edition,
                sheet,
                answers.iter(),
                &law,
                self.options,
                &mut self.picks,
                &mut self.scored,
            )?;
            let kernel = sheet.kernel();
            let parts = sheet
                .parts()
                .iter()
                .zip(&kernel.parts)
                .map(|(part, span)| (part.id(), Units(self.scored.span(*span))));
            summary_line(
                out,
                number,
                dossier.id.map(RawValue::get),
                edition.id(),
                sheet.key(),
                Units(self.scored.total),
                parts,
                [self.scored.band_stars, self.scored.stars],
                self.scored.unmet.len(),
                dossier
                    .product
                    .as_ref()
                    .map(|p| [p.name.as_deref(), p.code.as_deref(), p.producer.as_deref()]),
            );
            return Ok(self.scored.stars);
        }
        let owned = crate::dossier::DossierIn::owned(dossier)?;
        let (mut assessment, apart) =
            edition.assess_owned_apart(owned, self.options, &mut self.picks, &mut self.scored)?;
        assessment.edition_choice = chosen.choice;
        assessment.warnings.extend(chosen.warnings);
        if let (Some(sheet), false) = (apart, self.summary) {
            // A single sheet: its lines come from the sheet's fragments and
            // the kernel's trace, in the assessment's places.
            crate::assessment_json::write_assessment(
                out,
                &assessment,
                sheet,
                &self.picks,
                &self.scored,
            )?;
        } else if self.summary {
            let parts = assessment
                .parts
                .iter()
                .map(|part| (part.id.as_str(), part.points));
            summary_line(
                out,
                number,
                dossier.id.map(RawValue::get),
                &assessment.edition,
                &assessment.sheet,
                assessment.total,
                parts,
                [assessment.band_stars.get(), assessment.stars.get()],
                assessment.unmet_marks.len(),
                assessment
                    .product
                    .as_ref()
                    .map(|p| [p.name.as_deref(), p.code.as_deref(), p.producer.as_deref()]),
            );
        } else {
            let json = serde_json::to_string(&assessment).map_err(|err| Error::Json {
                message: err.to_string(),
            })?;
            out.push_str(&json);
        }
        Ok(assessment.stars.get())
    }
}

/// The `id` of a line the reader refused, when the line is JSON enough to have
/// one that every reader accepts: error lines keep it.
fn id_of(line: &str) -> Option<&str> {
    #[derive(Deserialize)]
    struct IdOnly<'a> {
        #[serde(borrow)]
        id: Option<&'a RawValue>,
    }
    let id = serde_json::from_str::<IdOnly<'_>>(line).ok()?.id?;
    let valid = crate::dossier::parse_json(id.get()).is_ok();
    valid.then(|| id.get())
}

/// Fixed-point kernel units, written as `Decimal::normalize` prints them.
struct Units(i64);

impl std::fmt::Display for Units {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut text = String::new();
        fixed(&mut text, self.0, crate::kernel::SCALE);
        f.write_str(&text)
    }
}

/// Writes a summary line. `product` is the dossier's product name, code and
/// producer: a `"product"` object with those of them that are given is added
/// last, and none when the dossier gives none of them.
#[allow(clippy::too_many_arguments)]
fn summary_line<'p, T: std::fmt::Display>(
    out: &mut String,
    number: usize,
    id: Option<&str>,
    edition: &str,
    sheet: &str,
    total: impl std::fmt::Display,
    parts: impl Iterator<Item = (&'p str, T)>,
    [band_stars, stars]: [u8; 2],
    unmet_marks: usize,
    product: Option<[Option<&str>; 3]>,
) {
    out.push_str("{\"line\":");
    push_number(out, number as u64);
    if let Some(id) = id {
        out.push_str(",\"id\":");
        out.push_str(id);
    }
    out.push_str(",\"edition\":");
    push_json_string(out, edition);
    out.push_str(",\"sheet\":");
    push_json_string(out, sheet);
    let _ = write!(out, ",\"total\":\"{total}\",\"parts\":{{");
    for (i, (part, points)) in parts.enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_json_string(out, part);
        let _ = write!(out, ":\"{points}\"");
    }
    out.push_str("},\"band_stars\":");
    push_number(out, u64::from(band_stars));
    out.push_str(",\"stars\":");
    push_number(out, u64::from(stars));
    out.push_str(",\"unmet_marks\":");
    push_number(out, unmet_marks as u64);
    if let Some(fields) = product.filter(|fields| fields.iter().any(Option::is_some)) {
        out.push_str(",\"product\":{");
        let names = ["name", "code", "producer"];
        let mut first = true;
        for (name, value) in names.iter().zip(fields) {
            let Some(value) = value else { continue };
            if !first {
                out.push(',');
            }
            first = false;
            push_json_string(out, name);
            out.push(':');
            push_json_string(out, value);
        }
        out.push('}');
    }
    out.push('}');
}

/// Appends a number in decimal without going through `fmt`.
fn push_number(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        if let Some(slot) = digits.get_mut(at) {
            *slot = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || at == 0 {
            break;
        }
    }
    for &digit in digits.get(at..).unwrap_or(&[]) {
        out.push(char::from(digit));
    }
}

/// Appends `text` as a JSON string literal (quotes and escapes included).
fn push_json_string(out: &mut String, text: &str) {
    out.push('"');
    if !text.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        out.push_str(text);
        out.push('"');
        return;
    }
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Writes fixed-point `units / 10^scale` as `Decimal::normalize` prints it
/// (and serde writes it, between quotes): a scale above 19 is written as 19.
pub(crate) fn fixed(out: &mut String, units: i64, scale: u32) {
    let scale = scale.min(19);
    let unit = 10_u64.pow(scale);
    let magnitude = units.unsigned_abs();
    if units < 0 {
        out.push('-');
    }
    push_number(out, magnitude / unit);
    let mut fraction = magnitude % unit;
    if fraction == 0 {
        return;
    }
    let mut digits = scale;
    while fraction % 10 == 0 {
        fraction /= 10;
        digits -= 1;
    }
    out.push('.');
    // Leading zeros of the fraction, then its digits.
    let mut width = 1;
    while width < digits && fraction >= 10_u64.pow(width) {
        width += 1;
    }
    for _ in width..digits {
        out.push('0');
    }
    push_number(out, fraction);
}

/// Writes an error line: `{"line":N,"id":…,"error":{"code":…,"message":…}}`.
pub fn error_line(out: &mut String, number: usize, id: Option<&str>, code: &str, message: &str) {
    out.push_str("{\"line\":");
    push_number(out, number as u64);
    if let Some(id) = id {
        out.push_str(",\"id\":");
        out.push_str(id);
    }
    out.push_str(",\"error\":{\"code\":");
    push_json_string(out, code);
    out.push_str(",\"message\":");
    push_json_string(out, message);
    out.push_str("}}");
}

/// A CSV record as a dossier: `headers` name the columns (`id`, `edition`,
/// `evaluated_on`, `filed_on`, `proposed_on`, `level`, `kind`, `sheet`, `name`,
/// `code`, `producer`, `disqualified`, any other `product.<field>`,
/// `finding.<criterion>` (the council's finding on that criterion), and one column per criterion
/// id, `1;3` for the ticked boxes of a cumulative criterion); empty cells are
/// absent answers. The row maps onto the one dossier shape and is checked as
/// a JSON dossier is.
pub fn dossier_from_record(headers: &[&str], fields: &[&str]) -> Result<Dossier, Error> {
    use std::borrow::Cow;
    let mut dossier = DossierIn::empty();
    let mut product = crate::dossier::ProductIn::default();
    let mut has_product = false;
    let mut answers = crate::dossier::AnswersIn::default();
    let mut findings = Vec::new();
    for (at, header) in headers.iter().enumerate() {
        if !header.is_empty() && headers.iter().take(at).any(|other| other == header) {
            return Err(Error::DuplicateKey {
                key: crate::error::echo(header),
                at: Some(format!(
                    "CSV column {}, a second column of that name",
                    at + 1
                )),
            });
        }
    }
    for (header, field) in headers.iter().zip(fields) {
        let field = field.trim();
        if field.is_empty() {
            continue;
        }
        let text = Cow::Borrowed(field);
        match *header {
            "id" => {
                dossier.id_text = Some(serde_json::Value::String(field.to_string()).to_string())
            }
            "edition" => dossier.edition = Some(text),
            "evaluated_on" => dossier.evaluated_on = Some(text),
            "filed_on" => dossier.filed_on = Some(text),
            "proposed_on" => dossier.proposed_on = Some(text),
            "level" => dossier.level = Some(text),
            "kind" => dossier.kind = Some(text),
            "sheet" => dossier.sheet = text,
            "name" | "product.name" => (product.name, has_product) = (Some(text), true),
            "code" | "product.code" => (product.code, has_product) = (Some(text), true),
            "producer" | "product.producer" => (product.producer, has_product) = (Some(text), true),
            "disqualified" => dossier.disqualified = Some(text),
            other => {
                if let Some(criterion) = other.strip_prefix("finding.") {
                    findings.push(crate::dossier::FindingIn {
                        criterion: Cow::Borrowed(criterion),
                        note: text,
                    });
                    continue;
                }
                if let Some(extra) = other.strip_prefix("product.") {
                    product.extra.insert(
                        extra.to_string(),
                        serde_json::Value::String(field.to_string()),
                    );
                    has_product = true;
                    continue;
                }
                answers.push(Cow::Borrowed(other), field)?;
            }
        }
    }
    if has_product {
        dossier.product = Some(product);
    }
    if !findings.is_empty() {
        dossier.findings = Some(findings);
    }
    if dossier.sheet.is_empty() {
        return Err(Error::InvalidField {
            field: "sheet".to_string(),
            value: "nothing (the cell is empty)".to_string(),
            expected: "the sheet key, e.g. \"rau-cu-qua-hat-tuoi\"".to_string(),
        });
    }
    dossier.check_dates()?;
    // A spreadsheet mixes sheets: only the sheet's own columns are its answers.
    let edition = choose_edition(
        dossier.edition.as_deref(),
        dossier.evaluated_on(),
        dossier.filed_on(),
        dossier.kind(),
    )
    .ok()
    .map(|chosen| chosen.edition);
    if let Some(sheet) = edition.and_then(|e| e.sheet(&dossier.sheet).ok()) {
        answers.0.retain(|(id, _)| sheet.criterion(id).is_some());
    }
    dossier.answers = Some(answers);
    dossier.check()?;
    DossierIn::owned(&dossier)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    proptest! {
        /// The batch's fixed-point writer prints what `Decimal::normalize` prints.
        #[test]
        fn fixed_point_text_matches_decimal(units in -10_000_000i64..10_000_000, scale in 0u32..5) {
            let mut text = String::new();
            super::fixed(&mut text, units, scale);
            prop_assert_eq!(text, Decimal::new(units, scale).normalize().to_string());
        }

        /// … over the whole range of kernel units, and as serde writes the
        /// decimal (a JSON string), which the full batch lines rely on.
        #[test]
        fn fixed_point_text_is_serdes(units in any::<i64>(), scale in 0u32..=19) {
            let mut text = String::from("\"");
            super::fixed(&mut text, units, scale);
            text.push('"');
            let decimal = Decimal::new(units, scale).normalize();
            prop_assert_eq!(text, serde_json::to_string(&decimal).unwrap());
        }
    }

    #[test]
    fn fixed_point_edges() {
        for units in [
            0,
            1,
            -1,
            9,
            10,
            99_999,
            100_000,
            -100_000,
            10_001,
            -5,
            i64::MAX,
            i64::MIN,
        ] {
            for scale in [0, 1, 4, 19] {
                let mut text = String::new();
                super::fixed(&mut text, units, scale);
                assert_eq!(
                    text,
                    Decimal::new(units, scale).normalize().to_string(),
                    "{units} {scale}"
                );
            }
        }
    }
}
