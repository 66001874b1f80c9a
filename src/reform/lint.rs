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
    pub edition: Option<(String, usize, String)>,
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
            edition: Some((
                edition.id().to_string(),
                edition.sheets().len(),
                edition.hash().to_string(),
            )),
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
        }),
        Err(other) => Err(other),
    }
}
