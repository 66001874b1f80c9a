//! The province summary: what a round of results adds up to.
//!
//! A [`Summary`] is built from results as `ocop batch` writes them (summary
//! lines, full assessments, error lines, in any mix) or as stored assessment
//! files hold them: the count at each final rank (0★: rejected or stopped,
//! then 1★ to 5★), the share at 3★ or more against a target, the products
//! proposed to the central level, the dossiers disqualified or stopped with
//! the rule that did it, the star marks that cost a rank most often, and the
//! same per sheet, product group, district or commune, or round.
//!
//! Every count is an exact integer; the share is a fraction, shown as a
//! [`Decimal`] rounded to four places, and the target is checked on the
//! fraction itself (`count ≥ target × of`, exactly). The JSON form is the
//! struct; [`markdown`] and [`html`] render it for people, the HTML with its
//! charts drawn by the crate as inline SVG (no script, no external asset).

use std::collections::BTreeMap;
use std::fmt::Write;

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::assess::{Assessment, DisqualificationKind};
use crate::dossier::{Level, Product};
use crate::error::Error;
use crate::report::escape;
use crate::rubric::Action;

/// The default target: the share of products at 3★ or more.
pub const DEFAULT_TARGET: Decimal = Decimal::from_parts(8, 0, 0, false, 1);

/// Where the default target comes from.
pub const TARGET_CITE: &str = "Quảng Nam plan (provincial, not the decision): \"ít nhất 80% số sản phẩm đạt hạng 3 sao trở lên\"";

/// How results are grouped, besides the whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum By {
    /// By sheet (product set of Phụ lục II).
    Sheet,
    /// By product group of Phụ lục I (the group of the sheet's class).
    Group,
    /// By the province and district (1048/2019: `(T)-(H)`) or commune
    /// (26/2026: `(T)-(X)`) parts of the product code.
    District,
    /// By round of evaluation (the assessment's `round`).
    Round,
}

impl By {
    /// The name as the CLI takes it.
    pub fn name(self) -> &'static str {
        match self {
            By::Sheet => "sheet",
            By::Group => "group",
            By::District => "district",
            By::Round => "round",
        }
    }
}

/// A scored result as a batch summary line gives it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ResultLine {
    /// The input line.
    pub line: usize,
    /// The dossier's `id`.
    #[serde(default)]
    pub id: Option<Value>,
    /// Edition id.
    pub edition: String,
    /// Sheet key.
    pub sheet: String,
    /// Total points.
    pub total: Decimal,
    /// Band rank.
    pub band_stars: u8,
    /// Final rank (0: disqualified).
    pub stars: u8,
    /// How many star marks the product misses.
    pub unmet_marks: usize,
    /// The product's name, code and producer, when the dossier gives them.
    #[serde(default)]
    pub product: Option<Product>,
}

/// An error line of a batch.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorLine {
    /// The input line.
    pub line: Option<usize>,
    /// The dossier's `id`, when the line had one.
    pub id: Option<Value>,
    /// The error's code.
    pub code: String,
}

/// One result.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    /// A full assessment.
    Assessment(Box<Assessment>),
    /// A batch summary line.
    Line(Box<ResultLine>),
    /// A batch error line.
    Error(ErrorLine),
}

impl Record {
    /// Reads one result: an error line (`"error"`), a full assessment
    /// (`"edition_hash"`) or a summary line (`"band_stars"` and `"line"`).
    pub fn from_value(value: Value) -> Result<Record, Error> {
        let invalid = |message: String| Error::InvalidField {
            field: "(result)".to_string(),
            value: message,
            expected: "an assessment, a batch summary line or a batch error line".to_string(),
        };
        if let Some(error) = value.get("error") {
            return Ok(Record::Error(ErrorLine {
                line: value
                    .get("line")
                    .and_then(Value::as_u64)
                    .and_then(|n| usize::try_from(n).ok()),
                id: value.get("id").cloned(),
                code: error
                    .get("code")
                    .and_then(Value::as_str)
                    .unwrap_or("unknown")
                    .to_string(),
            }));
        }
        if value.get("edition_hash").is_some() {
            let assessment: Assessment =
                serde_json::from_value(value).map_err(|err| invalid(err.to_string()))?;
            return Ok(Record::Assessment(Box::new(assessment)));
        }
        if value.get("band_stars").is_some() && value.get("line").is_some() {
            let line: ResultLine =
                serde_json::from_value(value).map_err(|err| invalid(err.to_string()))?;
            return Ok(Record::Line(Box::new(line)));
        }
        Err(invalid(
            "a JSON value with neither `error`, `edition_hash` nor `band_stars`".to_string(),
        ))
    }
}

/// Reads results: one JSON document (a stored assessment file) or JSON Lines
/// (batch output); blank lines are skipped. An unreadable line is an error
/// naming it: a summary counts every record or none.
pub fn read_results(text: &str) -> Result<Vec<Record>, Error> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Ok(value) = serde_json::from_str::<Value>(text) {
        return Ok(vec![Record::from_value(value)?]);
    }
    let mut records = Vec::new();
    for (at, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let number = at.checked_add(1).ok_or_else(|| overflow("lines"))?;
        let value: Value = serde_json::from_str(line).map_err(|err| Error::Json {
            message: format!("results line {number}: {err}"),
        })?;
        records.push(Record::from_value(value).map_err(|err| at_line(err, number))?);
    }
    Ok(records)
}

