//! Errors: what went wrong, with the identifiers a person needs to fix it.
//!
//! A failed star-mark gate or a disqualification is a *result* in the
//! [`Assessment`](crate::Assessment), never an error. Errors are for input the
//! crate cannot score: an unknown edition, sheet or criterion, an option out of
//! range, malformed JSON, or a rubric that does not validate.

use std::fmt;

/// Longest value echoed back in an error message; longer values are cut.
const MAX_ECHO: usize = 80;

/// Everything that can go wrong when loading a rubric or scoring a dossier.
///
/// Every variant has a stable [`code`](Error::code) that the CLI prints and
/// that programs may match on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The dossier names an edition the crate does not hold.
    #[error("unknown edition `{edition}`: the crate has {available}")]
    UnknownEdition {
        /// The edition id as given (truncated if long).
        edition: String,
        /// The ids the crate holds, comma-separated.
        available: String,
    },
    /// No edition of the rubric was in force on the given date.
    #[error(
        "no edition of the OCOP rubric was in force on {date}: the first took effect on {first}"
    )]
    NoEditionInForce {
        /// The date asked for.
        date: String,
        /// The first day any edition was in force.
        first: String,
    },
    /// The edition has no sheet with this key.
    #[error("unknown sheet `{sheet}` in edition {edition}: its sheets are {available}")]
    UnknownSheet {
        /// Edition id.
        edition: String,
        /// The sheet key as given (truncated if long).
        sheet: String,
        /// The edition's sheet keys, comma-separated.
        available: String,
    },
    /// A dossier naming one edition was given to another edition to score.
    #[error("the dossier names edition `{named}`, but it was given to edition {edition} to score")]
    EditionMismatch {
        /// The edition asked to score.
        edition: String,
        /// The edition the dossier names.
        named: String,
    },
    /// The edition knows the sheet but the crate does not hold its text.
    #[error("sheet `{sheet}` of edition {edition} is not available: {why}")]
    SheetNotAvailable {
        /// Edition id.
        edition: String,
        /// Sheet key.
        sheet: String,
        /// Why, and how to add it.
        why: String,
    },
    /// An answer names a criterion the sheet does not have.
    #[error(
        "unknown criterion `{criterion}` in sheet `{sheet}` (edition {edition}): the sheet's criteria are {expected}"
    )]
    UnknownCriterion {
        /// Edition id.
        edition: String,
        /// Sheet key.
        sheet: String,
        /// The criterion id as given (truncated if long).
        criterion: String,
        /// The leaf criterion ids of the sheet, abbreviated.
        expected: String,
    },
    /// An answer names a criterion that is scored through its sub-criteria.
    #[error(
        "criterion `{criterion}` of sheet `{sheet}` (edition {edition}) is scored through its sub-criteria {children}: answer those instead"
    )]
    ParentAnswered {
        /// Edition id.
        edition: String,
        /// Sheet key.
        sheet: String,
        /// The parent criterion id.
        criterion: String,
        /// Its sub-criteria, comma-separated.
        children: String,
    },
    /// An option number outside the criterion's options.
    #[error(
        "unknown option {option} for criterion `{criterion}` of sheet `{sheet}` (edition {edition}): the criterion has options 1..={count}, or 0 for none"
    )]
    OptionOutOfRange {
        /// Edition id.
        edition: String,
        /// Sheet key.
        sheet: String,
        /// Criterion id.
        criterion: String,
        /// The option number as given.
        option: u64,
        /// How many options the criterion has.
        count: usize,
    },
    /// Leaf criteria the dossier does not answer.
    #[error(
        "sheet `{sheet}` (edition {edition}): {} criteria not answered: {}; answer each with an option number, or 0 if none applies",
        .criteria.len(), .criteria.join(", ")
    )]
    Unanswered {
        /// Edition id.
        edition: String,
        /// Sheet key.
        sheet: String,
        /// The unanswered leaf criterion ids, in printed order.
        criteria: Vec<String>,
    },
    /// A criterion that does not apply (another criterion's answer rules it
    /// out, "Chỉ áp dụng khi …") is answered above 0.
    #[error(
        "criterion `{criterion}` of sheet `{sheet}` (edition {edition}) does not apply with the answer given to criterion `{decider}` (\"{rule}\"): answer it 0, or leave it out"
    )]
    Inapplicable {
        /// Edition id.
        edition: String,
        /// Sheet key.
        sheet: String,
        /// The criterion answered.
        criterion: String,
        /// The criterion whose answer rules it out.
        decider: String,
        /// The rule as printed.
        rule: Box<str>,
    },
    /// Options of two cases on a sheet that says to choose one case.
    #[error(
        "sheet `{sheet}` (edition {edition}): criterion {first} and criterion {second} are answered under different cases, but the sheet says \"{rule}\""
    )]
    MixedCases {
        /// Edition id.
        edition: String,
        /// Sheet key.
        sheet: String,
        /// The first criterion answered under a case, with its case: `8 (case a)`.
        first: String,
        /// The criterion answered under another case, with its case.
        second: String,
        /// The rule as printed.
        rule: Box<str>,
    },
    /// A finding names a criterion that carries no rule a finding can fire.
    #[error(
        "finding on criterion `{criterion}` of sheet `{sheet}` (edition {edition}): the criterion has no knock-out or stop rule that depends on the council's finding{}",
        if .with_rules.is_empty() { String::new() } else { format!(" (criteria that have one: {})", .with_rules) }
    )]
    FindingWithoutRule {
        /// Edition id.
        edition: String,
        /// Sheet key.
        sheet: String,
        /// The criterion as given (truncated if long).
        criterion: String,
        /// The criteria of the sheet whose rules a finding fires, comma-separated.
        with_rules: String,
    },
    /// Dates that cannot go together (a dossier filed after its evaluation, a
    /// certificate revoked before it was issued), or fall outside the calendar.
    #[error("invalid dates: {problem}")]
    InvalidDates {
        /// What is wrong, naming both dates.
        problem: String,
    },
    /// A dossier field has the wrong type or an unacceptable value.
    #[error("dossier field `{field}`: expected {expected}, got {value}")]
    InvalidField {
        /// The field's path, e.g. `answers."1.1"` or `evaluated_on`.
        field: String,
        /// The value as given (truncated if long).
        value: String,
        /// What the field accepts.
        expected: String,
    },
    /// A council dossier that cannot be averaged: no members, too many, a
    /// member named twice, or a member's sheet that is not the council's.
    #[error("council dossier: {problem}")]
    Council {
        /// What is wrong, naming the member.
        problem: String,
    },
    /// An error in one council member's sheet.
    #[error("member `{member}`: {error}")]
    InMember {
        /// The member's name.
        member: String,
        /// The error in that member's sheet.
        error: Box<Error>,
    },
    /// The input is larger than the crate accepts.
    #[error("{what} of {size} bytes is too large: at most {limit} bytes are accepted")]
    TooLarge {
        /// What was too large (a dossier, a line).
        what: String,
        /// Its size in bytes.
        size: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// The input is not UTF-8 text.
    #[error("input is not valid UTF-8 (first bad byte at offset {at})")]
    NotUtf8 {
        /// Offset of the first byte that is not valid UTF-8.
        at: usize,
    },
    /// A JSON object names the same key twice.
    #[error("key `{key}` appears twice in the same JSON object{}: each key may appear once", .at.as_deref().map(|a| format!(" ({a})")).unwrap_or_default())]
    DuplicateKey {
        /// The key (truncated if long).
        key: String,
        /// Where the parser found it.
        at: Option<String>,
    },
    /// The input is not well-formed JSON.
    #[error("dossier is not valid JSON: {message}")]
    Json {
        /// The parser's message, with line and column.
        message: String,
    },
    /// The rubric data does not validate; every problem found is listed.
    #[error("rubric {origin} does not validate ({} problems):\n{}", .problems.len(), ProblemList(.problems))]
    Rubric {
        /// Where the rubric came from: `embedded edition 26-2026` or a folder.
        origin: String,
        /// Every problem found.
        problems: Vec<RubricProblem>,
    },
    /// A file or folder could not be read.
    #[error("cannot read {path}: {message}")]
    Io {
        /// The path.
        path: String,
        /// The operating system's message.
        message: String,
    },
    /// Output could not be written (a full disk, a closed pipe).
    #[error("cannot write {path}: {message}")]
    Write {
        /// Where the output was going, e.g. `standard output`.
        path: String,
        /// The operating system's message.
        message: String,
    },
    /// The edition's text gives no value for a rule of the register (a
    /// re-rating window, rounds, …): nothing is assumed.
    #[error("edition {edition} gives no {what}: its text, as the crate holds it, prints none")]
    RuleNotInEdition {
        /// Edition id.
        edition: String,
        /// The rule asked for.
        what: String,
    },
    /// A register record (certificate) field is missing, unknown or wrong.
    #[error("certificate field `{field}`: {problem}")]
    InvalidCertificate {
        /// The field's path, e.g. `revocation.ground`.
        field: String,
        /// What is wrong and what the field accepts.
        problem: String,
    },
    /// The authority given is not the one the rank and the edition name.
    #[error(
        "certificate field `{field}`: for a {stars}★ certificate the edition names `{expected}` ({cite}), not `{given}`"
    )]
    AuthorityMismatch {
        /// `authority` or `revocation.authority`.
        field: String,
        /// The certificate's rank.
        stars: u8,
        /// What the edition names.
        expected: String,
        /// What the record gives.
        given: String,
        /// Where the rule is printed.
        cite: String,
    },
    /// An assessment that cannot be entered in the register.
    #[error("not certifiable: {reason}")]
    NotCertifiable {
        /// Why: the rank, a disqualification, the outcome, a failed verification.
        reason: String,
    },
}

