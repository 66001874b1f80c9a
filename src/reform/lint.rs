//! `ocop lint`: every validation problem of a draft edition, with file, line
//! and the fix expected.

use std::path::Path;

use serde::Serialize;

use crate::error::Error;

/// The outcome of linting a draft folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Lint {
    /// The folder linted.
    pub folder: String,
    /// Every problem found; empty when the draft is clean.
    pub problems: Vec<Problem>,
    /// For a clean draft: its id, sheet count and content hash.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub edition: Option<Linted>,
    /// Things to review that do not stop the draft from loading: a printed
    /// note that reads as a knock-out, stop or applicability rule ("bị loại",
    /// "không đánh giá các bước tiếp theo", "không xem xét …", "không đánh giá
    /// những sản phẩm …", "chỉ áp dụng khi …") but has no rule.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Problem>,
}

/// Words that make a printed note a rule (issue 12's list, lower-cased).
const RULE_WORDS: [&str; 5] = [
    "bị loại",
    "không đánh giá các bước tiếp theo",
    "không xem xét",
    "không đánh giá những sản phẩm",
    "chỉ áp dụng khi",
];

/// Whether a printed note reads as a rule.
pub(crate) fn reads_as_rule(note: &str) -> bool {
    let lower = note.to_lowercase();
    RULE_WORDS.iter().any(|words| lower.contains(words))
}

/// The notes of an edition that read as rules but carry none: part and
/// section notes (rules sit on criteria), and criterion notes no rule quotes.
pub fn notes_without_rules(edition: &crate::Edition) -> Vec<Problem> {
    let mut out = Vec::new();
    for sheet in edition.sheets() {
        let file = format!("sheets/{:02}-{}.toml", sheet.number(), sheet.key());
        let mut warn = |at: String, note: &str| {
            out.push(Problem {
                file: file.clone(),
                line: None,
                message: format!(
                    "{at}: the note \"{note}\" reads as a knock-out, stop or applicability rule but has no `rules` entry"
                ),
            });
        };
        for part in sheet.parts() {
            for note in part.notes().iter().filter(|n| reads_as_rule(n)) {
                warn(format!("part {}", part.id()), note);
            }
            for section in part.sections() {
                let direct_rules: Vec<&str> = if section.is_direct() {
                    section
                        .criteria()
                        .iter()
                        .flat_map(|c| c.rules())
                        .map(|r| r.text())
                        .collect()
                } else {
                    Vec::new()
                };
                for note in section.notes().iter().filter(|n| reads_as_rule(n)) {
                    if !direct_rules.contains(&note.as_str()) {
                        warn(format!("section {}", section.id()), note);
                    }
                }
                for criterion in section.criteria().iter().flat_map(|c| c.walk()) {
                    for note in criterion.notes().iter().filter(|n| reads_as_rule(n)) {
                        if !criterion.rules().iter().any(|r| r.text() == note) {
                            warn(format!("criterion {}", criterion.id()), note);
                        }
                    }
                }
            }
        }
    }
    out
}

/// A draft that loads: what it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Linted {
    /// Edition id.
    pub id: String,
    /// How many sheets it has (its own and inherited).
    pub sheets: usize,
    /// Its content hash, as assessments record it.
    pub hash: String,
}

/// One problem, located.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// File relative to the folder.
    pub file: String,
    /// Line in that file, when known.
    pub line: Option<usize>,
    /// What is wrong and the fix expected.
    pub message: String,
}

/// Loads the draft in `dir` (possibly extending an embedded edition) and
/// reports every problem at once. A folder that cannot be read is an error.
///
/// ```
/// let clean = ocop::reform::lint::lint(std::path::Path::new("criteria/26-2026"))?;
/// assert!(clean.problems.is_empty());
/// # Ok::<(), ocop::Error>(())
/// ```
pub fn lint(dir: &Path) -> Result<Lint, Error> {
    let folder = dir.display().to_string().trim_end_matches('/').to_string();
    match crate::rubric::load_dir(dir) {
        Ok(edition) => Ok(Lint {
            folder,
            problems: Vec::new(),
            edition: Some(Linted {
                id: edition.id().to_string(),
                sheets: edition.sheet_count(),
                hash: edition.hash().to_string(),
            }),
            warnings: notes_without_rules(&edition),
        }),
        Err(Error::Rubric { problems, .. }) => Ok(Lint {
            folder,
            problems: problems
                .into_iter()
                .map(|p| Problem {
                    file: p.file,
                    line: p.line,
                    message: p.message,
                })
                .collect(),
            edition: None,
            warnings: Vec::new(),
        }),
        Err(other) => Err(other),
    }
}