/// Reads results from a stream, one at a time: JSON Lines (batch output),
/// or, when the first line is not a whole JSON value, one JSON document (a
/// stored assessment, at most [`MAX_DOSSIER`](crate::dossier::MAX_DOSSIER)
/// bytes). Blank lines are skipped; a line longer than
/// [`MAX_LINE`](crate::batch::MAX_LINE) or not UTF-8 is an error naming it.
pub fn records(mut input: impl std::io::BufRead) -> impl Iterator<Item = Result<Record, Error>> {
    let mut buf = Vec::new();
    let mut number = 0usize;
    let mut mode: Option<bool> = None; // Some(true): JSON Lines
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let fail = |done: &mut bool, err: Error| {
            *done = true;
            Some(Err(err))
        };
        loop {
            let read = match crate::batch::read_input(&mut input, &mut buf) {
                Ok(read) => read,
                Err(err) => {
                    return fail(
                        &mut done,
                        Error::Io {
                            path: "results".to_string(),
                            message: err.to_string(),
                        },
                    );
                }
            };
            let Some(read) = read else {
                done = true;
                return None;
            };
            number = number.saturating_add(1);
            let line = match read {
                crate::batch::Input::Line(line) => line,
                crate::batch::Input::TooLong(size) => {
                    return fail(
                        &mut done,
                        Error::TooLarge {
                            what: format!("results line {number}"),
                            size,
                            limit: crate::batch::MAX_LINE,
                        },
                    );
                }
                crate::batch::Input::NotUtf8 => {
                    return fail(
                        &mut done,
                        Error::InvalidField {
                            field: format!("results line {number}"),
                            value: "bytes that are not UTF-8".to_string(),
                            expected: "UTF-8 text".to_string(),
                        },
                    );
                }
            };
            let line = line.strip_prefix('\u{feff}').unwrap_or(&line).to_string();
            if line.trim().is_empty() {
                continue;
            }
            if mode.is_none() {
                mode = Some(serde_json::from_str::<Value>(&line).is_ok());
            }
            if mode == Some(true) {
                let record = serde_json::from_str::<Value>(&line)
                    .map_err(|err| Error::Json {
                        message: format!("results line {number}: {err}"),
                    })
                    .and_then(|value| {
                        Record::from_value(value).map_err(|err| at_line(err, number))
                    });
                if record.is_err() {
                    done = true;
                }
                return Some(record);
            }
            // One document: the rest of the stream, bounded.
            done = true;
            let mut text = line;
            text.push('\n');
            let limit = crate::dossier::MAX_DOSSIER as u64;
            let mut rest = Vec::new();
            let taken =
                std::io::Read::read_to_end(&mut std::io::Read::take(&mut input, limit), &mut rest);
            if let Err(err) = taken {
                return Some(Err(Error::Io {
                    path: "results".to_string(),
                    message: err.to_string(),
                }));
            }
            match String::from_utf8(rest) {
                Ok(rest) => text.push_str(&rest),
                Err(err) => {
                    return Some(Err(Error::NotUtf8 {
                        at: err.utf8_error().valid_up_to(),
                    }));
                }
            }
            if text.len() > crate::dossier::MAX_DOSSIER {
                return Some(Err(Error::TooLarge {
                    what: "a results document".to_string(),
                    size: text.len(),
                    limit: crate::dossier::MAX_DOSSIER,
                }));
            }
            return Some(
                serde_json::from_str::<Value>(&text)
                    .map_err(|err| Error::Json {
                        message: format!("results: {err}"),
                    })
                    .and_then(Record::from_value),
            );
        }
    })
}

fn at_line(err: Error, number: usize) -> Error {
    match err {
        Error::InvalidField {
            value, expected, ..
        } => Error::InvalidField {
            field: format!("results line {number}"),
            value,
            expected,
        },
        other => other,
    }
}

fn overflow(what: &str) -> Error {
    Error::TooLarge {
        what: format!("a count of {what}"),
        size: usize::MAX,
        limit: usize::MAX,
    }
}

fn inc(count: &mut u64) -> Result<(), Error> {
    *count = count.checked_add(1).ok_or_else(|| overflow("results"))?;
    Ok(())
}

/// Counts at each final rank: `"0"` (rejected or stopped) to `"5"`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Ranks {
    /// 0★: rejected (by the council or a knock-out rule) or stopped.
    #[serde(rename = "0")]
    pub none: u64,
    /// 1★.
    #[serde(rename = "1")]
    pub one: u64,
    /// 2★.
    #[serde(rename = "2")]
    pub two: u64,
    /// 3★.
    #[serde(rename = "3")]
    pub three: u64,
    /// 4★.
    #[serde(rename = "4")]
    pub four: u64,
    /// 5★.
    #[serde(rename = "5")]
    pub five: u64,
}