impl Error {
    /// A stable, machine-readable code for the error kind, e.g. `unknown-sheet`.
    ///
    /// ```
    /// let err = ocop::edition("1999").unwrap_err();
    /// assert_eq!(err.code(), "unknown-edition");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            Error::UnknownEdition { .. } => "unknown-edition",
            Error::NoEditionInForce { .. } => "no-edition-in-force",
            Error::UnknownSheet { .. } => "unknown-sheet",
            Error::EditionMismatch { .. } => "edition-mismatch",
            Error::SheetNotAvailable { .. } => "sheet-not-available",
            Error::UnknownCriterion { .. } => "unknown-criterion",
            Error::ParentAnswered { .. } => "parent-answered",
            Error::OptionOutOfRange { .. } => "option-out-of-range",
            Error::Unanswered { .. } => "unanswered",
            Error::InvalidField { .. } => "invalid-field",
            Error::Inapplicable { .. } => "inapplicable-criterion",
            Error::MixedCases { .. } => "mixed-cases",
            Error::FindingWithoutRule { .. } => "finding-without-rule",
            Error::InvalidDates { .. } => "invalid-dates",
            Error::Council { .. } => "invalid-council",
            Error::InMember { error, .. } => error.code(),
            Error::TooLarge { .. } => "too-large",
            Error::NotUtf8 { .. } => "invalid-utf8",
            Error::DuplicateKey { .. } => "duplicate-key",
            Error::Json { .. } => "invalid-json",
            Error::Rubric { .. } => "invalid-rubric",
            Error::Io { .. } | Error::Write { .. } => "io",
            Error::RuleNotInEdition { .. } => "rule-not-in-edition",
            Error::InvalidCertificate { .. } => "invalid-certificate",
            Error::AuthorityMismatch { .. } => "authority-mismatch",
            Error::NotCertifiable { .. } => "not-certifiable",
        }
    }
}

