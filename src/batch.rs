//! Bulk scoring: one output record per input record, in input order, never a
//! dropped record.
//!
//! A JSON Lines batch feeds each line to a [`LineScorer`], which writes either
//! the full assessment, a compact summary line, or an error line carrying the
//! line number and the same typed error the library gives. Well-formed lines
//! take a fast path: borrowed parsing, answers mapped onto a reused buffer and
//! scored on the sheet's dense [`Table`](crate::rubric::table::Table); anything
//! unusual (a council, a bad value) takes the full path, so the figures and
//! errors are always the library's.
//!
//! Limits: a line longer than [`MAX_LINE`] bytes is an error line (its bytes are
//! skipped, not stored); a blank line yields an error line with code
//! `empty-line`, so output lines always equal input lines.

use std::borrow::Cow;
use std::fmt::Write;

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::assess::{Options, assess_with};
use crate::dossier::{Dossier, Product};
use crate::error::Error;
use crate::rubric::Edition;
use crate::rubric::table::Summary;

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
#[derive(Debug, Clone, Default)]
pub struct LineScorer {
    options: Options,
    summary: bool,
    answers: Vec<u16>,
    /// The last sheet scored: batches repeat sheets, so look it up once.
    last: Option<(&'static Edition, &'static crate::rubric::Sheet)>,
}

/// A line deserialised into borrowed fields and nothing else: the
/// `batch/parse-only` baseline the fast path is measured against.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FastLine<'a> {
    #[serde(rename = "$schema", borrow, default)]
    _schema: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub(crate) id: Option<&'a RawValue>,
    #[serde(rename = "edition", borrow, default)]
    _edition: Option<Cow<'a, str>>,
    #[serde(rename = "evaluated_on", borrow, default)]
    _evaluated_on: Option<Cow<'a, str>>,
    #[serde(rename = "filed_on", borrow, default)]
    _filed_on: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(crate) sheet: Cow<'a, str>,
    #[serde(rename = "product", borrow, default)]
    _product: Option<&'a RawValue>,
    #[serde(borrow)]
    pub(crate) answers: Pairs<'a>,
    #[serde(borrow, default)]
    pub(crate) disqualified: Option<Cow<'a, str>>,
}

/// The answers object as pairs, without building a map.
pub(crate) struct Pairs<'a>(pub(crate) Vec<(&'a str, u16)>);

impl<'de: 'a, 'a> Deserialize<'de> for Pairs<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for Visit<'a> {
            type Value = Pairs<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object of criterion id → option number")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut out = Vec::with_capacity(map.size_hint().unwrap_or(40));
                while let Some((key, value)) = map.next_entry::<&'a str, u16>()? {
                    out.push((key, value));
                }
                Ok(Pairs(out))
            }
        }
        deserializer.deserialize_map(Visit(std::marker::PhantomData))
    }
}

/// What the seeded fast parser keeps of a line; the answers go straight into
/// the scorer's buffer.
struct Header<'a> {
    id: Option<&'a RawValue>,
    dated: bool,
    disqualified: bool,
    scored_on: Option<(&'static Edition, &'static crate::rubric::Sheet)>,
}

/// Parses a line in one pass: once `edition` and `sheet` are known, `answers`
/// is read directly into leaf order on the sheet's table. Any surprise (an
/// unknown field or criterion, answers before the sheet, escapes in a key) is
/// an error here, and the line goes to the full path.
struct LineSeed<'s> {
    last: &'s mut Option<(&'static Edition, &'static crate::rubric::Sheet)>,
    answers: &'s mut Vec<u16>,
}