impl Ranks {
    /// The count at a rank (0 to 5; 0 for any other).
    pub fn get(&self, stars: u8) -> u64 {
        match stars {
            0 => self.none,
            1 => self.one,
            2 => self.two,
            3 => self.three,
            4 => self.four,
            5 => self.five,
            _ => 0,
        }
    }

    fn add(&mut self, stars: u8) -> Result<(), Error> {
        let slot = match stars {
            0 => &mut self.none,
            1 => &mut self.one,
            2 => &mut self.two,
            3 => &mut self.three,
            4 => &mut self.four,
            5 => &mut self.five,
            other => {
                return Err(Error::InvalidField {
                    field: "stars".to_string(),
                    value: other.to_string(),
                    expected: "a rank from 0 to 5".to_string(),
                });
            }
        };
        inc(slot)
    }

    /// All ranks added up.
    pub fn total(&self) -> u64 {
        (0..=5u8).fold(0u64, |sum, s| sum.saturating_add(self.get(s)))
    }

    /// Products at 3★ or more.
    pub fn three_or_more(&self) -> u64 {
        self.three
            .saturating_add(self.four)
            .saturating_add(self.five)
    }
}

/// A share, exactly: `count` of `of`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Share {
    /// The products counted.
    pub count: u64,
    /// Out of.
    pub of: u64,
    /// `count / of` rounded half-up to four places; absent when `of` is 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<Decimal>,
}

impl Share {
    fn new(count: u64, of: u64) -> Share {
        let share = (of > 0)
            .then(|| Decimal::from(count).checked_div(Decimal::from(of)))
            .flatten()
            .map(|d| {
                d.round_dp_with_strategy(4, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
                    .normalize()
            });
        Share { count, of, share }
    }

    /// True when `count / of ≥ target`, compared exactly (`count ≥ target × of`);
    /// false when `of` is 0.
    pub fn meets(&self, target: Decimal) -> bool {
        self.of > 0
            && target
                .checked_mul(Decimal::from(self.of))
                .is_some_and(|needed| Decimal::from(self.count) >= needed)
    }
}

/// The target and whether the whole meets it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Target {
    /// The share at 3★ or more aimed at, e.g. `0.8`.
    pub share: Decimal,
    /// Where it comes from.
    pub cite: String,
    /// Whether the share at 3★ or more reaches it.
    pub met: bool,
}

/// Which product a summary entry is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Entry {
    /// The batch's line (a summary or error line), or the record's place in
    /// the input (an assessment).
    pub line: usize,
    /// The dossier's `id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Value>,
    /// Sheet key.
    pub sheet: String,
    /// The product, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<Product>,
    /// Total points.
    pub total: Decimal,
    /// Final rank.
    pub stars: u8,
}

/// A product proposed to the central level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Proposed {
    /// The product.
    #[serde(flatten)]
    pub entry: Entry,
    /// `outcome` (the province's outcome proposes it) or `five-stars` (5★,
    /// no outcome given).
    pub by: String,
}

/// A dossier rejected or stopped, with the rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Disqualified {
    /// The product.
    #[serde(flatten)]
    pub entry: Entry,
    /// `dossier`, `knock-out` or `stop`; absent for a summary line, which
    /// does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<DisqualificationKind>,
    /// The criterion whose rule fired.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub criterion: Option<String>,
    /// The rule as printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// Where the rule is printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cite: Option<String>,
    /// The council's reason or finding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A star mark that cost products a rank, and how often.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct MarkCount {
    /// Edition id.
    pub edition: String,
    /// Sheet key (criterion ids repeat across sheets).
    pub sheet: String,
    /// Criterion id.
    pub criterion: String,
    /// The rank the mark is printed for.
    pub min_stars: u8,
    /// How many products it kept below their band rank.
    pub count: u64,
}

/// The figures of one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Group {
    /// The group's key: sheet key, group title, `T-X` code parts, or round.
    pub key: String,
    /// The group as a person reads it.
    pub label: String,
    /// Results scored in the group.
    pub scored: u64,
    /// Counts at each final rank.
    pub ranks: Ranks,
    /// The share at 3★ or more.
    pub three_or_more: Share,
    /// Whether the share reaches the target.
    pub meets_target: bool,
    /// Products proposed to the central level.
    pub proposed_central: u64,
}

/// What a set of results adds up to; the JSON form is this struct.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Summary {
    /// Results read (scored and errors).
    pub records: u64,
    /// Results scored.
    pub scored: u64,
    /// Error lines.
    pub errors: u64,
    /// Error lines per code.
    pub error_codes: BTreeMap<String, u64>,
    /// Counts at each final rank.
    pub ranks: Ranks,
    /// The share of the scored at 3★ or more.
    pub three_or_more: Share,
    /// The target and whether it is met.
    pub target: Target,
    /// Products proposed to the central level: the province's outcome
    /// proposes them, or, with no outcome given, they rank 5★.
    pub proposed_central: Vec<Proposed>,
    /// Dossiers rejected or stopped (final rank 0).
    pub disqualified: Vec<Disqualified>,
    /// Star marks that kept products below their band rank, most often first.
    pub unmet_marks: Vec<MarkCount>,
    /// Products below their band rank whose result is a summary line, which
    /// does not name the marks.
    pub unmet_marks_unnamed: u64,
    /// How the groups are made, when they are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<By>,
    /// The figures per group, in key order (error lines belong to none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<Group>,
}