/// One validation problem in a rubric, located as precisely as the data allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RubricProblem {
    /// The file, relative to the edition folder (`edition.toml`, `sheets/23-hoa.toml`).
    pub file: String,
    /// The line in that file, when known.
    pub line: Option<usize>,
    /// What is wrong and what is expected, naming the ids involved.
    pub message: String,
}

impl fmt::Display for RubricProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file, line, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

struct ProblemList<'a>(&'a [RubricProblem]);

impl fmt::Display for ProblemList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "  - {problem}")?;
        }
        Ok(())
    }
}

/// Cuts a user-supplied value so an error message stays readable, and
/// escapes what could forge or hide text on a terminal (see [`escape_controls`]).
pub(crate) fn echo(value: &str) -> String {
    if value.chars().count() <= MAX_ECHO {
        return escape_controls(value);
    }
    let cut: String = value.chars().take(MAX_ECHO).collect();
    format!("{}… ({} bytes)", escape_controls(&cut), value.len())
}

/// Whether a character must not reach a terminal or a report as it is: C0 and
/// C1 controls, DEL, and the Unicode bidirectional marks, embeddings,
/// overrides and isolates that reorder the text around them.
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// The text with every [unsafe character](is_unsafe_char) written as a
/// visible escape (`\n`, `\r`, `\t`, otherwise `\u{1b}`), so one message is
/// one line and reads the same in any terminal.
///
/// ```
/// assert_eq!(ocop::error::escape_controls("a\nb\u{1b}[31m\u{202e}"), "a\\nb\\u{1b}[31m\\u{202e}");
/// ```
pub fn escape_controls(text: &str) -> String {
    if !text.chars().any(is_unsafe_char) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_unsafe_char(c) => {
                use fmt::Write as _;
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}