impl<'de, 's> serde::de::DeserializeSeed<'de> for LineSeed<'s> {
    type Value = Header<'de>;
    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Header<'de>, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, 's> serde::de::Visitor<'de> for LineSeed<'s> {
    type Value = Header<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a dossier object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Header<'de>, A::Error> {
        use serde::de::Error as _;
        let mut header = Header {
            id: None,
            dated: false,
            disqualified: false,
            scored_on: None,
        };
        let mut edition: Option<&'de str> = None;
        let mut sheet: Option<&'de str> = None;
        let mut answered = false;
        while let Some(key) = map.next_key::<&'de str>()? {
            match key {
                "$schema" | "product" => {
                    map.next_value::<&'de RawValue>()?;
                }
                "id" => header.id = Some(map.next_value::<&'de RawValue>()?),
                "edition" if edition.is_none() => edition = Some(map.next_value::<&'de str>()?),
                "sheet" if sheet.is_none() => sheet = Some(map.next_value::<&'de str>()?),
                "evaluated_on" | "filed_on" => {
                    header.dated = true;
                    map.next_value::<&'de RawValue>()?;
                }
                "disqualified" => {
                    header.disqualified = map.next_value::<Option<&'de str>>()?.is_some();
                }
                "answers" if !answered => {
                    answered = true;
                    let (Some(wanted), Some(key)) = (edition, sheet) else {
                        return Err(A::Error::custom("answers before edition and sheet"));
                    };
                    let (found_edition, found_sheet) = match *self.last {
                        Some((e, s)) if e.id() == wanted && s.key() == key => (e, s),
                        _ => {
                            let e = crate::edition(wanted).map_err(A::Error::custom)?;
                            let s = e.sheet(key).map_err(A::Error::custom)?;
                            *self.last = Some((e, s));
                            (e, s)
                        }
                    };
                    let table = found_sheet
                        .table()
                        .ok_or_else(|| A::Error::custom("no table"))?;
                    self.answers.clear();
                    self.answers.resize(table.leaves(), u16::MAX);
                    map.next_value_seed(AnswersSeed {
                        table,
                        answers: &mut *self.answers,
                    })?;
                    header.scored_on = Some((found_edition, found_sheet));
                }
                _ => return Err(A::Error::custom("not for the fast path")),
            }
        }
        if header.scored_on.is_none() {
            return Err(A::Error::custom("no answers"));
        }
        Ok(header)
    }
}

/// Reads an answers object into leaf order.
struct AnswersSeed<'s> {
    table: &'s crate::rubric::table::Table,
    answers: &'s mut Vec<u16>,
}

impl<'de, 's> serde::de::DeserializeSeed<'de> for AnswersSeed<'s> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, 's> serde::de::Visitor<'de> for AnswersSeed<'s> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an object of criterion id → option number")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        use serde::de::Error as _;
        let mut cursor = 0;
        while let Some((id, option)) = map.next_entry::<&'de str, u16>()? {
            let (index, next) = self
                .table
                .leaf_index_from(id, cursor)
                .ok_or_else(|| A::Error::custom("not a leaf"))?;
            cursor = next;
            match self.answers.get_mut(index) {
                Some(slot) if *slot == u16::MAX => *slot = option,
                _ => return Err(A::Error::custom("answered twice")),
            }
        }
        Ok(())
    }
}

pub(crate) fn parse_fast(line: &str) -> Option<FastLine<'_>> {
    serde_json::from_str(line).ok()
}

/// Deserialises exactly what the batch's fast path reads from a line, and
/// nothing else: the `batch/parse-only` baseline of the benchmarks.
pub fn parse_only(line: &str) -> bool {
    parse_fast(line).is_some()
}