/// How to build a summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Grouping, besides the whole.
    pub by: Option<By>,
    /// The share at 3★ or more aimed at.
    pub target: Decimal,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            by: None,
            target: DEFAULT_TARGET,
        }
    }
}

#[derive(Default)]
struct GroupCount {
    label: String,
    ranks: Ranks,
    proposed: u64,
}

/// The group of a result.
fn group_of(
    by: By,
    sheet: &str,
    edition: &str,
    code: Option<&str>,
    round: Option<String>,
) -> (String, String) {
    let none = |what: &str| (format!("({what})"), format!("({what})"));
    let edition = crate::edition(edition).ok();
    match by {
        By::Sheet => {
            let label = edition
                .and_then(|e| e.sheet(sheet).ok())
                .map(|s| format!("{}. {}", s.number(), s.title()))
                .unwrap_or_else(|| sheet.to_string());
            (sheet.to_string(), label)
        }
        By::Group => edition
            .and_then(|e| e.classes().iter().find(|c| c.sheet() == sheet))
            .map(|class| (class.group().to_string(), class.group().to_string()))
            .unwrap_or_else(|| none("no group")),
        By::District => {
            let parsed = edition.zip(code).and_then(|(e, code)| {
                let format = crate::forms::code_format(e)?;
                let parts = crate::forms::parse_product_code(format, code).ok()?;
                Some((format, parts))
            });
            match parsed {
                Some((format, parts)) => (
                    format!("{}-{}", parts.province, parts.area),
                    format!(
                        "T {} – {} {} ({})",
                        parts.province, format.area, parts.area, format.area_name
                    ),
                ),
                None => none("no code in the printed format"),
            }
        }
        By::Round => round
            .map(|r| (r.clone(), r))
            .unwrap_or_else(|| none("no round")),
    }
}

fn round_text(level: Level, number: u8, year: i16) -> String {
    format!("{year} {} round {number}", level.name())
}

impl Summary {
    /// Adds up `records` (in order: an assessment's `line` is its place).
    pub fn build<I>(records: I, options: Options) -> Result<Summary, Error>
    where
        I: IntoIterator<Item = Record>,
    {
        Summary::try_build(records.into_iter().map(Ok), options)
    }

    /// Adds up results as they are read ([`records`]); the first read error
    /// ends it.
    pub fn try_build<I>(records: I, options: Options) -> Result<Summary, Error>
    where
        I: IntoIterator<Item = Result<Record, Error>>,
    {
        let mut s = Summary {
            records: 0,
            scored: 0,
            errors: 0,
            error_codes: BTreeMap::new(),
            ranks: Ranks::default(),
            three_or_more: Share::new(0, 0),
            target: Target {
                share: options.target,
                cite: if options.target == DEFAULT_TARGET {
                    TARGET_CITE.to_string()
                } else {
                    "given".to_string()
                },
                met: false,
            },
            proposed_central: Vec::new(),
            disqualified: Vec::new(),
            unmet_marks: Vec::new(),
            unmet_marks_unnamed: 0,
            by: options.by,
            groups: Vec::new(),
        };
        let mut marks: BTreeMap<(String, String, String, u8), u64> = BTreeMap::new();
        let mut groups: BTreeMap<String, GroupCount> = BTreeMap::new();
        for (at, record) in records.into_iter().enumerate() {
            let record = record?;
            inc(&mut s.records)?;
            let place = at.checked_add(1).ok_or_else(|| overflow("records"))?;
            let (entry, proposed, round, edition) = match record {
                Record::Error(error) => {
                    inc(&mut s.errors)?;
                    inc(s.error_codes.entry(error.code).or_default())?;
                    continue;
                }
                Record::Line(line) => {
                    let line = *line;
                    let entry = Entry {
                        line: line.line,
                        id: line.id,
                        sheet: line.sheet,
                        product: line.product,
                        total: line.total,
                        stars: line.stars,
                    };
                    if entry.stars == 0 {
                        s.disqualified.push(Disqualified {
                            entry: entry.clone(),
                            kind: None,
                            criterion: None,
                            rule: None,
                            cite: None,
                            reason: None,
                        });
                    }
                    if line.stars < line.band_stars && line.unmet_marks > 0 && line.stars > 0 {
                        inc(&mut s.unmet_marks_unnamed)?;
                    }
                    let proposed = (entry.stars == 5).then_some("five-stars");
                    (entry, proposed, None, line.edition)
                }
                Record::Assessment(a) => {
                    let a = *a;
                    let id =
                        a.id.as_ref()
                            .and_then(|raw| serde_json::from_str::<Value>(raw.get()).ok());
                    let entry = Entry {
                        line: place,
                        id,
                        sheet: a.sheet.clone(),
                        product: a.product.clone(),
                        total: a.total,
                        stars: a.stars.get(),
                    };
                    if let Some(d) = &a.disqualified {
                        s.disqualified.push(Disqualified {
                            entry: entry.clone(),
                            kind: Some(d.kind),
                            criterion: d.criterion.clone(),
                            rule: d.rule.clone(),
                            cite: d.cite.clone(),
                            reason: d.reason.clone(),
                        });
                    } else if a.stars < a.band_stars {
                        for mark in &a.unmet_marks {
                            let key = (
                                a.edition.clone(),
                                a.sheet.clone(),
                                mark.criterion.clone(),
                                mark.min_stars,
                            );
                            inc(marks.entry(key).or_default())?;
                        }
                    }
                    let proposed = match &a.outcome {
                        Some(o) => (o.level == Level::Province && o.action == Action::Propose)
                            .then_some("outcome"),
                        None => (a.stars == 5).then_some("five-stars"),
                    };
                    let round = a
                        .round
                        .as_ref()
                        .map(|r| round_text(r.level, r.number, r.year));
                    (entry, proposed, round, a.edition)
                }
            };
            inc(&mut s.scored)?;
            s.ranks.add(entry.stars)?;
            if let Some(by) = options.by {
                let code = entry.product.as_ref().and_then(|p| p.code.as_deref());
                let (key, label) = group_of(by, &entry.sheet, &edition, code, round);
                let group = groups.entry(key).or_default();
                group.label = label;
                group.ranks.add(entry.stars)?;
                if proposed.is_some() {
                    inc(&mut group.proposed)?;
                }
            }
            if let Some(by) = proposed {
                s.proposed_central.push(Proposed {
                    entry,
                    by: by.to_string(),
                });
            }
        }
        s.three_or_more = Share::new(s.ranks.three_or_more(), s.scored);
        s.target.met = s.three_or_more.meets(options.target);
        let mut marks: Vec<MarkCount> = marks
            .into_iter()
            .map(
                |((edition, sheet, criterion, min_stars), count)| MarkCount {
                    edition,
                    sheet,
                    criterion,
                    min_stars,
                    count,
                },
            )
            .collect();
        marks.sort_by_key(|m| std::cmp::Reverse(m.count));
        s.unmet_marks = marks;
        s.groups = groups
            .into_iter()
            .map(|(key, g)| {
                let scored = g.ranks.total();
                let share = Share::new(g.ranks.three_or_more(), scored);
                Group {
                    key,
                    label: g.label,
                    scored,
                    ranks: g.ranks,
                    meets_target: share.meets(options.target),
                    three_or_more: share,
                    proposed_central: g.proposed,
                }
            })
            .collect();
        Ok(s)
    }
}

// ---------------------------------------------------------------------------
// Rendering

use crate::report::md;

fn percent(share: &Share) -> String {
    match share.share {
        Some(value) => {
            let pct = value
                .checked_mul(Decimal::ONE_HUNDRED)
                .unwrap_or_default()
                .round_dp(2)
                .normalize();
            format!("{pct}% ({} / {})", share.count, share.of)
        }
        None => format!("— ({} / {})", share.count, share.of),
    }
}

fn yes_no(met: bool) -> &'static str {
    if met {
        "đạt (met)"
    } else {
        "chưa đạt (not met)"
    }
}

fn product_text(entry: &Entry) -> String {
    let mut parts = Vec::new();
    if let Some(p) = &entry.product {
        if let Some(name) = &p.name {
            parts.push(name.clone());
        }
        if let Some(code) = &p.code {
            parts.push(code.clone());
        }
        if let Some(producer) = &p.producer {
            parts.push(producer.clone());
        }
    }
    if parts.is_empty() {
        if let Some(id) = &entry.id {
            parts.push(match id {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            });
        }
    }
    parts.join(" — ")
}

fn rule_text(d: &Disqualified) -> String {
    let mut text = match d.kind {
        Some(DisqualificationKind::Dossier) => "hồ sơ bị loại (dossier rejected)".to_string(),
        Some(DisqualificationKind::KnockOut) => "bị loại (knock-out)".to_string(),
        Some(DisqualificationKind::Stop) => "dừng đánh giá (stopped)".to_string(),
        None => "0★ (summary line: no rule given)".to_string(),
    };
    if let Some(c) = &d.criterion {
        let _ = write!(text, ", tiêu chí {c}");
    }
    if let Some(r) = &d.rule {
        let _ = write!(text, ": \"{r}\"");
    }
    if let Some(c) = &d.cite {
        let _ = write!(text, " ({c})");
    }
    if let Some(r) = &d.reason {
        let _ = write!(text, "; {r}");
    }
    text
}

const RANKS: [u8; 6] = [0, 1, 2, 3, 4, 5];

fn rank_label(stars: u8) -> String {
    if stars == 0 {
        "0★".to_string()
    } else {
        format!("{stars}★")
    }
}