impl LineScorer {
    /// A scorer writing full assessments, or summary lines when `summary`.
    pub fn new(options: Options, summary: bool) -> Self {
        LineScorer {
            options,
            summary,
            answers: Vec::new(),
            last: None,
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
        if self.summary {
            let mark = out.len();
            if let Some(outcome) = self.fast(number, line, out) {
                return outcome;
            }
            out.truncate(mark);
        }
        self.full(number, line, out)
    }

    /// The fast path; `None` hands the line to the full path.
    fn fast(&mut self, number: usize, line: &str, out: &mut String) -> Option<Outcome> {
        let mut parser = serde_json::Deserializer::from_str(line);
        let seed = LineSeed {
            last: &mut self.last,
            answers: &mut self.answers,
        };
        let header = serde::de::DeserializeSeed::deserialize(seed, &mut parser).ok()?;
        parser.end().ok()?;
        if header.dated {
            return None; // dates resolve through the full path
        }
        let (edition, sheet) = header.scored_on?;
        if self.answers.contains(&u16::MAX) {
            return None; // unanswered criteria: the full path names them
        }
        let summary = sheet
            .table()?
            .score(&self.answers, self.options.round_half_up)
            .ok()?;
        let stars = if header.disqualified {
            0
        } else {
            summary.stars
        };
        summary_line(
            out,
            number,
            header.id.map(RawValue::get),
            edition,
            sheet,
            &summary,
            stars,
        );
        Some(Outcome::Scored(stars))
    }

    fn full(&mut self, number: usize, line: &str, out: &mut String) -> Outcome {
        let value = match crate::dossier::parse_json(line) {
            Ok(value) => value,
            Err(error) => {
                error_line(out, number, None, error.code(), &error.to_string());
                return Outcome::Failed;
            }
        };
        let id = value.get("id").map(|id| id.to_string());
        let result =
            Dossier::from_value(&value).and_then(|dossier| assess_with(&dossier, self.options));
        match result {
            Ok(assessment) if self.summary => {
                let _ = write!(out, "{{\"line\":{number}");
                if let Some(id) = &id {
                    let _ = write!(out, ",\"id\":{id}");
                }
                let _ = write!(
                    out,
                    ",\"edition\":{},\"sheet\":{},\"total\":\"{}\",\"parts\":{{",
                    json_string(&assessment.edition),
                    json_string(&assessment.sheet),
                    assessment.total.normalize()
                );
                for (i, part) in assessment.parts.iter().enumerate() {
                    let comma = if i > 0 { "," } else { "" };
                    let _ = write!(
                        out,
                        "{comma}{}:\"{}\"",
                        json_string(&part.id),
                        part.points.normalize()
                    );
                }
                let _ = write!(
                    out,
                    "}},\"band_stars\":{},\"stars\":{},\"unmet_marks\":{}}}",
                    assessment.band_stars,
                    assessment.stars,
                    assessment.unmet_marks.len()
                );
                Outcome::Scored(assessment.stars)
            }
            Ok(assessment) => match serde_json::to_string(&assessment) {
                Ok(json) => {
                    out.push_str(&json);
                    Outcome::Scored(assessment.stars)
                }
                Err(err) => {
                    error_line(out, number, id.as_deref(), "invalid-json", &err.to_string());
                    Outcome::Failed
                }
            },
            Err(error) => {
                error_line(out, number, id.as_deref(), error.code(), &error.to_string());
                Outcome::Failed
            }
        }
    }
}

fn summary_line(
    out: &mut String,
    number: usize,
    id: Option<&str>,
    edition: &Edition,
    sheet: &crate::rubric::Sheet,
    summary: &Summary,
    stars: u8,
) {
    out.push_str("{\"line\":");
    push_number(out, number as u64);
    if let Some(id) = id {
        out.push_str(",\"id\":");
        out.push_str(id);
    }
    out.push_str(",\"edition\":");
    push_json_string(out, edition.id());
    out.push_str(",\"sheet\":");
    push_json_string(out, sheet.key());
    out.push_str(",\"total\":\"");
    let (total, scale) = summary.total_units();
    fixed(out, total, scale);
    out.push_str("\",\"parts\":{");
    for (i, (units, part)) in summary.part_units().iter().zip(sheet.parts()).enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_json_string(out, part.id());
        out.push_str(":\"");
        fixed(out, *units, scale);
        out.push('"');
    }
    out.push_str("},\"band_stars\":");
    push_number(out, u64::from(summary.band_stars));
    out.push_str(",\"stars\":");
    push_number(out, u64::from(stars));
    out.push_str(",\"unmet_marks\":");
    push_number(out, u64::from(summary.unmet_marks));
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

/// Writes fixed-point `units / 10^scale` as `Decimal::normalize` prints it.
pub fn fixed(out: &mut String, units: i64, scale: u32) {
    if scale == 0 {
        if units < 0 {
            out.push('-');
        }
        push_number(out, units.unsigned_abs());
        return;
    }
    let unit = 10_i64.pow(scale);
    let (whole, mut fraction) = (units / unit, (units % unit).abs());
    if units < 0 && whole == 0 {
        out.push('-');
    }
    let _ = write!(out, "{whole}");
    if fraction == 0 {
        return;
    }
    let mut digits = scale;
    while fraction % 10 == 0 {
        fraction /= 10;
        digits -= 1;
    }
    let _ = write!(out, ".{fraction:0width$}", width = digits as usize);
}

fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    push_json_string(&mut out, text);
    out
}