/// The summary as Markdown.
pub fn markdown(s: &Summary) -> String {
    let mut out = String::new();
    out.push_str("# Tổng hợp kết quả đánh giá, phân hạng sản phẩm OCOP\n\n");
    let _ = writeln!(
        out,
        "- **Kết quả (results):** {} — {} scored, {} errors",
        s.records, s.scored, s.errors
    );
    let _ = writeln!(
        out,
        "- **Đạt 3 sao trở lên (3★ or more):** {}",
        percent(&s.three_or_more)
    );
    let _ = writeln!(
        out,
        "- **Mục tiêu (target):** {}% — {} ({})",
        s.target
            .share
            .checked_mul(Decimal::ONE_HUNDRED)
            .unwrap_or_default()
            .normalize(),
        yes_no(s.target.met),
        md(&s.target.cite)
    );
    let _ = writeln!(
        out,
        "- **Đề nghị cấp trung ương (proposed to the central level):** {}\n",
        s.proposed_central.len()
    );
    out.push_str("## Số sản phẩm theo hạng (final ranks)\n\n| Hạng | Số sản phẩm |\n|---|---:|\n");
    for stars in RANKS {
        let _ = writeln!(out, "| {} | {} |", rank_label(stars), s.ranks.get(stars));
    }
    let _ = writeln!(out, "| **Tổng** | **{}** |\n", s.scored);
    if let Some(by) = s.by {
        let _ = writeln!(
            out,
            "## Theo {} (by {})\n\n| Nhóm | 0★ | 1★ | 2★ | 3★ | 4★ | 5★ | Tổng | ≥3★ | Mục tiêu | Đề nghị TW |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|",
            by.name(),
            by.name()
        );
        for g in &s.groups {
            let _ = write!(out, "| {} ", md(&g.label));
            for stars in RANKS {
                let _ = write!(out, "| {} ", g.ranks.get(stars));
            }
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                g.scored,
                percent(&g.three_or_more),
                yes_no(g.meets_target),
                g.proposed_central
            );
        }
        out.push('\n');
    }
    if !s.proposed_central.is_empty() {
        out.push_str("## Sản phẩm đề nghị cấp trung ương (proposed to the central level)\n\n| Dòng | Sản phẩm | Bộ sản phẩm | Điểm | Hạng | Căn cứ |\n|---:|---|---|---:|---|---|\n");
        for p in &s.proposed_central {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                p.entry.line,
                md(&product_text(&p.entry)),
                md(&p.entry.sheet),
                crate::report::points(p.entry.total),
                rank_label(p.entry.stars),
                p.by
            );
        }
        out.push('\n');
    }
    if !s.disqualified.is_empty() {
        out.push_str("## Hồ sơ bị loại hoặc dừng đánh giá (rejected or stopped)\n\n| Dòng | Sản phẩm | Bộ sản phẩm | Quy định |\n|---:|---|---|---|\n");
        for d in &s.disqualified {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                d.entry.line,
                md(&product_text(&d.entry)),
                md(&d.entry.sheet),
                md(&rule_text(d))
            );
        }
        out.push('\n');
    }
    if !s.unmet_marks.is_empty() || s.unmet_marks_unnamed > 0 {
        out.push_str("## Tiêu chí sao chưa đạt, làm giảm hạng (unmet star marks that cost a rank)\n\n| Bộ sản phẩm | Tiêu chí | Hạng yêu cầu | Số sản phẩm |\n|---|---|---|---:|\n");
        for m in &s.unmet_marks {
            let _ = writeln!(
                out,
                "| {} ({}) | {} | {} | {} |",
                md(&m.sheet),
                md(&m.edition),
                md(&m.criterion),
                rank_label(m.min_stars),
                m.count
            );
        }
        if s.unmet_marks_unnamed > 0 {
            let _ = writeln!(
                out,
                "\n{} products below their band rank are summary lines, which do not name the marks.",
                s.unmet_marks_unnamed
            );
        }
        out.push('\n');
    }
    if !s.error_codes.is_empty() {
        out.push_str("## Lỗi (errors)\n\n| Mã lỗi | Số dòng |\n|---|---:|\n");
        for (code, count) in &s.error_codes {
            let _ = writeln!(out, "| {} | {} |", md(code), count);
        }
        out.push('\n');
    }
    out
}

/// Colours of the ranks 0★ to 5★ in the charts.
const COLOURS: [&str; 6] = [
    "#7f7f7f", "#d95f02", "#e6ab02", "#66a61e", "#1b9e77", "#1f5fa8",
];

/// The counts per rank as vertical bars.
fn ranks_svg(out: &mut String, ranks: &Ranks) {
    let (width, height, top, bottom) = (480u64, 200u64, 20u64, 30u64);
    let max = RANKS
        .iter()
        .map(|&s| ranks.get(s))
        .max()
        .unwrap_or(0)
        .max(1);
    let plot = height - top - bottom;
    let slot = width / 6;
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"Số sản phẩm theo hạng\">"
    );
    for (i, stars) in RANKS.iter().enumerate() {
        let count = ranks.get(*stars);
        let bar = count.saturating_mul(plot) / max;
        let x = (i as u64) * slot + slot / 5;
        let y = top + plot - bar;
        let w = slot * 3 / 5;
        let colour = COLOURS.get(i).copied().unwrap_or("#000");
        let _ = write!(
            out,
            "<rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{bar}\" fill=\"{colour}\"/><text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"12\">{count}</text><text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"13\">{}</text>",
            x + w / 2,
            y.saturating_sub(4),
            x + w / 2,
            height - bottom + 18,
            rank_label(*stars)
        );
    }
    let _ = write!(
        out,
        "<line x1=\"0\" y1=\"{0}\" x2=\"{width}\" y2=\"{0}\" stroke=\"#000\"/></svg>",
        top + plot
    );
}