/// Writes an error line: `{"line":N,"id":…,"error":{"code":…,"message":…}}`.
pub fn error_line(out: &mut String, number: usize, id: Option<&str>, code: &str, message: &str) {
    let _ = write!(out, "{{\"line\":{number}");
    if let Some(id) = id {
        let _ = write!(out, ",\"id\":{id}");
    }
    let _ = write!(
        out,
        ",\"error\":{{\"code\":{},\"message\":{}}}}}",
        json_string(code),
        json_string(message)
    );
}

/// A CSV record as a dossier: `headers` name the columns (`id`, `edition`,
/// `evaluated_on`, `filed_on`, `sheet`, `name`, `code`, `producer`,
/// `disqualified`, any other `product.<field>`, and one column per criterion
/// id); empty cells are absent answers.
pub fn dossier_from_record(headers: &[&str], fields: &[&str]) -> Result<Dossier, Error> {
    let mut dossier = Dossier::default();
    let mut product = Product::default();
    for (header, field) in headers.iter().zip(fields) {
        let field = field.trim();
        if field.is_empty() {
            continue;
        }
        match *header {
            "id" => dossier.id = Some(serde_json::Value::String(field.to_string())),
            "edition" => dossier.edition = Some(field.to_string()),
            "evaluated_on" | "filed_on" => {
                let date = field.parse().map_err(|_| Error::InvalidField {
                    field: (*header).to_string(),
                    value: crate::error::echo(field),
                    expected: "a real calendar date written YYYY-MM-DD".to_string(),
                })?;
                if *header == "evaluated_on" {
                    dossier.evaluated_on = Some(date);
                } else {
                    dossier.filed_on = Some(date);
                }
            }
            "sheet" => dossier.sheet = field.to_string(),
            "name" | "product.name" => product.name = Some(field.to_string()),
            "code" | "product.code" => product.code = Some(field.to_string()),
            "producer" | "product.producer" => product.producer = Some(field.to_string()),
            "disqualified" => dossier.disqualified = Some(field.to_string()),
            other => {
                if let Some(extra) = other.strip_prefix("product.") {
                    product.extra.insert(
                        extra.to_string(),
                        serde_json::Value::String(field.to_string()),
                    );
                    continue;
                }
                let option = field.parse::<u16>().map_err(|_| Error::InvalidField {
                    field: format!("answers.{}", json_string(other)),
                    value: crate::error::echo(field),
                    expected:
                        "an option number: a whole number from 1, or 0 when no option applies"
                            .to_string(),
                })?;
                dossier.answers.insert(other.to_string(), option);
            }
        }
    }
    if product != Product::default() {
        dossier.product = Some(product);
    }
    if dossier.sheet.is_empty() {
        return Err(Error::InvalidField {
            field: "sheet".to_string(),
            value: "nothing (the cell is empty)".to_string(),
            expected: "the sheet key, e.g. \"rau-cu-qua-hat-tuoi\"".to_string(),
        });
    }
    // Answers for criteria the sheet does not have are empty in a mixed-sheet
    // spreadsheet; only the sheet's own columns are read.
    let edition = match (&dossier.edition, dossier.evaluated_on) {
        (Some(id), _) => crate::edition(id).ok(),
        (None, Some(date)) => crate::edition::for_dossier_dates(date, dossier.filed_on)
            .ok()
            .map(|(e, _)| e),
        _ => None,
    };
    if let Some(sheet) = edition.and_then(|e| e.sheet(&dossier.sheet).ok()) {
        dossier
            .answers
            .retain(|id, _| sheet.criterion(id).is_some());
    }
    Ok(dossier)
}