/// The ranks per group as stacked horizontal bars, a legend and the target line.
fn groups_svg(out: &mut String, s: &Summary) {
    let label_w = 230u64;
    let bar_w = 420u64;
    let row = 26u64;
    let top = 28u64;
    let rows = s.groups.len() as u64;
    let height = top + rows * row + 24;
    let width = label_w + bar_w + 60;
    let max = s.groups.iter().map(|g| g.scored).max().unwrap_or(0).max(1);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"Hạng theo nhóm\">"
    );
    for (i, stars) in RANKS.iter().enumerate() {
        let x = label_w + (i as u64) * 60;
        let colour = COLOURS.get(i).copied().unwrap_or("#000");
        let _ = write!(
            out,
            "<rect x=\"{x}\" y=\"4\" width=\"14\" height=\"14\" fill=\"{colour}\"/><text x=\"{}\" y=\"16\" font-size=\"12\">{}</text>",
            x + 18,
            rank_label(*stars)
        );
    }
    for (r, g) in s.groups.iter().enumerate() {
        let y = top + (r as u64) * row;
        let mut label: String = g.label.chars().take(34).collect();
        if g.label.chars().count() > 34 {
            label.push('…');
        }
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"12\">{}</text>",
            label_w - 6,
            y + 15,
            escape(&label)
        );
        let mut x = label_w;
        for (i, stars) in RANKS.iter().enumerate() {
            let count = g.ranks.get(*stars);
            if count == 0 {
                continue;
            }
            let w = count.saturating_mul(bar_w) / max;
            let colour = COLOURS.get(i).copied().unwrap_or("#000");
            let _ = write!(
                out,
                "<rect x=\"{x}\" y=\"{}\" width=\"{w}\" height=\"{}\" fill=\"{colour}\"><title>{} {}: {count}</title></rect>",
                y + 2,
                row - 8,
                escape(&g.label),
                rank_label(*stars)
            );
            if w >= 16 {
                let _ = write!(
                    out,
                    "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#fff\">{count}</text>",
                    x + w / 2,
                    y + 15
                );
            }
            x += w;
        }
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"12\">{}</text>",
            x + 4,
            y + 15,
            g.scored
        );
    }
    out.push_str("</svg>");
}

const STYLE: &str = "@page{size:A4;margin:15mm}\
body{font-family:'Times New Roman',Times,serif;font-size:12pt;line-height:1.35;max-width:180mm;margin:0 auto;color:#000}\
h1{font-size:16pt;text-align:center;margin:.2em 0 .6em}h2{font-size:13pt;margin:1em 0 .3em;border-bottom:1px solid #999}\
table{border-collapse:collapse;width:100%;margin:.3em 0;font-size:10.5pt}\
th,td{border:1px solid #666;padding:2px 5px;vertical-align:top}th{background:#eee}td.n{text-align:right}\
.met{color:#1b7e37;font-weight:bold}.notmet{color:#b00;font-weight:bold}\
.chart{display:block;margin:.3em auto;max-width:100%;height:auto}\
ul.key{padding-left:1.2em}\
@media print{tr{break-inside:avoid}h2{break-after:avoid}svg{break-inside:avoid}}";

/// The summary as a self-contained A4 HTML page: tables, and the ranks as
/// bars in inline SVG (overall, and per group when grouped). Figures carry
/// `data-field` attributes so a program can read them back from the page.
pub fn html(s: &Summary) -> String {
    let mut b = String::new();
    b.push_str("<h1>Tổng hợp kết quả đánh giá, phân hạng sản phẩm OCOP</h1>\n<ul class=\"key\">");
    let _ = write!(
        b,
        "<li>Kết quả (results): <b data-field=\"records\">{}</b> — <b data-field=\"scored\">{}</b> scored, <b data-field=\"errors\">{}</b> errors</li>",
        s.records, s.scored, s.errors
    );
    let _ = write!(
        b,
        "<li>Đạt 3 sao trở lên (3★ or more): <b data-field=\"three-or-more\">{}</b></li>",
        escape(&percent(&s.three_or_more))
    );
    let _ = write!(
        b,
        "<li>Mục tiêu (target): {}% — <span class=\"{}\" data-field=\"target-met\">{}</span> <small>({})</small></li>",
        s.target
            .share
            .checked_mul(Decimal::ONE_HUNDRED)
            .unwrap_or_default()
            .normalize(),
        if s.target.met { "met" } else { "notmet" },
        yes_no(s.target.met),
        escape(&s.target.cite)
    );
    let _ = writeln!(
        b,
        "<li>Đề nghị cấp trung ương (proposed to the central level): <b data-field=\"proposed-central\">{}</b></li></ul>",
        s.proposed_central.len()
    );
    b.push_str("<h2>Số sản phẩm theo hạng (final ranks)</h2>\n");
    ranks_svg(&mut b, &s.ranks);
    b.push_str("<table><thead><tr>");
    for stars in RANKS {
        let _ = write!(b, "<th>{}</th>", rank_label(stars));
    }
    b.push_str("<th>Tổng</th></tr></thead><tbody><tr>");
    for stars in RANKS {
        let _ = write!(
            b,
            "<td class=\"n\" data-field=\"rank-{stars}\">{}</td>",
            s.ranks.get(stars)
        );
    }
    let _ = writeln!(b, "<td class=\"n\">{}</td></tr></tbody></table>", s.scored);
    if let Some(by) = s.by {
        let _ = writeln!(b, "<h2>Theo {} (by {})</h2>", by.name(), by.name());
        groups_svg(&mut b, s);
        b.push_str("<table><thead><tr><th>Nhóm</th>");
        for stars in RANKS {
            let _ = write!(b, "<th>{}</th>", rank_label(stars));
        }
        b.push_str(
            "<th>Tổng</th><th>≥3★</th><th>Mục tiêu</th><th>Đề nghị TW</th></tr></thead><tbody>\n",
        );
        for (i, g) in s.groups.iter().enumerate() {
            let _ = write!(
                b,
                "<tr data-group=\"{}\"><td data-field=\"group-{i}\">{}</td>",
                escape(&g.key),
                escape(&g.label)
            );
            for stars in RANKS {
                let _ = write!(
                    b,
                    "<td class=\"n\" data-field=\"group-{i}-rank-{stars}\">{}</td>",
                    g.ranks.get(stars)
                );
            }
            let _ = writeln!(
                b,
                "<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"{}\">{}</td><td class=\"n\">{}</td></tr>",
                g.scored,
                escape(&percent(&g.three_or_more)),
                if g.meets_target { "met" } else { "notmet" },
                yes_no(g.meets_target),
                g.proposed_central
            );
        }
        b.push_str("</tbody></table>\n");
    }
    if !s.proposed_central.is_empty() {
        b.push_str("<h2>Sản phẩm đề nghị cấp trung ương (proposed to the central level)</h2>\n<table><thead><tr><th>Dòng</th><th>Sản phẩm</th><th>Bộ sản phẩm</th><th>Điểm</th><th>Hạng</th><th>Căn cứ</th></tr></thead><tbody>\n");
        for p in &s.proposed_central {
            let _ = writeln!(
                b,
                "<tr><td class=\"n\">{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>",
                p.entry.line,
                escape(&product_text(&p.entry)),
                escape(&p.entry.sheet),
                crate::report::points(p.entry.total),
                rank_label(p.entry.stars),
                escape(&p.by)
            );
        }
        b.push_str("</tbody></table>\n");
    }
    if !s.disqualified.is_empty() {
        b.push_str("<h2>Hồ sơ bị loại hoặc dừng đánh giá (rejected or stopped)</h2>\n<table><thead><tr><th>Dòng</th><th>Sản phẩm</th><th>Bộ sản phẩm</th><th>Quy định</th></tr></thead><tbody>\n");
        for d in &s.disqualified {
            let _ = writeln!(
                b,
                "<tr><td class=\"n\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                d.entry.line,
                escape(&product_text(&d.entry)),
                escape(&d.entry.sheet),
                escape(&rule_text(d))
            );
        }
        b.push_str("</tbody></table>\n");
    }
    if !s.unmet_marks.is_empty() || s.unmet_marks_unnamed > 0 {
        b.push_str("<h2>Tiêu chí sao chưa đạt, làm giảm hạng (unmet star marks that cost a rank)</h2>\n<table><thead><tr><th>Bộ sản phẩm</th><th>Tiêu chí</th><th>Hạng yêu cầu</th><th>Số sản phẩm</th></tr></thead><tbody>\n");
        for m in s.unmet_marks.iter().take(40) {
            let _ = writeln!(
                b,
                "<tr><td>{} ({})</td><td>{}</td><td>{}</td><td class=\"n\">{}</td></tr>",
                escape(&m.sheet),
                escape(&m.edition),
                escape(&m.criterion),
                rank_label(m.min_stars),
                m.count
            );
        }
        b.push_str("</tbody></table>\n");
        if s.unmet_marks.len() > 40 {
            let _ = writeln!(
                b,
                "<p>… and {} more (see the JSON form).</p>",
                s.unmet_marks.len().saturating_sub(40)
            );
        }
        if s.unmet_marks_unnamed > 0 {
            let _ = writeln!(
                b,
                "<p>{} products below their band rank are summary lines, which do not name the marks.</p>",
                s.unmet_marks_unnamed
            );
        }
    }
    if !s.error_codes.is_empty() {
        b.push_str("<h2>Lỗi (errors)</h2>\n<table><thead><tr><th>Mã lỗi</th><th>Số dòng</th></tr></thead><tbody>\n");
        for (code, count) in &s.error_codes {
            let _ = writeln!(
                b,
                "<tr><td>{}</td><td class=\"n\" data-field=\"error-{}\">{count}</td></tr>",
                escape(code),
                escape(code)
            );
        }
        b.push_str("</tbody></table>\n");
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n<title>Tổng hợp kết quả OCOP</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{b}</body>\n</html>\n"
    )
}
